// Assessment at scale: score every grid, community and department of the district for one month, on the local
// PostgreSQL, against a naive per-unit query loop on the same data, checking both give equal numbers.
//
// The data is the stats bench's generator (bench/stats.ts: ten streets of 36 grids, cases over three years, rows made
// in SQL) in its own database gridwork_bench_assessment. The issue's size is 1.5 M cases in one month over 100 streets
// × 50 grids; the default here is BENCH_ASSESSMENT_CASES=300000 over three years (a machine shared by several people
// cannot spare the hour the full size takes); set BENCH_ASSESSMENT_CASES=1500000 for more. The month timed is the
// last full month.
import pg from 'pg';
import { sql } from 'kysely';
import { openDb, type Db } from '../src/data/db.js';
import { BASE_COUNTS, indicatorValues, parsePeriod, zeroBase, type BaseCounts, type UnitKind } from '../src/domain/assessment/indicators.js';
import { defaultScheme, rankUnits } from '../src/domain/assessment/scheme.js';
import { listUnits, unitCounts } from '../src/data/repos/assessment.js';
import { addDays, dayStart, shanghaiDay } from '../src/domain/stats.js';

const CASES = Number(process.env.BENCH_ASSESSMENT_CASES ?? 300_000);
const KINDS = ['grid', 'community', 'department'] as const;
const log = (...a: unknown[]) => console.log(...a);

/** One query per unit: the baseline an office script would write. */
async function naive(db: Db, unit: UnitKind, u: { id: number; path: string | null }, from: string, to: string): Promise<BaseCounts> {
  const a = dayStart(from);
  const b = dayStart(addDays(to, 1));
  const where = unit === 'grid' ? sql`c.grid_id = ${u.id}` : unit === 'department' ? sql`c.department_id = ${u.id}` : sql`c.area_path LIKE ${`${u.path}%`}`;
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

export async function run() {
  process.env.BENCH_STATS_DB = 'gridwork_bench_assessment';
  process.env.BENCH_STATS_CASES = String(CASES);
  const stats = await import('./stats.js');
  const url = await stats.ensureDatabase();
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  const fresh = process.env.BENCH_FRESH === '1' || !(await stats.current(probe));
  await probe.end();
  if (fresh) await stats.generate(url);
  else log(`reusing gridwork_bench_assessment (${CASES.toLocaleString('en')} cases; BENCH_FRESH=1 regenerates)`);
  const { db } = await openDb({ databaseUrl: url });
  const today = shanghaiDay(new Date());
  const d = new Date(`${today.slice(0, 7)}-15T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  const period = parsePeriod(d.toISOString().slice(0, 7))!;
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

  const t1 = performance.now();
  let equal = 0;
  const differ: string[] = [];
  for (const k of KINDS) {
    for (const u of units[k]) {
      const n = await naive(db, k, u, period.from, period.to);
      const f = fast.get(`${k}:${u.id}`)!;
      const keys = BASE_COUNTS.filter((c) => !['verifications', 'checkins', 'patrol_days', 'patrol_m'].includes(c));
      if (keys.every((c) => n[c] === f[c])) equal++;
      else differ.push(`${k} ${u.code}`);
    }
  }
  const naiveMs = performance.now() - t1;
  await db.destroy();
  log(`set-based: ${(setMs / 1000).toFixed(2)} s for ${total} units; naive per-unit loop: ${(naiveMs / 1000).toFixed(2)} s (${(naiveMs / setMs).toFixed(1)}×); equal ${equal}/${total}`);
  if (differ.length) log(`DIFFERENT: ${differ.slice(0, 10).join(', ')}`);
  console.log(JSON.stringify({ bench: 'assessment', cases: CASES, month: period.key, units: total, setMs: Math.round(setMs), naiveMs: Math.round(naiveMs), speedup: naiveMs / setMs, equal, total }));
  if (differ.length) process.exitCode = 1;
}
