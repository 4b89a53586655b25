import { type FieldProblem, IllegalStateError, InvalidCommandError, UnknownReferenceError } from '../shared/errors.js';
import { isIsoDate } from '../shared/periods.js';
import type { MunicipalityFacts } from '../registry/registry.state.js';
import type { ActionPlanDrafted } from './action-plan.events.js';
import type { ActionPlanState } from './action-plan.state.js';

export interface DraftActionPlan {
  actionPlanId: string;
  municipalityId: string;
  title: string;
  periodStart: string;
  periodEnd: string;
  /** The municipality named, as it stands; undefined when it is not registered. */
  municipality: MunicipalityFacts | undefined;
}

/**
 * A plan covers two whole calendar years (SPEC 1): periodStart is 1 January of the first year and
 * periodEnd 31 December of the second, both days inclusive.
 */
function periodProblems({ periodStart, periodEnd }: DraftActionPlan): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const startsAYear = isIsoDate(periodStart) && periodStart.endsWith('-01-01');
  if (!startsAYear) problems.push({ field: 'periodStart', message: 'must be 1 January (YYYY-01-01): a plan covers two calendar years' });
  const expectedEnd = startsAYear ? `${String(Number(periodStart.slice(0, 4)) + 1).padStart(4, '0')}-12-31` : undefined;
  if (expectedEnd !== undefined && periodEnd !== expectedEnd) {
    problems.push({ field: 'periodEnd', message: `must be ${expectedEnd}: a plan covers two calendar years` });
  } else if (expectedEnd === undefined && !(isIsoDate(periodEnd) && periodEnd.endsWith('-12-31'))) {
    problems.push({ field: 'periodEnd', message: 'must be 31 December (YYYY-12-31) of the year after periodStart' });
  }
  return problems;
}

export function draftActionPlan(command: DraftActionPlan, state: ActionPlanState): ActionPlanDrafted[] {
  if (state.status !== 'none') throw new IllegalStateError('ACTION_PLAN.ALREADY_EXISTS', `action plan ${command.actionPlanId} already exists`);
  if (!command.municipality) {
    throw new UnknownReferenceError('ACTION_PLAN.UNKNOWN_MUNICIPALITY', `municipality ${command.municipalityId} is not registered`, 'municipalityId', command.municipalityId);
  }
  const problems = periodProblems(command);
  if (problems.length > 0) throw new InvalidCommandError('ACTION_PLAN.INVALID_PERIOD', problems);
  const { actionPlanId, municipalityId, title, periodStart, periodEnd } = command;
  return [{ type: 'ActionPlanDrafted', data: { actionPlanId, municipalityId, title, periodStart, periodEnd } }];
}
