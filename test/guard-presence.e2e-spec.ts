import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
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
});
