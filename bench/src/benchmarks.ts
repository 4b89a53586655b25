import { join } from 'node:path';
import { cpus } from 'node:os';
import { type EventStoreBenchOptions, runEventStoreBench, sqliteBench } from './event-store.bench.js';
import { httpBench } from './http.bench.js';
import type { SyntheticLogOrder } from '@app/projections/projector/synthetic-log.testing.js';
import { projectionsBench } from './projections.bench.js';
import { situationPictureQueryBench } from './situation-picture-query.bench.js';

/**
 * Benchmarks that print figures. `node dist/bench/main.js [event-store|http|projections|situation-picture|all]`.
 * Sizes: BENCH_STREAMS (1000), BENCH_EVENTS_PER_STREAM (100), BENCH_CONCURRENCY (64),
 * BENCH_HTTP_CONNECTIONS (32), BENCH_HTTP_SECONDS (10),
 * BENCH_PROJECTION_EVENTS (1000000), BENCH_PROJECTION_ORDER (random or time), BENCH_PROJECTION_BATCH (page size), BENCH_PROJECTIONS (names, default all),
 * BENCH_PROJECTION_DIR (a directory keeping the log between runs, so the million events are appended once),
 * BENCH_PROJECTOR_THREADS (2; 0 runs the projections on the main thread), BENCH_PROJECTION_RUNS (rebuilds in a row, 1),
 * BENCH_PICTURE_INCIDENTS (20000).
 */
export async function runBenchmarks(threadEntry: string): Promise<void> {
  const what = process.argv[2] ?? 'all';
  const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  // Node's options belong to the figures: --single-threaded-gc (as `npm start` runs the API) changes what a rebuild costs.
  const flags = process.execArgv.length > 0 ? `, node ${process.execArgv.join(' ')}` : '';
  console.log(`Samverkan benchmarks — Node ${process.version}${flags}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'})`);
  const options: EventStoreBenchOptions = {
    streams: number('BENCH_STREAMS', 1000),
    eventsPerStream: number('BENCH_EVENTS_PER_STREAM', 100),
    concurrency: number('BENCH_CONCURRENCY', 64),
  };
  if (what === 'event-store' || what === 'all') {
    await sqliteBench(options);
    const connection = process.env.EVENTSTORE_CONNECTION_STRING;
    if (connection) {
      const { EventStoreDbEventStore } = await import('@app/event-store/esdb.adapter.js');
      await runEventStoreBench('EventStoreDB', async () => new EventStoreDbEventStore(connection), options);
    } else {
      console.log('\nEventStoreDB: skipped (EVENTSTORE_CONNECTION_STRING is not set)');
    }
  }
  if (what === 'projections' || what === 'all') {
    await projectionsBench({
      events: number('BENCH_PROJECTION_EVENTS', 1_000_000),
      order: logOrder(process.env.BENCH_PROJECTION_ORDER),
      pageSize: process.env.BENCH_PROJECTION_BATCH ? number('BENCH_PROJECTION_BATCH', 2000) : undefined,
      only: process.env.BENCH_PROJECTIONS?.split(',').map((name) => name.trim()),
      dir: process.env.BENCH_PROJECTION_DIR,
      threads: number('BENCH_PROJECTOR_THREADS', 2),
      threadEntry,
      runs: number('BENCH_PROJECTION_RUNS', 1),
    });
  }
  if (what === 'http' || what === 'all') {
    await httpBench({
      apiMain: join(import.meta.dirname, '..', 'apps', 'api', 'main.js'),
      connections: number('BENCH_HTTP_CONNECTIONS', 32),
      durationSeconds: number('BENCH_HTTP_SECONDS', 10),
    });
  }
  if (what === 'situation-picture' || what === 'all') {
    await situationPictureQueryBench({
      apiMain: join(import.meta.dirname, '..', 'apps', 'api', 'main.js'),
      connections: number('BENCH_HTTP_CONNECTIONS', 32),
      durationSeconds: number('BENCH_HTTP_SECONDS', 10),
      incidents: number('BENCH_PICTURE_INCIDENTS', 20_000),
    });
  }
}

/** BENCH_PROJECTION_ORDER: `random` (the default) or `time`. */
function logOrder(text: string | undefined): SyntheticLogOrder {
  if (text === undefined || text === 'random' || text === 'time') return text ?? 'random';
  throw new Error(`BENCH_PROJECTION_ORDER must be random or time, got '${text}'`);
}
