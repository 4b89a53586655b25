import { describe, expect, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import { type AddMeasure, addMeasure } from './add-measure.decide.js';
import { actionPlan } from './action-plan.state.js';
import { adopted, allSigned, drafted, goalAdded, measureAdded } from './action-plan.testing.js';

const command = (overrides: Partial<AddMeasure> = {}): AddMeasure => ({
  actionPlanId: 'ap-1',
  measureId: 'm-1',
  title: 'Grannsamverkan i Djursholm',
  kind: 'neighbourhood-watch',
  responsible: 'joint',
  goalIds: ['g-1'],
  ...overrides,
});

describe('addMeasure', () => {
  it('adds a measure that serves a goal of the plan, as the next content revision', () => {
    given(actionPlan, [drafted, goalAdded(1)]).when((s) => addMeasure(command(), s)).then([measureAdded(2)]);
  });

  it('takes a named partner as responsible, and no goals', () => {
    given(actionPlan, [drafted])
      .when((s) => addMeasure(command({ kind: 'guard-presence', responsible: { partner: 'Securitas' }, goalIds: undefined }), s))
      .then([
        {
          type: 'MeasureAdded',
          data: {
            actionPlanId: 'ap-1',
            municipalityId: 'danderyd',
            measureId: 'm-1',
            title: 'Grannsamverkan i Djursholm',
            kind: 'guard-presence',
            responsible: { partner: 'Securitas' },
            goalIds: [],
            contentRevision: 1,
            voidsSignatures: [],
          },
        },
      ]);
  });

  it('voids every earlier signature, and says so in the event', () => {
    given(actionPlan, [drafted, goalAdded(1), ...allSigned(1)])
      .when((s) => addMeasure(command(), s))
      .then([measureAdded(2, ['police-area-chief', 'board-chair', 'municipal-director'])]);
    expect(given(actionPlan, [drafted, goalAdded(1), ...allSigned(1), measureAdded(2, ['police-area-chief', 'board-chair', 'municipal-director'])]).state).toMatchObject({
      contentRevision: 2,
      signatures: [],
    });
  });

  it('refuses a goal that is not in the plan, naming it', () => {
    given(actionPlan, [drafted, goalAdded(1)])
      .when((s) => addMeasure(command({ goalIds: ['g-1', 'g-9'] }), s))
      .thenThrows('ACTION_PLAN.UNKNOWN_GOAL', { field: 'goalIds[1]', value: 'g-9' });
  });

  it('refuses a measure id that the plan has', () => {
    given(actionPlan, [drafted, goalAdded(1), measureAdded(2)]).when((s) => addMeasure(command(), s)).thenThrows('ACTION_PLAN.MEASURE_EXISTS', { measureId: 'm-1' });
  });

  it('refuses an unknown kind and a partner without a name', () => {
    given(actionPlan, [drafted, goalAdded(1)])
      .when((s) => addMeasure(command({ kind: 'prayer' as AddMeasure['kind'], responsible: { partner: ' ' } }), s))
      .thenThrows('ACTION_PLAN.INVALID_MEASURE', {
        errors: [
          { field: 'kind', message: 'must be one of neighbourhood-watch, camera-surveillance, guard-presence, youth-strategy, parent-walkers, police-patrol, safety-walk, other' },
          { field: 'responsible.partner', message: 'partner must name the partner' },
        ],
      });
  });

  it('refuses a plan that does not exist, or is adopted', () => {
    given(actionPlan).when((s) => addMeasure(command(), s)).thenThrows('ACTION_PLAN.NOT_FOUND');
    given(actionPlan, [drafted, goalAdded(1), ...allSigned(1), adopted]).when((s) => addMeasure(command(), s)).thenThrows('ACTION_PLAN.NOT_DRAFT');
  });
});
