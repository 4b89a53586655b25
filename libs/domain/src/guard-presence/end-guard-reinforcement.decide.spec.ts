import { describe, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import { type EndGuardReinforcement, endGuardReinforcement } from './end-guard-reinforcement.decide.js';
import { guardReinforcement } from './guard-presence.state.js';
import { ended, reinforced } from './guard-presence.testing.js';

const command = (overrides: Partial<EndGuardReinforcement> = {}): EndGuardReinforcement => ({
  reinforcementId: 'r-1',
  endedOn: '2025-06-15',
  reason: 'Budget cut',
  ...overrides,
});

describe('endGuardReinforcement', () => {
  it('ends a reinforcement earlier than planned', () => {
    given(guardReinforcement, [reinforced]).when((s) => endGuardReinforcement(command(), s)).then([ended('2025-06-15')]);
  });

  it('ends on its first or its planned last day, without a reason', () => {
    given(guardReinforcement, [reinforced])
      .when((s) => endGuardReinforcement(command({ endedOn: '2025-03-03', reason: undefined }), s))
      .then([{ ...ended('2025-03-03'), data: { ...ended('2025-03-03').data, reason: null } }]);
    given(guardReinforcement, [reinforced]).when((s) => endGuardReinforcement(command({ endedOn: '2025-08-31' }), s)).then([ended('2025-08-31')]);
  });

  it('refuses to end before it started, or after its planned end', () => {
    given(guardReinforcement, [reinforced])
      .when((s) => endGuardReinforcement(command({ endedOn: '2025-03-02' }), s))
      .thenThrows('GUARD_REINFORCEMENT.ENDS_BEFORE_START', { from: '2025-03-03' });
    given(guardReinforcement, [reinforced])
      .when((s) => endGuardReinforcement(command({ endedOn: '2025-09-01' }), s))
      .thenThrows('GUARD_REINFORCEMENT.ENDS_AFTER_PLANNED_END', { to: '2025-08-31' });
  });

  it('ends once', () => {
    given(guardReinforcement, [reinforced, ended()])
      .when((s) => endGuardReinforcement(command({ endedOn: '2025-06-01' }), s))
      .thenThrows('GUARD_REINFORCEMENT.ALREADY_ENDED', { endedOn: '2025-06-15' });
  });

  it('refuses a reinforcement that does not exist, and a date that is not one', () => {
    given(guardReinforcement).when((s) => endGuardReinforcement(command(), s)).thenThrows('GUARD_REINFORCEMENT.NOT_FOUND');
    given(guardReinforcement, [reinforced])
      .when((s) => endGuardReinforcement(command({ endedOn: '15/6/2025' }), s))
      .thenThrows('GUARD_REINFORCEMENT.INVALID', { errors: [{ field: 'endedOn', message: 'must be a date YYYY-MM-DD' }] });
  });
});
