import { Controller, Get, Inject, Param, Query, Res, UseFilters } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SETTINGS, type Settings } from '@app/config';
import { localDateOf, NotFoundError } from '@app/domain';
import {
  getGuardReinforcement,
  GUARD_REINFORCEMENT_STATUSES,
  GUARD_REINFORCEMENTS_CURSOR,
  guardReinforcementsProjection,
  queryGuardReinforcements,
} from '@app/projections';
import { READ_STORE, type ReadStore } from '@app/read-store';
import { ApiConsistentWith, Consistency, ReadModelUnavailableFilter } from '../queries/consistency.js';
import { ApiPaging, pageAnswer } from '../queries/paging.js';
import { QueryParams } from '../queries/query-params.js';

const READ_MODEL = guardReinforcementsProjection.name;
const PARAMETERS = ['municipalityId', 'placeId', 'activeOn', 'status', 'actionPlanId', 'measureId', 'cursor', 'limit', 'consistentWith'];

/** Guard reinforcements, read from their projection. (Commands: guard-presence.controller.ts.) */
@ApiTags('guard-presence')
@Controller('guard-reinforcements')
@UseFilters(ReadModelUnavailableFilter)
export class GuardReinforcementQueryController {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly consistency: Consistency,
  ) {}

  @Get()
  @ApiQuery({ name: 'municipalityId', required: true, example: 'danderyd' })
  @ApiQuery({ name: 'placeId', required: false, description: 'covers this place' })
  @ApiQuery({ name: 'activeOn', required: false, description: 'a date YYYY-MM-DD: runs on that day (from ≤ day ≤ endedOn or to)' })
  @ApiQuery({ name: 'status', required: false, enum: GUARD_REINFORCEMENT_STATUSES, description: 'as of today in the reporting time zone' })
  @ApiQuery({ name: 'actionPlanId', required: false, description: 'carries out a measure of this plan' })
  @ApiQuery({ name: 'measureId', required: false })
  @ApiPaging()
  @ApiConsistentWith('read model')
  async list(@Query() query: Record<string, unknown>) {
    const params = new QueryParams(query, PARAMETERS);
    const filter = {
      municipalityId: params.slug('municipalityId', { required: true })!,
      placeId: params.slug('placeId'),
      activeOn: params.date('activeOn'),
      status: params.oneOf('status', GUARD_REINFORCEMENT_STATUSES),
      actionPlanId: params.uuid('actionPlanId'),
      measureId: params.uuid('measureId'),
    };
    const after = params.cursor(GUARD_REINFORCEMENTS_CURSOR);
    const limit = params.limit();
    const consistentWith = params.position('consistentWith');
    params.done();

    await this.consistency.require(READ_MODEL, consistentWith);
    const page = await queryGuardReinforcements(this.store, filter, this.today(), { after, limit });
    return pageAnswer(GUARD_REINFORCEMENTS_CURSOR, page);
  }

  /** One reinforcement; the ETag is its stream revision, for `If-Match` on `/end`. */
  @Get(':id')
  @ApiConsistentWith('read model')
  async one(@Param('id') rawId: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    const params = new QueryParams(query, ['consistentWith']);
    const id = params.pathUuid('id', rawId)!;
    const consistentWith = params.position('consistentWith');
    params.done();

    await this.consistency.require(READ_MODEL, consistentWith);
    const reinforcement = await getGuardReinforcement(this.store, id, this.today());
    if (!reinforcement) throw new NotFoundError('GUARD_REINFORCEMENT.NOT_FOUND', `guard reinforcement ${id} does not exist`, { reinforcementId: id });
    reply.header('etag', `"${reinforcement.revision}"`);
    return reinforcement;
  }

  /** The day statuses and planned hours are worked out for. */
  private today(): string {
    return localDateOf(new Date(), this.settings.reportingTimeZone);
  }
}
