// The case list at a million cases: page 1, page 50 and a filtered page (state in_progress), for the operator
// (the whole street) and a grid worker (one grid and what it reported), plus the operator's task list, through
// the list service (keyset cursor, count capped at 10,000) against the count-everything query it replaced
// (OFFSET paging and an exact count of the whole filter on every page, as one query through the list's joins with
// the scope as one OR, as the lists counted before they counted by the scope's parts), measured in the same run,
// p95 each.
// Database: gridwork_bench_cases on BENCH_PG_URL (BENCH_CASES_URL overrides), kept between runs; BENCH_FRESH=1
// rebuilds it (bench/support/cases-db.ts, shared with the map bench).
import type pg from 'pg';
import { openDb, type Db } from '../src/data/db.js';
import { migrateToLatest } from '../src/data/migrate.js';
import { myTasks, searchCases } from '../src/services/cases/cases.js';
import { CaseListQuery } from '../src/shared/api.js';
import type { Actor, Scope } from '../src/domain/access.js';
import { filterConditions, listCases, scopeWhere, type CaseFilter, type ListPage } from '../src/data/repos/cases/cases.js';
import { caseScope } from '../src/services/access.js';
import { inboxOf } from '../src/domain/cases/workflow.js';
import { keptCasesDb, STATE_BY_AGE, type CasesDb, type Generation } from './support/cases-db.js';
import { loadavg, log, pct, r1, target, targets } from './support/report.js';

const CASES = Number(process.env.BENCH_LIST_CASES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TARGET_P95_MS = 100;

/** ids follow report time (a live table grows in time order); three years, busier lately. */
const casesDb: CasesDb = {
  name: process.env.BENCH_CASES_DB ?? 'gridwork_bench_cases',
  url: process.env.BENCH_CASES_URL,
  cases: CASES,
  generation: 1,
  seed: 0.12,
  insertChunk: async (c: pg.Client, a: number, b: number, g: Generation) => {
    await c.query(
      `
      INSERT INTO cases (id, number, state, source, category_id, grid_id, area_path, department_id, description, address, lng, lat,
                         reporter_id, reported_at, updated_at, urgency, clock_kind, warn_at, due_at, escalation_level)
      SELECT i, 'L' || i, s.state, 'patrol', ca.id, gr.id, gr.path,
             CASE WHEN s.state IN ('dispatched', 'in_progress', 'handled', 'verified', 'closed') THEN d.id END,
             '基准案件：路边堆放生活垃圾', '崇文大道' || (i % 300) || '号附近',
             gr.min_lng + (gr.max_lng - gr.min_lng) * r.x, gr.min_lat + (gr.max_lat - gr.min_lat) * r.y,
             $1, r.at, r.at,
             CASE WHEN r.u < 0.03 THEN 'critical' WHEN r.u < 0.12 THEN 'urgent' ELSE 'normal' END,
             CASE WHEN s.state IN ('dispatched', 'in_progress', 'handled') THEN 'handle' END,
             CASE WHEN s.state IN ('dispatched', 'in_progress', 'handled') THEN r.at + interval '2 days' END,
             CASE WHEN s.state IN ('dispatched', 'in_progress', 'handled') THEN r.at + interval '3 days' END,
             CASE WHEN r.u > 0.995 THEN 1 ELSE 0 END
      FROM (
        SELECT i, $2::timestamptz - (1 - power(i::float8 / $5, 0.8)) * interval '1095 days' AS at, random() AS g, random() AS cat,
               random() AS x, random() AS y, random() AS st, random() AS u, random() AS dep
        FROM generate_series($3::int, $4::int) i
      ) r
      JOIN bg gr ON gr.idx = floor(r.g * ${g.grids})::int
      JOIN bc ca ON ca.idx = floor(r.cat * ${g.cats})::int
      JOIN bd d ON d.idx = floor(r.dep * ${g.depts})::int
      ${STATE_BY_AGE}`,
      [g.reporter, g.now, a, b, g.cases],
    );
  },
};

async function actorOf(db: Db, username: string): Promise<Actor> {
  const u = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
  return { id: u.id, role: u.role, scopePaths: u.scope_paths, departmentId: u.department_id };
}

/** The baseline: the page by OFFSET (its own count stopped at once) beside an exact count of the whole filter. */
function countEverything(db: Db, scope: Scope, f: CaseFilter & { now: Date }, page: Omit<ListPage, 'limit'>) {
  let count = db
    .selectFrom('cases')
    .innerJoin('categories', 'categories.id', 'cases.category_id')
    .leftJoin('grids', 'grids.id', 'cases.grid_id')
    .leftJoin('divisions', 'divisions.id', 'grids.division_id')
    .leftJoin('departments', 'departments.id', 'cases.department_id')
    .where(scopeWhere(scope));
  for (const c of filterConditions(f)) count = count.where(c);
  return Promise.all([
    listCases(db, scope, f, { limit: 20, ...page, countCap: 0 }),
    count.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
}

async function timed(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm: plans, caches
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return xs;
}

export async function run() {
  const url = await keptCasesDb(casesDb);
  const { db } = await openDb({ databaseUrl: url });
  await migrateToLatest(db); // a kept database gets the migrations added since it was made
  const load = loadavg();
  log(`load average: ${load}`);
  const now = new Date();
  const q = (extra: Record<string, string> = {}) => CaseListQuery.parse({ pageSize: '20', ...extra });
  const results: Record<string, { p95: number; baseline_p95: number; total: number; capped: boolean }> = {};
  for (const username of ['operator', 'gridworker']) {
    const actor = await actorOf(db, username);
    const ctx = { db, actor, ip: null, now };
    const scope = caseScope(actor);
    // the cursor of page 49's last row, by walking the pages as a person clicking "next" would
    let cursor: string | undefined;
    for (let p = 1; p < 50; p++) cursor = (await searchCases(ctx, q(cursor ? { after: cursor } : {}))).nextCursor ?? undefined;
    const scenarios: [string, () => Promise<{ total: number; totalCapped?: boolean }>, () => Promise<unknown>][] = [
      ['page 1', () => searchCases(ctx, q()), () => countEverything(db, scope, { now }, { offset: 0 })],
      ['page 50', () => searchCases(ctx, q({ after: cursor! })), () => countEverything(db, scope, { now }, { offset: 49 * 20 })],
      ['in_progress', () => searchCases(ctx, q({ state: 'in_progress' })), () => countEverything(db, scope, { now, states: ['in_progress'] }, { offset: 0 })],
    ];
    if (username === 'operator') {
      const box = inboxOf(actor.role);
      const inboxScope = scope.kind === 'area' ? { ...scope, reporterId: -1 } : scope; // as myTasks reads it
      scenarios.push(['tasks', () => myTasks(ctx, q()), () => countEverything(db, inboxScope, { now, inbox: { ...box, actorId: actor.id } }, { offset: 0, order: 'urgency' })]);
    }
    for (const [name, fast, baseline] of scenarios) {
      const first = await fast();
      const xs = await timed(fast);
      const bs = await timed(baseline);
      const key = `${username} ${name}`;
      results[key] = { p95: r1(pct(xs, 0.95)), baseline_p95: r1(pct(bs, 0.95)), total: first.total, capped: Boolean(first.totalCapped) };
      log(`${key}: p95 ${results[key]!.p95} ms (count-everything ${results[key]!.baseline_p95} ms); total ${first.total}${first.totalCapped ? '+' : ''}`);
    }
  }
  await db.destroy();
  const worst = Math.max(...Object.values(results).map((r) => r.p95));
  const worstBaseline = Math.max(...Object.values(results).map((r) => r.baseline_p95));
  console.log(
    JSON.stringify({
      bench: 'case-list',
      cases: CASES,
      p95_ms: worst,
      baseline: 'offset paging + exact count of the filter',
      baseline_p95_ms: worstBaseline,
      ratio: r1(worstBaseline / worst),
      scenarios: results,
      ...targets({ p95_ms: target(worst, '<', TARGET_P95_MS) }),
      loadavg_start: load,
      loadavg_end: loadavg(),
    }),
  );
}
