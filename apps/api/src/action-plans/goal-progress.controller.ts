import { Controller, Get, Inject, Param, Query, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SETTINGS, type Settings } from '@app/config';
import { assertNever, NotFoundError } from '@app/domain';
import { goalProgressProjection, readGoalProgress } from '@app/projections';
import { READ_STORE, type ReadStore } from '@app/read-store';
import { ApiConsistentWith, Consistency, ReadModelUnavailableFilter } from '../queries/consistency.js';
import { QueryParams } from '../queries/query-params.js';

const READ_MODEL = goalProgressProjection().name;

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
  @ApiConsistentWith('read model')
  async progress(@Param('id') rawId: string, @Query() query: Record<string, unknown>) {
    const params = new QueryParams(query, ['consistentWith']);
    const consistentWith = params.position('consistentWith');
    const id = params.pathUuid('id', rawId)!;
    params.done();
    await this.consistency.require(READ_MODEL, consistentWith);

    const answer = await readGoalProgress(this.store, id, new Date(), { timeZone: this.settings.reportingTimeZone });
    switch (answer.found) {
      case 'progress':
        return answer.view;
      case 'plan-not-adopted':
        throw new NotFoundError('GOAL_PROGRESS.PLAN_NOT_ADOPTED', `action plan ${id} is not adopted yet; progress is followed from adoption`, { actionPlanId: id });
      case 'no-plan':
        throw new NotFoundError('ACTION_PLAN.NOT_FOUND', `action plan ${id} does not exist`, { actionPlanId: id });
      default:
        return assertNever(answer);
    }
  }
}
