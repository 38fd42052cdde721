// Map clustering and heat cells over an in-memory point set, the pure parts.
//
// Clusters are cells of a fixed pixel size on the Web Mercator pixel grid of the requested zoom: a cell sits at
// the same place in the world whatever the viewport, so clusters do not jump while the map pans, and every case
// in the bounding box lands in exactly one feature — the counts of the features sum to the cases in the box.
// Only points inside the box are counted (a cell cut by the box's edge counts its inside part).
import Flatbush from 'flatbush';
import { CASE_STATES, URGENCIES, type CaseState, type Urgency, type WarningLevel } from '../shared/vocabulary.js';

/** Cluster cell side, in screen pixels. */
export const CLUSTER_CELL_PX = 64;
/** Heat cell side, in screen pixels. */
export const HEAT_CELL_PX = 16;
/** From this zoom the points are shown one by one, as long as the box holds at most MAX_SINGLE_POINTS. */
export const SINGLE_POINTS_ZOOM = 17;
export const MAX_SINGLE_POINTS = 3000;
export const MAX_ZOOM = 20;

const CLOCKED = new Set<CaseState>(['dispatched', 'in_progress', 'handled']);
const STATE_INDEX = new Map(CASE_STATES.map((s, i) => [s, i]));
const URGENCY_INDEX = new Map(URGENCIES.map((u, i) => [u, i]));

export interface PointRow {
  id: number;
  lng: number;
  lat: number;
  state: CaseState;
  urgency: Urgency;
  warnAt: Date | null;
  dueAt: Date | null;
}

/** Points as typed arrays (a million cases take tens of MB, not the hundreds GeoJSON objects would). */
export interface PointSet {
  size: number;
  ids: Int32Array;
  lng: Float64Array;
  lat: Float64Array;
  /** Web Mercator x and y in [0, 1] (zoom 0, one world) */
  mx: Float64Array;
  my: Float64Array;
  state: Uint8Array;
  urgency: Uint8Array;
  /** epoch ms, NaN when the case has no running clock */
  warnMs: Float64Array;
  dueMs: Float64Array;
  index: Flatbush | null;
  /** typed-array bytes, for the cache's budget */
  bytes: number;
}

export function mercatorX(lng: number): number {
  return (lng + 180) / 360;
}

export function mercatorY(lat: number): number {
  const s = Math.sin((Math.max(-85.05112878, Math.min(85.05112878, lat)) * Math.PI) / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
}

export function unmercatorX(x: number): number {
  return x * 360 - 180;
}

export function unmercatorY(y: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
}

export function buildPointSet(rows: readonly PointRow[]): PointSet {
  const n = rows.length;
  const set: PointSet = {
    size: n,
    ids: new Int32Array(n),
    lng: new Float64Array(n),
    lat: new Float64Array(n),
    mx: new Float64Array(n),
    my: new Float64Array(n),
    state: new Uint8Array(n),
    urgency: new Uint8Array(n),
    warnMs: new Float64Array(n),
    dueMs: new Float64Array(n),
    index: null,
    bytes: 0,
  };
  const index = n > 0 ? new Flatbush(n) : null;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    set.ids[i] = r.id;
    set.lng[i] = r.lng;
    set.lat[i] = r.lat;
    set.mx[i] = mercatorX(r.lng);
    set.my[i] = mercatorY(r.lat);
    set.state[i] = STATE_INDEX.get(r.state) ?? 0;
    set.urgency[i] = URGENCY_INDEX.get(r.urgency) ?? 0;
    set.warnMs[i] = r.warnAt ? r.warnAt.getTime() : NaN;
    set.dueMs[i] = r.dueAt ? r.dueAt.getTime() : NaN;
    index?.add(r.lng, r.lat, r.lng, r.lat);
  }
  index?.finish();
  set.index = index;
  set.bytes = n * (4 + 8 * 6 + 2) + (index ? index.data.byteLength : 0);
  return set;
}

/** The warning colour of a point at `now`, as the case list judges it (a suspended clock shows none). */
export function warningAt(set: PointSet, i: number, now: number): WarningLevel {
  if (!CLOCKED.has(CASE_STATES[set.state[i]!]!)) return 'green';
  const due = set.dueMs[i]!;
  if (Number.isNaN(due) || Number.isNaN(set.warnMs[i]!)) return 'green';
  if (now >= due) return 'red';
  if (now >= set.warnMs[i]!) return 'yellow';
  return 'green';
}

/** A bit per case state, in CASE_STATES order; all states when none are given. */
export function stateMask(states: readonly CaseState[] | undefined): number {
  if (!states?.length) return (1 << CASE_STATES.length) - 1;
  let mask = 0;
  for (const s of states) mask |= 1 << STATE_INDEX.get(s)!;
  return mask;
}

export type Bbox = [west: number, south: number, east: number, north: number];

/** Indices of the points inside the box (edges included) whose state is in the mask. */
export function pointsIn(set: PointSet, bbox: Bbox, mask: number): number[] {
  if (!set.index) return [];
  const [w, s, e, n] = bbox;
  return set.index.search(w, s, e, n, (i) => ((mask >> set.state[i]!) & 1) === 1);
}

export interface ClusterProps {
  cluster: true;
  count: number;
  red: number;
  yellow: number;
  green: number;
  /** the zoom at which this cluster falls apart into smaller ones (click to zoom there) */
  expansionZoom: number;
}

export interface PointProps {
  cluster: false;
  id: number;
  state: CaseState;
  warningLevel: WarningLevel;
  urgency: Urgency;
}

export interface MapFeature<P> {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: P;
}

export interface ClusterResult {
  features: MapFeature<ClusterProps | PointProps>[];
  /** cases in the box: the sum of the features' counts */
  total: number;
  clustered: boolean;
}

function pointFeature(set: PointSet, i: number, now: number): MapFeature<PointProps> {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [set.lng[i]!, set.lat[i]!] },
    properties: { cluster: false, id: set.ids[i]!, state: CASE_STATES[set.state[i]!]!, warningLevel: warningAt(set, i, now), urgency: URGENCIES[set.urgency[i]!]! },
  };
}

interface Cell {
  /** first point, kept for cells that hold only one */
  first: number;
  count: number;
  sumLng: number;
  sumLat: number;
  red: number;
  yellow: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

function binPoints(set: PointSet, idx: readonly number[], zoom: number, cellPx: number, now: number): Map<number, Cell> {
  const scale = (256 * 2 ** zoom) / cellPx; // cells per world
  const cols = Math.ceil(scale);
  const cells = new Map<number, Cell>();
  for (const i of idx) {
    const x = set.mx[i]! * scale;
    const y = set.my[i]! * scale;
    const key = Math.floor(y) * cols + Math.floor(x);
    let c = cells.get(key);
    if (!c) {
      c = { first: i, count: 0, sumLng: 0, sumLat: 0, red: 0, yellow: 0, minX: x, maxX: x, minY: y, maxY: y };
      cells.set(key, c);
    }
    c.count++;
    c.sumLng += set.lng[i]!;
    c.sumLat += set.lat[i]!;
    const w = warningAt(set, i, now);
    if (w === 'red') c.red++;
    else if (w === 'yellow') c.yellow++;
    if (x < c.minX) c.minX = x;
    if (x > c.maxX) c.maxX = x;
    if (y < c.minY) c.minY = y;
    if (y > c.maxY) c.maxY = y;
  }
  return cells;
}

/**
 * Clusters (zoomed out) or single points (zoomed in) for the cases in a box. A cell holding one case is shown as
 * that case. At SINGLE_POINTS_ZOOM and beyond every case is shown alone unless the box holds too many to draw.
 */
export function clusterPoints(set: PointSet, bbox: Bbox, zoom: number, mask: number, now: number): ClusterResult {
  const idx = pointsIn(set, bbox, mask);
  if (zoom >= SINGLE_POINTS_ZOOM && idx.length <= MAX_SINGLE_POINTS) {
    return { features: idx.map((i) => pointFeature(set, i, now)), total: idx.length, clustered: false };
  }
  const cells = binPoints(set, idx, zoom, CLUSTER_CELL_PX, now);
  const features: MapFeature<ClusterProps | PointProps>[] = [];
  for (const c of cells.values()) {
    if (c.count === 1) {
      features.push(pointFeature(set, c.first, now));
      continue;
    }
    // The points spread over (extent × 2^k) cells k zooms further in: they part once that reaches one cell.
    const extent = Math.max(c.maxX - c.minX, c.maxY - c.minY);
    const k = extent > 0 ? Math.max(1, Math.ceil(Math.log2(1 / extent))) : MAX_ZOOM - zoom;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [c.sumLng / c.count, c.sumLat / c.count] },
      properties: {
        cluster: true,
        count: c.count,
        red: c.red,
        yellow: c.yellow,
        green: c.count - c.red - c.yellow,
        expansionZoom: Math.min(MAX_ZOOM, Math.max(zoom + 1, zoom + k)),
      },
    });
  }
  return { features, total: idx.length, clustered: true };
}

export interface HeatProps {
  count: number;
  /** cases of the cell with a running clock past due */
  overdue: number;
  /** count relative to the busiest cell in the box, in (0, 1] */
  weight: number;
}

/** Heat cells: cases per small cell of the pixel grid, placed at the cell's mean position, weighted 0–1. */
export function heatCells(set: PointSet, bbox: Bbox, zoom: number, mask: number, now: number): { features: MapFeature<HeatProps>[]; total: number; max: number } {
  const idx = pointsIn(set, bbox, mask);
  const cells = binPoints(set, idx, zoom, HEAT_CELL_PX, now);
  let max = 0;
  for (const c of cells.values()) if (c.count > max) max = c.count;
  const features: MapFeature<HeatProps>[] = [];
  for (const c of cells.values()) {
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [c.sumLng / c.count, c.sumLat / c.count] },
      properties: { count: c.count, overdue: c.red, weight: c.count / max },
    });
  }
  return { features, total: idx.length, max };
}

/** The box a viewport of width × height pixels centred on a point shows at a zoom (for benchmarks and tests). */
export function viewportBbox(centre: [number, number], zoom: number, width: number, height: number): Bbox {
  const world = 256 * 2 ** zoom;
  const cx = mercatorX(centre[0]) * world;
  const cy = mercatorY(centre[1]) * world;
  return [
    unmercatorX((cx - width / 2) / world),
    unmercatorY((cy + height / 2) / world),
    unmercatorX((cx + width / 2) / world),
    unmercatorY((cy - height / 2) / world),
  ];
}
