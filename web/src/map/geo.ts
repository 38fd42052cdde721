// Client-side point-in-grid, so the report form can show which grid a position falls in (the server decides).
import type { GridCollection } from '../../../src/shared/api';

type Ring = [number, number][];
type GridFeature = GridCollection['features'][number];

function inRing(lng: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(lng: number, lat: number, rings: Ring[]): boolean {
  const [outer, ...holes] = rings;
  return !!outer && inRing(lng, lat, outer) && !holes.some((h) => inRing(lng, lat, h));
}

export function featureContains(f: GridFeature, lng: number, lat: number): boolean {
  const g = f.geometry as { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
  if (g.type === 'Polygon') return inPolygon(lng, lat, g.coordinates as Ring[]);
  return (g.coordinates as Ring[][]).some((p) => inPolygon(lng, lat, p));
}

/** [west, south, east, north] of a grid's outline. */
export function featureBounds(f: GridFeature): [number, number, number, number] {
  const g = f.geometry as { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
  const polygons = g.type === 'Polygon' ? [g.coordinates as Ring[]] : (g.coordinates as Ring[][]);
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of polygons) {
    for (const [x, y] of p[0] ?? []) {
      w = Math.min(w, x);
      e = Math.max(e, x);
      s = Math.min(s, y);
      n = Math.max(n, y);
    }
  }
  return [w, s, e, n];
}

/** The grid a position falls in, preferring territorial (A-class) grids; null outside every grid. */
export function gridAt(grids: GridCollection | undefined, lng: number, lat: number): GridFeature | null {
  if (!grids) return null;
  const hits = grids.features.filter((f) => featureContains(f, lng, lat));
  return hits.find((f) => f.properties.gridClass === 'A') ?? hits[0] ?? null;
}
