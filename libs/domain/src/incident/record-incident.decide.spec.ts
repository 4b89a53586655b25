import { describe, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import type { AreaFacts, PlaceFacts } from '../registry/registry.state.js';
import type { IncidentRecorded } from './incident.events.js';
import { incident } from './incident.state.js';
import { type RecordIncident, recordIncident } from './record-incident.decide.js';

const now = new Date('2024-05-10T12:00:00Z');
const area: AreaFacts = { status: 'defined', areaId: 'centrala-danderyd', municipalityId: 'danderyd', name: 'Centrala Danderyd', boundary: null };
const place: PlaceFacts = {
  status: 'registered',
  placeId: 'morby-centrum',
  areaId: 'centrala-danderyd',
  municipalityId: 'danderyd',
  name: 'Mörby centrum',
  location: { lat: 59.398, lon: 18.036 },
  radiusMeters: 200,
  kind: 'shopping-centre',
};
const command = (overrides: Partial<RecordIncident> = {}): RecordIncident => ({
  incidentId: 'i-1',
  occurredAt: new Date('2024-05-10T01:30:00Z'),
  category: 'vandalism',
  source: 'security-guards',
  placeId: 'morby-centrum',
  place,
  now,
  ...overrides,
});
const recorded: IncidentRecorded = {
  type: 'IncidentRecorded',
  data: {
    incidentId: 'i-1',
    municipalityId: 'danderyd',
    areaId: 'centrala-danderyd',
    placeId: 'morby-centrum',
    location: null,
    occurredAt: '2024-05-10T01:30:00.000Z',
    reportedAt: '2024-05-10T12:00:00.000Z',
    category: 'vandalism',
    source: 'security-guards',
    reportedToPolice: false,
    description: null,
  },
};

describe('recordIncident', () => {
  it('records an incident at a place, in the place’s area and municipality, reported now by default', () => {
    given(incident).when((s) => recordIncident(command(), s)).then([recorded]);
  });

  it('refuses an incident that occurred in the future', () => {
    given(incident)
      .when((s) => recordIncident(command({ occurredAt: new Date('2024-05-10T12:00:01Z') }), s))
      .thenThrows('INCIDENT.INVALID_TIME', { errors: [{ field: 'occurredAt', message: 'must not be in the future' }] });
  });

  it('refuses a report before the incident occurred', () => {
    given(incident)
      .when((s) => recordIncident(command({ reportedAt: new Date('2024-05-09T00:00:00Z') }), s))
      .thenThrows('INCIDENT.INVALID_TIME', { errors: [{ field: 'reportedAt', message: 'must not be before occurredAt' }] });
  });

  it('refuses to record the same incident twice', () => {
    given(incident, [recorded]).when((s) => recordIncident(command(), s)).thenThrows('INCIDENT.ALREADY_RECORDED');
  });

  it('refuses an unknown place, naming it', () => {
    given(incident)
      .when((s) => recordIncident(command({ place: undefined }), s))
      .thenThrows('INCIDENT.UNKNOWN_PLACE', { field: 'placeId', value: 'morby-centrum' });
  });

  it('refuses a place and an area that do not agree', () => {
    given(incident).when((s) => recordIncident(command({ areaId: 'djursholm' }), s)).thenThrows('INCIDENT.PLACE_NOT_IN_AREA');
  });

  it('needs a place, an area or a location', () => {
    given(incident).when((s) => recordIncident(command({ placeId: undefined, place: undefined }), s)).thenThrows('INCIDENT.LOCATION_MISSING');
  });

  it('resolves an area id to its municipality', () => {
    given(incident)
      .when((s) => recordIncident(command({ placeId: undefined, place: undefined, areaId: 'centrala-danderyd', area }), s))
      .then([{ ...recorded, data: { ...recorded.data, placeId: null } }]);
  });

  it('refuses an unknown area', () => {
    given(incident)
      .when((s) => recordIncident(command({ placeId: undefined, place: undefined, areaId: 'nowhere' }), s))
      .thenThrows('INCIDENT.UNKNOWN_AREA', { field: 'areaId' });
  });

  it('resolves a point to the area whose boundary holds it', () => {
    const location = { lat: 59.4, lon: 18.03 };
    given(incident)
      .when((s) => recordIncident(command({ placeId: undefined, place: undefined, location, areasAtLocation: [area] }), s))
      .then([{ ...recorded, data: { ...recorded.data, placeId: null, location } }]);
  });

  it('refuses a point inside no area, and a point inside areas of two municipalities', () => {
    const location = { lat: 59.4, lon: 18.03 };
    given(incident)
      .when((s) => recordIncident(command({ placeId: undefined, place: undefined, location, areasAtLocation: [] }), s))
      .thenThrows('INCIDENT.LOCATION_OUTSIDE_AREAS', { field: 'location' });
    given(incident)
      .when((s) =>
        recordIncident(
          command({ placeId: undefined, place: undefined, location, areasAtLocation: [area, { ...area, areaId: 'x', municipalityId: 'taby' }] }),
          s,
        ),
      )
      .thenThrows('INCIDENT.LOCATION_AMBIGUOUS');
  });

  it('counts a police report as reported to the police unless told otherwise', () => {
    given(incident)
      .when((s) => recordIncident(command({ source: 'police' }), s))
      .then([{ ...recorded, data: { ...recorded.data, source: 'police', reportedToPolice: true } }]);
  });
});
