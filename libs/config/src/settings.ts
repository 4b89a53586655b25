/** The runtime settings, read from the environment and checked once at start. */
export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  eventStoreConnectionString: string | undefined;
  mongodbUri: string | undefined;
  /** A Monday, `YYYY-MM-DD`: the first day of the first 14-day period. */
  situationPeriodAnchor: string;
  /** IANA time zone in which periods are cut. */
  reportingTimeZone: string;
  logFormat: 'json' | 'text';
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** Run the projections in the API process (RUN_PROJECTOR); default: true in the embedded default, false with EventStoreDB. */
  runProjector: boolean;
  /**
   * While a projection catches up (a rebuild, a start behind the log), the longest time its applied
   * events wait in memory before they are committed (PROJECTOR_CATCH_UP_COMMIT_MS, default 15000): what
   * a crash during a catch-up can cost. Rare commits make catching up fast (each writes every document
   * changed since the last one, and while a rebuild goes through a log in random order that is about
   * every document it has); 0 commits every page.
   */
  catchUpCommitMs: number;
  /**
   * How many documents each projection keeps in memory between commits (PROJECTOR_CACHE_DOCUMENTS,
   * default 500,000): those it applies events to again need no read. A catch-up commits when its
   * cache is over this, and a cache over it is emptied after a commit. A write-only projection (the
   * incident register) keeps only what it wrote since its last commit, about half a kilobyte an entry.
   */
  projectorCacheDocuments: number;
  /**
   * How many worker threads the projections run in, spread over them by their weight
   * (PROJECTOR_THREADS, default 2; 0 runs them on the main thread). Threads let a rebuild use more than
   * one core, and keep projection work off the thread that answers requests.
   */
  projectorThreads: number;
}

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

/** Reads every setting; a bad value is reported by its variable's name, all problems at once. */
export function loadSettings(env: Env): Settings {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };

  const portText = read('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) problems.push(`PORT must be a whole number from 0 to 65535, got '${portText}'`);

  const eventStoreConnectionString = read('EVENTSTORE_CONNECTION_STRING');
  if (eventStoreConnectionString && !/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\/./.test(eventStoreConnectionString)) {
    problems.push("EVENTSTORE_CONNECTION_STRING must be an EventStoreDB connection string such as 'esdb://localhost:2113?tls=false'");
  }

  const mongodbUri = read('MONGODB_URI');
  if (mongodbUri && !/^mongodb(\+srv)?:\/\/./.test(mongodbUri)) {
    problems.push("MONGODB_URI must start with 'mongodb://' or 'mongodb+srv://'");
  }

  const situationPeriodAnchor = read('SITUATION_PERIOD_ANCHOR') ?? '2021-01-04';
  const anchor = /^\d{4}-\d{2}-\d{2}$/.test(situationPeriodAnchor) ? new Date(`${situationPeriodAnchor}T00:00:00Z`) : undefined;
  if (!anchor || Number.isNaN(anchor.getTime()) || anchor.toISOString().slice(0, 10) !== situationPeriodAnchor) {
    problems.push(`SITUATION_PERIOD_ANCHOR must be a date YYYY-MM-DD, got '${situationPeriodAnchor}'`);
  } else if (anchor.getUTCDay() !== 1) {
    problems.push(`SITUATION_PERIOD_ANCHOR must be a Monday, got '${situationPeriodAnchor}'`);
  }

  const reportingTimeZone = read('TZ_REPORTING') ?? 'Europe/Stockholm';
  try {
    new Intl.DateTimeFormat('en', { timeZone: reportingTimeZone });
  } catch {
    problems.push(`TZ_REPORTING must be an IANA time zone such as 'Europe/Stockholm', got '${reportingTimeZone}'`);
  }

  const logFormat = read('LOG_FORMAT') ?? 'json';
  if (logFormat !== 'json' && logFormat !== 'text') problems.push(`LOG_FORMAT must be 'json' or 'text', got '${logFormat}'`);
  const logLevel = read('LOG_LEVEL') ?? 'log';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${logLevel}'`);

  const runProjectorText = read('RUN_PROJECTOR')?.toLowerCase() ?? (eventStoreConnectionString ? 'false' : 'true');
  if (!['true', 'false', '1', '0'].includes(runProjectorText)) problems.push(`RUN_PROJECTOR must be 'true' or 'false', got '${runProjectorText}'`);

  const catchUpText = read('PROJECTOR_CATCH_UP_COMMIT_MS') ?? '15000';
  const catchUpCommitMs = Number(catchUpText);
  if (!/^\d+$/.test(catchUpText) || catchUpCommitMs > 3_600_000) {
    problems.push(`PROJECTOR_CATCH_UP_COMMIT_MS must be a whole number of milliseconds from 0 to 3600000, got '${catchUpText}'`);
  }

  const cacheText = read('PROJECTOR_CACHE_DOCUMENTS') ?? '500000';
  const projectorCacheDocuments = Number(cacheText);
  if (!/^\d+$/.test(cacheText) || projectorCacheDocuments < 1 || projectorCacheDocuments > 100_000_000) {
    problems.push(`PROJECTOR_CACHE_DOCUMENTS must be a whole number of documents from 1 to 100000000, got '${cacheText}'`);
  }

  const threadsText = read('PROJECTOR_THREADS') ?? '2';
  const projectorThreads = Number(threadsText);
  if (!/^\d+$/.test(threadsText) || projectorThreads > 16) {
    problems.push(`PROJECTOR_THREADS must be a whole number from 0 to 16, got '${threadsText}'`);
  }

  const dataDir = read('DATA_DIR') ?? './data';
  if (problems.length > 0) throw new SettingsError(problems);
  return {
    port,
    host: read('HOST') ?? '0.0.0.0',
    dataDir,
    eventStoreConnectionString,
    mongodbUri,
    situationPeriodAnchor,
    reportingTimeZone,
    logFormat: logFormat as Settings['logFormat'],
    logLevel: logLevel as Settings['logLevel'],
    runProjector: runProjectorText === 'true' || runProjectorText === '1',
    catchUpCommitMs,
    projectorCacheDocuments,
    projectorThreads,
  };
}

export const SETTINGS = Symbol('SETTINGS');
