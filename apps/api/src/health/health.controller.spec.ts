import { describe, expect, it } from '@jest/globals';
import type { FastifyReply } from 'fastify';
import { InMemoryEventStore } from '@app/event-store';
import type { ProjectionMonitor, ProjectionStatus } from '@app/projections';
import { HealthController } from './health.controller.js';

const status = (name: string, state: ProjectionStatus['state'], failure: boolean): ProjectionStatus => ({
  name,
  version: 1,
  state,
  collection: `${name}@v1.1`,
  checkpoint: '41',
  headPosition: '42',
  lag: '1',
  runsHere: true,
  live: {
    collection: `${name}@v1.1`,
    version: 1,
    state: state === 'rebuilding' ? 'live' : state,
    checkpoint: '41',
    lag: '1',
    eventsApplied: 41,
    batches: 3,
    retries: 0,
    lastError: null,
    failure: failure ? { position: '42', type: 'IncidentRecorded', stream: 'incident-x', eventId: 'e', error: 'TypeError: boom', at: '2025-03-01T12:00:00.000Z' } : null,
  },
  rebuild: null,
});

function reply() {
  const sent = { status: 200 };
  return { sent, reply: { status: (code: number) => ((sent.status = code), undefined) } as unknown as FastifyReply };
}

describe('GET /health/ready with projections', () => {
  const monitor = (statuses: ProjectionStatus[]): ProjectionMonitor => ({ status: async () => statuses, waitFor: async () => true });

  it('is up, listing each projection, while none is failing', async () => {
    const { sent, reply: r } = reply();
    const body = await new HealthController(new InMemoryEventStore(), monitor([status('incident-register', 'live', false), status('decision-log', 'catching-up', false)])).ready(r);
    expect(sent.status).toBe(200);
    expect(body).toMatchObject({
      status: 'up',
      checks: { projections: { status: 'up', projections: [{ name: 'incident-register', state: 'live', checkpoint: '41', lag: '1' }, { name: 'decision-log', state: 'catching-up' }] } },
    });
  });

  it('is 503 when a projection is failing, naming the event it failed on', async () => {
    const { sent, reply: r } = reply();
    const body = await new HealthController(new InMemoryEventStore(), monitor([status('incident-register', 'live', false), status('exploding', 'failing', true)])).ready(r);
    expect(sent.status).toBe(503);
    expect(body).toMatchObject({
      status: 'down',
      checks: { projections: { status: 'down', projections: [{ name: 'incident-register' }, { name: 'exploding', state: 'failing', failure: { position: '42', type: 'IncidentRecorded', stream: 'incident-x' } }] } },
    });
  });

  it('is up when only a rebuild failed beside a live collection, showing the rebuild’s failure', async () => {
    const { sent, reply: r } = reply();
    const live = status('incident-register', 'live', false);
    const failedRebuild = { ...status('incident-register', 'failing', true).live!, collection: 'incident-register@v1.2' };
    const body = await new HealthController(new InMemoryEventStore(), monitor([{ ...live, rebuild: failedRebuild }])).ready(r);
    expect(sent.status).toBe(200);
    expect(body).toMatchObject({
      status: 'up',
      checks: {
        projections: {
          status: 'up',
          projections: [{ name: 'incident-register', state: 'live', failure: { position: '42' }, rebuild: { collection: 'incident-register@v1.2', state: 'failing' } }],
        },
      },
    });
  });
});
