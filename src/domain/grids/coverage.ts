// "无缝隙、全覆盖": the A-class grids of a parent must cover it with no gap and no overlap. This finds where
// they do not, as polygons with areas, so the map can show each gap and each overlap.
import Flatbush from 'flatbush';
import { area, buffer, difference, distance, feature, featureCollection, flatten, intersect, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { DomainError } from '../errors.js';
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
 * Strips thinner than this (metres) between or across neighbouring grids are digitising noise: the coverage check
 * (its API default), the split and the A-class overlap rule all leave them out, so an import that is accepted is
 * also found covered without overlaps, and a real gap is drawn without the centimetre strips attached to it.
 */
export const DIGITISING_WIDTH_M = 0.05;

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
  // Overlay runs on coordinates snapped to a fixed precision: vertices that differ by a few ulps (a conversion
  // from GCJ-02 done twice, a parent traced along its grids' vertices) become the same vertex, which is what
  // polyclip-ts needs to close its rings. If it still fails, a coarser snap (1 cm) is tried before giving up
  // with a message, never a 500.
  let lastError: unknown;
  for (const digits of SNAP_DIGITS) {
    try {
      return reportOn(snapGeometry(parentGeometry, digits), children.map((c) => ({ ...c, geometry: snapGeometry(c.geometry, digits) })), options);
    } catch (e) {
      lastError = e;
    }
  }
  throw new DomainError('coverage_failed', { reason: lastError instanceof Error ? lastError.message : String(lastError) });
}

/** Decimal places of degrees tried in turn: ~0.1 mm, then ~1 cm. */
const SNAP_DIGITS = [9, 7] as const;

function reportOn(parentGeometry: GridGeometry, children: readonly CoverageChild[], options: CoverageOptions): CoverageReport {
  const select = (ps: Piece[]) => significantPieces(ps, options);
  const gaps = findGaps(parentGeometry, children, select);
  const overlaps = findOverlaps(children, select);
  return { ok: gaps.length === 0 && overlaps.length === 0, gaps, overlaps };
}

/**
 * The pieces that count: at least `sliverM2`, and, with a width tolerance, at least that wide on average (2 × area /
 * perimeter) and cleaned of the thinner strips attached to them (shrink by half the tolerance, grow back twice as
 * far, keep what of the piece lies within: a strip thinner than the tolerance goes but for a stub as long as it is
 * wide), so a 40 × 400 m gap is reported as that and not with a 1 cm strip running a kilometre
 * along the neighbouring grid's edge. The area is that of what remains.
 */
export function significantPieces(ps: readonly Piece[], options: CoverageOptions = {}): Piece[] {
  const sliverM2 = options.sliverM2 ?? DEFAULT_SLIVER_M2;
  const sliverWidthM = options.sliverWidthM ?? 0;
  const keep = (p: Piece) => p.areaM2 >= sliverM2 && (sliverWidthM <= 0 || (2 * p.areaM2) / perimeterM(p.geometry) >= sliverWidthM);
  const kept = ps.filter(keep);
  if (sliverWidthM <= 0) return kept;
  return kept.flatMap((p) => withoutThinParts(p, sliverWidthM / 2)).filter(keep);
}

function withoutThinParts(p: Piece, halfWidthM: number): Piece[] {
  try {
    // Shrink, grow back twice as far, and keep the piece's own outline within that: turf's buffer moves edges by
    // up to a centimetre, which the piece's exact edges must not inherit (a 3 km outline would lose 30 m²).
    const shrunk = buffer(feature(p.geometry), -halfWidthM, { units: 'meters' });
    const regrown = shrunk ? buffer(shrunk, 2 * halfWidthM, { units: 'meters' }) : undefined;
    const kept = regrown ? intersect(featureCollection<Polygon | MultiPolygon>([feature(p.geometry), regrown as Feature<Polygon | MultiPolygon>])) : null;
    const out = pieces(kept);
    // The opening takes away only strips thinner than the tolerance: at most a band of that width along the
    // boundary, and never adds. A buffer that misbehaves (turf's can, on large or odd rings) leaves the piece as it was.
    const total = out.reduce((s, q) => s + q.areaM2, 0);
    const band = perimeterM(p.geometry) * halfWidthM * 2;
    return total <= p.areaM2 * (1 + 1e-6) + 0.01 && total >= p.areaM2 - band - 0.01 ? out : [p];
  } catch {
    return [p];
  }
}

function findGaps(parent: GridGeometry, children: readonly CoverageChild[], select: (ps: Piece[]) => Piece[]): CoverageGap[] {
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
  return select(pieces(rest)).sort((a, b) => b.areaM2 - a.areaM2);
}

function findOverlaps(children: readonly CoverageChild[], select: (ps: Piece[]) => Piece[]): CoverageOverlap[] {
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
      const kept = select(pieces(shared));
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

export interface Piece {
  geometry: Polygon;
  areaM2: number;
}

/** The polygons of an overlay result, each cleaned of zero-width parts, with its geodesic area. */
export function pieces(f: Feature<Polygon | MultiPolygon> | null): Piece[] {
  if (!f) return [];
  const out: Piece[] = [];
  for (const p of flatten(f).features) {
    const geometry = withoutZeroWidth(p.geometry);
    if (geometry) out.push({ geometry, areaM2: area(geometry) });
  }
  return out;
}

/** Rounds every coordinate to `digits` decimals and drops the repeated vertices that makes. */
export function snapGeometry<G extends GridGeometry>(g: G, digits: number): G {
  const f = 10 ** digits;
  const snapRing = (ring: Position[]): Position[] => {
    const out: Position[] = [];
    for (const [x, y] of ring) {
      const p: Position = [Math.round(x! * f) / f, Math.round(y! * f) / f];
      const last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
    return out;
  };
  const snapPolygon = (rings: Position[][]) => rings.map(snapRing).filter((r) => r.length >= 4);
  if (g.type === 'Polygon') return { ...g, coordinates: snapPolygon(g.coordinates) } as G;
  return { ...g, coordinates: g.coordinates.map(snapPolygon).filter((p) => p.length > 0) } as G;
}

/**
 * A piece without its zero-width parts: spikes (out along an edge and back) and vertices on a straight line are
 * dropped, so a gap's outline and bounding box are those of its area (a 40 × 400 m gap, not 800 m × 2 km of
 * hairlines). A vertex goes when it lies within ZERO_WIDTH_DEG of the line through its neighbours.
 */
function withoutZeroWidth(p: Polygon): Polygon | null {
  const outer = cleanRing(p.coordinates[0]!);
  if (!outer) return null;
  const holes = p.coordinates.slice(1).map(cleanRing).filter((r): r is Position[] => r != null);
  return { type: 'Polygon', coordinates: [outer, ...holes] };
}

/** ~1 µm: far below any real gap (and below what removing a vertex changes in area), far above the ulps overlay leaves. */
const ZERO_WIDTH_DEG = 1e-11;

function cleanRing(ring: Position[]): Position[] | null {
  let pts = ring.slice(0, -1);
  let changed = true;
  while (changed && pts.length >= 3) {
    changed = false;
    for (let i = 0; i < pts.length && pts.length >= 3; i++) {
      const a = pts[(i - 1 + pts.length) % pts.length]!;
      const b = pts[i]!;
      const c = pts[(i + 1) % pts.length]!;
      if (isSpike(a, b, c)) {
        pts = pts.filter((_, k) => k !== i);
        changed = true;
        i--;
      }
    }
  }
  if (pts.length < 3) return null;
  return [...pts, pts[0]!];
}

/**
 * b is the tip of a zero-width spike: the ring goes out to b and comes back (the turn at b is a reversal) within
 * ZERO_WIDTH_DEG, or b repeats a. A vertex in the middle of a straight edge is not a spike: it stays (dropping it
 * would change the geodesic area).
 */
function isSpike(a: Position, b: Position, c: Position): boolean {
  if (b[0] === a[0] && b[1] === a[1]) return true;
  const reverses = (a[0]! - b[0]!) * (c[0]! - b[0]!) + (a[1]! - b[1]!) * (c[1]! - b[1]!) > 0;
  return reverses && offLine(a, b, c) <= ZERO_WIDTH_DEG;
}

/**
 * The width of the triangle a–b–c: its height over its longest side (degrees, planar; only compared with a tiny
 * tolerance). Zero for b on the line a–c, and ~1 ulp for a spike (out to b along an edge and back).
 */
function offLine(a: Position, b: Position, c: Position): number {
  const abx = b[0]! - a[0]!, aby = b[1]! - a[1]!;
  const acx = c[0]! - a[0]!, acy = c[1]! - a[1]!;
  const longest = Math.max(Math.hypot(abx, aby), Math.hypot(acx, acy), Math.hypot(c[0]! - b[0]!, c[1]! - b[1]!));
  if (longest === 0) return 0;
  return Math.abs(abx * acy - aby * acx) / longest;
}

/** Geodesic length of all rings, in metres. */
export function perimeterM(p: Polygon): number {
  let m = 0;
  for (const ring of p.coordinates)
    for (let i = 0; i < ring.length - 1; i++) m += distance(ring[i]!, ring[i + 1]!, { units: 'meters' });
  return m;
}
