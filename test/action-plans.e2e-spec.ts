import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { accepted, aGoal, aMeasure, aPlan, aSurveyGoal, SIGNATORIES, seedDanderyd, seedTaby } from './support/fixtures.js';
import { logSnapshot, startTestApp, type TestApp } from './support/test-app.js';
import { refusalsOf } from './support/problems.js';

/** Waits until the clock has moved past an instant, so that the next event is recorded strictly after it. */
async function clockPasses(instant: Date): Promise<void> {
  while (Date.now() <= instant.getTime()) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('action plans over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDanderyd(t);
    await seedTaby(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const draft = async (overrides: Record<string, unknown> = {}) => (await accepted(t, '/action-plans', aPlan(overrides))).id;
  const sign = (id: string, role: string, extra: Record<string, unknown> = {}) =>
    t.http().post(`/action-plans/${id}/signatures`).send({ role, name: `Signatory ${role}`, ...extra });

  /** Refused: the status and code, and nothing appended. */
  const refused = refusalsOf(() => t);

  describe('the whole life of a plan', () => {
    let id: string;
    let goalId: string;
    /** recordedAt of the plan's events, kept for the asOf reads at the end. */
    let recordedAt: Date[];

    it('drafts a plan with a client id and reads it back', async () => {
      id = randomUUID();
      const response = await t.http().post('/action-plans').send(aPlan({ actionPlanId: id }));
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ id, revision: '0', position: expect.stringMatching(/^\d+$/) });
      expect(response.headers.etag).toBe('"0"');
      expect(response.headers.location).toBe(`/action-plans/${id}`);

      const read = await t.http().get(`/action-plans/${id}`);
      expect(read.status).toBe(200);
      expect(read.headers.etag).toBe('"0"');
      expect(read.body).toEqual({
        id,
        municipalityId: 'danderyd',
        title: 'Handlingsplan för trygghet 2025–2026',
        periodStart: '2025-01-01',
        periodEnd: '2026-12-31',
        status: 'draft',
        revision: '0',
        contentRevision: 0,
        adoptedAt: null,
        goals: [],
        measures: [],
        signatures: [],
      });
    });

    it('adds a goal and a measure that serves it', async () => {
      const goal = await t.http().post(`/action-plans/${id}/goals`).set('if-match', '"0"').send(aGoal());
      expect(goal.status).toBe(201);
      expect(goal.body.revision).toBe('1');
      expect(goal.headers.location).toBe(`/action-plans/${id}`);
      goalId = goal.body.id;

      const measure = await t.http().post(`/action-plans/${id}/measures`).send(aMeasure({ goalIds: [goalId], responsible: { partner: 'Grannsamverkan Djursholm' } }));
      expect(measure.status).toBe(201);
      expect(measure.headers.etag).toBe('"2"');

      const read = await t.http().get(`/action-plans/${id}`);
      expect(read.body.goals).toEqual([
        {
          goalId,
          title: 'Färre bostadsinbrott i Djursholm',
          indicator: { kind: 'incident-count', categories: ['burglary-residential'], areaIds: ['djursholm'], placeIds: null },
          baseline: { value: 120, from: '2023-01-01', to: '2024-12-31' },
          target: { value: 90, by: '2026-12-31' },
          direction: 'decrease',
        },
      ]);
      expect(read.body.measures).toEqual([
        { measureId: measure.body.id, title: 'Grannsamverkan i Djursholm', kind: 'neighbourhood-watch', responsible: { partner: 'Grannsamverkan Djursholm' }, goalIds: [goalId] },
      ]);
      expect(read.body).toMatchObject({ revision: '2', contentRevision: 2 });
    });

    it('refuses adoption before anyone signed, naming every missing role', async () => {
      const problem = await refused(() => t.http().post(`/action-plans/${id}/adoption`).send({}), 409, 'ACTION_PLAN.SIGNATURES_MISSING');
      expect(problem).toMatchObject({ missingRoles: [...SIGNATORIES], revision: 2 });
    });

    it('takes two signatures, still refuses adoption for the third, and refuses a role signing twice', async () => {
      expect((await sign(id, 'police-area-chief')).status).toBe(201);
      expect((await sign(id, 'board-chair', { signedAt: '2025-02-20T10:00:00+01:00' })).status).toBe(201);
      const missing = await refused(() => t.http().post(`/action-plans/${id}/adoption`).send(), 409, 'ACTION_PLAN.SIGNATURES_MISSING');
      expect(missing.missingRoles).toEqual(['municipal-director']);
      const twice = await refused(() => sign(id, 'board-chair'), 409, 'ACTION_PLAN.ALREADY_SIGNED');
      expect(twice).toMatchObject({ role: 'board-chair', revision: 2 });
    });

    it('a goal added after all three signed voids their signatures, in the event and in GET', async () => {
      expect((await sign(id, 'municipal-director')).status).toBe(201);
      const signed = await t.http().get(`/action-plans/${id}`);
      expect(signed.body.signatures).toEqual([
        { role: 'police-area-chief', name: 'Signatory police-area-chief', signedAt: expect.any(String), revision: 2 },
        { role: 'board-chair', name: 'Signatory board-chair', signedAt: '2025-02-20T09:00:00.000Z', revision: 2 },
        { role: 'municipal-director', name: 'Signatory municipal-director', signedAt: expect.any(String), revision: 2 },
      ]);
      expect(signed.headers.etag).toBe('"5"');
      // So that the asOf read below can name the instant of this signature and not see what follows.
      await clockPasses((await t.store.readStream(`actionplan-${id}`)).at(-1)!.recordedAt);

      const late = await t.http().post(`/action-plans/${id}/goals`).send(aSurveyGoal());
      expect(late.status).toBe(201);
      const events = await t.store.readStream(`actionplan-${id}`);
      expect(events.at(-1)).toMatchObject({
        type: 'GoalAdded',
        data: { goalId: late.body.id, contentRevision: 3, voidsSignatures: ['police-area-chief', 'board-chair', 'municipal-director'] },
      });
      const voided = await t.http().get(`/action-plans/${id}`);
      expect(voided.body).toMatchObject({ revision: '6', contentRevision: 3, signatures: [] });
      expect(voided.body.goals).toHaveLength(2);
      const problem = await refused(() => t.http().post(`/action-plans/${id}/adoption`).send({}), 409, 'ACTION_PLAN.SIGNATURES_MISSING');
      expect(problem).toMatchObject({ missingRoles: [...SIGNATORIES], revision: 3 });
    });

    it('is adopted once all three signed the current revision', async () => {
      for (const role of SIGNATORIES) expect((await sign(id, role)).status).toBe(201);
      const adoption = await t.http().post(`/action-plans/${id}/adoption`).set('if-match', '"9"').send();
      expect(adoption.status).toBe(201);
      expect(adoption.body).toMatchObject({ id, revision: '10' });
      const read = await t.http().get(`/action-plans/${id}`);
      expect(read.body).toMatchObject({ status: 'adopted', revision: '10', contentRevision: 3, adoptedAt: expect.any(String) });
      expect(read.body.signatures.map((s: { role: string; revision: number }) => [s.role, s.revision])).toEqual(SIGNATORIES.map((role) => [role, 3]));
      recordedAt = (await t.store.readStream(`actionplan-${id}`)).map((e) => e.recordedAt);
    });

    it('refuses every change to an adopted plan with 409 ACTION_PLAN.NOT_DRAFT', async () => {
      await refused(() => t.http().post(`/action-plans/${id}/goals`).send(aGoal()), 409, 'ACTION_PLAN.NOT_DRAFT');
      await refused(() => t.http().post(`/action-plans/${id}/measures`).send(aMeasure()), 409, 'ACTION_PLAN.NOT_DRAFT');
      await refused(() => sign(id, 'board-chair'), 409, 'ACTION_PLAN.NOT_DRAFT');
      await refused(() => t.http().post(`/action-plans/${id}/adoption`).send(), 409, 'ACTION_PLAN.NOT_DRAFT');
    });

    it('reads the plan as it stood at an instant (asOf), folded from the events recorded by then', async () => {
      /** The stream revision the plan had at an instant: the last event recorded at or before it. */
      const revisionAt = (instant: Date) => recordedAt.filter((at) => at.getTime() <= instant.getTime()).length - 1;
      // When the third signature of the first round was recorded (revision 5): all three signed revision 2.
      const atSigned = recordedAt[5];
      const signed = await t.http().get(`/action-plans/${id}`).query({ asOf: atSigned.toISOString() });
      expect(signed.status).toBe(200);
      expect(signed.headers.etag).toBe('"5"');
      expect(signed.body).toMatchObject({ status: 'draft', revision: '5', contentRevision: 2, adoptedAt: null });
      expect(signed.body.signatures.map((s: { role: string; revision: number }) => [s.role, s.revision])).toEqual(SIGNATORIES.map((role) => [role, 2]));
      expect(signed.body.goals).toHaveLength(1);

      // Just after the draft, before anything else was recorded.
      const atDraft = recordedAt[0];
      const drafted = await t.http().get(`/action-plans/${id}?asOf=${encodeURIComponent(atDraft.toISOString())}`);
      expect(drafted.body.revision).toBe(String(revisionAt(atDraft)));
      expect(drafted.body.status).toBe('draft');

      // An offset other than Z names the same instant.
      const last = recordedAt.at(-1)!;
      const stockholm = new Date(last.getTime() + 3_600_000).toISOString().replace('Z', '+01:00');
      const adopted = await t.http().get(`/action-plans/${id}`).query({ asOf: stockholm });
      expect(adopted.body).toMatchObject({ status: 'adopted', revision: '10' });

      // Before the plan existed: 404.
      const before = await t.http().get(`/action-plans/${id}`).query({ asOf: new Date(atDraft.getTime() - 1).toISOString() });
      expect(before.status).toBe(404);
      expect(before.body).toMatchObject({ code: 'ACTION_PLAN.NOT_FOUND', asOf: new Date(atDraft.getTime() - 1).toISOString() });
    });

    it('refuses a malformed asOf with 400 naming it', async () => {
      for (const asOf of ['yesterday', '2025-02-30T10:00:00Z', '2025-02-20T10:00:00', '2025-02-20']) {
        const response = await t.http().get(`/action-plans/${id}`).query({ asOf });
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'REQUEST.INVALID', errors: [{ field: 'asOf', message: expect.any(String) }] });
      }
      const twice = await t.http().get(`/action-plans/${id}?asOf=2025-01-01T00:00:00Z&asOf=2025-01-02T00:00:00Z`);
      expect(twice.status).toBe(400);
      const unknown = await t.http().get(`/action-plans/${id}?at=2025-01-01T00:00:00Z`);
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([{ field: 'at', message: 'is not a parameter of this query' }]);
    });

    it('reads the plan consistent with a position: at once when the log holds it, else 503 with Retry-After', async () => {
      const planId = await draft();
      const goal = await accepted(t, `/action-plans/${planId}/goals`, aGoal());
      const read = await t.http().get(`/action-plans/${planId}?consistentWith=${goal.position}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: planId, revision: '1', goals: [expect.objectContaining({ goalId: goal.id })] });
      const asOf = await t.http().get(`/action-plans/${planId}`).query({ asOf: new Date().toISOString(), consistentWith: goal.position });
      expect(asOf.status).toBe(200);

      const ahead = (BigInt(goal.position) + 1_000_000n).toString();
      const behind = await t.http().get(`/action-plans/${planId}?consistentWith=${ahead}`);
      expect(behind.status).toBe(503);
      expect(behind.headers['retry-after']).toBe('1');
      expect(behind.body).toMatchObject({ code: 'LOG.NOT_CAUGHT_UP', position: ahead });
    });
  });

  describe('drafting', () => {
    it('generates an id when the client leaves it out, the same one for a retry with the same Idempotency-Key', async () => {
      const key = randomUUID();
      const first = await t.http().post('/action-plans').set('idempotency-key', key).send(aPlan());
      expect(first.status).toBe(201);
      expect(first.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const before = await logSnapshot(t.store);
      const retry = await t.http().post('/action-plans').set('idempotency-key', key).send(aPlan());
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(await logSnapshot(t.store)).toEqual(before);
    });

    it('refuses a reused Idempotency-Key with another body with 422', async () => {
      const key = randomUUID();
      await t.http().post('/action-plans').set('idempotency-key', key).send(aPlan());
      const problem = await refused(() => t.http().post('/action-plans').set('idempotency-key', key).send(aPlan({ title: 'Another' })), 422, 'IDEMPOTENCY_KEY.REUSED');
      expect(problem.idempotencyKey).toBe(key);
    });

    it('refuses malformed fields with 400 naming each', async () => {
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ municipalityId: undefined, title: undefined }, ['municipalityId', 'title']],
        [{ periodStart: '2025-02-30', periodEnd: '31/12/2026' }, ['periodStart', 'periodEnd']],
        [{ actionPlanId: 'plan-1' }, ['actionPlanId']],
        [{ actionPlanId: null, title: null }, ['actionPlanId', 'title']],
        [{ title: 'x'.repeat(201) }, ['title']],
        [{ mayor: 'Eva' }, ['mayor']],
      ];
      for (const [overrides, fields] of cases) {
        const problem = await refused(() => t.http().post('/action-plans').send(aPlan(overrides)), 400, 'REQUEST.INVALID');
        expect((problem.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual([...fields].sort());
      }
    });

    it('refuses a period that is not two calendar years with 400 ACTION_PLAN.INVALID_PERIOD', async () => {
      const problem = await refused(() => t.http().post('/action-plans').send(aPlan({ periodStart: '2025-03-01', periodEnd: '2027-02-28' })), 400, 'ACTION_PLAN.INVALID_PERIOD');
      expect((problem.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(['periodStart', 'periodEnd']);
    });

    it('refuses an unknown municipality with 422 naming it', async () => {
      const problem = await refused(() => t.http().post('/action-plans').send(aPlan({ municipalityId: 'atlantis' })), 422, 'ACTION_PLAN.UNKNOWN_MUNICIPALITY');
      expect(problem).toMatchObject({ field: 'municipalityId', value: 'atlantis' });
    });

    it('refuses drafting a plan id twice with 409', async () => {
      const id = await draft();
      await refused(() => t.http().post('/action-plans').send(aPlan({ actionPlanId: id })), 409, 'ACTION_PLAN.ALREADY_EXISTS');
    });
  });

  describe('goals and measures', () => {
    it('refuses areas and places of another municipality, or unknown ones, with 422 naming the reference', async () => {
      const id = await draft();
      const foreignArea = await refused(
        () => t.http().post(`/action-plans/${id}/goals`).send(aGoal({ indicator: { kind: 'incident-count', categories: ['robbery'], areaIds: ['djursholm', 'taby-centrum'] } })),
        422,
        'ACTION_PLAN.UNKNOWN_AREA',
      );
      expect(foreignArea).toMatchObject({ field: 'indicator.areaIds[1]', value: 'taby-centrum' });
      const unknownPlace = await refused(
        () => t.http().post(`/action-plans/${id}/goals`).send(aGoal({ indicator: { kind: 'incident-count', categories: ['robbery'], placeIds: ['vendevagen'] } })),
        422,
        'ACTION_PLAN.UNKNOWN_PLACE',
      );
      expect(unknownPlace).toMatchObject({ field: 'indicator.placeIds[0]', value: 'vendevagen' });
      const foreignPlace = await refused(
        () => t.http().post(`/action-plans/${id}/goals`).send(aGoal({ indicator: { kind: 'incident-count', categories: ['robbery'], placeIds: ['taby-c'] } })),
        422,
        'ACTION_PLAN.UNKNOWN_PLACE',
      );
      expect(foreignPlace).toMatchObject({ field: 'indicator.placeIds[0]', value: 'taby-c' });
      const surveyArea = await refused(
        () => t.http().post(`/action-plans/${id}/goals`).send(aSurveyGoal({ indicator: { kind: 'survey', indicator: 'Otrygg', areaId: 'taby-centrum' } })),
        422,
        'ACTION_PLAN.UNKNOWN_AREA',
      );
      expect(surveyArea).toMatchObject({ field: 'indicator.areaId', value: 'taby-centrum' });
    });

    it('refuses a malformed goal with 400 naming the fields', async () => {
      const id = await draft();
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ indicator: { kind: 'burglaries' } }, ['indicator.kind']],
        [{ indicator: { kind: 'incident-count', categories: ['jaywalking'] } }, ['indicator.categories']],
        [{ indicator: { kind: 'survey', indicator: 'Otrygg', categories: ['robbery'] } }, ['indicator.categories']],
        [{ indicator: 'robbery' }, ['indicator']],
        [{ baseline: { value: '120', from: '2023-01-01', to: '2024-13-01' } }, ['baseline.value', 'baseline.to']],
        [{ target: { value: 90 } }, ['target.by']],
        [{ goalId: 42, title: '' }, ['goalId', 'title']],
      ];
      for (const [overrides, fields] of cases) {
        const problem = await refused(() => t.http().post(`/action-plans/${id}/goals`).send(aGoal(overrides)), 400, 'REQUEST.INVALID');
        expect((problem.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual([...fields].sort());
      }
      // Shape is fine, but the domain's rules are not: the target is due before the baseline ends.
      const domain = await refused(
        () => t.http().post(`/action-plans/${id}/goals`).send(aGoal({ target: { value: 90, by: '2024-06-30' } })),
        400,
        'ACTION_PLAN.INVALID_GOAL',
      );
      expect(domain.errors).toEqual([{ field: 'target.by', message: 'must be after baseline.to' }]);
    });

    it('refuses a goal id twice with 409, and a measure serving an unknown goal with 422', async () => {
      const id = await draft();
      const goalId = randomUUID();
      await accepted(t, `/action-plans/${id}/goals`, aGoal({ goalId }));
      await refused(() => t.http().post(`/action-plans/${id}/goals`).send(aGoal({ goalId })), 409, 'ACTION_PLAN.GOAL_EXISTS');
      const stranger = randomUUID();
      const problem = await refused(() => t.http().post(`/action-plans/${id}/measures`).send(aMeasure({ goalIds: [goalId, stranger] })), 422, 'ACTION_PLAN.UNKNOWN_GOAL');
      expect(problem).toMatchObject({ field: 'goalIds[1]', value: stranger });
    });

    it('refuses a malformed measure with 400 naming the fields', async () => {
      const id = await draft();
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ kind: 'prayer', responsible: 'mayor' }, ['kind', 'responsible']],
        [{ responsible: { partner: '' } }, ['responsible']],
        [{ responsible: { partner: 'Securitas', phone: '08-123' } }, ['responsible']],
        [{ goalIds: ['g-1'] }, ['goalIds']],
        [{ title: undefined }, ['title']],
      ];
      for (const [overrides, fields] of cases) {
        const problem = await refused(() => t.http().post(`/action-plans/${id}/measures`).send(aMeasure(overrides)), 400, 'REQUEST.INVALID');
        expect((problem.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual([...fields].sort());
      }
    });

    it('answers 404 for a plan that does not exist, and 400 for an id that is not a UUID', async () => {
      const missing = randomUUID();
      const read = await t.http().get(`/action-plans/${missing}`);
      expect(read.status).toBe(404);
      expect(read.body.code).toBe('ACTION_PLAN.NOT_FOUND');
      await refused(() => t.http().post(`/action-plans/${missing}/goals`).send(aGoal()), 404, 'ACTION_PLAN.NOT_FOUND');
      await refused(() => t.http().post(`/action-plans/${missing}/measures`).send(aMeasure()), 404, 'ACTION_PLAN.NOT_FOUND');
      await refused(() => sign(missing, 'board-chair'), 404, 'ACTION_PLAN.NOT_FOUND');
      await refused(() => t.http().post(`/action-plans/${missing}/adoption`).send(), 404, 'ACTION_PLAN.NOT_FOUND');
      const badId = await refused(() => t.http().post('/action-plans/plan-1/goals').send(aGoal()), 400, 'REQUEST.INVALID');
      expect(badId.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    });

    it('answers 412 when If-Match names a revision the plan has moved on from, and appends nothing', async () => {
      const id = await draft();
      await accepted(t, `/action-plans/${id}/goals`, aGoal());
      const problem = await refused(() => t.http().post(`/action-plans/${id}/measures`).set('if-match', '"0"').send(aMeasure()), 412, 'PRECONDITION_FAILED');
      expect(problem).toMatchObject({ expectedRevision: '0', currentRevision: '1' });
    });
  });

  describe('signing and adoption', () => {
    it('refuses a signature dated in the future, or by an unknown role, naming the field', async () => {
      const id = await draft();
      const future = await refused(() => sign(id, 'board-chair', { signedAt: new Date(Date.now() + 86_400_000).toISOString() }), 400, 'ACTION_PLAN.INVALID_SIGNATURE');
      expect(future.errors).toEqual([{ field: 'signedAt', message: 'must not be in the future' }]);
      const role = await refused(() => sign(id, 'mayor'), 400, 'REQUEST.INVALID');
      expect((role.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(['role']);
      const shape = await refused(() => t.http().post(`/action-plans/${id}/signatures`).send({ role: 'board-chair', signedAt: '2025-02-20' }), 400, 'REQUEST.INVALID');
      expect((shape.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual(['name', 'signedAt']);
    });

    it('refuses adopting a plan without goals with 409 ACTION_PLAN.NO_GOALS', async () => {
      const id = await draft();
      for (const role of SIGNATORIES) expect((await sign(id, role)).status).toBe(201);
      await refused(() => t.http().post(`/action-plans/${id}/adoption`).send({}), 409, 'ACTION_PLAN.NO_GOALS');
    });

    it('refuses an adoption dated before the last signature, or a body that is not an object, with 400', async () => {
      const id = await draft();
      await accepted(t, `/action-plans/${id}/goals`, aGoal());
      for (const role of SIGNATORIES) expect((await sign(id, role)).status).toBe(201);
      const early = await refused(() => t.http().post(`/action-plans/${id}/adoption`).send({ adoptedAt: '2025-01-01T00:00:00Z' }), 400, 'ACTION_PLAN.INVALID_ADOPTION');
      expect((early.errors as Array<{ field: string }>)[0].field).toBe('adoptedAt');
      for (const body of ['[]', '5', '"now"', 'null']) {
        const problem = await refused(() => t.http().post(`/action-plans/${id}/adoption`).set('content-type', 'application/json').send(body), 400, 'REQUEST.INVALID');
        expect((problem.errors as Array<{ field: string }>).length).toBeGreaterThan(0);
      }
    });

    it('answers a retried signature with the first answer, and a reused key with another body with 422', async () => {
      const id = await draft();
      const key = randomUUID();
      const first = await t.http().post(`/action-plans/${id}/signatures`).set('idempotency-key', key).send({ role: 'board-chair', name: 'Eva Ek' });
      expect(first.status).toBe(201);
      const retry = await t.http().post(`/action-plans/${id}/signatures`).set('idempotency-key', key).send({ role: 'board-chair', name: 'Eva Ek' });
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      await refused(() => t.http().post(`/action-plans/${id}/signatures`).set('idempotency-key', key).send({ role: 'board-chair', name: 'Eva Lund' }), 422, 'IDEMPOTENCY_KEY.REUSED');
      expect(await t.store.readStream(`actionplan-${id}`)).toHaveLength(2);
    });
  });
});
