import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createLogger, type Settings } from '@app/config';
import { ApiModule, type ApiModuleOptions } from './api.module.js';
import { CommandInputGuard } from './http/command-input.guard.js';
import { ProblemDetailsFilter } from './http/problem-details.js';
import { validationPipe } from './http/validation.js';

/** Request bodies above this are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppOptions extends ApiModuleOptions {
  logger?: LoggerService | false;
}

/** The API as a Nest application on Fastify, ready to listen: used by main.ts and by the end-to-end tests. */
export async function createApp(settings: Settings, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(settings, options), adapter, {
    logger: options.logger ?? createLogger(settings),
    bufferLogs: false,
  });
  // Guards run before pipes: a command's bad path or header is named together with its body's problems.
  app.useGlobalGuards(new CommandInputGuard());
  app.useGlobalPipes(validationPipe);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Samverkan')
      .setDescription('Commands and queries of the municipality and police safety collaboration. Errors are application/problem+json (RFC 9457).')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  await app.init();
  return app;
}
