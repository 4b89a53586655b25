import Database from 'better-sqlite3';
import { closeSync, existsSync, fdatasync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { type AppendLookup, planAppend } from './append-plan.js';
import { prepareSchema } from './sqlite-schema.js';
import { type EventDetails, LeanEvents, MetadataByPosition, StoredEvent } from './stored-event.js';
import { CatchUpSubscription, LogSignal } from './catch-up-subscription.js';
import {
  type AppendResult,
  DuplicateEventIdError,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type LogFilter,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from './event-store.port.js';

export interface SqliteEventStoreOptions {
  /** Path of the database file. */
  file: string;
  /** How often a subscriber looks for events appended by another process. */
  pollIntervalMs?: number;
  clock?: () => Date;
}

/** A row in `COLUMNS` order; read as an array (better-sqlite3 raw mode), which is cheaper than an object per row. */
type Row = [position: number, id: string, stream: string, revision: number, type: string, data: string, recordedAt: number];
/** A row of a lean page: `LEAN_COLUMNS` order. */
type LeanRow = [position: number, revision: number, type: string, data: string];
/** The rest of a lean page's event: `DETAILS_AT` order. */
type DetailsRow = [id: string, stream: string, metadata: string, recordedAt: number];
/** A row of one stream, whose name the reader already knows: `STREAM_COLUMNS` order. */
type StreamRow = [position: number, id: string, revision: number, type: string, data: string, metadata: string, recordedAt: number];

interface PendingAppend {
  stream: string;
  events: readonly EventToAppend[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: AppendResult } | { error: unknown };

/** Committed, waiting for the WAL sync that makes it durable. */
interface Unsynced {
  request: PendingAppend;
  outcome: Outcome;
}

/**
 * The log's columns, the stream's name joined by its key (an integer primary key: one B-tree step a
 * row). A cache of names by key does no better on a log of many short streams, where most names are
 * read once. Not the metadata: an event of a page reads it when it is first asked for (`MetadataByPosition`).
 */
const COLUMNS = 'e.position, e.id, s.name, e.revision, e.type, e.data, e.recorded_at';
const LOG = 'events e JOIN streams s ON s.key = e.stream_key';
const STREAM_COLUMNS = 'position, id, revision, type, data, metadata, recorded_at';
const METADATA_AT = 'SELECT metadata FROM events WHERE position = ?';
/**
 * A lean page (`ReadAllOptions.lean`) reads only what the projector looks at in nearly every event:
 * no id, no stream name (and so no join), no time; each projector thread reads the whole log, so
 * this is a good part of a rebuild (bench/README, sixth round). The rest is read by position for
 * the events asked for it (`DETAILS_AT`).
 */
const LEAN_COLUMNS = 'e.position, e.revision, e.type, e.data';
const DETAILS_AT = 'SELECT e.id, s.name, e.metadata, e.recorded_at FROM events e JOIN streams s ON s.key = e.stream_key WHERE e.position = ?';

/**
 * The embedded default: the log in one SQLite file with a write-ahead log (WAL).
 *
 * Durability: an append is acknowledged only after the WAL holding it has been fdatasync'ed, the
 * guarantee of `synchronous=FULL`. The fsync is not made inside COMMIT (that would block the event
 * loop for the whole disk flush) but right after it, on libuv's thread pool: SQLite runs with
 * `synchronous=NORMAL` (commits write the WAL, checkpoints sync it and the database file), and the
 * adapter syncs the WAL itself before it settles any append of the commit. While one sync is in
 * flight the next groups commit, and one sync settles them all.
 *
 * Visibility: a committed event is not shown to log readers (readAll, subscriptions, headPosition)
 * until it is durable, so no read model can get ahead of what a power loss would leave. The durable
 * position is kept in memory and in a small side file (`<file>-durable`, written after each sync), so
 * that readers in other processes see the same watermark. readStream, which command handlers use to
 * decide, reads everything committed: a decision on an event that a power loss takes away is taken
 * away with it, because the WAL is only ever durable as a prefix.
 *
 * Group commit: appends wait for the next turn of the event loop and are written together in one
 * transaction. Each append is checked against its expected revision inside that transaction, in
 * arrival order, and fails or succeeds alone.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly signal = new LogSignal();
  private readonly clock: () => Date;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private unsynced: Unsynced[] = [];
  /** The highest position committed by this process and not yet known durable. */
  private committedUpTo = 0n;
  private syncing: Promise<void> | undefined;
  /** Set when a sync failed: nothing written after it can be trusted, so the store refuses appends. */
  private failure: Error | undefined;
  private durable = 0n;
  private readonly walFd: number;
  private readonly watermarkFd: number;
  private readonly watermark = Buffer.alloc(8);
  private readonly statements;
  private readonly filteredPages = new Map<string, Database.Statement>();
  private readonly lookup: AppendLookup;
  private readonly loggedMetadata = new MetadataByPosition((position) => this.metadataAt(position));
  private readonly leanEvents = new LeanEvents((position) => this.detailsAt(position));
  /**
   * The stream of the append being applied and its key, looked up once for the plan and the insert.
   * Valid only inside that append's transaction (a rollback or another process may change it), so
   * every append starts without it.
   */
  private lastKeyed: { name: string; key: number | undefined } = { name: '', key: undefined };

  constructor(private readonly options: SqliteEventStoreOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL: commits do not sync, checkpoints do; the adapter syncs the WAL before acknowledging.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // Reads of a large log go through memory mapping and a 64 MiB page cache instead of a read() per page.
    this.db.pragma('mmap_size = 1073741824');
    this.db.pragma('cache_size = -65536');
    // A checkpoint runs inside a commit, on the event loop, and syncs two files: every 4,000 pages
    // (16 MiB of WAL) rather than SQLite's 1,000, so there are a quarter as many, each copying
    // fewer pages per event because the index pages a WAL holds many times are copied once.
    this.db.pragma('wal_autocheckpoint = 4000');
    prepareSchema(this.db, options.file);
    // Everything already in the file is made durable before it is shown (it may come from a process
    // that died between its commit and its sync), and the directory entries of the files with it.
    this.db.prepare('SELECT count(*) FROM sqlite_master').get(); // opens the WAL file
    this.walFd = openSync(`${options.file}-wal`, 'r+');
    fsyncSync(this.walFd);
    const directory = openSync(dirname(options.file), 'r');
    fsyncSync(directory);
    closeSync(directory);
    this.watermarkFd = openSync(`${options.file}-durable`, existsSync(`${options.file}-durable`) ? 'r+' : 'w+');
    this.clock = options.clock ?? (() => new Date());
    this.statements = {
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      commit: this.db.prepare('COMMIT'),
      insert: this.db.prepare(
        'INSERT INTO events (id, stream_key, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      undo: this.db.prepare('DELETE FROM events WHERE position >= ?'),
      newStream: this.db.prepare('INSERT INTO streams (name) VALUES (?)'),
      dropStream: this.db.prepare('DELETE FROM streams WHERE key = ?'),
      streamKey: this.db.prepare('SELECT key FROM streams WHERE name = ?').pluck(),
      findById: this.db.prepare('SELECT s.name, e.revision, e.position FROM events e JOIN streams s ON s.key = e.stream_key WHERE e.id = ?').raw(),
      eventAt: this.db.prepare('SELECT id, position FROM events WHERE stream_key = ? AND revision = ?').raw(),
      streamRevision: this.db.prepare('SELECT max(revision) FROM events WHERE stream_key = ?').pluck(),
      forwards: this.db
        .prepare(`SELECT ${STREAM_COLUMNS} FROM events WHERE stream_key = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`)
        .raw(),
      backwards: this.db
        .prepare(`SELECT ${STREAM_COLUMNS} FROM events WHERE stream_key = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`)
        .raw(),
      page: this.db.prepare(`SELECT ${COLUMNS} FROM ${LOG} WHERE e.position > ? AND e.position <= ? ORDER BY e.position ASC LIMIT ?`).raw(),
      leanPage: this.db.prepare(`SELECT ${LEAN_COLUMNS} FROM events e WHERE e.position > ? AND e.position <= ? ORDER BY e.position ASC LIMIT ?`).raw(),
      head: this.db.prepare('SELECT max(position) FROM events').pluck(),
      metadataAt: this.db.prepare(METADATA_AT).pluck(),
      detailsAt: this.db.prepare(DETAILS_AT).raw(),
    };
    const { findById, eventAt, streamRevision } = this.statements;
    this.lookup = {
      findEvent: (id) => {
        const row = findById.get(id) as [stream: string, revision: number, position: number] | undefined;
        return row && { stream: row[0], revision: BigInt(row[1]), position: BigInt(row[2]) };
      },
      eventAt: (stream, revision) => {
        const key = this.keyOf(stream);
        const row = key === undefined ? undefined : (eventAt.get(key, revision) as [id: string, position: number] | undefined);
        return row && { id: row[0], position: BigInt(row[1]) };
      },
      streamRevision: (stream) => {
        const key = this.keyOf(stream);
        const revision = key === undefined ? null : (streamRevision.get(key) as number | null);
        return revision === null ? undefined : BigInt(revision);
      },
    };
    // Everything in the file is durable now; a watermark left by an earlier file of that name is not.
    const head = this.statements.head.get() as number | null;
    this.durable = head === null ? 0n : BigInt(head);
    this.writeWatermark();
  }

  append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('the event store is closed'));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ stream, events, expected, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: AppendResult } | { error: unknown }> = [];
    try {
      this.statements.begin.run();
      try {
        const recordedAt = this.clock().getTime();
        for (const request of batch) outcomes.push(this.applyOne(request, recordedAt));
        this.statements.commit.run();
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } catch (error) {
      for (const request of batch) request.reject(error);
      return;
    }
    batch.forEach((request, i) => {
      const outcome = outcomes[i];
      if ('ok' in outcome && outcome.ok.position > this.committedUpTo) this.committedUpTo = outcome.ok.position;
      this.unsynced.push({ request, outcome });
    });
    void this.sync();
  };

  /** Syncs the WAL on the thread pool, then settles every append committed before the sync began. */
  private sync(): Promise<void> {
    if (this.syncing || this.unsynced.length === 0) return this.syncing ?? Promise.resolve();
    const settling = this.unsynced;
    const upTo = this.committedUpTo;
    this.unsynced = [];
    this.syncing = new Promise<void>((done) =>
      fdatasync(this.walFd, (error) => {
        this.syncing = undefined;
        if (error) {
          this.failure = new Error(`the event log could not be synced to disk; appends are refused until restart: ${error.message}`);
          for (const { request } of settling) request.reject(this.failure);
        } else {
          this.markDurable(upTo);
          for (const { request, outcome } of settling) {
            if ('ok' in outcome) request.resolve(outcome.ok);
            else request.reject(outcome.error);
          }
          this.signal.notify();
        }
        done();
        void this.sync();
      }),
    );
    return this.syncing;
  }

  private markDurable(position: bigint): void {
    if (position <= this.durable) return;
    this.durable = position;
    this.writeWatermark();
  }

  /** A hint for readers in other processes, written after the sync it reports: never ahead of the disk. */
  private writeWatermark(): void {
    this.watermark.writeBigInt64BE(this.durable, 0);
    writeSync(this.watermarkFd, this.watermark, 0, 8, 0);
  }

  /** The highest durable position, as this process knows it or another writer reported it. */
  private durablePosition(): bigint {
    const read = Buffer.alloc(8);
    if (readSync(this.watermarkFd, read, 0, 8, 0) === 8) {
      const reported = read.readBigInt64BE(0);
      if (reported > this.durable) this.durable = reported;
    }
    return this.durable;
  }

  /** The integer key of a stream; undefined when it has never been written. */
  private keyOf(stream: string): number | undefined {
    if (this.lastKeyed.name !== stream) this.lastKeyed = { name: stream, key: this.statements.streamKey.get(stream) as number | undefined };
    return this.lastKeyed.key;
  }

  private applyOne(request: PendingAppend, recordedAt: number): { ok: AppendResult } | { error: unknown } {
    const { stream, events, expected } = request;
    this.lastKeyed = { name: '', key: undefined };
    let plan;
    try {
      plan = planAppend(this.lookup, stream, events, expected);
    } catch (error) {
      return { error };
    }
    if (plan.kind === 'replay') return { ok: plan.result };
    // Serialise first, so that nothing is inserted for an append whose data cannot be stored.
    // The events of one command usually share one metadata object: serialise that once.
    let rows: Array<[string, string, string]>;
    try {
      let lastMetadata: unknown;
      let metadataJson = '';
      rows = events.map((event) => {
        if (event.metadata !== lastMetadata) {
          lastMetadata = event.metadata;
          metadataJson = JSON.stringify(event.metadata);
        }
        return [event.type, JSON.stringify(event.data), metadataJson];
      });
    } catch (error) {
      return { error };
    }
    let revision = plan.firstRevision;
    let first: bigint | undefined;
    let position = 0n;
    let key = this.keyOf(stream);
    const newStream = key === undefined;
    try {
      if (key === undefined) {
        key = Number(this.statements.newStream.run(stream).lastInsertRowid);
        this.lastKeyed = { name: stream, key };
      }
      for (let i = 0; i < events.length; i++) {
        const [type, data, metadata] = rows[i];
        const info = this.statements.insert.run(events[i].id, key, revision, type, data, metadata, recordedAt);
        position = BigInt(info.lastInsertRowid);
        first ??= position;
        revision++;
      }
      return { ok: { nextExpectedRevision: revision - 1n, position } };
    } catch (error) {
      // Undo this append alone (cheaper than a savepoint per append): its rows are the last ones inserted.
      if (first !== undefined) this.statements.undo.run(first);
      if (newStream && key !== undefined) this.statements.dropStream.run(key);
      const { code, message } = error as { code?: unknown; message?: unknown };
      // Checked by shape, not instanceof: the native module's errors may come from another realm (Jest's VM).
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string' && message.includes('events.id')) {
        const duplicate = events.find((event) => this.lookup.findEvent(event.id));
        return { error: new DuplicateEventIdError(duplicate?.id ?? events[0].id, stream) };
      }
      return { error };
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const key = this.statements.streamKey.get(stream) as number | undefined;
    if (key === undefined) return [];
    const max = options.maxCount ?? -1;
    const rows =
      options.direction === 'backwards'
        ? this.statements.backwards.all(key, options.fromRevision ?? Number.MAX_SAFE_INTEGER, max)
        : this.statements.forwards.all(key, options.fromRevision ?? 0, max);
    return (rows as StreamRow[]).map((row) => fromStreamRow(row, stream));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    if (options.lean) return this.leanPage(options.after, options.maxCount ?? -1, options.filter);
    return this.page(options.after, options.maxCount ?? -1, options.filter);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return new CatchUpSubscription(
      async (after, max, filter) => this.page(after, max, filter),
      () => this.headPosition(),
      this.signal,
      { ...options, pollIntervalMs: this.options.pollIntervalMs ?? 100 },
    );
  }

  async headPosition(): Promise<bigint | undefined> {
    const durable = this.durablePosition();
    return durable === 0n ? undefined : durable;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    while (this.syncing || this.unsynced.length > 0) await this.sync();
    this.signal.notify();
    this.db.close();
    closeSync(this.walFd);
    closeSync(this.watermarkFd);
  }

  private page(after: bigint | undefined, maxCount: number, filter: LogFilter | undefined): RecordedEvent[] {
    const statement = filter && (filter.eventTypes || filter.streamCategories) ? this.filteredPage(filter) : this.statements.page;
    const rows = statement.all(after ?? 0n, this.durablePosition(), maxCount) as Row[];
    return rows.map((row) => new StoredEvent(row[1], row[4], row[2], BigInt(row[3]), BigInt(row[0]), JSON.parse(row[5]), this.loggedMetadata, new Date(row[6])));
  }

  private leanPage(after: bigint | undefined, maxCount: number, filter: LogFilter | undefined): RecordedEvent[] {
    const statement = filter && (filter.eventTypes || filter.streamCategories) ? this.filteredPage(filter, LEAN_COLUMNS) : this.statements.leanPage;
    const rows = statement.all(after ?? 0n, this.durablePosition(), maxCount) as LeanRow[];
    const { Event } = this.leanEvents;
    return rows.map((row) => new Event(row[2], BigInt(row[1]), BigInt(row[0]), JSON.parse(row[3])));
  }

  /** The metadata of the event at a durable position, for an event of a page that is asked for it. */
  private metadataAt(position: bigint): EventMetadata {
    const json = this.readAt<string>(position, this.statements.metadataAt, (db) => db.prepare(METADATA_AT).pluck());
    return JSON.parse(json) as EventMetadata;
  }

  /** The rest of the event at a durable position, for an event of a lean page that is asked for it. */
  private detailsAt(position: bigint): EventDetails {
    const [id, stream, metadata, recordedAt] = this.readAt<DetailsRow>(position, this.statements.detailsAt, (db) => db.prepare(DETAILS_AT).raw());
    return { id, stream, metadata: JSON.parse(metadata) as EventMetadata, recordedAt: new Date(recordedAt) };
  }

  /**
   * One read of the event at a durable position. An event read before close() still answers after
   * it: the file is opened again for the one read, with the statement `prepare` makes on it.
   */
  private readAt<T>(position: bigint, statement: Database.Statement, prepare: (db: Database.Database) => Database.Statement): T {
    let found: T | undefined;
    if (this.db.open) {
      found = statement.get(position) as T | undefined;
    } else {
      const db = new Database(this.options.file, { readonly: true, fileMustExist: true });
      try {
        found = prepare(db).get(position) as T | undefined;
      } finally {
        db.close();
      }
    }
    // Shown events are durable and never removed: a missing one is a log that was replaced.
    if (found === undefined) throw new Error(`the event log ${this.options.file} has no event at position ${position}`);
    return found;
  }

  /** The statement of a page of the log that passes the filter, prepared once per filter and columns. */
  private filteredPage(filter: LogFilter, columns = COLUMNS): Database.Statement {
    const key = `${columns} ${JSON.stringify(filter)}`;
    let statement = this.filteredPages.get(key);
    if (!statement) {
      const conditions: string[] = [];
      if (filter.eventTypes) conditions.push(`e.type IN (${filter.eventTypes.map(quote).join(', ') || 'NULL'})`);
      if (filter.streamCategories) {
        const categories = filter.streamCategories.map((category) => `substr(s.name, 1, ${category.length + 1}) = ${quote(`${category}-`)}`);
        conditions.push(`(${categories.join(' OR ') || '0'})`);
      }
      statement = this.db
        .prepare(
          `SELECT ${columns} FROM ${LOG} WHERE e.position > ? AND e.position <= ? AND ${conditions.join(' AND ')} ORDER BY e.position ASC LIMIT ?`,
        )
        .raw();
      this.filteredPages.set(key, statement);
    }
    return statement;
  }
}

function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function fromStreamRow(row: StreamRow, stream: string): RecordedEvent {
  return new StoredEvent(row[1], row[3], stream, BigInt(row[2]), BigInt(row[0]), JSON.parse(row[4]), row[5], new Date(row[6]));
}
