import { describe, expect, it } from '@jest/globals';
import { correctedIncident, evolveIncident, type IncidentEvent, type IncidentRecorded, type IncidentRetracted, type IncidentState, initialIncidentState } from '@app/domain';
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

  it.each(['random', 'time'] as const)('in %s order, has every correction carry its incident as the incident’s own events left it, as the decider would', (order) => {
    const incidents = new Map<string, IncidentState>();
    let corrections = 0;
    for (const { stream, event } of syntheticLog(20_000, 5, order)) {
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

  it('in time order, has incidents occur at most three days before their place in the log, and corrections concern the last 3,000 incidents', () => {
    const count = 30_000;
    const day0 = Date.parse('2021-01-04T00:00:00Z');
    // Incident id → how many incidents were recorded before it.
    const recorded = new Map<string, number>();
    const outOfOrder: string[] = [];
    let corrections = 0;
    let position = 0;
    for (const { event } of syntheticLog(count, 5, 'time')) {
      position++;
      if (event.type === 'IncidentRecorded') {
        const data = event.data as IncidentRecorded['data'];
        // The log's "now" when this one was made: its position's share of five years.
        const now = Math.floor(((position - 1) / count) * (5 * 365));
        const day = Math.floor((Date.parse(data.occurredAt) - day0) / 86_400_000);
        if (day > now || day < now - 3) outOfOrder.push(`${data.incidentId} on day ${day} at day ${now}`);
        recorded.set(data.incidentId, recorded.size);
      } else if (event.type === 'IncidentReclassified' || event.type === 'IncidentRetracted') {
        corrections++;
        const { incidentId } = event.data as IncidentRetracted['data'];
        const back = recorded.size - recorded.get(incidentId)!;
        if (!(back > 0 && back <= 3_000)) outOfOrder.push(`a correction of ${incidentId}, ${back} incidents back`);
      }
    }
    expect(outOfOrder).toEqual([]);
    expect(corrections).toBeGreaterThan(1_000);
    // The incidents span the five years.
    expect(recorded.size).toBeGreaterThan(25_000);
  });

  it('appends with valid expected revisions and projects without a fault in any projection', async () => {
    const store = new InMemoryEventStore();
    await appendSyntheticLog(store, 3_000, { seed: 3 });
    const events = await store.readAll();
    expect(events).toHaveLength(3_000);
    for (const projection of allProjections({ situationPeriodAnchor: '2021-01-04', reportingTimeZone: 'Europe/Stockholm' })) {
      expect(() => project(projection, events)).not.toThrow();
    }
  });
});
