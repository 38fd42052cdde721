// Lists at a million (issue 12): a list's count adds up the disjoint parts of the scope (each subtree of an area,
// the actor's own reports outside it, B/C responsibility outside both; a department's main work orders and the ones
// assigned to it that another department leads), so each part reads one index. Whatever the scope and the filter,
// the count is the number of rows the list pages through: nothing counted twice where the parts could overlap
// (an own report inside the area, a responsible case the actor reported, a work order both led and assigned),
// nothing left out; capped at the cap (“10,000+”), exact on demand.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import type { Scope } from '../../src/domain/access.js';
import { inboxOf } from '../../src/domain/cases/workflow.js';
import { listCases, type CaseFilter } from '../../src/data/repos/cases/cases.js';
import { myTasks, searchCases } from '../../src/services/cases/cases.js';
import { CaseListQuery } from '../../src/shared/api.js';
import { openWorld, type World } from '../support/factories.js';
import { usingPostgres } from '../support/platform.js';

// Statements are read at the pg client as sent (PostgreSQL only; as in queue-index.test.ts), patched before the
// world opens.
let recording: { text: string; values: unknown[] }[] | null = null;
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const a = args[0] as string | { text: string; values?: unknown[] };
  recording?.push(typeof a === 'string' ? { text: a, values: (args[1] as unknown[]) ?? [] } : { text: a.text, values: a.values ?? [] });
  return (original as (...x: unknown[]) => unknown).apply(this, args);
} as typeof original;

let w: World;
let ids: {
  gridworker: number;
  grid1: string;
  grid2: string;
  street: string;
  responsible: number;
  responsiblePath: string;
  department: number;
  other: number;
  parentCategory: number;
};

beforeAll(async () => {
  w = await openWorld(['operator'], { cases: 60 });
  const db = w.p.db;
  const user = (name: string) => db.selectFrom('users').selectAll().where('username', '=', name).executeTakeFirstOrThrow();
  const gw = await user('gridworker');
  const gw2 = await user('gridworker2');
  const op = await user('operator');
  const grids = await db.selectFrom('grids').select(['id', 'path', 'grid_class']).orderBy('id').execute();
  const responsible = grids.find((g) => g.grid_class !== 'A')!;
  const cases = await db.selectFrom('cases').select(['id', 'area_path', 'department_id']).orderBy('id').execute();
  const setCase = (id: number, set: Record<string, unknown>) => db.updateTable('cases').set(set).where('id', '=', id).execute();
  const g1 = gw.scope_paths[0]!;
  const g2 = gw2.scope_paths[0]!;
  const outside = cases.filter((c) => !c.area_path.startsWith(g1) && !c.area_path.startsWith(g2));
  expect(outside.length).toBeGreaterThan(12);
  // two cases in the grid worker's grid (the demo's few cases may lie elsewhere)
  const inside = outside.splice(0, 2);
  for (const c of inside) await setCase(c.id, { area_path: g1 });
  await setCase(outside.shift()!.id, { area_path: g2 });
  // the grid worker's own reports: one inside its grid (in two parts' reach), two outside
  await setCase(inside[0]!.id, { reporter_id: gw.id });
  await setCase(outside[0]!.id, { reporter_id: gw.id });
  await setCase(outside[1]!.id, { reporter_id: gw.id });
  // B/C responsibility of a grid under the street: outside the worker's grid; one of them also its own report, one
  // inside the worker's grid (three parts' reach)
  await setCase(outside[1]!.id, { responsible_grid_id: responsible.id });
  await setCase(outside[2]!.id, { responsible_grid_id: responsible.id });
  await setCase(inside[1]!.id, { responsible_grid_id: responsible.id, reporter_id: gw.id });
  // work orders: one led by the department and assigned to it as well, one assigned to it and led by another, one
  // assigned to it and led by nobody now
  const departments = await db.selectFrom('departments').select('id').orderBy('id').execute();
  const d = departments[0]!.id;
  const other = departments[1]!.id;
  const assign = (caseId: number, departmentId: number) =>
    sql`INSERT INTO case_assignments (case_id, life, department_id, role, assigned_at)
        VALUES (${caseId}, 1, ${departmentId}, 'co', now()) ON CONFLICT DO NOTHING`.execute(db);
  await setCase(outside[3]!.id, { department_id: d });
  await assign(outside[3]!.id, d);
  await setCase(outside[4]!.id, { department_id: other });
  await assign(outside[4]!.id, d);
  await setCase(outside[5]!.id, { department_id: null });
  await assign(outside[5]!.id, d);
  const parent = await db.selectFrom('categories').select('parent_id').where('parent_id', 'is not', null).executeTakeFirstOrThrow();
  ids = {
    gridworker: gw.id,
    grid1: gw.scope_paths[0]!,
    grid2: gw2.scope_paths[0]!,
    street: op.scope_paths[0]!,
    responsible: responsible.id,
    responsiblePath: responsible.path,
    department: d,
    other,
    parentCategory: parent.parent_id!,
  };
});
afterAll(async () => {
  pg.Client.prototype.query = original;
  await w?.p.close();
});

/** Every row of the list, by a page larger than it. */
async function allRows(scope: Scope, f: CaseFilter, order: 'reported_desc' | 'urgency' = 'reported_desc') {
  return (await listCases(w.p.db, scope, f, { limit: 10_000, offset: 0, order, exactCount: true })).items;
}

describe('a count by the parts of the scope', () => {
  const scopes = (): [string, Scope][] => [
    ['everything', { kind: 'all' }],
    ['nothing', { kind: 'none' }],
    ['a street', { kind: 'area', paths: [ids.street], reporterId: -1 }],
    ['one grid and own reports', { kind: 'area', paths: [ids.grid1], reporterId: ids.gridworker }],
    ['two grids and own reports', { kind: 'area', paths: [ids.grid1, ids.grid2].sort(), reporterId: ids.gridworker }],
    ['a grid, a B/C grid and own reports', { kind: 'area', paths: [ids.grid1, ids.responsiblePath].sort(), reporterId: ids.gridworker }],
    ['a department', { kind: 'department', departmentId: ids.department }],
    ['another department', { kind: 'department', departmentId: ids.other }],
    ['a reporter', { kind: 'reporter', reporterId: ids.gridworker }],
  ];
  const filters = (): [string, CaseFilter, 'reported_desc' | 'urgency'][] => [
    ['no filter', {}, 'reported_desc'],
    ['a state', { states: ['closed'] }, 'reported_desc'],
    ['open', { open: true }, 'reported_desc'],
    ['a parent category', { categoryId: ids.parentCategory }, 'reported_desc'],
    ['the operator inbox', { inbox: { ...inboxOf('operator'), actorId: -1 } }, 'urgency'],
    ['the grid worker inbox', { inbox: { ...inboxOf('grid_worker'), actorId: ids.gridworker } }, 'urgency'],
  ];

  it('is the number of rows the list holds, for every scope and filter', async () => {
    let nonEmpty = 0;
    for (const [scopeName, scope] of scopes()) {
      for (const [filterName, f, order] of filters()) {
        const rows = await allRows(scope, f, order);
        expect(new Set(rows.map((r) => r.id)).size, `${scopeName}, ${filterName}`).toBe(rows.length);
        const exact = await listCases(w.p.db, scope, f, { limit: 3, offset: 0, order, exactCount: true });
        expect(exact, `${scopeName}, ${filterName}`).toMatchObject({ total: rows.length, totalCapped: false });
        const capped = await listCases(w.p.db, scope, f, { limit: 3, offset: 0, order });
        expect(capped, `${scopeName}, ${filterName}`).toMatchObject({ total: rows.length, totalCapped: false });
        if (rows.length) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(20);
  });

  it('counts a case once where the parts of an area scope meet, and every way a case enters the scope', async () => {
    const scope: Scope = { kind: 'area', paths: [ids.grid1, ids.responsiblePath].sort(), reporterId: ids.gridworker };
    const { rows } = await sql<{ id: number }>`
      SELECT id FROM cases
      WHERE starts_with(area_path, ${ids.grid1}) OR starts_with(area_path, ${ids.responsiblePath}) OR reporter_id = ${ids.gridworker}
         OR responsible_grid_id = ${ids.responsible}
      ORDER BY id`.execute(w.p.db);
    const listed = (await allRows(scope, {})).map((r) => r.id).sort((a, b) => a - b);
    expect(listed).toEqual(rows.map((r) => r.id));
    expect((await listCases(w.p.db, scope, {}, { limit: 1, offset: 0 })).total).toBe(rows.length);
  });

  it('counts a work order once when its department both leads it and was assigned it', async () => {
    const scope: Scope = { kind: 'department', departmentId: ids.department };
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM cases c
      WHERE c.department_id = ${ids.department} OR EXISTS (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id AND a.department_id = ${ids.department})`.execute(w.p.db);
    expect((await listCases(w.p.db, scope, {}, { limit: 1, offset: 0 })).total).toBe(rows[0]!.n);
  });

  it('stops at the cap across the parts: “N+” only when there are more than N', async () => {
    const scope: Scope = { kind: 'area', paths: [ids.grid1, ids.responsiblePath].sort(), reporterId: ids.gridworker };
    const n = (await allRows(scope, {})).length;
    expect(n).toBeGreaterThan(3);
    // a cap that the first part (the grid) already passes, one that only the later parts pass, and the exact size
    for (const cap of [1, n - 1]) {
      expect(await listCases(w.p.db, scope, {}, { limit: 1, offset: 0, countCap: cap })).toMatchObject({ total: cap, totalCapped: true });
    }
    expect(await listCases(w.p.db, scope, {}, { limit: 1, offset: 0, countCap: n })).toMatchObject({ total: n, totalCapped: false });
    expect(await listCases(w.p.db, scope, {}, { limit: 1, offset: 0, countCap: 1, exactCount: true })).toMatchObject({ total: n, totalCapped: false });
  });

  it('an area scope given with a path repeated or nested counts each case once', async () => {
    const clean: Scope = { kind: 'area', paths: [ids.street], reporterId: ids.gridworker };
    const messy: Scope = { kind: 'area', paths: [ids.grid1, ids.street, ids.street], reporterId: ids.gridworker };
    const n = (await allRows(clean, {})).length;
    expect((await listCases(w.p.db, messy, {}, { limit: 1, offset: 0, exactCount: true })).total).toBe(n);
  });
});

/** The plan of a statement with sequential and bitmap scans priced out (the test's table is small). */
async function planOf(s: { text: string; values: unknown[] }): Promise<string> {
  return w.p.db.connection().execute(async (conn) => {
    await conn.executeQuery(CompiledQuery.raw('SET enable_seqscan = off'));
    await conn.executeQuery(CompiledQuery.raw('SET enable_bitmapscan = off'));
    try {
      const r = await conn.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${s.text}`, s.values));
      return r.rows.map((x) => x['QUERY PLAN']).join('\n');
    } finally {
      await conn.executeQuery(CompiledQuery.raw('RESET enable_seqscan'));
      await conn.executeQuery(CompiledQuery.raw('RESET enable_bitmapscan'));
    }
  });
}

describe.skipIf(!usingPostgres)('counts on the indexes alone', () => {
  // an index-only scan needs the table's visibility map, which VACUUM keeps (autovacuum on a live database)
  beforeAll(async () => {
    await sql`VACUUM cases`.execute(w.p.db);
  });
  const cases: [string, string, (ctx: Parameters<typeof searchCases>[0]) => Promise<unknown>, string][] = [
    ['operator', 'the case list', (ctx) => searchCases(ctx, CaseListQuery.parse({ pageSize: '20' })), 'cases_area_idx'],
    ['operator', 'a state', (ctx) => searchCases(ctx, CaseListQuery.parse({ pageSize: '20', state: 'in_progress' })), 'cases_state_area_idx'],
    ['operator', 'the work queue', (ctx) => myTasks(ctx, CaseListQuery.parse({ pageSize: '20' })), 'cases_operator_inbox_idx'],
    ['gridworker', 'the case list', (ctx) => searchCases(ctx, CaseListQuery.parse({ pageSize: '20' })), 'cases_area_idx'],
  ];
  for (const [username, what, call, index] of cases) {
    it(`${username}, ${what}: counted by an index-only scan of ${index}`, async () => {
      const u = await w.p.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
      const ctx = { db: w.p.db, actor: { id: u.id, role: u.role, scopePaths: u.scope_paths, departmentId: u.department_id }, ip: null, now: new Date() };
      const seen: { text: string; values: unknown[] }[] = [];
      recording = seen;
      try {
        await call(ctx);
      } finally {
        recording = null;
      }
      const count = seen.find((s) => /^select count\(\*\)/i.test(s.text) && /union all/i.test(s.text));
      expect(count, 'the count query').toBeDefined();
      const plan = await planOf(count!);
      expect(plan).toMatch(new RegExp(`Index Only Scan using ${index} on cases`));
      expect(plan).not.toMatch(/Seq Scan on cases|Bitmap Heap Scan on cases/);
    });
  }
});
