// Geometry at intake: which grid holds a point (with holes, multipolygons and shared edges), bounding boxes and
// label points.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { bboxOf, gridAt, labelPointOf, type GridCandidate } from '../../src/domain/grids/geometry.js';

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
const grid = (code: string, geometry: Polygon | MultiPolygon): GridCandidate => ({ id: nextId++, code, geometry });

// Real-looking coordinates near the demo street, to exercise floating point the way the seed does.
const X = 116.66;
const Y = 35.43;
const W = 0.0085;
const H = 0.0065;

describe('gridAt', () => {
  const a = grid('37087100500101', poly(rect(X, Y, X + W, Y + H)));
  const b = grid('37087100500102', poly(rect(X + W, Y, X + 2 * W, Y + H)));

  it('finds the grid holding a point inside it', () => {
    expect(gridAt(X + W / 2, Y + H / 2, [a, b])).toBe(a);
    expect(gridAt(X + 1.5 * W, Y + H / 2, [a, b])).toBe(b);
  });

  it('answers null outside every grid and with no candidates', () => {
    expect(gridAt(X - 0.001, Y + H / 2, [a, b])).toBeNull();
    expect(gridAt(X + W / 2, Y + 2 * H, [a, b])).toBeNull();
    expect(gridAt(X + W / 2, Y + H / 2, [])).toBeNull();
  });

  it('does not place a point in the hole of a polygon, but does in what fills the hole', () => {
    const outer = rect(X, Y, X + 3 * W, Y + 3 * H);
    const hole = rect(X + W, Y + H, X + 2 * W, Y + 2 * H).reverse();
    const ring = grid('37087100500201', poly(outer, hole));
    const island = grid('37087100500299', poly(rect(X + W, Y + H, X + 2 * W, Y + 2 * H)));
    const centre: [number, number] = [X + 1.5 * W, Y + 1.5 * H];
    expect(gridAt(...centre, [ring])).toBeNull();
    expect(gridAt(...centre, [ring, island])).toBe(island);
    expect(gridAt(X + 0.5 * W, Y + 0.5 * H, [ring, island])).toBe(ring);
  });

  it('finds a point in any part of a MultiPolygon, and not between the parts', () => {
    const m = grid('37087100500301', multi([rect(X, Y, X + W, Y + H)], [rect(X + 3 * W, Y, X + 4 * W, Y + H)]));
    expect(gridAt(X + W / 2, Y + H / 2, [m])).toBe(m);
    expect(gridAt(X + 3.5 * W, Y + H / 2, [m])).toBe(m);
    expect(gridAt(X + 2 * W, Y + H / 2, [m])).toBeNull();
  });

  it('gives a point on a shared edge to the grid with the smaller code', () => {
    const onEdge: [number, number] = [X + W, Y + H / 2];
    expect(gridAt(...onEdge, [a, b])).toBe(a);
    expect(gridAt(...onEdge, [b, a])).toBe(a);
  });

  it('gives a shared edge to the smaller code whatever the order of candidates (property)', () => {
    // A row of n adjacent cells with random, unique codes; a random point on a random inner edge.
    const cellsArb = fc
      .uniqueArray(fc.stringMatching(/^[0-9]{14}$/), { minLength: 2, maxLength: 8 })
      .chain((codes) =>
        fc.record({
          cells: fc.shuffledSubarray(
            codes.map((code, i) => grid(code, poly(rect(X + i * W, Y, X + (i + 1) * W, Y + H)))),
            { minLength: codes.length, maxLength: codes.length },
          ),
          edge: fc.integer({ min: 1, max: codes.length - 1 }),
          t: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        }),
      );
    fc.assert(
      fc.property(cellsArb, ({ cells, edge, t }) => {
        const lng = X + edge * W;
        const lat = Y + t * H;
        const byPosition = (i: number) => cells.find((c) => (c.geometry as Polygon).coordinates[0]![0]![0] === X + i * W)!;
        const left = byPosition(edge - 1);
        const right = byPosition(edge);
        const expected = left.code < right.code ? left : right;
        expect(gridAt(lng, lat, cells)).toBe(expected);
        expect(gridAt(lng, lat, [...cells].reverse())).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives a corner shared by four grids to the smallest code, in any order (property)', () => {
    const four = [
      grid('37087100500104', poly(rect(X, Y, X + W, Y + H))),
      grid('37087100500102', poly(rect(X + W, Y, X + 2 * W, Y + H))),
      grid('37087100500103', poly(rect(X, Y + H, X + W, Y + 2 * H))),
      grid('37087100500105', poly(rect(X + W, Y + H, X + 2 * W, Y + 2 * H))),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(four, { minLength: 4, maxLength: 4 }), (order) => {
        expect(gridAt(X + W, Y + H, order)?.code).toBe('37087100500102');
      }),
    );
  });

  it('counts a point on the outer boundary of the street as inside', () => {
    expect(gridAt(X, Y + H / 2, [a, b])).toBe(a);
    expect(gridAt(X, Y, [a, b])).toBe(a);
  });
});

describe('bboxOf', () => {
  it('bounds a polygon', () => {
    expect(bboxOf(poly([[1, 2], [4, 1], [3, 5], [1, 2]]))).toEqual([1, 1, 4, 5]);
  });
  it('ignores holes (they lie inside the outer ring)', () => {
    expect(bboxOf(poly(rect(0, 0, 10, 10), rect(2, 2, 3, 3).reverse()))).toEqual([0, 0, 10, 10]);
  });
  it('bounds all parts of a MultiPolygon', () => {
    expect(bboxOf(multi([rect(0, 0, 1, 1)], [rect(5, -3, 6, 2)]))).toEqual([0, -3, 6, 2]);
  });
  it('holds every vertex of a random polygon (property)', () => {
    const pt = fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true }));
    fc.assert(
      fc.property(fc.array(pt, { minLength: 3, maxLength: 20 }), (pts) => {
        const ring = [...pts, pts[0]!];
        const [minX, minY, maxX, maxY] = bboxOf(poly(ring));
        for (const [x, y] of pts) {
          expect(x).toBeGreaterThanOrEqual(minX);
          expect(x).toBeLessThanOrEqual(maxX);
          expect(y).toBeGreaterThanOrEqual(minY);
          expect(y).toBeLessThanOrEqual(maxY);
        }
        expect(pts.some(([x]) => x === minX) && pts.some(([x]) => x === maxX)).toBe(true);
        expect(pts.some(([, y]) => y === minY) && pts.some(([, y]) => y === maxY)).toBe(true);
      }),
    );
  });
});

describe('labelPointOf', () => {
  // Within 1e-6 degrees (about 0.1 m): the shoelace sums over absolute longitudes/latitudes lose a few digits
  // to cancellation at real-world coordinates, which is irrelevant for a label point.
  const close = (p: [number, number], q: [number, number]) => {
    expect(Math.abs(p[0] - q[0])).toBeLessThan(1e-6);
    expect(Math.abs(p[1] - q[1])).toBeLessThan(1e-6);
  };

  it('is the centre of a rectangle, whichever way the ring turns', () => {
    close(labelPointOf(poly(rect(X, Y, X + W, Y + H))), [X + W / 2, Y + H / 2]);
    close(labelPointOf(poly(rect(X, Y, X + W, Y + H).reverse())), [X + W / 2, Y + H / 2]);
  });

  it('is the centroid of a triangle', () => {
    close(labelPointOf(poly([[0, 0], [6, 0], [0, 3], [0, 0]])), [2, 1]);
  });

  it('takes the largest part of a MultiPolygon', () => {
    close(labelPointOf(multi([rect(0, 0, 1, 1)], [rect(10, 10, 14, 14)], [rect(-5, -5, -3, -3)])), [12, 12]);
  });

  it('falls back to the first vertex of a degenerate (zero-area) ring', () => {
    expect(labelPointOf(poly([[1, 1], [2, 2], [3, 3], [1, 1]]))).toEqual([1, 1]);
  });

  it('lies inside any convex quadrilateral near the street (property)', () => {
    // Jittered cells like the seed's: corners moved by up to 15 % of a cell.
    const j = (s: number) => fc.double({ min: -0.15 * s, max: 0.15 * s, noNaN: true });
    fc.assert(
      fc.property(fc.tuple(j(W), j(H), j(W), j(H), j(W), j(H), j(W), j(H)), ([a, b, c, d, e, f, g, h]) => {
        const ring: Position[] = [
          [X + a, Y + b],
          [X + W + c, Y + d],
          [X + W + e, Y + H + f],
          [X + g, Y + H + h],
        ];
        const geometry = poly([...ring, ring[0]!]);
        const [lng, lat] = labelPointOf(geometry);
        expect(gridAt(lng, lat, [grid('x', geometry)])).not.toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
