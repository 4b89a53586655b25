import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accepted, aGoal, anAgreedAction, anIncident, draftPlanWithGoalAndMeasure, seedDanderyd, SIGNATORIES } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The situation picture and goal progress over HTTP, read from their projections in the API process. */
describe('situation picture and goal progress over HTTP', () => {
  let t: TestApp;
  // 2024-05-06 starts a 14-day period (anchor 2021-01-04); it ends on Sunday 2024-05-19.
  const period = '2024-05-06';
  beforeAll(async () => {
    t = await startTestApp();
    await seedDanderyd(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the live figures, freezes them at publication, and lets a late report change only the live ones', async () => {
    await accepted(t, '/incidents', anIncident({ occurredAt: '2024-05-07T21:00:00+02:00', category: 'vandalism' }));
    await accepted(t, '/incidents', anIncident({ occurredAt: '2024-05-10T23:30:00+02:00', category: 'vandalism' }));
    // Just after local midnight that ends the period: it belongs to the next one.
    await accepted(t, '/incidents', anIncident({ occurredAt: '2024-05-20T00:10:00+02:00', category: 'graffiti' }));
    const graffiti = await accepted(t, '/incidents', anIncident({ occurredAt: '2024-05-19T23:50:00+02:00', category: 'graffiti' }));

    const live = await t.http().get(`/situation-pictures/danderyd/${period}?consistentWith=${graffiti.position}`);
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ municipalityId: 'danderyd', periodStart: period, periodEnd: '2024-05-19', total: 3, published: null });
    expect(live.body.byCategory).toMatchObject({ vandalism: 2, graffiti: 1 });

    const publication = await accepted(t, `/situation-pictures/danderyd/${period}/publication`, { agreedActions: [anAgreedAction()] });
    const late = await accepted(t, '/incidents', anIncident({ occurredAt: '2024-05-12T02:00:00+02:00', category: 'assault' }));

    const after = await t.http().get(`/situation-pictures/danderyd/${period}?consistentWith=${late.position}`);
    expect(after.status).toBe(200);
    expect(after.body.total).toBe(4);
    expect(after.body.byCategory).toMatchObject({ vandalism: 2, graffiti: 1, assault: 1 });
    expect(after.body.published).toMatchObject({ total: 3, agreedActions: [expect.objectContaining({ title: anAgreedAction().title })] });
    expect(after.body.published.byCategory.assault ?? 0).toBe(0);
    expect(after.body.published.publicationId).toBe(publication.id);
  });

  it('takes a correction made after publication out of the live figures of the incident’s period only', async () => {
    const earlier = '2024-03-25';
    const first = await accepted(t, '/incidents', anIncident({ occurredAt: '2024-03-26T21:00:00+01:00', category: 'vandalism', reportedAt: '2024-03-26T22:00:00+01:00' }));
    const second = await accepted(t, '/incidents', anIncident({ occurredAt: '2024-04-07T23:30:00+02:00', category: 'vandalism', reportedAt: '2024-04-12T08:00:00+02:00' }));
    await accepted(t, `/situation-pictures/danderyd/${earlier}/publication`, { agreedActions: [anAgreedAction()] });
    await accepted(t, `/incidents/${first.id}/classification`, { category: 'graffiti' });
    const retraction = await accepted(t, `/incidents/${second.id}/retraction`, { reason: 'recorded-in-error' });

    const picture = await t.http().get(`/situation-pictures/danderyd/${earlier}?consistentWith=${retraction.position}`);
    expect(picture.status).toBe(200);
    expect(picture.body).toMatchObject({ total: 1, byCategory: { graffiti: 1 }, dataQuality: { lateReports: 0, reclassifications: 1, retractions: 1 } });
    expect(picture.body.weekdayHour[6][23]).toBe(0);
    expect(picture.body.published).toMatchObject({ total: 2, byCategory: { vandalism: 2 }, dataQuality: { lateReports: 1, reclassifications: 0, retractions: 0 } });
    expect(picture.body.published.weekdayHour[6][23]).toBe(1);
    const next = await t.http().get(`/situation-pictures/danderyd/2024-04-08?consistentWith=${retraction.position}`);
    expect(next.body).toMatchObject({ total: 0, previous: { total: 1 }, dataQuality: { reclassifications: 0, retractions: 0 } });
  });

  it('answers a date that starts no period with 404 naming the start of its period', async () => {
    const response = await t.http().get('/situation-pictures/danderyd/2024-05-09');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'SITUATION_PICTURE.NOT_A_PERIOD_START', periodStart: period });
  });

  it('answers 404 for a municipality that is not registered, and the picture once it is', async () => {
    for (const path of ['/situation-pictures/nowhere/2024-05-06', '/situation-pictures/nowhere?from=2024-04-22&to=2024-05-19']) {
      const response = await t.http().get(path);
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ code: 'SITUATION_PICTURE.UNKNOWN_MUNICIPALITY', municipalityId: 'nowhere' });
    }
    // Lists filter by municipality: one with no entries (registered or not) is an empty list, not a 404.
    expect((await t.http().get('/incidents?municipalityId=nowhere')).body).toEqual({ items: [], nextCursor: null });
    expect((await t.http().get('/audit/decisions?municipalityId=nowhere')).body).toEqual({ items: [], nextCursor: null });

    // The refusal is not remembered: registered, it has a picture (of zeros).
    const registered = await accepted(t, '/municipalities', { municipalityId: 'nowhere', name: 'Ingenstans kommun' });
    const picture = await t.http().get(`/situation-pictures/nowhere/2024-05-06?consistentWith=${registered.position}`);
    expect(picture.status).toBe(200);
    expect(picture.body).toMatchObject({ municipalityId: 'nowhere', periodStart: '2024-05-06', total: 0 });
    expect((await t.http().get('/situation-pictures/nowhere?from=2024-04-22&to=2024-05-19')).status).toBe(200);
  });

  it('lists the periods between two dates, and names bad parameters', async () => {
    const list = await t.http().get('/situation-pictures/danderyd?from=2024-04-22&to=2024-05-19');
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { periodStart: string }) => item.periodStart)).toEqual(['2024-04-22', period]);
    const bad = await t.http().get('/situation-pictures/danderyd?from=yesterday&to=2024-05-19&colour=red');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'from']);
  });

  it('answers goal progress for an adopted plan, and 404 for a draft', async () => {
    const { actionPlanId, position } = await draftPlanWithGoalAndMeasure(t, {}, aGoal({ indicator: { kind: 'incident-count', categories: ['vandalism'] } }));
    const draft = await t.http().get(`/action-plans/${actionPlanId}/progress?consistentWith=${position}`);
    expect(draft.status).toBe(404);
    expect(draft.body.code).toBe('GOAL_PROGRESS.PLAN_NOT_ADOPTED');
    for (const role of SIGNATORIES) await accepted(t, `/action-plans/${actionPlanId}/signatures`, { role, name: `Signatory ${role}` });
    const adopted = await accepted(t, `/action-plans/${actionPlanId}/adoption`, {});
    const progress = await t.http().get(`/action-plans/${actionPlanId}/progress?consistentWith=${adopted.position}`);
    expect(progress.status).toBe(200);
    expect(progress.body).toMatchObject({ actionPlanId, municipalityId: 'danderyd', status: 'adopted' });
    expect(progress.body.goals).toHaveLength(1);
    expect(['on-track', 'off-track', 'achieved', 'inconclusive', 'no-data']).toContain(progress.body.goals[0].status);
    expect(progress.body.goals[0]).toMatchObject({ baseline: expect.objectContaining({ value: 120 }), target: expect.objectContaining({ value: 90 }) });
  });

  it('answers 404 for progress of a plan that does not exist', async () => {
    const response = await t.http().get('/action-plans/00000000-0000-4000-8000-000000000000/progress');
    expect(response.status).toBe(404);
  });
});
