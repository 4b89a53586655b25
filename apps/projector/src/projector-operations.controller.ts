import { Controller, Get, Header, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { PROJECTION_MONITOR, type ProjectionMonitor, projectionMetrics } from '@app/projections';

/** What an orchestrator and an operator need of the projector: liveness, readiness, metrics, status, rebuild. */
@Controller()
export class ProjectorOperationsController {
  constructor(
    @Inject(PROJECTION_MONITOR) private readonly projector: ProjectionMonitor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('health/live')
  live() {
    return { status: 'up' };
  }

  /** 503 when the event store does not answer or a projection is failing. */
  @Get('health/ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      await this.store.headPosition();
    } catch (error) {
      reply.status(503);
      return { status: 'down', checks: { eventStore: { status: 'down', error: (error as Error).message } } };
    }
    const projections = await this.projector.status();
    const failing = projections.some((p) => p.state === 'failing');
    if (failing) reply.status(503);
    return { status: failing ? 'down' : 'up', checks: { eventStore: { status: 'up' }, projections } };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(): Promise<string> {
    const statuses = await this.projector.status();
    return projectionMetrics(statuses, statuses[0]?.headPosition ?? null);
  }

  @Get('projections')
  async projections() {
    return { projections: await this.projector.status() };
  }

  /** Starts a rebuild (202); queries switch to the new collection once it has caught up. */
  @Post('projections/:name/rebuild')
  @HttpCode(202)
  async rebuild(@Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const known = (await this.projector.status()).some((p) => p.name === name);
    if (!known || !this.projector.rebuild) {
      reply.status(404).header('content-type', 'application/problem+json');
      return { type: 'urn:samverkan:problem:PROJECTION.NOT_FOUND', title: 'Not Found', status: 404, code: 'PROJECTION.NOT_FOUND', detail: `there is no projection named ${name}` };
    }
    void this.projector.rebuild(name).catch(() => {});
    return { name, state: 'rebuilding' };
  }
}
