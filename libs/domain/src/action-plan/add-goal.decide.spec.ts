import { describe, expect, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import type { AreaFacts, PlaceFacts } from '../registry/registry.state.js';
import { type AddGoal, addGoal } from './add-goal.decide.js';
import { actionPlan } from './action-plan.state.js';
import { adopted, allSigned, drafted, goalAdded, signed } from './action-plan.testing.js';

const djursholm: AreaFacts = { status: 'defined', areaId: 'djursholm', municipalityId: 'danderyd', name: 'Djursholm', boundary: null };
const morby: PlaceFacts = {
  status: 'registered',
  placeId: 'morby-centrum',
  areaId: 'centrala-danderyd',
  municipalityId: 'danderyd',
  name: 'Mörby centrum',
  location: { lat: 59.398, lon: 18.036 },
  radiusMeters: 200,
  kind: null,
};
const command = (overrides: Partial<AddGoal> = {}): AddGoal => ({
  actionPlanId: 'ap-1',
  goalId: 'g-1',
  title: 'Färre bostadsinbrott i Djursholm',
  indicator: { kind: 'incident-count', categories: ['burglary-residential'], areaIds: ['djursholm'] },
  baseline: { value: 120, from: '2023-01-01', to: '2024-12-31' },
  target: { value: 90, by: '2026-12-31' },
  areas: [djursholm],
  ...overrides,
});

describe('addGoal', () => {
  it('adds a goal as content revision 1, with the direction from target against baseline', () => {
    given(actionPlan, [drafted]).when((s) => addGoal(command(), s)).then([goalAdded(1)]);
  });

  it('adds a survey goal that should increase, for an area', () => {
    const surveyGoal = command({
      goalId: 'g-2',
      title: 'Tryggare kvällar',
      indicator: { kind: 'survey', indicator: 'feels-safe-outdoors-evening', areaId: 'djursholm' },
      baseline: { value: 0.62, from: '2024-01-01', to: '2024-12-31' },
      target: { value: 0.7, by: '2026-12-01' },
    });
    given(actionPlan, [drafted, goalAdded(1)])
      .when((s) => addGoal(surveyGoal, s))
      .then([
        {
          type: 'GoalAdded',
          data: {
            actionPlanId: 'ap-1',
            municipalityId: 'danderyd',
            goalId: 'g-2',
            title: 'Tryggare kvällar',
            indicator: { kind: 'survey', indicator: 'feels-safe-outdoors-evening', areaId: 'djursholm' },
            baseline: { value: 0.62, from: '2024-01-01', to: '2024-12-31' },
            target: { value: 0.7, by: '2026-12-01' },
            direction: 'increase',
            contentRevision: 2,
            voidsSignatures: [],
          },
        },
      ]);
  });

  it('voids every earlier signature, and says so in the event', () => {
    const signedTwice = [drafted, goalAdded(1), signed('board-chair'), signed('police-area-chief')];
    given(actionPlan, signedTwice)
      .when((s) => addGoal(command({ goalId: 'g-2' }), s))
      .then([goalAdded(2, ['board-chair', 'police-area-chief'], 'g-2')]);
    expect(given(actionPlan, [...signedTwice, goalAdded(2, ['board-chair', 'police-area-chief'], 'g-2')]).state).toMatchObject({
      contentRevision: 2,
      signatures: [],
    });
  });

  it('refuses a goal id that the plan has', () => {
    given(actionPlan, [drafted, goalAdded(1)]).when((s) => addGoal(command(), s)).thenThrows('ACTION_PLAN.GOAL_EXISTS', { goalId: 'g-1' });
  });

  it('refuses a plan that does not exist, or is adopted', () => {
    given(actionPlan).when((s) => addGoal(command(), s)).thenThrows('ACTION_PLAN.NOT_FOUND');
    given(actionPlan, [drafted, goalAdded(1), ...allSigned(1), adopted])
      .when((s) => addGoal(command({ goalId: 'g-2' }), s))
      .thenThrows('ACTION_PLAN.NOT_DRAFT');
  });

  it('refuses a target equal to the baseline', () => {
    given(actionPlan, [drafted])
      .when((s) => addGoal(command({ target: { value: 120, by: '2026-12-31' } }), s))
      .thenThrows('ACTION_PLAN.TARGET_EQUALS_BASELINE', { errors: [{ field: 'target.value', message: 'must differ from baseline.value' }] });
  });

  it('needs known incident categories, naming each bad one by index', () => {
    given(actionPlan, [drafted])
      .when((s) => addGoal(command({ indicator: { kind: 'incident-count', categories: ['vandalism', 'jaywalking', 'vandalism'] } }), s))
      .thenThrows('ACTION_PLAN.INVALID_GOAL', {
        errors: [
          { field: 'indicator.categories[1]', message: 'unknown category jaywalking' },
          { field: 'indicator.categories[2]', message: 'vandalism is listed twice' },
        ],
      });
    given(actionPlan, [drafted])
      .when((s) => addGoal(command({ indicator: { kind: 'incident-count', categories: [] } }), s))
      .thenThrows('ACTION_PLAN.INVALID_GOAL', { errors: [{ field: 'indicator.categories', message: 'must name at least one incident category' }] });
  });

  it('needs a baseline period in order, and a target after it', () => {
    given(actionPlan, [drafted])
      .when((s) => addGoal(command({ baseline: { value: 120, from: '2024-12-31', to: '2024-01-01' } }), s))
      .thenThrows('ACTION_PLAN.INVALID_GOAL', { errors: [{ field: 'baseline.to', message: 'must not be before baseline.from' }] });
    given(actionPlan, [drafted])
      .when((s) => addGoal(command({ target: { value: 90, by: '2024-12-31' } }), s))
      .thenThrows('ACTION_PLAN.INVALID_GOAL', { errors: [{ field: 'target.by', message: 'must be after baseline.to' }] });
  });

  it('needs the target due by the end of the plan', () => {
    given(actionPlan, [drafted])
      .when((s) => addGoal(command({ target: { value: 90, by: '2027-01-01' } }), s))
      .thenThrows('ACTION_PLAN.INVALID_GOAL', { errors: [{ field: 'target.by', message: 'must not be after the plan ends (2026-12-31)' }] });
  });

  it('needs dates and counts', () => {
    given(actionPlan, [drafted])
      .when((s) => addGoal(command({ baseline: { value: -1, from: '2023-01-01', to: '2024-02-30' } }), s))
      .thenThrows('ACTION_PLAN.INVALID_GOAL', {
        errors: [
          { field: 'baseline.value', message: 'must be a count ≥ 0' },
          { field: 'baseline.to', message: 'must be a date YYYY-MM-DD' },
        ],
      });
  });

  it('refuses an area that is not registered, naming the field and the id', () => {
    given(actionPlan, [drafted])
      .when((s) => addGoal(command({ indicator: { kind: 'incident-count', categories: ['vandalism'], areaIds: ['djursholm', 'atlantis'] } }), s))
      .thenThrows('ACTION_PLAN.UNKNOWN_AREA', { field: 'indicator.areaIds[1]', value: 'atlantis' });
  });

  it('refuses an area or a place of another municipality', () => {
    given(actionPlan, [drafted])
      .when((s) => addGoal(command({ indicator: { kind: 'survey', indicator: 'feels-safe', areaId: 'djursholm' }, areas: [{ ...djursholm, municipalityId: 'taby' }] }), s))
      .thenThrows('ACTION_PLAN.UNKNOWN_AREA', { field: 'indicator.areaId', value: 'djursholm' });
    given(actionPlan, [drafted])
      .when((s) =>
        addGoal(command({ indicator: { kind: 'incident-count', categories: ['vandalism'], placeIds: ['morby-centrum'] }, places: [{ ...morby, municipalityId: 'taby' }] }), s),
      )
      .thenThrows('ACTION_PLAN.UNKNOWN_PLACE', { field: 'indicator.placeIds[0]', value: 'morby-centrum' });
  });

  it('counts at registered places of the municipality', () => {
    given(actionPlan, [drafted])
      .when((s) => addGoal(command({ indicator: { kind: 'incident-count', categories: ['vandalism', 'graffiti'], placeIds: ['morby-centrum'] }, places: [morby] }), s))
      .then([
        {
          ...goalAdded(1),
          data: { ...goalAdded(1).data, indicator: { kind: 'incident-count', categories: ['vandalism', 'graffiti'], areaIds: null, placeIds: ['morby-centrum'] } },
        },
      ]);
  });
});
