// Reading grids through the API: the tree with open cases per grid in the reader's scope, one grid in full (phones
// masked for readers who do not call people), search, versions; the GeoJSON export in GCJ-02 imported back lands
// on the same boundaries (within 0.5 m) and changes nothing; only administrators write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { FeatureCollection, Polygon } from 'geojson';
import { distance } from '@turf/turf';
import { positionToWgs84 } from '../../src/domain/map/coordinates.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import type { GridDetail, GridTree, GridTreeNode } from '../../src/shared/grids-api.js';
import { login, ok, openTestPlatform, type Client, type TestPlatform } from '../support/platform.js';

type Api = Client;

let p: TestPlatform;
const as: Record<string, Api> = {};

const signIn = (username: string, lang = 'zh-CN'): Promise<Api> => login(p.app, username, DEMO_PASSWORD, lang);

function walk(nodes: GridTreeNode[], f: (n: GridTreeNode, parent: GridTreeNode | null) => void, parent: GridTreeNode | null = null) {
  for (const n of nodes) {
    f(n, parent);
    walk(n.children, f, n);
  }
}

async function gridId(code: string): Promise<number> {
  return (await p.db.selectFrom('grids').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

beforeAll(async () => {
  p = await openTestPlatform({ cases: 40 });
  for (const u of ['admin', 'operator', 'leader', 'gridworker', 'citizen']) as[u] = await signIn(u);
});
afterAll(async () => p?.close());

describe('tree', () => {
  it('nests district → street → communities → grids, with B and C grids under the street', async () => {
    const tree = ok<GridTree>(await as.leader!.get('/api/grids/tree'));
    expect(tree.roots.map((n) => n.code)).toEqual(['370871']);
    const street = tree.roots[0]!.children[0]!;
    expect(street).toMatchObject({ kind: 'division', code: '370871005', level: 'street' });
    const communities = street.children.filter((c) => c.kind === 'division');
    expect(communities).toHaveLength(6);
    expect(communities[0]!.children.map((g) => g.code)).toEqual(['37087100500101', '37087100500102', '37087100500103', '37087100500104', '37087100500105', '37087100500106']);
    expect(communities[0]!.children[0]).toMatchObject({ kind: 'grid', level: 1, gridClass: 'A' });
    const overlay = street.children.filter((c) => c.kind === 'grid');
    expect(overlay.some((g) => g.gridClass === 'B' && g.industry === 'environment')).toBe(true);
    expect(overlay.some((g) => g.gridClass === 'C')).toBe(true);
    expect(tree.gridCount).toBe(36 + overlay.length);
  });

  it('counts open cases per grid within the reader’s scope, and sums them on divisions', async () => {
    const open = await p.db
      .selectFrom('cases')
      .select(['grid_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('state', 'not in', ['closed', 'rejected', 'merged'])
      .groupBy('grid_id')
      .execute();
    const expected = new Map(open.map((r) => [r.grid_id, Number(r.n)]));
    const total = open.reduce((s, r) => s + Number(r.n), 0);
    expect(total).toBeGreaterThan(0);

    const leader = ok<GridTree>(await as.leader!.get('/api/grids/tree'));
    walk(leader.roots, (n) => {
      if (n.kind === 'grid' && n.gridClass === 'A') expect(n.openCases, n.code).toBe(expected.get(n.id) ?? 0);
    });
    expect(leader.roots[0]!.openCases).toBe(total);

    // The grid worker's scope is its own grid: other grids show no open cases to it (except its own reports).
    const worker = ok<GridTree>(await as.gridworker!.get('/api/grids/tree'));
    const own = await gridId('37087100500101');
    let elsewhere = 0;
    walk(worker.roots, (n) => {
      if (n.kind === 'grid' && n.id === own) expect(n.openCases).toBe(expected.get(own) ?? 0);
      else if (n.kind === 'grid') elsewhere += n.openCases;
    });
    const reportedElsewhere = await p.db
      .selectFrom('cases')
      .innerJoin('users', 'users.id', 'cases.reporter_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('users.username', '=', 'gridworker')
      .where('cases.grid_id', '!=', own)
      .where('cases.state', 'not in', ['closed', 'rejected', 'merged'])
      .executeTakeFirstOrThrow();
    expect(elsewhere).toBe(Number(reportedElsewhere.n));
  });
});

describe('one grid', () => {
  it('shows archive, parent, people (masked unless admin/operator), versions and open cases', async () => {
    const id = await gridId('37087100500101');
    await p.db.insertInto('grid_people').values({ grid_id: id, name: '王芳', role: 'grid_worker', phone: '13812341234' }).execute();
    const leaderView = ok<GridDetail>(await as.leader!.get(`/api/grids/${id}`));
    expect(leaderView).toMatchObject({
      code: '37087100500101',
      gridClass: 'A',
      level: 1,
      version: 1,
      parent: { kind: 'division', code: '370871005001', name: '王回庄社区' },
      division: { code: '370871005001' },
      retiredAt: null,
    });
    // the grid's worker account is its 网格员 record too (linked, no phone on file), beside the person added here
    expect(leaderView.people).toHaveLength(2);
    expect(leaderView.people).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: '王芳', role: 'grid_worker', phone: '138****1234' }),
        expect.objectContaining({ username: 'gridworker', role: 'grid_worker', phone: null }),
      ]),
    );
    expect(leaderView.versions).toHaveLength(1);
    expect(leaderView.versions[0]).toMatchObject({ version: 1, validTo: null, change: 'create' });
    expect(leaderView.bbox[0]).toBeLessThan(leaderView.bbox[2]!);
    expect(ok<GridDetail>(await as.operator!.get(`/api/grids/${id}`)).people.find((x) => x.name === '王芳')!.phone).toBe('13812341234');
    expect(ok<GridDetail>(await as.admin!.get(`/api/grids/${id}`)).people.find((x) => x.name === '王芳')!.phone).toBe('13812341234');
    expect(ok<GridDetail>(await as.citizen!.get(`/api/grids/${id}`)).people.find((x) => x.name === '王芳')!.phone).toBe('138****1234');
  });

  it('shows the responsible industry of a B-class grid and the key units of a C-class grid', async () => {
    const b = ok<GridDetail>(await as.leader!.get(`/api/grids/${await gridId('370871005901')}`));
    expect(b).toMatchObject({ gridClass: 'B', industry: 'environment' });
    expect(b.industryCategories.map((c) => c.code)).toEqual(expect.arrayContaining(['0301', '9101', '9102']));
    const c = ok<GridDetail>(await as.leader!.get(`/api/grids/${await gridId('370871005951')}`));
    expect(c.gridClass).toBe('C');
    expect(c.keyUnits).toHaveLength(1);
    expect(c.keyUnits[0]!.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
  });

  it('answers 404 for an unknown grid', async () => {
    const res = await as.leader!.get('/api/grids/999999');
    expect(res.statusCode).toBe(404);
  });
});

describe('search', () => {
  it('finds by code prefix and by name, exact code first', async () => {
    const byCode = ok(await as.gridworker!.get('/api/grids/search?q=3708710050010'));
    expect(byCode.items.map((i: any) => i.code)).toEqual(expect.arrayContaining(['37087100500101', '37087100500106']));
    const exact = ok(await as.gridworker!.get('/api/grids/search?q=37087100500203'));
    expect(exact.items[0].code).toBe('37087100500203');
    const byName = ok(await as.gridworker!.get(`/api/grids/search?q=${encodeURIComponent('环保')}`));
    expect(byName.items).toEqual([expect.objectContaining({ code: '370871005901', gridClass: 'B', divisionName: '接庄街道' })]);
    expect(ok(await as.gridworker!.get('/api/grids/search?q=nothing-like-this')).items).toEqual([]);
  });
});

describe('export and re-import', () => {
  it('exports GCJ-02 that re-imports onto the same boundaries (within 0.5 m) as an unchanged import', async () => {
    const res = await as.admin!.get('/api/grids/export.geojson?crs=GCJ02&gridClass=A');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/geo+json');
    const fc = JSON.parse(res.body) as FeatureCollection<Polygon>;
    expect(fc.features).toHaveLength(36);
    const stored = new Map(
      (await p.db.selectFrom('grids').select(['code', 'geometry']).where('grid_class', '=', 'A').execute()).map((g) => [g.code, g.geometry as Polygon]),
    );
    // GCJ-02 is shifted by hundreds of metres from WGS-84; converted back, every vertex is where it was.
    let worstM = 0;
    let shiftM = 0;
    for (const f of fc.features) {
      const wgs = stored.get(f.properties!.code)!;
      f.geometry.coordinates[0]!.forEach((pos, i) => {
        const original = wgs.coordinates[0]![i]!;
        shiftM = Math.max(shiftM, distance(pos, original, { units: 'meters' }));
        worstM = Math.max(worstM, distance(positionToWgs84(pos, 'GCJ02'), original, { units: 'meters' }));
      });
      expect(f.properties).toMatchObject({ parent: f.properties!.code.slice(0, 12), class: 'A', level: 1 });
    }
    expect(shiftM).toBeGreaterThan(100);
    expect(worstM).toBeLessThan(0.5);

    const auditBefore = await p.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'grid.import').executeTakeFirstOrThrow();
    const result = ok(await as.admin!.send('POST', '/api/grids/import', { crs: 'GCJ02', geojson: fc }));
    expect(result).toMatchObject({ dryRun: false, total: 36, created: 0, updated: 0, unchanged: 36 });
    const after = await p.db.selectFrom('grids').select(['code', 'geometry', 'version']).where('grid_class', '=', 'A').execute();
    for (const g of after) {
      expect(g.version).toBe(1);
      const before = stored.get(g.code)!;
      (g.geometry as Polygon).coordinates[0]!.forEach((pos, i) => expect(distance(pos, before.coordinates[0]![i]!, { units: 'meters' })).toBeLessThan(0.5));
    }
    const auditAfter = await p.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'grid.import').executeTakeFirstOrThrow();
    expect(Number(auditAfter.n)).toBe(Number(auditBefore.n) + 1);
  });

  it('exports one community in BD-09 with its archive fields', async () => {
    await p.db.updateTable('grids').set({ households: 120, notes: '老旧小区', archive: JSON.stringify({ 物业: '无' }) }).where('code', '=', '37087100500201').execute();
    const fc = JSON.parse((await as.leader!.get('/api/grids/export.geojson?crs=BD09&parentCode=370871005002')).body) as FeatureCollection;
    expect(fc.features.map((f) => f.properties!.code)).toHaveLength(6);
    expect(fc.features[0]!.properties).toMatchObject({ code: '37087100500201', households: 120, notes: '老旧小区', 物业: '无' });
  });
});

describe('only administrators write', () => {
  it('refuses every write to operators, leaders and grid workers with 403', async () => {
    const id = await gridId('37087100500102');
    const fc = { type: 'FeatureCollection', features: [] };
    const writes: [string, 'POST' | 'PUT' | 'DELETE', string, unknown][] = [
      ['operator', 'POST', '/api/grids/import', { crs: 'WGS84', geojson: fc }],
      ['operator', 'POST', '/api/grids/validate', { crs: 'WGS84', geojson: fc }],
      ['leader', 'PUT', `/api/grids/${id}`, { name: '改名' }],
      ['operator', 'POST', `/api/grids/${id}/split`, { line: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } }],
      ['operator', 'POST', `/api/grids/${id}/retire`, {}],
      ['gridworker', 'POST', `/api/grids/${id}/people`, { name: '张三', role: 'grid_worker', phone: '13800001111' }],
      ['operator', 'DELETE', `/api/grids/${id}/people/1`, undefined],
      ['operator', 'POST', '/api/grids/people/import', { base64: 'AAAA' }],
      ['operator', 'POST', '/api/routing-rules', { departmentId: 1 }],
      ['leader', 'DELETE', '/api/routing-rules/1', undefined],
      ['operator', 'POST', '/api/key-units', { name: '某公司', lng: 116.66, lat: 35.43 }],
    ];
    const before = await p.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const [who, method, url, body] of writes) {
      const res = await as[who]!.send(method, url, body);
      expect({ url, status: res.statusCode, code: res.json().error?.code }).toEqual({ url, status: 403, code: 'forbidden' });
    }
    const after = await p.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(ok<GridDetail>(await as.leader!.get(`/api/grids/${id}`)).name).not.toBe('改名');
  });

  it('documents the grid endpoints in the OpenAPI document', async () => {
    const doc = (await p.app.inject({ url: '/api/openapi.json' })).json();
    for (const path of ['/api/grids/tree', '/api/grids/import', '/api/grids/coverage', '/api/grids/{id}/split', '/api/routing-rules', '/api/cases/{id}/routing', '/api/key-units']) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
