import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { guardReinforcement, guardReinforcementStream, type PlaceFacts, type ReinforceGuardPresence, reinforceGuardPresence } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';
import { MeasureLookup } from '../action-plan/measure.lookup.js';
import { RegistryLookup } from '../registry/registry.lookup.js';

export type ReinforceGuardPresencePayload = Omit<ReinforceGuardPresence, 'places' | 'measure' | 'municipalityId'>;

export class ReinforceGuardPresenceCommand extends Command<CommandResult> {
  constructor(readonly payload: ReinforceGuardPresencePayload, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(ReinforceGuardPresenceCommand)
export class ReinforceGuardPresenceHandler implements ICommandHandler<ReinforceGuardPresenceCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly registry: RegistryLookup,
    private readonly measures: MeasureLookup,
  ) {}

  async execute({ payload, envelope }: ReinforceGuardPresenceCommand): Promise<CommandResult> {
    const found = await Promise.all([...new Set(payload.placeIds)].map((id) => this.registry.place(id)));
    const places = found.filter((p): p is PlaceFacts => p !== undefined);
    // The measure is named by its id alone (SPEC 7); MeasureLookup finds its plan through the log.
    // The decider checks that it is of the places' municipality.
    const municipalityId = places.find((p) => p.placeId === payload.placeIds[0])?.municipalityId;
    const measure = payload.measureId === undefined ? undefined : await this.measures.measure(payload.measureId, municipalityId);
    return this.pipeline.run({
      name: 'ReinforceGuardPresence',
      stream: guardReinforcementStream(payload.reinforcementId),
      id: payload.reinforcementId,
      decider: guardReinforcement,
      decide: (state) => reinforceGuardPresence({ ...payload, places, measure }, state),
      envelope,
      createsStream: true,
    });
  }
}
