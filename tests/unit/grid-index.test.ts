// The in-memory point → grid index: holes, multipolygons, shared edges and vertices (smallest code wins),
// points outside, nearest grid; and, as properties, exact agreement with the turf-based gridAt on random tilings,
// including points placed exactly on vertices and slanted edges and one unit in the last place beside them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { gridAt, type GridCandidate, type GridGeometry } from '../../src/domain/grids/geometry.js';
import { buildGridIndex, exactDiffSign, type GridIndexOptions } from '../../src/domain/grids/point-index.js';

/** An axis-aligned rectangle as a closed counter-clockwise ring. */
function rect(x0: number, y0: number, x1: number, y1: number): Position[] {
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
}
const poly = (...rings: Position[][]): Polygon => ({ type: 'Polygon', coordinates: rings });
const multi = (...polys: Position[][][]): MultiPolygon => ({ type: 'MultiPolygon', coordinates: polys });
let nextId = 1;
const grid = (code: string, geometry: GridGeometry): GridCandidate => ({ id: nextId++, code, geometry });

// Real-looking coordinates near the demo street.
const X = 116.66;
const Y = 35.43;
const W = 0.0085;
const H = 0.0065;

describe('buildGridIndex: lookup', () => {
  const a = grid('37087100500101', poly(rect(X, Y, X + W, Y + H)));
  const b = grid('37087100500102', poly(rect(X + W, Y, X + 2 * W, Y + H)));

  it('finds the grid holding a point, and null outside every grid', () => {
    const index = buildGridIndex([a, b]);
    expect(index.size).toBe(2);
    expect(index.lookup(X + W / 2, Y + H / 2)).toBe(a.id);
    expect(index.lookup(X + 1.5 * W, Y + H / 2)).toBe(b.id);
    expect(index.lookup(X - 0.001, Y + H / 2)).toBeNull();
    expect(index.lookup(X + W / 2, Y + 2 * H)).toBeNull();
    expect(index.lookup(X + 3 * W, Y + H / 2)).toBeNull();
    expect(index.lookup(Number.NaN, Y)).toBeNull();
    expect(index.lookup(X, Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('answers null from an empty index', () => {
    const index = buildGridIndex([]);
    expect(index.size).toBe(0);
    expect(index.lookup(X, Y)).toBeNull();
    expect(index.nearest(X, Y)).toBeNull();
  });

  it('does not place a point in a hole, but does in what fills the hole; the hole edge goes to the smaller code', () => {
    const outer = rect(X, Y, X + 3 * W, Y + 3 * H);
    const hole = rect(X + W, Y + H, X + 2 * W, Y + 2 * H).reverse();
    const ring = grid('37087100500201', poly(outer, hole));
    const island = grid('37087100500299', poly(rect(X + W, Y + H, X + 2 * W, Y + 2 * H)));
    const centre: [number, number] = [X + 1.5 * W, Y + 1.5 * H];
    expect(buildGridIndex([ring]).lookup(...centre)).toBeNull();
    const both = buildGridIndex([island, ring]);
    expect(both.lookup(...centre)).toBe(island.id);
    expect(both.lookup(X + 0.5 * W, Y + 0.5 * H)).toBe(ring.id);
    // On the hole's edge and on its corner: both grids hold the point; the ring grid has the smaller code.
    expect(both.lookup(X + W, Y + 1.5 * H)).toBe(ring.id);
    expect(both.lookup(X + 2 * W, Y + 2 * H)).toBe(ring.id);
    // A point on the hole's boundary counts as inside the holed polygon even when nothing fills the hole.
    expect(buildGridIndex([ring]).lookup(X + W, Y + 1.5 * H)).toBe(ring.id);
  });

  it('finds a point in any part of a MultiPolygon (holes in parts too), and not between the parts', () => {
    const m = grid(
      '37087100500301',
      multi([rect(X, Y, X + W, Y + H)], [rect(X + 3 * W, Y, X + 4 * W, Y + H), rect(X + 3.4 * W, Y + 0.4 * H, X + 3.6 * W, Y + 0.6 * H).reverse()]),
    );
    const index = buildGridIndex([m]);
    expect(index.lookup(X + W / 2, Y + H / 2)).toBe(m.id);
    expect(index.lookup(X + 3.2 * W, Y + H / 2)).toBe(m.id);
    expect(index.lookup(X + 2 * W, Y + H / 2)).toBeNull();
    expect(index.lookup(X + 3.5 * W, Y + H / 2)).toBeNull(); // in the second part's hole
  });

  it('gives a shared edge and a shared corner to the smallest code, whatever the input order', () => {
    const four = [
      grid('37087100500104', poly(rect(X, Y, X + W, Y + H))),
      grid('37087100500102', poly(rect(X + W, Y, X + 2 * W, Y + H))),
      grid('37087100500103', poly(rect(X, Y + H, X + W, Y + 2 * H))),
      grid('37087100500105', poly(rect(X + W, Y + H, X + 2 * W, Y + 2 * H))),
    ];
    const byCode = (code: string) => four.find((g) => g.code === code)!.id;
    fc.assert(
      fc.property(fc.shuffledSubarray(four, { minLength: 4, maxLength: 4 }), (order) => {
        const index = buildGridIndex(order);
        expect(index.lookup(X + W, Y + H)).toBe(byCode('37087100500102')); // corner of all four
        expect(index.lookup(X + W, Y + H / 2)).toBe(byCode('37087100500102')); // edge 104 | 102
        expect(index.lookup(X + W / 2, Y + H)).toBe(byCode('37087100500103')); // edge 104 | 103
        expect(index.lookup(X + 1.5 * W, Y + H)).toBe(byCode('37087100500102')); // edge 102 | 105
        expect(index.lookup(X, Y)).toBe(byCode('37087100500104')); // outer corner: one grid
      }),
    );
  });

  it('decides points exactly on a slanted shared edge, and one ulp to either side, like turf', () => {
    // Dyadic coordinates: the midpoint of the slanted edge is exactly representable, so it lies on the edge.
    const x0 = 116.5, y0 = 35.25, dx = 2 ** -7, dy = 2 ** -8;
    const left = grid('37087100500402', poly([[x0, y0], [x0 + dx, y0 + dy], [x0 + dx, y0 + 2 * dy], [x0 - dx, y0 + 2 * dy], [x0 - dx, y0], [x0, y0]]));
    const right = grid('37087100500401', poly([[x0, y0], [x0 + 2 * dx, y0], [x0 + 2 * dx, y0 + 2 * dy], [x0 + dx, y0 + 2 * dy], [x0 + dx, y0 + dy], [x0, y0]]));
    const index = buildGridIndex([left, right]);
    const mx = x0 + dx / 2, my = y0 + dy / 2;
    expect(index.lookup(mx, my)).toBe(right.id); // on the edge: both hold it, 401 < 402
    const ulp = 2 ** -46; // one unit in the last place at 116.x
    for (const [px, py] of [[mx, my], [mx - ulp, my], [mx + ulp, my], [mx, my + ulp / 4], [mx, my - ulp / 4], [x0 + dx, y0 + dy]] as const) {
      expect(index.lookup(px, py)).toBe(gridAt(px, py, [left, right])?.id ?? null);
    }
    expect(index.lookup(mx - ulp, my)).toBe(left.id);
    expect(index.lookup(mx + ulp, my)).toBe(right.id);
  });

  it('breaks a tie between equal codes by input order, as gridAt does by candidate order', () => {
    const p = grid('same', poly(rect(X, Y, X + W, Y + H)));
    const q = grid('same', poly(rect(X, Y, X + W, Y + H)));
    expect(buildGridIndex([p, q]).lookup(X + W / 2, Y + H / 2)).toBe(p.id);
    expect(buildGridIndex([q, p]).lookup(X + W / 2, Y + H / 2)).toBe(q.id);
    expect(gridAt(X + W / 2, Y + H / 2, [q, p])).toBe(q);
  });

  it('orders codes as strings, so a shorter prefix code wins over its extensions', () => {
    const parent = grid('3708710050010', poly(rect(X, Y, X + W, Y + H)));
    const child = grid('37087100500100', poly(rect(X + W, Y, X + 2 * W, Y + H)));
    expect(buildGridIndex([child, parent]).lookup(X + W, Y + H / 2)).toBe(parent.id);
  });

  it('skips grids without vertices and refuses unclosed rings and other geometry types', () => {
    const empty = grid('1', poly());
    const emptyMulti = grid('2', multi());
    const real = grid('3', poly(rect(X, Y, X + W, Y + H)));
    const index = buildGridIndex([empty, emptyMulti, real]);
    expect(index.size).toBe(1);
    expect(index.lookup(X, Y)).toBe(real.id);
    expect(() => buildGridIndex([grid('4', poly([[X, Y], [X + W, Y], [X + W, Y + H]]))])).toThrow(/closed/);
    expect(() => buildGridIndex([grid('5', poly([]))])).toThrow(/closed/);
    expect(() => buildGridIndex([{ id: 6, code: '6', geometry: { type: 'Point', coordinates: [X, Y] } as unknown as Polygon }])).toThrow(/Polygon/);
  });

  it('honours a declared bbox the way turf does', () => {
    const g = grid('1', { ...poly(rect(X, Y, X + W, Y + H)), bbox: [X, Y, X + W / 2, Y + H] });
    const index = buildGridIndex([g]);
    expect(index.lookup(X + W / 4, Y + H / 2)).toBe(g.id);
    expect(index.lookup(X + (3 * W) / 4, Y + H / 2)).toBeNull();
    expect(gridAt(X + (3 * W) / 4, Y + H / 2, [g])).toBeNull();
  });

  it('works with one grid, more grids than a tree node holds, any fan-out, fine or coarse buckets, or only the tree', () => {
    const cells: GridCandidate[] = [];
    for (let i = 0; i < 40; i++)
      for (let j = 0; j < 30; j++) cells.push(grid(`c${String(i).padStart(2, '0')}${String(j).padStart(2, '0')}`, poly(rect(X + i * W, Y + j * H, X + (i + 1) * W, Y + (j + 1) * H))));
    for (const options of [{ nodeSize: 2 }, { nodeSize: 8 }, { nodeSize: 16 }, { maxBucketList: 0 }, { bucketScale: 0.01 }, { bucketScale: 1000 }]) {
      const index = buildGridIndex(cells, options);
      expect(index.size).toBe(1200);
      expect(index.bytes).toBeGreaterThan(0);
      for (const [i, j] of [[0, 0], [39, 29], [17, 3], [5, 28]] as const) {
        expect(index.lookup(X + (i + 0.5) * W, Y + (j + 0.5) * H)).toBe(cells[i * 30 + j]!.id);
      }
    }
    expect(buildGridIndex(cells.slice(0, 1)).lookup(X + W / 2, Y + H / 2)).toBe(cells[0]!.id);
  });
});

describe('buildGridIndex: nearest', () => {
  const a = grid('37087100500101', poly(rect(X, Y, X + W, Y + H)));
  const b = grid('37087100500102', poly(rect(X + 2 * W, Y, X + 3 * W, Y + H)));
  const mPerDegLat = (6371008.8 * Math.PI) / 180;

  it('is the holding grid at distance 0 for a point inside', () => {
    expect(buildGridIndex([a, b]).nearest(X + W / 2, Y + H / 2)).toEqual({ id: a.id, distanceM: 0 });
  });

  it('measures approximate metres to the nearest boundary', () => {
    const index = buildGridIndex([a, b]);
    // 0.001 degrees of longitude west of a, at latitude lat: 0.001 * cos(lat) * metres per degree.
    const lat = Y + H / 2;
    const west = index.nearest(X - 0.001, lat)!;
    expect(west.id).toBe(a.id);
    expect(west.distanceM).toBeCloseTo(0.001 * Math.cos((lat * Math.PI) / 180) * mPerDegLat, 6);
    // Between the two, nearer to b.
    expect(index.nearest(X + 1.6 * W, lat)!.id).toBe(b.id);
    // South of a, 0.002 degrees of latitude.
    const south = index.nearest(X + W / 2, Y - 0.002)!;
    expect(south.id).toBe(a.id);
    expect(south.distanceM).toBeCloseTo(0.002 * mPerDegLat, 6);
    // Diagonal from a corner.
    const corner = index.nearest(X - 0.001, Y - 0.001)!;
    const kx = Math.cos(((Y - 0.001) * Math.PI) / 180) * mPerDegLat;
    expect(corner.distanceM).toBeCloseTo(Math.hypot(0.001 * kx, 0.001 * mPerDegLat), 6);
  });

  it('gives an equidistant point to the smaller code, and honours maxDistanceM', () => {
    const index = buildGridIndex([b, a]);
    expect(index.nearest(X + 1.5 * W, Y + H / 2)!.id).toBe(a.id);
    expect(index.nearest(X - 0.001, Y + H / 2, 50)).toBeNull();
    expect(index.nearest(X - 0.001, Y + H / 2, 100)!.id).toBe(a.id);
  });

  it('finds a far-away grid, and measures to the edge of a hole from inside it', () => {
    const index = buildGridIndex([a, b]);
    expect(index.nearest(X + 1, Y + 1)!.id).toBe(b.id);
    const holed = grid('1', poly(rect(X, Y, X + 3 * W, Y + 3 * H), rect(X + W, Y + H, X + 2 * W, Y + 2 * H).reverse()));
    const inHole = buildGridIndex([holed]).nearest(X + 1.5 * W, Y + 1.1 * H)!;
    expect(inHole.id).toBe(holed.id);
    expect(inHole.distanceM).toBeCloseTo(0.1 * H * mPerDegLat, 6);
  });

  it('agrees with a brute-force scan over all grids (property)', () => {
    fc.assert(
      fc.property(tilingArb, layoutArb, fc.array(fc.tuple(fc.double({ min: -0.5, max: 1.5, noNaN: true }), fc.double({ min: -0.5, max: 1.5, noNaN: true })), { minLength: 1, maxLength: 20 }), (t, options, rel) => {
        const index = buildGridIndex(t.grids, options);
        for (const [rx, ry] of rel) {
          const x = t.minX + rx * (t.maxX - t.minX);
          const y = t.minY + ry * (t.maxY - t.minY);
          const got = index.nearest(x, y)!;
          expect(got).not.toBeNull();
          const holder = gridAt(x, y, t.grids);
          if (holder) {
            expect(got).toEqual({ id: holder.id, distanceM: 0 });
            continue;
          }
          const want = bruteNearest(x, y, t.grids);
          expect(got.distanceM).toBeCloseTo(want.distanceM, 6);
          // Ids may differ only when two grids are equally near (a point nearest to a shared vertex or edge).
          if (got.id !== want.id) {
            const other = bruteDistance(x, y, t.grids.find((g) => g.id === got.id)!);
            expect(other).toBeCloseTo(want.distanceM, 6);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('buildGridIndex agrees with gridAt (turf) on random tilings (property)', () => {
  it('gives the same grid for random points, vertices, exact edge points and their neighbours one ulp away', () => {
    fc.assert(
      fc.property(tilingArb, layoutArb, (t, options) => {
        const index = buildGridIndex(t.grids, options);
        for (const [x, y] of t.points) {
          const want = gridAt(x, y, t.grids)?.id ?? null;
          const got = index.lookup(x, y);
          if (got !== want) throw new Error(`(${x}, ${y}): index ${got}, gridAt ${want}`);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('exactDiffSign', () => {
  it('gives the exact sign of a*b - c*d, also when the products agree to the last bits (property)', () => {
    // Magnitudes of coordinate differences (no underflow, which the predicate, like Shewchuk's, assumes away).
    const dbl = fc.oneof(
      { arbitrary: fc.constant(0), weight: 1 },
      { arbitrary: fc.tuple(fc.double({ min: 1e-12, max: 1e3, noNaN: true }), fc.boolean()).map(([v, neg]) => (neg ? -v : v)), weight: 9 },
    );
    const nearly = fc.tuple(dbl, dbl, fc.integer({ min: -4, max: 4 }), fc.boolean()).map(([a, b, k, swap]) => {
      // c*d close to a*b: c = a nudged by k ulps, d = b; or the same product with factors swapped.
      const c = nudge(a, k);
      return swap ? ([a, b, b, c] as const) : ([a, b, c, b] as const);
    });
    fc.assert(
      fc.property(fc.oneof(fc.tuple(dbl, dbl, dbl, dbl), nearly), ([a, b, c, d]) => {
        expect(exactDiffSign(a, b, c, d)).toBe(bigSign(a, b, c, d));
      }),
      { numRuns: 2000 },
    );
    expect(exactDiffSign(0.1, 0.3, 0.3, 0.1)).toBe(0);
    expect(exactDiffSign(0.1, 0.3, 0.03, 1)).toBe(bigSign(0.1, 0.3, 0.03, 1));
  });
});

// ---- helpers -------------------------------------------------------------------------------------------------

/** A seeded PRNG (mulberry32): tilings are built from one fast-check integer, so failures replay. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Tiling {
  grids: GridCandidate[];
  points: [number, number][];
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * A random tiling: a lattice of cols × rows cells whose corners are jittered (and shared, so there is no gap and
 * no overlap), some edges bent by an extra shared vertex (pentagons and hexagons), some cells with a hole that
 * stays empty, is filled by an island grid, or is an exclave of another grid (a MultiPolygon), and some cells
 * joined to a distant cell as a two-part MultiPolygon. Coordinates either sit on a dyadic lattice (multiples of
 * 2^-24), so midpoints and quarter points of any edge are exactly representable and lie exactly on the edge, or
 * are arbitrary doubles. Points: random ones in and around the area, every vertex, points on (or within rounding
 * of) edges, and points one ulp beside those.
 */
function makeTiling(seed: number, cols: number, rows: number, atZero: boolean, dyadic: boolean): Tiling {
  const rnd = prng(seed);
  const Q = 2 ** -24;
  // Off the dyadic lattice, coordinates carry full 53-bit mantissas: edge points computed by interpolation then
  // lie within rounding of the edge, where only an exact orientation sign gets turf's answer.
  const snap = dyadic ? (v: number) => Math.round(v / Q) * Q : (v: number) => v;
  const cw = 2 ** -10, ch = 2 ** -10;
  // Near Beijing-ish coordinates, or straddling (0, 0), where coordinate differences round.
  const x0 = atZero ? -snap(cols * cw * 0.37) : 116.375;
  const y0 = atZero ? -snap(rows * ch * 0.61) : 39.875;
  const corner: Position[][] = [];
  for (let i = 0; i <= cols; i++) {
    corner.push([]);
    for (let j = 0; j <= rows; j++) {
      const jx = i === 0 || i === cols ? 0 : (rnd() - 0.5) * 0.5 * cw;
      const jy = j === 0 || j === rows ? 0 : (rnd() - 0.5) * 0.5 * ch;
      corner[i]!.push([snap(x0 + i * cw + jx), snap(y0 + j * ch + jy)]);
    }
  }
  // Optional bend vertex on each edge, shared by both cells along it.
  const bend = (a: Position, b: Position, horizontal: boolean): Position | null => {
    if (rnd() < 0.5) return null;
    const off = (rnd() - 0.5) * 0.2 * (horizontal ? ch : cw);
    const mx = (a[0]! + b[0]!) / 2, my = (a[1]! + b[1]!) / 2;
    return horizontal ? [snap(mx), snap(my + off)] : [snap(mx + off), snap(my)];
  };
  const hBend: (Position | null)[][] = []; // edge from corner[i][j] to corner[i+1][j]
  const vBend: (Position | null)[][] = []; // edge from corner[i][j] to corner[i][j+1]
  for (let i = 0; i <= cols; i++) {
    hBend.push([]);
    vBend.push([]);
    for (let j = 0; j <= rows; j++) {
      hBend[i]!.push(i < cols ? bend(corner[i]![j]!, corner[i + 1]![j]!, true) : null);
      vBend[i]!.push(j < rows ? bend(corner[i]![j]!, corner[i]![j + 1]!, false) : null);
    }
  }
  const cellRing = (i: number, j: number): Position[] => {
    const ring: Position[] = [corner[i]![j]!];
    if (hBend[i]![j]) ring.push(hBend[i]![j]!);
    ring.push(corner[i + 1]![j]!);
    if (vBend[i + 1]![j]) ring.push(vBend[i + 1]![j]!);
    ring.push(corner[i + 1]![j + 1]!);
    if (hBend[i]![j + 1]) ring.push(hBend[i]![j + 1]!);
    ring.push(corner[i]![j + 1]!);
    if (vBend[i]![j]) ring.push(vBend[i]![j]!);
    ring.push(corner[i]![j]!);
    return ring;
  };

  const codes = new Set<string>();
  const newCode = () => {
    for (;;) {
      // Mostly 14-digit codes, sometimes a 13-digit prefix, to exercise string order.
      const c = '370871005' + String(Math.floor(rnd() * 100000)).padStart(5, '0').slice(0, rnd() < 0.1 ? 4 : 5);
      if (!codes.has(c)) {
        codes.add(c);
        return c;
      }
    }
  };
  // parts[k] = polygons (ring lists) of the k-th grid
  const parts: Position[][][][] = [];
  for (let i = 0; i < cols; i++) for (let j = 0; j < rows; j++) parts.push([[cellRing(i, j)]]);
  const extra: Position[][][][] = [];
  for (let k = 0; k < parts.length; k++) {
    if (rnd() >= 0.25) continue;
    const outer = parts[k]![0]![0]!;
    let cx = 0, cy = 0;
    for (let v = 0; v < outer.length - 1; v++) {
      cx += outer[v]![0]!;
      cy += outer[v]![1]!;
    }
    cx /= outer.length - 1;
    cy /= outer.length - 1;
    // Small enough to stay inside the most skewed cell (corners move up to a quarter cell, bends a tenth).
    const s = 0.05 + rnd() * 0.05;
    const hx = snap(s * cw), hy = snap(s * ch);
    const holeCcw: Position[] = [
      [snap(cx - hx), snap(cy - hy)],
      [snap(cx + hx), snap(cy - hy * 0.5)],
      [snap(cx + hx * 0.8), snap(cy + hy)],
      [snap(cx - hx * 0.6), snap(cy + hy * 0.9)],
      [snap(cx - hx), snap(cy - hy)],
    ];
    parts[k]![0]!.push([...holeCcw].reverse());
    const fill = rnd();
    if (fill < 0.35) extra.push([[holeCcw]]); // an island grid of its own
    else if (fill < 0.7) {
      // an exclave of another grid: that grid becomes a MultiPolygon
      const other = (k + 1 + Math.floor(rnd() * (parts.length - 1))) % parts.length;
      parts[other]!.push([holeCcw]);
    } // else: an empty hole (a lake, say)
  }
  // A few cells joined to another cell as a second part.
  for (let m = 0; m < Math.floor(parts.length / 8); m++) {
    const k = Math.floor(rnd() * parts.length);
    const other = Math.floor(rnd() * parts.length);
    if (k === other || parts[k]!.length === 0 || parts[other]!.length === 0) continue;
    parts[k]!.push(...parts[other]!);
    parts[other] = [];
  }
  const grids: GridCandidate[] = [];
  for (const p of [...parts, ...extra]) {
    if (p.length === 0) continue;
    grids.push(grid(newCode(), p.length === 1 && rnd() < 0.8 ? poly(...p[0]!) : multi(...p)));
  }

  const minX = x0, minY = y0, maxX = corner[cols]![0]![0]!, maxY = corner[0]![rows]![1]!;
  const points: [number, number][] = [];
  for (let k = 0; k < 80; k++) {
    points.push([minX + (rnd() * 1.2 - 0.1) * (maxX - minX), minY + (rnd() * 1.2 - 0.1) * (maxY - minY)]);
  }
  const ulpOf = (v: number) => 2 ** (Math.floor(Math.log2(Math.abs(v) || 1)) - 52);
  for (const g of grids) {
    for (const polygon of g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates) {
      for (const ring of polygon) {
        for (let v = 0; v < ring.length - 1; v++) {
          const [ax, ay] = ring[v] as [number, number];
          const [bx, by] = ring[v + 1] as [number, number];
          points.push([ax, ay]); // a vertex
          if (rnd() < 0.5) continue;
          const t = dyadic ? [0.25, 0.5, 0.75][Math.floor(rnd() * 3)]! : rnd();
          const px = ax + t * (bx - ax), py = ay + t * (by - ay); // exactly on the edge if dyadic, else within rounding
          points.push([px, py]);
          const e = ulpOf(px);
          points.push([px + e, py], [px - e, py], [px, py + ulpOf(py)], [px, py - ulpOf(py)]);
        }
      }
    }
  }
  return { grids, points, minX, minY, maxX, maxY };
}

const tilingArb = fc
  .record({
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    cols: fc.integer({ min: 1, max: 6 }),
    rows: fc.integer({ min: 1, max: 6 }),
    atZero: fc.boolean(),
    dyadic: fc.boolean(),
  })
  .map(({ seed, cols, rows, atZero, dyadic }) => makeTiling(seed, cols, rows, atZero, dyadic));

/**
 * Index layouts: default; fine and coarse buckets; no stored bucket at all (every point walks the R-tree); a tiny
 * tree fan-out.
 */
const layoutArb = fc.constantFrom<GridIndexOptions>(
  {},
  { bucketScale: 0.1 },
  { bucketScale: 50 },
  { maxBucketList: 0 },
  { maxBucketList: 2, nodeSize: 2 },
);

const M_PER_DEG = (6371008.8 * Math.PI) / 180;

/** Distance in metres to a grid's boundary, computed independently of the index (same projection). */
function bruteDistance(x: number, y: number, g: GridCandidate): number {
  const kx = Math.cos((y * Math.PI) / 180) * M_PER_DEG;
  let best = Infinity;
  for (const polygon of g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates)
    for (const ring of polygon)
      for (let v = 0; v + 1 < ring.length; v++) {
        const ax = (ring[v]![0]! - x) * kx, ay = (ring[v]![1]! - y) * M_PER_DEG;
        const bx = (ring[v + 1]![0]! - x) * kx, by = (ring[v + 1]![1]! - y) * M_PER_DEG;
        const dx = bx - ax, dy = by - ay;
        const t = Math.max(0, Math.min(1, dx || dy ? -(ax * dx + ay * dy) / (dx * dx + dy * dy) : 0));
        best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
      }
  return best;
}

function bruteNearest(x: number, y: number, grids: GridCandidate[]): { id: number; distanceM: number } {
  let best = { id: -1, distanceM: Infinity };
  for (const g of grids) {
    const d = bruteDistance(x, y, g);
    if (d < best.distanceM) best = { id: g.id, distanceM: d };
  }
  return best;
}

/** The double k ulps away from v. */
function nudge(v: number, k: number): number {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, v);
  const bits = buf.getBigInt64(0);
  if (v === 0) return 0;
  buf.setBigInt64(0, bits + BigInt(v > 0 ? k : -k));
  return buf.getFloat64(0);
}

/** Exact sign of a*b - c*d by BigInt arithmetic on the doubles' binary expansions. */
function bigSign(a: number, b: number, c: number, d: number): number {
  const exact = (v: number): [bigint, number] => {
    // v = m * 2^e exactly, with m an integer
    if (v === 0) return [0n, 0];
    const buf = new DataView(new ArrayBuffer(8));
    buf.setFloat64(0, v);
    const bits = buf.getBigUint64(0);
    const sign = bits >> 63n ? -1n : 1n;
    const exp = Number((bits >> 52n) & 0x7ffn);
    const frac = bits & 0xfffffffffffffn;
    return exp === 0 ? [sign * frac, -1074] : [sign * (frac | 0x10000000000000n), exp - 1075];
  };
  const [ma, ea] = exact(a), [mb, eb] = exact(b), [mc, ec] = exact(c), [md, ed] = exact(d);
  const e1 = ea + eb, e2 = ec + ed;
  const lo = Math.min(e1, e2);
  const diff = ma * mb * 2n ** BigInt(e1 - lo) - mc * md * 2n ** BigInt(e2 - lo);
  return diff > 0n ? 1 : diff < 0n ? -1 : 0;
}
