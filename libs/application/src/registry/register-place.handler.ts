import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { place, placeStream, type RegisterPlace, registerPlace } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';
import { RegistryLookup } from './registry.lookup.js';

export class RegisterPlaceCommand extends Command<CommandResult> {
  constructor(readonly payload: Omit<RegisterPlace, 'area'>, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(RegisterPlaceCommand)
export class RegisterPlaceHandler implements ICommandHandler<RegisterPlaceCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly registry: RegistryLookup,
  ) {}

  async execute({ payload, envelope }: RegisterPlaceCommand): Promise<CommandResult> {
    const area = await this.registry.area(payload.areaId);
    return this.pipeline.run({
      name: 'RegisterPlace',
      stream: placeStream(payload.placeId),
      id: payload.placeId,
      decider: place,
      decide: (state) => registerPlace({ ...payload, area }, state),
      envelope,
      createsStream: true,
    });
  }
}
