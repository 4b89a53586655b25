import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type RecordSurveyResults, recordSurveyResults, survey, surveyStream } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';
import { RegistryLookup } from '../registry/registry.lookup.js';

export type RecordSurveyResultsPayload = Omit<RecordSurveyResults, 'now' | 'municipality' | 'area'>;

export class RecordSurveyResultsCommand extends Command<CommandResult> {
  constructor(readonly payload: RecordSurveyResultsPayload, readonly envelope: CommandEnvelope) {
    super();
  }
}

@CommandHandler(RecordSurveyResultsCommand)
export class RecordSurveyResultsHandler implements ICommandHandler<RecordSurveyResultsCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly registry: RegistryLookup,
  ) {}

  async execute({ payload, envelope }: RecordSurveyResultsCommand): Promise<CommandResult> {
    const [municipality, area] = await Promise.all([
      this.registry.municipality(payload.municipalityId),
      payload.areaId === undefined ? undefined : this.registry.area(payload.areaId),
    ]);
    return this.pipeline.run({
      name: 'RecordSurveyResults',
      stream: surveyStream(payload.surveyId),
      id: payload.surveyId,
      decider: survey,
      decide: (state) => recordSurveyResults({ ...payload, now: envelope.now, municipality, area }, state),
      envelope,
      createsStream: true,
    });
  }
}
