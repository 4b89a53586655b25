import { assertNever } from '../shared/domain-event.js';
import { IllegalStateError, NotFoundError } from '../shared/errors.js';
import type { ActionPlanDrafted, ActionPlanEvent, Goal, Measure } from './action-plan.events.js';
import type { SignatoryRole } from './action-plan.vocabulary.js';

export interface Signature {
  role: SignatoryRole;
  name: string;
  signedAt: string;
  /** The content revision signed (not the stream revision). */
  revision: number;
}

/**
 * Everything `GET /action-plans/{id}` shows, so a fold of the events up to any point is the plan as
 * it stood then. `signatures` holds only the signatures valid now, all for `contentRevision`.
 */
type PlanContent = ActionPlanDrafted['data'] & {
  contentRevision: number;
  goals: Goal[];
  measures: Measure[];
  signatures: Signature[];
};

export type ActionPlanState =
  | { status: 'none' }
  | ({ status: 'draft' } & PlanContent & { adoptedAt: null })
  | ({ status: 'adopted' } & PlanContent & { adoptedAt: string });

export type ExistingActionPlan = Exclude<ActionPlanState, { status: 'none' }>;
export type DraftActionPlanState = Extract<ActionPlanState, { status: 'draft' }>;

export const initialActionPlanState = (): ActionPlanState => ({ status: 'none' });

export function evolveActionPlan(state: ActionPlanState, event: ActionPlanEvent): ActionPlanState {
  if (event.type === 'ActionPlanDrafted') {
    return { status: 'draft', ...event.data, contentRevision: 0, goals: [], measures: [], signatures: [], adoptedAt: null };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'GoalAdded': {
      const { goalId, title, indicator, baseline, target, direction, contentRevision, voidsSignatures } = event.data;
      const goal = { goalId, title, indicator, baseline, target, direction };
      return { ...state, contentRevision, goals: [...state.goals, goal], signatures: withoutRoles(state.signatures, voidsSignatures) };
    }
    case 'MeasureAdded': {
      const { measureId, title, kind, responsible, goalIds, contentRevision, voidsSignatures } = event.data;
      const measure = { measureId, title, kind, responsible, goalIds };
      return { ...state, contentRevision, measures: [...state.measures, measure], signatures: withoutRoles(state.signatures, voidsSignatures) };
    }
    case 'ActionPlanSigned': {
      const { role, name, signedAt, contentRevision } = event.data;
      return { ...state, signatures: [...withoutRoles(state.signatures, [role]), { role, name, signedAt, revision: contentRevision }] };
    }
    case 'ActionPlanAdopted':
      return { ...state, status: 'adopted', adoptedAt: event.data.adoptedAt };
    default:
      return assertNever(event);
  }
}

function withoutRoles(signatures: Signature[], roles: readonly SignatoryRole[]): Signature[] {
  return signatures.filter((s) => !roles.includes(s.role));
}

export const actionPlan = { initialState: initialActionPlanState, evolve: evolveActionPlan };

/** Commands other than drafting work on an existing plan; most only on a draft. */
export function requireExisting(state: ActionPlanState, actionPlanId: string): ExistingActionPlan {
  if (state.status === 'none') throw new NotFoundError('ACTION_PLAN.NOT_FOUND', `action plan ${actionPlanId} does not exist`);
  return state;
}

export function requireDraft(state: ActionPlanState, actionPlanId: string): DraftActionPlanState {
  const plan = requireExisting(state, actionPlanId);
  if (plan.status !== 'draft') throw new IllegalStateError('ACTION_PLAN.NOT_DRAFT', `action plan ${actionPlanId} is adopted and can no longer change`);
  return plan;
}

/**
 * The facts about a measure that another command needs (a guard reinforcement that serves it),
 * looked up by the handler in the plan that holds it.
 */
export interface MeasureFacts {
  measureId: string;
  actionPlanId: string;
  municipalityId: string;
  planStatus: ExistingActionPlan['status'];
  kind: Measure['kind'];
}

/** The facts about one measure of a plan, for the handler that found the plan holding it. */
export function measureFacts(plan: ActionPlanState, measureId: string): MeasureFacts | undefined {
  if (plan.status === 'none') return undefined;
  const measure = plan.measures.find((m) => m.measureId === measureId);
  return measure && { measureId, actionPlanId: plan.actionPlanId, municipalityId: plan.municipalityId, planStatus: plan.status, kind: measure.kind };
}

/** What every change to goals or measures carries: the next content revision and the signatures it voids. */
export function contentChange(plan: DraftActionPlanState): { contentRevision: number; voidsSignatures: SignatoryRole[] } {
  return { contentRevision: plan.contentRevision + 1, voidsSignatures: plan.signatures.map((s) => s.role) };
}
