import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { accepted, aGoal, aMeasure, anIncident, aPatrolVisit, aPlan, aReinforcement, draftPlanWithGoalAndMeasure, seedDanderyd, somePoliceStatistics } from './support/fixtures.js';
import { refusalsOf } from './support/problems.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * UUIDs are case-insensitive (RFC 9562) and stream names are not: every UUID a client sends, in a body
 * or a path, is lower-cased before it names anything, so AAAA… and aaaa… are one incident, not two.
 */
describe('UUIDs in either case', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDanderyd(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const refused = refusalsOf(() => t);
  /** A fresh UUID in upper case, and the lower-case id it names. */
  const anUpperCaseId = () => {
    const lower = randomUUID();
    return { upper: lower.toUpperCase(), lower };
  };

  it('names one incident, whichever case it is recorded, read or changed in', async () => {
    const { upper, lower } = anUpperCaseId();
    const recorded = await t.http().post('/incidents').send(anIncident({ incidentId: upper }));
    expect(recorded.status).toBe(201);
    expect(recorded.body.id).toBe(lower);
    expect(recorded.headers.location).toBe(`/incidents/${lower}`);
    await refused(() => t.http().post('/incidents').send(anIncident({ incidentId: lower })), 409, 'INCIDENT.ALREADY_RECORDED');

    const read = await t.http().get(`/incidents/${upper}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: lower, revision: '0' });

    const reclassified = await t.http().post(`/incidents/${upper}/classification`).send({ category: 'graffiti' });
    expect(reclassified.status).toBe(201);
    expect(reclassified.body).toMatchObject({ id: lower, revision: '1' });
    expect(reclassified.headers.location).toBe(`/incidents/${lower}`);

    const duplicate = await accepted(t, '/incidents', anIncident());
    await accepted(t, `/incidents/${duplicate.id.toUpperCase()}/retraction`, { reason: 'duplicate', duplicateOf: upper });
    const [, retraction] = await t.store.readStream(`incident-${duplicate.id}`);
    expect(retraction.data).toMatchObject({ reason: 'duplicate', duplicateOf: lower });
    expect(await t.store.readStream(`incident-${upper}`)).toEqual([]);
  });

  it('names one plan, goal and measure, in bodies, lists and paths', async () => {
    const plan = anUpperCaseId();
    const goal = anUpperCaseId();
    const measure = anUpperCaseId();
    expect((await accepted(t, '/action-plans', aPlan({ actionPlanId: plan.upper }))).id).toBe(plan.lower);
    await refused(() => t.http().post('/action-plans').send(aPlan({ actionPlanId: plan.lower })), 409, 'ACTION_PLAN.ALREADY_EXISTS');
    expect((await accepted(t, `/action-plans/${plan.upper}/goals`, aGoal({ goalId: goal.upper }))).id).toBe(goal.lower);
    await refused(() => t.http().post(`/action-plans/${plan.lower}/goals`).send(aGoal({ goalId: goal.lower })), 409, 'ACTION_PLAN.GOAL_EXISTS');
    const added = await accepted(t, `/action-plans/${plan.upper}/measures`, aMeasure({ measureId: measure.upper, goalIds: [goal.upper] }));
    expect(added.id).toBe(measure.lower);

    const read = await t.http().get(`/action-plans/${plan.upper}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: plan.lower,
      goals: [expect.objectContaining({ goalId: goal.lower })],
      measures: [expect.objectContaining({ measureId: measure.lower, goalIds: [goal.lower] })],
    });
    const progress = await t.http().get(`/action-plans/${plan.upper}/progress?consistentWith=${added.position}`);
    expect(progress.body).toMatchObject({ code: 'GOAL_PROGRESS.PLAN_NOT_ADOPTED', actionPlanId: plan.lower });
    const decisions = await t.http().get(`/audit/decisions?municipalityId=danderyd&actionPlanId=${plan.upper}&consistentWith=${added.position}`);
    expect(decisions.body.items.map((d: { actionPlanId: string }) => d.actionPlanId)).toEqual([plan.lower, plan.lower, plan.lower]);
  });

  it('names one guard reinforcement, in its own body, its path, a patrol visit and the query', async () => {
    const reinforcement = anUpperCaseId();
    const visit = anUpperCaseId();
    const { measureId } = await draftPlanWithGoalAndMeasure(t);
    const reinforced = await accepted(t, '/guard-reinforcements', aReinforcement({ reinforcementId: reinforcement.upper, measureId: measureId.toUpperCase() }));
    expect(reinforced.id).toBe(reinforcement.lower);
    expect((await accepted(t, '/patrol-visits', aPatrolVisit({ visitId: visit.upper, reinforcementId: reinforcement.upper }))).id).toBe(visit.lower);
    const ended = await accepted(t, `/guard-reinforcements/${reinforcement.upper}/end`, { endedOn: '2025-06-15' });
    expect(ended.id).toBe(reinforcement.lower);
    expect(await t.store.readStream(`guardreinforcement-${reinforcement.lower}`)).toHaveLength(2);

    const read = await t.http().get(`/guard-reinforcements/${reinforcement.upper}?consistentWith=${ended.position}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: reinforcement.lower, endedOn: '2025-06-15' });
    const listed = await t.http().get(`/guard-reinforcements?municipalityId=danderyd&measureId=${measureId.toUpperCase()}&consistentWith=${ended.position}`);
    expect(listed.body.items.map((item: { id: string; measureId: string }) => [item.id, item.measureId])).toEqual([[reinforcement.lower, measureId]]);
  });

  it('lower-cases the id of a police statistics import', async () => {
    const { upper, lower } = anUpperCaseId();
    expect((await accepted(t, '/police-statistics', somePoliceStatistics({ importId: upper }))).id).toBe(lower);
  });
});
