import { describe, expect, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import { actionPlan } from './action-plan.state.js';
import { adopted, allSigned, drafted, goalAdded, measureAdded, now, signed } from './action-plan.testing.js';
import { type SignActionPlan, signActionPlan } from './sign-action-plan.decide.js';

const command = (overrides: Partial<SignActionPlan> = {}): SignActionPlan => ({
  actionPlanId: 'ap-1',
  role: 'board-chair',
  name: 'Signatory board-chair',
  signedAt: new Date('2025-02-20T10:00:00Z'),
  now,
  ...overrides,
});

describe('signActionPlan', () => {
  it('signs the current content revision', () => {
    given(actionPlan, [drafted, goalAdded(1)]).when((s) => signActionPlan(command(), s)).then([signed('board-chair', 1)]);
  });

  it('is signed now when no time is given', () => {
    given(actionPlan, [drafted, goalAdded(1), measureAdded(2)])
      .when((s) => signActionPlan(command({ signedAt: undefined }), s))
      .then([signed('board-chair', 2, '2025-03-01T12:00:00.000Z')]);
  });

  it('refuses a second signature of a role on the same revision', () => {
    given(actionPlan, [drafted, goalAdded(1), signed('board-chair', 1)])
      .when((s) => signActionPlan(command({ name: 'Someone else' }), s))
      .thenThrows('ACTION_PLAN.ALREADY_SIGNED', { role: 'board-chair', revision: 1 });
  });

  it('lets a role sign again once a change voided its signature', () => {
    given(actionPlan, [drafted, goalAdded(1), signed('board-chair', 1), measureAdded(2, ['board-chair'])])
      .when((s) => signActionPlan(command(), s))
      .then([signed('board-chair', 2)]);
  });

  it('refuses a signature in the future', () => {
    given(actionPlan, [drafted, goalAdded(1)])
      .when((s) => signActionPlan(command({ signedAt: new Date('2025-03-01T12:00:01Z') }), s))
      .thenThrows('ACTION_PLAN.INVALID_SIGNATURE', { errors: [{ field: 'signedAt', message: 'must not be in the future' }] });
  });

  it('refuses a plan that does not exist, or is adopted', () => {
    given(actionPlan).when((s) => signActionPlan(command(), s)).thenThrows('ACTION_PLAN.NOT_FOUND');
    given(actionPlan, [drafted, goalAdded(1), ...allSigned(1), adopted]).when((s) => signActionPlan(command(), s)).thenThrows('ACTION_PLAN.NOT_DRAFT');
  });

  it('keeps in the state only the signatures valid now, each with the revision signed', () => {
    const { state } = given(actionPlan, [drafted, goalAdded(1), signed('board-chair', 1), measureAdded(2, ['board-chair']), signed('police-area-chief', 2)]);
    expect(state).toMatchObject({
      status: 'draft',
      contentRevision: 2,
      signatures: [{ role: 'police-area-chief', name: 'Signatory police-area-chief', signedAt: '2025-02-20T10:00:00.000Z', revision: 2 }],
    });
  });
});
