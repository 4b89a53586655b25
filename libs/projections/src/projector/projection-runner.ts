import type { EventStore, RecordedEvent, Subscription } from '@app/event-store';
import type { ReadStore, StoredDocument } from '@app/read-store';
import { applyEvent, type PositionedDocument, type Projection } from '../projection.js';
import { BatchReader } from './batch-reader.js';
import { SharedLogPages } from './shared-log-pages.js';
import { lagOf, type ProjectionFailure, type RunnerStatus } from './projection-status.js';

export type AnyProjection = Projection<PositionedDocument>;

export interface ProjectorLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RunnerOptions {
  /** Most events applied and committed together when live. */
  batchSize: number;
  /** Events per page of the log read while catching up (shared by the runners of a projector). */
  pageSize: number;
  /**
   * Catching up (a rebuild, a start behind the log), the longest time applied events wait in memory
   * before they are committed. Commits are costly (each writes every touched index page whole), so
   * catching up commits rarely: on this interval, when the cache is full, and at the head of the log.
   */
  catchUpCommitMs: number;
  /** How long a batch waits for more events once it has one. */
  lingerMs: number;
  /** When live and idle: how often to look whether the log moved on past events of other types. */
  idleProbeMs: number;
  /** Back-off after an error of the event store or read store: first wait, doubling up to the maximum. */
  retryInitialMs: number;
  retryMaxMs: number;
  /**
   * Documents kept in memory between batches, so hot documents are not loaded again; when exceeded,
   * the changed ones are committed and the cache is emptied.
   */
  cacheSize: number;
  logger: ProjectorLogger;
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = {
  batchSize: 1000,
  pageSize: 2000,
  catchUpCommitMs: 5000,
  lingerMs: 5,
  idleProbeMs: 1000,
  retryInitialMs: 100,
  retryMaxMs: 5000,
  cacheSize: 50_000,
  logger: { log: () => {}, warn: () => {}, error: () => {} },
};

export interface RunnerHooks {
  /** After every commit and checkpoint move. */
  onProgress?(runner: ProjectionRunner): void;
  /** When it reached the head of the log after (re)subscribing; awaited before it reads on. */
  onCaughtUp?(runner: ProjectionRunner): Promise<void>;
  /** When the projection threw: the runner has stopped. */
  onFailed?(runner: ProjectionRunner): void;
}

/** The projection threw on an event: a fault in its code or the event, which a retry would repeat. */
class ProjectionFault extends Error {
  constructor(
    readonly event: RecordedEvent,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Runs one projection into one collection: its own catch-up subscription (filtered on its event
 * types) from its checkpoint, in batches; each batch loads the documents it touches once (or finds
 * them cached), applies the events in log order with `applyEvent`, and commits the changed documents
 * with the new checkpoint in one read-store commit.
 *
 * An error of the stores ends the subscription; the runner subscribes again from the stored
 * checkpoint after a back-off. An error thrown by the projection stops this runner alone, with the
 * event it failed on; what it applied before that event is committed.
 */
export class ProjectionRunner {
  state: RunnerStatus['state'] = 'catching-up';
  checkpoint: bigint | undefined;
  head: bigint | undefined;
  eventsApplied = 0;
  batches = 0;
  retries = 0;
  lastError: { message: string; at: string } | null = null;
  failure: ProjectionFailure | null = null;

  private readonly cache = new Map<string, PositionedDocument | undefined>();
  /** Documents changed by events applied since the last commit (undefined: deleted). */
  private readonly dirty = new Map<string, PositionedDocument | undefined>();
  /** The position of the last event applied in memory; the checkpoint once committed. */
  private applied: bigint | undefined;
  /** Events applied in memory since the last commit. */
  private appliedSinceCommit = 0;
  private lastCommitAt = 0;
  private readonly eventTypes: ReadonlySet<string>;
  private readonly filter;
  private stopping = false;
  private subscription: Subscription | undefined;
  private wakeUp: (() => void) | undefined;
  private wakeRequested = false;
  private signalStopped!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.signalStopped = resolve));
  private running: Promise<void> | undefined;

  constructor(
    readonly projection: AnyProjection,
    readonly collection: string,
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly options: RunnerOptions,
    private readonly hooks: RunnerHooks = {},
    /** Pages of the log shared with the other runners of the projector while catching up. */
    private readonly pages = new SharedLogPages(eventStore, options.pageSize),
  ) {
    this.eventTypes = new Set(projection.eventTypes);
    this.filter = { eventTypes: projection.eventTypes };
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.signalStopped();
    this.wake();
    await this.subscription?.close();
    await this.running;
    if (this.state !== 'failing') this.state = 'stopped';
  }

  /** Look at the head now instead of at the next idle probe (someone waits for a position). */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wakeRequested = true;
  }

  status(head: bigint | undefined): RunnerStatus {
    return {
      collection: this.collection,
      version: this.projection.version,
      state: this.state,
      checkpoint: this.checkpoint?.toString() ?? null,
      lag: lagOf(head, this.checkpoint),
      eventsApplied: this.eventsApplied,
      batches: this.batches,
      retries: this.retries,
      lastError: this.lastError,
      failure: this.failure,
    };
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    let delay = this.options.retryInitialMs;
    while (!this.stopping) {
      let subscription: Subscription | undefined;
      try {
        this.forget();
        this.checkpoint = await this.readStore.checkpoint(this.collection);
        this.applied = this.checkpoint;
        this.state = 'catching-up';
        await this.catchUp();
        if (this.stopping) break;
        await this.goLive();
        subscription = this.eventStore.subscribeToAll({ after: this.checkpoint, filter: this.filter });
        this.subscription = subscription;
        if (this.stopping) break;
        const reader = new BatchReader(subscription[Symbol.asyncIterator]());
        while (!this.stopping) {
          const batch = await reader.next(this.options.batchSize, this.options.lingerMs, this.idle(this.options.idleProbeMs));
          // The wait is over either way; a wake() from here on is remembered for the next one.
          this.wakeUp?.();
          if (batch === null) break;
          if (batch.length === 0) await this.probe();
          else {
            await this.applyAll(batch, batch[batch.length - 1].position);
            await this.commit();
          }
          delay = this.options.retryInitialMs;
        }
        // A subscription only ends when it is closed; if we did not close it, it dropped.
        if (!this.stopping) throw new Error('the subscription ended');
      } catch (error) {
        if (error instanceof ProjectionFault) {
          await this.commit().catch(() => {});
          this.fail(error);
          return;
        }
        if (this.stopping) break;
        this.retries++;
        this.lastError = { message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() };
        logger.warn(`${this.collection}: ${this.lastError.message}; reading again from the checkpoint in ${delay} ms`);
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.options.retryMaxMs);
      } finally {
        await subscription?.close();
      }
    }
    // Stopped while catching up: keep what was applied, so a restart does not apply it again.
    if (this.state !== 'failing') await this.commit().catch(() => {});
  }

  /**
   * From the checkpoint to the head of the log, page by page (pages shared with the other runners),
   * committing rarely: every `catchUpCommitMs`, when the cache is full, and at the head.
   */
  private async catchUp(): Promise<void> {
    this.lastCommitAt = Date.now();
    while (!this.stopping) {
      const page = await this.pages.read(this.applied);
      if (page.through === undefined || page.through === this.applied) break;
      const events = page.events.filter((event) => this.eventTypes.has(event.type));
      // The whole page is covered, events of other types too: the checkpoint moves past them.
      await this.applyAll(events, page.through);
      if (this.cache.size > this.options.cacheSize || Date.now() - this.lastCommitAt >= this.options.catchUpCommitMs) await this.commit();
      // Let queries, health checks and the other runners in between pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.commit();
  }

  /** At the head: builds the query indexes the new collection was filled without, and serves. */
  private async goLive(): Promise<void> {
    if (this.state === 'live') return;
    await this.readStore.index(this.collection);
    this.state = 'live';
    this.options.logger.log(`${this.collection}: live at ${this.checkpoint ?? 'the start of an empty log'}`);
    await this.hooks.onCaughtUp?.(this);
    this.hooks.onProgress?.(this);
  }

  /**
   * Applies events in log order to the documents in memory (loading the ones it touches that are not
   * cached, in one read); `through` is the position the batch covers. Throws a ProjectionFault on the
   * event the projection failed on, with the events before it applied.
   */
  private async applyAll(events: readonly RecordedEvent[], through: bigint): Promise<void> {
    const { projection } = this;
    const keys: string[][] = [];
    let fault: ProjectionFault | undefined;
    for (const event of events) {
      try {
        keys.push(projection.keys(event));
      } catch (error) {
        fault = new ProjectionFault(event, error);
        break;
      }
    }
    await this.load(keys);

    for (let i = 0; i < keys.length; i++) {
      const event = events[i];
      const touched = new Map<string, PositionedDocument | undefined>();
      for (const key of keys[i]) touched.set(key, this.cache.get(key));
      let result;
      try {
        result = applyEvent(projection, touched, event);
      } catch (error) {
        fault = new ProjectionFault(event, error);
        break;
      }
      for (const [key, document] of result) {
        this.cache.set(key, document);
        this.dirty.set(key, document);
      }
      this.applied = event.position;
      this.appliedSinceCommit++;
    }
    if (fault) throw fault;
    if (this.applied === undefined || through > this.applied) this.applied = through;
  }

  /** Makes sure every key is in the cache (undefined where no document exists). */
  private async load(keys: readonly string[][]): Promise<void> {
    const missing = new Set<string>();
    for (const list of keys) for (const key of list) if (!this.cache.has(key)) missing.add(key);
    if (missing.size === 0) return;
    const loaded = await this.readStore.load<StoredDocument>(this.collection, [...missing]);
    for (const key of missing) this.cache.set(key, loaded.get(key) as PositionedDocument | undefined);
  }

  /** Writes the changed documents with the new checkpoint in one read-store commit. */
  private async commit(): Promise<void> {
    if (this.applied === undefined || this.applied === this.checkpoint) return;
    try {
      await this.readStore.commit(this.collection, this.dirty as unknown as Map<string, StoredDocument | undefined>, {
        expected: this.checkpoint,
        next: this.applied,
      });
    } catch (error) {
      // What memory holds beyond the checkpoint was never written.
      this.forget();
      throw error;
    }
    this.checkpoint = this.applied;
    this.eventsApplied += this.appliedSinceCommit;
    this.appliedSinceCommit = 0;
    this.batches++;
    this.dirty.clear();
    this.lastCommitAt = Date.now();
    if (this.cache.size > this.options.cacheSize) this.cache.clear();
    this.hooks.onProgress?.(this);
  }

  /** Drops what memory holds beyond the checkpoint, and the cache. */
  private forget(): void {
    this.cache.clear();
    this.dirty.clear();
    this.appliedSinceCommit = 0;
    this.applied = this.checkpoint;
  }

  /**
   * Nothing arrived for a while: look at the head of the log. When no event of this projection's
   * types lies between the checkpoint and the head, the checkpoint moves to the head (so a wait for
   * a position of another type ends, and a restart does not read that stretch again).
   */
  private async probe(): Promise<void> {
    const head = await this.eventStore.headPosition();
    this.head = head;
    if (head !== undefined && (this.checkpoint === undefined || head > this.checkpoint)) {
      const [next] = await this.eventStore.readAll({ after: this.checkpoint, maxCount: 1, filter: this.filter });
      // One of its events is on its way through the subscription: not caught up yet.
      if (next && next.position <= head) return;
      await this.readStore.commit(this.collection, new Map(), { expected: this.checkpoint, next: head });
      this.checkpoint = head;
      this.applied = head;
      this.hooks.onProgress?.(this);
    }
  }

  private fail(fault: ProjectionFault): void {
    const { event, error: cause } = fault;
    this.state = 'failing';
    this.failure = {
      position: event.position.toString(),
      type: event.type,
      stream: event.stream,
      eventId: event.id,
      error: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause),
      at: new Date().toISOString(),
    };
    this.options.logger.error(
      `${this.collection}: failed on ${event.type} at position ${event.position} in ${event.stream}: ${this.failure.error}; ` +
        'this projection stopped, the others go on',
    );
    this.hooks.onProgress?.(this);
    this.hooks.onFailed?.(this);
  }

  /** Resolves after `ms`, or at once on wake() or stop(). Settles the previous wait, whose race is over. */
  private idle(ms: number): Promise<void> {
    this.wakeUp?.();
    if (this.wakeRequested || this.stopping) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** The back-off: only stop() cuts it short, not wake(). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.stopped.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
