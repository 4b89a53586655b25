import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { incident, incidentStream, type RetractIncident, retractIncident } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';
import { fold } from '../command-pipeline/fold.js';

export class RetractIncidentCommand extends Command<CommandResult> {
  constructor(readonly payload: Omit<RetractIncident, 'original'>, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(RetractIncidentCommand)
export class RetractIncidentHandler implements ICommandHandler<RetractIncidentCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ payload, envelope }: RetractIncidentCommand): Promise<CommandResult> {
    const original =
      payload.duplicateOf === undefined ? undefined : fold(incident, await this.store.readStream(incidentStream(payload.duplicateOf)));
    return this.pipeline.run({
      name: 'RetractIncident',
      stream: incidentStream(payload.incidentId),
      id: payload.incidentId,
      decider: incident,
      decide: (state) => retractIncident({ ...payload, original }, state),
      envelope,
    });
  }
}
