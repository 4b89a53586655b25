import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type AppendLookup, planAppend } from './append-plan.js';
import { CatchUpSubscription, LogSignal } from './catch-up-subscription.js';
import {
  type AppendResult,
  DuplicateEventIdError,
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
type Row = [position: number, id: string, stream: string, revision: number, type: string, data: string, metadata: string, recordedAt: number];

interface PendingAppend {
  stream: string;
  events: readonly EventToAppend[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY,
  id          TEXT    NOT NULL UNIQUE,
  stream      TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at INTEGER NOT NULL,
  UNIQUE (stream, revision)
);`;

const COLUMNS = 'position, id, stream, revision, type, data, metadata, recorded_at';

/**
 * The embedded default: the log in one SQLite file, WAL journal, `synchronous=FULL`, so an append is
 * acknowledged only after its commit is fsynced to the write-ahead log.
 *
 * Group commit: appends wait for the next turn of the event loop and are written together in one
 * transaction, one fsync for the whole group. Each append is checked against its expected revision
 * inside that transaction, in arrival order, and fails or succeeds alone (a savepoint each).
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly signal = new LogSignal();
  private readonly clock: () => Date;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly statements;
  private readonly filteredPages = new Map<string, Database.Statement>();
  private readonly lookup: AppendLookup;

  constructor(private readonly options: SqliteEventStoreOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.clock = options.clock ?? (() => new Date());
    this.statements = {
      insert: this.db.prepare(
        'INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      findById: this.db.prepare('SELECT stream, revision, position FROM events WHERE id = ?'),
      eventAt: this.db.prepare('SELECT id, position FROM events WHERE stream = ? AND revision = ?'),
      streamRevision: this.db.prepare('SELECT max(revision) AS revision FROM events WHERE stream = ?').pluck(),
      forwards: this.db
        .prepare(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`)
        .raw(),
      backwards: this.db
        .prepare(`SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`)
        .raw(),
      page: this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`).raw(),
      head: this.db.prepare('SELECT max(position) FROM events').pluck(),
    };
    const { findById, eventAt, streamRevision } = this.statements;
    this.lookup = {
      findEvent: (id) => {
        const row = findById.get(id) as { stream: string; revision: number; position: number } | undefined;
        return row && { stream: row.stream, revision: BigInt(row.revision), position: BigInt(row.position) };
      },
      eventAt: (stream, revision) => {
        const row = eventAt.get(stream, revision) as { id: string; position: number } | undefined;
        return row && { id: row.id, position: BigInt(row.position) };
      },
      streamRevision: (stream) => {
        const revision = streamRevision.get(stream) as number | null;
        return revision === null ? undefined : BigInt(revision);
      },
    };
  }

  append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('the event store is closed'));
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
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const recordedAt = this.clock().getTime();
        for (const request of batch) outcomes.push(this.applyOne(request, recordedAt));
        this.db.exec('COMMIT');
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
      if ('ok' in outcome) request.resolve(outcome.ok);
      else request.reject(outcome.error);
    });
    this.signal.notify();
  };

  private applyOne(request: PendingAppend, recordedAt: number): { ok: AppendResult } | { error: unknown } {
    const { stream, events, expected } = request;
    let plan;
    try {
      plan = planAppend(this.lookup, stream, events, expected);
    } catch (error) {
      return { error };
    }
    if (plan.kind === 'replay') return { ok: plan.result };
    this.db.exec('SAVEPOINT append');
    try {
      let revision = plan.firstRevision;
      let position = 0n;
      // The events of one command usually share one metadata object: serialise it once.
      let lastMetadata: unknown;
      let metadataJson = '';
      for (const event of events) {
        if (event.metadata !== lastMetadata) {
          lastMetadata = event.metadata;
          metadataJson = JSON.stringify(event.metadata);
        }
        const info = this.statements.insert.run(event.id, stream, revision, event.type, JSON.stringify(event.data), metadataJson, recordedAt);
        position = BigInt(info.lastInsertRowid);
        revision++;
      }
      this.db.exec('RELEASE append');
      return { ok: { nextExpectedRevision: revision - 1n, position } };
    } catch (error) {
      this.db.exec('ROLLBACK TO append');
      this.db.exec('RELEASE append');
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
    const max = options.maxCount ?? -1;
    const rows =
      options.direction === 'backwards'
        ? this.statements.backwards.all(stream, options.fromRevision ?? Number.MAX_SAFE_INTEGER, max)
        : this.statements.forwards.all(stream, options.fromRevision ?? 0, max);
    return (rows as Row[]).map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.page(options.after, options.maxCount ?? -1, options.filter);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return new CatchUpSubscription(async (after, max, filter) => this.page(after, max, filter), this.signal, {
      ...options,
      pollIntervalMs: this.options.pollIntervalMs ?? 100,
    });
  }

  async headPosition(): Promise<bigint | undefined> {
    const head = this.statements.head.get() as number | null;
    return head === null ? undefined : BigInt(head);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    this.signal.notify();
    this.db.close();
  }

  private page(after: bigint | undefined, maxCount: number, filter: LogFilter | undefined): RecordedEvent[] {
    const statement = filter && (filter.eventTypes || filter.streamCategories) ? this.filteredPage(filter) : this.statements.page;
    return (statement.all(after ?? 0n, maxCount) as Row[]).map(toRecorded);
  }

  private filteredPage(filter: LogFilter): Database.Statement {
    const key = JSON.stringify(filter);
    let statement = this.filteredPages.get(key);
    if (!statement) {
      const conditions: string[] = [];
      if (filter.eventTypes) conditions.push(`type IN (${filter.eventTypes.map(quote).join(', ') || 'NULL'})`);
      if (filter.streamCategories) {
        const categories = filter.streamCategories.map((category) => `substr(stream, 1, ${category.length + 1}) = ${quote(`${category}-`)}`);
        conditions.push(`(${categories.join(' OR ') || '0'})`);
      }
      statement = this.db
        .prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? AND ${conditions.join(' AND ')} ORDER BY position ASC LIMIT ?`)
        .raw();
      this.filteredPages.set(key, statement);
    }
    return statement;
  }
}

function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function toRecorded(row: Row): RecordedEvent {
  return {
    id: row[1],
    type: row[4],
    stream: row[2],
    revision: BigInt(row[3]),
    position: BigInt(row[0]),
    data: JSON.parse(row[5]),
    metadata: JSON.parse(row[6]),
    recordedAt: new Date(row[7]),
  };
}
