import { ConsoleLogger } from '@nestjs/common';
import { loadSettings, type Settings, SettingsError } from './settings.js';

/** The settings of a starting app; a bad value stops the process with the message naming it (EX_CONFIG). */
export function settingsOrExit(env: Record<string, string | undefined>): Settings {
  try {
    return loadSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/** Structured (JSON) or text logs at the configured level, for every app. */
export function createLogger(settings: Settings): ConsoleLogger {
  const levels = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  return new ConsoleLogger({
    json: settings.logFormat === 'json',
    logLevels: levels.slice(0, levels.indexOf(settings.logLevel) + 1) as never,
  });
}
