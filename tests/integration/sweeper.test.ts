// The deadline sweeper (src/services/cases/sweeper.ts) at controlled instants: nothing before warnAt; one 'warning'
// per handler user after it; 'overdue' to the handlers and the operators after dueAt; 'escalated' to the
// leader and the operators after escalateAt; each exactly once, with an audit row per step; a late first
// sweep sends every passed threshold at once; a granted extension starts a new series; a suspended case is
// not swept and resumes shifted; the verify clock warns the grid worker. Then, on PostgreSQL only, two sweeper
// processes race over 300 cases in a schema of their own and every notice exists exactly once.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { dropTestSchema, openTestPlatform, usingPostgres, type TestPlatform } from '../support/platform.js';
import { GRID_1 } from '../support/factories.js';
import type { Actor } from '../../src/domain/access.js';
import type { Db, DbOrTx } from '../../src/data/db.js';
import { openDb } from '../../src/data/db.js';
import { migrateToLatest } from '../../src/data/migrate.js';
import { seedDemo } from '../../src/seed/demo.js';
import { createUser } from '../../src/services/auth.js';
import { reportCase } from '../../src/services/cases/cases.js';
import { moveCase, type MoveRequest } from '../../src/services/cases/moves.js';
import { sweepDeadlines } from '../../src/services/cases/sweeper.js';
import { thresholdLevelAt } from '../../src/domain/cases/time-limits.js';
import type { MoveName } from '../../src/shared/vocabulary.js';

const H = 3_600_000;
/** An instant written as Beijing time. */
const bj = (local: string) => new Date(`${local}+08:00`);

let p: TestPlatform;
beforeAll(async () => {
  p = await openTestPlatform();
  // a second 城管 handler: threshold notices go to every handler user of the department
  const cg = await p.db.selectFrom('departments').select('id').where('code', '=', 'CG').executeTakeFirstOrThrow();
  await createUser(p.db, { username: 'chengguan2', displayName: '城管 李四', password: 'Gridwork@2026', role: 'department', departmentId: cg.id }, null, null);
});
afterAll(async () => p?.close());

// ---- helpers ------------------------------------------------------------------------------------------------

async function actorOf(db: DbOrTx, username: string): Promise<Actor> {
  const r = await db.selectFrom('users').select(['id', 'role', 'scope_paths', 'department_id']).where('username', '=', username).executeTakeFirstOrThrow();
  return { id: r.id, role: r.role, scopePaths: r.scope_paths, departmentId: r.department_id };
}

async function categoryId(db: DbOrTx, code: string): Promise<number> {
  return (await db.selectFrom('categories').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

/** Reports at a grid's label point at a fixed instant. */
async function reportAtTime(db: DbOrTx, username: string, now: Date, o: { grid?: string; category?: string; fixedOnSpot?: boolean } = {}): Promise<number> {
  const g = await db.selectFrom('grids').select(['label_lng', 'label_lat']).where('code', '=', o.grid ?? GRID_1).executeTakeFirstOrThrow();
  const input = {
    lng: g.label_lng,
    lat: g.label_lat,
    categoryId: await categoryId(db, o.category ?? '0101'), // 暴露垃圾: 城管, 1 day, sign 2 h, verify 8 h
    description: '路边堆放生活垃圾，散发异味',
    photos: [],
    fixedOnSpot: o.fixedOnSpot ?? false,
    ...(o.fixedOnSpot ? { result: '已现场清理' } : {}),
  };
  return reportCase({ db, actor: await actorOf(db, username), ip: null, now }, input as Parameters<typeof reportCase>[1]);
}

async function moveAtTime(db: DbOrTx, username: string, caseId: number, name: MoveName, now: Date, extra: Partial<MoveRequest> = {}) {
  const { version } = await db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
  await moveCase({ db, actor: await actorOf(db, username), ip: null, now }, caseId, name, { version, photos: [], ...extra });
}

/** Reports, accepts and dispatches to the category's department (城管) at `at`. */
async function dispatchedAt(at: Date, o: { sign?: Date } = {}): Promise<number> {
  const id = await reportAtTime(p.db, 'gridworker', at);
  await moveAtTime(p.db, 'operator', id, 'accept', at);
  const cg = await p.db.selectFrom('departments').select('id').where('code', '=', 'CG').executeTakeFirstOrThrow();
  await moveAtTime(p.db, 'operator', id, 'dispatch', at, { departmentId: cg.id });
  if (o.sign) await moveAtTime(p.db, 'chengguan', id, 'sign', o.sign);
  return id;
}

/** The notices about a case, as 'kind username' lines, sorted. */
async function noticesOf(caseId: number): Promise<string[]> {
  const rows = await p.db
    .selectFrom('notifications')
    .innerJoin('users', 'users.id', 'notifications.user_id')
    .select(['notifications.kind', 'users.username'])
    .where('notifications.case_id', '=', caseId)
    .where('notifications.kind', 'in', ['warning', 'overdue', 'escalated'])
    .execute();
  return rows.map((r) => `${r.kind} ${r.username}`).sort();
}

async function sweepAuditOf(caseId: number) {
  return p.db
    .selectFrom('audit_log')
    .select(['action', 'actor_id', 'data', 'at'])
    .where('target_type', '=', 'case')
    .where('target_id', '=', String(caseId))
    .where('action', 'like', 'case.deadline_%')
    .orderBy('id')
    .execute();
}

async function levelOf(caseId: number): Promise<number> {
  return (await p.db.selectFrom('cases').select('notified_level').where('id', '=', caseId).executeTakeFirstOrThrow()).notified_level;
}

const sweep = (local: string) => sweepDeadlines(p.db, bj(local));

// ---- one process ---------------------------------------------------------------------------------------------

describe('sweepDeadlines at controlled instants', () => {
  it('a sign clock: nothing before warnAt, then warning → overdue → escalated, each exactly once', async () => {
    // dispatched Mon 2026-03-02 10:00: sign within 2 working hours → warn 11:36, due 12:00, escalate Tue 14:30
    const id = await dispatchedAt(bj('2026-03-02T10:00'));
    const row = await p.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([row.clock_kind, row.warn_at, row.due_at, row.escalate_at]).toEqual(['sign', bj('2026-03-02T11:36'), bj('2026-03-02T12:00'), bj('2026-03-03T14:30')]);

    expect(await sweep('2026-03-02T11:35:59.999')).toEqual({ cases: 0, notices: 0 });
    expect(await noticesOf(id)).toEqual([]);
    expect(await sweepAuditOf(id)).toEqual([]);

    // warnAt: one warning per handler user of the department, nobody else
    expect(await sweep('2026-03-02T11:36')).toEqual({ cases: 1, notices: 1 });
    expect(await noticesOf(id)).toEqual(['warning chengguan', 'warning chengguan2']);
    expect(await levelOf(id)).toBe(1);
    // again, and again later: nothing new
    expect(await sweep('2026-03-02T11:36')).toEqual({ cases: 0, notices: 0 });
    expect(await sweep('2026-03-02T11:59')).toEqual({ cases: 0, notices: 0 });
    expect(await noticesOf(id)).toHaveLength(2);

    // dueAt: overdue to the handlers and the operators
    expect(await sweep('2026-03-02T12:00')).toEqual({ cases: 1, notices: 1 });
    expect(await sweep('2026-03-02T16:00')).toEqual({ cases: 0, notices: 0 });
    expect(await noticesOf(id)).toEqual(['overdue chengguan', 'overdue chengguan2', 'overdue operator', 'warning chengguan', 'warning chengguan2']);

    // escalateAt (8 working hours past due, across the night): the leader and the operators
    expect(await sweep('2026-03-03T14:29')).toEqual({ cases: 0, notices: 0 });
    expect(await sweep('2026-03-03T14:30')).toEqual({ cases: 1, notices: 1 });
    expect(await sweep('2026-03-10T09:00')).toEqual({ cases: 0, notices: 0 });
    expect(await noticesOf(id)).toEqual([
      'escalated leader',
      'escalated operator',
      'overdue chengguan',
      'overdue chengguan2',
      'overdue operator',
      'warning chengguan',
      'warning chengguan2',
    ]);
    expect(await levelOf(id)).toBe(3);

    // one audit row per step, by the system, at the sweep's instant, naming the clock and the level
    const audit = await sweepAuditOf(id);
    expect(audit.map((a) => [a.action, a.actor_id, a.at.toISOString(), a.data.level, a.data.previous, a.data.clock])).toEqual([
      ['case.deadline_warning', null, bj('2026-03-02T11:36').toISOString(), 1, 0, 'sign'],
      ['case.deadline_overdue', null, bj('2026-03-02T12:00').toISOString(), 2, 1, 'sign'],
      ['case.deadline_escalated', null, bj('2026-03-03T14:30').toISOString(), 3, 2, 'sign'],
    ]);
    // every threshold notice carries a dedupe key and one outbox row
    const rows = await p.db.selectFrom('notifications').select(['id', 'dedupe_key', 'created_at']).where('case_id', '=', id).where('kind', 'in', ['warning', 'overdue', 'escalated']).execute();
    for (const r of rows) expect(r.dedupe_key).toMatch(new RegExp(`^deadline:${id}:1:sign:${row.due_at!.toISOString()}:[123]$`));
    const outbox = await p.db.selectFrom('outbox').select('notification_id').where('notification_id', 'in', rows.map((r) => r.id)).execute();
    expect(outbox.map((o) => o.notification_id).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it('a first sweep long after escalateAt sends every threshold at once, with one audit row', async () => {
    // dispatched Wed 2026-03-04 10:00 → escalate Thu 03-05 14:30
    const id = await dispatchedAt(bj('2026-03-04T10:00'));
    expect(await sweep('2026-03-05T15:00')).toEqual({ cases: 1, notices: 3 });
    expect(await noticesOf(id)).toEqual([
      'escalated leader',
      'escalated operator',
      'overdue chengguan',
      'overdue chengguan2',
      'overdue operator',
      'warning chengguan',
      'warning chengguan2',
    ]);
    expect((await sweepAuditOf(id)).map((a) => [a.action, a.data.level, a.data.previous])).toEqual([['case.deadline_escalated', 3, 0]]);
    expect(await sweep('2026-03-05T15:00')).toEqual({ cases: 0, notices: 0 });
  });

  it('concurrent sweeps in one process notify once', async () => {
    const id = await dispatchedAt(bj('2026-03-06T09:00')); // Fri: warn 10:36, due 11:00, escalate Mon 03-09 12:00
    const results = await Promise.all([1, 2, 3, 4].map(() => sweep('2026-03-06T11:30')));
    expect(results.reduce((s, r) => s + r.cases, 0)).toBe(1);
    expect(results.reduce((s, r) => s + r.notices, 0)).toBe(2);
    expect(await noticesOf(id)).toEqual(['overdue chengguan', 'overdue chengguan2', 'overdue operator', 'warning chengguan', 'warning chengguan2']);
    await sweep('2026-03-09T12:00');
    expect(await levelOf(id)).toBe(3);
  });

  it('a granted extension starts a new series: new due, new notices', async () => {
    // Mon 03-09 10:00 dispatch, signed 10:30: handle clock warn Mon 17:06, due Tue 03-10 10:00
    const id = await dispatchedAt(bj('2026-03-09T10:00'), { sign: bj('2026-03-09T10:30') });
    expect(await sweep('2026-03-10T10:00')).toEqual({ cases: 1, notices: 2 });
    expect(await noticesOf(id)).toEqual(['overdue chengguan', 'overdue chengguan2', 'overdue operator', 'warning chengguan', 'warning chengguan2']);

    await moveAtTime(p.db, 'chengguan', id, 'request_extension', bj('2026-03-10T10:30'), { note: '需协调产权单位', deadline: bj('2026-03-13T10:00').toISOString() });
    await moveAtTime(p.db, 'operator', id, 'grant_extension', bj('2026-03-10T11:00'));
    const row = await p.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    // Mon 10:00 → Fri 10:00 is 28 working hours: yellow after 22 h 24 min (Thu 11:24), escalate Mon 03-16 11:00
    expect([row.notified_level, row.warn_at, row.due_at, row.escalate_at]).toEqual([0, bj('2026-03-12T11:24'), bj('2026-03-13T10:00'), bj('2026-03-16T11:00')]);

    expect(await sweep('2026-03-10T11:30')).toEqual({ cases: 0, notices: 0 });
    expect(await sweep('2026-03-12T11:23')).toEqual({ cases: 0, notices: 0 });
    expect(await sweep('2026-03-12T11:24')).toEqual({ cases: 1, notices: 1 });
    expect(await sweep('2026-03-13T10:00')).toEqual({ cases: 1, notices: 1 });
    expect(await sweep('2026-03-16T11:00')).toEqual({ cases: 1, notices: 1 });
    expect(await noticesOf(id)).toEqual([
      'escalated leader',
      'escalated operator',
      'overdue chengguan',
      'overdue chengguan',
      'overdue chengguan2',
      'overdue chengguan2',
      'overdue operator',
      'overdue operator',
      'warning chengguan',
      'warning chengguan',
      'warning chengguan2',
      'warning chengguan2',
    ]);
    // the two series differ by the due instant in their keys
    const keys = await p.db.selectFrom('notifications').select('dedupe_key').distinct().where('case_id', '=', id).where('kind', '=', 'warning').execute();
    expect(keys.map((k) => k.dedupe_key!.split(':').slice(4, -1).join(':')).sort()).toEqual([bj('2026-03-10T10:00').toISOString(), bj('2026-03-13T10:00').toISOString()]);
  });

  it('a suspended case is not swept; it resumes with its instants shifted, and the level it reached is kept', async () => {
    // Mon 03-23: dispatched 10:00, signed 10:30, suspended 11:00 — before its warning (Mon 17:06)
    const id = await dispatchedAt(bj('2026-03-23T10:00'), { sign: bj('2026-03-23T10:30') });
    await moveAtTime(p.db, 'chengguan', id, 'request_suspend', bj('2026-03-23T10:45'), { note: '当事人外出' });
    await moveAtTime(p.db, 'operator', id, 'suspend', bj('2026-03-23T11:00'));
    expect(await sweep('2026-03-25T12:00')).toEqual({ cases: 0, notices: 0 });
    // resumed Wed 03-25 11:00 after 14 working hours: warn Wed 17:06, due Thu 03-26 10:00
    await moveAtTime(p.db, 'operator', id, 'resume', bj('2026-03-25T11:00'));
    expect(await sweep('2026-03-25T12:00')).toEqual({ cases: 0, notices: 0 });
    expect(await sweep('2026-03-25T17:05')).toEqual({ cases: 0, notices: 0 });
    expect(await sweep('2026-03-25T17:06')).toEqual({ cases: 1, notices: 1 });
    expect(await noticesOf(id)).toEqual(['warning chengguan', 'warning chengguan2']);
    expect(await sweep('2026-03-26T10:00')).toEqual({ cases: 1, notices: 1 });
    await sweep('2026-04-30T10:00');
    expect(await levelOf(id)).toBe(3);
  });

  it('the verify clock warns the grid worker, then the operator; the department is not told', async () => {
    // fixed on the spot Tue 03-31 09:00: verify within 8 working hours → warn 16:54, due Wed 04-01 10:00
    const id = await reportAtTime(p.db, 'gridworker', bj('2026-03-31T09:00'), { fixedOnSpot: true });
    const row = await p.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([row.clock_kind, row.warn_at, row.due_at, row.escalate_at]).toEqual(['verify', bj('2026-03-31T16:54'), bj('2026-04-01T10:00'), bj('2026-04-02T11:00')]);
    expect(await sweep('2026-03-31T16:54')).toEqual({ cases: 1, notices: 1 });
    expect(await noticesOf(id)).toEqual(['warning gridworker']);
    expect(await sweep('2026-04-01T10:00')).toEqual({ cases: 1, notices: 1 });
    expect(await sweep('2026-04-02T11:00')).toEqual({ cases: 1, notices: 1 });
    expect(await noticesOf(id)).toEqual(['escalated leader', 'escalated operator', 'overdue gridworker', 'overdue operator', 'warning gridworker']);
  });

  it('a rework starts a new sign series; closed and verified cases are never swept', async () => {
    const id = await dispatchedAt(bj('2026-04-13T10:00'), { sign: bj('2026-04-13T10:15') });
    await moveAtTime(p.db, 'chengguan', id, 'handle', bj('2026-04-14T09:30'), { note: '已清理' });
    await moveAtTime(p.db, 'gridworker', id, 'verify_fail', bj('2026-04-14T10:00'), { note: '未清理干净' });
    // the rework's sign clock from Tue 10:00: warn 11:36, due 12:00 — a new series from level 0
    expect(await sweep('2026-04-14T12:00')).toEqual({ cases: 1, notices: 2 });
    await moveAtTime(p.db, 'chengguan', id, 'sign', bj('2026-04-14T12:10'));
    await moveAtTime(p.db, 'chengguan', id, 'handle', bj('2026-04-14T14:00'), { note: '已清理' });
    await moveAtTime(p.db, 'gridworker', id, 'verify_pass', bj('2026-04-14T15:00'));
    expect(await sweep('2026-06-01T10:00')).toEqual({ cases: 0, notices: 0 });
    await moveAtTime(p.db, 'operator', id, 'close', bj('2026-04-14T16:00'));
    expect(await sweep('2026-06-01T10:00')).toEqual({ cases: 0, notices: 0 });
  });

  it('across everything above: no user has a threshold notice twice', async () => {
    const doubles = await p.db
      .selectFrom('notifications')
      .select(['user_id', 'case_id', 'dedupe_key', (eb) => eb.fn.countAll<number>().as('n')])
      .where('kind', 'in', ['warning', 'overdue', 'escalated'])
      .groupBy(['user_id', 'case_id', 'dedupe_key'])
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(doubles).toEqual([]);
    const unkeyed = await p.db.selectFrom('notifications').select('id').where('kind', 'in', ['warning', 'overdue', 'escalated']).where('dedupe_key', 'is', null).execute();
    expect(unkeyed).toEqual([]);
  });
});

// ---- two processes ------------------------------------------------------------------------------------------------

/**
 * Why this proves "no double, no missed" notice:
 *  - Two real OS processes, each with its own connection pool, run sweepDeadlines on the same schema, started
 *    at the same moment (each connects, says ready, and waits for one go-file), so their batches overlap.
 *  - Double: each (user, case, dedupe key) must appear exactly once in `notifications` (grouped count = 1),
 *    and each case must have exactly one sweeper audit row — the audit row has no dedupe key, so a case that
 *    both processes took would show two rows even though the notices' unique index hid the second set.
 *  - Missed: the notices written must equal, one for one, the set computed from each case's clock at the
 *    sweep instant (thresholdLevelAt) and its recipients (handlers of its department, operators and leaders of
 *    its area); every case past a threshold ends with notified_level = its level; the processes' counts add up
 *    to exactly the cases and threshold steps due.
 */
describe.skipIf(!usingPostgres)('two sweeper processes on one PostgreSQL schema', () => {
  const url = process.env.DATABASE_URL!;
  const schema = `gw_sweep_${process.pid}_${randomBytes(4).toString('hex')}`;
  const CASES = 300;
  /** the sweep instant: Wed 2026-03-04 14:00 */
  const T = bj('2026-03-04T14:00');
  let db: Db;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gw-sweep-'));

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    ({ db } = await openDb({ databaseUrl: url, schema }));
    await migrateToLatest(db);
    await seedDemo(db, { now: new Date(), cases: 0 });
    // 300 cases over six departments, dispatched every 11 minutes from Mon 03-02 09:00 to Wed 03-04 15:49, so
    // that at T some are escalated, some overdue, some only warned and some not yet due.
    const grids = await db.selectFrom('grids').select('code').where('grid_class', '=', 'A').where('retired_at', 'is', null).orderBy('id').execute();
    const categories = await db
      .selectFrom('categories')
      .innerJoin('departments', 'departments.id', 'categories.default_department_id')
      .select(['categories.code', 'categories.default_department_id'])
      .where('categories.parent_id', 'is not', null)
      .orderBy('categories.id')
      .execute();
    const byDept = new Map<number, string>();
    for (const c of categories) if (!byDept.has(c.default_department_id!)) byDept.set(c.default_department_id!, c.code);
    const pairs = [...byDept.entries()];
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < CASES; i++) {
        const at = new Date(bj('2026-03-02T09:00').getTime() + i * 11 * 60_000);
        const [deptId, code] = pairs[i % pairs.length]!;
        const id = await reportAtTime(trx, 'operator', at, { grid: grids[i % grids.length]!.code, category: code });
        await moveAtTime(trx, 'operator', id, 'accept', at);
        await moveAtTime(trx, 'operator', id, 'dispatch', at, { departmentId: deptId });
      }
    });
  }, 300_000);

  afterAll(async () => {
    await db?.destroy();
    await dropTestSchema(url, schema);
    rmSync(tmp, { recursive: true, force: true });
  });

  function startWorker(goFile: string) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/sweep-worker.ts', schema, T.toISOString(), goFile], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let onReady: () => void;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('ready\n')) onReady();
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const done = new Promise<{ pid: number; cases: number; notices: number; startedAt: number; endedAt: number }>((resolve, reject) => {
      child.on('exit', (code) => {
        if (code !== 0) return reject(new Error(`sweep worker exited ${code}: ${err}`));
        const line = out.trim().split('\n').at(-1)!;
        resolve(JSON.parse(line));
      });
    });
    // a worker that dies before it is ready must fail the test, not hang it
    return { ready: Promise.race([ready, done.then(() => undefined)]), done };
  }

  it(`every one of ${CASES} cases gets exactly one notice per threshold per recipient, none missed`, async () => {
    const before = await db.selectFrom('cases').selectAll().orderBy('id').execute();
    expect(before).toHaveLength(CASES);
    // what is due at T, per case
    const due = before.map((c) => ({ c, level: thresholdLevelAt(T, { warnAt: c.warn_at!, dueAt: c.due_at!, escalateAt: c.escalate_at! }) }));
    const byLevel = [0, 1, 2, 3].map((l) => due.filter((d) => d.level === l).length);
    // the mix is what makes the race interesting: most cases past several thresholds, a few not yet due
    expect(byLevel[3]).toBeGreaterThan(100);
    expect(byLevel[2]! + byLevel[1]!).toBeGreaterThan(0);
    expect(byLevel[0]).toBeGreaterThan(0);
    expect(before.every((c) => c.notified_level === 0 && c.state === 'dispatched')).toBe(true);

    const goFile = path.join(tmp, 'go');
    const workers = [startWorker(goFile), startWorker(goFile)];
    await Promise.all(workers.map((w) => w.ready));
    writeFileSync(goFile, 'go');
    const results = await Promise.all(workers.map((w) => w.done));

    // both processes swept, at the same time
    const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
    expect(a.pid).not.toBe(b.pid);
    expect(Math.max(a.startedAt, b.startedAt)).toBeLessThan(Math.min(a.endedAt, b.endedAt));
    // each case was taken by exactly one of them; the threshold steps add up
    const dueCases = due.filter((d) => d.level > 0);
    expect(a.cases + b.cases).toBe(dueCases.length);
    expect(a.notices + b.notices).toBe(dueCases.reduce((s, d) => s + d.level, 0));

    // the notices expected: recipients per level (sign clocks: handlers; operators; leaders of the area)
    const users = await db.selectFrom('users').select(['id', 'role', 'department_id', 'scope_paths']).where('disabled_at', 'is', null).execute();
    const inArea = (role: string, areaPath: string) => users.filter((u) => u.role === role && u.scope_paths.some((p) => areaPath.startsWith(p)));
    const expected: string[] = [];
    for (const { c, level } of dueCases) {
      const handlers = users.filter((u) => u.role === 'department' && u.department_id === c.department_id);
      for (let l = 1; l <= level; l++) {
        const to = l === 1 ? handlers : l === 2 ? [...handlers, ...inArea('operator', c.area_path)] : [...inArea('leader', c.area_path), ...inArea('operator', c.area_path)];
        const kind = ['', 'warning', 'overdue', 'escalated'][l];
        const key = `deadline:${c.id}:${c.life}:${c.clock_kind}:${c.due_at!.toISOString()}:${l}`;
        for (const u of new Set(to)) expected.push(`${u.id}|${c.id}|${key}|${kind}`);
      }
    }
    const written = await db.selectFrom('notifications').select(['user_id', 'case_id', 'dedupe_key', 'kind']).where('kind', 'in', ['warning', 'overdue', 'escalated']).execute();
    // no double: each (user, case, key) once
    const grouped = await db
      .selectFrom('notifications')
      .select(['user_id', 'case_id', 'dedupe_key', (eb) => eb.fn.countAll<number>().as('n')])
      .where('kind', 'in', ['warning', 'overdue', 'escalated'])
      .groupBy(['user_id', 'case_id', 'dedupe_key'])
      .execute();
    expect(grouped.filter((g) => Number(g.n) !== 1)).toEqual([]);
    // no missed and nothing extra: exactly the expected set, and the expected total
    expect(written).toHaveLength(expected.length);
    expect(written.map((n) => `${n.user_id}|${n.case_id}|${n.dedupe_key}|${n.kind}`).sort()).toEqual(expected.sort());
    // every case reached its level, and was processed once (one audit row per due case, none for the others)
    const after = await db.selectFrom('cases').select(['id', 'notified_level']).execute();
    const levelNow = new Map(after.map((c) => [c.id, c.notified_level]));
    for (const d of due) expect(levelNow.get(d.c.id), `case ${d.c.id}`).toBe(d.level);
    const audit = await sql<{ target_id: string; n: number }>`
      SELECT target_id, count(*)::int AS n FROM audit_log WHERE action LIKE 'case.deadline_%' GROUP BY target_id`.execute(db);
    expect(audit.rows).toHaveLength(dueCases.length);
    expect(audit.rows.every((r) => r.n === 1)).toBe(true);
    // one outbox row per notice
    const outbox = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM outbox o JOIN notifications n ON n.id = o.notification_id WHERE n.kind IN ('warning', 'overdue', 'escalated')`.execute(db);
    expect(outbox.rows[0]!.n).toBe(expected.length);

    // a second race at the same instant finds nothing to do
    const goFile2 = path.join(tmp, 'go2');
    const again = [startWorker(goFile2), startWorker(goFile2)];
    await Promise.all(again.map((w) => w.ready));
    writeFileSync(goFile2, 'go');
    const results2 = await Promise.all(again.map((w) => w.done));
    expect(results2.map((r) => [r.cases, r.notices])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    console.info(`two sweepers over ${CASES} cases: ${a.cases}/${b.cases} cases, ${expected.length} notices; levels ${byLevel.join('/')}`);
  }, 120_000);
});
