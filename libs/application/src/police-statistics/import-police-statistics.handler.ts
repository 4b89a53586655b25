import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type ImportPoliceStatistics, importPoliceStatistics, policeStatistics, policeStatisticsStream } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';
import { RegistryLookup } from '../registry/registry.lookup.js';

export type ImportPoliceStatisticsPayload = Omit<ImportPoliceStatistics, 'now' | 'municipality' | 'area'>;

export class ImportPoliceStatisticsCommand extends Command<CommandResult> {
  constructor(readonly payload: ImportPoliceStatisticsPayload, readonly envelope: CommandEnvelope) {
    super();
  }
}

/** One stream per municipality, area and period, so a re-import lands beside what it supersedes. */
@CommandHandler(ImportPoliceStatisticsCommand)
export class ImportPoliceStatisticsHandler implements ICommandHandler<ImportPoliceStatisticsCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly registry: RegistryLookup,
  ) {}

  async execute({ payload, envelope }: ImportPoliceStatisticsCommand): Promise<CommandResult> {
    const [municipality, area] = await Promise.all([
      this.registry.municipality(payload.municipalityId),
      payload.areaId === undefined ? undefined : this.registry.area(payload.areaId),
    ]);
    return this.pipeline.run({
      name: 'ImportPoliceStatistics',
      stream: policeStatisticsStream(payload),
      id: payload.importId,
      decider: policeStatistics,
      decide: (state) => importPoliceStatistics({ ...payload, now: envelope.now, municipality, area }, state),
      envelope,
    });
  }
}
