import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { anIncident, seedDanderyd } from './support/fixtures.js';
import { logSnapshot, startTestApp, type TestApp } from './support/test-app.js';

describe('incidents over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDanderyd(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('records an incident at a place and reads it back', async () => {
    const incidentId = randomUUID();
    const response = await t
      .http()
      .post('/incidents')
      .send(anIncident({ incidentId, reportedAt: '2024-05-11T08:00:00+02:00' }));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ id: incidentId, revision: '0' });
    expect(response.headers.location).toBe(`/incidents/${incidentId}`);

    const read = await t.http().get(`/incidents/${incidentId}`);
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"0"');
    expect(read.body).toEqual({
      id: incidentId,
      municipalityId: 'danderyd',
      areaId: 'centrala-danderyd',
      placeId: 'morby-centrum',
      occurredAt: '2024-05-10T20:15:00.000Z',
      reportedAt: '2024-05-11T06:00:00.000Z',
      category: 'vandalism',
      source: 'security-guards',
      status: 'recorded',
      revision: '0',
    });
  });

  it('generates an id when the client leaves it out', async () => {
    const response = await t.http().post('/incidents').send(anIncident());
    expect(response.status).toBe(201);
    expect(response.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await t.http().get(`/incidents/${response.body.id}`)).status).toBe(200);
  });

  it('resolves a bare point to the area whose boundary holds it', async () => {
    const response = await t
      .http()
      .post('/incidents')
      .send(anIncident({ placeId: undefined, location: { lat: 59.39, lon: 18.03 } }));
    expect(response.status).toBe(201);
    const read = await t.http().get(`/incidents/${response.body.id}`);
    expect(read.body).toMatchObject({ municipalityId: 'danderyd', areaId: 'centrala-danderyd', placeId: null });
  });

  it('refuses a point outside every area with 422 naming the location', async () => {
    const response = await t
      .http()
      .post('/incidents')
      .send(anIncident({ placeId: undefined, location: { lat: 59.33, lon: 18.07 } }));
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'INCIDENT.LOCATION_OUTSIDE_AREAS', field: 'location' });
  });

  it('refuses an incident in the future, naming occurredAt, and appends nothing', async () => {
    const before = await logSnapshot(t.store);
    const response = await t
      .http()
      .post('/incidents')
      .send(anIncident({ occurredAt: new Date(Date.now() + 3_600_000).toISOString() }));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'INCIDENT.INVALID_TIME', errors: [{ field: 'occurredAt', message: 'must not be in the future' }] });
    expect(await logSnapshot(t.store)).toEqual(before);
  });

  it('refuses an unknown place with 422 naming it', async () => {
    const response = await t.http().post('/incidents').send(anIncident({ placeId: 'vendevagen' }));
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'INCIDENT.UNKNOWN_PLACE', field: 'placeId', value: 'vendevagen' });
  });

  it('reclassifies, then retracts, and refuses to change a retracted incident', async () => {
    const { body } = await t.http().post('/incidents').send(anIncident());
    const reclassified = await t.http().post(`/incidents/${body.id}/classification`).send({ category: 'graffiti', reason: 'tagging on the wall' });
    expect(reclassified.status).toBe(201);
    expect(reclassified.body.revision).toBe('1');
    expect(reclassified.headers.etag).toBe('"1"');
    expect((await t.http().get(`/incidents/${body.id}`)).body.category).toBe('graffiti');

    const same = await t.http().post(`/incidents/${body.id}/classification`).send({ category: 'graffiti' });
    expect(same.status).toBe(409);
    expect(same.body.code).toBe('INCIDENT.CATEGORY_UNCHANGED');

    const retracted = await t.http().post(`/incidents/${body.id}/retraction`).send({ reason: 'recorded-in-error' });
    expect(retracted.status).toBe(201);
    expect((await t.http().get(`/incidents/${body.id}`)).body.status).toBe('retracted');

    const again = await t.http().post(`/incidents/${body.id}/classification`).send({ category: 'vandalism' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INCIDENT.RETRACTED');
    const twice = await t.http().post(`/incidents/${body.id}/retraction`).send({ reason: 'recorded-in-error' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('INCIDENT.ALREADY_RETRACTED');

    // Each correction carries the incident as it stood, for the read models to place it.
    const [recorded, reclassification, retraction] = await t.store.readStream(`incident-${body.id}`);
    const { occurredAt, reportedAt, areaId, placeId, source } = recorded.data as Record<string, unknown>;
    expect(reclassification.data).toEqual({
      incidentId: body.id,
      municipalityId: 'danderyd',
      from: 'vandalism',
      to: 'graffiti',
      reason: 'tagging on the wall',
      incident: { occurredAt: '2024-05-10T20:15:00.000Z', reportedAt, category: 'vandalism', areaId: 'centrala-danderyd', placeId: 'morby-centrum', source: 'security-guards' },
    });
    expect(retraction.data).toEqual({
      incidentId: body.id,
      municipalityId: 'danderyd',
      reason: 'recorded-in-error',
      duplicateOf: null,
      note: null,
      incident: { occurredAt, reportedAt, category: 'graffiti', areaId, placeId, source },
    });
  });

  it('retracts a duplicate only with the incident it duplicates', async () => {
    const original = (await t.http().post('/incidents').send(anIncident())).body.id;
    const duplicate = (await t.http().post('/incidents').send(anIncident())).body.id;
    const missing = await t.http().post(`/incidents/${duplicate}/retraction`).send({ reason: 'duplicate' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'INCIDENT.DUPLICATE_OF_MISSING', errors: [{ field: 'duplicateOf' }] });
    const unknown = await t.http().post(`/incidents/${duplicate}/retraction`).send({ reason: 'duplicate', duplicateOf: randomUUID() });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'INCIDENT.UNKNOWN_DUPLICATE_OF', field: 'duplicateOf' });
    const ok = await t.http().post(`/incidents/${duplicate}/retraction`).send({ reason: 'duplicate', duplicateOf: original });
    expect(ok.status).toBe(201);
    const [, retraction] = await t.store.readStream(`incident-${duplicate}`);
    expect(retraction.data).toMatchObject({ reason: 'duplicate', duplicateOf: original });
  });

  it('answers 404 for an incident that does not exist, on read and on commands', async () => {
    const id = randomUUID();
    const read = await t.http().get(`/incidents/${id}`);
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('INCIDENT.NOT_FOUND');
    const reclassify = await t.http().post(`/incidents/${id}/classification`).send({ category: 'graffiti' });
    expect(reclassify.status).toBe(404);
    const badId = await t.http().get('/incidents/not-a-uuid');
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });

  it('reads an incident consistent with a position: at once when the log holds it, else 503 with Retry-After', async () => {
    const incidentId = randomUUID();
    const recorded = await t.http().post('/incidents').send(anIncident({ incidentId }));
    const reclassified = await t.http().post(`/incidents/${incidentId}/classification`).send({ category: 'graffiti' });
    const read = await t.http().get(`/incidents/${incidentId}?consistentWith=${reclassified.body.position}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: incidentId, category: 'graffiti', revision: '1' });
    expect((await t.http().get(`/incidents/${incidentId}?consistentWith=${recorded.body.position}`)).status).toBe(200);

    const ahead = (BigInt(reclassified.body.position) + 1_000_000n).toString();
    const behind = await t.http().get(`/incidents/${incidentId}?consistentWith=${ahead}`);
    expect(behind.status).toBe(503);
    expect(behind.headers['retry-after']).toBe('1');
    expect(behind.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(behind.body).toMatchObject({ code: 'LOG.NOT_CAUGHT_UP', position: ahead });
  });

  it('records who, when and why in every event’s metadata', async () => {
    const response = await t
      .http()
      .post('/incidents')
      .set('x-correlation-id', 'lagesbild-2024-19')
      .set('x-actor-id', 'anna.lind')
      .set('x-actor-role', 'safety-coordinator')
      .set('x-actor-organisation', 'danderyd')
      .send(anIncident());
    const [event] = await t.store.readStream(`incident-${response.body.id}`);
    expect(event.metadata).toMatchObject({
      actor: { id: 'anna.lind', role: 'safety-coordinator', organisation: 'danderyd' },
      command: 'RecordIncident',
      correlationId: 'lagesbild-2024-19',
      causationId: expect.any(String),
      issuedAt: expect.any(String),
    });
    expect(event.metadata.causationId).toBe(event.metadata.commandId);
    expect(event.recordedAt).toBeInstanceOf(Date);
  });
});
