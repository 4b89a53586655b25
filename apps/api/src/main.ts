import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { settingsOrExit } from '@app/config';
import { isProjectorThread, runProjectorThread } from '@app/projections';
import { createApp } from './app.factory.js';

async function main(): Promise<void> {
  // This bundle is also what the projector threads run (PROJECTOR_THREADS).
  if (isProjectorThread()) return runProjectorThread();
  const settings = settingsOrExit(process.env);
  const app = await createApp(settings, { projectorThreadEntry: import.meta.filename });
  await app.listen(settings.port, settings.host);
  new Logger('Samverkan').log(`listening on ${await app.getUrl()} (data: ${settings.eventStoreConnectionString ? 'EventStoreDB' : settings.dataDir})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
