import { describe, expect, it } from '@jest/globals';
import { NO_CHANGES, OneDocument, onlyKey } from './one-document.js';

describe('OneDocument', () => {
  const document = { lastPosition: '7' };

  it('reads as the map of its one document does', () => {
    const one: ReadonlyMap<string, object | undefined> = new OneDocument('day-1', document);
    const map: ReadonlyMap<string, object | undefined> = new Map([['day-1', document]]);
    for (const as of [one, map]) {
      expect(as.size).toBe(1);
      expect(as.get('day-1')).toBe(document);
      expect(as.get('day-2')).toBeUndefined();
      expect(as.has('day-1')).toBe(true);
      expect(as.has('day-2')).toBe(false);
    }
    expect([...one]).toEqual([...map]);
    expect([...one.entries()]).toEqual([['day-1', document]]);
    expect([...one.keys()]).toEqual(['day-1']);
    expect([...one.values()]).toEqual([document]);
    expect(new Map(one)).toEqual(map);
    const seen: unknown[][] = [];
    one.forEach(function (this: unknown, value, key, owner) {
      seen.push([value, key, owner, this]);
    }, 'this');
    expect(seen).toEqual([[document, 'day-1', one, 'this']]);
  });

  it('can be iterated again, and each iterator ends after its one entry', () => {
    const one = new OneDocument('day-1', undefined);
    const iterator = one[Symbol.iterator]();
    expect(iterator.next()).toEqual({ value: ['day-1', undefined], done: false });
    expect(iterator.next()).toEqual({ value: undefined, done: true });
    expect(iterator.next()).toEqual({ value: undefined, done: true });
    expect([...one]).toEqual([['day-1', undefined]]);
    const [[key, value]] = one;
    expect([key, value]).toEqual(['day-1', undefined]);
  });

  it('answers the key of the only document of any map, and no key for none or several', () => {
    expect(onlyKey(new OneDocument('a', 1))).toBe('a');
    expect(onlyKey(new Map([['a', 1]]))).toBe('a');
    expect(onlyKey(new Map())).toBeUndefined();
    expect(onlyKey(NO_CHANGES)).toBeUndefined();
    expect(onlyKey(new Map([['a', 1], ['b', 2]]))).toBeUndefined();
  });
});
