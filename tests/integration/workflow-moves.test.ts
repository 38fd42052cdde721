// Every move of the workflow table through the API on the real database (PGlite, or PostgreSQL when
// DATABASE_URL is set): merge and the duplicate following its master, co-handlers, return within its limit,
// extensions, suspension, rework, evaluation and reopening, fix on the spot, supervision, routing. Each
// successful move writes exactly one case event and one audit row; each refusal answers with its status
// (403 role, 409 state/version, 422 input or guard) and a message, and writes nothing.
// Where the calendar matters the moves are made through the services at fixed instants (ctx.now) and the
// deadlines compared with what the 2026 calendar says; API tests use the real clock and compare with the
// platform's calendar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../src/shared/api.js';
import type { MoveName, NotificationKind } from '../../src/shared/vocabulary.js';
import type { Actor } from '../../src/domain/access.js';
import { moveCase, type MoveRequest } from '../../src/services/cases/moves.js';
import { reportCase } from '../../src/services/cases/cases.js';
import { invalidateCalendarCache, loadCalendar } from '../../src/services/calendar/calendar.js';
import { addLimitDays, clockFor, DEFAULT_THRESHOLDS } from '../../src/domain/cases/time-limits.js';
import type { Client } from '../support/platform.js';
import { caseRow, GRID_1, GRID_2, inDays, move, moveOk, ok, openWorld, refused, reportAt, reportBody, walkTo, type World } from '../support/factories.js';

let w: World;
const USERS = ['operator', 'leader', 'citizen', 'chengguan', 'huanbao', 'anjian', 'zhujian', 'gridworker', 'gridworker2'] as const;
let u: Record<(typeof USERS)[number], Client>;
const dept: Record<string, number> = {};
const category: Record<string, number> = {};

beforeAll(async () => {
  w = await openWorld(USERS);
  u = w.u as typeof u;
  for (const [code, id] of w.departments) dept[code] = id;
  for (const c of ok(await u.operator.get('/api/categories')) as { id: number; code: string }[]) category[c.code] = c.id;
  // Tests on the real clock near the end of a year compute limits into the next one: make it known (its New
  // Year's Day is always a holiday), as an administrator would import the State Council's schedule.
  const next = new Date().getUTCFullYear() + 1;
  const cal = await loadCalendar(w.p.db);
  if (!cal.knownYears().includes(next)) {
    await w.p.db.insertInto('calendar_days').values({ day: `${next}-01-01`, kind: 'holiday', note: '元旦', updated_by: null, updated_at: new Date() }).execute();
    invalidateCalendarCache();
  }
});
afterAll(async () => w?.p.close());

// ---- helpers ------------------------------------------------------------------------------------------------

const H = 3_600_000;
/** An instant written as Beijing time. */
const bj = (local: string) => new Date(`${local}+08:00`);
/** An instant shown as Beijing time. */
const show = (d: Date | string | null) => (d == null ? null : new Date(new Date(d).getTime() + 8 * H).toISOString().slice(0, 16).replace('T', ' '));

async function totals() {
  const n = async (q: Promise<{ n: number }[]>) => Number((await q)[0]!.n);
  return {
    events: await n(w.p.db.selectFrom('case_events').select((eb) => eb.fn.countAll<number>().as('n')).execute()),
    audit: await n(w.p.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('target_type', '=', 'case').execute()),
    notifications: await n(w.p.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).execute()),
  };
}

async function recordsOf(caseId: number) {
  const events = await w.p.db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  const audit = await w.p.db.selectFrom('audit_log').selectAll().where('target_type', '=', 'case').where('target_id', '=', String(caseId)).orderBy('id').execute();
  return { events, audit };
}

/** A move that must succeed: one more event and one more audit row for this case and none for any other. */
async function moved(by: Client, c: Pick<CaseDetail, 'id' | 'version'>, name: MoveName, body: Record<string, unknown> = {}, o: { others?: number } = {}): Promise<CaseDetail> {
  const before = await recordsOf(c.id);
  const all = await totals();
  const next = await moveOk(by, c, name, body);
  const after = await recordsOf(c.id);
  expect(after.events.length, `${name}: one event`).toBe(before.events.length + 1);
  expect(after.audit.length, `${name}: one audit row`).toBe(before.audit.length + 1);
  const ev = after.events.at(-1)!;
  expect(ev.move).toBe(name);
  expect(after.audit.at(-1)!.action).toBe(`case.${name}`);
  expect(after.audit.at(-1)!.at.getTime()).toBe(ev.at.getTime());
  // other cases are only touched when the move says so (a closing master takes its duplicates along)
  const allAfter = await totals();
  expect(allAfter.events - all.events).toBe(1 + (o.others ?? 0));
  expect(allAfter.audit - all.audit).toBe(1 + (o.others ?? 0));
  expect(next.version).toBe(c.version + 1);
  return next;
}

/** A move that must be refused with this status and code, with a message, writing nothing anywhere. */
async function refusedMove(by: Client, c: Pick<CaseDetail, 'id' | 'version'>, name: string, body: Record<string, unknown>, status: number, code: string) {
  const before = await totals();
  const row = await caseRow(w.p, c.id);
  const err = refused(await move(by, c.id, name, { version: c.version, ...body }), status, code);
  expect(err.message.length, `${name} ${code} has a message`).toBeGreaterThan(4);
  expect(err.message).not.toBe(code);
  expect(await totals()).toEqual(before);
  expect(await caseRow(w.p, c.id)).toEqual(row);
  return err;
}

async function get(by: Client, id: number): Promise<CaseDetail> {
  return ok(await by.get(`/api/cases/${id}`)) as CaseDetail;
}

/** Notifications of a kind about a case, per recipient username. */
async function noticesAbout(caseId: number, kind: NotificationKind): Promise<Record<string, number>> {
  const rows = await w.p.db
    .selectFrom('notifications')
    .innerJoin('users', 'users.id', 'notifications.user_id')
    .select(['users.username', (eb) => eb.fn.countAll<number>().as('n')])
    .where('notifications.case_id', '=', caseId)
    .where('notifications.kind', '=', kind)
    .groupBy('users.username')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.username, Number(r.n)]));
}

async function actor(username: string): Promise<Actor> {
  const r = await w.p.db.selectFrom('users').select(['id', 'role', 'scope_paths', 'department_id']).where('username', '=', username).executeTakeFirstOrThrow();
  return { id: r.id, role: r.role, scopePaths: r.scope_paths, departmentId: r.department_id };
}

/** Reports through the service at a fixed instant; returns the case id. */
async function reportAtTime(username: string, now: Date, categoryCode: string, extra: Record<string, unknown> = {}): Promise<number> {
  const body = reportBody(w, GRID_1, { categoryId: category[categoryCode], ...extra });
  return reportCase({ db: w.p.db, actor: await actor(username), ip: null, now }, { photos: [], fixedOnSpot: false, ...body } as Parameters<typeof reportCase>[1]);
}

/** Moves through the service at a fixed instant, with the case's current version. */
async function moveAtTime(username: string, caseId: number, name: MoveName, now: Date, extra: Partial<MoveRequest> = {}) {
  const { version } = await caseRow(w.p, caseId);
  await moveCase({ db: w.p.db, actor: await actor(username), ip: null, now }, caseId, name, { version, photos: [], ...extra });
  return caseRow(w.p, caseId);
}

// ---- merge ----------------------------------------------------------------------------------------------------

describe('merge (并单)', () => {
  it('merges a duplicate into its master, refuses bad masters, and the duplicate follows the master to closed', async () => {
    const master = await walkTo(w, 'accepted');
    const dup = await reportAt(w, u.gridworker, GRID_1, { description: '同一处垃圾，再次上报' });
    const rejected = await walkTo(w, 'rejected');
    const unaccepted = await reportAt(w, u.gridworker, GRID_1, { description: '尚未受理的案件' });

    // refused: no master, itself, a final master, an accepted duplicate, a grid worker
    await refusedMove(u.operator, dup, 'merge', {}, 422, 'move_needs_master');
    await refusedMove(u.operator, dup, 'merge', { masterId: dup.id }, 422, 'master_invalid');
    await refusedMove(u.operator, dup, 'merge', { masterId: rejected.id }, 422, 'master_invalid');
    // a master must have been accepted: one still awaiting acceptance could be rejected and strand its duplicates
    await refusedMove(u.operator, dup, 'merge', { masterId: unaccepted.id }, 422, 'master_invalid');
    await refusedMove(u.operator, dup, 'merge', { masterId: 99_999_999 }, 422, 'master_invalid');
    await refusedMove(u.gridworker, dup, 'merge', { masterId: master.id }, 403, 'move_forbidden_for_role');
    await refusedMove(u.operator, { ...dup, version: dup.version + 1 }, 'merge', { masterId: master.id }, 409, 'version_conflict');
    const accepted = await walkTo(w, 'accepted');
    await refusedMove(u.operator, accepted, 'merge', { masterId: master.id }, 409, 'move_not_allowed_in_state');

    const merged = await moved(u.operator, dup, 'merge', { masterId: master.id, note: '同一问题重复上报' });
    expect(merged).toMatchObject({ state: 'merged', masterId: master.id, masterNumber: master.number });
    expect(merged.allowedMoves).toEqual([]);
    expect(merged.events.at(-1)).toMatchObject({ move: 'merge', fromState: 'reported', toState: 'merged', data: { masterId: master.id, masterNumber: master.number } });
    expect((await get(u.operator, master.id)).duplicates).toEqual([{ id: dup.id, number: dup.number, state: 'merged' }]);
    // a merged case is final for everyone
    for (const name of ['accept', 'reject', 'merge', 'dispatch'] as const) await refusedMove(u.operator, merged, name, { note: 'x', masterId: master.id }, 409, 'move_not_allowed_in_state');
    // follow_master is the system's move, never a user's: even the operator may not make it through the API
    await refusedMove(u.operator, merged, 'follow_master', {}, 403, 'move_forbidden_for_role');

    // the master walks the loop; closing it closes the duplicate with a follow_master event of its own
    let m = await moved(u.operator, await get(u.operator, master.id), 'dispatch', { departmentId: dept.CG, deadline: inDays(3) });
    m = await moved(u.chengguan, m, 'sign');
    m = await moved(u.chengguan, m, 'handle', { note: '已清理完毕' });
    m = await moved(u.gridworker, m, 'verify_pass');
    expect((await caseRow(w.p, dup.id)).state).toBe('merged');
    m = await moved(u.operator, m, 'close', {}, { others: 1 });
    expect(m.state).toBe('closed');
    expect(m.duplicates).toEqual([{ id: dup.id, number: dup.number, state: 'closed' }]);
    const d = await get(u.operator, dup.id);
    expect(d.state).toBe('closed');
    expect(d.version).toBe(merged.version + 1);
    expect(d.events.at(-1)).toMatchObject({ move: 'follow_master', fromState: 'merged', toState: 'closed' });
    expect(d.events.at(-1)!.note).toContain(master.number);
    const { audit } = await recordsOf(dup.id);
    expect(audit.at(-1)!.action).toBe('case.follow_master');
    expect((await caseRow(w.p, dup.id)).closed_at!.getTime()).toBe((await caseRow(w.p, master.id)).closed_at!.getTime());
  });

  it('a merged case cannot be a master, so duplicates never chain', async () => {
    const b = await reportAt(w, u.gridworker, GRID_1, { description: '重复 B' });
    const c = await walkTo(w, 'accepted');
    await moved(u.operator, b, 'merge', { masterId: c.id });
    const a = await reportAt(w, u.gridworker, GRID_1, { description: '重复 A' });
    await refusedMove(u.operator, a, 'merge', { masterId: b.id }, 422, 'master_invalid');
  });
});

// ---- co-handlers ------------------------------------------------------------------------------------------------

describe('dispatch with co-handlers (协办)', () => {
  it('the co department sees the case and may only co_report; the main department signs and handles', async () => {
    const c0 = await walkTo(w, 'accepted');
    await refusedMove(u.operator, c0, 'dispatch', {}, 422, 'move_needs_department');
    await refusedMove(u.operator, c0, 'dispatch', { departmentId: dept.CG, coDepartmentIds: [dept.CG] }, 422, 'co_department_invalid');
    await refusedMove(u.operator, c0, 'dispatch', { departmentId: 99_999 }, 422, 'unknown_department');
    await refusedMove(u.operator, c0, 'dispatch', { departmentId: dept.CG, deadline: new Date(Date.now() - H).toISOString() }, 422, 'deadline_in_past');
    await refusedMove(u.chengguan, c0, 'dispatch', { departmentId: dept.CG }, 404, 'not_found');

    let c = await moved(u.operator, c0, 'dispatch', { departmentId: dept.CG, coDepartmentIds: [dept.HB] });
    expect(c.assignments.map((a) => [a.departmentId, a.role]).sort()).toEqual([[dept.CG, 'main'], [dept.HB, 'co']].sort());
    // both departments are told; a third sees nothing
    expect(await noticesAbout(c.id, 'new_task')).toMatchObject({ chengguan: 1, huanbao: 1 });
    expect((await u.anjian.get(`/api/cases/${c.id}`)).statusCode).toBe(404);
    expect((await get(u.huanbao, c.id)).allowedMoves).toEqual([]);
    expect((await get(u.chengguan, c.id)).allowedMoves.sort()).toEqual(['return', 'sign']);
    await refusedMove(u.huanbao, c, 'sign', {}, 403, 'not_your_work_order');
    await refusedMove(u.huanbao, c, 'co_report', { note: '已配合' }, 409, 'move_not_allowed_in_state');
    await refusedMove(u.anjian, c, 'sign', {}, 404, 'not_found');

    c = await moved(u.chengguan, c, 'sign');
    expect((await get(u.huanbao, c.id)).allowedMoves).toEqual(['co_report']);
    for (const name of ['handle', 'return', 'request_extension', 'request_suspend'] as const) {
      await refusedMove(u.huanbao, c, name, { note: '协办部门不能办理', deadline: inDays(5) }, 403, 'not_your_work_order');
    }
    await refusedMove(u.huanbao, c, 'co_report', {}, 422, 'move_needs_note');
    await refusedMove(u.chengguan, c, 'co_report', { note: '主办不是协办' }, 403, 'not_co_department');

    c = await moved(u.huanbao, c, 'co_report', { note: '环保所已配合完成现场检查' });
    expect(c.state).toBe('in_progress');
    const co = (await get(u.operator, c.id)).assignments.find((a) => a.role === 'co')!;
    expect(co).toMatchObject({ departmentId: dept.HB, reportNote: '环保所已配合完成现场检查' });
    expect(co.reportedAt).not.toBeNull();
    expect(c.events.at(-1)).toMatchObject({ move: 'co_report', departmentName: '环保所' });

    c = await moved(u.chengguan, c, 'handle', { note: '已清理完毕' });
    expect(c.state).toBe('handled');
    // the co department still reads the case of this life, with no move left
    expect((await get(u.huanbao, c.id)).allowedMoves).toEqual([]);
  });
});

// ---- return ------------------------------------------------------------------------------------------------------

describe('return (退单)', () => {
  it('within its limit: back to accepted, department cleared, the operator told; re-dispatched elsewhere', async () => {
    const c0 = await walkTo(w, 'accepted');
    let c = await moved(u.operator, c0, 'dispatch', { departmentId: dept.HB, deadline: inDays(3) });
    expect((await get(u.huanbao, c.id)).allowedMoves).toContain('return');
    await refusedMove(u.huanbao, c, 'return', {}, 422, 'move_needs_note');
    await refusedMove(u.huanbao, c, 'return', { note: '   ' }, 422, 'move_needs_note');
    await refusedMove(u.operator, c, 'return', { note: '坐席不能退单' }, 403, 'move_forbidden_for_role');
    // the returning department gets the case back in the answer (it keeps reading its former work order)
    expect(await moved(u.huanbao, c, 'return', { note: '不属于环保职责，建议派城管' })).toMatchObject({ state: 'accepted', allowedMoves: [] });
    c = await get(u.operator, c.id);
    expect(c).toMatchObject({ state: 'accepted', departmentId: null, deadline: null, dueAt: null, clockKind: null });
    expect(c.events.at(-1)).toMatchObject({ move: 'return', fromState: 'dispatched', toState: 'accepted', note: '不属于环保职责，建议派城管' });
    expect(await noticesAbout(c.id, 'returned')).toEqual({ operator: 1 });
    // the returning department still reads its former work order, but may do nothing more with it
    const seen = await u.huanbao.get(`/api/cases/${c.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().allowedMoves).toEqual([]);
    c = await moved(u.operator, c, 'dispatch', { departmentId: dept.CG, deadline: inDays(3) });
    // returning from in_progress is allowed too while the limit lasts
    c = await moved(u.chengguan, c, 'sign');
    await moved(u.chengguan, c, 'return', { note: '签收后发现不属本部门' });
    c = await get(u.operator, c.id);
    expect(c).toMatchObject({ state: 'accepted', version: 6 });
    expect(c.events.at(-1)).toMatchObject({ move: 'return', fromState: 'in_progress', toState: 'accepted' });
    expect(await noticesAbout(c.id, 'returned')).toEqual({ operator: 2 });
  });

  // A department that returned a work order keeps reading it (assignments keep their history), so the move's
  // answer is the case as it now is.
  it('a department that returns a work order gets a success answer', async () => {
    const c = await walkTo(w, 'dispatched', { handler: 'chengguan' });
    const res = await move(u.chengguan, c.id, 'return', { version: c.version, note: '不属于本部门' });
    expect((await caseRow(w.p, c.id)).state).toBe('accepted');
    expect(res.statusCode).toBeLessThan(300);
  });

  it('after its limit: refused (return_too_late) and no longer offered', async () => {
    const c = await walkTo(w, 'dispatched');
    const row = await caseRow(w.p, c.id);
    // dispatch opened the window for returnHours working hours, as the calendar counts them
    const cal = await loadCalendar(w.p.db);
    expect(row.return_open_until!.getTime()).toBe(cal.addWorkingHours(row.dispatched_at!, row.limits.returnHours).getTime());
    // simulate the time passing: the window closed an hour ago
    await w.p.db.updateTable('cases').set({ return_open_until: new Date(Date.now() - H) }).where('id', '=', c.id).execute();
    expect((await get(u.chengguan, c.id)).allowedMoves).toEqual(['sign']);
    const err = await refusedMove(u.chengguan, c, 'return', { note: '太晚了' }, 422, 'return_too_late');
    expect(err.message).toMatch(/退/);
  });

  it('a rework cannot be returned', async () => {
    const h = await walkTo(w, 'handled');
    const back = await moved(u.gridworker, h, 'verify_fail', { note: '未整改到位' });
    await new Promise((r) => setTimeout(r, 5));
    expect((await get(u.chengguan, back.id)).allowedMoves).toEqual(['sign']);
    await refusedMove(u.chengguan, back, 'return', { note: '返工也想退' }, 422, 'return_too_late');
  });
});

// ---- extension -----------------------------------------------------------------------------------------------------

describe('extension (延期)', () => {
  it('request → grant moves the deadline and the clock, the history keeps both; only one pending at a time; deny keeps it', async () => {
    let c = await walkTo(w, 'in_progress');
    const first = c.deadline!;
    const wanted = inDays(10);
    await refusedMove(u.chengguan, c, 'request_extension', { note: '需协调产权单位' }, 422, 'move_needs_deadline');
    await refusedMove(u.chengguan, c, 'request_extension', { deadline: wanted }, 422, 'move_needs_note');
    await refusedMove(u.chengguan, c, 'request_extension', { note: '需协调', deadline: new Date(Date.now() - H).toISOString() }, 422, 'deadline_in_past');
    await refusedMove(u.operator, c, 'request_extension', { note: '需协调', deadline: wanted }, 403, 'move_forbidden_for_role');
    await refusedMove(u.operator, c, 'grant_extension', {}, 422, 'no_extension_pending');
    await refusedMove(u.operator, c, 'deny_extension', { note: '不批' }, 422, 'no_extension_pending');
    // an extension extends: a date before the current deadline is refused
    const earlier = new Date(new Date(first).getTime() - 60_000).toISOString();
    if (new Date(earlier).getTime() > Date.now()) {
      await refusedMove(u.chengguan, c, 'request_extension', { note: '需协调', deadline: earlier }, 422, 'extension_not_later');
    }

    c = await moved(u.chengguan, c, 'request_extension', { note: '需协调产权单位，申请延期', deadline: wanted });
    expect(c.state).toBe('in_progress');
    expect(c.pendingExtension).toMatchObject({ note: '需协调产权单位，申请延期', deadline: wanted });
    expect(c.deadline).toBe(first);
    expect(await noticesAbout(c.id, 'extension_requested')).toEqual({ operator: 1 });
    expect((await get(u.operator, c.id)).allowedMoves.sort()).toEqual(['deny_extension', 'grant_extension']);
    const err = await refusedMove(u.chengguan, c, 'request_extension', { note: '再申请一次', deadline: inDays(12) }, 422, 'extension_pending');
    expect(err.message).toMatch(/延期/);
    // the operator's inbox holds the pending request
    expect((ok(await u.operator.get('/api/tasks?pageSize=200')).items as { id: number }[]).map((i) => i.id)).toContain(c.id);

    c = await moved(u.operator, c, 'grant_extension');
    expect(c.pendingExtension).toBeNull();
    expect(new Date(c.deadline!).getTime()).toBe(new Date(wanted).getTime());
    expect(new Date(c.dueAt!).getTime()).toBe(new Date(wanted).getTime());
    expect(c.clockKind).toBe('handle');
    const grant = c.events.at(-1)!;
    expect(grant).toMatchObject({ move: 'grant_extension', data: { previousDeadline: first, deadline: new Date(wanted).toISOString() } });
    expect(new Date(grant.deadline!).getTime()).toBe(new Date(wanted).getTime());
    const request = c.events.at(-2)!;
    expect(request).toMatchObject({ move: 'request_extension', data: { proposedDeadline: wanted, currentDeadline: first } });
    expect(await noticesAbout(c.id, 'extension_answered')).toEqual({ chengguan: 1 });

    // a second request may follow once the first is answered; deny needs a note and keeps the deadline
    c = await moved(u.chengguan, c, 'request_extension', { note: '仍需时间', deadline: inDays(20) });
    await refusedMove(u.operator, c, 'deny_extension', {}, 422, 'move_needs_note');
    c = await moved(u.operator, c, 'deny_extension', { note: '请按期办结' });
    expect(c.pendingExtension).toBeNull();
    expect(new Date(c.deadline!).getTime()).toBe(new Date(wanted).getTime());
    expect(await noticesAbout(c.id, 'extension_answered')).toEqual({ chengguan: 2 });
  });

  it('at fixed instants: the granted deadline gives the handle clock a new warning and escalation on the calendar', async () => {
    const id = await reportAtTime('gridworker', bj('2026-03-02T09:00'), '0101'); // 暴露垃圾: 1 day, CG
    await moveAtTime('operator', id, 'accept', bj('2026-03-02T09:10'));
    let row = await moveAtTime('operator', id, 'dispatch', bj('2026-03-02T10:00'), { departmentId: dept.CG });
    // 1 handling day; sign within 2 working hours (warn at 80 %), escalate 8 working hours past due
    expect(show(row.deadline)).toBe('2026-03-03 10:00');
    expect([row.clock_kind, show(row.warn_at), show(row.due_at), show(row.escalate_at)]).toEqual(['sign', '2026-03-02 11:36', '2026-03-02 12:00', '2026-03-03 14:30']);
    row = await moveAtTime('chengguan', id, 'sign', bj('2026-03-02T10:30'));
    // the handle clock runs from the dispatch: 7 h, yellow after 5 h 36 min
    expect([row.clock_kind, show(row.clock_started_at), show(row.warn_at), show(row.due_at), show(row.escalate_at)]).toEqual([
      'handle', '2026-03-02 10:00', '2026-03-02 17:06', '2026-03-03 10:00', '2026-03-04 11:00',
    ]);
    await moveAtTime('chengguan', id, 'request_extension', bj('2026-03-02T14:00'), { note: '需协调', deadline: bj('2026-03-06T10:00').toISOString() });
    row = await moveAtTime('operator', id, 'grant_extension', bj('2026-03-02T15:00'));
    // span Mon 10:00 → Fri 10:00 = 28 working hours; 80 % = 22 h 24 min → Thu 11:24; +8 h past Fri 10:00 → Mon 11:00
    expect([show(row.deadline), show(row.warn_at), show(row.due_at), show(row.escalate_at), row.notified_level]).toEqual([
      '2026-03-06 10:00', '2026-03-05 11:24', '2026-03-06 10:00', '2026-03-09 11:00', 0,
    ]);
    // the API shows the same instants
    const c = await get(u.operator, id);
    expect([show(c.deadline), show(c.dueAt), c.clockKind]).toEqual(['2026-03-06 10:00', '2026-03-06 10:00', 'handle']);
  });
});

// ---- suspension ----------------------------------------------------------------------------------------------------

describe('suspension (挂起)', () => {
  it('request_suspend → suspend stops the clock → resume shifts the deadline (API, real clock)', async () => {
    let c = await walkTo(w, 'in_progress');
    await refusedMove(u.chengguan, c, 'request_suspend', {}, 422, 'move_needs_note');
    await refusedMove(u.operator, c, 'suspend', {}, 422, 'no_suspend_pending');
    await refusedMove(u.operator, c, 'resume', {}, 409, 'move_not_allowed_in_state');
    c = await moved(u.chengguan, c, 'request_suspend', { note: '当事人外出，暂无法处置' });
    expect(c.pendingSuspend).toMatchObject({ note: '当事人外出，暂无法处置' });
    expect(await noticesAbout(c.id, 'suspend_requested')).toEqual({ operator: 1 });
    await refusedMove(u.chengguan, c, 'request_suspend', { note: '再次申请' }, 422, 'suspend_pending');
    await refusedMove(u.chengguan, c, 'handle', { note: '先办了' }, 422, 'suspend_pending');
    await refusedMove(u.chengguan, c, 'suspend', {}, 403, 'move_forbidden_for_role');

    const deadline = c.deadline!;
    c = await moved(u.operator, c, 'suspend');
    expect(c).toMatchObject({ state: 'suspended', pendingSuspend: null, clockKind: null, dueAt: null, warningLevel: 'green' });
    expect(c.allowedMoves).toEqual(['resume']);
    expect(await noticesAbout(c.id, 'suspend_answered')).toEqual({ chengguan: 1 });
    await refusedMove(u.chengguan, c, 'handle', { note: '挂起中' }, 409, 'move_not_allowed_in_state');
    // the operator's inbox holds suspended cases
    expect((ok(await u.operator.get('/api/tasks?pageSize=200')).items as { id: number }[]).map((i) => i.id)).toContain(c.id);

    c = await moved(u.operator, c, 'resume');
    expect(c.state).toBe('in_progress');
    const stopped = c.events.at(-1)!.data.stoppedWorkingMs as number;
    expect(stopped).toBeGreaterThanOrEqual(0);
    const cal = await loadCalendar(w.p.db);
    expect(Math.abs(new Date(c.deadline!).getTime() - cal.addWorkingMs(new Date(deadline), stopped).getTime())).toBeLessThanOrEqual(1);
    expect(c.dueAt).toBe(c.deadline);
    expect(await noticesAbout(c.id, 'suspend_answered')).toEqual({ chengguan: 2 });

    // deny_suspend needs a note, keeps the case in progress
    c = await moved(u.chengguan, c, 'request_suspend', { note: '又外出了' });
    await refusedMove(u.operator, c, 'deny_suspend', {}, 422, 'move_needs_note');
    c = await moved(u.operator, c, 'deny_suspend', { note: '请电话联系当事人' });
    expect(c).toMatchObject({ state: 'in_progress', pendingSuspend: null });
  });

  it('at fixed instants: suspended Mon 11:00, resumed Wed 11:00 — every instant moves by the 14 working hours stopped', async () => {
    const id = await reportAtTime('gridworker', bj('2026-03-02T09:00'), '0101');
    await moveAtTime('operator', id, 'accept', bj('2026-03-02T09:10'));
    await moveAtTime('operator', id, 'dispatch', bj('2026-03-02T10:00'), { departmentId: dept.CG });
    await moveAtTime('chengguan', id, 'sign', bj('2026-03-02T10:30'));
    await moveAtTime('chengguan', id, 'request_suspend', bj('2026-03-02T10:45'), { note: '当事人外出' });
    let row = await moveAtTime('operator', id, 'suspend', bj('2026-03-02T11:00'));
    expect([row.state, show(row.suspended_at), row.suspended_from]).toEqual(['suspended', '2026-03-02 11:00', 'in_progress']);
    row = await moveAtTime('operator', id, 'resume', bj('2026-03-04T11:00'));
    // stopped: Mon 1 h + 4 h, Tue 7 h, Wed 2 h = 14 working hours
    const ev = (await recordsOf(id)).events.at(-1)!;
    expect(ev.data).toMatchObject({ stoppedWorkingMs: 14 * H });
    expect([row.state, show(row.deadline), show(row.warn_at), show(row.due_at), show(row.escalate_at), row.suspended_at]).toEqual([
      'in_progress',
      '2026-03-05 10:00', // Tue 10:00 + 14 h
      '2026-03-04 17:06', // Mon 17:06 + 14 h
      '2026-03-05 10:00',
      '2026-03-06 11:00', // Wed 11:00 + 14 h
      null,
    ]);
    expect(show(ev.deadline)).toBe('2026-03-05 10:00');
  });
});

// ---- rework, close, evaluate, reopen --------------------------------------------------------------------------------

describe('verify, close, evaluate, reopen', () => {
  it('handle → verify_fail (rework 1, back to the same department) → verify_pass → close', async () => {
    let c = await walkTo(w, 'in_progress');
    await refusedMove(u.chengguan, c, 'handle', {}, 422, 'move_needs_note');
    c = await moved(u.chengguan, c, 'handle', { note: '已清理' });
    expect(await noticesAbout(c.id, 'to_verify')).toMatchObject({ gridworker: 1 });
    expect(c.clockKind).toBe('verify');
    await refusedMove(u.gridworker, c, 'verify_fail', {}, 422, 'move_needs_note');
    await refusedMove(u.operator, c, 'verify_pass', {}, 403, 'move_forbidden_for_role');
    await refusedMove(u.chengguan, c, 'verify_pass', {}, 403, 'move_forbidden_for_role');
    // another grid's worker does not see the case
    await refusedMove(u.gridworker2, c, 'verify_pass', {}, 404, 'not_found');

    c = await moved(u.gridworker, c, 'verify_fail', { note: '现场仍有垃圾' });
    expect(c).toMatchObject({ state: 'dispatched', departmentId: dept.CG, reworkCount: 1, clockKind: 'sign' });
    expect(await noticesAbout(c.id, 'new_task')).toMatchObject({ chengguan: 2 });
    // a fresh handling limit from now, on the calendar
    const row = await caseRow(w.p, c.id);
    const cal = await loadCalendar(w.p.db);
    expect(row.deadline!.getTime()).toBe(addLimitDays(cal, row.dispatched_at!, row.limits.handleDays).getTime());
    expect(row.due_at!.getTime()).toBe(clockFor(cal, 'sign', row.dispatched_at!, row.limits, DEFAULT_THRESHOLDS).dueAt.getTime());

    c = await moved(u.chengguan, c, 'sign');
    c = await moved(u.chengguan, c, 'handle', { note: '已再次清理' });
    c = await moved(u.gridworker, c, 'verify_pass');
    expect(c).toMatchObject({ state: 'verified', reworkCount: 1, clockKind: null });
    expect(await noticesAbout(c.id, 'to_close')).toEqual({ operator: 1 });
    await refusedMove(u.leader, c, 'close', {}, 403, 'move_forbidden_for_role');
    c = await moved(u.operator, c, 'close');
    expect(c).toMatchObject({ state: 'closed', allowedMoves: ['evaluate'] });
  });

  it('evaluate: by the citizen reporter or the operator, once; reopen only when rated ≤ 2 (life 2, back to accepted)', async () => {
    // a citizen's report, closed
    let c = await reportAt(w, u.citizen, GRID_1, { description: '小区门口垃圾堆积' });
    expect(c.source).toBe('citizen_app');
    c = await moveOk(u.operator, c, 'accept');
    c = await moveOk(u.operator, c, 'dispatch', { departmentId: dept.CG, deadline: inDays(3) });
    c = await moveOk(u.chengguan, c, 'sign');
    c = await moveOk(u.chengguan, c, 'handle', { note: '已清理' });
    c = await moveOk(u.gridworker, c, 'verify_pass');
    c = await moveOk(u.operator, c, 'close');
    // the citizen's inbox: closed and not rated yet
    const citizenTasks = async () => (ok(await u.citizen.get('/api/tasks')).items as { id: number }[]).map((i) => i.id);
    expect(await citizenTasks()).toContain(c.id);
    expect((await get(u.citizen, c.id)).allowedMoves).toEqual(['evaluate']);

    await refusedMove(u.citizen, c, 'evaluate', {}, 422, 'move_needs_rating');
    refused(await move(u.citizen, c.id, 'evaluate', { version: c.version, rating: 6 }), 400, 'validation_failed');
    await refusedMove(u.gridworker, c, 'evaluate', { rating: 5 }, 403, 'move_forbidden_for_role');
    await refusedMove(u.operator, c, 'reopen', { note: '还没评价' }, 422, 'reopen_needs_unsatisfied');

    c = await moved(u.citizen, c, 'evaluate', { rating: 2, note: '清理不彻底' });
    expect(c).toMatchObject({ state: 'closed', rating: 2 });
    expect(c.events.at(-1)).toMatchObject({ move: 'evaluate', fromState: 'closed', toState: 'closed', data: { rating: 2 } });
    expect(await citizenTasks()).not.toContain(c.id);
    await refusedMove(u.citizen, c, 'evaluate', { rating: 5 }, 422, 'already_evaluated');
    await refusedMove(u.operator, c, 'evaluate', { rating: 5 }, 422, 'already_evaluated');
    expect((await get(u.operator, c.id)).allowedMoves).toEqual(['reopen']);
    await refusedMove(u.operator, c, 'reopen', {}, 422, 'move_needs_note');
    await refusedMove(u.citizen, c, 'reopen', { note: '重办' }, 403, 'move_forbidden_for_role');

    const lifeOne = c.events.length;
    c = await moved(u.operator, c, 'reopen', { note: '群众不满意，回头看' });
    expect(c).toMatchObject({ state: 'accepted', life: 2, rating: null, departmentId: null, deadline: null, reworkCount: 0, escalationLevel: 0 });
    // the history is one: life 1 events kept, the reopen links the lives
    expect(c.events).toHaveLength(lifeOne + 1);
    expect(c.events.slice(0, lifeOne).every((e) => e.life === 1)).toBe(true);
    expect(c.events.at(-1)).toMatchObject({ move: 'reopen', fromState: 'closed', toState: 'accepted', data: { previousLife: 1, life: 2, previousRating: 2 } });
    // life 2 walks again, with its own assignments, and may be rated again
    c = await moved(u.operator, c, 'dispatch', { departmentId: dept.CG, deadline: inDays(3) });
    expect(c.events.at(-1)!.life).toBe(2);
    c = await moveOk(u.chengguan, c, 'sign');
    c = await moveOk(u.chengguan, c, 'handle', { note: '彻底清理' });
    c = await moveOk(u.gridworker, c, 'verify_pass');
    c = await moveOk(u.operator, c, 'close');
    c = await moved(u.operator, c, 'evaluate', { rating: 5 }); // a callback (回访) by the operator
    expect(c).toMatchObject({ rating: 5, life: 2, allowedMoves: [] });
    await refusedMove(u.operator, c, 'reopen', { note: '满意了还重办' }, 422, 'reopen_needs_unsatisfied');
  });

  it('a citizen cannot see, rate or move another reporter’s case', async () => {
    const c = await walkTo(w, 'closed');
    expect((await u.citizen.get(`/api/cases/${c.id}`)).statusCode).toBe(404);
    await refusedMove(u.citizen, c, 'evaluate', { rating: 1 }, 404, 'not_found');
  });
});

// ---- fix on the spot ---------------------------------------------------------------------------------------------

describe('fix on the spot (现场处置)', () => {
  it('report and handled in one, verified afterwards; cannot fail verification; needs a result', async () => {
    const before = await totals();
    refused(await u.gridworker.post('/api/cases', reportBody(w, GRID_1, { fixedOnSpot: true })), 422, 'move_needs_note');
    refused(await u.citizen.post('/api/cases', reportBody(w, GRID_1, { fixedOnSpot: true, result: '我清理了' })), 403, 'move_forbidden_for_role');
    refused(await u.operator.post('/api/cases', reportBody(w, GRID_1, { fixedOnSpot: true, result: '已处理' })), 403, 'move_forbidden_for_role');
    expect(await totals()).toEqual(before);

    const res = await u.gridworker.post('/api/cases', reportBody(w, GRID_1, { fixedOnSpot: true, result: '已现场劝离并清理完毕' }));
    let c = ok(res, 201) as CaseDetail;
    const after = await totals();
    expect(after.events - before.events).toBe(1);
    expect(after.audit - before.audit).toBe(1);
    expect(c).toMatchObject({ state: 'handled', departmentId: null, clockKind: 'verify', version: 0 });
    expect(c.events).toHaveLength(1);
    expect(c.events[0]).toMatchObject({ move: 'fix_on_spot', fromState: null, toState: 'handled', note: '已现场劝离并清理完毕' });
    const { audit } = await recordsOf(c.id);
    expect(audit.map((a) => a.action)).toEqual(['case.fix_on_spot']);
    // the verify clock runs from the report, on the calendar
    const cal = await loadCalendar(w.p.db);
    const row = await caseRow(w.p, c.id);
    expect(c.dueAt).toBe(clockFor(cal, 'verify', row.reported_at, row.limits, DEFAULT_THRESHOLDS).dueAt.toISOString());
    expect(c.allowedMoves).toEqual(['verify_pass']);
    await refusedMove(u.gridworker, c, 'verify_fail', { note: '不通过' }, 422, 'fix_on_spot_cannot_fail');
    c = await moved(u.gridworker, c, 'verify_pass');
    c = await moved(u.operator, c, 'close');
    expect(c.state).toBe('closed');
  });

  it('at a fixed instant: fixed Fri 2026-09-18 16:00, to verify by the makeup Sunday 09-20 17:00', async () => {
    const id = await reportAtTime('gridworker', bj('2026-09-18T16:00'), '0101', { fixedOnSpot: true, result: '已清理' });
    const row = await caseRow(w.p, id);
    expect([row.state, row.clock_kind, show(row.due_at), show(row.escalate_at)]).toEqual(['handled', 'verify', '2026-09-20 17:00', '2026-09-22 09:30']);
  });
});

// ---- supervise -----------------------------------------------------------------------------------------------------

describe('supervise (督办)', () => {
  it('by the leader from every open state: no state change, escalation visible, department and operator told', async () => {
    const suspended = await (async () => {
      let c = await walkTo(w, 'in_progress');
      c = await moveOk(u.chengguan, c, 'request_suspend', { note: '外出' });
      return moveOk(u.operator, c, 'suspend');
    })();
    const cases: CaseDetail[] = [
      await walkTo(w, 'reported'),
      await walkTo(w, 'accepted'),
      await walkTo(w, 'dispatched'),
      await walkTo(w, 'in_progress'),
      suspended,
      await walkTo(w, 'handled'),
      await walkTo(w, 'verified'),
    ];
    for (const c0 of cases) {
      expect((await get(u.leader, c0.id)).allowedMoves, c0.state).toEqual(['supervise']);
      await refusedMove(u.leader, c0, 'supervise', {}, 422, 'move_needs_note');
      await refusedMove(u.operator, c0, 'supervise', { note: '坐席督办' }, 403, 'move_forbidden_for_role');
      let c = await moved(u.leader, c0, 'supervise', { note: '请加快办理进度' });
      expect(c).toMatchObject({ state: c0.state, escalationLevel: 1 });
      expect(c.events.at(-1)).toMatchObject({ move: 'supervise', fromState: c0.state, toState: c0.state, data: { level: 1 } });
      c = await moved(u.leader, c, 'supervise', { note: '再次督办' });
      expect(c.escalationLevel).toBe(2);
      const told = await noticesAbout(c.id, 'supervised');
      expect(told.operator, c0.state).toBe(2);
      expect(told.chengguan ?? 0, c0.state).toBe(c0.departmentId === dept.CG ? 2 : 0);
      expect(told.leader ?? 0).toBe(0);
    }
    // supervised cases come first in the operator's queue
    const queue = (ok(await u.operator.get('/api/tasks?pageSize=200')).items as { id: number; escalationLevel: number }[]).map((i) => i.escalationLevel);
    expect(queue).toEqual([...queue].sort((a, b) => b - a));
    // not from a final state
    for (const state of ['closed', 'rejected'] as const) {
      const c = await walkTo(w, state);
      expect((await get(u.leader, c.id)).allowedMoves).toEqual([]);
      await refusedMove(u.leader, c, 'supervise', { note: '督办' }, 409, 'move_not_allowed_in_state');
    }
  });

  it('the leader’s inbox holds only overdue cases', async () => {
    const c = await walkTo(w, 'in_progress');
    const leaderTasks = async () => (ok(await u.leader.get('/api/tasks?pageSize=200')).items as { id: number }[]).map((i) => i.id);
    expect(await leaderTasks()).not.toContain(c.id);
    await w.p.db.updateTable('cases').set({ warn_at: new Date(Date.now() - 2 * H), due_at: new Date(Date.now() - H) }).where('id', '=', c.id).execute();
    expect(await leaderTasks()).toContain(c.id);
    expect((await get(u.leader, c.id)).warningLevel).toBe('red');
  });
});

// ---- route, version, unknown moves ------------------------------------------------------------------------------------

describe('route and the remaining refusals', () => {
  it('route puts a case into another grid without changing its state; the other grid’s worker then verifies it', async () => {
    let c = await walkTo(w, 'reported');
    const grid2 = w.grids.get(GRID_2)!.properties.id;
    await refusedMove(u.operator, c, 'route', {}, 422, 'move_needs_grid');
    await refusedMove(u.gridworker, c, 'route', { gridId: grid2 }, 403, 'move_forbidden_for_role');
    c = await moved(u.operator, c, 'route', { gridId: grid2 });
    expect(c).toMatchObject({ state: 'reported', gridId: grid2 });
    c = await moveOk(u.operator, c, 'accept');
    c = await moveOk(u.operator, c, 'dispatch', { departmentId: dept.CG, deadline: inDays(2) });
    await refusedMove(u.operator, c, 'route', { gridId: grid2 }, 409, 'move_not_allowed_in_state');
    c = await moveOk(u.chengguan, c, 'sign');
    c = await moveOk(u.chengguan, c, 'handle', { note: '已清理' });
    expect((await get(u.gridworker2, c.id)).allowedMoves).toContain('verify_pass');
  });

  it('a stale version: 409 version_conflict; an unknown move: 400; a case that does not exist: 404', async () => {
    const c = await walkTo(w, 'reported');
    await refusedMove(u.operator, { ...c, version: c.version + 3 }, 'accept', {}, 409, 'version_conflict');
    const before = await totals();
    const res = await move(u.operator, c.id, 'teleport', { version: c.version });
    expect(res.statusCode).toBe(400);
    refused(await move(u.operator, 99_999_999, 'accept', { version: 0 }), 404, 'not_found');
    expect(await totals()).toEqual(before);
  });

  it('every event of every case has exactly one audit row with its action, actor and instant', async () => {
    // across everything this file did (follow_master included): events and case audit rows pair up one to one
    const events = await w.p.db.selectFrom('case_events').select(['case_id', 'move', 'actor_id', 'at']).execute();
    const audit = await w.p.db.selectFrom('audit_log').select(['target_id', 'action', 'actor_id', 'at']).where('target_type', '=', 'case').execute();
    const keys = (xs: string[]) => xs.sort();
    expect(events.length).toBeGreaterThan(100);
    expect(keys(audit.map((a) => `${a.target_id}|${a.action}|${a.actor_id}|${a.at.toISOString()}`))).toEqual(
      keys(events.map((e) => `${e.case_id}|case.${e.move}|${e.actor_id}|${e.at.toISOString()}`)),
    );
  });
});
