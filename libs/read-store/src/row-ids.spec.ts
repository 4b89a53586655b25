import { describe, expect, it } from '@jest/globals';
import { fingerprint } from './key-filter.js';
import { type RowChanges, RowIds } from './row-ids.js';

/** A small linear congruential generator, so that the sequence of commits is the same every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/**
 * Commits as SqliteReadStore makes them: each changes distinct ids, deleting some that have a row
 * and inserting some that have none, with row ids counting on. Returns the commits and, after each,
 * the row id of every id that has a row.
 */
function commits(count: number, seed: number): { rows: RowChanges[]; after: Array<Map<string, number>> } {
  const next = random(seed);
  const live = new Map<string, number>();
  let lastRowid = 0;
  const rows: RowChanges[] = [];
  const after: Array<Map<string, number>> = [];
  for (let c = 0; c < count; c++) {
    const commit: RowChanges = { added: [], fingerprints: [], firstRowid: lastRowid + 1, removed: [] };
    const touched = new Set<string>();
    for (let k = 0; k < 40; k++) {
      // Ids from a small range, so that commits delete and insert the same ones again.
      const id = `doc-${Math.floor(next() * 60)}`;
      if (touched.has(id)) continue;
      touched.add(id);
      if (live.has(id)) {
        if (next() < 0.5) {
          commit.removed.push(id);
          live.delete(id);
        }
        // Otherwise an update: the row keeps its id, and the commit lists nothing.
      } else {
        commit.added.push(id);
        commit.fingerprints.push(fingerprint(id));
        live.set(id, ++lastRowid);
      }
    }
    rows.push(commit);
    after.push(new Map(live));
  }
  return { rows, after };
}

/** A commit's rows as SqliteReadStore records them, each added id with its fingerprint. */
const commit = (added: string[], firstRowid: number, removed: string[]): RowChanges => ({ added, fingerprints: added.map(fingerprint), firstRowid, removed });

const ALL_IDS = new Set(Array.from({ length: 70 }, (_, i) => `doc-${i}`));

describe('RowIds', () => {
  it('finds nothing before any commit', () => {
    expect(new RowIds().find(ALL_IDS)).toEqual(new Map());
  });

  it('finds the row id of an id inserted, deleted and inserted again by later commits', () => {
    const rowids = new RowIds();
    rowids.record(commit(['a', 'b'], 1, []));
    rowids.record(commit([], 3, ['a']));
    expect(rowids.find(new Set(['a', 'b', 'c']))).toEqual(new Map([['b', 2]]));
    rowids.record(commit(['c', 'a'], 3, []));
    expect(rowids.find(new Set(['a', 'b', 'c']))).toEqual(new Map([['b', 2], ['c', 3], ['a', 4]]));
  });

  // Through the commits not in the map, through the map alone, and whichever the default limit chooses.
  for (const [how, limit] of [
    ['going through the commits', Number.POSITIVE_INFINITY],
    ['from a map of every id', 0],
    ['either way', undefined],
  ] as const) {
    it(`answers as the commits left the rows, ${how}`, () => {
      const { rows, after } = commits(200, 7);
      const rowids = new RowIds(limit);
      const next = random(11);
      rows.forEach((commit, c) => {
        rowids.record(commit);
        // Sometimes every id, sometimes a few (which the default limit answers from the map).
        const asked = next() < 0.5 ? ALL_IDS : new Set([...ALL_IDS].filter(() => next() < 0.05));
        const expected = new Map([...after[c]].filter(([id]) => asked.has(id)));
        expect(rowids.find(asked)).toEqual(expected);
      });
    });
  }

  it('takes the keys of a commit’s changes as the ids to find', () => {
    const rowids = new RowIds();
    rowids.record(commit(['a', 'b', 'c'], 10, []));
    const changes = new Map<string, unknown>([
      ['c', {}],
      ['d', {}],
    ]);
    expect(rowids.find(changes)).toEqual(new Map([['c', 12]]));
  });
});
