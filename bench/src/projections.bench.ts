import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { allProjections, Projector } from '@app/projections';
import { appendSyntheticLog } from '@app/projections/projector/synthetic-log.testing.js';
import { SqliteReadStore } from '@app/read-store';
import { measure, round } from './measure.js';

export interface ProjectionsBenchOptions {
  /** Events in the log (BENCH_PROJECTION_EVENTS, default 1,000,000). */
  events: number;
  /** Events per page of the log while catching up (BENCH_PROJECTION_BATCH, default the projector's). */
  pageSize?: number;
  /** Only these projections (BENCH_PROJECTIONS=incident-register,decision-log); default all. */
  only?: string[];
  /** A log file to keep between runs (BENCH_PROJECTION_LOG): appended to when it holds fewer events, else reused. */
  logFile?: string;
}

/**
 * Rebuilds every projection from zero, all at once as the projector runs them (one subscription
 * each), from a SQLite log of realistic events into a SQLite read store. Prints events/s over the
 * whole log, peak memory, and when each projection reached the head.
 */
export async function projectionsBench(options: ProjectionsBenchOptions): Promise<void> {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'samverkan-bench-projections-'));
  const { events } = options;
  try {
    console.log(`\nProjections: rebuild from zero, log of ${events} events (SQLite log, SQLite read store)`);
    const store = new SqliteEventStore({ file: options.logFile ?? join(dir, 'events.sqlite') });
    if ((await store.headPosition()) !== BigInt(events)) {
      if ((await store.headPosition()) !== undefined) throw new Error(`${options.logFile} holds another log; remove it`);
      await measure('setup: append the synthetic log (not the figure)', events, () => appendSyntheticLog(store, events, 1));
    }
    const head = (await store.headPosition())!;

    const projections = allProjections({ situationPeriodAnchor: '2021-01-04', reportingTimeZone: 'Europe/Stockholm' }).filter(
      (projection) => !options.only || options.only.includes(projection.name),
    );
    const reads = new SqliteReadStore({ file: join(dir, 'read.sqlite') });
    const projector = new Projector(store, reads, projections, options.pageSize ? { pageSize: options.pageSize } : {});
    const started = process.hrtime.bigint();
    const liveAt = new Map<string, number>();
    const result = await measure(`rebuild ${projections.length} projections (${projections.map((p) => p.name).join(', ')})`, events, async () => {
      await projector.start();
      for (;;) {
        const statuses = await projector.status();
        for (const status of statuses) {
          if (status.state === 'failing') throw new Error(`${status.name} failed: ${JSON.stringify(status.live?.failure)}`);
          if (!liveAt.has(status.name) && status.checkpoint === head.toString()) liveAt.set(status.name, Number(process.hrtime.bigint() - started) / 1e9);
        }
        if (liveAt.size === statuses.length) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    const statuses = await projector.status();
    for (const status of statuses) {
      const applied = status.live?.eventsApplied ?? 0;
      const seconds = liveAt.get(status.name) ?? result.seconds;
      console.log(
        `  ${status.name.padEnd(24)} ${String(applied).padStart(9)} events applied in ${String(round(seconds, 2)).padStart(6)} s` +
          `  (${Math.round(applied / seconds)} applied/s, ${status.live?.batches ?? 0} batches)`,
      );
    }
    console.log(`  target: ≥ 100000 events/s over the whole log — ${result.eventsPerSecond >= 100_000 ? 'met' : 'NOT met'}`);
    await projector.stop();
    await reads.close();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
