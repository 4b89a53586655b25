import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { incident, incidentStream, type ReclassifyIncident, reclassifyIncident } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';

export class ReclassifyIncidentCommand extends Command<CommandResult> {
  constructor(readonly payload: ReclassifyIncident, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(ReclassifyIncidentCommand)
export class ReclassifyIncidentHandler implements ICommandHandler<ReclassifyIncidentCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ payload, envelope }: ReclassifyIncidentCommand): Promise<CommandResult> {
    return this.pipeline.run({
      name: 'ReclassifyIncident',
      stream: incidentStream(payload.incidentId),
      id: payload.incidentId,
      decider: incident,
      decide: (state) => reclassifyIncident(payload, state),
      envelope,
    });
  }
}
