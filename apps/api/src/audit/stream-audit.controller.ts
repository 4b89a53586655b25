import { Controller, Get, Inject, Param, Query, UseFilters } from '@nestjs/common';
import { ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { ApiConsistentWith, LogConsistency, ReadModelUnavailableFilter } from '../queries/consistency.js';
import { MAX_LIMIT, QueryParams } from '../queries/query-params.js';

const STREAM = /^[a-z][a-z0-9]*-[A-Za-z0-9._@-]{1,200}$/;

/** The raw events of one stream, straight from the log: what an auditor replays. */
@ApiTags('audit')
@Controller('audit')
@UseFilters(ReadModelUnavailableFilter)
export class StreamAuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly logConsistency: LogConsistency,
  ) {}

  @Get('streams/:stream')
  @ApiParam({ name: 'stream', example: 'actionplan-3f0c0f6e-8d0e-4c53-9d43-3b4f5a6e7d10', description: '<category>-<id>' })
  @ApiQuery({ name: 'fromRevision', required: false, description: 'the first revision to return (default 0)' })
  @ApiQuery({ name: 'limit', required: false, description: `1 to ${MAX_LIMIT}, default 100` })
  @ApiConsistentWith('log')
  async stream(@Param('stream') stream: string, @Query() query: Record<string, unknown>) {
    const params = new QueryParams(query, ['fromRevision', 'limit', 'consistentWith']);
    const fromRevision = params.revision('fromRevision') ?? 0n;
    const limit = params.limit(100);
    const consistentWith = params.position('consistentWith');
    // Not lower-cased: the auditor asks for a stream by the name it has in the log.
    params.check(STREAM.test(stream), 'stream', 'must be a stream name <category>-<id>');
    params.done();

    await this.logConsistency.require(consistentWith);
    const events = await this.store.readStream(stream, { fromRevision, maxCount: limit + 1 });
    if (events.length === 0 && fromRevision === 0n) throw new NotFoundError('STREAM.NOT_FOUND', `stream ${stream} has no events`);
    const page = events.slice(0, limit);
    return {
      stream,
      events: page.map((event) => ({
        id: event.id,
        type: event.type,
        revision: event.revision.toString(),
        position: event.position.toString(),
        recordedAt: event.recordedAt.toISOString(),
        data: event.data,
        metadata: event.metadata,
      })),
      nextRevision: events.length > limit ? events[limit].revision.toString() : null,
    };
  }
}
