import { assertNever } from '../shared/domain-event.js';
import type { GuardPresenceReinforced, GuardReinforcementEvent, PatrolVisitEvent, PatrolVisitLogged } from './guard-presence.events.js';

type Reinforced = GuardPresenceReinforced['data'];

export type GuardReinforcementState =
  | { status: 'none' }
  | ({ status: 'reinforced' } & Reinforced & { endedOn: null; endReason: null })
  | ({ status: 'ended' } & Reinforced & { endedOn: string; endReason: string | null });

export const initialGuardReinforcementState = (): GuardReinforcementState => ({ status: 'none' });

export function evolveGuardReinforcement(state: GuardReinforcementState, event: GuardReinforcementEvent): GuardReinforcementState {
  switch (event.type) {
    case 'GuardPresenceReinforced':
      return { status: 'reinforced', ...event.data, endedOn: null, endReason: null };
    case 'GuardReinforcementEnded':
      return state.status === 'none' ? state : { ...state, status: 'ended', endedOn: event.data.endedOn, endReason: event.data.reason };
    default:
      return assertNever(event);
  }
}

export const guardReinforcement = { initialState: initialGuardReinforcementState, evolve: evolveGuardReinforcement };

/** A visit is logged once; its state is whether it is and what it was. */
export type PatrolVisitState = { status: 'none' } | ({ status: 'logged' } & PatrolVisitLogged['data']);

export const patrolVisit = {
  initialState: (): PatrolVisitState => ({ status: 'none' }),
  evolve: (_state: PatrolVisitState, event: PatrolVisitEvent): PatrolVisitState => ({ status: 'logged', ...event.data }),
};
