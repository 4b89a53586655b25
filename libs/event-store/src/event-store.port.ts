/**
 * The event log. Every adapter (SQLite, EventStoreDB, in-memory) keeps exactly these semantics;
 * `event-store.contract.ts` is the suite that proves it.
 *
 * Revisions count from 0 within a stream (as in EventStoreDB). Positions are global, strictly
 * increasing in log order, and only comparable within one store. Both are `bigint` inside the
 * system and strings at the HTTP edge.
 */

/** What a writer expects of a stream before its append. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

export interface EventMetadata {
  /** Who: actor id, role and organisation. */
  actor: { id: string; role: string; organisation: string };
  /** The command that caused the event, by name. */
  command: string;
  correlationId: string;
  causationId: string;
  /** Set when the command carried an Idempotency-Key: the key and a hash of the request. */
  idempotencyKey?: string;
  requestHash?: string;
  [extra: string]: unknown;
}

export interface EventToAppend {
  /** A UUID. Appending the same ids to the same stream again is a no-op that answers the first result. */
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export interface RecordedEvent {
  id: string;
  type: string;
  stream: string;
  revision: bigint;
  position: bigint;
  data: unknown;
  metadata: EventMetadata;
  recordedAt: Date;
}

export interface AppendResult {
  /** The revision of the last event now in the stream. */
  nextExpectedRevision: bigint;
  /** The global position of the last event appended. */
  position: bigint;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Forwards defaults to 0, backwards to the end of the stream. */
  fromRevision?: bigint;
  maxCount?: number;
}

export interface LogFilter {
  /** Only events of these types. */
  eventTypes?: readonly string[];
  /** Only events whose stream is `<category>-…` for one of these categories. */
  streamCategories?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omitted: from the start of the log. */
  after?: bigint;
  maxCount?: number;
  filter?: LogFilter;
  /**
   * For a reader that looks at little more than each event's type, position, revision and data (the
   * projector): the adapter may read an event's id, stream, metadata and recordedAt only when one of
   * them is first asked for. They read the same, but until then are not own properties of the event,
   * so a spread or a `structuredClone` does not copy them. Adapters that read whole events anyway
   * (in-memory, EventStoreDB) answer whole events.
   */
  lean?: boolean;
}

export interface SubscribeOptions {
  /** Exclusive: deliver events strictly after this position. Omitted: from the start of the log. */
  after?: bigint;
  filter?: LogFilter;
}

/**
 * A catch-up subscription to the whole log: history first, then live events, in log order.
 * Pull-based (async iteration), so a slow consumer holds the reader back instead of filling memory.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  /** The position of the last event delivered; resume a new subscription `after` it. */
  readonly lastPosition: bigint | undefined;
  close(): Promise<void>;
}

export interface EventStore {
  append(stream: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream; an empty array for a stream that does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** A page of the global log, in order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** The position of the last event in the log, or undefined for an empty log. */
  headPosition(): Promise<bigint | undefined>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

/** The stream did not stand where the writer expected it. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${stream}: expected ${String(expected)}, but it is at ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An event id that is already in the log in another place than this append would put it. */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly eventId: string,
    readonly stream: string,
  ) {
    super(`event ${eventId} is already in the log, not as part of this append to ${stream}`);
    this.name = 'DuplicateEventIdError';
  }
}

/**
 * An event read from the log could not read what it reads on first use (its metadata, or a lean
 * page's id, stream and time): a fault of the store, as a failed read of a page would be, not of
 * the code that asked.
 */
export class EventDetailsUnavailableError extends Error {
  constructor(
    readonly position: bigint,
    cause: unknown,
  ) {
    super(`the details of the event at position ${position} could not be read: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'EventDetailsUnavailableError';
  }
}

export function streamCategory(stream: string): string {
  const dash = stream.indexOf('-');
  return dash === -1 ? stream : stream.slice(0, dash);
}

export function matchesFilter(event: { type: string; stream: string }, filter: LogFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (filter.streamCategories && !filter.streamCategories.includes(streamCategory(event.stream))) return false;
  return true;
}

/** Checks an expected revision against a stream's current revision (undefined: no stream). */
export function expectedRevisionHolds(expected: ExpectedRevision, current: bigint | undefined): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === undefined;
    case 'stream_exists':
      return current !== undefined;
    default:
      return current === expected;
  }
}
