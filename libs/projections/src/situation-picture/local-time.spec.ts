import { describe, expect, it } from '@jest/globals';
import { localDateOf, periodOf } from '@app/domain';
import { daysBetween, instantMs, isoDateOfDay, localDayAt, localTimeOf, periodLookup, periodStartDayLookup, weekHourAt } from './local-time.js';

const hourFormats = new Map<string, Intl.DateTimeFormat>();
const hourIn = (ms: number, timeZone: string) => {
  if (!hourFormats.has(timeZone)) hourFormats.set(timeZone, new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }));
  return Number(hourFormats.get(timeZone)!.format(ms)) % 24;
};

describe('localTimeOf', () => {
  it('agrees with periods.ts and Intl on every 97th minute of 2021 in Stockholm', () => {
    const from = Date.parse('2021-01-01T00:00:00Z');
    const to = Date.parse('2022-01-01T00:00:00Z');
    for (let ms = from; ms < to; ms += 97 * 60_000 + 13_000) {
      const local = localTimeOf(ms, 'Europe/Stockholm')!;
      expect(local.date).toBe(localDateOf(new Date(ms), 'Europe/Stockholm'));
      expect(local.hour).toBe(hourIn(ms, 'Europe/Stockholm'));
    }
  });

  it('cuts the days at local midnight in summer and winter time', () => {
    expect(localTimeOf(Date.parse('2021-03-28T21:59:59.999Z'), 'Europe/Stockholm')).toEqual({ date: '2021-03-28', weekday: 6, hour: 23 });
    expect(localTimeOf(Date.parse('2021-03-28T22:00:00.000Z'), 'Europe/Stockholm')).toEqual({ date: '2021-03-29', weekday: 0, hour: 0 });
    expect(localTimeOf(Date.parse('2021-11-07T22:59:59.999Z'), 'Europe/Stockholm')).toEqual({ date: '2021-11-07', weekday: 6, hour: 23 });
    expect(localTimeOf(Date.parse('2021-11-07T23:00:00.000Z'), 'Europe/Stockholm')).toEqual({ date: '2021-11-08', weekday: 0, hour: 0 });
  });

  it('skips 02:00 when summer time starts and has 02:00 twice when it ends', () => {
    expect(localTimeOf(Date.parse('2021-03-28T00:59:59Z'), 'Europe/Stockholm')?.hour).toBe(1);
    expect(localTimeOf(Date.parse('2021-03-28T01:00:00Z'), 'Europe/Stockholm')?.hour).toBe(3);
    expect(localTimeOf(Date.parse('2021-10-31T00:30:00Z'), 'Europe/Stockholm')?.hour).toBe(2);
    expect(localTimeOf(Date.parse('2021-10-31T01:30:00Z'), 'Europe/Stockholm')?.hour).toBe(2);
  });

  it('handles zones whose offset changes off the whole UTC hour', () => {
    // Newfoundland changes at 02:00 local, 05:30 UTC: the hour holding the change is asked per instant.
    for (let ms = Date.parse('2021-03-14T04:00:00Z'); ms < Date.parse('2021-03-14T07:00:00Z'); ms += 60_000) {
      expect(localTimeOf(ms, 'America/St_Johns')?.date).toBe(localDateOf(new Date(ms), 'America/St_Johns'));
      expect(localTimeOf(ms, 'America/St_Johns')?.hour).toBe(hourIn(ms, 'America/St_Johns'));
    }
  });

  it('keeps each zone apart when zones alternate, and agrees with Intl at the ends of the days kept in an array', () => {
    const DAY = 86_400_000;
    const instants = [-1, 0, DAY - 1, 65_535 * DAY + 12 * 3_600_000, 65_536 * DAY + 12 * 3_600_000, Date.parse('2021-06-15T22:30:00Z')];
    for (const ms of instants) {
      for (const timeZone of ['Europe/Stockholm', 'Asia/Tokyo', 'America/St_Johns', 'Europe/Stockholm']) {
        expect(localTimeOf(ms, timeZone)?.date).toBe(localDateOf(new Date(ms), timeZone));
        expect(localTimeOf(ms, timeZone)?.hour).toBe(hourIn(ms, timeZone));
      }
    }
  });

  it('answers null for an instant that is not one', () => {
    expect(localTimeOf(Number.NaN, 'Europe/Stockholm')).toBeNull();
    expect(localDayAt(Number.NaN, 'Europe/Stockholm')).toBeNaN();
    expect(weekHourAt(Number.NaN, 'Europe/Stockholm')).toBeNaN();
  });
});

describe('localTimeOf in every year', () => {
  it('reads the wall clock of 1901 and 9998 across New Year', () => {
    expect(localTimeOf(Date.parse('1901-12-31T23:30:00Z'), 'Europe/Stockholm')).toEqual({ date: '1902-01-01', weekday: 2, hour: 0 });
    expect(localTimeOf(Date.parse('1902-01-01T00:30:00Z'), 'America/New_York')).toEqual({ date: '1901-12-31', weekday: 1, hour: 19 });
    expect(localTimeOf(Date.parse('9998-12-31T15:00:00Z'), 'Asia/Tokyo')).toEqual({ date: '9999-01-01', weekday: 4, hour: 0 });
    expect(localTimeOf(Date.parse('9998-07-01T21:59:59Z'), 'Europe/Stockholm')).toEqual({ date: '9998-07-01', weekday: 2, hour: 23 });
  });

  it('reads years 0–99 as themselves, not as 1900–1999 (events recorded before such years were refused)', () => {
    expect(localTimeOf(Date.parse('0099-12-31T12:00:00Z'), 'UTC')).toEqual({ date: '0099-12-31', weekday: 3, hour: 12 });
    expect(localTimeOf(Date.parse('0099-12-31T12:00:00Z'), 'Europe/Stockholm')?.date).toBe('0099-12-31');
    expect(isoDateOfDay(localDayAt(Date.parse('0024-06-01T10:00:00Z'), 'Europe/Stockholm'))).toBe('0024-06-01');
  });

  it('looks up periods of dates before the supported years, as periods.ts places them', () => {
    const periodFor = periodLookup('2021-01-04', 'Europe/Stockholm');
    expect(periodFor('1899-12-31')).toEqual(periodOf('1899-12-31', '2021-01-04', 'Europe/Stockholm'));
    expect(periodFor('1899-12-31').periodStart).toBe('1899-12-18');
  });
});

describe('localDayAt and weekHourAt', () => {
  it('are the date and weekday × 24 + hour of localTimeOf, also around changes of the offset', () => {
    for (const [timeZone, from, to] of [
      ['Europe/Stockholm', '2021-03-27T00:00:00Z', '2021-03-30T00:00:00Z'],
      ['Europe/Stockholm', '2021-10-30T00:00:00Z', '2021-11-02T00:00:00Z'],
      ['America/St_Johns', '2021-03-13T00:00:00Z', '2021-03-15T00:00:00Z'],
    ]) {
      for (let ms = Date.parse(from); ms < Date.parse(to); ms += 7 * 60_000 + 1_000) {
        const local = localTimeOf(ms, timeZone)!;
        expect(isoDateOfDay(localDayAt(ms, timeZone))).toBe(local.date);
        expect(weekHourAt(ms, timeZone)).toBe(local.weekday * 24 + local.hour);
      }
    }
  });
});

describe('helpers', () => {
  it('looks periods up by local date', () => {
    const periodFor = periodLookup('2021-01-04', 'Europe/Stockholm');
    expect(periodFor('2021-03-28').periodStart).toBe('2021-03-15');
    expect(periodFor('2021-03-28')).toBe(periodFor('2021-03-28'));
    expect(() => periodLookup('2021-01-05', 'Europe/Stockholm')).toThrow(RangeError);
  });

  it('places every date of 2018–2024 in the period periods.ts places it in, before and after the anchor and across summer time', () => {
    const periodFor = periodLookup('2021-01-04', 'Europe/Stockholm');
    const periodStartDay = periodStartDayLookup('2021-01-04');
    const first = Date.UTC(2018, 0, 1) / 86_400_000;
    const last = Date.UTC(2024, 11, 31) / 86_400_000;
    for (let day = first; day <= last; day++) {
      const date = isoDateOfDay(day);
      const expected = periodOf(date, '2021-01-04', 'Europe/Stockholm');
      expect(periodFor(date)).toEqual(expected);
      expect(isoDateOfDay(periodStartDay(day))).toBe(expected.periodStart);
    }
    // Not a date: periods.ts places the instant or refuses it, as it would without the lookup.
    expect(periodFor('2021-03-28T01:30:00.000Z')).toEqual(periodOf('2021-03-28T01:30:00.000Z', '2021-01-04', 'Europe/Stockholm'));
  });

  it('counts days', () => {
    expect(daysBetween('2021-03-01', '2021-03-31')).toBe(30);
    expect(daysBetween('2021-03-28', '2021-03-29')).toBe(1);
  });
});

describe('instantMs', () => {
  it('reads instants as Date.parse does', () => {
    for (const iso of [
      '2021-03-28T21:59:59.999Z',
      '2021-03-28T23:30:00+02:00',
      '2021-11-07T23:30:00-01:30',
      '2021-03-28T22:00:00Z',
      '2021-03-28T22:00:00.1Z',
      '2021-03-28T22:00:00.123456Z',
      '2021-02-30T10:00:00Z',
      '2021-02-28T24:00:00Z',
      '2021-02-28T10:00Z',
      '2021-02-28T10:00:00+0100',
      '1969-12-31T23:59:59.999Z',
      '0050-06-01T12:00:00Z',
      '2021-13-01T10:00:00Z',
      '2021-00-10T10:00:00Z',
      'not an instant',
      '2021-0a-28T10:00:00.000Z',
    ]) {
      expect(Object.is(instantMs(iso), Date.parse(iso))).toBe(true);
    }
    expect(instantMs(undefined)).toBeNaN();
  });
});
