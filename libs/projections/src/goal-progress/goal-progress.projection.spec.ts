import { describe, expect, it } from '@jest/globals';
import type { ActionPlanAdopted, ActionPlanDrafted, Goal, GoalAdded, IncidentRecorded, SurveyResultsRecorded } from '@app/domain';
import { project } from '../projection.js';
import { incident, inLog, type Logged, reclassified, retracted } from '../situation-picture/events.testing.js';
import { type DayDocument, dayDocumentId, type GoalProgressDocument, type PlanDocument, planDocumentId } from './goal-progress.documents.js';
import { goalProgressProjection } from './goal-progress.projection.js';
import { goalProgressDocumentIds, goalProgressView, goalStatus } from './goal-progress.query.js';

const projection = goalProgressProjection();
const plan = { actionPlanId: 'ap-1', municipalityId: 'danderyd' };
const drafted: ActionPlanDrafted = { type: 'ActionPlanDrafted', data: { ...plan, title: 'Handlingsplan 2025–2026', periodStart: '2025-01-01', periodEnd: '2026-12-31' } };
const adopted: ActionPlanAdopted = { type: 'ActionPlanAdopted', data: { ...plan, adoptedAt: '2024-12-15T10:00:00.000Z', contentRevision: 2 } };

/** A count goal measured over 30 days (2024-12-01 – 2024-12-30), to be reached by the end of 2025. */
const countGoal = (goal: Partial<Goal> = {}): GoalAdded => ({
  type: 'GoalAdded',
  data: {
    ...plan,
    goalId: 'g-burglary',
    title: 'Färre bostadsinbrott i Djursholm',
    indicator: { kind: 'incident-count', categories: ['burglary-residential'], areaIds: ['djursholm'], placeIds: null },
    baseline: { value: 20, from: '2024-12-01', to: '2024-12-30' },
    target: { value: 10, by: '2025-12-31' },
    direction: 'decrease',
    contentRevision: 1,
    voidsSignatures: [],
    ...goal,
  },
});

const surveyGoal = (goal: Partial<Goal> = {}): GoalAdded =>
  countGoal({
    goalId: 'g-unsafe',
    title: 'Färre känner sig otrygga',
    indicator: { kind: 'survey', indicator: 'unsafe-at-night', areaId: null },
    baseline: { value: 0.3, from: '2024-01-01', to: '2024-12-31' },
    target: { value: 0.2, by: '2026-12-31' },
    ...goal,
  });

const survey = (surveyId: string, year: number, value: number, respondents: number, kind: 'share' | 'mean' = 'share'): SurveyResultsRecorded => ({
  type: 'SurveyResultsRecorded',
  data: { surveyId, municipalityId: 'danderyd', areaId: null, year, results: [{ indicator: 'unsafe-at-night', value, respondents, kind }] },
});

/** Burglaries in Djursholm on the days of the window that ends 2025-02-28 (2025-01-30 – 2025-02-28). */
const burglaries = (n: number, data: Partial<IncidentRecorded['data']> = {}) =>
  Array.from({ length: n }, (_, i) => incident({ occurredAt: `2025-02-${String((i % 28) + 1).padStart(2, '0')}T12:00:00Z`, category: 'burglary-residential', areaId: 'djursholm', placeId: null, ...data }));

const now = new Date('2025-03-01T12:00:00Z');

function progress(events: Logged[], at = now) {
  const documents = project(projection, inLog(events));
  const planDocument = documents.get(planDocumentId('ap-1')) as PlanDocument | undefined;
  const ids = planDocument ? goalProgressDocumentIds(planDocument, at) : [];
  const fetched = new Map<string, GoalProgressDocument | undefined>(ids.map((id) => [id, documents.get(id)]));
  return goalProgressView(planDocument, fetched, at);
}

describe('goal progress: the plan', () => {
  it('answers only for an adopted plan', () => {
    expect(progress([drafted, countGoal()])).toBeNull();
    expect(progress([])).toBeNull();
    expect(progress([drafted, countGoal(), adopted])).toMatchObject({
      actionPlanId: 'ap-1',
      municipalityId: 'danderyd',
      title: 'Handlingsplan 2025–2026',
      periodStart: '2025-01-01',
      periodEnd: '2026-12-31',
      status: 'adopted',
      adoptedAt: '2024-12-15T10:00:00.000Z',
      asOf: '2025-03-01T12:00:00.000Z',
      goals: [{ goalId: 'g-burglary', baseline: { value: 20 }, target: { value: 10, by: '2025-12-31' }, direction: 'decrease' }],
    });
  });

  it('lists the documents its view reads: the days of each window and the surveys', () => {
    const documents = project(projection, inLog([drafted, countGoal(), surveyGoal(), adopted]));
    const ids = goalProgressDocumentIds(documents.get('ap-1') as PlanDocument, now);
    expect(ids.filter((id) => id.startsWith('day:'))).toHaveLength(30);
    expect(ids).toContain('day:danderyd:2025-01-30');
    expect(ids).toContain('day:danderyd:2025-02-28');
    expect(ids).not.toContain('day:danderyd:2025-03-01');
    expect(ids.filter((id) => id.startsWith('surveys:'))).toEqual(['surveys:danderyd:2025', 'surveys:danderyd:2026']);
    expect(ids).toHaveLength(30 + 2);
    expect(goalProgressDocumentIds(project(projection, inLog([drafted, countGoal()])).get('ap-1') as PlanDocument, now)).toEqual([]);
  });
});

describe('goal progress: incident counts', () => {
  it('counts the incidents of the goal over a window as long as the baseline, ending the day before now', () => {
    const view = progress([drafted, countGoal(), adopted, ...burglaries(8)]);
    expect(view?.goals[0]).toMatchObject({
      latest: { value: 8, from: '2025-01-30', to: '2025-02-28', respondents: null, interval: { low: 3.454, high: 15.763, method: 'poisson-exact' } },
      progress: 1.2,
      elapsed: 0.1616,
      status: 'inconclusive',
    });
  });

  it('cuts the window at local midnight and leaves out today', () => {
    const view = progress([
      drafted,
      countGoal(),
      adopted,
      ...burglaries(1, { occurredAt: '2025-01-29T23:30:00+01:00' }), // 29 January: before the window
      ...burglaries(1, { occurredAt: '2025-01-29T23:30:00Z' }), // 00:30 on 30 January: the first day
      ...burglaries(1, { occurredAt: '2025-02-28T22:59:59Z' }), // 23:59:59 on 28 February: the last
      ...burglaries(1, { occurredAt: '2025-02-28T23:00:00Z' }), // 1 March: today
    ]);
    expect(view?.goals[0].latest?.value).toBe(2);
  });

  it('counts what the goal names: its categories, in any of its areas or at any of its places', () => {
    const goal = countGoal({ indicator: { kind: 'incident-count', categories: ['burglary-residential', 'robbery'], areaIds: ['djursholm'], placeIds: ['morby-centrum'] } });
    const events = [
      ...burglaries(1), // in Djursholm
      ...burglaries(1, { areaId: 'centrala-danderyd', placeId: 'morby-centrum' }), // at the place
      ...burglaries(1, { category: 'robbery', areaId: 'djursholm', placeId: 'a-place-in-djursholm' }),
      ...burglaries(1, { areaId: 'stocksund' }), // elsewhere
      ...burglaries(1, { category: 'vandalism' }), // another category
      ...burglaries(1, { municipalityId: 'taby' }), // another municipality
    ];
    expect(progress([drafted, goal, adopted, ...events])?.goals[0].latest?.value).toBe(3);
    const everywhere = countGoal({ indicator: { kind: 'incident-count', categories: ['burglary-residential'], areaIds: null, placeIds: null } });
    expect(progress([drafted, everywhere, adopted, ...events])?.goals[0].latest?.value).toBe(3);
  });

  it('counts incidents recorded before the plan was drafted, late reports and nothing retracted', () => {
    const [kept, moved, dropped, joins] = [...burglaries(3), ...burglaries(1, { category: 'vandalism' })];
    const view = progress([kept, moved, dropped, joins, drafted, countGoal(), adopted, reclassified(moved as IncidentRecorded, 'drugs'), retracted(dropped as IncidentRecorded), reclassified(joins as IncidentRecorded, 'burglary-residential')]);
    expect(view?.goals[0].latest?.value).toBe(2);
  });

  it('applies corrections to the incident’s own day whenever they were recorded', () => {
    const [early, late] = burglaries(2);
    const view = progress([early, late, drafted, countGoal(), adopted, { ...retracted(early as IncidentRecorded), recordedAt: '2025-01-31T12:00:00Z' }, { ...reclassified(late as IncidentRecorded, 'robbery'), recordedAt: '2025-02-28T23:30:00Z' }]);
    expect(view?.goals[0].latest?.value).toBe(0);
  });

  it('names the day of the incident’s occurredAt for a correction, not the time it was recorded', () => {
    const [before] = burglaries(1, { occurredAt: '2025-01-29T23:30:00Z' }); // 00:30 on 30 January, local
    const [correction] = inLog([{ ...retracted(before as IncidentRecorded), recordedAt: '2026-05-01T12:00:00Z' }], 10n);
    expect(projection.keys(correction)).toEqual([dayDocumentId('danderyd', '2025-01-30')]);
  });

  it('moves the count on the incident’s day and keeps no document per incident or per time of recording', () => {
    const [a] = burglaries(1, { occurredAt: '2025-02-01T12:00:00Z', reportedAt: '2025-02-01T13:00:00Z' });
    const [b] = burglaries(1, { occurredAt: '2025-02-01T15:00:00Z', reportedAt: '2025-02-11T13:00:00Z' });
    const [c] = burglaries(1, { occurredAt: '2025-02-02T15:00:00Z', placeId: 'strandvagen' });
    const events: Logged[] = [
      drafted,
      countGoal(),
      adopted,
      a,
      { ...reclassified(a as IncidentRecorded, 'drugs'), recordedAt: '2025-02-10T12:00:00Z' },
      b,
      c,
      { ...retracted(c as IncidentRecorded), recordedAt: '2025-04-10T12:00:00Z' },
    ];
    const documents = project(projection, inLog(events));
    expect([...documents.keys()].sort()).toEqual(['ap-1', 'day:danderyd:2025-02-01', 'day:danderyd:2025-02-02']);
    expect((documents.get('day:danderyd:2025-02-01') as DayDocument).counts).toEqual({ 'burglary-residential|djursholm|': 1, 'drugs|djursholm|': 1 });
    expect((documents.get('day:danderyd:2025-02-02') as DayDocument).counts).toEqual({});
    expect(progress(events)?.goals[0].latest?.value).toBe(1);
  });

  it('ignores a correction of an incident that was never counted', () => {
    const [unknown] = burglaries(1);
    const documents = project(projection, inLog([reclassified(unknown as IncidentRecorded, 'drugs'), retracted(unknown as IncidentRecorded, 'drugs')]));
    expect(documents.size).toBe(0);
  });

  it('says no-data until the window reaches past the baseline', () => {
    const view = progress([drafted, countGoal(), adopted, ...burglaries(3)], new Date('2024-12-31T12:00:00Z'));
    expect(view?.goals[0]).toMatchObject({ latest: null, progress: null, elapsed: null, status: 'no-data' });
  });

  it.each([
    ['achieved', 20, 2, { progress: 1.8 }],
    ['inconclusive', 20, 8, { progress: 1.2 }],
    ['on-track', 40, 30, { progress: 0.3333 }],
    ['off-track', 40, 40, { progress: 0 }],
    ['off-track', 40, 45, { progress: -0.1667 }],
  ] as const)('is %s with a baseline of %d and %d in the window (target 10, 16 %% of the way)', (status, baseline, count, figures) => {
    const view = progress([drafted, countGoal({ baseline: { value: baseline, from: '2024-12-01', to: '2024-12-30' } }), adopted, ...burglaries(count)]);
    expect(view?.goals[0]).toMatchObject({ status, ...figures, elapsed: 0.1616 });
  });

  it('judges the window that ends at the target date once it has passed', () => {
    const view = progress([drafted, countGoal(), adopted, ...burglaries(2, { occurredAt: '2025-12-20T12:00:00Z' }), ...burglaries(9, { occurredAt: '2026-01-10T12:00:00Z' })], new Date('2026-06-01T00:00:00Z'));
    expect(view?.goals[0]).toMatchObject({ latest: { value: 2, from: '2025-12-02', to: '2025-12-31' }, elapsed: 1, status: 'achieved' });
  });

  it('does the same for a goal to increase', () => {
    const goal = countGoal({ direction: 'increase', baseline: { value: 5, from: '2024-12-01', to: '2024-12-30' }, target: { value: 15, by: '2025-12-31' } });
    expect(progress([drafted, goal, adopted, ...burglaries(30)])?.goals[0]).toMatchObject({ status: 'achieved', progress: 2.5 });
    expect(progress([drafted, goal, adopted, ...burglaries(12)])?.goals[0].status).toBe('inconclusive');
    expect(progress([drafted, goal, adopted, ...burglaries(0)])?.goals[0]).toMatchObject({ status: 'off-track', progress: -0.5 });
  });
});

describe('goal progress: surveys', () => {
  it('takes the latest survey after the baseline year, with a Wilson interval', () => {
    const view = progress([survey('s-2024', 2024, 0.3, 900), drafted, surveyGoal(), adopted, survey('s-2025', 2025, 0.25, 1000)]);
    expect(view?.goals[0]).toMatchObject({
      latest: { value: 0.25, from: '2025-01-01', to: '2025-12-31', respondents: 1000, interval: { low: 0.2242, high: 0.2778, method: 'wilson' } },
      progress: 0.5,
      elapsed: 0.5,
      status: 'on-track',
    });
  });

  it('says no-data with only the baseline survey, and inconclusive when few answered', () => {
    expect(progress([drafted, surveyGoal(), adopted, survey('s-2024', 2024, 0.3, 900)])?.goals[0].status).toBe('no-data');
    expect(progress([drafted, surveyGoal(), adopted, survey('s-2025', 2025, 0.25, 50)])?.goals[0].status).toBe('inconclusive');
    expect(progress([drafted, surveyGoal(), adopted, survey('s-2025', 2025, 0.15, 1000)])?.goals[0].status).toBe('achieved');
    expect(progress([drafted, surveyGoal(), adopted, survey('s-2025', 2025, 0.29, 5000)])?.goals[0].status).toBe('off-track');
  });

  it('lets a survey recorded again replace its result, and has no interval for a mean', () => {
    const view = progress([drafted, surveyGoal({ baseline: { value: 3.1, from: '2024-01-01', to: '2024-12-31' }, target: { value: 3.5, by: '2026-12-31' }, direction: 'increase' }), adopted, survey('s-2025', 2025, 3.2, 800, 'mean'), survey('s-2025', 2025, 3.3, 800, 'mean')]);
    expect(view?.goals[0]).toMatchObject({ latest: { value: 3.3, interval: null }, progress: 0.5, status: 'on-track' });
  });

  it('reads the survey of the goal’s area', () => {
    const areaGoal = surveyGoal({ indicator: { kind: 'survey', indicator: 'unsafe-at-night', areaId: 'djursholm' } });
    const inArea: SurveyResultsRecorded = { ...survey('s-2025-d', 2025, 0.1, 400), data: { ...survey('s-2025-d', 2025, 0.1, 400).data, areaId: 'djursholm' } };
    expect(progress([drafted, areaGoal, adopted, survey('s-2025', 2025, 0.25, 1000), inArea])?.goals[0].latest?.value).toBe(0.1);
  });
});

describe('goal progress: status rules', () => {
  const goal = { baseline: { value: 20, from: '2024-01-01', to: '2024-12-31' }, target: { value: 10, by: '2025-12-31' }, direction: 'decrease' as const };
  const value = (v: number, low: number, high: number) => ({ value: v, from: '', to: '', respondents: null, interval: { low, high, method: 'poisson-exact' as const } });
  it('calls a value whose interval touches the target but does not cross it achieved', () => {
    expect(goalStatus(goal, value(5, 1, 10), 1.5, 0.5)).toBe('achieved');
    expect(goalStatus(goal, value(5, 1, 10.01), 1.5, 0.5)).toBe('inconclusive');
    expect(goalStatus(goal, value(15, 10, 20), 0.5, 0.5)).toBe('on-track');
    expect(goalStatus(goal, value(15, 10, 20), 0.5, 0.51)).toBe('off-track');
    expect(goalStatus({ ...goal, target: { value: 20, by: '2025-12-31' } }, value(25, 21, 30), null, 0.5)).toBe('off-track');
  });
});

describe('goal progress: safe to run twice', () => {
  const [a, b, c] = burglaries(3);
  const events = [
    a,
    drafted,
    countGoal(),
    survey('s-2025', 2025, 0.25, 1000),
    surveyGoal(),
    adopted,
    b,
    reclassified(a as IncidentRecorded, 'drugs'),
    c,
    retracted(b as IncidentRecorded),
    retracted(a as IncidentRecorded, 'drugs'),
    survey('s-2025', 2025, 0.2, 1000),
  ];

  it('changes nothing when the same events come again', () => {
    const log = inLog(events);
    const once = project(projection, log);
    expect(project(projection, [...log, ...log])).toEqual(once);
    expect(project(projection, [...log.slice(0, 8), ...log.slice(2)])).toEqual(once);
    expect(JSON.parse(JSON.stringify(Object.fromEntries(once)))).toEqual(Object.fromEntries(once));
    expect(progress(events)?.goals.map((g) => g.latest?.value)).toEqual([1, 0.2]);
  });

  it('resumes from documents written part of the way', () => {
    const log = inLog(events);
    const once = project(projection, log);
    const halfway = JSON.parse(JSON.stringify(Object.fromEntries(project(projection, log.slice(0, 6)))));
    expect(project(projection, log.slice(4), new Map(Object.entries(halfway)))).toEqual(once);
  });
});
