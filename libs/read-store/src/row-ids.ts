import { KeyFilter } from './key-filter.js';

/** What a commit by row id did to a collection's rows. */
export interface RowChanges {
  /** The ids of the documents inserted, in the order of their row ids, which count on from `firstRowid`. */
  added: string[];
  /**
   * The `fingerprint` of each id of `added`, made while the commit had the id at hand: a lookup that
   * goes through the commits reads these in order rather than each id, long out of the CPU's caches.
   */
  fingerprints: number[];
  firstRowid: number;
  /** The ids of the documents deleted. */
  removed: string[];
}

/** The ids a lookup asks for: a Set of them, or the keys of a commit's changes. */
export interface Ids {
  readonly size: number;
  has(id: string): boolean;
  keys(): Iterable<string>;
}

/**
 * A lookup goes through the commits not yet in the map while they list at most this many ids per
 * id looked up, and otherwise puts them in the map first. Going through an id costs about 0.1 µs
 * (its fingerprint, read in order, and a bit of a `KeyFilter`; a Map lookup for the few that may
 * be looked for), putting it in the map 0.3–0.6 µs (an insert into a growing table of strings that
 * are no longer in the CPU's caches): going through costs at most a microsecond or two per id
 * looked up.
 */
const SCAN_LIMIT = 16;

/**
 * Document id → row id of a collection that SqliteReadStore fills without its id index, as its
 * commits numbered the rows. Each commit's rows are kept as the commit listed them, and they go
 * into a map of every id only when a lookup needs one:
 *
 * - A rebuild's last commit, which its index build follows, puts none in a map. In the incident
 *   register's rebuild from a million events, that was 367,537 ids and 0.23–0.33 s at the very end.
 * - A commit that looks up a tenth as many ids as were committed before it (the register's second
 *   commit: its 40,421 corrections against 457,162 incidents recorded before) goes through those,
 *   by their fingerprints: 41 ms, where going through the ids themselves took 145 ms and filling
 *   the map some 0.2 s.
 * - A load of a few documents puts everything in the map once, and finds them there.
 */
export class RowIds {
  private readonly map = new Map<string, number>();
  /** Commits not in `map` yet, oldest first. */
  private pending: RowChanges[] = [];
  /** How many ids `pending` lists. */
  private pendingIds = 0;

  constructor(private readonly scanLimit = SCAN_LIMIT) {}

  /** Takes a commit's rows, once the commit is durable. */
  record(rows: RowChanges): void {
    if (rows.added.length + rows.removed.length === 0) return;
    this.pending.push(rows);
    this.pendingIds += rows.added.length + rows.removed.length;
  }

  /** The row ids of those of `ids` that have a row; `filter`, if given, is a KeyFilter of `ids`. */
  find(ids: Ids, filter?: KeyFilter): Map<string, number> {
    if (this.pendingIds > this.scanLimit * ids.size) this.settle();
    const found = new Map<string, number>();
    if (this.map.size > 0) {
      for (const id of ids.keys()) {
        const rowid = this.map.get(id);
        if (rowid !== undefined) found.set(id, rowid);
      }
    }
    if (this.pending.length === 0) return found;
    // Most ids the commits list are not looked for: asked of a filter first, whose "maybe" `ids` answers.
    const wanted = filter ?? KeyFilter.of(ids.keys(), ids.size);
    // Commit by commit, as they happened: a row deleted by one and inserted again by a later one has the later's row id.
    for (const { added, fingerprints, firstRowid, removed } of this.pending) {
      for (const id of removed) found.delete(id);
      for (let i = 0; i < added.length; i++) if (wanted.mayHaveFingerprint(fingerprints[i]) && ids.has(added[i])) found.set(added[i], firstRowid + i);
    }
    return found;
  }

  private settle(): void {
    for (const { added, firstRowid, removed } of this.pending) {
      for (const id of removed) this.map.delete(id);
      for (let i = 0; i < added.length; i++) this.map.set(added[i], firstRowid + i);
    }
    this.pending = [];
    this.pendingIds = 0;
  }
}
