import { Controller, Get, Inject, Param, Query, Res, UseFilters } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SETTINGS, type Settings } from '@app/config';
import { addDays, isIsoDate, NotFoundError, SUPPORTED_YEARS } from '@app/domain';
import { situationPicturePeriod, situationPictureProjection, SituationPictureReader } from '@app/projections';
import { READ_STORE, type ReadStore } from '@app/read-store';
import { SLUG } from '../http/dto-rules.js';
import { RequestValidationError } from '../http/problem-details.js';
import { Consistency, ReadModelUnavailableFilter } from '../queries/consistency.js';
import { QueryParams } from '../queries/query-params.js';

/** At most this many periods in one list answer (about two years). */
const MAX_PERIODS = 60;
const READ_MODEL = situationPictureProjection().name;

/** The biweekly situation picture, read from its projection. (Publishing: situation-picture.controller.ts.) */
@ApiTags('situation-pictures')
@Controller('situation-pictures')
@UseFilters(ReadModelUnavailableFilter)
export class SituationPictureQueryController {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly consistency: Consistency,
  ) {
    this.pictures = new SituationPictureReader(store, this.periodSettings);
  }

  private readonly pictures: SituationPictureReader;
  private readonly serialized = new WeakMap<object, string>();

  private get periodSettings() {
    return { anchor: this.settings.situationPeriodAnchor, timeZone: this.settings.reportingTimeZone };
  }

  @Get(':municipality/:periodStart')
  @ApiQuery({ name: 'consistentWith', required: false, description: 'a position a command answered: wait briefly until the picture has seen it, else 503' })
  async one(
    @Param('municipality') municipality: string,
    @Param('periodStart') periodStart: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const params = new QueryParams(query, ['consistentWith']);
    const consistentWith = params.position('consistentWith');
    params.done();
    this.checkPath(municipality, periodStart);
    const period = situationPicturePeriod(periodStart, this.periodSettings);
    if (!period.isPeriodStart) {
      throw new NotFoundError('SITUATION_PICTURE.NOT_A_PERIOD_START', `${periodStart} does not start a period; the period holding it starts ${period.periodStart}`, {
        periodStart: period.periodStart,
      });
    }
    await this.consistency.require(READ_MODEL, consistentWith);
    const view = await this.pictures.read(municipality, periodStart);
    // The reader hands out the same answer while the read model stands still: serialise it once too.
    let json = this.serialized.get(view);
    if (json === undefined) {
      json = JSON.stringify(view);
      this.serialized.set(view, json);
    }
    void reply.type('application/json; charset=utf-8');
    return json;
  }

  @Get(':municipality')
  @ApiQuery({ name: 'from', required: true, description: 'a date YYYY-MM-DD: the periods holding or after it' })
  @ApiQuery({ name: 'to', required: true, description: 'a date YYYY-MM-DD: the periods up to the one holding it' })
  @ApiQuery({ name: 'consistentWith', required: false })
  async list(@Param('municipality') municipality: string, @Query() query: Record<string, unknown>) {
    const params = new QueryParams(query, ['from', 'to', 'consistentWith']);
    const from = params.text('from', { required: true, maxLength: 10 });
    const to = params.text('to', { required: true, maxLength: 10 });
    const consistentWith = params.position('consistentWith');
    const problems = [];
    if (!SLUG.test(municipality)) problems.push({ field: 'municipality', message: 'must be a lower-case slug such as danderyd' });
    if (from !== undefined && !isIsoDate(from)) problems.push({ field: 'from', message: `must be a date YYYY-MM-DD in the ${SUPPORTED_YEARS}` });
    if (to !== undefined && !isIsoDate(to)) problems.push({ field: 'to', message: `must be a date YYYY-MM-DD in the ${SUPPORTED_YEARS}` });
    if (from && to && isIsoDate(from) && isIsoDate(to) && from > to) problems.push({ field: 'to', message: 'must not be before from' });
    try {
      params.done();
    } catch (error) {
      // All problems at once: the query string's and the path's.
      if (error instanceof RequestValidationError) throw new RequestValidationError([...error.errors, ...problems]);
      throw error;
    }
    if (problems.length > 0) throw new RequestValidationError(problems);

    const starts: string[] = [];
    let start = situationPicturePeriod(from!, this.periodSettings).periodStart;
    const last = situationPicturePeriod(to!, this.periodSettings).periodStart;
    while (start <= last) {
      starts.push(start);
      if (starts.length > MAX_PERIODS) {
        throw new RequestValidationError([{ field: 'to', message: `at most ${MAX_PERIODS} periods in one answer` }]);
      }
      start = situationPicturePeriod(addDays(start, 14), this.periodSettings).periodStart;
    }
    await this.consistency.require(READ_MODEL, consistentWith);
    const items = [];
    for (const periodStart of starts) items.push(await this.pictures.read(municipality, periodStart));
    return { municipalityId: municipality, items };
  }

  private checkPath(municipality: string, periodStart: string): void {
    const problems = [];
    if (!SLUG.test(municipality)) problems.push({ field: 'municipality', message: 'must be a lower-case slug such as danderyd' });
    if (!isIsoDate(periodStart)) problems.push({ field: 'periodStart', message: `must be a date YYYY-MM-DD in the ${SUPPORTED_YEARS}` });
    if (problems.length > 0) throw new RequestValidationError(problems);
  }
}

