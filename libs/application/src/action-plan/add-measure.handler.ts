import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actionPlan, actionPlanStream, type AddMeasure, addMeasure } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';

/** The goals a measure serves are checked against the plan's own state; nothing to look up elsewhere. */
export class AddMeasureCommand extends Command<CommandResult> {
  constructor(readonly payload: AddMeasure, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(AddMeasureCommand)
export class AddMeasureHandler implements ICommandHandler<AddMeasureCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ payload, envelope }: AddMeasureCommand): Promise<CommandResult> {
    return this.pipeline.run({
      name: 'AddMeasure',
      stream: actionPlanStream(payload.actionPlanId),
      id: payload.measureId,
      decider: actionPlan,
      decide: (state) => addMeasure(payload, state),
      envelope,
    });
  }
}
