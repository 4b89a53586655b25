import { join } from 'node:path';
import type { Settings } from '@app/config';
import type { EventStore } from './event-store.port.js';
import { SqliteEventStore } from './sqlite.adapter.js';

/** Chooses the event-store adapter from the settings: EventStoreDB when its connection string is set, else SQLite under DATA_DIR. */
export async function openEventStore(settings: Settings): Promise<EventStore> {
  if (settings.eventStoreConnectionString) {
    // Loaded only when configured: the gRPC client is heavy and the embedded default never needs it.
    const { EventStoreDbEventStore } = await import('./esdb.adapter.js');
    return new EventStoreDbEventStore(settings.eventStoreConnectionString);
  }
  return new SqliteEventStore({ file: join(settings.dataDir, 'events.sqlite') });
}
