import type { Decision } from '../shared/domain-event.js';
import { IllegalStateError, InvalidCommandError, UnknownReferenceError } from '../shared/errors.js';
import type { Point } from '../shared/geo.js';
import type { AreaFacts, PlaceFacts } from '../registry/registry.state.js';
import type { IncidentRecorded } from './incident.events.js';
import type { IncidentState } from './incident.state.js';
import type { IncidentCategory, IncidentSource } from './incident.vocabulary.js';

export interface RecordIncident extends Decision {
  incidentId: string;
  occurredAt: Date;
  reportedAt?: Date;
  category: IncidentCategory;
  source: IncidentSource;
  placeId?: string;
  areaId?: string;
  location?: Point;
  reportedToPolice?: boolean;
  description?: string;
  /** What the handler looked up: the place and area named, and the areas whose boundary holds the point. */
  place?: PlaceFacts;
  area?: AreaFacts;
  areasAtLocation?: AreaFacts[];
}

/** Where the incident is: place → its area; area; or the one area whose boundary holds the point. */
function resolveWhere(command: RecordIncident): { municipalityId: string; areaId: string | null; placeId: string | null } {
  const { placeId, areaId, location, place, area } = command;
  if (placeId === undefined && areaId === undefined && location === undefined) {
    throw new InvalidCommandError('INCIDENT.LOCATION_MISSING', [
      { field: 'placeId', message: 'one of placeId, areaId or location is required' },
    ]);
  }
  if (placeId !== undefined) {
    if (!place) throw new UnknownReferenceError('INCIDENT.UNKNOWN_PLACE', `place ${placeId} is not registered`, 'placeId', placeId);
    if (areaId !== undefined && areaId !== place.areaId) {
      throw new InvalidCommandError('INCIDENT.PLACE_NOT_IN_AREA', [
        { field: 'areaId', message: `place ${placeId} lies in area ${place.areaId}, not ${areaId}` },
      ]);
    }
    return { municipalityId: place.municipalityId, areaId: place.areaId, placeId };
  }
  if (areaId !== undefined) {
    if (!area) throw new UnknownReferenceError('INCIDENT.UNKNOWN_AREA', `area ${areaId} is not defined`, 'areaId', areaId);
    return { municipalityId: area.municipalityId, areaId, placeId: null };
  }
  const candidates = command.areasAtLocation ?? [];
  if (candidates.length === 0) {
    throw new UnknownReferenceError(
      'INCIDENT.LOCATION_OUTSIDE_AREAS',
      'the location lies within no defined area boundary; give a placeId or areaId',
      'location',
      `${location!.lat},${location!.lon}`,
    );
  }
  const municipalities = new Set(candidates.map((a) => a.municipalityId));
  if (municipalities.size > 1) {
    throw new UnknownReferenceError(
      'INCIDENT.LOCATION_AMBIGUOUS',
      `the location lies within areas of several municipalities (${[...municipalities].join(', ')}); give an areaId`,
      'location',
      `${location!.lat},${location!.lon}`,
    );
  }
  // Overlapping districts of one municipality: the first defined wins, deterministically.
  return { municipalityId: candidates[0].municipalityId, areaId: candidates[0].areaId, placeId: null };
}

export function recordIncident(command: RecordIncident, state: IncidentState): IncidentRecorded[] {
  if (state.status !== 'none') throw new IllegalStateError('INCIDENT.ALREADY_RECORDED', `incident ${command.incidentId} is already recorded`);
  const problems = [];
  const occurredInFuture = command.occurredAt.getTime() > command.now.getTime();
  if (occurredInFuture) problems.push({ field: 'occurredAt', message: 'must not be in the future' });
  const reportedAt = command.reportedAt ?? command.now;
  if (reportedAt.getTime() > command.now.getTime()) problems.push({ field: 'reportedAt', message: 'must not be in the future' });
  else if (!occurredInFuture && reportedAt.getTime() < command.occurredAt.getTime()) {
    problems.push({ field: 'reportedAt', message: 'must not be before occurredAt' });
  }
  if (problems.length > 0) throw new InvalidCommandError('INCIDENT.INVALID_TIME', problems);

  const where = resolveWhere(command);
  return [
    {
      type: 'IncidentRecorded',
      data: {
        incidentId: command.incidentId,
        ...where,
        location: command.location ?? null,
        occurredAt: command.occurredAt.toISOString(),
        reportedAt: reportedAt.toISOString(),
        category: command.category,
        source: command.source,
        reportedToPolice: command.reportedToPolice ?? command.source === 'police',
        description: command.description ?? null,
      },
    },
  ];
}
