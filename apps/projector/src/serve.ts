import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger, settingsOrExit } from '@app/config';
import { ProjectorAppModule } from './projector.module.js';

/** The projector alone (production: the API and the projector run apart), in threads that run `threadEntry`. Health and metrics on PORT. */
export async function serve(threadEntry: string): Promise<void> {
  const settings = settingsOrExit(process.env);
  const app = await NestFactory.create<NestFastifyApplication>(ProjectorAppModule.forRoot(settings, threadEntry), new FastifyAdapter(), {
    logger: createLogger(settings),
  });
  app.enableShutdownHooks();
  await app.listen(settings.port, settings.host);
  new Logger('Samverkan').log(
    `projector listening on ${await app.getUrl()} (log: ${settings.eventStoreConnectionString ? 'EventStoreDB' : settings.dataDir}, read models: ${settings.mongodbUri ? 'MongoDB' : settings.dataDir})`,
  );
}
