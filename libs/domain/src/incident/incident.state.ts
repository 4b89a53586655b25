import { assertNever } from '../shared/domain-event.js';
import type { CorrectedIncident, IncidentEvent, IncidentRecorded } from './incident.events.js';
import type { IncidentCategory } from './incident.vocabulary.js';

type Recorded = Omit<IncidentRecorded['data'], 'category'> & { category: IncidentCategory };

export type IncidentState =
  | { status: 'none' }
  | ({ status: 'recorded' } & Recorded)
  | ({ status: 'retracted' } & Recorded & { retractionReason: string });

export const initialIncidentState = (): IncidentState => ({ status: 'none' });

export function evolveIncident(state: IncidentState, event: IncidentEvent): IncidentState {
  switch (event.type) {
    case 'IncidentRecorded':
      return { status: 'recorded', ...event.data };
    case 'IncidentReclassified':
      return state.status === 'none' ? state : { ...state, category: event.data.to };
    case 'IncidentRetracted':
      return state.status === 'none' ? state : { ...state, status: 'retracted', retractionReason: event.data.reason };
    default:
      return assertNever(event);
  }
}

/** What a correction event carries of the incident it corrects, as it stands now. */
export function correctedIncident(state: Recorded): CorrectedIncident {
  const { occurredAt, reportedAt, category, areaId, placeId, source } = state;
  return { occurredAt, reportedAt, category, areaId, placeId, source };
}

export const incident = { initialState: initialIncidentState, evolve: evolveIncident };
