import type Database from 'better-sqlite3';

/**
 * The layout of the SQLite log, kept in `PRAGMA user_version`.
 *
 * 1 (user_version 0, the first release): `events` keyed by the stream's name, `UNIQUE (stream, revision)`.
 * 2: stream names in `streams`, mapped to a small integer key; events keyed `(stream_key, revision)`.
 *    The index over streams and revisions holds two integers per event instead of the name, so it
 *    is several times smaller and each commit writes fewer and emptier index pages into the WAL.
 */
export const SCHEMA_VERSION = 2;

const CREATE = `
CREATE TABLE streams (
  key  INTEGER PRIMARY KEY,
  name TEXT    NOT NULL UNIQUE
);
CREATE TABLE events (
  position    INTEGER PRIMARY KEY,
  id          TEXT    NOT NULL UNIQUE,
  stream_key  INTEGER NOT NULL REFERENCES streams (key),
  revision    INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at INTEGER NOT NULL,
  UNIQUE (stream_key, revision)
);`;

/**
 * Creates the schema in an empty file, migrates a file of layout 1 in place (one transaction, so a
 * crash during it leaves the old layout intact), and refuses a file written by a newer version.
 * Runs under the write lock, so two processes opening one file do not both migrate it.
 */
export function prepareSchema(db: Database.Database, file: string): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() === SCHEMA_VERSION) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    const found = version();
    if (found === SCHEMA_VERSION) {
      // Another process got there first.
    } else if (found > SCHEMA_VERSION) {
      throw new Error(
        `the event log ${file} has schema version ${found}, newer than this version of Samverkan understands (${SCHEMA_VERSION}); run a newer version, or restore a backup made before the upgrade`,
      );
    } else if (found === 0 && hasTable(db, 'events')) {
      migrateFromVersion1(db, file);
    } else if (found === 0 && !hasTable(db, 'streams')) {
      db.exec(CREATE);
    } else {
      throw new Error(`the event log ${file} has schema version ${found} and tables this version does not know; it is not a Samverkan event log`);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/** Layout 1 to 2: every position, id and revision kept; streams numbered in order of their first event. */
function migrateFromVersion1(db: Database.Database, file: string): void {
  const columns = (db.prepare(`SELECT name FROM pragma_table_info('events')`).pluck().all() as string[]).sort().join(',');
  if (columns !== 'data,id,metadata,position,recorded_at,revision,stream,type') {
    throw new Error(`the event log ${file} has an events table with unexpected columns (${columns}); it is not a Samverkan event log`);
  }
  db.exec(`
    ALTER TABLE events RENAME TO events_v1;
    ${CREATE}
    INSERT INTO streams (name) SELECT stream FROM events_v1 GROUP BY stream ORDER BY min(position);
    INSERT INTO events (position, id, stream_key, revision, type, data, metadata, recorded_at)
      SELECT e.position, e.id, s.key, e.revision, e.type, e.data, e.metadata, e.recorded_at
      FROM events_v1 e JOIN streams s ON s.name = e.stream ORDER BY e.position;
    DROP TABLE events_v1;
  `);
}
