import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Settings } from '@app/config';
import { type EventStore, openEventStore } from '@app/event-store';
import { openReadStore, type ReadStore } from '@app/read-store';
import { allProjections } from '../all-projections.js';
import type { AnyProjection, ProjectorLogger, RunnerOptions } from './projection-runner.js';
import { type ProjectionMonitor, type ProjectionStatus, UnknownProjectionError } from './projection-status.js';
import { Projector } from './projector.js';

/** Marks the workerData of a projector thread, so an app's main knows to run one instead of itself. */
const THREAD = 'samverkan:projector-thread';

/** What a projector thread is started with (workerData: structured-cloned, so plain data only). */
interface ThreadData {
  [THREAD]: true;
  /** Opens the same stores the process opened (`openEventStore`, `openReadStore`) and makes the same projections. */
  settings: Settings;
  /** The names of the projections this thread runs. */
  projections: string[];
  runner: Partial<Omit<RunnerOptions, 'logger'>>;
}

/** What the main thread asks of a thread. */
type Call =
  | { op: 'status' }
  | { op: 'waitFor'; projection: string; position: bigint; timeoutMs: number }
  | { op: 'rebuild'; projection: string }
  | { op: 'stop' };

/** A call as sent, numbered so that its answer finds it. */
type Request = Call & { id: number };

type Message =
  | { id: number; value: unknown }
  | { id: number; error: string }
  | { log: keyof ProjectorLogger; message: string }
  | { ready: true }
  | { fatal: string };

/**
 * The young generation of a thread's heap. Applying events makes short-lived objects by the million;
 * a young generation larger than the default means fewer scavenges (about 10 % less CPU per event on
 * the rebuild bench with 64 MiB).
 */
const YOUNG_GENERATION_MB = 64;

/**
 * An app's entry, which its projector threads run too: in a projector thread, runProjectorThread();
 * else `app`, which loads the app itself (an `import()`, so that a thread never loads the app's
 * framework). An error of either ends the process.
 */
export function runProjectorThreadOr(app: () => Promise<void>): void {
  (isProjectorThread() ? runProjectorThread() : app()).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

/** True in a worker thread started by ProjectorThreads: the app's main then calls runProjectorThread() instead of starting itself. */
export function isProjectorThread(): boolean {
  return !isMainThread && (workerData as Partial<ThreadData> | null)?.[THREAD] === true;
}

/**
 * The inside of a projector thread: opens its own connections to the stores from the settings, runs
 * an ordinary Projector over its share of the projections, and answers the main thread's requests
 * (status, waitFor, rebuild, stop). Its log lines go to the main thread's logger.
 */
export async function runProjectorThread(): Promise<void> {
  const data = workerData as ThreadData;
  const port = parentPort!;
  const send = (message: Message) => port.postMessage(message);
  const logger: ProjectorLogger = {
    log: (message) => send({ log: 'log', message }),
    warn: (message) => send({ log: 'warn', message }),
    error: (message) => send({ log: 'error', message }),
  };
  let eventStore: EventStore | undefined;
  let readStore: ReadStore | undefined;
  const close = async () => {
    await readStore?.close();
    await eventStore?.close();
  };
  let projector: Projector;
  try {
    eventStore = await openEventStore(data.settings);
    readStore = await openReadStore(data.settings);
    const projections = allProjections(data.settings).filter((projection) => data.projections.includes(projection.name));
    projector = new Projector(eventStore, readStore, projections, { ...data.runner, logger });
    await projector.start();
  } catch (error) {
    await close().catch(() => {});
    send({ fatal: error instanceof Error ? error.message : String(error) });
    return;
  }

  const answer = async (request: Request): Promise<unknown> => {
    switch (request.op) {
      case 'status':
        return projector.status();
      case 'waitFor':
        return projector.waitFor(request.projection, request.position, request.timeoutMs);
      case 'rebuild':
        return projector.rebuild(request.projection);
      case 'stop':
        await projector.stop();
        await close();
        return null;
    }
  };
  port.on('message', (request: Request) => {
    answer(request).then(
      (value) => {
        send({ id: request.id, value });
        if (request.op === 'stop') port.close();
      },
      (error: unknown) => send({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  send({ ready: true });
}

export interface ProjectorThreadsOptions {
  settings: Settings;
  /**
   * The script each thread runs: the app's own bundle, whose main calls `runProjectorThread()` when
   * `isProjectorThread()`.
   */
  entry: string;
  /** At most this many threads (never more than there are projections). */
  threads: number;
  /** The projections to run, as `allProjections(settings)` makes them in each thread (names, weights, order). */
  projections: readonly AnyProjection[];
  runner?: Partial<Omit<RunnerOptions, 'logger'>>;
  logger: ProjectorLogger;
  /**
   * A thread that ran this long before it died is started again after the shortest back-off: crashes
   * far apart over the process's life are no run of crashes. Default a minute.
   */
  stableAfterMs?: number;
  /** Milliseconds now (injected in tests). */
  now?: () => number;
}

/**
 * Runs the projections in worker threads: each thread an ordinary Projector over its share of them,
 * with its own connections to the stores, so that a rebuild uses more than one core and projection
 * work stays off the thread that answers requests. Projections are spread over the threads by their
 * `weight` (heaviest first, each to the least loaded thread).
 *
 * To the API it is the same ProjectionMonitor as a Projector in the process: status, waitFor and
 * rebuild go to the thread that runs the projection. A thread that dies (a fault outside any
 * projection, which a Projector would have caught) is started again after a back-off, and resumes
 * from its checkpoints; meanwhile its projections show as failing with the reason.
 */
export class ProjectorThreads implements ProjectionMonitor {
  private readonly threads: ProjectorThread[];
  private readonly owners = new Map<string, ProjectorThread>();
  private readonly order: string[];

  constructor(private readonly options: ProjectorThreadsOptions) {
    this.order = options.projections.map((projection) => projection.name);
    this.threads = spreadByWeight(options.projections, options.threads).map((share) => new ProjectorThread(share, options));
    for (const thread of this.threads) for (const name of thread.projections) this.owners.set(name, thread);
  }

  /** Which projections run together in one thread. */
  get shares(): string[][] {
    return this.threads.map((thread) => [...thread.projections]);
  }

  /** Starts every thread and waits until each has opened its stores and started its runners. */
  async start(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.stop()));
  }

  async status(): Promise<ProjectionStatus[]> {
    const statuses = (await Promise.all(this.threads.map((thread) => thread.status()))).flat();
    return statuses.sort((a, b) => this.order.indexOf(a.name) - this.order.indexOf(b.name));
  }

  async waitFor(projection: string, position: bigint, timeoutMs: number): Promise<boolean> {
    return this.ownerOf(projection).waitFor(projection, position, timeoutMs);
  }

  async rebuild(projection: string): Promise<ProjectionStatus> {
    return (await this.ownerOf(projection).call({ op: 'rebuild', projection })) as ProjectionStatus;
  }

  private ownerOf(projection: string): ProjectorThread {
    const thread = this.owners.get(projection);
    if (!thread) throw new UnknownProjectionError(projection);
    return thread;
  }
}

/** Heaviest first, each to the thread with the least weight so far (the first of equals). */
export function spreadByWeight(projections: readonly AnyProjection[], threads: number): string[][] {
  const count = Math.max(1, Math.min(threads, projections.length));
  const shares = Array.from({ length: count }, () => ({ weight: 0, names: [] as string[] }));
  const heaviestFirst = [...projections].sort((a, b) => (b.weight ?? 1) - (a.weight ?? 1));
  for (const projection of heaviestFirst) {
    const lightest = shares.reduce((least, share) => (share.weight < least.weight ? share : least));
    lightest.weight += projection.weight ?? 1;
    lightest.names.push(projection.name);
  }
  return shares.filter((share) => share.names.length > 0).map((share) => share.names);
}

/** One worker thread and the requests in flight to it. */
class ProjectorThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private stopping = false;
  /** Times it was started again, for the status. */
  private restarts = 0;
  /** Deaths since it last ran `stableAfterMs`: sets the back-off. */
  private deathsInARow = 0;
  /** When it last reported ready, while it runs. */
  private readyAt: number | undefined;
  /** Once it has run, a thread that ends is started again; one that never started reports to start()'s caller. */
  private hasRun = false;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Why the thread is down, while it is. */
  private down: { message: string; at: string } | undefined;

  constructor(
    readonly projections: string[],
    private readonly options: ProjectorThreadsOptions,
  ) {}

  /** Resolves once the thread has started its projector; rejects with its error if it could not. */
  start(): Promise<void> {
    const data: ThreadData = { [THREAD]: true, settings: this.options.settings, projections: this.projections, runner: this.options.runner ?? {} };
    const worker = new Worker(this.options.entry, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.on('message', (message: Message) => {
        if ('ready' in message) {
          this.down = undefined;
          this.hasRun = true;
          this.readyAt = this.now();
          resolve();
        } else if ('fatal' in message) {
          reject(new Error(`projector thread (${this.projections.join(', ')}): ${message.fatal}`));
        } else if ('log' in message) {
          this.options.logger[message.log](message.message);
        } else {
          const call = this.pending.get(message.id);
          this.pending.delete(message.id);
          if ('error' in message) call?.reject(new Error(message.error));
          else call?.resolve(message.value);
        }
      });
      worker.on('error', (error) => {
        this.down = { message: `the projector thread failed: ${error.message}`, at: new Date().toISOString() };
        reject(error);
      });
      worker.on('exit', (code) => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        const ranFor = this.readyAt === undefined ? 0 : this.now() - this.readyAt;
        this.readyAt = undefined;
        const reason = this.down?.message ?? `the projector thread exited with code ${code}`;
        this.down ??= { message: reason, at: new Date().toISOString() };
        for (const call of this.pending.values()) call.reject(new Error(reason));
        this.pending.clear();
        reject(new Error(reason));
        if (!this.stopping && this.hasRun) this.restartLater(ranFor);
      });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    await this.call({ op: 'stop' }).catch(() => worker.terminate());
    await exited;
  }

  call(request: Call): Promise<unknown> {
    const worker = this.worker;
    if (!worker || this.down) return Promise.reject(new Error(this.down?.message ?? 'the projector thread is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  async status(): Promise<ProjectionStatus[]> {
    if (this.down) return this.projections.map((name) => this.downStatus(name));
    try {
      return (await this.call({ op: 'status' })) as ProjectionStatus[];
    } catch {
      return this.projections.map((name) => this.downStatus(name));
    }
  }

  async waitFor(projection: string, position: bigint, timeoutMs: number): Promise<boolean> {
    try {
      return (await this.call({ op: 'waitFor', projection, position, timeoutMs })) as boolean;
    } catch {
      return false;
    }
  }

  /** `ranFor`: how long it ran since it reported ready (0 if it never did). */
  private restartLater(ranFor: number): void {
    const { retryInitialMs = 100, retryMaxMs = 5000 } = this.options.runner ?? {};
    if (ranFor >= (this.options.stableAfterMs ?? 60_000)) this.deathsInARow = 0;
    const delay = Math.min(retryInitialMs * 2 ** this.deathsInARow, retryMaxMs);
    this.deathsInARow++;
    this.restarts++;
    this.options.logger.error(`${this.down?.message}; starting it again in ${delay} ms (${this.projections.join(', ')})`);
    this.restartTimer = setTimeout(() => {
      if (!this.stopping) this.start().catch(() => {});
    }, delay);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** A projection of a thread that is down: failing, with the reason as its last error. */
  private downStatus(name: string): ProjectionStatus {
    const projection = this.options.projections.find((p) => p.name === name)!;
    return {
      name,
      version: projection.version,
      state: 'failing',
      collection: null,
      checkpoint: null,
      headPosition: null,
      lag: null,
      runsHere: true,
      live: {
        collection: '',
        version: projection.version,
        state: 'failing',
        checkpoint: null,
        lag: null,
        eventsApplied: 0,
        batches: 0,
        retries: this.restarts,
        lastError: this.down ?? { message: 'the projector thread is not running', at: new Date().toISOString() },
        failure: null,
      },
      rebuild: null,
    };
  }
}

