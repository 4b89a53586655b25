import type { DomainEvent } from '../shared/domain-event.js';

/** More guard hours at places for a period; dates `YYYY-MM-DD`, both days included. */
export type GuardPresenceReinforced = DomainEvent<
  'GuardPresenceReinforced',
  {
    reinforcementId: string;
    municipalityId: string;
    placeIds: string[];
    from: string;
    to: string;
    hoursPerWeek: number;
    provider: string;
    fundedBy: string | null;
    /** The action-plan measure it carries out, and that measure's plan. */
    measureId: string | null;
    actionPlanId: string | null;
  }
>;

/**
 * `endedOn` is the last day with reinforced presence (inclusive, like `to`). `measureId` and
 * `actionPlanId` repeat the reinforcement's, so that the end is found with the plan it belongs to;
 * events recorded before they were added lack them (read as null).
 */
export type GuardReinforcementEnded = DomainEvent<
  'GuardReinforcementEnded',
  { reinforcementId: string; municipalityId: string; endedOn: string; reason: string | null; measureId: string | null; actionPlanId: string | null }
>;

export type PatrolVisitLogged = DomainEvent<
  'PatrolVisitLogged',
  {
    visitId: string;
    municipalityId: string;
    areaId: string;
    placeId: string;
    /** ISO instants. */
    arrivedAt: string;
    departedAt: string;
    guards: number | null;
    reinforcementId: string | null;
    observations: string | null;
  }
>;

export type GuardReinforcementEvent = GuardPresenceReinforced | GuardReinforcementEnded;
export type PatrolVisitEvent = PatrolVisitLogged;

export const guardReinforcementStream = (reinforcementId: string) => `guardreinforcement-${reinforcementId}`;
export const patrolVisitStream = (visitId: string) => `patrolvisit-${visitId}`;
