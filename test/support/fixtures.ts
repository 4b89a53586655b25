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
