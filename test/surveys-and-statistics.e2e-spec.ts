import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { accepted, aSurvey, seedDanderyd, seedTaby, somePoliceStatistics } from './support/fixtures.js';
import { logSnapshot, startTestApp, type TestApp } from './support/test-app.js';
import { fieldsOf, refusalsOf } from './support/problems.js';

describe('safety surveys and police statistics over HTTP', () => {
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

  describe('survey results', () => {
    let n = 0;
    const survey = (overrides: Record<string, unknown> = {}) => t.http().post('/survey-results').send(aSurvey({ surveyId: `trygghetsmatning-${++n}`, ...overrides }));

    it('records a survey of an area, share and mean results', async () => {
      const response = await t.http().post('/survey-results').send(aSurvey({ areaId: 'djursholm' }));
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ id: 'trygghetsmatning-2024', revision: '0' });
      expect(response.headers.location).toBe('/survey-results/trygghetsmatning-2024');
      expect(response.headers.etag).toBe('"0"');
      const [event] = await t.store.readStream('survey-trygghetsmatning-2024');
      expect(event).toMatchObject({
        type: 'SurveyResultsRecorded',
        data: {
          surveyId: 'trygghetsmatning-2024',
          municipalityId: 'danderyd',
          areaId: 'djursholm',
          year: 2024,
          results: [
            { indicator: 'Otrygg utomhus sent på kvällen', value: 0.31, respondents: 812, kind: 'share' },
            { indicator: 'Oro för brott (index)', value: 2.4, respondents: 790, kind: 'mean' },
          ],
        },
      });
      await refused(() => t.http().post('/survey-results').send(aSurvey({ areaId: 'djursholm' })), 409, 'SURVEY.ALREADY_RECORDED');
    });

    it('refuses an area of another municipality, or an unknown municipality, with 422 naming it', async () => {
      const area = await refused(() => survey({ areaId: 'taby-centrum' }), 422, 'SURVEY.UNKNOWN_AREA');
      expect(area).toMatchObject({ field: 'areaId', value: 'taby-centrum' });
      const municipality = await refused(() => survey({ municipalityId: 'atlantis' }), 422, 'SURVEY.UNKNOWN_MUNICIPALITY');
      expect(municipality).toMatchObject({ field: 'municipalityId', value: 'atlantis' });
    });

    it('refuses a share outside [0, 1], an indicator twice and a year ahead, naming each', async () => {
      const problem = await refused(
        () =>
          survey({
            year: new Date().getUTCFullYear() + 1,
            results: [
              { indicator: 'Otrygg', value: 1.2, respondents: 100 },
              { indicator: 'Otrygg', value: 0.2, respondents: 100 },
            ],
          }),
        400,
        'SURVEY.INVALID',
      );
      expect(fieldsOf(problem)).toEqual(['results[0].value', 'results[1].indicator', 'year']);
      const empty = await refused(() => survey({ results: [] }), 400, 'SURVEY.INVALID');
      expect(fieldsOf(empty)).toEqual(['results']);
    });

    it('refuses malformed fields with 400 naming each, nested ones by their path', async () => {
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ surveyId: 'Trygghetsmätning 2024', municipalityId: undefined }, ['municipalityId', 'surveyId']],
        [{ year: '2024' }, ['year']],
        [{ year: 2024.5, areaId: null }, ['areaId', 'year']],
        [{ results: 'many' }, ['results']],
        [{ results: [{ indicator: 'Otrygg', value: '0.3', respondents: 0, kind: 'median' }] }, ['results[0].kind', 'results[0].respondents', 'results[0].value']],
        [{ results: [{ indicator: 'Otrygg', value: 0.3, respondents: 10, personnummer: '19800101-1234' }] }, ['results[0].personnummer']],
      ];
      for (const [overrides, fields] of cases) {
        const problem = await refused(() => survey(overrides), 400, 'REQUEST.INVALID');
        expect(fieldsOf(problem)).toEqual([...fields].sort());
      }
    });

    it('answers a retry with the first answer, a reused key with another body with 422, and a stale If-Match with 412', async () => {
      const key = randomUUID();
      const body = aSurvey({ surveyId: 'idempotent-survey' });
      const first = await t.http().post('/survey-results').set('idempotency-key', key).send(body);
      expect(first.status).toBe(201);
      const retry = await t.http().post('/survey-results').set('idempotency-key', key).send(body);
      expect(retry.body).toEqual(first.body);
      await refused(() => t.http().post('/survey-results').set('idempotency-key', key).send({ ...body, year: 2023 }), 422, 'IDEMPOTENCY_KEY.REUSED');
      // If-Match "0" on a survey that does not exist yet: the stream is not at revision 0.
      const stale = await refused(() => survey().set('if-match', '"0"'), 412, 'PRECONDITION_FAILED');
      expect(stale).toMatchObject({ expectedRevision: '0', currentRevision: null });
    });
  });

  describe('police statistics', () => {
    const stats = (overrides: Record<string, unknown> = {}) => t.http().post('/police-statistics').send(somePoliceStatistics(overrides));

    it('imports aggregates of a period, and a re-import of the period supersedes the first', async () => {
      const first = await stats();
      expect(first.status).toBe(201);
      expect(first.body.revision).toBe('0');
      expect(first.headers.location).toBe(`/police-statistics/${first.body.id}`);
      const importId = randomUUID();
      const second = await stats({ importId, counts: [{ braCategory: 'Bostadsinbrott', count: 15 }] }).set('if-match', '"0"');
      expect(second.status).toBe(201);
      expect(second.body).toMatchObject({ id: importId, revision: '1' });
      const events = await t.store.readStream('policestatistics-danderyd_2025-01-01_2025-03-31');
      expect(events.map((e) => e.data)).toEqual([
        {
          importId: first.body.id,
          municipalityId: 'danderyd',
          areaId: null,
          periodStart: '2025-01-01',
          periodEnd: '2025-03-31',
          counts: [
            { braCategory: 'Bostadsinbrott', count: 14 },
            { braCategory: 'Skadegörelse', count: 41 },
          ],
          source: 'Polisens öppna statistik',
          supersedes: null,
        },
        expect.objectContaining({ importId, counts: [{ braCategory: 'Bostadsinbrott', count: 15 }], supersedes: first.body.id }),
      ]);
      await refused(() => stats({ importId }), 409, 'POLICE_STATISTICS.ALREADY_IMPORTED');
      const stale = await refused(() => stats().set('if-match', '"0"'), 412, 'PRECONDITION_FAILED');
      expect(stale).toMatchObject({ expectedRevision: '0', currentRevision: '1' });
    });

    it('keeps an area’s figures in their own stream', async () => {
      const response = await stats({ areaId: 'djursholm' });
      expect(response.status).toBe(201);
      expect(response.body.revision).toBe('0');
      expect(await t.store.readStream('policestatistics-danderyd_djursholm_2025-01-01_2025-03-31')).toHaveLength(1);
    });

    it('refuses an unknown municipality and an area of another one with 422 naming it', async () => {
      const municipality = await refused(() => stats({ municipalityId: 'atlantis' }), 422, 'POLICE_STATISTICS.UNKNOWN_MUNICIPALITY');
      expect(municipality).toMatchObject({ field: 'municipalityId', value: 'atlantis' });
      const area = await refused(() => stats({ areaId: 'taby-centrum' }), 422, 'POLICE_STATISTICS.UNKNOWN_AREA');
      expect(area).toMatchObject({ field: 'areaId', value: 'taby-centrum' });
    });

    it('refuses a period out of order or ahead, and a category twice, with 400 naming each', async () => {
      const order = await refused(() => stats({ periodStart: '2025-03-31', periodEnd: '2025-01-01' }), 400, 'POLICE_STATISTICS.INVALID');
      expect(fieldsOf(order)).toEqual(['periodEnd']);
      const ahead = await refused(() => stats({ periodStart: `${new Date().getUTCFullYear() + 1}-01-01`, periodEnd: `${new Date().getUTCFullYear() + 1}-03-31` }), 400, 'POLICE_STATISTICS.INVALID');
      expect(fieldsOf(ahead)).toEqual(['periodStart']);
      const twice = await refused(() => stats({ counts: [{ braCategory: 'Rån', count: 1 }, { braCategory: 'Rån', count: 2 }] }), 400, 'POLICE_STATISTICS.INVALID');
      expect(fieldsOf(twice)).toEqual(['counts[1].braCategory']);
    });

    it('takes aggregates only: anything else is refused with 400 naming it', async () => {
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ counts: [{ braCategory: 'Rån', count: -1 }] }, ['counts[0].count']],
        [{ counts: [{ braCategory: 'Rån', count: '3' }] }, ['counts[0].count']],
        [{ counts: [{ braCategory: 'Rån', count: 3, suspect: 'Anna Andersson' }] }, ['counts[0].suspect']],
        [{ victims: [{ name: 'x' }] }, ['victims']],
        [{ periodStart: '2025-02-29', importId: 'import-1' }, ['importId', 'periodStart']],
        [{ counts: null, source: null }, ['counts', 'source']],
      ];
      for (const [overrides, fields] of cases) {
        const problem = await refused(() => stats(overrides), 400, 'REQUEST.INVALID');
        expect(fieldsOf(problem)).toEqual([...fields].sort());
      }
    });

    it('answers a retry with the first answer, and a reused key with another body with 422', async () => {
      const key = randomUUID();
      const body = somePoliceStatistics({ periodStart: '2024-01-01', periodEnd: '2024-12-31' });
      const first = await t.http().post('/police-statistics').set('idempotency-key', key).send(body);
      expect(first.status).toBe(201);
      const before = await logSnapshot(t.store);
      const retry = await t.http().post('/police-statistics').set('idempotency-key', key).send(body);
      expect(retry.body).toEqual(first.body);
      expect(await logSnapshot(t.store)).toEqual(before);
      await refused(() => t.http().post('/police-statistics').set('idempotency-key', key).send({ ...body, source: 'BRÅ' }), 422, 'IDEMPOTENCY_KEY.REUSED');
    });
  });
});
