// Colours of the grid classes and small geometry helpers for the grid-administration maps (all WGS-84).
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { maskPhone as maskDigits } from '../../../../src/domain/phone-mask';

export type GridClassName = 'A' | 'B' | 'C';
export type AreaGeometry = Polygon | MultiPolygon;
export type Bounds = [number, number, number, number];

/** A blue (territory), B orange (industry), C purple (key unit). */
export const CLASS_COLORS: Record<GridClassName, string> = { A: '#1677ff', B: '#fa8c16', C: '#722ed1' };
/** antd Tag colours of the same hues. */
export const CLASS_TAG: Record<GridClassName, string> = { A: 'blue', B: 'orange', C: 'purple' };
export const GAP_COLOR = '#f5222d';
export const OVERLAP_COLOR = '#fa8c16';

export function asArea(g: { type: string; coordinates: unknown }): AreaGeometry {
  return g as AreaGeometry;
}

export function polygonsOf(g: AreaGeometry): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

export function boundsOf(geometries: readonly { type: string; coordinates: unknown }[]): Bounds | null {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of geometries) {
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') continue;
    for (const p of polygonsOf(g as AreaGeometry)) {
      for (const [x, y] of p[0] ?? []) {
        if (x === undefined || y === undefined) continue;
        w = Math.min(w, x);
        e = Math.max(e, x);
        s = Math.min(s, y);
        n = Math.max(n, y);
      }
    }
  }
  return Number.isFinite(w) ? [w, s, e, n] : null;
}

export function vertexCount(g: AreaGeometry): number {
  return polygonsOf(g).reduce((sum, p) => sum + p.reduce((k, ring) => k + ring.length, 0), 0);
}

/** 116.123456789 → 116.123457: a millimetre-free coordinate to send back. */
export const round7 = (n: number) => Math.round(n * 1e7) / 1e7;

/** m² in the reader's units: 1 234 m², or km² when large. */
export function fmtArea(m2: number, lang: string): string {
  const nf = new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: m2 < 10 ? 2 : 0 });
  return `${nf.format(m2)} m²`;
}

/** 13812341234 → 138****1234 (the server already masks for readers who do not call people). */
export function maskPhone(phone: string | null): string {
  if (!phone) return '—';
  if (phone.includes('*')) return phone;
  return maskDigits(phone);
}

function inRing(x: number, y: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function contains(g: AreaGeometry, [x, y]: Position): boolean {
  return polygonsOf(g).some(([outer, ...holes]) => !!outer && inRing(x!, y!, outer) && !holes.some((h) => inRing(x!, y!, h)));
}

const key = (p: Position) => `${round7(p[0]!)},${round7(p[1]!)}`;
const vertices = (g: AreaGeometry) => polygonsOf(g).flatMap((p) => p.flat());

/**
 * Neighbours an edited outline probably reaches into: a moved or new vertex inside a neighbour, or a neighbour's
 * vertex newly inside the outline. A quick local hint before saving (the coverage check measures overlaps exactly);
 * vertices shared with the old outline are left out, as a point on a shared edge is neither in nor out.
 */
export function reachesInto<T extends { geometry: AreaGeometry }>(before: AreaGeometry | null, after: AreaGeometry, neighbours: readonly T[]): T[] {
  const old = new Set(before ? vertices(before).map(key) : []);
  const moved = vertices(after).filter((p) => !old.has(key(p)));
  return neighbours.filter(
    (n) =>
      moved.some((p) => contains(n.geometry, p)) ||
      vertices(n.geometry).some((p) => !old.has(key(p)) && contains(after, p) && !(before && contains(before, p))),
  );
}

/** Area in square degrees scaled by cos(latitude): enough to compare two outlines of one grid. */
export function planarArea(g: AreaGeometry): number {
  const ringArea = (ring: Position[]) => {
    let a = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
    return Math.abs(a / 2);
  };
  const lat = polygonsOf(g)[0]?.[0]?.[0]?.[1] ?? 0;
  const k = Math.cos((lat * Math.PI) / 180);
  return k * polygonsOf(g).reduce((sum, [outer, ...holes]) => sum + (outer ? ringArea(outer) : 0) - holes.reduce((h, r) => h + ringArea(r), 0), 0);
}
