import type { EventStore, RecordedEvent } from '@app/event-store';

/** A stretch of the whole log: every event after `after` up to and including `through`. */
interface Segment {
  after: bigint;
  through: bigint;
  events: RecordedEvent[];
}

export interface LogPage {
  /** The events after the position asked for, in log order (all types: the reader filters). */
  events: RecordedEvent[];
  /** The last position this page covers; the position asked for when the log has nothing after it. */
  through: bigint | undefined;
}

const START = -1n;

interface HeadWaiter {
  after: bigint;
  resolve: () => void;
}

/**
 * Pages of the whole log, read and parsed once for every projection runner that catches up over the
 * same stretch. When projections rebuild together, or start together on a long log, they move
 * through the log at similar speeds; without this, each would read and parse every event itself.
 *
 * Each runner still reads from its own checkpoint at its own pace: a page is handed out as often as
 * it is asked for, and a runner that has fallen behind the pages kept here reads its own (which
 * others behind it then share). So a slow or failing runner holds back no other; it only shares less.
 *
 * The events handed out are shared by all projections: they must treat them as read-only (they do:
 * documents copy what they keep from an event, and evolve changes only documents).
 */
export class SharedLogPages {
  private readonly segments: Segment[] = [];
  private readonly reading = new Map<bigint, Promise<Segment | null>>();
  private readonly waiting = new Set<HeadWaiter>();
  private watching: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EventStore,
    /** Events per page read from the store. */
    private readonly pageSize = 500,
    /** While someone waits at the head, how often to look whether the log moved on. */
    private readonly headPollMs = 10,
    /**
     * Pages kept for runners behind the leader (memory: pageSize × keep events). Runners catching up
     * take a page each in turn, so they keep within a page of each other (a 1M-event rebuild reads
     * every page once with one kept). Every page kept holds its events past a young-generation
     * collection and into the old one: with six, garbage collection cost a fifth more.
     */
    private readonly keep = 2,
  ) {}

  /**
   * Settles once the log's head is past `after`: one watch of the head for every runner waiting
   * (a cheap read of the durable position on SQLite), while any waits. Also settles on an error of
   * the store (the reader then meets it itself). `cancel` stops waiting.
   */
  waitBeyond(after: bigint | undefined): { promise: Promise<void>; cancel: () => void } {
    let waiter!: HeadWaiter;
    const promise = new Promise<void>((resolve) => (waiter = { after: after ?? START, resolve }));
    this.waiting.add(waiter);
    this.watching ??= setTimeout(() => void this.watchHead(), this.headPollMs);
    return {
      promise,
      cancel: () => {
        this.waiting.delete(waiter);
        waiter.resolve();
      },
    };
  }

  private async watchHead(): Promise<void> {
    let head: bigint | undefined;
    let failed = false;
    try {
      head = await this.store.headPosition();
    } catch {
      failed = true;
    }
    for (const waiter of this.waiting) {
      if (failed || (head !== undefined && head > waiter.after)) {
        this.waiting.delete(waiter);
        waiter.resolve();
      }
    }
    this.watching = this.waiting.size > 0 ? setTimeout(() => void this.watchHead(), this.headPollMs) : undefined;
  }

  /** The events after `after` (undefined: from the start), up to the end of one page. */
  async read(after: bigint | undefined): Promise<LogPage> {
    const from = after ?? START;
    const segment = this.find(from) ?? (await this.load(from));
    if (!segment) return { events: [], through: after };
    return { events: from === segment.after ? segment.events : segment.events.slice(firstAfter(segment.events, from)), through: segment.through };
  }

  private find(from: bigint): Segment | undefined {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const segment = this.segments[i];
      if (segment.after <= from && from < segment.through) return segment;
    }
    return undefined;
  }

  /** Reads the page after `from`; runners asking for the same position meanwhile wait for the same read. */
  private load(from: bigint): Promise<Segment | null> {
    let pending = this.reading.get(from);
    if (!pending) {
      // Lean: projections look at an event's type, position, revision and data; the few that look at its id,
      // stream, metadata or time (the decision log, a failure's report) have them read on first use.
      pending = this.store
        .readAll({ after: from === START ? undefined : from, maxCount: this.pageSize, lean: true })
        .then((events) => {
          if (events.length === 0) return null;
          const segment: Segment = { after: from, through: events[events.length - 1].position, events };
          this.segments.push(segment);
          if (this.segments.length > this.keep) this.segments.shift();
          return segment;
        })
        .finally(() => this.reading.delete(from));
      this.reading.set(from, pending);
    }
    return pending;
  }
}

/** Index of the first event with a position after `position` (events are in position order). */
function firstAfter(events: readonly RecordedEvent[], position: bigint): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle].position <= position) low = middle + 1;
    else high = middle;
  }
  return low;
}
