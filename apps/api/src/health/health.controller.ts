import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '@app/event-store';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The process answers. */
  @Get('live')
  live() {
    return { status: 'up' };
  }

  /** The process can serve: the event store answers. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      const head = await this.store.headPosition();
      return { status: 'up', checks: { eventStore: { status: 'up', headPosition: head?.toString() ?? null } } };
    } catch (error) {
      reply.status(503);
      return { status: 'down', checks: { eventStore: { status: 'down', error: (error as Error).message } } };
    }
  }
}
