import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { PROJECTION_MONITOR, type ProjectionMonitor, type ProjectionStatus } from '@app/projections';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(PROJECTION_MONITOR) private readonly projections?: ProjectionMonitor,
  ) {}

  /** The process answers. */
  @Get('live')
  live() {
    return { status: 'up' };
  }

  /** The process can serve: the event store answers, and no projection is failing (each projection's status is shown). */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    let eventStore;
    try {
      const head = await this.store.headPosition();
      eventStore = { status: 'up', headPosition: head?.toString() ?? null };
    } catch (error) {
      reply.status(503);
      return { status: 'down', checks: { eventStore: { status: 'down', error: (error as Error).message } } };
    }
    if (!this.projections) return { status: 'up', checks: { eventStore } };
    const statuses = await this.projections.status();
    const failing = statuses.some((s) => s.state === 'failing');
    if (failing) reply.status(503);
    const projections = { status: failing ? 'down' : 'up', projections: statuses.map(projectionCheck) };
    return { status: failing ? 'down' : 'up', checks: { eventStore, projections } };
  }
}

function projectionCheck(status: ProjectionStatus) {
  const failure = status.live?.failure ?? status.rebuild?.failure ?? null;
  return {
    name: status.name,
    version: status.version,
    state: status.state,
    collection: status.collection,
    checkpoint: status.checkpoint,
    lag: status.lag,
    ...(failure && { failure }),
    ...(status.rebuild && { rebuild: { collection: status.rebuild.collection, state: status.rebuild.state, checkpoint: status.rebuild.checkpoint, lag: status.rebuild.lag } }),
  };
}
