import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actionPlan, actionPlanStream, type SignActionPlan, signActionPlan } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';

export class SignActionPlanCommand extends Command<CommandResult> {
  constructor(readonly payload: Omit<SignActionPlan, 'now'>, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(SignActionPlanCommand)
export class SignActionPlanHandler implements ICommandHandler<SignActionPlanCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ payload, envelope }: SignActionPlanCommand): Promise<CommandResult> {
    return this.pipeline.run({
      name: 'SignActionPlan',
      stream: actionPlanStream(payload.actionPlanId),
      id: payload.actionPlanId,
      decider: actionPlan,
      decide: (state) => signActionPlan({ ...payload, now: envelope.now }, state),
      envelope,
    });
  }
}
