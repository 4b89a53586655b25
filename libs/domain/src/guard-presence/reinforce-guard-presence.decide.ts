import { type FieldProblem, IllegalStateError, InvalidCommandError, UnknownReferenceError } from '../shared/errors.js';
import { isIsoDate } from '../shared/periods.js';
import type { PlaceFacts } from '../registry/registry.state.js';
import type { MeasureFacts } from '../action-plan/action-plan.state.js';
import type { GuardPresenceReinforced } from './guard-presence.events.js';
import type { GuardReinforcementState } from './guard-presence.state.js';

export interface ReinforceGuardPresence {
  reinforcementId: string;
  /** When left out, the municipality of the places (SPEC 7 does not ask for it). */
  municipalityId?: string;
  placeIds: string[];
  /** Dates, both included. */
  from: string;
  to: string;
  hoursPerWeek: number;
  provider: string;
  fundedBy?: string;
  measureId?: string;
  /** What the handler looked up: the places named, as found (a missing id is not registered)… */
  places?: PlaceFacts[];
  /** …and the measure named, from the draft or adopted plan that holds it; undefined when there is none. */
  measure?: MeasureFacts;
}

function fieldProblems({ placeIds, from, to, hoursPerWeek, provider }: ReinforceGuardPresence): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (placeIds.length === 0) problems.push({ field: 'placeIds', message: 'must name at least one place' });
  placeIds.forEach((id, i) => {
    if (placeIds.indexOf(id) !== i) problems.push({ field: `placeIds[${i}]`, message: `${id} is listed twice` });
  });
  if (!isIsoDate(from)) problems.push({ field: 'from', message: 'must be a date YYYY-MM-DD' });
  if (!isIsoDate(to)) problems.push({ field: 'to', message: 'must be a date YYYY-MM-DD' });
  else if (isIsoDate(from) && to < from) problems.push({ field: 'to', message: 'must not be before from' });
  if (!Number.isFinite(hoursPerWeek) || hoursPerWeek <= 0) problems.push({ field: 'hoursPerWeek', message: 'must be more than 0' });
  if (provider.trim() === '') problems.push({ field: 'provider', message: 'must name the guard company' });
  return problems;
}

/** Every place exists and lies in one municipality: the one named, or else that of the first place. */
function municipalityOf(command: ReinforceGuardPresence): string {
  const places = command.placeIds.map((id, i) => {
    const place = command.places?.find((p) => p.placeId === id);
    if (!place) throw new UnknownReferenceError('GUARD_REINFORCEMENT.UNKNOWN_PLACE', `place ${id} is not registered`, `placeIds[${i}]`, id);
    return place;
  });
  const municipalityId = command.municipalityId ?? places[0].municipalityId;
  places.forEach((place, i) => {
    if (place.municipalityId !== municipalityId) {
      const message = `place ${place.placeId} is in ${place.municipalityId}, not in ${municipalityId}`;
      throw new UnknownReferenceError('GUARD_REINFORCEMENT.UNKNOWN_PLACE', message, `placeIds[${i}]`, place.placeId);
    }
  });
  return municipalityId;
}

export function reinforceGuardPresence(command: ReinforceGuardPresence, state: GuardReinforcementState): GuardPresenceReinforced[] {
  if (state.status !== 'none') {
    throw new IllegalStateError('GUARD_REINFORCEMENT.ALREADY_EXISTS', `guard reinforcement ${command.reinforcementId} already exists`);
  }
  const problems = fieldProblems(command);
  if (problems.length > 0) throw new InvalidCommandError('GUARD_REINFORCEMENT.INVALID', problems);
  const municipalityId = municipalityOf(command);
  const { measureId, measure } = command;
  if (measureId !== undefined && (measure?.measureId !== measureId || measure.municipalityId !== municipalityId)) {
    throw new UnknownReferenceError('GUARD_REINFORCEMENT.UNKNOWN_MEASURE', `measure ${measureId} is in no action plan of ${municipalityId}`, 'measureId', measureId);
  }
  return [
    {
      type: 'GuardPresenceReinforced',
      data: {
        reinforcementId: command.reinforcementId,
        municipalityId,
        placeIds: command.placeIds,
        from: command.from,
        to: command.to,
        hoursPerWeek: command.hoursPerWeek,
        provider: command.provider,
        fundedBy: command.fundedBy ?? null,
        measureId: measureId ?? null,
        actionPlanId: measureId !== undefined ? measure!.actionPlanId : null,
      },
    },
  ];
}
