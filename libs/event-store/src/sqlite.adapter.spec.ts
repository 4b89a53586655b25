import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { eventStoreContract } from './event-store.contract.js';
import { SqliteEventStore } from './sqlite.adapter.js';

const dir = mkdtempSync(join(tmpdir(), 'samverkan-es-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

eventStoreContract('sqlite', async () => new SqliteEventStore({ file: join(dir, 'contract.sqlite') }));

describe('SqliteEventStore specifics', () => {
  const metadata = { actor: { id: 't', role: 't', organisation: 't' }, command: 'T', correlationId: 'c', causationId: 'c' };

  it('keeps what it acknowledged across a reopen of the file', async () => {
    const file = join(dir, 'reopen.sqlite');
    const first = new SqliteEventStore({ file });
    const result = await first.append('thing-1', [{ id: randomUUID(), type: 'T', data: { a: 1 }, metadata }], 'no_stream');
    await first.close();
    const second = new SqliteEventStore({ file });
    const events = await second.readStream('thing-1');
    expect(events).toHaveLength(1);
    expect(events[0].position).toBe(result.position);
    await second.close();
  });

  it('commits concurrent appends as one group, each checked on its own', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'group.sqlite') });
    const appends = Array.from({ length: 50 }, (_, i) =>
      store.append(`thing-${i % 10}`, [{ id: randomUUID(), type: 'T', data: { i }, metadata }], 'no_stream'),
    );
    const results = await Promise.allSettled(appends);
    // Ten streams: the first append to each wins, the four later ones with no_stream lose.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(await store.headPosition()).toBe(10n);
    await store.close();
  });

  it('delivers to a subscriber in another process by polling the file', async () => {
    const file = join(dir, 'poll.sqlite');
    const reader = new SqliteEventStore({ file, pollIntervalMs: 20 });
    const writer = new SqliteEventStore({ file });
    const subscription = reader.subscribeToAll();
    const received = (async () => {
      for await (const e of subscription) return e;
    })();
    await new Promise((resolve) => setTimeout(resolve, 30));
    // A second connection stands in for the other process: its commit never signals `reader`.
    await writer.append('thing-x', [{ id: randomUUID(), type: 'T', data: {}, metadata }], 'no_stream');
    const event = await received;
    expect(event?.stream).toBe('thing-x');
    await subscription.close();
    await writer.close();
    await reader.close();
  });

  it('migrates a file of the first layout (events keyed by stream name) on open, keeping positions and revisions', async () => {
    const file = join(dir, 'layout-1.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec(`CREATE TABLE events (
      position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL, revision INTEGER NOT NULL,
      type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at INTEGER NOT NULL, UNIQUE (stream, revision))`);
    const insert = old.prepare('INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    insert.run(ids[0], 'thing-b', 0, 'T', '{"n":0}', JSON.stringify(metadata), 1000);
    insert.run(ids[1], 'thing-a', 0, 'T', '{"n":1}', JSON.stringify(metadata), 2000);
    insert.run(ids[2], 'thing-b', 1, 'U', '{"n":2}', JSON.stringify(metadata), 3000);
    old.close();

    const store = new SqliteEventStore({ file });
    expect(await store.readAll()).toEqual([
      { id: ids[0], type: 'T', stream: 'thing-b', revision: 0n, position: 1n, data: { n: 0 }, metadata, recordedAt: new Date(1000) },
      { id: ids[1], type: 'T', stream: 'thing-a', revision: 0n, position: 2n, data: { n: 1 }, metadata, recordedAt: new Date(2000) },
      { id: ids[2], type: 'U', stream: 'thing-b', revision: 1n, position: 3n, data: { n: 2 }, metadata, recordedAt: new Date(3000) },
    ]);
    expect((await store.readStream('thing-b')).map((e) => e.id)).toEqual([ids[0], ids[2]]);
    // The migrated log goes on: expected revisions, duplicate ids and new streams as before.
    await expect(store.append('thing-b', [{ id: randomUUID(), type: 'T', data: {}, metadata }], 0n)).rejects.toThrow('expected 0');
    expect(await store.append('thing-b', [{ id: randomUUID(), type: 'T', data: {}, metadata }], 1n)).toEqual({ nextExpectedRevision: 2n, position: 4n });
    await expect(store.append('thing-c', [{ id: ids[1], type: 'T', data: {}, metadata }], 'no_stream')).rejects.toThrow(ids[1]);
    await store.close();
  });

  it('reads the metadata of an event of the log on first use, also after the store was closed', async () => {
    const file = join(dir, 'lazy-metadata.sqlite');
    const store = new SqliteEventStore({ file });
    const other = { ...metadata, command: 'Other', issuedAt: '2026-01-03T10:00:00.000Z' };
    await store.append('thing-1', [{ id: randomUUID(), type: 'T', data: { n: 0 }, metadata }], 'no_stream');
    await store.append('thing-2', [{ id: randomUUID(), type: 'T', data: { n: 1 }, metadata: other }], 'no_stream');
    const [first, second] = await store.readAll();
    const [live] = await store.readAll();
    expect(first.metadata).toEqual(metadata);
    // Read once, then kept.
    expect(first.metadata).toBe(first.metadata);
    await store.close();
    expect(second.metadata).toEqual(other);
    expect(Object.keys(second)).toEqual(['id', 'type', 'stream', 'revision', 'position', 'data', 'metadata', 'recordedAt']);
    // Assigned before it was read: the assigned value, and no read.
    live.metadata = other;
    expect(live.metadata).toBe(other);
  });

  it('reads the rest of an event of a lean page on first use, also after the store was closed', async () => {
    const file = join(dir, 'lean-pages.sqlite');
    const store = new SqliteEventStore({ file, clock: () => new Date(5000) });
    const ids = [randomUUID(), randomUUID()];
    await store.append('thing-1', [{ id: ids[0], type: 'T', data: { n: 0 }, metadata }], 'no_stream');
    await store.append('thing-2', [{ id: ids[1], type: 'U', data: { n: 1 }, metadata }], 'no_stream');
    const [first, second] = await store.readAll({ lean: true });
    // Lean indeed: until asked, an event holds only what the page read.
    expect(Object.keys(second).sort()).toEqual(['data', 'position', 'revision', 'type']);
    expect(first.stream).toBe('thing-1');
    await store.close();
    expect({ ...first }).toEqual({ id: ids[0], type: 'T', stream: 'thing-1', revision: 0n, position: 1n, data: { n: 0 }, metadata, recordedAt: new Date(5000) });
    expect(second.id).toBe(ids[1]);
    expect({ ...second }).toEqual({ id: ids[1], type: 'U', stream: 'thing-2', revision: 0n, position: 2n, data: { n: 1 }, metadata, recordedAt: new Date(5000) });
  });

  it('refuses a file of a newer layout, naming the file', () => {
    const file = join(dir, 'newer.sqlite');
    const newer = new Database(file);
    newer.pragma('user_version = 99');
    newer.close();
    expect(() => new SqliteEventStore({ file })).toThrow(`the event log ${file} has schema version 99, newer than this version`);
  });
});
