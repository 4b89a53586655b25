/**
 * `make(first, second)`, made once per pair of parts and handed out again. A document id or count
 * key built afresh for every event is a new string each time, which every map it passes through (the
 * runner's cache and dirty set, the touched documents, the changes) hashes again, and which a count
 * object must look up in V8's string table; the same string each time is hashed once. The parts are
 * usually strings that are the same object every time too (an interned id, a date from a cache), so
 * finding the pair costs little. What it made is kept as long as the function is: make one per
 * projection, for parts with few values (municipalities, dates, categories, areas and places), never
 * for ids of events or for parts a query is asked about.
 */
export function internedPairs(make: (first: string, second: string) => string): (first: string, second: string) => string {
  const byFirst = new Map<string, Map<string, string>>();
  return (first, second) => {
    let bySecond = byFirst.get(first);
    if (bySecond === undefined) byFirst.set(first, (bySecond = new Map()));
    let made = bySecond.get(second);
    if (made === undefined) bySecond.set(second, (made = make(first, second)));
    return made;
  };
}
