import type { DomainEvent } from '../shared/domain-event.js';
import type { Boundary, Point } from '../shared/geo.js';

export type MunicipalityRegistered = DomainEvent<
  'MunicipalityRegistered',
  { municipalityId: string; name: string; policeArea: string | null }
>;

export type AreaDefined = DomainEvent<
  'AreaDefined',
  { areaId: string; municipalityId: string; name: string; boundary: Boundary | null }
>;

export type PlaceRegistered = DomainEvent<
  'PlaceRegistered',
  {
    placeId: string;
    areaId: string;
    municipalityId: string;
    name: string;
    location: Point;
    radiusMeters: number;
    kind: string | null;
  }
>;

export type MunicipalityEvent = MunicipalityRegistered;
export type AreaEvent = AreaDefined;
export type PlaceEvent = PlaceRegistered;
export type RegistryEvent = MunicipalityEvent | AreaEvent | PlaceEvent;

export const municipalityStream = (municipalityId: string) => `municipality-${municipalityId}`;
export const areaStream = (areaId: string) => `area-${areaId}`;
export const placeStream = (placeId: string) => `place-${placeId}`;
