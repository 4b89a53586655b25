import type { DomainEvent } from '../shared/domain-event.js';
import type { IncidentCategory } from '../incident/incident.vocabulary.js';
import type { MeasureKind, Responsible, SignatoryRole } from './action-plan.vocabulary.js';

/**
 * The plan's content revision is what a signature is given for. It counts changes to the content:
 * ActionPlanDrafted starts it at 0 and every GoalAdded and MeasureAdded adds one (and carries the new
 * value). Signing and adoption leave it as it is. It is not the stream revision, which every event
 * moves, including each signature.
 *
 * A change after a signature voids every earlier signature. GoalAdded and MeasureAdded say so
 * themselves in `voidsSignatures` (the roles whose signatures they void, [] when none), rather than
 * through a separate SignaturesVoided event: the change and its consequence are one fact, recorded
 * at once, and a reader of either event alone sees it.
 */

export type ActionPlanDrafted = DomainEvent<
  'ActionPlanDrafted',
  {
    actionPlanId: string;
    municipalityId: string;
    title: string;
    /** YYYY-01-01 and (YYYY+1)-12-31, its first and last day. */
    periodStart: string;
    periodEnd: string;
  }
>;

export type GoalIndicator =
  /**
   * Incidents of these categories in any of these areas or at any of these places; both null: the
   * whole municipality.
   */
  | { kind: 'incident-count'; categories: IncidentCategory[]; areaIds: string[] | null; placeIds: string[] | null }
  /** A survey indicator, for one area or (null) the whole municipality. */
  | { kind: 'survey'; indicator: string; areaId: string | null };

export interface Goal {
  goalId: string;
  title: string;
  indicator: GoalIndicator;
  /** The value measured over [from, to] (dates, inclusive). */
  baseline: { value: number; from: string; to: string };
  /** The value to reach by a date. */
  target: { value: number; by: string };
  /** From target against baseline. */
  direction: 'decrease' | 'increase';
}

export interface Measure {
  measureId: string;
  title: string;
  kind: MeasureKind;
  responsible: Responsible;
  goalIds: string[];
}

export type GoalAdded = DomainEvent<
  'GoalAdded',
  Goal & { actionPlanId: string; municipalityId: string; contentRevision: number; voidsSignatures: SignatoryRole[] }
>;

export type MeasureAdded = DomainEvent<
  'MeasureAdded',
  Measure & { actionPlanId: string; municipalityId: string; contentRevision: number; voidsSignatures: SignatoryRole[] }
>;

export type ActionPlanSigned = DomainEvent<
  'ActionPlanSigned',
  {
    actionPlanId: string;
    municipalityId: string;
    role: SignatoryRole;
    name: string;
    /** ISO instant. */
    signedAt: string;
    /** The content revision signed. */
    contentRevision: number;
  }
>;

export type ActionPlanAdopted = DomainEvent<
  'ActionPlanAdopted',
  { actionPlanId: string; municipalityId: string; adoptedAt: string; contentRevision: number }
>;

export type ActionPlanEvent = ActionPlanDrafted | GoalAdded | MeasureAdded | ActionPlanSigned | ActionPlanAdopted;

export const actionPlanStream = (actionPlanId: string) => `actionplan-${actionPlanId}`;
