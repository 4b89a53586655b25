import {
  type ActionPlanAdopted,
  type ActionPlanDrafted,
  type ActionPlanSigned,
  assertNever,
  type GoalAdded,
  type GuardPresenceReinforced,
  type GuardReinforcementEnded,
  type MeasureAdded,
  type SituationPicturePublished,
} from '@app/domain';
import type { PositionedDocument, ProjectedEvent, Projection } from '../projection.js';

export const DECISION_KINDS = [
  'action-plan-drafted',
  'goal-added',
  'measure-added',
  'action-plan-signed',
  'action-plan-adopted',
  'guard-presence-reinforced',
  'guard-reinforcement-ended',
  'situation-picture-published',
  'agreed-action',
] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** One decision, as an auditor replays them: what, about what, who, and when. */
export interface DecisionLogEntry extends PositionedDocument {
  /** The event id; an agreed action adds `/agreed-action/<nnn>` to its publication's id. */
  id: string;
  municipalityId: string;
  /** Log position of the event that recorded the decision (decimal); the log's order. */
  logPosition: string;
  kind: DecisionKind;
  /** The plan the decision belongs to, where it belongs to one (for filtering). */
  actionPlanId: string | null;
  /** Ids of what the decision is about. */
  subject: Record<string, string>;
  summary: string;
  /** Who: the actor recorded in the event's metadata. */
  actor: { id: string; role: string; organisation: string };
  /** When the log recorded it (ISO instant). */
  recordedAt: string;
  /** The decision's own time: when it was signed, adopted, published; else when the command was issued. */
  decidedAt: string;
  eventType: string;
  stream: string;
  /** The stream revision of the event (decimal). */
  revision: string;
  /** The decision's content, as recorded. */
  details: Record<string, unknown>;
}

type HandledEvent =
  | ActionPlanDrafted
  | GoalAdded
  | MeasureAdded
  | ActionPlanSigned
  | ActionPlanAdopted
  | GuardPresenceReinforced
  | GuardReinforcementEnded
  | SituationPicturePublished;

const EVENT_TYPES: readonly HandledEvent['type'][] = [
  'ActionPlanDrafted',
  'GoalAdded',
  'MeasureAdded',
  'ActionPlanSigned',
  'ActionPlanAdopted',
  'GuardPresenceReinforced',
  'GuardReinforcementEnded',
  'SituationPicturePublished',
];

const agreedActionId = (eventId: string, index: number) => `${eventId}/agreed-action/${String(index + 1).padStart(3, '0')}`;

/**
 * The decision log: plans, goals, measures, signatures, adoptions, reinforcements, publications and
 * the actions agreed at publication, one entry each, in log order. Entries never change once written.
 */
export const decisionLogProjection: Projection<DecisionLogEntry> = {
  name: 'decision-log',
  version: 1,
  // Applies one event in forty; what it costs is looking at the others.
  weight: 0.5,
  eventTypes: EVENT_TYPES,
  schema: {
    fields: { municipalityId: 'string', logPosition: 'position', kind: 'string', actionPlanId: 'string' },
    indexes: [
      ['municipalityId', 'logPosition'],
      ['municipalityId', 'kind', 'logPosition'],
      ['municipalityId', 'actionPlanId', 'logPosition'],
    ],
  },

  // An entry is made from its event alone and never changes; its id is the event's (or the
  // publication's and the action's number), so the event that writes it is the first to name it.
  writeOnly: true,
  creates: () => true,

  keys(event) {
    if (event.type === 'SituationPicturePublished') {
      const { agreedActions } = (event as unknown as { data: SituationPicturePublished['data'] }).data;
      return [event.id, ...agreedActions.map((_, i) => agreedActionId(event.id, i))];
    }
    return [event.id];
  },

  evolve(_documents, event) {
    return new Map(entriesOf(event).map((entry) => [entry.id, entry] as const));
  },
};

function entriesOf(event: ProjectedEvent): DecisionLogEntry[] {
  const handled = { type: event.type, data: event.data } as HandledEvent;
  const issuedAt = typeof event.metadata.issuedAt === 'string' ? event.metadata.issuedAt : event.recordedAt.toISOString();
  const entry = (
    kind: DecisionKind,
    actionPlanId: string | null,
    subject: Record<string, string>,
    summary: string,
    details: Record<string, unknown>,
    decidedAt = issuedAt,
    id = event.id,
  ): DecisionLogEntry => ({
    id,
    municipalityId: handled.data.municipalityId,
    logPosition: event.position.toString(),
    kind,
    actionPlanId,
    subject,
    summary,
    actor: { id: event.metadata.actor.id, role: event.metadata.actor.role, organisation: event.metadata.actor.organisation },
    recordedAt: event.recordedAt.toISOString(),
    decidedAt,
    eventType: event.type,
    stream: event.stream,
    revision: event.revision.toString(),
    details,
    lastPosition: event.position.toString(),
  });

  switch (handled.type) {
    case 'ActionPlanDrafted': {
      const { actionPlanId, title, periodStart, periodEnd } = handled.data;
      return [entry('action-plan-drafted', actionPlanId, { actionPlanId }, `Action plan drafted: ${title}`, { title, periodStart, periodEnd })];
    }
    case 'GoalAdded': {
      const { actionPlanId, municipalityId: _, goalId, title, ...goal } = handled.data;
      return [entry('goal-added', actionPlanId, { actionPlanId, goalId }, `Goal added: ${title}`, { title, ...goal })];
    }
    case 'MeasureAdded': {
      const { actionPlanId, municipalityId: _, measureId, title, ...measure } = handled.data;
      return [entry('measure-added', actionPlanId, { actionPlanId, measureId }, `Measure added: ${title}`, { title, ...measure })];
    }
    case 'ActionPlanSigned': {
      const { actionPlanId, role, name, signedAt, contentRevision } = handled.data;
      return [entry('action-plan-signed', actionPlanId, { actionPlanId }, `Signed by ${name} (${role})`, { role, name, signedAt, contentRevision }, signedAt)];
    }
    case 'ActionPlanAdopted': {
      const { actionPlanId, adoptedAt, contentRevision } = handled.data;
      return [entry('action-plan-adopted', actionPlanId, { actionPlanId }, 'Action plan adopted', { adoptedAt, contentRevision }, adoptedAt)];
    }
    case 'GuardPresenceReinforced': {
      const { reinforcementId, municipalityId: _, actionPlanId, ...reinforcement } = handled.data;
      const summary = `Guard presence reinforced at ${reinforcement.placeIds.join(', ')}, ${reinforcement.from} to ${reinforcement.to}`;
      return [entry('guard-presence-reinforced', actionPlanId, { reinforcementId }, summary, { actionPlanId, ...reinforcement })];
    }
    case 'GuardReinforcementEnded': {
      const { reinforcementId, endedOn, reason } = handled.data;
      // Events recorded before the end named the reinforcement's plan lack it.
      const actionPlanId = handled.data.actionPlanId ?? null;
      const summary = `Guard reinforcement ended on ${endedOn}`;
      return [entry('guard-reinforcement-ended', actionPlanId, { reinforcementId }, summary, { endedOn, reason, measureId: handled.data.measureId ?? null, actionPlanId })];
    }
    case 'SituationPicturePublished': {
      const { publicationId, periodStart, periodEnd, position, publishedAt, agreedActions, corrects } = handled.data;
      const subject = { publicationId, periodStart };
      const publication = entry(
        'situation-picture-published',
        null,
        subject,
        `Situation picture ${periodStart} to ${periodEnd} published${corrects ? ' (a correction)' : ''}`,
        { periodStart, periodEnd, position, publishedAt, corrects, agreedActions: agreedActions.length },
        publishedAt,
      );
      const actions = agreedActions.map((action, i) =>
        entry('agreed-action', null, subject, `Agreed: ${action.title}`, { ...action }, publishedAt, agreedActionId(event.id, i)),
      );
      return [publication, ...actions];
    }
    default:
      return assertNever(handled);
  }
}
