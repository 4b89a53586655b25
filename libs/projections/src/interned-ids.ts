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
