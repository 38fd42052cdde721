// The case list at a million cases: page 1, page 50 and a filtered page (state in_progress), for the operator
// (the whole street) and a grid worker (one grid and what it reported), plus the operator's task list, through
// the list service (keyset cursor, count capped at 10,000) against the count-everything query it replaced
// (OFFSET paging and an exact count of the whole filter on every page), measured in the same run, p95 each.
// Database: gridwork_bench_cases on BENCH_PG_URL (BENCH_CASES_URL overrides), kept between runs; BENCH_FRESH=1
// rebuilds it. Cases are generated in SQL as in the map bench (triggers off, indexes rebuilt after the load).
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { openDb, type Db } from '../src/data/db.js';
import { migrateToLatest } from '../src/data/migrate.js';
import { seedDemo } from '../src/seed/demo.js';
import { myTasks, searchCases } from '../src/services/cases.js';
import { CaseListQuery } from '../src/shared/api.js';
import type { Actor } from '../src/domain/access.js';
import { listCases } from '../src/data/repos/cases.js';
import { caseScope } from '../src/services/access.js';
import { inboxOf } from '../src/domain/workflow.js';

const ROOT_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = process.env.BENCH_CASES_DB ?? 'gridwork_bench_cases';
const CASES = Number(process.env.BENCH_LIST_CASES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const GENERATION = 1;
const CHUNK = 250_000;
const log = (...a: unknown[]) => console.log(...a);
const secs = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
};

async function ensureDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: ROOT_URL });
  await admin.connect();
  if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const url = new URL(ROOT_URL);
  url.pathname = `/${DB_NAME}`;
  return process.env.BENCH_CASES_URL ?? url.toString();
}

async function generate(url: string) {
  const t0 = performance.now();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  const { db } = await openDb({ databaseUrl: url });
  await migrateToLatest(db);
  await seedDemo(db, { now: new Date(), cases: 0 });
  await db.destroy();
  await c.query(`SET session_replication_role = replica`);
  await c.query(`SET maintenance_work_mem = '512MB'`);
  await c.query(`SET synchronous_commit = off`);
  const { rows: indexes } = await c.query<{ name: string; def: string }>(`
    SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
    WHERE i.schemaname = 'public' AND i.tablename = 'cases' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`);
  for (const i of indexes) await c.query(`DROP INDEX ${i.name}`);
  await c.query(`
    CREATE TEMP TABLE bg AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id, path, min_lng, min_lat, max_lng, max_lat
    FROM grids WHERE grid_class = 'A';
    CREATE TEMP TABLE bc AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id FROM categories WHERE parent_id IS NOT NULL;
    CREATE TEMP TABLE bd AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id FROM departments;
    ANALYZE bg; ANALYZE bc; ANALYZE bd;
    SELECT setseed(0.12);`);
  const grids = Number((await c.query('SELECT count(*) FROM bg')).rows[0].count);
  const cats = Number((await c.query('SELECT count(*) FROM bc')).rows[0].count);
  const depts = Number((await c.query('SELECT count(*) FROM bd')).rows[0].count);
  const reporter = (await c.query(`SELECT id FROM users WHERE username = 'operator'`)).rows[0].id as number;
  const now = new Date();
  for (let a = 1; a <= CASES; a += CHUNK) {
    const b = Math.min(CASES, a + CHUNK - 1);
    const tc = performance.now();
    // ids follow report time (a live table grows in time order); three years, busier lately
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
      JOIN bg gr ON gr.idx = floor(r.g * ${grids})::int
      JOIN bc ca ON ca.idx = floor(r.cat * ${cats})::int
      JOIN bd d ON d.idx = floor(r.dep * ${depts})::int
      CROSS JOIN LATERAL (SELECT CASE
        WHEN $2::timestamptz - r.at > interval '20 days' THEN CASE WHEN r.st < 0.9 THEN 'closed' WHEN r.st < 0.95 THEN 'rejected' ELSE 'verified' END
        ELSE CASE WHEN r.st < 0.3 THEN 'closed' WHEN r.st < 0.4 THEN 'reported' WHEN r.st < 0.5 THEN 'accepted' WHEN r.st < 0.6 THEN 'dispatched'
                  WHEN r.st < 0.8 THEN 'in_progress' WHEN r.st < 0.9 THEN 'handled' ELSE 'verified' END END AS state) s`,
      [reporter, now, a, b, CASES],
    );
    log(`cases ${a}–${b}: ${secs(tc)}`);
  }
  await c.query(`SELECT setval(pg_get_serial_sequence('cases', 'id'), ${CASES})`);
  const ti = performance.now();
  await c.query(`SET max_parallel_maintenance_workers = 2`);
  for (const i of indexes) await c.query(i.def);
  log(`${indexes.length} indexes: ${secs(ti)}`);
  await c.query(`SET session_replication_role = origin`);
  await c.query('VACUUM ANALYZE cases');
  await c.query(`CREATE TABLE bench_meta AS SELECT ${CASES}::int AS cases, ${GENERATION}::int AS generation`);
  log(`generated ${CASES.toLocaleString('en')} cases in ${secs(t0)}`);
  await c.end();
}

async function actorOf(db: Db, username: string): Promise<Actor> {
  const u = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
  return { id: u.id, role: u.role, scopePaths: u.scope_paths, departmentId: u.department_id };
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
  const url = await ensureDatabase();
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  const meta = (await probe.query(`SELECT to_regclass('bench_meta') AS t`)).rows[0].t
    ? (await probe.query('SELECT cases, generation FROM bench_meta')).rows[0]
    : null;
  await probe.end();
  if (process.env.BENCH_FRESH === '1' || meta?.cases !== CASES || meta?.generation !== GENERATION) await generate(url);
  const { db } = await openDb({ databaseUrl: url });
  await migrateToLatest(db); // a kept database gets the migrations added since it was made
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
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
      ['page 1', () => searchCases(ctx, q()), () => listCases(db, scope, { now }, { limit: 20, offset: 0, exactCount: true })],
      ['page 50', () => searchCases(ctx, q({ after: cursor! })), () => listCases(db, scope, { now }, { limit: 20, offset: 49 * 20, exactCount: true })],
      ['in_progress', () => searchCases(ctx, q({ state: 'in_progress' })), () => listCases(db, scope, { now, states: ['in_progress'] }, { limit: 20, offset: 0, exactCount: true })],
    ];
    if (username === 'operator') {
      const box = inboxOf(actor.role);
      scenarios.push(['tasks', () => myTasks(ctx, q()), () => listCases(db, scope, { now, inbox: { ...box, actorId: actor.id } }, { limit: 20, offset: 0, order: 'urgency', exactCount: true })]);
    }
    for (const [name, fast, baseline] of scenarios) {
      const first = await fast();
      const xs = await timed(fast);
      const bs = await timed(baseline);
      const key = `${username} ${name}`;
      results[key] = { p95: Math.round(pct(xs, 0.95) * 10) / 10, baseline_p95: Math.round(pct(bs, 0.95) * 10) / 10, total: first.total, capped: Boolean(first.totalCapped) };
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
      ratio: Math.round((worstBaseline / worst) * 10) / 10,
      scenarios: results,
      loadavg: load,
    }),
  );
}
