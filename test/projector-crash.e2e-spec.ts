import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { allProjections, project } from '@app/projections';
import { appendSyntheticLog } from '@app/projections/projector/synthetic-log.testing.js';
import { type PageCursor, SqliteReadStore, type StoredDocument } from '@app/read-store';
import { buildProjector, type ProjectorProcess, startProjectorProcess } from './support/projector-process.js';

const EVENTS = 20_000;
const PROJECTIONS = allProjections({ situationPeriodAnchor: '2021-01-04', reportingTimeZone: 'Europe/Stockholm' }).length;

/**
 * The checkpoint of every live collection, read from the files as another process would (read-only,
 * so it never blocks the projector): the registry names them, each collection's file holds its own.
 */
function checkpoints(file: string): Map<string, bigint | null> {
  const found = new Map<string, bigint | null>();
  const read = <T>(path: string, query: (db: Database.Database) => T): T | undefined => {
    if (!existsSync(path)) return undefined;
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      return query(db);
    } catch {
      return undefined; // not created yet
    } finally {
      db?.close();
    }
  };
  const live = read(file, (db) => db.prepare('SELECT live FROM projections WHERE live IS NOT NULL').pluck().all() as string[]) ?? [];
  for (const collection of live) {
    const checkpoint = read(join(dirname(file), 'read.collections', `${collection}.sqlite`), (db) =>
      db.prepare('SELECT checkpoint FROM collections WHERE collection = ?').safeIntegers(true).pluck().get(collection) as bigint | null | undefined,
    );
    if (checkpoint !== undefined) found.set(collection, checkpoint);
  }
  return found;
}

/** How many documents the live collection of a projection holds, counted page by page. */
async function countOf(store: SqliteReadStore, projection: string): Promise<number> {
  let count = 0;
  let after: PageCursor | undefined;
  for (;;) {
    const page = await store.query<StoredDocument>(projection, { limit: 500, after });
    count += page.items.length;
    if (!page.next) return count;
    after = page.next;
  }
}

/**
 * The projector as a real process on a SQLite DATA_DIR that already holds 20,000 events, killed with
 * SIGKILL in the middle of its catch-up, then started again: its read models end identical, document
 * for document, to a fold of the whole log from zero.
 */
describe('projector crash recovery', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-projector-crash-'));
  const readFile = join(dataDir, 'read.sqlite');
  let projector: ProjectorProcess | undefined;

  beforeAll(async () => {
    buildProjector();
    const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    await appendSyntheticLog(store, EVENTS, { seed: 11 });
    await store.close();
  }, 60_000);
  afterAll(async () => {
    await projector?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes after a SIGKILL mid catch-up and ends equal to a rebuild from zero', async () => {
    // Committing every page, so that there are checkpoints part-way to kill between.
    const env = { DATA_DIR: dataDir, PROJECTOR_CATCH_UP_COMMIT_MS: '0' };
    const head = BigInt(EVENTS);

    // 1. Start, and kill it as soon as one projection has committed part of the log but not all.
    projector = startProjectorProcess(env);
    let atKill = new Map<string, bigint | null>();
    for (const deadline = Date.now() + 20_000; ; ) {
      atKill = checkpoints(readFile);
      const positions = [...atKill.values()].filter((p): p is bigint => p !== null);
      if (positions.some((p) => p > 0n && p < head)) break;
      if (positions.length === 4 && positions.every((p) => p >= head)) throw new Error('the catch-up ended before the kill; the test proved nothing');
      if (Date.now() > deadline) throw new Error(`no progress:\n${projector.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await projector.kill();
    const afterKill = checkpoints(readFile);
    // Killed in the middle: some projection had not reached the head.
    expect([...afterKill.values()].some((p) => p === null || p < head)).toBe(true);

    // 2. Start again and let it catch up.
    projector = startProjectorProcess(env);
    await projector.listening;
    for (const deadline = Date.now() + 30_000; ; ) {
      const now = checkpoints(readFile);
      if (now.size === PROJECTIONS && [...now.values()].every((p) => p === head)) break;
      if (Date.now() > deadline) throw new Error(`it did not catch up: ${JSON.stringify([...now].map(([c, p]) => `${c}@${p}`))}\n${projector.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await projector.stop();
    projector = undefined;

    // 3. Every read model, document for document, equals the fold of the whole log from zero.
    const events = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    const log = await events.readAll();
    await events.close();
    expect(log).toHaveLength(EVENTS);
    const reads = new SqliteReadStore({ file: readFile });
    try {
      for (const projection of allProjections({ situationPeriodAnchor: '2021-01-04', reportingTimeZone: 'Europe/Stockholm' })) {
        const expected = project(projection, log);
        // As many documents as the fold has, and each of them equal to the fold's.
        expect({ projection: projection.name, documents: await countOf(reads, projection.name) }).toEqual({ projection: projection.name, documents: expected.size });
        const stored = await reads.getMany<StoredDocument>(projection.name, [...expected.keys()]);
        for (const [id, document] of expected) {
          const actual = stored.get(id);
          if (JSON.stringify(actual) !== JSON.stringify(document)) {
            expect({ projection: projection.name, id, document: actual }).toEqual({ projection: projection.name, id, document: JSON.parse(JSON.stringify(document)) });
          }
        }
      }
    } finally {
      await reads.close();
    }
  }, 90_000);
});
