export * from './event-store.port.js';
export { InMemoryEventStore } from './in-memory.adapter.js';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite.adapter.js';
export { EventStoreModule, openEventStore } from './event-store.module.js';
