import type { TestApp } from './test-app.js';

/** Centrala Danderyd as a rough box around Mörby centrum and Danderyds sjukhus ([lon, lat] positions). */
export const CENTRALA_DANDERYD_BOUNDARY = {
  type: 'Polygon',
  coordinates: [
    [
      [18.02, 59.385],
      [18.06, 59.385],
      [18.06, 59.405],
      [18.02, 59.405],
      [18.02, 59.385],
    ],
  ],
};

export const MORBY_CENTRUM = { lat: 59.3983, lon: 18.0357 };

/** Danderyd with two districts (one with a boundary) and Mörby centrum. */
export async function seedDanderyd(t: TestApp): Promise<void> {
  const steps: Array<[string, object]> = [
    ['/municipalities', { municipalityId: 'danderyd', name: 'Danderyds kommun', policeArea: 'Södra Roslagen' }],
    ['/areas', { areaId: 'centrala-danderyd', municipalityId: 'danderyd', name: 'Centrala Danderyd', boundary: CENTRALA_DANDERYD_BOUNDARY }],
    ['/areas', { areaId: 'djursholm', municipalityId: 'danderyd', name: 'Djursholm' }],
    ['/places', { placeId: 'morby-centrum', areaId: 'centrala-danderyd', name: 'Mörby centrum', location: MORBY_CENTRUM, radiusMeters: 250 }],
  ];
  for (const [path, body] of steps) {
    const response = await t.http().post(path).send(body);
    if (response.status !== 201) throw new Error(`seeding ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
}

export const anIncident = (overrides: Record<string, unknown> = {}) => ({
  occurredAt: '2024-05-10T22:15:00+02:00',
  category: 'vandalism',
  source: 'security-guards',
  placeId: 'morby-centrum',
  ...overrides,
});

/** Posts a command that must succeed (a setup step), and answers its body. */
export async function accepted(t: TestApp, path: string, body: object = {}): Promise<{ id: string; revision: string; position: string }> {
  const response = await t.http().post(path).send(body);
  if (response.status !== 201) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Täby with one district and one place: a second municipality, for scoping. */
export async function seedTaby(t: TestApp): Promise<void> {
  await accepted(t, '/municipalities', { municipalityId: 'taby', name: 'Täby kommun', policeArea: 'Södra Roslagen' });
  await accepted(t, '/areas', { areaId: 'taby-centrum', municipalityId: 'taby', name: 'Täby centrum' });
  await accepted(t, '/places', { placeId: 'taby-c', areaId: 'taby-centrum', name: 'Täby C', location: { lat: 59.4439, lon: 18.0687 } });
}

/** Danderyds sjukhus, a second place in Centrala Danderyd. */
export async function seedDanderydsSjukhus(t: TestApp): Promise<void> {
  await accepted(t, '/places', { placeId: 'danderyds-sjukhus', areaId: 'centrala-danderyd', name: 'Danderyds sjukhus', location: { lat: 59.3917, lon: 18.0419 } });
}

export const SIGNATORIES = ['police-area-chief', 'board-chair', 'municipal-director'] as const;

export const aPlan = (overrides: Record<string, unknown> = {}) => ({
  municipalityId: 'danderyd',
  title: 'Handlingsplan för trygghet 2025–2026',
  periodStart: '2025-01-01',
  periodEnd: '2026-12-31',
  ...overrides,
});

export const aGoal = (overrides: Record<string, unknown> = {}) => ({
  title: 'Färre bostadsinbrott i Djursholm',
  indicator: { kind: 'incident-count', categories: ['burglary-residential'], areaIds: ['djursholm'] },
  baseline: { value: 120, from: '2023-01-01', to: '2024-12-31' },
  target: { value: 90, by: '2026-12-31' },
  ...overrides,
});

export const aSurveyGoal = (overrides: Record<string, unknown> = {}) => ({
  title: 'Färre känner sig otrygga i Mörby centrum på kvällen',
  indicator: { kind: 'survey', indicator: 'Otrygg utomhus sent på kvällen', areaId: 'centrala-danderyd' },
  baseline: { value: 0.31, from: '2024-01-01', to: '2024-12-31' },
  target: { value: 0.2, by: '2026-12-31' },
  ...overrides,
});

export const aMeasure = (overrides: Record<string, unknown> = {}) => ({
  title: 'Grannsamverkan i Djursholm',
  kind: 'neighbourhood-watch',
  responsible: 'joint',
  ...overrides,
});

/** A drafted plan with one goal and one measure serving it; answers the ids. */
export async function draftPlanWithGoalAndMeasure(t: TestApp, plan: Record<string, unknown> = {}, goal: Record<string, unknown> = aGoal()) {
  const actionPlanId = (await accepted(t, '/action-plans', aPlan(plan))).id;
  const goalId = (await accepted(t, `/action-plans/${actionPlanId}/goals`, goal)).id;
  const measure = await accepted(t, `/action-plans/${actionPlanId}/measures`, aMeasure({ kind: 'guard-presence', title: 'Väktare vid Mörby centrum', responsible: 'municipality', goalIds: [goalId] }));
  return { actionPlanId, goalId, measureId: measure.id, position: measure.position };
}

export const aReinforcement = (overrides: Record<string, unknown> = {}) => ({
  placeIds: ['morby-centrum'],
  from: '2025-03-03',
  to: '2025-08-31',
  hoursPerWeek: 20,
  provider: 'Securitas',
  fundedBy: 'Trygghetssatsning 2025',
  ...overrides,
});

export const aPatrolVisit = (overrides: Record<string, unknown> = {}) => ({
  placeId: 'morby-centrum',
  arrivedAt: '2025-03-07T21:00:00+01:00',
  departedAt: '2025-03-07T21:40:00+01:00',
  guards: 2,
  ...overrides,
});

export const aSurvey = (overrides: Record<string, unknown> = {}) => ({
  surveyId: 'trygghetsmatning-2024',
  municipalityId: 'danderyd',
  year: 2024,
  results: [
    { indicator: 'Otrygg utomhus sent på kvällen', value: 0.31, respondents: 812 },
    { indicator: 'Oro för brott (index)', value: 2.4, respondents: 790, kind: 'mean' },
  ],
  ...overrides,
});

export const somePoliceStatistics = (overrides: Record<string, unknown> = {}) => ({
  municipalityId: 'danderyd',
  periodStart: '2025-01-01',
  periodEnd: '2025-03-31',
  counts: [
    { braCategory: 'Bostadsinbrott', count: 14 },
    { braCategory: 'Skadegörelse', count: 41 },
  ],
  source: 'Polisens öppna statistik',
  ...overrides,
});

export const anAgreedAction = (overrides: Record<string, unknown> = {}) => ({
  title: 'Extra kvällspatrull vid Mörby centrum fredagar',
  responsible: 'police',
  dueDate: '2025-03-14',
  ...overrides,
});
