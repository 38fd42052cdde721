// Map clustering over an in-memory point set: every case in the box is in exactly one feature, clusters sit on the
// zoom's fixed pixel grid, single points carry the list's warning colour.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildPointSet,
  clusterPoints,
  heatCells,
  mercatorX,
  mercatorY,
  pointsIn,
  stateMask,
  unmercatorX,
  unmercatorY,
  viewportBbox,
  type Bbox,
  type PointRow,
} from '../../src/domain/map/clusters.js';
import { CASE_STATES } from '../../src/shared/vocabulary.js';

const NOW = Date.parse('2026-06-01T08:00:00Z');
const CENTRE: [number, number] = [116.66, 35.43];

const point = fc.record({
  id: fc.integer({ min: 1, max: 1e9 }),
  lng: fc.double({ min: 116.62, max: 116.7, noNaN: true }),
  lat: fc.double({ min: 35.4, max: 35.46, noNaN: true }),
  state: fc.constantFrom(...CASE_STATES),
  urgency: fc.constantFrom('normal' as const, 'urgent' as const, 'critical' as const),
  warnAt: fc.option(fc.integer({ min: -5, max: 5 }).map((h) => new Date(NOW + h * 3_600_000)), { nil: null }),
  dueAt: fc.option(fc.integer({ min: -5, max: 5 }).map((h) => new Date(NOW + h * 3_600_000)), { nil: null }),
}) as fc.Arbitrary<PointRow>;

const inBox = (p: PointRow, [w, s, e, n]: Bbox) => p.lng >= w && p.lng <= e && p.lat >= s && p.lat <= n;

describe('clusterPoints', () => {
  it('feature counts sum to the cases in the box, at every zoom and for any box', () => {
    fc.assert(
      fc.property(
        fc.array(point, { maxLength: 400 }),
        fc.integer({ min: 8, max: 19 }),
        fc.tuple(fc.double({ min: 116.6, max: 116.72, noNaN: true }), fc.double({ min: 35.38, max: 35.48, noNaN: true })),
        fc.subarray([...CASE_STATES]),
        (rows, zoom, centre, states) => {
          const set = buildPointSet(rows);
          const box = viewportBbox(centre, zoom, 1280, 800);
          const mask = stateMask(states);
          const r = clusterPoints([{ set }], box, zoom, mask, NOW);
          const expected = rows.filter((p) => inBox(p, box) && (states.length === 0 || states.includes(p.state))).length;
          expect(r.total).toBe(expected);
          const sum = r.features.reduce((n, f) => n + (f.properties.cluster ? f.properties.count : 1), 0);
          expect(sum).toBe(expected);
          for (const f of r.features) {
            if (!f.properties.cluster) continue;
            expect(f.properties.red + f.properties.yellow + f.properties.green).toBe(f.properties.count);
            expect(f.properties.expansionZoom).toBeGreaterThan(zoom);
          }
          const heat = heatCells([{ set }], box, zoom, mask, NOW);
          expect(heat.features.reduce((n, f) => n + f.properties.count, 0)).toBe(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('zoomed in, single cases with state and the warning colour the case list uses', () => {
    const rows: PointRow[] = [
      { id: 1, lng: 116.66, lat: 35.43, state: 'in_progress', urgency: 'normal', warnAt: new Date(NOW - 7200e3), dueAt: new Date(NOW - 3600e3) },
      { id: 2, lng: 116.6601, lat: 35.4301, state: 'dispatched', urgency: 'urgent', warnAt: new Date(NOW - 3600e3), dueAt: new Date(NOW + 3600e3) },
      { id: 3, lng: 116.6602, lat: 35.4302, state: 'suspended', urgency: 'normal', warnAt: new Date(NOW - 7200e3), dueAt: new Date(NOW - 3600e3) },
      { id: 4, lng: 116.6603, lat: 35.4303, state: 'closed', urgency: 'normal', warnAt: null, dueAt: null },
    ];
    const r = clusterPoints([{ set: buildPointSet(rows) }], viewportBbox(CENTRE, 18, 1280, 800), 18, stateMask(undefined), NOW);
    expect(r.clustered).toBe(false);
    const byId = new Map(r.features.map((f) => [f.properties.cluster ? 0 : f.properties.id, f.properties]));
    expect(byId.get(1)).toMatchObject({ state: 'in_progress', warningLevel: 'red' });
    expect(byId.get(2)).toMatchObject({ state: 'dispatched', warningLevel: 'yellow', urgency: 'urgent' });
    expect(byId.get(3)).toMatchObject({ warningLevel: 'green' }); // a suspended clock stands still
    expect(byId.get(4)).toMatchObject({ warningLevel: 'green' });
  });

  it('zoomed out, nearby cases make one cluster whose cell does not move when the map pans', () => {
    const rows: PointRow[] = Array.from({ length: 50 }, (_, i) => ({
      id: i + 1, lng: 116.66 + (i % 7) * 1e-4, lat: 35.43 + Math.floor(i / 7) * 1e-4, state: 'accepted', urgency: 'normal', warnAt: null, dueAt: null,
    }));
    const set = buildPointSet(rows);
    const a = clusterPoints([{ set }], viewportBbox(CENTRE, 12, 1280, 800), 12, stateMask(undefined), NOW);
    const b = clusterPoints([{ set }], viewportBbox([CENTRE[0] + 0.05, CENTRE[1] - 0.03], 12, 1280, 800), 12, stateMask(undefined), NOW);
    expect(a.features).toHaveLength(1);
    expect(b.features).toEqual(a.features);
  });

  it('a newer set overrides the cases it holds: skipped in the older one, counted once', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 200 }), fc.integer({ min: 10, max: 18 }), (rows, zoom) => {
        const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
        const base = buildPointSet(unique);
        // half the cases changed since: moved and re-stated in the newer set
        const changed = unique.filter((_, i) => i % 2 === 0).map((r) => ({ ...r, lng: 116.66, lat: 35.43, state: 'closed' as const }));
        const newer = buildPointSet(changed);
        const box = viewportBbox(CENTRE, zoom, 1280, 800);
        const r = clusterPoints([{ set: base, skip: new Set(changed.map((c) => c.id)) }, { set: newer }], box, zoom, stateMask(undefined), NOW);
        const now = [...unique.filter((_, i) => i % 2 === 1), ...changed];
        expect(r.total).toBe(now.filter((p) => inBox(p, box)).length);
        expect(r.features.reduce((n, f) => n + (f.properties.cluster ? f.properties.count : 1), 0)).toBe(r.total);
      }),
      { numRuns: 60 },
    );
  });

  it('an empty set answers nothing', () => {
    const set = buildPointSet([]);
    expect(pointsIn(set, [-180, -90, 180, 90], stateMask(undefined))).toEqual([]);
    expect(clusterPoints([{ set }], [-180, -90, 180, 90], 3, stateMask(undefined), NOW).total).toBe(0);
  });
});

describe('Web Mercator', () => {
  it('round-trips positions', () => {
    fc.assert(
      fc.property(fc.double({ min: -179, max: 179, noNaN: true }), fc.double({ min: -80, max: 80, noNaN: true }), (lng, lat) => {
        expect(unmercatorX(mercatorX(lng))).toBeCloseTo(lng, 9);
        expect(unmercatorY(mercatorY(lat))).toBeCloseTo(lat, 9);
      }),
    );
  });
});
