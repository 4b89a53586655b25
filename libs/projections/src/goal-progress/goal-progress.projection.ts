import {
  type ActionPlanAdopted,
  type ActionPlanDrafted,
  assertNever,
  type GoalAdded,
  type IncidentReclassified,
  type IncidentRecorded,
  type IncidentRetracted,
  type SurveyResultsRecorded,
} from '@app/domain';
import type { ProjectedEvent, Projection } from '../projection.js';
import { instantMs, localTimeOf } from '../situation-picture/local-time.js';
import {
  type CorrectionsDocument,
  correctionsDocumentId,
  countKey,
  type DayDocument,
  dayDocumentId,
  type GoalProgressDocument,
  type GoalProgressSettings,
  goalProgressSettings,
  type IncidentDocument,
  incidentDocumentId,
  type PlanDocument,
  planDocumentId,
  surveyKey,
  type SurveysDocument,
  surveysDocumentId,
} from './goal-progress.documents.js';

type HandledEvent =
  | ActionPlanDrafted
  | GoalAdded
  | ActionPlanAdopted
  | IncidentRecorded
  | IncidentReclassified
  | IncidentRetracted
  | SurveyResultsRecorded;

const EVENT_TYPES: readonly HandledEvent['type'][] = [
  'ActionPlanDrafted',
  'GoalAdded',
  'ActionPlanAdopted',
  'IncidentRecorded',
  'IncidentReclassified',
  'IncidentRetracted',
  'SurveyResultsRecorded',
];

type Documents = ReadonlyMap<string, GoalProgressDocument | undefined>;
type Changes = Map<string, GoalProgressDocument | undefined>;

const asHandled = (event: ProjectedEvent) => ({ type: event.type, data: event.data }) as HandledEvent;

function bump(counts: Record<string, number>, key: string, n: number): void {
  const value = (counts[key] ?? 0) + n;
  if (value === 0) delete counts[key];
  else counts[key] = value;
}

/**
 * Goal progress per action plan (SPEC 4), as a pure projection; the figures are worked out by
 * `goalProgressView` at query time from the plan and the day counts its goals' windows cover.
 *
 * keys():
 * - ActionPlanDrafted / GoalAdded / ActionPlanAdopted: the plan.
 * - IncidentRecorded: the incident, the day of its `occurredAt` in local time and the correction
 *   bucket of the month it is recorded in, whose entry for that day it folds into the day.
 * - IncidentReclassified / IncidentRetracted: the incident and the correction bucket of the local
 *   month the event was recorded in (`recordedAt`).
 * - SurveyResultsRecorded: the municipality's surveys of the year.
 *
 * evolve() updates count maps of the documents it is handed in place (returning new top-level
 * objects), so an event costs O(1); the documents handed over are consumed.
 */
export function goalProgressProjection(options: Partial<GoalProgressSettings> = {}): Projection<GoalProgressDocument> {
  const { timeZone } = goalProgressSettings(options);
  const dateOf = (iso: string) => localTimeOf(instantMs(iso), timeZone)?.date ?? null;

  /** The local month an event was recorded in, by the log's clock. */
  function recordedIn(event: ProjectedEvent): string {
    const local = localTimeOf(event.recordedAt.getTime(), timeZone);
    if (!local) throw new RangeError(`event ${event.id} at position ${event.position} has no valid recordedAt`);
    return local.date.slice(0, 7);
  }

  function keys(event: ProjectedEvent): string[] {
    const handled = asHandled(event);
    switch (handled.type) {
      case 'ActionPlanDrafted':
      case 'GoalAdded':
      case 'ActionPlanAdopted':
        return [planDocumentId(handled.data.actionPlanId)];
      case 'IncidentRecorded': {
        const date = dateOf(handled.data.occurredAt);
        const { incidentId, municipalityId } = handled.data;
        return date ? [incidentDocumentId(incidentId), dayDocumentId(municipalityId, date), correctionsDocumentId(municipalityId, recordedIn(event))] : [];
      }
      case 'IncidentReclassified':
      case 'IncidentRetracted': {
        const { incidentId, municipalityId } = handled.data;
        return [incidentDocumentId(incidentId), correctionsDocumentId(municipalityId, recordedIn(event))];
      }
      case 'SurveyResultsRecorded':
        return [surveysDocumentId(handled.data.municipalityId, handled.data.year)];
      default:
        return assertNever(handled);
    }
  }

  // A key keys() named that is missing from `documents` has seen this event already (the position
  // guard left it out): then nothing is applied.

  function evolve(documents: Documents, event: ProjectedEvent): Changes {
    const changes: Changes = new Map();
    const handled = asHandled(event);
    switch (handled.type) {
      case 'ActionPlanDrafted': {
        const { actionPlanId, municipalityId, title, periodStart, periodEnd } = handled.data;
        const key = planDocumentId(actionPlanId);
        if (documents.has(key) && documents.get(key) === undefined) {
          changes.set(key, { kind: 'plan', lastPosition: '0', actionPlanId, municipalityId, title, periodStart, periodEnd, status: 'draft', adoptedAt: null, goals: [] });
        }
        break;
      }
      case 'GoalAdded': {
        const plan = documents.get(planDocumentId(handled.data.actionPlanId));
        if (plan?.kind !== 'plan') break;
        const { goalId, title, indicator, baseline, target, direction } = handled.data;
        const goal = { goalId, title, indicator, baseline, target, direction };
        changes.set(plan.actionPlanId, { ...plan, goals: [...plan.goals.filter((g) => g.goalId !== goalId), goal] });
        break;
      }
      case 'ActionPlanAdopted': {
        const plan = documents.get(planDocumentId(handled.data.actionPlanId));
        if (plan?.kind !== 'plan') break;
        changes.set(plan.actionPlanId, { ...plan, status: 'adopted', adoptedAt: handled.data.adoptedAt });
        break;
      }
      case 'IncidentRecorded':
        recorded(documents, handled.data, recordedIn(event), changes);
        break;
      case 'IncidentReclassified':
      case 'IncidentRetracted':
        corrected(documents, handled, recordedIn(event), changes);
        break;
      case 'SurveyResultsRecorded':
        surveyed(documents, handled.data, changes);
        break;
      default:
        assertNever(handled);
    }
    return changes;
  }

  function recorded(documents: Documents, data: IncidentRecorded['data'], bucket: string, changes: Changes): void {
    const date = dateOf(data.occurredAt);
    if (!date) return;
    const incidentKey = incidentDocumentId(data.incidentId);
    const dayKey = dayDocumentId(data.municipalityId, date);
    if (!documents.has(incidentKey) || !documents.has(dayKey) || documents.get(incidentKey) !== undefined) return;
    const existing = documents.get(dayKey);
    const day: DayDocument = existing?.kind === 'day' ? { ...existing } : { kind: 'day', lastPosition: '0', municipalityId: data.municipalityId, date, counts: {} };
    bump(day.counts, countKey(data.category, data.areaId, data.placeId), 1);
    const incident: IncidentDocument = {
      kind: 'incident',
      lastPosition: '0',
      municipalityId: data.municipalityId,
      date,
      category: data.category,
      areaId: data.areaId,
      placeId: data.placeId,
      status: 'recorded',
    };
    changes.set(incidentKey, incident);
    changes.set(dayKey, day);
    // Fold corrections of this day waiting in the bucket of now into its counts.
    const bucketKey = correctionsDocumentId(data.municipalityId, bucket);
    const pending = documents.get(bucketKey);
    const waiting = pending?.kind === 'corrections' ? pending.days[date] : undefined;
    if (pending?.kind === 'corrections' && waiting) {
      for (const key in waiting) bump(day.counts, key, waiting[key]);
      delete pending.days[date];
      changes.set(bucketKey, { ...pending });
    }
  }

  function corrected(documents: Documents, event: IncidentReclassified | IncidentRetracted, bucket: string, changes: Changes): void {
    const { incidentId, municipalityId } = event.data;
    const incidentKey = incidentDocumentId(incidentId);
    const bucketKey = correctionsDocumentId(municipalityId, bucket);
    const incident = documents.get(incidentKey);
    if (incident?.kind !== 'incident' || incident.status === 'retracted' || !documents.has(bucketKey)) return;
    if (event.type === 'IncidentReclassified' && event.data.to === incident.category) return;
    const existing = documents.get(bucketKey);
    const corrections: CorrectionsDocument = existing?.kind === 'corrections' ? { ...existing } : { kind: 'corrections', lastPosition: '0', municipalityId, bucket, days: {} };
    const day = (corrections.days[incident.date] ??= {});
    bump(day, countKey(incident.category, incident.areaId, incident.placeId), -1);
    if (event.type === 'IncidentReclassified') {
      bump(day, countKey(event.data.to, incident.areaId, incident.placeId), 1);
      changes.set(incidentKey, { ...incident, category: event.data.to });
    } else {
      changes.set(incidentKey, { ...incident, status: 'retracted' });
    }
    if (Object.keys(day).length === 0) delete corrections.days[incident.date];
    changes.set(bucketKey, corrections);
  }

  function surveyed(documents: Documents, data: SurveyResultsRecorded['data'], changes: Changes): void {
    const { municipalityId, year } = data;
    const key = surveysDocumentId(municipalityId, year);
    if (!documents.has(key)) return;
    const existing = documents.get(key);
    const surveys: SurveysDocument =
      existing?.kind === 'surveys' ? { ...existing, results: { ...existing.results } } : { kind: 'surveys', lastPosition: '0', municipalityId, year, results: {} };
    for (const { indicator, value, respondents, kind } of data.results) {
      const resultKey = surveyKey(indicator, data.areaId);
      // The same survey recorded again replaces its result.
      const entries = (surveys.results[resultKey] ?? []).filter((entry) => entry.surveyId !== data.surveyId);
      surveys.results[resultKey] = [...entries, { surveyId: data.surveyId, year, value, respondents, kind: kind ?? 'share' }];
    }
    changes.set(key, surveys);
  }

  return { name: 'goal-progress', version: 1, eventTypes: EVENT_TYPES, keys, evolve };
}
