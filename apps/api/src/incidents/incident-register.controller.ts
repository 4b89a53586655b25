import { Controller, Get, Inject, Query, UseFilters } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { SETTINGS, type Settings } from '@app/config';
import { INCIDENT_CATEGORY_IDS, INCIDENT_SOURCES } from '@app/domain';
import { INCIDENT_REGISTER_CURSOR, incidentRegisterProjection, queryIncidentRegister } from '@app/projections';
import { READ_STORE, type ReadStore } from '@app/read-store';
import { ApiConsistentWith, Consistency, ReadModelUnavailableFilter } from '../queries/consistency.js';
import { ApiPaging, pageAnswer } from '../queries/paging.js';
import { QueryParams } from '../queries/query-params.js';

const PARAMETERS = ['municipalityId', 'from', 'to', 'category', 'areaId', 'placeId', 'source', 'status', 'cursor', 'limit', 'consistentWith'];

/** The incident register: a read model, filtered and paged. (Commands on incidents: incident.controller.ts.) */
@ApiTags('incidents')
@Controller('incidents')
@UseFilters(ReadModelUnavailableFilter)
export class IncidentRegisterController {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly consistency: Consistency,
  ) {}

  @Get()
  @ApiQuery({ name: 'municipalityId', required: true, example: 'danderyd' })
  @ApiQuery({ name: 'from', required: false, description: 'occurred at or after: an ISO instant with offset, or a date (the start of that day in the reporting time zone)' })
  @ApiQuery({ name: 'to', required: false, description: 'occurred before: an ISO instant with offset, or a date (that whole day included)' })
  @ApiQuery({ name: 'category', required: false, enum: INCIDENT_CATEGORY_IDS })
  @ApiQuery({ name: 'areaId', required: false })
  @ApiQuery({ name: 'placeId', required: false })
  @ApiQuery({ name: 'source', required: false, enum: INCIDENT_SOURCES })
  @ApiQuery({ name: 'status', required: false, enum: ['recorded', 'retracted'] })
  @ApiPaging()
  @ApiConsistentWith('read model')
  async list(@Query() query: Record<string, unknown>) {
    const params = new QueryParams(query, PARAMETERS);
    const timeZone = this.settings.reportingTimeZone;
    const filter = {
      municipalityId: params.slug('municipalityId', { required: true })!,
      from: params.instantOrDate('from', 'start', timeZone),
      to: params.instantOrDate('to', 'end', timeZone),
      category: params.oneOf('category', INCIDENT_CATEGORY_IDS),
      areaId: params.slug('areaId'),
      placeId: params.slug('placeId'),
      source: params.oneOf('source', INCIDENT_SOURCES),
      status: params.oneOf('status', ['recorded', 'retracted'] as const),
    };
    const after = params.cursor(INCIDENT_REGISTER_CURSOR);
    const limit = params.limit();
    const consistentWith = params.position('consistentWith');
    params.check(!filter.from || !filter.to || filter.from < filter.to, 'to', 'must be later than from');
    params.done();

    await this.consistency.require(incidentRegisterProjection.name, consistentWith);
    const page = await queryIncidentRegister(this.store, filter, { after, limit });
    return pageAnswer(INCIDENT_REGISTER_CURSOR, page);
  }
}
