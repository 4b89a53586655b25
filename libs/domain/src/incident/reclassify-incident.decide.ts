import { IllegalStateError, NotFoundError } from '../shared/errors.js';
import type { IncidentReclassified } from './incident.events.js';
import { correctedIncident, type IncidentState } from './incident.state.js';
import type { IncidentCategory } from './incident.vocabulary.js';

export interface ReclassifyIncident {
  incidentId: string;
  category: IncidentCategory;
  reason?: string;
}

export function reclassifyIncident(command: ReclassifyIncident, state: IncidentState): IncidentReclassified[] {
  if (state.status === 'none') throw new NotFoundError('INCIDENT.NOT_FOUND', `incident ${command.incidentId} does not exist`);
  if (state.status === 'retracted') {
    throw new IllegalStateError('INCIDENT.RETRACTED', `incident ${command.incidentId} is retracted and cannot be reclassified`);
  }
  if (state.category === command.category) {
    throw new IllegalStateError('INCIDENT.CATEGORY_UNCHANGED', `incident ${command.incidentId} is already classified as ${command.category}`);
  }
  return [
    {
      type: 'IncidentReclassified',
      data: {
        incidentId: command.incidentId,
        municipalityId: state.municipalityId,
        from: state.category,
        to: command.category,
        reason: command.reason ?? null,
        incident: correctedIncident(state),
      },
    },
  ];
}
