export * from './read-store.port.js';
export { InMemoryReadStore } from './in-memory.adapter.js';
export { SqliteReadStore, type SqliteReadStoreOptions } from './sqlite.adapter.js';
export type { MongoReadStoreOptions } from './mongo.adapter.js';
export { openReadStore, ReadStoreModule } from './read-store.module.js';
export { type CursorKind, decodeCursor, encodeCursor, UTC_INSTANT } from './page-cursor.js';
