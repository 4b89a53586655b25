import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Settings } from '@app/config';
import { READ_STORE, type ReadStore } from './read-store.port.js';
import { openReadStore } from './read-store.factory.js';

class ReadStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** Provides READ_STORE to the whole application and closes it at shutdown. */
@Global()
@Module({})
export class ReadStoreModule {
  /** `store` replaces the adapter chosen from the settings (tests pass their own). */
  static forRoot(settings: Settings, store?: ReadStore): DynamicModule {
    return {
      module: ReadStoreModule,
      providers: [
        {
          provide: READ_STORE,
          useFactory: async () => {
            const opened = store ?? (await openReadStore(settings));
            new Logger('ReadStore').log(`read store: ${opened.constructor.name}`);
            return opened;
          },
        },
        ReadStoreLifecycle,
      ],
      exports: [READ_STORE],
    };
  }
}
