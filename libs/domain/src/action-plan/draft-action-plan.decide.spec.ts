import { describe, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import type { MunicipalityFacts } from '../registry/registry.state.js';
import { actionPlan } from './action-plan.state.js';
import { drafted } from './action-plan.testing.js';
import { type DraftActionPlan, draftActionPlan } from './draft-action-plan.decide.js';

const municipality: MunicipalityFacts = { status: 'registered', municipalityId: 'danderyd', name: 'Danderyd', policeArea: 'Södra Roslagen' };
const command = (overrides: Partial<DraftActionPlan> = {}): DraftActionPlan => ({
  actionPlanId: 'ap-1',
  municipalityId: 'danderyd',
  title: 'Handlingsplan för trygghet 2025–2026',
  periodStart: '2025-01-01',
  periodEnd: '2026-12-31',
  municipality,
  ...overrides,
});

describe('draftActionPlan', () => {
  it('drafts a plan for two calendar years of a registered municipality', () => {
    given(actionPlan).when((s) => draftActionPlan(command(), s)).then([drafted]);
  });

  it('refuses to draft a plan that exists', () => {
    given(actionPlan, [drafted]).when((s) => draftActionPlan(command(), s)).thenThrows('ACTION_PLAN.ALREADY_EXISTS');
  });

  it('refuses an unknown municipality, naming the field', () => {
    given(actionPlan)
      .when((s) => draftActionPlan(command({ municipalityId: 'atlantis', municipality: undefined }), s))
      .thenThrows('ACTION_PLAN.UNKNOWN_MUNICIPALITY', { field: 'municipalityId', value: 'atlantis' });
  });

  it('needs the period to start on 1 January', () => {
    given(actionPlan)
      .when((s) => draftActionPlan(command({ periodStart: '2025-02-01' }), s))
      .thenThrows('ACTION_PLAN.INVALID_PERIOD', { errors: [{ field: 'periodStart', message: 'must be 1 January (YYYY-01-01): a plan covers two calendar years' }] });
  });

  it('needs the period to end on 31 December of the next year', () => {
    given(actionPlan)
      .when((s) => draftActionPlan(command({ periodEnd: '2025-12-31' }), s))
      .thenThrows('ACTION_PLAN.INVALID_PERIOD', { errors: [{ field: 'periodEnd', message: 'must be 2026-12-31: a plan covers two calendar years' }] });
  });

  it('names both fields when neither is a date', () => {
    given(actionPlan)
      .when((s) => draftActionPlan(command({ periodStart: '2025-13-01', periodEnd: 'later' }), s))
      .thenThrows('ACTION_PLAN.INVALID_PERIOD', {
        errors: [
          { field: 'periodStart', message: 'must be 1 January (YYYY-01-01): a plan covers two calendar years' },
          { field: 'periodEnd', message: 'must be 31 December (YYYY-12-31) of the year after periodStart' },
        ],
      });
  });
});
