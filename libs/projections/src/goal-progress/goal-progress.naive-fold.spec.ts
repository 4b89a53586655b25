import { describe, expect, it } from '@jest/globals';
import { type IncidentEvent, type IncidentRecorded, localDateOf } from '@app/domain';
import { project } from '../projection.js';
import { syntheticLog } from '../projector/synthetic-log.testing.js';
import { inLog } from '../situation-picture/events.testing.js';
import { countKey, type DayDocument, type GoalProgressDocument, type PlanDocument } from './goal-progress.documents.js';
import { goalProgressProjection } from './goal-progress.projection.js';
import { goalProgressDocumentIds, goalProgressView } from './goal-progress.query.js';

/**
 * A cross-check of the projection against the events folded the plain way: every incident's final
 * state counted on its local date, with nothing shared with the projection but the query.
 */

const timeZone = 'Europe/Stockholm';
const projection = goalProgressProjection({ timeZone });

/** `day:<municipalityId>:<date>` → count key → incidents, from each incident's final state. */
function naiveDays(events: readonly { type: string; data: unknown }[]): Map<string, Record<string, number>> {
  const incidents = new Map<string, { recorded: IncidentRecorded['data']; category: string; retracted: boolean }>();
  for (const event of events) {
    const incident = event as IncidentEvent;
    if (incident.type === 'IncidentRecorded') incidents.set(incident.data.incidentId, { recorded: incident.data, category: incident.data.category, retracted: false });
    else if (incident.type === 'IncidentReclassified') incidents.get(incident.data.incidentId)!.category = incident.data.to;
    else if (incident.type === 'IncidentRetracted') incidents.get(incident.data.incidentId)!.retracted = true;
  }
  const days = new Map<string, Record<string, number>>();
  for (const { recorded, category, retracted } of incidents.values()) {
    const key = `day:${recorded.municipalityId}:${localDateOf(new Date(recorded.occurredAt), timeZone)}`;
    const counts = days.get(key) ?? {};
    days.set(key, counts);
    if (retracted) continue;
    const counted = countKey(category, recorded.areaId, recorded.placeId);
    counts[counted] = (counts[counted] ?? 0) + 1;
  }
  return days;
}

describe('goal progress: the projection against a naive fold of the synthetic log', () => {
  const events = [...syntheticLog(10_000, 13)].map(({ event }) => ({ type: event.type, data: event.data }));
  const projected = project(projection, inLog(events));
  const naive = naiveDays(events);

  it('counts every day of every municipality as the final states of its incidents say', () => {
    expect(events.filter((event) => event.type === 'IncidentRetracted').length).toBeGreaterThan(100);
    const days = [...projected].filter((entry): entry is [string, DayDocument] => entry[1].kind === 'day');
    expect(days.map(([key]) => key).sort()).toEqual([...naive.keys()].sort());
    for (const [key, day] of days) expect([key, day.counts]).toEqual([key, naive.get(key)]);
  });

  it('shows the same progress and statuses for every adopted plan', () => {
    const plans = [...projected.values()].filter((document): document is PlanDocument => document.kind === 'plan' && document.status === 'adopted');
    expect(plans.length).toBeGreaterThan(0);
    const naiveDocuments = new Map<string, GoalProgressDocument>([...projected].filter(([, document]) => document.kind !== 'day'));
    for (const [key, counts] of naive) {
      const [, municipalityId, date] = key.split(':');
      naiveDocuments.set(key, { kind: 'day', lastPosition: '0', municipalityId, date, counts });
    }
    for (const now of [new Date('2022-06-15T12:00:00Z'), new Date('2023-03-01T00:00:00Z')]) {
      for (const plan of plans) {
        const ids = goalProgressDocumentIds(plan, now, { timeZone });
        const pick = (documents: ReadonlyMap<string, GoalProgressDocument>) => new Map(ids.map((id) => [id, documents.get(id)]));
        const view = goalProgressView(plan, pick(projected), now, { timeZone });
        expect(view?.goals.some((goal) => goal.latest !== null)).toBe(true);
        expect(view).toEqual(goalProgressView(plan, pick(naiveDocuments), now, { timeZone }));
      }
    }
  });
});
