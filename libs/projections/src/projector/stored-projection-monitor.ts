import type { EventStore } from '@app/event-store';
import type { ReadStore } from '@app/read-store';
import type { AnyProjection } from './projection-runner.js';
import { lagOf, type ProjectionMonitor, type ProjectionStatus, UnknownProjectionError } from './projection-status.js';

/**
 * The projections as an API process sees them when the projector runs elsewhere (RUN_PROJECTOR=false):
 * from the checkpoints in the read store. It cannot tell a failing projection from a slow one; the
 * projector's own /health/ready can.
 */
export class StoredProjectionMonitor implements ProjectionMonitor {
  private readonly projections: Map<string, AnyProjection>;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    projections: readonly AnyProjection[],
    private readonly pollMs = 25,
  ) {
    this.projections = new Map(projections.map((projection) => [projection.name, projection]));
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.eventStore.headPosition();
    const statuses: ProjectionStatus[] = [];
    for (const projection of this.projections.values()) {
      const record = await this.readStore.projection(projection.name);
      const checkpoint = record?.live ? await this.readStore.checkpoint(record.live.collection) : undefined;
      const lag = lagOf(head, checkpoint);
      statuses.push({
        name: projection.name,
        version: projection.version,
        state: record?.building ? 'rebuilding' : lag === '0' ? 'live' : 'catching-up',
        collection: record?.live?.collection ?? null,
        checkpoint: checkpoint?.toString() ?? null,
        headPosition: head?.toString() ?? null,
        lag,
        runsHere: false,
        live: null,
        rebuild: null,
      });
    }
    return statuses;
  }

  async waitFor(name: string, position: bigint, timeoutMs: number): Promise<boolean> {
    const projection = this.projections.get(name);
    if (!projection) throw new UnknownProjectionError(name);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.reached(projection, position)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.pollMs, left)));
    }
  }

  /**
   * The checkpoint is at or past the position, or no event of the projection's types lies between
   * the two (the projector moves its checkpoint over such stretches only when it looks, now and then).
   */
  private async reached(projection: AnyProjection, position: bigint): Promise<boolean> {
    const record = await this.readStore.projection(projection.name);
    if (!record?.live) return false;
    const checkpoint = await this.readStore.checkpoint(record.live.collection);
    if (checkpoint !== undefined && checkpoint >= position) return true;
    const [next] = await this.eventStore.readAll({ after: checkpoint, maxCount: 1, filter: { eventTypes: projection.eventTypes } });
    if (next !== undefined && next.position <= position) return false;
    return ((await this.eventStore.headPosition()) ?? 0n) >= position;
  }
}
