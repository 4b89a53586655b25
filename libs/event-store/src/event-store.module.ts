import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import type { Settings } from '@app/config';
import { EVENT_STORE, type EventStore } from './event-store.port.js';
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

class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** Provides EVENT_STORE to the whole application and closes it at shutdown. */
@Global()
@Module({})
export class EventStoreModule {
  /** `store` replaces the adapter chosen from the settings (tests pass their own). */
  static forRoot(settings: Settings, store?: EventStore): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: async () => {
            const opened = store ?? (await openEventStore(settings));
            new Logger('EventStore').log(`event store: ${opened.constructor.name}`);
            return opened;
          },
        },
        EventStoreLifecycle,
      ],
      exports: [EVENT_STORE],
    };
  }
}
