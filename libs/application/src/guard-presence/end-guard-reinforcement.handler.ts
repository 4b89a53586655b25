import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type EndGuardReinforcement, endGuardReinforcement, guardReinforcement, guardReinforcementStream } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';

export class EndGuardReinforcementCommand extends Command<CommandResult> {
  constructor(readonly payload: EndGuardReinforcement, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(EndGuardReinforcementCommand)
export class EndGuardReinforcementHandler implements ICommandHandler<EndGuardReinforcementCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ payload, envelope }: EndGuardReinforcementCommand): Promise<CommandResult> {
    return this.pipeline.run({
      name: 'EndGuardReinforcement',
      stream: guardReinforcementStream(payload.reinforcementId),
      id: payload.reinforcementId,
      decider: guardReinforcement,
      decide: (state) => endGuardReinforcement(payload, state),
      envelope,
    });
  }
}
