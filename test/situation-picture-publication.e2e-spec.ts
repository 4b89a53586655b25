import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { loadSettings } from '@app/config';
import { periodOf } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { createApp } from '../apps/api/src/app.factory.js';
import { accepted, anAgreedAction, anIncident, seedDanderyd, seedTaby } from './support/fixtures.js';
import { logSnapshot, startTestApp, type TestApp } from './support/test-app.js';
import { fieldsOf, refusalsOf } from './support/problems.js';

/** With the default anchor (2021-01-04), periods start on 2025-02-10 and 2025-02-24. */
const PERIOD = '2025-02-10';

describe('publishing the situation picture over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDanderyd(t);
    await seedTaby(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const refused = refusalsOf(() => t);
  const publish = (municipality: string, periodStart: string, body: Record<string, unknown>) =>
    t.http().post(`/situation-pictures/${municipality}/${periodStart}/publication`).send(body);

  describe('a period and its corrections', () => {
    let first: string;

    it('publishes with the agreed actions, frozen at the log position as it stood', async () => {
      await accepted(t, '/incidents', anIncident({ occurredAt: '2025-02-14T23:10:00+01:00' }));
      const head = await t.store.headPosition();
      const response = await publish('danderyd', PERIOD, {
        agreedActions: [anAgreedAction(), anAgreedAction({ title: 'Föräldravandring vid Mörby centrum', responsible: { partner: 'Föräldravandrarna' }, dueDate: '2025-03-01' })],
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ revision: '0', position: expect.stringMatching(/^\d+$/) });
      expect(response.headers.location).toBe(`/situation-pictures/danderyd/${PERIOD}`);
      expect(response.headers.etag).toBe('"0"');
      first = response.body.id;

      const [event] = await t.store.readStream(`situationpicture-danderyd-${PERIOD}`);
      expect(event.type).toBe('SituationPicturePublished');
      expect(event.data).toEqual({
        publicationId: first,
        municipalityId: 'danderyd',
        periodStart: PERIOD,
        periodEnd: '2025-02-23',
        position: head!.toString(),
        publishedAt: expect.any(String),
        agreedActions: [
          { title: 'Extra kvällspatrull vid Mörby centrum fredagar', responsible: 'police', dueDate: '2025-03-14' },
          { title: 'Föräldravandring vid Mörby centrum', responsible: { partner: 'Föräldravandrarna' }, dueDate: '2025-03-01' },
        ],
        corrects: null,
      });
      expect(BigInt(response.body.position)).toBeGreaterThan(head!);
    });

    it('refuses a second publication of the period with 409, naming the one in force', async () => {
      const problem = await refused(() => publish('danderyd', PERIOD, { agreedActions: [] }), 409, 'SITUATION_PICTURE.ALREADY_PUBLISHED');
      expect(problem.publicationId).toBe(first);
    });

    it('publishes a correction of the latest publication, and refuses one of an older or unknown one', async () => {
      const correctionId = randomUUID();
      const correction = await publish('danderyd', PERIOD, { publicationId: correctionId, corrects: first, agreedActions: [anAgreedAction({ dueDate: '2025-03-21' })] }).set('if-match', '"0"');
      expect(correction.status).toBe(201);
      expect(correction.body).toMatchObject({ id: correctionId, revision: '1' });
      const events = await t.store.readStream(`situationpicture-danderyd-${PERIOD}`);
      expect(events[1].data).toMatchObject({ publicationId: correctionId, corrects: first });

      const older = await refused(() => publish('danderyd', PERIOD, { corrects: first, agreedActions: [] }), 409, 'SITUATION_PICTURE.NOT_LATEST_PUBLICATION');
      expect(older.latestPublicationId).toBe(correctionId);
      const stranger = randomUUID();
      const unknown = await refused(() => publish('danderyd', PERIOD, { corrects: stranger, agreedActions: [] }), 422, 'SITUATION_PICTURE.UNKNOWN_PUBLICATION');
      expect(unknown).toMatchObject({ field: 'corrects', value: stranger });
      await refused(() => publish('danderyd', PERIOD, { publicationId: first, corrects: correctionId, agreedActions: [] }), 409, 'SITUATION_PICTURE.PUBLICATION_EXISTS');
    });

    it('answers 412 for a stale If-Match', async () => {
      const problem = await refused(() => publish('danderyd', PERIOD, { corrects: first, agreedActions: [] }).set('if-match', '"0"'), 412, 'PRECONDITION_FAILED');
      expect(problem).toMatchObject({ expectedRevision: '0', currentRevision: '1' });
    });
  });

  it('answers 404 for an unknown municipality, and for a date that does not start a period, naming the start', async () => {
    const municipality = await refused(() => publish('atlantis', PERIOD, { agreedActions: [] }), 404, 'SITUATION_PICTURE.UNKNOWN_MUNICIPALITY');
    expect(municipality.municipalityId).toBe('atlantis');
    const inside = await refused(() => publish('danderyd', '2025-02-17', { agreedActions: [] }), 404, 'SITUATION_PICTURE.NOT_A_PERIOD_START');
    expect(inside.periodStart).toBe(PERIOD);
  });

  it('refuses the running period with 409: it has not ended', async () => {
    const { periodStart, endInstant } = periodOf(new Date());
    const problem = await refused(() => publish('danderyd', periodStart, { agreedActions: [] }), 409, 'SITUATION_PICTURE.PERIOD_NOT_ENDED');
    expect(problem.endsAt).toBe(endInstant);
  });

  it('keeps municipalities apart: Täby publishes the same period on its own', async () => {
    const response = await publish('taby', PERIOD, { agreedActions: [] });
    expect(response.status).toBe(201);
    expect(response.body.revision).toBe('0');
  });

  it('refuses a malformed path or body with 400 naming each field', async () => {
    const path = await refused(() => publish('Danderyd kommun', '10-02-2025', { agreedActions: [] }), 400, 'REQUEST.INVALID');
    expect(fieldsOf(path)).toEqual(['municipality', 'periodStart']);
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{}, ['agreedActions']],
      [{ agreedActions: 'patrol more' }, ['agreedActions']],
      [{ agreedActions: [anAgreedAction({ dueDate: '2025-02-30', responsible: 'mayor' })] }, ['agreedActions[0].dueDate', 'agreedActions[0].responsible']],
      [{ agreedActions: [anAgreedAction({ title: '' }), anAgreedAction({ owner: 'x' })] }, ['agreedActions[0].title', 'agreedActions[1].owner']],
      [{ agreedActions: [], publicationId: 'p-1', corrects: null }, ['corrects', 'publicationId']],
      [{ agreedActions: [], figures: { total: 0 } }, ['figures']],
    ];
    for (const [body, fields] of cases) {
      const problem = await refused(() => publish('danderyd', '2025-02-24', body), 400, 'REQUEST.INVALID');
      expect(fieldsOf(problem)).toEqual([...fields].sort());
    }
  });

  it('answers a retry with the first answer, and a reused key with another body with 422', async () => {
    const key = randomUUID();
    const first = await publish('danderyd', '2025-02-24', { agreedActions: [anAgreedAction()] }).set('idempotency-key', key);
    expect(first.status).toBe(201);
    const before = await logSnapshot(t.store);
    const retry = await publish('danderyd', '2025-02-24', { agreedActions: [anAgreedAction()] }).set('idempotency-key', key);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await logSnapshot(t.store)).toEqual(before);
    await refused(() => publish('danderyd', '2025-02-24', { agreedActions: [] }).set('idempotency-key', key), 422, 'IDEMPOTENCY_KEY.REUSED');
  });
});

describe('publishing with SITUATION_PERIOD_ANCHOR from the settings', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-e2e-anchor-'));
  const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  let app: Awaited<ReturnType<typeof createApp>>;
  let http: () => ReturnType<typeof request>;
  beforeAll(async () => {
    // A week after the default anchor, so periods start on 2025-02-17 and not on 2025-02-10.
    const settings = loadSettings({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error', SITUATION_PERIOD_ANCHOR: '2021-01-11', TZ_REPORTING: 'UTC' });
    app = await createApp(settings, { store, logger: false });
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    http = () => request(url);
    await http().post('/municipalities').send({ municipalityId: 'danderyd', name: 'Danderyds kommun' });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('cuts periods on the configured anchor', async () => {
    const moved = await http().post('/situation-pictures/danderyd/2025-02-10/publication').send({ agreedActions: [] });
    expect(moved.status).toBe(404);
    expect(moved.body).toMatchObject({ code: 'SITUATION_PICTURE.NOT_A_PERIOD_START', periodStart: '2025-02-03' });
    const response = await http().post('/situation-pictures/danderyd/2025-02-17/publication').send({ agreedActions: [] });
    expect(response.status).toBe(201);
    const events = await store.readStream('situationpicture-danderyd-2025-02-17');
    expect(events[0].data).toMatchObject({ periodStart: '2025-02-17', periodEnd: '2025-03-02' });
  });

  it('dates a patrol visit in the configured time zone (TZ_REPORTING)', async () => {
    await http().post('/areas').send({ areaId: 'djursholm', municipalityId: 'danderyd', name: 'Djursholm' });
    await http().post('/places').send({ placeId: 'djursholms-torg', areaId: 'djursholm', name: 'Djursholms torg', location: { lat: 59.397, lon: 18.085 } });
    const reinforcement = await http().post('/guard-reinforcements').send({ placeIds: ['djursholms-torg'], from: '2025-03-03', to: '2025-03-31', hoursPerWeek: 10, provider: 'Securitas' });
    expect(reinforcement.status).toBe(201);
    // 00:30 on 3 March in Stockholm, but still 2 March in UTC: the day before the reinforcement began.
    const visit = await http()
      .post('/patrol-visits')
      .send({ placeId: 'djursholms-torg', reinforcementId: reinforcement.body.id, arrivedAt: '2025-03-03T00:30:00+01:00', departedAt: '2025-03-03T01:00:00+01:00' });
    expect(visit.status).toBe(409);
    expect(visit.body).toMatchObject({ code: 'PATROL_VISIT.REINFORCEMENT_NOT_RUNNING', visitDate: '2025-03-02' });
  });
});
