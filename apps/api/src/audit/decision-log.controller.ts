import { Controller, Get, Inject, Query, UseFilters } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { DECISION_KINDS, DECISION_LOG_CURSOR, decisionLogProjection, queryDecisionLog } from '@app/projections';
import { READ_STORE, type ReadStore } from '@app/read-store';
import { ApiConsistentWith, Consistency, ReadModelUnavailableFilter } from '../queries/consistency.js';
import { ApiPaging, pageAnswer } from '../queries/paging.js';
import { QueryParams } from '../queries/query-params.js';

/** The decision log for auditors: plans, goals, measures, signatures, adoptions, reinforcements, publications, agreed actions. */
@ApiTags('audit')
@Controller('audit')
@UseFilters(ReadModelUnavailableFilter)
export class DecisionLogController {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly consistency: Consistency,
  ) {}

  @Get('decisions')
  @ApiQuery({ name: 'municipalityId', required: true, example: 'danderyd' })
  @ApiQuery({ name: 'kind', required: false, enum: DECISION_KINDS })
  @ApiQuery({ name: 'actionPlanId', required: false })
  @ApiPaging()
  @ApiConsistentWith('read model')
  async decisions(@Query() query: Record<string, unknown>) {
    const params = new QueryParams(query, ['municipalityId', 'kind', 'actionPlanId', 'cursor', 'limit', 'consistentWith']);
    const filter = {
      municipalityId: params.slug('municipalityId', { required: true })!,
      kind: params.oneOf('kind', DECISION_KINDS),
      actionPlanId: params.uuid('actionPlanId'),
    };
    const after = params.cursor(DECISION_LOG_CURSOR);
    const limit = params.limit();
    const consistentWith = params.position('consistentWith');
    params.done();

    await this.consistency.require(decisionLogProjection.name, consistentWith);
    const page = await queryDecisionLog(this.store, filter, { after, limit });
    return pageAnswer(DECISION_LOG_CURSOR, page);
  }
}
