import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { accepted, aGoal, anIncident, aPlan, seedDanderyd } from './support/fixtures.js';
import { fieldsOf, refusalsOf } from './support/problems.js';
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

  describe('on a command, the path, the headers and the body in one answer', () => {
    const refused = refusalsOf(() => t);
    /** The fields a 400 names, in its order: the path, then the headers, then the body. */
    const namedInOrder = (problem: Record<string, unknown>) => (problem.errors as Array<{ field: string }>).map((e) => e.field);

    const idCommands: Array<{ name: string; path: (id: string) => string; body: object; fields: string[] }> = [
      { name: 'a reclassification', path: (id) => `/incidents/${id}/classification`, body: { category: 'nope' }, fields: ['category'] },
      { name: 'a retraction', path: (id) => `/incidents/${id}/retraction`, body: { reason: 'bored' }, fields: ['reason'] },
      { name: 'a goal', path: (id) => `/action-plans/${id}/goals`, body: aGoal({ title: 7 }), fields: ['title'] },
      { name: 'a measure', path: (id) => `/action-plans/${id}/measures`, body: { title: 'Grannsamverkan', kind: 'prayer', responsible: 'joint' }, fields: ['kind'] },
      { name: 'a signature', path: (id) => `/action-plans/${id}/signatures`, body: { role: 'king', name: 'Eva Ek' }, fields: ['role'] },
      { name: 'an adoption', path: (id) => `/action-plans/${id}/adoption`, body: { adoptedAt: 'yesterday' }, fields: ['adoptedAt'] },
      { name: 'the end of a guard reinforcement', path: (id) => `/guard-reinforcements/${id}/end`, body: { endedOn: '15/06/2025' }, fields: ['endedOn'] },
    ];

    it.each(idCommands)('names a bad :id and a bad body of $name', async ({ path, body, fields }) => {
      const problem = await refused(() => t.http().post(path('not-a-uuid')).send(body), 400, 'REQUEST.INVALID');
      expect(namedInOrder(problem)).toEqual(['id', ...fields]);
    });

    it('names a bad If-Match and a bad body', async () => {
      const problem = await refused(
        () => t.http().post(`/incidents/${incidentId}/classification`).set('if-match', 'W/"0"').send({ category: 'nope' }),
        400,
        'REQUEST.INVALID',
      );
      expect(problem.errors).toEqual([
        { field: 'If-Match', message: 'must be a stream revision in quotes, such as "0"' },
        { field: 'category', message: expect.stringMatching(/^must be one of/) },
      ]);
    });

    it('names a bad :id, a bad Idempotency-Key and a bad body', async () => {
      const problem = await refused(
        () => t.http().post('/action-plans/plan-1/goals').set('idempotency-key', 'x'.repeat(300)).send(aGoal({ title: 7, target: { value: 'many', by: '2026-12-31' } })),
        400,
        'REQUEST.INVALID',
      );
      expect(namedInOrder(problem)).toEqual(['id', 'Idempotency-Key', 'title', 'target.value']);
    });

    it('names both bad headers and the body of a command without an :id', async () => {
      const problem = await refused(
        () => t.http().post('/incidents').set('if-match', '"x"').set('idempotency-key', '').send(anIncident({ category: 'jaywalking' })),
        400,
        'REQUEST.INVALID',
      );
      expect(namedInOrder(problem)).toEqual(['If-Match', 'Idempotency-Key', 'category']);
    });

    it('names a bad path of a publication, a bad If-Match and a bad body', async () => {
      const problem = await refused(
        () => t.http().post('/situation-pictures/BAD/notadate/publication').set('if-match', '0').send({ agreedActions: 'none' }),
        400,
        'REQUEST.INVALID',
      );
      expect(namedInOrder(problem)).toEqual(['municipality', 'periodStart', 'If-Match', 'agreedActions']);
    });

    it('names only what is wrong: a bad :id alone, or a bad header alone', async () => {
      const badId = await refused(() => t.http().post('/incidents/not-a-uuid/classification').send({ category: 'graffiti' }), 400, 'REQUEST.INVALID');
      expect(badId.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
      const badHeader = await refused(
        () => t.http().post(`/incidents/${incidentId}/classification`).set('if-match', 'W/"0"').send({ category: 'graffiti' }),
        400,
        'REQUEST.INVALID',
      );
      expect(namedInOrder(badHeader)).toEqual(['If-Match']);
    });

    it('still applies a command whose path, headers and body are all good', async () => {
      const id = (await accepted(t, '/incidents', anIncident())).id;
      const response = await t
        .http()
        .post(`/incidents/${id.toUpperCase()}/classification`)
        .set('if-match', '"0"')
        .set('idempotency-key', randomUUID())
        .send({ category: 'graffiti' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ id, revision: '1' });
    });
  });

  describe('in queries', () => {
    /** Cursor text as a client could make it by hand. */
    const cursorOf = (parts: unknown[]) => Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
    const aboveLargestPosition = (2n ** 63n).toString();

    const queryCases: Array<{ name: string; path: () => string; fields: string[] }> = [
      // Numbers the stores cannot hold (above 2^63 − 1) were a 500 from the store's bind.
      { name: 'a decision-log cursor past the largest position', path: () => `/audit/decisions?municipalityId=danderyd&cursor=${cursorOf(['decision-log', '99999999999999999999', 'x'])}`, fields: ['cursor'] },
      { name: 'a revision past the largest', path: () => '/audit/streams/municipality-danderyd?fromRevision=9999999999999999999', fields: ['fromRevision'] },
      { name: 'consistentWith past the largest position on the register', path: () => `/incidents?municipalityId=danderyd&consistentWith=${aboveLargestPosition}`, fields: ['consistentWith'] },
      { name: 'consistentWith past the largest position on a stream', path: () => `/audit/streams/municipality-danderyd?consistentWith=${aboveLargestPosition}`, fields: ['consistentWith'] },
      { name: 'consistentWith past the largest position on an incident', path: () => `/incidents/${incidentId}?consistentWith=${aboveLargestPosition}`, fields: ['consistentWith'] },
      // The path's problems and the query string's, in one answer.
      { name: 'a bad path and a bad query of a situation picture', path: () => '/situation-pictures/BAD/notadate?consistentWith=x', fields: ['consistentWith', 'municipality', 'periodStart'] },
      { name: 'a bad path and a bad query of a list of pictures', path: () => '/situation-pictures/BAD?from=x&to=2024-06-01&consistentWith=x', fields: ['consistentWith', 'from', 'municipality'] },
      { name: 'a municipality slug over 64 characters', path: () => `/situation-pictures/${'a'.repeat(70)}/2024-06-03`, fields: ['municipality'] },
      { name: 'a bad plan id and a bad query of goal progress', path: () => '/action-plans/bad/progress?consistentWith=abc&x=1', fields: ['consistentWith', 'id', 'x'] },
      { name: 'a bad stream name and a bad limit', path: () => '/audit/streams/BAD!!?limit=0', fields: ['limit', 'stream'] },
      { name: 'a bad incident id and a bad query', path: () => '/incidents/bad?consistentWith=abc&foo=1', fields: ['consistentWith', 'foo', 'id'] },
      { name: 'an unknown parameter of an incident', path: () => `/incidents/${incidentId}?foo=1`, fields: ['foo'] },
      { name: 'a bad plan id and a bad query of a plan', path: () => '/action-plans/bad?asOf=yesterday&consistentWith=x&at=1', fields: ['asOf', 'at', 'consistentWith', 'id'] },
      { name: 'an actionPlanId filter that is not a UUID', path: () => '/audit/decisions?municipalityId=danderyd&actionPlanId=plan-1', fields: ['actionPlanId'] },
      // Cursors that are not the register's own.
      { name: 'a register cursor of the format before cursors named their query', path: () => `/incidents?municipalityId=danderyd&cursor=${cursorOf(['2024-05-10T20:15:00.000Z', incidentId])}`, fields: ['cursor'] },
      { name: 'a register cursor whose instant is not in the register’s UTC form', path: () => `/incidents?municipalityId=danderyd&cursor=${cursorOf(['incident-register', '2024-05-10T22:15:00+02:00', incidentId])}`, fields: ['cursor'] },
    ];

    it.each(queryCases)('refuses $name with 400 naming every bad field', async ({ path, fields }) => {
      const response = await t.http().get(path());
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('REQUEST.INVALID');
      expect(fieldsOf(response.body)).toEqual([...fields].sort());
    });

    it('refuses on GET /incidents a cursor that GET /audit/decisions handed out', async () => {
      const plan = await accepted(t, '/action-plans', aPlan());
      const measure = await accepted(t, `/action-plans/${plan.id}/measures`, { title: 'Grannsamverkan', kind: 'neighbourhood-watch', responsible: 'joint' });
      const decisions = await t.http().get(`/audit/decisions?municipalityId=danderyd&limit=1&consistentWith=${measure.position}`);
      expect(decisions.status).toBe(200);
      const cursor = decisions.body.nextCursor as string;
      expect(typeof cursor).toBe('string');
      expect((await t.http().get(`/audit/decisions?municipalityId=danderyd&limit=1&cursor=${cursor}`)).status).toBe(200);
      const register = await t.http().get(`/incidents?municipalityId=danderyd&cursor=${cursor}`);
      expect(register.status).toBe(400);
      expect(register.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    });
  });
});
