// Dashboard statistics on a randomly seeded street (every case made through the real services): every number the
// summary gives equals a naive count over the cases and their timelines, and equals the total of the case list
// under the filter it names; the trigger-kept rollup equals one rebuilt from scratch; scope is the list's scope.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.js';
import { seedDemo } from '../../src/seed/demo.js';
import { buildApp } from '../../src/server/app.js';
import { openSnapshot, rebuildRollup, rollupSnapshot } from '../../src/data/repos/stats/stats.js';
import { addDays, bucketStart, shanghaiDay, type TrendBucket } from '../../src/domain/stats/stats.js';
import type { CaseList } from '../../src/shared/api.js';
import type { Count, StatsSummary } from '../../src/shared/stats-api.js';
import { login, openTestDb, type Client, type TestPlatform } from '../support/platform.js';
import { randomCases } from '../support/random-cases.js';
import { GRID_1, GRID_2, moveOk, ok, reportAt, walkTo, type World } from '../support/factories.js';

const SEED = Number(process.env.STATS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const USERS = ['leader', 'operator', 'gridworker', 'gridworker2', 'chengguan', 'huanbao', 'shequ', 'admin', 'citizen'] as const;
let p: TestPlatform;
let w: World;

beforeAll(async () => {
  // The demo street's history, plus random cases from a random seed (printed so a failure can be replayed with
  // STATS_SEED=…).
  console.info(`stats test: STATS_SEED=${SEED}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gridwork-stats-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const { db, drop } = await openTestDb();
  await seedDemo(db, { now: new Date(), cases: 60 });
  await randomCases(db, Number(process.env.STATS_CASES ?? 100), SEED);
  const app = await buildApp({ db, config });
  await app.ready();
  p = { db, app, config, dataDir, close: async () => (await app.close(), await drop(), rmSync(dataDir, { recursive: true, force: true })) };
  const u: Record<string, Client> = {};
  for (const name of USERS) u[name] = await login(app, name);
  const any = u.leader!;
  const grids = new Map((ok(await any.get('/api/grids')) as { features: { properties: { code: string; id: number; labelLng: number; labelLat: number } }[] }).features.map((f) => [f.properties.code, f as never]));
  const departments = new Map((ok(await any.get('/api/departments')) as { id: number; code: string }[]).map((d) => [d.code, d.id]));
  const categories = ok(await any.get('/api/categories')) as { id: number; code: string }[];
  w = { p, u, grids, departments, categoryId: categories.find((c) => c.code === '0101')!.id };
});
afterAll(async () => p?.close());

// --- the naive side: facts from the timeline, scope from the list --------------------------------------------------

interface NaiveCase {
  id: number;
  state: string;
  source: string;
  topCategory: number;
  gridId: number | null;
  community: number | null;
  departmentId: number;
  dueAt: Date | null;
  reworked: boolean;
  days: Partial<Record<Metric, string>>;
}
type Metric = 'reported' | 'accepted' | 'accepted_closed' | 'dispatched' | 'handled' | 'handled_on_time' | 'handled_reworked' | 'closed' | 'rated' | 'satisfied';
const OPEN = ['reported', 'accepted', 'dispatched', 'in_progress', 'suspended', 'handled', 'verified'];

/** Every case with the days it counts at, derived from its timeline (case_events), not from case_facts or the rollup. */
async function naiveCases(): Promise<Map<number, NaiveCase>> {
  const { rows } = await sql<Record<string, any>>`
    SELECT c.id, c.state, c.source, coalesce(cat.parent_id, cat.id) AS top, c.grid_id, c.area_path, c.department_id, c.due_at,
           c.rework_count, c.reported_at, c.closed_at, c.master_id, c.rated_at, c.rating,
           (SELECT min(e.at) FROM case_events e WHERE e.case_id = c.id AND e.move = 'accept') AS accepted_at,
           (SELECT min(e.at) FROM case_events e WHERE e.case_id = c.id AND e.move = 'dispatch') AS dispatched_at,
           h.at AS handled_at, h.move AS handled_move,
           (SELECT e.deadline FROM case_events e WHERE e.case_id = c.id AND e.id < h.id AND e.deadline IS NOT NULL ORDER BY e.id DESC LIMIT 1) AS deadline_then
    FROM cases c JOIN categories cat ON cat.id = c.category_id
    LEFT JOIN LATERAL (SELECT e.id, e.at, e.move FROM case_events e WHERE e.case_id = c.id AND e.move IN ('handle', 'fix_on_spot') ORDER BY e.at, e.id LIMIT 1) h ON true`.execute(p.db);
  const divisions = await p.db.selectFrom('divisions').select(['id', 'path', 'level']).execute();
  const communities = divisions.filter((d) => d.level === 'community').sort((a, b) => b.path.length - a.path.length);
  const out = new Map<number, NaiveCase>();
  for (const r of rows) {
    const day = (d: Date | null) => (d ? shanghaiDay(new Date(d)) : undefined);
    const days: NaiveCase['days'] = { reported: day(r.reported_at) };
    if (r.accepted_at) {
      days.accepted = day(r.accepted_at);
      if (r.state === 'closed') days.accepted_closed = days.accepted;
    }
    if (r.dispatched_at) days.dispatched = day(r.dispatched_at);
    if (r.handled_at) {
      days.handled = day(r.handled_at);
      const onTime = r.handled_move === 'fix_on_spot' || r.deadline_then == null || new Date(r.handled_at) <= new Date(r.deadline_then);
      if (onTime) days.handled_on_time = days.handled;
      if (r.rework_count > 0) days.handled_reworked = days.handled;
    }
    if (r.state === 'closed' && r.master_id == null) days.closed = day(r.closed_at);
    if (r.rating != null) {
      days.rated = day(r.rated_at);
      if (r.rating >= 4) days.satisfied = days.rated;
    }
    out.set(r.id, {
      id: r.id,
      state: r.state,
      source: r.source,
      topCategory: r.top,
      gridId: r.grid_id,
      community: communities.find((d) => r.area_path.startsWith(d.path))?.id ?? null,
      departmentId: r.department_id ?? 0,
      dueAt: r.due_at ? new Date(r.due_at) : null,
      reworked: r.rework_count > 0,
      days,
    });
  }
  return out;
}

/** The cases a user reads, as the case list shows them. */
async function visibleIds(user: string): Promise<Set<number>> {
  const ids = new Set<number>();
  for (let page = 1; ; page++) {
    const l = ok(await w.u[user]!.get(`/api/cases?pageSize=200&page=${page}`)) as CaseList;
    for (const i of l.items) ids.add(i.id);
    if (page * 200 >= l.total) return ids;
  }
}

const FLOW = ['reported', 'accepted', 'dispatched', 'handled', 'closed'] as const;
const RATES = { onTime: ['handled_on_time', 'handled'], closure: ['accepted_closed', 'accepted'], rework: ['handled_reworked', 'handled'], satisfaction: ['satisfied', 'rated'] } as const;

function tally(cases: NaiveCase[], from: string, to: string): Record<Metric, number> {
  const c = { reported: 0, accepted: 0, accepted_closed: 0, dispatched: 0, handled: 0, handled_on_time: 0, handled_reworked: 0, closed: 0, rated: 0, satisfied: 0 };
  for (const k of cases) for (const [m, d] of Object.entries(k.days)) if (d && d >= from && d <= to) c[m as Metric]++;
  return c;
}

function expectGroup(label: string, got: { counts: Record<string, Count>; rates: Record<string, { numerator: Count; denominator: Count; value: number | null }> }, want: Record<Metric, number>) {
  for (const m of FLOW) expect(got.counts[m]!.value, `${label} ${m}`).toBe(want[m]);
  for (const [name, [num, den]] of Object.entries(RATES)) {
    const r = got.rates[name]!;
    expect([r.numerator.value, r.denominator.value], `${label} ${name}`).toEqual([want[num], want[den]]);
    expect(r.value, `${label} ${name} value`).toBe(want[den] ? want[num] / want[den] : null);
  }
}

const keyOf: Record<string, (c: NaiveCase) => string> = {
  category: (c) => String(c.topCategory),
  source: (c) => c.source,
  grid: (c) => String(c.gridId ?? ''),
  community: (c) => String(c.community ?? ''),
  department: (c) => String(c.departmentId),
};

async function compareWithNaive(user: string, all: Map<number, NaiveCase>, visible: Set<number>, q: { from: string; to: string; groupBy: string; bucket: TrendBucket }) {
  const s = ok(await w.u[user]!.get(`/api/stats/summary?from=${q.from}&to=${q.to}&groupBy=${q.groupBy}&bucket=${q.bucket}`)) as StatsSummary;
  const mine = [...visible].map((id) => all.get(id)!);
  const at = new Date(s.asOf);
  const label = `${user} ${JSON.stringify(q)} seed=${SEED}`;
  expectGroup(`${label} totals`, { counts: s.totals, rates: s.rates }, tally(mine, q.from, q.to));
  expect(s.totals.open.value, `${label} open`).toBe(mine.filter((c) => OPEN.includes(c.state)).length);
  expect(s.totals.overdue.value, `${label} overdue`).toBe(mine.filter((c) => ['dispatched', 'in_progress', 'handled'].includes(c.state) && c.dueAt && c.dueAt <= at).length);
  // trend
  let days = 0;
  for (const item of s.trend.items) {
    expect(bucketStart(item.start, q.bucket), `${label} bucket start`).toBe(bucketStart(item.end, q.bucket));
    expectGroup(`${label} trend ${item.start}`, item, tally(mine, item.start, item.end));
    days += (Date.parse(item.end) - Date.parse(item.start)) / 86_400_000 + 1;
  }
  expect(days).toBe(s.period.days);
  // breakdown: every group with something to count is there, with the naive numbers
  const groups = new Map<string, NaiveCase[]>();
  for (const c of mine) groups.set(keyOf[q.groupBy]!(c), [...(groups.get(keyOf[q.groupBy]!(c)) ?? []), c]);
  const items = new Map(s.breakdown.items.map((i) => [i.key, i]));
  for (const [key, cs] of groups) {
    const want = tally(cs, q.from, q.to);
    const open = cs.filter((c) => OPEN.includes(c.state)).length;
    if (Object.values(want).every((n) => n === 0) && open === 0) continue;
    const item = items.get(key);
    expect(item, `${label} breakdown ${key} present`).toBeDefined();
    expectGroup(`${label} breakdown ${key}`, item!, want);
    expect(item!.counts.open.value, `${label} breakdown ${key} open`).toBe(open);
  }
  for (const item of s.breakdown.items) {
    if (!groups.has(item.key)) for (const m of FLOW) expect(item.counts[m].value, `${label} breakdown ${item.key} ${m} empty`).toBe(0);
  }
  // ranking counts
  for (const g of s.ranking.grids) expectGroup(`${label} grid ${g.id}`, g, tally(mine.filter((c) => c.gridId === g.id), q.from, q.to));
  for (const d of s.ranking.departments) expectGroup(`${label} department ${d.id}`, d, tally(mine.filter((c) => c.departmentId === d.id), q.from, q.to));
  return s;
}

/** Every filter in a summary, listed: the list's total must equal the number. */
async function compareWithList(user: string, s: StatsSummary) {
  const checks: [string, Count][] = [];
  for (const [k, v] of Object.entries(s.totals)) checks.push([`totals.${k}`, v]);
  for (const [k, r] of Object.entries(s.rates)) checks.push([`rates.${k}.numerator`, r.numerator], [`rates.${k}.denominator`, r.denominator]);
  for (const t of s.trend.items.slice(0, 6)) for (const [k, v] of Object.entries(t.counts)) checks.push([`trend.${t.start}.${k}`, v]);
  for (const i of s.breakdown.items) {
    for (const [k, v] of Object.entries(i.counts)) checks.push([`breakdown.${i.key}.${k}`, v]);
    for (const [k, r] of Object.entries(i.rates)) checks.push([`breakdown.${i.key}.${k}.numerator`, r.numerator]);
  }
  for (const g of s.ranking.grids.slice(0, 4)) checks.push([`grid.${g.id}.handled`, g.counts.handled], [`grid.${g.id}.onTime`, g.rates.onTime.numerator]);
  for (const d of s.ranking.departments) checks.push([`department.${d.id}.closed`, d.counts.closed], [`department.${d.id}.satisfied`, d.rates.satisfaction.numerator]);
  let compared = 0;
  for (const [name, c] of checks) {
    if (!c.filter) continue;
    const qs = new URLSearchParams({ ...c.filter, pageSize: '1' }).toString();
    const l = ok(await w.u[user]!.get(`/api/cases?${qs}`)) as CaseList;
    expect(l.total, `${user} ${name} ?${qs}`).toBe(c.value);
    compared++;
  }
  return compared;
}

const today = () => shanghaiDay(new Date());

describe('statistics equal direct counts', () => {
  it('every number equals a naive count over the cases and their timelines, for random users, periods, groupings and buckets', async () => {
    const all = await naiveCases();
    const visible = new Map<string, Set<number>>();
    for (const u of USERS) visible.set(u, await visibleIds(u));
    expect(visible.get('leader')!.size).toBeGreaterThan(100);
    // The data covers what the definitions distinguish (so the comparison is not vacuous).
    const { rows } = await sql<Record<string, number>>`
      SELECT count(*) FILTER (WHERE f.handled_on_time = false)::int AS late, count(*) FILTER (WHERE c.rework_count > 0)::int AS reworked,
             count(*) FILTER (WHERE c.life > 1)::int AS reopened, count(*) FILTER (WHERE c.state = 'merged' OR c.master_id IS NOT NULL)::int AS merged,
             count(*) FILTER (WHERE c.state = 'rejected')::int AS rejected, count(*) FILTER (WHERE c.rating IS NOT NULL)::int AS rated,
             count(*) FILTER (WHERE c.routing->'grid'->>'reason' = 'operator')::int AS routed
      FROM cases c JOIN case_facts f ON f.case_id = c.id`.execute(p.db);
    for (const [k, n] of Object.entries(rows[0]!)) expect(n, k).toBeGreaterThan(0);
    const period = fc
      .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
      .map(([a, b]) => [addDays(today(), -Math.max(a, b) + 3), addDays(today(), -Math.min(a, b) + 3)] as const);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...USERS),
        period,
        fc.constantFrom('category', 'source', 'grid', 'community', 'department'),
        fc.constantFrom('day' as const, 'week' as const, 'month' as const),
        async (user, [from, to], groupBy, bucket) => {
          await compareWithNaive(user, all, visible.get(user)!, { from, to, groupBy, bucket });
        },
      ),
      { numRuns: Number(process.env.STATS_RUNS ?? 30), seed: SEED },
    );
    // the default period: this month so far
    const s = ok(await w.u.leader!.get('/api/stats/summary')) as StatsSummary;
    expect(s.period).toMatchObject({ from: `${today().slice(0, 7)}-01`, to: today(), timezone: 'Asia/Shanghai' });
  });

  it('every number lists exactly: the case list under its filter has that total', async () => {
    const from = addDays(today(), -75);
    const to = today();
    let compared = 0;
    for (const [user, groupBy, bucket] of [
      ['leader', 'category', 'week'],
      ['operator', 'grid', 'month'],
      ['chengguan', 'department', 'week'],
      ['gridworker', 'source', 'day'],
      ['leader', 'community', 'month'],
      ['admin', 'department', 'month'],
    ] as const) {
      const s = ok(await w.u[user]!.get(`/api/stats/summary?from=${from}&to=${to}&groupBy=${groupBy}&bucket=${bucket}`)) as StatsSummary;
      compared += await compareWithList(user, s);
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('the rollup kept by triggers equals the rollup rebuilt from the cases', async () => {
    const live = await rollupSnapshot(p.db);
    const liveOpen = await openSnapshot(p.db);
    await rebuildRollup(p.db);
    expect(await rollupSnapshot(p.db)).toEqual(live);
    expect(live.length).toBeGreaterThan(100);
    // open cases now (stats_open, 0027): kept by the same writes, rebuilt by the same function
    expect(await openSnapshot(p.db)).toEqual(liveOpen);
    expect(liveOpen.length).toBeGreaterThan(10);
  });
});

describe('statistics follow the cases as they move', () => {
  it('every move shows at once, in the same transaction as the move', async () => {
    const q = `/api/stats/summary?from=${today()}&to=${today()}&groupBy=department`;
    const before = ok(await w.u.leader!.get(q)) as StatsSummary;
    const c = await walkTo(w, 'closed');
    await moveOk(w.u.operator!, c, 'evaluate', { rating: 5 });
    const after = ok(await w.u.leader!.get(q)) as StatsSummary;
    for (const m of FLOW) expect(after.totals[m].value, m).toBe(before.totals[m].value + 1);
    expect(after.rates.satisfaction.numerator.value).toBe(before.rates.satisfaction.numerator.value + 1);
    expect(after.rates.closure.numerator.value).toBe(before.rates.closure.numerator.value + 1);
    const cg = (s: StatsSummary) => s.breakdown.items.find((i) => i.key === String(w.departments.get('CG')))!.counts.closed.value;
    expect(cg(after)).toBe(cg(before) + 1);
    const live = await rollupSnapshot(p.db);
    const liveOpen = await openSnapshot(p.db);
    await rebuildRollup(p.db);
    expect(await rollupSnapshot(p.db)).toEqual(live);
    expect(await openSnapshot(p.db)).toEqual(liveOpen);
  });
});

describe('scope', () => {
  it("a grid worker's statistics hold its grid's cases (and its own reports), never another grid's", async () => {
    const q = `/api/stats/summary?from=${addDays(today(), -120)}&to=${today()}&groupBy=grid`;
    const mine = ok(await w.u.gridworker!.get(q)) as StatsSummary;
    const other = ok(await w.u.gridworker2!.get(q)) as StatsSummary;
    const g1 = w.grids.get(GRID_1) as unknown as { properties: { id: number } };
    const g2 = w.grids.get(GRID_2) as unknown as { properties: { id: number } };
    const reported = (s: StatsSummary, gridId: number) => s.breakdown.items.find((i) => i.key === String(gridId))?.counts.reported.value ?? 0;
    const before2 = reported(mine, g2.properties.id);
    // A report in grid 2 by its own worker changes grid 2's numbers for gridworker2 and nothing for gridworker.
    await reportAt(w, w.u.gridworker2!, GRID_2);
    const mineAfter = ok(await w.u.gridworker!.get(q)) as StatsSummary;
    const otherAfter = ok(await w.u.gridworker2!.get(q)) as StatsSummary;
    expect(mineAfter.totals.reported.value).toBe(mine.totals.reported.value);
    expect(reported(mineAfter, g2.properties.id)).toBe(before2);
    expect(otherAfter.totals.reported.value).toBe(other.totals.reported.value + 1);
    // Everything the grid worker counts lies in its grid or was reported by it.
    const ids = await visibleIds('gridworker');
    const outside = await p.db.selectFrom('cases').select('id').where('grid_id', 'is distinct from', g1.properties.id).execute();
    const me = (await p.db.selectFrom('users').select('id').where('username', '=', 'gridworker').executeTakeFirstOrThrow()).id;
    const ownElsewhere = new Set((await p.db.selectFrom('cases').select('id').where('reporter_id', '=', me).execute()).map((r) => r.id));
    for (const { id } of outside) if (ids.has(id)) expect(ownElsewhere.has(id)).toBe(true);
    expect(mineAfter.ranking.grids.map((g) => g.id)).toEqual([g1.properties.id]);
  });

  it('a citizen counts only its own reports; an invalid period is refused', async () => {
    const s = ok(await w.u.citizen!.get(`/api/stats/summary?from=${addDays(today(), -120)}&to=${today()}`)) as StatsSummary;
    expect(s.totals.reported.value).toBe((await visibleIds('citizen')).size);
    const bad = await w.u.leader!.get(`/api/stats/summary?from=${today()}&to=${addDays(today(), -1)}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('stats_period_invalid');
    expect((await w.u.leader!.get('/api/stats/summary?groupBy=street')).statusCode).toBe(400);
  });
});
