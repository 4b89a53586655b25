export * from './event-store.port.js';
export { InMemoryEventStore } from './in-memory.adapter.js';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite.adapter.js';
// Not the Nest module (`./event-store.module.js`): what a projector thread loads stays free of the framework.
export { openEventStore } from './event-store.factory.js';
