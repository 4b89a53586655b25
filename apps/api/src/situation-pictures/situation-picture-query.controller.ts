import { Controller, Get, Inject, Param, Query, Res, UseFilters } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RegistryLookup } from '@app/application';
import { SETTINGS, type Settings } from '@app/config';
import { addDays, NotFoundError } from '@app/domain';
import { situationPicturePeriod, situationPictureProjection, SituationPictureReader } from '@app/projections';
import { READ_STORE, type ReadStore } from '@app/read-store';
import { RequestValidationError } from '../http/problem-details.js';
import { ApiConsistentWith, Consistency, ReadModelUnavailableFilter } from '../queries/consistency.js';
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
    private readonly registry: RegistryLookup,
  ) {
    this.pictures = new SituationPictureReader(store, this.periodSettings);
  }

  private readonly pictures: SituationPictureReader;
  private readonly serialized = new WeakMap<object, string>();

  private get periodSettings() {
    return { anchor: this.settings.situationPeriodAnchor, timeZone: this.settings.reportingTimeZone };
  }

  @Get(':municipality/:periodStart')
  @ApiConsistentWith('read model')
  async one(
    @Param('municipality') municipality: string,
    @Param('periodStart') periodStart: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const params = new QueryParams(query, ['consistentWith']);
    const consistentWith = params.position('consistentWith');
    params.pathSlug('municipality', municipality, 'danderyd');
    params.pathDate('periodStart', periodStart);
    params.done();
    const period = situationPicturePeriod(periodStart, this.periodSettings);
    if (!period.isPeriodStart) {
      throw new NotFoundError('SITUATION_PICTURE.NOT_A_PERIOD_START', `${periodStart} does not start a period; the period holding it starts ${period.periodStart}`, {
        periodStart: period.periodStart,
      });
    }
    await this.consistency.require(READ_MODEL, consistentWith);
    await this.requireRegistered(municipality);
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
  @ApiConsistentWith('read model')
  async list(@Param('municipality') municipality: string, @Query() query: Record<string, unknown>) {
    const params = new QueryParams(query, ['from', 'to', 'consistentWith']);
    const from = params.date('from', { required: true });
    const to = params.date('to', { required: true });
    const consistentWith = params.position('consistentWith');
    params.pathSlug('municipality', municipality, 'danderyd');
    if (from !== undefined && to !== undefined) params.check(from <= to, 'to', 'must not be before from');
    params.done();

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
    await this.requireRegistered(municipality);
    const items = [];
    for (const periodStart of starts) items.push(await this.pictures.read(municipality, periodStart));
    return { municipalityId: municipality, items };
  }

  /**
   * A picture of a municipality that was never registered would be all zeros, as if nothing had
   * happened there: 404. Read from the log after the consistency wait, so that a municipality just
   * registered is found; a registered one is cached for good (RegistryLookup), so the hot path costs a Map lookup.
   */
  private async requireRegistered(municipality: string): Promise<void> {
    if (!(await this.registry.municipality(municipality))) {
      throw new NotFoundError('SITUATION_PICTURE.UNKNOWN_MUNICIPALITY', `municipality ${municipality} is not registered`, { municipalityId: municipality });
    }
  }
}

