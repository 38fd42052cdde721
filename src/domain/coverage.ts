// "无缝隙、全覆盖": the A-class grids of a parent must cover it with no gap and no overlap. This finds where
// they do not, as polygons with areas, so the map can show each gap and each overlap.
import Flatbush from 'flatbush';
import { area, difference, distance, feature, featureCollection, flatten, intersect, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { bboxOf, type GridGeometry } from './geometry.js';

export interface CoverageChild {
  id: number | string;
  code: string;
  geometry: GridGeometry;
}

export interface CoverageOptions {
  /** pieces smaller than this many m² are rounding slivers, not real gaps or overlaps (default 1 m²) */
  sliverM2?: number;
  /**
   * Also ignore pieces thinner than this many metres on average (2 × area / perimeter), whatever their area.
   * Off by default. A vertex rounded by a few millimetres next to a kilometre-long edge leaves a hairline strip
   * of several m², which the area rule alone reports; 0.05 is a sensible value for imported data.
   */
  sliverWidthM?: number;
}

export interface CoverageGap {
  geometry: Polygon;
  areaM2: number;
}

export interface CoverageOverlap {
  /** the two children's codes, smaller first */
  codes: [string, string];
  ids: [number | string, number | string];
  /** every overlapping piece of the pair that is at least the sliver size */
  geometry: Polygon | MultiPolygon;
  areaM2: number;
}

export interface CoverageReport {
  ok: boolean;
  /** each gap is one connected piece of the parent no child covers, largest first */
  gaps: CoverageGap[];
  /** one entry per overlapping pair, largest first */
  overlaps: CoverageOverlap[];
}

export const DEFAULT_SLIVER_M2 = 1;

/**
 * Gaps are parent minus the union of the children; overlaps are the pairwise intersections of children whose
 * bounding boxes meet (a Flatbush index keeps that near-linear for a few hundred children). Areas are geodesic
 * m² (turf area). Parts of children outside the parent are not reported here: validateGridSet checks that.
 * Boundaries are expected to have passed validateGridGeometry: turf's clipping may throw on self-intersecting
 * rings, and that is a bug in the caller, not a coverage result.
 */
export function coverageReport(
  parentGeometry: GridGeometry,
  children: readonly CoverageChild[],
  options: CoverageOptions = {},
): CoverageReport {
  const sliverM2 = options.sliverM2 ?? DEFAULT_SLIVER_M2;
  const sliverWidthM = options.sliverWidthM ?? 0;
  const keep = (p: Piece) => p.areaM2 >= sliverM2 && (sliverWidthM <= 0 || (2 * p.areaM2) / perimeterM(p.geometry) >= sliverWidthM);
  const gaps = findGaps(parentGeometry, children, keep);
  const overlaps = findOverlaps(children, keep);
  return { ok: gaps.length === 0 && overlaps.length === 0, gaps, overlaps };
}

function findGaps(parent: GridGeometry, children: readonly CoverageChild[], keep: (p: Piece) => boolean): CoverageGap[] {
  let rest: Feature<Polygon | MultiPolygon> | null;
  if (children.length === 0) {
    rest = feature(parent);
  } else {
    const covered =
      children.length === 1
        ? feature(children[0]!.geometry)
        : union(featureCollection(children.map((c) => feature(c.geometry))));
    rest = covered ? difference(featureCollection([feature(parent), covered])) : feature(parent);
  }
  return pieces(rest)
    .filter(keep)
    .sort((a, b) => b.areaM2 - a.areaM2);
}

function findOverlaps(children: readonly CoverageChild[], keep: (p: Piece) => boolean): CoverageOverlap[] {
  if (children.length < 2) return [];
  const boxes = children.map((c) => bboxOf(c.geometry));
  const index = new Flatbush(children.length);
  for (const [x0, y0, x1, y1] of boxes) index.add(x0, y0, x1, y1);
  index.finish();

  const out: CoverageOverlap[] = [];
  children.forEach((a, i) => {
    const [x0, y0, x1, y1] = boxes[i]!;
    const candidates = index.search(x0, y0, x1, y1).filter((j) => j > i).sort((p, q) => p - q);
    for (const j of candidates) {
      const b = children[j]!;
      const shared = intersect(featureCollection([feature(a.geometry), feature(b.geometry)]));
      // Neighbours share edges; the intersection of a shared edge is a line, which turf returns as null.
      const kept = pieces(shared).filter(keep);
      if (kept.length === 0) continue;
      const areaM2 = kept.reduce((s, p) => s + p.areaM2, 0);
      const geometry: Polygon | MultiPolygon =
        kept.length === 1 ? kept[0]!.geometry : { type: 'MultiPolygon', coordinates: kept.map((p) => p.geometry.coordinates) };
      const [first, second] = a.code <= b.code ? [a, b] : [b, a];
      out.push({ codes: [first.code, second.code], ids: [first.id, second.id], geometry, areaM2 });
    }
  });
  return out.sort((p, q) => q.areaM2 - p.areaM2 || p.codes[0].localeCompare(q.codes[0]) || p.codes[1].localeCompare(q.codes[1]));
}

interface Piece {
  geometry: Polygon;
  areaM2: number;
}

function pieces(f: Feature<Polygon | MultiPolygon> | null): Piece[] {
  if (!f) return [];
  return flatten(f).features.map((p) => ({ geometry: p.geometry, areaM2: area(p) }));
}

/** Geodesic length of all rings, in metres. */
function perimeterM(p: Polygon): number {
  let m = 0;
  for (const ring of p.coordinates)
    for (let i = 0; i < ring.length - 1; i++) m += distance(ring[i]!, ring[i + 1]!, { units: 'meters' });
  return m;
}
