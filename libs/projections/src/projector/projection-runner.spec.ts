import { describe, expect, it } from '@jest/globals';
import { EventDetailsUnavailableError, InMemoryEventStore, type ReadAllOptions, type RecordedEvent } from '@app/event-store';
import { InMemoryReadStore, type StoredDocument } from '@app/read-store';
import { OneDocument, onlyKey } from '../one-document.js';
import type { PositionedDocument, Projection } from '../projection.js';
import { type AnyProjection, DEFAULT_RUNNER_OPTIONS, ProjectionRunner } from './projection-runner.js';

interface Tally extends PositionedDocument {
  count: number;
}

/** Counts `Counted` events in one document. */
const counting: Projection<Tally> = {
  name: 'counting',
  version: 1,
  eventTypes: ['Counted'],
  keys: () => ['tally'],
  evolve(documents) {
    const tally = documents.get('tally');
    return new Map([['tally', { count: (tally?.count ?? 0) + 1, lastPosition: '0' }]]);
  },
};

/** Counts `Counted` events in place in the document each names, and throws on `Broken` after counting it. */
const countingInPlace: Projection<Tally> = {
  name: 'counting-in-place',
  version: 1,
  eventTypes: ['Counted', 'Broken'],
  keys: (event) => [(event.data as { key: string }).key],
  evolve(documents, event) {
    const [[key, tally]] = documents;
    const changed = tally ?? { count: 0, lastPosition: '0' };
    changed.count++;
    if (event.type === 'Broken') throw new Error('broken event');
    return new Map([[key, changed]]);
  },
};

/** A count kept in memory in another form than stored: `{ n: [count] }`, stored as `{ count }`. */
interface Boxed extends PositionedDocument {
  n: number[];
}

/** `counting` with a form of its own in memory (`Projection.stored`); it counts on from either form. */
const countingBoxed: Projection<Tally, Boxed> = {
  ...counting,
  name: 'counting-boxed',
  evolve(documents) {
    const held = documents.get('tally');
    const boxed = held === undefined ? { n: [0], lastPosition: '0' } : 'n' in held ? held : { n: [held.count], lastPosition: held.lastPosition };
    boxed.n[0]++;
    return new Map([['tally', boxed]]);
  },
  stored: (document) => ('n' in document ? { count: document.n[0], lastPosition: document.lastPosition } : document),
};

interface Seen extends PositionedDocument {
  type: string;
}

/** Write-only: the last event type of each key, and throws on `Broken`. */
const lastSeen: Projection<Seen> = {
  name: 'last-seen',
  version: 1,
  eventTypes: ['Counted', 'Broken'],
  writeOnly: true,
  keys: (event) => [(event.data as { key: string }).key],
  evolve(documents, event) {
    if (event.type === 'Broken') throw new Error('broken event');
    const [key] = documents.keys();
    return new Map([[key, { type: event.type, lastPosition: '0' }]]);
  },
};

/** Write-only: each key's last event type; a key's `Created` is the first event that names it, `Deleted` deletes. */
const lastSeenCreated: Projection<Seen> = {
  name: 'last-seen-created',
  version: 1,
  eventTypes: ['Created', 'Changed', 'Deleted'],
  writeOnly: true,
  creates: (event) => event.type === 'Created',
  keys: (event) => [(event.data as { key: string }).key],
  evolve(documents, event) {
    const [key] = documents.keys();
    return new Map([[key, event.type === 'Deleted' ? undefined : { type: event.type, lastPosition: '0' }]]);
  },
};

/** Records what each commit wrote as new and as changes. */
class RecordingReadStore extends InMemoryReadStore {
  readonly commits: Array<{ added: string[]; changed: string[] }> = [];
  override async commit(...[collection, changes, checkpoint, added]: Parameters<InMemoryReadStore['commit']>): Promise<void> {
    this.commits.push({ added: [...(added?.ids ?? [])], changed: [...changes.keys()] });
    return super.commit(collection, changes, checkpoint, added);
  }
}

/** A read store that refuses to load: a write-only projection's runner has no need to. */
class UnreadableReadStore extends InMemoryReadStore {
  override async load(): Promise<never> {
    throw new Error('loaded documents of a write-only projection');
  }
}

/** Polls until the check holds or 10 s have passed (the assertions after it then say what did not happen). */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A new live collection for the projection, with no fields or indexes. */
async function collectionFor(reads: InMemoryReadStore, projection: { name: string }): Promise<string> {
  return (await reads.startBuild(projection.name, 1, { fields: {}, indexes: [] })).live!.collection;
}

/** A runner that looks at the head every few milliseconds, so that a spec waits little. */
function quickRunner<D extends PositionedDocument, M extends PositionedDocument>(
  projection: Projection<D, M>,
  collection: string,
  events: InMemoryEventStore,
  reads: InMemoryReadStore,
  options: Partial<typeof DEFAULT_RUNNER_OPTIONS> = {},
): ProjectionRunner {
  return new ProjectionRunner(projection as unknown as AnyProjection, collection, events, reads, { ...DEFAULT_RUNNER_OPTIONS, headPollMs: 2, idleProbeMs: 20, ...options });
}

const metadata = { actor: { id: 't', role: 't', organisation: 't' }, command: 'Test', correlationId: 'c', causationId: 'c' };

describe('ProjectionRunner', () => {
  it('does not apply again what a stored document has seen beyond the checkpoint, and applies what follows', async () => {
    const events = new InMemoryEventStore();
    const reads = new InMemoryReadStore();
    const positions: bigint[] = [];
    for (let i = 0; i < 5; i++) {
      const { position } = await events.append(`counted-${i}`, [{ id: `00000000-0000-4000-8000-00000000000${i}`, type: 'Counted', data: {}, metadata }], 'no_stream');
      positions.push(position);
    }
    // Checkpoint after the first event; the document has seen the third (as if a run wrote it without moving the checkpoint).
    const collection = await collectionFor(reads, counting);
    await reads.commit(collection, new Map([['tally', { count: 3, lastPosition: positions[2].toString() }]]), { expected: undefined, next: positions[0] });

    const runner = quickRunner(counting, collection, events, reads);
    runner.start();
    await until(() => runner.checkpoint === positions[4]);
    await runner.stop();

    expect((await reads.load(collection, ['tally'])).get('tally')).toEqual({ count: 5, lastPosition: positions[4].toString() });
  });

  it('commits the stored form of a document it keeps in another form, and counts on in either', async () => {
    const events = new InMemoryEventStore();
    const reads = new RecordingReadStore();
    const append = async (i: number) =>
      (await events.append(`counted-${i}`, [{ id: `00000000-0000-4000-8000-00000000000${i}`, type: 'Counted', data: {}, metadata }], 'no_stream')).position;
    for (let i = 0; i < 3; i++) await append(i);
    const collection = await collectionFor(reads, countingBoxed);

    // Live, it commits every page: the document stays cached in its own form between commits.
    const runner = quickRunner(countingBoxed, collection, events, reads);
    runner.start();
    await until(() => runner.state === 'live');
    const third = await append(3);
    await until(() => runner.checkpoint === third);
    await runner.stop();
    expect(reads.commits.length).toBeGreaterThan(1);
    expect((await reads.load(collection, ['tally'])).get('tally')).toEqual({ count: 4, lastPosition: third.toString() });

    // Started again, it counts on from the stored form.
    const fifth = (await append(4), await append(5));
    const again = quickRunner(countingBoxed, collection, events, reads);
    again.start();
    await until(() => again.checkpoint === fifth);
    await again.stop();
    expect((await reads.load(collection, ['tally'])).get('tally')).toEqual({ count: 6, lastPosition: fifth.toString() });
  });

  async function runUntilFailing(types: ReadonlyArray<[type: string, key: string]>) {
    const events = new InMemoryEventStore();
    const reads = new InMemoryReadStore();
    const positions: bigint[] = [];
    for (const [i, [type, key]] of types.entries()) {
      const { position } = await events.append(`thing-${i}`, [{ id: `00000000-0000-4000-8000-00000000000${i}`, type, data: { key }, metadata }], 'no_stream');
      positions.push(position);
    }
    const collection = await collectionFor(reads, countingInPlace);
    const runner = quickRunner(countingInPlace, collection, events, reads);
    runner.start();
    await until(() => runner.state === 'failing');
    await runner.stop();
    expect(runner.state).toBe('failing');
    return { positions, stored: await reads.load(collection, ['a', 'b']), checkpoint: await reads.checkpoint(collection) };
  }

  it('keeps the events before a failed one when the failed evolve held none of the documents they changed', async () => {
    const { positions, stored, checkpoint } = await runUntilFailing([['Counted', 'a'], ['Counted', 'a'], ['Broken', 'b']]);
    expect(checkpoint).toBe(positions[1]);
    expect(stored.get('a')).toEqual({ count: 2, lastPosition: positions[1].toString() });
    expect(stored.has('b')).toBe(false);
  });

  it('stamps each document it commits with the position of the event that changed it last, not the page\'s last', async () => {
    const events = new InMemoryEventStore();
    const reads = new InMemoryReadStore();
    const positions: bigint[] = [];
    for (const [i, key] of ['a', 'b', 'a', 'c', 'b', 'b'].entries()) {
      positions.push((await events.append(`thing-${i}`, [{ id: `00000000-0000-4000-8000-00000000000${i}`, type: 'Counted', data: { key }, metadata }], 'no_stream')).position);
    }
    const collection = await collectionFor(reads, countingInPlace);
    const runner = quickRunner(countingInPlace, collection, events, reads, { pageSize: 4 });
    runner.start();
    await until(() => runner.checkpoint === positions[5]);
    await runner.stop();

    expect(await reads.load(collection, ['a', 'b', 'c'])).toEqual(
      new Map([
        ['a', { count: 2, lastPosition: positions[2].toString() }],
        ['b', { count: 3, lastPosition: positions[5].toString() }],
        ['c', { count: 1, lastPosition: positions[3].toString() }],
      ]),
    );
  });

  it('runs a write-only projection without reading its documents, and keeps the events before one it fails on', async () => {
    const events = new InMemoryEventStore();
    const reads = new UnreadableReadStore();
    const positions: bigint[] = [];
    for (const [i, [type, key]] of [['Counted', 'a'], ['Counted', 'b'], ['Counted', 'a'], ['Broken', 'b']].entries()) {
      const { position } = await events.append(`thing-${i}`, [{ id: `00000000-0000-4000-8000-00000000000${i}`, type, data: { key }, metadata }], 'no_stream');
      positions.push(position);
    }
    const collection = await collectionFor(reads, lastSeen);
    // A document stored before: written over, never read.
    await reads.commit(collection, new Map([['a', { type: 'Stale', lastPosition: '0' }]]), { expected: undefined, next: 0n });
    const runner = quickRunner(lastSeen, collection, events, reads);
    runner.start();
    // A load would fail, and the runner would read again after a back-off: a retry ends the wait too.
    await until(() => runner.state === 'failing' || runner.retries > 0);
    await runner.stop();

    expect(runner.lastError).toBeNull();
    expect(runner.failure).toMatchObject({ position: positions[3].toString(), type: 'Broken', error: 'Error: broken event' });
    expect(await reads.checkpoint(collection)).toBe(positions[2]);
    const stored = await InMemoryReadStore.prototype.load.call(reads, collection, ['a', 'b']);
    expect(stored).toEqual(
      new Map([
        ['a', { type: 'Counted', lastPosition: positions[2].toString() }],
        ['b', { type: 'Counted', lastPosition: positions[1].toString() }],
      ]),
    );
  });

  it('hands an event its one document as a OneDocument, and reads the documents of a page ahead (prefetch) before it applies the page', async () => {
    const events = new InMemoryEventStore();
    const reads = new InMemoryReadStore();
    const seen: string[] = [];
    const prefetching: Projection<Tally> = {
      ...countingInPlace,
      name: 'prefetching',
      evolve(documents, event) {
        const key = onlyKey(documents)!;
        seen.push(`evolve ${key}${documents instanceof OneDocument ? '' : ' (not a OneDocument)'}`);
        return countingInPlace.evolve(documents, event);
      },
      prefetch(document) {
        seen.push(`prefetch ${document.count}`);
        return document.count;
      },
    };
    const collection = await collectionFor(reads, prefetching);
    // Stored before: a has counted one event, b two. c is new.
    await reads.commit(collection, new Map([['a', { count: 1, lastPosition: '0' }], ['b', { count: 2, lastPosition: '0' }]]), { expected: undefined, next: 0n });
    let last = 0n;
    for (const [i, key] of ['a', 'c', 'b'].entries()) {
      last = (await events.append(`thing-${i}`, [{ id: `00000000-0000-4000-8000-00000000000${i}`, type: 'Counted', data: { key }, metadata }], 'no_stream')).position;
    }
    const runner = quickRunner(prefetching, collection, events, reads);
    runner.start();
    await until(() => runner.checkpoint === last);
    await runner.stop();

    // One page: the documents that exist are read ahead, in the order the events name them, then the events are applied.
    expect(seen).toEqual(['prefetch 1', 'prefetch 2', 'evolve a', 'evolve c', 'evolve b']);
    expect([...(await reads.load(collection, ['a', 'b', 'c']))].map(([key, tally]) => [key, tally.count])).toEqual([['a', 2], ['b', 3], ['c', 1]]);
  });

  it('hands the documents an event creates to the store as new, and the later events of their commit as changes', async () => {
    const events = new InMemoryEventStore();
    const reads = new RecordingReadStore();
    const log: Array<[type: string, key: string]> = [
      ['Created', 'a'], ['Created', 'b'], ['Created', 'c'],
      ['Changed', 'a'], ['Deleted', 'b'], ['Created', 'd'],
      // f is named before the event that says it creates f: the later document still wins.
      ['Changed', 'd'], ['Changed', 'f'], ['Created', 'f'],
    ];
    for (const [i, [type, key]] of log.entries()) {
      await events.append(`thing-${i}`, [{ id: `00000000-0000-4000-8000-00000000000${i}`, type, data: { key }, metadata }], 'no_stream');
    }
    const collection = await collectionFor(reads, lastSeenCreated);
    // A page of three events, and a commit after every page that leaves more than two documents waiting.
    const runner = quickRunner(lastSeenCreated, collection, events, reads, { pageSize: 3, cacheSize: 2 });
    runner.start();
    await until(() => runner.state === 'live');
    await runner.stop();

    expect(reads.commits).toEqual([
      { added: ['a', 'b', 'c'], changed: [] },
      { added: ['d'], changed: ['a', 'b'] },
      { added: [], changed: ['d', 'f'] },
    ]);
    const stored = await reads.load<StoredDocument>(collection, ['a', 'b', 'c', 'd', 'f']);
    expect(Object.fromEntries([...stored].map(([key, document]) => [key, document.type]))).toEqual({ a: 'Changed', c: 'Created', d: 'Changed', f: 'Created' });
  });

  it('names the failed event by position and type when its stream and id cannot be read', async () => {
    /** Whose page events read their stream and id on first use, and that read fails (as a lean page's may). */
    class UnreadableDetails extends InMemoryEventStore {
      override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
        return (await super.readAll(options)).map(({ type, revision, position, data }) => {
          const unreadable = () => {
            throw new Error('the event log is gone');
          };
          return Object.defineProperties({ type, revision, position, data }, { id: { get: unreadable }, stream: { get: unreadable } }) as RecordedEvent;
        });
      }
    }
    const events = new UnreadableDetails();
    const { position } = await events.append('thing-0', [{ id: '00000000-0000-4000-8000-000000000000', type: 'Broken', data: { key: 'a' }, metadata }], 'no_stream');
    const reads = new InMemoryReadStore();
    const collection = await collectionFor(reads, lastSeen);
    const runner = quickRunner(lastSeen, collection, events, reads);
    runner.start();
    await until(() => runner.state === 'failing');
    await runner.stop();

    expect(runner.state).toBe('failing');
    expect(runner.failure).toMatchObject({ position: position.toString(), type: 'Broken', stream: '(unknown)', eventId: '(unknown)', error: 'Error: broken event' });
  });

  it('reads again, as after any error of the store, when an event cannot read its details on first use', async () => {
    /** Whose page events read their metadata on first use, and the first such read fails. */
    class FlakyDetails extends InMemoryEventStore {
      failures = 1;
      override async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
        return (await super.readAll(options)).map((event) => {
          const { metadata: stored, ...rest } = event;
          const store = this;
          return Object.defineProperty(rest, 'metadata', {
            get() {
              if (store.failures > 0) {
                store.failures--;
                throw new EventDetailsUnavailableError(event.position, new Error('SQLITE_IOERR: disk I/O error'));
              }
              return stored;
            },
            enumerable: true,
          }) as RecordedEvent;
        });
      }
    }
    /** The actor of each `Counted` event, by its key. */
    const actors: Projection<Seen> = {
      name: 'actors',
      version: 1,
      eventTypes: ['Counted'],
      keys: (event) => [(event.data as { key: string }).key],
      evolve: (documents, event) => new Map([[[...documents.keys()][0], { type: event.metadata.actor.id, lastPosition: '0' }]]),
    };
    const events = new FlakyDetails();
    for (let i = 0; i < 3; i++) {
      await events.append(`thing-${i}`, [{ id: `00000000-0000-4000-8000-00000000000${i}`, type: 'Counted', data: { key: `k${i}` }, metadata }], 'no_stream');
    }
    const head = (await events.headPosition())!;
    const reads = new InMemoryReadStore();
    const collection = await collectionFor(reads, actors);
    const runner = quickRunner(actors, collection, events, reads, { retryInitialMs: 5 });
    runner.start();
    await until(() => runner.checkpoint === head || runner.state === 'failing');
    await runner.stop();

    expect(runner.failure).toBeNull();
    expect(runner.retries).toBe(1);
    expect(runner.lastError?.message).toMatch(/could not be read: SQLITE_IOERR/);
    expect((await reads.load(collection, ['k0', 'k1', 'k2'])).size).toBe(3);
  });

  it('commits nothing a failed evolve may have changed in place: a restart applies the events again from the last commit', async () => {
    const { stored, checkpoint } = await runUntilFailing([['Counted', 'a'], ['Counted', 'a'], ['Broken', 'a']]);
    // Committed, this would be a count of 3 (two events and the failed one's half) at the second event's position.
    expect(checkpoint).toBeUndefined();
    expect(stored.size).toBe(0);
  });
});
