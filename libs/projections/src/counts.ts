/**
 * Counts of the count projections: stored in their documents as maps (`key → count`, plain JSON,
 * without the zeros), kept in memory as vectors (`CountVector`) while a projection runs.
 */

/**
 * An empty count map. It has no prototype, which makes V8 keep it as a hash table from the start: a
 * `{}` that is given a key at a time gets a new hidden class for every key, and count maps whose keys
 * come in differing orders (a day's category, area and place combinations) make V8 build and search
 * a tree of thousands of them, which made each count cost about a microsecond. JSON, `Object.keys`
 * and `Object.entries` see the same object.
 */
export function emptyCounts(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

/**
 * The names of one space of counts (a municipality's `category|areaId|placeId` combinations, say),
 * each given an index the first time it is counted: the positions of a `CountVector`'s counts.
 * A space only grows: make one per projection and space, for names with few values (categories,
 * areas, places, sources and their combinations), as the strings of interned-ids.ts are made.
 */
export class CountNames {
  /** By index, in the order they were first counted. */
  readonly names: string[] = [];
  private readonly indexes = new Map<string, number>();

  indexOf(name: string): number {
    let index = this.indexes.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(name);
      this.indexes.set(name, index);
    }
    return index;
  }
}

/** A stored count, checked: only counts of things fit; anything else the typed array would cut without a word. */
export function storedCount(name: string, count: number): number {
  if (!Number.isInteger(count) || Math.abs(count) > INT32_MAX) throw new RangeError(`count ${name} is ${count}, not a count`);
  return count;
}

/** Slots a vector grows by at least, so that a space that is still filling does not copy it per name. */
const GROWTH = 16;
const INT32_MAX = 2 ** 31 - 1;

/**
 * A count map as a projection keeps it in memory while it runs: counts by their names' indexes in a
 * `CountNames`, in one typed array. The stored form stays a plain map without the zeros (`toRecord`).
 *
 * Why: a count map is a hash table of its own (see `emptyCounts`), and a projection over a log in
 * random order changes counts all over thousands of them (goal progress: 9,130 days of about 80
 * names of 323). Each change then went through V8's generic keyed load and store into a table that
 * was seldom in the CPU's caches (the `bump` of bench/README). In a vector of the space's 323 counts
 * (1.3 KB) it is one indexed add (bench/README, twelfth round).
 */
export class CountVector {
  private values: Int32Array;

  constructor(readonly space: CountNames) {
    this.values = new Int32Array(space.names.length + GROWTH);
  }

  /** The counts of a stored map (`toRecord`'s form), names given indexes in `space` as needed. */
  static of(space: CountNames, counts: Readonly<Record<string, number>>): CountVector {
    const vector = new CountVector(space);
    for (const name in counts) vector.add(space.indexOf(name), storedCount(name, counts[name]));
    return vector;
  }

  /** Adds `n` (an integer) to the count at `index` of the space. */
  add(index: number, n: number): void {
    let values = this.values;
    if (index >= values.length) {
      const grown = new Int32Array(Math.max(index + 1, this.space.names.length) + GROWTH);
      grown.set(values);
      this.values = values = grown;
    }
    values[index] += n;
  }

  /**
   * Reads the vector and its array's length, for a projection's `prefetch`: the objects a count goes
   * through, besides the count itself.
   */
  touch(): number {
    return this.values.length;
  }

  /** The count at `index` (0 for a name not counted here). */
  at(index: number): number {
    return index < this.values.length ? this.values[index] : 0;
  }

  /** The counts by name without the zeros (an emptied count is not shown): the stored form. */
  toRecord(): Record<string, number> {
    const record = emptyCounts();
    const { values } = this;
    const { names } = this.space;
    for (let i = 0; i < values.length; i++) if (values[i] !== 0) record[names[i]] = values[i];
    return record;
  }
}
