import { describe, expect, it } from '@jest/globals';
import { CountNames, CountVector } from './counts.js';

describe('CountVector', () => {
  it('counts by index and gives the counts by name without the zeros, as a map counted step by step holds them', () => {
    const space = new CountNames();
    const vector = new CountVector(space);
    const map: Record<string, number> = {};
    const steps: Array<[string, number]> = [['a', 1], ['b', 1], ['a', 1], ['b', -1], ['c', -1], ['a', 2]];
    for (const [name, n] of steps) {
      vector.add(space.indexOf(name), n);
      const count = (map[name] ?? 0) + n;
      if (count === 0) delete map[name];
      else map[name] = count;
    }
    expect(vector.toRecord()).toEqual({ a: 4, c: -1 });
    expect(vector.toRecord()).toEqual(map);
    expect(vector.at(space.indexOf('a'))).toBe(4);
    expect(vector.at(space.indexOf('b'))).toBe(0);
  });

  it('grows past its first size as its space fills, and counts a name another vector gave an index', () => {
    const space = new CountNames();
    const early = new CountVector(space);
    for (let i = 0; i < 100; i++) early.add(space.indexOf(`name-${i}`), i + 1);
    const late = new CountVector(space);
    late.add(space.indexOf('name-3'), 7);
    late.add(space.indexOf('name-100'), 1);
    expect(Object.keys(early.toRecord())).toHaveLength(100);
    expect(early.toRecord()['name-99']).toBe(100);
    expect(early.at(space.indexOf('name-100'))).toBe(0);
    expect(late.toRecord()).toEqual({ 'name-3': 7, 'name-100': 1 });
  });

  it('takes the stored counts back, in a space that knows some of their names or none', () => {
    const space = new CountNames();
    space.indexOf('b');
    const vector = CountVector.of(space, { a: 2, b: 3 });
    vector.add(space.indexOf('a'), 1);
    expect(vector.toRecord()).toEqual({ a: 3, b: 3 });
    expect(space.names).toEqual(['b', 'a']);
  });

  it('refuses a stored count that is not a count, rather than cut it', () => {
    expect(() => CountVector.of(new CountNames(), { a: 1.5 })).toThrow('count a is 1.5');
    expect(() => CountVector.of(new CountNames(), { a: 2 ** 40 })).toThrow(RangeError);
  });
});
