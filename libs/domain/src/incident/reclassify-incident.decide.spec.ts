import { describe, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import type { IncidentReclassified, IncidentRecorded, IncidentRetracted } from './incident.events.js';
import { incident } from './incident.state.js';
import { reclassifyIncident } from './reclassify-incident.decide.js';

const recorded: IncidentRecorded = {
  type: 'IncidentRecorded',
  data: {
    incidentId: 'i-1',
    municipalityId: 'danderyd',
    areaId: 'centrala-danderyd',
    placeId: 'morby-centrum',
    location: { lat: 59.398, lon: 18.036 },
    occurredAt: '2024-05-10T01:30:00.000Z',
    reportedAt: '2024-05-14T12:00:00.000Z',
    category: 'vandalism',
    source: 'security-guards',
    reportedToPolice: false,
    description: 'Krossad glasruta',
  },
};
const asRecorded = {
  occurredAt: '2024-05-10T01:30:00.000Z',
  reportedAt: '2024-05-14T12:00:00.000Z',
  areaId: 'centrala-danderyd',
  placeId: 'morby-centrum',
  source: 'security-guards',
} as const;
const toGraffiti: IncidentReclassified = {
  type: 'IncidentReclassified',
  data: {
    incidentId: 'i-1',
    municipalityId: 'danderyd',
    from: 'vandalism',
    to: 'graffiti',
    reason: 'tagging on the wall',
    incident: { ...asRecorded, category: 'vandalism' },
  },
};

describe('reclassifyIncident', () => {
  it('moves the incident to another category, carrying the incident as it stood before the change', () => {
    given(incident, [recorded])
      .when((s) => reclassifyIncident({ incidentId: 'i-1', category: 'graffiti', reason: 'tagging on the wall' }, s))
      .then([toGraffiti]);
  });

  it('carries the category of the last reclassification as the one before a second', () => {
    given(incident, [recorded, toGraffiti])
      .when((s) => reclassifyIncident({ incidentId: 'i-1', category: 'drugs' }, s))
      .then([
        {
          type: 'IncidentReclassified',
          data: { incidentId: 'i-1', municipalityId: 'danderyd', from: 'graffiti', to: 'drugs', reason: null, incident: { ...asRecorded, category: 'graffiti' } },
        },
      ]);
  });

  it('refuses an incident that does not exist', () => {
    given(incident).when((s) => reclassifyIncident({ incidentId: 'i-1', category: 'graffiti' }, s)).thenThrows('INCIDENT.NOT_FOUND');
  });

  it('refuses the category the incident already has', () => {
    given(incident, [recorded, toGraffiti]).when((s) => reclassifyIncident({ incidentId: 'i-1', category: 'graffiti' }, s)).thenThrows('INCIDENT.CATEGORY_UNCHANGED');
  });

  it('refuses a retracted incident', () => {
    const retracted: IncidentRetracted = {
      type: 'IncidentRetracted',
      data: { incidentId: 'i-1', municipalityId: 'danderyd', reason: 'recorded-in-error', duplicateOf: null, note: null, incident: { ...asRecorded, category: 'vandalism' } },
    };
    given(incident, [recorded, retracted]).when((s) => reclassifyIncident({ incidentId: 'i-1', category: 'graffiti' }, s)).thenThrows('INCIDENT.RETRACTED');
  });
});
