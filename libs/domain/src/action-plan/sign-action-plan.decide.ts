import type { Decision } from '../shared/domain-event.js';
import { IllegalStateError, InvalidCommandError } from '../shared/errors.js';
import type { ActionPlanSigned } from './action-plan.events.js';
import { type ActionPlanState, requireDraft } from './action-plan.state.js';
import { SIGNATORY_ROLES, type SignatoryRole } from './action-plan.vocabulary.js';

export interface SignActionPlan extends Decision {
  actionPlanId: string;
  role: SignatoryRole;
  name: string;
  /** When it was signed on paper or elsewhere; now by default. */
  signedAt?: Date;
}

/** A signature is for the plan's current content revision; a role signs a revision once. */
export function signActionPlan(command: SignActionPlan, state: ActionPlanState): ActionPlanSigned[] {
  const plan = requireDraft(state, command.actionPlanId);
  const signedAt = command.signedAt ?? command.now;
  const problems = [];
  if (!SIGNATORY_ROLES.includes(command.role)) problems.push({ field: 'role', message: `must be one of ${SIGNATORY_ROLES.join(', ')}` });
  if (Number.isNaN(signedAt.getTime()) || signedAt.getTime() > command.now.getTime()) problems.push({ field: 'signedAt', message: 'must not be in the future' });
  if (problems.length > 0) throw new InvalidCommandError('ACTION_PLAN.INVALID_SIGNATURE', problems);
  // Only signatures on the current content revision are kept, so any signature of the role is on it.
  const existing = plan.signatures.find((s) => s.role === command.role);
  if (existing) {
    throw new IllegalStateError('ACTION_PLAN.ALREADY_SIGNED', `${command.role} has already signed revision ${plan.contentRevision} of action plan ${plan.actionPlanId}`, {
      role: command.role,
      revision: plan.contentRevision,
    });
  }
  return [
    {
      type: 'ActionPlanSigned',
      data: {
        actionPlanId: plan.actionPlanId,
        municipalityId: plan.municipalityId,
        role: command.role,
        name: command.name,
        signedAt: signedAt.toISOString(),
        contentRevision: plan.contentRevision,
      },
    },
  ];
}
