import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type CommandEnvelope, generatedId, EndGuardReinforcementCommand, LogPatrolVisitCommand, ReinforceGuardPresenceCommand } from '@app/application';
import { Envelope } from '../http/command-envelope.decorator.js';
import { created } from '../http/command-response.js';
import { uuidPathPipe } from '../http/uuid-path.pipe.js';
import { EndGuardReinforcementDto, LogPatrolVisitDto, ReinforceGuardPresenceDto } from './guard-presence.dto.js';

/** Reinforced guard presence at places, and the patrol visits that carry it out. */
@ApiTags('guard-presence')
@Controller()
export class GuardPresenceController {
  constructor(private readonly commands: CommandBus) {}

  @Post('guard-reinforcements')
  async reinforce(@Body() body: ReinforceGuardPresenceDto, @Envelope() envelope: CommandEnvelope, @Res({ passthrough: true }) reply: FastifyReply) {
    const reinforcementId = body.reinforcementId ?? generatedId('guard-reinforcement', envelope);
    const result = await this.commands.execute(new ReinforceGuardPresenceCommand({ ...body, placeIds: [...body.placeIds], reinforcementId }, envelope));
    return created(reply, result, `/guard-reinforcements/${reinforcementId}`);
  }

  @Post('guard-reinforcements/:id/end')
  async end(
    @Param('id', uuidPathPipe) id: string,
    @Body() body: EndGuardReinforcementDto,
    @Envelope() envelope: CommandEnvelope,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(new EndGuardReinforcementCommand({ ...body, reinforcementId: id }, envelope));
    return created(reply, result, `/guard-reinforcements/${id}`);
  }

  @Post('patrol-visits')
  async logVisit(@Body() body: LogPatrolVisitDto, @Envelope() envelope: CommandEnvelope, @Res({ passthrough: true }) reply: FastifyReply) {
    const visitId = body.visitId ?? generatedId('patrol-visit', envelope);
    const { arrivedAt, departedAt, ...rest } = body;
    const command = new LogPatrolVisitCommand({ ...rest, visitId, arrivedAt: new Date(arrivedAt), departedAt: new Date(departedAt) }, envelope);
    return created(reply, await this.commands.execute(command), `/patrol-visits/${visitId}`);
  }
}
