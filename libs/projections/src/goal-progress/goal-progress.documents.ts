import { DEFAULT_TIME_ZONE, type Goal, type SurveyValueKind } from '@app/domain';
import type { CountVector } from '../counts.js';
import { internedPairs } from '../interned-ids.js';
import type { PositionedDocument } from '../projection.js';

/**
 * The documents of the goal-progress projection. All are plain JSON.
 *
 * - `<actionPlanId>`: the plan, its goals and whether it is adopted.
 * - `day:<municipalityId>:<date>`: incidents of one municipality that occurred on one local date,
 *   counted by `category|areaId|placeId` (empty for none), net of reclassifications and
 *   retractions: a correction event carries the incident as it stood, so it names the day of the
 *   incident's `occurredAt` and moves or takes back its count there. Counts are kept for every
 *   municipality from the first event on, plan or no plan: a goal's rolling window reaches back
 *   before the plan was drafted, and an incident event cannot name the plans it matters to.
 * - `surveys:<municipalityId>:<year>`: the survey results of a year by `indicator|areaId`.
 */

export interface PlanDocument extends PositionedDocument {
  kind: 'plan';
  actionPlanId: string;
  municipalityId: string;
  title: string;
  periodStart: string;
  periodEnd: string;
  status: 'draft' | 'adopted';
  adoptedAt: string | null;
  goals: Goal[];
}

export interface DayDocument extends PositionedDocument {
  kind: 'day';
  municipalityId: string;
  date: string;
  /** `category|areaId|placeId` → incidents. */
  counts: Record<string, number>;
}

/** A day as the projection keeps it in memory while it runs: its counts as a vector, stored as `DayDocument`'s map. */
export interface CountingDayDocument extends Omit<DayDocument, 'counts'> {
  counts: CountVector;
}

export interface SurveyEntry {
  surveyId: string;
  year: number;
  value: number;
  respondents: number;
  kind: SurveyValueKind;
}

export interface SurveysDocument extends PositionedDocument {
  kind: 'surveys';
  municipalityId: string;
  year: number;
  /** `indicator|areaId` (empty for the whole municipality) → the year's results, the last recorded last. */
  results: Record<string, SurveyEntry[]>;
}

export type GoalProgressDocument = PlanDocument | DayDocument | SurveysDocument;

/** TZ_REPORTING (SPEC 6): incidents are counted on their local date. */
export interface GoalProgressSettings {
  timeZone: string;
}

export const goalProgressSettings = (settings: Partial<GoalProgressSettings> = {}): GoalProgressSettings => ({
  timeZone: settings.timeZone ?? DEFAULT_TIME_ZONE,
});

export const planDocumentId = (actionPlanId: string) => actionPlanId;
export const dayDocumentId = (municipalityId: string, date: string) => `day:${municipalityId}:${date}`;
export const surveysDocumentId = (municipalityId: string, year: number) => `surveys:${municipalityId}:${year}`;

const areaAndPlace = (areaId: string, placeId: string) => `${areaId}|${placeId}`;
const categoryAnd = (category: string, where: string) => `${category}|${where}`;
export const countKey = (category: string, areaId: string | null, placeId: string | null) => categoryAnd(category, areaAndPlace(areaId ?? '', placeId ?? ''));

/** `countKey`, each key made once and handed out again (see `internedPairs`): for the projection. */
export function internedCountKeys(): typeof countKey {
  const interned = { areaAndPlace: internedPairs(areaAndPlace), categoryAnd: internedPairs(categoryAnd) };
  return (category, areaId, placeId) => interned.categoryAnd(category, interned.areaAndPlace(areaId ?? '', placeId ?? ''));
}
export const surveyKey = (indicator: string, areaId: string | null) => `${indicator}|${areaId ?? ''}`;
