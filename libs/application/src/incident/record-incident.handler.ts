import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { incident, incidentStream, type RecordIncident, recordIncident } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';
import { RegistryLookup } from '../registry/registry.lookup.js';

export type RecordIncidentPayload = Omit<RecordIncident, 'now' | 'place' | 'area' | 'areasAtLocation'>;

export class RecordIncidentCommand extends Command<CommandResult> {
  constructor(readonly payload: RecordIncidentPayload, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(RecordIncidentCommand)
export class RecordIncidentHandler implements ICommandHandler<RecordIncidentCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly registry: RegistryLookup,
  ) {}

  async execute({ payload, envelope }: RecordIncidentCommand): Promise<CommandResult> {
    const { placeId, areaId, location } = payload;
    const [place, area, areasAtLocation] = await Promise.all([
      placeId === undefined ? undefined : this.registry.place(placeId),
      areaId === undefined ? undefined : this.registry.area(areaId),
      location === undefined || placeId !== undefined || areaId !== undefined ? undefined : this.registry.areasContaining(location),
    ]);
    return this.pipeline.run({
      name: 'RecordIncident',
      stream: incidentStream(payload.incidentId),
      id: payload.incidentId,
      decider: incident,
      // Not `{ ...payload, now, … }`: on this V8 a spread followed by more properties takes a slow
      // path (several µs for a payload this size); Object.assign builds the same object fast.
      decide: (state) => recordIncident(Object.assign({ now: envelope.now, place, area, areasAtLocation }, payload), state),
      envelope,
      createsStream: true,
    });
  }
}
