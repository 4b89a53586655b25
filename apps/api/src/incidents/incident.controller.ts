import { Body, Controller, Get, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  type CommandEnvelope,
  generatedId,
  GetIncidentQuery,
  ReclassifyIncidentCommand,
  RecordIncidentCommand,
  type RecordIncidentPayload,
  RetractIncidentCommand,
} from '@app/application';
import { Envelope } from '../http/command-envelope.decorator.js';
import { created } from '../http/command-response.js';
import { uuidPathPipe } from '../http/uuid-path.pipe.js';
import { ApiConsistentWith, LogConsistency, ReadModelUnavailableFilter } from '../queries/consistency.js';
import { QueryParams } from '../queries/query-params.js';
import { ReclassifyIncidentDto, RecordIncidentDto, RetractIncidentDto } from './incident.dto.js';

/** Every field of T named, optional ones too: a field the command gains does not compile here until it is mapped. */
type EveryField<T> = { [K in keyof Required<T>]: T[K] };

@ApiTags('incidents')
@Controller('incidents')
export class IncidentController {
  constructor(
    private readonly commands: CommandBus,
    private readonly getIncident: GetIncidentQuery,
    private readonly logConsistency: LogConsistency,
  ) {}

  @Post()
  async record(@Body() body: RecordIncidentDto, @Envelope() envelope: CommandEnvelope, @Res({ passthrough: true }) reply: FastifyReply) {
    // A generated id is derived from the Idempotency-Key, so a retry lands on the same incident.
    const incidentId = body.incidentId ?? generatedId('incident', envelope);
    // Field by field: an object rest of the DTO (`{ occurredAt, ...rest } = body`), or a spread
    // followed by more properties, takes a slow path on this V8, several µs a request.
    const payload: EveryField<RecordIncidentPayload> = {
      incidentId,
      occurredAt: new Date(body.occurredAt),
      reportedAt: body.reportedAt === undefined ? undefined : new Date(body.reportedAt),
      category: body.category,
      source: body.source,
      placeId: body.placeId,
      areaId: body.areaId,
      location: body.location && { lat: body.location.lat, lon: body.location.lon },
      reportedToPolice: body.reportedToPolice,
      description: body.description,
    };
    const command = new RecordIncidentCommand(payload, envelope);
    return created(reply, await this.commands.execute(command), `/incidents/${incidentId}`);
  }

  @Post(':id/classification')
  async reclassify(
    @Param('id', uuidPathPipe) id: string,
    @Body() body: ReclassifyIncidentDto,
    @Envelope() envelope: CommandEnvelope,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(new ReclassifyIncidentCommand({ incidentId: id, ...body }, envelope));
    return created(reply, result, `/incidents/${id}`);
  }

  @Post(':id/retraction')
  async retract(
    @Param('id', uuidPathPipe) id: string,
    @Body() body: RetractIncidentDto,
    @Envelope() envelope: CommandEnvelope,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(new RetractIncidentCommand({ incidentId: id, ...body }, envelope));
    return created(reply, result, `/incidents/${id}`);
  }

  /** Folded from the incident's own stream, so `consistentWith` waits for the log, not for a read model. */
  @Get(':id')
  @UseFilters(ReadModelUnavailableFilter)
  @ApiConsistentWith('log')
  async get(@Param('id') rawId: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    const params = new QueryParams(query, ['consistentWith']);
    const consistentWith = params.position('consistentWith');
    const id = params.pathUuid('id', rawId)!;
    params.done();

    await this.logConsistency.require(consistentWith);
    const incident = await this.getIncident.execute(id);
    reply.header('etag', `"${incident.revision}"`);
    return { ...incident, revision: incident.revision.toString() };
  }
}
