import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { municipality, municipalityStream, type RegisterMunicipality, registerMunicipality } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';

export class RegisterMunicipalityCommand extends Command<CommandResult> {
  constructor(readonly payload: RegisterMunicipality, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(RegisterMunicipalityCommand)
export class RegisterMunicipalityHandler implements ICommandHandler<RegisterMunicipalityCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ payload, envelope }: RegisterMunicipalityCommand): Promise<CommandResult> {
    return this.pipeline.run({
      name: 'RegisterMunicipality',
      stream: municipalityStream(payload.municipalityId),
      id: payload.municipalityId,
      decider: municipality,
      decide: (state) => registerMunicipality(payload, state),
      envelope,
      createsStream: true,
    });
  }
}
