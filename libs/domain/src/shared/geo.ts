/** Plain geometry on WGS 84 coordinates, enough to place a point in a district. */
export interface Point {
  lat: number;
  lon: number;
}

/** GeoJSON positions are [lon, lat]. */
export type Position = [number, number] | number[];
export type Polygon = { type: 'Polygon'; coordinates: Position[][] };
export type MultiPolygon = { type: 'MultiPolygon'; coordinates: Position[][][] };
export type Boundary = Polygon | MultiPolygon;

/** Ray casting over one ring. */
function inRing(point: Point, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > point.lat !== yj > point.lat && point.lon < ((xj - xi) * (point.lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the outer ring and outside every hole. */
function inPolygon(point: Point, rings: Position[][]): boolean {
  if (rings.length === 0 || !inRing(point, rings[0])) return false;
  return rings.slice(1).every((hole) => !inRing(point, hole));
}

export function boundaryContains(boundary: Boundary, point: Point): boolean {
  return boundary.type === 'Polygon'
    ? inPolygon(point, boundary.coordinates)
    : boundary.coordinates.some((polygon) => inPolygon(point, polygon));
}

/** Why a boundary is not a usable GeoJSON Polygon or MultiPolygon, or undefined when it is. */
export function boundaryProblem(boundary: unknown): string | undefined {
  if (typeof boundary !== 'object' || boundary === null) return 'must be a GeoJSON Polygon or MultiPolygon';
  const { type, coordinates } = boundary as { type?: unknown; coordinates?: unknown };
  const isPosition = (p: unknown) =>
    Array.isArray(p) && p.length >= 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    Math.abs(p[0] as number) <= 180 && Math.abs(p[1] as number) <= 90;
  const isRing = (r: unknown) => Array.isArray(r) && r.length >= 4 && r.every(isPosition);
  const isPolygon = (rings: unknown) => Array.isArray(rings) && rings.length >= 1 && rings.every(isRing);
  if (type === 'Polygon') return isPolygon(coordinates) ? undefined : 'coordinates must be rings of at least four [lon, lat] positions';
  if (type === 'MultiPolygon') {
    return Array.isArray(coordinates) && coordinates.length >= 1 && coordinates.every(isPolygon)
      ? undefined
      : 'coordinates must be polygons of rings of at least four [lon, lat] positions';
  }
  return "type must be 'Polygon' or 'MultiPolygon'";
}
