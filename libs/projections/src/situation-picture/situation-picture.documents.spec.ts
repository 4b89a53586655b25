import { describe, expect, it } from '@jest/globals';
import { countIncident, emptyTally, reclassify, retract, type Tally, tallyKinds, TallyNames, WEEKDAY_HOURS } from './situation-picture.documents.js';

const { CATEGORY, AREA, PLACE, SOURCE } = tallyKinds;

describe('TallyNames: a tally in one vector', () => {
  it('counts an incident in, reclassifies and retracts, and stores the tally as emptyTally lays it out', () => {
    const names = new TallyNames();
    const tally = names.counting();
    const incident = (category: string, area: string | null, place: string | null, cell: number, late = false) => ({
      category: names.indexOf(CATEGORY, category),
      area: area === null ? -1 : names.indexOf(AREA, area),
      place: place === null ? -1 : names.indexOf(PLACE, place),
      source: names.indexOf(SOURCE, 'police'),
      cell,
      late,
    });
    countIncident(tally, incident('vandalism', 'djursholm', 'morby-centrum', 0), 1);
    countIncident(tally, incident('vandalism', 'djursholm', null, 5, true), 1);
    countIncident(tally, incident('assault', null, null, WEEKDAY_HOURS - 1), 1);
    reclassify(tally, names.indexOf(CATEGORY, 'vandalism'), names.indexOf(CATEGORY, 'graffiti'));
    retract(tally, incident('assault', null, null, WEEKDAY_HOURS - 1));

    const expected: Tally = {
      ...emptyTally(),
      total: 2,
      byCategory: { vandalism: 1, graffiti: 1 },
      byArea: { djursholm: 2 },
      byPlace: { 'morby-centrum': 1 },
      bySource: { police: 2 },
      withoutPlace: 1,
      withoutArea: 0,
      lateReports: 1,
      reclassifications: 1,
      retractions: 1,
    };
    expected.weekdayHour[0] = 1;
    expected.weekdayHour[5] = 1;
    const stored = names.stored(tally);
    expect(stored).toEqual(expected);
    // In emptyTally's order, as a stored tally always was; no assault (its count came back to zero).
    expect(Object.keys(stored)).toEqual(Object.keys(emptyTally()));
    expect(Object.keys(stored.byCategory)).toEqual(['vandalism', 'graffiti']);
  });

  it('takes a stored tally back, also into the names of another projection, and counts on', () => {
    const first = new TallyNames();
    const tally = first.counting();
    countIncident(tally, { category: first.indexOf(CATEGORY, 'drugs'), area: -1, place: -1, source: first.indexOf(SOURCE, 'school'), cell: 30, late: false }, 1);
    const stored = JSON.parse(JSON.stringify(first.stored(tally))) as Tally;

    const second = new TallyNames();
    second.indexOf(SOURCE, 'citizen');
    const again = second.counting(stored);
    expect(second.stored(again)).toEqual(stored);
    countIncident(again, { category: second.indexOf(CATEGORY, 'drugs'), area: -1, place: -1, source: second.indexOf(SOURCE, 'citizen'), cell: 30, late: false }, 1);
    expect(second.stored(again)).toMatchObject({ total: 2, byCategory: { drugs: 2 }, bySource: { school: 1, citizen: 1 }, withoutArea: 2, withoutPlace: 2 });
    expect(second.stored(again).weekdayHour[30]).toBe(2);
  });

  it('refuses a stored count that is not a count', () => {
    expect(() => new TallyNames().counting({ ...emptyTally(), total: 0.5 })).toThrow('count total is 0.5');
    expect(() => new TallyNames().counting({ ...emptyTally(), byPlace: { x: Number.NaN } })).toThrow(RangeError);
  });
});
