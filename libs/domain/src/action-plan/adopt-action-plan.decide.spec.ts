import { describe, expect, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import { type AdoptActionPlan, adoptActionPlan } from './adopt-action-plan.decide.js';
import { actionPlan } from './action-plan.state.js';
import { adopted, allSigned, drafted, goalAdded, measureAdded, now, signed } from './action-plan.testing.js';

const command = (overrides: Partial<AdoptActionPlan> = {}): AdoptActionPlan => ({
  actionPlanId: 'ap-1',
  adoptedAt: new Date('2025-02-25T09:00:00Z'),
  now,
  ...overrides,
});

describe('adoptActionPlan', () => {
  it('adopts a draft with a goal that all three roles signed', () => {
    given(actionPlan, [drafted, goalAdded(1), ...allSigned(1)]).when((s) => adoptActionPlan(command(), s)).then([adopted]);
  });

  it('is adopted now when no time is given', () => {
    given(actionPlan, [drafted, goalAdded(1), ...allSigned(1)])
      .when((s) => adoptActionPlan(command({ adoptedAt: undefined }), s))
      .then([{ ...adopted, data: { ...adopted.data, adoptedAt: '2025-03-01T12:00:00.000Z' } }]);
  });

  it('needs at least one goal', () => {
    given(actionPlan, [drafted, ...allSigned(0)]).when((s) => adoptActionPlan(command(), s)).thenThrows('ACTION_PLAN.NO_GOALS');
  });

  it('names the roles that have not signed', () => {
    given(actionPlan, [drafted, goalAdded(1), signed('board-chair', 1)])
      .when((s) => adoptActionPlan(command(), s))
      .thenThrows('ACTION_PLAN.SIGNATURES_MISSING', { missingRoles: ['police-area-chief', 'municipal-director'] });
  });

  it('does not count signatures that a later change voided', () => {
    const voided = measureAdded(2, ['police-area-chief', 'board-chair', 'municipal-director']);
    given(actionPlan, [drafted, goalAdded(1), ...allSigned(1), voided, signed('board-chair', 2)])
      .when((s) => adoptActionPlan(command(), s))
      .thenThrows('ACTION_PLAN.SIGNATURES_MISSING', { missingRoles: ['police-area-chief', 'municipal-director'], revision: 2 });
  });

  it('refuses an adoption before the last signature or in the future', () => {
    given(actionPlan, [drafted, goalAdded(1), ...allSigned(1)])
      .when((s) => adoptActionPlan(command({ adoptedAt: new Date('2025-02-21T09:59:59Z') }), s))
      .thenThrows('ACTION_PLAN.INVALID_ADOPTION', { errors: [{ field: 'adoptedAt', message: 'must not be before the last signature (2025-02-21T10:00:00.000Z)' }] });
    given(actionPlan, [drafted, goalAdded(1), ...allSigned(1)])
      .when((s) => adoptActionPlan(command({ adoptedAt: new Date('2025-03-02T00:00:00Z') }), s))
      .thenThrows('ACTION_PLAN.INVALID_ADOPTION', { errors: [{ field: 'adoptedAt', message: 'must not be in the future' }] });
  });

  it('adopts once, and only a plan that exists', () => {
    given(actionPlan, [drafted, goalAdded(1), ...allSigned(1), adopted]).when((s) => adoptActionPlan(command(), s)).thenThrows('ACTION_PLAN.NOT_DRAFT');
    given(actionPlan).when((s) => adoptActionPlan(command(), s)).thenThrows('ACTION_PLAN.NOT_FOUND');
  });

  it('leaves a state that is the whole plan as GET /action-plans/{id} shows it', () => {
    const { state } = given(actionPlan, [drafted, goalAdded(1), measureAdded(2), ...allSigned(2), adopted]);
    expect(state).toEqual({
      status: 'adopted',
      actionPlanId: 'ap-1',
      municipalityId: 'danderyd',
      title: 'Handlingsplan för trygghet 2025–2026',
      periodStart: '2025-01-01',
      periodEnd: '2026-12-31',
      contentRevision: 2,
      goals: [
        {
          goalId: 'g-1',
          title: 'Färre bostadsinbrott i Djursholm',
          indicator: { kind: 'incident-count', categories: ['burglary-residential'], areaIds: ['djursholm'], placeIds: null },
          baseline: { value: 120, from: '2023-01-01', to: '2024-12-31' },
          target: { value: 90, by: '2026-12-31' },
          direction: 'decrease',
        },
      ],
      measures: [{ measureId: 'm-1', title: 'Grannsamverkan i Djursholm', kind: 'neighbourhood-watch', responsible: 'joint', goalIds: ['g-1'] }],
      signatures: [
        { role: 'police-area-chief', name: 'Signatory police-area-chief', signedAt: '2025-02-20T10:00:00.000Z', revision: 2 },
        { role: 'board-chair', name: 'Signatory board-chair', signedAt: '2025-02-20T10:00:00.000Z', revision: 2 },
        { role: 'municipal-director', name: 'Signatory municipal-director', signedAt: '2025-02-21T10:00:00.000Z', revision: 2 },
      ],
      adoptedAt: '2025-02-25T09:00:00.000Z',
    });
  });
});
