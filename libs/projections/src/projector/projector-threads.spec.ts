import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadSettings } from '@app/config';
import { allProjections } from '../all-projections.js';
import type { AnyProjection } from './projection-runner.js';
import { projectionMetrics } from './projection-metrics.js';
import { UnknownProjectionError } from './projection-status.js';
import { ProjectorThreads, spreadByWeight } from './projector-threads.js';

const projection = (name: string, weight?: number) => ({ name, weight, version: 1 }) as unknown as AnyProjection;

describe('spreadByWeight', () => {
  const four = [projection('register', 2), projection('decisions', 0.5), projection('picture'), projection('progress')];

  it('gives each thread about the same total weight, heaviest first', () => {
    expect(spreadByWeight(four, 2)).toEqual([['register', 'decisions'], ['picture', 'progress']]);
  });

  it('uses no more threads than there are projections, and at least one', () => {
    expect(spreadByWeight(four, 8)).toEqual([['register'], ['picture'], ['progress'], ['decisions']]);
    expect(spreadByWeight(four, 1)).toEqual([['register', 'picture', 'progress', 'decisions']]);
    expect(spreadByWeight([projection('only')], 0)).toEqual([['only']]);
  });

  it('runs the register alone in one of two threads, and the other four in the other', () => {
    const projections = allProjections({ situationPeriodAnchor: '2021-01-04', reportingTimeZone: 'Europe/Stockholm' });
    expect(spreadByWeight(projections, 2)).toEqual([['incident-register'], ['situation-picture', 'goal-progress', 'decision-log', 'guard-reinforcements']]);
  });

  it('counts a projection without a weight as 1', () => {
    expect(spreadByWeight([projection('a'), projection('b'), projection('c')], 2)).toEqual([['a', 'c'], ['b']]);
  });
});

describe('ProjectorThreads', () => {
  const entry = join(import.meta.dirname, 'fake-projector-thread.testing.mjs');
  const settings = loadSettings({ DATA_DIR: '/nowhere' });
  const logged: string[] = [];
  const logger = { log: () => {}, warn: () => {}, error: (message: string) => logged.push(message) };
  const threadsOf = (names: string[]) =>
    new ProjectorThreads({ settings, entry, threads: 2, projections: names.map((name) => projection(name)), runner: { retryInitialMs: 10, retryMaxMs: 10 }, logger });

  it('answers status in the projections’ order, and routes waitFor and rebuild to the thread that runs the projection', async () => {
    const threads = threadsOf(['register', 'picture', 'progress']);
    await threads.start();
    try {
      expect(threads.shares).toEqual([['register', 'progress'], ['picture']]);
      expect((await threads.status()).map((status) => [status.name, status.state])).toEqual([
        ['register', 'live'],
        ['picture', 'live'],
        ['progress', 'live'],
      ]);
      expect(await threads.waitFor('picture', 5n, 100)).toBe(true);
      expect(await threads.waitFor('picture', 6n, 100)).toBe(false);
      await expect(threads.rebuild('progress')).resolves.toMatchObject({ name: 'progress', collection: 'progress@v1.1' });
      await expect(threads.waitFor('nothing', 1n, 100)).rejects.toThrow(UnknownProjectionError);
      await expect(threads.rebuild('nothing')).rejects.toThrow(UnknownProjectionError);
    } finally {
      await threads.stop();
    }
  });

  it('shows the projections of a thread that died as failing with the reason, and starts the thread again', async () => {
    const threads = threadsOf(['crashing', 'picture', 'neighbour']);
    await threads.start();
    try {
      await expect(threads.rebuild('crashing')).rejects.toThrow('the projector thread exited with code 3');
      const down = await threads.status();
      expect(down.map((status) => [status.name, status.state])).toEqual([
        ['crashing', 'failing'],
        ['picture', 'live'],
        ['neighbour', 'failing'],
      ]);
      expect(down[0].live?.lastError?.message).toBe('the projector thread exited with code 3');
      expect(await threads.waitFor('crashing', 1n, 100)).toBe(false);
      expect(logged.some((line) => line.includes('starting it again in 10 ms (crashing, neighbour)'))).toBe(true);
      for (const deadline = Date.now() + 5000; (await threads.status()).some((status) => status.state !== 'live'); ) {
        if (Date.now() > deadline) throw new Error('the thread was not started again');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await threads.waitFor('crashing', 5n, 100)).toBe(true);
    } finally {
      await threads.stop();
    }
  });

  it('starts a thread that ran a while before it died again after the shortest back-off, not one grown by deaths long past', async () => {
    let now = 0;
    const delays: number[] = [];
    const threads = new ProjectorThreads({
      settings,
      entry,
      threads: 1,
      projections: [projection('crashing')],
      runner: { retryInitialMs: 10, retryMaxMs: 1_000 },
      stableAfterMs: 60_000,
      now: () => now,
      logger: { ...logger, error: (message) => delays.push(Number(/starting it again in (\d+) ms/.exec(message)?.[1])) },
    });
    const dieAndComeBack = async () => {
      await expect(threads.rebuild('crashing')).rejects.toThrow('the projector thread exited with code 3');
      for (const deadline = Date.now() + 5000; (await threads.status())[0].state !== 'live'; ) {
        if (Date.now() > deadline) throw new Error('the thread was not started again');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    await threads.start();
    try {
      await dieAndComeBack();
      now += 1_000;
      await dieAndComeBack();
      expect(delays).toEqual([10, 20]);
      now += 60_000;
      await dieAndComeBack();
      expect(delays).toEqual([10, 20, 10]);
    } finally {
      await threads.stop();
    }
  });

  it('carries the event a projection failed on across the thread, into the metrics', async () => {
    const threads = threadsOf(['failing', 'picture']);
    await threads.start();
    try {
      const statuses = await threads.status();
      expect(statuses[0]).toMatchObject({ name: 'failing', state: 'failing', live: { failure: { position: '6', type: 'IncidentRecorded', stream: 'incident-boom' } } });
      expect(projectionMetrics(statuses, '7')).toMatch(
        /^samverkan_projection_failed_position\{projection="failing",collection="failing@v1\.1",event_type="IncidentRecorded"\} 6$/m,
      );
    } finally {
      await threads.stop();
    }
  });

  it('refuses to start when a thread cannot open its stores, naming its projections and the reason', async () => {
    const threads = threadsOf(['unopenable']);
    await expect(threads.start()).rejects.toThrow('projector thread (unopenable): cannot open the read store');
    // Not started again behind the caller's back: the caller heard of the failure.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logged.some((line) => line.includes('(unopenable)'))).toBe(false);
    await threads.stop();
  });
});
