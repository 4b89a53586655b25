import { describe, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import type { PatrolVisitLogged } from './guard-presence.events.js';
import { guardReinforcement, type GuardReinforcementState, patrolVisit } from './guard-presence.state.js';
import { ended, morby, reinforced } from './guard-presence.testing.js';
import { type LogPatrolVisit, logPatrolVisit } from './log-patrol-visit.decide.js';

const now = new Date('2025-05-10T12:00:00Z');
const running = given(guardReinforcement, [reinforced]).state;
const endedEarly = given(guardReinforcement, [reinforced, ended('2025-04-30')]).state;
const command = (overrides: Partial<LogPatrolVisit> = {}): LogPatrolVisit => ({
  visitId: 'v-1',
  placeId: 'morby-centrum',
  arrivedAt: new Date('2025-05-09T19:30:00Z'),
  departedAt: new Date('2025-05-09T20:15:00Z'),
  guards: 2,
  reinforcementId: 'r-1',
  observations: 'Group of youths by the bus stop, calm',
  place: morby,
  reinforcement: running,
  now,
  ...overrides,
});
const logged: PatrolVisitLogged = {
  type: 'PatrolVisitLogged',
  data: {
    visitId: 'v-1',
    municipalityId: 'danderyd',
    areaId: 'centrala-danderyd',
    placeId: 'morby-centrum',
    arrivedAt: '2025-05-09T19:30:00.000Z',
    departedAt: '2025-05-09T20:15:00.000Z',
    guards: 2,
    reinforcementId: 'r-1',
    observations: 'Group of youths by the bus stop, calm',
  },
};

describe('logPatrolVisit', () => {
  it('logs a visit at a place under a reinforcement that covers it that day', () => {
    given(patrolVisit).when((s) => logPatrolVisit(command(), s)).then([logged]);
  });

  it('logs a visit outside any reinforcement', () => {
    given(patrolVisit)
      .when((s) => logPatrolVisit(command({ reinforcementId: undefined, reinforcement: undefined, guards: undefined, observations: undefined }), s))
      .then([{ ...logged, data: { ...logged.data, reinforcementId: null, guards: null, observations: null } }]);
  });

  it('logs a visit once', () => {
    given(patrolVisit, [logged]).when((s) => logPatrolVisit(command(), s)).thenThrows('PATROL_VISIT.ALREADY_LOGGED');
  });

  it('needs arrival before departure, and departure not in the future', () => {
    given(patrolVisit)
      .when((s) => logPatrolVisit(command({ departedAt: new Date('2025-05-09T19:30:00Z') }), s))
      .thenThrows('PATROL_VISIT.INVALID', { errors: [{ field: 'departedAt', message: 'must be after arrivedAt' }] });
    given(patrolVisit)
      .when((s) => logPatrolVisit(command({ departedAt: new Date('2025-05-10T12:00:01Z') }), s))
      .thenThrows('PATROL_VISIT.INVALID', { errors: [{ field: 'departedAt', message: 'must not be in the future' }] });
  });

  it('needs a whole number of guards', () => {
    given(patrolVisit)
      .when((s) => logPatrolVisit(command({ guards: 1.5 }), s))
      .thenThrows('PATROL_VISIT.INVALID', { errors: [{ field: 'guards', message: 'must be a whole number ≥ 1' }] });
  });

  it('refuses a place that is not registered', () => {
    given(patrolVisit).when((s) => logPatrolVisit(command({ place: undefined }), s)).thenThrows('PATROL_VISIT.UNKNOWN_PLACE', { field: 'placeId', value: 'morby-centrum' });
  });

  it('refuses a reinforcement that does not exist, or does not cover the place', () => {
    given(patrolVisit)
      .when((s) => logPatrolVisit(command({ reinforcement: { status: 'none' } }), s))
      .thenThrows('PATROL_VISIT.UNKNOWN_REINFORCEMENT', { field: 'reinforcementId', value: 'r-1' });
    const elsewhere = { ...running, placeIds: ['danderyds-sjukhus'] } as GuardReinforcementState;
    given(patrolVisit)
      .when((s) => logPatrolVisit(command({ reinforcement: elsewhere }), s))
      .thenThrows('PATROL_VISIT.REINFORCEMENT_NOT_AT_PLACE', { field: 'reinforcementId', value: 'r-1' });
  });

  it('refuses a reinforcement that did not run on the day of the visit, by the local date', () => {
    // 2025-03-02T23:30Z is 00:30 on 3 March in Stockholm, the first day.
    given(patrolVisit)
      .when((s) => logPatrolVisit(command({ arrivedAt: new Date('2025-03-02T23:30:00Z'), departedAt: new Date('2025-03-03T00:10:00Z') }), s))
      .then([{ ...logged, data: { ...logged.data, arrivedAt: '2025-03-02T23:30:00.000Z', departedAt: '2025-03-03T00:10:00.000Z' } }]);
    given(patrolVisit)
      .when((s) => logPatrolVisit(command({ arrivedAt: new Date('2025-03-02T22:30:00Z'), departedAt: new Date('2025-03-02T23:10:00Z') }), s))
      .thenThrows('PATROL_VISIT.REINFORCEMENT_NOT_RUNNING', { visitDate: '2025-03-02', from: '2025-03-03' });
  });

  it('refuses a reinforcement that had ended before the visit', () => {
    given(patrolVisit)
      .when((s) => logPatrolVisit(command({ reinforcement: endedEarly }), s))
      .thenThrows('PATROL_VISIT.REINFORCEMENT_NOT_RUNNING', { visitDate: '2025-05-09', endedOn: '2025-04-30' });
  });
});
