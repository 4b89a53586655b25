import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actionPlan, actionPlanStream, type AdoptActionPlan, adoptActionPlan } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';

export class AdoptActionPlanCommand extends Command<CommandResult> {
  constructor(readonly payload: Omit<AdoptActionPlan, 'now'>, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(AdoptActionPlanCommand)
export class AdoptActionPlanHandler implements ICommandHandler<AdoptActionPlanCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ payload, envelope }: AdoptActionPlanCommand): Promise<CommandResult> {
    return this.pipeline.run({
      name: 'AdoptActionPlan',
      stream: actionPlanStream(payload.actionPlanId),
      id: payload.actionPlanId,
      decider: actionPlan,
      decide: (state) => adoptActionPlan({ ...payload, now: envelope.now }, state),
      envelope,
    });
  }
}
