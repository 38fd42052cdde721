// Administration through the API on the demo street: divisions with GB/T 2260-style codes and checked boundaries,
// departments (retire refused while they hold work orders, the orders listed), users (create, search, edit,
// reset, lock, deactivate) — every change with its audit row, every refusal in the user's language changing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type Client } from '../support/platform.js';
import { ok, openWorld, refused, walkTo, type World } from '../support/factories.js';
import { deactivateUser, setUserLocked } from '../../src/services/admin-users.js';

let w: World;
let admin: Client;
let adminEn: Client;

const count = async (table: 'divisions' | 'departments' | 'users' | 'audit_log' | 'categories' | 'sessions') =>
  Number((await w.p.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const snapshot = async () => ({
  divisions: await count('divisions'),
  departments: await count('departments'),
  users: await count('users'),
  audit: await count('audit_log'),
  categories: await count('categories'),
});
const auditOf = (action: string) => w.p.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id', 'desc').execute();
const square = (x: number, y: number, d = 0.001) => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });

beforeAll(async () => {
  w = await openWorld(['admin', 'operator', 'gridworker', 'chengguan']);
  admin = w.u.admin!;
  adminEn = await login(w.p.app, 'admin', undefined, 'en');
});
afterAll(async () => w?.p.close());

describe('OpenAPI', () => {
  it('shows the administration tags and routes', async () => {
    const spec = (await w.p.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const tags = new Set<string>();
    for (const ops of Object.values(spec.paths) as any[]) for (const op of Object.values(ops) as any[]) for (const t of op.tags ?? []) tags.add(t);
    for (const t of ['users', 'departments', 'divisions']) expect(tags).toContain(t);
    for (const route of ['/api/users', '/api/users/:id/deactivate', '/api/divisions', '/api/departments/:id/retire', '/api/categories/adopt-standard']) {
      const found = w.p.app.hasRoute({ method: route === '/api/users' ? 'GET' : 'POST', url: route });
      expect(found, route).toBe(true);
    }
  });
});

describe('divisions', () => {
  it('creates a village under the street; a child code must extend its parent’s', async () => {
    const street = await w.p.db.selectFrom('divisions').selectAll().where('level', '=', 'street').executeTakeFirstOrThrow();
    const before = await snapshot();
    const bad = refused(await admin.post('/api/divisions', { level: 'village', code: '370871006001', name: '错村', parentId: street.id }), 422, 'division_code_not_extending');
    expect(bad.message).toContain('370871005');
    refused(await admin.post('/api/divisions', { level: 'village', code: '3708710050', name: '短码', parentId: street.id }), 422, 'division_code_invalid');
    const en = refused(await adminEn.post('/api/divisions', { level: 'street', code: '370871009', name: 'x', parentId: street.id }), 422, 'division_parent_invalid');
    expect(en.message).toBe('A division of this level must sit under a district.');
    refused(await admin.post('/api/divisions', { level: 'village', code: '370871005001', name: '重复', parentId: street.id }), 409, 'division_code_taken');
    // a bow-tie boundary is named like a grid's
    const bowTie = { type: 'Polygon', coordinates: [[[116.64, 35.42], [116.641, 35.421], [116.641, 35.42], [116.64, 35.421], [116.64, 35.42]]] };
    const res = await admin.post('/api/divisions', { level: 'village', code: '370871005201', name: '新村', parentId: street.id, geometry: bowTie });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('division_geometry_invalid');
    expect(res.json().errors[0].message).toContain('自相交');
    expect(await snapshot()).toEqual(before);

    const created = ok(await admin.post('/api/divisions', { level: 'village', code: '370871005201', name: '新村', parentId: street.id, geometry: square(116.7, 35.5) }), 201);
    const row = await w.p.db.selectFrom('divisions').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ level: 'village', parent_id: street.id, path: `${street.path}${created.id}/` });
    expect((await auditOf('division.create'))[0]).toMatchObject({ target_id: String(created.id) });
    // rename, remove the boundary
    expect((await admin.send('PUT', `/api/divisions/${created.id}`, { name: '新村村委会', geometry: null })).statusCode).toBe(204);
    const list = ok(await admin.get('/api/admin/divisions')) as any[];
    expect(list.find((d) => d.id === created.id)).toMatchObject({ name: '新村村委会', hasBoundary: false, gridCount: 0 });
    // others may not
    expect((await w.u.operator!.post('/api/divisions', { level: 'village', code: '370871005202', name: 'x', parentId: street.id })).statusCode).toBe(403);
  });
});

describe('departments', () => {
  it('creates and renames; retiring one with open work orders is refused with their numbers', async () => {
    const before = await snapshot();
    refused(await admin.post('/api/departments', { code: 'cg', name: '重复' }), 409, 'department_code_taken');
    expect(await snapshot()).toEqual(before);
    const { id } = ok(await admin.post('/api/departments', { code: 'WS', name: '卫生院' }), 201);
    expect((await admin.send('PUT', `/api/departments/${id}`, { name: '社区卫生服务中心' })).statusCode).toBe(204);
    expect((ok(await admin.get('/api/departments')) as any[]).find((d) => d.id === id).name).toBe('社区卫生服务中心');

    const c = await walkTo(w, 'in_progress');
    const cg = w.departments.get('CG')!;
    const mid = await snapshot();
    const err = refused(await admin.post(`/api/departments/${cg}/retire`), 409, 'department_has_open_work');
    expect(err.message).toContain(c.number);
    expect(await snapshot()).toEqual(mid);

    expect((await admin.post(`/api/departments/${id}/retire`)).statusCode).toBe(204);
    expect((ok(await admin.get('/api/departments')) as any[]).some((d) => d.id === id)).toBe(false);
    expect((ok(await admin.get('/api/admin/departments')) as any[]).find((d) => d.id === id)).toMatchObject({ retired: true });
    refused(await admin.post('/api/users', { username: 'ws1', displayName: '卫生 王', role: 'department', departmentId: id }), 422, 'department_retired');
  });

  it('the standard tree is adopted only when there are no categories', async () => {
    const before = await snapshot();
    refused(await admin.post('/api/categories/adopt-standard'), 409, 'categories_present');
    expect(await snapshot()).toEqual(before);
  });
});

describe('users', () => {
  it('creates a grid worker who must change the temporary password; a taken username is named', async () => {
    const grid = await w.p.db.selectFrom('grids').selectAll().where('code', '=', '37087100500102').executeTakeFirstOrThrow();
    const before = await snapshot();
    const taken = refused(await admin.post('/api/users', { username: 'operator', displayName: 'x', role: 'operator', scope: { type: 'grid', id: grid.id } }), 409, 'username_taken');
    expect(taken.message).toBe('用户名 operator 已存在。');
    refused(await admin.post('/api/users', { username: 'nw1', displayName: '无范围', role: 'grid_worker' }), 422, 'scope_required');
    const en = refused(await adminEn.post('/api/users', { username: 'nw1', displayName: 'x', role: 'operator', departmentId: w.departments.get('CG') }), 422, 'scope_required');
    expect(en.message).toBe('The role operator needs a scope (a street, community/village or grid).');
    refused(await admin.post('/api/users', { username: 'nw1', displayName: 'x', role: 'leader', scope: { type: 'division', id: 1 }, departmentId: w.departments.get('CG') }), 422, 'department_not_allowed');
    expect(await snapshot()).toEqual(before);

    const made = ok(await admin.post('/api/users', { username: 'newworker', displayName: '网格员 新人', role: 'grid_worker', scope: { type: 'grid', id: grid.id } }), 201);
    expect(made.user).toMatchObject({ username: 'newworker', role: 'grid_worker', scopePaths: [grid.path], scopeName: grid.name, mustChangePassword: true, locked: false });
    const res = await w.p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'newworker', password: made.temporaryPassword } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.mustChangePassword).toBe(true);
    const found = ok(await admin.get('/api/users?q=新人')) as { items: any[]; total: number };
    expect(found.total).toBe(1);
    expect(found.items[0].lastLoginAt).not.toBeNull();
    expect((ok(await admin.get('/api/users?role=department&pageSize=100')) as any).items.every((u: any) => u.role === 'department')).toBe(true);
  });

  it('moves a handler to another department, resets, locks and unlocks, each audited', async () => {
    const huanbao = await w.p.db.selectFrom('users').selectAll().where('username', '=', 'huanbao').executeTakeFirstOrThrow();
    const moved = ok(await admin.send('PUT', `/api/users/${huanbao.id}`, { departmentId: w.departments.get('ZJ') }));
    expect(moved).toMatchObject({ departmentId: w.departments.get('ZJ'), role: 'department' });
    expect((await auditOf('user.update'))[0]!.data).toMatchObject({ before: { departmentId: w.departments.get('HB') }, after: { departmentId: w.departments.get('ZJ') } });

    const reset = ok(await admin.post(`/api/users/${huanbao.id}/reset-password`, {}));
    expect(reset.user.mustChangePassword).toBe(true);
    ok(await admin.post(`/api/users/${huanbao.id}/lock`));
    const locked = await w.p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'huanbao', password: reset.temporaryPassword } });
    expect(locked.json().error.code).toBe('account_locked');
    ok(await admin.post(`/api/users/${huanbao.id}/unlock`));
    const back = await w.p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'huanbao', password: reset.temporaryPassword } });
    expect(back.statusCode).toBe(200);
    expect((await auditOf('user.lock')).length).toBe(1);
    expect((await auditOf('user.unlock')).length).toBe(1);
    expect((await auditOf('user.reset_password')).length).toBe(1);
  });

  it('deactivation is refused for the last administrator and for the only account able to act on open cases', async () => {
    const me = await w.p.db.selectFrom('users').selectAll().where('username', '=', 'admin').executeTakeFirstOrThrow();
    refused(await admin.post(`/api/users/${me.id}/deactivate`), 422, 'not_on_yourself');
    const second = ok(await admin.post('/api/users', { username: 'admin2', displayName: '管理员二', role: 'admin' }), 201);
    ok(await admin.post(`/api/users/${second.user.id}/deactivate`));
    // Two administrators deactivating each other at once: the one whose request comes second finds nobody left.
    const stale = { db: w.p.db, actor: { id: second.user.id, role: 'admin' as const, scopePaths: [], departmentId: null }, ip: null, now: new Date() };
    await expect(deactivateUser(stale, me.id)).rejects.toMatchObject({ code: 'last_admin' });
    await expect(setUserLocked(stale, me.id, true)).rejects.toMatchObject({ code: 'last_admin' });

    // chengguan is the only handler of 城管, which holds an open work order
    const cg = await w.p.db.selectFrom('users').selectAll().where('username', '=', 'chengguan').executeTakeFirstOrThrow();
    const before = await snapshot();
    const held = refused(await admin.post(`/api/users/${cg.id}/deactivate`), 409, 'user_holds_open_work');
    expect(held.message).toMatch(/城管 张建国/);
    expect(await snapshot()).toEqual(before);

    const made = ok(await admin.post('/api/users', { username: 'leaver', displayName: '离职 人员', role: 'department', departmentId: w.departments.get('CG') }), 201);
    const gone = ok(await admin.post(`/api/users/${made.user.id}/deactivate`));
    expect(gone.deactivatedAt).not.toBeNull();
    const res = await w.p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'leaver', password: made.temporaryPassword } });
    expect(res.statusCode).toBe(401);
    refused(await admin.send('PUT', `/api/users/${made.user.id}`, { displayName: 'x' }), 422, 'user_deactivated');
    expect((ok(await admin.get('/api/users?status=deactivated')) as any).items.map((u: any) => u.username)).toContain('leaver');
  });
});

describe('users to and from Excel', () => {
  it('exports every account with formula-like text neutralised, and imports a sheet all or nothing', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const cg = await w.p.db.selectFrom('users').selectAll().where('username', '=', 'chengguan').executeTakeFirstOrThrow();
    ok(await admin.send('PUT', `/api/users/${cg.id}`, { displayName: '=HYPERLINK("http://evil")' }));
    const res = await admin.get('/api/users/export');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows: string[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => (typeof v === 'string' ? v : JSON.stringify(v ?? '')))));
    expect(rows.length - 1).toBe(await count('users'));
    const cgRow = rows.find((r) => r[0] === 'chengguan')!;
    expect(cgRow[1]).toBe(`'=HYPERLINK("http://evil")`);
    expect(cgRow[4]).toBe('CG');
    ws.eachRow((r) => r.eachCell((cell) => expect(typeof cell.value === 'object' && cell.value && 'formula' in cell.value).toBeFalsy()));

    // a sheet with bad rows: every one named, nothing imported
    const sheet = async (rows: string[][]) => {
      const out = new ExcelJS.Workbook();
      const s = out.addWorksheet('用户');
      s.addRow(['用户名', '姓名', '角色', '管辖范围编码', '部门编码']);
      for (const r of rows) s.addRow(r);
      return { base64: Buffer.from(await out.xlsx.writeBuffer()).toString('base64') };
    };
    const before = await snapshot();
    const bad = await admin.post('/api/users/import', await sheet([
      ['imp1', '网格员 甲', '网格员', '37087100500101', ''],
      ['operator', '重名', '指挥中心坐席', '370871005', ''],
      ['imp2', '部门 乙', '职能部门处置人员', '', 'NOPE'],
      ['imp1', '重复', '网格员', '37087100500101', ''],
      ['imp3', '角色错', '队长', '', ''],
    ]));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('user_import_invalid');
    expect(bad.json().errors.map((e: any) => e.message)).toEqual([
      '第 3 行：用户名 operator 已存在。',
      '第 4 行：部门编码 NOPE 不存在或已撤销。',
      '第 5 行：用户名 imp1 与第 2 行重复。',
      '第 6 行：角色“队长”无效，应为系统管理员、指挥中心坐席、网格员、职能部门处置人员、街道领导或群众。',
    ]);
    expect(bad.json().error.message).toBe('用户表有 4 处错误，没有导入任何用户。第 3 行：用户名 operator 已存在。');
    expect(await snapshot()).toEqual(before);

    const good = ok(await admin.post('/api/users/import', await sheet([
      ['imp1', '网格员 甲', '网格员', '37087100500101', ''],
      ['imp2', '部门 乙', '职能部门处置人员', '', 'cg'],
    ])));
    expect(good.created).toBe(2);
    const imp2 = await w.p.db.selectFrom('users').selectAll().where('username', '=', 'imp2').executeTakeFirstOrThrow();
    expect(imp2).toMatchObject({ role: 'department', department_id: w.departments.get('CG'), must_change_password: true });
    const res2 = await w.p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'imp1', password: good.users[0].temporaryPassword } });
    expect(res2.statusCode).toBe(200);
    expect((await auditOf('user.import')).length).toBe(1);
  });
});

describe('audit search', () => {
  it('filters by who, what, which object and when, with the before/after of a change', async () => {
    const huanbao = await w.p.db.selectFrom('users').selectAll().where('username', '=', 'huanbao').executeTakeFirstOrThrow();
    const updates = ok(await admin.get(`/api/audit?action=user.update&targetType=user&targetId=${huanbao.id}&actor=系统管理员`));
    expect(updates.total).toBeGreaterThan(0);
    expect(updates.items.every((e: any) => e.action === 'user.update' && e.targetId === String(huanbao.id) && e.actorName === '系统管理员')).toBe(true);
    expect(updates.items.at(-1).data).toMatchObject({ before: { departmentId: w.departments.get('HB') } });
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect(ok(await admin.get(`/api/audit?from=${encodeURIComponent(future)}`)).total).toBe(0);
    expect(ok(await admin.get(`/api/audit?q=${encodeURIComponent('停用用户 leaver')}`)).total).toBe(1);
    expect(ok(await admin.get('/api/audit?actor=nobody-like-this')).total).toBe(0);
  });
});

describe('categories', () => {
  it('creates a class and a subcategory under it; bad codes change nothing', async () => {
    const before = await snapshot();
    const rubbish = await w.p.db.selectFrom('categories').selectAll().where('code', '=', '0101').executeTakeFirstOrThrow();
    refused(await admin.post('/api/categories', { code: '0101', name: '已有', parentId: rubbish.parent_id }), 409, 'category_code_taken');
    refused(await admin.post('/api/categories', { code: '0201', name: '错类', parentId: rubbish.parent_id }), 422, 'category_code_invalid');
    refused(await admin.post('/api/categories', { code: '0101', name: '三级', parentId: rubbish.id }), 422, 'category_code_invalid');
    expect(await snapshot()).toEqual(before);
    const cls = ok(await admin.post('/api/categories', { code: '95', name: '信访事项', kind: 'event' }), 201);
    const sub = ok(await admin.post('/api/categories', { code: '9501', name: '群众来信', parentId: cls.id, defaultDepartmentId: w.departments.get('SQ'), handleDays: 5 }), 201);
    const row = await w.p.db.selectFrom('categories').selectAll().where('id', '=', sub.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ parent_id: cls.id, kind: 'event', default_department_id: w.departments.get('SQ') });
    expect(row.limits.normal.handleDays).toBe(5);
    // a worker can report in it at once
    const grid = w.grids.get('37087100500101')!;
    const c = ok(await w.u.gridworker!.post('/api/cases', { lng: grid.properties.labelLng, lat: grid.properties.labelLat, categoryId: sub.id, description: '群众反映小区问题' }), 201);
    expect(c.state).toBe('reported');
    expect((await auditOf('category.create')).length).toBe(2);
  });
});
