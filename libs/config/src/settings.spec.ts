import { describe, expect, it } from '@jest/globals';
import { loadSettings, SettingsError } from './settings.js';

describe('loadSettings', () => {
  it('has defaults for an empty environment', () => {
    expect(loadSettings({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      dataDir: './data',
      eventStoreConnectionString: undefined,
      mongodbUri: undefined,
      situationPeriodAnchor: '2021-01-04',
      reportingTimeZone: 'Europe/Stockholm',
      logFormat: 'json',
      logLevel: 'log',
      runProjector: true,
      catchUpCommitMs: 15_000,
      projectorCacheDocuments: 500_000,
      projectorThreads: 2,
    });
  });

  it('reads every variable', () => {
    const settings = loadSettings({
      PORT: '8080',
      DATA_DIR: '/var/lib/samverkan',
      EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      MONGODB_URI: 'mongodb://localhost:27017/samverkan?replicaSet=rs0',
      SITUATION_PERIOD_ANCHOR: '2022-01-03',
      TZ_REPORTING: 'Europe/Helsinki',
    });
    expect(settings).toMatchObject({
      port: 8080,
      dataDir: '/var/lib/samverkan',
      eventStoreConnectionString: 'esdb://localhost:2113?tls=false',
      mongodbUri: 'mongodb://localhost:27017/samverkan?replicaSet=rs0',
      situationPeriodAnchor: '2022-01-03',
      reportingTimeZone: 'Europe/Helsinki',
    });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadSettings({ PORT: 'eighty', SITUATION_PERIOD_ANCHOR: '2021-01-05', TZ_REPORTING: 'Mars/Olympus', MONGODB_URI: 'postgres://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const problems = (error as SettingsError).problems.join('\n');
    expect(problems).toMatch(/^PORT /m);
    expect(problems).toMatch(/^SITUATION_PERIOD_ANCHOR must be a Monday/m);
    expect(problems).toMatch(/^TZ_REPORTING /m);
    expect(problems).toMatch(/^MONGODB_URI /m);
  });

  it('runs the projector in the API process by default only in the embedded default', () => {
    expect(loadSettings({}).runProjector).toBe(true);
    expect(loadSettings({ EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' }).runProjector).toBe(false);
    expect(loadSettings({ EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false', RUN_PROJECTOR: 'true' }).runProjector).toBe(true);
    expect(loadSettings({ RUN_PROJECTOR: 'false' }).runProjector).toBe(false);
    expect(() => loadSettings({ RUN_PROJECTOR: 'yes' })).toThrow(/RUN_PROJECTOR must be 'true' or 'false'/);
  });

  it('commits a catch-up every 15 s by default, and refuses a commit interval that is not a whole number', () => {
    expect(loadSettings({}).catchUpCommitMs).toBe(15_000);
    expect(loadSettings({ PROJECTOR_CATCH_UP_COMMIT_MS: '0' }).catchUpCommitMs).toBe(0);
    expect(() => loadSettings({ PROJECTOR_CATCH_UP_COMMIT_MS: '1.5' })).toThrow(/PROJECTOR_CATCH_UP_COMMIT_MS must be a whole number/);
    expect(() => loadSettings({ PROJECTOR_CATCH_UP_COMMIT_MS: '-1' })).toThrow(/PROJECTOR_CATCH_UP_COMMIT_MS/);
  });

  it('keeps 500,000 documents per projection in memory by default, and refuses a cache that is not a whole number from 1', () => {
    expect(loadSettings({}).projectorCacheDocuments).toBe(500_000);
    expect(loadSettings({ PROJECTOR_CACHE_DOCUMENTS: '1000' }).projectorCacheDocuments).toBe(1000);
    expect(() => loadSettings({ PROJECTOR_CACHE_DOCUMENTS: '0' })).toThrow(/PROJECTOR_CACHE_DOCUMENTS must be a whole number of documents from 1 to 100000000, got '0'/);
    expect(() => loadSettings({ PROJECTOR_CACHE_DOCUMENTS: '5e5' })).toThrow(/PROJECTOR_CACHE_DOCUMENTS/);
  });

  it('runs the projections in two threads by default, in none with 0, and refuses other counts', () => {
    expect(loadSettings({}).projectorThreads).toBe(2);
    expect(loadSettings({ PROJECTOR_THREADS: '0' }).projectorThreads).toBe(0);
    expect(() => loadSettings({ PROJECTOR_THREADS: '17' })).toThrow(/PROJECTOR_THREADS must be a whole number from 0 to 16, got '17'/);
    expect(() => loadSettings({ PROJECTOR_THREADS: 'two' })).toThrow(/PROJECTOR_THREADS/);
  });

  it('refuses an anchor that is not a real date', () => {
    expect(() => loadSettings({ SITUATION_PERIOD_ANCHOR: '2021-02-30' })).toThrow(/SITUATION_PERIOD_ANCHOR must be a date/);
  });
});
