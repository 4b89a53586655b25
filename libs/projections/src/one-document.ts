/**
 * One document by its key, as a read-only map: what the runner hands `evolve` for an event that names
 * one document (nearly every event of every projection), and what `evolve` returns when it changes
 * one. A `Map` for each costs a hash table as well as the map: the maps handed over and returned were
 * about a quarter of what the situation picture and goal progress allocated, and fewer allocations
 * mean fewer young-generation collections (bench/README, thirteenth round).
 */
export class OneDocument<V> implements ReadonlyMap<string, V> {
  // Declared and assigned, not defined: the bundler defines a class field through a helper that
  // first asks whether the object has it, which took 2 % of the count projections' thread.
  declare readonly key: string;
  declare readonly value: V;

  constructor(key: string, value: V) {
    this.key = key;
    this.value = value;
  }

  get size(): number {
    return 1;
  }

  get(key: string): V | undefined {
    return key === this.key ? this.value : undefined;
  }

  has(key: string): boolean {
    return key === this.key;
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    callback.call(thisArg, this.value, this.key, this);
  }

  entries(): MapIterator<[string, V]> {
    return new Once<[string, V]>([this.key, this.value]);
  }

  keys(): MapIterator<string> {
    return new Once(this.key);
  }

  values(): MapIterator<V> {
    return new Once(this.value);
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}

/**
 * The key of the only document in `documents`; undefined when there are none or several. For a
 * `OneDocument` it is a field read, where a `for...of` makes an iterator, an entry and a result
 * object (bench/README, thirteenth round).
 */
export function onlyKey(documents: ReadonlyMap<string, unknown>): string | undefined {
  if (documents instanceof OneDocument) return documents.key;
  return documents.size === 1 ? documents.keys().next().value : undefined;
}

/**
 * The documents `keys` names, as the runner hands them to `evolve`: a `OneDocument` for one key, else
 * a map in the order of the keys.
 */
export function namedDocuments<V>(keys: readonly string[], documentOf: (key: string) => V): ReadonlyMap<string, V> {
  return keys.length === 1 ? new OneDocument(keys[0], documentOf(keys[0])) : new Map(keys.map((key) => [key, documentOf(key)] as const));
}

/** No document changed. */
export const NO_CHANGES: ReadonlyMap<string, never> = new Map<string, never>();

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/** An iterator over one item. */
class Once<T> implements MapIterator<T> {
  // Declared and assigned, as OneDocument's fields.
  declare private done: boolean;
  declare private readonly item: T;

  constructor(item: T) {
    this.item = item;
    this.done = false;
  }

  next(): IteratorResult<T, undefined> {
    if (this.done) return DONE;
    this.done = true;
    return { value: this.item, done: false };
  }

  [Symbol.iterator](): MapIterator<T> {
    return this;
  }

  /** Iterators are disposable; this one holds nothing to release. */
  [Symbol.dispose](): void {}
}
