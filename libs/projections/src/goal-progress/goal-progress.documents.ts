import { DEFAULT_TIME_ZONE, type Goal, type IncidentCategory, type SurveyValueKind } from '@app/domain';
import type { PositionedDocument } from '../projection.js';

/**
 * The documents of the goal-progress projection. All are plain JSON.
 *
 * - `<actionPlanId>`: the plan, its goals and whether it is adopted.
 * - `day:<municipalityId>:<date>`: incidents of one municipality that occurred on one local date,
 *   counted by `category|areaId|placeId` (empty for none). Counts are kept for every municipality
 *   from the first event on, plan or no plan: a goal's rolling window reaches back before the plan
 *   was drafted, and an incident event cannot name the plans it matters to.
 * - `incident:<incidentId>`: the date, category, area and place one incident was counted under, so
 *   a reclassification or retraction (which name only the incident) is undone exactly.
 * - `corrections:<municipalityId>:<YYYY-MM>`: what the reclassifications and retractions recorded
 *   in that local month (by the log's clock, `recordedAt`) add to or take from the day counts, by
 *   date and key. A correction event names only its incident, so `keys()` cannot name the day it
 *   is counted on; it names the bucket of its own recording time. A report recorded later in the
 *   same bucket folds the bucket's entry for its day into the day's counts, so buckets stay small.
 *   A correction is recorded after its incident occurred, so a window's counts are its days plus
 *   the buckets from its first month on (the view reads from a month earlier, for clock skew, up to
 *   a month after now).
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
  /** `category|areaId|placeId` → incidents, with the corrections folded so far. */
  counts: Record<string, number>;
}

export interface IncidentDocument extends PositionedDocument {
  kind: 'incident';
  municipalityId: string;
  date: string;
  category: IncidentCategory;
  areaId: string | null;
  placeId: string | null;
  status: 'recorded' | 'retracted';
}

export interface CorrectionsDocument extends PositionedDocument {
  kind: 'corrections';
  municipalityId: string;
  /** The local month the corrections were recorded in, `YYYY-MM`. */
  bucket: string;
  /** Date → `category|areaId|placeId` → what corrections not yet folded add (negative: take away). */
  days: Record<string, Record<string, number>>;
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

export type GoalProgressDocument = PlanDocument | DayDocument | IncidentDocument | CorrectionsDocument | SurveysDocument;

/** TZ_REPORTING (SPEC 6): incidents are counted on their local date. */
export interface GoalProgressSettings {
  timeZone: string;
}

export const goalProgressSettings = (settings: Partial<GoalProgressSettings> = {}): GoalProgressSettings => ({
  timeZone: settings.timeZone ?? DEFAULT_TIME_ZONE,
});

export const planDocumentId = (actionPlanId: string) => actionPlanId;
export const dayDocumentId = (municipalityId: string, date: string) => `day:${municipalityId}:${date}`;
export const incidentDocumentId = (incidentId: string) => `incident:${incidentId}`;
export const correctionsDocumentId = (municipalityId: string, month: string) => `corrections:${municipalityId}:${month}`;
export const surveysDocumentId = (municipalityId: string, year: number) => `surveys:${municipalityId}:${year}`;

export const countKey = (category: string, areaId: string | null, placeId: string | null) => `${category}|${areaId ?? ''}|${placeId ?? ''}`;
export const surveyKey = (indicator: string, areaId: string | null) => `${indicator}|${areaId ?? ''}`;
