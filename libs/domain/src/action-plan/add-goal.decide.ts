import { type FieldProblem, IllegalStateError, InvalidCommandError, UnknownReferenceError } from '../shared/errors.js';
import { isIsoDate } from '../shared/periods.js';
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../incident/incident.vocabulary.js';
import type { AreaFacts, PlaceFacts } from '../registry/registry.state.js';
import type { GoalAdded, GoalIndicator } from './action-plan.events.js';
import { type ActionPlanState, contentChange, type DraftActionPlanState, requireDraft } from './action-plan.state.js';

/** The indicator as a client writes it; categories are checked against the vocabulary here. */
export type GoalIndicatorInput =
  | { kind: 'incident-count'; categories: string[]; areaIds?: string[]; placeIds?: string[] }
  | { kind: 'survey'; indicator: string; areaId?: string };

export interface AddGoal {
  actionPlanId: string;
  goalId: string;
  title: string;
  indicator: GoalIndicatorInput;
  baseline: { value: number; from: string; to: string };
  target: { value: number; by: string };
  /** What the handler looked up: the areas and places the indicator names, as found (a missing id is not registered). */
  areas?: AreaFacts[];
  places?: PlaceFacts[];
}

function indicatorProblems(indicator: GoalIndicatorInput): FieldProblem[] {
  if (indicator.kind === 'survey') {
    return typeof indicator.indicator === 'string' && indicator.indicator.trim() !== ''
      ? []
      : [{ field: 'indicator.indicator', message: 'must name the survey indicator' }];
  }
  if (indicator.kind !== 'incident-count') return [{ field: 'indicator.kind', message: "must be 'incident-count' or 'survey'" }];
  const problems: FieldProblem[] = [];
  if (!Array.isArray(indicator.categories) || indicator.categories.length === 0) {
    problems.push({ field: 'indicator.categories', message: 'must name at least one incident category' });
  } else {
    indicator.categories.forEach((category, i) => {
      if (!Object.hasOwn(INCIDENT_CATEGORIES, category)) problems.push({ field: `indicator.categories[${i}]`, message: `unknown category ${category}` });
      else if (indicator.categories.indexOf(category) !== i) problems.push({ field: `indicator.categories[${i}]`, message: `${category} is listed twice` });
    });
  }
  for (const key of ['areaIds', 'placeIds'] as const) {
    if (indicator[key]?.length === 0) problems.push({ field: `indicator.${key}`, message: 'must name at least one, or be left out' });
  }
  return problems;
}

/** The baseline is measured over [from, to]; the target is due after that and at the latest when the plan ends. */
function goalProblems(command: AddGoal, plan: DraftActionPlanState): FieldProblem[] {
  const { indicator, baseline, target } = command;
  const problems = indicatorProblems(indicator);
  const minimum = indicator.kind === 'incident-count' ? 0 : -Infinity;
  for (const [field, value] of [['baseline.value', baseline.value], ['target.value', target.value]] as const) {
    if (!Number.isFinite(value) || value < minimum) problems.push({ field, message: minimum === 0 ? 'must be a count ≥ 0' : 'must be a number' });
  }
  const dates = [['baseline.from', baseline.from], ['baseline.to', baseline.to], ['target.by', target.by]] as const;
  const badDates = dates.filter(([, value]) => !isIsoDate(value));
  if (badDates.length > 0) return [...problems, ...badDates.map(([field]) => ({ field, message: 'must be a date YYYY-MM-DD' }))];
  if (baseline.from > baseline.to) problems.push({ field: 'baseline.to', message: 'must not be before baseline.from' });
  if (target.by <= baseline.to) problems.push({ field: 'target.by', message: 'must be after baseline.to' });
  else if (target.by > plan.periodEnd) problems.push({ field: 'target.by', message: `must not be after the plan ends (${plan.periodEnd})` });
  return problems;
}

function checkReference(kind: 'area' | 'place', found: { municipalityId: string } | undefined, plan: DraftActionPlanState, field: string, id: string): void {
  const code = kind === 'area' ? 'ACTION_PLAN.UNKNOWN_AREA' : 'ACTION_PLAN.UNKNOWN_PLACE';
  if (!found) throw new UnknownReferenceError(code, `${kind} ${id} is not registered`, field, id);
  if (found.municipalityId !== plan.municipalityId) {
    throw new UnknownReferenceError(code, `${kind} ${id} is in ${found.municipalityId}, not in ${plan.municipalityId}`, field, id);
  }
}

/** Areas and places named must exist and be of the plan's municipality. */
function checkReferences({ indicator, areas = [], places = [] }: AddGoal, plan: DraftActionPlanState): void {
  const area = (id: string) => areas.find((a) => a.areaId === id);
  const place = (id: string) => places.find((p) => p.placeId === id);
  if (indicator.kind === 'survey') {
    if (indicator.areaId !== undefined) checkReference('area', area(indicator.areaId), plan, 'indicator.areaId', indicator.areaId);
    return;
  }
  indicator.areaIds?.forEach((id, i) => checkReference('area', area(id), plan, `indicator.areaIds[${i}]`, id));
  indicator.placeIds?.forEach((id, i) => checkReference('place', place(id), plan, `indicator.placeIds[${i}]`, id));
}

function normalized(indicator: GoalIndicatorInput): GoalIndicator {
  return indicator.kind === 'survey'
    ? { kind: 'survey', indicator: indicator.indicator, areaId: indicator.areaId ?? null }
    : {
        kind: 'incident-count',
        categories: indicator.categories as IncidentCategory[],
        areaIds: indicator.areaIds ?? null,
        placeIds: indicator.placeIds ?? null,
      };
}

export function addGoal(command: AddGoal, state: ActionPlanState): GoalAdded[] {
  const plan = requireDraft(state, command.actionPlanId);
  if (plan.goals.some((g) => g.goalId === command.goalId)) {
    throw new IllegalStateError('ACTION_PLAN.GOAL_EXISTS', `goal ${command.goalId} is already in action plan ${command.actionPlanId}`, { goalId: command.goalId });
  }
  const problems = goalProblems(command, plan);
  if (problems.length > 0) throw new InvalidCommandError('ACTION_PLAN.INVALID_GOAL', problems);
  checkReferences(command, plan);
  const { baseline, target } = command;
  // A goal says which way the indicator should move; one that asks it to stay put measures nothing.
  if (target.value === baseline.value) {
    throw new InvalidCommandError('ACTION_PLAN.TARGET_EQUALS_BASELINE', [{ field: 'target.value', message: 'must differ from baseline.value' }]);
  }
  return [
    {
      type: 'GoalAdded',
      data: {
        actionPlanId: plan.actionPlanId,
        municipalityId: plan.municipalityId,
        goalId: command.goalId,
        title: command.title,
        indicator: normalized(command.indicator),
        baseline: { value: baseline.value, from: baseline.from, to: baseline.to },
        target: { value: target.value, by: target.by },
        direction: target.value < baseline.value ? 'decrease' : 'increase',
        ...contentChange(plan),
      },
    },
  ];
}
