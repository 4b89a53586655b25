import type { RecordedEvent } from '@app/event-store';
import type { CollectionSchema } from '@app/read-store';
import { namedDocuments, NO_CHANGES, OneDocument } from './one-document.js';

/** An event as a projection sees it: what the log recorded. */
export type ProjectedEvent = RecordedEvent;

/** Every read document carries the log position of the last event applied to it. */
export interface PositionedDocument {
  /** Decimal string of the global log position last applied (strings survive JSON; compare as BigInt). */
  lastPosition: string;
}

/**
 * One projection answers one question. It is pure: which documents an event concerns (`keys`), and
 * how those documents change (`evolve`). The projector runs it with its own subscription and
 * checkpoint, and writes the changed documents and the checkpoint together.
 *
 * `D` is a document as the read store keeps it; `M` as `evolve` keeps it in memory, where that
 * differs (see `stored`).
 */
export interface Projection<D extends PositionedDocument, M extends PositionedDocument = D> {
  /** Stable name, also the read-store collection prefix: `situation-picture`. */
  readonly name: string;
  /** Bump to rebuild into a new collection beside the old one. */
  readonly version: number;
  /** The event types it handles; the subscription is filtered on them. */
  readonly eventTypes: readonly string[];
  /**
   * The document fields its queries filter and sort on, and their indexes. Omitted: lookups by id
   * only. Changing it needs a new `version` (the read store refuses a changed schema).
   */
  readonly schema?: CollectionSchema;
  /**
   * The settings its documents depend on (the anchor and time zone periods are cut in). A collection
   * made with other settings is rebuilt from the log, like one of another version.
   */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * Each document `evolve` returns is made from the event alone: it never reads the documents it is
   * handed. The runner then hands it none (every key named, each undefined), and neither loads nor
   * keeps them: what it returns replaces what the store holds. That spares a projection with a
   * document per stream (the incident register: an entry per incident, about a million in a
   * rebuild) a cache of every document and a read of each corrected one.
   *
   * It skips the position guard, which needs the stored document: sound because a read store
   * commits documents and checkpoint together, so the events a runner applies from its checkpoint
   * are newer than any stored document.
   */
  readonly writeOnly?: boolean;
  /**
   * For a write-only projection: whether this event is the first that names its keys, so that the
   * documents it returns are new. The runner then neither looks them up among those waiting for the
   * commit nor has the store look for their rows: they are appended. The incident register: an
   * incident's recording, the first event of its stream.
   */
  creates?(event: ProjectedEvent): boolean;
  /**
   * The document as the read store is to keep it, where `evolve` keeps another form in memory (the
   * count projections keep their counts as `CountVector`s): the runner commits what this returns,
   * and `project` answers it. `evolve` takes both forms, since documents come back from the store as
   * they were stored. Omitted: the document is its stored form. (Not for a write-only projection,
   * whose documents are made from the event and never kept.)
   */
  stored?(document: D | M): D;
  /**
   * Reads what `evolve` reads first of a document it keeps (the count projections: the document, its
   * count vector and the vector's array), answering anything read: the runner sums the answers, so
   * the reads are not optimised away. The runner calls it for every document of a page before it
   * applies the page's events. Applying one event is too long a piece of work for the CPU to look
   * ahead into the next event's document, so on a log in random order evolve waits for each object
   * of each document in turn; read in a short loop of their own, the documents of a page are fetched
   * from memory several at a time (bench/README, thirteenth round). Omitted: nothing is read ahead.
   */
  prefetch?(document: D | M): number;
  /**
   * Its CPU per event of the log relative to the others (default 1), measured with the projections
   * bench: projector threads are given projections of about equal total weight.
   */
  readonly weight?: number;
  /** Ids of the documents this event reads or changes (may be several, e.g. neighbouring periods). */
  keys(event: ProjectedEvent): string[];
  /**
   * Pure: the documents named by `keys` (undefined where absent) → the documents it changes
   * (a value of undefined deletes). Documents not returned are unchanged. The runner hands over one
   * document as a `OneDocument`, and one changed document is best returned as one.
   */
  evolve(documents: ReadonlyMap<string, D | M | undefined>, event: ProjectedEvent): ReadonlyMap<string, D | M | undefined>;
}

/**
 * Applies one event with the position guard that makes projections safe to run twice: a document
 * that has already seen this position (or a later one) is not handed to `evolve` again. The
 * documents `evolve` changes carry the event's position in `lastPosition`, unless `stamp` is false:
 * then the caller stamps them before they are stored (the runner, at its commit).
 */
export function applyEvent<D extends PositionedDocument, M extends PositionedDocument = D>(
  projection: Projection<D, M>,
  documents: ReadonlyMap<string, D | M | undefined>,
  event: ProjectedEvent,
  stamp = true,
): ReadonlyMap<string, D | M | undefined> {
  const position = event.position.toString();
  let fresh: ReadonlyMap<string, D | M | undefined> = documents;
  for (const document of documents.values()) {
    if (document === undefined || !seen(document, position)) continue;
    // Rare (a replay after a crash): only then is a filtered copy worth making.
    const unseen = new Map<string, D | M | undefined>();
    for (const [key, other] of documents) if (other === undefined || !seen(other, position)) unseen.set(key, other);
    fresh = unseen;
    break;
  }
  return evolveNamed(projection, fresh, event, stamp ? position : undefined);
}

/**
 * `applyEvent` for documents known to have seen no event at or after this one (none is in the
 * store, or an earlier event of the same run changed it): the runner knows which. The guard reads
 * every document's position, a string apart from the document, which a rebuild mostly finds
 * outside the CPU's caches.
 */
export function applyEventUnguarded<D extends PositionedDocument, M extends PositionedDocument = D>(
  projection: Projection<D, M>,
  documents: ReadonlyMap<string, D | M | undefined>,
  event: ProjectedEvent,
  stamp = true,
): ReadonlyMap<string, D | M | undefined> {
  return evolveNamed(projection, documents, event, stamp ? event.position.toString() : undefined);
}

/** `evolve`, checking that it changed only documents it was handed, which then carry the position (if one is given). */
function evolveNamed<D extends PositionedDocument, M extends PositionedDocument = D>(
  projection: Projection<D, M>,
  documents: ReadonlyMap<string, D | M | undefined>,
  event: ProjectedEvent,
  position: string | undefined,
): ReadonlyMap<string, D | M | undefined> {
  if (documents.size === 0) return NO_CHANGES;
  const changed = projection.evolve(documents, event);
  if (changed instanceof OneDocument) checkNamed(projection, documents, changed.key, changed.value, position);
  else for (const [key, document] of changed) checkNamed(projection, documents, key, document, position);
  return changed;
}

/** Throws unless keys() named the changed document; stamps it with the position, if one is given. */
function checkNamed<D extends PositionedDocument>(
  projection: { name: string },
  documents: ReadonlyMap<string, unknown>,
  key: string,
  document: D | undefined,
  position: string | undefined,
): void {
  if (!documents.has(key)) throw new Error(`${projection.name}: evolve changed ${key}, which keys() did not name`);
  if (document && position !== undefined) document.lastPosition = position;
}

/**
 * Whether the document has applied this position (or a later one) already. Both are decimal strings
 * without leading zeros, so the longer is the larger, and of equal length the text order is the
 * numeric order (no BigInt parse per document and event).
 */
function seen(document: PositionedDocument, position: string): boolean {
  const last = document.lastPosition;
  return last.length !== position.length ? last.length > position.length : last >= position;
}

/**
 * Folds events into documents in memory, as the projector would, and answers them as the read store
 * would keep them (`Projection.stored`): for specs and for rebuild checks.
 */
export function project<D extends PositionedDocument, M extends PositionedDocument = D>(
  projection: Projection<D, M>,
  events: readonly ProjectedEvent[],
  start = new Map<string, D>(),
): Map<string, D> {
  const documents = new Map<string, D | M>(start);
  for (const event of events) {
    if (!projection.eventTypes.includes(event.type)) continue;
    const keys = projection.keys(event);
    const touched = namedDocuments(keys, (key) => documents.get(key));
    for (const [key, document] of applyEvent(projection, touched, event)) {
      if (document === undefined) documents.delete(key);
      else documents.set(key, document);
    }
  }
  const { stored } = projection;
  // Without `stored`, M is D.
  return new Map([...documents].map(([key, document]) => [key, stored ? stored(document) : (document as D)]));
}
