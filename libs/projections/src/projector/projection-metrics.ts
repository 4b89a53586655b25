import type { ProjectionStatus, RunnerStatus } from './projection-status.js';

const STATES = ['catching-up', 'live', 'failing', 'rebuilding', 'stopped'] as const;

/** The projections' status in the Prometheus text exposition format (0.0.4). */
export function projectionMetrics(statuses: readonly ProjectionStatus[], head: string | null): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: Array<[Record<string, string>, string | number | null]>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      if (value === null) continue;
      const text = Object.entries(labels)
        .map(([key, label]) => `${key}="${label.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`)
        .join(',');
      lines.push(`${name}${text ? `{${text}}` : ''} ${value}`);
    }
  };
  const runners = statuses.flatMap((s) =>
    [s.live, s.rebuild].filter((r): r is RunnerStatus => r !== null).map((r) => [{ projection: s.name, collection: r.collection }, r] as const),
  );

  metric('samverkan_event_store_head_position', 'gauge', 'Global log position of the last event in the log.', [[{}, head]]);
  metric('samverkan_projection_checkpoint', 'gauge', 'Log position the live collection of the projection has reached.', statuses.map((s) => [{ projection: s.name }, s.checkpoint]));
  metric('samverkan_projection_lag', 'gauge', 'How far the projection is behind the head of the log, in log positions.', statuses.map((s) => [{ projection: s.name }, s.lag]));
  metric(
    'samverkan_projection_state',
    'gauge',
    'The state of the projection: 1 for the state it is in, 0 for the others.',
    statuses.flatMap((s) => STATES.map((state) => [{ projection: s.name, state }, s.state === state ? 1 : 0] as [Record<string, string>, number])),
  );
  metric('samverkan_projection_version', 'gauge', 'The version of the projection code running.', statuses.map((s) => [{ projection: s.name }, s.version]));
  metric('samverkan_projection_events_applied_total', 'counter', 'Events applied by this process, per collection.', runners.map(([l, r]) => [l, r.eventsApplied]));
  metric('samverkan_projection_batches_total', 'counter', 'Batches committed by this process, per collection.', runners.map(([l, r]) => [l, r.batches]));
  metric('samverkan_projection_retries_total', 'counter', 'Subscriptions opened again after an error of a store.', runners.map(([l, r]) => [l, r.retries]));
  metric('samverkan_projection_failures_total', 'counter', 'Events the projection threw on (it stops at the first).', runners.map(([l, r]) => [l, r.failure ? 1 : 0]));
  metric(
    'samverkan_projection_failed_position',
    'gauge',
    'Log position of the event a failing runner threw on and stopped at (only failing runners have a sample).',
    runners.map(([l, r]) => [{ ...l, event_type: r.failure?.type ?? '' }, r.failure?.position ?? null]),
  );
  return `${lines.join('\n')}\n`;
}
