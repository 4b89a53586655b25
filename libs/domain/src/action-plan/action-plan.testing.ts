/** Events of one plan, shared by the action-plan decider specs. */
import type { ActionPlanAdopted, ActionPlanDrafted, ActionPlanSigned, GoalAdded, MeasureAdded } from './action-plan.events.js';
import type { SignatoryRole } from './action-plan.vocabulary.js';

export const now = new Date('2025-03-01T12:00:00.000Z');
const plan = { actionPlanId: 'ap-1', municipalityId: 'danderyd' };

export const drafted: ActionPlanDrafted = {
  type: 'ActionPlanDrafted',
  data: { ...plan, title: 'Handlingsplan för trygghet 2025–2026', periodStart: '2025-01-01', periodEnd: '2026-12-31' },
};

export const goalAdded = (contentRevision = 1, voidsSignatures: SignatoryRole[] = [], goalId = 'g-1'): GoalAdded => ({
  type: 'GoalAdded',
  data: {
    ...plan,
    goalId,
    title: 'Färre bostadsinbrott i Djursholm',
    indicator: { kind: 'incident-count', categories: ['burglary-residential'], areaIds: ['djursholm'], placeIds: null },
    baseline: { value: 120, from: '2023-01-01', to: '2024-12-31' },
    target: { value: 90, by: '2026-12-31' },
    direction: 'decrease',
    contentRevision,
    voidsSignatures,
  },
});

export const measureAdded = (contentRevision = 2, voidsSignatures: SignatoryRole[] = []): MeasureAdded => ({
  type: 'MeasureAdded',
  data: {
    ...plan,
    measureId: 'm-1',
    title: 'Grannsamverkan i Djursholm',
    kind: 'neighbourhood-watch',
    responsible: 'joint',
    goalIds: ['g-1'],
    contentRevision,
    voidsSignatures,
  },
});

export const signed = (role: SignatoryRole, contentRevision = 1, signedAt = '2025-02-20T10:00:00.000Z'): ActionPlanSigned => ({
  type: 'ActionPlanSigned',
  data: { ...plan, role, name: `Signatory ${role}`, signedAt, contentRevision },
});

export const allSigned = (contentRevision = 1) => [
  signed('police-area-chief', contentRevision),
  signed('board-chair', contentRevision),
  signed('municipal-director', contentRevision, '2025-02-21T10:00:00.000Z'),
];

export const adopted: ActionPlanAdopted = {
  type: 'ActionPlanAdopted',
  data: { ...plan, adoptedAt: '2025-02-25T09:00:00.000Z', contentRevision: 1 },
};
