// A-class grids may not overlap any other A-class grid, whatever their parents: the check names the other grid and
// the overlap's area, lets a grid overlap the grids above it, ignores slivers along shared borders, and stays fast
// for a street's several hundred grids.
import fc from 'fast-check';
import * as turf from '@turf/turf';
import type { Polygon, Position } from 'geojson';
import { bboxOf } from '../../src/domain/grids/geometry.js';
import { toWgs84, type Crs } from '../../src/domain/map/coordinates.js';
import { describe, expect, it } from 'vitest';
import { aClassOverlaps, DEFAULT_OVERLAP_TOLERANCE_M, interiorsMayMeet, type OverlapGrid } from '../../src/domain/grids/overlap.js';

const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});
const grid = (code: string, geometry: Polygon, ancestors: string[] = []): OverlapGrid => ({ code, name: `网格${code}`, ancestors, geometry });

describe('aClassOverlaps', () => {
  const [x0, y0, s] = [116.9, 35.4, 0.002];

  it('names the other grid and the overlap area, whatever the parents', () => {
    const stored = [grid('A01', rect(x0, y0, x0 + s, y0 + s), ['A']), grid('B01', rect(x0 + s, y0, x0 + 2 * s, y0 + s), ['B'])];
    // A new grid of parent C reaching a quarter of a cell into B01.
    const mine = grid('C01', rect(x0 + 1.75 * s, y0, x0 + 3 * s, y0 + s), ['C']);
    const found = aClassOverlaps([mine], stored);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ index: 0, code: 'C01', other: 'B01', otherName: '网格B01' });
    const expected = turf.area(rect(x0 + 1.75 * s, y0, x0 + 2 * s, y0 + s));
    expect(Math.abs(found[0]!.areaM2 - expected)).toBeLessThan(1);
    expect(found[0]!.at).toMatch(/^116\.\d+,35\.\d+$/);
  });

  it('lets a grid overlap the grids above it, and neighbours share borders', () => {
    const parent = grid('P', rect(x0, y0, x0 + 2 * s, y0 + s));
    const left = grid('P01', rect(x0, y0, x0 + s, y0 + s), ['P']);
    const right = grid('P02', rect(x0 + s, y0, x0 + 2 * s, y0 + s), ['P']);
    expect(aClassOverlaps([left, right], [parent])).toEqual([]);
    expect(aClassOverlaps([parent], [left, right])).toEqual([]);
  });

  it('a stored grid with the code of a candidate is replaced by it, not compared with it', () => {
    const old = grid('A01', rect(x0, y0, x0 + s, y0 + s));
    expect(aClassOverlaps([grid('A01', rect(x0, y0, x0 + 1.5 * s, y0 + s))], [old])).toEqual([]);
  });

  it('reports a pair of candidates once, on the later one', () => {
    const a = grid('A01', rect(x0, y0, x0 + s, y0 + s));
    const b = grid('A02', rect(x0 + 0.5 * s, y0, x0 + 1.5 * s, y0 + s));
    expect(aClassOverlaps([a, b], []).map((o) => [o.index, o.code, o.other])).toEqual([[1, 'A02', 'A01']]);
  });

  it('ignores a digitising sliver along a shared border (centimetres wide, a kilometre long)', () => {
    const a = grid('A01', rect(x0, y0, x0 + 0.01, y0 + 0.01));
    // 3e-7° ≈ 3 cm of longitude: a strip of ~30 m², far above the noise area, far below the width tolerance
    const b = grid('A02', rect(x0 + 0.01 - 3e-7, y0, x0 + 0.02, y0 + 0.01));
    expect(aClassOverlaps([b], [a])).toEqual([]);
    // but 2 m of overlap along the same border is an overlap
    const c = grid('A03', rect(x0 + 0.01 - 2.5e-5, y0, x0 + 0.02, y0 + 0.01));
    expect(aClassOverlaps([c], [a]).map((o) => o.other)).toEqual(['A01']);
  });

  it('property: any two A grids accepted one after another overlap by no more than the tolerance', () => {
    // Rectangles on a 1e-4° lattice (~10 m), some nested under an earlier accepted grid (allowed to overlap it).
    const unit = 1e-4;
    const arbRect = fc
      .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 15 }), fc.nat(), fc.boolean())
      .map(([i, j, w, h, parentPick, nested]) => ({ i, j, w, h, parentPick, nested }));
    fc.assert(
      fc.property(fc.array(arbRect, { minLength: 2, maxLength: 25 }), (drawn) => {
        const accepted: OverlapGrid[] = [];
        drawn.forEach((d, k) => {
          let geometry = rect(x0 + d.i * unit, y0 + d.j * unit, x0 + (d.i + d.w) * unit, y0 + (d.j + d.h) * unit);
          let ancestors: string[] = [];
          if (d.nested && accepted.length > 0) {
            // a child drawn inside an accepted grid: its rectangle clipped to its parent's
            const parent = accepted[d.parentPick % accepted.length]!;
            const clipped = turf.intersect(turf.featureCollection([turf.feature(geometry), turf.feature(parent.geometry)]));
            if (!clipped || clipped.geometry.type !== 'Polygon') return;
            geometry = clipped.geometry;
            ancestors = [...parent.ancestors, parent.code];
          }
          const candidate = grid(`G${k}`, geometry, ancestors);
          if (aClassOverlaps([candidate], accepted).length === 0) accepted.push(candidate);
        });
        for (let a = 0; a < accepted.length; a++)
          for (let b = a + 1; b < accepted.length; b++) {
            const [p, q] = [accepted[a]!, accepted[b]!];
            if (p.ancestors.includes(q.code) || q.ancestors.includes(p.code)) continue;
            const shared = turf.intersect(turf.featureCollection([turf.feature(p.geometry), turf.feature(q.geometry)]));
            if (!shared) continue;
            // on a 10 m lattice an accepted pair can only share borders: no area at all
            expect(turf.area(shared)).toBeLessThan(1);
          }
      }),
      { numRuns: 60 },
    );
  });
});

describe('on boundaries drawn on Chinese base maps', () => {
  it('property: a clean tiling drawn in GCJ-02 or BD-09 and converted to WGS-84 has no overlaps; a grid grown into its neighbour has', () => {
    const arb = fc.record({
      crs: fc.constantFrom<Crs>('GCJ02', 'BD09'),
      x0: fc.double({ min: 116.5, max: 116.8, noNaN: true }),
      y0: fc.double({ min: 35.3, max: 35.6, noNaN: true }),
      cols: fc.integer({ min: 2, max: 4 }),
      rows: fc.integer({ min: 2, max: 4 }),
      step: fc.double({ min: 0.001, max: 0.004, noNaN: true }),
      jitter: fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), { minLength: 1, maxLength: 20 }),
    });
    fc.assert(
      fc.property(arb, ({ crs, x0, y0, cols, rows, step, jitter }) => {
        const v = (i: number, j: number): Position => {
          const inside = i > 0 && j > 0 && i < cols && j < rows;
          const k = (i * (rows + 1) + j) % jitter.length;
          return [x0 + i * step + (inside ? jitter[k]![0]! * step * 0.3 : 0), y0 + j * step + (inside ? jitter[k]![1]! * step * 0.3 : 0)];
        };
        const cells: OverlapGrid[] = [];
        for (let i = 0; i < cols; i++)
          for (let j = 0; j < rows; j++) {
            const drawn: Polygon = { type: 'Polygon', coordinates: [[v(i, j), v(i + 1, j), v(i + 1, j + 1), v(i, j + 1), v(i, j)]] };
            cells.push(grid(`T${i}_${j}`, toWgs84(drawn, crs), ['P']));
          }
        expect(aClassOverlaps(cells, [])).toEqual([]);
        // the first cell's east edge pushed a tenth of a cell into its neighbour
        const [a, b, c, d] = [v(0, 0), v(1, 0), v(1, 1), v(0, 1)];
        const push = (p: Position): Position => [p[0]! + step * 0.1, p[1]!];
        const grown: Polygon = { type: 'Polygon', coordinates: [[a, push(b), push(c), d, a]] };
        const found = aClassOverlaps([grid('T0_0', toWgs84(grown, crs), ['P'])], cells);
        expect(found.map((o) => o.other)).toContain('T1_0');
      }),
      { numRuns: 25 },
    );
  });
});

describe('interiorsMayMeet (the quick test before the overlay)', () => {
  it('property: never says "cannot meet" for two shapes whose insides do meet', () => {
    // Triangles and quadrilaterals on a coarse lattice: shared vertices, shared edges, vertices on edges,
    // containment and crossings all come up often.
    const pt = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })).map(([i, j]) => [116.9 + i * 1e-3, 35.4 + j * 1e-3] as Position);
    const shape = fc.array(pt, { minLength: 3, maxLength: 4 }).filter((ps) => {
      const ring = [...ps, ps[0]!];
      const poly = turf.polygon([ring]);
      return turf.area(poly) > 1 && turf.kinks(poly).features.length === 0;
    });
    fc.assert(
      fc.property(shape, shape, (pa, pb) => {
        const a: Polygon = { type: 'Polygon', coordinates: [[...pa, pa[0]!]] };
        const b: Polygon = { type: 'Polygon', coordinates: [[...pb, pb[0]!]] };
        if (interiorsMayMeet(a, b, bboxOf(a), bboxOf(b))) return;
        const shared = turf.intersect(turf.featureCollection([turf.feature(a), turf.feature(b)]));
        // turf.intersect of two shapes that only share an edge can leave a floating-point sliver (well under 1 m² on
        // this 100 m lattice): that is not a meeting of insides
        expect(shared ? turf.area(shared) : 0).toBeLessThan(1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('performance', () => {
  /** A cols × rows lattice of cells whose edges carry `perEdge` vertices each, interior corners jittered. */
  function lattice(cols: number, rows: number, perEdge: number): OverlapGrid[] {
    const step = 0.002;
    const jitter = (i: number, j: number): Position => {
      const inside = i > 0 && j > 0 && i < cols && j < rows;
      const h = Math.sin(i * 12.9898 + j * 78.233) * 43758.5453;
      const r = h - Math.floor(h);
      return [x(i) + (inside ? (r - 0.5) * step * 0.3 : 0), y(j) + (inside ? (r - 0.5) * step * 0.2 : 0)];
    };
    const x = (i: number) => 116.9 + i * step;
    const y = (j: number) => 35.4 + j * step;
    const edge = (a: Position, b: Position): Position[] =>
      Array.from({ length: perEdge }, (_, k) => [a[0]! + ((b[0]! - a[0]!) * k) / perEdge, a[1]! + ((b[1]! - a[1]!) * k) / perEdge]);
    const out: OverlapGrid[] = [];
    for (let i = 0; i < cols; i++)
      for (let j = 0; j < rows; j++) {
        const [a, b, c, d] = [jitter(i, j), jitter(i + 1, j), jitter(i + 1, j + 1), jitter(i, j + 1)];
        const ring = [...edge(a, b), ...edge(b, c), ...edge(c, d), ...edge(d, a), a];
        out.push(grid(`L${i}_${j}`, { type: 'Polygon', coordinates: [ring] }, ['P']));
      }
    return out;
  }

  it('a street of 459 grids (re-imported at once, 200 vertices each) is checked in seconds', () => {
    const grids = lattice(27, 17, 50);
    const t0 = performance.now();
    expect(aClassOverlaps(grids, [])).toEqual([]);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(60_000); // ~2.5 s on an idle machine; slack for a loaded CI runner
  });

  it('one edited grid against 459 stored ones is quick', () => {
    const grids = lattice(27, 17, 50);
    const edited = grids[200]!;
    const grown = turf.transformScale(turf.feature(edited.geometry), 1.2).geometry as Polygon;
    const t0 = performance.now();
    const found = aClassOverlaps([{ ...edited, geometry: grown }], grids);
    const ms = performance.now() - t0;
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((o) => o.areaM2 > 0 && o.toleranceM === DEFAULT_OVERLAP_TOLERANCE_M)).toBe(true);
    expect(ms).toBeLessThan(10_000); // ~0.1 s idle
  });
});
