// Point → grid lookup held in memory, for routing reports to A-class grids without a database round trip.
// Three parts, all typed arrays (no GeoJSON kept):
//   - a flatbush R-tree over the grids' bounding boxes (float32, rounded outwards), which fixes a Hilbert order
//     for the grids and answers box queries (nearest(), and points in over-crowded buckets);
//   - a bucket table: a uniform lattice over the area listing, per bucket, the grids whose box meets it, in code
//     order, boxes inline; a point lookup reads one bucket and one short list instead of walking the tree;
//   - one contiguous record per grid (rank, id, rings, coordinates as float64) tested by an exact
//     point-in-polygon (crossing number) written for speed.
// Intake asks "which grid holds this point" for every report and every imported row; answering from these arrays
// instead of GeoJSON objects and turf is what makes whole imports route in well under a second.
//
// Boundary rule (the same as gridAt in geometry.ts, and as turf's booleanPointInPolygon with ignoreBoundary
// false, so the two always agree):
//   - a point on an edge or a vertex of any ring (outer ring or hole) counts as inside that polygon;
//   - a MultiPolygon holds a point if any of its parts does;
//   - when several grids hold a point (shared edges and vertices; overlaps, if the data has any), the grid with
//     the smallest code wins (JavaScript string order), and among equal codes the one listed first.
// Agreement with turf is exact, not approximate: the test below is the one turf uses (point-in-polygon-hao:
// crossing number on coordinate differences, with an exact orientation sign), reproduced step for step, so
// even points placed exactly on a slanted edge get the same answer.
//
// Pure: no I/O. The caller loads the grids (id, code, geometry) and rebuilds the index when they change.
import Flatbush from 'flatbush';
import type { Position } from 'geojson';
import type { GridGeometry } from './geometry.js';

export interface IndexedGrid {
  id: number;
  code: string;
  geometry: GridGeometry;
}

export interface NearestGrid {
  id: number;
  /** Distance from the point to the grid's boundary, in metres (0 when the grid holds the point). */
  distanceM: number;
}

export interface GridIndex {
  /** Id of the grid holding the point (boundary included, smallest code on ties), or null. */
  lookup(lng: number, lat: number): number | null;
  /**
   * The grid whose boundary is nearest to the point, for suggesting a grid for a report that fell outside every
   * grid. Distance is approximate: an equirectangular projection around the point (well under 1 % off within a
   * city). A grid holding the point is returned at distance 0. Ties go to the smaller code. Null when there is no
   * grid, or none within maxDistanceM.
   */
  nearest(lng: number, lat: number, maxDistanceM?: number): NearestGrid | null;
  /** Number of grids that can hold a point (grids with empty geometry are left out). */
  readonly size: number;
  /** Bytes held in typed arrays (tree, buckets, records): the index's own footprint. */
  readonly bytes: number;
}

export interface GridIndexOptions {
  /** R-tree fan-out (the tree serves nearest() and buckets too crowded to store). */
  nodeSize?: number;
  /** Bucket side as a multiple of the median grid box side. Smaller: shorter lists, more memory. */
  bucketScale?: number;
  /** Longest list a bucket stores; a bucket that would list more grids is answered by the R-tree instead. */
  maxBucketList?: number;
}

const DEFAULT_NODE_SIZE = 8;
const DEFAULT_BUCKET_SCALE = 0.75;
const DEFAULT_MAX_BUCKET_LIST = 48;
const OVERFULL = 0x80000000;
/** A bucket entry: record offset (uint32) and the grid's box (4 × float32, rounded outwards). */
const ENTRY_WORDS = 5;
/** Metres per degree of latitude on the mean Earth sphere (R = 6,371,008.8 m). */
const M_PER_DEG = (6371008.8 * Math.PI) / 180;

// Shewchuk's error bound for the floating-point orientation determinant: beyond it the sign is certain.
const EPSILON = Number.EPSILON / 2;
const ERR_BOUND = (3 + 16 * EPSILON) * EPSILON;
const SPLITTER = 134217729; // 2^27 + 1, for Veltkamp splitting

/**
 * Exact sign of a*b - c*d for doubles (no overflow or underflow assumed, as for any geographic coordinate
 * difference). Both products are turned into exact two-term expansions (Dekker's product), their difference into
 * a non-overlapping four-term expansion; the largest non-zero term carries the sign. Only reached when the
 * floating-point determinant is too close to zero to trust, i.e. for points on or within rounding of an edge.
 */
export function exactDiffSign(a: number, b: number, c: number, d: number): number {
  // a*b = x1 + x0 exactly
  const x1 = a * b;
  let t = SPLITTER * a;
  let ahi = t - (t - a);
  let alo = a - ahi;
  t = SPLITTER * b;
  let bhi = t - (t - b);
  let blo = b - bhi;
  const x0 = alo * blo - (x1 - ahi * bhi - alo * bhi - ahi * blo);
  // c*d = y1 + y0 exactly
  const y1 = c * d;
  t = SPLITTER * c;
  ahi = t - (t - c);
  alo = c - ahi;
  t = SPLITTER * d;
  bhi = t - (t - d);
  blo = d - bhi;
  const y0 = alo * blo - (y1 - ahi * bhi - alo * bhi - ahi * blo);
  // (x1 + x0) - (y1 + y0) as e3 + e2 + e1 + e0 (Shewchuk's Two_Two_Diff)
  let i = x0 - y0;
  let bv = x0 - i;
  const e0 = x0 - (i + bv) + (bv - y0);
  let j = x1 + i;
  bv = j - x1;
  const m = x1 - (j - bv) + (i - bv);
  i = m - y1;
  bv = m - i;
  const e1 = m - (i + bv) + (bv - y1);
  const e3 = j + i;
  bv = e3 - j;
  const e2 = j - (e3 - bv) + (i - bv);
  j = e3 !== 0 ? e3 : e2 !== 0 ? e2 : e1 !== 0 ? e1 : e0;
  return j > 0 ? 1 : j < 0 ? -1 : 0;
}

function polygonsOf(geometry: GridGeometry): Position[][][] {
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  throw new Error(`grid geometry must be a Polygon or MultiPolygon, not ${(geometry as { type: string }).type}`);
}

export function buildGridIndex(grids: readonly IndexedGrid[], options: GridIndexOptions = {}): GridIndex {
  const nodeSize = options.nodeSize ?? DEFAULT_NODE_SIZE;
  const bucketScale = options.bucketScale ?? DEFAULT_BUCKET_SCALE;
  const maxBucketList = options.maxBucketList ?? DEFAULT_MAX_BUCKET_LIST;
  const total = grids.length;

  // Pass 1: bounding boxes, and each grid's record (layout below) written in input order into a growing scratch
  // buffer, so that the GeoJSON arrays are walked once; pass 2 only moves records into tree order.
  const boxes = new Float64Array(total * 4);
  const kept: number[] = [];
  const startOf: number[] = []; // scratch offset of each kept grid's record
  let scratchHdr = new Uint32Array(Math.max(64, total * 32));
  let scratch = new Float64Array(scratchHdr.buffer);
  let w = 0;
  let gx0 = Infinity, gy0 = Infinity, gx1 = -Infinity, gy1 = -Infinity;
  for (let g = 0; g < total; g++) {
    const grid = grids[g]!;
    const polys = polygonsOf(grid.geometry);
    let words = 2 + polys.length;
    for (const poly of polys) for (const ring of poly) words += 1 + 2 * ring.length;
    if (w + words > scratch.length) {
      const grown = new Uint32Array(Math.max(scratchHdr.length * 2, (w + words) * 2));
      grown.set(scratchHdr.subarray(0, w * 2));
      scratchHdr = grown;
      scratch = new Float64Array(grown.buffer);
    }
    const at = w;
    scratchHdr[at * 2 + 1] = polys.length;
    scratch[at + 1] = grid.id;
    w += 2;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const poly of polys) {
      scratchHdr[w++ * 2] = poly.length;
      for (const ring of poly) {
        const n = ring.length;
        const first = ring[0];
        const last = ring[n - 1];
        // turf throws on such rings at query time; refusing them here keeps bad data out of intake.
        if (!first || !last || first[0] !== last[0] || first[1] !== last[1])
          throw new Error(`grid ${grid.code}: every ring must be closed (first position equal to the last)`);
        scratchHdr[w++ * 2] = n;
        for (let k = 0; k < n; k++) {
          const p = ring[k]!;
          const x = p[0]!, y = p[1]!;
          scratch[w++] = x;
          scratch[w++] = y;
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
      }
    }
    // turf treats a declared bbox as a pre-filter; narrowing ours to it keeps the answers identical.
    const declared = grid.geometry.bbox;
    if (declared && declared.length === 4) {
      minX = Math.max(minX, declared[0]);
      minY = Math.max(minY, declared[1]);
      maxX = Math.min(maxX, declared[2]);
      maxY = Math.min(maxY, declared[3]);
    }
    if (!(minX <= maxX && minY <= maxY)) {
      w = at; // no vertex (or an empty declared bbox): never holds a point
      continue;
    }
    const k = kept.length;
    boxes[k * 4] = minX;
    boxes[k * 4 + 1] = minY;
    boxes[k * 4 + 2] = maxX;
    boxes[k * 4 + 3] = maxY;
    if (minX < gx0) gx0 = minX;
    if (minY < gy0) gy0 = minY;
    if (maxX > gx1) gx1 = maxX;
    if (maxY > gy1) gy1 = maxY;
    kept.push(g);
    startOf.push(at);
  }
  startOf.push(w);
  const n = kept.length;
  if (n === 0) return emptyIndex();

  // Code order, decided once: at query time the winner among several holders is the smallest rank.
  const codes = kept.map((g) => grids[g]!.code);
  const byCode = kept.map((_, k) => k);
  byCode.sort((a, b) => {
    const ca = codes[a]!, cb = codes[b]!;
    return ca < cb ? -1 : ca > cb ? 1 : a - b;
  });
  const rankOf = new Uint32Array(n); // by position in `kept`
  for (let r = 0; r < n; r++) rankOf[byCode[r]!] = r;

  // R-tree over the boxes, in single precision rounded outwards so that every box still contains its grid: half
  // the memory to walk per query; the exact test removes the few extra candidates.
  const tree = new Flatbush(n, nodeSize, Float32Array);
  for (let k = 0; k < n; k++)
    tree.add(down32(boxes[k * 4]!), down32(boxes[k * 4 + 1]!), up32(boxes[k * 4 + 2]!), up32(boxes[k * 4 + 3]!));
  tree.finish();
  const treeBoxes = tree._boxes as Float32Array;
  const treeIndices = tree._indices;

  // Pass 2: one record per grid, laid out in the tree's leaf order (Hilbert order): a leaf's position is the
  // grid's slot, and grids near in space are near in memory. A record is contiguous, so testing a grid touches
  // one or two cache lines rather than one per array. In 8-byte words (count words hold uint32s, read through a
  // Uint32Array view of the same buffer; records are moved through that view too, bit for bit):
  //   [rank | part count] [id] then per part: [ring count | -] then per ring: [point count | -] x0 y0 x1 y1 ...
  const slotOff = new Uint32Array(n);
  const slotOfRank = new Uint32Array(n);
  const hdr = new Uint32Array(w * 2);
  const rec = new Float64Array(hdr.buffer);
  let o = 0;
  for (let slot = 0; slot < n; slot++) {
    const k = treeIndices[slot]!;
    slotOff[slot] = o;
    slotOfRank[rankOf[k]!] = slot;
    const from = startOf[k]! * 2, to = startOf[k + 1]! * 2;
    for (let i = from, j = o * 2; i < to; i++, j++) hdr[j] = scratchHdr[i]!;
    hdr[o * 2] = rankOf[k]!;
    o += (to - from) >> 1;
  }

  // Bucket table: a uniform lattice over the extent, each bucket listing the grids whose box meets it, in code
  // order, with their boxes inline. A point query computes its bucket and reads one short contiguous list, where
  // an R-tree walk would test dozens of boxes spread over several levels; on a busy two-core machine that is the
  // difference between well under and well over a million lookups per second. The same monotone arithmetic maps
  // box corners and points to buckets, so a point inside a box always lands in a bucket that lists the box.
  // Buckets that would list too many grids (long thin boxes piling up) are not stored; their points walk the tree.
  const widths = new Float64Array(n), heights = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    widths[k] = boxes[k * 4 + 2]! - boxes[k * 4]!;
    heights[k] = boxes[k * 4 + 3]! - boxes[k * 4 + 1]!;
  }
  widths.sort();
  heights.sort();
  const spanX = gx1 - gx0, spanY = gy1 - gy0;
  let cellX = widths[n >> 1]! * bucketScale || spanX / Math.sqrt(n) || 1;
  let cellY = heights[n >> 1]! * bucketScale || spanY / Math.sqrt(n) || 1;
  let nbx = 1, nby = 1, invX = 0, invY = 0;
  const bucketOf = (v: number, v0: number, inv: number, nb: number) => {
    const b = ((v - v0) * inv) | 0;
    return b < nb ? b : nb - 1;
  };
  let entries = 0;
  for (let attempt = 0; ; attempt++) {
    nbx = Math.max(1, Math.min(Math.ceil(spanX / cellX), 4 * n + 16));
    nby = Math.max(1, Math.min(Math.ceil(spanY / cellY), Math.floor((4 * n + 16) / nbx)));
    invX = spanX > 0 ? nbx / spanX : 0;
    invY = spanY > 0 ? nby / spanY : 0;
    entries = 0;
    for (let k = 0; k < n; k++) {
      const bx0 = bucketOf(boxes[k * 4]!, gx0, invX, nbx), bx1 = bucketOf(boxes[k * 4 + 2]!, gx0, invX, nbx);
      const by0 = bucketOf(boxes[k * 4 + 1]!, gy0, invY, nby), by1 = bucketOf(boxes[k * 4 + 3]!, gy0, invY, nby);
      entries += (bx1 - bx0 + 1) * (by1 - by0 + 1);
    }
    // Memory budget: about a dozen entries per grid. Past it, coarser buckets (a few very large grids would
    // otherwise be listed in thousands of buckets each).
    if (entries <= 12 * n + 64 || attempt >= 8) break;
    const grow = Math.sqrt(entries / (12 * n));
    cellX *= grow;
    cellY *= grow;
  }
  const nBuckets = nbx * nby;
  const bucketStart = new Uint32Array(nBuckets + 1);
  for (let k = 0; k < n; k++) {
    const bx0 = bucketOf(boxes[k * 4]!, gx0, invX, nbx), bx1 = bucketOf(boxes[k * 4 + 2]!, gx0, invX, nbx);
    const by0 = bucketOf(boxes[k * 4 + 1]!, gy0, invY, nby), by1 = bucketOf(boxes[k * 4 + 3]!, gy0, invY, nby);
    for (let by = by0; by <= by1; by++) for (let bx = bx0; bx <= bx1; bx++) bucketStart[by * nbx + bx]!++;
  }
  let stored = 0;
  for (let b = 0; b < nBuckets; b++) {
    const c = bucketStart[b]!;
    if (c > maxBucketList) {
      bucketStart[b] = stored | OVERFULL; // flagged, nothing stored
    } else {
      bucketStart[b] = stored;
      stored += c;
    }
  }
  bucketStart[nBuckets] = stored;
  const entryBuf = new ArrayBuffer(stored * ENTRY_WORDS * 4);
  const entU32 = new Uint32Array(entryBuf);
  const entF32 = new Float32Array(entryBuf);
  const fill = new Uint32Array(nBuckets); // entries written so far per bucket
  for (let r = 0; r < n; r++) {
    const slot = slotOfRank[r]!; // rank order, so every list is sorted by code
    const at = slotOff[slot]!;
    const p = slot * 4;
    const x0 = treeBoxes[p]!, y0 = treeBoxes[p + 1]!, x1 = treeBoxes[p + 2]!, y1 = treeBoxes[p + 3]!;
    const k = treeIndices[slot]!;
    const bx0 = bucketOf(boxes[k * 4]!, gx0, invX, nbx), bx1 = bucketOf(boxes[k * 4 + 2]!, gx0, invX, nbx);
    const by0 = bucketOf(boxes[k * 4 + 1]!, gy0, invY, nby), by1 = bucketOf(boxes[k * 4 + 3]!, gy0, invY, nby);
    for (let by = by0; by <= by1; by++)
      for (let bx = bx0; bx <= bx1; bx++) {
        const b = by * nbx + bx;
        const start = bucketStart[b]!;
        if (start >= OVERFULL) continue;
        const e = (start + fill[b]!++) * ENTRY_WORDS;
        entU32[e] = at;
        entF32[e + 1] = x0;
        entF32[e + 2] = y0;
        entF32[e + 3] = x1;
        entF32[e + 4] = y1;
      }
  }

  const levelBounds = tree._levelBounds;
  const leafEnd = n * 4;
  const rootPos = treeBoxes.length - 4;
  const rootLevel = levelBounds.length - 1;
  const step = tree.nodeSize * 4;
  // Depth-first traversal stack (position, level): each level adds at most one node's children.
  const stack = new Uint32Array((levelBounds.length + 1) * tree.nodeSize * 2 + 2);

  /**
   * Whether the grid whose record starts at word `at` holds (x, y), boundary included. This is
   * point-in-polygon-hao (turf's test) step for step: per ring, walk the edges on differences u = X - x,
   * v = Y - y; an edge through the point is "boundary"; otherwise count the edges the leftward ray crosses, with
   * the orientation sign computed exactly. The count runs over all rings of a part (holes included), and a part
   * holds the point when it is odd.
   */
  function holds(at: number, x: number, y: number): boolean {
    const parts = hdr[at * 2 + 1]!;
    let o = at + 2;
    for (let p = 0; p < parts; p++) {
      let crossings = 0;
      const rings = hdr[o++ * 2]!;
      for (let r = 0; r < rings; r++) {
        const end = o + 1 + hdr[o * 2]! * 2;
        let i = o + 1;
        o = end;
        let u1 = rec[i]! - x;
        let v1 = rec[i + 1]! - y;
        for (i += 2; i < end; i += 2) {
          const u2 = rec[i]! - x;
          const v2 = rec[i + 1]! - y;
          if ((v1 > 0 && v2 > 0) || (v1 < 0 && v2 < 0) || (u1 > 0 && u2 > 0)) {
            // Edge wholly above, below, or right of the point: neither crossed nor touched.
          } else if (u1 < 0 && u2 < 0) {
            // Wholly left of the point: the orientation sign is known without computing it, and the edge is
            // crossed exactly when it spans the half-open range (v <= 0 on one end, v > 0 on the other).
            if (v1 > 0 !== v2 > 0) crossings++;
          } else if (v1 === 0 && v2 === 0) {
            if ((u2 <= 0 && u1 >= 0) || (u1 <= 0 && u2 >= 0)) return true; // on a horizontal edge
          } else {
            // Orientation sign of the edge against the point: floating point when clearly away from zero,
            // exact otherwise (the same sign robust-predicates' orient2d gives turf).
            const left = u2 * v1;
            const right = u1 * v2;
            let f = left - right;
            const errBound = ERR_BOUND * Math.abs(left + right);
            if (!(f >= errBound || -f >= errBound)) f = exactDiffSign(u2, v1, u1, v2);
            if (f === 0) return true; // on the edge (or its vertex)
            if ((f > 0 && v2 > 0 && v1 <= 0) || (f < 0 && v2 <= 0 && v1 > 0)) crossings++;
          }
          u1 = u2;
          v1 = v2;
        }
      }
      if (crossings & 1) return true;
    }
    return false;
  }

  /** Record offset of the grid holding (x, y), or -1. */
  function find(x: number, y: number): number {
    if (!(x >= gx0 && x <= gx1 && y >= gy0 && y <= gy1)) return -1; // also NaN
    let bx = ((x - gx0) * invX) | 0;
    if (bx >= nbx) bx = nbx - 1;
    let by = ((y - gy0) * invY) | 0;
    if (by >= nby) by = nby - 1;
    const b = by * nbx + bx;
    const start = bucketStart[b]!;
    if (start >= OVERFULL) return findInTree(x, y);
    const end = bucketStart[b + 1]! & ~OVERFULL;
    // In code order: the first grid that holds the point is the answer.
    for (let e = start * ENTRY_WORDS; e < end * ENTRY_WORDS; e += ENTRY_WORDS) {
      if (x >= entF32[e + 1]! && y >= entF32[e + 2]! && x <= entF32[e + 3]! && y <= entF32[e + 4]!) {
        const at = entU32[e]!;
        if (holds(at, x, y)) return at;
      }
    }
    return -1;
  }

  /** The same answer by walking the R-tree (buckets not stored); ties by rank. */
  function findInTree(x: number, y: number): number {
    let best = -1;
    let bestRank = 0xffffffff;
    let sp = 0;
    stack[sp++] = rootPos;
    stack[sp++] = rootLevel;
    while (sp > 0) {
      const level = stack[--sp]!;
      const node = stack[--sp]!;
      const bound = levelBounds[level]!;
      const end = node + step < bound ? node + step : bound;
      for (let pos = node; pos < end; pos += 4) {
        if (x >= treeBoxes[pos]! && y >= treeBoxes[pos + 1]! && x <= treeBoxes[pos + 2]! && y <= treeBoxes[pos + 3]!) {
          if (node < leafEnd) {
            const at = slotOff[pos >> 2]!;
            const rank = hdr[at * 2]!;
            if (rank < bestRank && holds(at, x, y)) {
              best = at;
              bestRank = rank;
            }
          } else {
            stack[sp++] = treeIndices[pos >> 2]!;
            stack[sp++] = level - 1;
          }
        }
      }
    }
    return best;
  }

  /**
   * Record offset and distance (metres) of the grid whose boundary is nearest to (x, y), by best-first search over
   * the tree: entries come off a min-heap in order of distance, boxes keyed by a lower bound (the distance to the
   * box), grids by their exact boundary distance; the first grid to come off is the nearest, and entries keyed
   * at the same distance are drained so that ties go to the smaller code. Distances are taken in a plane
   * projected around the point (kx, ky metres per degree), where a box's distance bounds its contents'.
   */
  function nearestTo(x: number, y: number, kx: number, ky: number, maxM: number): [number, number] | null {
    const keys: number[] = [];
    const vals: number[] = []; // 2 * tree position, + 1 once the key is the grid's exact distance
    const push = (key: number, val: number) => {
      let i = keys.length;
      keys.push(key);
      vals.push(val);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (keys[parent]! <= key) break;
        keys[i] = keys[parent]!;
        vals[i] = vals[parent]!;
        i = parent;
      }
      keys[i] = key;
      vals[i] = val;
    };
    const pop = () => {
      const lastKey = keys.pop()!, lastVal = vals.pop()!;
      const size = keys.length;
      if (size === 0) return;
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && keys[child + 1]! < keys[child]!) child++;
        if (keys[child]! >= lastKey) break;
        keys[i] = keys[child]!;
        vals[i] = vals[child]!;
        i = child;
      }
      keys[i] = lastKey;
      vals[i] = lastVal;
    };
    const boxDistance = (pos: number) => {
      const dx = Math.max(treeBoxes[pos]! - x, x - treeBoxes[pos + 2]!, 0) * kx;
      const dy = Math.max(treeBoxes[pos + 1]! - y, y - treeBoxes[pos + 3]!, 0) * ky;
      return Math.sqrt(dx * dx + dy * dy);
    };
    let best = -1, bestD = Infinity;
    push(boxDistance(rootPos), rootPos * 2);
    while (keys.length > 0 && keys[0]! <= Math.min(bestD, maxM)) {
      const key = keys[0]!, val = vals[0]!;
      pop();
      const pos = val >> 1;
      if (val & 1) {
        const at = slotOff[pos >> 2]!;
        if (key < bestD || hdr[at * 2]! < hdr[best * 2]!) {
          best = at;
          bestD = key;
        }
      } else if (pos < leafEnd) {
        push(Math.sqrt(boundaryDistance2(slotOff[pos >> 2]!, x, y, kx, ky)), pos * 2 + 1);
      } else {
        const first = treeIndices[pos >> 2]!;
        let bound = levelBounds[0]!;
        for (let l = 0; bound <= first; l++) bound = levelBounds[l + 1]!;
        const end = Math.min(first + step, bound);
        for (let child = first; child < end; child += 4) push(boxDistance(child), child * 2);
      }
    }
    return best < 0 ? null : [best, bestD];
  }

  /** Squared distance in metres from (x, y) to the boundary of a grid (all rings, holes included). */
  function boundaryDistance2(at: number, x: number, y: number, kx: number, ky: number): number {
    let best = Infinity;
    const parts = hdr[at * 2 + 1]!;
    let o = at + 2;
    for (let p = 0; p < parts; p++) {
      const rings = hdr[o++ * 2]!;
      for (let r = 0; r < rings; r++) {
        const end = o + 1 + hdr[o * 2]! * 2;
        best = Math.min(best, ringDistance2(o + 1, end, x, y, kx, ky));
        o = end;
      }
    }
    return best;
  }

  /** Squared distance in metres from (x, y) to a ring stored at words [start, end), projected around the point. */
  function ringDistance2(start: number, end: number, x: number, y: number, kx: number, ky: number): number {
    let ax = (rec[start]! - x) * kx;
    let ay = (rec[start + 1]! - y) * ky;
    let best = ax * ax + ay * ay; // a one-point ring is its vertex
    for (let i = start + 2; i < end; i += 2) {
      const bx = (rec[i]! - x) * kx;
      const by = (rec[i + 1]! - y) * ky;
      const dx = bx - ax, dy = by - ay;
      const len2 = dx * dx + dy * dy;
      let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const px = ax + t * dx, py = ay + t * dy;
      const d2 = px * px + py * py;
      if (d2 < best) best = d2;
      ax = bx;
      ay = by;
    }
    return best;
  }

  const bytes =
    tree.data.byteLength + slotOff.byteLength + rec.byteLength + bucketStart.byteLength + entryBuf.byteLength +
    stack.byteLength;

  return {
    size: n,
    bytes,
    lookup(lng: number, lat: number): number | null {
      const at = find(lng, lat);
      return at < 0 ? null : rec[at + 1]!;
    },
    nearest(lng: number, lat: number, maxDistanceM = Infinity): NearestGrid | null {
      if (!Number.isFinite(lng) || !Number.isFinite(lat)) return null;
      const inside = find(lng, lat);
      if (inside >= 0) return { id: rec[inside + 1]!, distanceM: 0 };
      const kx = Math.abs(Math.cos((lat * Math.PI) / 180)) * M_PER_DEG;
      const hit = nearestTo(lng, lat, kx, M_PER_DEG, maxDistanceM);
      return hit ? { id: rec[hit[0] + 1]!, distanceM: hit[1] } : null;
    },
  };
}

// Single-precision neighbours, for rounding boxes outwards.
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The largest float32 not above v. */
function down32(v: number): number {
  f32[0] = v;
  if (f32[0]! <= v) return f32[0]!;
  if (f32[0] === 0) return -1.401298464324817e-45;
  i32[0] = i32[0]! + (f32[0]! > 0 ? -1 : 1);
  return f32[0]!;
}

/** The smallest float32 not below v. */
function up32(v: number): number {
  return -down32(-v);
}

function emptyIndex(): GridIndex {
  return { size: 0, bytes: 0, lookup: () => null, nearest: () => null };
}
