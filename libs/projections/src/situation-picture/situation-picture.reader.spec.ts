import { describe, expect, it } from '@jest/globals';
import { InMemoryReadStore, type StoredDocument } from '@app/read-store';
import { project } from '../projection.js';
import { incident, inLog } from './events.testing.js';
import { situationPictureProjection } from './situation-picture.projection.js';
import { SituationPictureReader } from './situation-picture.reader.js';

/** Counts the document reads, to see when an answer is worked out again. */
class CountingReadStore extends InMemoryReadStore {
  reads = 0;
  override async getMany<D extends StoredDocument>(projection: string, ids: readonly string[]): Promise<Map<string, D>> {
    this.reads++;
    return super.getMany<D>(projection, ids);
  }
}

describe('SituationPictureReader', () => {
  const settings = { anchor: '2021-01-04', timeZone: 'Europe/Stockholm' };
  const projection = situationPictureProjection(settings);

  it('keeps an answer while the checkpoint stands, and works it out again once an event moved it', async () => {
    const store = new CountingReadStore();
    const { live } = await store.startBuild(projection.name, projection.version, { fields: {}, indexes: [] });
    const collection = live!.collection;
    const events = inLog([incident({ occurredAt: '2021-03-10T18:00:00Z' }), incident({ occurredAt: '2021-03-11T18:00:00Z', category: 'graffiti' })]);
    const documents = project(projection, events);
    await store.commit(collection, documents as unknown as Map<string, StoredDocument>, { expected: undefined, next: 2n });

    const reader = new SituationPictureReader(store, settings);
    const first = await reader.read('danderyd', '2021-03-01');
    expect(first).toMatchObject({ total: 2, byCategory: { vandalism: 1, graffiti: 1 } });
    expect(await reader.read('danderyd', '2021-03-01')).toBe(first);
    expect(store.reads).toBe(1);
    // Another period is its own answer.
    expect((await reader.read('danderyd', '2021-03-15')).total).toBe(0);
    expect(store.reads).toBe(2);

    const [later] = inLog([incident({ occurredAt: '2021-03-12T18:00:00Z' })], 3n);
    const changed = project(projection, [later], documents);
    await store.commit(collection, changed as unknown as Map<string, StoredDocument>, { expected: 2n, next: 3n });
    const second = await reader.read('danderyd', '2021-03-01');
    expect(second).toMatchObject({ total: 3, byCategory: { vandalism: 2, graffiti: 1 } });
    expect(store.reads).toBe(3);

    // The checkpoint may move on events the period does not hold: the answer is worked out again, and the same.
    await store.commit(collection, new Map(), { expected: 3n, next: 4n });
    expect(await reader.read('danderyd', '2021-03-01')).toEqual(second);
    expect(store.reads).toBe(4);
  });
});
