import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { createLogger, settingsOrExit } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { READ_STORE, type ReadStore } from '@app/read-store';
import { DemoModule } from './demo.module.js';
import { assertEventStoreEmpty, DemoRefusedError, runDemo } from './demo.runner.js';
import { demoScript } from './demo.script.js';
import { assertReadModelsEmpty, catchUpReadModels, goalProgress, situationPicture, StaleReadModelsError, summaryLines } from './demo.summary.js';

/** `npm run demo`: fills an empty store with Danderyd's 2019–2022 through the command bus, then its read models. */
async function main(): Promise<void> {
  const settings = settingsOrExit(process.env);
  // The demo prints its own summary; the framework's start-up lines only when LOG_LEVEL asks for them.
  const logger = createLogger(process.env.LOG_LEVEL ? settings : { ...settings, logLevel: 'warn', logFormat: 'text' });
  const app = await NestFactory.createApplicationContext(DemoModule.forRoot(settings), { logger });
  try {
    const store = app.get<EventStore>(EVENT_STORE);
    const readStore = app.get<ReadStore>(READ_STORE);
    await assertEventStoreEmpty(store);
    await assertReadModelsEmpty(readStore);
    const where = settings.eventStoreConnectionString ? 'EventStoreDB' : `DATA_DIR=${settings.dataDir}`;
    console.log(`Writing Danderyd 2019–2022 into ${where} …`);
    const script = demoScript({ periodAnchor: settings.situationPeriodAnchor });
    const run = await runDemo(app.get(CommandBus), store, script, {
      onProgress: (at, done, total) => {
        if (at.toISOString().slice(5, 7) === '01' || done === total) process.stdout.write(`  ${at.toISOString().slice(0, 7)}: ${done} of ${total} commands\n`);
      },
    });
    console.log('Filling the read models …');
    const readModelsMs = await catchUpReadModels(store, readStore, settings);
    const picture = script.showcasePeriod ? await situationPicture(readStore, settings, script.showcasePeriod) : null;
    const progress = await goalProgress(readStore, settings, script.actionPlanId);
    console.log(['', ...summaryLines({ script, run, readModelsMs, picture, progress, port: settings.port })].join('\n'));
  } catch (error) {
    if (error instanceof DemoRefusedError || error instanceof StaleReadModelsError) {
      console.error(`The demo did not run: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
