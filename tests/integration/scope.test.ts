// Who sees and acts on what, enforced in the queries: grid workers their grid, department handlers their
// department's work orders, operator and leader the street, citizens their own reports, the administrator the
// audit log. And the history itself cannot be rewritten, not even with raw SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { CaseDetail, CaseList } from '../../src/shared/api.js';
import {
  GRID_1,
  GRID_2,
  move,
  moveOk,
  ok,
  openWorld,
  refused,
  reportAt,
  snapshot,
  walkTo,
  type World,
} from '../support/factories.js';

const USERS = ['gridworker', 'gridworker2', 'operator', 'leader', 'citizen', 'admin', 'chengguan', 'huanbao'] as const;
let w: World;
// One case of each kind, made once and read by many tests.
let inGrid2Handled: CaseDetail; // reported by gridworker2 in its grid, waiting for verification
let inGrid1Handled: CaseDetail; // reported by gridworker in its grid, waiting for verification
let toHuanbao: CaseDetail; // dispatched to 环保所
let notYetDispatched: CaseDetail;

beforeAll(async () => {
  // Some seeded history (every state, all grids, all departments) so the list checks are not vacuous.
  w = await openWorld(USERS, { cases: 40 });
  inGrid2Handled = await walkTo(w, 'handled', { grid: GRID_2 });
  inGrid1Handled = await walkTo(w, 'handled', { grid: GRID_1 });
  toHuanbao = await walkTo(w, 'dispatched', { department: 'HB', handler: 'huanbao' });
  notYetDispatched = await walkTo(w, 'accepted');
});
afterAll(async () => w?.p.close());

async function listAll(user: string, path = '/api/cases'): Promise<CaseList> {
  const sep = path.includes('?') ? '&' : '?';
  return ok(await w.u[user]!.get(`${path}${sep}pageSize=200`)) as CaseList;
}
const ids = (l: CaseList) => l.items.map((i) => i.id);
const count = async (where?: (q: any) => any) => {
  let q = w.p.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n'));
  if (where) q = where(q);
  return (await q.executeTakeFirstOrThrow()).n;
};
const userId = async (username: string) =>
  (await w.p.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
const gridId = (code: string) => w.grids.get(code)!.properties.id;
/** Cases a department may read: it is the main department now, or was assigned the case at some time (协办, returned, earlier life). */
async function departmentCaseIds(departmentId: number): Promise<Set<number>> {
  const { rows } = await sql<{ id: number }>`
    SELECT c.id FROM cases c
    WHERE c.department_id = ${departmentId}
       OR EXISTS (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id AND a.department_id = ${departmentId})`.execute(w.p.db);
  return new Set(rows.map((r) => r.id));
}
async function assignedDepartments(caseId: number): Promise<number[]> {
  const { rows } = await sql<{ d: number }>`SELECT a.department_id AS d FROM case_assignments a WHERE a.case_id = ${caseId}`.execute(w.p.db);
  return rows.map((r) => r.d);
}

describe('grid workers', () => {
  it('cannot read, list or act on a case of another grid: it does not exist for them', async () => {
    const id = inGrid2Handled.id;
    const err = refused(await w.u.gridworker!.get(`/api/cases/${id}`), 404, 'not_found');
    expect(err.message).toBe('未找到该记录，或您无权查看。');
    expect(ids(await listAll('gridworker'))).not.toContain(id);
    expect(ids(await listAll('gridworker', '/api/tasks'))).not.toContain(id);
    const before = await snapshot(w.p, id);
    refused(await move(w.u.gridworker!, id, 'verify_pass', { version: inGrid2Handled.version }), 404, 'not_found');
    refused(await move(w.u.gridworker!, id, 'verify_fail', { version: inGrid2Handled.version, note: '越权' }), 404, 'not_found');
    expect(await snapshot(w.p, id)).toEqual(before);
    // …while the worker of that grid has it in its inbox
    expect(ids(await listAll('gridworker2', '/api/tasks'))).toContain(id);
    expect(ids(await listAll('gridworker2'))).toContain(id);
  });

  it('list only cases in their grid or reported by themselves', async () => {
    const me = await userId('gridworker');
    const list = await listAll('gridworker');
    expect(list.items.length).toBeGreaterThan(0);
    const mine = new Set(
      (await w.p.db.selectFrom('cases').select('id').where('reporter_id', '=', me).execute()).map((r) => r.id),
    );
    for (const c of list.items) expect(c.gridId === gridId(GRID_1) || mine.has(c.id), `case ${c.id}`).toBe(true);
    const expected = await count((q) => q.where((eb: any) => eb.or([eb('grid_id', '=', gridId(GRID_1)), eb('reporter_id', '=', me)])));
    expect(list.total).toBe(expected);
  });

  it('have in their inbox only handled cases of their own grid', async () => {
    const tasks = await listAll('gridworker', '/api/tasks');
    expect(ids(tasks)).toContain(inGrid1Handled.id);
    for (const c of tasks.items) {
      expect(c.state).toBe('handled');
      expect(c.gridId).toBe(gridId(GRID_1));
    }
    expect(tasks.total).toBe(await count((q) => q.where('grid_id', '=', gridId(GRID_1)).where('state', '=', 'handled')));
  });

  it('cannot read a case by guessing ids outside their scope', async () => {
    const outside = await w.p.db.selectFrom('cases').select('id').where('grid_id', '<>', gridId(GRID_1)).where('reporter_id', '<>', await userId('gridworker')).limit(5).execute();
    expect(outside.length).toBeGreaterThan(0);
    for (const { id } of outside) refused(await w.u.gridworker!.get(`/api/cases/${id}`), 404, 'not_found');
  });
});

describe('department handlers', () => {
  it('see only their department’s work orders (main department now, or assigned at some time, e.g. as co-handler 协办)', async () => {
    const cg = w.departments.get('CG')!;
    const list = await listAll('chengguan');
    expect(list.items.length).toBeGreaterThan(0);
    const visible = await departmentCaseIds(cg);
    expect(ids(list).sort((a, b) => a - b)).toEqual([...visible].sort((a, b) => a - b).slice(0, 200));
    expect(list.total).toBe(visible.size);
    for (const c of list.items) if (c.departmentId !== cg) expect(await assignedDepartments(c.id), `case ${c.id}`).toContain(cg);
    expect(ids(list)).not.toContain(toHuanbao.id);
    expect(ids(list)).not.toContain(notYetDispatched.id);
    const hb = await listAll('huanbao');
    expect(hb.total).toBe((await departmentCaseIds(w.departments.get('HB')!)).size);
    expect(ids(hb)).toContain(toHuanbao.id);
  });

  it('have in their inbox only their dispatched or in-progress work orders', async () => {
    const tasks = await listAll('chengguan', '/api/tasks');
    const visible = await departmentCaseIds(w.departments.get('CG')!);
    for (const c of tasks.items) {
      expect(['dispatched', 'in_progress']).toContain(c.state);
      expect(visible.has(c.id)).toBe(true);
    }
    expect(ids(await listAll('huanbao', '/api/tasks'))).toContain(toHuanbao.id);
  });

  it('cannot read or act on another department’s work order, nor on a case not yet dispatched', async () => {
    const before = await snapshot(w.p, toHuanbao.id);
    refused(await w.u.chengguan!.get(`/api/cases/${toHuanbao.id}`), 404, 'not_found');
    refused(await move(w.u.chengguan!, toHuanbao.id, 'sign', { version: toHuanbao.version }), 404, 'not_found');
    expect(await snapshot(w.p, toHuanbao.id)).toEqual(before);
    refused(await w.u.chengguan!.get(`/api/cases/${notYetDispatched.id}`), 404, 'not_found');
    expect((ok(await w.u.huanbao!.get(`/api/cases/${toHuanbao.id}`)) as CaseDetail).allowedMoves.sort()).toEqual(['return', 'sign']);
  });
});

describe('operator and leader', () => {
  it('both see the whole street', async () => {
    const all = await count();
    for (const u of ['operator', 'leader']) {
      const list = await listAll(u);
      expect(list.total, u).toBe(all);
      expect(ids(list)).toEqual(expect.arrayContaining([inGrid1Handled.id, inGrid2Handled.id, toHuanbao.id, notYetDispatched.id]));
      ok(await w.u[u]!.get(`/api/cases/${inGrid2Handled.id}`));
    }
  });

  it('the operator’s inbox holds reported, accepted, verified and suspended cases, pending requests and 不满意 (回头看)', async () => {
    const tasks = await listAll('operator', '/api/tasks');
    expect(ids(tasks)).toContain(notYetDispatched.id);
    for (const c of tasks.items) {
      if (c.state === 'in_progress') expect(c.pendingExtension ?? c.pendingSuspend, `case ${c.id}`).not.toBeNull();
      else if (c.state === 'closed') expect(c.rating, `case ${c.id}`).toBeLessThanOrEqual(2);
      else expect(['reported', 'accepted', 'verified', 'suspended']).toContain(c.state);
    }
    expect(tasks.total).toBe(
      await count((q) =>
        q.where((eb: any) =>
          eb.or([
            eb('state', 'in', ['reported', 'accepted', 'verified', 'suspended']),
            eb.and([eb('state', '=', 'in_progress'), eb.or([eb('pending_extension', 'is not', null), eb('pending_suspend', 'is not', null)])]),
            eb.and([eb('state', '=', 'closed'), eb('rating', '<=', 2)]),
          ]),
        ),
      ),
    );
  });

  it('the leader reads everything, may supervise (督办), but cannot make operator moves (403)', async () => {
    const c = await walkTo(w, 'reported');
    const before = await snapshot(w.p, c.id);
    expect((ok(await w.u.leader!.get(`/api/cases/${c.id}`)) as CaseDetail).allowedMoves).toEqual(['supervise']);
    const err = refused(await move(w.u.leader!, c.id, 'accept', { version: 0 }), 403, 'move_forbidden_for_role');
    expect(err.message).toBe('街道领导不能执行“受理”操作。');
    refused(await move(w.u.leader!, c.id, 'reject', { version: 0, note: '领导说不受理' }), 403, 'move_forbidden_for_role');
    refused(
      await move(w.u.leader!, notYetDispatched.id, 'dispatch', { version: notYetDispatched.version, departmentId: w.departments.get('CG'), deadline: new Date(Date.now() + 86_400_000).toISOString() }),
      403,
      'move_forbidden_for_role',
    );
    refused(await w.u.leader!.post('/api/cases', { lng: 116.66, lat: 35.43, categoryId: w.categoryId, description: '领导上报' }), 403, 'forbidden' /* the route's declared roles refuse before the service */);
    expect(await snapshot(w.p, c.id)).toEqual(before);
    // 督办 records a note and raises the escalation level without changing the state
    const supervised = await moveOk(w.u.leader!, c, 'supervise', { note: '请尽快处理' });
    expect(supervised).toMatchObject({ state: 'reported', escalationLevel: 1, version: 1 });
  });

  it('the leader’s inbox holds only overdue work in the street', async () => {
    const tasks = await listAll('leader', '/api/tasks');
    const now = Date.now();
    for (const c of tasks.items) {
      expect(['dispatched', 'in_progress', 'handled']).toContain(c.state);
      expect(Date.parse(c.dueAt!)).toBeLessThanOrEqual(now);
    }
    expect(tasks.total).toBe(await count((q) => q.where('state', 'in', ['dispatched', 'in_progress', 'handled']).where('due_at', '<=', new Date())));
  });
});

describe('citizens', () => {
  it('report through the app and see only their own reports', async () => {
    const citizenId = await userId('citizen');
    const mine = await reportAt(w, w.u.citizen!, GRID_2, { description: '小区门口井盖缺失' });
    expect(mine.source).toBe('citizen_app');
    expect(mine.allowedMoves).toEqual([]);
    const list = await listAll('citizen');
    expect(ids(list)).toEqual([mine.id]);
    expect(list.total).toBe(await count((q) => q.where('reporter_id', '=', citizenId)));
    expect(list.total).toBe(1);
    refused(await w.u.citizen!.get(`/api/cases/${inGrid2Handled.id}`), 404, 'not_found');
    refused(await move(w.u.citizen!, mine.id, 'accept', { version: 0 }), 403, 'move_forbidden_for_role');
    expect((await listAll('citizen', '/api/tasks')).total).toBe(0);
    // the operator of the street sees it and can accept it
    expect((await moveOk(w.u.operator!, mine, 'accept')).state).toBe('accepted');
  });
});

describe('the administrator', () => {
  it('reads the audit log; nobody else may', async () => {
    const audit = ok(await w.u.admin!.get('/api/audit?pageSize=10'));
    expect(audit.total).toBeGreaterThan(10);
    expect(audit.items).toHaveLength(10);
    const accepts = ok(await w.u.admin!.get('/api/audit?action=case.accept&pageSize=200'));
    expect(accepts.items.length).toBeGreaterThan(0);
    for (const a of accepts.items) expect(a).toMatchObject({ action: 'case.accept', targetType: 'case' });
    for (const u of USERS.filter((x) => x !== 'admin')) {
      const err = refused(await w.u[u]!.get('/api/audit'), 403, 'forbidden');
      expect(err.message).toBe('您没有执行此操作的权限。');
    }
  });

  it('reads every case but makes no moves', async () => {
    expect((await listAll('admin')).total).toBe(await count());
    const c = ok(await w.u.admin!.get(`/api/cases/${notYetDispatched.id}`)) as CaseDetail;
    expect(c.allowedMoves).toEqual([]);
    refused(
      await move(w.u.admin!, notYetDispatched.id, 'dispatch', { version: c.version, departmentId: w.departments.get('CG'), deadline: new Date(Date.now() + 86_400_000).toISOString() }),
      403,
      'forbidden',
    );
    refused(await w.u.admin!.post('/api/cases', { lng: 116.66, lat: 35.43, categoryId: w.categoryId, description: '管理员上报' }), 403, 'forbidden' /* the route's declared roles refuse before the service */);
  });
});

describe('history cannot be rewritten', () => {
  for (const table of ['audit_log', 'case_events'] as const) {
    it(`${table}: a raw UPDATE or DELETE is refused by the database`, async () => {
      const before = await w.p.db.selectFrom(table).selectAll().orderBy('id').execute();
      expect(before.length).toBeGreaterThan(0);
      const id = before[0]!.id;
      await expect(sql.raw(`UPDATE ${table} SET at = now() WHERE id = ${id}`).execute(w.p.db)).rejects.toThrow(/append-only/);
      await expect(sql.raw(`UPDATE ${table} SET at = now()`).execute(w.p.db)).rejects.toThrow(/append-only/);
      await expect(sql.raw(`DELETE FROM ${table} WHERE id = ${id}`).execute(w.p.db)).rejects.toThrow(/append-only/);
      await expect(sql.raw(`DELETE FROM ${table}`).execute(w.p.db)).rejects.toThrow(/append-only/);
      await expect(w.p.db.deleteFrom(table).where('id', '=', id).execute()).rejects.toThrow(/append-only/);
      expect(await w.p.db.selectFrom(table).selectAll().orderBy('id').execute()).toEqual(before);
    });

    it(`${table}: a raw TRUNCATE is refused by the database`, async () => {
      class Rollback extends Error {}
      let emptied = false;
      await w.p.db
        .transaction()
        .execute(async (trx) => {
          try {
            await sql.raw(`TRUNCATE ${table}`).execute(trx);
            emptied = true;
          } catch {
            // refused: what we want
          }
          throw new Rollback(); // never keep the effect, whatever happened
        })
        .catch((e) => {
          if (!(e instanceof Rollback)) throw e;
        });
      expect(await w.p.db.selectFrom(table).select('id').limit(1).execute()).toHaveLength(1);
      expect(emptied).toBe(false);
    });
  }
});
