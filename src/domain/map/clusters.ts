// Map clustering and heat cells over an in-memory point set, the pure parts.
//
// Clusters are cells of a fixed pixel size on the Web Mercator pixel grid of the requested zoom: a cell sits at
// the same place in the world whatever the viewport, so clusters do not jump while the map pans, and every case
// in the bounding box lands in exactly one feature — the counts of the features sum to the cases in the box.
// Only points inside the box are counted (a cell cut by the box's edge counts its inside part).
import Flatbush from 'flatbush';
import { CASE_STATES, OPEN_CASE_STATES, URGENCIES, type CaseState, type Urgency, type WarningLevel } from '../../shared/vocabulary.js';
import { isClocked } from '../cases/time-limits.js';
import { FINEST, PYRAMID_FROM, buildPyramid, indexOfId, lowerBound, mortonCode, mortonOrder, type Pyramid } from './pyramid.js';

/** Cluster cell side, in screen pixels. */
export const CLUSTER_CELL_PX = 64;
/** Heat cell side, in screen pixels. */
export const HEAT_CELL_PX = 16;
/** From this zoom the points are shown one by one, as long as the box holds at most MAX_SINGLE_POINTS. */
export const SINGLE_POINTS_ZOOM = 17;
export const MAX_SINGLE_POINTS = 3000;
export const MAX_ZOOM = 20;
/**
 * The most cells one answer may count: a 4K screen of 16 px heat cells is 33 000, so 262 144 (a 8192 px square of
 * heat cells, 32768 px of 64 px clusters) is plenty. The cell arrays grow with the box: the world at zoom 9 would
 * be a billion heat cells.
 */
export const MAX_CELLS = 262_144;

/** A box that would need more than MAX_CELLS cells at its zoom. */
export class BoxTooLarge extends Error {
  constructor(readonly cells: number) {
    super(`the box needs ${cells} cells, at most ${MAX_CELLS}`);
  }
}

/** How many cells of cellPx pixels the box touches at a zoom (Web Mercator, 256 px tiles). */
export function cellCount(bbox: Bbox, zoom: number, cellPx: number): number {
  const scale = (256 * 2 ** zoom) / cellPx;
  const cols = Math.floor(mercatorX(bbox[2]) * scale) - Math.floor(mercatorX(bbox[0]) * scale) + 1;
  const rows = Math.floor(mercatorY(bbox[1]) * scale) - Math.floor(mercatorY(bbox[3]) * scale) + 1;
  return cols * rows;
}

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
  /** the case's area path ('' when unrouted); only the grid load reads it */
  areaPath?: string | null;
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
  /** 1 when the state has a running clock (a warning colour applies) */
  clocked: Uint8Array;
  urgency: Uint8Array;
  /** epoch ms, NaN when the case has no running clock */
  warnMs: Float64Array;
  dueMs: Float64Array;
  /** index of the case's area path in `areas` */
  area: Int32Array;
  areas: readonly string[];
  index: Flatbush | null;
  /** cell sums on every zoom's pixel grid (large sets, whose points are then in Morton order) */
  pyramid: Pyramid | null;
  /** the points' bounding box (west, south, east, north); empty sets have an inverted one */
  extent: Bbox;
  /** typed-array bytes, for the cache's budget */
  bytes: number;
}

/** A point set, less the cases listed in `skip` (changed since the set was built: they live in a newer set). */
export interface PointSource {
  set: PointSet;
  skip?: ReadonlySet<number> | undefined;
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

/**
 * The points of a set as plain columns, as the database hands them over in bulk (src/data/repos/map/map.ts): no
 * object per case, so a million cases load without a million rows, strings and dates to collect.
 */
export interface PointColumns {
  size: number;
  ids: Int32Array;
  lng: Float64Array;
  lat: Float64Array;
  /** index in CASE_STATES */
  state: Uint8Array;
  /** index in URGENCIES */
  urgency: Uint8Array;
  /** epoch ms, NaN when none */
  warnMs: Float64Array;
  dueMs: Float64Array;
  /** index of the case's area path in `areas` ('' when unrouted) */
  area: Int32Array;
  areas: string[];
}

/** Empty columns for `n` points, to be filled in place. */
export function pointColumns(n: number): PointColumns {
  return {
    size: n,
    ids: new Int32Array(n),
    lng: new Float64Array(n),
    lat: new Float64Array(n),
    state: new Uint8Array(n),
    urgency: new Uint8Array(n),
    warnMs: new Float64Array(n),
    dueMs: new Float64Array(n),
    area: new Int32Array(n),
    areas: [],
  };
}

/** Several column sets end to end (the parts of a scope: its area and what it adds beyond it). */
export function concatColumns(parts: readonly PointColumns[]): PointColumns {
  if (parts.length === 1) return parts[0]!;
  const out = pointColumns(parts.reduce((n, p) => n + p.size, 0));
  let at = 0;
  const areaIndex = new Map<string, number>();
  for (const p of parts) {
    const remap = p.areas.map((a) => {
      let k = areaIndex.get(a);
      if (k === undefined) areaIndex.set(a, (k = out.areas.push(a) - 1));
      return k;
    });
    for (let i = 0; i < p.size; i++) out.area[at + i] = remap[p.area[i]!]!;
    out.ids.set(p.ids.subarray(0, p.size), at);
    out.lng.set(p.lng.subarray(0, p.size), at);
    out.lat.set(p.lat.subarray(0, p.size), at);
    out.state.set(p.state.subarray(0, p.size), at);
    out.urgency.set(p.urgency.subarray(0, p.size), at);
    out.warnMs.set(p.warnMs.subarray(0, p.size), at);
    out.dueMs.set(p.dueMs.subarray(0, p.size), at);
    at += p.size;
  }
  return out;
}

export function buildPointSet(rows: readonly PointRow[], o: { pyramid?: boolean } = {}): PointSet {
  return buildPointSetFromColumns(columnsOf(rows), o);
}

/** Point rows as columns. */
export function columnsOf(rows: readonly PointRow[]): PointColumns {
  const cols = pointColumns(rows.length);
  const areaIndex = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const path = r.areaPath ?? '';
    let k = areaIndex.get(path);
    if (k === undefined) areaIndex.set(path, (k = cols.areas.push(path) - 1));
    cols.area[i] = k;
    cols.ids[i] = r.id;
    cols.lng[i] = r.lng;
    cols.lat[i] = r.lat;
    cols.state[i] = STATE_INDEX.get(r.state) ?? 0;
    cols.urgency[i] = URGENCY_INDEX.get(r.urgency) ?? 0;
    cols.warnMs[i] = r.warnAt ? r.warnAt.getTime() : NaN;
    cols.dueMs[i] = r.dueAt ? r.dueAt.getTime() : NaN;
  }
  return cols;
}

const CLOCKED_CODES = Uint8Array.from(CASE_STATES, (s) => (isClocked(s) ? 1 : 0));
const OPEN_CODES = Uint8Array.from(CASE_STATES, (s) => ((OPEN_CASE_STATES as readonly string[]).includes(s) ? 1 : 0));

/**
 * A point set over the columns (kept as they are, not copied), with Web Mercator positions and the spatial index.
 * A large set (PYRAMID_FROM points, or `pyramid: true`) is put in Morton order and gets cell sums on every level
 * (src/domain/map/pyramid.ts), so zoomed-out views and heat count cells instead of points.
 */
export function buildPointSetFromColumns(cols: PointColumns, o: { pyramid?: boolean } = {}): PointSet {
  const n = cols.size;
  const fit = <T extends { length: number; slice(a: number, b: number): T }>(a: T): T => (a.length === n ? a : a.slice(0, n));
  let ids = fit(cols.ids);
  let lng = fit(cols.lng);
  let lat = fit(cols.lat);
  let state = fit(cols.state);
  let urgency = fit(cols.urgency);
  let warnMs = fit(cols.warnMs);
  let dueMs = fit(cols.dueMs);
  let area = fit(cols.area);
  let mx = new Float64Array(n);
  let my = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mx[i] = mercatorX(lng[i]!);
    my[i] = mercatorY(lat[i]!);
  }
  const withPyramid = n > 0 && (o.pyramid ?? n >= PYRAMID_FROM);
  if (withPyramid) {
    const order = mortonOrder(mx, my, n);
    const permute = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      const out = new (a.constructor as new (n: number) => T)(n);
      for (let i = 0; i < n; i++) out[i] = a[order[i]!]!;
      return out;
    };
    [ids, lng, lat, state, urgency, warnMs, dueMs, area, mx, my] = [
      permute(ids), permute(lng), permute(lat), permute(state), permute(urgency), permute(warnMs), permute(dueMs), permute(area), permute(mx), permute(my),
    ];
  }
  const set: PointSet = {
    size: n,
    ids,
    lng,
    lat,
    mx,
    my,
    state,
    clocked: new Uint8Array(n),
    urgency,
    warnMs,
    dueMs,
    area,
    areas: cols.areas,
    index: null,
    pyramid: null,
    extent: [Infinity, Infinity, -Infinity, -Infinity],
    bytes: 0,
  };
  const index = n > 0 ? new Flatbush(n) : null;
  const { clocked, extent } = set;
  for (let i = 0; i < n; i++) {
    const x = lng[i]!;
    const y = lat[i]!;
    clocked[i] = CLOCKED_CODES[state[i]!] ?? 0;
    index?.add(x, y, x, y);
    if (x < extent[0]) extent[0] = x;
    if (y < extent[1]) extent[1] = y;
    if (x > extent[2]) extent[2] = x;
    if (y > extent[3]) extent[3] = y;
  }
  index?.finish();
  set.index = index;
  if (withPyramid) set.pyramid = buildPyramid(set);
  set.bytes = n * (4 + 8 * 6 + 3 + 4) + (index ? index.data.byteLength : 0) + (set.pyramid?.bytes ?? 0);
  return set;
}

/**
 * Open and overdue cases per area path now, over sets of open cases (the grid load): overdue is a running clock
 * past due, as the case list's red. Each case is counted once (skipped ids live in a newer set).
 */
export function openLoad(sources: readonly PointSource[], now: number): Map<string, { open: number; overdue: number }> {
  const out = new Map<string, { open: number; overdue: number }>();
  for (const { set, skip } of sources) {
    const open = new Int32Array(set.areas.length);
    const overdue = new Int32Array(set.areas.length);
    const skipping = skip != null && skip.size > 0;
    for (let i = 0; i < set.size; i++) {
      if (OPEN_CODES[set.state[i]!] !== 1) continue;
      if (skipping && skip.has(set.ids[i]!)) continue;
      const a = set.area[i]!;
      open[a]!++;
      if (set.clocked[i] && set.dueMs[i]! <= now) overdue[a]!++;
    }
    set.areas.forEach((path, a) => {
      if (!open[a]) return;
      const prev = out.get(path) ?? { open: 0, overdue: 0 };
      out.set(path, { open: prev.open + open[a]!, overdue: prev.overdue + overdue[a]! });
    });
  }
  return out;
}

/** The warning colour of a point at `now`, as the case list judges it (a suspended clock shows none). */
export function warningAt(set: PointSet, i: number, now: number): WarningLevel {
  if (!set.clocked[i]) return 'green';
  const due = set.dueMs[i]!;
  if (Number.isNaN(due) || Number.isNaN(set.warnMs[i]!)) return 'green';
  if (now >= due) return 'red';
  if (now >= set.warnMs[i]!) return 'yellow';
  return 'green';
}

const ALL_STATES = (1 << CASE_STATES.length) - 1;

/** A bit per case state, in CASE_STATES order; all states when none are given. */
export function stateMask(states: readonly CaseState[] | undefined): number {
  if (!states?.length) return (1 << CASE_STATES.length) - 1;
  let mask = 0;
  for (const s of states) mask |= 1 << STATE_INDEX.get(s)!;
  return mask;
}

export type Bbox = [west: number, south: number, east: number, north: number];

/** Below this many points a plain pass over the arrays beats walking the tree, whatever the box. */
const SCAN_BELOW = 300_000;

/**
 * Calls `visit` for every point inside the box (edges included) whose state is in the mask and whose id is not
 * skipped. Small sets, and boxes that take in most of a set, are read straight through the arrays; a small box
 * over a large set walks the tree.
 */
export function eachPointIn(set: PointSet, bbox: Bbox, mask: number, skip: ReadonlySet<number> | undefined, visit: (i: number) => void): void {
  if (set.size === 0) return;
  const [w, s, e, n] = bbox;
  const [x0, y0, x1, y1] = set.extent;
  const skipping = skip != null && skip.size > 0;
  const { lng, lat, state, ids } = set;
  const inside = w <= x0 && s <= y0 && e >= x1 && n >= y1;
  if (inside || set.size < SCAN_BELOW) {
    for (let i = 0; i < set.size; i++) {
      if (!inside) {
        const x = lng[i]!;
        const y = lat[i]!;
        if (x < w || x > e || y < s || y > n) continue;
      }
      if (((mask >> state[i]!) & 1) === 0) continue;
      if (skipping && skip.has(ids[i]!)) continue;
      visit(i);
    }
    return;
  }
  set.index!.search(w, s, e, n, (i) => {
    if (((mask >> state[i]!) & 1) === 1 && !(skipping && skip.has(ids[i]!))) visit(i);
    return false;
  });
}

/** Indices of the points inside the box whose state is in the mask and whose id is not skipped. */
export function pointsIn(set: PointSet, bbox: Bbox, mask: number, skip?: ReadonlySet<number>): number[] {
  const out: number[] = [];
  eachPointIn(set, bbox, mask, skip, (i) => out.push(i));
  return out;
}

/** How many points are inside the box (as pointsIn, without the list). */
export function countIn(set: PointSet, bbox: Bbox, mask: number, skip?: ReadonlySet<number>): number {
  let n = 0;
  eachPointIn(set, bbox, mask, skip, () => n++);
  return n;
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

/**
 * Accumulators for the cells of the pixel grid that the box touches, in flat typed arrays (a few hundred cells for
 * a screen): one pass over the points, no per-point allocation.
 */
class CellGrid {
  readonly x0: number;
  readonly y0: number;
  readonly cols: number;
  readonly scale: number;
  readonly count: Int32Array;
  readonly red: Int32Array;
  readonly yellow: Int32Array;
  readonly sumLng: Float64Array;
  readonly sumLat: Float64Array;
  readonly minX: Float64Array;
  readonly maxX: Float64Array;
  readonly minY: Float64Array;
  readonly maxY: Float64Array;
  /** the first point of each cell: [source, index] */
  readonly firstSource: Int32Array;
  readonly firstIndex: Int32Array;

  constructor(bbox: Bbox, zoom: number, cellPx: number) {
    this.scale = (256 * 2 ** zoom) / cellPx; // cells per world
    this.x0 = Math.floor(mercatorX(bbox[0]) * this.scale);
    const x1 = Math.floor(mercatorX(bbox[2]) * this.scale);
    this.y0 = Math.floor(mercatorY(bbox[3]) * this.scale);
    const y1 = Math.floor(mercatorY(bbox[1]) * this.scale);
    this.cols = x1 - this.x0 + 1;
    const n = this.cols * (y1 - this.y0 + 1);
    if (!(n <= MAX_CELLS)) throw new BoxTooLarge(n);
    this.count = new Int32Array(n);
    this.red = new Int32Array(n);
    this.yellow = new Int32Array(n);
    this.sumLng = new Float64Array(n);
    this.sumLat = new Float64Array(n);
    this.minX = new Float64Array(n).fill(Infinity);
    this.maxX = new Float64Array(n).fill(-Infinity);
    this.minY = new Float64Array(n).fill(Infinity);
    this.maxY = new Float64Array(n).fill(-Infinity);
    this.firstSource = new Int32Array(n);
    this.firstIndex = new Int32Array(n);
  }

  add(set: PointSet, source: number, bbox: Bbox, mask: number, skip: ReadonlySet<number> | undefined, now: number): number {
    const fromCells = this.addCells(set, source, bbox, mask, skip, now);
    if (fromCells >= 0) return fromCells;
    const { scale, x0, y0, cols } = this;
    let added = 0;
    eachPointIn(set, bbox, mask, skip, (i) => {
      added++;
      const c = (Math.floor(set.my[i]! * scale) - y0) * cols + (Math.floor(set.mx[i]! * scale) - x0);
      this.addPoint(set, source, i, c, now);
    });
    return added;
  }

  /**
   * The pyramid's way (src/domain/map/pyramid.ts): cells wholly inside the box from the level's table, cells cut by
   * the box or holding a skipped case point by point, warning colours from the points whose clock runs. −1 when
   * the set has no table for this grid's level, or only some states are asked for (then every point is visited).
   */
  private addCells(set: PointSet, source: number, bbox: Bbox, mask: number, skip: ReadonlySet<number> | undefined, now: number): number {
    const p = set.pyramid;
    if (!p || mask !== ALL_STATES) return -1;
    const k = Math.log2(this.scale);
    if (!Number.isInteger(k) || k < 0 || k > FINEST) return -1;
    const t = p.levels[k];
    if (!t) return -1;
    const { scale, x0, y0, cols } = this;
    const rows = this.count.length / cols;
    const [w, s, e, n] = bbox;
    // the box in Web Mercator, a hair inside: a cell whose points all lie within it is inside in degrees too
    const EPS = 1e-12;
    const bw = mercatorX(w) + EPS;
    const be = mercatorX(e) - EPS;
    const bn = mercatorY(n) + EPS;
    const bs = mercatorY(s) - EPS;
    // cells holding a case changed since the set was built are counted point by point
    const dirty = new Set<number>();
    if (skip) {
      for (const id of skip) {
        const i = indexOfId(p, set.ids, id);
        if (i >= 0) dirty.add(Math.floor(set.my[i]! * scale) * 2 ** 27 + Math.floor(set.mx[i]! * scale));
      }
    }
    const byPoint = new Uint8Array(this.count.length);
    let added = 0;
    const { lng, lat, mx, my, ids } = set;
    const skipping = skip != null && skip.size > 0;
    // Morton order grows with x and y: the box's cells lie between its top-left and bottom-right cell's codes
    const qEnd = lowerBound(t, mortonCode(x0 + cols - 1, y0 + rows - 1) + 1);
    for (let q = lowerBound(t, mortonCode(Math.max(0, x0), Math.max(0, y0))); q < qEnd; q++) {
      const cx = t.cx[q]! - x0;
      const cy = t.cy[q]! - y0;
      if (cx < 0 || cx >= cols || cy < 0 || cy >= rows) continue;
      const c = cy * cols + cx;
      const inside = t.minX[q]! >= bw && t.maxX[q]! <= be && t.minY[q]! >= bn && t.maxY[q]! <= bs;
      if (inside && !dirty.has(t.cy[q]! * 2 ** 27 + t.cx[q]!)) {
        const m = t.end[q]! - t.start[q]!;
        if (this.count[c] === 0) {
          this.firstSource[c] = source;
          this.firstIndex[c] = t.start[q]!;
        }
        this.count[c]! += m;
        this.sumLng[c] = this.sumLng[c]! + t.sumLng[q]!;
        this.sumLat[c] = this.sumLat[c]! + t.sumLat[q]!;
        if (t.minX[q]! * scale < this.minX[c]!) this.minX[c] = t.minX[q]! * scale;
        if (t.maxX[q]! * scale > this.maxX[c]!) this.maxX[c] = t.maxX[q]! * scale;
        if (t.minY[q]! * scale < this.minY[c]!) this.minY[c] = t.minY[q]! * scale;
        if (t.maxY[q]! * scale > this.maxY[c]!) this.maxY[c] = t.maxY[q]! * scale;
        added += m;
        continue;
      }
      byPoint[c] = 1;
      for (let i = t.start[q]!; i < t.end[q]!; i++) {
        const x = lng[i]!;
        const y = lat[i]!;
        if (x < w || x > e || y < s || y > n) continue;
        if (skipping && skip.has(ids[i]!)) continue;
        added++;
        this.addPoint(set, source, i, c, now);
      }
    }
    // warning colours of the cells taken whole, from the points whose clock runs
    for (const i of p.clocked) {
      const cx = Math.floor(mx[i]! * scale) - x0;
      const cy = Math.floor(my[i]! * scale) - y0;
      if (cx < 0 || cx >= cols || cy < 0 || cy >= rows) continue;
      const c = cy * cols + cx;
      if (byPoint[c]) continue;
      const x = lng[i]!;
      const y = lat[i]!;
      if (x < w || x > e || y < s || y > n) continue;
      const level = warningAt(set, i, now);
      if (level === 'red') this.red[c]!++;
      else if (level === 'yellow') this.yellow[c]!++;
    }
    return added;
  }

  private addPoint(set: PointSet, source: number, i: number, c: number, now: number): void {
    const x = set.mx[i]! * this.scale;
    const y = set.my[i]! * this.scale;
    if (this.count[c] === 0) {
      this.firstSource[c] = source;
      this.firstIndex[c] = i;
    }
    this.count[c]!++;
    this.sumLng[c] = this.sumLng[c]! + set.lng[i]!;
    this.sumLat[c] = this.sumLat[c]! + set.lat[i]!;
    if (set.clocked[i]) {
      const level = warningAt(set, i, now);
      if (level === 'red') this.red[c]!++;
      else if (level === 'yellow') this.yellow[c]!++;
    }
    if (x < this.minX[c]!) this.minX[c] = x;
    if (x > this.maxX[c]!) this.maxX[c] = x;
    if (y < this.minY[c]!) this.minY[c] = y;
    if (y > this.maxY[c]!) this.maxY[c] = y;
  }
}

/**
 * Clusters (zoomed out) or single points (zoomed in) for the cases in a box. A cell holding one case is shown as
 * that case. At SINGLE_POINTS_ZOOM and beyond every case is shown alone unless the box holds too many to draw.
 */
export function clusterPoints(sources: readonly PointSource[], bbox: Bbox, zoom: number, mask: number, now: number): ClusterResult {
  if (zoom >= SINGLE_POINTS_ZOOM) {
    const total = sources.reduce((n, s) => n + countIn(s.set, bbox, mask, s.skip), 0);
    if (total <= MAX_SINGLE_POINTS) {
      const features = sources.flatMap((s) => pointsIn(s.set, bbox, mask, s.skip).map((i) => pointFeature(s.set, i, now)));
      return { features, total, clustered: false };
    }
  }
  const grid = new CellGrid(bbox, zoom, CLUSTER_CELL_PX);
  const total = sources.reduce((n, s, k) => n + grid.add(s.set, k, bbox, mask, s.skip, now), 0);
  const features: MapFeature<ClusterProps | PointProps>[] = [];
  for (let c = 0; c < grid.count.length; c++) {
    const count = grid.count[c]!;
    if (count === 0) continue;
    if (count === 1) {
      features.push(pointFeature(sources[grid.firstSource[c]!]!.set, grid.firstIndex[c]!, now));
      continue;
    }
    // The points spread over (extent × 2^k) cells k zooms further in: they part once that reaches one cell.
    const extent = Math.max(grid.maxX[c]! - grid.minX[c]!, grid.maxY[c]! - grid.minY[c]!);
    const k = extent > 0 ? Math.max(1, Math.ceil(Math.log2(1 / extent))) : MAX_ZOOM - zoom;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [grid.sumLng[c]! / count, grid.sumLat[c]! / count] },
      properties: {
        cluster: true,
        count,
        red: grid.red[c]!,
        yellow: grid.yellow[c]!,
        green: count - grid.red[c]! - grid.yellow[c]!,
        expansionZoom: Math.min(MAX_ZOOM, Math.max(zoom + 1, zoom + k)),
      },
    });
  }
  return { features, total, clustered: true };
}

export interface HeatProps {
  count: number;
  /** cases of the cell with a running clock past due */
  overdue: number;
  /** count relative to the busiest cell in the box, in (0, 1] */
  weight: number;
}

/** Heat cells: cases per small cell of the pixel grid, placed at the cell's mean position, weighted 0–1. */
export function heatCells(
  sources: readonly PointSource[],
  bbox: Bbox,
  zoom: number,
  mask: number,
  now: number,
): { features: MapFeature<HeatProps>[]; total: number; max: number } {
  const grid = new CellGrid(bbox, zoom, HEAT_CELL_PX);
  const total = sources.reduce((n, s, k) => n + grid.add(s.set, k, bbox, mask, s.skip, now), 0);
  let max = 0;
  for (let c = 0; c < grid.count.length; c++) if (grid.count[c]! > max) max = grid.count[c]!;
  const features: MapFeature<HeatProps>[] = [];
  for (let c = 0; c < grid.count.length; c++) {
    const count = grid.count[c]!;
    if (count === 0) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [grid.sumLng[c]! / count, grid.sumLat[c]! / count] },
      properties: { count, overdue: grid.red[c]!, weight: count / max },
    });
  }
  return { features, total, max };
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
