import { join } from 'node:path';
import type { Settings } from '@app/config';
import type { ReadStore } from './read-store.port.js';
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
