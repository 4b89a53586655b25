export * from './read-store.port.js';
export { InMemoryReadStore } from './in-memory.adapter.js';
export { KeyFilter } from './key-filter.js';
export { SqliteReadStore, type SqliteReadStoreOptions } from './sqlite.adapter.js';
export type { MongoReadStoreOptions } from './mongo.adapter.js';
// Not the Nest module (`./read-store.module.js`): what a projector thread loads stays free of the framework.
export { openReadStore } from './read-store.factory.js';
export { type CursorKind, decodeCursor, encodeCursor, UTC_INSTANT } from './page-cursor.js';
