import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { anIncident, seedDanderyd } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The read side over HTTP on the embedded stores: the projector runs in the API process. */
describe('queries over HTTP', () => {
  let t: TestApp;
  const recorded: Array<{ id: string; occurredAt: string; category: string; placeId?: string; source: string }> = [];
  let lastPosition = '0';

  beforeAll(async () => {
    t = await startTestApp();
    await seedDanderyd(t);
    // 12 incidents over 6 days, two at each time, with a mix of categories, places and sources.
    for (let i = 0; i < 12; i++) {
      const incidentId = randomUUID();
      const occurredAt = `2024-05-${String(10 + Math.floor(i / 2)).padStart(2, '0')}T20:15:00+02:00`;
      const body = anIncident({
        incidentId,
        occurredAt,
        category: i % 3 === 0 ? 'graffiti' : 'vandalism',
        source: i % 4 === 0 ? 'police' : 'security-guards',
        ...(i % 2 ? { placeId: undefined, areaId: 'djursholm' } : {}),
      });
      const response = await t.http().post('/incidents').send(body);
      expect(response.status).toBe(201);
      recorded.push({ ...(body as Omit<(typeof recorded)[number], 'id'>), id: incidentId });
      lastPosition = response.body.position;
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const register = (query: string) => t.http().get(`/incidents?municipalityId=danderyd&consistentWith=${lastPosition}${query}`);

  describe('GET /incidents', () => {
    it('sees a command’s incident at once when asked with consistentWith', async () => {
      const incidentId = randomUUID();
      const command = await t.http().post('/incidents').send(anIncident({ incidentId, occurredAt: '2024-06-01T12:00:00+02:00' }));
      expect(command.status).toBe(201);
      const response = await t.http().get(`/incidents?municipalityId=danderyd&limit=1&consistentWith=${command.body.position}`);
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([
        {
          id: incidentId,
          municipalityId: 'danderyd',
          areaId: 'centrala-danderyd',
          placeId: 'morby-centrum',
          occurredAt: '2024-06-01T10:00:00.000Z',
          reportedAt: expect.any(String),
          category: 'vandalism',
          source: 'security-guards',
          status: 'recorded',
          revision: '0',
          lastPosition: command.body.position,
        },
      ]);
      expect(typeof response.body.nextCursor).toBe('string');

      // A reclassification shows as well, with the incident's new revision.
      const changed = await t.http().post(`/incidents/${incidentId}/classification`).send({ category: 'graffiti' });
      const after = await t.http().get(`/incidents?municipalityId=danderyd&limit=1&consistentWith=${changed.body.position}`);
      expect(after.body.items[0]).toMatchObject({ id: incidentId, category: 'graffiti', revision: '1', lastPosition: changed.body.position });
    });

    it('filters by time, category, area, place and source, newest first', async () => {
      const may = await register('&from=2024-05-11&to=2024-05-12&category=vandalism');
      expect(may.status).toBe(200);
      // 11 and 12 May (whole days in Stockholm time), vandalism: incidents 2, 4 and 5 (3 is graffiti); newest first, then by id.
      const ids = may.body.items.map((i: { id: string }) => i.id);
      expect(ids).toHaveLength(3);
      expect(ids.slice(0, 2)).toEqual([recorded[4].id, recorded[5].id].sort().reverse());
      expect(ids[2]).toBe(recorded[2].id);
      for (const item of may.body.items) expect(item.category).toBe('vandalism');

      const djursholm = await register('&areaId=djursholm&to=2024-05-15T23:59:59Z');
      expect(djursholm.body.items).toHaveLength(6);
      const morby = await register('&placeId=morby-centrum&source=police&to=2024-05-31');
      expect(morby.body.items.map((i: { id: string }) => i.id).sort()).toEqual([recorded[0].id, recorded[4].id, recorded[8].id].sort());
      const instant = await register('&from=2024-05-15T20:15:00%2B02:00&to=2024-05-31');
      expect(instant.body.items.map((i: { id: string }) => i.id).sort()).toEqual([recorded[10].id, recorded[11].id].sort());
      // An offset's '+' that the client did not encode arrives as a space, and is taken as '+'.
      const unencoded = await register('&from=2024-05-15T20:15:00+02:00&to=2024-05-31');
      expect(unencoded.body.items).toEqual(instant.body.items);
      const none = await t.http().get('/incidents?municipalityId=taby');
      expect(none.body).toEqual({ items: [], nextCursor: null });
    });

    it('pages with a stable cursor: every incident once, in order', async () => {
      const seen: string[] = [];
      let cursor = '';
      let consistentWith = lastPosition;
      for (let pages = 0; pages < 20; pages++) {
        const response = await t.http().get(`/incidents?municipalityId=danderyd&to=2024-05-31&limit=5&consistentWith=${consistentWith}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.status).toBe(200);
        expect(response.body.items.length).toBeLessThanOrEqual(5);
        seen.push(...response.body.items.map((i: { id: string }) => i.id));
        if (!response.body.nextCursor) break;
        cursor = response.body.nextCursor;
        if (pages === 0) {
          // Added between pages: one newer than the first page (not seen on later pages), one older (seen on the last).
          await t.http().post('/incidents').send(anIncident({ occurredAt: '2024-05-20T10:00:00+02:00' }));
          consistentWith = (await t.http().post('/incidents').send(anIncident({ occurredAt: '2024-05-01T10:00:00+02:00' }))).body.position;
        }
      }
      expect(seen).toHaveLength(12 + 1);
      expect(new Set(seen).size).toBe(seen.length);
      const all = await t.http().get(`/incidents?municipalityId=danderyd&to=2024-05-31&limit=500&consistentWith=${consistentWith}`);
      expect(all.body.items).toHaveLength(14);
      expect(all.body.items.slice(1).map((i: { id: string }) => i.id)).toEqual(seen);
      expect(all.body.nextCursor).toBeNull();
    });

    it('answers 400 naming every bad parameter', async () => {
      const response = await t.http().get('/incidents?from=yesterday&category=arson&limit=501&source=x&cursor=!!&colour=red&consistentWith=-1');
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('REQUEST.INVALID');
      const fields = response.body.errors.map((e: { field: string }) => e.field).sort();
      expect(fields).toEqual(['category', 'colour', 'consistentWith', 'cursor', 'from', 'limit', 'municipalityId', 'source'].sort());
      const twice = await t.http().get('/incidents?municipalityId=danderyd&municipalityId=taby&to=2024-05-01&from=2024-06-01');
      expect(twice.body.errors).toEqual([
        { field: 'municipalityId', message: 'must be given once' },
        { field: 'to', message: 'must be later than from' },
      ]);
      const limit = await t.http().get('/incidents?municipalityId=danderyd&limit=0');
      expect(limit.body.errors).toEqual([{ field: 'limit', message: 'must be a whole number from 1 to 500' }]);
      const cursor = await t.http().get(`/incidents?municipalityId=danderyd&cursor=${Buffer.from('[1,"x"]').toString('base64url')}`);
      expect(cursor.body.errors.map((e: { field: string }) => e.field)).toEqual(['cursor']);
    });

    it('answers 503 with Retry-After when the register has not reached the position in time', async () => {
      const head = BigInt(lastPosition) + 1_000_000n;
      const response = await t.http().get(`/incidents?municipalityId=danderyd&consistentWith=${head}`);
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 503, code: 'PROJECTION.NOT_CAUGHT_UP', readModel: 'incident-register', position: head.toString() });
    });
  });

  describe('GET /audit/decisions', () => {
    it('lists an action plan’s decisions in log order with who and when', async () => {
      const draft = await t
        .http()
        .post('/action-plans')
        .set('x-actor-id', 'anna.lind')
        .set('x-actor-role', 'safety-coordinator')
        .set('x-actor-organisation', 'danderyd')
        .send({ municipalityId: 'danderyd', title: 'Handlingsplan 2025–2026', periodStart: '2025-01-01', periodEnd: '2026-12-31' });
      expect(draft.status).toBe(201);
      const planId = draft.body.id;
      const goal = await t
        .http()
        .post(`/action-plans/${planId}/goals`)
        .send({
          title: 'Färre bostadsinbrott',
          indicator: { kind: 'incident-count', categories: ['burglary-residential'] },
          baseline: { value: 120, from: '2023-01-01', to: '2024-12-31' },
          target: { value: 90, by: '2026-12-31' },
        });
      expect(goal.status).toBe(201);
      const response = await t.http().get(`/audit/decisions?municipalityId=danderyd&actionPlanId=${planId}&consistentWith=${goal.body.position}`);
      expect(response.status).toBe(200);
      expect(response.body.items.map((e: { kind: string }) => e.kind)).toEqual(['action-plan-drafted', 'goal-added']);
      expect(response.body.items[0]).toMatchObject({
        actionPlanId: planId,
        logPosition: draft.body.position,
        actor: { id: 'anna.lind', role: 'safety-coordinator', organisation: 'danderyd' },
        recordedAt: expect.any(String),
        decidedAt: expect.any(String),
        stream: `actionplan-${planId}`,
      });
      const paged = await t.http().get(`/audit/decisions?municipalityId=danderyd&limit=1&kind=goal-added`);
      expect(paged.body.items).toHaveLength(1);
      const bad = await t.http().get('/audit/decisions?kind=nothing');
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['kind', 'municipalityId']);
    });
  });

  describe('GET /audit/streams/{stream}', () => {
    it('answers the raw events of a stream with positions and revisions as strings', async () => {
      const incidentId = randomUUID();
      const first = await t.http().post('/incidents').send(anIncident({ incidentId }));
      const second = await t.http().post(`/incidents/${incidentId}/retraction`).send({ reason: 'recorded-in-error' });
      const response = await t.http().get(`/audit/streams/incident-${incidentId}?consistentWith=${second.body.position}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ stream: `incident-${incidentId}`, nextRevision: null });
      expect(response.body.events.map((e: { type: string; revision: string; position: string }) => [e.type, e.revision, e.position])).toEqual([
        ['IncidentRecorded', '0', first.body.position],
        ['IncidentRetracted', '1', second.body.position],
      ]);
      expect(response.body.events[0]).toMatchObject({ id: expect.any(String), recordedAt: expect.any(String), data: { incidentId }, metadata: { command: 'RecordIncident' } });
      const page = await t.http().get(`/audit/streams/incident-${incidentId}?limit=1`);
      expect(page.body.events).toHaveLength(1);
      expect(page.body.nextRevision).toBe('1');
      expect((await t.http().get(`/audit/streams/incident-${randomUUID()}`)).status).toBe(404);
      expect((await t.http().get('/audit/streams/no%20such')).status).toBe(400);
    });
  });

  describe('operations', () => {
    it('shows each projection in /health/ready and /metrics', async () => {
      const ready = await t.http().get('/health/ready');
      expect(ready.status).toBe(200);
      const names = ready.body.checks.projections.projections.map((p: { name: string }) => p.name);
      expect(names).toEqual(expect.arrayContaining(['incident-register', 'decision-log']));
      expect(ready.body.checks.projections.status).toBe('up');

      const metrics = await t.http().get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
      expect(metrics.text).toMatch(/^samverkan_projection_checkpoint\{projection="incident-register"\} \d+$/m);
      expect(metrics.text).toMatch(/^samverkan_projection_lag\{projection="decision-log"\} \d+$/m);
      expect(metrics.text).toMatch(/^samverkan_projection_state\{projection="incident-register",state="failing"\} 0$/m);
      expect(metrics.text).toMatch(/^samverkan_projection_events_applied_total\{projection="incident-register",collection="incident-register@v2\.\d+"\} \d+$/m);
    });

    it('rebuilds a projection on request while queries keep answering', async () => {
      const projection = async () => (await t.http().get('/projections')).body.projections.find((p: { name: string }) => p.name === 'incident-register');
      const { collection: was, headPosition } = await projection();
      // Everything written before, so that the list cannot change while it is rebuilt.
      const before = await t.http().get(`/incidents?municipalityId=danderyd&limit=500&consistentWith=${headPosition}`);
      expect(before.status).toBe(200);
      const response = await t.http().post('/projections/incident-register/rebuild');
      expect(response.status).toBe(202);
      expect(response.body.name).toBe('incident-register');
      for (;;) {
        const during = await t.http().get('/incidents?municipalityId=danderyd&limit=500');
        expect(during.body.items).toEqual(before.body.items);
        const status = await projection();
        if (status.collection !== was && !status.rebuild) {
          expect(status.state).toBe('live');
          expect(status.collection).toMatch(/^incident-register@v2\.[2-9]$/);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect((await t.http().post('/projections/nothing/rebuild')).status).toBe(404);
    });
  });
});
