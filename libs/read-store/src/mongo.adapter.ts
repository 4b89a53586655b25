import { type AnyBulkWriteOperation, type Collection, type Db, type Document, MongoClient } from 'mongodb';
import {
  assertCollectionName,
  assertProjectionName,
  assertSchema,
  type CheckpointChange,
  CheckpointConflictError,
  checkQuery,
  collectionName,
  commitWrites,
  type CollectionInfo,
  type CollectionSchema,
  type DocumentPage,
  type DocumentQuery,
  type FieldValue,
  type LiveCheckpoint,
  keyValue,
  type NewDocuments,
  ProjectionNotFoundError,
  type ProjectionRecord,
  type ReadStore,
  SchemaError,
  type StoredDocument,
} from './read-store.port.js';

export interface MongoReadStoreOptions {
  /** `MONGODB_URI`; transactions need a replica set (docker/ runs one). */
  uri: string;
  /** Default: the database named in the URI, else `samverkan`. */
  databaseName?: string;
  /** How long a replaced collection stays readable after a switch before it is dropped. */
  retireAfterMs?: number;
  /** How long a query may use the live collection it looked up last. Keep it well below retireAfterMs. */
  liveCacheMs?: number;
}

/** One stored document: the JSON document as it is, and the declared fields typed for indexes (positions as Int64). */
interface Row {
  _id: string;
  doc: StoredDocument;
  k: Record<string, FieldValue | null>;
}

interface RegistryDocument {
  _id: string;
  live: CollectionInfo | null;
  building: CollectionInfo | null;
  generation: number;
  /** Collections replaced by a switch, dropped once `retireAfterMs` has passed. */
  retired: Array<{ collection: string; at: Date }>;
}

interface CollectionDocument {
  _id: string;
  schema: string;
  /** Int64, or null before the first event. Changed only in the transaction that writes documents. */
  checkpoint: bigint | null;
}

const NAMESPACE_EXISTS = 48;

/**
 * Read models in MongoDB (driver 7). One MongoDB collection per read-store collection
 * (`docs.<collection>`), rows `{ _id, doc, k }`: `doc` the document, `k` the declared fields (log
 * positions as Int64, so they sort as numbers), indexed as declared with `_id` appended (once the
 * collection has caught up: see index()).
 * `_projections` is the registry, `_collections` holds schemas and checkpoints.
 *
 * A commit is one transaction on a session (`withTransaction`): the checkpoint compare-and-set and
 * the document writes commit together or not at all.
 *
 * A switch after a rebuild changes the registry entry in one update; the replaced collection is only
 * dropped `retireAfterMs` later (queries cache the live name for at most `liveCacheMs`), so a query
 * never reads a collection that vanished under it.
 */
export class MongoReadStore implements ReadStore {
  private readonly client: MongoClient;
  private readonly db: Db;
  private readonly registry: Collection<RegistryDocument>;
  private readonly meta: Collection<CollectionDocument>;
  private readonly schemas = new Map<string, CollectionSchema>();
  private readonly liveCache = new Map<string, { collection: string; until: number }>();
  private readonly retireAfterMs: number;
  private readonly liveCacheMs: number;
  private retireTimer: NodeJS.Timeout | undefined;
  private swept = false;
  private closed = false;

  constructor(options: MongoReadStoreOptions) {
    // bigint ↔ Int64 both ways; undefined fields left out, as JSON.stringify does in the other adapters.
    this.client = new MongoClient(options.uri, { useBigInt64: true, ignoreUndefined: true });
    this.db = this.client.db(options.databaseName ?? databaseOf(options.uri));
    this.registry = this.db.collection<RegistryDocument>('_projections');
    this.meta = this.db.collection<CollectionDocument>('_collections');
    this.retireAfterMs = options.retireAfterMs ?? 30_000;
    this.liveCacheMs = Math.min(options.liveCacheMs ?? 1_000, this.retireAfterMs / 2);
  }

  // ---- Queries -----------------------------------------------------------------------------------

  async get<D extends StoredDocument>(projection: string, id: string): Promise<D | undefined> {
    const row = await this.rows(await this.liveOf(projection)).findOne({ _id: id }, { projection: { doc: 1 } });
    return (row?.doc as D | undefined) ?? undefined;
  }

  async getMany<D extends StoredDocument>(projection: string, ids: readonly string[]): Promise<Map<string, D>> {
    return this.load<D>(await this.liveOf(projection), ids);
  }

  async query<D extends StoredDocument>(projection: string, query: DocumentQuery): Promise<DocumentPage<D>> {
    const collection = await this.liveOf(projection);
    const schema = await this.schemaOf(collection);
    checkQuery(collection, schema, query);
    const conditions: Document[] = [];
    for (const [field, value] of Object.entries(query.where ?? {})) conditions.push({ [`k.${field}`]: value });
    if (query.range) {
      const { field, gte, gt, lte, lt } = query.range;
      const bounds: Document = {};
      if (gte !== undefined) bounds.$gte = gte;
      if (gt !== undefined) bounds.$gt = gt;
      if (lte !== undefined) bounds.$lte = lte;
      if (lt !== undefined) bounds.$lt = lt;
      if (Object.keys(bounds).length > 0) conditions.push({ [`k.${field}`]: bounds });
    }
    const direction = query.orderBy?.direction === 'desc' ? -1 : 1;
    const beyond = direction === 1 ? '$gt' : '$lt';
    if (query.after) {
      if (query.orderBy) {
        const sortKey = `k.${query.orderBy.field}`;
        conditions.push({
          $or: [{ [sortKey]: { [beyond]: query.after.value } }, { [sortKey]: query.after.value, _id: { [beyond]: query.after.id } }],
        });
      } else {
        conditions.push({ _id: { [beyond]: query.after.id } });
      }
    }
    const sort: Record<string, 1 | -1> = query.orderBy ? { [`k.${query.orderBy.field}`]: direction, _id: direction } : { _id: direction };
    const rows = await this.rows(collection)
      .find(conditions.length ? { $and: conditions } : {}, { projection: { doc: 1 } })
      .sort(sort)
      .limit(query.limit + 1)
      .toArray();
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const items = page.map((row) => row.doc as D);
    let next = null;
    if (more) {
      const field = query.orderBy?.field;
      next = { value: field ? keyValue(collection, items[items.length - 1], field, schema.fields[field]) : null, id: page[page.length - 1]._id };
    }
    return { items, next };
  }

  // ---- Registry ----------------------------------------------------------------------------------

  async liveCheckpoint(projection: string): Promise<LiveCheckpoint> {
    const collection = await this.liveOf(projection);
    return { collection, checkpoint: await this.checkpoint(collection) };
  }

  async projection(name: string): Promise<ProjectionRecord | undefined> {
    const found = await this.registry.findOne({ _id: name });
    return found ? toRecord(found) : undefined;
  }

  async projections(): Promise<ProjectionRecord[]> {
    return (await this.registry.find({}).sort({ _id: 1 }).toArray()).map(toRecord);
  }

  async startBuild(name: string, version: number, schema: CollectionSchema): Promise<ProjectionRecord> {
    assertProjectionName(name);
    assertSchema(schema);
    await this.sweepOnce();
    // The generation is claimed first, so two builders never share a collection.
    const claimed = await this.registry.findOneAndUpdate(
      { _id: name },
      { $inc: { generation: 1 }, $setOnInsert: { live: null, building: null, retired: [] } },
      { upsert: true, returnDocument: 'after' },
    );
    if (!claimed) throw new Error(`could not claim a generation for ${name}`);
    const collection = collectionName(name, version, claimed.generation);
    await this.createCollection(collection, schema);
    const info = { collection, version };
    const before = toRecord(claimed);
    const update = before.live ? { building: info } : { live: info, building: null };
    const updated = await this.registry.findOneAndUpdate(
      { _id: name, generation: claimed.generation },
      { $set: update },
      { returnDocument: 'after' },
    );
    if (!updated) throw new Error(`another build of ${name} started meanwhile`);
    if (before.building) await this.dropCollection(before.building.collection);
    return toRecord(updated);
  }

  async promote(name: string, collection: string): Promise<ProjectionRecord> {
    const before = await this.registry.findOne({ _id: name });
    if (!before?.building || before.building.collection !== collection) throw new Error(`${collection} is not the collection being built for ${name}`);
    const retired = before.live ? [{ collection: before.live.collection, at: new Date() }] : [];
    // One update of one document: atomic. Queries see the old live collection or the new one.
    const updated = await this.registry.findOneAndUpdate(
      { _id: name, 'building.collection': collection, 'live.collection': before.live?.collection ?? null },
      { $set: { live: before.building, building: null }, $push: { retired: { $each: retired } } },
      { returnDocument: 'after' },
    );
    if (!updated) throw new Error(`the registry entry of ${name} changed during the switch`);
    this.liveCache.set(name, { collection, until: Date.now() + this.liveCacheMs });
    this.scheduleRetirement();
    return toRecord(updated);
  }

  // ---- Projector ---------------------------------------------------------------------------------

  async prepare(collection: string, schema: CollectionSchema): Promise<void> {
    assertCollectionName(collection);
    assertSchema(schema);
    await this.sweepOnce();
    await this.createCollection(collection, schema);
  }

  async index(collection: string): Promise<void> {
    const schema = await this.schemaOf(collection);
    if (schema.indexes.length === 0) return;
    // Same names and keys again: createIndexes is then a no-op.
    await this.rows(collection).createIndexes(
      schema.indexes.map((fields, i) => ({
        name: `ix${i}`,
        key: Object.fromEntries([...fields.map((field) => [`k.${field}`, 1] as const), ['_id', 1] as const]),
      })),
    );
  }

  async checkpoint(collection: string): Promise<bigint | undefined> {
    const found = await this.meta.findOne({ _id: collection });
    return found?.checkpoint ?? undefined;
  }

  async load<D extends StoredDocument>(collection: string, ids: readonly string[]): Promise<Map<string, D>> {
    const found = new Map<string, D>();
    if (ids.length === 0) return found;
    const rows = await this.rows(collection)
      .find({ _id: { $in: [...ids] } }, { projection: { doc: 1 } })
      .toArray();
    for (const row of rows) found.set(row._id, row.doc as D);
    return found;
  }

  async commit(
    collection: string,
    changes: ReadonlyMap<string, StoredDocument | undefined>,
    checkpoint: CheckpointChange,
    added?: NewDocuments,
  ): Promise<void> {
    const schema = await this.schemaOf(collection);
    const fields = Object.entries(schema.fields);
    // Built (and type-checked) before the transaction, so a bad document aborts nothing half-way.
    // New documents are upserted like the rest: a retried commit may find them written.
    const operations: AnyBulkWriteOperation<Row>[] = [];
    for (const [id, document] of commitWrites(changes, added)) {
      if (document === undefined) {
        operations.push({ deleteOne: { filter: { _id: id } } });
        continue;
      }
      const k: Row['k'] = {};
      for (const [field, type] of fields) k[field] = keyValue(collection, document, field, type);
      operations.push({ replaceOne: { filter: { _id: id }, replacement: { doc: document, k }, upsert: true } });
    }
    const rows = this.rows(collection);
    const session = this.client.startSession();
    try {
      await session.withTransaction(
        async () => {
          const moved = await this.meta.updateOne(
            { _id: collection, checkpoint: checkpoint.expected ?? null },
            { $set: { checkpoint: checkpoint.next } },
            { session },
          );
          if (moved.matchedCount !== 1) {
            const actual = await this.meta.findOne({ _id: collection }, { session });
            // Thrown inside the callback: the driver aborts the transaction and rethrows it.
            throw new CheckpointConflictError(collection, checkpoint.expected, actual ? (actual.checkpoint ?? undefined) : 'missing');
          }
          if (operations.length > 0) await rows.bulkWrite(operations, { session, ordered: true });
        },
        { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } },
      );
    } finally {
      await session.endSession();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.retireTimer) clearTimeout(this.retireTimer);
    await this.client.close();
  }

  // ---- Inside ------------------------------------------------------------------------------------

  private rows(collection: string): Collection<Row> {
    return this.db.collection<Row>(`docs.${collection}`);
  }

  private async liveOf(projection: string): Promise<string> {
    const cached = this.liveCache.get(projection);
    if (cached && cached.until > Date.now()) return cached.collection;
    const found = await this.registry.findOne({ _id: projection }, { projection: { live: 1 } });
    if (!found?.live) throw new ProjectionNotFoundError(projection);
    this.liveCache.set(projection, { collection: found.live.collection, until: Date.now() + this.liveCacheMs });
    return found.live.collection;
  }

  private async schemaOf(collection: string): Promise<CollectionSchema> {
    let schema = this.schemas.get(collection);
    if (!schema) {
      const found = await this.meta.findOne({ _id: collection });
      if (!found) throw new SchemaError(`unknown collection ${collection}`);
      schema = JSON.parse(found.schema) as CollectionSchema;
      this.schemas.set(collection, schema);
    }
    return schema;
  }

  private async createCollection(collection: string, schema: CollectionSchema): Promise<void> {
    const text = JSON.stringify(schema);
    const existing = await this.meta.findOne({ _id: collection });
    if (existing && existing.schema !== text) {
      throw new SchemaError(`the schema of ${collection} changed; bump the projection's version to rebuild it`);
    }
    try {
      await this.db.createCollection(`docs.${collection}`);
    } catch (error) {
      if ((error as { code?: unknown }).code !== NAMESPACE_EXISTS) throw error;
    }
    await this.meta.updateOne({ _id: collection }, { $setOnInsert: { schema: text, checkpoint: null } }, { upsert: true });
    this.schemas.set(collection, schema);
  }

  private async dropCollection(collection: string): Promise<void> {
    await this.rows(collection).drop().catch(() => false);
    await this.meta.deleteOne({ _id: collection });
    this.schemas.delete(collection);
  }

  /** Drops replaced collections whose grace time is over. */
  private async dropRetired(): Promise<void> {
    const due = new Date(Date.now() - this.retireAfterMs);
    const entries = await this.registry.find({ 'retired.at': { $lte: due } }).toArray();
    for (const entry of entries) {
      for (const { collection, at } of entry.retired) {
        if (at > due) continue;
        await this.dropCollection(collection);
        await this.registry.updateOne({ _id: entry._id }, { $pull: { retired: { collection } } });
      }
    }
  }

  private scheduleRetirement(): void {
    if (this.closed || this.retireTimer) return;
    this.retireTimer = setTimeout(() => {
      this.retireTimer = undefined;
      this.dropRetired()
        .then(async () => {
          if ((await this.registry.countDocuments({ 'retired.0': { $exists: true } })) > 0) this.scheduleRetirement();
        })
        .catch(() => this.scheduleRetirement());
    }, this.retireAfterMs + 10);
    this.retireTimer.unref();
  }

  /** A process that stopped during a grace time drops what it left once it starts again. */
  private async sweepOnce(): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    await this.dropRetired();
    if ((await this.registry.countDocuments({ 'retired.0': { $exists: true } })) > 0) this.scheduleRetirement();
  }
}

function databaseOf(uri: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?/]+)/.exec(uri);
  return match ? decodeURIComponent(match[1]) : 'samverkan';
}

function toRecord(found: RegistryDocument): ProjectionRecord {
  return { name: found._id, live: found.live ?? null, building: found.building ?? null, generation: found.generation };
}
