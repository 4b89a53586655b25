import { describe, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import type { IncidentReclassified, IncidentRecorded, IncidentRetracted } from './incident.events.js';
import { evolveIncident, incident, initialIncidentState } from './incident.state.js';
import { retractIncident } from './retract-incident.decide.js';

const recorded = (incidentId: string, data: Partial<IncidentRecorded['data']> = {}): IncidentRecorded => ({
  type: 'IncidentRecorded',
  data: {
    incidentId,
    municipalityId: 'danderyd',
    areaId: 'centrala-danderyd',
    placeId: null,
    location: { lat: 59.398, lon: 18.036 },
    occurredAt: '2024-05-10T01:30:00.000Z',
    reportedAt: '2024-05-10T12:00:00.000Z',
    category: 'vandalism',
    source: 'citizen',
    reportedToPolice: false,
    description: null,
    ...data,
  },
});
const asRecorded = { occurredAt: '2024-05-10T01:30:00.000Z', reportedAt: '2024-05-10T12:00:00.000Z', areaId: 'centrala-danderyd', placeId: null, source: 'citizen' } as const;
const reclassified: IncidentReclassified = {
  type: 'IncidentReclassified',
  data: { incidentId: 'i-1', municipalityId: 'danderyd', from: 'vandalism', to: 'graffiti', reason: null, incident: { ...asRecorded, category: 'vandalism' } },
};
const retraction = (data: Partial<IncidentRetracted['data']> = {}): IncidentRetracted => ({
  type: 'IncidentRetracted',
  data: { incidentId: 'i-1', municipalityId: 'danderyd', reason: 'recorded-in-error', duplicateOf: null, note: null, incident: { ...asRecorded, category: 'vandalism' }, ...data },
});
const stateOf = (...events: Array<IncidentRecorded | IncidentReclassified | IncidentRetracted>) => events.reduce(evolveIncident, initialIncidentState());

describe('retractIncident', () => {
  it('retracts a recorded incident, carrying the incident as it was counted', () => {
    given(incident, [recorded('i-1')])
      .when((s) => retractIncident({ incidentId: 'i-1', reason: 'recorded-in-error', note: 'test entry' }, s))
      .then([retraction({ note: 'test entry' })]);
  });

  it('carries the category the incident has after a reclassification', () => {
    given(incident, [recorded('i-1'), reclassified])
      .when((s) => retractIncident({ incidentId: 'i-1', reason: 'not-an-incident' }, s))
      .then([retraction({ reason: 'not-an-incident', incident: { ...asRecorded, category: 'graffiti' } })]);
  });

  it('retracts a duplicate of an unretracted incident of the same municipality', () => {
    given(incident, [recorded('i-1')])
      .when((s) => retractIncident({ incidentId: 'i-1', reason: 'duplicate', duplicateOf: 'i-0', original: stateOf(recorded('i-0')) }, s))
      .then([retraction({ reason: 'duplicate', duplicateOf: 'i-0' })]);
  });

  it('refuses an incident that does not exist, or one already retracted', () => {
    given(incident).when((s) => retractIncident({ incidentId: 'i-1', reason: 'recorded-in-error' }, s)).thenThrows('INCIDENT.NOT_FOUND');
    given(incident, [recorded('i-1'), retraction()])
      .when((s) => retractIncident({ incidentId: 'i-1', reason: 'recorded-in-error' }, s))
      .thenThrows('INCIDENT.ALREADY_RETRACTED');
  });

  it('needs the incident a duplicate duplicates: named, not itself, existing in the municipality, not retracted', () => {
    const oneRecorded = given(incident, [recorded('i-1')]);
    oneRecorded.when((s) => retractIncident({ incidentId: 'i-1', reason: 'duplicate' }, s)).thenThrows('INCIDENT.DUPLICATE_OF_MISSING', { errors: [{ field: 'duplicateOf' }] });
    oneRecorded.when((s) => retractIncident({ incidentId: 'i-1', reason: 'duplicate', duplicateOf: 'i-1', original: s }, s)).thenThrows('INCIDENT.DUPLICATE_OF_SELF');
    oneRecorded
      .when((s) => retractIncident({ incidentId: 'i-1', reason: 'duplicate', duplicateOf: 'i-0', original: initialIncidentState() }, s))
      .thenThrows('INCIDENT.UNKNOWN_DUPLICATE_OF', { field: 'duplicateOf', value: 'i-0' });
    oneRecorded
      .when((s) => retractIncident({ incidentId: 'i-1', reason: 'duplicate', duplicateOf: 'i-0', original: stateOf(recorded('i-0', { municipalityId: 'taby' })) }, s))
      .thenThrows('INCIDENT.UNKNOWN_DUPLICATE_OF');
    const retractedOriginal = stateOf(recorded('i-0'), retraction({ incidentId: 'i-0' }));
    oneRecorded
      .when((s) => retractIncident({ incidentId: 'i-1', reason: 'duplicate', duplicateOf: 'i-0', original: retractedOriginal }, s))
      .thenThrows('INCIDENT.DUPLICATE_OF_RETRACTED', { duplicateOf: 'i-0' });
  });

  it('refuses duplicateOf with any other reason', () => {
    given(incident, [recorded('i-1')])
      .when((s) => retractIncident({ incidentId: 'i-1', reason: 'withdrawn-by-reporter', duplicateOf: 'i-0' }, s))
      .thenThrows('INCIDENT.DUPLICATE_OF_UNEXPECTED', { errors: [{ field: 'duplicateOf' }] });
  });
});
