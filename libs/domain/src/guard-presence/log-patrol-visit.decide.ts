import type { Decision } from '../shared/domain-event.js';
import { type FieldProblem, IllegalStateError, InvalidCommandError, UnknownReferenceError } from '../shared/errors.js';
import { DEFAULT_TIME_ZONE, localDateOf } from '../shared/periods.js';
import type { PlaceFacts } from '../registry/registry.state.js';
import type { PatrolVisitLogged } from './guard-presence.events.js';
import type { GuardReinforcementState, PatrolVisitState } from './guard-presence.state.js';

export interface LogPatrolVisit extends Decision {
  visitId: string;
  placeId: string;
  arrivedAt: Date;
  departedAt: Date;
  guards?: number;
  reinforcementId?: string;
  observations?: string;
  /** What the handler looked up: the place, and the reinforcement named as its stream stands. */
  place: PlaceFacts | undefined;
  reinforcement?: GuardReinforcementState;
  /** The reporting time zone (TZ_REPORTING) that gives a visit its date. */
  timeZone?: string;
}

function fieldProblems({ arrivedAt, departedAt, guards, now }: LogPatrolVisit): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const arrival = arrivedAt.getTime();
  const departure = departedAt.getTime();
  if (Number.isNaN(arrival)) problems.push({ field: 'arrivedAt', message: 'must be an instant' });
  if (Number.isNaN(departure)) problems.push({ field: 'departedAt', message: 'must be an instant' });
  else if (departure > now.getTime()) problems.push({ field: 'departedAt', message: 'must not be in the future' });
  else if (departure <= arrival) problems.push({ field: 'departedAt', message: 'must be after arrivedAt' });
  if (guards !== undefined && !(Number.isInteger(guards) && guards >= 1)) problems.push({ field: 'guards', message: 'must be a whole number ≥ 1' });
  return problems;
}

/** A visit logged under a reinforcement must be at one of its places, on a day it ran (by the arrival's local date). */
function checkReinforcement(command: LogPatrolVisit): void {
  const { reinforcementId, reinforcement, placeId } = command;
  if (reinforcementId === undefined) return;
  if (!reinforcement || reinforcement.status === 'none' || reinforcement.reinforcementId !== reinforcementId) {
    throw new UnknownReferenceError('PATROL_VISIT.UNKNOWN_REINFORCEMENT', `guard reinforcement ${reinforcementId} does not exist`, 'reinforcementId', reinforcementId);
  }
  if (!reinforcement.placeIds.includes(placeId)) {
    const message = `guard reinforcement ${reinforcementId} does not cover place ${placeId}`;
    throw new UnknownReferenceError('PATROL_VISIT.REINFORCEMENT_NOT_AT_PLACE', message, 'reinforcementId', reinforcementId);
  }
  const visitDate = localDateOf(command.arrivedAt, command.timeZone ?? DEFAULT_TIME_ZONE);
  const lastDay = reinforcement.endedOn ?? reinforcement.to;
  if (visitDate < reinforcement.from || visitDate > lastDay) {
    throw new IllegalStateError('PATROL_VISIT.REINFORCEMENT_NOT_RUNNING', `guard reinforcement ${reinforcementId} did not run on ${visitDate}`, {
      visitDate,
      from: reinforcement.from,
      to: reinforcement.to,
      endedOn: reinforcement.endedOn,
    });
  }
}

export function logPatrolVisit(command: LogPatrolVisit, state: PatrolVisitState): PatrolVisitLogged[] {
  if (state.status !== 'none') throw new IllegalStateError('PATROL_VISIT.ALREADY_LOGGED', `patrol visit ${command.visitId} is already logged`);
  const problems = fieldProblems(command);
  if (problems.length > 0) throw new InvalidCommandError('PATROL_VISIT.INVALID', problems);
  const { place } = command;
  if (!place) throw new UnknownReferenceError('PATROL_VISIT.UNKNOWN_PLACE', `place ${command.placeId} is not registered`, 'placeId', command.placeId);
  checkReinforcement(command);
  return [
    {
      type: 'PatrolVisitLogged',
      data: {
        visitId: command.visitId,
        municipalityId: place.municipalityId,
        areaId: place.areaId,
        placeId: place.placeId,
        arrivedAt: command.arrivedAt.toISOString(),
        departedAt: command.departedAt.toISOString(),
        guards: command.guards ?? null,
        reinforcementId: command.reinforcementId ?? null,
        observations: command.observations ?? null,
      },
    },
  ];
}
