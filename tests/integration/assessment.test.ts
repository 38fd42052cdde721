// Assessment on a randomly seeded street (every case and patrol made through the real services): every indicator of
// every grid, community, department and grid worker equals a direct count over the case timelines, events, check-ins
// and patrols; a published ranking does not change when a case of its month moves afterwards, and a correction is a
// new edition with its reason, both kept; the .xlsx holds the screen's numbers, neutralised.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { seedDemo } from '../../src/seed/demo.js';
import { buildApp } from '../../src/server/app.js';
import { addDays, shanghaiDay } from '../../src/domain/stats/stats.js';
import { BASE_COUNTS, INDICATOR_BY_ID, parsePeriod, weekKey, zeroBase, type BaseCounts, type IndicatorId, type UnitKind } from '../../src/domain/assessment/indicators.js';
import { sheetValue } from '../../src/services/assessment/xlsx.js';
import { login, openTestDb, type Client, type TestPlatform } from '../support/platform.js';
import { GRID_1, moveOk, ok, refused, type World } from '../support/factories.js';
import { randomCases, randomHazards, randomPatrols } from '../support/random-cases.js';
import type { Actor } from '../../src/domain/access.js';
import { reportCase } from '../../src/services/cases/cases.js';
import { moveCase } from '../../src/services/cases/moves.js';

const SEED = Number(process.env.ASSESSMENT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const USERS = ['leader', 'operator', 'admin', 'gridworker', 'chengguan'] as const;
let p: TestPlatform;
let w: World;

beforeAll(async () => {
  console.info(`assessment test: ASSESSMENT_SEED=${SEED}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gridwork-assessment-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const { db, drop } = await openTestDb();
  await seedDemo(db, { now: new Date(), cases: 60 });
  await randomCases(db, Number(process.env.ASSESSMENT_CASES ?? 90), SEED);
  await randomPatrols(db, 2, SEED);
  await randomHazards(db, Number(process.env.ASSESSMENT_HAZARDS ?? 40), SEED);
  const app = await buildApp({ db, config });
  await app.ready();
  p = { db, app, config, dataDir, close: async () => (await app.close(), await drop(), rmSync(dataDir, { recursive: true, force: true })) };
  const u: Record<string, Client> = {};
  for (const name of USERS) u[name] = await login(app, name);
  const grids = new Map((ok(await u.leader!.get('/api/grids')) as { features: { properties: { code: string; id: number } }[] }).features.map((f) => [f.properties.code, f as never]));
  const departments = new Map((ok(await u.leader!.get('/api/departments')) as { id: number; code: string }[]).map((d) => [d.code, d.id]));
  const categories = ok(await u.leader!.get('/api/categories')) as { id: number; code: string }[];
  w = { p, u, grids, departments, categoryId: categories.find((c) => c.code === '0101')!.id };
}, 600_000);
afterAll(async () => p?.close());

// --- the naive side --------------------------------------------------------------------------------------------

type Milestone = 'reported' | 'accepted' | 'accepted_closed' | 'handled' | 'handled_on_time' | 'handled_reworked' | 'closed' | 'rated' | 'satisfied';
interface NaiveCase {
  gridId: number | null;
  areaPath: string;
  departmentId: number | null;
  reporterId: number;
  days: Partial<Record<Milestone, string>>;
}

/** Every case with the days it counts at, from its timeline (case_events), not from case_facts or the rollup. */
async function naiveCases(): Promise<NaiveCase[]> {
  const { rows } = await sql<Record<string, any>>`
    SELECT c.id, c.state, c.grid_id, c.area_path, c.department_id, c.reporter_id, c.rework_count, c.reported_at, c.closed_at, c.master_id, c.rated_at, c.rating,
           (SELECT min(e.at) FROM case_events e WHERE e.case_id = c.id AND e.move = 'accept') AS accepted_at,
           h.at AS handled_at, h.move AS handled_move,
           (SELECT e.deadline FROM case_events e WHERE e.case_id = c.id AND e.id < h.id AND e.deadline IS NOT NULL ORDER BY e.id DESC LIMIT 1) AS deadline_then
    FROM cases c
    LEFT JOIN LATERAL (SELECT e.id, e.at, e.move FROM case_events e WHERE e.case_id = c.id AND e.move IN ('handle', 'fix_on_spot') ORDER BY e.at, e.id LIMIT 1) h ON true`.execute(p.db);
  return rows.map((r) => {
    const day = (d: Date | null) => (d ? shanghaiDay(new Date(d)) : undefined);
    const days: NaiveCase['days'] = { reported: day(r.reported_at) };
    if (r.accepted_at) {
      days.accepted = day(r.accepted_at);
      if (r.state === 'closed') days.accepted_closed = days.accepted;
    }
    if (r.handled_at) {
      days.handled = day(r.handled_at);
      if (r.handled_move === 'fix_on_spot' || r.deadline_then == null || new Date(r.handled_at) <= new Date(r.deadline_then)) days.handled_on_time = days.handled;
      if (r.rework_count > 0) days.handled_reworked = days.handled;
    }
    if (r.state === 'closed' && r.master_id == null) days.closed = day(r.closed_at);
    if (r.rating != null) {
      days.rated = day(r.rated_at);
      if (r.rating >= 4) days.satisfied = days.rated;
    }
    return { gridId: r.grid_id, areaPath: r.area_path, departmentId: r.department_id, reporterId: r.reporter_id, days };
  });
}

interface Raw {
  cases: NaiveCase[];
  events: { move: string; at: Date; actor_id: number; grid_id: number | null; area_path: string }[];
  checkins: { user_id: number; grid_id: number; grid_path: string; at: Date }[];
  patrols: { user_id: number; started_at: Date; distance_m: number }[];
  communities: { id: number; path: string }[];
  /** A-class grids in use */
  grids: { id: number; path: string }[];
  /** every hazard with a notice: the deadline the notice set and its first passed re-inspection, from its timeline */
  hazards: { grid_id: number; area_path: string; deadline: Date; passed_at: Date | null }[];
}

async function raw(): Promise<Raw> {
  return {
    cases: await naiveCases(),
    events: (
      await sql<Raw['events'][number]>`SELECT e.move, e.at, e.actor_id, c.grid_id, c.area_path FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE e.move IN ('fix_on_spot', 'verify_pass', 'verify_fail')`.execute(p.db)
    ).rows,
    checkins: await p.db.selectFrom('patrol_checkins').select(['user_id', 'grid_id', 'grid_path', 'at']).execute(),
    patrols: await p.db.selectFrom('patrols').select(['user_id', 'started_at', 'distance_m']).execute(),
    communities: await p.db.selectFrom('divisions').select(['id', 'path']).where('level', 'in', ['community', 'village']).execute(),
    grids: await p.db.selectFrom('grids').select(['id', 'path']).where('grid_class', '=', 'A').where('retired_at', 'is', null).execute(),
    hazards: await hazardTimelines(),
  };
}

/** The hazards' notices and re-inspections read from each hazard's event history, in JavaScript. */
async function hazardTimelines(): Promise<Raw['hazards']> {
  const hazards = await p.db.selectFrom('hazards').select(['id', 'grid_id', 'area_path']).execute();
  const events = await p.db.selectFrom('hazard_events').select(['hazard_id', 'move', 'at', 'data']).orderBy('id').execute();
  const out: Raw['hazards'] = [];
  for (const h of hazards) {
    const mine = events.filter((e) => e.hazard_id === h.id);
    const notice = mine.find((e) => e.move === 'issue_notice');
    if (!notice) continue;
    const passed = mine.find((e) => e.move === 'reinspect_pass');
    out.push({ grid_id: h.grid_id, area_path: h.area_path, deadline: new Date((notice.data as { deadline: string }).deadline), passed_at: passed ? new Date(passed.at) : null });
  }
  return out;
}

/** One unit's base counts, counted the slow way: a loop over everything, per unit. */
function naiveUnit(r: Raw, unit: UnitKind, id: number, from: string, to: string, area: string | null): BaseCounts {
  const c = zeroBase();
  const inDays = (d: string | undefined) => d != null && d >= from && d <= to;
  const inArea = (path: string) => !area || path.startsWith(area);
  const community = (path: string) => r.communities.find((d) => path.startsWith(d.path))?.id ?? null;
  if (unit === 'grid_worker') {
    for (const k of r.cases) if (k.reporterId === id && inDays(k.days.reported)) c.reported++;
    for (const e of r.events) {
      if (e.actor_id !== id || !inDays(shanghaiDay(e.at))) continue;
      if (e.move === 'fix_on_spot') c.fixed_on_spot++;
      else c.verifications++;
    }
    const days = new Set<string>();
    for (const k of r.checkins) if (k.user_id === id && inDays(shanghaiDay(k.at))) (c.checkins++, days.add(shanghaiDay(k.at)));
    c.patrol_days = days.size;
    for (const x of r.patrols) if (x.user_id === id && inDays(shanghaiDay(x.started_at))) c.patrol_m += x.distance_m;
    return c;
  }
  const mine = (gridId: number | null, path: string, dep: number | null) =>
    inArea(path) && (unit === 'grid' ? gridId === id : unit === 'department' ? dep === id : community(path) === id);
  for (const k of r.cases) {
    if (!mine(k.gridId, k.areaPath, k.departmentId)) continue;
    for (const [m, d] of Object.entries(k.days)) if (inDays(d)) c[m as Milestone]++;
  }
  if (unit !== 'department') {
    for (const e of r.events) if (e.move === 'fix_on_spot' && inDays(shanghaiDay(e.at)) && mine(e.grid_id, e.area_path, null)) c.fixed_on_spot++;
    const days = new Set<string>();
    for (const k of r.checkins) if (inDays(shanghaiDay(k.at)) && mine(k.grid_id, k.grid_path, null)) (c.checkins++, days.add(shanghaiDay(k.at)));
    c.patrol_days = days.size;
    for (const g of r.grids) {
      if (!mine(g.id, g.path, null)) continue;
      c.grids_total++;
      if (r.checkins.some((k) => k.grid_id === g.id && inDays(shanghaiDay(k.at)))) c.grids_patrolled++;
    }
    for (const h of r.hazards) {
      if (!inDays(shanghaiDay(h.deadline)) || !mine(h.grid_id, h.area_path, null)) continue;
      c.hazards_due++;
      if (h.passed_at && h.passed_at <= h.deadline) c.hazards_on_time++;
    }
  }
  return c;
}

interface TableRow {
  unitId: number;
  code: string;
  name: string;
  counts: BaseCounts;
  values: Partial<Record<IndicatorId, number | null>>;
}

const today = () => shanghaiDay(new Date());
const month = (back: number) => {
  const d = new Date(`${today().slice(0, 7)}-15T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - back);
  return d.toISOString().slice(0, 7);
};

describe('indicators equal direct counts', () => {
  it('every indicator of every unit, for months, a quarter, a week and a year, for the street and for everything', async () => {
    const r = await raw();
    expect(r.checkins.length).toBeGreaterThan(10);
    expect(r.events.filter((e) => e.move === 'fix_on_spot').length).toBeGreaterThan(0);
    // hazards due with both outcomes, so the on-time rate is tested on both sides
    expect(r.hazards.filter((h) => h.passed_at && h.passed_at <= h.deadline).length).toBeGreaterThan(0);
    expect(r.hazards.filter((h) => !h.passed_at || h.passed_at > h.deadline).length).toBeGreaterThan(0);
    const leaderScope = (await p.db.selectFrom('users').select('scope_paths').where('username', '=', 'leader').executeTakeFirstOrThrow()).scope_paths[0]!;
    const q = Math.floor((Number(today().slice(5, 7)) - 1) / 3) + 1;
    const periods = [month(0), month(1), month(2), month(3), `${today().slice(0, 4)}-Q${q}`, weekKey(addDays(today(), -10)), today().slice(0, 4)];
    let compared = 0;
    let nonZero = 0;
    let hazardUnits = 0;
    for (const [user, area] of [['leader', leaderScope], ['admin', null]] as const) {
      for (const period of periods) {
        const { from, to } = parsePeriod(period)!;
        for (const unit of ['grid', 'community', 'department', 'grid_worker'] as const) {
          const t = ok(await w.u[user]!.get(`/api/assessment/indicators?unit=${unit}&period=${period}`)) as { rows: TableRow[]; indicators: { id: IndicatorId }[] };
          expect(t.rows.length, `${user} ${unit}`).toBeGreaterThan(0);
          for (const row of t.rows) {
            const want = naiveUnit(r, unit, row.unitId, from, to, area);
            const label = `${user} ${period} ${unit} ${row.code} seed=${SEED}`;
            for (const k of BASE_COUNTS) {
              if (k === 'patrol_m') expect(row.counts[k], `${label} ${k}`).toBeCloseTo(want[k], 3);
              else expect(row.counts[k], `${label} ${k}`).toBe(want[k]);
            }
            for (const i of t.indicators) {
              const def = INDICATOR_BY_ID[i.id];
              if (def.kind === 'rate') expect(row.values[i.id], `${label} ${i.id}`).toBe(want[def.denominator!] ? want[def.numerator] / want[def.denominator!] : null);
              if (i.id === 'overdue') expect(row.values.overdue).toBe(want.handled - want.handled_on_time);
            }
            compared++;
            if (want.reported || want.checkins) nonZero++;
            if (want.hazards_due) hazardUnits++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(200);
    expect(nonZero).toBeGreaterThan(50);
    expect(hazardUnits).toBeGreaterThan(5);
  });

  it('definitions (口径) are served with every table; bad periods are refused with a message', async () => {
    const d = ok(await w.u.leader!.get('/api/assessment/definitions')) as { indicators: { id: string; definition: Record<string, string> }[] };
    for (const i of d.indicators) expect(i.definition["zh-CN"]!.length).toBeGreaterThan(10);
    const bad = refused(await w.u.leader!.get('/api/assessment/indicators?unit=grid&period=2026-13'), 400, 'assessment_period_invalid');
    expect(bad.message).toContain('2026-13');
    refused(await w.u.chengguan!.get(`/api/assessment/indicators?unit=grid&period=${month(0)}`), 403, 'forbidden');
  });
});

interface RankingView {
  id: number;
  state: string;
  version: number;
  edition: number;
  reason: string | null;
  rows: { unitId: number; code: string; name: string; score: number | null; rank: number | null; ranked: boolean; board: string | null; values: Record<string, number | null> }[];
  editions: { id: number; edition: number; state: string; reason: string | null }[];
  timeline: { move: string; to: string; note: string | null }[];
  allowedMoves: string[];
}

describe('monthly ranking', () => {
  it('a published month does not change when a case of that month moves afterwards; a correction is a new edition with its reason', async () => {
    const m = month(1);
    // A case reported and accepted last month, walked to 'verified' then (through the services, at past instants).
    const actor = async (username: string): Promise<Actor> => {
      const u = await p.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
      return { id: u.id, role: u.role, scopePaths: u.scope_paths, departmentId: u.department_id };
    };
    const grid = await p.db.selectFrom('grids').select(['id', 'path', 'label_lng', 'label_lat']).where('code', '=', GRID_1).executeTakeFirstOrThrow();
    const community = (await p.db.selectFrom('divisions').select(['id', 'path']).where('level', 'in', ['community', 'village']).execute()).find((d) => grid.path.startsWith(d.path))!;
    let t = Date.parse(`${m}-10T09:00:00+08:00`);
    const at = () => new Date((t += 3_600_000));
    const ctxOf = async (u: string) => ({ db: p.db, actor: await actor(u), ip: null, now: at() });
    const id = (await reportCase(await ctxOf('gridworker'), { lng: grid.label_lng, lat: grid.label_lat, categoryId: w.categoryId, description: '上月案件', photos: [], fixedOnSpot: false }));
    const version = async () => (await p.db.selectFrom('cases').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
    await moveCase(await ctxOf('operator'), id, 'accept', { version: await version(), photos: [] });
    await moveCase(await ctxOf('operator'), id, 'dispatch', { version: await version(), photos: [], departmentId: w.departments.get('CG')! });
    await moveCase(await ctxOf('chengguan'), id, 'sign', { version: await version(), photos: [] });
    await moveCase(await ctxOf('chengguan'), id, 'handle', { version: await version(), photos: [], note: '已清理' });
    await moveCase(await ctxOf('gridworker'), id, 'verify_pass', { version: await version(), photos: [] });

    const draft = ok(await w.u.operator!.post('/api/assessment/rankings', { period: m, unit: 'community' }), 201) as RankingView;
    expect(draft.state).toBe('draft');
    expect(draft.allowedMoves).toEqual(['recompute', 'discard']); // an operator prepares, a leader publishes
    refused(await w.u.operator!.post(`/api/assessment/rankings/${draft.id}/moves/publish`, { version: draft.version }), 403, 'move_forbidden_for_role');
    const published = ok(await w.u.leader!.post(`/api/assessment/rankings/${draft.id}/moves/publish`, { version: draft.version })) as RankingView;
    expect(published.state).toBe('published');
    expect(published.rows.some((r) => r.ranked)).toBe(true);
    const frozen = JSON.stringify(published.rows);

    // The case of that month is closed now: last month's closure rate of its community changes in the live table.
    const before = ok(await w.u.leader!.get(`/api/assessment/indicators?unit=community&period=${m}`)) as { rows: TableRow[] };
    const detail = ok(await w.u.leader!.get(`/api/cases/${id}`));
    await moveOk(w.u.operator!, detail, 'close');
    const after = ok(await w.u.leader!.get(`/api/assessment/indicators?unit=community&period=${m}`)) as { rows: TableRow[] };
    const mine = (x: { rows: TableRow[] }) => x.rows.find((r) => r.unitId === community.id)!;
    expect(mine(after).counts.accepted_closed).toBe(mine(before).counts.accepted_closed + 1);
    expect(mine(after).values.closure_rate).not.toBe(mine(before).values.closure_rate);

    const again = ok(await w.u.leader!.get(`/api/assessment/rankings/${draft.id}`)) as RankingView;
    expect(JSON.stringify(again.rows)).toBe(frozen);
    refused(await w.u.leader!.post(`/api/assessment/rankings/${draft.id}/moves/recompute`, { version: again.version }), 409, 'move_not_allowed_in_state');
    // a second published edition of the same month only through a correction
    const other = ok(await w.u.leader!.post('/api/assessment/rankings', { period: m, unit: 'community' }), 201) as RankingView;
    refused(await w.u.leader!.post(`/api/assessment/rankings/${other.id}/moves/publish`, { version: other.version }), 409, 'assessment_already_published');
    ok(await w.u.leader!.post(`/api/assessment/rankings/${other.id}/moves/discard`, { version: other.version }));

    // correction: a reason is required; the new edition has today's numbers, the old one is kept as it was
    refused(await w.u.leader!.post(`/api/assessment/rankings/${draft.id}/moves/correct`, { version: again.version }), 422, 'move_needs_note');
    const corrected = ok(await w.u.leader!.post(`/api/assessment/rankings/${draft.id}/moves/correct`, { version: again.version, note: '补录漏报案件' })) as RankingView;
    expect(corrected.id).not.toBe(draft.id);
    expect(corrected).toMatchObject({ state: 'published', edition: 2, reason: '补录漏报案件' });
    const closure = (v: RankingView) => v.rows.find((r) => r.unitId === community.id)!.values.closure_rate;
    expect(closure(again)).toBe(mine(before).values.closure_rate);
    expect(closure(corrected)).toBe(mine(after).values.closure_rate);
    expect(corrected.editions.map((e) => [e.edition, e.state])).toEqual([[1, 'corrected'], [2, 'published']]);
    const old = ok(await w.u.leader!.get(`/api/assessment/rankings/${draft.id}`)) as RankingView;
    expect(old.state).toBe('corrected');
    expect(JSON.stringify(old.rows)).toBe(frozen);
    expect(old.timeline.map((e) => e.move)).toEqual(['draft', 'publish', 'correct', 'publish']);
    const audit = await p.db.selectFrom('audit_log').select('action').where('target_type', '=', 'assessment_ranking').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['ranking.draft', 'ranking.publish', 'ranking.correct', 'ranking.discard']));
  });

  it('the scheme decides scores, minimum volume, boards; only an administrator defines it', async () => {
    const year = Number(today().slice(0, 4));
    refused(await w.u.leader!.send('PUT', `/api/assessment/schemes/${year}`, {}), 403, 'forbidden');
    const bad = refused(
      await w.u.admin!.send('PUT', `/api/assessment/schemes/${year}`, {
        items: [{ indicator: 'on_time_rate', weight: 50 }, { indicator: 'on_time_rate', weight: 50 }],
        penaltyPerOverdue: 1, bonusPerFixOnSpot: 0, minVolume: 0, tie: 'shared', boardSize: 2,
      }),
      400,
      'assessment_scheme_invalid',
    );
    expect(bad.message).toContain('on_time_rate');
    ok(
      await w.u.admin!.send('PUT', `/api/assessment/schemes/${year}`, {
        items: [{ indicator: 'on_time_rate', weight: 100 }], penaltyPerOverdue: 2, bonusPerFixOnSpot: 0, minVolume: 1_000, tie: 'shared', boardSize: 2,
      }),
    );
    const r = ok(await w.u.leader!.post('/api/assessment/rankings', { period: month(1), unit: 'grid' }), 201) as RankingView;
    expect(r.rows.length).toBeGreaterThan(10);
    expect(r.rows.every((x) => !x.ranked && x.rank == null)).toBe(true); // all below the minimum volume: listed, not ranked
    ok(await w.u.admin!.send('PUT', `/api/assessment/schemes/${year}`, { items: [{ indicator: 'on_time_rate', weight: 100 }], penaltyPerOverdue: 2, bonusPerFixOnSpot: 0, minVolume: 0, tie: 'shared', boardSize: 2 }));
    const r2 = ok(await w.u.leader!.post(`/api/assessment/rankings/${r.id}/moves/recompute`, { version: r.version })) as RankingView;
    const ranked = r2.rows.filter((x) => x.ranked);
    expect(ranked.length).toBeGreaterThan(0);
    for (const x of ranked) {
      const onTime = x.values.on_time_rate!;
      expect(x.score).toBeCloseTo(Math.round((onTime * 100 - 2 * x.values.overdue!) * 10) / 10, 5);
    }
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.score!).toBeLessThanOrEqual(ranked[i - 1]!.score!);
    expect(ranked.filter((x) => x.board === 'red').length).toBeGreaterThanOrEqual(Math.min(2, ranked.length));
  });
});

describe('grid-worker points', () => {
  it('the leaderboard of a grid worker covers the workers of its street, with points from the indicator counts', async () => {
    const m = month(1);
    const board = ok(await w.u.gridworker!.get(`/api/assessment/points?period=${m}`)) as {
      me: number;
      rules: { perReport: number; perVerification: number; perPatrolDay: number; perFixOnSpot: number };
      rows: { userId: number; points: number; rank: number }[];
    };
    const table = ok(await w.u.leader!.get(`/api/assessment/indicators?unit=grid_worker&period=${m}`)) as { rows: TableRow[] };
    expect(board.rows.map((r) => r.userId).sort()).toEqual(table.rows.map((r) => r.unitId).sort());
    expect(board.rows.some((r) => r.userId === board.me)).toBe(true);
    const R = board.rules;
    for (const r of board.rows) {
      const c = table.rows.find((x) => x.unitId === r.userId)!.counts;
      expect(r.points).toBeCloseTo(c.reported * R.perReport + c.verifications * R.perVerification + c.patrol_days * R.perPatrolDay + c.fixed_on_spot * R.perFixOnSpot, 5);
    }
    for (let i = 1; i < board.rows.length; i++) {
      expect(board.rows[i]!.points).toBeLessThanOrEqual(board.rows[i - 1]!.points);
      if (board.rows[i]!.points === board.rows[i - 1]!.points) expect(board.rows[i]!.rank).toBe(board.rows[i - 1]!.rank);
    }
    expect(board.rows.some((r) => r.points > 0)).toBe(true);
    refused(await w.u.chengguan!.get(`/api/assessment/points?period=${m}`), 403, 'forbidden');
  });
});

describe('exports', () => {
  async function sheet(res: { statusCode: number; rawPayload: Buffer; headers: Record<string, unknown> }) {
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.getWorksheet('考核')!;
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  }

  it('the indicator table and a ranking download with the numbers of the screen, formulas neutralised', async () => {
    ok(await w.u.admin!.post('/api/departments', { code: 'EVIL', name: '=HYPERLINK("http://x","y")' }), 201);
    const m = month(1);
    const t = ok(await w.u.leader!.get(`/api/assessment/indicators?unit=department&period=${m}`)) as { rows: TableRow[]; indicators: { id: IndicatorId }[] };
    const rows = await sheet(await w.u.leader!.get(`/api/assessment/indicators/export?unit=department&period=${m}`));
    expect(rows.length).toBe(t.rows.length + 2);
    t.rows.forEach((r, k) => {
      const cells = rows[k + 2]!;
      expect(cells[0]).toBe(r.code);
      t.indicators.forEach((i, j) => expect(cells[2 + j] ?? null, `${r.code} ${i.id}`).toBe(sheetValue(i.id, r.values[i.id])));
    });
    expect(rows.some((c) => c[1] === `'=HYPERLINK("http://x","y")`)).toBe(true);

    const ranking = ok(await w.u.leader!.post('/api/assessment/rankings', { period: m, unit: 'department' }), 201) as RankingView;
    const rrows = await sheet(await w.u.leader!.get(`/api/assessment/rankings/${ranking.id}/export`));
    ranking.rows.forEach((r, k) => {
      const cells = rrows[k + 2]!;
      expect(cells[0]).toBe(r.code);
      const n = cells.length;
      void n;
    });
    const scoreCol = (rrows[1] as string[]).indexOf('得分');
    ranking.rows.forEach((r, k) => expect(rrows[k + 2]![scoreCol] ?? null).toBe(r.score));
  });
});
