import {
  ANY,
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  type Filter,
  type JSONType,
  NO_STREAM,
  type Position,
  type ReadPosition,
  type ReadRevision,
  type ReadStreamOptions as EsdbReadStreamOptions,
  type RecordedEvent as EsdbRecordedEvent,
  type ResolvedEvent,
  START,
  STREAM_EXISTS,
  type StreamingRead,
  type WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  isCommandError,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import {
  type AppendResult,
  DuplicateEventIdError,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type LogFilter,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedRevisionError,
  matchesFilter,
} from './event-store.port.js';

export interface EventStoreDbEventStoreOptions {
  /** Events per request when paging through `$all`. */
  pageSize?: number;
  /** First wait before re-subscribing after a subscription dropped; doubles per failed attempt. */
  resubscribeInitialDelayMs?: number;
  /** Longest wait between re-subscription attempts. */
  resubscribeMaxDelayMs?: number;
  /** Called when a subscription dropped and is about to re-subscribe (for logging). */
  onSubscriptionDropped?: (error: unknown, retryInMs: number) => void;
  /** How many event ids of recent appends this process remembers, to answer repeats and refuse duplicates. */
  recentEventIds?: number;
  /** How many events from the end of a stream are searched for an earlier copy of an append after a conflict. */
  replayScanLimit?: number;
}

/**
 * The event log in EventStoreDB (or KurrentDB), through the gRPC client.
 *
 * Positions are commit positions in `$all`. Every event appended over gRPC is its own implicitly committed
 * record, so its commit position equals its prepare position and `{ commit: p, prepare: p }` is a valid
 * place to read or subscribe from. (Events written with explicit transactions by the retired TCP client
 * share one commit position; such logs are not supported.)
 *
 * What EventStoreDB itself guarantees, and what this adapter adds to keep the port's semantics:
 * - A repeat of an append with the same expected revision (or any older one, including `no_stream`) is
 *   answered by the server as idempotent when the ids stand where that revision would put them. While the
 *   original write is not yet replicated the server drops the repeat instead, and the client times out.
 * - With `any` / `stream_exists` the server only recognises a repeat from its bounded in-memory cache of
 *   recent event ids; past that it writes the events a second time. This adapter remembers the ids of its
 *   own recent appends (per process) and answers such repeats itself.
 * - When an append fails with wrong-expected-version, the end of the stream is searched for the ids, so a
 *   repeat answers the first result whatever the stream looks like now (within `replayScanLimit` events).
 * - The server does NOT refuse an event id that already stands in another stream: it writes it again.
 *   There is no lookup by id, so this adapter can only refuse ids it has seen appended by this process
 *   (`DuplicateEventIdError`); a duplicate written by another process goes through.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly pageSize: number;
  private readonly recentIds: RecentEventIds;
  private readonly replayScanLimit: number;
  /** Appends in flight, by event id: a second append of the same id waits for the first to settle. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly subscriptions = new Set<EsdbAllSubscription>();
  private closed = false;

  /** `connection` is a connection string (`esdb://…`, `kurrentdb://…`) or a client the store then owns. */
  constructor(
    connection: string | EventStoreDBClient,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(toEsdbConnectionString(connection)) : connection;
    // At least 2: pages overlap by one event, as a read from a position includes the event there.
    this.pageSize = Math.max(2, options.pageSize ?? 500);
    this.recentIds = new RecentEventIds(options.recentEventIds ?? 100_000);
    this.replayScanLimit = Math.max(1, options.replayScanLimit ?? 10_000);
  }

  async append(stream: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new Error('an append needs at least one event');
    const ids = events.map((event) => normaliseId(event.id));
    const seen = new Set<string>();
    for (const [i, id] of ids.entries()) {
      if (seen.has(id)) throw new DuplicateEventIdError(events[i].id, stream);
      seen.add(id);
    }
    return this.exclusively(ids, () => this.appendOnce(stream, events, expectedRevision));
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (maxCount <= 0) return [];
    const backwards = options.direction === 'backwards';
    const read = (fromRevision: ReadRevision) =>
      this.readResolved(stream, { direction: backwards ? BACKWARDS : FORWARDS, fromRevision, maxCount, resolveLinkTos: true });

    let resolved = await read(options.fromRevision ?? (backwards ? END : START));
    const from = options.fromRevision;
    if (backwards && from !== undefined && revisionInStream(resolved[0]) !== from) {
      // Backwards from beyond the end of the stream: answer from its end, as the other adapters do.
      const fromEnd = await read(END);
      const last = revisionInStream(fromEnd[0]);
      if (last !== undefined && last < from) resolved = fromEnd;
    }
    return resolved.flatMap((event) => {
      const recorded = fromStreamRead(event);
      return recorded ? [recorded] : [];
    });
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const result: RecordedEvent[] = [];
    if (limit <= 0) return result;
    // Client 6.x cannot filter a read of $all on the server (only subscriptions), so pages are filtered here.
    let from: ReadPosition = options.after === undefined ? START : positionAt(options.after);
    let after = options.after;
    for (;;) {
      const page: AllStreamResolvedEvent[] = await drain(this.client.readAll({ fromPosition: from, direction: FORWARDS, maxCount: this.pageSize, resolveLinkTos: false }));
      for (const { event: record } of page) {
        if (!record) continue;
        from = record.position;
        // The read starts at `from` inclusive: skip what was delivered before.
        if (after !== undefined && record.position.commit <= after) continue;
        after = record.position.commit;
        const event = fromLog(record);
        if (!event || !matchesFilter(event, options.filter)) continue;
        result.push(event);
        if (result.length >= limit) return result;
      }
      if (page.length < this.pageSize) return result;
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const filter = serverFilter(options.filter);
    const subscription = new EsdbAllSubscription(
      (after) =>
        this.client.subscribeToAll({
          fromPosition: after === undefined ? START : positionAt(after),
          filter,
          resolveLinkTos: false,
        }),
      {
        after: options.after,
        filter: options.filter,
        initialDelayMs: this.options.resubscribeInitialDelayMs ?? 100,
        maxDelayMs: this.options.resubscribeMaxDelayMs ?? 5_000,
        onDropped: this.options.onSubscriptionDropped,
        onClosed: () => this.subscriptions.delete(subscription),
      },
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint | undefined> {
    this.assertOpen();
    // The tail of $all is mostly system events (stats, projections, scavenges); page back to a user event.
    let from: ReadPosition = END;
    for (;;) {
      const page: AllStreamResolvedEvent[] = await drain(this.client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: this.pageSize, resolveLinkTos: false }));
      for (const { event: record } of page) {
        if (!record) continue;
        if (!isSystemEvent(record)) return record.position.commit;
        from = record.position;
      }
      if (page.length < this.pageSize) return undefined;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private async appendOnce(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    const remembered = this.recentIds.replay(stream, events);
    if (remembered) return remembered;

    let written;
    try {
      written = await onLeader(() =>
        this.client.appendToStream(stream, events.map(toEventData), { expectedRevision: toEsdbExpectedRevision(expected) }),
      );
    } catch (error) {
      if (isWrongExpectedVersion(error)) return this.afterConflict(stream, events, expected, error.actualVersion);
      throw error;
    }
    // Only when the connection string sets throwOnAppendFailure=false; the reported revision is then unreliable.
    if (!written.success) return this.afterConflict(stream, events, expected, await this.currentRevision(stream));

    const result: AppendResult = {
      nextExpectedRevision: written.nextExpectedRevision,
      position: validPosition(written.position?.commit) ?? (await this.positionOf(stream, written.nextExpectedRevision)),
    };
    this.recentIds.remember(stream, events, result);
    return result;
  }

  /**
   * The stream did not stand at the expected revision. If the same ids already stand in the stream, in
   * order, this is a repeat of an earlier append: answer its result. Otherwise it is a conflict.
   */
  private async afterConflict(
    stream: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
    actual: bigint | 'no_stream',
  ): Promise<AppendResult> {
    const tail = await this.readRecords(stream, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: this.replayScanLimit,
      resolveLinkTos: false,
      requiresLeader: true,
    });
    const byId = new Map(tail.map((event) => [normaliseId(event.id), event]));
    const first = byId.get(normaliseId(events[0].id));
    if (!first) throw new WrongExpectedRevisionError(stream, expected, actual);
    let last = first;
    for (let i = 1; i < events.length; i++) {
      const stored = byId.get(normaliseId(events[i].id));
      if (!stored || stored.revision !== first.revision + BigInt(i)) throw new DuplicateEventIdError(events[i].id, stream);
      last = stored;
    }
    const result: AppendResult = { nextExpectedRevision: last.revision, position: last.position };
    this.recentIds.remember(stream, events, result);
    return result;
  }

  private async currentRevision(stream: string): Promise<bigint | 'no_stream'> {
    const [last] = await this.readRecords(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1, requiresLeader: true });
    return last ? last.revision : 'no_stream';
  }

  /** The position of the event at a revision, for an append result that came without one. */
  private async positionOf(stream: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readRecords(stream, { direction: FORWARDS, fromRevision: revision, maxCount: 1, requiresLeader: true });
    if (!event) throw new Error(`EventStoreDB acknowledged an append to ${stream} at revision ${revision}, but it cannot be read back`);
    return event.position;
  }

  /** The events of a stream as stored (links not resolved); empty for a missing stream. */
  private async readRecords(stream: string, options: EsdbReadStreamOptions): Promise<RecordedEvent[]> {
    const resolved = await onLeader(() => this.readResolved(stream, { ...options, resolveLinkTos: false }));
    return resolved.flatMap(({ event, commitPosition }) => (event ? [toRecorded(event, commitPositionOf(event, commitPosition))] : []));
  }

  private async readResolved(stream: string, options: EsdbReadStreamOptions): Promise<ResolvedEvent[]> {
    try {
      return await drain(this.client.readStream(stream, options));
    } catch (error) {
      // v6 reports a missing stream as an error while reading, not as an empty read.
      if (error instanceof Error && isCommandError(error) && (error.type === ErrorType.STREAM_NOT_FOUND || error.type === ErrorType.STREAM_DELETED)) {
        return [];
      }
      throw error;
    }
  }

  /** Runs `append` once no other append of this process holds one of `ids`. */
  private async exclusively<T>(ids: readonly string[], append: () => Promise<T>): Promise<T> {
    for (;;) {
      const busy = ids.flatMap((id) => this.inFlight.get(id) ?? []);
      if (busy.length === 0) break;
      await Promise.all(busy);
    }
    const result = append();
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    for (const id of ids) this.inFlight.set(id, settled);
    try {
      return await result;
    } finally {
      for (const id of ids) if (this.inFlight.get(id) === settled) this.inFlight.delete(id);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}

interface DroppedSubscriptionOptions {
  after?: bigint;
  filter?: LogFilter;
  initialDelayMs: number;
  maxDelayMs: number;
  onDropped?: (error: unknown, retryInMs: number) => void;
  onClosed?: () => void;
}

/**
 * A catch-up subscription to `$all` that survives dropped connections: when the server subscription
 * fails (and was not closed by us), it subscribes again after the last delivered position, waiting
 * `initialDelayMs`, doubling up to `maxDelayMs` while it keeps failing. Events at or before the last
 * delivered position are skipped, so nothing is delivered twice.
 *
 * Back-pressure: the client's subscription is a Node stream fed by the gRPC call; it is read through its
 * async iterator, so a slow consumer fills the stream's buffer and then the gRPC flow control holds the server.
 */
export class EsdbAllSubscription implements Subscription {
  private cursor: bigint | undefined;
  private closed = false;
  private started = false;
  private source: AllStreamSubscription | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly open: (after: bigint | undefined) => AllStreamSubscription,
    private readonly options: DroppedSubscriptionOptions,
  ) {
    this.cursor = options.after;
  }

  get lastPosition(): bigint | undefined {
    return this.cursor;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    const source = this.source;
    this.source = undefined;
    if (source) await stop(source);
    this.options.onClosed?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('a subscription can be iterated once; open a new one to resume');
    this.started = true;
    let delay = this.options.initialDelayMs;
    try {
      while (!this.closed) {
        const source = this.open(this.cursor);
        this.source = source;
        let dropped: unknown;
        try {
          for await (const { event: record } of source) {
            delay = this.options.initialDelayMs;
            const event = record && fromLog(record);
            if (!event) continue;
            if (this.cursor !== undefined && event.position <= this.cursor) continue;
            if (!matchesFilter(event, this.options.filter)) continue;
            this.cursor = event.position;
            yield event;
            if (this.closed) return;
          }
          dropped = new Error('the EventStoreDB subscription ended');
        } catch (error) {
          dropped = error;
        } finally {
          if (this.source === source) this.source = undefined;
          await stop(source);
        }
        if (this.closed) return;
        if (isPermanentError(dropped)) throw dropped;
        this.options.onDropped?.(dropped, delay);
        await this.pause(delay);
        delay = Math.min(delay * 2, this.options.maxDelayMs);
      }
    } finally {
      // Also when the consumer breaks out of its loop: the subscription is done then.
      await this.close();
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

/**
 * Event ids of this process's recent appends, oldest dropped first. Insertion order is never refreshed,
 * so the ids of one append are dropped first-to-last and a present first id implies the rest are present.
 */
class RecentEventIds {
  private readonly entries = new Map<string, { stream: string; revision: bigint; position?: bigint }>();

  constructor(private readonly capacity: number) {}

  remember(stream: string, events: readonly EventToAppend[], result: AppendResult): void {
    if (this.capacity <= 0) return;
    const firstRevision = result.nextExpectedRevision - BigInt(events.length - 1);
    events.forEach((event, i) => {
      const id = normaliseId(event.id);
      this.entries.delete(id);
      // The server reports the position of the last event of an append only.
      this.entries.set(id, { stream, revision: firstRevision + BigInt(i), position: i === events.length - 1 ? result.position : undefined });
    });
    for (const id of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(id);
    }
  }

  /** The first result of a repeated append, if it is known here; refuses ids known to stand elsewhere. */
  replay(stream: string, events: readonly EventToAppend[]): AppendResult | undefined {
    const first = this.entries.get(normaliseId(events[0].id));
    if (!first) {
      for (const event of events.slice(1)) {
        if (this.entries.has(normaliseId(event.id))) throw new DuplicateEventIdError(event.id, stream);
      }
      return undefined;
    }
    if (first.stream !== stream) throw new DuplicateEventIdError(events[0].id, stream);
    let last = first;
    for (let i = 1; i < events.length; i++) {
      const stored = this.entries.get(normaliseId(events[i].id));
      if (!stored || stored.stream !== stream || stored.revision !== first.revision + BigInt(i)) {
        throw new DuplicateEventIdError(events[i].id, stream);
      }
      last = stored;
    }
    // A prefix of an earlier append: its position is not known here, the server answers it.
    if (last.position === undefined) return undefined;
    return { nextExpectedRevision: last.revision, position: last.position };
  }
}

/** Commit position that EventStoreDB uses for "no position" (ulong.MaxValue). */
const NO_POSITION = 2n ** 64n - 1n;

function validPosition(position: bigint | undefined): bigint | undefined {
  return position !== undefined && position >= 0n && position !== NO_POSITION ? position : undefined;
}

/** The commit position of an event; stream reads carry it on the record from server 22.6 on. */
function commitPositionOf(event: EsdbRecordedEvent, fallback?: bigint): bigint {
  const position = validPosition(event.position?.commit) ?? validPosition(fallback);
  if (position === undefined) {
    throw new Error(`EventStoreDB did not report the log position of event ${event.id} in ${event.streamId}; this needs EventStoreDB 22.6 or later`);
  }
  return position;
}

function positionAt(commit: bigint): Position {
  return { commit, prepare: commit };
}

function isSystemEvent(event: { type: string; streamId: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

function toRecorded(event: EsdbRecordedEvent, position: bigint): RecordedEvent {
  return {
    id: event.id,
    type: event.type,
    stream: event.streamId,
    revision: event.revision,
    position,
    data: event.data,
    metadata: (event.metadata ?? {}) as unknown as EventMetadata,
    recordedAt: event.created,
  };
}

/** An event read from `$all`, or undefined for system events and links (their targets are in the log themselves). */
function fromLog(record: AllStreamRecordedEvent): RecordedEvent | undefined {
  return isSystemEvent(record) ? undefined : toRecorded(record, record.position.commit);
}

/** An event read from a stream with links resolved: the linked event itself, with its own stream, revision and position. */
function fromStreamRead({ event, link, commitPosition }: ResolvedEvent): RecordedEvent | undefined {
  // No event, or a bare link: the link's target is gone (deleted or scavenged).
  if (!event || event.type === '$>') return undefined;
  // commitPosition belongs to the link when there is one, not to the event it points to.
  return toRecorded(event, commitPositionOf(event, link ? undefined : commitPosition));
}

/** The revision in the stream that was read: the link's when the event came through a link. */
function revisionInStream(resolved: ResolvedEvent | undefined): bigint | undefined {
  return (resolved?.link ?? resolved?.event)?.revision;
}

function toEventData(event: EventToAppend) {
  // The given id is kept: EventStoreDB's idempotence works on event ids.
  return jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata: event.metadata });
}

function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return expected;
  }
}

/**
 * The server applies one filter, on stream name or on event type, by prefix. It only narrows what is
 * sent; `matchesFilter` decides (a prefix `ab` also lets `abc-1` through).
 */
function serverFilter(filter: LogFilter | undefined): Filter {
  if (filter?.streamCategories?.length) return streamNameFilter({ prefixes: [...filter.streamCategories] });
  if (filter?.eventTypes?.length) return eventTypeFilter({ prefixes: [...filter.eventTypes] });
  return excludeSystemEvents();
}

function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return error instanceof Error && isCommandError(error) && error.type === ErrorType.WRONG_EXPECTED_VERSION;
}

/** Errors a new subscription would run into again. */
function isPermanentError(error: unknown): boolean {
  if (!(error instanceof Error) || !isCommandError(error)) return false;
  return error.type === ErrorType.ACCESS_DENIED || error.type === ErrorType.INVALID_ARGUMENT || error.type === ErrorType.UNSUPPORTED;
}

/**
 * Runs an operation that must reach the leader. On a follower it fails with not-leader, after which the
 * client reconnects to the leader it was told about; one retry then reaches it. Safe for appends too:
 * a follower writes nothing, and a repeat with the same ids is answered as idempotent.
 */
async function onLeader<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof Error && isCommandError(error) && error.type === ErrorType.NOT_LEADER) return operation();
    throw error;
  }
}

async function drain<E>(read: StreamingRead<E>): Promise<E[]> {
  const events: E[] = [];
  try {
    for await (const event of read) events.push(event);
  } finally {
    // The client re-emits late gRPC errors on the stream; without a listener they would crash the process.
    read.on('error', () => undefined);
  }
  return events;
}

async function stop(source: AllStreamSubscription): Promise<void> {
  // destroy() ends a pending read of the iterator at once; unsubscribe() cancels the gRPC call.
  source.on('error', () => undefined);
  source.destroy();
  try {
    await source.unsubscribe();
  } catch {
    // The call never started or is already gone.
  }
}

function normaliseId(id: string): string {
  // The server answers ids in lower case.
  return id.toLowerCase();
}

/** Client 6.x knows only the esdb schemes; KurrentDB's own schemes mean the same. */
function toEsdbConnectionString(connectionString: string): string {
  return connectionString.replace(/^(?:kurrentdb|kdb)(\+discover)?:\/\//, (_match, discover: string | undefined) => `esdb${discover ?? ''}://`);
}
