// Assessment at scale: score every grid, community and department of the district for one month, on the local
// PostgreSQL, against a naive per-unit query loop on the same data, checking both give equal numbers.
//
// The data is the stats bench's SQL generator (bench/stats.ts) in its own database gridwork_bench_assessment, in the
// issue's shape by default: a district of 100 streets × 50 A-class grids, the last full month at 50,000 cases a day
// (1.5 M cases in a 30-day month). Knobs: BENCH_ASSESSMENT_PER_DAY (cases a day, default 50000),
// BENCH_ASSESSMENT_STREETS (100), BENCH_ASSESSMENT_GRIDS (A grids per street, 50). The database is kept between runs
// (regenerated when the shape or the month changes; BENCH_FRESH=1 forces it). The month timed is the generated one.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { sql } from 'kysely';
import { openDb, type Db } from '../src/data/db.js';
import { migrateToLatest } from '../src/data/migrate.js';
import { indicatorValues, type BaseCount, parsePeriod, zeroBase, type BaseCounts, type UnitKind } from '../src/domain/assessment/indicators.js';
import { defaultScheme, rankUnits } from '../src/domain/assessment/scheme.js';
import { listUnits, unitCounts } from '../src/data/repos/assessment.js';
import { addDays, dayStart, shanghaiDay } from '../src/domain/stats/stats.js';

const PER_DAY = Number(process.env.BENCH_ASSESSMENT_PER_DAY ?? 50_000);
const STREETS = Number(process.env.BENCH_ASSESSMENT_STREETS ?? 100);
const GRIDS = Number(process.env.BENCH_ASSESSMENT_GRIDS ?? 50);

/** The last full month (Asia/Shanghai): its key and its number of days. */
function lastFullMonth(): { key: string; days: number } {
  const today = shanghaiDay(new Date());
  const d = new Date(`${today.slice(0, 7)}-15T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  const p = parsePeriod(d.toISOString().slice(0, 7))!;
  return { key: p.key, days: Number(p.to.slice(8, 10)) };
}
const MONTH = lastFullMonth();
const CASES = PER_DAY * MONTH.days;
const KINDS = ['grid', 'community', 'department'] as const;
const log = (...a: unknown[]) => console.log(...a);

/**
 * One query per unit: the baseline an office script would write, each on an index of the cases (a grid's and a
 * community's cases by their path prefix — cases_area_idx — a department's by department_id), with the month's
 * cases only (reported before its end, changed since its start).
 */
async function naive(db: Db, unit: UnitKind, u: { id: number; path: string | null }, from: string, to: string): Promise<BaseCounts> {
  const a = dayStart(from);
  const b = dayStart(addDays(to, 1));
  const where = unit === 'department' ? sql`c.department_id = ${u.id}` : sql`c.area_path LIKE ${`${u.path}%`}`;
  const { rows } = await sql<Record<string, number>>`
    SELECT ${sql.raw(['reported', 'accepted', 'accepted_closed', 'handled', 'handled_on_time', 'handled_reworked', 'closed', 'rated', 'satisfied'].map((m) => `coalesce(sum(a.${m}), 0)::int AS ${m}`).join(', '))}
    FROM cases c LEFT JOIN case_facts f ON f.case_id = c.id
    CROSS JOIN LATERAL stats_atoms_of(c.reported_at, c.state, c.closed_at, c.master_id, c.rating, c.rated_at, c.rework_count,
                                      f.accepted_at, f.dispatched_at, f.handled_at, f.handled_on_time) a
    WHERE ${where} AND c.reported_at < ${b} AND c.updated_at >= ${a} AND a.day BETWEEN ${from}::date AND ${to}::date`.execute(db);
  const fixes = unit === 'department' ? 0 : Number((await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.move = 'fix_on_spot' AND e.at >= ${a} AND e.at < ${b} AND ${where}`.execute(db)).rows[0]!.n);
  return { ...zeroBase(), ...rows[0], fixed_on_spot: fixes };
}

/** The database in the configured shape, generated when missing or different; its URL. */
export async function prepare(): Promise<string> {
  process.env.BENCH_STATS_DB = 'gridwork_bench_assessment';
  process.env.BENCH_STATS_CASES = String(CASES);
  process.env.BENCH_STATS_STREETS = String(STREETS);
  process.env.BENCH_STATS_GRIDS = String(GRIDS);
  process.env.BENCH_STATS_DAYS = String(MONTH.days);
  process.env.BENCH_STATS_SPREAD = '1';
  // the month's last second in Beijing time: every report and milestone falls within the month
  process.env.BENCH_STATS_END = new Date(dayStart(addDays(`${MONTH.key}-${String(MONTH.days).padStart(2, '0')}`, 1)).getTime() - 1000).toISOString();
  const stats = await import('./stats.js');
  const url = await stats.ensureDatabase();
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  const fresh = process.env.BENCH_FRESH === '1' || !(await stats.current(probe));
  await probe.end();
  if (fresh) {
    log(`generating ${CASES.toLocaleString('en')} cases (${STREETS} streets × ${GRIDS} grids, ${MONTH.key} at ${PER_DAY.toLocaleString('en')} a day) …`);
    await stats.generate(url);
  }
  else log(`reusing gridwork_bench_assessment (${CASES.toLocaleString('en')} cases; BENCH_FRESH=1 regenerates)`);
  return url;
}

export async function run() {
  const url = await prepare();
  const { db } = await openDb({ databaseUrl: url });
  await migrateToLatest(db); // a kept database gets the migrations added since it was made
  const period = parsePeriod(MONTH.key)!;
  const units = Object.fromEntries(await Promise.all(KINDS.map(async (k) => [k, await listUnits(db, k, null)] as const))) as Record<(typeof KINDS)[number], Awaited<ReturnType<typeof listUnits>>>;
  const total = KINDS.reduce((a, k) => a + units[k].length, 0);
  log(`month ${period.key}: ${units.grid.length} grids, ${units.community.length} communities, ${units.department.length} departments`);

  // warm-up, then the set-based scoring of every unit kind
  await unitCounts(db, 'grid', period.from, period.to, null);
  const t0 = performance.now();
  const fast = new Map<string, BaseCounts>();
  for (const k of KINDS) {
    const counts = await unitCounts(db, k, period.from, period.to, null);
    rankUnits(defaultScheme(Number(period.key.slice(0, 4))), k, units[k].map((u) => ({ unitId: u.id, name: u.name, code: u.code, counts: counts.get(u.id) ?? zeroBase() })), (c) => indicatorValues(k, c));
    for (const u of units[k]) fast.set(`${k}:${u.id}`, counts.get(u.id) ?? zeroBase());
  }
  const setMs = performance.now() - t0;

  // what the naive loop counts: the case milestones and fixes on the spot (the data has no patrols or hazards, and
  // grids_total is the unit's own A-class grid count, not counted from cases)
  const keys: BaseCount[] = ['reported', 'accepted', 'accepted_closed', 'handled', 'handled_on_time', 'handled_reworked', 'closed', 'rated', 'satisfied', 'fixed_on_spot'];
  const t1 = performance.now();
  let equal = 0;
  const differ: string[] = [];
  for (const k of KINDS) {
    for (const u of units[k]) {
      const n = await naive(db, k, u, period.from, period.to);
      const f = fast.get(`${k}:${u.id}`)!;
      if (keys.every((c) => n[c] === f[c])) equal++;
      else differ.push(`${k} ${u.code}`);
    }
  }
  const naiveMs = performance.now() - t1;
  await db.destroy();
  log(`set-based: ${(setMs / 1000).toFixed(2)} s for ${total} units; naive per-unit loop: ${(naiveMs / 1000).toFixed(2)} s (${(naiveMs / setMs).toFixed(1)}×); equal ${equal}/${total}`);
  if (differ.length) log(`DIFFERENT: ${differ.slice(0, 10).join(', ')}`);
  console.log(
    JSON.stringify({
      bench: 'assessment', cases: CASES, shape: `${STREETS} streets × ${GRIDS} grids, ${period.key} at ${PER_DAY}/day`, month: period.key, units: total,
      setMs: Math.round(setMs), naiveMs: Math.round(naiveMs), speedup: Math.round((naiveMs / setMs) * 10) / 10, equal, total,
      loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    }),
  );
  if (differ.length) process.exitCode = 1;
}

