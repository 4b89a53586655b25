import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { anIncident, seedDanderyd } from './support/fixtures.js';
import { logSnapshot, startTestApp, type TestApp } from './support/test-app.js';

/** Bad input of every kind: a 4xx problem that names what is wrong, never a 5xx, and the log unchanged. */
describe('bad input', () => {
  let t: TestApp;
  let incidentId: string;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDanderyd(t);
    incidentId = (await t.http().post('/incidents').send(anIncident())).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const cases: Array<{ name: string; path: () => string; body: unknown; fields: string[] }> = [
    { name: 'an empty municipality', path: () => '/municipalities', body: {}, fields: ['municipalityId', 'name'] },
    { name: 'a municipality id that is not a slug', path: () => '/municipalities', body: { municipalityId: 'Danderyd Kommun', name: 'x' }, fields: ['municipalityId'] },
    { name: 'a wrong-typed name', path: () => '/municipalities', body: { municipalityId: 'taby', name: 42 }, fields: ['name'] },
    { name: 'an unknown field', path: () => '/municipalities', body: { municipalityId: 'taby', name: 'Täby', mayor: 'x' }, fields: ['mayor'] },
    { name: 'an area boundary of the wrong type', path: () => '/areas', body: { areaId: 'a', municipalityId: 'danderyd', name: 'A', boundary: { type: 'Point', coordinates: [1, 2] } }, fields: ['boundary.type'] },
    { name: 'a place without a location', path: () => '/places', body: { placeId: 'p', areaId: 'djursholm', name: 'P' }, fields: ['location'] },
    { name: 'a place at latitude 91', path: () => '/places', body: { placeId: 'p', areaId: 'djursholm', name: 'P', location: { lat: 91, lon: 18 } }, fields: ['location.lat'] },
    { name: 'a place with a string coordinate', path: () => '/places', body: { placeId: 'p', areaId: 'djursholm', name: 'P', location: { lat: '59.4', lon: 18 } }, fields: ['location.lat'] },
    { name: 'an incident without a time', path: () => '/incidents', body: anIncident({ occurredAt: undefined }), fields: ['occurredAt'] },
    { name: 'an incident time without an offset', path: () => '/incidents', body: anIncident({ occurredAt: '2024-05-10T22:15:00' }), fields: ['occurredAt'] },
    { name: 'an incident on a date that does not exist', path: () => '/incidents', body: anIncident({ occurredAt: '2024-02-30T10:00:00Z' }), fields: ['occurredAt'] },
    { name: 'an unknown category', path: () => '/incidents', body: anIncident({ category: 'jaywalking' }), fields: ['category'] },
    { name: 'an unknown source', path: () => '/incidents', body: anIncident({ source: 'rumour' }), fields: ['source'] },
    { name: 'an incident id that is not a UUID', path: () => '/incidents', body: anIncident({ incidentId: '42' }), fields: ['incidentId'] },
    { name: 'reportedToPolice as a string', path: () => '/incidents', body: anIncident({ reportedToPolice: 'yes' }), fields: ['reportedToPolice'] },
    { name: 'an incident with several problems', path: () => '/incidents', body: { category: 'x', source: 'y' }, fields: ['occurredAt', 'category', 'source'] },
    { name: 'a body that is an array', path: () => '/incidents', body: [anIncident()], fields: ['occurredAt'] },
    { name: 'a reclassification to an unknown category', path: () => `/incidents/${incidentId}/classification`, body: { category: 'nope' }, fields: ['category'] },
    { name: 'a retraction with an unknown reason', path: () => `/incidents/${incidentId}/retraction`, body: { reason: 'bored' }, fields: ['reason'] },
  ];

  it.each(cases)('refuses $name with 400 naming the fields', async ({ path, body, fields }) => {
    const before = await logSnapshot(t.store);
    const response = await t.http().post(path()).send(body as object);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
    const named = (response.body.errors as Array<{ field: string }>).map((e) => e.field);
    for (const field of fields) expect(named).toContain(field);
    expect(await logSnapshot(t.store)).toEqual(before);
  });

  it('refuses malformed JSON with 400', async () => {
    const before = await logSnapshot(t.store);
    const response = await t.http().post('/incidents').set('content-type', 'application/json').send('{"occurredAt": "2024-05-10T22:15:00Z",');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'REQUEST.MALFORMED', detail: expect.stringMatching(/JSON/) });
    expect(await logSnapshot(t.store)).toEqual(before);
  });

  it('refuses an oversized body with 413', async () => {
    const before = await logSnapshot(t.store);
    const response = await t
      .http()
      .post('/incidents')
      .set('content-type', 'application/json')
      .send(JSON.stringify(anIncident({ description: 'x'.repeat(2 * 1024 * 1024) })));
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('REQUEST.BODY_TOO_LARGE');
    expect(await logSnapshot(t.store)).toEqual(before);
  });

  it('refuses a description over its limit with 400', async () => {
    const response = await t.http().post('/incidents').send(anIncident({ description: 'x'.repeat(2001) }));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'description', message: expect.stringMatching(/2000/) }]);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await t.http().post('/incidentz').send({});
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('ROUTE.NOT_FOUND');
  });

  it('names a bad Idempotency-Key', async () => {
    const response = await t.http().post('/incidents').set('idempotency-key', 'x'.repeat(300)).send(anIncident());
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
  });

  it('never answers 5xx to a body of random junk', async () => {
    const before = await logSnapshot(t.store);
    const junk = [null, 0, 'text', true, { occurredAt: {} }, { location: [] }, { placeId: { $ne: null } }, { category: ['vandalism'] }, { incidentId: randomUUID(), occurredAt: 1e20 }];
    for (const body of junk) {
      const response = await t.http().post('/incidents').set('content-type', 'application/json').send(JSON.stringify(body));
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    expect(await logSnapshot(t.store)).toEqual(before);
  });
});
