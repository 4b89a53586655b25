/**
 * Strings that projections use over and over as document ids and count keys, made (or found) once
 * and handed out again. A string that is new for every event (built afresh, or parsed with the
 * event's data) costs more each time it is used: every map it passes through (the runner's cache and
 * dirty set, the touched documents, the changes) hashes it again, and a count object must look it up
 * in V8's table of property names first (about 150 ns for a key of twenty characters). The strings
 * handed out here are property names already, so none of that is repeated.
 *
 * What they made is kept as long as the functions are: make them per projection, for strings with
 * few values (municipalities, dates, categories, areas, places and sources), never for ids of events
 * or for strings a query is asked about.
 */

/** `text` as a property name (an internalized string): the one V8 keeps for it, found by content. */
function propertyName(text: string): string {
  // Object.keys answers the names an object keeps; there is no more direct way to ask for one.
  return Object.keys({ [text]: 0 })[0];
}

/** The same string for the same text, ready to be a key of a count object. */
export function internedNames(): <T extends string>(text: T) => T {
  const names = new Map<string, string>();
  return <T extends string>(text: T) => {
    let name = names.get(text);
    if (name === undefined) names.set(text, (name = propertyName(text)));
    return name as T;
  };
}

/**
 * `make(first, second)`, made once per pair of parts. The parts are usually interned too (an id
 * made here, a date from a cache, a name from `internedNames`) or numbers (a day), so finding the
 * pair costs little.
 */
export function internedPairs<F, S>(make: (first: F, second: S) => string): (first: F, second: S) => string {
  const byFirst = new Map<F, Map<S, string>>();
  return (first, second) => {
    let bySecond = byFirst.get(first);
    if (bySecond === undefined) byFirst.set(first, (bySecond = new Map()));
    let made = bySecond.get(second);
    if (made === undefined) bySecond.set(second, (made = propertyName(make(first, second))));
    return made;
  };
}

/** Days a chunk of `internedByDay` holds: a few hundred, so that a year or two of days is one or two small arrays. */
const DAY_CHUNK_BITS = 8;
const DAY_CHUNK = 1 << DAY_CHUNK_BITS;
/** Day numbers from 0 (1970-01-01) below this are kept in chunks (up to the year 2149); any other day in a Map. */
const CHUNKED_DAYS = 1 << 16;

/**
 * `internedPairs` for pairs whose second part is a day number (days since 1970-01-01), as the
 * projections that count incidents by day or period look them up for every incident. Found in a Map
 * of a few thousand day numbers, the pairs took about 0.3 µs an incident on the rebuild bench (the
 * incidents come in no order of day, so the Map's entries are seldom in the CPU's caches); here a
 * day is found by indexing two small arrays, and the thread of the four projections besides the
 * register took some 0.3–0.6 s less CPU for a million events (bench/README, eighth round).
 */
export function internedByDay<F>(make: (first: F, day: number) => string): (first: F, day: number) => string {
  const byFirst = new Map<F, Array<Array<string | undefined> | undefined>>();
  const elsewhere = internedPairs(make);
  return (first, day) => {
    if (!(day >= 0 && day < CHUNKED_DAYS && Number.isInteger(day))) return elsewhere(first, day);
    let chunks = byFirst.get(first);
    if (chunks === undefined) byFirst.set(first, (chunks = []));
    const c = day >>> DAY_CHUNK_BITS;
    let chunk = chunks[c];
    if (chunk === undefined) {
      // Filled with undefined, not holes, so that it stays a plain array of elements (the chunks array may have holes).
      chunk = new Array<string | undefined>(DAY_CHUNK).fill(undefined);
      chunks[c] = chunk;
    }
    const i = day & (DAY_CHUNK - 1);
    let made = chunk[i];
    if (made === undefined) chunk[i] = made = propertyName(make(first, day));
    return made;
  };
}
