// Cutting a grid along a line (src/domain/grids/shapes.ts), without a database: the halves share their new edge
// exactly, so together they tile the original with no gap and no overlap, whatever the polygon and the line.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { area } from '@turf/turf';
import type { Polygon, Position } from 'geojson';
import { coverageReport } from '../../src/domain/grids/coverage.js';
import { validateGridGeometry } from '../../src/domain/grids/validation.js';
import { cutPolygonByLine, sameGeometry } from '../../src/domain/grids/shapes.js';

const square: Polygon = { type: 'Polygon', coordinates: [[[116.65, 35.42], [116.66, 35.42], [116.66, 35.43], [116.65, 35.43], [116.65, 35.42]]] };

/**
 * The halves are exact in lng/lat: their planar areas add up to the original's to rounding. Clipping and geodesic
 * areas (turf) are not: a vertex inserted on a straight kilometre-long edge leaves a hairline "gap" of up to ~1 m²
 * but well under a millimetre wide, which is what coverage's sliver width is for. Anything wider than 5 mm counts.
 */
function planarArea(p: Polygon): number {
  // Relative to a nearby origin: products of raw longitudes (~116) would cancel away the digits that matter.
  const [ox, oy] = [116.66, 35.43];
  let total = 0;
  p.coordinates.forEach((ring, r) => {
    let s = 0;
    for (let i = 0; i < ring.length - 1; i++) s += (ring[i]![0]! - ox) * (ring[i + 1]![1]! - oy) - (ring[i + 1]![0]! - ox) * (ring[i]![1]! - oy);
    total += (r === 0 ? 1 : -1) * Math.abs(s / 2);
  });
  return total;
}

function expectTiles(original: Polygon, parts: Polygon[]) {
  for (const part of parts) expect(validateGridGeometry(part)).toEqual([]);
  const report = coverageReport(original, parts.map((geometry, i) => ({ id: i, code: String(i), geometry })), { sliverM2: 0.01, sliverWidthM: 0.005 });
  expect(report).toEqual({ ok: true, gaps: [], overlaps: [] });
  const whole = planarArea(original);
  expect(Math.abs(planarArea(parts[0]!) + planarArea(parts[1]!) - whole)).toBeLessThan(whole * 1e-9);
  expect(Math.min(area(parts[0]!), area(parts[1]!))).toBeGreaterThan(0);
}

describe('cutPolygonByLine', () => {
  it('cuts a square along a bent line into two halves that tile it', () => {
    const cut = cutPolygonByLine(square, [[116.64, 35.425], [116.655, 35.427], [116.67, 35.424]]);
    expect(cut.ok).toBe(true);
    if (!cut.ok) return;
    expectTiles(square, cut.parts);
    // The bend is a vertex of both halves.
    for (const part of cut.parts) expect(part.coordinates[0]).toContainEqual([116.655, 35.427]);
  });

  it('cuts through a corner exactly', () => {
    const cut = cutPolygonByLine(square, [[116.645, 35.415], [116.665, 35.435]]);
    expect(cut.ok).toBe(true);
    if (!cut.ok) return;
    expectTiles(square, cut.parts);
  });

  it('refuses lines that do not cross once: missing, ending inside, zigzagging, or running outside', () => {
    expect(cutPolygonByLine(square, [[116.60, 35.40], [116.61, 35.41]])).toEqual({ ok: false, crossings: 0 });
    expect(cutPolygonByLine(square, [[116.64, 35.425], [116.655, 35.425]])).toEqual({ ok: false, crossings: 1 });
    expect(cutPolygonByLine(square, [[116.64, 35.424], [116.67, 35.424], [116.67, 35.426], [116.64, 35.426]])).toEqual({ ok: false, crossings: 4 });
    // Starts inside, leaves, and comes back in: two crossings, but the part between them runs outside.
    expect(cutPolygonByLine(square, [[116.655, 35.425], [116.67, 35.425], [116.67, 35.428], [116.655, 35.428]])).toEqual({ ok: false, crossings: 2 });
  });

  it('gives a hole to the half that holds it, and refuses a line through a hole', () => {
    const holed: Polygon = {
      type: 'Polygon',
      coordinates: [square.coordinates[0]!, [[116.652, 35.422], [116.654, 35.422], [116.654, 35.424], [116.652, 35.424], [116.652, 35.422]]],
    };
    const cut = cutPolygonByLine(holed, [[116.64, 35.427], [116.67, 35.427]]);
    expect(cut.ok).toBe(true);
    if (!cut.ok) return;
    expect(cut.parts.map((p) => p.coordinates.length).sort()).toEqual([1, 2]);
    expectTiles(holed, cut.parts);
    expect(cutPolygonByLine(holed, [[116.64, 35.423], [116.67, 35.423]]).ok).toBe(false);
  });

  it('tiles any convex polygon cut by any straight line across it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 12 }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        fc.double({ min: -0.6, max: 0.6, noNaN: true }),
        (n, angle, offset) => {
          // A regular n-gon of radius 0.005° and a line at `angle` through a point `offset` radii from the centre.
          const [cx, cy, r] = [116.66, 35.43, 0.005];
          const ring: Position[] = [];
          for (let k = 0; k < n; k++) ring.push([cx + r * Math.cos((2 * Math.PI * k) / n), cy + r * Math.sin((2 * Math.PI * k) / n)]);
          ring.push([...ring[0]!]);
          const polygon: Polygon = { type: 'Polygon', coordinates: [ring] };
          const [dx, dy] = [Math.cos(angle), Math.sin(angle)];
          const [px, py] = [cx - dy * offset * r, cy + dx * offset * r];
          const cut = cutPolygonByLine(polygon, [[px - dx * 3 * r, py - dy * 3 * r], [px + dx * 3 * r, py + dy * 3 * r]]);
          if (!cut.ok) return cut.crossings !== 2; // a line through a vertex may graze it; never a bad cut
          expectTiles(polygon, cut.parts);
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('sameGeometry', () => {
  it('treats vertices within 1 cm as the same, and anything more as an edit', () => {
    const moved = (d: number): Polygon => ({ type: 'Polygon', coordinates: [square.coordinates[0]!.map(([x, y]) => [x! + d, y!])] });
    expect(sameGeometry(square, moved(5e-8))).toBe(true);
    expect(sameGeometry(square, moved(5e-6))).toBe(false);
    expect(sameGeometry(square, { type: 'MultiPolygon', coordinates: [square.coordinates] })).toBe(false);
  });
});
