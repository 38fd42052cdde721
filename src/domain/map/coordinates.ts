// Conversions between the stored datum (WGS-84) and the datums of Chinese base maps: GCJ-02 (AMap, Tencent) and
// BD-09 (Baidu). Only the edges convert (import, export, map display); the store never holds anything but WGS-84.
import gcoordModule, { type CRSTypes } from 'gcoord';
import type { MultiPolygon, Point, Polygon, Position } from 'geojson';

// gcoord is CommonJS (module.exports = api) but its types declare an ES default export; under NodeNext the
// default import is typed as the namespace. Take whichever object actually carries the API.
type GcoordApi = typeof gcoordModule.default;
const gcoord: GcoordApi =
  (gcoordModule as unknown as { default?: GcoordApi }).default ?? (gcoordModule as unknown as GcoordApi);

export type Crs = 'WGS84' | 'GCJ02' | 'BD09';
export const CRS_LIST: readonly Crs[] = ['WGS84', 'GCJ02', 'BD09'];

export type ConvertibleGeometry = Point | Polygon | MultiPolygon;

export function isCrs(value: unknown): value is Crs {
  return typeof value === 'string' && (CRS_LIST as readonly string[]).includes(value);
}

const GCOORD: Record<Crs, CRSTypes> = {
  WGS84: gcoord.WGS84,
  GCJ02: gcoord.GCJ02,
  BD09: gcoord.BD09,
};

/** Stop refining an inverse once the forward image is this close to the input, in degrees (~1 mm). */
const INVERSE_EPS_DEG = 1e-8;
const INVERSE_MAX_STEPS = 30;

/** One position from WGS-84 to `crs`. The forward direction is the defining formula, so it is exact. */
export function positionFromWgs84(pos: Position, crs: Crs): Position {
  if (crs === 'WGS84') return [...pos];
  const [lng, lat] = gcoord.transform([pos[0]!, pos[1]!], gcoord.WGS84, GCOORD[crs]) as [number, number];
  return pos.length > 2 ? [lng, lat, ...pos.slice(2)] : [lng, lat];
}

/**
 * One position from `crs` to WGS-84. The inverses are not closed-form: gcoord iterates GCJ-02 → WGS-84 only to
 * 1e-6° (~0.1 m), with no step limit (it can cycle near the edge of its China box), and its BD-09 → GCJ-02
 * formula is approximate. So we invert the forward formula ourselves, with a bounded number of steps, until the
 * round trip agrees to ~1 mm: export → import is then lossless in practice. The iteration is deterministic, so a
 * vertex shared by two grids converts to the same point in both and no slivers appear between them.
 */
export function positionToWgs84(pos: Position, crs: Crs): Position {
  if (crs === 'WGS84') return [...pos];
  const target: [number, number] = [pos[0]!, pos[1]!];
  let [lng, lat] = target;
  for (let step = 0; step < INVERSE_MAX_STEPS; step++) {
    const [fx, fy] = gcoord.transform([lng, lat], gcoord.WGS84, GCOORD[crs]) as [number, number];
    const dx = fx - target[0];
    const dy = fy - target[1];
    if (Math.abs(dx) < INVERSE_EPS_DEG && Math.abs(dy) < INVERSE_EPS_DEG) break;
    // The datum shift varies slowly (metres per kilometre), so subtracting the residual is a contraction.
    lng -= dx;
    lat -= dy;
  }
  return pos.length > 2 ? [lng, lat, ...pos.slice(2)] : [lng, lat];
}

/** The geometry with coordinates from `crs` converted to WGS-84; the input is not modified. */
export function toWgs84<G extends ConvertibleGeometry>(geometry: G, crs: Crs): G {
  return mapGeometry(geometry, (p) => positionToWgs84(p, crs));
}

/** The geometry with WGS-84 coordinates converted to `crs`; the input is not modified. */
export function fromWgs84<G extends ConvertibleGeometry>(geometry: G, crs: Crs): G {
  return mapGeometry(geometry, (p) => positionFromWgs84(p, crs));
}

// Only type and coordinates are carried over: a `bbox` or other member would still be in the old datum.
function mapGeometry<G extends ConvertibleGeometry>(geometry: G, f: (p: Position) => Position): G {
  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: f(geometry.coordinates) } as G;
    case 'Polygon':
      return { type: 'Polygon', coordinates: geometry.coordinates.map((r) => mapRing(r, f)) } as G;
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((poly) => poly.map((r) => mapRing(r, f))) } as G;
    default:
      throw new TypeError(`cannot convert a ${(geometry as { type: string }).type}`);
  }
}

/**
 * A closed ring stays closed with its last position identical to its first (a fresh copy, not a shared
 * reference), whatever floating-point path the conversion takes. Unclosed rings are converted as they are so
 * validation still sees, and reports, them.
 */
function mapRing(ring: Position[], f: (p: Position) => Position): Position[] {
  const out = ring.map(f);
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (ring.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) {
    out[out.length - 1] = [...out[0]!];
  }
  return out;
}
