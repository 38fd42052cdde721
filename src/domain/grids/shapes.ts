// Geometry this layer needs beyond src/domain: telling an unchanged boundary from an edited one, the columns
// derived from a boundary, and cutting a grid in two along a drawn line. Pure functions, no I/O.
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { bboxOf, labelPointOf, type GridGeometry } from './geometry.js';

/**
 * Coordinates closer than this (degrees, ~1 cm) are the same vertex. A boundary exported to GCJ-02 and imported
 * back comes home within ~1 mm (src/domain/map/coordinates.ts), so it counts as unchanged and makes no new version.
 */
export const SAME_VERTEX_DEG = 1e-7;

export function sameGeometry(a: GridGeometry, b: GridGeometry, tol = SAME_VERTEX_DEG): boolean {
  if (a.type !== b.type) return false;
  const pa = a.type === 'Polygon' ? [a.coordinates] : a.coordinates;
  const pb = b.type === 'Polygon' ? [(b as Polygon).coordinates] : (b as MultiPolygon).coordinates;
  if (pa.length !== pb.length) return false;
  for (let p = 0; p < pa.length; p++) {
    const ra = pa[p]!, rb = pb[p]!;
    if (ra.length !== rb.length) return false;
    for (let r = 0; r < ra.length; r++) {
      const xa = ra[r]!, xb = rb[r]!;
      if (xa.length !== xb.length) return false;
      for (let i = 0; i < xa.length; i++) {
        if (Math.abs(xa[i]![0]! - xb[i]![0]!) > tol || Math.abs(xa[i]![1]! - xb[i]![1]!) > tol) return false;
      }
    }
  }
  return true;
}

/** The grid columns that follow from its boundary: bounding box and label point. */
export function derivedColumns(geometry: GridGeometry) {
  const [minLng, minLat, maxLng, maxLat] = bboxOf(geometry);
  const [labelLng, labelLat] = labelPointOf(geometry);
  return {
    geometry: JSON.stringify(geometry),
    min_lng: minLng,
    min_lat: minLat,
    max_lng: maxLng,
    max_lat: maxLat,
    label_lng: labelLng,
    label_lat: labelLat,
  };
}

export type CutResult = { ok: true; parts: [Polygon, Polygon] } | { ok: false; crossings: number };

interface Crossing {
  /** position along the line: segment index + fraction */
  along: number;
  edge: number;
  t: number;
  point: Position;
}

/**
 * Cuts a polygon in two along a line that enters and leaves its outer boundary exactly once each. Both halves are
 * built from the same vertices (the two crossing points and the line's vertices between them), so they share
 * their new edge exactly: no sliver gap or overlap appears between them, and together they are the original.
 * Holes go to the half that holds them; a line crossing a hole is refused like any other extra crossing.
 */
export function cutPolygonByLine(polygon: Polygon, line: readonly Position[]): CutResult {
  const [outer, ...holes] = polygon.coordinates as Position[][];
  if (!outer || line.length < 2) return { ok: false, crossings: 0 };
  const holeCrossings = holes.reduce((n, h) => n + crossingsOf(line, h).length, 0);
  const crossings = crossingsOf(line, outer);
  if (crossings.length !== 2 || holeCrossings > 0) return { ok: false, crossings: crossings.length + holeCrossings };
  const [p, q] = crossings.sort((a, b) => a.along - b.along) as [Crossing, Crossing];

  // The line between the crossings must run inside: a line starting inside and leaving and re-entering crosses
  // twice too, but cuts along the outside.
  const firstSeg = Math.floor(p.along);
  const lastSeg = Math.floor(q.along);
  const between: Position[] = [];
  const same = (u: Position, v: Position) => u[0] === v[0] && u[1] === v[1];
  for (let k = firstSeg + 1; k <= lastSeg; k++) if (!same(line[k]!, p.point) && !same(line[k]!, q.point)) between.push(line[k]!);
  const next = between[0] ?? q.point;
  const mid: Position = [(p.point[0]! + next[0]!) / 2, (p.point[1]! + next[1]!) / 2];
  if (!booleanPointInPolygon(mid, { type: 'Polygon', coordinates: [outer] })) return { ok: false, crossings: 2 };

  // The outer ring with the two crossing points inserted where they fall.
  const ring = outer.slice(0, -1);
  type Node = { pt: Position; mark?: 'p' | 'q' };
  const nodes: Node[] = [];
  for (let i = 0; i < ring.length; i++) {
    nodes.push({ pt: ring[i]! });
    const here = [p, q].filter((c) => c.edge === i).sort((a, b) => a.t - b.t);
    for (const c of here) {
      const mark = c === p ? 'p' : 'q';
      if (c.t < 1e-12) {
        // The line passes exactly through a vertex: that vertex is the crossing point.
        nodes[nodes.length - 1]!.mark = mark;
        c.point = ring[i]!;
      } else nodes.push({ pt: c.point, mark });
    }
  }
  const a = nodes.findIndex((n) => n.mark === 'p');
  const b = nodes.findIndex((n) => n.mark === 'q');
  if (a < 0 || b < 0 || a === b) return { ok: false, crossings: 2 };
  const arc = (from: number, to: number): Position[] => {
    const out: Position[] = [];
    for (let i = from; ; i = (i + 1) % nodes.length) {
      out.push(nodes[i]!.pt);
      if (i === to) break;
    }
    return out;
  };
  const P = nodes[a]!.pt;
  const Q = nodes[b]!.pt;
  // Half one: along the boundary from P to Q, then back along the cut. Half two: from Q to P, then along the cut.
  const one = [...arc(a, b), ...[...between].reverse(), P];
  const two = [...arc(b, a), ...between, Q];
  const halves: Position[][][] = [[one], [two]];
  for (const hole of holes) {
    const target = booleanPointInPolygon(hole[0]!, { type: 'Polygon', coordinates: [one] }) ? halves[0]! : halves[1]!;
    target.push(hole);
  }
  return {
    ok: true,
    parts: [
      { type: 'Polygon', coordinates: halves[0]! },
      { type: 'Polygon', coordinates: halves[1]! },
    ],
  };
}

/** Where the line crosses the ring's edges (planar lng/lat arithmetic: grids are small). */
function crossingsOf(line: readonly Position[], ring: readonly Position[]): Crossing[] {
  const out: Crossing[] = [];
  for (let k = 0; k < line.length - 1; k++) {
    const [x1, y1] = line[k] as [number, number];
    const [x2, y2] = line[k + 1] as [number, number];
    for (let i = 0; i < ring.length - 1; i++) {
      const [x3, y3] = ring[i] as [number, number];
      const [x4, y4] = ring[i + 1] as [number, number];
      const d = (x2 - x1) * (y4 - y3) - (y2 - y1) * (x4 - x3);
      if (d === 0) continue;
      const s = ((x3 - x1) * (y4 - y3) - (y3 - y1) * (x4 - x3)) / d;
      const t = ((x3 - x1) * (y2 - y1) - (y3 - y1) * (x2 - x1)) / d;
      // Half-open ranges: a crossing exactly at a shared vertex is counted once.
      const lastSegment = k === line.length - 2;
      if (s < 0 || s > 1 || (s === 1 && !lastSegment) || t < 0 || t >= 1) continue;
      const point: Position = [x1 + s * (x2 - x1), y1 + s * (y2 - y1)];
      if (out.some((c) => Math.abs(c.point[0]! - point[0]!) < 1e-12 && Math.abs(c.point[1]! - point[1]!) < 1e-12)) continue;
      out.push({ along: k + s, edge: i, t, point });
    }
  }
  return out;
}
