// Rules a grid boundary, and a set of grids, must satisfy before they are stored. Nothing here throws on bad
// input: every rule returns problems (code + params, see grid-messages.ts) so an import can list them all.
import {
  area,
  booleanPointInPolygon,
  buffer,
  difference,
  feature,
  featureCollection,
  flatten,
  kinks,
  pointOnFeature,
} from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { GridGeometry } from './geometry.js';
import { formatLngLat, type GridProblem, type GridProblemCode, type ProblemParams } from './messages.js';

/**
 * A ring whose points all lie within this distance (degrees, ~0.1 mm) of one line encloses nothing. Signed area
 * would not do: a symmetric bow-tie has zero area too, and that is a self-intersection, reported as such.
 */
const COLLINEAR_DEG = 1e-9;

/**
 * Problems of one boundary, in input order; empty when the boundary is usable. Structural problems (type,
 * nesting, numbers, closure, ring size) are checked first; topology (self-intersection, holes) only when the
 * structure is sound, since turf cannot reason about a malformed ring.
 */
export function validateGridGeometry(geometry: unknown): GridProblem[] {
  if (geometry === null || geometry === undefined) return [problem('missing_geometry', {})];
  if (typeof geometry !== 'object' || Array.isArray(geometry)) {
    return [problem('not_polygon', { type: Array.isArray(geometry) ? 'array' : typeof geometry })];
  }
  const g = geometry as { type?: unknown; coordinates?: unknown };
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    return [problem('not_polygon', { type: typeof g.type === 'string' ? g.type : String(g.type) })];
  }

  const parts: unknown[] = g.type === 'Polygon' ? [g.coordinates] : Array.isArray(g.coordinates) ? g.coordinates : [];
  if (g.type === 'MultiPolygon' && (!Array.isArray(g.coordinates) || g.coordinates.length === 0)) {
    return [problem('malformed_coordinates', { part: 1, detail: 'no polygons' })];
  }

  const problems: GridProblem[] = [];
  parts.forEach((rings, p) => problems.push(...structureProblems(rings, p + 1)));
  if (problems.length > 0) return problems;

  // Structure is sound from here on: every ring is a closed array of finite [lng, lat] with 3+ distinct points.
  const polys = (parts as Position[][][]).map((rings) => rings.map(dropRepeats));
  problems.push(...selfIntersectionProblems(polys));
  if (problems.length > 0) return problems;
  polys.forEach((rings, p) => problems.push(...holeProblems(rings, p + 1)));
  return problems;
}

function structureProblems(rings: unknown, part: number): GridProblem[] {
  if (!Array.isArray(rings) || rings.length === 0) {
    return [problem('malformed_coordinates', { part, detail: 'no rings' })];
  }
  const out: GridProblem[] = [];
  rings.forEach((ring, r) => {
    const where = { part, ring: r + 1 };
    if (!Array.isArray(ring)) {
      out.push(problem('malformed_coordinates', { part, detail: `ring ${r + 1} is not an array` }));
      return;
    }
    // One numeric problem per ring is enough to act on; a broken export usually breaks every position.
    let numbersOk = true;
    for (let i = 0; i < ring.length; i++) {
      const pos: unknown = ring[i];
      if (!Array.isArray(pos) || pos.length < 2 || !pos.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        out.push(problem('coordinate_not_finite', { ...where, position: i + 1 }));
        numbersOk = false;
        break;
      }
      const [lng, lat] = pos as number[];
      if (lng! < -180 || lng! > 180 || lat! < -90 || lat! > 90) {
        out.push(problem('coordinate_out_of_range', { ...where, position: i + 1, lng: lng!, lat: lat! }));
        numbersOk = false;
        break;
      }
    }
    if (!numbersOk) return;
    const positions = ring as Position[];
    const distinct = dropRepeats(positions);
    // A closed ring repeats its first point at the end; count the distinct corners without that repeat.
    const corners = samePosition(distinct[0], distinct[distinct.length - 1]) ? distinct.length - 1 : distinct.length;
    if (positions.length < 4 || corners < 3) {
      out.push(problem('ring_too_short', { ...where, count: positions.length, distinct: Math.max(corners, 0) }));
    }
    const first = positions[0];
    const last = positions[positions.length - 1];
    if (positions.length > 0 && !samePosition(first, last)) {
      out.push(
        problem('ring_not_closed', {
          ...where,
          first: formatLngLat(first![0]!, first![1]!),
          last: formatLngLat(last![0]!, last![1]!),
        }),
      );
    }
    if (positions.length >= 4 && corners >= 3 && samePosition(first, last) && collinear(positions)) {
      out.push(problem('ring_zero_area', where));
    }
  });
  return out;
}

/**
 * turf kinks finds crossings between any two edges of a polygon (so also a hole crossing its shell). Repeated
 * consecutive vertices are dropped first: kinks reports them as crossings, but they are harmless and common in
 * exports from desktop GIS.
 */
function selfIntersectionProblems(polys: Position[][][]): GridProblem[] {
  const seen = new Set<string>();
  const points: Position[] = [];
  for (const rings of polys) {
    let found;
    try {
      found = kinks({ type: 'Polygon', coordinates: rings });
    } catch {
      continue;
    }
    for (const k of found.features) {
      const c = k.geometry.coordinates;
      const key = formatLngLat(c[0]!, c[1]!);
      if (!seen.has(key)) {
        seen.add(key);
        points.push(c);
      }
    }
  }
  if (points.length === 0) return [];
  const [lng, lat] = points[0] as [number, number];
  return [problem('self_intersection', { at: formatLngLat(lng, lat), lng, lat, count: points.length })];
}

/**
 * With no crossings, a hole is either wholly inside its shell or wholly outside; one vertex strictly outside the
 * shell therefore means the hole is outside.
 */
function holeProblems(rings: Position[][], part: number): GridProblem[] {
  const shell: Polygon = { type: 'Polygon', coordinates: [rings[0]!] };
  const out: GridProblem[] = [];
  for (let h = 1; h < rings.length; h++) {
    const outside = rings[h]!.find((pos) => !booleanPointInPolygon(pos, shell));
    if (outside) out.push(problem('hole_outside_shell', { part, ring: h + 1, at: formatLngLat(outside[0]!, outside[1]!) }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Sets of grids

export interface GridSetItem {
  code: string;
  /** parent division or parent grid; empty when unknown (reported elsewhere as missing) */
  parentCode: string | null;
  /** null when the boundary itself was invalid: such items take part in code checks only */
  geometry: GridGeometry | null;
}

export interface GridParent {
  code: string;
  /** a parent without a boundary (e.g. a division nobody drew yet) cannot be used for the containment check */
  geometry?: GridGeometry | null;
}

export interface GridSetOptions {
  /** how far, in metres, a child may stick out of its parent before it counts as outside (default 1 m) */
  toleranceM?: number;
  /**
   * Whether a parent code found neither in the set nor in `parents` is a problem (default true). The import
   * turns it off when the caller did not say which parents exist.
   */
  requireKnownParent?: boolean;
}

export interface GridSetProblem {
  /** 0-based position of the item in `features` */
  index: number;
  code: string;
  problem: GridProblemCode;
  params: ProblemParams;
}

export const DEFAULT_PARENT_TOLERANCE_M = 1;
/** Outside pieces smaller than this are clipping noise, not a boundary that sticks out. */
const OUTSIDE_NOISE_M2 = 0.01;

/**
 * Problems of a set of grids imported together: duplicate codes, codes not extending their parent's code, unknown
 * parents, and children not within their parent (up to `toleranceM`). A parent may be another item of the set
 * (multi-level imports) or one of `parents` (already stored divisions and grids, boundaries in WGS-84).
 */
export function validateGridSet(
  features: readonly GridSetItem[],
  parents: readonly GridParent[],
  options: GridSetOptions = {},
): GridSetProblem[] {
  const toleranceM = options.toleranceM ?? DEFAULT_PARENT_TOLERANCE_M;
  const requireKnownParent = options.requireKnownParent ?? true;
  const out: GridSetProblem[] = [];

  const firstIndex = new Map<string, number>();
  features.forEach((f, i) => {
    const other = firstIndex.get(f.code);
    if (other === undefined) firstIndex.set(f.code, i);
    else out.push({ index: i, code: f.code, problem: 'duplicate_code', params: { code: f.code, other: other + 1 } });
  });

  const stored = new Map<string, GridParent>();
  for (const p of parents) stored.set(p.code, p);
  // Parent boundaries grown by the tolerance, built once per parent: several hundred children share few parents.
  const grown = new Map<string, GridGeometry | null>();
  const grownParent = (code: string, geometry: GridGeometry): GridGeometry | null => {
    if (!grown.has(code)) grown.set(code, growBy(geometry, toleranceM));
    return grown.get(code)!;
  };

  features.forEach((f, i) => {
    const parentCode = f.parentCode;
    if (!parentCode) return;
    if (!(f.code.length > parentCode.length && f.code.startsWith(parentCode))) {
      out.push({ index: i, code: f.code, problem: 'code_not_extending_parent', params: { code: f.code, parent: parentCode } });
    }
    const inSet = firstIndex.get(parentCode);
    const parentGeometry = inSet !== undefined ? features[inSet]!.geometry : stored.get(parentCode)?.geometry;
    if (inSet === undefined && !stored.has(parentCode)) {
      if (requireKnownParent) out.push({ index: i, code: f.code, problem: 'unknown_parent', params: { parent: parentCode } });
      return;
    }
    if (!f.geometry || !parentGeometry || inSet === i) return;
    const envelope = grownParent(parentCode, parentGeometry);
    if (!envelope) return;
    const outside = outsidePart(f.geometry, envelope);
    if (outside) {
      out.push({
        index: i,
        code: f.code,
        problem: 'outside_parent',
        params: { parent: parentCode, areaM2: roundArea(outside.areaM2), toleranceM, at: outside.at, lng: outside.lng, lat: outside.lat },
      });
    }
  });

  return out.sort((a, b) => a.index - b.index);
}

function growBy(geometry: GridGeometry, metres: number): GridGeometry | null {
  if (metres <= 0) return geometry;
  try {
    return buffer(feature(geometry), metres, { units: 'meters' })?.geometry ?? null;
  } catch {
    // A parent turf cannot buffer is compared without tolerance rather than not at all.
    return geometry;
  }
}

function outsidePart(child: GridGeometry, envelope: GridGeometry): { areaM2: number; at: string; lng: number; lat: number } | null {
  let rest: Feature<Polygon | MultiPolygon> | null;
  try {
    rest = difference(featureCollection([feature(child), feature(envelope)]));
  } catch {
    return null;
  }
  if (!rest) return null;
  const pieces = flatten(rest).features.map((p) => ({ p, a: area(p) }));
  const total = pieces.reduce((s, x) => s + x.a, 0);
  if (total < OUTSIDE_NOISE_M2) return null;
  const largest = pieces.reduce((a, b) => (b.a > a.a ? b : a));
  const [lng, lat] = pointOnFeature(largest.p).geometry.coordinates as [number, number];
  return { areaM2: total, at: formatLngLat(lng, lat), lng, lat };
}

// ---------------------------------------------------------------------------------------------------------------
// helpers

function problem(code: GridProblemCode, params: ProblemParams): GridProblem {
  return { code, params };
}

function samePosition(a: Position | undefined, b: Position | undefined): boolean {
  return !!a && !!b && a[0] === b[0] && a[1] === b[1];
}

/** The ring without consecutive repeated positions (exact equality: near-duplicates are real, if odd, vertices). */
export function dropRepeats(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const pos of ring) if (!samePosition(out[out.length - 1], pos)) out.push(pos);
  return out;
}

function collinear(ring: Position[]): boolean {
  const [x0, y0] = ring[0] as [number, number];
  let far: Position = ring[0]!;
  let farD = 0;
  for (const p of ring) {
    const d = Math.hypot(p[0]! - x0, p[1]! - y0);
    if (d > farD) [far, farD] = [p, d];
  }
  if (farD === 0) return true;
  const [dx, dy] = [far[0]! - x0, far[1]! - y0];
  return ring.every((p) => Math.abs((p[0]! - x0) * dy - (p[1]! - y0) * dx) / farD < COLLINEAR_DEG);
}

/** Areas people read: whole square metres above 10, one decimal below. */
function roundArea(m2: number): number {
  return m2 >= 10 ? Math.round(m2) : Math.round(m2 * 10) / 10;
}
