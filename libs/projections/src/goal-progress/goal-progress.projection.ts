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
import { CountNames, CountVector } from '../counts.js';
import { NO_CHANGES, OneDocument, onlyKey } from '../one-document.js';
import type { ProjectedEvent, Projection } from '../projection.js';
import { instantMs, isoDateOfDay, localDayAt } from '../situation-picture/local-time.js';
import { internedByDay } from '../interned-ids.js';
import {
  type CountingDayDocument,
  type DayDocument,
  dayDocumentId,
  type GoalProgressDocument,
  type GoalProgressSettings,
  goalProgressSettings,
  internedCountKeys,
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

/** Documents as stored, and days as evolve keeps them in memory. */
type InMemory = GoalProgressDocument | CountingDayDocument;
type Documents = ReadonlyMap<string, InMemory | undefined>;
type Changes = ReadonlyMap<string, InMemory | undefined>;

const asHandled = (event: ProjectedEvent) => ({ type: event.type, data: event.data }) as HandledEvent;

/**
 * Goal progress per action plan (SPEC 4), as a pure projection; the figures are worked out by
 * `goalProgressView` at query time from the plan and the day counts its goals' windows cover.
 *
 * keys():
 * - ActionPlanDrafted / GoalAdded / ActionPlanAdopted: the plan.
 * - IncidentRecorded: the day of its `occurredAt` in local time.
 * - IncidentReclassified / IncidentRetracted: the day of the corrected incident's `occurredAt`,
 *   which the event carries with the category, area and place the incident is counted under.
 * - SurveyResultsRecorded: the municipality's surveys of the year.
 *
 * evolve() updates the counts of the days it is handed in place, so an event costs O(1); the
 * documents handed over are consumed. A day, which every incident changes, is returned as the same
 * document (a copy per incident lived until the day's next incident, which made most copies move to
 * the old generation); plans and surveys are returned as new top-level objects. In memory a day
 * keeps its counts as a `CountVector` over its municipality's count keys (`CountingDayDocument`);
 * `stored` gives the day with its counts as the map the store keeps.
 */
export function goalProgressProjection(options: Partial<GoalProgressSettings> = {}): Projection<GoalProgressDocument, CountingDayDocument> {
  const { timeZone } = goalProgressSettings(options);
  // Every event of a day names the same id (found by the local day's number, not its text) and a few count keys.
  const dayId = internedByDay((municipalityId: string, day: number) => dayDocumentId(municipalityId, isoDateOfDay(day)));
  const countKey = internedCountKeys();
  // The count keys of each municipality, which its days' vectors count by.
  const spaces = new Map<string, CountNames>();
  const spaceOf = (municipalityId: string) => {
    let space = spaces.get(municipalityId);
    if (space === undefined) spaces.set(municipalityId, (space = new CountNames()));
    return space;
  };
  /** The day as evolve keeps it: a stored day (a map of counts) is copied into a vector once. */
  const counting = (day: DayDocument | CountingDayDocument): CountingDayDocument =>
    day.counts instanceof CountVector ? (day as CountingDayDocument) : { ...day, counts: CountVector.of(spaceOf(day.municipalityId), day.counts) };
  const count = (day: CountingDayDocument, category: string, areaId: string | null, placeId: string | null, n: number) =>
    day.counts.add(day.counts.space.indexOf(countKey(category, areaId, placeId)), n);
  const dayOf = (iso: string) => localDayAt(instantMs(iso), timeZone);

  const dayKeys = (municipalityId: string, occurredAt: string) => {
    const day = dayOf(occurredAt);
    return Number.isNaN(day) ? [] : [dayId(municipalityId, day)];
  };

  function keys(event: ProjectedEvent): string[] {
    const handled = asHandled(event);
    switch (handled.type) {
      case 'ActionPlanDrafted':
      case 'GoalAdded':
      case 'ActionPlanAdopted':
        return [planDocumentId(handled.data.actionPlanId)];
      case 'IncidentRecorded':
        return dayKeys(handled.data.municipalityId, handled.data.occurredAt);
      case 'IncidentReclassified':
      case 'IncidentRetracted':
        return dayKeys(handled.data.municipalityId, handled.data.incident.occurredAt);
      case 'SurveyResultsRecorded':
        return [surveysDocumentId(handled.data.municipalityId, handled.data.year)];
      default:
        return assertNever(handled);
    }
  }

  // A key keys() named that is missing from `documents` has seen this event already (the position
  // guard left it out): then nothing is applied.

  function evolve(documents: Documents, event: ProjectedEvent): Changes {
    const handled = asHandled(event);
    switch (handled.type) {
      case 'ActionPlanDrafted': {
        const { actionPlanId, municipalityId, title, periodStart, periodEnd } = handled.data;
        const key = planDocumentId(actionPlanId);
        if (!documents.has(key) || documents.get(key) !== undefined) return NO_CHANGES;
        return new OneDocument(key, { kind: 'plan', lastPosition: '0', actionPlanId, municipalityId, title, periodStart, periodEnd, status: 'draft', adoptedAt: null, goals: [] });
      }
      case 'GoalAdded': {
        const plan = documents.get(planDocumentId(handled.data.actionPlanId));
        if (plan?.kind !== 'plan') return NO_CHANGES;
        const { goalId, title, indicator, baseline, target, direction } = handled.data;
        const goal = { goalId, title, indicator, baseline, target, direction };
        return new OneDocument(plan.actionPlanId, { ...plan, goals: [...plan.goals.filter((g) => g.goalId !== goalId), goal] });
      }
      case 'ActionPlanAdopted': {
        const plan = documents.get(planDocumentId(handled.data.actionPlanId));
        if (plan?.kind !== 'plan') return NO_CHANGES;
        return new OneDocument(plan.actionPlanId, { ...plan, status: 'adopted', adoptedAt: handled.data.adoptedAt });
      }
      case 'IncidentRecorded':
        return recorded(documents, handled.data);
      case 'IncidentReclassified':
      case 'IncidentRetracted':
        return corrected(documents, handled);
      case 'SurveyResultsRecorded':
        return surveyed(documents, handled.data);
      default:
        return assertNever(handled);
    }
  }

  function recorded(documents: Documents, data: IncidentRecorded['data']): Changes {
    // The day keys() named, if the position guard handed it over: its id and date are not worked out again.
    const key = onlyKey(documents);
    if (key === undefined) return NO_CHANGES;
    const existing = documents.get(key);
    const { municipalityId } = data;
    const day: CountingDayDocument =
      existing?.kind === 'day'
        ? counting(existing)
        : { kind: 'day', lastPosition: '0', municipalityId, date: isoDateOfDay(dayOf(data.occurredAt)), counts: new CountVector(spaceOf(municipalityId)) };
    count(day, data.category, data.areaId, data.placeId, 1);
    return new OneDocument(key, day);
  }

  /**
   * Moves the incident's count to its new category (a reclassification) or takes it back (a
   * retraction). The decider corrects only a recorded, unretracted incident and only to another
   * category, so the event's facts are what the day counts it under.
   */
  function corrected(documents: Documents, event: IncidentReclassified | IncidentRetracted): Changes {
    const { category, areaId, placeId } = event.data.incident;
    // The day keys() named, if the position guard handed it over.
    const key = onlyKey(documents);
    if (key === undefined) return NO_CHANGES;
    const existing = documents.get(key);
    // No day: the incident was never counted.
    if (existing?.kind !== 'day') return NO_CHANGES;
    const day = counting(existing);
    count(day, category, areaId, placeId, -1);
    if (event.type === 'IncidentReclassified') count(day, event.data.to, areaId, placeId, 1);
    return new OneDocument(key, day);
  }

  function surveyed(documents: Documents, data: SurveyResultsRecorded['data']): Changes {
    const { municipalityId, year } = data;
    const key = surveysDocumentId(municipalityId, year);
    if (!documents.has(key)) return NO_CHANGES;
    const existing = documents.get(key);
    const surveys: SurveysDocument =
      existing?.kind === 'surveys' ? { ...existing, results: { ...existing.results } } : { kind: 'surveys', lastPosition: '0', municipalityId, year, results: {} };
    for (const { indicator, value, respondents, kind } of data.results) {
      const resultKey = surveyKey(indicator, data.areaId);
      // The same survey recorded again replaces its result.
      const entries = (surveys.results[resultKey] ?? []).filter((entry) => entry.surveyId !== data.surveyId);
      surveys.results[resultKey] = [...entries, { surveyId: data.surveyId, year, value, respondents, kind: kind ?? 'share' }];
    }
    return new OneDocument(key, surveys);
  }

  /** A day's vector, which every incident of the day counts in. */
  function prefetch(document: InMemory): number {
    return document.kind === 'day' && document.counts instanceof CountVector ? document.counts.touch() : 0;
  }

  function stored(document: InMemory): GoalProgressDocument {
    return document.kind === 'day' && document.counts instanceof CountVector ? { ...document, counts: document.counts.toRecord() } : (document as GoalProgressDocument);
  }

  // Days are cut in the time zone: another zone makes other documents.
  return { name: 'goal-progress', version: 2, settings: { timeZone }, eventTypes: EVENT_TYPES, keys, evolve, prefetch, stored };
}
