import type { LogFilter, RecordedEvent, Subscription } from './event-store.port.js';

/**
 * Wakes waiting subscribers when the log has grown. Writers in this process call `notify()` right
 * after a commit, so live delivery has no polling delay; a subscriber also wakes on its poll interval
 * to see what writers in other processes appended.
 */
export class LogSignal {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notify, or after `timeoutMs`, whichever comes first. */
  wait(timeoutMs: number): { promise: Promise<void>; cancel: () => void } {
    let wake!: () => void;
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<void>((resolve) => {
      wake = () => {
        if (timer) clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
      if (Number.isFinite(timeoutMs)) timer = setTimeout(wake, timeoutMs);
    });
    return { promise, cancel: wake };
  }
}

export type PageReader = (after: bigint | undefined, maxCount: number, filter: LogFilter | undefined) => Promise<RecordedEvent[]>;
/** The position of the last event readers can see. */
export type HeadReader = () => Promise<bigint | undefined>;

export interface CatchUpOptions {
  after?: bigint;
  filter?: LogFilter;
  pageSize?: number;
  /** How often to look for events appended by other processes. Infinity: only on notify. */
  pollIntervalMs?: number;
}

/**
 * A catch-up subscription over any store that can read a page of the log after a position:
 * reads pages until it is at the head, then waits for the signal. Only reads the next page when the
 * consumer has taken the current one, which is the back-pressure.
 */
export class CatchUpSubscription implements Subscription {
  /** The last event delivered. */
  private cursor: bigint | undefined;
  /**
   * Where the next read starts: past the last event delivered, and with a filter, past every event
   * it has looked at and passed over, so that a rare type is not searched for again from its last
   * match on every wake-up.
   */
  private scanned: bigint | undefined;
  private closed = false;
  private cancelWait: (() => void) | undefined;
  private started = false;

  constructor(
    private readonly readPage: PageReader,
    private readonly head: HeadReader,
    private readonly signal: LogSignal,
    private readonly options: CatchUpOptions = {},
  ) {
    this.cursor = options.after;
    this.scanned = options.after;
  }

  get lastPosition(): bigint | undefined {
    return this.cursor;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelWait?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('a subscription can be iterated once; open a new one to resume');
    this.started = true;
    const pageSize = this.options.pageSize ?? 500;
    const pollIntervalMs = this.options.pollIntervalMs ?? Number.POSITIVE_INFINITY;
    while (!this.closed) {
      // Register for the wake-up before reading, so an append between the read and the wait is not missed.
      const waiting = this.signal.wait(pollIntervalMs);
      this.cancelWait = waiting.cancel;
      // Read before the page: every event up to it is visible to the page's read.
      const head = this.options.filter ? await this.head() : undefined;
      const page = await this.readPage(this.scanned, pageSize, this.options.filter);
      if (page.length < pageSize && head !== undefined && (this.scanned === undefined || head > this.scanned)) {
        // Nothing else of the filter's up to the head: the next read starts there.
        this.scanned = head;
      }
      if (page.length > 0) {
        waiting.cancel();
        for (const event of page) {
          if (this.closed) return;
          this.cursor = event.position;
          if (this.scanned === undefined || event.position > this.scanned) this.scanned = event.position;
          yield event;
        }
        continue;
      }
      await waiting.promise;
    }
  }
}
