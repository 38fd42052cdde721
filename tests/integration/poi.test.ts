// Points of interest: import from GeoJSON or a spreadsheet, all or nothing with every problem by row or feature,
// datums converted at the edge, upsert by code, audited; reads by type and box within scope, with phones masked and
// camera streams hidden from roles that do not need them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { positionFromWgs84 } from '../../src/domain/map/coordinates.js';
import { seedDemoPois } from '../../src/seed/demo-pois.js';
import type { PoiCollection } from '../../src/shared/map-api.js';
import { GRID_1, ok, openWorld, refused, type World } from '../support/factories.js';

const USERS = ['admin', 'operator', 'leader', 'gridworker', 'chengguan', 'citizen'] as const;
let w: World;

beforeAll(async () => {
  w = await openWorld(USERS);
});
afterAll(async () => w?.p.close());

const g1 = () => w.grids.get(GRID_1)!.properties;
const count = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM pois`.execute(w.p.db)).rows[0]!.n);
const audits = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'poi.import'`.execute(w.p.db)).rows[0]!.n);

function point(props: Record<string, unknown>, lng: number, lat: number) {
  return { type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: [lng, lat] } };
}

async function xlsx(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('兴趣点');
  for (const r of rows) ws.addRow(r);
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('import', () => {
  it('a GeoJSON FeatureCollection in GCJ-02 is stored in WGS-84, located in its grid, and audited', async () => {
    const { labelLng, labelLat } = g1();
    const [gx, gy] = positionFromWgs84([labelLng, labelLat], 'GCJ02');
    const fc = {
      type: 'FeatureCollection',
      features: [
        point({ 类型: '学校', 名称: '测试小学', 编码: 'T-MG-1', 联系电话: '13912345678', 校长: '李老师' }, gx!, gy!),
        point({ type: 'camera', name: '测试路口', code: 'T-SP-1', streamUrl: 'rtsp://cam.example.invalid/1' }, gx! + 0.0001, gy!),
      ],
    };
    const before = await audits();
    expect(ok(await w.u.operator!.post('/api/poi/import?crs=GCJ02', fc))).toEqual({ created: 2, updated: 0, dryRun: false });
    expect(await audits()).toBe(before + 1);
    const row = await w.p.db.selectFrom('pois').selectAll().where('code', '=', 'T-MG-1').executeTakeFirstOrThrow();
    expect(row.lng).toBeCloseTo(labelLng, 7);
    expect(row.lat).toBeCloseTo(labelLat, 7);
    expect(row).toMatchObject({ type: 'sensitive_point', subtype: '学校', grid_id: g1().id, phone: '13912345678' });
    expect(row.properties).toEqual({ 校长: '李老师' });
    // again with the same codes: updated, not doubled
    expect(ok(await w.u.operator!.post('/api/poi/import?crs=GCJ02', fc))).toEqual({ created: 0, updated: 2, dryRun: false });
  });

  it('refuses a file with problems as a whole, naming each feature; stores nothing', async () => {
    const before = await count();
    const fc = {
      type: 'FeatureCollection',
      features: [
        point({ 类型: '污染源', 名称: '好的点' }, 116.66, 35.43),
        point({ 类型: '外星基地', 名称: '坏类型' }, 116.66, 35.43),
        { type: 'Feature', properties: { 类型: '企业', 名称: '线' }, geometry: { type: 'LineString', coordinates: [[116.66, 35.43], [116.67, 35.44]] } },
        point({ 类型: '摄像头', 名称: '坏地址', 视频地址: 'ftp://x' }, 116.66, 35.43),
        point({ 类型: '企业', 名称: '远处' }, 100, 20),
        point({ 类型: '企业', 名称: '风险', 风险等级: '极高' }, 116.66, 35.43),
      ],
    };
    const err = refused(await w.u.operator!.post('/api/poi/import', fc), 422, 'poi_import_invalid') as unknown as { details: { row: number; code: string; message: string }[] };
    expect(err.details.map((d) => [d.row, d.code])).toEqual([
      [1, 'type_unknown'],
      [2, 'geometry_not_point'],
      [3, 'stream_url_invalid'],
      [4, 'outside_grids'],
      [5, 'risk_invalid'],
    ]);
    expect(err.details[0]!.message).toContain('外星基地');
    expect(await count()).toBe(before);
    refused(await w.u.operator!.post('/api/poi/import', { type: 'Feature' }), 422, 'poi_import_invalid');
  });

  it('an .xlsx with 类型/名称/经度/纬度/地址 columns; problems by the row number Excel shows; dry run stores nothing', async () => {
    const { labelLng, labelLat } = g1();
    const header = ['类型', '名称', '经度', '纬度', '地址', '编码', '风险等级', '视频地址', '备注'];
    const good = await xlsx([
      header,
      ['污染源', '某某餐馆油烟', labelLng, labelLat, '接庄路1号', 'X-WR-1', '中', null, '夜间经营'],
      [null, null, null, null, null, null, null, null, null],
      ['监测站', '空气微站', labelLng + 0.0002, labelLat, null, 'X-JC-1', null, null, null],
    ]);
    const before = await count();
    expect(ok(await w.u.admin!.upload('/api/poi/import?dryRun=true', good, 'pois.xlsx', XLSX))).toEqual({ created: 2, updated: 0, dryRun: true });
    expect(await count()).toBe(before);
    expect(ok(await w.u.admin!.upload('/api/poi/import', good, 'pois.xlsx', XLSX))).toEqual({ created: 2, updated: 0, dryRun: false });
    expect(await count()).toBe(before + 2);
    const stored = await w.p.db.selectFrom('pois').selectAll().where('code', '=', 'X-WR-1').executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ type: 'pollution_source', risk_level: 'medium', address: '接庄路1号', properties: { 备注: '夜间经营' } });

    const bad = await xlsx([
      header,
      ['污染源', '', labelLng, labelLat, null, 'X-WR-2', null, null, null],
      ['摄像头', '路口', 'abc', labelLat, null, 'X-SP-2', null, null, null],
      ['摄像头', '路口2', labelLng, 95, null, 'X-SP-2', null, null, null],
    ]);
    const err = refused(await w.u.admin!.upload('/api/poi/import', bad, 'bad.xlsx', XLSX), 422, 'poi_import_invalid') as unknown as { details: { row: number; column?: string; code: string }[] };
    expect(err.details.map((d) => [d.row, d.column, d.code])).toEqual([
      [2, '名称', 'name_missing'],
      [3, '经度', 'lng_invalid'],
      [4, '纬度', 'lat_invalid'],
      [4, '编码', 'code_duplicate'],
    ]);
    const noColumns = await xlsx([['名称', '地址'], ['某地', '某处']]);
    const missing = refused(await w.u.admin!.upload('/api/poi/import', noColumns, 'x.xlsx', XLSX), 422, 'poi_import_invalid') as unknown as { details: { code: string; column?: string }[] };
    expect(missing.details.map((d) => d.column)).toEqual(['类型', '经度', '纬度']);
    refused(await w.u.admin!.upload('/api/poi/import', Buffer.from('not a workbook'), 'x.xlsx', XLSX), 422, 'poi_import_invalid');
    expect(await count()).toBe(before + 2);
  });

  it('only operators and administrators import', async () => {
    const fc = { type: 'FeatureCollection', features: [point({ 类型: '企业', 名称: '某厂' }, 116.66, 35.43)] };
    for (const u of ['leader', 'gridworker', 'chengguan', 'citizen']) refused(await w.u[u]!.post('/api/poi/import', fc), 403, 'forbidden');
  });
});

describe('reading', () => {
  it('the demo points: each type; by type and box; phones masked and streams hidden by role; citizens refused', async () => {
    expect(await seedDemoPois(w.p.db, new Date())).toBe(0); // points exist already: nothing added
    await w.p.db.deleteFrom('pois').execute();
    expect(await seedDemoPois(w.p.db, new Date())).toBe(16);
    const all = ok(await w.u.operator!.get('/api/poi')) as PoiCollection;
    expect(new Set(all.features.map((f) => f.properties.type))).toEqual(new Set(['enterprise', 'pollution_source', 'sensitive_point', 'monitoring_station', 'camera']));
    const cams = ok(await w.u.operator!.get('/api/poi?type=camera')) as PoiCollection;
    expect(cams.features).toHaveLength(3);
    expect(cams.features.every((f) => f.properties.streamUrl?.match(/^(rtsp|https):/))).toBe(true);
    const box = ok(await w.u.operator!.get('/api/poi?bbox=116.655,35.425,116.665,35.435')) as PoiCollection;
    expect(box.features.length).toBeGreaterThan(0);
    for (const f of box.features) expect(f.geometry.coordinates[0]).toBeGreaterThanOrEqual(116.655);
    const leader = ok(await w.u.leader!.get('/api/poi?type=enterprise')) as PoiCollection;
    expect(leader.features[0]!.properties.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    const worker = ok(await w.u.gridworker!.get('/api/poi')) as PoiCollection;
    expect(worker.features.length).toBeLessThan(all.features.length);
    for (const f of worker.features) {
      expect(f.properties.gridId).toBe(g1().id);
      expect(f.properties.streamUrl).toBeNull();
    }
    refused(await w.u.citizen!.get('/api/poi'), 403, 'forbidden');
    expect((await w.u.operator!.get('/api/poi?type=ufo')).statusCode).toBe(400);
  });
});
