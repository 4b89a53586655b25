import { IllegalStateError, InvalidCommandError, NotFoundError } from '../shared/errors.js';
import { isIsoDate } from '../shared/periods.js';
import type { GuardReinforcementEnded } from './guard-presence.events.js';
import type { GuardReinforcementState } from './guard-presence.state.js';

export interface EndGuardReinforcement {
  reinforcementId: string;
  /** The last day with reinforced presence; it may be ahead, announcing the end. */
  endedOn: string;
  reason?: string;
}

/**
 * A reinforcement ends once, within its planned days: on `from` at the earliest and on `to` at the
 * latest (ending later would be an extension, which this is not). Those bounds are rules of the
 * stream's state, so a date outside them is a 409, not a 400.
 */
export function endGuardReinforcement(command: EndGuardReinforcement, state: GuardReinforcementState): GuardReinforcementEnded[] {
  if (state.status === 'none') throw new NotFoundError('GUARD_REINFORCEMENT.NOT_FOUND', `guard reinforcement ${command.reinforcementId} does not exist`);
  if (state.status === 'ended') {
    throw new IllegalStateError('GUARD_REINFORCEMENT.ALREADY_ENDED', `guard reinforcement ${command.reinforcementId} ended on ${state.endedOn}`, { endedOn: state.endedOn });
  }
  const { endedOn } = command;
  if (!isIsoDate(endedOn)) throw new InvalidCommandError('GUARD_REINFORCEMENT.INVALID', [{ field: 'endedOn', message: 'must be a date YYYY-MM-DD' }]);
  if (endedOn < state.from) {
    throw new IllegalStateError('GUARD_REINFORCEMENT.ENDS_BEFORE_START', `guard reinforcement ${command.reinforcementId} starts on ${state.from}`, { from: state.from });
  }
  if (endedOn > state.to) {
    throw new IllegalStateError('GUARD_REINFORCEMENT.ENDS_AFTER_PLANNED_END', `guard reinforcement ${command.reinforcementId} is planned to end on ${state.to}`, { to: state.to });
  }
  return [
    {
      type: 'GuardReinforcementEnded',
      data: {
        reinforcementId: state.reinforcementId,
        municipalityId: state.municipalityId,
        endedOn,
        reason: command.reason ?? null,
        measureId: state.measureId,
        actionPlanId: state.actionPlanId,
      },
    },
  ];
}
