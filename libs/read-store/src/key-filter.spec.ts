import { describe, expect, it } from '@jest/globals';
import { KeyFilter } from './key-filter.js';

const uuid = (i: number) => `71936f31-9a0c-41ec-8a80-${i.toString(16).padStart(12, '0')}`;

describe('KeyFilter', () => {
  it('never says no to a key it was given, and says no to most others', () => {
    const filter = new KeyFilter(40_000);
    const given = Array.from({ length: 40_000 }, (_, i) => uuid(i * 7));
    for (const key of given) filter.add(key);
    expect(given.every((key) => filter.mayHave(key))).toBe(true);
    const others = Array.from({ length: 100_000 }, (_, i) => uuid(i * 7 + 3));
    const maybes = others.filter((key) => filter.mayHave(key)).length;
    // About one in sixteen bits is set: a "maybe" for some 6 % of the others.
    expect(maybes).toBeLessThan(others.length * 0.1);
  });

  it('tells apart short keys and keys that differ only before their last twelve characters (by length, or as "maybe")', () => {
    const filter = new KeyFilter(10);
    for (const key of ['a', 'danderyd-area-0-place-2', 'x-000000000001']) filter.add(key);
    expect(['a', 'danderyd-area-0-place-2', 'x-000000000001'].every((key) => filter.mayHave(key))).toBe(true);
    // Same last twelve characters and length: always a "maybe", which the caller's Map then answers.
    expect(filter.mayHave('y-000000000001')).toBe(true);
    expect(['b', 'c', 'täby', 'danderyd-area-0-place-3'].filter((key) => filter.mayHave(key)).length).toBeLessThan(2);
  });

  it('forgets every key when cleared', () => {
    const filter = new KeyFilter(100);
    filter.add('a');
    filter.clear();
    expect(filter.mayHave('a')).toBe(false);
  });
});
