// Administration, the rest of it (issue 9): departments merged (work orders, people, routing rules and category
// defaults move in one audited transaction), their contacts (phones masked for roles that do not call them) and the
// categories that default to them; categories moved and retired; communities and villages imported from the .xlsx
// template or GeoJSON with boundaries (all or nothing, every row named); the GB/T 2260 district list; the demo's
// grid people linked to the grid-worker accounts, and their rows in the people sheet (the account stands for the phone,
// so an export imports back unchanged). Every refusal is in the user's language and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildPeopleExport, parsePeopleSheet, type PeopleExportRow } from '../../src/domain/grids/people-sheet.js';
import { login, type Client } from '../support/platform.js';
import { GRID_1, GRID_2, moveOk, ok, openWorld, refused, reportBody, walkTo, type World } from '../support/factories.js';

let w: World;
let admin: Client;
let adminEn: Client;

type Table = 'divisions' | 'departments' | 'users' | 'audit_log' | 'categories' | 'cases' | 'case_assignments' | 'routing_rules';
const count = async (table: Table) => Number((await w.p.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const snapshot = async () => {
  const out: Record<string, unknown> = {};
  for (const t of ['divisions', 'departments', 'users', 'audit_log', 'categories', 'cases', 'case_assignments', 'routing_rules'] as const) out[t] = await count(t);
  out.departmentRows = await w.p.db.selectFrom('departments').selectAll().orderBy('id').execute();
  out.categoryRows = await w.p.db.selectFrom('categories').select(['id', 'code', 'parent_id', 'default_department_id', 'retired_at']).orderBy('id').execute();
  out.divisionRows = await w.p.db.selectFrom('divisions').select(['id', 'code', 'name', 'geometry']).orderBy('id').execute();
  return out;
};
const auditOf = (action: string) => w.p.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id', 'desc').execute();
const square = (x: number, y: number, d = 0.001) => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });

beforeAll(async () => {
  w = await openWorld(['admin', 'operator', 'leader', 'gridworker', 'chengguan', 'huanbao']);
  admin = w.u.admin!;
  adminEn = await login(w.p.app, 'admin', undefined, 'en');
});
afterAll(async () => w?.p.close());

describe('department contacts and the categories that default to it', () => {
  it('stores contacts (bad phones refused, nothing saved); operators see phones, others masked', async () => {
    const hb = w.departments.get('HB')!;
    const before = await snapshot();
    const bad = refused(
      await admin.send('PUT', `/api/departments/${hb}/contacts`, { contacts: [{ name: '李晓梅', title: '所长', phone: '13905371234' }, { name: '值班', phone: '12345' }] }),
      422,
      'department_contact_phone_invalid',
    );
    expect(bad.message).toBe('第 2 位联系人“值班”的电话“12345”不正确，应为手机号或带区号的座机（如 0537-2345678）；没有保存。');
    const en = refused(await adminEn.send('PUT', `/api/departments/${hb}/contacts`, { contacts: [{ name: 'x', phone: 'abc' }] }), 422, 'department_contact_phone_invalid');
    expect(en.message).toContain('nothing was saved');
    expect(await snapshot()).toEqual(before);

    expect((await admin.send('PUT', `/api/departments/${hb}/contacts`, { contacts: [{ name: '李晓梅', title: '所长', phone: '139 0537 1234' }, { name: '值班室', phone: '0537 2345678' }] })).statusCode).toBe(204);
    const audit = (await auditOf('department.contacts'))[0]!;
    expect(audit.data).toMatchObject({ after: [{ name: '李晓梅', title: '所长', phone: '13905371234' }, { name: '值班室', title: '', phone: '0537-2345678' }] });
    const asOperator = ok(await w.u.operator!.get(`/api/departments/${hb}`));
    expect(asOperator.contacts.map((c: any) => c.phone)).toEqual(['13905371234', '0537-2345678']);
    for (const who of ['leader', 'gridworker', 'chengguan'] as const) {
      const seen = ok(await w.u[who]!.get(`/api/departments/${hb}`));
      expect(seen.contacts.map((c: any) => c.phone), who).toEqual(['139****1234', '053****5678']);
    }
    expect((ok(await admin.get('/api/admin/departments')) as any[]).find((d) => d.id === hb).contacts).toHaveLength(2);
  });

  it('sets which categories default to a department; the others lose the default', async () => {
    const hb = w.departments.get('HB')!;
    const cats = ok(await admin.get('/api/categories')) as any[];
    const leaf = (code: string) => cats.find((c) => c.code === code)!;
    const current = (ok(await admin.get(`/api/departments/${hb}`)) as any).defaultCategories.map((c: any) => c.code);
    expect(current.length).toBeGreaterThan(0);
    const keep = current.slice(1);
    const wanted = [...keep, '0101'].map((code: string) => leaf(code).id);
    expect((await admin.send('PUT', `/api/departments/${hb}/categories`, { categoryIds: wanted })).statusCode).toBe(204);
    const after = (ok(await admin.get(`/api/departments/${hb}`)) as any).defaultCategories.map((c: any) => c.code);
    expect(after.sort()).toEqual([...keep, '0101'].sort());
    const dropped = await w.p.db.selectFrom('categories').select('default_department_id').where('code', '=', current[0]).executeTakeFirstOrThrow();
    expect(dropped.default_department_id).toBeNull();
    expect((await auditOf('department.categories'))[0]!.data).toMatchObject({ before: current });
    // restore the demo's defaults for the tests below
    ok(await admin.send('PUT', `/api/categories/${leaf('0101').id}`, { defaultDepartmentId: w.departments.get('CG') }));
    ok(await admin.send('PUT', `/api/categories/${leaf(current[0]).id}`, { defaultDepartmentId: hb }));
  });
});

describe('merging departments', () => {
  it('lists the open work orders first; refuses the same or a retired target; moves everything in one audited step', async () => {
    const c = await walkTo(w, 'in_progress');
    const cg = w.departments.get('CG')!;
    const orders = ok(await admin.get(`/api/departments/${cg}/work-orders`));
    expect(orders.total).toBeGreaterThan(0);
    expect(orders.items.map((o: any) => o.number)).toContain(c.number);
    expect(orders.items.find((o: any) => o.number === c.number)).toMatchObject({ state: 'in_progress', main: true });

    const { id: target } = ok(await admin.post('/api/departments', { code: 'ZHZF', name: '综合行政执法队' }), 201);
    const { id: gone } = ok(await admin.post('/api/departments', { code: 'OLD', name: '旧部门' }), 201);
    ok(await admin.post(`/api/departments/${gone}/retire`));
    ok(await admin.post('/api/routing-rules', { categoryId: w.categoryId, departmentId: cg, note: '测试规则' }), 201);
    const before = await snapshot();
    refused(await admin.post(`/api/departments/${cg}/merge`, { intoId: cg }), 422, 'department_merge_same');
    const retired = refused(await admin.post(`/api/departments/${cg}/merge`, { intoId: gone }), 409, 'department_merge_target_retired');
    expect(retired.message).toBe('部门“旧部门”已撤销，不能接收合并；请选择在用的部门。');
    const en = refused(await adminEn.post(`/api/departments/${cg}/merge`, { intoId: cg }), 422, 'department_merge_same');
    expect(en.message).toBe('A department cannot be merged into itself; choose another department.');
    expect((await w.u.operator!.post(`/api/departments/${cg}/merge`, { intoId: target })).statusCode).toBe(403);
    expect(await snapshot()).toEqual(before);

    const defaults = await w.p.db.selectFrom('categories').select('code').where('default_department_id', '=', cg).orderBy('code').execute();
    const rules = await w.p.db.selectFrom('routing_rules').select('id').where('department_id', '=', cg).execute();
    const result = ok(await admin.post(`/api/departments/${cg}/merge`, { intoId: target }));
    expect(result).toMatchObject({ workOrders: orders.total, users: 1, categories: defaults.length, routingRules: rules.length });
    const row = await w.p.db.selectFrom('cases').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.department_id).toBe(target);
    expect(row.state).toBe('in_progress');
    const assignments = await w.p.db.selectFrom('case_assignments').selectAll().where('case_id', '=', c.id).where('life', '=', row.life).orderBy('department_id').execute();
    expect(assignments.find((a) => a.department_id === cg)!.ended_at).not.toBeNull();
    expect(assignments.find((a) => a.department_id === target)).toMatchObject({ role: 'main', ended_at: null });
    const chengguan = await w.p.db.selectFrom('users').selectAll().where('username', '=', 'chengguan').executeTakeFirstOrThrow();
    expect(chengguan.department_id).toBe(target);
    expect(await w.p.db.selectFrom('categories').select('code').where('default_department_id', '=', target).orderBy('code').execute()).toEqual(defaults);
    expect((await w.p.db.selectFrom('departments').selectAll().where('id', '=', cg).executeTakeFirstOrThrow()).retired_at).not.toBeNull();
    const audit = (await auditOf('department.merge'))[0]!;
    expect(audit.data).toMatchObject({ from: cg, into: target, users: ['chengguan'] });
    expect((audit.data as any).workOrders).toContain(c.number);

    // the merged department's handler goes on with the case under the new department
    const handled = await moveOk(w.u.chengguan!, { id: c.id, version: row.version }, 'handle', { note: '已清理完毕，恢复原状' });
    expect(handled.state).toBe('handled');
    // the retired department takes no more merges, and history keeps its name
    refused(await admin.post(`/api/departments/${cg}/merge`, { intoId: target }), 422, 'department_retired');
    expect((ok(await admin.get('/api/admin/departments')) as any[]).find((d) => d.id === cg)).toMatchObject({ name: '城管执法中队', retired: true, openWorkOrders: 0 });
    w.departments.set('CG', target);
  });
});

describe('categories: move and retire', () => {
  it('moves a subcategory to another class with a new code; classes, other kinds and subcategories as targets are refused', async () => {
    const cats = ok(await admin.get('/api/categories')) as any[];
    const byCode = (code: string) => cats.find((c) => c.code === code)!;
    const sub = byCode('0102');
    const otherClass = cats.find((c) => c.parentId == null && c.kind === sub.kind && c.id !== sub.parentId)!;
    const componentClass = cats.find((c) => c.parentId == null && c.kind !== sub.kind);
    const before = await snapshot();
    refused(await admin.post(`/api/categories/${byCode('01').id}/move`, { parentId: otherClass.id }), 422, 'category_move_class');
    refused(await admin.post(`/api/categories/${sub.id}/move`, { parentId: byCode('0101').id }), 422, 'category_move_target_invalid');
    refused(await admin.post(`/api/categories/${sub.id}/move`, { parentId: sub.parentId }), 422, 'category_move_target_invalid');
    if (componentClass) refused(await admin.post(`/api/categories/${sub.id}/move`, { parentId: componentClass.id }), 422, 'category_move_kind');
    refused(await admin.post(`/api/categories/${sub.id}/move`, { parentId: otherClass.id, code: '9999' }), 422, 'category_code_invalid');
    const taken = cats.find((c) => c.parentId === otherClass.id)!;
    refused(await admin.post(`/api/categories/${sub.id}/move`, { parentId: otherClass.id, code: taken.code }), 409, 'category_code_taken');
    expect(await snapshot()).toEqual(before);

    const c = await walkTo(w, 'reported');
    await w.p.db.updateTable('cases').set({ category_id: sub.id }).where('id', '=', c.id).execute();
    const moved = ok(await admin.post(`/api/categories/${sub.id}/move`, { parentId: otherClass.id }));
    expect(moved.code).toMatch(new RegExp(`^${otherClass.code}\\d{2}$`));
    const row = await w.p.db.selectFrom('categories').selectAll().where('id', '=', sub.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ parent_id: otherClass.id, code: moved.code });
    expect((await auditOf('category.move'))[0]!.data).toMatchObject({ before: { code: '0102' }, after: { code: moved.code, parentId: otherClass.id } });
    // the case filed under it keeps it, by id, with its name
    expect(JSON.stringify(ok(await admin.get(`/api/cases/${c.id}`)))).toContain(sub.name);
  });

  it('a retired category is not offered for new cases; cases under it keep it; it can be restored', async () => {
    const cats = ok(await admin.get('/api/categories')) as any[];
    const leaf = cats.find((c) => c.code === '0101')!;
    const open = await walkTo(w, 'reported');
    const retired = ok(await admin.post(`/api/categories/${leaf.id}/retire`));
    expect(retired.retired).toEqual(['0101']);
    expect(retired.openCases).toBeGreaterThan(0);
    expect((ok(await admin.get('/api/categories')) as any[]).find((c) => c.id === leaf.id).retired).toBe(true);
    const before = await snapshot();
    const r = refused(await w.u.gridworker!.post('/api/cases', reportBody(w, GRID_1)), 422, 'category_retired');
    expect(r.message).toContain('已停用');
    refused(await admin.post(`/api/categories/${leaf.id}/retire`), 422, 'category_retired');
    expect(await snapshot()).toEqual(before);
    // the case reported before goes on under it
    const detail = ok(await w.u.operator!.get(`/api/cases/${open.id}`));
    expect(JSON.stringify(detail)).toContain(leaf.name);
    await moveOk(w.u.operator!, detail, 'accept');
    // a class retires with its subcategories; restoring a subcategory under a retired class is refused
    const cls = cats.find((c) => c.id === leaf.parentId)!;
    const whole = ok(await admin.post(`/api/categories/${cls.id}/retire`));
    expect(whole.retired[0]).toBe(cls.code);
    const sibling = cats.find((c) => c.parentId === cls.id && c.id !== leaf.id && !c.retired)!;
    refused(await admin.post(`/api/categories/${sibling.id}/restore`), 422, 'category_retired');
    refused(await admin.post('/api/categories', { code: `${cls.code}98`, name: '新小类', parentId: cls.id }), 422, 'category_retired');
    expect((await admin.post(`/api/categories/${cls.id}/restore`)).statusCode).toBe(204);
    expect((await admin.post(`/api/categories/${leaf.id}/restore`)).statusCode).toBe(204);
    ok(await w.u.gridworker!.post('/api/cases', reportBody(w, GRID_1)), 201);
    expect((await auditOf('category.retire')).length).toBe(2);
  });
});

describe('communities and villages imported', () => {
  const sheet = async (rows: string[][], header = ['级别', '编码', '名称']) => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet('社区村');
    s.addRow(header);
    for (const r of rows) s.addRow(r);
    return { base64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') };
  };

  it('offers a template and imports a sheet all or nothing, every bad row named in the user’s language', async () => {
    const tpl = await admin.get('/api/divisions/template');
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(1).values).toEqual([undefined, '级别', '编码', '名称']);

    const before = await snapshot();
    const bad = await admin.post('/api/divisions/import', await sheet([
      ['社区', '370871005301', '新建社区'],
      ['小区', '370871005302', '级别错'],
      ['村', '370871009001', '无街道'],
      ['社区', '370871005301', '重复'],
      ['社区', '37087100530', '短码'],
      ['村', '370871005001', '已有但级别不同'],
    ]));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('division_import_invalid');
    const messages = bad.json().errors.map((e: any) => e.message);
    expect(messages).toEqual([
      '第 3 行：级别“小区”无效，应为“社区”或“村”。',
      '第 4 行：编码 370871009001 的前 9 位 370871009 不是已建立的街道，请先建立街道或改正编码。',
      '第 5 行：编码 370871005301 在文件中重复（第 2 处已有）。',
      expect.stringMatching(/^第 6 行：区划编码“37087100530”不正确/),
      expect.stringMatching(/^第 7 行：编码 370871005001 已被“.+”使用/),
    ]);
    expect(bad.json().error.message).toMatch(/^社区\/村导入有 5 处错误，没有导入任何内容。第 3 行/);
    const en = await adminEn.post('/api/divisions/import', await sheet([['小区', '370871005302', 'x']]));
    expect(en.json().errors[0].message).toBe('Row 2: The level “小区” is neither community (社区) nor village (村).');
    const missing = await admin.post('/api/divisions/import', await sheet([['社区', '370871005301']], ['级别', '编码']));
    expect(missing.json().errors[0].message).toBe('第 1 行：表头缺少“名称”列。');
    expect((await admin.post('/api/divisions/import', { base64: Buffer.from('not a file').toString('base64') })).json().errors[0].message).toContain('GeoJSON');
    expect(await snapshot()).toEqual(before);

    const good = ok(await admin.post('/api/divisions/import', await sheet([['社区', '370871005301', '新建社区'], ['村', '370871005302', '新建村'], ['', '370871005303', '默认社区']])));
    expect(good).toEqual({ created: 3, updated: 0, withBoundary: 0 });
    const rows = await w.p.db.selectFrom('divisions').select(['code', 'level', 'parent_id']).where('code', 'in', ['370871005301', '370871005302', '370871005303']).orderBy('code').execute();
    expect(rows.map((r) => r.level)).toEqual(['community', 'village', 'community']);
    expect((await auditOf('division.import')).length).toBe(1);
    const setup = ok(await admin.get('/api/admin/setup'));
    expect(setup.communitiesWithoutBoundary.map((d: any) => d.code)).toEqual(expect.arrayContaining(['370871005301', '370871005302', '370871005303']));
  });

  it('imports GeoJSON with boundaries checked like grids’: a bad feature refuses the file; good ones set boundaries', async () => {
    const bowTie = { type: 'Polygon', coordinates: [[[116.64, 35.42], [116.641, 35.421], [116.641, 35.42], [116.64, 35.421], [116.64, 35.42]]] };
    const fc = (features: unknown[]) => ({ base64: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })).toString('base64') });
    const before = await snapshot();
    const bad = await admin.post('/api/divisions/import', fc([
      { type: 'Feature', properties: { code: '370871005301', name: '新建社区' }, geometry: square(116.7, 35.5) },
      { type: 'Feature', properties: { code: '370871005302', name: '新建村', level: '村' }, geometry: bowTie },
      { type: 'Feature', properties: { code: '370871005304', name: '无边界' }, geometry: null },
    ]));
    expect(bad.statusCode).toBe(422);
    const messages = bad.json().errors.map((e: any) => e.message);
    expect(messages[0]).toMatch(/^第 2 个要素（编码 370871005302）.*自相交/);
    expect(messages.at(-1)).toBe('第 3 个要素（编码 370871005304）：缺少“geometry”。');
    expect(await snapshot()).toEqual(before);

    const good = ok(await admin.post('/api/divisions/import', fc([
      { type: 'Feature', properties: { code: '370871005301', name: '新建社区居委会' }, geometry: square(116.7, 35.5) },
      { type: 'Feature', properties: { 编码: '370871005304', 名称: '新增村', 级别: '村' }, geometry: square(116.71, 35.5) },
    ])));
    expect(good).toEqual({ created: 1, updated: 1, withBoundary: 2 });
    const list = ok(await admin.get('/api/admin/divisions')) as any[];
    expect(list.find((d) => d.code === '370871005301')).toMatchObject({ name: '新建社区居委会', hasBoundary: true });
    expect(list.find((d) => d.code === '370871005304')).toMatchObject({ level: 'village', hasBoundary: true });
  });
});

describe('the GB/T 2260 district list', () => {
  it('finds districts by code or name; a street names its district by code alone when the list has it', async () => {
    const byName = ok(await admin.get(`/api/admin/gbt2260?q=${encodeURIComponent('济宁 邹城')}`)) as any[];
    expect(byName).toEqual([{ code: '370883', name: '邹城市', fullName: '山东省 济宁市 邹城市' }]);
    const byCode = ok(await admin.get('/api/admin/gbt2260?q=3708')) as any[];
    expect(byCode.map((d) => d.code)).toContain('370871');
    expect(byCode.every((d) => d.code.startsWith('3708'))).toBe(true);
    expect((await w.u.operator!.get('/api/admin/gbt2260?q=3708')).statusCode).toBe(403);

    const before = await snapshot();
    const unknown = refused(await admin.post('/api/divisions', { level: 'street', code: '379999001', name: '某街道', district: { code: '379999' } }), 422, 'district_unknown');
    expect(unknown.message).toContain('379999');
    expect(await snapshot()).toEqual(before);
    ok(await admin.post('/api/divisions', { level: 'street', code: '370883001', name: '钢山街道', district: { code: '370883' } }), 201);
    const district = await w.p.db.selectFrom('divisions').selectAll().where('code', '=', '370883').executeTakeFirstOrThrow();
    expect(district).toMatchObject({ name: '邹城市', level: 'district' });
  });
});

describe('the demo street', () => {
  it('links each grid worker account to a 网格员 record on its grid', async () => {
    const grid = w.grids.get(GRID_1)!;
    const detail = ok(await admin.get(`/api/grids/${grid.properties.id}`));
    const worker = detail.people.find((p: any) => p.role === 'grid_worker');
    expect(worker).toMatchObject({ username: 'gridworker' });
    const linked = Number((await w.p.db.selectFrom('grid_people').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', 'is not', null).executeTakeFirstOrThrow()).n);
    const workers = Number((await w.p.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'grid_worker').where('disabled_at', 'is', null).executeTakeFirstOrThrow()).n);
    expect(linked).toBe(workers);
    // and the demo departments have contacts to call
    const hbOperator = ok(await w.u.operator!.get(`/api/departments/${w.departments.get('SQ')}`));
    expect(hbOperator.contacts.length).toBe(2);
  });
});

describe('grid people linked to accounts in the people sheet', () => {
  /** Every grid person as the sheet carries it (sorted here: collations differ between databases). */
  const people = async () =>
    (await w.p.db.selectFrom('grid_people').select(['grid_id', 'name', 'role', 'phone', 'note', 'user_id']).execute())
      .map((p) => JSON.stringify(p))
      .sort();
  const upload = (rows: PeopleExportRow[]) => buildPeopleExport(rows).then((b) => admin.upload('/api/grids/people/import', b, '网格人员.xlsx'));

  it('exports a linked person with the account instead of a phone, and the same file imports back with no change', async () => {
    const before = await people();
    const linkedIds = (await w.p.db.selectFrom('grid_people').select('id').where('user_id', 'is not', null).orderBy('id').execute()).map((p) => p.id);
    expect(linkedIds.length).toBeGreaterThan(0);
    const exported = await admin.get('/api/grids/people.xlsx');
    expect(exported.statusCode).toBe(200);
    const parsed = await parsePeopleSheet(exported.rawPayload);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.rows.find((r) => r.gridCode === GRID_1 && r.account === 'gridworker')).toMatchObject({ role: 'grid_worker', phone: null });

    const again = await admin.post('/api/grids/people/import', { base64: exported.rawPayload.toString('base64') });
    expect(again.statusCode, again.body).toBe(200);
    expect(await people()).toEqual(before);
    // the records that stand for accounts are the same records
    expect((await w.p.db.selectFrom('grid_people').select('id').where('user_id', 'is not', null).orderBy('id').execute()).map((p) => p.id)).toEqual(linkedIds);
  });

  it('a row naming the account updates the phone and note; an unknown account, another grid or another name is refused, nothing changed', async () => {
    const before = await people();
    const before2 = await auditOf('grid.people_import');
    const res = await upload([
      { gridCode: GRID_1, name: '网格员 错名', role: 'grid_worker', phone: '', account: 'gridworker' },
      { gridCode: GRID_1, name: '某人', role: 'grid_worker', phone: '', account: 'nosuchuser' },
      { gridCode: GRID_2, name: '某人', role: 'grid_worker', phone: '', account: 'gridworker' },
    ]);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('grid_people_invalid');
    const name = (await w.p.db.selectFrom('users').select('display_name').where('username', '=', 'gridworker').executeTakeFirstOrThrow()).display_name;
    expect(res.json().errors.map((e: any) => e.message)).toEqual([
      `第 2 行“姓名”：姓名“网格员 错名”与账号“gridworker”的姓名“${name}”不一致；账号的姓名请在用户管理中修改。`,
      '第 3 行“账号”：账号“nosuchuser”不存在或已停用。',
      `第 4 行“账号”：账号“gridworker”不负责网格 ${GRID_2}，请先在用户管理中为其分配该网格。`,
    ]);
    const en = await adminEn.upload('/api/grids/people/import', await buildPeopleExport([{ gridCode: GRID_1, name: '某人', role: 'grid_worker', phone: '', account: 'nosuchuser' }]), 'x.xlsx');
    expect(en.json().errors[0].message).toBe('Row 2, 账号: account "nosuchuser" does not exist or is deactivated.');
    expect(await people()).toEqual(before);
    expect(await auditOf('grid.people_import')).toEqual(before2);

    ok(await upload([{ gridCode: GRID_1, name, role: 'grid_worker', phone: '139 0537 8888', note: '片区一', account: 'gridworker' }]));
    const row = await w.p.db.selectFrom('grid_people as p').innerJoin('users as u', 'u.id', 'p.user_id').select(['p.name', 'p.phone', 'p.note']).where('u.username', '=', 'gridworker').execute();
    expect(row).toEqual([{ name, phone: '13905378888', note: '片区一' }]);
  });
});
