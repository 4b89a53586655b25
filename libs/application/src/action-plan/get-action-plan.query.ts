import { Inject, Injectable } from '@nestjs/common';
import { actionPlan, actionPlanStream, type Goal, type Measure, NotFoundError, type Signature } from '@app/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@app/event-store';
import { fold } from '../command-pipeline/fold.js';

export interface ActionPlanView {
  id: string;
  municipalityId: string;
  title: string;
  periodStart: string;
  periodEnd: string;
  status: 'draft' | 'adopted';
  /** The stream revision (every event moves it): what ETag and If-Match carry. */
  revision: bigint;
  /** The content revision (goals and measures added): what a signature is given for. */
  contentRevision: number;
  adoptedAt: string | null;
  goals: Goal[];
  measures: Measure[];
  /** The signatures valid for `contentRevision`; `revision` in each is the content revision signed. */
  signatures: Signature[];
}

/**
 * One plan folded from its own stream: as it stands, or as it stood at an instant. "As it stood at
 * `asOf`" is the stream's events up to the first one recorded after `asOf` (a prefix, so the fold
 * never skips an event even if clocks of several writers disagree).
 */
@Injectable()
export class GetActionPlanQuery {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(actionPlanId: string, asOf?: Date): Promise<ActionPlanView> {
    const events = recordedBy(await this.store.readStream(actionPlanStream(actionPlanId)), asOf);
    const state = fold(actionPlan, events);
    if (state.status === 'none') {
      const message = asOf ? `action plan ${actionPlanId} did not exist at ${asOf.toISOString()}` : `action plan ${actionPlanId} does not exist`;
      throw new NotFoundError('ACTION_PLAN.NOT_FOUND', message, asOf ? { asOf: asOf.toISOString() } : {});
    }
    return {
      id: state.actionPlanId,
      municipalityId: state.municipalityId,
      title: state.title,
      periodStart: state.periodStart,
      periodEnd: state.periodEnd,
      status: state.status,
      revision: events[events.length - 1].revision,
      contentRevision: state.contentRevision,
      adoptedAt: state.adoptedAt,
      goals: state.goals,
      measures: state.measures,
      signatures: state.signatures,
    };
  }
}

function recordedBy(events: RecordedEvent[], asOf: Date | undefined): RecordedEvent[] {
  if (asOf === undefined) return events;
  const after = events.findIndex((event) => event.recordedAt.getTime() > asOf.getTime());
  return after === -1 ? events : events.slice(0, after);
}
