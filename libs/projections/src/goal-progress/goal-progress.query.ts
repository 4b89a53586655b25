import { addDays, type Goal } from '@app/domain';
import { daysBetween, localTimeOf } from '../situation-picture/local-time.js';
import {
  dayDocumentId,
  type GoalProgressDocument,
  type GoalProgressSettings,
  goalProgressSettings,
  type PlanDocument,
  surveyKey,
  surveysDocumentId,
} from './goal-progress.documents.js';
import { poissonInterval, wilsonInterval } from './intervals.js';
import { round } from '../rounding.js';

/**
 * `GET /action-plans/{id}/progress`, computed at query time from the plan document and the day
 * counts its goals' windows cover (see README "Goal progress" for the rules).
 *
 * Usage at the HTTP edge (two reads: the windows depend on the plan's goals):
 *   const plan = await readStore.get(planDocumentId(id));          // absent → 404
 *   if (plan.status !== 'adopted') → 404 GOAL_PROGRESS.PLAN_NOT_ADOPTED
 *   const docs = await readStore.getMany(goalProgressDocumentIds(plan, now, settings));
 *   return goalProgressView(plan, docs, now, settings);
 */

export type GoalStatus = 'no-data' | 'achieved' | 'inconclusive' | 'on-track' | 'off-track';

export interface GoalValue {
  value: number;
  /** The dates the value covers, both included. */
  from: string;
  to: string;
  /** Survey respondents; null for counts. */
  respondents: number | null;
  /** 95 %: exact Poisson for counts, Wilson for shares; null for a survey mean (no spread is known). */
  interval: { low: number; high: number; method: 'poisson-exact' | 'wilson' } | null;
}

export interface GoalProgress {
  goalId: string;
  title: string;
  indicator: Goal['indicator'];
  baseline: Goal['baseline'];
  target: Goal['target'];
  direction: Goal['direction'];
  latest: GoalValue | null;
  /** (latest − baseline) / (target − baseline), not clamped; null without a value or when target = baseline. */
  progress: number | null;
  /** The share of the way from the plan's first day to the target date that `latest.to` has reached, in [0, 1]. */
  elapsed: number | null;
  status: GoalStatus;
}

export interface GoalProgressView {
  actionPlanId: string;
  municipalityId: string;
  title: string;
  periodStart: string;
  periodEnd: string;
  status: 'adopted';
  adoptedAt: string | null;
  /** The instant the figures are as of (the `now` given). */
  asOf: string;
  goals: GoalProgress[];
}

type Documents = ReadonlyMap<string, GoalProgressDocument | undefined>;

const min = (a: string, b: string) => (a < b ? a : b);

/** The window a count goal is measured over as of `now`, or null while it would not reach past the baseline. */
export function countWindow(goal: Goal, now: Date, settings: Partial<GoalProgressSettings> = {}): { from: string; to: string } | null {
  const today = localTimeOf(now.getTime(), goalProgressSettings(settings).timeZone)?.date;
  if (!today) return null;
  const to = min(addDays(today, -1), goal.target.by);
  if (to <= goal.baseline.to) return null;
  return { from: addDays(to, -daysBetween(goal.baseline.from, goal.baseline.to)), to };
}

/** Every document the view of an adopted plan reads as of `now`, for one `getMany` (none for a draft). */
export function goalProgressDocumentIds(plan: PlanDocument, now: Date, settings: Partial<GoalProgressSettings> = {}): string[] {
  if (plan.status !== 'adopted') return [];
  const today = localTimeOf(now.getTime(), goalProgressSettings(settings).timeZone)?.date;
  if (!today) return [];
  const ids = new Set<string>();
  for (const goal of plan.goals) {
    if (goal.indicator.kind === 'survey') {
      for (const year of surveyYears(goal)) ids.add(surveysDocumentId(plan.municipalityId, year));
      continue;
    }
    const window = countWindow(goal, now, settings);
    if (!window) continue;
    for (let date = window.from; date <= window.to; date = addDays(date, 1)) ids.add(dayDocumentId(plan.municipalityId, date));
  }
  return [...ids];
}

function matcher(indicator: Extract<Goal['indicator'], { kind: 'incident-count' }>): (key: string) => boolean {
  const categories = new Set<string>(indicator.categories);
  const areas = indicator.areaIds === null ? null : new Set(indicator.areaIds);
  const places = indicator.placeIds === null ? null : new Set(indicator.placeIds);
  const everywhere = areas === null && places === null;
  const seen = new Map<string, boolean>();
  return (key) => {
    let matches = seen.get(key);
    if (matches === undefined) {
      const [category, areaId, placeId] = key.split('|');
      matches = categories.has(category) && (everywhere || (areaId !== '' && !!areas?.has(areaId)) || (placeId !== '' && !!places?.has(placeId)));
      seen.set(key, matches);
    }
    return matches;
  };
}

function countIn(documents: Documents, municipalityId: string, window: { from: string; to: string }, matches: (key: string) => boolean): number {
  let total = 0;
  for (let date = window.from; date <= window.to; date = addDays(date, 1)) {
    const day = documents.get(dayDocumentId(municipalityId, date));
    if (day?.kind === 'day') for (const key in day.counts) if (matches(key)) total += day.counts[key];
  }
  return total;
}

function countValue(goal: Goal, plan: PlanDocument, documents: Documents, now: Date, settings: Partial<GoalProgressSettings>): GoalValue | null {
  if (goal.indicator.kind !== 'incident-count') return null;
  const window = countWindow(goal, now, settings);
  if (!window) return null;
  const value = countIn(documents, plan.municipalityId, window, matcher(goal.indicator));
  const { low, high } = poissonInterval(value);
  return { value, ...window, respondents: null, interval: { low: round(low, 3), high: round(high, 3), method: 'poisson-exact' } };
}

/** The years a survey goal's latest value may come from: after the baseline's, up to the target's. */
function surveyYears(goal: Goal): number[] {
  const years: number[] = [];
  for (let year = Number(goal.baseline.to.slice(0, 4)) + 1; year <= Number(goal.target.by.slice(0, 4)); year++) years.push(year);
  return years;
}

function surveyValue(goal: Goal, plan: PlanDocument, documents: Documents): GoalValue | null {
  if (goal.indicator.kind !== 'survey') return null;
  const key = surveyKey(goal.indicator.indicator, goal.indicator.areaId);
  for (const year of surveyYears(goal).reverse()) {
    const surveys = documents.get(surveysDocumentId(plan.municipalityId, year));
    const entries = surveys?.kind === 'surveys' ? surveys.results[key] : undefined;
    const latest = entries?.[entries.length - 1];
    if (!latest) continue;
    const interval = latest.kind === 'share' ? wilsonInterval(latest.value, latest.respondents) : null;
    return {
      value: latest.value,
      from: `${year}-01-01`,
      to: `${year}-12-31`,
      respondents: latest.respondents,
      interval: interval ? { low: round(interval.low, 4), high: round(interval.high, 4), method: 'wilson' } : null,
    };
  }
  return null;
}

/** Days from the plan's first day to `to`, over days from it to the target date, both inclusive, in [0, 1]. */
function elapsedShare(planStart: string, by: string, to: string): number {
  const whole = daysBetween(planStart, by) + 1;
  return whole <= 0 ? 1 : round(Math.min(1, Math.max(0, (daysBetween(planStart, to) + 1) / whole)), 4);
}

/** The status rules of README "Goal progress", in order. */
export function goalStatus(goal: Pick<Goal, 'baseline' | 'target' | 'direction'>, latest: GoalValue | null, progress: number | null, elapsed: number | null): GoalStatus {
  if (latest === null) return 'no-data';
  const target = goal.target.value;
  const atOrBeyond = goal.direction === 'decrease' ? latest.value <= target : latest.value >= target;
  const spans = latest.interval !== null && latest.interval.low < target && target < latest.interval.high;
  if (atOrBeyond && !spans) return 'achieved';
  if (spans) return 'inconclusive';
  return progress !== null && elapsed !== null && progress >= elapsed ? 'on-track' : 'off-track';
}

/** The progress of an adopted plan as of `now`; null for a draft or no plan (answer 404). */
export function goalProgressView(
  plan: PlanDocument | undefined,
  documents: Documents,
  now: Date,
  settings: Partial<GoalProgressSettings> = {},
): GoalProgressView | null {
  if (plan?.kind !== 'plan' || plan.status !== 'adopted') return null;
  return {
    actionPlanId: plan.actionPlanId,
    municipalityId: plan.municipalityId,
    title: plan.title,
    periodStart: plan.periodStart,
    periodEnd: plan.periodEnd,
    status: 'adopted',
    adoptedAt: plan.adoptedAt,
    asOf: now.toISOString(),
    goals: plan.goals.map((goal) => {
      const latest = goal.indicator.kind === 'survey' ? surveyValue(goal, plan, documents) : countValue(goal, plan, documents, now, settings);
      const span = goal.target.value - goal.baseline.value;
      const progress = latest === null || span === 0 ? null : round((latest.value - goal.baseline.value) / span, 4);
      const elapsed = latest === null ? null : elapsedShare(plan.periodStart, goal.target.by, latest.to);
      const { goalId, title, indicator, baseline, target, direction } = goal;
      return { goalId, title, indicator, baseline, target, direction, latest, progress, elapsed, status: goalStatus(goal, latest, progress, elapsed) };
    }),
  };
}
