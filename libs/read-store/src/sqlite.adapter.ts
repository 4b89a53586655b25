/// <reference lib="es2024.string" />
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  assertCollectionName,
  assertProjectionName,
  assertSchema,
  type CheckpointChange,
  CheckpointConflictError,
  checkQuery,
  collectionName,
  commitWrites,
  type CollectionSchema,
  type DocumentPage,
  type DocumentQuery,
  type FieldType,
  type FieldValue,
  keyValue,
  type LiveCheckpoint,
  type NewDocuments,
  ProjectionNotFoundError,
  type ProjectionRecord,
  type ReadStore,
  SchemaError,
  type StoredDocument,
} from './read-store.port.js';
import { fingerprint, KeyFilter } from './key-filter.js';
import { type RowChanges, RowIds } from './row-ids.js';

export interface SqliteReadStoreOptions {
  /**
   * Path of the registry's database file, e.g. `<DATA_DIR>/read.sqlite`. Each collection is a file of
   * its own in the folder beside it: `<DATA_DIR>/read.collections/<collection>.sqlite`.
   */
  file: string;
  /** Page cache of each connection, in MiB (default 128). */
  cacheMiB?: number;
  /** WAL pages after which a commit folds the WAL into the database file: SQLite's autocheckpoint (default 16384, 256 MiB). */
  checkpointPages?: number;
}

/** What every connection of the store is opened with. */
type ConnectionSettings = Required<Omit<SqliteReadStoreOptions, 'file'>>;

interface RegistryRow {
  name: string;
  live: string | null;
  live_version: number | null;
  building: string | null;
  building_version: number | null;
  generation: number;
}

/** Rows a commit by row id inserts with one statement: one call per row costs more than SQLite's insert itself. */
const INSERT_BATCH = 32;

interface CollectionStatements {
  /** The database file that holds the collection. */
  shelf: Shelf;
  schema: CollectionSchema;
  layout: RowLayout;
  /**
   * By row id, for a collection filled without its id index (see `rowids`). The inserts take
   * `layout.bindInsert`'s values (`insertBatch` INSERT_BATCH rows at once), the others `layout.bind`'s.
   * Values are passed as arguments (`run(...values)`): better-sqlite3 binds arguments as they come,
   * but reads an array's elements one property lookup at a time (about a twentieth of a rebuild's commits).
   */
  insert: Database.Statement;
  insertBatch: Database.Statement;
  /** The largest row id, so that a commit by row id numbers the rows it inserts itself. */
  lastRowid: Database.Statement;
  update: Database.Statement;
  removeRow: Database.Statement;
  loadRows: Database.Statement;
  /** By id, once the collection has its id index. */
  remove: Database.Statement;
  load: Database.Statement;
  /** Prepared on the first write by id (see upsertOf): it needs the unique id index, which a reader may not see yet. */
  upsert: Database.Statement | undefined;
  /** The insert by id, which the upsert extends. */
  insertSql: string;
}

const REGISTRY = `
CREATE TABLE IF NOT EXISTS projections (
  name             TEXT PRIMARY KEY,
  live             TEXT,
  live_version     INTEGER,
  building         TEXT,
  building_version INTEGER,
  generation       INTEGER NOT NULL
);`;

/** In every file: a collection's file has one row; the registry's has the collections written before they had files of their own. */
const COLLECTIONS = `
CREATE TABLE IF NOT EXISTS collections (
  collection TEXT PRIMARY KEY,
  schema     TEXT NOT NULL,
  -- The log position of the last event applied; NULL: none yet. Written in the same transaction as the documents.
  checkpoint INTEGER
);`;

const table = (collection: string) => `"docs:${collection}"`;
const idIndex = (collection: string) => `"id:${collection}"`;
const column = (field: string) => `"k:${field}"`;

/** Booleans as 0/1 (SQLite has no boolean); everything else binds as it is. */
const bindable = (value: FieldValue | null) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

/**
 * A collection's documents as rows: `id`, the document as JSON in `body`, and a column per declared
 * field (what queries compare and indexes sort). A declared string is kept in its column only, not
 * in the body too: for a collection like the incident register that makes the rows about half as
 * large, and a rebuild writes them, commits them and reads them all again to build the indexes.
 * Whatever a column would not give back exactly stays in the body, the column holding a copy:
 * numbers, booleans and positions (stored as REAL, 0/1 and INTEGER), nulls (a NULL column cannot
 * tell null from absent) and strings that are not well-formed UTF-16.
 *
 * Likewise a document's `id` that is its key is kept in the `id` column only, and its body starts
 * with a space (which JSON allows) to say so; without that space the body has whatever `id` the
 * document has, if any. A row with the whole document in its body (as every row was before) reads
 * the same.
 */
class RowLayout {
  /** The declared fields' columns, in the order of the values of `bind` and of the rows `read` takes. */
  readonly columns: readonly string[];
  /** What a SELECT reads for `read`: `id, body, ...columns`. */
  readonly selection: string;
  /** The values of INSERT_BATCH rows, filled by `bindInsert`. */
  readonly batch: unknown[];
  private readonly fields: ReadonlyArray<readonly [string, FieldType]>;
  private readonly strings: ReadonlySet<string>;
  /** The values bound for one row by `bind`: one array, filled anew for every row. */
  private readonly values: unknown[];

  constructor(
    private readonly collection: string,
    schema: CollectionSchema,
  ) {
    this.fields = Object.entries(schema.fields);
    this.strings = new Set(this.fields.filter(([, type]) => type === 'string').map(([field]) => field));
    this.values = new Array(this.fields.length + 2);
    this.batch = new Array(INSERT_BATCH * (this.fields.length + 3));
    this.columns = this.fields.map(([field]) => column(field));
    this.selection = ['id', 'body', ...this.columns].join(', ');
  }

  /**
   * The values that write the document with this id under `key` (the id, or its row id), in this
   * order: body, columns, key. Throws a SchemaError when a declared field has the wrong type.
   */
  bind(id: string, document: StoredDocument, key: string | number = id): unknown[] {
    this.write(id, document, this.values, 0);
    this.values[this.fields.length + 1] = key;
    return this.values;
  }

  /**
   * Puts the values that insert a document as the `row`th row of `batch` (from 0): body, columns,
   * id, row id. Throws a SchemaError when a declared field has the wrong type.
   */
  bindInsert(row: number, id: string, rowid: number, document: StoredDocument): void {
    const at = row * (this.fields.length + 3);
    this.write(id, document, this.batch, at);
    this.batch[at + this.fields.length + 1] = id;
    this.batch[at + this.fields.length + 2] = rowid;
  }

  /**
   * The document of a row read as `id, body, ...columns`. Its id (when it is the key) and declared
   * fields come first, in the schema's order, so that every document of a collection lists its
   * fields alike.
   */
  read(row: unknown[]): StoredDocument {
    const body = row[1] as string;
    const rest = JSON.parse(body) as StoredDocument;
    const document: StoredDocument = body.startsWith(' ') ? { id: row[0] } : {};
    for (let i = 0; i < this.fields.length; i++) {
      const [field, type] = this.fields[i];
      const value = row[i + 2];
      if (type === 'string' && value !== null) document[field] = value;
      else if (field in rest) document[field] = rest[field];
    }
    return Object.assign(document, rest);
  }

  /** Body and columns of the document with this id, into `values` from `at`. */
  private write(id: string, document: StoredDocument, values: unknown[], at: number): void {
    const { fields } = this;
    for (let i = 0; i < fields.length; i++) {
      const [field, type] = fields[i];
      const value = document[field];
      values[at + i + 1] = type === 'string' && typeof value === 'string' ? value : bindable(keyValue(this.collection, document, field, type));
    }
    const idIsKey = document.id === id && id.isWellFormed();
    const body: StoredDocument = {};
    for (const field in document) {
      const value = document[field];
      if (!(field === 'id' ? idIsKey : this.inColumnOnly(field, value))) body[field] = value;
    }
    values[at] = idIsKey ? ` ${JSON.stringify(body)}` : JSON.stringify(body);
  }

  private inColumnOnly(field: string, value: unknown): boolean {
    return typeof value === 'string' && this.strings.has(field) && value.isWellFormed();
  }
}

/**
 * One database file and what every file has: the `collections` table (schema and checkpoint of the
 * collections it holds) and a connection with the store's settings.
 */
class Shelf {
  readonly statements;

  constructor(
    readonly file: string,
    readonly db: Database.Database,
  ) {
    db.exec(COLLECTIONS);
    this.statements = {
      schemaOf: db.prepare('SELECT schema FROM collections WHERE collection = ?').pluck(),
      insertCollection: db.prepare('INSERT INTO collections (collection, schema, checkpoint) VALUES (?, ?, NULL)'),
      deleteCollection: db.prepare('DELETE FROM collections WHERE collection = ?'),
      checkpoint: db.prepare('SELECT checkpoint FROM collections WHERE collection = ?').safeIntegers(true),
      setCheckpoint: db.prepare('UPDATE collections SET checkpoint = ? WHERE collection = ?'),
    };
  }

  checkpoint(collection: string): bigint | null | undefined {
    const row = this.statements.checkpoint.get(collection) as { checkpoint: bigint | null } | undefined;
    return row && row.checkpoint;
  }
}

/** The page size of the files this store makes. */
const PAGE_BYTES = 16384;

/** Opens (or creates) a database file of the store: WAL, and the connection settings below. */
function openDatabase(file: string, { cacheMiB, checkpointPages }: ConnectionSettings, create: boolean): Database.Database {
  const db = new Database(file, { fileMustExist: !create });
  try {
    // For a new file only (a file keeps the page size it was made with): pages of 16 KiB instead of 4
    // make a rebuild's rows and index builds fill a quarter as many pages, each with one header and
    // one cell pointer array to keep; the register's rebuild took about a tenth less CPU (bench/README,
    // sixth round). Its cost is the whole page a commit writes for each document it changes.
    if (create) db.pragma(`page_size = ${PAGE_BYTES}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // The registry is written by every projector thread and process (a build, a switch), and a
    // collection by one writer at a time: a writer waits for another's transaction rather than fail
    // (and make its runner read again from its checkpoint). Readers never wait (WAL).
    db.pragma('busy_timeout = 60000');
    // Rebuilds write millions of index entries in random order: keep the hot pages in memory, and
    // checkpoint the WAL into the file less often than every 1000 pages (each checkpoint syncs).
    db.pragma(`cache_size = -${cacheMiB * 1024}`);
    db.pragma(`wal_autocheckpoint = ${checkpointPages}`);
    db.pragma('temp_store = MEMORY');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** The page cache of a connection while it builds indexes, in KiB: also the size of each sorted run (see buildIndexes). */
const SORT_RUN_KIB = 4096;

/**
 * Runs `build` (CREATE INDEX statements) in one immediate transaction, with SQLite's sorter set to
 * sort in runs of a few MiB kept in temporary files, which it then merges, and to sort a run on a
 * second thread while it reads on. With the connection's own settings (a 128 MiB cache, temporary
 * data in memory, no sorter thread) it sorted a million index entries as one run in memory: the
 * register's two index builds took about 2.1 s, and about 1 s so (bench/README, seventh round). The
 * runs are files in SQLite's temporary directory (SQLITE_TMPDIR, else TMPDIR, else /var/tmp,
 * /usr/tmp or /tmp): some 80 MB for the register's larger index at a million incidents, deleted as
 * the build ends.
 */
export function buildIndexes(db: Database.Database, build: () => void): void {
  const cache = db.pragma('cache_size', { simple: true }) as number;
  const temp = db.pragma('temp_store', { simple: true }) as number;
  const threads = db.pragma('threads', { simple: true }) as number;
  db.pragma(`cache_size = -${SORT_RUN_KIB}`);
  db.pragma('temp_store = FILE');
  db.pragma('threads = 1');
  try {
    db.transaction(build).immediate();
  } finally {
    db.pragma(`cache_size = ${cache}`);
    db.pragma(`temp_store = ${temp}`);
    db.pragma(`threads = ${threads}`);
  }
}

/** The files SQLite keeps for a database in WAL mode. */
const FILE_SUFFIXES = ['', '-wal', '-shm'];

/**
 * The embedded default: read models in SQLite files (WAL). The registry (which collection of each
 * projection is live, which is building) is one file; each collection is a file of its own in the
 * folder beside it, with its documents and its checkpoint, so they commit in one transaction. Each
 * collection is one table with a column per declared field (indexed as declared, the id appended,
 * once the collection has caught up) and the rest of each document as JSON (see RowLayout).
 *
 * A file per collection, because SQLite lets one writer at a time into a file: the projections
 * (in threads or processes of their own) write their collections side by side instead of waiting
 * for each other's commits, and a collection's index build at the end of a rebuild, which takes
 * seconds, holds back no other. A replaced collection's file is deleted, which gives its disk space
 * back. Collections written before this layout, as tables in the registry's file, are read and
 * written where they are until a rebuild replaces them.
 *
 * `synchronous=NORMAL`: read models can be rebuilt from the log, so a power cut may cost the last
 * commits (never their atomicity); a process crash costs nothing.
 *
 * A query resolves the live collection in the registry and reads that collection's file in one
 * statement: a snapshot. A switch deletes the old file only after it is recorded; a reader
 * that still has it open reads on from the deleted file (the system keeps it while it is open),
 * and one that finds it gone resolves the live collection again. A reader closes its connection
 * to a replaced collection when it sees the switch.
 *
 * A collection this process creates is filled without any index, not even on the document id: a
 * rebuild inserts hundreds of thousands of documents, and every insert into an index keyed by
 * random ids dirties a random page that each commit then writes whole. Meanwhile the adapter keeps
 * the row id of each document id in memory (`RowIds`, about 100 bytes a document), finds documents
 * by row id, and numbers the rows it inserts itself, so that it inserts them many to a statement.
 * `index()` builds the unique id index and the query indexes in one bulk pass each and drops the
 * row ids. A collection found without its id index on `prepare()` (a restart) gets it at once, and so
 * does one whose checkpoint another writer moved (the row ids would no longer be the whole truth).
 */
export class SqliteReadStore implements ReadStore {
  private readonly registry: Shelf;
  private readonly folder: string;
  private readonly connection: ConnectionSettings;
  /** The open file of each collection this process used (the registry's for the collections of the earlier layout). */
  private readonly shelves = new Map<string, Shelf>();
  private readonly collections = new Map<string, CollectionStatements>();
  /** Document id → row id of the collections this process fills without an id index. */
  private readonly rowids = new Map<string, RowIds>();
  /** The live collection each projection's last query read, to let go of a replaced one. */
  private readonly lastLive = new Map<string, string>();
  private readonly queries = new Map<string, Database.Statement>();
  private readonly statements;
  private closed = false;

  constructor(options: SqliteReadStoreOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    this.folder = `${options.file.replace(/\.sqlite$/, '')}.collections`;
    mkdirSync(this.folder, { recursive: true });
    this.connection = { cacheMiB: options.cacheMiB ?? 128, checkpointPages: options.checkpointPages ?? 16384 };
    const db = openDatabase(options.file, this.connection, true);
    db.exec(REGISTRY);
    this.registry = new Shelf(options.file, db);
    this.statements = {
      record: db.prepare('SELECT * FROM projections WHERE name = ?'),
      records: db.prepare('SELECT * FROM projections ORDER BY name'),
      live: db.prepare('SELECT live FROM projections WHERE name = ?').pluck(),
      insertRecord: db.prepare(
        'INSERT INTO projections (name, live, live_version, building, building_version, generation) VALUES (@name, @live, @live_version, @building, @building_version, @generation)',
      ),
      updateRecord: db.prepare(
        'UPDATE projections SET live = @live, live_version = @live_version, building = @building, building_version = @building_version, generation = @generation WHERE name = @name',
      ),
    };
  }

  /** The database file that holds the collection's documents and checkpoint (for operators and tests). */
  fileOf(collection: string): string {
    assertCollectionName(collection);
    return this.shelfOf(collection)?.file ?? this.pathOf(collection);
  }

  // ---- Queries -----------------------------------------------------------------------------------

  async get<D extends StoredDocument>(projection: string, id: string): Promise<D | undefined> {
    return this.read(projection, (collection) => this.loadNow<D>(collection, [id]).get(id));
  }

  async getMany<D extends StoredDocument>(projection: string, ids: readonly string[]): Promise<Map<string, D>> {
    return this.read(projection, (collection) => this.loadNow<D>(collection, ids));
  }

  async query<D extends StoredDocument>(projection: string, query: DocumentQuery): Promise<DocumentPage<D>> {
    return this.read(projection, (collection) => {
      const statements = this.statementsOf(collection);
      const { schema, layout } = statements;
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
      const sql = `SELECT ${layout.selection} FROM ${table(collection)}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
      const found = this.queryStatement(statements.shelf, sql).all(...params, query.limit + 1) as unknown[][];
      const more = found.length > query.limit;
      const page = more ? found.slice(0, query.limit) : found;
      const items = page.map((row) => layout.read(row) as D);
      let next = null;
      if (more) {
        const field = query.orderBy?.field;
        next = { value: field ? keyValue(collection, items[items.length - 1], field, schema.fields[field]) : null, id: page[page.length - 1][0] as string };
      }
      return { items, next };
    });
  }

  async liveCheckpoint(projection: string): Promise<LiveCheckpoint> {
    return this.read(projection, (collection, shelf) => ({ collection, checkpoint: shelf.checkpoint(collection) ?? undefined }));
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
    const replaced: Array<string | undefined> = [];
    const record = this.registry.db
      .transaction(() => {
        const row = this.statements.record.get(name) as RegistryRow | undefined;
        const generation = (row?.generation ?? 0) + 1;
        const collection = collectionName(name, version, generation);
        // A file of this name is what an earlier attempt left when its registry write failed: unknown to anyone.
        this.createCollection(collection, schema, { fresh: true });
        if (!row) {
          const record = { name, live: { collection, version }, building: null, generation };
          this.statements.insertRecord.run(toRow(record));
          return record;
        }
        const record = toRecord(row);
        if (record.building) replaced.push(this.dropCollection(record.building.collection));
        const next: ProjectionRecord = record.live
          ? { ...record, building: { collection, version }, generation }
          : { ...record, live: { collection, version }, building: null, generation };
        this.statements.updateRecord.run(toRow(next));
        return next;
      })
      .immediate();
    this.deleteFiles(replaced);
    return record;
  }

  async promote(name: string, collection: string): Promise<ProjectionRecord> {
    const replaced: Array<string | undefined> = [];
    const record = this.registry.db
      .transaction(() => {
        const row = this.statements.record.get(name) as RegistryRow | undefined;
        const record = row && toRecord(row);
        if (!record?.building || record.building.collection !== collection) {
          throw new Error(`${collection} is not the collection being built for ${name}`);
        }
        const next: ProjectionRecord = { ...record, live: record.building, building: null };
        this.statements.updateRecord.run(toRow(next));
        if (record.live) replaced.push(this.dropCollection(record.live.collection));
        return next;
      })
      .immediate();
    // Only once the switch is recorded: a reader that still has the file open reads on from it.
    this.deleteFiles(replaced);
    return record;
  }

  // ---- Projector ---------------------------------------------------------------------------------

  async prepare(collection: string, schema: CollectionSchema): Promise<void> {
    assertCollectionName(collection);
    assertSchema(schema);
    const shelf = this.createCollection(collection, schema, { fresh: false });
    // Not created by this process, or before a restart: its ids are found through the index.
    if (!this.rowids.has(collection)) buildIndexes(shelf.db, () => this.indexIds(shelf, collection));
  }

  async index(collection: string): Promise<void> {
    const { schema, shelf } = this.statementsOf(collection);
    buildIndexes(shelf.db, () => {
      this.indexIds(shelf, collection);
      schema.indexes.forEach((fields, i) => {
        const indexed = [...fields.map(column), 'id'].join(', ');
        shelf.db.exec(`CREATE INDEX IF NOT EXISTS "ix:${collection}:${i}" ON ${table(collection)} (${indexed})`);
      });
    });
    // Caught up: from its next commit on, its WAL is folded into the file as any other's (see createCollection).
    shelf.db.pragma(`wal_autocheckpoint = ${this.connection.checkpointPages}`);
  }

  async checkpoint(collection: string): Promise<bigint | undefined> {
    return this.shelfOf(collection)?.checkpoint(collection) ?? undefined;
  }

  async load<D extends StoredDocument>(collection: string, ids: readonly string[]): Promise<Map<string, D>> {
    return this.loadNow<D>(collection, ids);
  }

  async commit(
    collection: string,
    changes: ReadonlyMap<string, StoredDocument | undefined>,
    checkpoint: CheckpointChange,
    added?: NewDocuments,
  ): Promise<void> {
    const shelf = this.shelfOf(collection);
    if (!shelf) throw new CheckpointConflictError(collection, checkpoint.expected, 'missing');
    const statements = this.statementsOf(collection);
    const rowids = this.rowids.get(collection);
    const transaction = shelf.db.transaction(() => {
      const stored = shelf.checkpoint(collection);
      if (stored === undefined) throw new CheckpointConflictError(collection, checkpoint.expected, 'missing');
      const actual = stored ?? undefined;
      if (actual !== checkpoint.expected) throw new CheckpointConflictError(collection, checkpoint.expected, actual);
      const rows = rowids ? this.writeByRowid(statements, rowids, changes, added) : this.writeById(collection, statements, changes, added);
      shelf.statements.setCheckpoint.run(checkpoint.next, collection);
      return rows;
    });
    let rows: RowChanges | undefined;
    try {
      rows = transaction.immediate();
    } catch (error) {
      // Someone else writes this collection: what this process remembers of its rows is not all there is.
      if (error instanceof CheckpointConflictError && rowids) buildIndexes(shelf.db, () => this.indexIds(shelf, collection));
      throw error;
    }
    // Only now that the transaction has committed are its rows recorded.
    if (rowids && rows) rowids.record(rows);
  }

  private writeById(
    collection: string,
    statements: CollectionStatements,
    changes: ReadonlyMap<string, StoredDocument | undefined>,
    added: NewDocuments | undefined,
  ): undefined {
    for (const [id, document] of commitWrites(changes, added)) {
      if (document === undefined) statements.remove.run(id);
      else this.upsertOf(collection).run(...statements.layout.bind(id, document));
    }
    return undefined;
  }

  /**
   * A commit to a collection without its id index: rows found by the ids this process remembers. New
   * documents are appended without a look for their rows, except those that a change replaces.
   */
  private writeByRowid(
    statements: CollectionStatements,
    rowids: RowIds,
    changes: ReadonlyMap<string, StoredDocument | undefined>,
    added: NewDocuments | undefined,
  ): RowChanges {
    const { layout } = statements;
    const rows: RowChanges = { added: [], fingerprints: [], firstRowid: Number(statements.lastRowid.get() ?? 0) + 1, removed: [] };
    let batched = 0;
    const insert = (id: string, document: StoredDocument, print = fingerprint(id)) => {
      layout.bindInsert(batched++, id, rows.firstRowid + rows.added.length, document);
      rows.added.push(id);
      rows.fingerprints.push(print);
      if (batched === INSERT_BATCH) {
        statements.insertBatch.run(...layout.batch);
        batched = 0;
      }
    };
    // Most ids asked about (the new documents', the earlier commits') are not among the changes: they
    // are asked of this filter first, whose "maybe" the changes answer.
    const changed = KeyFilter.of(changes.keys(), changes.size);
    if (added) {
      const { ids, documents } = added;
      for (let i = 0; i < ids.length; i++) {
        const print = fingerprint(ids[i]);
        if (!(changed.mayHaveFingerprint(print) && changes.has(ids[i]))) insert(ids[i], documents[i], print);
      }
    }
    const existing = rowids.find(changes, changed);
    for (const [id, document] of changes) {
      const rowid = existing.get(id);
      if (document === undefined) {
        if (rowid !== undefined) {
          statements.removeRow.run(rowid);
          rows.removed.push(id);
        }
      } else if (rowid !== undefined) {
        statements.update.run(...layout.bind(id, document, rowid));
      } else {
        insert(id, document);
      }
    }
    const width = layout.batch.length / INSERT_BATCH;
    for (let row = 0; row < batched; row++) statements.insert.run(...layout.batch.slice(row * width, (row + 1) * width));
    return rows;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const shelf of new Set(this.shelves.values())) if (shelf !== this.registry) shelf.db.close();
    this.shelves.clear();
    this.registry.db.close();
  }

  // ---- Inside ------------------------------------------------------------------------------------

  /**
   * Runs a read of the projection's live collection (each read is one statement: a snapshot of the
   * collection's file). A collection replaced between the registry's answer and the read (its file
   * deleted, or its table dropped from the registry's file) is looked up again.
   */
  private read<T>(projection: string, run: (collection: string, shelf: Shelf) => T): T {
    for (let attempt = 1; ; attempt++) {
      const collection = this.liveOf(projection);
      const shelf = this.shelfOf(collection);
      try {
        if (shelf) return run(collection, shelf);
        if (attempt === 3) throw new Error(`${projection}: the file of its live collection ${collection} is missing`);
      } catch (error) {
        if (attempt === 3 || this.liveOf(projection) === collection) throw error;
      }
    }
  }

  /** The live collection; when it is another than the last query read, this process lets go of that one. */
  private liveOf(projection: string): string {
    const live = this.statements.live.get(projection) as string | null | undefined;
    if (!live) throw new ProjectionNotFoundError(projection);
    const last = this.lastLive.get(projection);
    if (last !== live) {
      // Replaced, and its file deleted: keeping it open would keep its disk space taken. Unless this process still fills it.
      if (last !== undefined && !this.rowids.has(last) && this.shelves.get(last) !== this.registry) this.forget(last);
      this.lastLive.set(projection, live);
    }
    return live;
  }

  /** The open file of the collection; undefined when there is none. */
  private shelfOf(collection: string): Shelf | undefined {
    let shelf = this.shelves.get(collection);
    if (shelf) return shelf;
    if (this.registry.statements.schemaOf.get(collection) !== undefined) {
      shelf = this.registry;
    } else {
      assertCollectionName(collection);
      const file = this.pathOf(collection);
      if (!existsSync(file)) return undefined;
      try {
        shelf = new Shelf(file, openDatabase(file, this.connection, false));
      } catch (error) {
        // Deleted in between: a switch replaced it.
        if (!existsSync(file)) return undefined;
        throw error;
      }
    }
    this.shelves.set(collection, shelf);
    return shelf;
  }

  private pathOf(collection: string): string {
    return join(this.folder, `${collection}.sqlite`);
  }

  private loadNow<D>(collection: string, ids: readonly string[]): Map<string, D> {
    const found = new Map<string, D>();
    if (ids.length === 0) return found;
    const rowids = this.rowids.get(collection);
    const statements = this.statementsOf(collection);
    let rows: unknown[][];
    if (rowids) {
      const wanted = [...rowids.find(new Set(ids)).values()];
      if (wanted.length === 0) return found;
      rows = statements.loadRows.all(JSON.stringify(wanted)) as typeof rows;
    } else {
      rows = statements.load.all(JSON.stringify(ids)) as typeof rows;
    }
    for (const row of rows) found.set(row[0] as string, statements.layout.read(row) as D);
    return found;
  }

  /**
   * The collection's file with its table and its row in `collections`, made unless it is there.
   * `fresh`: a new collection, so whatever file has its name is a leftover of a build that was never
   * recorded, and is replaced. Otherwise an existing collection must have this schema.
   */
  private createCollection(collection: string, schema: CollectionSchema, { fresh }: { fresh: boolean }): Shelf {
    if (!fresh) {
      const shelf = this.shelfOf(collection);
      const stored = shelf?.statements.schemaOf.get(collection) as string | undefined;
      if (shelf && stored !== undefined) {
        if (stored !== JSON.stringify(schema)) {
          throw new SchemaError(`the schema of ${collection} changed; bump the projection's version to rebuild it`);
        }
        return shelf;
      }
    }
    this.forget(collection);
    const file = this.pathOf(collection);
    if (fresh) deleteFiles(file);
    const shelf = new Shelf(file, openDatabase(file, this.connection, true));
    const columns = Object.keys(schema.fields).map((field) => `, ${column(field)}`);
    shelf.db
      .transaction(() => {
        // No index yet, not even on the id: they come later, in one bulk build each (see index()).
        shelf.db.exec(`CREATE TABLE IF NOT EXISTS ${table(collection)} (id TEXT NOT NULL, body TEXT NOT NULL${columns.join('')})`);
        shelf.statements.insertCollection.run(collection, JSON.stringify(schema));
      })
      .immediate();
    // Until it has caught up and is indexed, no commit folds its WAL into the file. A fold (checkpoint)
    // syncs the file, and the thread that commits waits for the disk: a rebuild of the register from a
    // million events waited about 0.3 s in its folds. Now the first commit after index() folds the
    // whole WAL (some 300 MiB for the register: about 0.5 s, 0.25 s of it CPU), when the collection
    // already answers queries (bench/README, twelfth round). A crash loses nothing a commit wrote (the
    // WAL is read again on open); a power loss may take back commits that only the WAL held, documents
    // and checkpoint together, as for any commit with synchronous=NORMAL: the runner applies them again.
    shelf.db.pragma('wal_autocheckpoint = 0');
    this.shelves.set(collection, shelf);
    this.rowids.set(collection, new RowIds());
    return shelf;
  }

  /**
   * Gives the collection its unique index on the document id, unless it has one (or is of the
   * earlier layout with `id` as its primary key), and stops finding its documents by row id.
   */
  private indexIds(shelf: Shelf, collection: string): void {
    this.rowids.delete(collection);
    const primary = shelf.db.prepare('SELECT pk FROM pragma_table_info(?) WHERE name = ?').pluck().get(`docs:${collection}`, 'id');
    if (!primary) shelf.db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${idIndex(collection)} ON ${table(collection)} (id)`);
  }

  /**
   * Drops the collection, inside the registry's transaction that unlists it. A table in the
   * registry's file goes in that transaction (readers of other connections keep their snapshot with
   * it); a file of its own is returned, to be deleted once the transaction has committed.
   */
  private dropCollection(collection: string): string | undefined {
    const legacy = this.shelfOf(collection) === this.registry;
    this.forget(collection);
    if (!legacy) return this.pathOf(collection);
    this.registry.db.exec(`DROP TABLE IF EXISTS ${table(collection)}`);
    this.registry.statements.deleteCollection.run(collection);
    return undefined;
  }

  /** Closes this process's connection to the collection's file and forgets its statements and row ids. */
  private forget(collection: string): void {
    const shelf = this.shelves.get(collection);
    if (shelf && shelf !== this.registry) shelf.db.close();
    this.shelves.delete(collection);
    this.collections.delete(collection);
    this.rowids.delete(collection);
    for (const sql of this.queries.keys()) if (sql.includes(table(collection))) this.queries.delete(sql);
  }

  private deleteFiles(files: ReadonlyArray<string | undefined>): void {
    for (const file of files) if (file !== undefined) deleteFiles(file);
  }

  private statementsOf(collection: string): CollectionStatements {
    let statements = this.collections.get(collection);
    if (!statements) {
      const shelf = this.shelfOf(collection);
      const stored = shelf?.statements.schemaOf.get(collection) as string | undefined;
      if (!shelf || stored === undefined) throw new SchemaError(`unknown collection ${collection}`);
      const { db } = shelf;
      const schema = JSON.parse(stored) as CollectionSchema;
      const layout = new RowLayout(collection, schema);
      const names = layout.columns;
      const t = table(collection);
      const written = ['body', ...names, 'id'].join(', ');
      const values = (count: number) => `(${Array(count).fill('?').join(', ')})`;
      const insertSql = `INSERT INTO ${t} (${written}) VALUES ${values(names.length + 2)}`;
      const insertByRowid = `INSERT INTO ${t} (${written}, rowid) VALUES `;
      statements = {
        shelf,
        schema,
        layout,
        insertSql,
        insert: db.prepare(insertByRowid + values(names.length + 3)),
        insertBatch: db.prepare(insertByRowid + Array(INSERT_BATCH).fill(values(names.length + 3)).join(', ')),
        lastRowid: db.prepare(`SELECT max(rowid) FROM ${t}`).pluck(),
        update: db.prepare(`UPDATE ${t} SET body = ?${names.map((n) => `, ${n} = ?`).join('')} WHERE rowid = ?`),
        removeRow: db.prepare(`DELETE FROM ${t} WHERE rowid = ?`),
        loadRows: db.prepare(`SELECT ${layout.selection} FROM ${t} WHERE rowid IN (SELECT value FROM json_each(?))`).raw(),
        remove: db.prepare(`DELETE FROM ${t} WHERE id = ?`),
        load: db.prepare(`SELECT ${layout.selection} FROM ${t} WHERE id IN (SELECT value FROM json_each(?))`).raw(),
        upsert: undefined,
      };
      this.collections.set(collection, statements);
    }
    return statements;
  }

  private upsertOf(collection: string): Database.Statement {
    const statements = this.statementsOf(collection);
    if (!statements.upsert) {
      // A writer that did not prepare the collection (prepare() makes the index) must not fail on it.
      this.indexIds(statements.shelf, collection);
      const names = statements.layout.columns;
      statements.upsert = statements.shelf.db.prepare(
        `${statements.insertSql} ON CONFLICT (id) DO UPDATE SET body = excluded.body${names.map((n) => `, ${n} = excluded.${n}`).join('')}`,
      );
    }
    return statements.upsert;
  }

  /** A query's statement, prepared once (on the file of the collection its SQL names). */
  private queryStatement(shelf: Shelf, sql: string): Database.Statement {
    let statement = this.queries.get(sql);
    if (!statement) {
      if (this.queries.size > 500) this.queries.clear();
      statement = shelf.db.prepare(sql).raw();
      this.queries.set(sql, statement);
    }
    return statement;
  }
}

/** Deletes a database file and the files SQLite keeps beside it. */
function deleteFiles(file: string): void {
  for (const suffix of FILE_SUFFIXES) rmSync(`${file}${suffix}`, { force: true });
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
