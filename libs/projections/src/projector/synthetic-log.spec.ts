import { describe, expect, it } from '@jest/globals';
import { correctedIncident, evolveIncident, type IncidentEvent, type IncidentState, initialIncidentState } from '@app/domain';
import { InMemoryEventStore } from '@app/event-store';
import { allProjections } from '../all-projections.js';
import { project } from '../projection.js';
import { appendSyntheticLog, syntheticLog } from './synthetic-log.testing.js';

describe('the synthetic log of benchmarks and crash tests', () => {
  it('is the same for the same seed, with a realistic mix of event types', () => {
    const types = (seed: number) => [...syntheticLog(5_000, seed)].map((a) => a.event.type);
    expect(types(7)).toEqual(types(7));
    const counts = new Map<string, number>();
    for (const type of types(7)) counts.set(type, (counts.get(type) ?? 0) + 1);
    expect(counts.get('IncidentRecorded')! / 5_000).toBeGreaterThan(0.75);
    for (const type of ['IncidentReclassified', 'IncidentRetracted', 'ActionPlanDrafted', 'GoalAdded', 'ActionPlanSigned', 'ActionPlanAdopted', 'GuardPresenceReinforced', 'PatrolVisitLogged', 'SituationPicturePublished']) {
      expect(counts.get(type)).toBeGreaterThan(0);
    }
  });

  it('has every correction carry its incident as the incident’s own events left it, as the decider would', () => {
    const incidents = new Map<string, IncidentState>();
    let corrections = 0;
    for (const { stream, event } of syntheticLog(20_000, 5)) {
      if (!stream.startsWith('incident-')) continue;
      const incident = { type: event.type, data: event.data } as IncidentEvent;
      const before = incidents.get(stream) ?? initialIncidentState();
      if (incident.type !== 'IncidentRecorded') {
        corrections++;
        expect(before.status).toBe('recorded');
        if (before.status !== 'recorded') continue;
        expect(incident.data.incident).toEqual(correctedIncident(before));
        if (incident.type === 'IncidentReclassified') expect(incident.data.from).toBe(before.category);
      }
      incidents.set(stream, evolveIncident(before, incident));
    }
    expect(corrections).toBeGreaterThan(1_000);
  });

  it('appends with valid expected revisions and projects without a fault in any projection', async () => {
    const store = new InMemoryEventStore();
    await appendSyntheticLog(store, 3_000, 3);
    const events = await store.readAll();
    expect(events).toHaveLength(3_000);
    for (const projection of allProjections({ situationPeriodAnchor: '2021-01-04', reportingTimeZone: 'Europe/Stockholm' })) {
      expect(() => project(projection, events)).not.toThrow();
    }
  });
});
