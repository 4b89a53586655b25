import { isCalendarDate, PERIOD_DAYS, periodOf, type Period, utcOffsetAt } from '@app/domain';

/**
 * Local wall-clock facts of instants in the reporting time zone, fast enough for a rebuild.
 *
 * `Intl` costs microseconds per call, so the zone's offset from UTC is asked once per UTC day and
 * kept: where it is the same at the start and at the end of the day it holds all day (a zone changes
 * at most once a day). On a day of a change the same is done per UTC hour, and in the hour of the
 * change (or where it falls off the whole hour) the instant is asked about on its own. The rest is
 * arithmetic on the local wall clock, with the date text kept per day: caching whole answers per UTC
 * hour (tens of thousands over a log of years) cost more in cache misses than the arithmetic it
 * saved. Periods themselves come from `@app/domain`'s periods.ts, looked up by local date and kept.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface LocalTime {
  /** Local calendar date `YYYY-MM-DD`. */
  date: string;
  /** Monday = 0 … Sunday = 6. */
  weekday: number;
  /** 0 … 23. */
  hour: number;
}

interface Zone {
  timeZone: string;
  /**
   * Offset in ms by UTC day number from 0 (1970-01-01) below `DAYS_KEPT`, or NaN where the offset
   * changes within the day; `UNKNOWN` where not asked yet. Every incident asks for its day three
   * times (its period, its hour of the week and its day in goal progress): in a Map of a few thousand
   * day numbers a lookup took 22–29 ns, in this array 10–13 ns (bench/README, fourteenth round).
   */
  days: Float64Array;
  /** The same for any other day number. */
  otherDays: Map<number, number>;
  /** UTC hour number → offset in ms, or NaN where it changes within the hour; asked only on days of a change. */
  hourOffsets: Map<number, number>;
}

/** Day numbers kept in a zone's array: up to the year 2149 (0.5 MiB a zone). */
const DAYS_KEPT = 1 << 16;
/** Not an offset: no zone is that far from UTC, and NaN means a day of a change. */
const UNKNOWN = Number.POSITIVE_INFINITY;

const zones = new Map<string, Zone>();
/** The zone asked for last: a projection asks for one zone, so the Map is seldom searched. */
let lastZone: Zone | undefined;

function zone(timeZone: string): Zone {
  if (lastZone !== undefined && lastZone.timeZone === timeZone) return lastZone;
  let found = zones.get(timeZone);
  if (!found) {
    found = {
      timeZone,
      days: new Float64Array(DAYS_KEPT).fill(UNKNOWN),
      otherDays: new Map(),
      hourOffsets: new Map(),
    };
    zones.set(timeZone, found);
  }
  lastZone = found;
  return found;
}

/** The offset where it is the same at both ends of a span (one change at most fits in it), else NaN. */
function steadyOffset(z: Zone, start: number, length: number): number {
  const atStart = utcOffsetAt(start, z.timeZone);
  return atStart === utcOffsetAt(start + length - 1000, z.timeZone) ? atStart : Number.NaN;
}

function offsetOf(z: Zone, instantMs: number): number {
  const dayNumber = Math.floor(instantMs / DAY_MS);
  const kept = dayNumber >= 0 && dayNumber < DAYS_KEPT;
  let offset = kept ? z.days[dayNumber] : z.otherDays.get(dayNumber);
  if (offset === undefined || offset === UNKNOWN) {
    offset = steadyOffset(z, dayNumber * DAY_MS, DAY_MS);
    if (kept) z.days[dayNumber] = offset;
    else z.otherDays.set(dayNumber, offset);
  }
  if (!Number.isNaN(offset)) return offset;
  const hourNumber = Math.floor(instantMs / HOUR_MS);
  offset = z.hourOffsets.get(hourNumber);
  if (offset === undefined) {
    offset = steadyOffset(z, hourNumber * HOUR_MS, HOUR_MS);
    z.hourOffsets.set(hourNumber, offset);
  }
  return Number.isNaN(offset) ? utcOffsetAt(instantMs, z.timeZone) : offset;
}

/** Day number since 1970-01-01 → `YYYY-MM-DD` (the same in every zone). */
const dates = new Map<number, string>();

/** The date `YYYY-MM-DD` of a day number (days since 1970-01-01), made once per day. */
export function isoDateOfDay(dayNumber: number): string {
  let date = dates.get(dayNumber);
  if (date === undefined) {
    date = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    dates.set(dayNumber, date);
  }
  return date;
}

/** The local wall clock of an instant, as ms since 1970-01-01 00:00 of that clock. */
const wallClockAt = (instantMs: number, timeZone: string) => instantMs + offsetOf(zone(timeZone), instantMs);

/** The local date, weekday and hour of an instant (ms since the epoch); null for NaN. */
export function localTimeOf(instantMs: number, timeZone: string): LocalTime | null {
  if (!Number.isFinite(instantMs)) return null;
  const wall = wallClockAt(instantMs, timeZone);
  const dayNumber = Math.floor(wall / DAY_MS);
  return { date: isoDateOfDay(dayNumber), weekday: weekdayOf(dayNumber), hour: Math.floor((wall - dayNumber * DAY_MS) / HOUR_MS) };
}

/**
 * The local date of an instant as a day number (`isoDateOfDay` gives its text), NaN for NaN: what a
 * projection's keys() needs per event, as a number that a Map finds without hashing text.
 */
export function localDayAt(instantMs: number, timeZone: string): number {
  if (!Number.isFinite(instantMs)) return Number.NaN;
  return Math.floor(wallClockAt(instantMs, timeZone) / DAY_MS);
}

/** `weekday * 24 + hour` of `localTimeOf` (Monday 00:00 is 0), NaN for NaN: the date text is not looked up. */
export function weekHourAt(instantMs: number, timeZone: string): number {
  if (!Number.isFinite(instantMs)) return Number.NaN;
  const wall = wallClockAt(instantMs, timeZone);
  const dayNumber = Math.floor(wall / DAY_MS);
  return weekdayOf(dayNumber) * 24 + Math.floor((wall - dayNumber * DAY_MS) / HOUR_MS);
}

/** Monday = 0 … Sunday = 6; 1970-01-01 was a Thursday. */
const weekdayOf = (dayNumber: number) => (((dayNumber + 3) % 7) + 7) % 7;

/** The digits of `text` from `start` to `end` as a number, or NaN where one is not a digit. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Parses an ISO instant, NaN when it is not one: `Date.parse`, with a fast path for the form the
 * API writes (`YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)`), which gives the same answers several times faster.
 */
export function instantMs(iso: unknown): number {
  if (typeof iso !== 'string') return Number.NaN;
  const n = iso.length;
  if (n < 20 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45 || iso.charCodeAt(10) !== 84 || iso.charCodeAt(13) !== 58 || iso.charCodeAt(16) !== 58) return Date.parse(iso);
  let i = 19;
  let ms = 0;
  if (iso.charCodeAt(i) === 46) {
    let scale = 100;
    for (i++; i < n && iso.charCodeAt(i) >= 48 && iso.charCodeAt(i) <= 57; i++) {
      ms += (iso.charCodeAt(i) - 48) * scale;
      scale /= 10;
    }
    ms = Math.floor(ms);
  }
  let offset = 0;
  const sign = iso.charCodeAt(i);
  if (sign === 90 && i === n - 1) offset = 0;
  else if ((sign === 43 || sign === 45) && i === n - 6 && iso.charCodeAt(i + 3) === 58) {
    offset = (digits(iso, i + 1, i + 3) * 60 + digits(iso, i + 4, i + 6)) * 60_000 * (sign === 45 ? -1 : 1);
  } else return Date.parse(iso);
  const month = digits(iso, 5, 7);
  // Date.parse refuses a month that is not one; other fields out of range it carries over, as this does.
  if (!(month >= 1 && month <= 12)) return Date.parse(iso);
  const time = digits(iso, 11, 13) * HOUR_MS + digits(iso, 14, 16) * 60_000 + digits(iso, 17, 19) * 1000 + ms;
  const value = daysFromCivil(digits(iso, 0, 4), month, digits(iso, 8, 10)) * DAY_MS + time - offset;
  return Number.isNaN(value) ? Date.parse(iso) : value;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (month 1–12; a day beyond the month's end
 * carries over), by H. Hinnant's `days_from_civil`: arithmetic, several times cheaper than `Date.UTC`.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

/**
 * The day number of the start of the period that holds a local day number, counted from the anchor
 * as periods.ts counts them: arithmetic, where `periodOf` also asks Intl for the period's instants.
 */
export function periodStartDayLookup(anchor: string): (dayNumber: number) => number {
  const anchorDay = Date.parse(anchor) / DAY_MS;
  return (dayNumber) => anchorDay + Math.floor((dayNumber - anchorDay) / PERIOD_DAYS) * PERIOD_DAYS;
}

/**
 * `periodOf` (periods.ts) by local date, kept per anchor and time zone. Dates of one period share
 * the period, asked of `periodOf` by its start: once per period, not once per date (four offsets
 * from Intl each).
 */
export function periodLookup(anchor: string, timeZone: string): (localDate: string) => Period {
  const periods = new Map<string, Period>();
  const byStartDay = new Map<number, Period>();
  periodOf(anchor, anchor, timeZone); // throws here, at construction, on a bad anchor or zone
  const periodStartDay = periodStartDayLookup(anchor);
  return (localDate) => {
    let period = periods.get(localDate);
    if (!period) {
      // Anything but a date (an instant, a wrong date) is periodOf's to place or refuse.
      if (isCalendarDate(localDate)) {
        const startDay = periodStartDay(Date.parse(localDate) / DAY_MS);
        period = byStartDay.get(startDay);
        if (!period) byStartDay.set(startDay, (period = periodOf(isoDateOfDay(startDay), anchor, timeZone)));
      } else {
        period = periodOf(localDate, anchor, timeZone);
      }
      periods.set(localDate, period);
    }
    return period;
  };
}

/** Whole days from one date to another (`YYYY-MM-DD`), positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}
