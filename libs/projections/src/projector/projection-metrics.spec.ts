import { describe, expect, it } from '@jest/globals';
import { projectionMetrics } from './projection-metrics.js';
import type { ProjectionFailure, ProjectionStatus, RunnerStatus } from './projection-status.js';

const failure: ProjectionFailure = {
  position: '6',
  type: 'IncidentRecorded',
  stream: 'incident-boom',
  eventId: '00000000-0000-4000-8000-000000000006',
  error: 'TypeError: cannot read the boom',
  at: '2025-03-01T12:00:00.000Z',
};

const runner = (collection: string, state: RunnerStatus['state'], failed: ProjectionFailure | null): RunnerStatus => ({
  collection,
  version: 1,
  state,
  checkpoint: '5',
  lag: '2',
  eventsApplied: 5,
  batches: 1,
  retries: 0,
  lastError: null,
  failure: failed,
});

const status = (name: string, live: RunnerStatus, rebuild: RunnerStatus | null = null): ProjectionStatus => ({
  name,
  version: 1,
  state: live.state === 'failing' || rebuild?.state === 'failing' ? 'failing' : live.state,
  collection: live.collection,
  checkpoint: live.checkpoint,
  headPosition: '7',
  lag: live.lag,
  runsHere: true,
  live,
  rebuild,
});

/** The lines of the text format (0.0.4) this exposition uses: HELP and TYPE before the samples of their family, and samples. */
function checkExposition(text: string): void {
  expect(text.endsWith('\n')).toBe(true);
  const typed = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    const comment = /^# (HELP|TYPE) ([a-z_:][a-z0-9_:]*) (.+)$/.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE') {
        expect(['gauge', 'counter']).toContain(comment[3]);
        expect(typed.has(comment[2])).toBe(false);
        typed.add(comment[2]);
      }
      continue;
    }
    const sample = /^([a-z_:][a-z0-9_:]*)(\{[a-z_]+="(?:[^"\\\n]|\\.)*"(?:,[a-z_]+="(?:[^"\\\n]|\\.)*")*\})? -?\d+(\.\d+)?$/.exec(line);
    expect(sample).not.toBeNull();
    expect(typed.has(sample![1])).toBe(true);
  }
}

describe('projectionMetrics', () => {
  it('gives the position of the event a failing runner stopped at, with its projection, collection and event type', () => {
    const text = projectionMetrics(
      [status('incident-register', runner('incident-register@v2.1', 'live', null)), status('exploding', runner('exploding@v1.1', 'failing', failure))],
      '7',
    );
    checkExposition(text);
    expect(text).toMatch(/^# TYPE samverkan_projection_failed_position gauge$/m);
    expect(text).toMatch(/^samverkan_projection_failed_position\{projection="exploding",collection="exploding@v1\.1",event_type="IncidentRecorded"\} 6$/m);
    // A runner that has not failed has no sample: no position to give.
    expect(text).not.toMatch(/^samverkan_projection_failed_position\{projection="incident-register"/m);
    expect(text).toMatch(/^samverkan_projection_state\{projection="exploding",state="failing"\} 1$/m);
  });

  it('tells a failed rebuild from its live collection by the collection label', () => {
    const text = projectionMetrics(
      [status('exploding', runner('exploding@v1.1', 'live', null), runner('exploding@v1.2', 'failing', { ...failure, position: '4' }))],
      '7',
    );
    checkExposition(text);
    expect(text.match(/^samverkan_projection_failed_position.*$/gm)).toEqual([
      'samverkan_projection_failed_position{projection="exploding",collection="exploding@v1.2",event_type="IncidentRecorded"} 4',
    ]);
  });

  it('keeps the format valid with no failure at all, and with label values that need escaping', () => {
    const odd = status('odd', runner('odd@v1.1', 'failing', { ...failure, type: 'Say"Hi"\\\n' }));
    const text = projectionMetrics([odd, status('fine', runner('fine@v1.1', 'live', null))], null);
    checkExposition(text);
    expect(text).toContain('event_type="Say\\"Hi\\"\\\\\\n"} 6');
    checkExposition(projectionMetrics([status('fine', runner('fine@v1.1', 'live', null))], '7'));
  });
});
