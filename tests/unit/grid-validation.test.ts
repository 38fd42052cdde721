// Rules for one grid boundary and for a set of grids, and the zh-CN / English rendering of their problems.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { validateGridGeometry, validateGridSet, type GridSetItem } from '../../src/domain/grids/validation.js';
import {
  GRID_MESSAGES,
  renderFeatureProblem,
  renderGridProblem,
  renderSheetProblem,
  type GridProblemCode,
} from '../../src/domain/grids/messages.js';

const X = 116.66;
const Y = 35.43;
const rectRing = (x0: number, y0: number, x1: number, y1: number): Position[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const poly = (...rings: Position[][]): Polygon => ({ type: 'Polygon', coordinates: rings });
const multi = (...polys: Position[][][]): MultiPolygon => ({ type: 'MultiPolygon', coordinates: polys });
const codes = (g: unknown) => validateGridGeometry(g).map((p) => p.code);

describe('validateGridGeometry: valid boundaries', () => {
  it('accepts a rectangle, a polygon with a hole and a multipolygon', () => {
    expect(validateGridGeometry(poly(rectRing(X, Y, X + 0.01, Y + 0.01)))).toEqual([]);
    expect(validateGridGeometry(poly(rectRing(X, Y, X + 0.01, Y + 0.01), rectRing(X + 0.002, Y + 0.002, X + 0.004, Y + 0.004).reverse()))).toEqual([]);
    expect(validateGridGeometry(multi([rectRing(X, Y, X + 0.01, Y + 0.01)], [rectRing(X + 0.02, Y, X + 0.03, Y + 0.01)]))).toEqual([]);
  });

  it('tolerates repeated consecutive vertices (common in desktop GIS exports)', () => {
    const ring = rectRing(X, Y, X + 0.01, Y + 0.01);
    ring.splice(1, 0, [...ring[1]!]);
    expect(validateGridGeometry(poly(ring))).toEqual([]);
  });

  it('accepts every convex polygon of random points (fast-check)', () => {
    const pt = fc.tuple(fc.double({ min: X, max: X + 0.05, noNaN: true }), fc.double({ min: Y, max: Y + 0.05, noNaN: true }));
    fc.assert(
      fc.property(fc.array(pt, { minLength: 3, maxLength: 40 }), (pts) => {
        const hull = convexHull(pts);
        fc.pre(hull.length >= 3 && Math.abs(shoelace([...hull, hull[0]!])) > 1e-10);
        expect(validateGridGeometry(poly([...hull, hull[0]!]))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('validateGridGeometry: problems', () => {
  it('refuses what is not a polygon, naming the type', () => {
    expect(validateGridGeometry({ type: 'LineString', coordinates: [[X, Y], [X + 1, Y]] })).toEqual([{ code: 'not_polygon', params: { type: 'LineString' } }]);
    expect(codes({ type: 'Point', coordinates: [X, Y] })).toEqual(['not_polygon']);
    expect(codes('POLYGON((…))')).toEqual(['not_polygon']);
    expect(codes(null)).toEqual(['missing_geometry']);
    expect(codes(undefined)).toEqual(['missing_geometry']);
  });

  it('refuses malformed nesting', () => {
    expect(codes({ type: 'Polygon', coordinates: [] })).toEqual(['malformed_coordinates']);
    expect(codes({ type: 'Polygon', coordinates: 'x' })).toEqual(['malformed_coordinates']);
    expect(codes({ type: 'MultiPolygon', coordinates: [] })).toEqual(['malformed_coordinates']);
    expect(codes({ type: 'Polygon', coordinates: [[X, Y]] })).toContain('coordinate_not_finite');
  });

  it('refuses an unclosed ring, giving its ends', () => {
    const ring = rectRing(X, Y, X + 0.01, Y + 0.01).slice(0, 4);
    ring.push([X + 0.0001, Y]);
    expect(validateGridGeometry(poly(ring))).toEqual([
      { code: 'ring_not_closed', params: { part: 1, ring: 1, first: '116.66,35.43', last: '116.6601,35.43' } },
    ]);
  });

  it('refuses rings with fewer than 4 positions or 3 distinct points', () => {
    expect(codes(poly([[X, Y], [X + 0.01, Y], [X, Y]]))).toEqual(['ring_too_short']);
    expect(validateGridGeometry(poly([[X, Y], [X + 0.01, Y], [X + 0.01, Y], [X, Y]]))).toEqual([
      { code: 'ring_too_short', params: { part: 1, ring: 1, count: 4, distinct: 2 } },
    ]);
    // The hole of the second part is the short one: the location names part 2, ring 2.
    const p = validateGridGeometry(multi([rectRing(X, Y, X + 0.01, Y + 0.01)], [rectRing(X + 0.02, Y, X + 0.03, Y + 0.01), [[X + 0.021, Y + 0.001], [X + 0.022, Y + 0.001], [X + 0.021, Y + 0.001]]]));
    expect(p).toEqual([{ code: 'ring_too_short', params: { part: 2, ring: 2, count: 3, distinct: 2 } }]);
  });

  it('refuses a ring whose points are collinear', () => {
    expect(codes(poly([[X, Y], [X + 0.01, Y + 0.01], [X + 0.02, Y + 0.02], [X, Y]]))).toEqual(['ring_zero_area']);
  });

  it('refuses non-finite and out-of-range coordinates', () => {
    expect(validateGridGeometry(poly([[X, Y], [X + 0.01, Number.NaN], [X + 0.01, Y + 0.01], [X, Y]]))).toEqual([
      { code: 'coordinate_not_finite', params: { part: 1, ring: 1, position: 2 } },
    ]);
    expect(codes(poly([[X, Y], [X + 0.01, Infinity], [X + 0.01, Y + 0.01], [X, Y]]))).toEqual(['coordinate_not_finite']);
    expect(codes(poly([[X, Y], ['116.67', Y], [X + 0.01, Y + 0.01], [X, Y]] as unknown as Position[]))).toEqual(['coordinate_not_finite']);
    // Projected metres (a common mistake: CGCS2000 3-degree Gauss-Kruger) are out of range.
    const projected = validateGridGeometry(poly(rectRing(39_500_000, 3_920_000, 39_500_100, 3_920_100)));
    expect(projected).toEqual([
      { code: 'coordinate_out_of_range', params: { part: 1, ring: 1, position: 1, lng: 39_500_000, lat: 3_920_000 } },
    ]);
    expect(codes(poly(rectRing(X, 89.5, X + 1, 90.5)))).toEqual(['coordinate_out_of_range']);
  });

  it('refuses a self-intersecting ring and says where', () => {
    const bowtie = poly([[X, Y], [X + 0.01, Y + 0.01], [X + 0.01, Y], [X, Y + 0.01], [X, Y]]);
    const p = validateGridGeometry(bowtie);
    expect(p).toHaveLength(1);
    expect(p[0]!.code).toBe('self_intersection');
    expect(p[0]!.params.at).toBe('116.665,35.435');
    expect(p[0]!.params.count).toBe(1);
  });

  it('refuses a hole crossing its shell as a self-intersection', () => {
    const p = validateGridGeometry(poly(rectRing(X, Y, X + 0.01, Y + 0.01), rectRing(X + 0.005, Y + 0.002, X + 0.02, Y + 0.004)));
    expect(p.map((x) => x.code)).toEqual(['self_intersection']);
    expect(p[0]!.params.count).toBe(2);
  });

  it('refuses a hole outside its shell', () => {
    const p = validateGridGeometry(poly(rectRing(X, Y, X + 0.01, Y + 0.01), rectRing(X + 0.02, Y, X + 0.03, Y + 0.01)));
    expect(p).toEqual([{ code: 'hole_outside_shell', params: { part: 1, ring: 2, at: '116.68,35.43' } }]);
  });

  it('lists every structural problem, not only the first', () => {
    const g = multi(
      [[[X, Y], [X + 0.01, Y], [X + 0.01, Y + 0.01], [X, Y + 0.02]]], // not closed
      [[[X, Y], [X + 0.01, Y], [X, Y]]], // too short
    );
    expect(codes(g)).toEqual(['ring_not_closed', 'ring_too_short']);
  });
});

describe('validateGridSet', () => {
  const community = { code: '370871005001', geometry: poly(rectRing(X, Y, X + 0.02, Y + 0.02)) };
  const item = (code: string, parentCode: string | null, geometry: Polygon | null): GridSetItem => ({ code, parentCode, geometry });

  it('accepts a two-level set inside its parent', () => {
    const set = [
      item('37087100500101', '370871005001', poly(rectRing(X, Y, X + 0.01, Y + 0.02))),
      item('37087100500102', '370871005001', poly(rectRing(X + 0.01, Y, X + 0.02, Y + 0.02))),
      item('3708710050010101', '37087100500101', poly(rectRing(X, Y, X + 0.01, Y + 0.01))),
    ];
    expect(validateGridSet(set, [community])).toEqual([]);
  });

  it('reports duplicate codes, pointing at the first use', () => {
    const g = poly(rectRing(X, Y, X + 0.01, Y + 0.01));
    const p = validateGridSet([item('37087100500101', '370871005001', g), item('37087100500102', '370871005001', g), item('37087100500101', '370871005001', g)], [community]);
    expect(p).toEqual([{ index: 2, code: '37087100500101', problem: 'duplicate_code', params: { code: '37087100500101', other: 1 } }]);
  });

  it('reports codes that do not extend the parent code', () => {
    const g = poly(rectRing(X, Y, X + 0.01, Y + 0.01));
    const p = validateGridSet([item('37087100600101', '370871005001', g), item('370871005001', '370871005001', g)], [community]);
    expect(p.map((x) => [x.index, x.problem])).toEqual([
      [0, 'code_not_extending_parent'],
      [1, 'code_not_extending_parent'],
    ]);
    expect(p[0]!.params).toEqual({ code: '37087100600101', parent: '370871005001' });
  });

  it('reports unknown parents unless told not to', () => {
    const g = poly(rectRing(X, Y, X + 0.01, Y + 0.01));
    const set = [item('37087100900101', '370871009001', g)];
    expect(validateGridSet(set, [community]).map((x) => x.problem)).toEqual(['unknown_parent']);
    expect(validateGridSet(set, [community], { requireKnownParent: false })).toEqual([]);
  });

  it('reports a child outside its parent, with area and location, but not one within tolerance', () => {
    // 0.0005° of longitude ≈ 45 m beyond the eastern edge.
    const out = item('37087100500101', '370871005001', poly(rectRing(X + 0.015, Y, X + 0.0205, Y + 0.01)));
    const p = validateGridSet([out], [community]);
    expect(p).toHaveLength(1);
    expect(p[0]!.problem).toBe('outside_parent');
    expect(p[0]!.params.parent).toBe('370871005001');
    expect(p[0]!.params.toleranceM).toBe(1);
    // ≈ 45 m × 1110 m beyond the edge, less the 1 m tolerance strip.
    expect(Number(p[0]!.params.areaM2)).toBeGreaterThan(40_000);
    expect(Number(p[0]!.params.areaM2)).toBeLessThan(55_000);
    expect(String(p[0]!.params.at)).toMatch(/^116\.680\d*,35\.43\d*$/);

    // ≈ 0.5 m beyond the edge (GCJ-02 round-off, digitising): within the default 1 m, refused with 0.1 m.
    const near = item('37087100500101', '370871005001', poly(rectRing(X + 0.015, Y, X + 0.02 + 0.0000055, Y + 0.01)));
    expect(validateGridSet([near], [community])).toEqual([]);
    expect(validateGridSet([near], [community], { toleranceM: 0.1 }).map((x) => x.problem)).toEqual(['outside_parent']);
  });

  it('checks a child against a parent from the same set', () => {
    const set = [
      item('37087100500101', '370871005001', poly(rectRing(X, Y, X + 0.01, Y + 0.01))),
      item('3708710050010101', '37087100500101', poly(rectRing(X + 0.005, Y, X + 0.015, Y + 0.01))),
    ];
    expect(validateGridSet(set, [community]).map((x) => [x.index, x.problem])).toEqual([[1, 'outside_parent']]);
  });

  it('skips containment when a boundary is missing', () => {
    const set = [item('37087100500101', '370871005001', null), item('3708710050010101', '37087100500101', poly(rectRing(X + 0.5, Y, X + 0.6, Y + 0.1)))];
    expect(validateGridSet(set, [{ code: '370871005001' }])).toEqual([]);
  });

  it('checks the fixture tiles against their community', () => {
    const read = (n: string) => JSON.parse(readFileSync(new URL(`../fixtures/grids/${n}`, import.meta.url), 'utf8')) as FeatureCollection<Polygon>;
    const parent = { code: '370871005001', geometry: read('community.geojson').features[0]!.geometry };
    const tiles = read('tiles-clean.geojson').features.map((f) => item(String(f.properties!.code), String(f.properties!.parent), f.geometry));
    expect(validateGridSet(tiles, [parent], { toleranceM: 0 })).toEqual([]);
  });
});

describe('problem messages', () => {
  it('every code has both languages and renders without leftover placeholders for typical params', () => {
    const params = {
      type: 'Point', part: 1, ring: 2, position: 3, lng: 116.66, lat: 35.43, first: 'a', last: 'b', count: 3, distinct: 2,
      at: '116.66,35.43', code: 'c', parent: 'p', other: 2, otherName: 'n', areaM2: 12, toleranceM: 1, value: 'v', max: 9, length: 10,
      column: '手机', detail: 'd', grid: 'g', name: 'n', accountName: 'an',
    };
    for (const code of Object.keys(GRID_MESSAGES) as GridProblemCode[]) {
      for (const lang of ['zh-CN', 'en'] as const) {
        const text = renderGridProblem({ code, params }, lang);
        expect(text, `${code} ${lang}`).not.toMatch(/\{\w+\}/);
        expect(text.length).toBeGreaterThan(5);
      }
    }
  });

  it('names the feature by its 1-based position and code', () => {
    const [problem] = validateGridGeometry(poly([[116.66, 35.43], [116.67, 35.44], [116.67, 35.43], [116.66, 35.44], [116.66, 35.43]]));
    const error = { index: 2, code: '37087100500101', problem: problem!.code, params: problem!.params };
    expect(renderFeatureProblem(error, 'zh-CN')).toBe('第 3 个要素（编码 37087100500101）：边界自相交，位置 116.665,35.435（共 1 处）。');
    expect(renderFeatureProblem(error, 'en')).toBe('Feature 3 (code 37087100500101): ring self-intersects at 116.665,35.435 (1 place(s) in all).');
    expect(renderFeatureProblem({ index: 0, problem: 'missing_code', params: {} }, 'en')).toBe('Feature 1: has no grid code (code / 编码).');
    expect(renderFeatureProblem({ index: null, problem: 'no_features', params: {} }, 'zh-CN')).toBe('文件中没有任何要素。');
  });

  it('names the sheet row and column', () => {
    const e = { row: 5, column: '手机', problem: 'invalid_phone' as const, params: { value: '1380000' } };
    expect(renderSheetProblem(e, 'zh-CN')).toBe('第 5 行“手机”：手机号“1380000”不正确，应为 11 位大陆手机号码。');
    expect(renderSheetProblem(e, 'en')).toBe('Row 5, 手机: phone "1380000" is not an 11-digit mainland China mobile number.');
  });
});

// ---------------------------------------------------------------------------------------------------------------

function shoelace(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += (ring[i]![0]! - X) * (ring[i + 1]![1]! - Y) - (ring[i + 1]![0]! - X) * (ring[i]![1]! - Y);
  return s / 2;
}

/** Andrew's monotone chain; collinear points dropped, so the hull is a simple polygon. */
function convexHull(points: Position[]): Position[] {
  const pts = [...points].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  const cross = (o: Position, a: Position, b: Position) => (a[0]! - o[0]!) * (b[1]! - o[1]!) - (a[1]! - o[1]!) * (b[0]! - o[0]!);
  const build = (list: Position[]) => {
    const h: Position[] = [];
    for (const p of list) {
      while (h.length >= 2 && cross(h[h.length - 2]!, h[h.length - 1]!, p) <= 0) h.pop();
      h.push(p);
    }
    return h;
  };
  const lower = build(pts);
  const upper = build([...pts].reverse());
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}
