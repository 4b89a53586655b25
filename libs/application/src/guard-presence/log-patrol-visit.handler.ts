import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { guardReinforcement, guardReinforcementStream, type LogPatrolVisit, logPatrolVisit, patrolVisit, patrolVisitStream } from '@app/domain';
import { SETTINGS, type Settings } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';
import { fold } from '../command-pipeline/fold.js';
import { RegistryLookup } from '../registry/registry.lookup.js';

export type LogPatrolVisitPayload = Omit<LogPatrolVisit, 'now' | 'place' | 'reinforcement' | 'timeZone'>;

export class LogPatrolVisitCommand extends Command<CommandResult> {
  constructor(readonly payload: LogPatrolVisitPayload, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(LogPatrolVisitCommand)
export class LogPatrolVisitHandler implements ICommandHandler<LogPatrolVisitCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly registry: RegistryLookup,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  async execute({ payload, envelope }: LogPatrolVisitCommand): Promise<CommandResult> {
    const { reinforcementId } = payload;
    const [place, reinforcement] = await Promise.all([
      this.registry.place(payload.placeId),
      reinforcementId === undefined ? undefined : this.store.readStream(guardReinforcementStream(reinforcementId)).then((events) => fold(guardReinforcement, events)),
    ]);
    return this.pipeline.run({
      name: 'LogPatrolVisit',
      stream: patrolVisitStream(payload.visitId),
      id: payload.visitId,
      decider: patrolVisit,
      decide: (state) => logPatrolVisit({ ...payload, now: envelope.now, place, reinforcement, timeZone: this.settings.reportingTimeZone }, state),
      envelope,
      createsStream: true,
    });
  }
}
