import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStoreContract } from './read-store.contract.js';
import { SqliteReadStore } from './sqlite.adapter.js';

const dir = mkdtempSync(join(tmpdir(), 'samverkan-rs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

readStoreContract('sqlite', async () => new SqliteReadStore({ file: join(dir, 'contract.sqlite') }));

describe('SqliteReadStore specifics', () => {
  const schema = { fields: { municipalityId: 'string', seq: 'position' }, indexes: [['municipalityId', 'seq']] } as const;

  it('stores checkpoints and position fields as INTEGER, and documents as JSON text', async () => {
    const file = join(dir, 'types.sqlite');
    const store = new SqliteReadStore({ file });
    const { live } = await store.startBuild('typed', 1, schema);
    await store.commit(live!.collection, new Map([['a', { id: 'a', municipalityId: 'danderyd', seq: '42' }]]), { expected: undefined, next: 42n });
    await store.index(live!.collection);
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT typeof(checkpoint) FROM collections WHERE collection = ?').pluck().get(live!.collection)).toBe('integer');
    expect(db.prepare(`SELECT typeof("k:seq"), typeof(body) FROM "docs:${live!.collection}"`).raw().get()).toEqual(['integer', 'text']);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM "docs:${live!.collection}" WHERE "k:municipalityId" = ? ORDER BY "k:seq", id LIMIT 5`)
      .all('danderyd') as Array<{ detail: string }>;
    expect(plan.map((row) => row.detail).join(' ')).toMatch(/USING (COVERING )?INDEX/);
    db.close();
  });

  it('drops the replaced table in the switch, and keeps what it committed across a reopen', async () => {
    const file = join(dir, 'switch.sqlite');
    const store = new SqliteReadStore({ file });
    const first = await store.startBuild('switching', 1, schema);
    const second = await store.startBuild('switching', 1, schema);
    await store.commit(second.building!.collection, new Map([['b', { id: 'b', municipalityId: 'x', seq: '3' }]]), { expected: undefined, next: 3n });
    await store.promote('switching', second.building!.collection);
    await store.close();

    const reopened = new SqliteReadStore({ file });
    expect(await reopened.checkpoint(first.live!.collection)).toBeUndefined();
    expect(await reopened.checkpoint(second.building!.collection)).toBe(3n);
    expect(await reopened.get('switching', 'b')).toEqual({ id: 'b', municipalityId: 'x', seq: '3' });
    await reopened.close();
    const db = new Database(file, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'docs:switching%'").pluck().all();
    expect(tables).toEqual([`docs:${second.building!.collection}`]);
    db.close();
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
    await writer.promote('snap', second.building!.collection);
    expect(await reader.get('snap', 'a')).toEqual({ id: 'a', municipalityId: 'x', seq: '2' });
    await reader.close();
    await writer.close();
  });
});
