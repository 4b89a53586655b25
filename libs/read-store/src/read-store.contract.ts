import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  CheckpointConflictError,
  type CollectionSchema,
  type DocumentQuery,
  ProjectionNotFoundError,
  type ReadStore,
  SchemaError,
  type StoredDocument,
} from './read-store.port.js';

/**
 * The read-store contract: one suite, run against every adapter. Each test uses its own projection
 * name, so the suite also runs against a long-lived MongoDB.
 */
export function readStoreContract(adapterName: string, open: () => Promise<ReadStore>): void {
  describe(`ReadStore contract: ${adapterName}`, () => {
    let store: ReadStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });

    const schema: CollectionSchema = {
      fields: { municipalityId: 'string', occurredAt: 'string', category: 'string', areaId: 'string', seq: 'position', score: 'number', open: 'boolean' },
      indexes: [
        ['municipalityId', 'occurredAt'],
        ['municipalityId', 'category', 'occurredAt'],
        ['municipalityId', 'seq'],
      ],
    };
    const name = () => `t${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const rejection = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (error) {
        return error;
      }
      throw new Error('expected the promise to reject');
    };
    /** A projection with a live, indexed collection and its documents committed at checkpoint 1. */
    const given = async (documents: StoredDocument[], indexed = true) => {
      const projection = name();
      const record = await store.startBuild(projection, 1, schema);
      const collection = record.live!.collection;
      await store.commit(collection, new Map(documents.map((d) => [d.id as string, d])), { expected: undefined, next: 1n });
      if (indexed) await store.index(collection);
      return { projection, collection };
    };
    const incident = (id: string, occurredAt: string, extra: StoredDocument = {}): StoredDocument => ({
      id,
      municipalityId: 'danderyd',
      occurredAt,
      category: 'vandalism',
      areaId: 'djursholm',
      lastPosition: '1',
      ...extra,
    });
    /** Every item of a query, page by page, following the cursors. */
    const allPages = async (projection: string, query: DocumentQuery) => {
      const pages: string[][] = [];
      let after = query.after;
      for (;;) {
        const page = await store.query<StoredDocument>(projection, { ...query, after });
        pages.push(page.items.map((d) => d.id as string));
        if (!page.next) return pages;
        after = page.next;
      }
    };

    describe('registry', () => {
      it('makes the first build live at once, with no checkpoint and no documents', async () => {
        const projection = name();
        const record = await store.startBuild(projection, 3, schema);
        expect(record).toEqual({ name: projection, live: { collection: `${projection}@v3.1`, version: 3 }, building: null, generation: 1 });
        expect(await store.projection(projection)).toEqual(record);
        expect(await store.checkpoint(record.live!.collection)).toBeUndefined();
        expect(await store.get(projection, 'nothing')).toBeUndefined();
        expect((await store.query(projection, { limit: 10 })).items).toEqual([]);
        expect((await store.projections()).map((p) => p.name)).toContain(projection);
      });

      it('tells the live collection and its checkpoint in one read, following commits and the switch', async () => {
        const { projection, collection } = await given([incident('a', '2024-05-01T10:00:00.000Z')]);
        const before = await store.liveCheckpoint(projection);
        expect(before.collection).toBe(collection);
        await store.commit(collection, new Map([['b', incident('b', '2024-05-02T10:00:00.000Z')]]), { expected: before.checkpoint, next: 900n });
        expect(await store.liveCheckpoint(projection)).toEqual({ collection, checkpoint: 900n });
        const building = await store.startBuild(projection, 1, schema);
        // Still the live one while the new generation fills.
        expect(await store.liveCheckpoint(projection)).toEqual({ collection, checkpoint: 900n });
        await store.promote(projection, building.building!.collection);
        expect(await store.liveCheckpoint(projection)).toEqual({ collection: building.building!.collection, checkpoint: undefined });
        expect(await rejection(store.liveCheckpoint(name()))).toBeInstanceOf(ProjectionNotFoundError);
      });

      it('builds a later generation beside the live one and switches to it in one step', async () => {
        const { projection, collection } = await given([incident('a', '2024-05-01T10:00:00.000Z')]);
        const building = await store.startBuild(projection, 2, schema);
        expect(building.live).toEqual({ collection, version: 1 });
        expect(building.building).toEqual({ collection: `${projection}@v2.2`, version: 2 });
        // Queries still read the live collection while the new one fills.
        await store.commit(building.building!.collection, new Map([['b', incident('b', '2024-05-02T10:00:00.000Z')]]), { expected: undefined, next: 5n });
        expect((await store.get<StoredDocument>(projection, 'a'))?.id).toBe('a');
        expect(await store.get(projection, 'b')).toBeUndefined();

        const promoted = await store.promote(projection, building.building!.collection);
        expect(promoted).toEqual({ name: projection, live: { collection: `${projection}@v2.2`, version: 2 }, building: null, generation: 2 });
        expect(await store.get(projection, 'a')).toBeUndefined();
        expect((await store.get<StoredDocument>(projection, 'b'))?.id).toBe('b');
        expect(await store.checkpoint(promoted.live!.collection)).toBe(5n);
      });

      it('drops an unfinished build when another one starts', async () => {
        const { projection } = await given([]);
        const first = await store.startBuild(projection, 1, schema);
        const second = await store.startBuild(projection, 1, schema);
        expect(second.building!.collection).not.toBe(first.building!.collection);
        expect(second.generation).toBe(3);
        await expect(store.promote(projection, first.building!.collection)).rejects.toThrow();
      });

      it('refuses to switch to a collection that is not being built', async () => {
        const { projection, collection } = await given([]);
        await expect(store.promote(projection, collection)).rejects.toThrow();
      });

      it('answers a query of a projection without a live collection with ProjectionNotFoundError', async () => {
        expect(await rejection(store.get(name(), 'x'))).toBeInstanceOf(ProjectionNotFoundError);
        expect(await rejection(store.query(name(), { limit: 1 }))).toBeInstanceOf(ProjectionNotFoundError);
      });

      it('prepares an existing collection again without change, and refuses a changed schema', async () => {
        const { projection, collection } = await given([incident('a', '2024-05-01T10:00:00.000Z')]);
        await store.prepare(collection, schema);
        expect(await store.checkpoint(collection)).toBe(1n);
        expect((await store.get<StoredDocument>(projection, 'a'))?.id).toBe('a');
        const changed = { ...schema, fields: { ...schema.fields, source: 'string' as const } };
        expect(await rejection(store.prepare(collection, changed))).toBeInstanceOf(SchemaError);
      });
    });

    describe('commit', () => {
      it('writes documents and the checkpoint together and reads them back', async () => {
        const { projection, collection } = await given([incident('a', '2024-05-01T10:00:00.000Z'), incident('b', '2024-05-02T10:00:00.000Z')]);
        expect(await store.checkpoint(collection)).toBe(1n);
        expect(await store.get(projection, 'a')).toEqual(incident('a', '2024-05-01T10:00:00.000Z'));
        const many = await store.getMany<StoredDocument>(projection, ['a', 'b', 'c']);
        expect([...many.keys()].sort()).toEqual(['a', 'b']);
        const loaded = await store.load<StoredDocument>(collection, ['b', 'c']);
        expect([...loaded.keys()]).toEqual(['b']);
        expect(await store.getMany(projection, [])).toEqual(new Map());
      });

      it('keeps nested values, nulls and unicode as they were', async () => {
        const document = incident('ö', '2024-05-01T10:00:00.000Z', {
          areaId: null,
          nested: { counts: { vandalism: 3, graffiti: 0 }, list: [1, 'två', null, { x: true }] },
          text: 'Mörby centrum — "quoted"',
          big: 9_007_199_254_740_991,
          share: 0.25,
        });
        const { projection } = await given([document]);
        expect(await store.get(projection, 'ö')).toEqual(document);
      });

      it('replaces and deletes documents, moving the checkpoint on', async () => {
        const { projection, collection } = await given([incident('a', '2024-05-01T10:00:00.000Z'), incident('b', '2024-05-02T10:00:00.000Z')]);
        const changes = new Map<string, StoredDocument | undefined>([
          ['a', incident('a', '2024-05-01T10:00:00.000Z', { category: 'graffiti', lastPosition: '7' })],
          ['b', undefined],
          ['gone', undefined],
        ]);
        await store.commit(collection, changes, { expected: 1n, next: 7n });
        expect(await store.checkpoint(collection)).toBe(7n);
        expect((await store.get<StoredDocument>(projection, 'a'))?.category).toBe('graffiti');
        expect(await store.get(projection, 'b')).toBeUndefined();
        // The replaced value is what queries see, too.
        const graffiti = await store.query(projection, { where: { category: 'graffiti' }, limit: 10 });
        expect(graffiti.items.map((d) => d.id)).toEqual(['a']);
        expect((await store.query(projection, { where: { category: 'vandalism' }, limit: 10 })).items).toEqual([]);
      });

      it('moves the checkpoint with no documents changed', async () => {
        const { collection } = await given([]);
        await store.commit(collection, new Map(), { expected: 1n, next: 12n });
        expect(await store.checkpoint(collection)).toBe(12n);
      });

      it('refuses a stale checkpoint and writes nothing', async () => {
        const { projection, collection } = await given([incident('a', '2024-05-01T10:00:00.000Z')]);
        const stale = new Map([['a', incident('a', '2024-05-01T10:00:00.000Z', { category: 'drugs' })], ['z', incident('z', '2024-05-09T10:00:00.000Z')]]);
        const error = await rejection(store.commit(collection, stale, { expected: undefined, next: 2n }));
        expect(error).toBeInstanceOf(CheckpointConflictError);
        expect((error as CheckpointConflictError).actual).toBe(1n);
        expect(await rejection(store.commit(collection, stale, { expected: 0n, next: 2n }))).toBeInstanceOf(CheckpointConflictError);
        expect(await store.checkpoint(collection)).toBe(1n);
        expect((await store.get<StoredDocument>(projection, 'a'))?.category).toBe('vandalism');
        expect(await store.get(projection, 'z')).toBeUndefined();
      });

      it('refuses a commit to a collection that does not exist', async () => {
        const error = await rejection(store.commit(`${name()}@v1.1`, new Map(), { expected: undefined, next: 1n }));
        expect(error).toBeInstanceOf(Error);
      });

      it('refuses a document whose declared field has the wrong type, and writes nothing of the commit', async () => {
        const { projection, collection } = await given([]);
        const changes = new Map([
          ['fine', incident('fine', '2024-05-01T10:00:00.000Z')],
          ['bad', incident('bad', '2024-05-01T10:00:00.000Z', { score: 'high' })],
        ]);
        expect(await rejection(store.commit(collection, changes, { expected: 1n, next: 2n }))).toBeInstanceOf(SchemaError);
        expect(await store.get(projection, 'fine')).toBeUndefined();
        expect(await store.checkpoint(collection)).toBe(1n);
      });

      for (const indexed of [false, true]) {
        it(`writes new documents before the changes, which may replace or delete them (${indexed ? 'indexed' : 'filling, no index yet'})`, async () => {
          const { projection, collection } = await given([incident('a', '2024-05-01T10:00:00.000Z')], indexed);
          const at = (day: number) => `2024-05-${String(day).padStart(2, '0')}T10:00:00.000Z`;
          const added = { ids: ['b', 'c', 'd'], documents: [incident('b', at(2)), incident('c', at(3)), incident('d', at(4))] };
          const changes = new Map<string, StoredDocument | undefined>([
            ['c', incident('c', at(3), { category: 'graffiti' })],
            ['d', undefined],
            ['a', incident('a', at(1), { category: 'drugs' })],
          ]);
          await store.commit(collection, changes, { expected: 1n, next: 2n }, added);
          // A later commit changes a document that an earlier one wrote as new.
          await store.commit(collection, new Map([['b', incident('b', at(2), { category: 'robbery' })]]), { expected: 2n, next: 3n }, { ids: ['e'], documents: [incident('e', at(5))] });
          await store.index(collection);
          expect(await store.checkpoint(collection)).toBe(3n);
          const all = await store.getMany<StoredDocument>(projection, ['a', 'b', 'c', 'd', 'e']);
          expect(Object.fromEntries([...all].map(([id, document]) => [id, document.category]))).toEqual({ a: 'drugs', b: 'robbery', c: 'graffiti', e: 'vandalism' });
          // One row each, in the query's index too.
          const listed = await store.query<StoredDocument>(projection, { where: { municipalityId: 'danderyd' }, orderBy: { field: 'occurredAt' }, limit: 10 });
          expect(listed.items.map((d) => d.id)).toEqual(['a', 'b', 'c', 'e']);
        });
      }

      it('refuses a new document whose declared field has the wrong type, and writes nothing of the commit', async () => {
        const { projection, collection } = await given([], false);
        const added = { ids: ['fine', 'bad'], documents: [incident('fine', '2024-05-01T10:00:00.000Z'), incident('bad', '2024-05-01T10:00:00.000Z', { open: 'yes' })] };
        expect(await rejection(store.commit(collection, new Map(), { expected: 1n, next: 2n }, added))).toBeInstanceOf(SchemaError);
        expect(await store.get(projection, 'fine')).toBeUndefined();
        expect(await store.checkpoint(collection)).toBe(1n);
      });

      it('keeps positions beyond 2^53 exact', async () => {
        const { projection, collection } = await given([]);
        const far = 2n ** 60n + 1n;
        await store.commit(collection, new Map([['far', incident('far', '2024-05-01T10:00:00.000Z', { seq: far.toString() })]]), { expected: 1n, next: far });
        expect(await store.checkpoint(collection)).toBe(far);
        const page = await store.query(projection, { range: { field: 'seq', gte: far }, limit: 5 });
        expect(page.items.map((d) => d.id)).toEqual(['far']);
      });
    });

    describe('query', () => {
      const at = (day: number, hour = 12) => `2024-05-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;

      it('filters on equality and a range, ordered by the sort field then id, in both directions', async () => {
        const { projection } = await given([
          incident('i1', at(1)),
          incident('i2', at(3), { category: 'graffiti' }),
          incident('i3', at(3)),
          incident('i0', at(3)),
          incident('i4', at(5)),
          incident('i5', at(9)),
          incident('x1', at(3), { municipalityId: 'taby' }),
        ]);
        const base = { where: { municipalityId: 'danderyd' }, range: { field: 'occurredAt', gte: at(2, 0), lt: at(9, 0) } };
        const asc = await store.query(projection, { ...base, orderBy: { field: 'occurredAt' }, limit: 10 });
        expect(asc.items.map((d) => d.id)).toEqual(['i0', 'i2', 'i3', 'i4']);
        expect(asc.next).toBeNull();
        const desc = await store.query(projection, { ...base, orderBy: { field: 'occurredAt', direction: 'desc' }, limit: 10 });
        expect(desc.items.map((d) => d.id)).toEqual(['i4', 'i3', 'i2', 'i0']);
        const vandalism = await store.query(projection, { where: { municipalityId: 'danderyd', category: 'vandalism' }, orderBy: { field: 'occurredAt' }, limit: 10 });
        expect(vandalism.items.map((d) => d.id)).toEqual(['i1', 'i0', 'i3', 'i4', 'i5']);
        const inclusive = await store.query(projection, { range: { field: 'occurredAt', gt: at(1), lte: at(5) }, orderBy: { field: 'occurredAt' }, limit: 10 });
        expect(inclusive.items.map((d) => d.id)).toEqual(['i0', 'i2', 'i3', 'x1', 'i4']);
      });

      it('pages with a stable cursor: every item once, in order, whatever the page size', async () => {
        const documents = Array.from({ length: 23 }, (_, i) => incident(`d${String(i).padStart(2, '0')}`, at(1 + (i % 7), i % 3)));
        const { projection } = await given(documents);
        const full = await store.query(projection, { orderBy: { field: 'occurredAt', direction: 'desc' }, limit: 100 });
        for (const limit of [1, 4, 7, 23]) {
          const pages = await allPages(projection, { orderBy: { field: 'occurredAt', direction: 'desc' }, limit });
          expect(pages.flat()).toEqual(full.items.map((d) => d.id));
          expect(pages.at(-1)!.length).toBeGreaterThan(0);
          for (const page of pages) expect(page.length).toBeLessThanOrEqual(limit);
        }
        const byId = await allPages(projection, { limit: 5 });
        expect(byId.flat()).toEqual(documents.map((d) => d.id));
      });

      it('keeps a cursor valid while documents are added before and after it', async () => {
        const { projection, collection } = await given([incident('a', at(1)), incident('b', at(2)), incident('c', at(3)), incident('d', at(4))]);
        const query: DocumentQuery = { orderBy: { field: 'occurredAt' }, limit: 2 };
        const first = await store.query<StoredDocument>(projection, query);
        expect(first.items.map((d) => d.id)).toEqual(['a', 'b']);
        await store.commit(collection, new Map([['early', incident('early', at(1, 1))], ['late', incident('late', at(3, 13))]]), { expected: 1n, next: 2n });
        const rest = await allPages(projection, { ...query, after: first.next! });
        expect(rest.flat()).toEqual(['c', 'late', 'd']);
      });

      it('answers the same before its indexes exist, and indexes twice without harm', async () => {
        const documents = Array.from({ length: 9 }, (_, i) => incident(`u${i}`, at(1 + (i % 4)), { category: i % 2 ? 'graffiti' : 'vandalism' }));
        const query: DocumentQuery = { where: { municipalityId: 'danderyd', category: 'graffiti' }, orderBy: { field: 'occurredAt', direction: 'desc' }, limit: 3 };
        const { projection, collection } = await given(documents, false);
        const before = await allPages(projection, query);
        await store.index(collection);
        await store.index(collection);
        expect(await allPages(projection, query)).toEqual(before);
        expect(before.flat()).toHaveLength(4);
      });

      it('compares log positions as numbers, not as text', async () => {
        const { projection } = await given(
          ['9', '10', '100', '11', '2'].map((seq) => incident(`p${seq}`, at(1), { seq })),
        );
        const ordered = await store.query(projection, { where: { municipalityId: 'danderyd' }, orderBy: { field: 'seq' }, limit: 10 });
        expect(ordered.items.map((d) => d.seq)).toEqual(['2', '9', '10', '11', '100']);
        const paged = await allPages(projection, { orderBy: { field: 'seq', direction: 'desc' }, limit: 2 });
        expect(paged.flat()).toEqual(['p100', 'p11', 'p10', 'p9', 'p2']);
        const range = await store.query(projection, { range: { field: 'seq', gt: 9n, lt: 100n }, orderBy: { field: 'seq' }, limit: 10 });
        expect(range.items.map((d) => d.seq)).toEqual(['10', '11']);
      });

      it('matches null, numbers and booleans by equality', async () => {
        const { projection } = await given([
          incident('n1', at(1), { areaId: null, score: 2, open: true }),
          incident('n2', at(2), { score: 2.5, open: false }),
          incident('n3', at(3), { areaId: undefined, score: 10 }),
        ]);
        expect((await store.query(projection, { where: { areaId: null }, limit: 10 })).items.map((d) => d.id)).toEqual(['n1', 'n3']);
        expect((await store.query(projection, { where: { open: true }, limit: 10 })).items.map((d) => d.id)).toEqual(['n1']);
        expect((await store.query(projection, { where: { open: false }, limit: 10 })).items.map((d) => d.id)).toEqual(['n2']);
        expect((await store.query(projection, { range: { field: 'score', gte: 2.5 }, orderBy: { field: 'score' }, limit: 10 })).items.map((d) => d.id)).toEqual(['n2', 'n3']);
      });

      it('refuses a query on an undeclared field or with a value of the wrong type', async () => {
        const { projection } = await given([]);
        expect(await rejection(store.query(projection, { where: { source: 'police' }, limit: 1 }))).toBeInstanceOf(SchemaError);
        expect(await rejection(store.query(projection, { where: { seq: '5' }, limit: 1 }))).toBeInstanceOf(SchemaError);
        expect(await rejection(store.query(projection, { orderBy: { field: 'description' }, limit: 1 }))).toBeInstanceOf(SchemaError);
        expect(await rejection(store.query(projection, { limit: 0 }))).toBeInstanceOf(SchemaError);
      });
    });
  });
}
