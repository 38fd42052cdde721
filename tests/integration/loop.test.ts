// The closed loop (闭环) through the HTTP API as the people who make it: a grid worker reports, the operator
// accepts and dispatches to 城管, the 城管 handler signs and handles, the grid worker verifies, the operator
// closes. Each move: state, version, the moves each user may make now, the timeline, exactly one audit row in
// the same transaction. Then every way a move is refused, and that a refusal changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { CaseDetail } from '../../src/shared/api.js';
import type { MoveName } from '../../src/shared/vocabulary.js';
import { login, type Client } from '../support/platform.js';
import {
  auditRowsOf,
  caseRow,
  eventRowsOf,
  GRID_1,
  GRID_2,
  inDays,
  move,
  moveOk,
  ok,
  openWorld,
  refused,
  reportAt,
  reportBody,
  signIn,
  snapshot,
  uploadPhoto,
  walkTo,
  type RawClient,
  type World,
} from '../support/factories.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';

let w: World;
let en: Client; // the operator, reading English
let raw: RawClient; // the operator again, for hand-made requests
const rawHeaders = () => ({ cookie: raw.cookie, 'x-csrf-token': raw.csrfToken, 'accept-language': 'zh-CN' });
const names: Record<string, string> = {};
const WATCHERS = ['gridworker', 'operator', 'leader', 'chengguan', 'huanbao', 'gridworker2'] as const;

beforeAll(async () => {
  w = await openWorld(WATCHERS);
  en = await login(w.p.app, 'operator', undefined, 'en');
  raw = await signIn(w.p.app, 'operator', DEMO_PASSWORD);
  for (const u of WATCHERS) names[u] = ok(await w.u[u]!.get('/api/auth/session')).user.displayName;
});
afterAll(async () => w?.p.close());

/** What each watcher may do with the case now; 404 when the case does not exist for them. */
async function allowedFor(id: number): Promise<Record<string, MoveName[] | 404>> {
  const out: Record<string, MoveName[] | 404> = {};
  for (const u of WATCHERS) {
    const res = await w.u[u]!.get(`/api/cases/${id}`);
    out[u] = res.statusCode === 404 ? 404 : (ok(res) as CaseDetail).allowedMoves.sort();
  }
  return out;
}

describe('the whole loop', () => {
  it('report → accept → dispatch → sign → handle → verify_pass → close, through four users', async () => {
    const { gridworker, operator, chengguan } = w.u as Record<string, Client>;
    const cg = w.departments.get('CG')!;
    const deadline = inDays(2);

    // 上报 with a photo
    const scenePhoto = await uploadPhoto(gridworker!);
    let c = await reportAt(w, gridworker!, GRID_1, { photos: [scenePhoto] });
    expect(c).toMatchObject({ state: 'reported', version: 0, source: 'patrol', departmentId: null, deadline: null, reporterName: names.gridworker });
    expect(c.gridName).toBe(w.grids.get(GRID_1)!.properties.name);
    expect(c.photos.map((p) => p.hash)).toEqual([scenePhoto]);
    expect(c.number).toMatch(/^\d{8}\d{6}$/);
    expect(await allowedFor(c.id)).toEqual({
      gridworker: [],
      operator: ['accept', 'merge', 'reject', 'route'],
      leader: ['supervise'],
      chengguan: 404,
      huanbao: 404,
      gridworker2: 404,
    });

    const steps: { by: Client; move: MoveName; body: Record<string, unknown>; to: string; allowed: Record<string, MoveName[] | 404> }[] = [
      {
        by: operator!, move: 'accept', body: {}, to: 'accepted',
        allowed: { gridworker: [], operator: ['dispatch', 'route'], leader: ['supervise'], chengguan: 404, huanbao: 404, gridworker2: 404 },
      },
      {
        by: operator!, move: 'dispatch', body: { departmentId: cg, deadline, note: '请尽快清理' }, to: 'dispatched',
        allowed: { gridworker: [], operator: [], leader: ['supervise'], chengguan: ['return', 'sign'], huanbao: 404, gridworker2: 404 },
      },
      {
        by: chengguan!, move: 'sign', body: {}, to: 'in_progress',
        allowed: {
          gridworker: [], operator: [], leader: ['supervise'], chengguan: ['handle', 'request_extension', 'request_suspend', 'return'], huanbao: 404, gridworker2: 404,
        },
      },
      {
        by: chengguan!, move: 'handle', body: { note: '已清理完毕，恢复原状', photos: [await uploadPhoto(chengguan!)] }, to: 'handled',
        allowed: { gridworker: ['verify_fail', 'verify_pass'], operator: [], leader: ['supervise'], chengguan: [], huanbao: 404, gridworker2: 404 },
      },
      {
        by: gridworker!, move: 'verify_pass', body: {}, to: 'verified',
        allowed: { gridworker: [], operator: ['close'], leader: ['supervise'], chengguan: [], huanbao: 404, gridworker2: 404 },
      },
      {
        by: operator!, move: 'close', body: {}, to: 'closed',
        // closed: the operator may record the callback rating (回访); nobody else has a move
        allowed: { gridworker: [], operator: ['evaluate'], leader: [], chengguan: [], huanbao: 404, gridworker2: 404 },
      },
    ];
    for (const [i, step] of steps.entries()) {
      const auditBefore = (await auditRowsOf(w.p, c.id)).length;
      const next = await moveOk(step.by, c, step.move, step.body);
      expect(next.state, step.move).toBe(step.to);
      expect(next.version, step.move).toBe(i + 1);
      expect(next.events).toHaveLength(i + 2);
      expect(await allowedFor(c.id), step.move).toEqual(step.allowed);
      const audit = await auditRowsOf(w.p, c.id);
      expect(audit.length, `${step.move} writes one audit row`).toBe(auditBefore + 1);
      expect(audit.at(-1)!.action).toBe(`case.${step.move}`);
      c = next;
    }

    // dispatch recorded the department and the deadline on the case and on its event
    expect(c.departmentId).toBe(cg);
    expect(c.departmentName).toBe('城管执法中队');
    expect(new Date(c.deadline!).getTime()).toBe(new Date(deadline).getTime());

    // the timeline, in order, with who did what
    expect(c.events.map((e) => [e.move, e.fromState, e.toState, e.actorName, e.actorRole])).toEqual([
      ['report', null, 'reported', names.gridworker, 'grid_worker'],
      ['accept', 'reported', 'accepted', names.operator, 'operator'],
      ['dispatch', 'accepted', 'dispatched', names.operator, 'operator'],
      ['sign', 'dispatched', 'in_progress', names.chengguan, 'department'],
      ['handle', 'in_progress', 'handled', names.chengguan, 'department'],
      ['verify_pass', 'handled', 'verified', names.gridworker, 'grid_worker'],
      ['close', 'verified', 'closed', names.operator, 'operator'],
    ]);
    const [report, , dispatch, , handle] = c.events;
    expect(report!.photos.map((p) => p.hash)).toEqual([scenePhoto]);
    expect(dispatch).toMatchObject({ departmentName: '城管执法中队', note: '请尽快清理' });
    expect(new Date(dispatch!.deadline!).getTime()).toBe(new Date(deadline).getTime());
    expect(handle!.note).toBe('已清理完毕，恢复原状');
    expect(handle!.photos).toHaveLength(1);
    expect(handle!.photos[0]!.url).toBe(`/api/photos/${handle!.photos[0]!.hash}`);
    const times = c.events.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    // one audit row per move, written with the event (same clock, same transition)
    const audit = await auditRowsOf(w.p, c.id);
    const events = await eventRowsOf(w.p, c.id);
    expect(audit.map((a) => a.action)).toEqual(events.map((e) => `case.${e.move}`));
    for (const [i, a] of audit.entries()) {
      expect(a.at.getTime()).toBe(events[i]!.at.getTime());
      expect(a.actor_id).toBe(events[i]!.actor_id);
      if (i > 0) expect(a.data).toMatchObject({ from: events[i]!.from_state, to: events[i]!.to_state, version: i });
    }
  });

  it('verify_fail sends the work back to the same department, which signs it again', async () => {
    const handled = await walkTo(w, 'handled');
    const refusedNoNote = refused(await move(w.u.gridworker!, handled.id, 'verify_fail', { version: handled.version }), 422, 'move_needs_note');
    expect(refusedNoNote.message).toBe('“核查不通过”需要填写说明。');
    const back = await moveOk(w.u.gridworker!, handled, 'verify_fail', { note: '现场复核仍未整改到位' });
    expect(back).toMatchObject({ state: 'dispatched', departmentId: w.departments.get('CG'), reworkCount: 1, version: handled.version + 1 });
    // rework gets a fresh limit, and a rework cannot be returned
    expect(Date.parse(back.deadline!)).toBeGreaterThan(Date.now());
    expect(back.events.at(-1)).toMatchObject({ move: 'verify_fail', fromState: 'handled', toState: 'dispatched', note: '现场复核仍未整改到位' });
    expect((await allowedFor(back.id)).chengguan).toEqual(['sign']);
    const tasks = ok(await w.u.chengguan!.get('/api/tasks?pageSize=200')).items.map((i: { id: number }) => i.id);
    expect(tasks).toContain(back.id);
    const signed = await moveOk(w.u.chengguan!, back, 'sign');
    const again = await moveOk(w.u.chengguan!, signed, 'handle', { note: '已再次清理并拍照' });
    const verified = await moveOk(w.u.gridworker!, again, 'verify_pass');
    expect(verified.state).toBe('verified');
  });

  it('reject needs a note, ends the case, and leaves no move to anyone', async () => {
    const c = await walkTo(w, 'reported');
    const before = await snapshot(w.p, c.id);
    for (const note of [undefined, '', '   ']) {
      const err = refused(await move(w.u.operator!, c.id, 'reject', { version: 0, ...(note === undefined ? {} : { note }) }), 422, 'move_needs_note');
      expect(err.message).toContain('不予受理');
    }
    expect(await snapshot(w.p, c.id)).toEqual(before);
    const rejected = await moveOk(w.u.operator!, c, 'reject', { note: '不属于本街道管辖范围' });
    expect(rejected).toMatchObject({ state: 'rejected', version: 1 });
    expect(rejected.events.at(-1)).toMatchObject({ move: 'reject', note: '不属于本街道管辖范围' });
    expect(await allowedFor(c.id)).toEqual({ gridworker: [], operator: [], leader: [], chengguan: 404, huanbao: 404, gridworker2: 404 });
    refused(await move(w.u.operator!, c.id, 'accept', { version: 1 }), 409, 'move_not_allowed_in_state');
  });

  it('writes the case change, its event and its audit row in one transaction', async () => {
    const c = await walkTo(w, 'reported');
    // A test-only trigger makes the audit insert fail for one marked note: the whole move must roll back.
    await sql
      .raw(
        `CREATE FUNCTION test_refuse_marked_audit() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.data->>'note' = 'FAIL-AUDIT' THEN RAISE EXCEPTION 'audit refused by test'; END IF; RETURN NEW; END $$`,
      )
      .execute(w.p.db);
    await sql.raw(`CREATE TRIGGER test_refuse_marked_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_marked_audit()`).execute(w.p.db);
    try {
      const before = await snapshot(w.p, c.id);
      const res = await move(w.u.operator!, c.id, 'reject', { version: 0, note: 'FAIL-AUDIT' });
      expect(res.statusCode).toBe(500);
      expect(res.json().error.code).toBe('internal');
      expect(await snapshot(w.p, c.id)).toEqual(before);
    } finally {
      await sql.raw(`DROP TRIGGER test_refuse_marked_audit ON audit_log`).execute(w.p.db);
      await sql.raw(`DROP FUNCTION test_refuse_marked_audit()`).execute(w.p.db);
    }
    expect((await moveOk(w.u.operator!, c, 'reject', { note: '信息不全，无法核实' })).state).toBe('rejected');
  });
});

describe('refused moves change nothing', () => {
  it('a move in the wrong state: 409 move_not_allowed_in_state, in Chinese and in English', async () => {
    const c = await walkTo(w, 'reported');
    const before = await snapshot(w.p, c.id);
    const zh = refused(await move(w.u.operator!, c.id, 'close', { version: 0 }), 409, 'move_not_allowed_in_state');
    expect(zh.message).toBe('案件当前状态为“已上报”，不能执行“结案”。请刷新页面查看最新状态。');
    const english = refused(await move(en, c.id, 'close', { version: 0 }), 409, 'move_not_allowed_in_state');
    expect(english.message).toBe('The case is reported; it cannot be moved by "close" now. Reload to see its current state.');
    refused(await move(w.u.operator!, c.id, 'dispatch', { version: 0, departmentId: w.departments.get('CG'), deadline: inDays(1) }), 409, 'move_not_allowed_in_state');
    // report is never a move on an existing case
    refused(await move(w.u.operator!, c.id, 'report', { version: 0 }), 409, 'move_not_allowed_in_state');
    expect(await snapshot(w.p, c.id)).toEqual(before);
  });

  it('a move the role may not make: 403 move_forbidden_for_role', async () => {
    const reported = await walkTo(w, 'reported');
    const handled = await walkTo(w, 'handled');
    const before = [await snapshot(w.p, reported.id), await snapshot(w.p, handled.id)];
    const err = refused(await move(w.u.gridworker!, reported.id, 'accept', { version: 0 }), 403, 'move_forbidden_for_role');
    expect(err.message).toBe('网格员不能执行“受理”操作。');
    refused(await move(w.u.leader!, reported.id, 'accept', { version: 0 }), 403, 'move_forbidden_for_role');
    refused(await move(w.u.operator!, handled.id, 'verify_pass', { version: handled.version }), 403, 'move_forbidden_for_role');
    refused(await move(w.u.chengguan!, handled.id, 'verify_pass', { version: handled.version }), 403, 'move_forbidden_for_role');
    expect([await snapshot(w.p, reported.id), await snapshot(w.p, handled.id)]).toEqual(before);
  });

  it('a stale version: 409 version_conflict', async () => {
    const c = await walkTo(w, 'in_progress');
    const before = await snapshot(w.p, c.id);
    for (const version of [c.version - 1, c.version + 1, 0]) {
      const err = refused(await move(w.u.chengguan!, c.id, 'handle', { version, note: '已处置' }), 409, 'version_conflict');
      expect(err.message).toBe('该案件刚刚被其他人处理过，请刷新后再操作。');
    }
    expect(await snapshot(w.p, c.id)).toEqual(before);
    expect((await moveOk(w.u.chengguan!, c, 'handle', { note: '已处置' })).state).toBe('handled');
  });

  it('two moves at once with the same version: exactly one wins, one event, one audit row', async () => {
    for (const [first, second] of [
      ['accept', 'accept'],
      ['accept', 'reject'],
    ] as const) {
      const c = await walkTo(w, 'reported');
      const results = await Promise.all([
        move(w.u.operator!, c.id, first, { version: 0, note: '并发一' }),
        move(w.u.operator!, c.id, second, { version: 0, note: '并发二' }),
      ]);
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses, results.map((r) => r.body).join('\n')).toEqual([200, 409]);
      const loser = results.find((r) => r.statusCode === 409)!.json().error.code;
      expect(['version_conflict', 'move_not_allowed_in_state']).toContain(loser);
      const events = await eventRowsOf(w.p, c.id);
      expect(events.map((e) => e.move)).toEqual(['report', expect.stringMatching(/^(accept|reject)$/)]);
      expect((await auditRowsOf(w.p, c.id)).map((a) => a.action)).toEqual(['case.report', `case.${events[1]!.move}`]);
      expect((await caseRow(w.p, c.id)).version).toBe(1);
    }
  });

  it('two different people at once on the same handled case: one verifies, the other is refused', async () => {
    const c = await walkTo(w, 'handled');
    const results = await Promise.all([
      move(w.u.gridworker!, c.id, 'verify_pass', { version: c.version }),
      move(w.u.gridworker!, c.id, 'verify_fail', { version: c.version, note: '未整改' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await eventRowsOf(w.p, c.id)).length).toBe(c.events.length + 1);
  });

  it('a missing department, unknown department or past deadline on dispatch is refused', async () => {
    const c = await walkTo(w, 'accepted');
    const before = await snapshot(w.p, c.id);
    const cg = w.departments.get('CG')!;
    expect(refused(await move(w.u.operator!, c.id, 'dispatch', { version: 1, deadline: inDays(1) }), 422, 'move_needs_department').message).toBe(
      '派遣时请选择处置部门。',
    );
    refused(await move(w.u.operator!, c.id, 'dispatch', { version: 1, departmentId: cg, deadline: inDays(-1) }), 422, 'deadline_in_past');
    refused(await move(w.u.operator!, c.id, 'dispatch', { version: 1, departmentId: 99999, deadline: inDays(1) }), 422, 'unknown_department');
    refused(await move(w.u.operator!, c.id, 'dispatch', { version: 1, departmentId: cg, coDepartmentIds: [cg] }), 422, 'co_department_invalid');
    expect(await snapshot(w.p, c.id)).toEqual(before);
    // without a deadline, the category's time limit sets one
    const dispatched = await moveOk(w.u.operator!, c, 'dispatch', { departmentId: cg });
    expect(dispatched.state).toBe('dispatched');
    expect(Date.parse(dispatched.deadline!)).toBeGreaterThan(Date.now());
  });

  it.each([
    ['no version', {}],
    ['a negative version', { version: -1 }],
    ['a version as text', { version: '0' }],
    ['a fractional version', { version: 0.5 }],
    ['a deadline that is not a date-time', { version: 1, departmentId: 1, deadline: 'tomorrow' }],
    ['a deadline without offset', { version: 1, departmentId: 1, deadline: '2030-01-01T08:00:00' }],
    ['a department code instead of an id', { version: 1, departmentId: 'CG', deadline: '2030-01-01T08:00:00Z' }],
    ['a photo id that is not a sha256', { version: 1, photos: ['photo.jpg'] }],
    ['ten photos', { version: 1, photos: Array.from({ length: 10 }, () => 'a'.repeat(64)) }],
    ['a note over 2000 characters', { version: 1, note: '长'.repeat(2001) }],
  ])('bad move input (%s): 400 validation_failed, nothing changed', async (_label, body) => {
    const c = await accepted();
    const before = await snapshot(w.p, c.id);
    const err = refused(await move(w.u.operator!, c.id, 'dispatch', body), 400, 'validation_failed');
    expect(err.message).toMatch(/^输入有误：/);
    expect(await snapshot(w.p, c.id)).toEqual(before);
  });

  it('an unknown move name or case id is bad input too', async () => {
    const c = await accepted();
    const before = await snapshot(w.p, c.id);
    refused(await move(w.u.operator!, c.id, 'approve', { version: 1 }), 400, 'validation_failed');
    refused(await w.u.operator!.post(`/api/cases/abc/moves/accept`, { version: 1 }), 400, 'validation_failed');
    const noBody = await w.p.app.inject({ method: 'POST', url: `/api/cases/${c.id}/moves/dispatch`, headers: rawHeaders() });
    refused(noBody, 400, 'validation_failed');
    expect(await snapshot(w.p, c.id)).toEqual(before);
    refused(await move(w.u.operator!, 987654, 'accept', { version: 0 }), 404, 'not_found');
  });

  it('malformed JSON: 400, nothing changed', async () => {
    const c = await accepted();
    const before = await snapshot(w.p, c.id);
    const res = await w.p.app.inject({ method: 'POST', url: `/api/cases/${c.id}/moves/dispatch`, headers: { ...rawHeaders(), 'content-type': 'application/json' }, payload: '{"version":' });
    expect(res.statusCode).toBe(400);
    expect(await snapshot(w.p, c.id)).toEqual(before);
  });

  it('malformed JSON answers validation_failed with a Chinese message', async () => {
    const c = await accepted();
    const res = await w.p.app.inject({ method: 'POST', url: `/api/cases/${c.id}/moves/dispatch`, headers: { ...rawHeaders(), 'content-type': 'application/json' }, payload: '{"version":' });
    const err = refused(res, 400, 'validation_failed');
    expect(err.message).toMatch(/^输入有误/);
  });
});

/** One shared accepted case for the bad-input checks (none of them may change it). */
let acceptedCase: CaseDetail | undefined;
async function accepted(): Promise<CaseDetail> {
  acceptedCase ??= await walkTo(w, 'accepted');
  return acceptedCase;
}

describe('reporting', () => {
  it('routes a report at each grid’s label point to that grid', async () => {
    const aGrids = [...w.grids].filter(([, g]) => g.properties.gridClass === 'A');
    expect(aGrids.length).toBe(36);
    for (const [code, g] of aGrids) {
      const c = await reportAt(w, w.u.operator!, code);
      expect(c.gridId, code).toBe(g.properties.id);
      expect(c.communityName).toBe(g.properties.communityName);
      expect(c.source).toBe('hotline_12345');
    }
  });

  it('routes a vertex shared by four grids to the smallest code', async () => {
    const ring = (w.grids.get(GRID_1)!.geometry.coordinates as number[][][])[0]!;
    // ring: SW, SE, NE, NW; the NE corner of the first grid is an inner lattice vertex shared by four grids
    const [lng, lat] = ring[2]!;
    const c = ok(await w.u.operator!.post('/api/cases', { ...reportBody(w, GRID_1), lng, lat }), 201) as CaseDetail;
    expect(c.gridName).toBe(w.grids.get(GRID_1)!.properties.name);
  });

  it('a position outside every grid: 422 position_outside_grids, nothing stored', async () => {
    const before = await snapshot(w.p);
    const err = refused(await w.u.gridworker!.post('/api/cases', { ...reportBody(w, GRID_1), lng: 117.5, lat: 35.43 }), 422, 'position_outside_grids');
    expect(err.message).toBe('所选位置不在任何网格内，请在地图上重新选择位置。');
    const english = refused(await en.post('/api/cases', { ...reportBody(w, GRID_1), lng: 0, lat: 0 }), 422, 'position_outside_grids');
    expect(english.message).toMatch(/outside every grid/);
    expect(await snapshot(w.p)).toEqual(before);
  });

  it('an unknown category: 422 unknown_category', async () => {
    const before = await snapshot(w.p);
    refused(await w.u.gridworker!.post('/api/cases', reportBody(w, GRID_1, { categoryId: 99999 })), 422, 'unknown_category');
    expect(await snapshot(w.p)).toEqual(before);
  });

  it.each([
    ['a one-letter description', { description: 'x' }],
    ['a blank description', { description: '    ' }],
    ['no position', { lng: undefined, lat: undefined }],
    ['a longitude beyond 180', { lng: 200 }],
    ['a category id of 0', { categoryId: 0 }],
    ['an unknown source', { source: 'rumour' }],
    ['ten photos', { photos: Array.from({ length: 10 }, () => 'a'.repeat(64)) }],
  ])('bad report input (%s): 400 validation_failed, nothing stored', async (_label, extra) => {
    const before = await snapshot(w.p);
    refused(await w.u.gridworker!.post('/api/cases', reportBody(w, GRID_1, extra)), 400, 'validation_failed');
    expect(await snapshot(w.p)).toEqual(before);
  });

  it('a grid worker may report in another grid, and reads it, but verifies only in its own', async () => {
    const c = await walkTo(w, 'handled', { grid: GRID_2, worker: 'gridworker' });
    expect(c.gridName).toBe(w.grids.get(GRID_2)!.properties.name);
    expect((await allowedFor(c.id)).gridworker).toEqual([]);
    refused(await move(w.u.gridworker!, c.id, 'verify_pass', { version: c.version }), 403, 'forbidden');
    expect((await allowedFor(c.id)).gridworker2).toEqual(['verify_fail', 'verify_pass']);
    expect((await moveOk(w.u.gridworker2!, c, 'verify_pass')).state).toBe('verified');
  });
});
