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

  it('tells apart keys that differ anywhere', () => {
    const filter = new KeyFilter(10);
    const given = ['a', 'danderyd-area-0-place-2', '3f0c9a2e-0000-4000-8000-000000000001/agreed-action/001'];
    for (const key of given) filter.add(key);
    expect(given.every((key) => filter.mayHave(key))).toBe(true);
    const others = [
      'b',
      'täby',
      'danderyd-area-0-place-3',
      'danderyd-area-1-place-2',
      '9d1e77b0-0000-4000-8000-000000000001/agreed-action/001',
      '3f0c9a2e-0000-4000-8000-000000000001/agreed-action/002',
    ];
    expect(others.filter((key) => filter.mayHave(key)).length).toBeLessThan(2);
  });

  it('forgets every key when cleared', () => {
    const filter = new KeyFilter(100);
    filter.add('a');
    filter.clear();
    expect(filter.mayHave('a')).toBe(false);
  });
});
