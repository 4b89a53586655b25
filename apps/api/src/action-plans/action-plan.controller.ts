import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AddGoalCommand,
  AddMeasureCommand,
  AdoptActionPlanCommand,
  type CommandEnvelope,
  generatedId,
  DraftActionPlanCommand,
  GetActionPlanQuery,
  SignActionPlanCommand,
} from '@app/application';
import type { GoalIndicatorInput } from '@app/domain';
import { Envelope } from '../http/command-envelope.decorator.js';
import { created } from '../http/command-response.js';
import { RequestValidationError } from '../http/problem-details.js';
import { uuidPathPipe } from '../http/uuid-path.pipe.js';
import { ApiConsistentWith, LogConsistency, ReadModelUnavailableFilter } from '../queries/consistency.js';
import { QueryParams } from '../queries/query-params.js';
import {
  AddGoalDto,
  AddMeasureDto,
  AdoptActionPlanDto,
  DraftActionPlanDto,
  IncidentCountIndicatorDto,
  SignActionPlanDto,
} from './action-plan.dto.js';

/** An id the client left out: derived from the Idempotency-Key when there is one, so a retry names the same thing. */
function indicatorOf(dto: AddGoalDto['indicator']): GoalIndicatorInput {
  return dto instanceof IncidentCountIndicatorDto
    ? { kind: 'incident-count', categories: [...dto.categories], areaIds: dto.areaIds && [...dto.areaIds], placeIds: dto.placeIds && [...dto.placeIds] }
    : { kind: 'survey', indicator: dto.indicator, areaId: dto.areaId };
}

@ApiTags('action-plans')
@Controller('action-plans')
export class ActionPlanController {
  constructor(
    private readonly commands: CommandBus,
    private readonly getActionPlan: GetActionPlanQuery,
    private readonly logConsistency: LogConsistency,
  ) {}

  @Post()
  async draft(@Body() body: DraftActionPlanDto, @Envelope() envelope: CommandEnvelope, @Res({ passthrough: true }) reply: FastifyReply) {
    const actionPlanId = body.actionPlanId ?? generatedId('action-plan', envelope);
    const result = await this.commands.execute(new DraftActionPlanCommand({ ...body, actionPlanId }, envelope));
    return created(reply, result, `/action-plans/${actionPlanId}`);
  }

  /** Answers the goal's id; ETag and Location are the plan's, as the goal is part of it. */
  @Post(':id/goals')
  async addGoal(@Param('id', uuidPathPipe) id: string, @Body() body: AddGoalDto, @Envelope() envelope: CommandEnvelope, @Res({ passthrough: true }) reply: FastifyReply) {
    const { baseline, target } = body;
    const command = new AddGoalCommand(
      {
        actionPlanId: id,
        goalId: body.goalId ?? generatedId('goal', envelope),
        title: body.title,
        indicator: indicatorOf(body.indicator),
        baseline: { value: baseline.value, from: baseline.from, to: baseline.to },
        target: { value: target.value, by: target.by },
      },
      envelope,
    );
    return created(reply, await this.commands.execute(command), `/action-plans/${id}`);
  }

  @Post(':id/measures')
  async addMeasure(@Param('id', uuidPathPipe) id: string, @Body() body: AddMeasureDto, @Envelope() envelope: CommandEnvelope, @Res({ passthrough: true }) reply: FastifyReply) {
    const measureId = body.measureId ?? generatedId('measure', envelope);
    const result = await this.commands.execute(new AddMeasureCommand({ ...body, actionPlanId: id, measureId }, envelope));
    return created(reply, result, `/action-plans/${id}`);
  }

  @Post(':id/signatures')
  async sign(@Param('id', uuidPathPipe) id: string, @Body() body: SignActionPlanDto, @Envelope() envelope: CommandEnvelope, @Res({ passthrough: true }) reply: FastifyReply) {
    const { signedAt, ...rest } = body;
    const command = new SignActionPlanCommand({ ...rest, actionPlanId: id, signedAt: signedAt === undefined ? undefined : new Date(signedAt) }, envelope);
    return created(reply, await this.commands.execute(command), `/action-plans/${id}`);
  }

  @Post(':id/adoption')
  async adopt(
    @Param('id', uuidPathPipe) id: string,
    @Body() body: AdoptActionPlanDto,
    @Req() request: FastifyRequest,
    @Envelope() envelope: CommandEnvelope,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // Every field is optional here, so a body of 5, "x" or [] would pass as {}: refuse what is not an object.
    const raw = request.body;
    if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
      throw new RequestValidationError([{ field: 'body', message: 'must be a JSON object (or be left out)' }]);
    }
    const adoptedAt = body.adoptedAt === undefined ? undefined : new Date(body.adoptedAt);
    const result = await this.commands.execute(new AdoptActionPlanCommand({ actionPlanId: id, adoptedAt }, envelope));
    return created(reply, result, `/action-plans/${id}`);
  }

  /**
   * The plan as it stands, or with `asOf` as it stood then; the ETag is the stream revision of that
   * state. Folded from the plan's own stream, so `consistentWith` waits for the log, not for a read model.
   */
  @Get(':id')
  @UseFilters(ReadModelUnavailableFilter)
  @ApiQuery({ name: 'asOf', required: false, description: 'the plan as it stood at this instant (ISO 8601 with an offset)' })
  @ApiConsistentWith('log')
  async get(@Param('id') rawId: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    const params = new QueryParams(query, ['asOf', 'consistentWith']);
    const asOf = params.instant('asOf');
    const consistentWith = params.position('consistentWith');
    const id = params.pathUuid('id', rawId)!;
    params.done();

    await this.logConsistency.require(consistentWith);
    const plan = await this.getActionPlan.execute(id, asOf === undefined ? undefined : new Date(asOf));
    reply.header('etag', `"${plan.revision}"`);
    return { ...plan, revision: plan.revision.toString() };
  }
}
