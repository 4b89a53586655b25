import { EventDetailsUnavailableError, type EventStore, type RecordedEvent } from '@app/event-store';
import { KeyFilter, type ReadStore, type StoredDocument } from '@app/read-store';
import { applyEvent, applyEventUnguarded, type PositionedDocument, type Projection } from '../projection.js';
import { namedDocuments, OneDocument } from '../one-document.js';
import { SharedLogPages } from './shared-log-pages.js';
import { lagOf, type ProjectionFailure, type RunnerStatus } from './projection-status.js';

export type AnyProjection = Projection<PositionedDocument>;

export interface ProjectorLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RunnerOptions {
  /**
   * Most events per page of the log (pages are shared by the runners of a projector). Small pages
   * keep the events in memory few: a page's events live until every runner has applied it, and
   * every one alive at a young-generation collection is copied (twice, then into the old generation).
   */
  pageSize: number;
  /**
   * Catching up (a rebuild, a start behind the log), the longest time applied events wait in memory
   * before they are committed. Commits are costly (each writes every touched index page whole, and
   * every changed document: going through a log in random order, a count projection changes about all
   * of its documents between two commits), so catching up commits rarely: on this interval, when the
   * cache is full, and at the head of the log. The default, 15 s, gives the situation picture, goal
   * progress and decision log one commit in a rebuild from a million events instead of two on 5 s:
   * their thread's CPU 7.84–8.78 s → 7.61–8.62 s, lower in six pairs of six (bench/README, tenth round).
   */
  catchUpCommitMs: number;
  /**
   * While runners wait at the head of the log, how often the projector looks whether it moved on:
   * the longest a live read model lags an append (and so the batching of live commits). A query
   * that waits for a position (`consistentWith`) wakes the runners at once.
   */
  headPollMs: number;
  /** At the head, the longest a runner waits before it reads again whatever the head watch says. */
  idleProbeMs: number;
  /** Back-off after an error of the event store or read store: first wait, doubling up to the maximum. */
  retryInitialMs: number;
  retryMaxMs: number;
  /**
   * Documents kept in memory between batches, so that documents applied to again are not loaded
   * again; when exceeded, the changed ones are committed and the cache is emptied. A write-only
   * projection keeps only the documents it wrote since the last commit, and commits when they are
   * more. Large, because a commit that empties the cache sends the next events' documents back to
   * the store to be read, and a catch-up commits rarely (PROJECTOR_CACHE_DOCUMENTS).
   */
  cacheSize: number;
  logger: ProjectorLogger;
}

/** Keys the filter of a write-only projection's written documents is made for: the register writes about 43,000 corrections between two commits of a rebuild. */
const WRITTEN_KEYS = 65_536;

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = {
  pageSize: 500,
  catchUpCommitMs: 15_000,
  headPollMs: 25,
  idleProbeMs: 1000,
  retryInitialMs: 100,
  retryMaxMs: 5000,
  cacheSize: 500_000,
  logger: { log: () => {}, warn: () => {}, error: () => {} },
};

export interface RunnerHooks {
  /** After every commit and checkpoint move. */
  onProgress?(runner: ProjectionRunner): void;
  /** When it reached the head of the log for the first time; awaited before it reads on. If it throws, the runner backs off and calls it again at the head. */
  onCaughtUp?(runner: ProjectionRunner): Promise<void>;
  /** When the projection threw: the runner has stopped. */
  onFailed?(runner: ProjectionRunner): void;
}

/**
 * A document in memory, as the read store holds it or as applied events left it (undefined: there
 * is none, or it was deleted). The runner finds it by id once per event and page, and changes it
 * through this entry, rather than looking the id up again in the cache and the changed set.
 */
interface HeldDocument {
  readonly id: string;
  document: PositionedDocument | undefined;
  /** Changed since the last commit (and then listed in `dirty`). */
  dirty: boolean;
  /**
   * The position of the event that changed it last, which the commit stamps on it as `lastPosition`
   * (a number where it is exact, as nearly every position is). Stamped per event instead, each
   * event's position text lived as long as the document it was put in, a document that had long
   * moved to the old generation: every young-generation collection copied those strings that were
   * new, and the old generation filled with those that were not (bench/README, fourteenth round).
   */
  changedAt: number | bigint;
  /**
   * Has seen no event after those this runner applied: the store had none, or this runner changed it
   * since. Events that touch only such documents need no position guard.
   */
  current: boolean;
}

/** The projection threw on an event: a fault in its code or the event, which a retry would repeat. */
class ProjectionFault extends Error {
  constructor(
    readonly event: RecordedEvent,
    readonly error: unknown,
    /**
     * The documents in memory are as the events before this one left them, so they may be committed.
     * Not so when evolve threw holding a document changed since the last commit: documents handed to
     * evolve are consumed, and it may have changed that one in place before it threw.
     */
    readonly appliedBeforeIntact: boolean,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The projection's fault on the event. An event that could not read what it reads on first use (its
 * metadata, a lean page's id or stream) is the store's error: thrown as it is, so that the runner
 * reads again from its checkpoint after a back-off rather than stop the projection for good.
 */
function faultOf(event: RecordedEvent, error: unknown, appliedBeforeIntact: boolean): ProjectionFault {
  if (error instanceof EventDetailsUnavailableError) throw error;
  return new ProjectionFault(event, error, appliedBeforeIntact);
}

/** What a write-only projection's evolve is handed for each key it names. */
const none = (): undefined => undefined;

/**
 * A position as a number where that is exact, else the `bigint`: below 2^31 a number is kept in the
 * entry's field itself, so noting it makes no object.
 */
function exactNumber(position: bigint): number | bigint {
  return position <= MAX_EXACT ? Number(position) : position;
}
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/** A changed document as the commit writes it: stamped with the position that changed it last, in its stored form. */
function committed(entry: HeldDocument, stored: AnyProjection['stored']): StoredDocument | undefined {
  const { document } = entry;
  if (document === undefined) return undefined;
  document.lastPosition = entry.changedAt.toString();
  return (stored ? stored(document) : document) as PositionedDocument & StoredDocument;
}

/** `Projection.prefetch` of every document held for a page, in one short loop (the sum of its answers). */
function prefetchAll(projection: AnyProjection, held: readonly HeldDocument[]): number {
  let sum = 0;
  for (let i = 0; i < held.length; i++) {
    const { document } = held[i];
    if (document !== undefined) sum += projection.prefetch!(document);
  }
  return sum;
}

/**
 * Runs one projection into one collection: a catch-up subscription of its own, from its checkpoint,
 * over pages of the log that the runners of a projector share (`SharedLogPages`: read and parsed
 * once, each runner at its own pace). For each page it loads the documents the page's events of its
 * types touch (or finds them cached), applies the events in log order with `applyEvent`, and
 * commits the changed documents, each stamped with the position of the event that changed it last,
 * with the new checkpoint in one read-store commit: every page when live, rarely while catching up.
 * At the head it waits until the log moves on. A write-only projection's documents it neither loads
 * nor keeps: evolve makes them from the event, without the guard of `applyEvent`, and they wait for
 * the commit.
 *
 * An error of the stores ends the pass; the runner reads again from the stored checkpoint after a
 * back-off. An error thrown by the projection stops this runner alone, with the event it failed on;
 * what it applied before that event is committed.
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

  private readonly cache = new Map<string, HeldDocument>();
  /** Documents changed by events applied since the last commit. */
  private readonly dirty: HeldDocument[] = [];
  /** A write-only projection's documents written by events applied since the last commit (in place of cache and dirty). */
  private readonly written = new Map<string, PositionedDocument | undefined>();
  /** Of those, the new ones (`Projection.creates`), in the order they were made: written before `written`. */
  private readonly created: { ids: string[]; documents: StoredDocument[] } = { ids: [], documents: [] };
  /** With `Projection.creates`: the keys of `written`, which each created key is checked against (nearly always no). */
  private readonly writtenKeys: KeyFilter | undefined;
  /** The position of the last event applied in memory; the checkpoint once committed. */
  private applied: bigint | undefined;
  /** Events applied in memory since the last commit. */
  private appliedSinceCommit = 0;
  private lastCommitAt = 0;
  private readonly eventTypes: ReadonlySet<string>;
  /** What `Projection.prefetch` answered for the last page, kept so that its reads are made. */
  private prefetched = 0;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private wakeRequested = false;
  private signalStopped!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.signalStopped = resolve));
  private running: Promise<void> | undefined;

  constructor(
    readonly projection: AnyProjection,
    readonly collection: string,
    eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly options: RunnerOptions,
    private readonly hooks: RunnerHooks = {},
    /** Pages of the log shared with the other runners of the projector. */
    private readonly pages = new SharedLogPages(eventStore, options.pageSize, options.headPollMs),
  ) {
    this.eventTypes = new Set(projection.eventTypes);
    this.writtenKeys = projection.creates ? new KeyFilter(WRITTEN_KEYS) : undefined;
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.signalStopped();
    this.wake();
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
      try {
        this.forget();
        this.checkpoint = await this.readStore.checkpoint(this.collection);
        this.applied = this.checkpoint;
        if (this.state !== 'live') this.state = 'catching-up';
        this.lastCommitAt = Date.now();
        while (!this.stopping) {
          const moved = await this.step();
          delay = this.options.retryInitialMs;
          if (!moved) await this.waitAtHead();
        }
      } catch (error) {
        if (error instanceof ProjectionFault) {
          // Keep what came before the event, unless it may have been changed by the failed evolve (a
          // restart then applies it again from the last commit).
          if (error.appliedBeforeIntact) await this.commit().catch(() => {});
          this.fail(error);
          return;
        }
        if (this.stopping) break;
        this.retries++;
        this.lastError = { message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() };
        logger.warn(`${this.collection}: ${this.lastError.message}; reading again from the checkpoint in ${delay} ms`);
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.options.retryMaxMs);
      }
    }
    // Stopped while catching up: keep what was applied, so a restart does not apply it again.
    if (this.state !== 'failing') await this.commit().catch(() => {});
  }

  /**
   * Reads the next page of the log after what was applied (pages shared with the other runners),
   * applies its events of this projection's types, and commits: live, every page; catching up,
   * rarely (every `catchUpCommitMs`, when the cache is full, and at the head). False at the head,
   * and when live after a page that was not full.
   */
  private async step(): Promise<boolean> {
    const page = await this.pages.read(this.applied);
    if (page.through === undefined || page.through === this.applied) {
      this.head = page.through;
      await this.commit();
      await this.goLive();
      return false;
    }
    await this.applyPage(page.events, page.through);
    if (this.state === 'live') {
      await this.commit();
      // Near the head (the page was not full): wait for the head watch rather than read the few events
      // appended meanwhile, so that live commits come at most once a watch interval under load.
      if (page.events.length < this.options.pageSize) return false;
    } else if (this.cache.size + this.written.size + this.created.ids.length > this.options.cacheSize || Date.now() - this.lastCommitAt >= this.options.catchUpCommitMs) {
      await this.commit();
    }
    // Let requests, health checks and the other runners in between pages.
    await new Promise((resolve) => setImmediate(resolve));
    return true;
  }

  /**
   * At the head: until the log moves past it (the shared pages watch the head for every runner at
   * once), wake() (someone waits for a position) or stop(), at most `idleProbeMs`.
   */
  private async waitAtHead(): Promise<void> {
    const moved = this.pages.waitBeyond(this.applied);
    try {
      await Promise.race([moved.promise, this.idle(this.options.idleProbeMs)]);
    } finally {
      moved.cancel();
      // The wait is over either way; a wake() from here on is remembered for the next one.
      this.wakeUp?.();
    }
  }

  /**
   * Applies and commits the log through `position` at least, from within onCaughtUp: a rebuild's
   * collection catching up with the one it replaces, whose runner went on while this one built its
   * indexes, so that the switch does not take queries back to an older state.
   */
  async catchUpTo(position: bigint): Promise<void> {
    while (this.applied === undefined || this.applied < position) {
      const page = await this.pages.read(this.applied);
      if (page.through === undefined || page.through === this.applied) break;
      await this.applyPage(page.events, page.through);
    }
    await this.commit();
  }

  /** Applies a page's events of the projection's types; the whole page is covered, events of other types too: the checkpoint moves past them. */
  private async applyPage(events: readonly RecordedEvent[], through: bigint): Promise<void> {
    await this.applyAll(
      events.filter((event) => this.eventTypes.has(event.type)),
      through,
    );
  }

  /**
   * At the head for the first time: builds the query indexes the collection was filled without, and
   * serves. Not live until onCaughtUp has succeeded (a rebuild's switch), so that the next pass at the
   * head, after the back-off, calls it again.
   */
  private async goLive(): Promise<void> {
    if (this.state === 'live') return;
    await this.readStore.index(this.collection);
    this.state = 'live';
    try {
      await this.hooks.onCaughtUp?.(this);
    } catch (error) {
      this.state = 'catching-up';
      throw error;
    }
    this.options.logger.log(`${this.collection}: live at ${this.checkpoint ?? 'the start of an empty log'}`);
    this.hooks.onProgress?.(this);
  }

  /**
   * Applies events in log order to the documents in memory (loading the ones it touches that are not
   * cached, in one read); `through` is the position the batch covers. Throws a ProjectionFault on the
   * event the projection failed on, with the events before it applied.
   */
  private async applyAll(events: readonly RecordedEvent[], through: bigint): Promise<void> {
    const { projection } = this;
    if (projection.writeOnly) return this.write(events, through);
    const keys: string[][] = [];
    let fault: ProjectionFault | undefined;
    for (const event of events) {
      try {
        keys.push(projection.keys(event));
      } catch (error) {
        fault = faultOf(event, error, true);
        break;
      }
    }
    const held = await this.hold(keys);
    if (projection.prefetch) this.prefetched = prefetchAll(projection, held);

    // The entries of event i's keys start at `first` in `held`.
    let first = 0;
    for (let i = 0; i < keys.length; i++) {
      const event = events[i];
      const eventKeys = keys[i];
      // namedDocuments, with whether all of them are current, and no function made per event.
      let touched: ReadonlyMap<string, PositionedDocument | undefined>;
      let current = true;
      if (eventKeys.length === 1) {
        const entry = held[first];
        touched = new OneDocument(eventKeys[0], entry.document);
        current = entry.current;
      } else {
        const named = new Map<string, PositionedDocument | undefined>();
        for (let k = 0; k < eventKeys.length; k++) {
          const entry = held[first + k];
          named.set(eventKeys[k], entry.document);
          current &&= entry.current;
        }
        touched = named;
      }
      let result;
      try {
        // Not stamped: the commit stamps what it writes with `changedAt`.
        result = current ? applyEventUnguarded(projection, touched, event, false) : applyEvent(projection, touched, event, false);
      } catch (error) {
        fault = faultOf(event, error, !eventKeys.some((_, k) => held[first + k].dirty));
        break;
      }
      // applyEvent has checked that keys() named what it changed.
      const at = exactNumber(event.position);
      if (result instanceof OneDocument) this.change(held[first + eventKeys.indexOf(result.key)], result.value, at);
      else for (const [key, document] of result) this.change(held[first + eventKeys.indexOf(key)], document, at);
      first += eventKeys.length;
      this.applied = event.position;
      this.appliedSinceCommit++;
    }
    if (fault) throw fault;
    if (this.applied === undefined || through > this.applied) this.applied = through;
  }

  /** The held document as the event at `at` changed it, to be committed. */
  private change(entry: HeldDocument, document: PositionedDocument | undefined, at: number | bigint): void {
    entry.document = document;
    entry.changedAt = at;
    entry.current = true;
    if (!entry.dirty) {
      entry.dirty = true;
      this.dirty.push(entry);
    }
  }

  /**
   * `applyAll` for a write-only projection: evolve is handed no documents, and what it returns waits
   * for the next commit. A failed evolve held none of the documents waiting, so they may be committed.
   * What an event `creates` goes in a list, not in the map by key: in the register's rebuild, setting
   * its 870,000 new entries in the map cost about 0.6 s of its thread (bench/README, eleventh round).
   */
  private write(events: readonly RecordedEvent[], through: bigint): void {
    const { projection } = this;
    for (const event of events) {
      let result;
      let creates;
      try {
        result = applyEventUnguarded(projection, namedDocuments(projection.keys(event), none), event);
        creates = projection.creates?.(event) === true;
      } catch (error) {
        throw faultOf(event, error, true);
      }
      if (result instanceof OneDocument) this.wrote(result.key, result.value, creates);
      else for (const [key, document] of result) this.wrote(key, document, creates);
      this.applied = event.position;
      this.appliedSinceCommit++;
    }
    if (this.applied === undefined || through > this.applied) this.applied = through;
  }

  /** A document a write-only projection's event wrote, to be committed. */
  private wrote(key: string, document: PositionedDocument | undefined, creates: boolean): void {
    const { written, writtenKeys } = this;
    // A key already waiting was named before: not new after all, and the later document wins.
    if (creates && document !== undefined && !(writtenKeys!.mayHave(key) && written.has(key))) {
      this.created.ids.push(key);
      this.created.documents.push(document as PositionedDocument & StoredDocument);
    } else {
      written.set(key, document);
      writtenKeys?.add(key);
    }
  }

  /**
   * The entries of every key, in order and flat (event by event), from the cache or, for those not
   * in it, from the read store in one read. A key not cached is given its entry in the cache at once
   * (filled when the read returns), so a key that several events name is looked up once.
   */
  private async hold(keys: readonly string[][]): Promise<HeldDocument[]> {
    const held: HeldDocument[] = [];
    const missing: HeldDocument[] = [];
    for (const list of keys) {
      for (const id of list) {
        let entry = this.cache.get(id);
        if (entry === undefined) {
          entry = { id, document: undefined, dirty: false, changedAt: 0, current: true };
          this.cache.set(id, entry);
          missing.push(entry);
        }
        held.push(entry);
      }
    }
    if (missing.length === 0) return held;
    let loaded;
    try {
      loaded = await this.readStore.load<StoredDocument>(this.collection, missing.map((entry) => entry.id));
    } catch (error) {
      // The entries are not what the read store holds: no one may find them.
      for (const entry of missing) this.cache.delete(entry.id);
      throw error;
    }
    for (const entry of missing) {
      entry.document = loaded.get(entry.id) as PositionedDocument | undefined;
      // A stored document is guarded until this runner changes it: it may have seen events beyond the checkpoint.
      entry.current = entry.document === undefined;
    }
    return held;
  }

  /** Writes the changed documents (in their stored form) with the new checkpoint in one read-store commit. */
  private async commit(): Promise<void> {
    if (this.applied === undefined || this.applied === this.checkpoint) return;
    try {
      const { writeOnly, stored } = this.projection;
      const changes = writeOnly
        ? (this.written as ReadonlyMap<string, StoredDocument | undefined>)
        : new Map(this.dirty.map((entry) => [entry.id, committed(entry, stored)]));
      await this.readStore.commit(
        this.collection,
        changes,
        { expected: this.checkpoint, next: this.applied },
        this.created.ids.length > 0 ? this.created : undefined,
      );
    } catch (error) {
      // What memory holds beyond the checkpoint was never written.
      this.forget();
      throw error;
    }
    this.checkpoint = this.applied;
    this.eventsApplied += this.appliedSinceCommit;
    this.appliedSinceCommit = 0;
    this.batches++;
    for (const entry of this.dirty) entry.dirty = false;
    this.dirty.length = 0;
    this.dropWritten();
    this.lastCommitAt = Date.now();
    if (this.cache.size > this.options.cacheSize) this.cache.clear();
    this.hooks.onProgress?.(this);
  }

  /** Drops what memory holds beyond the checkpoint, and the cache. */
  private forget(): void {
    this.cache.clear();
    this.dirty.length = 0;
    this.dropWritten();
    this.appliedSinceCommit = 0;
    this.applied = this.checkpoint;
  }

  /** Empties what a write-only projection wrote since the last commit: committed, or never to be. */
  private dropWritten(): void {
    this.written.clear();
    this.writtenKeys?.clear();
    this.created.ids.length = 0;
    this.created.documents.length = 0;
  }

  private fail(fault: ProjectionFault): void {
    const { event, error: cause } = fault;
    this.state = 'failing';
    let stream = '(unknown)';
    let eventId = '(unknown)';
    try {
      // A page's event may read these by its position on first use, and that read may fail too.
      ({ stream, id: eventId } = event);
    } catch {
      // The failure still names the event's position and type.
    }
    this.failure = {
      position: event.position.toString(),
      type: event.type,
      stream,
      eventId,
      error: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause),
      at: new Date().toISOString(),
    };
    this.options.logger.error(
      `${this.collection}: failed on ${event.type} at position ${event.position} in ${stream}: ${this.failure.error}; ` +
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
