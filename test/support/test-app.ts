import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadSettings } from '@app/config';
import { type EventStore, SqliteEventStore } from '@app/event-store';
import { createApp } from '../../apps/api/src/app.factory.js';

export interface TestApp {
  app: NestFastifyApplication;
  store: EventStore;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** The API on a fresh SQLite store in a temporary DATA_DIR, listening on a free loopback port. */
export async function startTestApp(): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-e2e-'));
  const settings = loadSettings({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error' });
  const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  const app = await createApp(settings, { store, logger: false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    app,
    store,
    http: () => request(url),
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The whole log, to prove that refused commands changed nothing. */
export async function logSnapshot(store: EventStore): Promise<string[]> {
  return (await store.readAll()).map((e) => `${e.position}:${e.stream}@${e.revision}:${e.type}`);
}
