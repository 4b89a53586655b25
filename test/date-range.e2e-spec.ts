import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { anIncident, seedDanderyd } from './support/fixtures.js';
import { fieldsOf, refusalsOf } from './support/problems.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Dates and instants outside the years 1900–9998 are a 400 naming the field, never a 500; the edges of the range work. */
describe('the supported years', () => {
  let t: TestApp;
  const refused = refusalsOf(() => t);
  beforeAll(async () => {
    t = await startTestApp();
    await seedDanderyd(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    { query: '/situation-pictures/danderyd/9999-12-27', fields: ['periodStart'] },
    { query: '/situation-pictures/danderyd/0001-12-03', fields: ['periodStart'] },
    { query: '/situation-pictures/danderyd?from=9999-12-01&to=9999-12-31', fields: ['from', 'to'] },
    { query: '/situation-pictures/danderyd?from=0000-01-01&to=0001-12-31', fields: ['from', 'to'] },
    { query: '/incidents?municipalityId=danderyd&to=9999-12-31', fields: ['to'] },
    { query: '/incidents?municipalityId=danderyd&from=9999-12-31T23:00:00-02:00', fields: ['from'] },
    { query: '/incidents?municipalityId=danderyd&from=0000-01-01&to=0001-12-31', fields: ['from', 'to'] },
    { query: '/incidents?municipalityId=danderyd&from=1899-12-31T23:00:00Z', fields: ['from'] },
  ])('refuses $query with 400 naming $fields', async ({ query, fields }) => {
    const problem = await refused(() => t.http().get(query), 400, 'REQUEST.INVALID');
    expect(fieldsOf(problem)).toEqual(fields);
  });

  it.each(['0099-12-31T12:00:00Z', '0024-06-01T12:00:00+02:00', '9999-12-31T23:00:00-02:00'])('refuses an incident that occurred at %s, naming occurredAt', async (occurredAt) => {
    const problem = await refused(() => t.http().post('/incidents').send(anIncident({ occurredAt })), 400, 'REQUEST.INVALID');
    expect(fieldsOf(problem)).toEqual(['occurredAt']);
  });

  it('answers queries on the first and the last supported dates', async () => {
    const last = await t.http().get('/incidents?municipalityId=danderyd&from=9998-12-31&to=9998-12-31');
    expect({ status: last.status, items: last.body.items }).toEqual({ status: 200, items: [] });

    const lastPeriods = await t.http().get('/situation-pictures/danderyd?from=9998-12-20&to=9998-12-31');
    expect(lastPeriods.status).toBe(200);
    expect(lastPeriods.body.items.map((p: { periodStart: string; periodEnd: string }) => [p.periodStart, p.periodEnd])).toEqual([
      ['9998-12-07', '9998-12-20'],
      ['9998-12-21', '9999-01-03'],
    ]);

    const lastPicture = await t.http().get('/situation-pictures/danderyd/9998-12-21');
    expect({ status: lastPicture.status, periodEnd: lastPicture.body.periodEnd, total: lastPicture.body.total }).toEqual({ status: 200, periodEnd: '9999-01-03', total: 0 });

    const firstPeriods = await t.http().get('/situation-pictures/danderyd?from=1900-01-01&to=1900-01-15');
    expect(firstPeriods.status).toBe(200);
    expect(firstPeriods.body.items.map((p: { periodStart: string }) => p.periodStart)).toEqual(['1900-01-01', '1900-01-15']);
  });
});
