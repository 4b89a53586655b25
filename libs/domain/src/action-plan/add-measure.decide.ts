import { type FieldProblem, IllegalStateError, InvalidCommandError, UnknownReferenceError } from '../shared/errors.js';
import type { MeasureAdded } from './action-plan.events.js';
import { type ActionPlanState, contentChange, requireDraft } from './action-plan.state.js';
import { MEASURE_KINDS, type MeasureKind, type Responsible, responsibleProblem } from './action-plan.vocabulary.js';

export interface AddMeasure {
  actionPlanId: string;
  measureId: string;
  title: string;
  kind: MeasureKind;
  responsible: Responsible;
  /** The goals of this plan that the measure serves; none is allowed. */
  goalIds?: string[];
}

function measureProblems({ kind, responsible, goalIds = [] }: AddMeasure): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!MEASURE_KINDS.includes(kind)) problems.push({ field: 'kind', message: `must be one of ${MEASURE_KINDS.join(', ')}` });
  const responsibleIssue = responsibleProblem(responsible);
  if (responsibleIssue) problems.push({ field: typeof responsible === 'string' ? 'responsible' : 'responsible.partner', message: responsibleIssue });
  goalIds.forEach((goalId, i) => {
    if (goalIds.indexOf(goalId) !== i) problems.push({ field: `goalIds[${i}]`, message: `${goalId} is listed twice` });
  });
  return problems;
}

export function addMeasure(command: AddMeasure, state: ActionPlanState): MeasureAdded[] {
  const plan = requireDraft(state, command.actionPlanId);
  if (plan.measures.some((m) => m.measureId === command.measureId)) {
    throw new IllegalStateError('ACTION_PLAN.MEASURE_EXISTS', `measure ${command.measureId} is already in action plan ${command.actionPlanId}`, {
      measureId: command.measureId,
    });
  }
  const problems = measureProblems(command);
  if (problems.length > 0) throw new InvalidCommandError('ACTION_PLAN.INVALID_MEASURE', problems);
  const goalIds = command.goalIds ?? [];
  goalIds.forEach((goalId, i) => {
    if (!plan.goals.some((g) => g.goalId === goalId)) {
      throw new UnknownReferenceError('ACTION_PLAN.UNKNOWN_GOAL', `goal ${goalId} is not in action plan ${plan.actionPlanId}`, `goalIds[${i}]`, goalId);
    }
  });
  const responsible = typeof command.responsible === 'string' ? command.responsible : { partner: command.responsible.partner };
  return [
    {
      type: 'MeasureAdded',
      data: {
        actionPlanId: plan.actionPlanId,
        municipalityId: plan.municipalityId,
        measureId: command.measureId,
        title: command.title,
        kind: command.kind,
        responsible,
        goalIds,
        ...contentChange(plan),
      },
    },
  ];
}
