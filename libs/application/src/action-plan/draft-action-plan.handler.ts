import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actionPlan, actionPlanStream, type DraftActionPlan, draftActionPlan } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';
import { RegistryLookup } from '../registry/registry.lookup.js';

export class DraftActionPlanCommand extends Command<CommandResult> {
  constructor(readonly payload: Omit<DraftActionPlan, 'municipality'>, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(DraftActionPlanCommand)
export class DraftActionPlanHandler implements ICommandHandler<DraftActionPlanCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly registry: RegistryLookup,
  ) {}

  async execute({ payload, envelope }: DraftActionPlanCommand): Promise<CommandResult> {
    const municipality = await this.registry.municipality(payload.municipalityId);
    return this.pipeline.run({
      name: 'DraftActionPlan',
      stream: actionPlanStream(payload.actionPlanId),
      id: payload.actionPlanId,
      decider: actionPlan,
      decide: (state) => draftActionPlan({ ...payload, municipality }, state),
      envelope,
      createsStream: true,
    });
  }
}
