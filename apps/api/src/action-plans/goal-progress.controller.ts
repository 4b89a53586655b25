import { Controller, Get, Inject, Param, ParseUUIDPipe, Query, UseFilters } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { SETTINGS, type Settings } from '@app/config';
import { NotFoundError } from '@app/domain';
import {
  type GoalProgressDocument,
  goalProgressDocumentIds,
  type GoalProgressPlanDocument,
  goalProgressPlanDocumentId,
  goalProgressProjection,
  goalProgressView,
} from '@app/projections';
import { READ_STORE, type ReadStore } from '@app/read-store';
import { RequestValidationError } from '../http/problem-details.js';
import { Consistency, ReadModelUnavailableFilter } from '../queries/consistency.js';
import { QueryParams } from '../queries/query-params.js';

const READ_MODEL = goalProgressProjection().name;
const planIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new RequestValidationError([{ field: 'id', message: 'must be a UUID' }]) });

/** How an adopted action plan's goals are going, read from the goal-progress projection. */
@ApiTags('action-plans')
@Controller('action-plans')
@UseFilters(ReadModelUnavailableFilter)
export class GoalProgressController {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly consistency: Consistency,
  ) {}

  @Get(':id/progress')
  @ApiQuery({ name: 'consistentWith', required: false, description: 'a position a command answered: wait briefly until the read model has seen it, else 503' })
  async progress(@Param('id', planIdPipe) id: string, @Query() query: Record<string, unknown>) {
    const params = new QueryParams(query, ['consistentWith']);
    const consistentWith = params.position('consistentWith');
    params.done();
    await this.consistency.require(READ_MODEL, consistentWith);

    const now = new Date();
    const settings = { timeZone: this.settings.reportingTimeZone };
    const plan = await this.store.get<GoalProgressPlanDocument & Record<string, unknown>>(READ_MODEL, goalProgressPlanDocumentId(id));
    const documents = plan
      ? await this.store.getMany<GoalProgressDocument & Record<string, unknown>>(READ_MODEL, goalProgressDocumentIds(plan, now, settings))
      : new Map();
    const view = goalProgressView(plan, documents, now, settings);
    if (!view) {
      throw new NotFoundError(
        plan ? 'GOAL_PROGRESS.PLAN_NOT_ADOPTED' : 'ACTION_PLAN.NOT_FOUND',
        plan ? `action plan ${id} is not adopted yet; progress is followed from adoption` : `action plan ${id} does not exist`,
        { actionPlanId: id },
      );
    }
    return view;
  }
}
