/** What the projector says about each projection: for /health/ready, /metrics and operators. */

export type ProjectionState = 'catching-up' | 'live' | 'failing' | 'rebuilding' | 'stopped';

/** The event a projection failed on, and why. It stays failing until it is rebuilt or restarted. */
export interface ProjectionFailure {
  position: string;
  type: string;
  stream: string;
  eventId: string;
  error: string;
  at: string;
}

/** One runner: one projection writing one collection. */
export interface RunnerStatus {
  collection: string;
  version: number;
  state: Exclude<ProjectionState, 'rebuilding'>;
  /** Log position of the last event applied (or passed over as not its type); null before the first. */
  checkpoint: string | null;
  /** How far the checkpoint is behind the head of the log, in log positions. */
  lag: string | null;
  eventsApplied: number;
  batches: number;
  /** Times it had to subscribe again after an error of the event store or read store. */
  retries: number;
  lastError: { message: string; at: string } | null;
  failure: ProjectionFailure | null;
}

export interface ProjectionStatus {
  name: string;
  /** The version of the code running it. */
  version: number;
  /**
   * `failing` when its live runner failed, or its rebuild failed with no live runner beside it (a
   * collection of another version, served as it stands); `rebuilding` while a rebuild runs; else the
   * live runner's state. A failed rebuild beside a live runner shows in `rebuild` only.
   */
  state: ProjectionState;
  /** The collection queries read, and its checkpoint. */
  collection: string | null;
  checkpoint: string | null;
  headPosition: string | null;
  lag: string | null;
  /** False when this process only reads the checkpoints that a projector elsewhere writes. */
  runsHere: boolean;
  live: RunnerStatus | null;
  /** The rebuild under way, or the last one if it failed (until another starts). */
  rebuild: RunnerStatus | null;
}

/** What the API needs of the projections: their status, and a wait for a position (`?consistentWith=`). */
export interface ProjectionMonitor {
  status(): Promise<ProjectionStatus[]>;
  /** True once the projection's live collection has seen the log up to `position`; false after `timeoutMs`. */
  waitFor(projection: string, position: bigint, timeoutMs: number): Promise<boolean>;
  /** Rebuilds a projection from the start of the log beside the live one; resolves once it switched. */
  rebuild?(projection: string): Promise<ProjectionStatus>;
}

export const PROJECTION_MONITOR = Symbol('PROJECTION_MONITOR');

/** A projection name the process does not know. */
export class UnknownProjectionError extends Error {
  constructor(readonly projection: string) {
    super(`there is no projection named ${projection}`);
    this.name = 'UnknownProjectionError';
  }
}

export function lagOf(head: bigint | undefined, checkpoint: bigint | undefined): string | null {
  if (head === undefined) return checkpoint === undefined ? '0' : null;
  const lag = head - (checkpoint ?? 0n);
  return (lag > 0n ? lag : 0n).toString();
}
