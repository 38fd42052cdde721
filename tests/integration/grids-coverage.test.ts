// "无缝隙、全覆盖" through the API, on the fixtures in tests/fixtures/grids: a community tiled cleanly is covered;
// the same tiles with a planted gap and a planted overlap (imported as new versions) show both, as polygons with
// their areas. Splitting a grid (along a line, or into drawn parts) keeps the tiling exact and routes new reports
// into the halves, while past cases keep the retired grid.
import { sql } from 'kysely';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { FeatureCollection, Polygon } from 'geojson';
import { area, booleanPointInPolygon } from '@turf/turf';
import { insertDivision } from '../../src/data/repos/reference.js';
import { derivedColumns } from '../../src/domain/grids/shapes.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import type { CoverageResult, GridTree, GridTreeNode } from '../../src/shared/grids-api.js';
import { login, ok, openTestPlatform, type Client, type TestPlatform } from '../support/platform.js';

type Api = Client;

let p: TestPlatform;
const as: Record<string, Api> = {};
let categoryId: number;

const signIn = (username: string, lang = 'zh-CN'): Promise<Api> => login(p.app, username, DEMO_PASSWORD, lang);

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/grids/${name}`, import.meta.url), 'utf8')) as FeatureCollection<Polygon>;

/**
 * The fixtures lie over the demo street's grids; A-class grids may not overlap other A-class grids whatever their
 * parent, so the test community and its tiles are moved 0.3° east, clear of the demo street (areas do not change).
 */
const EAST = 0.3;
function shifted(fc: FeatureCollection<Polygon>): FeatureCollection<Polygon> {
  for (const f of fc.features) f.geometry.coordinates = f.geometry.coordinates.map((ring) => ring.map(([x, y]) => [x! + EAST, y!]));
  return fc;
}

/** The fixture tiles moved into the test community 370871005007 (the demo street already uses …001). */
function tiles(name: string): FeatureCollection<Polygon> {
  const fc = shifted(fixture(name));
  for (const f of fc.features) {
    f.properties!.code = String(f.properties!.code).replace(/^370871005001/, '370871005007');
    f.properties!.parent = '370871005007';
  }
  return fc;
}

async function grid(code: string) {
  return p.db.selectFrom('grids').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
}

const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(Math.max(1, expected * 1e-4));

beforeAll(async () => {
  p = await openTestPlatform();
  for (const u of ['admin', 'leader', 'gridworker']) as[u] = await signIn(u);
  categoryId = (await p.db.selectFrom('categories').select('id').where('code', '=', '0101').executeTakeFirstOrThrow()).id;
  // The fixture community, with the fixture's boundary, beside the demo ones.
  const street = await p.db.selectFrom('divisions').selectAll().where('code', '=', '370871005').executeTakeFirstOrThrow();
  const d = await insertDivision(p.db, { code: '370871005007', name: '测试社区', level: 'community', parent_id: street.id }, street.path);
  await p.db.updateTable('divisions').set({ geometry: JSON.stringify(shifted(fixture('community.geojson')).features[0]!.geometry) }).where('id', '=', d.id).execute();
});
afterAll(async () => p?.close());

describe('coverage of the fixtures', () => {
  it('finds a cleanly tiled community covered', async () => {
    ok(await as.admin!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: tiles('tiles-clean.geojson') }));
    const report = ok<CoverageResult>(await as.leader!.get('/api/grids/coverage?parentCode=370871005007&sliverM2=1'));
    expect(report).toMatchObject({ ok: true, gaps: [], overlaps: [], parent: { kind: 'division', code: '370871005007' } });
    expect(report.children.map((c) => c.code)).toEqual(['37087100500701', '37087100500702', '37087100500703', '37087100500704']);
    near(report.parent.areaM2, area(fixture('community.geojson').features[0]!));
  });

  it('refuses the planted overlap at import, naming the other grid and the area, and shows legacy gaps and overlaps', async () => {
    const planted = fixture('planted.geojson').features;
    const gap = planted.find((f) => f.properties!.kind === 'gap')!;
    const overlap = planted.find((f) => f.properties!.kind === 'overlap')!;
    const file = tiles('tiles-gap-overlap.geojson');
    const refused = await as.admin!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: file });
    expect(refused.statusCode).toBe(422);
    const errors = refused.json().errors;
    expect(errors).toEqual([expect.objectContaining({ code: 'a_class_overlap', gridCode: '37087100500703', params: expect.objectContaining({ other: '37087100500702' }) })]);
    near(errors[0].params.areaM2, area(overlap));
    expect(errors[0].message).toMatch(/^第 3 个要素（编码 37087100500703）：与 A 类网格 37087100500702（.+）重叠约 \d+ 平方米/);

    // Data stored before the rule (written here behind the services' back) is what the coverage check shows.
    for (const f of file.features) {
      await p.db.updateTable('grids').set(derivedColumns(f.geometry)).where('code', '=', String(f.properties!.code)).execute();
    }

    const report = ok<CoverageResult>(await as.leader!.get('/api/grids/coverage?parentCode=370871005007&sliverM2=1'));
    expect(report.ok).toBe(false);
    expect(report.gaps).toHaveLength(1);
    near(report.gaps[0]!.areaM2, area(gap));
    expect(report.gaps[0]!.geometry.type).toBe('Polygon');
    expect(report.overlaps).toHaveLength(1);
    expect(report.overlaps[0]!.codes).toEqual(['37087100500702', '37087100500703']);
    near(report.overlaps[0]!.areaM2, area(overlap));
    const ids = [(await grid('37087100500702')).id, (await grid('37087100500703')).id];
    expect(report.overlaps[0]!.ids).toEqual(ids);

    // In GCJ-02 for a Chinese base map: the same pieces, shifted.
    const gcj = ok<CoverageResult>(await as.leader!.get('/api/grids/coverage?parentCode=370871005007&crs=GCJ02'));
    expect(gcj.gaps[0]!.areaM2).toBe(report.gaps[0]!.areaM2);
    expect(gcj.gaps[0]!.geometry.coordinates[0][0][0]).not.toBeCloseTo(report.gaps[0]!.geometry.coordinates[0][0][0], 4);
    // A sliver threshold above both areas hides them.
    const coarse = ok<CoverageResult>(await as.leader!.get(`/api/grids/coverage?parentCode=370871005007&sliverM2=${Math.ceil(area(gap) + area(overlap))}`));
    expect(coarse.ok).toBe(true);
  });

  it('counts the street’s top-level A grids, finds a demo community tiled, refuses a division without a boundary', async () => {
    const street = ok<CoverageResult>(await as.leader!.get('/api/grids/coverage?parentCode=370871005'));
    // The street's own A grids: the demo's 36, plus the four test tiles (east of the demo grids).
    expect(street.children).toHaveLength(40);
    const community = ok<CoverageResult>(await as.leader!.get('/api/grids/coverage?parentCode=370871005003'));
    expect(community).toMatchObject({ ok: true, gaps: [], overlaps: [] });
    expect(community.children).toHaveLength(6);

    const res = await as.leader!.get('/api/grids/coverage?parentCode=370871');
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toEqual({ code: 'coverage_no_boundary', message: '济宁高新区（370871）还没有边界，无法检查网格覆盖情况。请先为它导入边界。' });
    expect((await as.leader!.get('/api/grids/coverage?parentCode=123')).statusCode).toBe(404);
  });
});

describe('splitting a grid', () => {
  it('cuts along a line into two children that tile it exactly; new reports go to the halves, past ones stay', async () => {
    const g = await grid('37087100500104');
    const past = ok(await as.gridworker!.send('POST', '/api/cases', { lng: g.label_lng, lat: g.label_lat, categoryId, description: '路边堆放生活垃圾' }), 201);
    const line = { type: 'LineString', coordinates: [[g.min_lng - 0.001, g.label_lat], [g.label_lng, g.label_lat + 0.0003], [g.max_lng + 0.001, g.label_lat]] };
    const out = ok(await as.admin!.send('POST', `/api/grids/${g.id}/split`, { version: 1, line }));
    expect(out.retired).toMatchObject({ id: g.id, code: g.code });
    expect(out.created.map((c: any) => c.code)).toEqual(['3708710050010401', '3708710050010402']);

    const old = await grid(g.code);
    expect(old.retired_at).not.toBeNull();
    const halves = await Promise.all(out.created.map((c: any) => grid(c.code)));
    for (const h of halves) {
      expect(h).toMatchObject({ parent_id: g.id, level: 2, division_id: g.division_id, grid_class: 'A', version: 1 });
      expect(h.path.startsWith(g.path)).toBe(true);
    }
    near(area(halves[0]!.geometry as Polygon) + area(halves[1]!.geometry as Polygon), area(g.geometry as Polygon));
    const versions = await p.db.selectFrom('grid_versions').selectAll().where('grid_id', '=', g.id).execute();
    expect(versions).toEqual([expect.objectContaining({ version: 1, change: 'create' })]);
    expect(versions[0]!.valid_to).not.toBeNull();

    // The halves tile the old grid, and stand in for it in the community's coverage.
    expect(ok<CoverageResult>(await as.leader!.get(`/api/grids/coverage?parentCode=${g.code}`))).toMatchObject({ ok: true, gaps: [], overlaps: [] });
    const community = ok<CoverageResult>(await as.leader!.get('/api/grids/coverage?parentCode=370871005001'));
    expect(community.ok).toBe(true);
    expect(community.children.map((c) => c.code)).toContain('3708710050010401');
    expect(community.children.map((c) => c.code)).not.toContain(g.code);

    // In the tree, the halves hang where the old grid was.
    const tree = ok<GridTree>(await as.leader!.get('/api/grids/tree'));
    let holder: GridTreeNode | null = null;
    const find = (nodes: GridTreeNode[], parent: GridTreeNode | null) =>
      nodes.forEach((n) => {
        if (n.code === '3708710050010401') holder = parent;
        find(n.children, n);
      });
    find(tree.roots, null);
    expect(holder!).toMatchObject({ kind: 'division', code: '370871005001' });

    // A report north of the cut goes to the half that holds it; the earlier case keeps the retired grid.
    const north = [g.label_lng, (g.label_lat + g.max_lat) / 2 + 0.0003] as [number, number];
    const holderHalf = halves.find((h) => booleanPointInPolygon(north, h.geometry as Polygon))!;
    const fresh = ok(await as.gridworker!.send('POST', '/api/cases', { lng: north[0], lat: north[1], categoryId, description: '路边堆放生活垃圾' }), 201);
    expect(fresh.gridId).toBe(holderHalf.id);
    const pastRow = await p.db.selectFrom('cases').select(['grid_id', 'grid_version']).where('id', '=', past.id).executeTakeFirstOrThrow();
    expect(pastRow).toEqual({ grid_id: g.id, grid_version: 1 });
    // The old grid's worker still sees cases in the halves (their paths extend its path).
    const worker = p.db.selectFrom('users').select('scope_paths').where(sql<boolean>`${g.path} = ANY(scope_paths)`);
    expect((await worker.executeTakeFirst())?.scope_paths).toEqual([g.path]);
    const freshRow = await p.db.selectFrom('cases').select('area_path').where('id', '=', fresh.id).executeTakeFirstOrThrow();
    expect(freshRow.area_path.startsWith(g.path)).toBe(true);

    // A retired grid cannot be split again.
    const again = await as.admin!.send('POST', `/api/grids/${g.id}/split`, { line });
    expect({ status: again.statusCode, code: again.json().error.code }).toEqual({ status: 422, code: 'grid_retired' });
  });

  it('splits into two drawn parts, and refuses parts that leave a gap or a line that does not cut once', async () => {
    const g = await grid('37087100500105');
    const ring = (g.geometry as Polygon).coordinates[0]!;
    const [a, b, c, d] = ring as [number[], number[], number[], number[]];
    const before = await p.db.selectFrom('grids').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

    const zigzag = { type: 'LineString', coordinates: [[g.min_lng - 0.001, g.label_lat], [g.max_lng + 0.001, g.label_lat], [g.max_lng + 0.001, g.label_lat + 0.0005], [g.min_lng - 0.001, g.label_lat + 0.0005]] };
    const bad = await as.admin!.send('POST', `/api/grids/${g.id}/split`, { line: zigzag });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([expect.objectContaining({ code: 'grid_split_line', params: { count: 4 } })]);

    const mid = [(a[0]! + c[0]!) / 2 + 0.0005, (a[1]! + c[1]!) / 2];
    const gappy = await as.admin!.send('POST', `/api/grids/${g.id}/split`, {
      parts: [
        { type: 'Polygon', coordinates: [[a, b, mid, a]] },
        { type: 'Polygon', coordinates: [[a, c, d, a]] },
      ],
    });
    expect(gappy.statusCode).toBe(422);
    expect(gappy.json().errors.map((e: any) => e.code)).toContain('grid_split_gap');
    expect(gappy.json().error.code).toBe('grid_split_invalid');
    expect((await p.db.selectFrom('grids').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n).toBe(before.n);

    const out = ok(await as.admin!.send('POST', `/api/grids/${g.id}/split`, {
      parts: [
        { type: 'Polygon', coordinates: [[a, b, c, a]] },
        { type: 'Polygon', coordinates: [[a, c, d, a]] },
      ],
      names: ['东半网格', '西半网格'],
    }));
    expect(out.created.map((x: any) => x.name)).toEqual(['东半网格', '西半网格']);
    expect(ok<CoverageResult>(await as.leader!.get('/api/grids/coverage?parentCode=370871005001')).ok).toBe(true);
    const audit = await p.db.selectFrom('audit_log').select(['action', 'data']).where('action', '=', 'grid.split').orderBy('id').execute();
    expect(audit.map((x) => x.data.by)).toEqual(['line', 'parts']);
  });
});
