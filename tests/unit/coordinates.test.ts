// WGS-84 ⇄ GCJ-02 / BD-09 at the edges: round trips within 0.5 m, closed rings stay closed, and a file declared in
// GCJ-02 imports to the same grids as the same file in WGS-84 (acceptance criterion of the grid issue).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as turf from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { fromWgs84, positionFromWgs84, positionToWgs84, toWgs84, type Crs } from '../../src/domain/map/coordinates.js';
import { parseGridImport, type ImportedGrid } from '../../src/domain/grids/geojson-import.js';
import { coverageReport } from '../../src/domain/grids/coverage.js';

const metres = (a: Position, b: Position) => turf.distance(a, b, { units: 'meters' });
const positionsOf = (g: Polygon | MultiPolygon): Position[] => (g.type === 'Polygon' ? g.coordinates.flat(1) : g.coordinates.flat(2));
const read = (n: string) => JSON.parse(readFileSync(new URL(`../fixtures/grids/${n}`, import.meta.url), 'utf8')) as FeatureCollection<Polygon>;

// Points within ~50 km of the demo street (116.66, 35.43).
const nearStreet = fc.tuple(fc.double({ min: 116.2, max: 117.1, noNaN: true }), fc.double({ min: 35.0, max: 35.9, noNaN: true }));
// Anywhere in mainland China, roughly.
const inChina = fc.tuple(fc.double({ min: 75, max: 134, noNaN: true }), fc.double({ min: 18, max: 53, noNaN: true }));

describe('positions', () => {
  it('WGS-84 → GCJ-02 is the published offset (a few hundred metres here)', () => {
    const gcj = positionFromWgs84([116.66, 35.43], 'GCJ02');
    expect(gcj[0]).toBeCloseTo(116.665394, 6);
    expect(gcj[1]).toBeCloseTo(35.429631, 6);
    expect(metres([116.66, 35.43], gcj)).toBeGreaterThan(300);
    expect(metres([116.66, 35.43], positionFromWgs84([116.66, 35.43], 'BD09'))).toBeGreaterThan(1000);
  });

  for (const crs of ['GCJ02', 'BD09'] as const) {
    it(`${crs} → WGS-84 → ${crs} and WGS-84 → ${crs} → WGS-84 round-trip within 0.5 m near the street (fast-check)`, () => {
      fc.assert(
        fc.property(nearStreet, (p) => {
          expect(metres(p, positionFromWgs84(positionToWgs84(p, crs), crs))).toBeLessThan(0.5);
          expect(metres(p, positionToWgs84(positionFromWgs84(p, crs), crs))).toBeLessThan(0.5);
        }),
        { numRuns: 500 },
      );
    });

    it(`${crs} round trip stays within 0.5 m anywhere in China, in fact within 1 cm`, () => {
      fc.assert(
        fc.property(inChina, (p) => {
          expect(metres(p, positionToWgs84(positionFromWgs84(p, crs), crs))).toBeLessThan(0.01);
        }),
        { numRuns: 500 },
      );
    });
  }

  it('WGS-84 is the identity, and altitude is kept', () => {
    expect(positionToWgs84([116.66, 35.43, 42], 'WGS84')).toEqual([116.66, 35.43, 42]);
    expect(positionFromWgs84([116.66, 35.43, 42], 'GCJ02')[2]).toBe(42);
    expect(positionToWgs84([116.66, 35.43, 42], 'BD09')[2]).toBe(42);
  });

  it('is deterministic, so a vertex shared by two grids converts to one point', () => {
    fc.assert(
      fc.property(nearStreet, (p) => {
        expect(positionToWgs84([...p], 'GCJ02')).toEqual(positionToWgs84([...p], 'GCJ02'));
      }),
    );
  });
});

describe('geometries', () => {
  const square: Polygon = { type: 'Polygon', coordinates: [[[116.66, 35.43], [116.67, 35.43], [116.67, 35.44], [116.66, 35.44], [116.66, 35.43]]] };

  it('keeps closed rings exactly closed, with a copy rather than a shared position', () => {
    for (const crs of ['WGS84', 'GCJ02', 'BD09'] as const) {
      for (const g of [toWgs84(square, crs), fromWgs84(square, crs)]) {
        const ring = g.coordinates[0]!;
        expect(ring[ring.length - 1]).toEqual(ring[0]);
        expect(ring[ring.length - 1]).not.toBe(ring[0]);
      }
    }
  });

  it('keeps random closed rings closed (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(nearStreet, { minLength: 3, maxLength: 30 }), fc.constantFrom<Crs>('GCJ02', 'BD09'), (pts, crs) => {
        const ring = [...pts, [...pts[0]!]];
        const out = toWgs84({ type: 'Polygon', coordinates: [ring] }, crs).coordinates[0]!;
        expect(out[out.length - 1]).toEqual(out[0]);
        expect(out).toHaveLength(ring.length);
      }),
    );
  });

  it('does not modify its input and drops members in the old datum (bbox)', () => {
    const input = { ...structuredClone(square), bbox: [116.66, 35.43, 116.67, 35.44] } as Polygon;
    const before = structuredClone(input);
    const out = toWgs84(input, 'GCJ02');
    expect(input).toEqual(before);
    expect(out).not.toHaveProperty('bbox');
  });

  it('converts points and multipolygons', () => {
    const pt: Point = { type: 'Point', coordinates: [116.66, 35.43] };
    expect(metres(toWgs84(fromWgs84(pt, 'GCJ02'), 'GCJ02').coordinates, pt.coordinates)).toBeLessThan(0.01);
    const mp: MultiPolygon = { type: 'MultiPolygon', coordinates: [square.coordinates, square.coordinates] };
    const back = toWgs84(fromWgs84(mp, 'BD09'), 'BD09');
    expect(back.type).toBe('MultiPolygon');
    back.coordinates.flat(2).forEach((p, i) => expect(metres(p, mp.coordinates.flat(2)[i]!)).toBeLessThan(0.01));
  });

  it('keeps a tiling a tiling: converted neighbours still share their edges exactly', () => {
    const parent = read('community.geojson').features[0]!.geometry;
    const tiles = read('tiles-clean.geojson').features;
    for (const crs of ['GCJ02', 'BD09'] as const) {
      const report = coverageReport(
        toWgs84(parent, crs),
        tiles.map((f, i) => ({ id: i, code: String(f.properties!.code), geometry: toWgs84(f.geometry, crs) })),
        { sliverM2: 1e-6 },
      );
      expect(report).toEqual({ ok: true, gaps: [], overlaps: [] });
    }
  });
});

describe('importing the same grids declared in another datum (acceptance)', () => {
  function expectSameGrids(a: ImportedGrid[], b: ImportedGrid[]) {
    expect(b.map(({ geometry: _g, ...rest }) => rest)).toEqual(a.map(({ geometry: _g, ...rest }) => rest));
    a.forEach((grid, i) => {
      const pa = positionsOf(grid.geometry);
      const pb = positionsOf(b[i]!.geometry);
      expect(pb).toHaveLength(pa.length);
      pa.forEach((p, j) => expect(metres(p, pb[j]!)).toBeLessThan(0.5));
    });
  }
  const declaredIn = (fcoll: FeatureCollection<Polygon | MultiPolygon>, crs: Crs) => ({
    ...fcoll,
    features: fcoll.features.map((f) => ({ ...f, geometry: fromWgs84(f.geometry, crs) })),
  });

  it('the fixture tiles: GCJ-02 and BD-09 files give the WGS-84 grids within 0.5 m', () => {
    const wgs = read('tiles-clean.geojson');
    const base = parseGridImport(wgs, { crs: 'WGS84' });
    if (!base.ok) throw new Error(JSON.stringify(base.errors));
    for (const crs of ['GCJ02', 'BD09'] as const) {
      const other = parseGridImport(declaredIn(wgs, crs), { crs });
      if (!other.ok) throw new Error(JSON.stringify(other.errors));
      expectSameGrids(base.grids, other.grids);
    }
  });

  it('random rectangles and their holes near the street (fast-check)', () => {
    const rectArb = fc.record({
      x: fc.double({ min: 116.3, max: 117.0, noNaN: true }),
      y: fc.double({ min: 35.1, max: 35.8, noNaN: true }),
      w: fc.double({ min: 0.001, max: 0.05, noNaN: true }),
      h: fc.double({ min: 0.001, max: 0.05, noNaN: true }),
      hole: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(rectArb, { minLength: 1, maxLength: 6 }), (rects) => {
        const wgs: FeatureCollection<Polygon> = {
          type: 'FeatureCollection',
          features: rects.map(({ x, y, w, h, hole }, i) => {
            const rings = [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]];
            if (hole) rings.push([[x + w / 4, y + h / 4], [x + w / 4, y + h / 2], [x + w / 2, y + h / 2], [x + w / 2, y + h / 4], [x + w / 4, y + h / 4]]);
            return {
              type: 'Feature',
              properties: { code: `3708710050010${i}`, name: `网格${i}`, parent: '370871005001', class: 'A' },
              geometry: { type: 'Polygon', coordinates: rings },
            };
          }),
        };
        const base = parseGridImport(wgs, { crs: 'WGS84' });
        const gcj = parseGridImport(declaredIn(wgs, 'GCJ02'), { crs: 'GCJ02' });
        if (!base.ok || !gcj.ok) throw new Error('import failed');
        expectSameGrids(base.grids, gcj.grids);
      }),
      { numRuns: 100 },
    );
  });
});
