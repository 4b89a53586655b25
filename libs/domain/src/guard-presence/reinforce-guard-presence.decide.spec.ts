import { describe, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import { actionPlan, type MeasureFacts, measureFacts } from '../action-plan/action-plan.state.js';
import { drafted, goalAdded, measureAdded } from '../action-plan/action-plan.testing.js';
import { guardReinforcement } from './guard-presence.state.js';
import { morby, reinforced, station } from './guard-presence.testing.js';
import { type ReinforceGuardPresence, reinforceGuardPresence } from './reinforce-guard-presence.decide.js';

const measure: MeasureFacts = { measureId: 'm-1', actionPlanId: 'ap-1', municipalityId: 'danderyd', planStatus: 'adopted', kind: 'guard-presence' };
const command = (overrides: Partial<ReinforceGuardPresence> = {}): ReinforceGuardPresence => ({
  reinforcementId: 'r-1',
  municipalityId: 'danderyd',
  placeIds: ['morby-centrum', 'danderyds-sjukhus'],
  from: '2025-03-03',
  to: '2025-08-31',
  hoursPerWeek: 20,
  provider: 'Securitas',
  fundedBy: 'Trygghetssatsning 2025',
  measureId: 'm-1',
  places: [morby, station],
  measure,
  ...overrides,
});

describe('reinforceGuardPresence', () => {
  it('reinforces guard presence at places of one municipality, for a measure of its plan', () => {
    given(guardReinforcement).when((s) => reinforceGuardPresence(command(), s)).then([reinforced]);
  });

  it('takes the measure facts from the plan that holds the measure, draft or adopted', () => {
    const plan = given(actionPlan, [drafted, goalAdded(1), measureAdded(2)]).state;
    given(guardReinforcement)
      .when((s) => reinforceGuardPresence(command({ measure: measureFacts(plan, 'm-1') }), s))
      .then([reinforced]);
    given(guardReinforcement)
      .when((s) => reinforceGuardPresence(command({ measure: measureFacts(plan, 'm-2'), measureId: 'm-2' }), s))
      .thenThrows('GUARD_REINFORCEMENT.UNKNOWN_MEASURE', { field: 'measureId', value: 'm-2' });
  });

  it('takes the municipality from the places, and needs no measure or funding', () => {
    given(guardReinforcement)
      .when((s) => reinforceGuardPresence(command({ municipalityId: undefined, measureId: undefined, measure: undefined, fundedBy: undefined }), s))
      .then([{ ...reinforced, data: { ...reinforced.data, fundedBy: null, measureId: null, actionPlanId: null } }]);
  });

  it('refuses a reinforcement that exists', () => {
    given(guardReinforcement, [reinforced]).when((s) => reinforceGuardPresence(command(), s)).thenThrows('GUARD_REINFORCEMENT.ALREADY_EXISTS');
  });

  it('needs places, from ≤ to and hours per week > 0', () => {
    given(guardReinforcement)
      .when((s) => reinforceGuardPresence(command({ placeIds: [], from: '2025-09-01', hoursPerWeek: 0 }), s))
      .thenThrows('GUARD_REINFORCEMENT.INVALID', {
        errors: [
          { field: 'placeIds', message: 'must name at least one place' },
          { field: 'to', message: 'must not be before from' },
          { field: 'hoursPerWeek', message: 'must be more than 0' },
        ],
      });
  });

  it('refuses a place that is not registered, naming it', () => {
    given(guardReinforcement)
      .when((s) => reinforceGuardPresence(command({ places: [morby] }), s))
      .thenThrows('GUARD_REINFORCEMENT.UNKNOWN_PLACE', { field: 'placeIds[1]', value: 'danderyds-sjukhus' });
  });

  it('refuses places of several municipalities, or of another one than named', () => {
    const taby: typeof station = { ...station, municipalityId: 'taby' };
    given(guardReinforcement)
      .when((s) => reinforceGuardPresence(command({ municipalityId: undefined, places: [morby, taby] }), s))
      .thenThrows('GUARD_REINFORCEMENT.UNKNOWN_PLACE', { field: 'placeIds[1]', value: 'danderyds-sjukhus' });
    given(guardReinforcement)
      .when((s) => reinforceGuardPresence(command({ municipalityId: 'taby' }), s))
      .thenThrows('GUARD_REINFORCEMENT.UNKNOWN_PLACE', { field: 'placeIds[0]', value: 'morby-centrum' });
  });

  it('refuses a measure that is in no plan of the municipality', () => {
    given(guardReinforcement)
      .when((s) => reinforceGuardPresence(command({ measure: undefined }), s))
      .thenThrows('GUARD_REINFORCEMENT.UNKNOWN_MEASURE', { field: 'measureId', value: 'm-1' });
    given(guardReinforcement)
      .when((s) => reinforceGuardPresence(command({ measure: { ...measure, municipalityId: 'taby' } }), s))
      .thenThrows('GUARD_REINFORCEMENT.UNKNOWN_MEASURE', { field: 'measureId', value: 'm-1' });
  });
});
