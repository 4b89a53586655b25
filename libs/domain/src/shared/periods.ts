/**
 * Calendar dates and the 14-day periods of the situation picture.
 *
 * - Periods start on a Monday, every 14 days from an anchor Monday (SITUATION_PERIOD_ANCHOR, default
 *   2021-01-04), before the anchor as well as after it.
 * - They are cut at local midnight in the reporting time zone (TZ_REPORTING, default
 *   Europe/Stockholm), so a period that holds a summer-time change lasts 14 days minus or plus an hour.
 * - `periodEnd` is the period's last day (a Sunday, inclusive), as an action plan's `periodEnd` is its
 *   last day. The exclusive bound is `endInstant`: the midnight that ends the period, which is the
 *   `startInstant` of the next one.
 *
 * Dates are counted as whole days in UTC, which has no summer time, so nothing depends on the host's
 * time zone; only the cut to instants asks the time zone database built into the runtime (Intl).
 */

export const DEFAULT_PERIOD_ANCHOR = '2021-01-04';
export const DEFAULT_TIME_ZONE = 'Europe/Stockholm';
export const PERIOD_DAYS = 14;

export interface Period {
  /** First day, `YYYY-MM-DD` (a Monday). */
  periodStart: string;
  /** Last day, `YYYY-MM-DD` (a Sunday, inclusive). */
  periodEnd: string;
  /** ISO instants (UTC) of the local midnight that starts the period and of the one that ends it. */
  startInstant: string;
  endInstant: string;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The years of the dates and instants taken as input (commands and queries). From 1900: a typo such
 * as 0024 must be refused, not land an incident in year 24 (or, as Date.UTC reads it, 1924). To
 * 9998: a period or a day after the last date must still be a date `YYYY-MM-DD` (year 10000 is
 * written +010000, which is no date and sorts before the digits in ISO text).
 */
export const FIRST_SUPPORTED_YEAR = 1900;
export const LAST_SUPPORTED_YEAR = 9998;
export const SUPPORTED_YEARS = `years ${FIRST_SUPPORTED_YEAR} to ${LAST_SUPPORTED_YEAR}`;

export function isSupportedYear(year: number): boolean {
  return Number.isInteger(year) && year >= FIRST_SUPPORTED_YEAR && year <= LAST_SUPPORTED_YEAR;
}

/**
 * A real calendar date written `YYYY-MM-DD` of any year 0000–9999: what the arithmetic here counts
 * with, a little beyond the supported years (a period reaches back before the first date and on past
 * the last one). Input is checked with `isIsoDate`.
 */
export function isCalendarDate(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE.test(value) && dateOfDay(Date.parse(value) / DAY_MS) === value;
}

/** A real calendar date written `YYYY-MM-DD` (so not 2021-02-30) in the supported years. */
export function isIsoDate(value: unknown): value is string {
  return isCalendarDate(value) && isSupportedYear(Number(value.slice(0, 4)));
}

function dayNumber(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a date YYYY-MM-DD: ${date}`);
  return Date.parse(date) / DAY_MS;
}

function dateOfDay(day: number): string {
  return Number.isFinite(day) ? new Date(day * DAY_MS).toISOString().slice(0, 10) : '';
}

export function addDays(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return ((new Date(dayNumber(date) * DAY_MS).getUTCDay() + 6) % 7) + 1;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** How far local time is ahead of UTC at an instant (taken to the whole second), in ms (+1 h in CET, +2 h in CEST). */
export function utcOffsetAt(instantMs: number, timeZone: string): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // No year: Intl writes years before 1 AD as years of an era (1 BC as 1); it is taken from UTC below.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const whole = Math.floor(instantMs / 1000) * 1000;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  // A loop rather than an object of the parts: projections ask this on rebuilds, where it is hot.
  for (const part of formatter.formatToParts(whole)) {
    switch (part.type) {
      case 'month': month = Number(part.value); break;
      case 'day': day = Number(part.value); break;
      case 'hour': hour = Number(part.value) % 24; break;
      case 'minute': minute = Number(part.value); break;
      case 'second': second = Number(part.value); break;
      default: break;
    }
  }
  const wallClock = new Date(whole);
  // The local year is the UTC year, but for the hours around New Year that one side has reached first.
  const utcYear = wallClock.getUTCFullYear();
  const utcMonth = wallClock.getUTCMonth() + 1;
  const year = utcMonth === 12 && month === 1 ? utcYear + 1 : utcMonth === 1 && month === 12 ? utcYear - 1 : utcYear;
  // The setters rather than Date.UTC, which takes years 0–99 for 1900–1999.
  wallClock.setUTCFullYear(year, month - 1, day);
  wallClock.setUTCHours(hour, minute, second, 0);
  return wallClock.getTime() - whole;
}

/** The local calendar date of an instant. */
export function localDateOf(instant: Date, timeZone = DEFAULT_TIME_ZONE): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('not a valid instant');
  const ms = instant.getTime();
  return dateOfDay(Math.floor((ms + utcOffsetAt(ms, timeZone)) / DAY_MS));
}

/** Further than any zone's offset from UTC has been since 1900 (-12 h to +14 h), with room for the local mean times before. */
const OFFSET_BOUND_MS = 16 * HOUR_MS;

/**
 * The first instant whose local date is `date`: local midnight, or where the clock skips midnight
 * (summer time starting at 00:00, as in São Paulo until 2019) the change itself.
 */
export function startOfDay(date: string, timeZone = DEFAULT_TIME_ZONE): Date {
  const wall = dayNumber(date) * DAY_MS;
  // Every instant whose local clock could read this midnight lies within the bound on either side
  // of `wall`. Where the offset is the same at both ends it holds throughout (a zone changes at most
  // once in that span), and midnight is `wall` less it: two questions to Intl, as on almost every day.
  const before = utcOffsetAt(wall - OFFSET_BOUND_MS, timeZone);
  const after = utcOffsetAt(wall + OFFSET_BOUND_MS, timeZone);
  if (before === after) return new Date(wall - before);
  // A change near this midnight. Midnight by the clock before the change is the first if it came
  // before the change; else midnight by the clock after it, if it came after the change.
  if (utcOffsetAt(wall - before, timeZone) === before) return new Date(wall - before);
  if (utcOffsetAt(wall - after, timeZone) === after) return new Date(wall - after);
  // Neither: the clock skips midnight, and the day starts at the change, found to the second between
  // the two (offsets and changes are on whole seconds).
  let lo = wall - after; // before the change
  let hi = wall - before; // after it
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (utcOffsetAt(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

function assertAnchor(anchor: string): void {
  if (!isIsoDate(anchor) || isoWeekday(anchor) !== 1) throw new RangeError(`the period anchor must be a Monday YYYY-MM-DD: ${anchor}`);
}

function periodStartingOn(periodStart: string, timeZone: string): Period {
  const next = addDays(periodStart, PERIOD_DAYS);
  return {
    periodStart,
    periodEnd: addDays(next, -1),
    startInstant: startOfDay(periodStart, timeZone).toISOString(),
    endInstant: startOfDay(next, timeZone).toISOString(),
  };
}

/**
 * The period that holds a date (`YYYY-MM-DD`, a local date) or an instant (a `Date` or an ISO
 * instant string, placed by its local date in the time zone). Throws RangeError on bad input.
 */
export function periodOf(dateOrInstant: string | Date, anchor = DEFAULT_PERIOD_ANCHOR, timeZone = DEFAULT_TIME_ZONE): Period {
  assertAnchor(anchor);
  const date =
    typeof dateOrInstant === 'string' && ISO_DATE.test(dateOrInstant)
      ? dateOrInstant
      : localDateOf(typeof dateOrInstant === 'string' ? new Date(dateOrInstant) : dateOrInstant, timeZone);
  const index = Math.floor((dayNumber(date) - dayNumber(anchor)) / PERIOD_DAYS);
  return periodStartingOn(addDays(anchor, index * PERIOD_DAYS), timeZone);
}

export function isPeriodStart(date: string, anchor = DEFAULT_PERIOD_ANCHOR): boolean {
  return isIsoDate(date) && periodOf(date, anchor).periodStart === date;
}

/** The period `count` periods after (or, when negative, before) a period: -1 the previous, -26 the one 364 days earlier. */
export function shiftPeriod(period: Period, count: number, timeZone = DEFAULT_TIME_ZONE): Period {
  return periodStartingOn(addDays(period.periodStart, count * PERIOD_DAYS), timeZone);
}
