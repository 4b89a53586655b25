import type { Point, Polygon } from '@app/domain';

/**
 * Danderyd's four districts (kommundelar) and the places the demo's history happens at. The
 * boundaries are rough polygons around the real districts (Stocksund in the south by the strait,
 * Djursholm on the peninsula to the east, Enebyberg in the north, and central Danderyd with Mörby
 * between them along the E18); the coordinates are close to the real ones, not surveyed.
 */

export const MUNICIPALITY = { municipalityId: 'danderyd', name: 'Danderyds kommun', policeArea: 'Södra Roslagen' } as const;

export type AreaId = 'centrala-danderyd' | 'djursholm' | 'enebyberg' | 'stocksund';

export interface AreaDefinition {
  areaId: AreaId;
  name: string;
  boundary: Polygon;
}

/** Closed rings of [lon, lat]; neighbours share their edges. */
export const AREAS: readonly AreaDefinition[] = [
  {
    areaId: 'centrala-danderyd',
    name: 'Danderyd med Mörby',
    boundary: {
      type: 'Polygon',
      coordinates: [[[17.985, 59.3885], [18.052, 59.3885], [18.052, 59.418], [17.99, 59.418], [17.985, 59.4], [17.985, 59.3885]]],
    },
  },
  {
    areaId: 'djursholm',
    name: 'Djursholm',
    boundary: {
      type: 'Polygon',
      coordinates: [[[18.052, 59.376], [18.075, 59.375], [18.1, 59.382], [18.112, 59.395], [18.105, 59.41], [18.065, 59.418], [18.052, 59.418], [18.052, 59.376]]],
    },
  },
  {
    areaId: 'enebyberg',
    name: 'Enebyberg',
    boundary: {
      type: 'Polygon',
      coordinates: [[[17.99, 59.418], [18.065, 59.418], [18.062, 59.432], [18.04, 59.44], [18.0, 59.437], [17.99, 59.418]]],
    },
  },
  {
    areaId: 'stocksund',
    name: 'Stocksund',
    boundary: {
      type: 'Polygon',
      coordinates: [[[17.995, 59.3885], [17.998, 59.378], [18.012, 59.373], [18.035, 59.372], [18.052, 59.376], [18.052, 59.3885], [17.995, 59.3885]]],
    },
  },
];

export type PlaceId =
  | 'morby-centrum'
  | 'morby-centrum-t'
  | 'danderyds-sjukhus'
  | 'danderyds-sjukhus-bussterminal'
  | 'danderyds-sjukhus-t'
  | 'morby-station'
  | 'vendevagen'
  | 'danderyds-gymnasium'
  | 'kevinge-strand'
  | 'djursholms-osby'
  | 'djursholms-samskola'
  | 'ekebysjon'
  | 'stocksunds-station'
  | 'stocksunds-torg'
  | 'enebybergs-station'
  | 'enebybergs-skola';

export interface PlaceDefinition {
  placeId: PlaceId;
  areaId: AreaId;
  name: string;
  location: Point;
  radiusMeters: number;
  kind: string;
}

export const PLACES: readonly PlaceDefinition[] = [
  { placeId: 'morby-centrum', areaId: 'centrala-danderyd', name: 'Mörby centrum', location: { lat: 59.398, lon: 18.036 }, radiusMeters: 200, kind: 'shopping-centre' },
  { placeId: 'morby-centrum-t', areaId: 'centrala-danderyd', name: 'Mörby centrum tunnelbanestation', location: { lat: 59.3991, lon: 18.0366 }, radiusMeters: 100, kind: 'metro-station' },
  { placeId: 'danderyds-sjukhus', areaId: 'centrala-danderyd', name: 'Danderyds sjukhus', location: { lat: 59.392, lon: 18.041 }, radiusMeters: 250, kind: 'hospital' },
  { placeId: 'danderyds-sjukhus-bussterminal', areaId: 'centrala-danderyd', name: 'Danderyds sjukhus bussterminal', location: { lat: 59.3912, lon: 18.0398 }, radiusMeters: 120, kind: 'bus-terminal' },
  { placeId: 'danderyds-sjukhus-t', areaId: 'centrala-danderyd', name: 'Danderyds sjukhus tunnelbanestation', location: { lat: 59.3927, lon: 18.0392 }, radiusMeters: 100, kind: 'metro-station' },
  { placeId: 'morby-station', areaId: 'centrala-danderyd', name: 'Mörby station (Roslagsbanan)', location: { lat: 59.3903, lon: 18.047 }, radiusMeters: 150, kind: 'commuter-rail-station' },
  { placeId: 'vendevagen', areaId: 'centrala-danderyd', name: 'Vendevägen', location: { lat: 59.4, lon: 18.029 }, radiusMeters: 300, kind: 'street' },
  { placeId: 'danderyds-gymnasium', areaId: 'centrala-danderyd', name: 'Danderyds gymnasium', location: { lat: 59.4045, lon: 18.033 }, radiusMeters: 200, kind: 'school' },
  { placeId: 'kevinge-strand', areaId: 'centrala-danderyd', name: 'Kevinge strand', location: { lat: 59.3935, lon: 18.026 }, radiusMeters: 250, kind: 'park' },
  { placeId: 'djursholms-osby', areaId: 'djursholm', name: 'Djursholms Ösby station (Roslagsbanan)', location: { lat: 59.3985, lon: 18.059 }, radiusMeters: 150, kind: 'commuter-rail-station' },
  { placeId: 'djursholms-samskola', areaId: 'djursholm', name: 'Djursholms samskola', location: { lat: 59.4015, lon: 18.082 }, radiusMeters: 200, kind: 'school' },
  { placeId: 'ekebysjon', areaId: 'djursholm', name: 'Ekebysjöns strandpark', location: { lat: 59.407, lon: 18.062 }, radiusMeters: 300, kind: 'park' },
  { placeId: 'stocksunds-station', areaId: 'stocksund', name: 'Stocksunds station (Roslagsbanan)', location: { lat: 59.385, lon: 18.044 }, radiusMeters: 150, kind: 'commuter-rail-station' },
  { placeId: 'stocksunds-torg', areaId: 'stocksund', name: 'Stocksunds torg', location: { lat: 59.384, lon: 18.039 }, radiusMeters: 150, kind: 'square' },
  { placeId: 'enebybergs-station', areaId: 'enebyberg', name: 'Enebybergs station (Roslagsbanan)', location: { lat: 59.4265, lon: 18.048 }, radiusMeters: 150, kind: 'commuter-rail-station' },
  { placeId: 'enebybergs-skola', areaId: 'enebyberg', name: 'Enebybergs skola', location: { lat: 59.43, lon: 18.036 }, radiusMeters: 200, kind: 'school' },
];

export const placeById = (placeId: PlaceId): PlaceDefinition => PLACES.find((p) => p.placeId === placeId)!;
export const areaById = (areaId: AreaId): AreaDefinition => AREAS.find((a) => a.areaId === areaId)!;
