import {
  assertCollectionName,
  assertProjectionName,
  assertSchema,
  type CheckpointChange,
  CheckpointConflictError,
  checkQuery,
  collectionName,
  commitWrites,
  compareIds,
  compareValues,
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

interface MemoryCollection {
  schema: CollectionSchema;
  /** Documents as JSON text, so callers never share objects with the store (as with a real database). */
  documents: Map<string, string>;
  checkpoint: bigint | undefined;
}

/** Read models in memory, for fast tests. Same semantics as the durable adapters; nothing survives the process. */
export class InMemoryReadStore implements ReadStore {
  private readonly registry = new Map<string, ProjectionRecord>();
  private readonly collections = new Map<string, MemoryCollection>();

  async get<D extends StoredDocument>(projection: string, id: string): Promise<D | undefined> {
    const text = this.collectionOf(this.liveOf(projection)).documents.get(id);
    return text === undefined ? undefined : (JSON.parse(text) as D);
  }

  async getMany<D extends StoredDocument>(projection: string, ids: readonly string[]): Promise<Map<string, D>> {
    return this.load<D>(this.liveOf(projection), ids);
  }

  async query<D extends StoredDocument>(projection: string, query: DocumentQuery): Promise<DocumentPage<D>> {
    const name = this.liveOf(projection);
    const { schema, documents } = this.collectionOf(name);
    checkQuery(name, schema, query);
    const value = (document: StoredDocument, field: string): FieldValue | null => keyValue(name, document, field, schema.fields[field]);
    const sortField = query.orderBy?.field;
    const sign = query.orderBy?.direction === 'desc' ? -1 : 1;
    const order = (a: [string, StoredDocument], b: [string, StoredDocument]) =>
      sign * ((sortField ? compareValues(value(a[1], sortField), value(b[1], sortField)) : 0) || compareIds(a[0], b[0]));

    const matching: Array<[string, StoredDocument]> = [];
    for (const [id, text] of documents) {
      const document = JSON.parse(text) as StoredDocument;
      if (!this.matches(document, query, value)) continue;
      if (query.after) {
        const cursor: [string, StoredDocument] = [query.after.id, sortField ? { [sortField]: toStored(query.after.value) } : {}];
        if (order([id, document], cursor) <= 0) continue;
      }
      matching.push([id, document]);
    }
    matching.sort(order);
    const page = matching.slice(0, query.limit);
    const last = page[page.length - 1];
    const next = matching.length > query.limit ? { value: sortField ? value(last[1], sortField) : null, id: last[0] } : null;
    return { items: page.map(([, document]) => document as D), next };
  }

  async liveCheckpoint(projection: string): Promise<LiveCheckpoint> {
    const collection = this.liveOf(projection);
    return { collection, checkpoint: this.collectionOf(collection).checkpoint };
  }

  async projection(name: string): Promise<ProjectionRecord | undefined> {
    const record = this.registry.get(name);
    return record && structuredClone(record);
  }

  async projections(): Promise<ProjectionRecord[]> {
    return [...this.registry.values()].sort((a, b) => compareIds(a.name, b.name)).map((record) => structuredClone(record));
  }

  async startBuild(name: string, version: number, schema: CollectionSchema): Promise<ProjectionRecord> {
    assertProjectionName(name);
    assertSchema(schema);
    const record = this.registry.get(name);
    const generation = (record?.generation ?? 0) + 1;
    const collection = collectionName(name, version, generation);
    this.collections.set(collection, { schema: structuredClone(schema), documents: new Map(), checkpoint: undefined });
    if (record?.building) this.collections.delete(record.building.collection);
    const next: ProjectionRecord =
      record?.live
        ? { ...record, building: { collection, version }, generation }
        : { name, live: { collection, version }, building: null, generation };
    this.registry.set(name, next);
    return structuredClone(next);
  }

  async promote(name: string, collection: string): Promise<ProjectionRecord> {
    const record = this.registry.get(name);
    if (!record?.building || record.building.collection !== collection) throw new Error(`${collection} is not the collection being built for ${name}`);
    const next: ProjectionRecord = { ...record, live: record.building, building: null };
    this.registry.set(name, next);
    if (record.live) this.collections.delete(record.live.collection);
    return structuredClone(next);
  }

  async prepare(collection: string, schema: CollectionSchema): Promise<void> {
    assertCollectionName(collection);
    assertSchema(schema);
    const existing = this.collections.get(collection);
    if (!existing) this.collections.set(collection, { schema: structuredClone(schema), documents: new Map(), checkpoint: undefined });
    else if (JSON.stringify(existing.schema) !== JSON.stringify(schema)) {
      throw new SchemaError(`the schema of ${collection} changed; bump the projection's version to rebuild it`);
    }
  }

  async index(collection: string): Promise<void> {
    this.collectionOf(collection);
  }

  async checkpoint(collection: string): Promise<bigint | undefined> {
    return this.collections.get(collection)?.checkpoint;
  }

  async load<D extends StoredDocument>(collection: string, ids: readonly string[]): Promise<Map<string, D>> {
    const { documents } = this.collectionOf(collection);
    const found = new Map<string, D>();
    for (const id of ids) {
      const text = documents.get(id);
      if (text !== undefined) found.set(id, JSON.parse(text) as D);
    }
    return found;
  }

  async commit(
    collection: string,
    changes: ReadonlyMap<string, StoredDocument | undefined>,
    checkpoint: CheckpointChange,
    added?: NewDocuments,
  ): Promise<void> {
    const target = this.collections.get(collection);
    if (!target) throw new CheckpointConflictError(collection, checkpoint.expected, 'missing');
    if (target.checkpoint !== checkpoint.expected) throw new CheckpointConflictError(collection, checkpoint.expected, target.checkpoint);
    // Check every document before changing any: all or nothing.
    const writes: Array<[string, string | undefined]> = [];
    for (const [id, document] of commitWrites(changes, added)) {
      if (document) for (const [field, type] of Object.entries(target.schema.fields)) keyValue(collection, document, field, type);
      writes.push([id, document === undefined ? undefined : JSON.stringify(document)]);
    }
    for (const [id, text] of writes) {
      if (text === undefined) target.documents.delete(id);
      else target.documents.set(id, text);
    }
    target.checkpoint = checkpoint.next;
  }

  async close(): Promise<void> {}

  private liveOf(projection: string): string {
    const live = this.registry.get(projection)?.live;
    if (!live) throw new ProjectionNotFoundError(projection);
    return live.collection;
  }

  private collectionOf(collection: string): MemoryCollection {
    const found = this.collections.get(collection);
    if (!found) throw new SchemaError(`unknown collection ${collection}`);
    return found;
  }

  private matches(document: StoredDocument, query: DocumentQuery, value: (document: StoredDocument, field: string) => FieldValue | null): boolean {
    for (const [field, expected] of Object.entries(query.where ?? {})) {
      if (compareValues(value(document, field), expected) !== 0) return false;
    }
    if (query.range) {
      const { field, gte, gt, lte, lt } = query.range;
      const actual = value(document, field);
      // As in SQL and MongoDB range filters: a missing value is in no range.
      if (actual === null) return false;
      if (gte !== undefined && compareValues(actual, gte) < 0) return false;
      if (gt !== undefined && compareValues(actual, gt) <= 0) return false;
      if (lte !== undefined && compareValues(actual, lte) > 0) return false;
      if (lt !== undefined && compareValues(actual, lt) >= 0) return false;
    }
    return true;
  }
}

/** A cursor value as it would stand in a document (positions as decimal strings). */
function toStored(value: FieldValue | null): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
