import type { EventStore } from '@app/event-store';
import { type CollectionInfo, type CollectionSchema, type ReadStore, SchemaError } from '@app/read-store';
import {
  type AnyProjection,
  DEFAULT_RUNNER_OPTIONS,
  ProjectionRunner,
  type RunnerOptions,
} from './projection-runner.js';
import { SharedLogPages } from './shared-log-pages.js';
import { lagOf, type ProjectionMonitor, type ProjectionStatus, UnknownProjectionError } from './projection-status.js';

const NO_SCHEMA: CollectionSchema = { fields: {}, indexes: [] };

interface Waiter {
  position: bigint;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

interface Rebuild {
  runner: ProjectionRunner;
  done: Promise<ProjectionStatus>;
  resolve: (status: ProjectionStatus) => void;
  reject: (error: Error) => void;
}

interface Entry {
  projection: AnyProjection;
  /** The runner that writes the collection queries read. */
  live: ProjectionRunner | undefined;
  /** A live collection of another version: served as it stands (this code cannot extend it) until the rebuild switches. */
  frozen: (CollectionInfo & { checkpoint: bigint | undefined }) | undefined;
  rebuild: Rebuild | undefined;
  /** The last rebuild, if it failed (the projection threw): shown in the status until another one starts. */
  failedRebuild: ProjectionRunner | undefined;
  /** A rebuild asked for whose collection is being created. */
  starting: Promise<ProjectionStatus> | undefined;
  waiters: Set<Waiter>;
}

/**
 * Runs every projection, each with its own runner and subscription, so a slow or failing one holds
 * back no other. Keeps the registry of the read store: which collection of a projection is live and
 * which is being rebuilt.
 *
 * Rebuild: a new collection (next generation) fills from the start of the log beside the live one,
 * which stays live and up to date meanwhile. When the new one has reached the head of the log, the
 * old runner stops and the read store switches the live collection in one atomic step (then drops
 * the old one), so queries never see an empty or half-built read model. A projection whose version
 * changed is rebuilt the same way at start; its old collection is served, frozen, until the switch.
 * A switch that fails is tried again, after the new runner's back-off, with the old runner started
 * again meanwhile. A rebuild that fails leaves the live collection as it was; another can be asked for.
 */
export class Projector implements ProjectionMonitor {
  private readonly entries = new Map<string, Entry>();
  private readonly options: RunnerOptions;
  /** Read once for every runner catching up over the same stretch of the log. */
  private readonly pages: SharedLogPages;
  private started = false;
  private stopping = false;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    projections: readonly AnyProjection[],
    options: Partial<RunnerOptions> = {},
  ) {
    this.options = { ...DEFAULT_RUNNER_OPTIONS, ...options };
    this.pages = new SharedLogPages(eventStore, this.options.pageSize, this.options.headPollMs);
    for (const projection of projections) {
      if (this.entries.has(projection.name)) throw new Error(`two projections are named ${projection.name}`);
      this.entries.set(projection.name, {
        projection,
        live: undefined,
        frozen: undefined,
        rebuild: undefined,
        failedRebuild: undefined,
        starting: undefined,
        waiters: new Set(),
      });
    }
  }

  /** Opens (or creates) every projection's collections and starts its runners; does not wait for them to catch up. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const entry of this.entries.values()) await this.open(entry);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const runners = [...this.entries.values()].flatMap((entry) => [entry.live, entry.rebuild?.runner]);
    await Promise.all(runners.map((runner) => runner?.stop()));
    for (const entry of this.entries.values()) {
      for (const waiter of entry.waiters) this.settle(entry, waiter, false);
      entry.rebuild?.reject(new Error('the projector stopped before the rebuild switched over'));
      entry.rebuild = undefined;
    }
  }

  async status(): Promise<ProjectionStatus[]> {
    let head: bigint | undefined;
    let headKnown = true;
    try {
      head = await this.eventStore.headPosition();
    } catch {
      headKnown = false;
    }
    return [...this.entries.values()].map((entry) => this.statusOf(entry, headKnown ? head : undefined, headKnown));
  }

  async waitFor(projection: string, position: bigint, timeoutMs: number): Promise<boolean> {
    const entry = this.entryOf(projection);
    if (this.reached(entry, position)) return true;
    if (timeoutMs <= 0) return false;
    // It may be idle with the head already past `position` in events of other types: look now.
    entry.live?.wake();
    return new Promise((resolve) => {
      const waiter: Waiter = { position, resolve, timer: setTimeout(() => this.settle(entry, waiter, false), timeoutMs) };
      entry.waiters.add(waiter);
    });
  }

  /**
   * Rebuilds one projection from the start of the log beside the live one; resolves once queries read
   * the new one. Rejects when the projection throws on an event: the build stops there, and the next
   * call starts a fresh one.
   */
  rebuild(projection: string): Promise<ProjectionStatus> {
    const entry = this.entryOf(projection);
    if (!this.started) return Promise.reject(new Error('the projector has not started'));
    if (entry.rebuild) return entry.rebuild.done;
    // Claimed at once, so a second call meanwhile joins this rebuild instead of starting another.
    entry.starting ??= this.readStore
      .startBuild(projection, entry.projection.version, this.schemaOf(entry))
      .then((record) => {
        if (!record.building) throw new Error(`${projection}: the read store made the new build live at once`);
        return this.beginRebuild(entry, record.building.collection);
      })
      .finally(() => (entry.starting = undefined));
    return entry.starting;
  }

  // ---- Inside ------------------------------------------------------------------------------------

  private async open(entry: Entry): Promise<void> {
    const { projection } = entry;
    const schema = this.schemaOf(entry);
    let record = await this.readStore.projection(projection.name);
    if (!record?.live) record = await this.readStore.startBuild(projection.name, projection.version, schema);
    const live = record.live!;
    if (live.version === projection.version && (await this.prepared(entry, live.collection, schema))) {
      entry.live = this.runner(entry, live.collection);
      entry.live.start();
    } else {
      entry.frozen = { ...live, checkpoint: await this.readStore.checkpoint(live.collection) };
      const why =
        live.version === projection.version
          ? `${live.collection} was made with other settings than ${JSON.stringify(projection.settings)}`
          : `version ${live.version} is live, this is version ${projection.version}`;
      this.options.logger.log(`${projection.name}: ${why}: rebuilding`);
    }
    if (record.building?.version === projection.version && (await this.prepared(entry, record.building.collection, schema))) {
      // A rebuild that a stop interrupted goes on from its checkpoint.
      void this.beginRebuild(entry, record.building.collection).catch(() => {});
    } else if (entry.frozen) {
      const started = await this.readStore.startBuild(projection.name, projection.version, schema);
      void this.beginRebuild(entry, started.building!.collection).catch(() => {});
    }
  }

  private beginRebuild(entry: Entry, collection: string): Promise<ProjectionStatus> {
    const { name } = entry.projection;
    let resolve!: Rebuild['resolve'];
    let reject!: Rebuild['reject'];
    const done = new Promise<ProjectionStatus>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Whoever asked for the rebuild hears of a failure; nobody else has to.
    done.catch(() => {});
    const runner = this.runner(entry, collection, {
      onCaughtUp: async (caughtUp) => {
        if (entry.rebuild?.runner !== caughtUp) return;
        // The old runner stops first, so nothing writes the old collection once it is replaced.
        const replaced = entry.live;
        await replaced?.stop();
        try {
          // It went on while this one built its indexes: what queries read next must not be older.
          if (replaced?.checkpoint !== undefined) await caughtUp.catchUpTo(replaced.checkpoint);
          await this.readStore.promote(name, collection);
        } catch (error) {
          if (!(await this.isLive(name, collection))) {
            // Not switched (a busy registry, a write conflict): the old collection serves on, kept up
            // to date, until the new runner tries again after its back-off. A failed one stays failed.
            if (replaced && replaced.state !== 'failing' && !this.stopping) {
              entry.live = this.runner(entry, replaced.collection);
              entry.live.start();
            }
            this.options.logger.warn(`${name}: the switch to ${collection} failed, trying again: ${error instanceof Error ? error.message : String(error)}`);
            throw error;
          }
          // The switch was recorded and only its answer was lost.
        }
        entry.live = caughtUp;
        entry.frozen = undefined;
        entry.rebuild = undefined;
        this.options.logger.log(`${name}: rebuilt into ${collection}, which queries now read`);
        resolve(this.statusOf(entry, caughtUp.head, true));
        this.progress(entry);
      },
      onFailed: (failed) => {
        if (entry.rebuild?.runner !== failed) return;
        // The live collection serves on as before; its building collection stays until the next rebuild replaces it.
        entry.rebuild = undefined;
        entry.failedRebuild = failed;
        reject(new Error(`${name}: the rebuild failed: ${failed.failure?.error}`));
      },
    });
    entry.failedRebuild = undefined;
    entry.rebuild = { runner, done, resolve, reject };
    this.options.logger.log(`${name}: rebuilding from the start of the log into ${collection}`);
    runner.start();
    return done;
  }

  /** Whether the registry has `collection` live; false when it cannot be read either. */
  private async isLive(projection: string, collection: string): Promise<boolean> {
    const record = await this.readStore.projection(projection).catch(() => undefined);
    return record?.live?.collection === collection;
  }

  private runner(entry: Entry, collection: string, hooks: ConstructorParameters<typeof ProjectionRunner>[5] = {}): ProjectionRunner {
    return new ProjectionRunner(
      entry.projection,
      collection,
      this.eventStore,
      this.readStore,
      this.options,
      { ...hooks, onProgress: () => this.progress(entry) },
      this.pages,
    );
  }

  private progress(entry: Entry): void {
    for (const waiter of entry.waiters) if (this.reached(entry, waiter.position)) this.settle(entry, waiter, true);
  }

  private settle(entry: Entry, waiter: Waiter, reached: boolean): void {
    clearTimeout(waiter.timer);
    entry.waiters.delete(waiter);
    waiter.resolve(reached);
  }

  private reached(entry: Entry, position: bigint): boolean {
    const checkpoint = entry.live ? entry.live.checkpoint : entry.frozen?.checkpoint;
    return checkpoint !== undefined && checkpoint >= position;
  }

  private statusOf(entry: Entry, head: bigint | undefined, headKnown: boolean): ProjectionStatus {
    const { live, rebuild, failedRebuild, frozen, projection } = entry;
    const liveStatus = live?.status(head) ?? null;
    const rebuildStatus = (rebuild?.runner ?? failedRebuild)?.status(head) ?? null;
    const checkpoint = live ? live.checkpoint : frozen?.checkpoint;
    // A failed rebuild beside a live runner is the rebuild's failure; without one (a frozen collection
    // of another version) nothing keeps the projection up to date.
    const failing = liveStatus?.state === 'failing' || (failedRebuild !== undefined && !live);
    return {
      name: projection.name,
      version: projection.version,
      state: failing ? 'failing' : rebuild ? 'rebuilding' : (liveStatus?.state ?? 'stopped'),
      collection: live?.collection ?? frozen?.collection ?? null,
      checkpoint: checkpoint?.toString() ?? null,
      headPosition: head?.toString() ?? null,
      lag: headKnown ? lagOf(head, checkpoint) : null,
      runsHere: true,
      live: liveStatus,
      rebuild: rebuildStatus,
    };
  }

  /** The schema of its collections, with the settings they are made with. */
  private schemaOf(entry: Entry): CollectionSchema {
    const { schema = NO_SCHEMA, settings } = entry.projection;
    return settings ? { ...schema, builtWith: settings } : schema;
  }

  /**
   * Prepares a collection of this version for a runner. False when the projection has settings and
   * the collection was made with others (the read store refuses its schema): it is to be rebuilt.
   */
  private async prepared(entry: Entry, collection: string, schema: CollectionSchema): Promise<boolean> {
    try {
      await this.readStore.prepare(collection, schema);
      return true;
    } catch (error) {
      if (error instanceof SchemaError && entry.projection.settings) return false;
      throw error;
    }
  }

  private entryOf(projection: string): Entry {
    const entry = this.entries.get(projection);
    if (!entry) throw new UnknownProjectionError(projection);
    return entry;
  }
}
