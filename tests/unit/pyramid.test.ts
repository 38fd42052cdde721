// The pyramid's cell sums (src/domain/map/pyramid.ts) answer exactly as counting every point: the same features,
// counts, warning colours and expansion zooms, for any box and zoom, with changed cases skipped, in heat and clusters.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildPointSet, clusterPoints, heatCells, openLoad, stateMask, viewportBbox, type Bbox, type PointRow } from '../../src/domain/map/clusters.js';
import { CASE_STATES } from '../../src/shared/vocabulary.js';

const NOW = Date.parse('2026-06-01T08:00:00Z');
const CENTRE: [number, number] = [116.66, 35.43];

// half the points on a few hot spots (a market, a school gate), as reports cluster, the rest spread out
const point = (id: number) =>
  fc
    .record({
      hot: fc.integer({ min: -1, max: 4 }),
      dx: fc.double({ min: 0, max: 1, noNaN: true }),
      dy: fc.double({ min: 0, max: 1, noNaN: true }),
      state: fc.constantFrom(...CASE_STATES),
      urgency: fc.constantFrom('normal' as const, 'urgent' as const, 'critical' as const),
      warn: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
      due: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
      area: fc.constantFrom('/1/2/3/g1/', '/1/2/3/g2/', null),
    })
    .map(
      (r): PointRow => ({
        id,
        lng: r.hot < 0 ? 116.62 + 0.08 * r.dx : 116.64 + 0.01 * r.hot + 0.0002 * r.dx,
        lat: r.hot < 0 ? 35.4 + 0.06 * r.dy : 35.42 + 0.005 * r.hot + 0.0002 * r.dy,
        state: r.state,
        urgency: r.urgency,
        warnAt: r.warn == null ? null : new Date(NOW + r.warn * 3_600_000),
        dueAt: r.due == null ? null : new Date(NOW + r.due * 3_600_000),
        areaPath: r.area,
      }),
    );

const rows = (n: number) => fc.tuple(...Array.from({ length: n }, (_, i) => point(i + 1)));

/** An answer with positions rounded (sums taken in another order) and features in a fixed order (single points
 * come in the set's order, which the pyramid changes). */
function plain<T extends { features: unknown[] }>(x: T): T {
  const r = JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e9) / 1e9 : v))) as T;
  r.features = r.features.map((f) => JSON.stringify(f)).sort();
  return r;
}

describe('pyramid', () => {
  it('clusters and heat cells equal a count of every point, at every zoom, panned, with changed cases skipped', () => {
    fc.assert(
      fc.property(rows(300), fc.integer({ min: 10, max: 19 }), fc.double({ min: -0.01, max: 0.01, noNaN: true }), fc.double({ min: -0.01, max: 0.01, noNaN: true }), fc.integer({ min: 0, max: 6 }), (ps, zoom, dx, dy, skipEvery) => {
        const flat = buildPointSet(ps, { pyramid: false });
        const cells = buildPointSet(ps, { pyramid: true });
        expect(cells.pyramid).not.toBeNull();
        const skip = new Set(skipEvery ? ps.filter((p) => p.id % (skipEvery + 1) === 0).map((p) => p.id) : []);
        const bbox = viewportBbox([CENTRE[0] + dx, CENTRE[1] + dy], zoom, 1280, 800) as Bbox;
        const mask = stateMask(undefined);
        const a = clusterPoints([{ set: flat, skip }], bbox, zoom, mask, NOW);
        const b = clusterPoints([{ set: cells, skip }], bbox, zoom, mask, NOW);
        expect(plain(b)).toEqual(plain(a));
        const h1 = heatCells([{ set: flat, skip }], bbox, zoom, mask, NOW);
        const h2 = heatCells([{ set: cells, skip }], bbox, zoom, mask, NOW);
        expect(plain(h2)).toEqual(plain(h1));
        expect(b.total).toBe(ps.filter((p) => !skip.has(p.id) && p.lng >= bbox[0] && p.lng <= bbox[2] && p.lat >= bbox[1] && p.lat <= bbox[3]).length);
      }),
      { numRuns: 60 },
    );
  });

  it('a filter by states still counts every point (the tables hold all states)', () => {
    fc.assert(
      fc.property(rows(200), fc.integer({ min: 11, max: 16 }), (ps, zoom) => {
        const flat = buildPointSet(ps, { pyramid: false });
        const cells = buildPointSet(ps, { pyramid: true });
        const bbox = viewportBbox(CENTRE, zoom, 1280, 800) as Bbox;
        const mask = stateMask(['dispatched', 'in_progress']);
        expect(plain(clusterPoints([{ set: cells }], bbox, zoom, mask, NOW))).toEqual(plain(clusterPoints([{ set: flat }], bbox, zoom, mask, NOW)));
      }),
      { numRuns: 20 },
    );
  });

  it('grid load: open and overdue per area path, each case once', () => {
    fc.assert(
      fc.property(rows(150), (ps) => {
        const set = buildPointSet(ps, { pyramid: true });
        const skip = new Set(ps.filter((p) => p.id % 3 === 0).map((p) => p.id));
        const got = openLoad([{ set, skip }], NOW);
        const want = new Map<string, { open: number; overdue: number }>();
        for (const p of ps) {
          if (skip.has(p.id) || !['reported', 'accepted', 'dispatched', 'in_progress', 'suspended', 'handled', 'verified'].includes(p.state)) continue;
          const k = p.areaPath ?? '';
          const o = want.get(k) ?? { open: 0, overdue: 0 };
          o.open++;
          if (['dispatched', 'in_progress', 'handled'].includes(p.state) && p.dueAt && p.dueAt.getTime() <= NOW) o.overdue++;
          want.set(k, o);
        }
        expect(new Map([...got].sort())).toEqual(new Map([...want].sort()));
      }),
      { numRuns: 30 },
    );
  });
});
