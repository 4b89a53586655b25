import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { settingsOrExit } from '@app/config';
import { createApp } from './app.factory.js';

/** Starts the API (with the projector in it, in threads that run `threadEntry`). */
export async function serve(threadEntry: string): Promise<void> {
  const settings = settingsOrExit(process.env);
  const app = await createApp(settings, { projectorThreadEntry: threadEntry });
  await app.listen(settings.port, settings.host);
  new Logger('Samverkan').log(`listening on ${await app.getUrl()} (data: ${settings.eventStoreConnectionString ? 'EventStoreDB' : settings.dataDir})`);
}
