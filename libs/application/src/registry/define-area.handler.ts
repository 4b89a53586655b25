import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { area, areaStream, type DefineArea, defineArea } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';
import { RegistryLookup } from './registry.lookup.js';

export class DefineAreaCommand extends Command<CommandResult> {
  constructor(readonly payload: Omit<DefineArea, 'municipality'>, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(DefineAreaCommand)
export class DefineAreaHandler implements ICommandHandler<DefineAreaCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly registry: RegistryLookup,
  ) {}

  async execute({ payload, envelope }: DefineAreaCommand): Promise<CommandResult> {
    const municipality = await this.registry.municipality(payload.municipalityId);
    return this.pipeline.run({
      name: 'DefineArea',
      stream: areaStream(payload.areaId),
      id: payload.areaId,
      decider: area,
      decide: (state) => defineArea({ ...payload, municipality }, state),
      envelope,
      createsStream: true,
    });
  }
}
