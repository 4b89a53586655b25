import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type CommandEnvelope, RecordSurveyResultsCommand } from '@app/application';
import { Envelope } from '../http/command-envelope.decorator.js';
import { created } from '../http/command-response.js';
import { RecordSurveyResultsDto } from './survey.dto.js';

/** Safety surveys (trygghetsmätningar): results per indicator, with respondents. */
@ApiTags('surveys')
@Controller('survey-results')
export class SurveyController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  async record(@Body() body: RecordSurveyResultsDto, @Envelope() envelope: CommandEnvelope, @Res({ passthrough: true }) reply: FastifyReply) {
    const results = body.results.map(({ indicator, value, respondents, kind }) => ({ indicator, value, respondents, kind }));
    const result = await this.commands.execute(new RecordSurveyResultsCommand({ ...body, results }, envelope));
    return created(reply, result, `/survey-results/${body.surveyId}`);
  }
}
