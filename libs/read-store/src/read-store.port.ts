/**
 * The read store: where projections keep their documents and checkpoints. Every adapter (SQLite,
 * MongoDB, in-memory) keeps exactly these semantics; `read-store.contract.ts` is the suite that
 * proves it.
 *
 * Two names for a place to keep documents:
 * - a **collection** is physical: one generation of one projection, `incident-register@v1.3`. The
 *   projector writes to collections.
 * - a **projection** is logical: `incident-register`. Its registry entry says which collection is
 *   live; queries read the live one, so a rebuild can fill a new collection beside it and switch over
 *   in one step.
 *
 * Documents are JSON objects. Log positions are `bigint` here and stored as 64-bit integers
 * (SQLite INTEGER, MongoDB Int64), so they sort and compare as numbers.
 */

/** A value a query can compare. */
export type FieldValue = string | number | boolean | bigint;

/**
 * How a queryable field is stored. `position` fields hold a log position as a decimal string in the
 * document and are stored (and compared) as a 64-bit integer; query them with `bigint`s.
 */
export type FieldType = 'string' | 'number' | 'boolean' | 'position';

/** The largest position (or revision) a store can hold: a signed 64-bit integer (SQLite INTEGER, MongoDB Int64). */
export const LARGEST_POSITION = 2n ** 63n - 1n;

/** Decimal digits of a position (or revision) a store can hold, as a bigint; undefined for anything else (a larger one fails as the store binds it). */
export function storablePosition(digits: string): bigint | undefined {
  if (!/^\d{1,20}$/.test(digits)) return undefined;
  const value = BigInt(digits);
  return value <= LARGEST_POSITION ? value : undefined;
}

/** What queries of a collection may filter and sort on; each adapter indexes it. */
export interface CollectionSchema {
  /** Top-level document fields that queries may use, with their type. */
  readonly fields: Readonly<Record<string, FieldType>>;
  /** Compound indexes over declared fields; the document id is appended to each (it breaks every tie). */
  readonly indexes: ReadonlyArray<readonly string[]>;
  /**
   * What else the documents depend on: the settings of the projection that made them (say, the time
   * zone its periods are cut in). Stored with the collection like the rest; a collection is prepared
   * again only with the same.
   */
  readonly builtWith?: Readonly<Record<string, string>>;
}

export type StoredDocument = Record<string, unknown>;

/** Where the next page starts: the sort value and id of the last item of the previous page. */
export interface PageCursor {
  /** The last item's value of the sort field; null when the order is by id alone. */
  value: FieldValue | null;
  id: string;
}

export interface RangeCondition {
  field: string;
  gte?: FieldValue;
  gt?: FieldValue;
  lte?: FieldValue;
  lt?: FieldValue;
}

export interface DocumentQuery {
  /** Equality on declared fields; null matches a missing or null value. */
  where?: Readonly<Record<string, FieldValue | null>>;
  /** A range on one declared field. */
  range?: RangeCondition;
  /** Order by a declared field (which every matching document must have), then by id. Omitted: by id. */
  orderBy?: { field: string; direction?: 'asc' | 'desc' };
  /** Key-set paging: items strictly after this cursor in the order. */
  after?: PageCursor;
  /** At least 1. */
  limit: number;
}

export interface DocumentPage<D> {
  items: D[];
  /** Where the next page starts, or null when this page is the last one. */
  next: PageCursor | null;
}

export interface LiveCheckpoint {
  collection: string;
  checkpoint: bigint | undefined;
}

/** One generation of a projection's documents. */
export interface CollectionInfo {
  collection: string;
  /** The projection's version that builds it. */
  version: number;
}

/** A projection's registry entry. */
export interface ProjectionRecord {
  name: string;
  /** What queries read; null only before the first build started. */
  live: CollectionInfo | null;
  /** A rebuild under way beside the live collection, if any. */
  building: CollectionInfo | null;
  /** The last generation number handed out (collections are `<name>@v<version>.<generation>`). */
  generation: number;
}

/** The checkpoint write that goes with a commit: it must still stand at `expected` (compare-and-set). */
export interface CheckpointChange {
  /** The checkpoint the writer started from; undefined for a collection nothing was applied to yet. */
  expected: bigint | undefined;
  next: bigint;
}

/**
 * Documents a commit writes that are new: no earlier commit wrote their ids, and `changes` names none
 * of them before them. A write-only projection's documents made by the first event that names them
 * (an incident's recording). The store need not look for rows of theirs: the SQLite store appends
 * them. Written before `changes`, which may replace or delete some of them.
 */
export interface NewDocuments {
  readonly ids: readonly string[];
  /** In the order of `ids`. */
  readonly documents: readonly StoredDocument[];
}

/** A commit's writes in the order they apply: the new documents, then the changes. */
export function* commitWrites(
  changes: ReadonlyMap<string, StoredDocument | undefined>,
  added: NewDocuments | undefined,
): Generator<[string, StoredDocument | undefined]> {
  if (added) for (let i = 0; i < added.ids.length; i++) yield [added.ids[i], added.documents[i]];
  yield* changes;
}

export interface ReadStore {
  // ---- Queries: by projection name, from its live collection -----------------------------------
  get<D extends StoredDocument>(projection: string, id: string): Promise<D | undefined>;
  getMany<D extends StoredDocument>(projection: string, ids: readonly string[]): Promise<Map<string, D>>;
  query<D extends StoredDocument>(projection: string, query: DocumentQuery): Promise<DocumentPage<D>>;
  /**
   * The live collection and its checkpoint, in one cheap read: what queries read right now. While
   * both are the same, every document of the projection is the same, so an answer worked out from
   * them may be reused (see the situation picture's view cache).
   */
  liveCheckpoint(projection: string): Promise<LiveCheckpoint>;

  // ---- Registry -----------------------------------------------------------------------------------
  projection(name: string): Promise<ProjectionRecord | undefined>;
  projections(): Promise<ProjectionRecord[]>;
  /**
   * Creates a fresh collection (next generation) for `name` at `version`, with an empty checkpoint
   * and no indexes yet (see `index`). With no live collection yet it is live at once; otherwise it is
   * `building` beside the live one (an unfinished earlier build is dropped).
   */
  startBuild(name: string, version: number, schema: CollectionSchema): Promise<ProjectionRecord>;
  /**
   * Makes the building collection live in one atomic step: a query sees the old collection or the
   * new one, never neither. The old one is dropped once no query can still be reading it.
   */
  promote(name: string, collection: string): Promise<ProjectionRecord>;

  // ---- Projector: by collection ------------------------------------------------------------------
  /** Makes sure the collection exists (idempotent; for a restart on an existing store). */
  prepare(collection: string, schema: CollectionSchema): Promise<void>;
  /**
   * Creates the collection's declared indexes where they are missing (idempotent). A new collection
   * is filled without them, which is several times faster for a rebuild (one bulk index build at the
   * end instead of random inserts into every index); queries are correct either way, only slower.
   * The projector calls this when the collection has caught up with the log, before it goes live.
   */
  index(collection: string): Promise<void>;
  /** The position of the last event applied to the collection; undefined when none was. */
  checkpoint(collection: string): Promise<bigint | undefined>;
  /** The documents with these ids that exist. */
  load<D extends StoredDocument>(collection: string, ids: readonly string[]): Promise<Map<string, D>>;
  /**
   * Writes the new documents, then the changed ones (undefined deletes), and moves the checkpoint, all
   * or nothing. Throws CheckpointConflictError, writing nothing, when the checkpoint is no longer at
   * `expected`.
   */
  commit(
    collection: string,
    changes: ReadonlyMap<string, StoredDocument | undefined>,
    checkpoint: CheckpointChange,
    added?: NewDocuments,
  ): Promise<void>;

  close(): Promise<void>;
}

export const READ_STORE = Symbol('READ_STORE');

/** Another writer moved the checkpoint: this writer's view is stale and it must reload. */
export class CheckpointConflictError extends Error {
  constructor(
    readonly collection: string,
    readonly expected: bigint | undefined,
    readonly actual: bigint | undefined | 'missing',
  ) {
    super(`checkpoint of ${collection}: expected ${expected ?? 'none'}, found ${actual ?? 'none'}`);
    this.name = 'CheckpointConflictError';
  }
}

/** A query named a projection that has no live collection (the projector has not started it yet). */
export class ProjectionNotFoundError extends Error {
  constructor(readonly projection: string) {
    super(`projection ${projection} has no live collection yet`);
    this.name = 'ProjectionNotFoundError';
  }
}

/** A query or a document does not fit the collection's schema: a programming error, not bad input. */
export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}

const NAME = /^[a-z][a-z0-9-]*$/;
const COLLECTION = /^[a-z][a-z0-9-]*@v\d+\.\d+$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function collectionName(projection: string, version: number, generation: number): string {
  assertProjectionName(projection);
  return `${projection}@v${version}.${generation}`;
}

export function assertProjectionName(name: string): void {
  if (!NAME.test(name)) throw new SchemaError(`not a projection name: ${name}`);
}

export function assertCollectionName(collection: string): void {
  if (!COLLECTION.test(collection)) throw new SchemaError(`not a collection name: ${collection}`);
}

export function assertSchema(schema: CollectionSchema): void {
  for (const [field, type] of Object.entries(schema.fields)) {
    if (!FIELD.test(field) || field === 'id') throw new SchemaError(`not a field name: ${field}`);
    if (!['string', 'number', 'boolean', 'position'].includes(type)) throw new SchemaError(`field ${field}: unknown type ${type}`);
  }
  for (const index of schema.indexes) {
    if (index.length === 0) throw new SchemaError('an index needs at least one field');
    for (const field of index) if (!(field in schema.fields)) throw new SchemaError(`index field ${field} is not declared`);
  }
}

/** The stored value of a declared field of a document (null when absent); throws when its type is wrong. */
export function keyValue(collection: string, document: StoredDocument, field: string, type: FieldType): FieldValue | null {
  const value = document[field];
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
    case 'number':
    case 'boolean':
      if (typeof value === type) return value as FieldValue;
      break;
    case 'position':
      if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
      if (typeof value === 'bigint') return value;
      break;
  }
  throw new SchemaError(`${collection}: field ${field} must be a ${type}, got ${JSON.stringify(String(value))}`);
}

/** A query value checked against the declared type of its field. */
export function queryValue(collection: string, schema: CollectionSchema, field: string, value: FieldValue | null): FieldValue | null {
  const type = schema.fields[field];
  if (type === undefined) throw new SchemaError(`${collection}: ${field} is not a queryable field`);
  if (value === null) return null;
  const ok = type === 'position' ? typeof value === 'bigint' : typeof value === type;
  if (!ok) throw new SchemaError(`${collection}: ${field} is compared with a ${type}, got ${typeof value}`);
  return value;
}

/** Checks a query against the schema once, for every adapter alike. */
export function checkQuery(collection: string, schema: CollectionSchema, query: DocumentQuery): void {
  if (!Number.isInteger(query.limit) || query.limit < 1) throw new SchemaError(`limit must be a whole number from 1, got ${query.limit}`);
  for (const [field, value] of Object.entries(query.where ?? {})) queryValue(collection, schema, field, value);
  if (query.range) {
    const { field, ...bounds } = query.range;
    for (const value of Object.values(bounds)) if (value !== undefined) queryValue(collection, schema, field, value);
  }
  if (query.orderBy) queryValue(collection, schema, query.orderBy.field, null);
  if (query.after && query.orderBy && query.after.value === null) throw new SchemaError(`${collection}: a cursor in a sorted query needs a value`);
  if (query.after && query.orderBy && query.after.value !== null) queryValue(collection, schema, query.orderBy.field, query.after.value);
}

/** Total order of stored values of one field, as the databases compare them (null first). */
export function compareValues(a: FieldValue | null, b: FieldValue | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'string' || typeof b === 'string') {
    const x = String(a);
    const y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
