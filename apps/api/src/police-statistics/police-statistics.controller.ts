import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type CommandEnvelope, generatedId, ImportPoliceStatisticsCommand } from '@app/application';
import { Envelope } from '../http/command-envelope.decorator.js';
import { created } from '../http/command-response.js';
import { ImportPoliceStatisticsDto } from './police-statistics.dto.js';

/** An id the client left out: derived from the Idempotency-Key when there is one, so a retry names the same thing. */
/**
 * Reported crime per period, area and Brå category. The answer's id is the import's; its ETag is the
 * revision of the stream of that municipality, area and period, where a re-import supersedes.
 */
@ApiTags('police-statistics')
@Controller('police-statistics')
export class PoliceStatisticsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  async import(@Body() body: ImportPoliceStatisticsDto, @Envelope() envelope: CommandEnvelope, @Res({ passthrough: true }) reply: FastifyReply) {
    const importId = body.importId ?? generatedId('police-statistics', envelope);
    const counts = body.counts.map(({ braCategory, count }) => ({ braCategory, count }));
    const result = await this.commands.execute(new ImportPoliceStatisticsCommand({ ...body, importId, counts }, envelope));
    return created(reply, result, `/police-statistics/${importId}`);
  }
}
