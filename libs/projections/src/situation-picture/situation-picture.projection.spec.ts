import { describe, expect, it } from '@jest/globals';
import { addDays, type DomainEvent, type IncidentRecorded } from '@app/domain';
import { project } from '../projection.js';
import { incident, inLog, type Logged, policeStatistics, publication, reclassified, reinforced, retracted, visit } from './events.testing.js';
import {
  type PeriodDocument,
  periodDocumentId,
  type PublicationsDocument,
  publicationsDocumentId,
  type SituationPictureDocument,
} from './situation-picture.documents.js';
import { situationPictureProjection } from './situation-picture.projection.js';
import { situationPictureDocumentIds, situationPicturePeriod, situationPictureView } from './situation-picture.query.js';

const projection = situationPictureProjection();
const run = (events: Logged[]) => project(projection, inLog(events));
/** The view as the HTTP layer answers it: from the documents `situationPictureDocumentIds` names. */
function view(documents: ReadonlyMap<string, SituationPictureDocument | undefined>, periodStart: string, municipalityId = 'danderyd') {
  const ids = situationPictureDocumentIds(municipalityId, periodStart);
  return situationPictureView(new Map(ids.map((id) => [id, documents.get(id)])), municipalityId, periodStart);
}

/** An incident at 10:00 UTC (11:00 or 12:00 in Stockholm) on a day of a period. */
const on = (periodStart: string, day: number, data: Partial<IncidentRecorded['data']> = {}) => incident({ occurredAt: `${addDays(periodStart, day)}T10:00:00.000Z`, ...data });
const times = (n: number, make: (i: number) => DomainEvent) => Array.from({ length: n }, (_, i) => make(i));

describe('situation picture: the period of an incident', () => {
  it('cuts at local midnight when summer time has started (period 2021-03-15 ends 2021-03-28T22:00Z)', () => {
    const documents = run([
      incident({ occurredAt: '2021-03-28T21:59:59.999Z' }),
      incident({ occurredAt: '2021-03-28T23:30:00+02:00' }),
      incident({ occurredAt: '2021-03-28T22:00:00.000Z' }),
      // 23:30 the day before in winter time, but 00:30 on Monday 29 March in summer time.
      incident({ occurredAt: '2021-03-28T22:30:00.000Z' }),
    ]);
    const before = view(documents, '2021-03-15');
    const after = view(documents, '2021-03-29');
    expect([before.total, after.total]).toEqual([2, 2]);
    expect(before.weekdayHour[6][23]).toBe(2);
    expect(after.weekdayHour[0][0]).toBe(2);
    expect(after.periodEnd).toBe('2021-04-11');
  });

  it('takes a correction back from the period of the incident’s local date across the start of summer time', () => {
    const lastWinterHour = incident({ occurredAt: '2021-03-28T21:30:00.000Z', category: 'drugs' }); // Sunday 23:30 CEST: period 2021-03-15
    const firstMonday = incident({ occurredAt: '2021-03-28T22:30:00.000Z' }); // Monday 00:30 CEST: period 2021-03-29
    const documents = run([lastWinterHour, firstMonday, on('2021-03-29', 1), retracted(firstMonday), reclassified(lastWinterHour, 'assault')]);
    expect(view(documents, '2021-03-15')).toMatchObject({ total: 1, byCategory: { assault: 1 }, dataQuality: { reclassifications: 1, retractions: 0 } });
    expect(view(documents, '2021-03-15').weekdayHour[6][23]).toBe(1);
    expect(view(documents, '2021-03-29')).toMatchObject({ total: 1, dataQuality: { reclassifications: 0, retractions: 1 } });
    expect(view(documents, '2021-03-29').weekdayHour[0][0]).toBe(0);
  });

  it('cuts at local midnight on both sides of the end of summer time (period 2021-10-25 is 14 days and an hour)', () => {
    const documents = run([
      incident({ occurredAt: '2021-10-24T21:59:59.999Z' }), // Sunday 23:59:59 CEST: period 2021-10-11
      incident({ occurredAt: '2021-10-24T22:00:00.000Z' }), // Monday 00:00 CEST: period 2021-10-25
      incident({ occurredAt: '2021-10-31T00:30:00.000Z' }), // 02:30 CEST
      incident({ occurredAt: '2021-10-31T01:30:00.000Z' }), // 02:30 CET, the hour that comes twice
      incident({ occurredAt: '2021-11-07T23:30:00+01:00' }), // Sunday 23:30 CET: still period 2021-10-25
      incident({ occurredAt: '2021-11-07T23:00:00.000Z' }), // Monday 00:00 CET: period 2021-11-08
    ]);
    expect(view(documents, '2021-10-11').total).toBe(1);
    const period = view(documents, '2021-10-25');
    expect(period.total).toBe(4);
    expect(period.weekdayHour[0][0]).toBe(1);
    expect(period.weekdayHour[6][2]).toBe(2);
    expect(period.weekdayHour[6][23]).toBe(1);
    expect(view(documents, '2021-11-08').total).toBe(1);
  });

  it('takes a correction of the hour that comes twice back from hour 2', () => {
    const summer = incident({ occurredAt: '2021-10-31T00:30:00.000Z' }); // 02:30 CEST
    const winter = incident({ occurredAt: '2021-10-31T01:30:00.000Z' }); // 02:30 CET
    const documents = run([summer, winter, retracted(winter)]);
    expect(view(documents, '2021-10-25').weekdayHour[6][2]).toBe(1);
    expect(view(documents, '2021-10-25')).toMatchObject({ total: 1, dataQuality: { retractions: 1 } });
  });

  it('runs across a year end by local date (period 2021-12-20 – 2022-01-02)', () => {
    const documents = run([
      incident({ occurredAt: '2021-12-31T23:30:00.000Z' }), // 00:30 on New Year's Day
      incident({ occurredAt: '2022-01-02T22:59:59.999Z' }),
      incident({ occurredAt: '2022-01-02T23:00:00.000Z' }),
    ]);
    expect(view(documents, '2021-12-20')).toMatchObject({ periodEnd: '2022-01-02', total: 2 });
    expect(view(documents, '2021-12-20').weekdayHour[5][0]).toBe(1);
    expect(view(documents, '2022-01-03').total).toBe(1);
  });

  it('finds the period of a New Year’s night incident for a correction recorded in the next year', () => {
    const newYear = incident({ occurredAt: '2021-12-31T23:30:00.000Z', reportedAt: '2022-01-05T10:00:00.000Z' }); // late, and in period 2021-12-20
    const documents = run([newYear, on('2022-01-03', 0), { ...retracted(newYear), recordedAt: '2022-01-10T10:00:00.000Z' }]);
    expect(view(documents, '2021-12-20')).toMatchObject({ total: 0, byCategory: {}, dataQuality: { lateReports: 0, retractions: 1 } });
    expect(view(documents, '2021-12-20').weekdayHour[5][0]).toBe(0);
    expect(view(documents, '2022-01-03')).toMatchObject({ total: 1, dataQuality: { retractions: 0 }, previous: { total: 0 } });
  });

  it('counts a late report in the period it occurred in', () => {
    const documents = run([on('2021-03-29', 0), on('2021-04-12', 0), incident({ occurredAt: '2021-03-01T10:00:00Z', reportedAt: '2021-04-20T10:00:00Z' })]);
    expect(view(documents, '2021-03-01')).toMatchObject({ total: 1, dataQuality: { lateReports: 1 } });
  });
});

describe('situation picture: counts', () => {
  it('counts by category, area, place, source, weekday and hour, with data quality', () => {
    const documents = run([
      on('2021-03-01', 0, { category: 'vandalism', source: 'police' }),
      on('2021-03-01', 1, { category: 'vandalism', placeId: 'danderyds-sjukhus' }),
      on('2021-03-01', 2, { category: 'graffiti', areaId: 'djursholm', placeId: null }),
      on('2021-03-01', 3, { category: 'assault', areaId: null, placeId: null, source: 'citizen' }),
      // Exactly 72 hours is not late; a minute more is.
      incident({ occurredAt: '2021-03-05T10:00:00Z', reportedAt: '2021-03-08T10:00:00Z' }),
      incident({ occurredAt: '2021-03-05T10:00:00Z', reportedAt: '2021-03-08T10:01:00Z' }),
      on('2021-03-15', 0), // the next period
      incident({ occurredAt: '2021-03-02T10:00:00Z', municipalityId: 'taby', areaId: 'enebyberg', placeId: null }),
    ]);
    const picture = view(documents, '2021-03-01');
    expect(picture).toMatchObject({
      municipalityId: 'danderyd',
      periodStart: '2021-03-01',
      periodEnd: '2021-03-14',
      total: 6,
      byCategory: { vandalism: 4, graffiti: 1, assault: 1 },
      byArea: { 'centrala-danderyd': 4, djursholm: 1 },
      byPlace: { 'danderyds-sjukhus': 1, 'morby-centrum': 3 },
      dataQuality: { incidents: 6, withoutPlace: 2, withoutArea: 1, lateReports: 1, lateReportHours: 72, reclassifications: 0, retractions: 0 },
    });
    expect(Object.keys(picture.byCategory)).toEqual(['assault', 'vandalism', 'graffiti']);
    expect(picture.sources.map(({ source, count, silent }) => ({ source, count, silent }))).toEqual([
      { source: 'police', count: 1, silent: false },
      { source: 'security-guards', count: 4, silent: false },
      { source: 'citizen', count: 1, silent: false },
    ]);
    // 2021-03-01 is a Monday; 10:00 UTC is 11:00 in winter time.
    expect(picture.weekdayHour[0][11]).toBe(1);
    expect(picture.weekdayHour[4][11]).toBe(2);
    expect(picture.weekdayHour.flat().reduce((a, b) => a + b)).toBe(6);
    expect(view(documents, '2021-03-01', 'taby')).toMatchObject({ total: 1, byArea: { enebyberg: 1 } });
  });

  it('answers zeros for a period without events', () => {
    const picture = view(new Map(), '2021-03-01');
    expect(picture).toMatchObject({ total: 0, byCategory: {}, hotspots: [], sources: [], reinforcements: [], policeStatistics: [], published: null });
    expect(picture.previous).toMatchObject({ periodStart: '2021-02-15', periodEnd: '2021-02-28', total: 0, change: 0, changePercent: null });
  });
});

describe('situation picture: reclassification and retraction', () => {
  const vandalism = on('2021-03-01', 0, { category: 'vandalism' });
  const graffiti = on('2021-03-01', 1, { category: 'graffiti', placeId: 'danderyds-sjukhus' });

  it('moves an incident between categories and takes a retracted one out of every count', () => {
    const documents = run([vandalism, graffiti, on('2021-03-15', 0), reclassified(vandalism, 'graffiti'), retracted(graffiti)]);
    expect(view(documents, '2021-03-01')).toMatchObject({
      total: 1,
      byCategory: { graffiti: 1 },
      byArea: { 'centrala-danderyd': 1 },
      byPlace: { 'morby-centrum': 1 },
      dataQuality: { reclassifications: 1, retractions: 1 },
    });
    expect(view(documents, '2021-03-01').sources).toEqual([expect.objectContaining({ source: 'security-guards', count: 1 })]);
    expect(view(documents, '2021-03-15').total).toBe(1);
  });

  it('undoes exactly what a reclassified incident contributes when it is then retracted', () => {
    const late = on('2021-03-01', 2, { reportedAt: '2021-03-20T10:00:00Z', placeId: null });
    const documents = run([vandalism, late, reclassified(late, 'drugs'), reclassified(late, 'assault', 'drugs'), retracted(late, 'assault')]);
    expect(view(documents, '2021-03-01')).toMatchObject({
      total: 1,
      byCategory: { vandalism: 1 },
      dataQuality: { withoutPlace: 0, lateReports: 0, reclassifications: 2, retractions: 1 },
    });
  });

  it('ignores a correction of an incident that was never counted', () => {
    const unknown = on('2021-03-15', 3);
    const documents = run([vandalism, reclassified(unknown, 'drugs'), retracted(unknown)]);
    expect(documents.has(periodDocumentId('danderyd', '2021-03-15'))).toBe(false);
    expect(view(documents, '2021-03-01')).toMatchObject({ total: 1, dataQuality: { reclassifications: 0, retractions: 0 } });
  });
});

describe('situation picture: corrections of an earlier period', () => {
  it('names the period of the incident’s occurredAt, however long after it the correction is recorded', () => {
    const old = on('2021-03-01', 0, { reportedAt: '2021-03-01T12:00:00Z' });
    const [correction] = inLog([{ ...reclassified(old, 'drugs'), recordedAt: '2025-11-30T12:00:00Z' }], 10n);
    expect(projection.keys(correction)).toEqual([periodDocumentId('danderyd', '2021-03-01')]);
  });

  it('changes only the period the incident occurred in, even when recorded years later or by a clock running early', () => {
    const old = on('2021-03-01', 0, { reportedAt: '2021-03-01T12:00:00Z' });
    const skewed = on('2021-03-15', 0, { reportedAt: '2021-03-15T12:00:00Z' });
    const documents = run([
      old,
      skewed,
      on('2021-03-29', 0),
      { ...reclassified(old, 'drugs'), recordedAt: '2025-11-30T12:00:00Z' },
      { ...retracted(skewed), recordedAt: '2021-03-10T12:00:00Z' },
    ]);
    // One tally per period and nothing else: no document per incident, none per time of recording.
    expect([...documents.keys()].sort()).toEqual(['danderyd:2021-03-01', 'danderyd:2021-03-15', 'danderyd:2021-03-29']);
    expect(view(documents, '2021-03-01')).toMatchObject({ total: 1, byCategory: { drugs: 1 }, dataQuality: { reclassifications: 1 } });
    expect(view(documents, '2021-03-15')).toMatchObject({ total: 0, dataQuality: { retractions: 1 } });
    expect(view(documents, '2021-03-29')).toMatchObject({ total: 1, previous: { total: 0, change: 1 }, dataQuality: { reclassifications: 0, retractions: 0 } });
  });

  it('keeps the tally of an earlier period net of every correction, as stored', () => {
    const first = on('2021-03-01', 0, { reportedAt: '2021-03-20T10:00:00Z' });
    const documents = run([
      first,
      on('2021-03-15', 0),
      { ...reclassified(first, 'drugs'), recordedAt: '2021-03-21T10:00:00Z' },
      on('2021-03-01', 3, { reportedAt: '2021-03-23T10:00:00Z' }),
      { ...retracted(first, 'drugs'), recordedAt: '2021-04-22T10:00:00Z' },
    ]);
    const tally = (documents.get(periodDocumentId('danderyd', '2021-03-01')) as PeriodDocument).tally;
    expect(tally).toMatchObject({ total: 1, byCategory: { vandalism: 1 }, bySource: { 'security-guards': 1 }, lateReports: 1, reclassifications: 1, retractions: 1 });
    expect(tally.weekdayHour.reduce((a, b) => a + b)).toBe(1);
    expect(view(documents, '2021-03-15')).toMatchObject({ total: 1, previous: { total: 1 }, dataQuality: { reclassifications: 0, retractions: 0 } });
  });
});

describe('situation picture: comparisons', () => {
  it('compares with the previous period, the period 364 days earlier and the mean of the previous 12', () => {
    const documents = run([
      ...times(6, (i) => on('2022-01-03', i, { category: i < 4 ? 'vandalism' : 'drugs' })),
      ...times(3, (i) => on('2021-12-20', i)),
      ...times(2, (i) => on('2021-10-25', i, { category: 'drugs' })),
      on('2021-07-19', 0), // P−12, the oldest period of the baseline
      on('2021-07-05', 0), // P−13: not in it
      ...times(2, (i) => on('2021-01-04', i)), // P−26
    ]);
    const picture = view(documents, '2022-01-03');
    expect(picture.previous).toMatchObject({ periodStart: '2021-12-20', periodEnd: '2022-01-02', total: 3, change: 3, changePercent: 100, byCategory: { vandalism: 3 } });
    expect(picture.lastYear).toMatchObject({ periodStart: '2021-01-04', periodEnd: '2021-01-17', total: 2, change: 4, changePercent: 200 });
    expect(picture.baseline).toMatchObject({
      periods: 12,
      periodsWithData: 3,
      periodStart: '2021-07-19',
      periodEnd: '2022-01-02',
      total: 0.5,
      byCategory: { vandalism: 0.33, drugs: 0.17 },
      change: 5.5,
      changePercent: 1100,
    });
  });

  it('works out the change against the mean of the 12 from the exact mean, not the rounded one shown', () => {
    // One incident in twelve periods: the mean is 1/12, shown as 0.08; (1 − 1/12) ÷ (1/12) = 11.
    const picture = view(run([on('2021-12-20', 0), on('2022-01-03', 0)]), '2022-01-03');
    expect(picture.baseline).toMatchObject({ total: 0.08, change: 0.92, changePercent: 1100 });
  });

  it('compares net of corrections in the neighbouring periods', () => {
    const earlier = on('2021-02-15', 0);
    const documents = run([earlier, on('2021-02-15', 1), on('2021-03-01', 0), retracted(earlier)]);
    expect(view(documents, '2021-03-01').previous).toMatchObject({ total: 1, change: 0, changePercent: 0 });
  });
});

describe('situation picture: hotspots', () => {
  const P = '2021-07-05';
  const back = (n: number) => addDays(P, -14 * n);
  const at = (place: string, periodStart: string, n: number) => times(n, (i) => on(periodStart, i % 14, { placeId: place, areaId: `area-${place}` }));

  const documents = run([
    ...at('a', P, 4), // new: 4 now, none before
    ...[1, 2, 3, 4, 5, 6].flatMap((n) => at('b', back(n), 1)),
    ...at('b', P, 4), // emerging: 4 ≥ 2 × mean 1
    ...at('c', back(2), 3),
    ...at('c', back(1), 3),
    ...at('c', P, 3), // persistent (3, 3, 3), too few now to emerge
    ...at('d', P, 3), // 3 now and nothing before: below every threshold
    ...[1, 2, 3, 4, 5, 6].flatMap((n) => at('e', back(n), 3)),
    ...at('e', P, 5), // persistent, not emerging: 5 < 2 × mean 3
    ...at('f', back(1), 1),
    ...at('f', P, 8), // new? no: one the period before. Emerging: 8 ≥ 2 × 1/6
    ...at('g', back(7), 5),
    ...at('g', P, 4), // new: the period 7 back is outside the 6 looked at
  ]);
  const hotspots = view(documents, P).hotspots;
  const places = hotspots.filter((h) => h.level === 'place').map(({ kind, id }) => `${kind} ${id}`);

  it('finds new, emerging and persistent places, each with the rule that made it one', () => {
    expect(places).toEqual(['new a', 'new g', 'emerging f', 'emerging b', 'persistent e', 'persistent c']);
    expect(hotspots.find((h) => h.kind === 'emerging' && h.id === 'b')).toEqual({
      kind: 'emerging',
      level: 'place',
      id: 'b',
      count: 4,
      previous: [1, 1, 1, 1, 1, 1],
      rule: 'emerging: 4 incidents this period (at least 4), at least 2 × the mean of the 6 periods before (1)',
    });
    expect(hotspots.find((h) => h.kind === 'new' && h.id === 'a')?.rule).toBe('new: 4 incidents this period (at least 4) and none in the 6 periods before');
    expect(hotspots.find((h) => h.kind === 'persistent' && h.id === 'c')?.rule).toBe(
      'persistent: at least 3 incidents in each of the last 3 periods (3, 3, 3, the latest last)',
    );
  });

  it('applies the same rules to areas', () => {
    expect(hotspots.filter((h) => h.level === 'area').map(({ kind, id }) => `${kind} ${id}`)).toEqual(places.map((p) => p.replace(' ', ' area-')));
  });

  it('stops calling a place a hotspot when a retraction takes it below the threshold', () => {
    const a = at('a', P, 4);
    const after = run([...a, retracted(a[0] as IncidentRecorded)]);
    expect(view(after, P).hotspots).toEqual([]);
  });
});

describe('situation picture: sources', () => {
  const P = '2021-07-05';
  const back = (n: number) => addDays(P, -14 * n);
  it('warns about a source that reported in at least 3 of the previous 6 periods and not in this one', () => {
    const documents = run([
      ...[1, 3, 5].map((n) => on(back(n), 0, { source: 'school' })),
      ...[1, 2].map((n) => on(back(n), 0, { source: 'citizen' })),
      on(back(7), 0, { source: 'housing-company' }),
      on(P, 0, { source: 'police' }),
    ]);
    expect(view(documents, P).sources).toEqual([
      { source: 'police', count: 1, previous: [0, 0, 0, 0, 0, 0], periodsReporting: 0, silent: false, warning: null },
      {
        source: 'school',
        count: 0,
        previous: [1, 0, 1, 0, 1, 0],
        periodsReporting: 3,
        silent: true,
        warning: 'school reported in 3 of the 6 previous periods and not in this one: no reports is not the same as no incidents',
      },
      { source: 'citizen', count: 0, previous: [1, 1, 0, 0, 0, 0], periodsReporting: 2, silent: false, warning: null },
    ]);
  });
});

describe('situation picture: guard reinforcements', () => {
  it('lists reinforcements running in the period with planned hours (ended early honoured) and logged hours', () => {
    const documents = run([
      reinforced({ from: '2021-03-10', to: '2021-06-30', hoursPerWeek: 21 }),
      reinforced({ reinforcementId: 'r-2', from: '2021-01-04', to: '2021-03-07', hoursPerWeek: 10 }),
      visit('2021-03-16T18:00:00Z', '2021-03-16T20:00:00Z', { guards: 2 }),
      visit('2021-03-17T18:00:00Z', '2021-03-17T19:30:00Z'),
      visit('2021-03-17T18:00:00Z', '2021-03-17T19:30:00Z', { reinforcementId: null }),
      { type: 'GuardReinforcementEnded', data: { reinforcementId: 'r-1', municipalityId: 'danderyd', endedOn: '2021-03-20', reason: 'Budget', measureId: null, actionPlanId: null } },
    ]);
    expect(view(documents, '2021-03-01').reinforcements.map(({ reinforcementId, daysInPeriod, plannedHours }) => ({ reinforcementId, daysInPeriod, plannedHours }))).toEqual([
      { reinforcementId: 'r-1', daysInPeriod: 5, plannedHours: 15 },
      { reinforcementId: 'r-2', daysInPeriod: 7, plannedHours: 10 },
    ]);
    expect(view(documents, '2021-03-15').reinforcements).toEqual([
      {
        reinforcementId: 'r-1',
        placeIds: ['morby-centrum'],
        provider: 'Securitas',
        fundedBy: 'Trygghetssatsning 2021',
        measureId: null,
        actionPlanId: null,
        from: '2021-03-10',
        to: '2021-06-30',
        endedOn: '2021-03-20',
        hoursPerWeek: 21,
        daysInPeriod: 6,
        plannedHours: 18,
        loggedHours: 3.5,
        loggedGuardHours: 5.5,
        visits: 2,
      },
    ]);
    expect(view(documents, '2021-03-29').reinforcements).toEqual([]);
  });
});

describe('situation picture: police statistics', () => {
  it('shows the imports overlapping the period, a re-import replacing what it supersedes', () => {
    const month = policeStatistics({ importId: 's-1', periodStart: '2021-03-01', periodEnd: '2021-03-31' });
    const again = policeStatistics({ importId: 's-2', periodStart: '2021-03-01', periodEnd: '2021-03-31', supersedes: 's-1', counts: [{ braCategory: 'Skadegörelse', count: 14 }, { braCategory: 'Rån', count: 1 }] });
    const area = policeStatistics({ importId: 's-3', areaId: 'djursholm', periodStart: '2021-03-01', periodEnd: '2021-03-14' });
    const documents = run([month, area, again]);
    expect(view(documents, '2021-03-01').policeStatistics.map(({ importId, areaId, total }) => ({ importId, areaId, total }))).toEqual([
      { importId: 's-2', areaId: null, total: 15 },
      { importId: 's-3', areaId: 'djursholm', total: 12 },
    ]);
    expect(view(documents, '2021-03-29').policeStatistics).toEqual([
      { importId: 's-2', areaId: null, periodStart: '2021-03-01', periodEnd: '2021-03-31', source: 'Polisen', counts: again.data.counts, total: 15 },
    ]);
    expect(view(documents, '2021-04-12').policeStatistics).toEqual([]);
  });
});

describe('situation picture: publication', () => {
  const first = on('2021-03-01', 0);
  const publish = publication({ publicationId: 'pub-1', periodStart: '2021-03-01', position: '3', publishedAt: '2021-03-16T09:00:00.000Z' });

  it('freezes the figures at the publication; late reports and corrections change only the live ones', () => {
    const events = [first, on('2021-03-01', 1, { category: 'drugs' }), on('2021-02-15', 0), publish, on('2021-03-01', 2, { reportedAt: '2021-03-20T10:00:00Z' }), on('2021-02-15', 1), retracted(first)];
    const documents = run(events);
    const picture = view(documents, '2021-03-01');
    expect(picture).toMatchObject({ total: 2, byCategory: { vandalism: 1, drugs: 1 }, previous: { total: 2 }, dataQuality: { lateReports: 1, retractions: 1 } });
    expect(picture.published).toMatchObject({
      publicationId: 'pub-1',
      publishedAt: '2021-03-16T09:00:00.000Z',
      position: '3',
      frozenAtPosition: '4',
      corrects: null,
      agreedActions: publish.data.agreedActions,
      municipalityId: 'danderyd',
      periodStart: '2021-03-01',
      total: 2,
      byCategory: { vandalism: 1, drugs: 1 },
      previous: { total: 1, change: 1 },
      dataQuality: { lateReports: 0, retractions: 0 },
    });
    expect(picture.published).not.toHaveProperty('published');
  });

  it('keeps the frozen figures when an incident of the period, or of the period before, is corrected after publication', () => {
    const before = on('2021-02-15', 0);
    const events = [first, on('2021-03-01', 1, { category: 'drugs' }), before, publish, reclassified(first, 'graffiti'), retracted(before)];
    const picture = view(run(events), '2021-03-01');
    expect(picture).toMatchObject({ total: 2, byCategory: { drugs: 1, graffiti: 1 }, previous: { total: 0 }, dataQuality: { reclassifications: 1 } });
    expect(picture.published).toMatchObject({ total: 2, byCategory: { vandalism: 1, drugs: 1 }, previous: { total: 1 }, dataQuality: { reclassifications: 0 } });
    expect(view(run(events), '2021-02-15')).toMatchObject({ total: 0, dataQuality: { retractions: 1 } });
  });

  it('shares no object with the live documents or the event: the frozen figures are not changed through them', () => {
    const logged = inLog([first, publish]);
    const documents = project(projection, logged);
    const frozen = view(documents, '2021-03-01').published!;
    const expected = structuredClone(frozen);
    // What a later reader might change in place: the live tally, the live view, the event it was frozen from.
    const period = documents.get('danderyd:2021-03-01');
    if (period?.kind === 'period') period.tally.byCategory.vandalism = 99;
    const live = view(documents, '2021-03-01');
    live.byCategory.vandalism = 98;
    live.weekdayHour[0][0] = 97;
    (logged[1].data as { agreedActions: Array<{ title: string }> }).agreedActions[0].title = 'changed';
    expect(view(documents, '2021-03-01').published).toEqual(expected);
  });

  it('replaces the figures in force with a correction and keeps the history', () => {
    const correction = publication({ publicationId: 'pub-2', periodStart: '2021-03-01', position: '5', corrects: 'pub-1', publishedAt: '2021-03-30T09:00:00.000Z' });
    const documents = run([first, publish, on('2021-03-01', 3), retracted(first), correction]);
    const picture = view(documents, '2021-03-01');
    expect(picture.published).toMatchObject({ publicationId: 'pub-2', corrects: 'pub-1', total: 1, frozenAtPosition: '5' });
    expect(picture.publications).toEqual([
      { publicationId: 'pub-1', publishedAt: '2021-03-16T09:00:00.000Z', position: '3', frozenAtPosition: '2', corrects: null },
      { publicationId: 'pub-2', publishedAt: '2021-03-30T09:00:00.000Z', position: '5', frozenAtPosition: '5', corrects: 'pub-1' },
    ]);
    expect((documents.get(publicationsDocumentId('danderyd', '2021-03-01')) as PublicationsDocument).items).toHaveLength(2);
  });

  it('publishes a period without incidents as zeros', () => {
    const documents = run([publication({ periodStart: '2021-03-01' })]);
    expect(view(documents, '2021-03-01').published).toMatchObject({ total: 0, hotspots: [] });
  });
});

describe('situation picture: safe to run twice', () => {
  const vandalism = on('2021-03-01', 0);
  const events: DomainEvent[] = [
    vandalism,
    on('2021-03-01', 1, { source: 'school' }),
    on('2021-02-15', 2),
    reinforced(),
    visit('2021-03-02T18:00:00Z', '2021-03-02T20:00:00Z'),
    policeStatistics({ importId: 's-1' }),
    publication({ publicationId: 'pub-1', periodStart: '2021-03-01' }),
    reclassified(vandalism, 'drugs'),
    policeStatistics({ importId: 's-2', supersedes: 's-1' }),
    { type: 'GuardReinforcementEnded', data: { reinforcementId: 'r-1', municipalityId: 'danderyd', endedOn: '2021-03-05', reason: null } },
    on('2021-03-01', 4, { reportedAt: '2021-04-01T00:00:00Z' }),
    retracted(vandalism, 'drugs'),
  ];

  it('changes nothing when the same events come again', () => {
    const log = inLog(events);
    const once = project(projection, log);
    expect(project(projection, [...log, ...log])).toEqual(once);
    expect(project(projection, [...log.slice(0, 7), ...log.slice(0, 9), ...log.slice(5)])).toEqual(once);
  });

  it('resumes from documents written part of the way', () => {
    const log = inLog(events);
    const once = project(projection, log);
    const halfway = JSON.parse(JSON.stringify(Object.fromEntries(project(projection, log.slice(0, 6)))));
    expect(project(projection, log.slice(3), new Map(Object.entries(halfway)))).toEqual(once);
  });

  it('keeps documents JSON as they are', () => {
    const documents = project(projection, inLog(events));
    expect(JSON.parse(JSON.stringify(Object.fromEntries(documents)))).toEqual(Object.fromEntries(documents));
  });
});

describe('situation picture: settings and the HTTP helpers', () => {
  it('cuts periods from another anchor and time zone', () => {
    const shifted = situationPictureProjection({ anchor: '2021-01-11', timeZone: 'UTC' });
    const documents = project(shifted, inLog([incident({ occurredAt: '2021-01-10T23:30:00Z' }), incident({ occurredAt: '2021-01-11T00:30:00Z' })]));
    expect(situationPictureView(documents, 'danderyd', '2020-12-28', { anchor: '2021-01-11', timeZone: 'UTC' }).total).toBe(1);
    expect(situationPictureView(documents, 'danderyd', '2021-01-11', { anchor: '2021-01-11', timeZone: 'UTC' }).weekdayHour[0][0]).toBe(1);
    expect(() => situationPictureProjection({ anchor: '2021-01-12' })).toThrow(RangeError);
  });

  it('names the start of the period that holds a date', () => {
    expect(situationPicturePeriod('2021-03-20')).toEqual({ periodStart: '2021-03-15', periodEnd: '2021-03-28', isPeriodStart: false });
    expect(situationPicturePeriod('2021-03-15').isPeriodStart).toBe(true);
    expect(() => situationPicturePeriod('2021-02-30')).toThrow(RangeError);
    expect(() => situationPictureView(new Map(), 'danderyd', '2021-03-20')).toThrow(RangeError);
  });

  it('lists every document the view reads', () => {
    const ids = situationPictureDocumentIds('danderyd', '2022-01-03');
    expect(ids.slice(0, 3)).toEqual(['danderyd:2022-01-03', 'danderyd:2021-12-20', 'danderyd:2021-12-06']);
    expect(ids).toContain('danderyd:2021-01-04');
    expect(ids).toEqual(expect.arrayContaining(['patrols:danderyd:2022-01-03', 'police-statistics:danderyd:2022-01-03', 'publications:danderyd:2022-01-03', 'reinforcements:danderyd:0', 'reinforcements:danderyd:15']));
    expect(ids).toHaveLength(1 + 12 + 1 + 3 + 16);
    expect(() => situationPictureDocumentIds('danderyd', '2022-01-04')).toThrow(RangeError);
  });
});
