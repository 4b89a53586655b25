import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isSupportedYear } from '@app/domain';
import { INSTANT, isRealInstant } from './dto-rules.js';

/**
 * The check as it was first written (a Date built for the day), kept as the reference the faster one
 * must equal, with the supported years (in which Date.UTC takes the year as written).
 */
function referenceIsRealInstant(value: string): boolean {
  if (!INSTANT.test(value)) return false;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  if (!isSupportedYear(year)) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && !Number.isNaN(Date.parse(value));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('isRealInstant', () => {
  it('takes instants with an offset on days that exist, and nothing else', () => {
    expect(isRealInstant('2024-05-10T22:15:00+02:00')).toBe(true);
    expect(isRealInstant('2024-02-29T10:00Z')).toBe(true);
    expect(isRealInstant('2024-12-31T23:59:59.123456789-05:00')).toBe(true);
    expect(isRealInstant('2023-02-29T10:00Z')).toBe(false);
    expect(isRealInstant('1900-02-29T10:00Z')).toBe(false);
    expect(isRealInstant('2024-04-31T10:00Z')).toBe(false);
    expect(isRealInstant('2024-13-01T10:00Z')).toBe(false);
    expect(isRealInstant('2024-05-00T10:00Z')).toBe(false);
    expect(isRealInstant('2024-05-10T25:00Z')).toBe(false);
    expect(isRealInstant('2024-05-10T10:00:00+24:00')).toBe(false);
    expect(isRealInstant('2024-05-10T10:00:00')).toBe(false);
  });

  it('takes the years 1900 to 9998 only, so that a typo such as 0099 is no incident in 1999', () => {
    expect(isRealInstant('1900-01-01T00:00:00+01:00')).toBe(true);
    expect(isRealInstant('9998-12-31T23:59:59-02:00')).toBe(true);
    expect(isRealInstant('1899-12-31T23:59:59Z')).toBe(false);
    expect(isRealInstant('9999-12-31T23:00:00-02:00')).toBe(false);
    expect(isRealInstant('0099-12-31T12:00:00Z')).toBe(false);
    expect(isRealInstant('0024-06-01T12:00:00+02:00')).toBe(false);
    expect(isRealInstant('0000-02-29T12:00:00Z')).toBe(false);
  });

  it('answers as the reference on every year, month and day edge', () => {
    let checked = 0;
    const differing: string[] = [];
    for (const year of [0, 4, 96, 99, 100, 400, 1899, 1900, 1999, 2000, 2023, 2024, 2100, 9998, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          for (const time of ['T00:00Z', 'T24:00:00+02:00', 'T23:59:59.999-23:59', 'T10:15:00+24:00']) {
            const value = `${pad(year, 4)}-${pad(month)}-${pad(day)}${time}`;
            if (isRealInstant(value) !== referenceIsRealInstant(value)) differing.push(value);
            checked++;
          }
        }
      }
    }
    expect(differing).toEqual([]);
    expect(checked).toBe(15 * 14 * 33 * 4);
  });

  it('answers as the reference on generated strings of the right shape', () => {
    const twoDigits = fc.integer({ min: 0, max: 99 }).map((n) => pad(n));
    const instant = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), twoDigits, twoDigits, twoDigits, twoDigits, fc.option(twoDigits), fc.constantFrom('Z', '+', '-'), twoDigits, twoDigits)
      .map(([y, mo, d, h, mi, s, sign, oh, om]) => `${pad(y, 4)}-${mo}-${d}T${h}:${mi}${s === null ? '' : `:${s}`}${sign === 'Z' ? 'Z' : `${sign}${oh}:${om}`}`);
    fc.assert(fc.property(instant, (value) => isRealInstant(value) === referenceIsRealInstant(value)), { numRuns: 5000 });
  });
});
