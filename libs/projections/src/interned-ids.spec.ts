import { describe, expect, it } from '@jest/globals';
import { internedByDay, internedPairs } from './interned-ids.js';

/** A maker that counts its calls per pair. */
function counting() {
  const calls = new Map<string, number>();
  const make = (first: string, day: number) => {
    const text = `${first}:${day}`;
    calls.set(text, (calls.get(text) ?? 0) + 1);
    return text;
  };
  return { make, calls };
}

describe('internedPairs', () => {
  it('makes each pair once and hands the same text out again', () => {
    const { make, calls } = counting();
    const pair = internedPairs(make);
    expect(pair('danderyd', 3)).toBe('danderyd:3');
    expect(pair('danderyd', 3)).toBe('danderyd:3');
    expect(pair('taby', 3)).toBe('taby:3');
    expect([...calls.values()]).toEqual([1, 1]);
  });
});

describe('internedByDay', () => {
  it('makes each municipality and day once, across chunks and municipalities', () => {
    const { make, calls } = counting();
    const byDay = internedByDay(make);
    // 2021-03-28 (18714), the next chunk's first days, and 1970-01-01.
    const days = [18714, 18715, 18688, 18943, 18944, 0, 65535];
    for (let round = 0; round < 3; round++) {
      for (const municipality of ['danderyd', 'taby']) {
        for (const day of days) expect(byDay(municipality, day)).toBe(`${municipality}:${day}`);
      }
    }
    expect(calls.size).toBe(2 * days.length);
    expect([...calls.values()].every((count) => count === 1)).toBe(true);
  });

  it('takes any other number too (before 1970, far ahead, or not a whole day), each made once', () => {
    const { make, calls } = counting();
    const byDay = internedByDay(make);
    const days = [-1, -719_468, 65_536, 1_000_000, 18714.5];
    for (let round = 0; round < 2; round++) for (const day of days) expect(byDay('vaxholm', day)).toBe(`vaxholm:${day}`);
    expect(calls.size).toBe(days.length);
    expect([...calls.values()].every((count) => count === 1)).toBe(true);
  });

  it('keeps a day apart from the same day of another municipality', () => {
    const byDay = internedByDay((first: string, day: number) => `${first}/${day}`);
    expect(byDay('danderyd', 18714)).toBe('danderyd/18714');
    expect(byDay('osteraker', 18714)).toBe('osteraker/18714');
    expect(byDay('danderyd', 18714)).toBe('danderyd/18714');
  });
});
