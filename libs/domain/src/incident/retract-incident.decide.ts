import { IllegalStateError, InvalidCommandError, NotFoundError, UnknownReferenceError } from '../shared/errors.js';
import type { IncidentRetracted } from './incident.events.js';
import { correctedIncident, type IncidentState } from './incident.state.js';
import type { RetractionReason } from './incident.vocabulary.js';

export interface RetractIncident {
  incidentId: string;
  reason: RetractionReason;
  duplicateOf?: string;
  note?: string;
  /** The incident named by duplicateOf, as it stands (looked up by the handler). */
  original?: IncidentState;
}

export function retractIncident(command: RetractIncident, state: IncidentState): IncidentRetracted[] {
  if (state.status === 'none') throw new NotFoundError('INCIDENT.NOT_FOUND', `incident ${command.incidentId} does not exist`);
  if (state.status === 'retracted') throw new IllegalStateError('INCIDENT.ALREADY_RETRACTED', `incident ${command.incidentId} is already retracted`);
  if (command.reason === 'duplicate') {
    const { duplicateOf, original } = command;
    if (!duplicateOf) {
      throw new InvalidCommandError('INCIDENT.DUPLICATE_OF_MISSING', [{ field: 'duplicateOf', message: "is required when reason is 'duplicate'" }]);
    }
    if (duplicateOf === command.incidentId) {
      throw new InvalidCommandError('INCIDENT.DUPLICATE_OF_SELF', [{ field: 'duplicateOf', message: 'an incident cannot duplicate itself' }]);
    }
    if (!original || original.status === 'none' || original.municipalityId !== state.municipalityId) {
      throw new UnknownReferenceError('INCIDENT.UNKNOWN_DUPLICATE_OF', `incident ${duplicateOf} does not exist in ${state.municipalityId}`, 'duplicateOf', duplicateOf);
    }
    if (original.status === 'retracted') {
      throw new IllegalStateError('INCIDENT.DUPLICATE_OF_RETRACTED', `incident ${duplicateOf} is itself retracted`, { duplicateOf });
    }
  } else if (command.duplicateOf !== undefined) {
    throw new InvalidCommandError('INCIDENT.DUPLICATE_OF_UNEXPECTED', [{ field: 'duplicateOf', message: "only goes with reason 'duplicate'" }]);
  }
  return [
    {
      type: 'IncidentRetracted',
      data: {
        incidentId: command.incidentId,
        municipalityId: state.municipalityId,
        reason: command.reason,
        duplicateOf: command.duplicateOf ?? null,
        note: command.note ?? null,
        incident: correctedIncident(state),
      },
    },
  ];
}
