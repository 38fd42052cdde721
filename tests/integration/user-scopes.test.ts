// A grid worker for several grids (issue 9): the administrator gives one account two grids in two communities; the
// account reads exactly the cases of those grids (plus its own reports), in the list, the statistics, the map's grid
// load and the patrol coverage, acts (verifies) in both and nowhere else, and is told of cases to verify in both.
// Deactivating it lists its open tasks and is refused until its grids go to another grid worker; the grid people
// (网格员 records) follow the accounts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { CaseList } from '../../src/shared/api.js';
import { buildPeopleExport, type PeopleExportRow } from '../../src/domain/grids/people-sheet.js';
import type { Count, StatsSummary } from '../../src/shared/stats-api.js';
import { GRID_1, GRID_2, ok, openWorld, refused, reportAt, signIn, walkTo, type RawClient, type World } from '../support/factories.js';

let w: World;
let worker: RawClient;
let workerId: number;
const grid = (code: string) => w.p.db.selectFrom('grids').selectAll().where('code', '=', code).executeTakeFirstOrThrow();

beforeAll(async () => {
  w = await openWorld(['admin', 'operator', 'gridworker', 'gridworker2', 'chengguan', 'citizen'], { cases: 40 });
});
afterAll(async () => w?.p.close());

/** Case ids an area scope over these paths reads, by a plain query (own reports, areas, B/C responsibility). */
async function expectedIds(paths: string[], reporterId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    SELECT c.id FROM cases c
    WHERE c.reporter_id = ${reporterId}
       OR EXISTS (SELECT 1 FROM unnest(${paths}::text[]) p WHERE starts_with(c.area_path, p))
       OR c.responsible_grid_id IN (SELECT g.id FROM grids g WHERE EXISTS (SELECT 1 FROM unnest(${paths}::text[]) p WHERE starts_with(g.path, p)))
    ORDER BY c.id`.execute(w.p.db);
  return rows.map((r) => r.id);
}

async function listIds(c: { get: (url: string) => Promise<any> }, query = ''): Promise<{ ids: number[]; total: number }> {
  const ids: number[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const l = ok(await c.get(`/api/cases?pageSize=200&page=${page}&count=exact${query}`)) as CaseList;
    total = l.total;
    ids.push(...l.items.map((i) => i.id));
    if (l.items.length < 200) break;
  }
  return { ids: ids.sort((a, b) => a - b), total };
}

describe('a grid worker for two grids', () => {
  it('is created with two grids, must change the password, and reads exactly those grids’ cases', async () => {
    const g1 = await grid(GRID_1);
    const g2 = await grid(GRID_2);
    // other roles hold one place; a grid worker's several places are grids
    refused(await w.u.admin!.post('/api/users', { username: 'op2', displayName: '坐席二', role: 'operator', scopes: [{ type: 'grid', id: g1.id }, { type: 'grid', id: g2.id }] }), 422, 'several_scopes_grids_only');
    const div = await w.p.db.selectFrom('divisions').select('id').where('level', '=', 'community').executeTakeFirstOrThrow();
    const mixed = refused(
      await w.u.admin!.post('/api/users', { username: 'gw2x', displayName: '混合', role: 'grid_worker', scopes: [{ type: 'grid', id: g1.id }, { type: 'division', id: div.id }] }),
      422,
      'several_scopes_grids_only',
    );
    expect(mixed.message).toMatch(/只有网格员可以负责多个范围/);

    const made = ok(
      await w.u.admin!.post('/api/users', { username: 'twogrids', displayName: '网格员 双网格', role: 'grid_worker', scopes: [{ type: 'grid', id: g1.id }, { type: 'grid', id: g2.id }] }),
      201,
    );
    expect(made.user.scopePaths).toEqual([g1.path, g2.path].sort());
    expect(made.user.scopes.map((s: any) => s.name).sort()).toEqual([g1.name, g2.name].sort());
    expect(made.user.scopeName).toContain('、');
    workerId = made.user.id;

    const first = await signIn(w.p.app, 'twogrids', made.temporaryPassword);
    refused(await first.get('/api/cases'), 403, 'password_change_required');
    ok(await first.post('/api/auth/password', { currentPassword: made.temporaryPassword, newPassword: 'Two#Grids2026' }));
    worker = await signIn(w.p.app, 'twogrids', 'Two#Grids2026');
    const session = ok(await worker.get('/api/auth/session'));
    expect(session.user.scopeName).toContain(g1.name);
    expect(session.user.scopeName).toContain(g2.name);

    // a case in each grid, and one in a third grid
    await reportAt(w, w.u.gridworker!, GRID_1);
    await reportAt(w, w.u.gridworker2!, GRID_2);
    const elsewhere = await reportAt(w, w.u.operator!, '37087100500102');

    const want = await expectedIds([g1.path, g2.path], workerId);
    const got = await listIds(worker);
    expect(got.ids).toEqual(want);
    expect(got.total).toBe(want.length);
    // the union of the two single-grid workers' area cases, nothing more
    const inG1 = (await listIds(w.u.gridworker!)).ids.length;
    expect(want.length).toBeGreaterThan(inG1);
    expect(got.ids).not.toContain(elsewhere.id);
    refused(await worker.get(`/api/cases/${elsewhere.id}`), 404, 'not_found');
  });

  it('counts the same in the statistics and the patrol coverage', async () => {
    const from = new Date(Date.now() - 80 * 86_400_000).toISOString().slice(0, 10);
    const s = ok(await worker.get(`/api/stats/summary?from=${from}&groupBy=grid&bucket=month`)) as StatsSummary;
    const checks: [string, Count][] = [];
    for (const [k, v] of Object.entries(s.totals)) checks.push([`totals.${k}`, v]);
    for (const [k, r] of Object.entries(s.rates)) checks.push([`rates.${k}.numerator`, r.numerator], [`rates.${k}.denominator`, r.denominator]);
    for (const i of s.breakdown.items) for (const [k, v] of Object.entries(i.counts)) checks.push([`breakdown.${i.key}.${k}`, v]);
    let compared = 0;
    for (const [name, c] of checks) {
      if (!c.filter) continue;
      const qs = new URLSearchParams({ ...c.filter, pageSize: '1', count: 'exact' }).toString();
      const l = ok(await worker.get(`/api/cases?${qs}`)) as CaseList;
      expect(l.total, `${name} ?${qs}`).toBe(c.value);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
    expect(s.totals.open.value).toBeGreaterThan(0);

    const g1 = await grid(GRID_1);
    const g2 = await grid(GRID_2);
    const coverage = ok(await worker.get('/api/patrols/coverage'));
    expect(coverage.items.map((i: any) => i.gridId).sort()).toEqual([g1.id, g2.id].sort());
  });

  it('verifies in both grids, is told of cases to verify in both, and may not act elsewhere', async () => {
    const before = await w.p.db.selectFrom('notifications').select('case_id').where('user_id', '=', workerId).where('kind', '=', 'to_verify').execute();
    const a = await walkTo(w, 'handled', { grid: GRID_1 });
    const b = await walkTo(w, 'handled', { grid: GRID_2 });
    const told = await w.p.db.selectFrom('notifications').select('case_id').where('user_id', '=', workerId).where('kind', '=', 'to_verify').execute();
    expect(told.map((n) => n.case_id).filter((id) => !before.some((x) => x.case_id === id)).sort()).toEqual([a.id, b.id].sort());
    const tasks = ok(await worker.get('/api/tasks?pageSize=200')) as CaseList;
    expect(tasks.items.map((i) => i.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    const v = ok(await worker.post(`/api/cases/${b.id}/moves/verify_pass`, { version: b.version }));
    expect(v.state).toBe('verified');
  });
});

describe('several grids in the users sheet', () => {
  it('imports a grid worker with several grid codes (only grids, only for a grid worker) and exports them back', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const sheet = async (rows: string[][]) => {
      const out = new ExcelJS.Workbook();
      const s = out.addWorksheet('用户');
      s.addRow(['用户名', '姓名', '角色', '管辖范围编码', '部门编码']);
      for (const r of rows) s.addRow(r);
      return { base64: Buffer.from(await out.xlsx.writeBuffer()).toString('base64') };
    };
    const bad = await w.u.admin!.post('/api/users/import', await sheet([
      ['sheetop', '坐席 多范围', '指挥中心坐席', `${GRID_1},${GRID_2}`, ''],
      ['sheetgw', '网格员 混合', '网格员', `${GRID_1}，370871005001`, ''],
    ]));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toHaveLength(2);
    expect(bad.json().errors[0].message).toMatch(/只有网格员可以填写多个网格编码/);
    ok(await w.u.admin!.post('/api/users/import', await sheet([['sheetgw', '网格员 表格', '网格员', `${GRID_1}、${GRID_2}`, '']])));
    const row = await w.p.db.selectFrom('users').select(['id', 'scope_paths']).where('username', '=', 'sheetgw').executeTakeFirstOrThrow();
    expect(row.scope_paths).toEqual([(await grid(GRID_1)).path, (await grid(GRID_2)).path].sort());
    expect((await w.p.db.selectFrom('grid_people').select('grid_id').where('user_id', '=', row.id).execute()).length).toBe(2);
    const exported = new ExcelJS.Workbook();
    await exported.xlsx.load((await w.u.admin!.get('/api/users/export')).rawPayload as unknown as ArrayBuffer);
    const found: string[] = [];
    exported.worksheets[0]!.eachRow((r) => {
      if (r.getCell(1).value === 'sheetgw') r.eachCell((c) => found.push(String(c.value)));
    });
    expect(found.join(' ')).toContain(`${GRID_1},${GRID_2}`);
  });
});

describe('grid people and accounts', () => {
  it('a people sheet keeps the records that stand for accounts (updating their phone); they are not removed one by one', async () => {
    const g1 = await grid(GRID_1);
    const linked = await w.p.db.selectFrom('grid_people').selectAll().where('user_id', '=', workerId).where('grid_id', '=', g1.id).executeTakeFirstOrThrow();
    const rows: PeopleExportRow[] = [
      { gridCode: GRID_1, name: '网格员 双网格', role: 'grid_worker', phone: '13805379999', note: '双网格' },
      { gridCode: GRID_1, name: '张伟', role: 'grid_leader', phone: '13805371111' },
    ];
    ok(await w.u.admin!.upload('/api/grids/people/import', await buildPeopleExport(rows), '网格人员.xlsx'));
    const after = await w.p.db.selectFrom('grid_people').select(['id', 'name', 'phone', 'note', 'user_id']).where('grid_id', '=', g1.id).orderBy('id').execute();
    expect(after.filter((p) => p.name === '网格员 双网格')).toEqual([{ id: linked.id, name: '网格员 双网格', phone: '13805379999', note: '双网格', user_id: workerId }]);
    expect(after.map((p) => p.name)).toContain('张伟');
    const refusedRemoval = refused(await w.u.admin!.send('DELETE', `/api/grids/${g1.id}/people/${linked.id}`), 422, 'grid_person_linked');
    expect(refusedRemoval.message).toMatch(/用户管理/);
  });
});

describe('deactivating a grid worker', () => {
  it('lists its grids and open cases, refuses until the grids go to another grid worker, then deactivates', async () => {
    const g1 = await grid(GRID_1);
    const g2 = await grid(GRID_2);
    // the grid people follow the account: a 网格员 record on each of its grids, linked to it
    const linked = await w.p.db.selectFrom('grid_people').select(['grid_id', 'name', 'role']).where('user_id', '=', workerId).orderBy('grid_id').execute();
    expect(linked).toEqual([g1.id, g2.id].sort((x, y) => x - y).map((id) => ({ grid_id: id, name: '网格员 双网格', role: 'grid_worker' })));
    const detail = ok(await w.u.admin!.get(`/api/grids/${g2.id}`));
    expect(detail.people.find((p: any) => p.name === '网格员 双网格')).toMatchObject({ userId: workerId, username: 'twogrids' });

    const tasks = ok(await w.u.admin!.get(`/api/users/${workerId}/tasks`));
    expect(tasks.grids.map((g: any) => g.code).sort()).toEqual([GRID_1, GRID_2]);
    expect(tasks.mustReassign).toBe(true);
    expect(tasks.openCases).toBeGreaterThan(0);
    expect(tasks.openCases).toBe(tasks.grids.reduce((n: number, g: any) => n + g.openCases, 0));
    expect(tasks.reason).toMatch(/网格员 双网格/);

    const audits = async () => Number((await w.p.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const n0 = await audits();
    const held = refused(await w.u.admin!.post(`/api/users/${workerId}/deactivate`), 409, 'user_has_open_tasks');
    expect(held.message).toContain(g1.name);
    expect(await audits()).toBe(n0);
    // a successor must be another active grid worker
    const cg = await w.p.db.selectFrom('users').select('id').where('username', '=', 'chengguan').executeTakeFirstOrThrow();
    refused(await w.u.admin!.post(`/api/users/${workerId}/deactivate`, { successorId: cg.id }), 422, 'reassign_target_invalid');
    expect(await audits()).toBe(n0);

    const successor = await w.p.db.selectFrom('users').select(['id', 'scope_paths']).where('username', '=', 'gridworker2').executeTakeFirstOrThrow();
    const gone = ok(await w.u.admin!.post(`/api/users/${workerId}/deactivate`, { successorId: successor.id }));
    expect(gone.deactivatedAt).not.toBeNull();
    expect(gone.scopePaths).toEqual([]);
    const after = await w.p.db.selectFrom('users').select('scope_paths').where('id', '=', successor.id).executeTakeFirstOrThrow();
    expect(after.scope_paths).toEqual([...new Set([...successor.scope_paths, g1.path, g2.path])].sort());
    expect(await w.p.db.selectFrom('grid_people').select('id').where('user_id', '=', workerId).execute()).toEqual([]);
    const successorPeople = await w.p.db.selectFrom('grid_people').select('grid_id').where('user_id', '=', successor.id).execute();
    expect(successorPeople.map((p) => p.grid_id)).toEqual(expect.arrayContaining([g1.id, g2.id]));
    const actions = (await w.p.db.selectFrom('audit_log').select('action').where('target_id', '=', String(workerId)).orderBy('id').execute()).map((a) => a.action);
    expect(actions.slice(-2)).toEqual(['user.reassign', 'user.deactivate']);
    const login = await w.p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'twogrids', password: 'Two#Grids2026' } });
    expect(login.statusCode).toBe(401);
  });
});
