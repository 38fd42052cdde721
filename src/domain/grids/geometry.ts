// Geometry rules used at intake: which grid polygon holds a point. Exact test by turf; candidates come
// from a bounding-box query in the data layer.
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';

export type GridGeometry = Polygon | MultiPolygon;

export interface GridCandidate {
  id: number;
  code: string;
  geometry: GridGeometry;
}

/**
 * The grid containing the point, or null. A point on an edge shared by two grids belongs to the one with the
 * smaller code, so the answer never depends on query order.
 */
export function gridAt(lng: number, lat: number, candidates: readonly GridCandidate[]): GridCandidate | null {
  const hits = candidates.filter((c) => booleanPointInPolygon([lng, lat], c.geometry));
  if (hits.length === 0) return null;
  return hits.reduce((a, b) => (a.code <= b.code ? a : b));
}

export function bboxOf(geometry: GridGeometry): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const poly of polys)
    for (const ring of poly)
      for (const [x, y] of ring as [number, number][]) {
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
  return [minX, minY, maxX, maxY];
}

/** A label point: the centroid of the outer ring of the largest polygon (good enough for convex-ish grids). */
export function labelPointOf(geometry: GridGeometry): [number, number] {
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best: number[][] = polys[0]![0] as number[][];
  let bestArea = -1;
  for (const poly of polys) {
    const ring = poly[0] as number[][];
    const a = Math.abs(ringArea(ring));
    if (a > bestArea) [best, bestArea] = [ring, a];
  }
  let cx = 0, cy = 0, area = 0;
  for (let i = 0; i < best.length - 1; i++) {
    const [x0, y0] = best[i] as [number, number];
    const [x1, y1] = best[i + 1] as [number, number];
    const f = x0 * y1 - x1 * y0;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
    area += f;
  }
  if (area === 0) return best[0] as [number, number];
  return [cx / (3 * area), cy / (3 * area)];
}

function ringArea(ring: number[][]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return s / 2;
}
