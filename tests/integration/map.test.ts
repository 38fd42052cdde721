// The command-centre map: clusters sum to the cases in the box, single cases carry the list's state and warning
// colour, scope is the list's scope, a write shows at once, heat cells and grid load agree with the list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDay } from '../../src/domain/stats/stats.js';
import { viewportBbox } from '../../src/domain/map/clusters.js';
import type { CaseList, CaseSummary } from '../../src/shared/api.js';
import type { GridLoad, MapCases, MapHeat } from '../../src/shared/map-api.js';
import { clearMapCache, configureMapCache } from '../../src/services/map/map.js';
import { GRID_1, GRID_2, ok, openWorld, reportAt, walkTo, type World } from '../support/factories.js';

const USERS = ['leader', 'operator', 'gridworker', 'gridworker2', 'chengguan'] as const;
let w: World;
const today = () => shanghaiDay(new Date());
const FROM = () => addDays(today(), -95);
const CENTRE: [number, number] = [116.66, 35.43];

beforeAll(async () => {
  w = await openWorld(USERS, { cases: 80 });
});
afterAll(async () => w?.p.close());

async function listAll(user: string, query = ''): Promise<CaseSummary[]> {
  const out: CaseSummary[] = [];
  for (let page = 1; ; page++) {
    const l = ok(await w.u[user]!.get(`/api/cases?pageSize=200&page=${page}&from=${FROM()}&to=${today()}${query}`)) as CaseList;
    out.push(...l.items);
    if (page * 200 >= l.total) return out;
  }
}

const inBox = (c: { lng: number; lat: number }, b: readonly number[]) => c.lng >= b[0]! && c.lng <= b[2]! && c.lat >= b[1]! && c.lat <= b[3]!;
const mapUrl = (bbox: number[], zoom: number, extra = '') => `/api/map/cases?bbox=${bbox.join(',')}&zoom=${zoom}&from=${FROM()}&to=${today()}${extra}`;

describe('map clusters', () => {
  it('sum to the number of cases in the box, at every zoom from 11 to 18 and while panning', async () => {
    const cases = await listAll('leader');
    expect(cases.length).toBeGreaterThan(50);
    let checked = 0;
    for (let zoom = 11; zoom <= 18; zoom++) {
      for (const [dx, dy] of [[0, 0], [0.004, -0.003], [-0.006, 0.002]] as const) {
        const bbox = viewportBbox([CENTRE[0] + dx, CENTRE[1] + dy], zoom, 1280, 800);
        const m = ok(await w.u.leader!.get(mapUrl(bbox, zoom))) as MapCases;
        const expected = cases.filter((c) => inBox(c, bbox)).length;
        expect(m.total, `zoom ${zoom}`).toBe(expected);
        expect(m.features.reduce((n, f) => n + (f.properties.cluster ? f.properties.count : 1), 0)).toBe(expected);
        if (zoom <= 12) expect(m.clustered).toBe(true);
        checked += expected;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('zoomed in, single cases with the state and warning colour the list shows', async () => {
    const cases = new Map((await listAll('leader')).map((c) => [c.id, c]));
    const m = ok(await w.u.leader!.get(mapUrl([116.5, 35.3, 116.8, 35.6], 18))) as MapCases;
    expect(m.clustered).toBe(false);
    expect(m.features.length).toBe(cases.size);
    for (const f of m.features) {
      if (f.properties.cluster) throw new Error('a cluster at zoom 18');
      const c = cases.get(f.properties.id)!;
      expect({ state: f.properties.state, warningLevel: f.properties.warningLevel, urgency: f.properties.urgency }).toEqual({ state: c.state, warningLevel: c.warningLevel, urgency: c.urgency });
      expect(f.geometry.coordinates).toEqual([c.lng, c.lat]);
    }
  });

  it('filter by states', async () => {
    const open = (await listAll('leader')).filter((c) => ['dispatched', 'in_progress'].includes(c.state));
    const m = ok(await w.u.leader!.get(mapUrl([116.5, 35.3, 116.8, 35.6], 12, '&states=dispatched,in_progress'))) as MapCases;
    expect(m.total).toBe(open.length);
    expect((await w.u.leader!.get(mapUrl([116.5, 35.3, 116.8, 35.6], 12, '&states=flying'))).statusCode).toBe(400);
  });

  it("a grid worker's map holds its grid's cases (and its own reports), never another grid's", async () => {
    const mine = new Set((await listAll('gridworker')).map((c) => c.id));
    const theirs = await reportAt(w, w.u.gridworker2!, GRID_2);
    const m = ok(await w.u.gridworker!.get(mapUrl([116.5, 35.3, 116.8, 35.6], 18))) as MapCases;
    const ids = m.features.map((f) => (f.properties.cluster ? -1 : f.properties.id));
    expect(new Set(ids)).toEqual(mine);
    expect(ids).not.toContain(theirs.id);
    const g1 = w.grids.get(GRID_1)!.properties.id;
    const inGrid1 = (await listAll('leader', `&gridId=${g1}`)).map((c) => c.id);
    for (const id of inGrid1) expect(mine.has(id)).toBe(true);
  });

  it('a write shows at once: a new report appears, a move changes its state', async () => {
    const bbox = [116.5, 35.3, 116.8, 35.6];
    const before = ok(await w.u.operator!.get(mapUrl(bbox, 12))) as MapCases;
    const c = await walkTo(w, 'dispatched');
    const after = ok(await w.u.operator!.get(mapUrl(bbox, 12))) as MapCases;
    expect(after.total).toBe(before.total + 1);
    const zoomed = ok(await w.u.operator!.get(mapUrl(bbox, 18))) as MapCases;
    expect(zoomed.features.find((f) => !f.properties.cluster && f.properties.id === c.id)?.properties).toMatchObject({ state: 'dispatched' });
  });

  it('an invalid box or period is refused', async () => {
    expect((await w.u.leader!.get('/api/map/cases?bbox=1,2,3&zoom=12')).statusCode).toBe(400);
    expect((await w.u.leader!.get('/api/map/cases?bbox=3,2,1,4&zoom=12')).statusCode).toBe(400);
    const bad = await w.u.leader!.get(`/api/map/cases?bbox=116,35,117,36&zoom=12&from=${today()}&to=${addDays(today(), -3)}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('map_period_invalid');
  });
});

describe('heat and grid load', () => {
  it('heat cells sum to the cases in the box, weights in (0, 1]', async () => {
    const bbox = viewportBbox(CENTRE, 14, 1280, 800);
    const expected = (await listAll('leader')).filter((c) => inBox(c, bbox)).length;
    const h = ok(await w.u.leader!.get(`/api/map/heat?bbox=${bbox.join(',')}&zoom=14&from=${FROM()}&to=${today()}`)) as MapHeat;
    expect(h.total).toBe(expected);
    expect(h.features.reduce((n, f) => n + f.properties.count, 0)).toBe(expected);
    for (const f of h.features) expect(f.properties.weight > 0 && f.properties.weight <= 1).toBe(true);
    expect(Math.max(...h.features.map((f) => f.properties.count))).toBe(h.max);
  });

  it('grid load: open and overdue per grid, each equal to the list under its filter', async () => {
    for (const user of ['leader', 'gridworker', 'chengguan']) {
      const g = ok(await w.u[user]!.get('/api/map/grids-load')) as GridLoad;
      if (user === 'leader') expect(g.items).toHaveLength(36);
      if (user === 'gridworker') expect(g.items.map((i) => i.code)).toContain(GRID_1);
      const counts = [...g.items.flatMap((i) => [i.open, i.overdue]), g.unrouted];
      for (const c of counts) {
        const l = ok(await w.u[user]!.get(`/api/cases?${new URLSearchParams({ ...c.filter, pageSize: '1' })}`)) as CaseList;
        expect(l.total, `${user} ${JSON.stringify(c.filter)}`).toBe(c.value);
      }
      const open = ok(await w.u[user]!.get('/api/cases?open=true&pageSize=1')) as CaseList;
      expect(g.items.reduce((n, i) => n + i.open.value, 0) + g.unrouted.value).toBe(open.total);
      for (const i of g.items) expect(i.level).toBe(i.overdue.value > 0 ? 'red' : i.open.value >= g.busyFrom ? 'orange' : i.open.value > 0 ? 'yellow' : 'green');
    }
  });
});

describe('with cell sums on every level (as for large sets)', () => {
  it('clusters and heat still sum to the cases in the box, and a write shows at once', async () => {
    configureMapCache({ pyramidFrom: 1 });
    clearMapCache(w.p.db);
    try {
      const cases = await listAll('leader');
      for (let zoom = 11; zoom <= 16; zoom++) {
        for (const [dx, dy] of [[0, 0], [0.004, -0.003]] as const) {
          const bbox = viewportBbox([CENTRE[0] + dx, CENTRE[1] + dy], zoom, 1280, 800);
          const expected = cases.filter((c) => inBox(c, bbox)).length;
          const m = ok(await w.u.leader!.get(mapUrl(bbox, zoom))) as MapCases;
          expect(m.total, `zoom ${zoom}`).toBe(expected);
          expect(m.features.reduce((n, f) => n + (f.properties.cluster ? f.properties.count : 1), 0)).toBe(expected);
          const h = ok(await w.u.leader!.get(`/api/map/heat?bbox=${bbox.join(',')}&zoom=${zoom}&from=${FROM()}&to=${today()}`)) as MapHeat;
          expect(h.features.reduce((n, f) => n + f.properties.count, 0)).toBe(expected);
        }
      }
      const bbox = [116.5, 35.3, 116.8, 35.6];
      const before = ok(await w.u.operator!.get(mapUrl(bbox, 12))) as MapCases;
      await walkTo(w, 'dispatched');
      const after = ok(await w.u.operator!.get(mapUrl(bbox, 12))) as MapCases;
      expect(after.total).toBe(before.total + 1);
    } finally {
      configureMapCache({ pyramidFrom: 20_000 });
      clearMapCache(w.p.db);
    }
  });
});
