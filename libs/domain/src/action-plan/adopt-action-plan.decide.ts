import type { Decision } from '../shared/domain-event.js';
import { IllegalStateError, InvalidCommandError } from '../shared/errors.js';
import type { ActionPlanAdopted } from './action-plan.events.js';
import { type ActionPlanState, requireDraft } from './action-plan.state.js';
import { SIGNATORY_ROLES } from './action-plan.vocabulary.js';

export interface AdoptActionPlan extends Decision {
  actionPlanId: string;
  /** Now by default. */
  adoptedAt?: Date;
}

/** A plan is in force once all three roles have signed its current content and it has a goal. */
export function adoptActionPlan(command: AdoptActionPlan, state: ActionPlanState): ActionPlanAdopted[] {
  const plan = requireDraft(state, command.actionPlanId);
  if (plan.goals.length === 0) throw new IllegalStateError('ACTION_PLAN.NO_GOALS', `action plan ${plan.actionPlanId} has no goals`);
  const missingRoles = SIGNATORY_ROLES.filter((role) => !plan.signatures.some((s) => s.role === role));
  if (missingRoles.length > 0) {
    throw new IllegalStateError('ACTION_PLAN.SIGNATURES_MISSING', `revision ${plan.contentRevision} is not signed by ${missingRoles.join(', ')}`, {
      missingRoles,
      revision: plan.contentRevision,
    });
  }
  const adoptedAt = command.adoptedAt ?? command.now;
  // Adoption follows the signatures it rests on; it cannot be dated before the last of them.
  const lastSignedAt = plan.signatures.map((s) => s.signedAt).sort().at(-1)!;
  if (Number.isNaN(adoptedAt.getTime()) || adoptedAt.getTime() > command.now.getTime()) {
    throw new InvalidCommandError('ACTION_PLAN.INVALID_ADOPTION', [{ field: 'adoptedAt', message: 'must not be in the future' }]);
  }
  if (adoptedAt.getTime() < Date.parse(lastSignedAt)) {
    throw new InvalidCommandError('ACTION_PLAN.INVALID_ADOPTION', [{ field: 'adoptedAt', message: `must not be before the last signature (${lastSignedAt})` }]);
  }
  return [
    {
      type: 'ActionPlanAdopted',
      data: { actionPlanId: plan.actionPlanId, municipalityId: plan.municipalityId, adoptedAt: adoptedAt.toISOString(), contentRevision: plan.contentRevision },
    },
  ];
}
