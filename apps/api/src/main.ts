import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadSettings, SettingsError } from '@app/config';
import { createApp } from './app.factory.js';

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
  const app = await createApp(settings);
  await app.listen(settings.port, settings.host);
  new Logger('Samverkan').log(`listening on ${await app.getUrl()} (data: ${settings.eventStoreConnectionString ? 'EventStoreDB' : settings.dataDir})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
