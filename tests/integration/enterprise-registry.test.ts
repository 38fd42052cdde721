// The one enterprise registry (issue 14): key units and enterprise points of interest are views of it (migration
// 0018 moves their rows in); an enterprise's A grid from its position and a key unit's C grid; the .xlsx import —
// template, all or nothing, every bad row and field named in the reader's language, a 10,000-row file with one bad
// row writes nothing — and the export of the filtered registry with the list's total; the enterprise layer of the
// map with its filters; one enterprise's timeline, newest first, in scope.
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/data/db.js';
import { migrateToLatest, migrateUpTo } from '../../src/data/migrate.js';
import { withCheckChar } from '../../src/domain/hazards/credit-code.js';
import { industryOf } from '../../src/domain/hazards/industries.js';
import { GRID_1, GRID_2, ok, openWorld, refused, type World } from '../support/factories.js';
import { rowCounts } from '../support/endpoints.js';
import { login, usingPostgres } from '../support/platform.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let w: World;

const code = (n: number) => withCheckChar(`91370800MA3F${String(n).padStart(5, '0')}`);
function at(gridCode: string) {
  const g = w.grids.get(gridCode)!;
  return { lng: g.properties.labelLng as number, lat: g.properties.labelLat as number };
}
const HEADER = ['企业名称*', '统一社会信用代码*', '行业代码*', '行业名称', '地址', '经度*', '纬度*', '风险等级', '经营状态', '重点单位', '专属网格编码', '不放心企业', '不放心原因', '复核日期', '联系人', '联系电话', '监管部门编码'];

async function sheet(rows: unknown[][], header = HEADER): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('企业档案');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const count = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM enterprises`.execute(w.p.db)).rows[0]!.n);

beforeAll(async () => {
  w = await openWorld(['admin', 'operator', 'leader', 'gridworker', 'gridworker2', 'anjian', 'citizen']);
  w.u.operatorEn = await login(w.p.app, 'operator', undefined, 'en');
}, 180_000);
afterAll(async () => w?.p.close());

describe.skipIf(usingPostgres)('migration 0018', () => {
  it('moves key units and enterprise points into the registry: one enterprise per name, no second list', async () => {
    const { db } = await openDb({});
    try {
      await migrateUpTo(db, '0016_hazards');
      const raw = db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>;
      await sql`INSERT INTO key_units (id, name, industry, address, lng, lat, contact, phone, risk_level) VALUES (7, '鲁建混凝土', 'environment', '崇文大道', 116.6, 35.4, '王经理', '13805371001', 'high'), (8, '王回庄小学', 'education', null, 116.61, 35.41, null, null, null)`.execute(raw);
      await sql`INSERT INTO pois (type, code, name, subtype, lng, lat, area_path, industry, risk_level, phone) VALUES
        ('enterprise', 'QY001', '鲁建混凝土', '重点单位', 116.6, 35.4, '/1/', '建材', 'high', '13805371001'),
        ('enterprise', 'QY004', '鸿运汽修厂', null, 116.62, 35.42, '/1/', '机动车维修', 'medium', null),
        ('camera', 'SP001', '路口', null, 116.6, 35.4, '/1/', null, null, null)`.execute(raw);
      await migrateToLatest(db);
      const rows = await db.selectFrom('enterprises').select(['name', 'key_unit', 'poi_code', 'credit_code', 'industry_name', 'risk_level']).orderBy('id').execute();
      expect(rows).toEqual([
        { name: '鲁建混凝土', key_unit: true, poi_code: 'QY001', credit_code: null, industry_name: 'environment', risk_level: 'high' },
        { name: '王回庄小学', key_unit: true, poi_code: null, credit_code: null, industry_name: 'education', risk_level: 'low' },
        { name: '鸿运汽修厂', key_unit: false, poi_code: 'QY004', credit_code: null, industry_name: '机动车维修', risk_level: 'medium' },
      ]);
      expect((await db.selectFrom('pois').select('type').execute()).map((p) => p.type)).toEqual(['camera']);
      const tables = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'key_units'`.execute(db);
      expect(tables.rows[0]!.n).toBe(0);
    } finally {
      await db.destroy();
    }
  }, 120_000);
});

describe('one registry: key units and enterprise points are views of it', () => {
  it('the demo key units and the enterprise points are registry rows, each enterprise once', async () => {
    const units = ok(await w.u.operator!.get('/api/key-units')).items as { id: number; name: string; gridId: number }[];
    expect(units.length).toBe(4);
    const points = ok(await w.u.operator!.get('/api/poi?type=enterprise')).features as { properties: { id: number; name: string } }[];
    const registry = await w.p.db.selectFrom('enterprises').select(['id', 'name', 'key_unit']).execute();
    for (const u of units) expect(registry.find((e) => e.id === u.id)).toMatchObject({ name: u.name, key_unit: true });
    for (const p of points) expect(registry.find((e) => e.id === p.properties.id)?.name).toBe(p.properties.name);
    // 济宁鲁建混凝土有限公司 is a key unit and an enterprise point: one row
    expect(registry.filter((e) => e.name === '济宁鲁建混凝土有限公司')).toHaveLength(1);
    expect(new Set(registry.map((e) => e.name)).size).toBe(registry.length);
    // the 散乱污 workshops of seed 000 are not in a platform without demo cases; the demo seed's own test covers them
  });

  it("an enterprise's A grid comes from its position, and a key unit's C grid from the grid around it (or the one named)", async () => {
    const unit = (ok(await w.u.operator!.get('/api/key-units')).items as { lng: number; lat: number; gridId: number }[])[0]!;
    const e = ok(
      await w.u.operator!.post('/api/enterprises', { name: '厂区内的分厂', creditCode: code(1), industryCode: 'C3021', lng: unit.lng + 0.0002, lat: unit.lat, keyUnit: true }),
      201,
    );
    expect(e).toMatchObject({ keyUnit: true, cGridId: unit.gridId, industryName: '非金属矿物制品业' });
    expect(e.gridId).toEqual(expect.any(Number));
    expect(e.gridId).not.toBe(unit.gridId);
    expect(e.cGridName).toMatch(/网格$/);
    // it is a key unit now: the key-unit list shows it with its C grid
    const units = ok(await w.u.leader!.get(`/api/key-units?gridId=${unit.gridId}`)).items as { id: number }[];
    expect(units.map((u) => u.id)).toContain(e.id);
    // not a key unit: no C grid; an A grid named as its C grid is refused; an unknown industry code is refused naming it
    const plain = ok(await w.u.operator!.post('/api/enterprises', { name: '普通企业', creditCode: code(2), ...at(GRID_1) }), 201);
    expect(plain).toMatchObject({ keyUnit: false, cGridId: null, gridId: w.grids.get(GRID_1)!.properties.id });
    refused(await w.u.operator!.post('/api/enterprises', { name: '错网格', creditCode: code(3), ...at(GRID_1), keyUnit: true, cGridId: w.grids.get(GRID_1)!.properties.id }), 422, 'key_unit_grid_invalid');
    const bad = refused(await w.u.operator!.post('/api/enterprises', { name: '错行业', creditCode: code(3), ...at(GRID_1), industryCode: 'C99' }), 422, 'industry_code_unknown');
    expect(bad.message).toContain('C99');
    expect(industryOf('2929')).toMatchObject({ code: 'C2929', section: 'C' });
    expect(industryOf('F2929')).toBeNull();
  });
});

describe('import and export', () => {
  it('the template downloads with the columns the import reads', async () => {
    const res = await w.u.operator!.get('/api/enterprises/template.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const header = (wb.getWorksheet('企业档案')!.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(HEADER);
    refused(await w.u.gridworker!.get('/api/enterprises/template.xlsx'), 403, 'forbidden');
  });

  it('imports a good sheet in its grids, audited; refuses a bad one naming every row and field in the reader’s language, writing nothing', async () => {
    const g1 = at(GRID_1);
    const good = await sheet([
      ['导入塑料厂', code(10), 'C2929', '', '崇文大道 3 号', g1.lng, g1.lat, '高', '在营', '否', '', '是', '散乱污', '2026-12-31', '张三', '13800001111', 'AJ,HB'],
      ['导入超市', code(11), 'F5212', '超级市场零售', null, g1.lng + 0.0003, g1.lat, null, null, null, null, null, null, null, null, null, null],
    ]);
    const before = await count();
    expect(ok(await w.u.operator!.upload('/api/enterprises/import?dryRun=true', good, 'e.xlsx', XLSX))).toEqual({ created: 2, updated: 0, unchanged: 0, dryRun: true });
    expect(await count()).toBe(before);
    expect(ok(await w.u.operator!.upload('/api/enterprises/import', good, 'e.xlsx', XLSX))).toEqual({ created: 2, updated: 0, unchanged: 0, dryRun: false });
    expect(await count()).toBe(before + 2);
    const list = ok(await w.u.operator!.get(`/api/enterprises?q=${encodeURIComponent('导入塑料厂')}`));
    expect(list.items[0]).toMatchObject({ industryCode: 'C2929', industryName: '橡胶和塑料制品业', riskLevel: 'high', watch: true, watchReason: '散乱污', gridId: w.grids.get(GRID_1)!.properties.id });
    expect(list.items[0].departmentIds).toEqual([w.departments.get('AJ'), w.departments.get('HB')]);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('企业档案');
    ws.addRow(HEADER);
    ws.addRow(['坏代码', '91370800MA3F000010', 'C2929', null, null, g1.lng, g1.lat]);
    ws.addRow(['坏行业', code(20), 'X12', null, null, g1.lng, g1.lat]);
    ws.addRow(['远处', code(21), 'C2929', null, null, 100, 20]);
    ws.addRow(['重复一', code(22), 'C2929', null, null, g1.lng, g1.lat]);
    ws.addRow(['重复二', code(22), 'C2929', null, null, g1.lng, g1.lat]);
    // a registered code is an update, not a problem (the sheet is refused for the other rows: nothing changes)
    ws.addRow(['已登记', code(10), 'C2929', null, null, g1.lng, g1.lat]);
    const formulaRow = ws.addRow(['公式', code(23), 'C2929', null, null, g1.lng, g1.lat]);
    formulaRow.getCell(1).value = { formula: 'HYPERLINK("http://evil.example","点我")', result: '点我' } as ExcelJS.CellFormulaValue;
    ws.addRow(['坏部门', code(24), 'C2929', null, null, g1.lng, g1.lat, '极高', null, null, null, null, null, null, null, null, 'NOPE']);
    const bad = Buffer.from(await wb.xlsx.writeBuffer());
    const counts = await rowCounts(w.p.db);
    const res = await w.u.operator!.upload('/api/enterprises/import', bad, 'bad.xlsx', XLSX);
    const err = refused(res, 422, 'enterprise_import_invalid') as unknown as { message: string; details: { row: number; column: string; code: string; message: string }[] };
    expect(err.details.map((d) => [d.row, d.column, d.code])).toEqual([
      [2, '统一社会信用代码', 'credit_code'],
      [3, '行业代码', 'industry_unknown'],
      [4, '经度', 'outside_street'],
      [6, '统一社会信用代码', 'duplicate'],
      [8, '企业名称', 'formula'],
      [9, '风险等级', 'risk'],
    ]);
    expect(err.message).toContain('第 2 行');
    expect(err.details[0]!.message).toContain('91370800MA3F000010');
    expect(err.details[4]!.message).toContain('公式');
    const en = refused(await w.u.operatorEn!.upload('/api/enterprises/import', bad, 'bad.xlsx', XLSX), 422, 'enterprise_import_invalid') as unknown as { message: string; details: { message: string }[] };
    expect(en.message).toContain('row 2');
    expect(en.details[2]!.message).toContain('outside the grids');
    expect(await rowCounts(w.p.db)).toEqual(counts);
    // a department code nobody has is named once the sheet itself is right
    const dept = await sheet([['坏部门', code(24), 'C2929', null, null, g1.lng, g1.lat, null, null, null, null, null, null, null, null, null, 'NOPE']]);
    const d = refused(await w.u.operator!.upload('/api/enterprises/import', dept, 'd.xlsx', XLSX), 422, 'enterprise_import_invalid') as unknown as { details: { column: string; code: string }[] };
    expect(d.details).toEqual([expect.objectContaining({ column: '监管部门编码', code: 'department_unknown' })]);
    refused(await w.u.gridworker!.upload('/api/enterprises/import', good, 'e.xlsx', XLSX), 403, 'forbidden');
    refused(await w.u.operator!.upload('/api/enterprises/import', Buffer.from('not a workbook'), 'x.xlsx', XLSX), 422, 'enterprise_import_invalid');
  }, 120_000);

  it('a registered credit code updates that enterprise: only the sheet\'s columns, audited before/after, counted; a new one needs every required cell', async () => {
    const g1 = at(GRID_1);
    const g2 = at(GRID_2);
    ok(await w.u.operator!.upload('/api/enterprises/import', await sheet([
      ['更新塑料厂', code(60), 'C2929', '', '崇文大道 40 号', g1.lng, g1.lat, '高', '在营', '否', '', '是', '散乱污', '2026-12-31', '张三', '13800004040', 'AJ,HB'],
      ['更新超市', code(61), 'F5212', '超级市场零售', null, g1.lng + 0.0003, g1.lat, '中', null, null, null, null, null, null, null, '13800004141', null],
    ]), 'e.xlsx', XLSX));
    const find = async (c: string) => w.p.db.selectFrom('enterprises').selectAll().where('credit_code', '=', c).executeTakeFirstOrThrow();
    const before60 = await find(code(60));

    // three columns: the credit code finds the enterprise, the other two are all that changes
    const partial = (rows: unknown[][]) => sheet(rows, ['统一社会信用代码', '风险等级', '联系电话']);
    const withNew = await partial([[code(60), '低', '13900004040'], [code(61), '中', '13800004141'], [code(62), '高', '13900004242']]);
    const counts = await rowCounts(w.p.db);
    const err = refused(await w.u.operator!.upload('/api/enterprises/import', withNew, 'p.xlsx', XLSX), 422, 'enterprise_import_invalid') as unknown as { details: { row: number; column: string; code: string }[] };
    expect(err.details.map((d) => [d.row, d.column, d.code])).toEqual([
      [4, '企业名称', 'required'],
      [4, '行业代码', 'required'],
      [4, '经度', 'required'],
      [4, '纬度', 'required'],
    ]);
    expect(await rowCounts(w.p.db)).toEqual(counts);

    const update = await partial([[code(60), '低', '13900004040'], [code(61), '中', '13800004141']]);
    expect(ok(await w.u.operator!.upload('/api/enterprises/import?dryRun=true', update, 'p.xlsx', XLSX))).toEqual({ created: 0, updated: 1, unchanged: 1, dryRun: true });
    expect(await rowCounts(w.p.db)).toEqual(counts);
    expect(ok(await w.u.operator!.upload('/api/enterprises/import', update, 'p.xlsx', XLSX))).toEqual({ created: 0, updated: 1, unchanged: 1, dryRun: false });
    const after60 = await find(code(60));
    expect(after60).toMatchObject({ risk_level: 'low', phone: '13900004040', version: before60.version + 1 });
    // what the sheet does not have stays as it was
    for (const k of ['name', 'industry_code', 'address', 'lng', 'lat', 'grid_id', 'status', 'watch', 'watch_reason', 'contact', 'department_ids', 'key_unit'] as const) expect(after60[k]).toEqual(before60[k]);
    const audit = await w.p.db.selectFrom('audit_log').select(['action', 'data']).where('target_type', '=', 'enterprise').where('target_id', '=', String(after60.id)).where('action', '=', 'enterprise.update').execute();
    expect(audit.map((a) => a.data)).toEqual([{ import: true, before: { risk_level: 'high', phone: '13800004040' }, after: { risk_level: 'low', phone: '13900004040' } }]);
    const timeline = ok(await w.u.operator!.get(`/api/enterprises/${after60.id}/timeline`));
    expect(timeline.items.map((i: { what: string }) => i.what)).toContain('enterprise.update');

    // the full sheet: one new enterprise, and one moved whose blank 企业名称 keeps the archive's name
    const full = await sheet([
      ['', code(61), 'F5212', '超级市场零售', null, g2.lng, g2.lat, '中', null, null, null, null, null, null, null, '13800004141', null],
      ['新建小店', code(63), 'F5212', null, null, g2.lng, g2.lat],
    ]);
    expect(ok(await w.u.operator!.upload('/api/enterprises/import', full, 'f.xlsx', XLSX))).toEqual({ created: 1, updated: 1, unchanged: 0, dryRun: false });
    expect(await find(code(61))).toMatchObject({ name: '更新超市', grid_id: w.grids.get(GRID_2)!.properties.id, lng: g2.lng });
    expect(await find(code(63))).toMatchObject({ name: '新建小店', risk_level: 'low' });
  }, 120_000);

  it('a 10,000-row sheet with one bad row writes nothing and names that row', async () => {
    const g2 = at(GRID_2);
    const rows: unknown[][] = [];
    for (let i = 0; i < 10_000; i++) rows.push([`批量企业${i}`, code(1000 + i), 'C3360', null, null, g2.lng + (i % 100) * 1e-6, g2.lat, null, null, null, null, null, null, null, null, null, null]);
    rows[7_777]![2] = 'Z999';
    const before = await count();
    const err = refused(await w.u.admin!.upload('/api/enterprises/import', await sheet(rows), 'big.xlsx', XLSX), 422, 'enterprise_import_invalid') as unknown as { details: { row: number; column: string }[] };
    expect(err.details).toEqual([expect.objectContaining({ row: 7_779, column: '行业代码' })]);
    expect(await count()).toBe(before);
  }, 300_000);

  it('exports the filtered registry: the list’s total, formula-like text neutralised, phones masked by role', async () => {
    ok(await w.u.operator!.post('/api/enterprises', { name: '=HYPERLINK("x")厂', creditCode: code(30), ...at(GRID_1), riskLevel: 'high', phone: '13812345678' }), 201);
    for (const filter of ['', 'riskLevel=high', 'riskLevel=high,medium&industry=C29', `q=${encodeURIComponent('=HYPERLINK')}`]) {
      const list = ok(await w.u.operator!.get(`/api/enterprises?${filter}&pageSize=200`));
      const res = await w.u.operator!.get(`/api/enterprises/export?${filter}`);
      expect(res.statusCode).toBe(200);
      expect(Number(res.headers['x-total-count'])).toBe(list.total);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0]!;
      expect(ws.rowCount - 1).toBe(list.total);
      const names = [];
      for (let r = 2; r <= ws.rowCount; r++) names.push(String(ws.getRow(r).getCell(1).value));
      expect(names.sort()).toEqual(list.items.map((i: { name: string }) => (i.name.startsWith('=') ? `'${i.name}` : i.name)).sort());
    }
    const worker = await w.u.gridworker!.get(`/api/enterprises/export?q=${encodeURIComponent('=HYPERLINK')}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(worker.rawPayload as unknown as ExcelJS.Buffer);
    expect(String(wb.worksheets[0]!.getRow(2).getCell(16).value)).toBe('138****5678');
    refused(await w.u.citizen!.get('/api/enterprises/export'), 403, 'forbidden');
  }, 120_000);
});

describe('the map layer and the timeline', () => {
  it('enterprise points in scope by risk level, with open hazards, by industry', async () => {
    const e = ok(await w.u.operator!.post('/api/enterprises', { name: '地图企业', creditCode: code(40), industryCode: 'C2922', ...at(GRID_1), riskLevel: 'medium' }), 201);
    const all = ok(await w.u.operator!.get('/api/enterprises/map'));
    expect(all.features.length).toBe(ok(await w.u.operator!.get('/api/enterprises?pageSize=1')).total);
    expect(all.features.find((f: { id: number }) => f.id === e.id).properties).toMatchObject({ riskLevel: 'medium', openHazards: 0, worstOpenGrade: null });
    ok(await w.u.gridworker!.post('/api/hazards', { enterpriseId: e.id, grade: 'larger', type: 'fire', description: '灭火器过期' }), 201);
    const open = ok(await w.u.operator!.get('/api/enterprises/map?openHazards=true'));
    expect(open.features.map((f: { id: number }) => f.id)).toContain(e.id);
    for (const f of open.features) expect(f.properties.openHazards).toBeGreaterThan(0);
    expect(open.features.find((f: { id: number }) => f.id === e.id).properties).toMatchObject({ openHazards: 1, worstOpenGrade: 'larger' });
    const medium = ok(await w.u.operator!.get('/api/enterprises/map?riskLevel=medium&industry=C29'));
    expect(medium.features.map((f: { id: number }) => f.id)).toContain(e.id);
    for (const f of medium.features) expect(f.properties).toMatchObject({ riskLevel: 'medium', industryCode: expect.stringMatching(/^C29/) });
    const worker = ok(await w.u.gridworker!.get('/api/enterprises/map'));
    const worker2 = ok(await w.u.gridworker2!.get('/api/enterprises/map'));
    expect(worker.features.map((f: { id: number }) => f.id)).toContain(e.id);
    expect(worker2.features.map((f: { id: number }) => f.id)).not.toContain(e.id);
    refused(await w.u.citizen!.get('/api/enterprises/map'), 403, 'forbidden');
  });

  it("one enterprise's archive, inspections, hazards, notices and cases on one timeline, newest first, in scope", async () => {
    const e = ok(await w.u.operator!.post('/api/enterprises', { name: '时间线企业', creditCode: code(50), ...at(GRID_1), departmentIds: [w.departments.get('AJ')] }), 201);
    const insp = ok(
      await w.u.gridworker!.post('/api/inspections', {
        enterpriseId: e.id,
        ...at(GRID_1),
        items: [
          { text: '灭火器在有效期内', result: 'fail', grade: 'general', type: 'fire' },
          { text: '疏散通道畅通', result: 'pass' },
        ],
      }),
      201,
    );
    const h = { id: insp.items[0].hazardId as number };
    const full = ok(await w.u.gridworker!.get(`/api/hazards/${h.id}`));
    ok(await w.u.anjian!.post(`/api/hazards/${h.id}/moves/issue_notice`, { version: full.version, deadlineDays: 5 }));
    const tl = ok(await w.u.gridworker!.get(`/api/enterprises/${e.id}/timeline`));
    const kinds = tl.items.map((i: { kind: string }) => i.kind);
    expect(kinds).toEqual(expect.arrayContaining(['archive', 'inspection', 'hazard', 'notice']));
    expect(tl.items[0]).toMatchObject({ kind: 'notice', what: 'hazard.issue_notice', link: { type: 'hazard', id: h.id } });
    expect(tl.items[tl.items.length - 1]).toMatchObject({ kind: 'archive', what: 'enterprise.create' });
    const times = tl.items.map((i: { at: string }) => i.at);
    expect([...times].sort().reverse()).toEqual(times);
    refused(await w.u.gridworker2!.get(`/api/enterprises/${e.id}/timeline`), 404, 'not_found');
    refused(await w.u.citizen!.get(`/api/enterprises/${e.id}/timeline`), 403, 'forbidden');
  });
});
