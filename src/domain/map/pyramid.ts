// Cell sums of a large point set on every zoom's pixel grid, so a view counts cells, not points.
//
// The points of a large set are kept in Morton (Z) order of their cell at the finest level (2^26 cells a side: a
// 16 px heat cell at zoom 22), so the points of any coarser cell are one run of the arrays. For each level with
// fewer cells than half the points, a table gives each non-empty cell its run and its sums: count, summed position,
// and the extent of its points. A view whose cells are a level (64 px clusters: zoom + 2, 16 px heat: zoom + 4)
// takes a cell that lies wholly inside the box from the table; a cell cut by the box's edge, or holding a case
// changed since the set was built, is counted point by point from its run, as before. The warning colours change
// with the clock, so they are counted from the few points whose clock runs. The answer is the same, case for case,
// as counting every point (tests/unit/pyramid.test.ts).

/** The finest level: cells per world side = 2^FINEST. */
export const FINEST = 26;
/** Below this many points a set is counted point by point (no pyramid). */
export const PYRAMID_FROM = 20_000;

export interface LevelTable {
  size: number;
  /** Morton code of each cell at its level, ascending */
  code: Float64Array;
  cx: Int32Array;
  cy: Int32Array;
  /** the cell's run of points: [start, end) */
  start: Int32Array;
  end: Int32Array;
  sumLng: Float64Array;
  sumLat: Float64Array;
  /** the extent of the cell's points, Web Mercator (zoom 0) */
  minX: Float64Array;
  maxX: Float64Array;
  minY: Float64Array;
  maxY: Float64Array;
}

export interface Pyramid {
  /** per level 0..FINEST, null where the level has too many cells to be worth a table */
  levels: (LevelTable | null)[];
  /** indices of the points whose state runs a clock (their warning colour changes with time) */
  clocked: Int32Array;
  /** point indices in id order, to find a skipped case */
  byId: Int32Array;
  bytes: number;
}

function spread13(v: number): number {
  v &= 0x1fff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

const SIDE = 2 ** FINEST;

/** The finest cell of a Web Mercator coordinate (0..2^26 − 1). */
export function finestCell(m: number): number {
  const c = Math.floor(m * SIDE);
  return c < 0 ? 0 : c >= SIDE ? SIDE - 1 : c;
}

/** Morton keys of points at the finest level, as two 26-bit halves (high, low). */
function mortonKeys(mx: Float64Array, my: Float64Array, n: number): { hi: Uint32Array; lo: Uint32Array } {
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const x = finestCell(mx[i]!);
    const y = finestCell(my[i]!);
    lo[i] = (spread13(x) | (spread13(y) << 1)) >>> 0;
    hi[i] = (spread13(x >>> 13) | (spread13(y >>> 13) << 1)) >>> 0;
  }
  return { hi, lo };
}

/** A stable LSD radix sort of indices by (hi, lo), 13 bits a pass. */
function radixOrder(hi: Uint32Array, lo: Uint32Array, n: number): Int32Array {
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let tmp = new Int32Array(n);
  const counts = new Int32Array(8192);
  for (const [keys, shift] of [
    [lo, 0],
    [lo, 13],
    [hi, 0],
    [hi, 13],
  ] as const) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[order[i]!]! >>> shift) & 0x1fff]!++;
    let sum = 0;
    for (let b = 0; b < 8192; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const p = order[i]!;
      tmp[counts[(keys[p]! >>> shift) & 0x1fff]!++] = p;
    }
    [order, tmp] = [tmp, order];
  }
  return order;
}

/** The order in which a set's points are kept: Morton order of their finest cell. */
export function mortonOrder(mx: Float64Array, my: Float64Array, n: number): Int32Array {
  const { hi, lo } = mortonKeys(mx, my, n);
  return radixOrder(hi, lo, n);
}

interface PyramidInput {
  size: number;
  ids: Int32Array;
  lng: Float64Array;
  lat: Float64Array;
  mx: Float64Array;
  my: Float64Array;
  clocked: Uint8Array;
}

/** Morton code of cell (x, y) at a level (x, y < 2^26). */
export function mortonCode(x: number, y: number): number {
  return (spread13(x >>> 13) | (spread13(y >>> 13) << 1)) * 2 ** 26 + ((spread13(x) | (spread13(y) << 1)) >>> 0);
}

/**
 * The tables of a set whose points are already in Morton order: from the finest level that has at most a quarter
 * as many cells as points (finer ones are no cheaper than the points themselves), then each coarser level.
 */
export function buildPyramid(set: PyramidInput): Pyramid {
  const n = set.size;
  const fx = new Int32Array(n);
  const fy = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    fx[i] = finestCell(set.mx[i]!);
    fy[i] = finestCell(set.my[i]!);
  }
  const cellsAt = (k: number) => {
    const sh = FINEST - k;
    let cells = n > 0 ? 1 : 0;
    for (let i = 1; i < n; i++) if (fx[i]! >> sh !== fx[i - 1]! >> sh || fy[i]! >> sh !== fy[i - 1]! >> sh) cells++;
    return cells;
  };
  // the finest level with at most n / 4 cells (cells grow with the level)
  let lo = 0;
  let hi = FINEST;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cellsAt(mid) <= n / 4) lo = mid;
    else hi = mid - 1;
  }
  const levels: (LevelTable | null)[] = new Array(FINEST + 1).fill(null);
  let bytes = 0;
  let cur = pointTable(set, fx, fy, lo);
  for (let k = lo; k >= 0; k--) {
    levels[k] = cur;
    bytes += cur.size * (4 * 4 + 8 * 7);
    if (k > 0) cur = parentTable(cur);
  }
  let nc = 0;
  for (let i = 0; i < n; i++) if (set.clocked[i]) nc++;
  const clocked = new Int32Array(nc);
  nc = 0;
  for (let i = 0; i < n; i++) if (set.clocked[i]) clocked[nc++] = i;
  // ids are positive 31-bit integers: the same radix sort, high and low part
  const idHi = new Uint32Array(n);
  const idLo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    idHi[i] = set.ids[i]! >>> 26;
    idLo[i] = set.ids[i]! & 0x3ffffff;
  }
  const byId = radixOrder(idHi, idLo, n);
  bytes += clocked.byteLength + byId.byteLength;
  return { levels, clocked, byId, bytes };
}

function table(size: number): LevelTable {
  return {
    size,
    code: new Float64Array(size),
    cx: new Int32Array(size),
    cy: new Int32Array(size),
    start: new Int32Array(size),
    end: new Int32Array(size),
    sumLng: new Float64Array(size),
    sumLat: new Float64Array(size),
    minX: new Float64Array(size),
    maxX: new Float64Array(size),
    minY: new Float64Array(size),
    maxY: new Float64Array(size),
  };
}

/** The table of level k straight from the points. */
function pointTable(set: PyramidInput, fx: Int32Array, fy: Int32Array, k: number): LevelTable {
  const n = set.size;
  const sh = FINEST - k;
  const { lng, lat, mx, my } = set;
  let cells = 0;
  for (let i = 0; i < n; i++) if (i === 0 || fx[i]! >> sh !== fx[i - 1]! >> sh || fy[i]! >> sh !== fy[i - 1]! >> sh) cells++;
  const t = table(cells);
  let c = -1;
  for (let i = 0; i < n; i++) {
    if (i === 0 || fx[i]! >> sh !== fx[i - 1]! >> sh || fy[i]! >> sh !== fy[i - 1]! >> sh) {
      c++;
      t.cx[c] = fx[i]! >> sh;
      t.cy[c] = fy[i]! >> sh;
      t.code[c] = mortonCode(t.cx[c]!, t.cy[c]!);
      t.start[c] = i;
      t.minX[c] = Infinity;
      t.maxX[c] = -Infinity;
      t.minY[c] = Infinity;
      t.maxY[c] = -Infinity;
    }
    t.end[c] = i + 1;
    t.sumLng[c] = t.sumLng[c]! + lng[i]!;
    t.sumLat[c] = t.sumLat[c]! + lat[i]!;
    const x = mx[i]!;
    const y = my[i]!;
    if (x < t.minX[c]!) t.minX[c] = x;
    if (x > t.maxX[c]!) t.maxX[c] = x;
    if (y < t.minY[c]!) t.minY[c] = y;
    if (y > t.maxY[c]!) t.maxY[c] = y;
  }
  return t;
}

/** The next coarser level: in Morton order the four children of a cell are neighbours. */
function parentTable(t: LevelTable): LevelTable {
  let cells = 0;
  for (let i = 0; i < t.size; i++) {
    if (i === 0 || t.cx[i]! >> 1 !== t.cx[i - 1]! >> 1 || t.cy[i]! >> 1 !== t.cy[i - 1]! >> 1) cells++;
  }
  const p = table(cells);
  let c = -1;
  for (let i = 0; i < t.size; i++) {
    const x = t.cx[i]! >> 1;
    const y = t.cy[i]! >> 1;
    if (c < 0 || x !== p.cx[c] || y !== p.cy[c]) {
      c++;
      p.cx[c] = x;
      p.cy[c] = y;
      p.code[c] = Math.floor(t.code[i]! / 4);
      p.start[c] = t.start[i]!;
      p.minX[c] = Infinity;
      p.maxX[c] = -Infinity;
      p.minY[c] = Infinity;
      p.maxY[c] = -Infinity;
    }
    p.end[c] = t.end[i]!;
    p.sumLng[c] = p.sumLng[c]! + t.sumLng[i]!;
    p.sumLat[c] = p.sumLat[c]! + t.sumLat[i]!;
    if (t.minX[i]! < p.minX[c]!) p.minX[c] = t.minX[i]!;
    if (t.maxX[i]! > p.maxX[c]!) p.maxX[c] = t.maxX[i]!;
    if (t.minY[i]! < p.minY[c]!) p.minY[c] = t.minY[i]!;
    if (t.maxY[i]! > p.maxY[c]!) p.maxY[c] = t.maxY[i]!;
  }
  return p;
}

/** The first table entry whose code is at least `code`. */
export function lowerBound(t: LevelTable, code: number): number {
  let a = 0;
  let b = t.size;
  while (a < b) {
    const m = (a + b) >> 1;
    if (t.code[m]! < code) a = m + 1;
    else b = m;
  }
  return a;
}

/** The index of the point with this id, or −1. */
export function indexOfId(p: Pyramid, ids: Int32Array, id: number): number {
  let a = 0;
  let b = p.byId.length - 1;
  while (a <= b) {
    const m = (a + b) >> 1;
    const v = ids[p.byId[m]!]!;
    if (v === id) return p.byId[m]!;
    if (v < id) a = m + 1;
    else b = m - 1;
  }
  return -1;
}
