// Dashboard statistics at scale: 5,000,000 cases in ten streets of 36 grids over three years, on the local
// PostgreSQL (database gridwork_bench_stats; BENCH_STATS_URL overrides). The dashboard query (GET
// /api/stats/summary's service for a street leader, one month, by category, daily trend) against a naive GROUP BY
// over the cases table (cases ⋈ case_facts, the milestones unpivoted and grouped), checked to give the same answers.
//
// Rows are generated in SQL (INSERT … SELECT generate_series, triggers and foreign keys off, secondary indexes
// dropped during the load and built after), and the rollup is built by stats_rebuild(), the function migration 0006
// runs. The database is kept between runs (its contents are recorded in bench_meta); BENCH_FRESH=1 rebuilds it.
import pg from 'pg';
import { sql } from 'kysely';
import { openDb, type Db } from '../src/data/db.js';
import { migrateToLatest } from '../src/data/migrate.js';
import { statsSummary } from '../src/services/stats/stats.js';
import { daysBetween, monthEnd, shanghaiDay, addDays } from '../src/domain/stats/stats.js';
import type { StatsSummary } from '../src/shared/stats-api.js';
import { loadavg, r1, target, targets } from './support/report.js';
import { freshDemoSchema } from './support/cases-db.js';

const ROOT_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = process.env.BENCH_STATS_DB ?? 'gridwork_bench_stats'; // bench/assessment.ts generates its own
const CASES = Number(process.env.BENCH_STATS_CASES ?? 5_000_000);
// The shape (bench/assessment.ts sets its own): streets, A-class grids per street (the demo street's 36 unless more
// are asked for: its grids are copied again), the span of report times in days ending at BENCH_STATS_END (an ISO
// instant; now by default), and the exponent of the report times' spread (1: evenly many cases a day; below 1 more
// cases in recent days).
const STREETS = Number(process.env.BENCH_STATS_STREETS ?? 10);
const GRIDS_PER_STREET = Number(process.env.BENCH_STATS_GRIDS ?? 0);
const SPAN_DAYS = Number(process.env.BENCH_STATS_DAYS ?? 3 * 365);
const SPREAD = Number(process.env.BENCH_STATS_SPREAD ?? 0.9);
const END = process.env.BENCH_STATS_END ? new Date(process.env.BENCH_STATS_END) : null;
/** The shape as bench_meta records it; the default is recorded as '' so databases made before it stay current. */
const SHAPE = STREETS === 10 && !GRIDS_PER_STREET && SPAN_DAYS === 3 * 365 && SPREAD === 0.9 && !END ? '' : JSON.stringify({ STREETS, GRIDS_PER_STREET, SPAN_DAYS, SPREAD, END });
const CHUNK = 250_000;
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const NAIVE_RUNS = Number(process.env.BENCH_NAIVE_RUNS ?? 5);
const GENERATION = 8; // bump when the generated data changes

const log = (...a: unknown[]) => console.log(...a);
const secs = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!;
}

export async function ensureDatabase(): Promise<string> {
  const url = new URL(ROOT_URL);
  const admin = new pg.Client({ connectionString: ROOT_URL });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  url.pathname = `/${DB_NAME}`;
  return process.env.BENCH_STATS_URL ?? url.toString();
}

export async function current(c: pg.Client): Promise<boolean> {
  const t = await c.query(`SELECT to_regclass('bench_meta') AS t`);
  if (!t.rows[0].t) return false;
  const m = await c.query('SELECT * FROM bench_meta');
  return m.rows[0]?.cases === CASES && m.rows[0]?.generation === GENERATION && (m.rows[0]?.shape ?? '') === SHAPE;
}

/** Nine more streets like the demo street (divisions and grids copied, shifted east), for a district-sized table. */
async function addStreets(c: pg.Client) {
  await c.query(`
    DO $$
    DECLARE s int; street_id int; com record; com_id int; street0 int; district_id int;
    BEGIN
      SELECT id, parent_id INTO street0, district_id FROM divisions WHERE level = 'street' ORDER BY id LIMIT 1;
      FOR s IN 1..${STREETS - 1} LOOP
        INSERT INTO divisions (code, name, level, parent_id, path) VALUES ('B' || s, '基准街道' || s, 'street', district_id, 'pending' || s) RETURNING id INTO street_id;
        UPDATE divisions SET path = (SELECT path FROM divisions WHERE id = district_id) || street_id || '/' WHERE id = street_id;
        FOR com IN SELECT * FROM divisions WHERE parent_id = street0 ORDER BY id LOOP
          INSERT INTO divisions (code, name, level, parent_id, path) VALUES ('B' || s || '-' || com.code, com.name || s, 'community', street_id, 'pending-' || s || com.code) RETURNING id INTO com_id;
          UPDATE divisions SET path = (SELECT path FROM divisions WHERE id = street_id) || com_id || '/' WHERE id = com_id;
          INSERT INTO grids (code, name, division_id, grid_class, path, geometry, min_lng, min_lat, max_lng, max_lat, label_lng, label_lat)
          SELECT 'B' || s || '-' || g.code, g.name || s, com_id, 'A', 'pending-' || s || g.code, g.geometry,
                 g.min_lng + 0.06 * s, g.min_lat, g.max_lng + 0.06 * s, g.max_lat, g.label_lng + 0.06 * s, g.label_lat
          FROM grids g WHERE g.division_id = com.id AND g.grid_class = 'A';
          UPDATE grids SET path = (SELECT path FROM divisions WHERE id = com_id) || 'g' || id || '/' WHERE division_id = com_id;
        END LOOP;
      END LOOP;
    END $$`);
  if (!GRIDS_PER_STREET) return;
  // More grids per street: a street's A grids copied again (same community, same shape) until it has as many as
  // asked; their cases are drawn like any other grid's.
  await c.query(`
    DO $$
    DECLARE st record; have int; g record; k int := 0;
    BEGIN
      FOR st IN SELECT id, path FROM divisions WHERE level = 'street' ORDER BY id LOOP
        SELECT count(*) INTO have FROM grids WHERE grid_class = 'A' AND path LIKE st.path || '%';
        WHILE have < ${GRIDS_PER_STREET} LOOP
          FOR g IN SELECT * FROM grids WHERE grid_class = 'A' AND path LIKE st.path || '%' ORDER BY id LIMIT ${GRIDS_PER_STREET} - have LOOP
            k := k + 1;
            INSERT INTO grids (code, name, division_id, grid_class, path, geometry, min_lng, min_lat, max_lng, max_lat, label_lng, label_lat)
            VALUES ('X' || k || '-' || g.code, g.name || '副' || k, g.division_id, 'A', 'pending-x' || k, g.geometry,
                    g.min_lng, g.min_lat, g.max_lng, g.max_lat, g.label_lng, g.label_lat);
            UPDATE grids SET path = (SELECT path FROM divisions WHERE id = g.division_id) || 'g' || id || '/' WHERE code = 'X' || k || '-' || g.code;
          END LOOP;
          SELECT count(*) INTO have FROM grids WHERE grid_class = 'A' AND path LIKE st.path || '%';
        END LOOP;
      END LOOP;
    END $$`);
}

export async function generate(url: string) {
  const t0 = performance.now();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await freshDemoSchema(c, url);
  await addStreets(c);
  log(`schema, demo street and ${STREETS - 1} more streets: ${secs(t0)}`);

  // Secondary indexes go, and come back after the load (built in one sort each instead of 5 M insertions); so does
  // the rollup's key while stats_rebuild fills it.
  const { rows: indexes } = await c.query<{ name: string; def: string }>(`
    SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
    WHERE i.schemaname = 'public' AND i.tablename IN ('cases', 'case_facts')
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`);
  for (const i of indexes) await c.query(`DROP INDEX ${i.name}`);
  const rollupKey = (await c.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'stats_rollup_pkey'`)).rows[0].def as string;
  await c.query(`ALTER TABLE stats_rollup DROP CONSTRAINT stats_rollup_pkey`);
  await c.query(`ALTER TABLE cases DROP CONSTRAINT cases_number_key`);
  const reporter = (await c.query(`SELECT id FROM users WHERE username = 'operator'`)).rows[0].id as number;
  const grids = Number((await c.query(`SELECT count(*) FROM grids WHERE grid_class = 'A'`)).rows[0].count);
  const cats = Number((await c.query('SELECT count(*) FROM categories WHERE parent_id IS NOT NULL')).rows[0].count);
  const now = END ?? new Date();

  // Workers on their own connections: on two busy cores, two sessions get twice the CPU one would.
  const session = async () => {
    const s = new pg.Client({ connectionString: url });
    await s.connect();
    await s.query(`SET session_replication_role = replica`); // no triggers, no foreign key checks during the load
    await s.query(`SET maintenance_work_mem = '1GB'`);
    await s.query(`SET work_mem = '512MB'`);
    await s.query(`SET synchronous_commit = off`);
    await s.query(`SET max_parallel_maintenance_workers = 2`);
    return s;
  };
  const parallel = async <T>(items: T[], f: (s: pg.Client, item: T) => Promise<void>) => {
    const queue = [...items];
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        const s = await session();
        try {
          for (let item = queue.shift(); item !== undefined; item = queue.shift()) await f(s, item);
        } finally {
          await s.end();
        }
      }),
    );
  };
  const chunks: number[] = [];
  for (let a = 1; a <= CASES; a += CHUNK) chunks.push(a);
  await parallel(chunks, async (s, a) => {
    const b = Math.min(CASES, a + CHUNK - 1);
    const tc = performance.now();
    await s.query(`
      CREATE TEMP TABLE IF NOT EXISTS bg AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id, path, min_lng, min_lat, max_lng, max_lat
      FROM grids WHERE grid_class = 'A';
      CREATE TEMP TABLE IF NOT EXISTS bc AS SELECT (row_number() OVER (ORDER BY c.id) - 1)::int AS idx, c.id, coalesce(c.default_department_id, 1) AS dept
      FROM categories c WHERE c.parent_id IS NOT NULL;
      CREATE TEMP TABLE IF NOT EXISTS bs AS SELECT (ordinality - 1)::int AS idx, s AS source
      FROM unnest(ARRAY['patrol','patrol','patrol','hotline_12345','hotline_12345','hotline_12369','citizen_app','leader_assignment','camera','sensor']) WITH ORDINALITY s;
      ANALYZE bg; ANALYZE bc; ANALYZE bs;
      SELECT setseed(${(a % 9973) / 9973});
      DROP TABLE IF EXISTS g;`);
    // Older cases are mostly closed; the last weeks hold the open ones, as in a live street. Ids follow report time,
    // as in a live table (the baseline's month filter then reads the month's cases where they lie).
    await s.query(
      `
      CREATE TEMP TABLE g AS
      WITH r AS (
        SELECT i, $1::timestamptz - ((1 - i::float8 / ${CASES}) ^ ${SPREAD}) * interval '${SPAN_DAYS} days' AS reported_at,
               random() AS rg, random() AS rc, random() AS rs, random() AS rst, random() AS a1, random() AS a2, random() AS a3,
               random() AS a4, random() AS a5, random() AS rr, random() AS rx, random() AS ry, random() AS ru
        FROM generate_series($2::int, $3::int) i
      ), s AS (
        SELECT r.*, gr.id AS grid_id, gr.path, gr.min_lng + (gr.max_lng - gr.min_lng) * r.rx AS lng, gr.min_lat + (gr.max_lat - gr.min_lat) * r.ry AS lat,
               ca.id AS category_id, ca.dept, so.source,
               CASE WHEN $1::timestamptz - r.reported_at > interval '30 days' THEN
                      CASE WHEN rst < 0.86 THEN 'closed' WHEN rst < 0.91 THEN 'rejected' WHEN rst < 0.94 THEN 'merged' WHEN rst < 0.97 THEN 'verified'
                           WHEN rst < 0.985 THEN 'handled' ELSE 'in_progress' END
                    ELSE
                      CASE WHEN rst < 0.35 THEN 'closed' WHEN rst < 0.40 THEN 'rejected' WHEN rst < 0.43 THEN 'merged' WHEN rst < 0.50 THEN 'reported'
                           WHEN rst < 0.57 THEN 'accepted' WHEN rst < 0.67 THEN 'dispatched' WHEN rst < 0.82 THEN 'in_progress' WHEN rst < 0.84 THEN 'suspended'
                           WHEN rst < 0.93 THEN 'handled' ELSE 'verified' END
               END AS state
        FROM r
        JOIN bg gr ON gr.idx = floor(r.rg * ${grids})::int
        JOIN bc ca ON ca.idx = floor(r.rc * ${cats})::int
        JOIN bs so ON so.idx = floor(r.rs * 10)::int
      ), t AS (
        SELECT s.*,
               CASE WHEN state NOT IN ('reported', 'rejected', 'merged') THEN least(reported_at + a1 * interval '8 hours', $1::timestamptz) END AS accepted_at
        FROM s
      ), u AS (
        SELECT t.*,
               CASE WHEN state NOT IN ('reported', 'rejected', 'merged', 'accepted') THEN least(accepted_at + a2 * interval '6 hours', $1::timestamptz) END AS dispatched_at
        FROM t
      ), v AS (
        SELECT u.*,
               CASE WHEN state IN ('handled', 'verified', 'closed') THEN least(dispatched_at + a3 * interval '120 hours', $1::timestamptz) END AS handled_at
        FROM u
      ), w AS (
        SELECT v.*,
               CASE WHEN state = 'closed' THEN least(handled_at + a4 * interval '48 hours', $1::timestamptz) END AS closed_at
        FROM v
      )
      SELECT w.*,
             CASE WHEN closed_at IS NOT NULL AND rr < 0.7 THEN 1 + floor(a5 * 5)::int END AS rating,
             CASE WHEN closed_at IS NOT NULL AND rr < 0.7 THEN least(closed_at + a5 * interval '48 hours', $1::timestamptz) END AS rated_at,
             CASE WHEN handled_at IS NOT NULL AND ru < 0.1 THEN 1 ELSE 0 END AS rework_count,
             (a3 < 0.82) AS on_time
      FROM w`,
      [now, a, b],
    );
    const tg = performance.now();
    await s.query(
      `
      INSERT INTO cases (id, number, state, source, category_id, grid_id, area_path, department_id, description, lng, lat, reporter_id,
                         reported_at, updated_at, deadline, master_id, rework_count, clock_kind, clock_started_at, warn_at, due_at, escalate_at,
                         rating, rated_at, closed_at, dispatched_at)
      SELECT i, 'B' || i, state, source, category_id, grid_id, path,
             CASE WHEN dispatched_at IS NOT NULL THEN dept END, '基准案件', lng, lat, $1, reported_at,
             coalesce(rated_at, closed_at, handled_at, dispatched_at, accepted_at, reported_at),
             CASE WHEN dispatched_at IS NOT NULL THEN dispatched_at + interval '3 days' END,
             CASE WHEN state = 'merged' AND i > 1 THEN i - 1 END, rework_count,
             CASE WHEN state IN ('dispatched', 'in_progress', 'handled') THEN 'handle' END,
             CASE WHEN state IN ('dispatched', 'in_progress', 'handled') THEN dispatched_at END,
             CASE WHEN state IN ('dispatched', 'in_progress', 'handled') THEN dispatched_at + interval '2 days' END,
             CASE WHEN state IN ('dispatched', 'in_progress', 'handled') THEN dispatched_at + interval '3 days' END,
             CASE WHEN state IN ('dispatched', 'in_progress', 'handled') THEN dispatched_at + interval '4 days' END,
             rating, rated_at, closed_at, dispatched_at
      FROM g`,
      [reporter],
    );
    const ti = performance.now();
    await s.query(`
      INSERT INTO case_facts (case_id, accepted_at, dispatched_at, handled_at, handled_on_time)
      SELECT i, accepted_at, dispatched_at, handled_at, CASE WHEN handled_at IS NOT NULL THEN on_time END FROM g`);
    await s.query('DROP TABLE g');
    log(`cases ${a}–${b}: ${secs(tc)} (drawn ${((tg - tc) / 1000).toFixed(1)} s, cases ${((ti - tg) / 1000).toFixed(1)} s, facts ${secs(ti)})`);
  });
  log(`${CASES.toLocaleString('en')} cases loaded: ${secs(t0)}`);
  await c.query(`SELECT setval(pg_get_serial_sequence('cases', 'id'), ${CASES})`);
  let ti = performance.now();
  await c.query(`SET work_mem = '1GB'`);
  await c.query(`SELECT stats_rebuild()`);
  log(`rollup (stats_rebuild(), as the migrations build it): ${secs(ti)}`);
  ti = performance.now();
  await parallel(
    [`ALTER TABLE stats_rollup ADD CONSTRAINT stats_rollup_pkey ${rollupKey}`, `ALTER TABLE cases ADD CONSTRAINT cases_number_key UNIQUE (number)`, ...indexes.map((i) => i.def)],
    async (s, def) => void (await s.query(def)),
  );
  log(`${indexes.length + 2} indexes: ${secs(ti)}`);
  ti = performance.now();
  await parallel(['cases', 'case_facts', 'stats_rollup', 'grids', 'categories', 'divisions', 'users'], async (s, t) => void (await s.query(`VACUUM ANALYZE ${t}`)));
  log(`vacuum analyze: ${secs(ti)}`);
  await c.query(`CREATE TABLE bench_meta AS SELECT ${CASES}::int AS cases, ${GENERATION}::int AS generation, now() AS at, $1::text AS shape`, [SHAPE]);
  const rollup = await c.query(`SELECT count(*) FILTER (WHERE grain = 'd')::int AS d, count(*) FILTER (WHERE grain = 'm')::int AS m FROM stats_rollup`);
  log(`generated ${CASES.toLocaleString('en')} cases in ${secs(t0)}; rollup rows: ${rollup.rows[0].d} day, ${rollup.rows[0].m} month`);
  await c.end();
}

/**
 * The summary's numbers straight from a GROUP BY over the street's cases: every milestone unpivoted, grouped by day,
 * top category, grid and department. A fair baseline reads only the cases that can have a milestone in the month:
 * reported before its end and changed since its start (updated_at is the latest move, every milestone's or later).
 */
async function naive(db: Db, streetPath: string, from: string, to: string) {
  const fromStart = new Date(`${from}T00:00:00+08:00`);
  const toEnd = new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000);
  const { rows } = await sql<{ metric: string; day: string | null; top: number | null; grid_id: number | null; dep: number | null; n: number }>`
    SELECT x.metric, to_char(x.day, 'YYYY-MM-DD') AS day, x.top, x.grid_id, x.dep, count(*)::int AS n
    FROM (
      SELECT v.metric, ((v.at AT TIME ZONE 'UTC') + interval '8 hours')::date AS day, coalesce(cat.parent_id, cat.id) AS top, c.grid_id,
             coalesce(c.department_id, 0) AS dep
      FROM cases c
      JOIN categories cat ON cat.id = c.category_id
      LEFT JOIN case_facts f ON f.case_id = c.id
      CROSS JOIN LATERAL (VALUES
        ('reported', c.reported_at),
        ('accepted', f.accepted_at),
        ('accepted_closed', CASE WHEN c.state = 'closed' THEN f.accepted_at END),
        ('dispatched', f.dispatched_at),
        ('handled', f.handled_at),
        ('handled_on_time', CASE WHEN f.handled_on_time THEN f.handled_at END),
        ('handled_reworked', CASE WHEN c.rework_count > 0 THEN f.handled_at END),
        ('closed', CASE WHEN c.state = 'closed' AND c.master_id IS NULL THEN c.closed_at END),
        ('rated', CASE WHEN c.rating IS NOT NULL THEN c.rated_at END),
        ('satisfied', CASE WHEN c.rating >= 4 THEN c.rated_at END)
      ) v(metric, at)
      WHERE c.area_path LIKE ${streetPath + '%'} AND v.at IS NOT NULL AND c.updated_at >= ${fromStart} AND c.reported_at < ${toEnd}
    ) x
    WHERE x.day BETWEEN ${from}::date AND ${to}::date
    GROUP BY GROUPING SETS ((x.metric, x.day), (x.metric, x.top), (x.metric, x.grid_id), (x.metric, x.dep))`.execute(db);
  const { rows: open } = await sql<{ open: number; overdue: number }>`
    SELECT count(*)::int AS open, (count(*) FILTER (WHERE state IN ('dispatched', 'in_progress', 'handled') AND due_at <= now()))::int AS overdue
    FROM cases WHERE area_path LIKE ${streetPath + '%'} AND state IN ('reported','accepted','dispatched','in_progress','suspended','handled','verified')`.execute(db);
  return { rows, open: open[0]! };
}

const FLOW = ['reported', 'accepted', 'dispatched', 'handled', 'closed'] as const;

/** Every number of the summary against the naive rows; returns how many were compared. */
function compare(s: StatsSummary, n: Awaited<ReturnType<typeof naive>>): number {
  const get = (metric: string, pick: (r: (typeof n.rows)[number]) => boolean) => n.rows.filter((r) => r.metric === metric && pick(r)).reduce((a, r) => a + r.n, 0);
  let compared = 0;
  const eq = (label: string, got: number, want: number) => {
    compared++;
    if (got !== want) throw new Error(`bench stats: ${label}: rollup ${got} ≠ naive ${want}`);
  };
  const rateParts = { onTime: ['handled_on_time', 'handled'], closure: ['accepted_closed', 'accepted'], rework: ['handled_reworked', 'handled'], satisfaction: ['satisfied', 'rated'] } as const;
  for (const m of FLOW) eq(`total ${m}`, s.totals[m].value, get(m, (r) => r.day != null));
  for (const [name, [num, den]] of Object.entries(rateParts)) {
    eq(`${name} numerator`, s.rates[name as keyof typeof rateParts].numerator.value, get(num, (r) => r.day != null));
    eq(`${name} denominator`, s.rates[name as keyof typeof rateParts].denominator.value, get(den, (r) => r.day != null));
  }
  for (const t of s.trend.items) for (const m of FLOW) eq(`trend ${t.start} ${m}`, t.counts[m].value, get(m, (r) => r.day === t.start));
  for (const i of s.breakdown.items) for (const m of FLOW) eq(`category ${i.key} ${m}`, i.counts[m].value, get(m, (r) => r.day == null && r.top === Number(i.key)));
  for (const g of s.ranking.grids) for (const m of FLOW) eq(`grid ${g.id} ${m}`, g.counts[m].value, get(m, (r) => r.day == null && r.top == null && r.grid_id === g.id && r.dep == null));
  for (const d of s.ranking.departments) for (const m of FLOW) eq(`department ${d.id} ${m}`, d.counts[m].value, get(m, (r) => r.dep === d.id));
  eq('open', s.totals.open.value, n.open.open);
  return compared;
}

export async function run() {
  const load0 = loadavg();
  const url = await ensureDatabase();
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  const fresh = process.env.BENCH_FRESH === '1' || !(await current(probe));
  await probe.end();
  if (fresh) {
    log(`generating ${CASES.toLocaleString('en')} cases in ${DB_NAME} …`);
    await generate(url);
  } else log(`reusing ${DB_NAME} (${CASES.toLocaleString('en')} cases; BENCH_FRESH=1 regenerates)`);

  const { db } = await openDb({ databaseUrl: url });
  // a kept database gets migrations added since it was made, and the vacuum a generated one gets after its load (rows
  // a migration adds are not yet all-visible: index-only scans would visit the heap for them)
  if ((await migrateToLatest(db)).length) await sql`VACUUM ANALYZE stats_rollup, stats_open`.execute(db);
  const leader = await db.selectFrom('users').selectAll().where('username', '=', 'leader').executeTakeFirstOrThrow();
  const actor = { id: leader.id, role: leader.role, scopePaths: leader.scope_paths, departmentId: leader.department_id };
  const streetCases = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases WHERE area_path LIKE ${leader.scope_paths[0] + '%'}`.execute(db)).rows[0]!.n);
  // The last whole month.
  const today = shanghaiDay(new Date());
  const from = `${addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7)}-01`;
  const to = monthEnd(from);
  const q = { from, to, groupBy: 'category' as const, bucket: 'day' as const };
  log(`street ${leader.scope_paths[0]}: ${streetCases.toLocaleString('en')} cases; period ${from} … ${to} (${daysBetween(from, to).length} days), by category, daily trend`);

  const ctx = () => ({ db, actor, ip: null, now: new Date() });
  let summary = await statsSummary(ctx(), q); // warm the connection pool and caches
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    summary = await statsSummary(ctx(), q);
    times.push(performance.now() - t0);
  }
  const naiveTimes: number[] = [];
  let n = await naive(db, leader.scope_paths[0]!, from, to);
  for (let i = 0; i < NAIVE_RUNS; i++) {
    const t0 = performance.now();
    n = await naive(db, leader.scope_paths[0]!, from, to);
    naiveTimes.push(performance.now() - t0);
  }
  const compared = compare(summary, n);
  await db.destroy();
  const p = p95(times);
  const np = p95(naiveTimes);
  log(`dashboard: ${RUNS} runs, median ${times.sort((a, b) => a - b)[RUNS >> 1]!.toFixed(1)} ms, p95 ${p.toFixed(1)} ms`);
  log(`naive GROUP BY: ${NAIVE_RUNS} runs, p95 ${np.toFixed(0)} ms`);
  log(`same answers: ${compared} numbers compared (totals, rates, ${summary.trend.items.length} days, ${summary.breakdown.items.length} categories, ${summary.ranking.grids.length} grids, ${summary.ranking.departments.length} departments); reported ${summary.totals.reported.value}, closed ${summary.totals.closed.value}`);
  const ratio = r1(np / p);
  console.log(
    JSON.stringify({
      bench: 'stats',
      cases: CASES,
      p95_ms: r1(p),
      naive_p95_ms: Math.round(np),
      baseline: 'GROUP BY over the street, month filter (reported_at, updated_at), time-ordered ids',
      ratio,
      ...targets({ p95_ms: target(r1(p), '<', 100), ratio: target(ratio, '>=', 20) }),
      loadavg_start: load0,
      loadavg_end: loadavg(),
    }),
  );
}
