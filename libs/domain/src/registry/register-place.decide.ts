import { IllegalStateError, UnknownReferenceError } from '../shared/errors.js';
import { boundaryContains, type Point } from '../shared/geo.js';
import type { PlaceRegistered } from './registry.events.js';
import type { AreaFacts, PlaceState } from './registry.state.js';

export const DEFAULT_PLACE_RADIUS_METERS = 150;

export interface RegisterPlace {
  placeId: string;
  areaId: string;
  name: string;
  location: Point;
  radiusMeters?: number;
  kind?: string;
  /** The area named, as it stands; undefined when it is not defined. */
  area: AreaFacts | undefined;
}

export function registerPlace(command: RegisterPlace, state: PlaceState): PlaceRegistered[] {
  if (state.status !== 'none') throw new IllegalStateError('PLACE.ALREADY_REGISTERED', `place ${command.placeId} is already registered`);
  const { area } = command;
  if (!area) throw new UnknownReferenceError('PLACE.UNKNOWN_AREA', `area ${command.areaId} is not defined`, 'areaId', command.areaId);
  // A place lies in its area: where the area has a boundary, the point must be inside it.
  if (area.boundary && !boundaryContains(area.boundary, command.location)) {
    throw new IllegalStateError('PLACE.OUTSIDE_AREA', `the location of place ${command.placeId} is outside the boundary of area ${area.areaId}`, {
      areaId: area.areaId,
    });
  }
  return [
    {
      type: 'PlaceRegistered',
      data: {
        placeId: command.placeId,
        areaId: area.areaId,
        municipalityId: area.municipalityId,
        name: command.name,
        location: command.location,
        radiusMeters: command.radiusMeters ?? DEFAULT_PLACE_RADIUS_METERS,
        kind: command.kind ?? null,
      },
    },
  ];
}
