import { Inject, Injectable } from '@nestjs/common';
import { actionPlan, actionPlanStream, type MeasureAdded, type MeasureFacts, measureFacts } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { fold } from '../command-pipeline/fold.js';

const PAGE = 1000;

/**
 * Finds the action plan that holds a measure, for commands that name a measure by its id alone (a
 * guard reinforcement's `measureId`, SPEC 7). Measure ids are unique within a plan, not across
 * plans, and a measure lives in its plan's stream, so this keeps an index measureId → plans, caught
 * up on use from the log filtered on MeasureAdded (as RegistryLookup.areasContaining does for
 * areas). A measure is never removed, so the index only grows; the plan's current state (its
 * municipality and status) is then folded from the plan's own stream.
 */
@Injectable()
export class MeasureLookup {
  /** measureId → the ids of the plans that added a measure of that id, oldest first. */
  private readonly plansByMeasure = new Map<string, string[]>();
  private after: bigint | undefined;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * The measure as it stands in its plan, or undefined when no plan holds it. When several plans
   * hold a measure of that id (a client that reused ids in a later plan), one of `municipalityId`
   * is preferred, and among those the newest plan.
   */
  async measure(measureId: string, municipalityId?: string): Promise<MeasureFacts | undefined> {
    await this.catchUp();
    const planIds = [...(this.plansByMeasure.get(measureId) ?? [])].reverse();
    const facts = await Promise.all(planIds.map(async (id) => measureFacts(fold(actionPlan, await this.store.readStream(actionPlanStream(id))), measureId)));
    const held = facts.filter((f): f is MeasureFacts => f !== undefined);
    return held.find((f) => f.municipalityId === municipalityId) ?? held[0];
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ after: this.after, maxCount: PAGE, filter: { eventTypes: ['MeasureAdded'] } });
      for (const event of page) {
        // Concurrent catch-ups may read the same page; positions only move forward and ids are kept once.
        if (this.after !== undefined && event.position <= this.after) continue;
        const { measureId, actionPlanId } = event.data as MeasureAdded['data'];
        const plans = this.plansByMeasure.get(measureId) ?? [];
        if (!plans.includes(actionPlanId)) this.plansByMeasure.set(measureId, [...plans, actionPlanId]);
        this.after = event.position;
      }
      if (page.length < PAGE) return;
    }
  }
}
