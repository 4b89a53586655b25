import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { PROJECTION_MONITOR, type ProjectionMonitor, projectionMetrics } from '@app/projections';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(PROJECTION_MONITOR) private readonly monitor: ProjectionMonitor,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** Prometheus text format: the head of the log and, per projection, checkpoint, lag, state, events applied, retries, failures and the position a failing one stopped at. */
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  async metrics(): Promise<string> {
    const statuses = await this.monitor.status();
    const head = statuses[0]?.headPosition ?? (await this.store.headPosition())?.toString() ?? null;
    return projectionMetrics(statuses, head);
  }
}
