import { planAppend } from './append-plan.js';
import { CatchUpSubscription, LogSignal } from './catch-up-subscription.js';
import {
  type AppendResult,
  DuplicateEventIdError,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  matchesFilter,
} from './event-store.port.js';

/** The log in memory, for fast unit tests. Same semantics as the durable adapters; nothing survives the process. */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();
  private readonly signal = new LogSignal();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async append(stream: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const plan = planAppend(
      {
        findEvent: (id) => this.byId.get(id),
        eventAt: (name, revision) => this.streams.get(name)?.[Number(revision)],
        streamRevision: (name) => {
          const length = this.streams.get(name)?.length ?? 0;
          return length === 0 ? undefined : BigInt(length - 1);
        },
      },
      stream,
      events,
      expectedRevision,
    );
    if (plan.kind === 'replay') return plan.result;
    for (const event of events) if (this.byId.has(event.id)) throw new DuplicateEventIdError(event.id, stream);

    const recordedAt = this.clock();
    const streamEvents = this.streams.get(stream) ?? [];
    this.streams.set(stream, streamEvents);
    let revision = plan.firstRevision;
    for (const event of events) {
      const recorded: RecordedEvent = {
        id: event.id,
        type: event.type,
        stream,
        revision,
        position: BigInt(this.log.length + 1),
        data: structuredClone(event.data),
        metadata: structuredClone(event.metadata),
        recordedAt,
      };
      this.log.push(recorded);
      streamEvents.push(recorded);
      this.byId.set(recorded.id, recorded);
      revision++;
    }
    this.signal.notify();
    return { nextExpectedRevision: revision - 1n, position: BigInt(this.log.length) };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const events = this.streams.get(stream) ?? [];
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (options.direction === 'backwards') {
      const from = options.fromRevision === undefined ? events.length - 1 : Math.min(Number(options.fromRevision), events.length - 1);
      return events.slice(Math.max(0, from - max + 1), from + 1).reverse();
    }
    const from = Number(options.fromRevision ?? 0n);
    return events.slice(from, from + Math.min(max, events.length));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.page(options.after, options.maxCount ?? Number.MAX_SAFE_INTEGER, options.filter);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return new CatchUpSubscription(async (after, max, filter) => this.page(after, max, filter), () => this.headPosition(), this.signal, options);
  }

  async headPosition(): Promise<bigint | undefined> {
    return this.log.length === 0 ? undefined : BigInt(this.log.length);
  }

  async close(): Promise<void> {}

  private page(after: bigint | undefined, maxCount: number, filter: ReadAllOptions['filter']): RecordedEvent[] {
    const result: RecordedEvent[] = [];
    for (let i = Number(after ?? 0n); i < this.log.length && result.length < maxCount; i++) {
      if (matchesFilter(this.log[i], filter)) result.push(this.log[i]);
    }
    return result;
  }
}
