import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger, settingsOrExit } from '@app/config';
import { isProjectorThread, runProjectorThread } from '@app/projections';
import { ProjectorAppModule } from './projector.module.js';

/** The projector alone (production: the API and the projector run apart). Health and metrics on PORT. */
async function main(): Promise<void> {
  // This bundle is also what its projector threads run (PROJECTOR_THREADS).
  if (isProjectorThread()) return runProjectorThread();
  const settings = settingsOrExit(process.env);
  const app = await NestFactory.create<NestFastifyApplication>(ProjectorAppModule.forRoot(settings, import.meta.filename), new FastifyAdapter(), {
    logger: createLogger(settings),
  });
  app.enableShutdownHooks();
  await app.listen(settings.port, settings.host);
  new Logger('Samverkan').log(
    `projector listening on ${await app.getUrl()} (log: ${settings.eventStoreConnectionString ? 'EventStoreDB' : settings.dataDir}, read models: ${settings.mongodbUri ? 'MongoDB' : settings.dataDir})`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
