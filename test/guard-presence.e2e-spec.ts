import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { addDays, localDateOf } from '@app/domain';
import { accepted, aMeasure, aPatrolVisit, aPlan, aReinforcement, draftPlanWithGoalAndMeasure, seedDanderyd, seedDanderydsSjukhus, seedTaby } from './support/fixtures.js';
import { logSnapshot, startTestApp, type TestApp } from './support/test-app.js';
import { fieldsOf, refusalsOf } from './support/problems.js';

describe('guard reinforcements and patrol visits over HTTP', () => {
  let t: TestApp;
  /** A measure of a Danderyd plan, and one of a Täby plan. */
  let danderyd: { actionPlanId: string; measureId: string };
  let taby: { actionPlanId: string; measureId: string };
  beforeAll(async () => {
    t = await startTestApp();
    await seedDanderyd(t);
    await seedDanderydsSjukhus(t);
    await seedTaby(t);
    danderyd = await draftPlanWithGoalAndMeasure(t);
    taby = await draftPlanWithGoalAndMeasure(t, { municipalityId: 'taby', title: 'Trygghetsplan Täby' }, {
      title: 'Färre rån i Täby centrum',
      indicator: { kind: 'incident-count', categories: ['robbery'], areaIds: ['taby-centrum'] },
      baseline: { value: 12, from: '2023-01-01', to: '2024-12-31' },
      target: { value: 8, by: '2026-12-31' },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const refused = refusalsOf(() => t);
  const reinforce = (overrides: Record<string, unknown> = {}) => t.http().post('/guard-reinforcements').send(aReinforcement(overrides));

  describe('reinforcing guard presence', () => {
    it('records a reinforcement that carries out a measure named by its id alone, and finds the plan', async () => {
      const reinforcementId = randomUUID();
      const response = await reinforce({ reinforcementId, placeIds: ['morby-centrum', 'danderyds-sjukhus'], measureId: danderyd.measureId });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ id: reinforcementId, revision: '0' });
      expect(response.headers.location).toBe(`/guard-reinforcements/${reinforcementId}`);
      expect(response.headers.etag).toBe('"0"');
      const [event] = await t.store.readStream(`guardreinforcement-${reinforcementId}`);
      expect(event).toMatchObject({
        type: 'GuardPresenceReinforced',
        data: {
          reinforcementId,
          municipalityId: 'danderyd',
          placeIds: ['morby-centrum', 'danderyds-sjukhus'],
          from: '2025-03-03',
          to: '2025-08-31',
          hoursPerWeek: 20,
          provider: 'Securitas',
          fundedBy: 'Trygghetssatsning 2025',
          measureId: danderyd.measureId,
          actionPlanId: danderyd.actionPlanId,
        },
      });
    });

    it('records one without a measure, with a generated id', async () => {
      const response = await reinforce({ fundedBy: undefined });
      expect(response.status).toBe(201);
      const [event] = await t.store.readStream(`guardreinforcement-${response.body.id}`);
      expect(event.data).toMatchObject({ measureId: null, actionPlanId: null, fundedBy: null });
    });

    it('refuses a measure of another municipality, or one no plan holds, with 422 naming measureId', async () => {
      const foreign = await refused(() => reinforce({ measureId: taby.measureId }), 422, 'GUARD_REINFORCEMENT.UNKNOWN_MEASURE');
      expect(foreign).toMatchObject({ field: 'measureId', value: taby.measureId });
      const unknown = randomUUID();
      const missing = await refused(() => reinforce({ measureId: unknown }), 422, 'GUARD_REINFORCEMENT.UNKNOWN_MEASURE');
      expect(missing).toMatchObject({ field: 'measureId', value: unknown });
    });

    it('finds a measure added after the lookup first caught up', async () => {
      const later = await draftPlanWithGoalAndMeasure(t, { title: 'Tilläggsplan' });
      const response = await reinforce({ measureId: later.measureId });
      expect(response.status).toBe(201);
      const [event] = await t.store.readStream(`guardreinforcement-${response.body.id}`);
      expect(event.data).toMatchObject({ measureId: later.measureId, actionPlanId: later.actionPlanId });
    });

    it('when plans reuse a measure id, takes the plan of the places’ municipality, and of those the newest', async () => {
      const measureId = randomUUID();
      const plans: string[] = [];
      for (const municipalityId of ['taby', 'danderyd', 'taby']) {
        const planId = (await accepted(t, '/action-plans', aPlan({ municipalityId, title: `Plan ${plans.length}` }))).id;
        await accepted(t, `/action-plans/${planId}/measures`, aMeasure({ measureId }));
        plans.push(planId);
      }
      const inDanderyd = (await accepted(t, '/guard-reinforcements', aReinforcement({ measureId }))).id;
      const inTaby = (await accepted(t, '/guard-reinforcements', aReinforcement({ measureId, placeIds: ['taby-c'] }))).id;
      expect((await t.store.readStream(`guardreinforcement-${inDanderyd}`))[0].data).toMatchObject({ municipalityId: 'danderyd', actionPlanId: plans[1] });
      expect((await t.store.readStream(`guardreinforcement-${inTaby}`))[0].data).toMatchObject({ municipalityId: 'taby', actionPlanId: plans[2] });
    });

    it('refuses unknown places and places of another municipality with 422 naming the place', async () => {
      const unknown = await refused(() => reinforce({ placeIds: ['morby-centrum', 'vendevagen'] }), 422, 'GUARD_REINFORCEMENT.UNKNOWN_PLACE');
      expect(unknown).toMatchObject({ field: 'placeIds[1]', value: 'vendevagen' });
      const mixed = await refused(() => reinforce({ placeIds: ['morby-centrum', 'taby-c'] }), 422, 'GUARD_REINFORCEMENT.UNKNOWN_PLACE');
      expect(mixed).toMatchObject({ field: 'placeIds[1]', value: 'taby-c' });
    });

    it('refuses dates out of order and hours that are not more than 0, naming the fields', async () => {
      const problem = await refused(() => reinforce({ from: '2025-08-31', to: '2025-03-03', hoursPerWeek: 0 }), 400, 'GUARD_REINFORCEMENT.INVALID');
      expect(fieldsOf(problem)).toEqual(['hoursPerWeek', 'to']);
      const empty = await refused(() => reinforce({ placeIds: [] }), 400, 'GUARD_REINFORCEMENT.INVALID');
      expect(fieldsOf(empty)).toEqual(['placeIds']);
    });

    it('refuses malformed fields with 400 naming each', async () => {
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ placeIds: 'morby-centrum' }, ['placeIds']],
        [{ placeIds: ['Mörby Centrum'] }, ['placeIds']],
        [{ from: '2025-02-30', to: 20250831 }, ['from', 'to']],
        [{ hoursPerWeek: '20', provider: undefined }, ['hoursPerWeek', 'provider']],
        [{ measureId: 'm-1', reinforcementId: null }, ['measureId', 'reinforcementId']],
        [{ fundedBy: null }, ['fundedBy']],
        [{ guards: 3 }, ['guards']],
      ];
      for (const [overrides, fields] of cases) {
        const problem = await refused(() => reinforce(overrides), 400, 'REQUEST.INVALID');
        expect(fieldsOf(problem)).toEqual([...fields].sort());
      }
    });

    it('refuses a reinforcement id twice with 409, a stale If-Match with 412, and a reused key with 422', async () => {
      const reinforcementId = randomUUID();
      await accepted(t, '/guard-reinforcements', aReinforcement({ reinforcementId }));
      await refused(() => reinforce({ reinforcementId }), 409, 'GUARD_REINFORCEMENT.ALREADY_EXISTS');
      await refused(() => reinforce({ reinforcementId: randomUUID() }).set('if-match', '"0"'), 412, 'PRECONDITION_FAILED');
      const key = randomUUID();
      expect((await reinforce().set('idempotency-key', key)).status).toBe(201);
      await refused(() => reinforce({ hoursPerWeek: 30 }).set('idempotency-key', key), 422, 'IDEMPOTENCY_KEY.REUSED');
    });
  });

  describe('ending a reinforcement', () => {
    const end = (id: string, body: Record<string, unknown>) => t.http().post(`/guard-reinforcements/${id}/end`).send(body);

    it('ends it once, within its planned days', async () => {
      const id = (await accepted(t, '/guard-reinforcements', aReinforcement())).id;
      await refused(() => end(id, { endedOn: '2025-03-02' }), 409, 'GUARD_REINFORCEMENT.ENDS_BEFORE_START');
      const after = await refused(() => end(id, { endedOn: '2025-09-01' }), 409, 'GUARD_REINFORCEMENT.ENDS_AFTER_PLANNED_END');
      expect(after.to).toBe('2025-08-31');
      const response = await end(id, { endedOn: '2025-06-15', reason: 'Budget cut' }).set('if-match', '"0"');
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ id, revision: '1' });
      expect(response.headers.location).toBe(`/guard-reinforcements/${id}`);
      const events = await t.store.readStream(`guardreinforcement-${id}`);
      expect(events[1]).toMatchObject({ type: 'GuardReinforcementEnded', data: { reinforcementId: id, municipalityId: 'danderyd', endedOn: '2025-06-15', reason: 'Budget cut', measureId: null, actionPlanId: null } });
      const again = await refused(() => end(id, { endedOn: '2025-06-20' }), 409, 'GUARD_REINFORCEMENT.ALREADY_ENDED');
      expect(again.endedOn).toBe('2025-06-15');
    });

    it('answers 412 for a stale If-Match', async () => {
      const id = (await accepted(t, '/guard-reinforcements', aReinforcement())).id;
      await refused(() => end(id, { endedOn: '2025-06-15' }).set('if-match', '"3"'), 412, 'PRECONDITION_FAILED');
    });

    it('answers 404 for a reinforcement that does not exist and 400 for bad input', async () => {
      await refused(() => end(randomUUID(), { endedOn: '2025-06-15' }), 404, 'GUARD_REINFORCEMENT.NOT_FOUND');
      const badId = await refused(() => end('r-1', { endedOn: '2025-06-15' }), 400, 'REQUEST.INVALID');
      expect(badId.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
      const id = (await accepted(t, '/guard-reinforcements', aReinforcement())).id;
      const bad = await refused(() => end(id, { endedOn: '15/06/2025', reason: 7, until: 'x' }), 400, 'REQUEST.INVALID');
      expect(fieldsOf(bad)).toEqual(['endedOn', 'reason', 'until']);
    });
  });

  describe('patrol visits', () => {
    let reinforcementId: string;
    beforeAll(async () => {
      reinforcementId = (await accepted(t, '/guard-reinforcements', aReinforcement({ placeIds: ['morby-centrum'] }))).id;
    });
    const visit = (overrides: Record<string, unknown> = {}) => t.http().post('/patrol-visits').send(aPatrolVisit(overrides));

    it('logs a visit under a reinforcement, at its place, and resolves the area and municipality', async () => {
      const visitId = randomUUID();
      const response = await visit({ visitId, reinforcementId, observations: 'Lugnt, en grupp ungdomar vid entrén' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ id: visitId, revision: '0' });
      expect(response.headers.location).toBe(`/patrol-visits/${visitId}`);
      const [event] = await t.store.readStream(`patrolvisit-${visitId}`);
      expect(event.data).toEqual({
        visitId,
        municipalityId: 'danderyd',
        areaId: 'centrala-danderyd',
        placeId: 'morby-centrum',
        arrivedAt: '2025-03-07T20:00:00.000Z',
        departedAt: '2025-03-07T20:40:00.000Z',
        guards: 2,
        reinforcementId,
        observations: 'Lugnt, en grupp ungdomar vid entrén',
      });
      await refused(() => visit({ visitId }), 409, 'PATROL_VISIT.ALREADY_LOGGED');
    });

    it('logs a visit without a reinforcement', async () => {
      expect((await visit({ guards: undefined, placeId: 'danderyds-sjukhus' })).status).toBe(201);
    });

    it('refuses unknown places and reinforcements, and a reinforcement elsewhere, with 422 naming the reference', async () => {
      const place = await refused(() => visit({ placeId: 'vendevagen' }), 422, 'PATROL_VISIT.UNKNOWN_PLACE');
      expect(place).toMatchObject({ field: 'placeId', value: 'vendevagen' });
      const unknown = randomUUID();
      const reinforcement = await refused(() => visit({ reinforcementId: unknown }), 422, 'PATROL_VISIT.UNKNOWN_REINFORCEMENT');
      expect(reinforcement).toMatchObject({ field: 'reinforcementId', value: unknown });
      const elsewhere = await refused(() => visit({ reinforcementId, placeId: 'taby-c' }), 422, 'PATROL_VISIT.REINFORCEMENT_NOT_AT_PLACE');
      expect(elsewhere).toMatchObject({ field: 'reinforcementId', value: reinforcementId });
    });

    it('refuses a visit on a day the reinforcement did not run with 409', async () => {
      const problem = await refused(
        () => visit({ reinforcementId, arrivedAt: '2025-09-01T00:30:00+02:00', departedAt: '2025-09-01T01:00:00+02:00' }),
        409,
        'PATROL_VISIT.REINFORCEMENT_NOT_RUNNING',
      );
      expect(problem).toMatchObject({ visitDate: '2025-09-01', from: '2025-03-03', to: '2025-08-31' });
    });

    it('dates a visit by its local day in Stockholm: 00:30 on the first day counts, though it is the day before in UTC', async () => {
      const response = await visit({ reinforcementId, arrivedAt: '2025-03-02T23:30:00Z', departedAt: '2025-03-03T00:10:00Z' });
      expect(response.status).toBe(201);
    });

    it('refuses a departure before the arrival, or in the future, naming departedAt', async () => {
      const early = await refused(() => visit({ departedAt: '2025-03-07T20:59:00+01:00' }), 400, 'PATROL_VISIT.INVALID');
      expect(early.errors).toEqual([{ field: 'departedAt', message: 'must be after arrivedAt' }]);
      const future = await refused(() => visit({ departedAt: new Date(Date.now() + 3_600_000).toISOString() }), 400, 'PATROL_VISIT.INVALID');
      expect(future.errors).toEqual([{ field: 'departedAt', message: 'must not be in the future' }]);
    });

    it('refuses malformed fields with 400 naming each', async () => {
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ arrivedAt: '2025-03-07 21:00', departedAt: undefined }, ['arrivedAt', 'departedAt']],
        [{ guards: 0 }, ['guards']],
        [{ guards: 1.5, reinforcementId: 'r-1' }, ['guards', 'reinforcementId']],
        [{ placeId: null, observations: null }, ['observations', 'placeId']],
      ];
      for (const [overrides, fields] of cases) {
        const problem = await refused(() => visit(overrides), 400, 'REQUEST.INVALID');
        expect(fieldsOf(problem)).toEqual([...fields].sort());
      }
    });

    it('answers a retry with the same Idempotency-Key with the first answer, and another body with 422', async () => {
      const key = randomUUID();
      const first = await visit().set('idempotency-key', key);
      expect(first.status).toBe(201);
      const before = await logSnapshot(t.store);
      const retry = await visit().set('idempotency-key', key);
      expect(retry.body).toEqual(first.body);
      expect(await logSnapshot(t.store)).toEqual(before);
      await refused(() => visit({ guards: 3 }).set('idempotency-key', key), 422, 'IDEMPOTENCY_KEY.REUSED');
    });
  });

  describe('querying reinforcements', () => {
    // Days around today in Stockholm, as the API works statuses out; margins of a day or more, so a
    // midnight between the test's clock and the API's does not matter.
    const today = localDateOf(new Date(), 'Europe/Stockholm');
    const day = (offset: number) => addDays(today, offset);
    const list = (query: string) => t.http().get(`/guard-reinforcements?${query}`);
    const idsOf = (response: { body: { items: Array<{ id: string }> } }) => response.body.items.map((item) => item.id);
    /** Danderyd: running at Mörby (of the Danderyd measure), planned at the hospital, and ended early at both. */
    let running: { id: string; position: string };
    let planned: { id: string; position: string };
    let endedEarly: { id: string; position: string };
    let head = '0';

    beforeAll(async () => {
      running = await accepted(t, '/guard-reinforcements', aReinforcement({ from: day(-30), to: day(30), measureId: danderyd.measureId }));
      planned = await accepted(t, '/guard-reinforcements', aReinforcement({ placeIds: ['danderyds-sjukhus'], from: day(10), to: day(40), hoursPerWeek: 7 }));
      endedEarly = await accepted(t, '/guard-reinforcements', aReinforcement({ placeIds: ['morby-centrum', 'danderyds-sjukhus'], from: day(-20), to: day(20) }));
      head = (await accepted(t, `/guard-reinforcements/${endedEarly.id}/end`, { endedOn: day(-2), reason: 'Budget cut' })).position;
    });

    it('answers a reinforcement at the Location its command answered, once the read model has seen it', async () => {
      const id = randomUUID();
      const command = await reinforce({ reinforcementId: id, placeIds: ['taby-c'], from: day(-30), to: day(30), measureId: taby.measureId, fundedBy: undefined });
      expect(command.status).toBe(201);
      const response = await t.http().get(`${command.headers.location}?consistentWith=${command.body.position}`);
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe('"0"');
      expect(response.body).toEqual({
        id,
        municipalityId: 'taby',
        placeIds: ['taby-c'],
        from: day(-30),
        to: day(30),
        hoursPerWeek: 20,
        provider: 'Securitas',
        fundedBy: null,
        measureId: taby.measureId,
        actionPlanId: taby.actionPlanId,
        status: 'running',
        endedOn: null,
        endReason: null,
        lastDay: day(30),
        // 61 days of 20 hours a week; 31 of them so far.
        plannedHours: 174.29,
        plannedHoursToDate: 88.57,
        visits: 0,
        loggedHours: 0,
        loggedGuardHours: 0,
        revision: '0',
        lastPosition: command.body.position,
      });

      // An hour's patrol by two guards shows as logged hours; the revision stays the reinforcement's.
      const departed = Date.now() - 3_600_000;
      const visited = await accepted(t, '/patrol-visits', aPatrolVisit({
        placeId: 'taby-c',
        reinforcementId: id,
        arrivedAt: new Date(departed - 3_600_000).toISOString(),
        departedAt: new Date(departed).toISOString(),
      }));
      const after = await t.http().get(`/guard-reinforcements/${id}?consistentWith=${visited.position}`);
      expect(after.body).toMatchObject({ visits: 1, loggedHours: 1, loggedGuardHours: 2, revision: '0', lastPosition: visited.position });
    });

    it('lists a municipality’s reinforcements, latest start first, filtered by status, the day they run, place and plan', async () => {
      const all = await list(`municipalityId=danderyd&consistentWith=${head}`);
      expect(all.status).toBe(200);
      expect(idsOf(all).slice(0, 3)).toEqual([planned.id, endedEarly.id, running.id]);
      expect(all.body.items[1]).toMatchObject({ status: 'ended', endedOn: day(-2), endReason: 'Budget cut', lastDay: day(-2), revision: '1' });

      expect(idsOf(await list('municipalityId=danderyd&status=running'))).toEqual([running.id]);
      expect(idsOf(await list('municipalityId=danderyd&status=planned'))).toEqual([planned.id]);
      expect(idsOf(await list(`municipalityId=danderyd&activeOn=${day(-5)}`))).toEqual([endedEarly.id, running.id]);
      // Ended early two days ago: it no longer runs yesterday, though it was planned to.
      expect(idsOf(await list(`municipalityId=danderyd&activeOn=${day(-1)}`))).toEqual([running.id]);
      expect(idsOf(await list(`municipalityId=danderyd&activeOn=${day(-5)}&placeId=danderyds-sjukhus`))).toEqual([endedEarly.id]);
      expect(idsOf(await list(`municipalityId=danderyd&activeOn=${day(15)}&placeId=danderyds-sjukhus`))).toEqual([planned.id]);
      expect(idsOf(await list(`municipalityId=danderyd&status=running&actionPlanId=${danderyd.actionPlanId}`))).toEqual([running.id]);
      expect(idsOf(await list(`municipalityId=danderyd&measureId=${danderyd.measureId}&activeOn=${day(0)}`))).toEqual([running.id]);
      expect(idsOf(await list(`municipalityId=taby&activeOn=${day(-5)}&placeId=morby-centrum`))).toEqual([]);
    });

    it('pages with nextCursor until it is null', async () => {
      const first = await list(`municipalityId=danderyd&activeOn=${day(-5)}&limit=1`);
      expect(idsOf(first)).toEqual([endedEarly.id]);
      expect(typeof first.body.nextCursor).toBe('string');
      const second = await list(`municipalityId=danderyd&activeOn=${day(-5)}&limit=1&cursor=${first.body.nextCursor}`);
      expect(second.body).toMatchObject({ items: [expect.objectContaining({ id: running.id })], nextCursor: null });
    });

    it('ends a running reinforcement early: ended from the day after its end, and an end announced ahead keeps it running', async () => {
      const early = await accepted(t, '/guard-reinforcements', aReinforcement({ placeIds: ['taby-c'], from: day(-20), to: day(20) }));
      const before = await t.http().get(`/guard-reinforcements/${early.id}?consistentWith=${early.position}`);
      expect(before.body).toMatchObject({ status: 'running', endedOn: null });
      const end = await t.http().post(`/guard-reinforcements/${early.id}/end`).set('if-match', before.headers.etag).send({ endedOn: day(-1), reason: 'Budget cut' });
      expect(end.status).toBe(201);
      const after = await t.http().get(`/guard-reinforcements/${early.id}?consistentWith=${end.body.position}`);
      expect(after.headers.etag).toBe('"1"');
      // 20 days of 20 hours a week, all of them past.
      expect(after.body).toMatchObject({ status: 'ended', endedOn: day(-1), endReason: 'Budget cut', lastDay: day(-1), plannedHours: 57.14, plannedHoursToDate: 57.14, revision: '1' });

      const announced = await accepted(t, '/guard-reinforcements', aReinforcement({ placeIds: ['taby-c'], from: day(-10), to: day(30) }));
      const ending = await accepted(t, `/guard-reinforcements/${announced.id}/end`, { endedOn: day(3) });
      const shortened = await t.http().get(`/guard-reinforcements/${announced.id}?consistentWith=${ending.position}`);
      expect(shortened.body).toMatchObject({ status: 'running', endedOn: day(3), endReason: null, lastDay: day(3), plannedHours: 40, plannedHoursToDate: 31.43 });
    });

    it('refuses bad parameters with 400 naming every one', async () => {
      const cursor = Buffer.from('[1,"x"]').toString('base64url');
      const bad = await refused(
        () => list(`municipalityId=Danderyd&activeOn=2025-02-30&status=active&actionPlanId=ap-1&placeId=M%C3%B6rby&limit=0&cursor=${cursor}&consistentWith=abc&colour=red`),
        400,
        'REQUEST.INVALID',
      );
      expect(fieldsOf(bad)).toEqual(['actionPlanId', 'activeOn', 'colour', 'consistentWith', 'cursor', 'limit', 'municipalityId', 'placeId', 'status']);
      const missing = await refused(() => list('status=running'), 400, 'REQUEST.INVALID');
      expect(missing.errors).toEqual([{ field: 'municipalityId', message: 'is required' }]);
      const one = await refused(() => t.http().get('/guard-reinforcements/r-1?consistentWith=x&asOf=2025-01-01'), 400, 'REQUEST.INVALID');
      expect(fieldsOf(one)).toEqual(['asOf', 'consistentWith', 'id']);
    });

    it('answers 404 for a reinforcement it does not know', async () => {
      const id = randomUUID();
      const problem = await refused(() => t.http().get(`/guard-reinforcements/${id}?consistentWith=${head}`), 404, 'GUARD_REINFORCEMENT.NOT_FOUND');
      expect(problem).toMatchObject({ reinforcementId: id });
    });

    it('answers 503 with Retry-After when the read model has not reached the position in time', async () => {
      const ahead = (BigInt(head) + 1_000_000n).toString();
      const response = await list(`municipalityId=danderyd&consistentWith=${ahead}`);
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.body).toMatchObject({ code: 'PROJECTION.NOT_CAUGHT_UP', readModel: 'guard-reinforcements', position: ahead });
    });
  });
});
