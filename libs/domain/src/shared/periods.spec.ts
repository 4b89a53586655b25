import { describe, expect, it } from '@jest/globals';
import { addDays, isCalendarDate, isIsoDate, isPeriodStart, localDateOf, periodOf, shiftPeriod, startOfDay, utcOffsetAt } from './periods.js';

describe('periodOf', () => {
  it('starts at the anchor and lasts 14 days, cut at midnight Stockholm (CET in winter)', () => {
    expect(periodOf('2021-01-04')).toEqual({
      periodStart: '2021-01-04',
      periodEnd: '2021-01-17',
      startInstant: '2021-01-03T23:00:00.000Z',
      endInstant: '2021-01-17T23:00:00.000Z',
    });
    expect(periodOf('2021-01-17').periodStart).toBe('2021-01-04');
    expect(periodOf('2021-01-18').periodStart).toBe('2021-01-18');
  });

  it('is an hour short over the start of summer time (2021-03-28)', () => {
    expect(periodOf('2021-03-28')).toEqual({
      periodStart: '2021-03-15',
      periodEnd: '2021-03-28',
      startInstant: '2021-03-14T23:00:00.000Z',
      endInstant: '2021-03-28T22:00:00.000Z',
    });
  });

  it('is an hour long over the end of summer time (2021-10-31)', () => {
    expect(periodOf('2021-10-31')).toEqual({
      periodStart: '2021-10-25',
      periodEnd: '2021-11-07',
      startInstant: '2021-10-24T22:00:00.000Z',
      endInstant: '2021-11-07T23:00:00.000Z',
    });
  });

  it('runs across a year end', () => {
    expect(periodOf('2022-01-01')).toEqual({
      periodStart: '2021-12-20',
      periodEnd: '2022-01-02',
      startInstant: '2021-12-19T23:00:00.000Z',
      endInstant: '2022-01-02T23:00:00.000Z',
    });
  });

  it('places an instant by its local date in Stockholm', () => {
    expect(periodOf('2022-01-02T22:59:59.999Z').periodStart).toBe('2021-12-20');
    expect(periodOf('2022-01-02T23:00:00.000Z').periodStart).toBe('2022-01-03');
    expect(periodOf(new Date('2021-03-28T21:59:59Z')).periodStart).toBe('2021-03-15');
    expect(periodOf(new Date('2021-03-28T22:00:00Z')).periodStart).toBe('2021-03-29');
    expect(periodOf('2021-11-07T23:30:00+01:00').periodStart).toBe('2021-10-25');
  });

  it('extends before the anchor', () => {
    expect(periodOf('2021-01-03')).toEqual({
      periodStart: '2020-12-21',
      periodEnd: '2021-01-03',
      startInstant: '2020-12-20T23:00:00.000Z',
      endInstant: '2021-01-03T23:00:00.000Z',
    });
    expect(periodOf('2020-01-01').periodStart).toBe('2019-12-23');
  });

  it('takes the anchor and the time zone as parameters', () => {
    expect(periodOf('2021-01-10', '2021-01-11').periodStart).toBe('2020-12-28');
    expect(periodOf('2021-03-28', '2021-01-04', 'UTC')).toEqual({
      periodStart: '2021-03-15',
      periodEnd: '2021-03-28',
      startInstant: '2021-03-15T00:00:00.000Z',
      endInstant: '2021-03-29T00:00:00.000Z',
    });
  });

  it('refuses an anchor that is not a Monday, and input that is not a date or instant', () => {
    expect(() => periodOf('2021-03-28', '2021-01-05')).toThrow(RangeError);
    expect(() => periodOf('2021-02-30')).toThrow(RangeError);
    expect(() => periodOf('yesterday')).toThrow(RangeError);
  });
});

describe('period helpers', () => {
  it('tells a period start', () => {
    expect(isPeriodStart('2021-03-29')).toBe(true);
    expect(isPeriodStart('2021-03-22')).toBe(false);
    expect(isPeriodStart('2020-12-21')).toBe(true);
    expect(isPeriodStart('2021-13-01')).toBe(false);
  });

  it('shifts by whole periods: the previous one and the one 364 days earlier', () => {
    const period = periodOf('2022-01-01');
    expect(shiftPeriod(period, -1).periodStart).toBe('2021-12-06');
    expect(shiftPeriod(period, -26)).toEqual(periodOf('2020-12-21'));
    expect(shiftPeriod(period, 1).startInstant).toBe(period.endInstant);
  });

  it('does calendar arithmetic on dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-2-29')).toBe(false);
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(localDateOf(new Date('2021-10-30T22:30:00Z'))).toBe('2021-10-31');
    expect(startOfDay('2021-10-31').toISOString()).toBe('2021-10-30T22:00:00.000Z');
    expect(startOfDay('2021-11-01').toISOString()).toBe('2021-10-31T23:00:00.000Z');
  });
});

describe('supported dates', () => {
  it('takes dates of the years 1900 to 9998 as input, and no other', () => {
    expect(isIsoDate('1900-01-01')).toBe(true);
    expect(isIsoDate('9998-12-31')).toBe(true);
    expect(isIsoDate('1899-12-31')).toBe(false);
    expect(isIsoDate('9999-01-01')).toBe(false);
    expect(isIsoDate('0099-12-31')).toBe(false);
    expect(isIsoDate('0000-01-01')).toBe(false);
  });

  it('counts with dates a little beyond them: the period of the last date ends in 9999, the ones before the first start in 1899', () => {
    expect(isCalendarDate('9999-12-31')).toBe(true);
    expect(isCalendarDate('1899-12-31')).toBe(true);
    expect(addDays('9998-12-31', 1)).toBe('9999-01-01');
    expect(periodOf('9998-12-31')).toEqual({
      periodStart: '9998-12-21',
      periodEnd: '9999-01-03',
      startInstant: '9998-12-20T23:00:00.000Z',
      endInstant: '9999-01-03T23:00:00.000Z',
    });
    expect(periodOf('1900-01-13').periodStart).toBe('1900-01-01');
    expect(shiftPeriod(periodOf('1900-01-01'), -1).startInstant).toBe('1899-12-17T23:00:00.000Z');
    expect(shiftPeriod(periodOf('1900-01-01'), -26).periodStart).toBe('1899-01-02');
  });
});

describe('the local wall clock in every year', () => {
  it('reads years 1901 and 9998 across New Year, east and west of UTC', () => {
    expect(localDateOf(new Date('1901-12-31T23:30:00Z'), 'Europe/Stockholm')).toBe('1902-01-01');
    expect(localDateOf(new Date('1902-01-01T00:30:00Z'), 'America/New_York')).toBe('1901-12-31');
    expect(startOfDay('1901-06-01').toISOString()).toBe('1901-05-31T23:00:00.000Z');
    expect(localDateOf(new Date('9998-12-31T15:00:00Z'), 'Asia/Tokyo')).toBe('9999-01-01');
    expect(localDateOf(new Date('9998-12-31T12:00:00Z'), 'Asia/Tokyo')).toBe('9998-12-31');
    expect(startOfDay('9998-12-31', 'Asia/Tokyo').toISOString()).toBe('9998-12-30T15:00:00.000Z');
    expect(utcOffsetAt(Date.parse('9998-07-01T12:00:00Z'), 'Europe/Stockholm')).toBe(2 * 3_600_000);
  });

  it('reads years 0–99 as themselves, not as 1900–1999, and the year 1 BC (year 0000) as well', () => {
    expect(utcOffsetAt(Date.parse('0099-12-31T12:00:00Z'), 'UTC')).toBe(0);
    expect(localDateOf(new Date('0024-06-01T20:00:00Z'), 'Asia/Tokyo')).toBe('0024-06-02');
    expect(utcOffsetAt(Date.parse('0000-06-01T00:00:00Z'), 'UTC')).toBe(0);
    expect(localDateOf(new Date('0099-12-31T12:00:00Z'), 'Europe/Stockholm')).toBe('0099-12-31');
    expect(periodOf('0024-06-01T12:00:00+02:00').periodStart).toBe('0024-05-27');
    expect(startOfDay('0001-01-01', 'UTC').toISOString()).toBe('0001-01-01T00:00:00.000Z');
  });
});

describe('startOfDay', () => {
  /** Whether an instant is the first whose local date is `date`: the second before it is on an earlier date. */
  const isFirstInstantOf = (instant: Date, date: string, timeZone: string) =>
    localDateOf(instant, timeZone) === date && localDateOf(new Date(instant.getTime() - 1000), timeZone) < date;

  it('starts a day whose midnight the clock skips at the change (summer time in São Paulo from 2018-11-04 00:00)', () => {
    const start = startOfDay('2018-11-04', 'America/Sao_Paulo');
    expect(start.toISOString()).toBe('2018-11-04T03:00:00.000Z');
    expect(isFirstInstantOf(start, '2018-11-04', 'America/Sao_Paulo')).toBe(true);
  });

  it('starts a day whose midnight the clock reads twice at the first of them (Havana, 2021-11-07: 01:00 back to 00:00)', () => {
    expect(startOfDay('2021-11-07', 'America/Havana').toISOString()).toBe('2021-11-07T04:00:00.000Z');
  });

  it('starts at the day\'s first instant on every day of 2017–2019, in zones that change at, near or off midnight', () => {
    const zones = ['America/Sao_Paulo', 'America/Havana', 'America/Santiago', 'America/Asuncion', 'Asia/Beirut', 'Asia/Amman', 'Asia/Tehran', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Europe/Stockholm'];
    const notFirst: string[] = [];
    for (const timeZone of zones) {
      for (let date = '2017-01-01'; date <= '2019-12-31'; date = addDays(date, 1)) {
        if (!isFirstInstantOf(startOfDay(date, timeZone), date, timeZone)) notFirst.push(`${timeZone} ${date}`);
      }
    }
    expect(notFirst).toEqual([]);
  });
});
