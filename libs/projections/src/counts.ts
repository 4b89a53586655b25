/**
 * Count maps in documents (`key → count`, plain JSON), changed in place by `bump` while a
 * projection runs.
 */

/**
 * An empty count map. It has no prototype, which makes V8 keep it as a hash table from the start: a
 * `{}` that is given a key at a time gets a new hidden class for every key, and count maps whose keys
 * come in differing orders (a day's category, area and place combinations) make V8 build and search
 * a tree of thousands of them, which made `bump` cost about a microsecond. JSON, `Object.keys` and
 * `Object.entries` see the same object.
 */
export function emptyCounts(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

/** Adds `n` at `key`, dropping the key when it comes to zero (an emptied count is not shown). */
export function bump(counts: Record<string, number>, key: string, n: number): void {
  const value = (counts[key] ?? 0) + n;
  if (value === 0) delete counts[key];
  else counts[key] = value;
}
