import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Settings } from '@app/config';
import { EVENT_STORE, type EventStore } from './event-store.port.js';
import { openEventStore } from './event-store.factory.js';

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
