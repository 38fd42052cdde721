// Importing and editing grids through the API, and what intake makes of it: a bad file is refused whole (422, every
// problem named, nothing changed); an import that adds a grid routes the next report inside it (intake's index is
// rebuilt after the commit); a report outside every grid waits unrouted with the nearest grid suggested until the
// operator routes it; an edit makes a new version while past cases keep the grid version they were routed to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { Feature, Polygon } from 'geojson';
import { sql } from 'kysely';
import { area, featureCollection, polygon, transformScale, union } from '@turf/turf';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import type { CaseRoutingView, GridDetail } from '../../src/shared/grids-api.js';
import { login, ok, openTestPlatform, type Client, type TestPlatform } from '../support/platform.js';

type Api = Client;

let p: TestPlatform;
const as: Record<string, Api> = {};
let categoryId: number;

const signIn = (username: string, lang = 'zh-CN'): Promise<Api> => login(p.app, username, DEMO_PASSWORD, lang);

async function grid(code: string) {
  return p.db.selectFrom('grids').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
}

/** Row counts of everything a grid change could write. */
async function counts() {
  const n = async (table: 'grids' | 'grid_versions' | 'grid_people' | 'audit_log' | 'cases') =>
    Number((await p.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const grids = await p.db.selectFrom('grids').select(['code', 'name', 'version', 'geometry', 'retired_at']).orderBy('code').execute();
  return { grids: await n('grids'), versions: await n('grid_versions'), people: await n('grid_people'), audit: await n('audit_log'), cases: await n('cases'), rows: grids };
}

function feature(code: string, name: string, parent: string, ring: number[][], extra: Record<string, unknown> = {}): Feature<Polygon> {
  return { type: 'Feature', properties: { code, name, parent, ...extra }, geometry: { type: 'Polygon', coordinates: [ring] } };
}

/** A square of `d` degrees around the label point of a stored grid (well inside it). */
async function squareIn(code: string, d = 0.0005): Promise<number[][]> {
  const g = await grid(code);
  const [x, y] = [g.label_lng, g.label_lat];
  return [[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]];
}

async function report(who: Api, lng: number, lat: number) {
  return ok(await who.send('POST', '/api/cases', { lng, lat, categoryId, description: '路边堆放生活垃圾，散发异味' }), 201);
}

beforeAll(async () => {
  p = await openTestPlatform();
  for (const u of ['admin', 'operator', 'gridworker']) as[u] = await signIn(u);
  as.adminEn = await signIn('admin', 'en');
  categoryId = (await p.db.selectFrom('categories').select('id').where('code', '=', '0101').executeTakeFirstOrThrow()).id;
});
afterAll(async () => p?.close());

describe('a refused import', () => {
  it('lists every bad feature with its index and a message, and changes nothing', async () => {
    const good = feature('37087100500107', '新网格', '370871005001', await squareIn('37087100500101'));
    const bowTie = feature('37087100500108', '自相交', '370871005001', [[116.64, 35.42], [116.641, 35.421], [116.641, 35.42], [116.64, 35.421], [116.64, 35.42]]);
    const orphan = feature('99999999999901', '无上级', '999999999999', await squareIn('37087100500102'));
    const before = await counts();

    const res = await as.admin!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: { type: 'FeatureCollection', features: [good, bowTie, orphan] } });
    expect(res.statusCode, res.body).toBe(422);
    const body = res.json();
    expect(body.error.code).toBe('grid_import_invalid');
    expect(body.errors.map((e: any) => [e.index, e.code, e.gridCode])).toEqual([
      [1, 'self_intersection', '37087100500108'],
      [2, 'unknown_parent', '99999999999901'],
    ]);
    expect(body.errors[0].message).toMatch(/^第 2 个要素（编码 37087100500108）：边界自相交/);
    expect(body.errors[1].message).toContain('上级编码 999999999999 不存在');
    expect(body.error.message).toContain('没有保存任何内容');
    expect(await counts()).toEqual(before);

    const en = await as.adminEn!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: { type: 'FeatureCollection', features: [good, bowTie] } });
    expect(en.statusCode).toBe(422);
    expect(en.json().errors[0].message).toMatch(/^Feature 2 \(code 37087100500108\): ring self-intersects/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a file that is not GeoJSON, and moving a grid to another parent', async () => {
    const notGeo = await as.admin!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: { hello: 'world' } });
    expect(notGeo.statusCode).toBe(422);
    expect(notGeo.json().errors).toEqual([expect.objectContaining({ index: null, code: 'not_feature_collection' })]);

    // 37087100500201 belongs to 接庄社区 (…002); a file placing it under the street would move its path.
    const stored = await grid('37087100500201');
    const moved = feature('37087100500201', stored.name, '370871005', (stored.geometry as Polygon).coordinates[0]!);
    const res = await as.admin!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: { type: 'FeatureCollection', features: [moved] } });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ index: 0, code: 'grid_import_parent_changed', gridCode: '37087100500201' })]);
    expect(res.json().errors[0].message).toContain('导入不能更改上级');
  });

  it('validates and dry-runs without saving', async () => {
    const before = await counts();
    // A level-2 grid inside 37087100500103: it may overlap the grid above it, and no other A-class grid.
    const fc = { type: 'FeatureCollection', features: [feature('3708710050010309', '试算网格', '37087100500103', await squareIn('37087100500103'), { households: 'many' })] };
    const bad = ok(await as.admin!.send('POST', '/api/grids/validate', { crs: 'WGS84', geojson: fc }));
    expect(bad).toMatchObject({ ok: false, total: 1 });
    expect(bad.errors).toEqual([expect.objectContaining({ index: 0, code: 'grid_import_bad_number', params: { field: 'households', value: 'many' } })]);
    fc.features[0]!.properties!.households = 35;
    expect(ok(await as.admin!.send('POST', '/api/grids/validate', { crs: 'WGS84', geojson: fc }))).toEqual({ ok: true, total: 1, errors: [], created: 1, updated: 0, unchanged: 0 });
    const dry = ok(await as.admin!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: fc, dryRun: true }));
    expect(dry).toMatchObject({ dryRun: true, created: 1, grids: [{ code: '3708710050010309', action: 'create', id: null }] });
    expect(await counts()).toEqual(before);
  });
});

describe('intake follows the grids', () => {
  let retired: Awaited<ReturnType<typeof grid>>;

  it('leaves a report outside every grid unrouted, with the nearest grid suggested', async () => {
    retired = await grid('37087100500106');
    ok(await as.admin!.send('POST', `/api/grids/${retired.id}/retire`, { note: '并入相邻网格' }));
    const c = await report(as.gridworker!, retired.label_lng, retired.label_lat);
    expect(c.gridId).toBeNull();
    const row = await p.db.selectFrom('cases').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.routing.grid).toMatchObject({ reason: 'outside', gridId: null });
    expect(row.routing.grid!.distanceM).toBeGreaterThan(0);

    const why = ok<CaseRoutingView>(await as.operator!.get(`/api/cases/${c.id}/routing`));
    expect(why.grid).toMatchObject({ reason: 'outside', grid: null, suggested: { id: row.routing.grid!.suggestedGridId } });
    expect(why.grid.text).toContain('不在任何网格内');
    expect(why.grid.text).toContain(why.grid.suggested!.code);

    // The operator puts it in the suggested grid.
    const moved = ok(await as.operator!.send('POST', `/api/cases/${c.id}/moves/route`, { version: c.version, gridId: why.grid.suggested!.id }));
    expect(moved.gridId).toBe(why.grid.suggested!.id);
    const after = ok<CaseRoutingView>(await as.operator!.get(`/api/cases/${c.id}/routing`));
    expect(after.grid).toMatchObject({ reason: 'operator', grid: { id: why.grid.suggested!.id } });
  });

  it('routes the next report to a grid the import just added', async () => {
    const fc = { type: 'FeatureCollection', features: [feature('37087100500107', '王回庄社区第7网格', '370871005001', (retired.geometry as Polygon).coordinates[0]!)] };
    const result = ok(await as.admin!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: fc }));
    expect(result).toMatchObject({ created: 1, updated: 0, grids: [{ code: '37087100500107', action: 'create' }] });
    const added = await grid('37087100500107');
    expect(added).toMatchObject({ level: 1, version: 1, grid_class: 'A', retired_at: null });
    expect(added.path).toMatch(/^\/\d+\/\d+\/\d+\/g\d+\/$/);
    expect(added.min_lng).toBeLessThan(added.label_lng);

    const c = await report(as.gridworker!, retired.label_lng, retired.label_lat);
    expect(c.gridId).toBe(added.id);
    const row = await p.db.selectFrom('cases').select(['grid_version', 'area_path']).where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ grid_version: 1, area_path: added.path });

    const versions = await p.db.selectFrom('grid_versions').selectAll().where('grid_id', '=', added.id).execute();
    expect(versions).toEqual([expect.objectContaining({ version: 1, change: 'import', valid_to: null })]);
    const audit = await p.db.selectFrom('audit_log').selectAll().where('action', '=', 'grid.import').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.data).toMatchObject({ created: 1, updated: 0, crs: 'WGS84' });
  });
});

describe('editing a grid', () => {
  it('makes a new version on a boundary change; past cases keep theirs', async () => {
    const g = await grid('37087100500102');
    const past = await report(as.gridworker!, g.label_lng, g.label_lat);
    const pastRow = await p.db.selectFrom('cases').select(['grid_id', 'grid_version', 'area_path']).where('id', '=', past.id).executeTakeFirstOrThrow();
    expect(pastRow.grid_version).toBe(1);

    // Pull one corner a tenth of the way towards the label point: the grid shrinks, still inside its community.
    const ring = (g.geometry as Polygon).coordinates[0]!.map((pt) => [...pt]);
    const corner = ring[1]!;
    corner[0] = corner[0]! + (g.label_lng - corner[0]!) * 0.1;
    corner[1] = corner[1]! + (g.label_lat - corner[1]!) * 0.1;
    const edited = ok<GridDetail>(await as.admin!.send('PUT', `/api/grids/${g.id}`, { version: 1, name: '王回庄社区第2网格（调整）', households: 300, geometry: { type: 'Polygon', coordinates: [ring] } }));
    expect(edited).toMatchObject({ version: 2, name: '王回庄社区第2网格（调整）', households: 300 });
    expect(edited.versions.map((v) => [v.version, v.validTo === null, v.change])).toEqual([
      [2, true, 'name,geometry'],
      [1, false, 'create'],
    ]);
    expect(edited.versions[1]!.geometry).toEqual(g.geometry);

    const pastAfter = await p.db.selectFrom('cases').select(['grid_id', 'grid_version', 'area_path']).where('id', '=', past.id).executeTakeFirstOrThrow();
    expect(pastAfter).toEqual(pastRow);
    const next = await report(as.gridworker!, g.label_lng, g.label_lat);
    expect((await p.db.selectFrom('cases').select('grid_version').where('id', '=', next.id).executeTakeFirstOrThrow()).grid_version).toBe(2);

    // An archive-only change is no new version.
    expect(ok<GridDetail>(await as.admin!.send('PUT', `/api/grids/${g.id}`, { notes: '辖区有农贸市场' })).version).toBe(2);
    const audits = await p.db.selectFrom('audit_log').select('data').where('action', '=', 'grid.update').where('target_id', '=', String(g.id)).orderBy('id').execute();
    expect(audits.map((a) => a.data.changed)).toEqual([['name', 'households', 'geometry'], ['notes']]);
  });

  it('refuses a stale version, a boundary outside the community and a broken boundary, changing nothing', async () => {
    const g = await grid('37087100500102');
    const before = await counts();
    const stale = await as.admin!.send('PUT', `/api/grids/${g.id}`, { version: 1, name: '过期' });
    expect({ status: stale.statusCode, code: stale.json().error.code }).toEqual({ status: 409, code: 'grid_version_conflict' });

    const ring = (g.geometry as Polygon).coordinates[0]!.map((pt) => [...pt]);
    ring[0] = [ring[0]![0]! - 0.01, ring[0]![1]! - 0.01];
    ring[ring.length - 1] = [...ring[0]!];
    const outside = await as.admin!.send('PUT', `/api/grids/${g.id}`, { geometry: { type: 'Polygon', coordinates: [ring] } });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().errors).toEqual([expect.objectContaining({ code: 'outside_parent', gridCode: g.code })]);
    expect(outside.json().errors[0].message).toContain('超出上级 370871005001 的边界');

    const broken = await as.admin!.send('PUT', `/api/grids/${g.id}`, { geometry: { type: 'Polygon', coordinates: [[[116.6, 35.4], [116.61, 35.4], [116.61, 35.41]]] } });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().errors.map((e: any) => e.code)).toEqual(expect.arrayContaining(['ring_not_closed']));
    expect(await counts()).toEqual(before);
  });

  it('updates a known code from an import as a new version, and refuses a retired code', async () => {
    const g = await grid('37087100500103');
    const fc = { type: 'FeatureCollection', features: [feature(g.code, '王回庄社区第3网格（新）', '370871005001', (g.geometry as Polygon).coordinates[0]!, { population: 1800, 楼栋数: 12 })] };
    const result = ok(await as.admin!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: fc }));
    expect(result).toMatchObject({ created: 0, updated: 1, grids: [{ code: g.code, action: 'update', id: g.id }] });
    const after = await grid(g.code);
    expect(after).toMatchObject({ version: 2, name: '王回庄社区第3网格（新）', population: 1800, archive: { 楼栋数: 12 } });
    expect(after.geometry).toEqual(g.geometry);

    const retired = await grid('37087100500106');
    const again = await as.admin!.send('POST', '/api/grids/import', {
      crs: 'WGS84',
      geojson: { type: 'FeatureCollection', features: [feature(retired.code, retired.name, '370871005001', (retired.geometry as Polygon).coordinates[0]!)] },
    });
    expect(again.statusCode).toBe(422);
    expect(again.json().errors[0]).toMatchObject({ code: 'grid_import_retired_code' });
    // A retired grid is read-only.
    const put = await as.admin!.send('PUT', `/api/grids/${retired.id}`, { name: 'x' });
    expect({ status: put.statusCode, code: put.json().error.code }).toEqual({ status: 422, code: 'grid_retired' });
  });
});

describe('many features', () => {
  it('imports 1500 grids (a body over the app-wide 1 MB limit) with a parent from the same file, paths and versions', async () => {
    // A 30 × 50 lattice inside 接庄社区 (…002), as level-2 grids of a level-1 grid from the same file.
    const community = await p.db.selectFrom('divisions').selectAll().where('code', '=', '370871005002').executeTakeFirstOrThrow();
    const ring = (community.geometry as Polygon).coordinates[0]!;
    const xs = ring.map((pt) => pt[0]!), ys = ring.map((pt) => pt[1]!);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cy = (Math.min(...ys) + Math.max(...ys)) / 2;
    const step = 0.00005;
    const x0 = cx - 25 * step, y0 = cy - 15 * step;
    const parentRing = [[x0, y0], [x0 + 50 * step, y0], [x0 + 50 * step, y0 + 30 * step], [x0, y0 + 30 * step], [x0, y0]];
    const features: Feature<Polygon>[] = [feature('37087100500290', '测试大网格', '370871005002', parentRing, { class: 'B', industry: 'environment' })];
    for (let i = 0; i < 50; i++)
      for (let j = 0; j < 30; j++) {
        const x = x0 + i * step, y = y0 + j * step;
        // Surveyed boundaries carry many vertices: four per side here.
        const side = (k: number) => k / 4 * step;
        const ring = [
          ...[0, 1, 2, 3].map((k) => [x + side(k), y]),
          ...[0, 1, 2, 3].map((k) => [x + step, y + side(k)]),
          ...[0, 1, 2, 3].map((k) => [x + step - side(k), y + step]),
          ...[0, 1, 2, 3].map((k) => [x, y + step - side(k)]),
          [x, y],
        ];
        features.push(feature(`37087100500290${String(i * 30 + j).padStart(4, '0')}`, `微网格${i}-${j}`, '37087100500290', ring, { class: 'B' }));
      }
    expect(JSON.stringify(features).length).toBeGreaterThan(1024 * 1024);
    const started = Date.now();
    const result = ok(await as.admin!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: { type: 'FeatureCollection', features } }));
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ total: 1501, created: 1501 });
    expect(elapsed).toBeLessThan(60_000);
    const parent = await grid('37087100500290');
    const kids = await p.db.selectFrom('grids').select(['level', 'path', 'parent_id', 'division_id']).where('code', 'like', '37087100500290%').where('code', '!=', '37087100500290').execute();
    expect(kids).toHaveLength(1500);
    for (const k of kids) {
      expect(k.level).toBe(2);
      expect(k.parent_id).toBe(parent.id);
      expect(k.division_id).toBe(community.id);
      expect(k.path.startsWith(parent.path)).toBe(true);
    }
    const versions = await sql<{ n: number }>`SELECT count(*)::int AS n FROM grid_versions WHERE code LIKE '37087100500290%'`.execute(p.db);
    expect(versions.rows[0]!.n).toBe(1501);
  });
});

describe('A-class grids do not overlap', () => {
  it('refuses an import whose A grid lies over an A grid of another parent, naming it and the area', async () => {
    // A level-1 grid of the street itself, drawn over a grid of 接庄社区 (…002).
    const square = await squareIn('37087100500203', 0.0004);
    const fc = { type: 'FeatureCollection', features: [feature('37087100599', '街道直管网格', '370871005', square)] };
    const before = await counts();
    const res = await as.admin!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: fc });
    expect(res.statusCode).toBe(422);
    const [e] = res.json().errors;
    expect(e).toMatchObject({ index: 0, code: 'a_class_overlap', gridCode: '37087100599', params: { other: '37087100500203' } });
    expect(Math.abs(e.params.areaM2 - area(polygon([square])))).toBeLessThan(Math.max(1, area(polygon([square])) * 1e-4));
    expect(e.message).toMatch(/^第 1 个要素（编码 37087100599）：与 A 类网格 37087100500203（接庄社区第3网格）重叠约 \d+ 平方米/);
    const en = await as.adminEn!.send('POST', '/api/grids/validate', { crs: 'WGS84', geojson: fc });
    expect(en.json().errors[0].message).toMatch(/^Feature 1 \(code 37087100599\): overlaps the A-class grid 37087100500203 \(.+\) by about \d+ m²/);
    expect(await counts()).toEqual(before);

    // The same boundary as an industry (B) grid overlays the territory freely.
    fc.features[0]!.properties!.class = 'B';
    expect(ok(await as.admin!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: fc, dryRun: true }))).toMatchObject({ created: 1 });
  });

  it('refuses a boundary edit that reaches into a neighbour, and a change into class A over A grids', async () => {
    const g = await grid('37087100500301');
    const intoNeighbour = union(featureCollection([polygon((g.geometry as Polygon).coordinates), polygon([await squareIn('37087100500302', 0.0003)])]))!.geometry;
    const before = await counts();
    const res = await as.admin!.send('PUT', `/api/grids/${g.id}`, { geometry: intoNeighbour });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ code: 'a_class_overlap', gridCode: g.code, params: expect.objectContaining({ other: '37087100500302' }) })]);
    expect(res.json().errors[0].message).toContain('与 A 类网格 37087100500302');

    // A key unit's C grid lies inside an A grid: it cannot become an A grid itself.
    const c = await p.db.selectFrom('grids').selectAll().where('grid_class', '=', 'C').where('retired_at', 'is', null).orderBy('code').executeTakeFirstOrThrow();
    const toA = await as.admin!.send('PUT', `/api/grids/${c.id}`, { gridClass: 'A' });
    expect(toA.statusCode).toBe(422);
    expect(toA.json().errors[0]).toMatchObject({ code: 'a_class_overlap', gridCode: c.code });
    expect(await counts()).toEqual(before);
  });

  it('of two edits racing into the same free area, one is stored and the other refused', async () => {
    // 前王村第1网格 shrinks to half around its label point, freeing a corner …
    const g1 = await grid('37087100500601');
    const half = transformScale(polygon((g1.geometry as Polygon).coordinates), 0.5, { origin: [g1.label_lng, g1.label_lat] }).geometry;
    ok(await as.admin!.send('PUT', `/api/grids/${g1.id}`, { geometry: half }));
    const v0 = (g1.geometry as Polygon).coordinates[0]![0]!;
    const [x, y, d] = [g1.label_lng + 0.8 * (v0[0]! - g1.label_lng), g1.label_lat + 0.8 * (v0[1]! - g1.label_lat), 0.0001];
    const corner = polygon([[[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]]);
    // … which two neighbours both reach for at once.
    const [a, b] = await Promise.all([grid('37087100500602'), grid('37087100500603')]);
    const grown = (g: typeof a) => ({ type: 'MultiPolygon', coordinates: [(g.geometry as Polygon).coordinates, corner.geometry.coordinates] });
    const answers = await Promise.all([a, b].map((g) => as.admin!.send('PUT', `/api/grids/${g.id}`, { geometry: grown(g) })));
    const statuses = answers.map((r) => r.statusCode).sort();
    expect(statuses[0]).toBe(200);
    expect([409, 422]).toContain(statuses[1]);
    const refused = answers.find((r) => r.statusCode !== 200)!.json();
    expect(refused.error.code === 'grids_changed' || refused.errors?.[0]?.code === 'a_class_overlap').toBe(true);
  });

  it('a level-2 grid overlaps only the grid above it; its parent cannot shrink away from it', async () => {
    const host = await grid('37087100500501');
    const child = feature('3708710050050109', '楼栋网格', host.code, await squareIn(host.code, 0.0002));
    expect(ok(await as.admin!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: { type: 'FeatureCollection', features: [child] } }))).toMatchObject({ created: 1 });
    const [x, y, d] = [host.label_lng + 0.0005, host.label_lat, 0.0001];
    const shrunk = feature(host.code, host.name, '370871005005', [[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]);
    const res = await as.admin!.send('POST', '/api/grids/validate', { crs: 'WGS84', geojson: { type: 'FeatureCollection', features: [shrunk] } });
    expect(res.json().errors).toEqual([expect.objectContaining({ index: 0, code: 'grid_child_outside', gridCode: host.code, params: expect.objectContaining({ child: '3708710050050109' }) })]);
  });
});
