import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  assertCollectionName,
  assertProjectionName,
  assertSchema,
  type CheckpointChange,
  CheckpointConflictError,
  checkQuery,
  collectionName,
  type CollectionSchema,
  type DocumentPage,
  type DocumentQuery,
  type FieldValue,
  keyValue,
  ProjectionNotFoundError,
  type ProjectionRecord,
  type ReadStore,
  SchemaError,
  type StoredDocument,
} from './read-store.port.js';

export interface SqliteReadStoreOptions {
  /** Path of the database file, e.g. `<DATA_DIR>/read.sqlite`. */
  file: string;
  /** Page cache of this connection, in MiB (default 128). */
  cacheMiB?: number;
}

interface RegistryRow {
  name: string;
  live: string | null;
  live_version: number | null;
  building: string | null;
  building_version: number | null;
  generation: number;
}

interface CollectionStatements {
  schema: CollectionSchema;
  upsert: Database.Statement;
  remove: Database.Statement;
  get: Database.Statement;
  load: Database.Statement;
  fields: Array<[string, CollectionSchema['fields'][string]]>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS projections (
  name             TEXT PRIMARY KEY,
  live             TEXT,
  live_version     INTEGER,
  building         TEXT,
  building_version INTEGER,
  generation       INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS collections (
  collection TEXT PRIMARY KEY,
  schema     TEXT NOT NULL,
  -- The log position of the last event applied; NULL: none yet. Written in the same transaction as the documents.
  checkpoint INTEGER
);`;

const table = (collection: string) => `"docs:${collection}"`;
const column = (field: string) => `"k:${field}"`;

/** Booleans as 0/1 (SQLite has no boolean); everything else binds as it is. */
const bindable = (value: FieldValue | null) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

/**
 * The embedded default: read models in one SQLite file (WAL). One table per collection, documents as
 * JSON beside a column per declared field (indexed as declared, the id appended, once the collection
 * has caught up), and the registry
 * and every checkpoint in the same file, so a projection's documents and checkpoint commit in one
 * transaction.
 *
 * `synchronous=NORMAL`: read models can be rebuilt from the log, so a power cut may cost the last
 * commits (never their atomicity); a process crash costs nothing.
 *
 * Queries resolve the live collection and read it inside one read transaction: a snapshot, so a
 * rebuild that switches and drops the old table meanwhile (in this process or another) is either
 * wholly before or wholly after the query.
 */
export class SqliteReadStore implements ReadStore {
  private readonly db: Database.Database;
  private readonly collections = new Map<string, CollectionStatements>();
  private readonly queries = new Map<string, Database.Statement>();
  private readonly statements;
  private readonly readTransaction: (run: () => unknown) => unknown;
  private closed = false;

  constructor(options: SqliteReadStoreOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // Rebuilds write millions of index entries in random order: keep the hot pages in memory, and
    // checkpoint the WAL into the file less often than every 1000 pages (each checkpoint syncs).
    this.db.pragma(`cache_size = -${(options.cacheMiB ?? 128) * 1024}`);
    this.db.pragma('wal_autocheckpoint = 16384');
    this.db.pragma('temp_store = MEMORY');
    this.db.exec(SCHEMA);
    this.statements = {
      record: this.db.prepare('SELECT * FROM projections WHERE name = ?'),
      records: this.db.prepare('SELECT * FROM projections ORDER BY name'),
      live: this.db.prepare('SELECT live FROM projections WHERE name = ?').pluck(),
      insertRecord: this.db.prepare(
        'INSERT INTO projections (name, live, live_version, building, building_version, generation) VALUES (@name, @live, @live_version, @building, @building_version, @generation)',
      ),
      updateRecord: this.db.prepare(
        'UPDATE projections SET live = @live, live_version = @live_version, building = @building, building_version = @building_version, generation = @generation WHERE name = @name',
      ),
      schemaOf: this.db.prepare('SELECT schema FROM collections WHERE collection = ?').pluck(),
      insertCollection: this.db.prepare('INSERT INTO collections (collection, schema, checkpoint) VALUES (?, ?, NULL)'),
      deleteCollection: this.db.prepare('DELETE FROM collections WHERE collection = ?'),
      checkpoint: this.db.prepare('SELECT checkpoint FROM collections WHERE collection = ?').safeIntegers(true),
      setCheckpoint: this.db.prepare('UPDATE collections SET checkpoint = ? WHERE collection = ?'),
    };
    this.readTransaction = this.db.transaction((run: () => unknown) => run());
  }

  // ---- Queries -----------------------------------------------------------------------------------

  async get<D extends StoredDocument>(projection: string, id: string): Promise<D | undefined> {
    return this.read(() => {
      const row = this.statementsOf(this.liveOf(projection)).get.get(id) as { body: string } | undefined;
      return row && (JSON.parse(row.body) as D);
    });
  }

  async getMany<D extends StoredDocument>(projection: string, ids: readonly string[]): Promise<Map<string, D>> {
    return this.read(() => this.loadNow<D>(this.liveOf(projection), ids));
  }

  async query<D extends StoredDocument>(projection: string, query: DocumentQuery): Promise<DocumentPage<D>> {
    return this.read(() => {
      const collection = this.liveOf(projection);
      const { schema } = this.statementsOf(collection);
      checkQuery(collection, schema, query);
      const conditions: string[] = [];
      const params: unknown[] = [];
      for (const [field, value] of Object.entries(query.where ?? {})) {
        if (value === null) conditions.push(`${column(field)} IS NULL`);
        else {
          conditions.push(`${column(field)} = ?`);
          params.push(bindable(value));
        }
      }
      if (query.range) {
        const { field, ...bounds } = query.range;
        const operators = { gte: '>=', gt: '>', lte: '<=', lt: '<' } as const;
        for (const [bound, operator] of Object.entries(operators)) {
          const value = bounds[bound as keyof typeof bounds];
          if (value === undefined) continue;
          conditions.push(`${column(field)} ${operator} ?`);
          params.push(bindable(value));
        }
      }
      const descending = query.orderBy?.direction === 'desc';
      const direction = descending ? 'DESC' : 'ASC';
      if (query.after) {
        const operator = descending ? '<' : '>';
        if (query.orderBy) {
          conditions.push(`(${column(query.orderBy.field)}, id) ${operator} (?, ?)`);
          params.push(bindable(query.after.value), query.after.id);
        } else {
          conditions.push(`id ${operator} ?`);
          params.push(query.after.id);
        }
      }
      const order = query.orderBy ? `${column(query.orderBy.field)} ${direction}, id ${direction}` : `id ${direction}`;
      const sql = `SELECT id, body FROM ${table(collection)}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
      const rows = this.queryStatement(sql).all(...params, query.limit + 1) as Array<{ id: string; body: string }>;
      const more = rows.length > query.limit;
      const page = more ? rows.slice(0, query.limit) : rows;
      const items = page.map((row) => JSON.parse(row.body) as D);
      let next = null;
      if (more) {
        const last = page[page.length - 1];
        const field = query.orderBy?.field;
        next = { value: field ? keyValue(collection, items[items.length - 1], field, schema.fields[field]) : null, id: last.id };
      }
      return { items, next };
    });
  }

  // ---- Registry ----------------------------------------------------------------------------------

  async projection(name: string): Promise<ProjectionRecord | undefined> {
    const row = this.statements.record.get(name) as RegistryRow | undefined;
    return row && toRecord(row);
  }

  async projections(): Promise<ProjectionRecord[]> {
    return (this.statements.records.all() as RegistryRow[]).map(toRecord);
  }

  async startBuild(name: string, version: number, schema: CollectionSchema): Promise<ProjectionRecord> {
    assertProjectionName(name);
    assertSchema(schema);
    return this.db
      .transaction(() => {
        const row = this.statements.record.get(name) as RegistryRow | undefined;
        const generation = (row?.generation ?? 0) + 1;
        const collection = collectionName(name, version, generation);
        this.createCollection(collection, schema);
        if (!row) {
          const record = { name, live: { collection, version }, building: null, generation };
          this.statements.insertRecord.run(toRow(record));
          return record;
        }
        const record = toRecord(row);
        if (record.building) this.dropCollection(record.building.collection);
        const next: ProjectionRecord = record.live
          ? { ...record, building: { collection, version }, generation }
          : { ...record, live: { collection, version }, building: null, generation };
        this.statements.updateRecord.run(toRow(next));
        return next;
      })
      .immediate();
  }

  async promote(name: string, collection: string): Promise<ProjectionRecord> {
    return this.db
      .transaction(() => {
        const row = this.statements.record.get(name) as RegistryRow | undefined;
        const record = row && toRecord(row);
        if (!record?.building || record.building.collection !== collection) {
          throw new Error(`${collection} is not the collection being built for ${name}`);
        }
        const next: ProjectionRecord = { ...record, live: record.building, building: null };
        this.statements.updateRecord.run(toRow(next));
        // In the same transaction: readers of other connections keep their snapshot with the old table.
        if (record.live) this.dropCollection(record.live.collection);
        return next;
      })
      .immediate();
  }

  // ---- Projector ---------------------------------------------------------------------------------

  async prepare(collection: string, schema: CollectionSchema): Promise<void> {
    assertCollectionName(collection);
    assertSchema(schema);
    this.db.transaction(() => this.createCollection(collection, schema)).immediate();
  }

  async index(collection: string): Promise<void> {
    const { schema } = this.statementsOf(collection);
    this.db
      .transaction(() => {
        schema.indexes.forEach((fields, i) => {
          const indexed = [...fields.map(column), 'id'].join(', ');
          this.db.exec(`CREATE INDEX IF NOT EXISTS "ix:${collection}:${i}" ON ${table(collection)} (${indexed})`);
        });
      })
      .immediate();
  }

  async checkpoint(collection: string): Promise<bigint | undefined> {
    const row = this.statements.checkpoint.get(collection) as { checkpoint: bigint | null } | undefined;
    return row?.checkpoint ?? undefined;
  }

  async load<D extends StoredDocument>(collection: string, ids: readonly string[]): Promise<Map<string, D>> {
    return this.loadNow<D>(collection, ids);
  }

  async commit(collection: string, changes: ReadonlyMap<string, StoredDocument | undefined>, checkpoint: CheckpointChange): Promise<void> {
    const statements = this.statementsOf(collection);
    this.db
      .transaction(() => {
        const row = this.statements.checkpoint.get(collection) as { checkpoint: bigint | null } | undefined;
        if (!row) throw new CheckpointConflictError(collection, checkpoint.expected, 'missing');
        const actual = row.checkpoint ?? undefined;
        if (actual !== checkpoint.expected) throw new CheckpointConflictError(collection, checkpoint.expected, actual);
        for (const [id, document] of changes) {
          if (document === undefined) {
            statements.remove.run(id);
            continue;
          }
          const keys = statements.fields.map(([field, type]) => bindable(keyValue(collection, document, field, type)));
          statements.upsert.run(id, JSON.stringify(document), ...keys);
        }
        this.statements.setCheckpoint.run(checkpoint.next, collection);
      })
      .immediate();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  // ---- Inside ------------------------------------------------------------------------------------

  /** Runs a read as one snapshot (a deferred transaction); nested in a write it joins it. */
  private read<T>(run: () => T): T {
    return this.readTransaction(run) as T;
  }

  private liveOf(projection: string): string {
    const live = this.statements.live.get(projection) as string | null | undefined;
    if (!live) throw new ProjectionNotFoundError(projection);
    return live;
  }

  private loadNow<D>(collection: string, ids: readonly string[]): Map<string, D> {
    const found = new Map<string, D>();
    if (ids.length === 0) return found;
    const rows = this.statementsOf(collection).load.all(JSON.stringify(ids)) as Array<{ id: string; body: string }>;
    for (const row of rows) found.set(row.id, JSON.parse(row.body) as D);
    return found;
  }

  private createCollection(collection: string, schema: CollectionSchema): void {
    const stored = this.statements.schemaOf.get(collection) as string | undefined;
    if (stored !== undefined) {
      if (stored !== JSON.stringify(schema)) {
        throw new SchemaError(`the schema of ${collection} changed; bump the projection's version to rebuild it`);
      }
      return;
    }
    const columns = Object.keys(schema.fields).map((field) => `, ${column(field)}`);
    // The declared indexes come later, in one bulk build each (see index()).
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${table(collection)} (id TEXT PRIMARY KEY, body TEXT NOT NULL${columns.join('')})`);
    this.statements.insertCollection.run(collection, JSON.stringify(schema));
  }

  private dropCollection(collection: string): void {
    this.db.exec(`DROP TABLE IF EXISTS ${table(collection)}`);
    this.statements.deleteCollection.run(collection);
    this.collections.delete(collection);
    for (const sql of this.queries.keys()) if (sql.includes(table(collection))) this.queries.delete(sql);
  }

  private statementsOf(collection: string): CollectionStatements {
    let statements = this.collections.get(collection);
    if (!statements) {
      const stored = this.statements.schemaOf.get(collection) as string | undefined;
      if (stored === undefined) throw new SchemaError(`unknown collection ${collection}`);
      const schema = JSON.parse(stored) as CollectionSchema;
      const fields = Object.entries(schema.fields);
      const names = fields.map(([field]) => column(field));
      const t = table(collection);
      statements = {
        schema,
        fields,
        upsert: this.db.prepare(
          `INSERT INTO ${t} (id, body${names.map((n) => `, ${n}`).join('')}) VALUES (?, ?${names.map(() => ', ?').join('')}) ` +
            `ON CONFLICT (id) DO UPDATE SET body = excluded.body${names.map((n) => `, ${n} = excluded.${n}`).join('')}`,
        ),
        remove: this.db.prepare(`DELETE FROM ${t} WHERE id = ?`),
        get: this.db.prepare(`SELECT body FROM ${t} WHERE id = ?`),
        load: this.db.prepare(`SELECT id, body FROM ${t} WHERE id IN (SELECT value FROM json_each(?))`),
      };
      this.collections.set(collection, statements);
    }
    return statements;
  }

  private queryStatement(sql: string): Database.Statement {
    let statement = this.queries.get(sql);
    if (!statement) {
      if (this.queries.size > 500) this.queries.clear();
      statement = this.db.prepare(sql);
      this.queries.set(sql, statement);
    }
    return statement;
  }
}

function toRecord(row: RegistryRow): ProjectionRecord {
  return {
    name: row.name,
    live: row.live === null ? null : { collection: row.live, version: Number(row.live_version) },
    building: row.building === null ? null : { collection: row.building, version: Number(row.building_version) },
    generation: row.generation,
  };
}

function toRow(record: ProjectionRecord): RegistryRow {
  return {
    name: record.name,
    live: record.live?.collection ?? null,
    live_version: record.live?.version ?? null,
    building: record.building?.collection ?? null,
    building_version: record.building?.version ?? null,
    generation: record.generation,
  };
}
