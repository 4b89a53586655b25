import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type CommandEnvelope, generatedId, PublishSituationPictureCommand } from '@app/application';
import { Envelope } from '../http/command-envelope.decorator.js';
import { created } from '../http/command-response.js';
import { PublishSituationPictureDto, SituationPicturePathDto } from './situation-picture.dto.js';

/** An id the client left out: derived from the Idempotency-Key when there is one, so a retry names the same thing. */
/** Publication of the 14-day situation picture: its figures frozen at the log position, with the agreed actions. */
@ApiTags('situation-pictures')
@Controller('situation-pictures')
export class SituationPictureController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':municipality/:periodStart/publication')
  @ApiParam({ name: 'municipality', example: 'danderyd' })
  @ApiParam({ name: 'periodStart', example: '2025-02-17', description: 'the first day of a 14-day period' })
  async publish(
    @Param() path: SituationPicturePathDto,
    @Body() body: PublishSituationPictureDto,
    @Envelope() envelope: CommandEnvelope,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const publicationId = body.publicationId ?? generatedId('publication', envelope);
    const agreedActions = body.agreedActions.map(({ title, responsible, dueDate }) => ({ title, responsible, dueDate }));
    const command = new PublishSituationPictureCommand(
      { publicationId, municipalityId: path.municipality, periodStart: path.periodStart, agreedActions, corrects: body.corrects },
      envelope,
    );
    return created(reply, await this.commands.execute(command), `/situation-pictures/${path.municipality}/${path.periodStart}`);
  }
}
