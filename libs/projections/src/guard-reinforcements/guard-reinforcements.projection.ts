import { assertNever, type GuardPresenceReinforced, type GuardReinforcementEnded, type PatrolVisitLogged } from '@app/domain';
import { visitPresence } from '../guard-hours.js';
import { NO_CHANGES, OneDocument } from '../one-document.js';
import type { PositionedDocument, Projection } from '../projection.js';
import { instantMs } from '../situation-picture/local-time.js';

/**
 * One guard reinforcement as coordinators list it: what was decided, whether it was ended, and the
 * patrol presence logged under it. Status (planned, running, ended) depends on the day it is asked,
 * so the query works it out (guard-reinforcements.query.ts); the document holds only what the log says.
 */
export interface GuardReinforcementEntry extends PositionedDocument, Omit<GuardPresenceReinforced['data'], 'reinforcementId'> {
  /** The reinforcement id. */
  id: string;
  /** The last day with reinforced presence, once an end is recorded (it may be ahead: an announced end). */
  endedOn: string | null;
  endReason: string | null;
  /** The last day it runs: `endedOn` when that is before `to`, else `to`. */
  lastDay: string;
  /** Patrol visits that name the reinforcement: how many, presence (departure − arrival) and presence × guards. */
  visits: number;
  loggedHours: number;
  loggedGuardHours: number;
  /** The reinforcement stream's revision after its last event (patrol visits are streams of their own), as a decimal string. */
  revision: string;
}

type HandledEvent = GuardPresenceReinforced | GuardReinforcementEnded | PatrolVisitLogged;
const EVENT_TYPES: readonly HandledEvent['type'][] = ['GuardPresenceReinforced', 'GuardReinforcementEnded', 'PatrolVisitLogged'];

/** Guard reinforcements with their end and logged patrol hours, for `GET /guard-reinforcements`. */
export const guardReinforcementsProjection: Projection<GuardReinforcementEntry> = {
  name: 'guard-reinforcements',
  version: 1,
  // Applies about one event in forty (reinforcements, ends, patrol visits) to a few thousand small
  // documents. Not measured with the projections bench: folding 200,000 synthetic events in memory
  // took it 23 ms against the decision log's 76 ms, and it writes fewer documents. With two threads
  // it runs beside the situation picture, goal progress and decision log (see the register's weight).
  weight: 0.1,
  eventTypes: EVENT_TYPES,
  schema: {
    fields: { municipalityId: 'string', from: 'string', actionPlanId: 'string', measureId: 'string' },
    // Lists are per municipality, latest start first; the other filters narrow that range as it is read
    // (a municipality has some hundreds of reinforcements, not millions).
    indexes: [['municipalityId', 'from']],
  },

  keys(event) {
    const { reinforcementId } = (event.data as HandledEvent['data']);
    // A patrol visit outside any reinforcement concerns no document.
    return reinforcementId === null ? [] : [reinforcementId];
  },

  evolve(documents, event) {
    const handled = { type: event.type, data: event.data } as HandledEvent;
    const id = handled.data.reinforcementId;
    if (id === null) return NO_CHANGES;
    const current = documents.get(id);
    switch (handled.type) {
      case 'GuardPresenceReinforced': {
        const { data } = handled;
        const entry: GuardReinforcementEntry = {
          id,
          municipalityId: data.municipalityId,
          placeIds: [...data.placeIds],
          from: data.from,
          to: data.to,
          hoursPerWeek: data.hoursPerWeek,
          provider: data.provider,
          fundedBy: data.fundedBy,
          measureId: data.measureId,
          actionPlanId: data.actionPlanId,
          endedOn: null,
          endReason: null,
          lastDay: data.to,
          // Visits are logged only under a reinforcement that exists, so none came before this.
          visits: 0,
          loggedHours: 0,
          loggedGuardHours: 0,
          revision: event.revision.toString(),
          lastPosition: event.position.toString(),
        };
        return new OneDocument(id, entry);
      }
      case 'GuardReinforcementEnded': {
        if (!current) return NO_CHANGES;
        const { endedOn, reason } = handled.data;
        const lastDay = endedOn < current.to ? endedOn : current.to;
        return new OneDocument(id, { ...current, endedOn, endReason: reason, lastDay, revision: event.revision.toString() });
      }
      case 'PatrolVisitLogged': {
        if (!current) return NO_CHANGES;
        const { arrivedAt, departedAt, guards } = handled.data;
        const { hours, guardHours } = visitPresence(instantMs(arrivedAt), instantMs(departedAt), guards);
        const changed = {
          ...current,
          visits: current.visits + 1,
          loggedHours: current.loggedHours + hours,
          loggedGuardHours: current.loggedGuardHours + guardHours,
        };
        return new OneDocument(id, changed);
      }
      default:
        return assertNever(handled);
    }
  },
};
