import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type PublishSituationPicture, publishSituationPicture, situationPicture, situationPictureStream } from '@app/domain';
import { SETTINGS, type Settings } from '@app/config';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';
import { RegistryLookup } from '../registry/registry.lookup.js';

export type PublishSituationPicturePayload = Omit<PublishSituationPicture, 'now' | 'position' | 'municipality' | 'periodAnchor' | 'timeZone'>;

export class PublishSituationPictureCommand extends Command<CommandResult> {
  constructor(readonly payload: PublishSituationPicturePayload, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(PublishSituationPictureCommand)
export class PublishSituationPictureHandler implements ICommandHandler<PublishSituationPictureCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly registry: RegistryLookup,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  async execute({ payload, envelope }: PublishSituationPictureCommand): Promise<CommandResult> {
    const [municipality, head] = await Promise.all([this.registry.municipality(payload.municipalityId), this.store.headPosition()]);
    // The figures are frozen at the log as it stands now: everything recorded before the publication.
    const position = (head ?? 0n).toString();
    const { situationPeriodAnchor: periodAnchor, reportingTimeZone: timeZone } = this.settings;
    return this.pipeline.run({
      name: 'PublishSituationPicture',
      stream: situationPictureStream(payload.municipalityId, payload.periodStart),
      id: payload.publicationId,
      decider: situationPicture,
      decide: (state) => publishSituationPicture({ ...payload, now: envelope.now, position, municipality, periodAnchor, timeZone }, state),
      envelope,
    });
  }
}
