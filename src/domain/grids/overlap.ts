// A-class grids (按行政区域) tile the territory: no two of them may overlap, whatever their parents, except a grid
// and the grids above it (a level-2 grid lies inside its level-1 grid by design). B and C grids overlay freely.
// This finds the overlaps a set of new or changed A-class grids would make, among themselves and with the stored
// ones, so an import, an edit or a split can refuse them with the other grid's code and the overlap's area.
import Flatbush from 'flatbush';
import { feature, featureCollection, intersect, pointOnFeature } from '@turf/turf';
import polylabel from 'polylabel';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { DIGITISING_WIDTH_M, pieces, significantPieces, snapGeometry, type Piece } from './coverage.js';
import { bboxOf, type GridGeometry } from './geometry.js';
import { formatLngLat } from './messages.js';

export interface OverlapGrid {
  code: string;
  name: string;
  /** codes of the grids above it (parent grid, its parent, …): a grid may overlap those */
  ancestors: readonly string[];
  /** WGS-84 */
  geometry: GridGeometry;
}

export interface OverlapOptions {
  /**
   * Overlapping pieces thinner than this many metres on average (2 × area / perimeter) are digitising slivers
   * along a shared border, not an overlap (default 5 cm, what the coverage check leaves out by default).
   */
  toleranceM?: number;
  /** pieces smaller than this many m² are rounding noise whatever their shape (default 1 m²) */
  noiseM2?: number;
}

export interface AClassOverlap {
  /** 0-based position in `candidates` of the grid the overlap is reported on */
  index: number;
  code: string;
  /** the grid it overlaps: another candidate or a stored grid */
  other: string;
  otherName: string;
  /** the overlap's geodesic area in m², rounded for people (whole m² above 10) */
  areaM2: number;
  toleranceM: number;
  at: string;
  lng: number;
  lat: number;
}

export const DEFAULT_OVERLAP_TOLERANCE_M = DIGITISING_WIDTH_M;
const DEFAULT_NOISE_M2 = 1;
/** Decimal places of degrees tried in turn for the overlay (as coverageReport): ~0.1 mm, then ~1 cm. */
const SNAP_DIGITS = [9, 7] as const;

/**
 * Overlaps of each candidate with the other candidates and with `stored` (stored grids whose code is among the
 * candidates are ignored: the candidate replaces them). One entry per overlapping pair, reported on the later
 * candidate of two candidates, in candidate order. Pairs are found through a Flatbush index of bounding boxes,
 * so checking one grid against thousands costs a handful of overlays.
 */
export function aClassOverlaps(
  candidates: readonly OverlapGrid[],
  stored: readonly OverlapGrid[],
  options: OverlapOptions = {},
): AClassOverlap[] {
  if (candidates.length === 0) return [];
  const toleranceM = options.toleranceM ?? DEFAULT_OVERLAP_TOLERANCE_M;
  const noiseM2 = options.noiseM2 ?? DEFAULT_NOISE_M2;
  const replaced = new Set(candidates.map((c) => c.code));
  const all: OverlapGrid[] = [...candidates, ...stored.filter((s) => !replaced.has(s.code))];
  const boxes = all.map((g) => bboxOf(g.geometry));
  const index = new Flatbush(all.length);
  for (const [x0, y0, x1, y1] of boxes) index.add(x0, y0, x1, y1);
  index.finish();

  const out: AClassOverlap[] = [];
  candidates.forEach((a, i) => {
    const [x0, y0, x1, y1] = boxes[i]!;
    // A pair of candidates is checked once, from the later one; stored grids from every candidate.
    const others = index.search(x0, y0, x1, y1).filter((j) => j !== i && !(j > i && j < candidates.length)).sort((p, q) => p - q);
    for (const j of others) {
      const b = all[j]!;
      if (a.ancestors.includes(b.code) || b.ancestors.includes(a.code)) continue;
      // Most boxes that meet belong to neighbours sharing a border: a plain float test rules those out without
      // the (exact, slow) overlay, which runs only for pairs whose insides may meet.
      if (!interiorsMayMeet(a.geometry, b.geometry, boxes[i]!, boxes[j]!)) continue;
      const kept = significantPieces(overlapPieces(a.geometry, b.geometry), { sliverM2: noiseM2, sliverWidthM: toleranceM });
      if (kept.length === 0) continue;
      const total = kept.reduce((s, p) => s + p.areaM2, 0);
      const largest = kept.reduce((p, q) => (q.areaM2 > p.areaM2 ? q : p));
      const [lng, lat] = pointOnFeature(largest.geometry).geometry.coordinates as [number, number];
      out.push({ index: i, code: a.code, other: b.code, otherName: b.name, areaM2: roundArea(total), toleranceM, at: formatLngLat(lng, lat), lng, lat });
    }
  });
  return out;
}

/** The overlapping pieces of two boundaries (snapped as coverageReport does); none when turf cannot clip them. */
function overlapPieces(a: GridGeometry, b: GridGeometry): Piece[] {
  for (const digits of SNAP_DIGITS) {
    try {
      const shared = intersect(featureCollection<Polygon | MultiPolygon>([feature(snapGeometry(a, digits)), feature(snapGeometry(b, digits))]));
      return pieces(shared);
    } catch {
      // a coarser snap next; boundaries that still cannot be clipped were refused by validateGridGeometry already
    }
  }
  return [];
}

function roundArea(m2: number): number {
  return m2 >= 10 ? Math.round(m2) : Math.round(m2 * 10) / 10;
}

// ---- a quick, conservative test ---------------------------------------------------------------------------------

/** Degrees (~0.1 mm): a point this close to a boundary counts as on it. */
const ON_EDGE_DEG = 1e-9;

type Box = readonly [number, number, number, number];
/** [x0, y0, x1, y1] of each edge of every ring */
type Edges = number[][];

/**
 * False only when the insides of the two boundaries cannot meet: no edges cross properly, no vertex of one (nor
 * the middle of an edge piece between the other's vertices) lies strictly inside the other, and neither holds an
 * inner point of the other. If the insides meet, one of these probes finds it (a boundary entering the other's
 * inside does so through a proper crossing, or between points on that boundary, or from a vertex already inside;
 * containment is found by the inner points). True means "run the overlay", which measures.
 */
export function interiorsMayMeet(a: GridGeometry, b: GridGeometry, boxA: Box, boxB: Box): boolean {
  const box: Box = [Math.max(boxA[0], boxB[0]) - ON_EDGE_DEG, Math.max(boxA[1], boxB[1]) - ON_EDGE_DEG, Math.min(boxA[2], boxB[2]) + ON_EDGE_DEG, Math.min(boxA[3], boxB[3]) + ON_EDGE_DEG];
  if (box[0] > box[2] || box[1] > box[3]) return false;
  const allA = edgesOf(a);
  const allB = edgesOf(b);
  const nearA = allA.filter((e) => touchesBox(e, box));
  const nearB = allB.filter((e) => touchesBox(e, box));
  for (const e of nearA) for (const f of nearB) if (crossProperly(e, f)) return true;
  if (probeEdges(nearA, nearB, allB) || probeEdges(nearB, nearA, allA)) return true;
  for (const p of innerPoints(a)) if (strictlyInside(p, allB)) return true;
  for (const p of innerPoints(b)) if (strictlyInside(p, allA)) return true;
  return false;
}

function edgesOf(g: GridGeometry): Edges {
  const out: Edges = [];
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const rings of polys)
    for (const ring of rings)
      for (let k = 0; k + 1 < ring.length; k++) out.push([ring[k]![0]!, ring[k]![1]!, ring[k + 1]![0]!, ring[k + 1]![1]!]);
  return out;
}

function touchesBox(e: number[], box: Box): boolean {
  return Math.max(e[0]!, e[2]!) >= box[0] && Math.min(e[0]!, e[2]!) <= box[2] && Math.max(e[1]!, e[3]!) >= box[1] && Math.min(e[1]!, e[3]!) <= box[3];
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/** The two edges cross at a point inside both (not at an end, not along a shared line). */
function crossProperly(e: number[], f: number[]): boolean {
  const [ax, ay, bx, by] = e as [number, number, number, number];
  const [cx, cy, dx, dy] = f as [number, number, number, number];
  if (Math.max(ax, bx) < Math.min(cx, dx) || Math.max(cx, dx) < Math.min(ax, bx) || Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) return false;
  const d1 = orient(ax, ay, bx, by, cx, cy);
  const d2 = orient(ax, ay, bx, by, dx, dy);
  const d3 = orient(cx, cy, dx, dy, ax, ay);
  const d4 = orient(cx, cy, dx, dy, bx, by);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/**
 * Each edge of one boundary cut at the other's vertices lying on it: its start and the middle of every piece must
 * not be strictly inside the other boundary.
 */
function probeEdges(edges: Edges, otherNear: Edges, otherAll: Edges): boolean {
  for (const e of edges) {
    const [ax, ay, bx, by] = e as [number, number, number, number];
    const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
    const cuts = [0, 1];
    if (len2 > 0) {
      for (const f of otherNear) {
        const [px, py] = [f[0]!, f[1]!];
        const t = ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / len2;
        if (t <= 0 || t >= 1) continue;
        if (Math.hypot(ax + t * (bx - ax) - px, ay + t * (by - ay) - py) <= ON_EDGE_DEG) cuts.push(t);
      }
    }
    cuts.sort((p, q) => p - q);
    if (strictlyInside([ax, ay], otherAll)) return true;
    for (let k = 0; k + 1 < cuts.length; k++) {
      const t = (cuts[k]! + cuts[k + 1]!) / 2;
      if (strictlyInside([ax + t * (bx - ax), ay + t * (by - ay)], otherAll)) return true;
    }
  }
  return false;
}

/** Inside by the even-odd rule (holes and parts alike) and farther than ON_EDGE_DEG from every edge. */
function strictlyInside(p: readonly [number, number] | Position, edges: Edges): boolean {
  const [x, y] = [p[0]!, p[1]!];
  let inside = false;
  for (const [ax, ay, bx, by] of edges as [number, number, number, number][]) {
    if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
  }
  if (!inside) return false;
  for (const [ax, ay, bx, by] of edges as [number, number, number, number][]) {
    const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len2));
    if (Math.hypot(ax + t * (bx - ax) - x, ay + t * (by - ay) - y) <= ON_EDGE_DEG) return false;
  }
  return true;
}

/**
 * One point inside each polygon of the boundary: the pole of inaccessibility (polylabel), the point farthest from
 * the outline. turf's pointOnFeature may answer a vertex, which is on the boundary and so proves nothing.
 */
function innerPoints(g: GridGeometry): Position[] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const out: Position[] = [];
  for (const rings of polys) {
    // 1e-7° is about a centimetre: finer than the on-edge tolerance, so the pole found is strictly inside
    const pole = polylabel(rings as [number, number][][], 1e-7);
    if (pole.distance > 0 && Number.isFinite(pole[0])) out.push([pole[0], pole[1]]);
  }
  return out;
}
