import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actionPlan, actionPlanStream, type AddGoal, addGoal } from '@app/domain';
import type { CommandEnvelope, CommandResult } from '../command-pipeline/command-envelope.js';
import { CommandPipeline } from '../command-pipeline/command-pipeline.js';
import { RegistryLookup } from '../registry/registry.lookup.js';

export class AddGoalCommand extends Command<CommandResult> {
  constructor(readonly payload: Omit<AddGoal, 'areas' | 'places'>, readonly envelope: CommandEnvelope) {
    super();
  }
}

const found = <T>(value: T | undefined): value is T => value !== undefined;

@CommandHandler(AddGoalCommand)
export class AddGoalHandler implements ICommandHandler<AddGoalCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly registry: RegistryLookup,
  ) {}

  async execute({ payload, envelope }: AddGoalCommand): Promise<CommandResult> {
    // The areas and places the indicator names, as found; the decider tells a missing or foreign one.
    const { indicator } = payload;
    const areaIds = indicator.kind === 'survey' ? (indicator.areaId === undefined ? [] : [indicator.areaId]) : (indicator.areaIds ?? []);
    const placeIds = indicator.kind === 'incident-count' ? (indicator.placeIds ?? []) : [];
    const [areas, places] = await Promise.all([
      Promise.all([...new Set(areaIds)].map((id) => this.registry.area(id))),
      Promise.all([...new Set(placeIds)].map((id) => this.registry.place(id))),
    ]);
    const facts = { areas: areas.filter(found), places: places.filter(found) };
    return this.pipeline.run({
      name: 'AddGoal',
      stream: actionPlanStream(payload.actionPlanId),
      id: payload.goalId,
      decider: actionPlan,
      decide: (state) => addGoal({ ...payload, ...facts }, state),
      envelope,
    });
  }
}
