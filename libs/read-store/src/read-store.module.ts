import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import type { Settings } from '@app/config';
import { READ_STORE, type ReadStore } from './read-store.port.js';
import { SqliteReadStore } from './sqlite.adapter.js';

/** Chooses the read-store adapter from the settings: MongoDB when MONGODB_URI is set, else `read.sqlite` under DATA_DIR. */
export async function openReadStore(settings: Pick<Settings, 'mongodbUri' | 'dataDir'>): Promise<ReadStore> {
  if (settings.mongodbUri) {
    // Loaded only when configured, like the EventStoreDB client.
    const { MongoReadStore } = await import('./mongo.adapter.js');
    return new MongoReadStore({ uri: settings.mongodbUri });
  }
  return new SqliteReadStore({ file: join(settings.dataDir, 'read.sqlite') });
}

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
