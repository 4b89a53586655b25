import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadSettings, type Settings, SettingsError } from '@app/config';
import { ProjectorAppModule } from './projector.module.js';

function logger(settings: Settings): ConsoleLogger {
  const levels = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  return new ConsoleLogger({ json: settings.logFormat === 'json', logLevels: levels.slice(0, levels.indexOf(settings.logLevel) + 1) as never });
}

/** The projector alone (production: the API and the projector run apart). Health and metrics on PORT. */
async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings(process.env);
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await NestFactory.create<NestFastifyApplication>(ProjectorAppModule.forRoot(settings), new FastifyAdapter(), {
    logger: logger(settings),
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
