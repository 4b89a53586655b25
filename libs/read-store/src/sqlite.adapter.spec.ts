import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStoreContract } from './read-store.contract.js';
import { buildIndexes, SqliteReadStore } from './sqlite.adapter.js';

const dir = mkdtempSync(join(tmpdir(), 'samverkan-rs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The files this process has open, as the system names them (a deleted one ends in ` (deleted)`). */
const openFiles = () => readdirSync('/proc/self/fd').flatMap((fd) => {
  try {
    return [readlinkSync(join('/proc/self/fd', fd))];
  } catch {
    return [];
  }
});

readStoreContract('sqlite', async () => new SqliteReadStore({ file: join(dir, 'contract.sqlite') }));

describe('SqliteReadStore specifics', () => {
  const schema = { fields: { municipalityId: 'string', seq: 'position' }, indexes: [['municipalityId', 'seq']] } as const;

  it('stores checkpoints and position fields as INTEGER, and documents as JSON text', async () => {
    const file = join(dir, 'types.sqlite');
    const store = new SqliteReadStore({ file });
    const { live } = await store.startBuild('typed', 1, schema);
    await store.commit(live!.collection, new Map([['a', { id: 'a', municipalityId: 'danderyd', seq: '42' }]]), { expected: undefined, next: 42n });
    await store.index(live!.collection);
    const docs = store.fileOf(live!.collection);
    await store.close();
    const db = new Database(docs, { readonly: true });
    expect(db.prepare('SELECT typeof(checkpoint) FROM collections WHERE collection = ?').pluck().get(live!.collection)).toBe('integer');
    expect(db.prepare(`SELECT typeof("k:seq"), typeof(body) FROM "docs:${live!.collection}"`).raw().get()).toEqual(['integer', 'text']);
    // A declared string sits in its column only, and so does an id that is the key (the body's space
    // says so); a position's column is a copy of the text in the body.
    expect(db.prepare(`SELECT id, "k:municipalityId", body FROM "docs:${live!.collection}"`).raw().get()).toEqual(['a', 'danderyd', ' {"seq":"42"}']);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM "docs:${live!.collection}" WHERE "k:municipalityId" = ? ORDER BY "k:seq", id LIMIT 5`)
      .all('danderyd') as Array<{ detail: string }>;
    expect(plan.map((row) => row.detail).join(' ')).toMatch(/USING (COVERING )?INDEX/);
    db.close();
  });

  it('makes its files with pages of 16 KiB, and opens a file made with other pages as it is', async () => {
    const file = join(dir, 'pages.sqlite');
    const store = new SqliteReadStore({ file });
    const { live } = await store.startBuild('paged', 1, schema);
    const pageSize = (path: string) => {
      const db = new Database(path, { readonly: true });
      try {
        return db.pragma('page_size', { simple: true });
      } finally {
        db.close();
      }
    };
    expect(pageSize(file)).toBe(16384);
    expect(pageSize(store.fileOf(live!.collection))).toBe(16384);
    await store.close();

    // A registry made with SQLite's default pages (as before) keeps them, and the store works on it.
    const older = join(dir, 'older-pages.sqlite');
    const made = new Database(older);
    made.exec('CREATE TABLE t (x)');
    made.close();
    const reopened = new SqliteReadStore({ file: older });
    const built = await reopened.startBuild('paged', 1, schema);
    await reopened.commit(built.live!.collection, new Map([['a', { id: 'a', municipalityId: 'm', seq: '1' }]]), { expected: undefined, next: 1n });
    expect(pageSize(older)).toBe(4096);
    expect(await reopened.get('paged', 'a')).toMatchObject({ municipalityId: 'm' });
    await reopened.close();
  });

  it('reads a row with the whole document in its body, as rows were written before, and keeps ids and strings a column would change', async () => {
    const file = join(dir, 'layout.sqlite');
    const store = new SqliteReadStore({ file });
    const { live } = await store.startBuild('layout', 1, schema);
    const collection = live!.collection;
    const broken = { id: 'b', municipalityId: 'lone \ud800 surrogate', seq: '2' };
    const without = { municipalityId: 'taby', seq: '3' };
    const other = { id: 'not-d', municipalityId: 'taby', seq: '4' };
    await store.commit(collection, new Map([['b', broken], ['c', without], ['d', other]]), { expected: undefined, next: 2n });
    const db = new Database(store.fileOf(collection));
    const whole = { id: 'a', seq: '1', municipalityId: 'danderyd', nested: { x: [1, null] } };
    db.prepare(`INSERT INTO "docs:${collection}" (id, body, "k:municipalityId", "k:seq") VALUES ('a', ?, 'danderyd', 1)`).run(JSON.stringify(whole));
    db.close();
    await store.index(collection);
    expect(await store.get('layout', 'a')).toEqual(whole);
    expect(await store.get('layout', 'b')).toEqual(broken);
    expect(await store.getMany('layout', ['c', 'd'])).toEqual(new Map<string, unknown>([['c', without], ['d', other]]));
    const page = await store.query('layout', { where: { municipalityId: 'danderyd' }, orderBy: { field: 'seq' }, limit: 5 });
    expect(page.items).toEqual([whole]);
    await store.close();
  });

  it('deletes the file of the replaced collection in the switch, and keeps what it committed across a reopen', async () => {
    const file = join(dir, 'switch.sqlite');
    const store = new SqliteReadStore({ file });
    const first = await store.startBuild('switching', 1, schema);
    const second = await store.startBuild('switching', 1, schema);
    const files = [store.fileOf(first.live!.collection), store.fileOf(second.building!.collection)];
    expect(files.map((f) => existsSync(f))).toEqual([true, true]);
    await store.commit(second.building!.collection, new Map([['b', { id: 'b', municipalityId: 'x', seq: '3' }]]), { expected: undefined, next: 3n });
    await store.promote('switching', second.building!.collection);
    expect(files.map((f) => existsSync(f))).toEqual([false, true]);
    await store.close();

    const reopened = new SqliteReadStore({ file });
    expect(await reopened.checkpoint(first.live!.collection)).toBeUndefined();
    expect(await reopened.checkpoint(second.building!.collection)).toBe(3n);
    expect(await reopened.get('switching', 'b')).toEqual({ id: 'b', municipalityId: 'x', seq: '3' });
    await reopened.close();
    expect(readdirSync(join(dir, 'switch.collections'))).toEqual([`${second.building!.collection}.sqlite`]);
  });

  it('lets a reader in another connection finish its snapshot while the switch drops the old table', async () => {
    const file = join(dir, 'snapshot.sqlite');
    const writer = new SqliteReadStore({ file });
    const reader = new SqliteReadStore({ file });
    const first = await writer.startBuild('snap', 1, schema);
    await writer.commit(first.live!.collection, new Map([['a', { id: 'a', municipalityId: 'x', seq: '1' }]]), { expected: undefined, next: 1n });
    const second = await writer.startBuild('snap', 1, schema);
    await writer.commit(second.building!.collection, new Map([['a', { id: 'a', municipalityId: 'x', seq: '2' }]]), { expected: undefined, next: 2n });
    expect(await reader.get('snap', 'a')).toEqual({ id: 'a', municipalityId: 'x', seq: '1' });
    const replaced = writer.fileOf(first.live!.collection);
    expect(openFiles()).toContain(replaced);
    await writer.promote('snap', second.building!.collection);
    // Deleted, and still open in the reader, which reads on from it until it sees the switch.
    expect(existsSync(replaced)).toBe(false);
    expect(await reader.liveCheckpoint('snap')).toEqual({ collection: second.building!.collection, checkpoint: 2n });
    expect(await reader.get('snap', 'a')).toEqual({ id: 'a', municipalityId: 'x', seq: '2' });
    // Having seen it, the reader let go of the deleted file, so its disk space is free again.
    expect(openFiles().filter((f) => f.startsWith(replaced))).toEqual([]);
    await reader.close();
    await writer.close();
  });

  it('commits to one collection while a writer holds the file of another (a file each)', async () => {
    const file = join(dir, 'apart.sqlite');
    const store = new SqliteReadStore({ file });
    const one = (await store.startBuild('apart-one', 1, schema)).live!.collection;
    const two = (await store.startBuild('apart-two', 1, schema)).live!.collection;
    // Another writer (an index build, say) holds the write lock of the first collection's file.
    const holder = new Database(store.fileOf(one));
    holder.exec('BEGIN IMMEDIATE');
    try {
      await store.commit(two, new Map([['a', { id: 'a', municipalityId: 'x', seq: '1' }]]), { expected: undefined, next: 1n });
      expect(await store.checkpoint(two)).toBe(1n);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    await store.commit(one, new Map([['b', { id: 'b', municipalityId: 'y', seq: '1' }]]), { expected: undefined, next: 1n });
    expect(await store.get('apart-one', 'b')).toEqual({ id: 'b', municipalityId: 'y', seq: '1' });
    await store.close();
  });

  it('reads and writes a collection kept as a table in the registry file (the earlier layout) until a rebuild replaces it', async () => {
    const file = join(dir, 'earlier.sqlite');
    const collection = 'earlier@v1.1';
    // The file as the adapter wrote it before collections had files of their own.
    const db = new Database(file);
    db.exec(`
      CREATE TABLE projections (name TEXT PRIMARY KEY, live TEXT, live_version INTEGER, building TEXT, building_version INTEGER, generation INTEGER NOT NULL);
      CREATE TABLE collections (collection TEXT PRIMARY KEY, schema TEXT NOT NULL, checkpoint INTEGER);
      CREATE TABLE "docs:${collection}" (id TEXT NOT NULL, body TEXT NOT NULL, "k:municipalityId", "k:seq");
      CREATE UNIQUE INDEX "id:${collection}" ON "docs:${collection}" (id);`);
    db.prepare("INSERT INTO projections VALUES ('earlier', ?, 1, NULL, NULL, 1)").run(collection);
    db.prepare('INSERT INTO collections VALUES (?, ?, 7)').run(collection, JSON.stringify(schema));
    db.prepare(`INSERT INTO "docs:${collection}" VALUES ('a', ' {"seq":"7"}', 'x', 7)`).run();
    db.close();

    const store = new SqliteReadStore({ file });
    await store.prepare(collection, schema);
    expect(store.fileOf(collection)).toBe(file);
    expect(await store.get('earlier', 'a')).toEqual({ id: 'a', municipalityId: 'x', seq: '7' });
    await store.commit(collection, new Map([['b', { id: 'b', municipalityId: 'x', seq: '8' }]]), { expected: 7n, next: 8n });
    expect((await store.query('earlier', { where: { municipalityId: 'x' }, orderBy: { field: 'seq' }, limit: 5 })).items.map((d) => d.id)).toEqual(['a', 'b']);

    const { building } = await store.startBuild('earlier', 2, schema);
    expect(store.fileOf(building!.collection)).toBe(join(dir, 'earlier.collections', `${building!.collection}.sqlite`));
    await store.commit(building!.collection, new Map([['c', { id: 'c', municipalityId: 'x', seq: '9' }]]), { expected: undefined, next: 9n });
    await store.promote('earlier', building!.collection);
    expect(await store.get('earlier', 'c')).toEqual({ id: 'c', municipalityId: 'x', seq: '9' });
    await store.close();
    const after = new Database(file, { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%docs:%'").pluck().all()).toEqual([]);
    expect(after.prepare('SELECT count(*) FROM collections').pluck().get()).toBe(0);
    after.close();
  });
});

describe('SqliteReadStore: a new collection is filled without its id index', () => {
  const schema = { fields: { municipalityId: 'string' }, indexes: [['municipalityId']] } as const;
  const indexesOf = (file: string) => {
    const db = new Database(file, { readonly: true });
    const [collection] = db.prepare('SELECT collection FROM collections').pluck().all() as string[];
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?").pluck().all(`docs:${collection}`);
    const rows = db.prepare(`SELECT count(*) FROM "docs:${collection}"`).pluck().get();
    db.close();
    return { names, rows };
  };
  const doc = (id: string, municipalityId = 'danderyd') => ({ id, municipalityId, lastPosition: '1' });

  it('finds, updates and deletes documents by row id until index() builds the id and query indexes', async () => {
    const file = join(dir, 'rowids.sqlite');
    const store = new SqliteReadStore({ file });
    const { live } = await store.startBuild('rows', 1, schema);
    const collection = live!.collection;
    await store.commit(collection, new Map([['a', doc('a')], ['b', doc('b')], ['c', doc('c')]]), { expected: undefined, next: 1n });
    expect(indexesOf(store.fileOf(collection)).names).toEqual([]);
    await store.commit(collection, new Map([['a', doc('a', 'taby')], ['b', undefined], ['d', doc('d')]]), { expected: 1n, next: 2n });
    expect([...(await store.load(collection, ['a', 'b', 'c', 'd', 'x'])).entries()]).toEqual([
      ['a', doc('a', 'taby')],
      ['c', doc('c')],
      ['d', doc('d')],
    ]);
    expect(await store.get('rows', 'a')).toEqual(doc('a', 'taby'));
    expect((await store.query('rows', { where: { municipalityId: 'danderyd' }, limit: 10 })).items.map((d) => d.id)).toEqual(['c', 'd']);

    await store.index(collection);
    expect(indexesOf(store.fileOf(collection)).names).toEqual([`id:${collection}`, `ix:${collection}:0`]);
    // After the index: by id, as any other collection.
    await store.commit(collection, new Map([['c', undefined], ['e', doc('e')], ['a', doc('a')]]), { expected: 2n, next: 3n });
    expect([...(await store.load(collection, ['a', 'c', 'd', 'e'])).keys()]).toEqual(['a', 'd', 'e']);
    expect(indexesOf(store.fileOf(collection)).rows).toBe(3);
    await store.close();
  });

  it('inserts many documents in one commit, in statements of several rows, and finds each by its row id', async () => {
    const file = join(dir, 'rowids-many.sqlite');
    const store = new SqliteReadStore({ file });
    const { live } = await store.startBuild('many', 1, schema);
    const collection = live!.collection;
    const ids = Array.from({ length: 75 }, (_, i) => `d${String(i).padStart(2, '0')}`);
    await store.commit(collection, new Map(ids.map((id) => [id, doc(id)])), { expected: undefined, next: 1n });
    // Updates, deletes and inserts mixed: the row ids handed out follow the ones already there.
    const changes = new Map<string, Record<string, unknown> | undefined>([['d74', undefined], ['d00', doc('d00', 'taby')]]);
    for (let i = 75; i < 110; i++) changes.set(`d${i}`, doc(`d${i}`, 'vaxholm'));
    await store.commit(collection, changes, { expected: 1n, next: 2n });
    const loaded = await store.load(collection, [...ids, ...changes.keys()]);
    expect(loaded.size).toBe(109);
    expect(loaded.get('d00')).toEqual(doc('d00', 'taby'));
    expect(loaded.get('d73')).toEqual(doc('d73'));
    expect(loaded.get('d109')).toEqual(doc('d109', 'vaxholm'));
    await store.index(collection);
    expect(indexesOf(store.fileOf(collection)).rows).toBe(109);
    expect((await store.query('many', { where: { municipalityId: 'vaxholm' }, limit: 100 })).items.map((d) => d.id)).toEqual([...changes.keys()].slice(2).sort());
    await store.close();
  });

  it('forgets nothing that did not commit: a commit that fails half-way leaves no row ids behind', async () => {
    const file = join(dir, 'rowids-rollback.sqlite');
    const store = new SqliteReadStore({ file });
    const { live } = await store.startBuild('rollback', 1, schema);
    const collection = live!.collection;
    // The second document breaks the schema after the first was inserted: the transaction rolls back.
    const bad = new Map<string, Record<string, unknown>>([['a', doc('a')], ['b', { id: 'b', municipalityId: 42 }]]);
    await expect(store.commit(collection, bad, { expected: undefined, next: 1n })).rejects.toThrow(/municipalityId/);
    expect(await store.checkpoint(collection)).toBeUndefined();
    await store.commit(collection, new Map([['a', doc('a')]]), { expected: undefined, next: 1n });
    await store.commit(collection, new Map([['a', doc('a', 'taby')]]), { expected: 1n, next: 2n });
    expect(indexesOf(store.fileOf(collection)).rows).toBe(1);
    expect(await store.get('rollback', 'a')).toEqual(doc('a', 'taby'));
    await store.close();
  });

  it('builds the id index when the collection is reopened, or when another writer moved its checkpoint', async () => {
    const file = join(dir, 'rowids-writers.sqlite');
    const one = new SqliteReadStore({ file });
    const { live } = await one.startBuild('writers', 1, schema);
    const collection = live!.collection;
    await one.commit(collection, new Map([['a', doc('a')]]), { expected: undefined, next: 1n });

    // Another process opens it (a restart, or a second projector by mistake): it gets the id index.
    const two = new SqliteReadStore({ file });
    await two.prepare(collection, schema);
    expect(indexesOf(one.fileOf(collection)).names).toEqual([`id:${collection}`]);
    await two.commit(collection, new Map([['a', doc('a', 'taby')], ['b', doc('b')]]), { expected: 1n, next: 2n });

    // The first writer's view is stale: its commit is refused, and from then on it goes by id.
    await expect(one.commit(collection, new Map([['b', doc('b', 'vaxholm')]]), { expected: 1n, next: 3n })).rejects.toThrow(/checkpoint/);
    await one.commit(collection, new Map([['b', doc('b', 'vaxholm')], ['c', doc('c')]]), { expected: 2n, next: 3n });
    expect(indexesOf(one.fileOf(collection)).rows).toBe(3);
    expect([...(await one.load(collection, ['a', 'b', 'c'])).values()]).toEqual([doc('a', 'taby'), doc('b', 'vaxholm'), doc('c')]);
    await one.close();
    await two.close();
  });

  it('keeps the commits of a new collection in its WAL until index(); the first commit after it folds them into the file', async () => {
    // A checkpoint after every 2 pages of WAL, so that a few commits would make one.
    const store = new SqliteReadStore({ file: join(dir, 'folding.sqlite'), checkpointPages: 2 });
    const { live } = await store.startBuild('folding', 1, schema);
    const collection = live!.collection;
    const file = store.fileOf(collection);
    const sizes = () => ({ file: statSync(file).size, wal: statSync(`${file}-wal`).size });
    const made = sizes();
    const page = (n: number) => new Map(Array.from({ length: 100 }, (_, i) => [`p${n}-${i}`, { ...doc(`p${n}-${i}`), note: 'x'.repeat(400) }]));
    for (let n = 0; n < 4; n++) await store.commit(collection, page(n), { expected: n === 0 ? undefined : BigInt(n), next: BigInt(n + 1) });
    // Some 27 pages of WAL, and the file as it was made.
    expect(sizes().file).toBe(made.file);
    expect(sizes().wal).toBeGreaterThan(20 * 16384);

    await store.index(collection);
    expect(sizes().file).toBe(made.file);
    await store.commit(collection, page(4), { expected: 4n, next: 5n });
    expect(sizes().file).toBeGreaterThan(20 * 16384);
    expect((await store.load(collection, ['p0-0', 'p4-99'])).size).toBe(2);
    await store.close();
  });

  it('builds indexes with a small cache, temporary files and a sorter thread, and gives the connection its own settings back, also when a build fails', () => {
    const db = new Database(join(dir, 'sorting.sqlite'));
    db.pragma('cache_size = -131072');
    db.pragma('temp_store = MEMORY');
    db.exec('CREATE TABLE t (k TEXT)');
    db.prepare('INSERT INTO t (k) SELECT printf(\'k%06d\', value) FROM json_each(?)').run(JSON.stringify(Array.from({ length: 2000 }, (_, i) => (i * 7919) % 2000)));
    const settings = () => ({
      cache: db.pragma('cache_size', { simple: true }),
      temp: db.pragma('temp_store', { simple: true }),
      threads: db.pragma('threads', { simple: true }),
    });
    let during: ReturnType<typeof settings> | undefined;
    buildIndexes(db, () => {
      during = settings();
      db.exec('CREATE INDEX ix ON t (k)');
    });
    // temp 1: FILE. The sorted runs are files of SQLite's temporary directory, read back as the runs merge.
    expect(during).toEqual({ cache: -4096, temp: 1, threads: 1 });
    expect(settings()).toEqual({ cache: -131072, temp: 2, threads: 0 });
    expect(db.prepare('SELECT k FROM t INDEXED BY ix ORDER BY k LIMIT 2').pluck().all()).toEqual(['k000000', 'k000001']);

    // A failed build rolls back (no index) and restores the settings too.
    expect(() =>
      buildIndexes(db, () => {
        db.exec('CREATE INDEX other ON t (k DESC)');
        db.exec('CREATE UNIQUE INDEX one ON t (substr(k, 1, 1))');
      }),
    ).toThrow(/UNIQUE/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all()).toEqual(['ix']);
    expect(settings()).toEqual({ cache: -131072, temp: 2, threads: 0 });
    db.close();
  });
});
