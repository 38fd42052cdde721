// Assessment queries: the base counts of every unit of a kind for a period, set-based (one grouped query per source —
// case milestones through stats_atoms_of, fix-on-spot and verification events, check-ins, patrols — never a query
// per unit); schemes; ranking editions and their timeline; situation reports.
import { sql, type RawBuilder } from 'kysely';
import { addDays, dayStart, prefixEnd, splitPeriod } from '../../domain/stats/stats.js';
import { BASE_COUNTS, zeroBase, type BaseCounts, type UnitKind } from '../../domain/assessment/indicators.js';
import type { DbOrTx, Tx } from '../db.js';
import type { AssessmentRankingTable, AssessmentReportTable } from '../schema.js';
import type { Selectable } from 'kysely';

export interface UnitRef {
  id: number;
  code: string;
  name: string;
  /** the area path for grids and communities, the scope path for grid workers */
  path: string | null;
}

/** The units of a kind within an area (null: everywhere): active grids of class A, communities and villages, departments, active grid workers. */
export async function listUnits(db: DbOrTx, unit: UnitKind, area: string | null): Promise<UnitRef[]> {
  const under = (col: string) => (area ? sql`AND ${sql.ref(col)} LIKE ${`${area}%`}` : sql``);
  let q: RawBuilder<UnitRef>;
  switch (unit) {
    case 'grid':
      q = sql<UnitRef>`SELECT id, code, name, path FROM grids WHERE grid_class = 'A' AND retired_at IS NULL ${under('path')} ORDER BY code`;
      break;
    case 'community':
      q = sql<UnitRef>`SELECT id, code, name, path FROM divisions WHERE level IN ('community', 'village') ${under('path')} ORDER BY code`;
      break;
    case 'department':
      q = sql<UnitRef>`SELECT id, code, name, NULL AS path FROM departments WHERE retired_at IS NULL ORDER BY code`;
      break;
    case 'grid_worker':
      // a grid worker may hold several grids (0013_user_scopes.ts): within the area when one of them is; its path is the first
      q = sql<UnitRef>`SELECT id, username AS code, display_name AS name, scope_paths[1] AS path FROM users
                       WHERE role = 'grid_worker' AND disabled_at IS NULL
                       ${area ? sql`AND EXISTS (SELECT 1 FROM unnest(scope_paths) AS sp(p) WHERE sp.p LIKE ${`${area}%`})` : sql``} ORDER BY username`;
      break;
  }
  return (await q.execute(db)).rows;
}

const CASE_SUMS = sql.raw(
  ['reported', 'accepted', 'accepted_closed', 'handled', 'handled_on_time', 'handled_reworked', 'closed', 'rated', 'satisfied'].map((m) => `sum(a.${m})::int AS ${m}`).join(', '),
);

/**
 * Base counts of every unit of a kind over the days from..to (Beijing days, inclusive), for the cases whose area
 * lies under `area` (null: all). One grouped query per source of numbers; a unit with nothing counted is absent.
 */
export async function unitCounts(db: DbOrTx, unit: UnitKind, from: string, to: string, area: string | null): Promise<Map<number, BaseCounts>> {
  const a = dayStart(from);
  const b = dayStart(addDays(to, 1));
  const out = new Map<number, BaseCounts>();
  const add = (rows: Record<string, unknown>[]) => {
    for (const r of rows) {
      const id = Number(r.unit);
      const c = out.get(id) ?? zeroBase();
      for (const k of BASE_COUNTS) if (r[k] != null) c[k] += Number(r[k]);
      out.set(id, c);
    }
  };
  const inArea = (col: string) => (area ? sql`AND ${sql.ref(col)} LIKE ${`${area}%`}` : sql``);
  // communities and villages, by their path (the longest one an area path lies under)
  const communities = sql`(SELECT id, path FROM divisions WHERE level IN ('community', 'village'))`;

  if (unit === 'grid_worker') {
    // a grid worker with several grids (0013_user_scopes.ts) is in the area when one of its grids is
    const workers = sql`(SELECT id FROM users WHERE role = 'grid_worker'
      ${area ? sql`AND EXISTS (SELECT 1 FROM unnest(scope_paths) AS sp(p) WHERE sp.p LIKE ${`${area}%`})` : sql``})`;
    const reports = await sql<Record<string, unknown>>`
      SELECT reporter_id AS unit, count(*)::int AS reported FROM cases
      WHERE reported_at >= ${a} AND reported_at < ${b} AND reporter_id IN ${workers} GROUP BY reporter_id`.execute(db);
    const events = await sql<Record<string, unknown>>`
      SELECT actor_id AS unit, (count(*) FILTER (WHERE move = 'fix_on_spot'))::int AS fixed_on_spot,
             (count(*) FILTER (WHERE move IN ('verify_pass', 'verify_fail')))::int AS verifications
      FROM case_events WHERE at >= ${a} AND at < ${b} AND move IN ('fix_on_spot', 'verify_pass', 'verify_fail') AND actor_id IN ${workers}
      GROUP BY actor_id`.execute(db);
    const checkins = await sql<Record<string, unknown>>`
      SELECT user_id AS unit, count(*)::int AS checkins, count(DISTINCT gw_day(at))::int AS patrol_days FROM patrol_checkins
      WHERE at >= ${a} AND at < ${b} AND user_id IN ${workers} GROUP BY user_id`.execute(db);
    const patrols = await sql<Record<string, unknown>>`
      SELECT user_id AS unit, sum(distance_m)::float8 AS patrol_m FROM patrols
      WHERE started_at >= ${a} AND started_at < ${b} AND user_id IN ${workers} GROUP BY user_id`.execute(db);
    add(reports.rows);
    add(events.rows);
    add(checkins.rows);
    add(patrols.rows);
    return out;
  }

  // The case milestones come from the statistics rollup (kept by the cases' triggers, the same atoms as the
  // dashboard): month rows for the period's whole months, day rows for the loose days, summed by area path and
  // department — a few rows per grid instead of every case. Cases lie in their grid's path (src/services/cases/cases.ts).
  const split = splitPeriod(from, to);
  const days = split.partialMonths.flatMap((m) => m.days);
  const rollupRange = area ? sql`AND area_path >= ${area} AND area_path < ${prefixEnd(area)}` : sql``;
  const rollup = (group: 'area_path' | 'department_id') => sql`
    SELECT ${sql.raw(group)}, ${ROLLUP_SUMS} FROM (
      SELECT * FROM stats_rollup WHERE grain = 'm' AND dim = 't' AND bucket = ANY(${split.fullMonths}::date[]) ${rollupRange}
      UNION ALL
      SELECT * FROM stats_rollup WHERE grain = 'd' AND dim = 't' AND bucket = ANY(${days}::date[]) ${rollupRange}
    ) r GROUP BY ${sql.raw(group)}`;
  const fixes = sql`
    SELECT c.grid_id, c.area_path FROM case_events e JOIN cases c ON c.id = e.case_id
    WHERE e.move = 'fix_on_spot' AND e.at >= ${a} AND e.at < ${b} ${inArea('c.area_path')}`;
  const checkins = sql`SELECT grid_id, grid_path, gw_day(at) AS day FROM patrol_checkins WHERE at >= ${a} AND at < ${b} ${inArea('grid_path')}`;
  const hazards = hazardsDue(a, b, area);

  if (unit === 'grid') {
    add((await sql<Record<string, unknown>>`SELECT grid_id AS unit, count(*)::int AS hazards_due, sum(on_time)::int AS hazards_on_time FROM (${hazards}) x GROUP BY grid_id`.execute(db)).rows);
    add((await sql<Record<string, unknown>>`SELECT g.id AS unit, ${ROLLUP_SUMS_OF_P} FROM (${rollup('area_path')}) p JOIN grids g ON g.path = p.area_path GROUP BY g.id`.execute(db)).rows);
    add((await sql<Record<string, unknown>>`SELECT grid_id AS unit, count(*)::int AS fixed_on_spot FROM (${fixes}) x WHERE grid_id IS NOT NULL GROUP BY grid_id`.execute(db)).rows);
    add(
      (await sql<Record<string, unknown>>`SELECT grid_id AS unit, count(*)::int AS checkins, count(DISTINCT day)::int AS patrol_days FROM (${checkins}) x GROUP BY grid_id`.execute(db))
        .rows,
    );
    add(
      (
        await sql<Record<string, unknown>>`
        SELECT g.id AS unit, 1 AS grids_total, (g.id IN (SELECT grid_id FROM (${checkins}) x WHERE grid_id IS NOT NULL))::int AS grids_patrolled
        FROM grids g WHERE g.grid_class = 'A' AND g.retired_at IS NULL ${inArea('g.path')}`.execute(db)
      ).rows,
    );
  } else if (unit === 'department') {
    add((await sql<Record<string, unknown>>`SELECT department_id AS unit, ${ROLLUP_SUMS_OF_P} FROM (${rollup('department_id')}) p WHERE department_id <> 0 GROUP BY department_id`.execute(db)).rows);
  } else {
    // by area path first (a few rows per grid), then each path to its community through its prefixes (an equality
    // join on the community's path, where matching every path against every community would be quadratic)
    add(
      (
        await sql<Record<string, unknown>>`
        SELECT d.id AS unit, ${ROLLUP_SUMS_OF_P}
        FROM (${rollup('area_path')}) p ${prefixesOf('p.area_path')}
        JOIN ${communities} d ON d.path = pre.prefix
        GROUP BY d.id`.execute(db)
      ).rows,
    );
    add(
      (
        await sql<Record<string, unknown>>`
        SELECT d.id AS unit, sum(p.n)::int AS fixed_on_spot
        FROM (SELECT area_path, count(*) AS n FROM (${fixes}) x GROUP BY area_path) p ${prefixesOf('p.area_path')}
        JOIN ${communities} d ON d.path = pre.prefix
        GROUP BY d.id`.execute(db)
      ).rows,
    );
    add(
      (
        await sql<Record<string, unknown>>`
        SELECT d.id AS unit, sum(p.n)::int AS checkins, count(DISTINCT p.day)::int AS patrol_days
        FROM (SELECT grid_path, day, count(*) AS n FROM (${checkins}) x GROUP BY grid_path, day) p ${prefixesOf('p.grid_path')}
        JOIN ${communities} d ON d.path = pre.prefix
        GROUP BY d.id`.execute(db)
      ).rows,
    );
    add(
      (
        await sql<Record<string, unknown>>`
        SELECT d.id AS unit, sum(p.n)::int AS hazards_due, sum(p.on_time)::int AS hazards_on_time
        FROM (SELECT area_path, count(*) AS n, sum(on_time) AS on_time FROM (${hazards}) x GROUP BY area_path) p ${prefixesOf('p.area_path')}
        JOIN ${communities} d ON d.path = pre.prefix
        GROUP BY d.id`.execute(db)
      ).rows,
    );
    add(
      (
        await sql<Record<string, unknown>>`
        SELECT d.id AS unit, count(*)::int AS grids_total, (count(*) FILTER (WHERE g.id IN (SELECT grid_id FROM (${checkins}) x WHERE grid_id IS NOT NULL)))::int AS grids_patrolled
        FROM grids g ${prefixesOf('g.path')} JOIN ${communities} d ON d.path = pre.prefix
        WHERE g.grid_class = 'A' AND g.retired_at IS NULL ${inArea('g.path')}
        GROUP BY d.id`.execute(db)
      ).rows,
    );
  }
  return out;
}

const CASE_METRICS = ['reported', 'accepted', 'accepted_closed', 'handled', 'handled_on_time', 'handled_reworked', 'closed', 'rated', 'satisfied'];
const ROLLUP_SUMS = sql.raw(CASE_METRICS.map((m) => `sum(${m})::int AS ${m}`).join(', '));
const ROLLUP_SUMS_OF_P = sql.raw(CASE_METRICS.map((m) => `sum(p.${m})::int AS ${m}`).join(', '));

/**
 * The hazards whose rectification notice set a deadline in [a, b) — the deadline the notice event recorded, before
 * any extension — with on_time 1 when the re-inspection passed at or before it (隐患按期整改率, its definition in
 * src/domain/assessment/indicators.ts).
 */
function hazardsDue(a: Date, b: Date, area: string | null) {
  return sql`
    SELECT h.grid_id, h.area_path,
           (EXISTS (SELECT 1 FROM hazard_events p WHERE p.hazard_id = h.id AND p.move = 'reinspect_pass' AND p.at <= n.deadline))::int AS on_time
    FROM (SELECT hazard_id, (data->>'deadline')::timestamptz AS deadline FROM hazard_events WHERE move = 'issue_notice' AND at < ${b}) n
    JOIN hazards h ON h.id = n.hazard_id
    WHERE n.deadline >= ${a} AND n.deadline < ${b} ${area ? sql`AND h.area_path LIKE ${`${area}%`}` : sql``}`;
}

/** The report's 隐患整改 figures for a period in an area: found, rectified (on the spot or re-inspection passed), due and on time, open and past their deadline now. */
export async function hazardFigures(db: DbOrTx, from: string, to: string, area: string | null, now: Date) {
  const a = dayStart(from);
  const b = dayStart(addDays(to, 1));
  const inArea = area ? sql`AND h.area_path LIKE ${`${area}%`}` : sql``;
  const { rows } = await sql<{ found: number; major: number; rectified: number; handed_over: number; open: number; overdue: number }>`
    SELECT (SELECT count(*) FROM hazards h WHERE h.found_at >= ${a} AND h.found_at < ${b} ${inArea})::int AS found,
           (SELECT count(*) FROM hazards h WHERE h.found_at >= ${a} AND h.found_at < ${b} AND h.grade = 'major' ${inArea})::int AS major,
           (SELECT count(*) FROM hazard_events e JOIN hazards h ON h.id = e.hazard_id
             WHERE e.move IN ('fix_on_spot', 'reinspect_pass') AND e.at >= ${a} AND e.at < ${b} ${inArea})::int AS rectified,
           (SELECT count(*) FROM hazard_events e JOIN hazards h ON h.id = e.hazard_id
             WHERE e.move = 'hand_over' AND e.at >= ${a} AND e.at < ${b} ${inArea})::int AS handed_over,
           (SELECT count(*) FROM hazards h WHERE h.state IN ('found', 'rectifying', 'failed', 'passed') ${inArea})::int AS open,
           (SELECT count(*) FROM hazards h WHERE h.state IN ('rectifying', 'failed') AND h.deadline <= ${now} ${inArea})::int AS overdue`.execute(db);
  const due = await sql<{ due: number; on_time: number }>`SELECT count(*)::int AS due, coalesce(sum(on_time), 0)::int AS on_time FROM (${hazardsDue(a, b, area)}) x`.execute(db);
  return { ...rows[0]!, due: due.rows[0]!.due, onTime: due.rows[0]!.on_time };
}

/** Every leading part of a path ending in '/' ('/1/', '/1/2/', …) as pre.prefix, one row each. */
function prefixesOf(col: string) {
  return sql.raw(`CROSS JOIN LATERAL (SELECT left(${col}, i) AS prefix FROM generate_series(1, length(${col})) i WHERE substr(${col}, i, 1) = '/') pre`);
}

/** The base case counts of everything in an area over a period (one row; the report's 总体情况). */
export async function areaCounts(db: DbOrTx, from: string, to: string, area: string | null): Promise<BaseCounts> {
  const a = dayStart(from);
  const b = dayStart(addDays(to, 1));
  const inArea = area ? sql`AND c.area_path LIKE ${`${area}%`}` : sql``;
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${CASE_SUMS},
           (SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.move = 'fix_on_spot' AND e.at >= ${a} AND e.at < ${b} ${inArea})::int AS fixed_on_spot
    FROM cases c LEFT JOIN case_facts f ON f.case_id = c.id
    CROSS JOIN LATERAL stats_atoms_of(c.reported_at, c.state, c.closed_at, c.master_id, c.rating, c.rated_at, c.rework_count,
                                      f.accepted_at, f.dispatched_at, f.handled_at, f.handled_on_time) a
    WHERE c.id IN (
      SELECT id FROM cases WHERE reported_at >= ${a} AND reported_at < ${b}
      UNION SELECT case_id FROM case_facts WHERE accepted_at >= ${a} AND accepted_at < ${b}
      UNION SELECT case_id FROM case_facts WHERE handled_at >= ${a} AND handled_at < ${b}
      UNION SELECT id FROM cases WHERE closed_at >= ${a} AND closed_at < ${b}
      UNION SELECT id FROM cases WHERE rated_at >= ${a} AND rated_at < ${b})
      AND a.day BETWEEN ${from}::date AND ${to}::date ${inArea}`.execute(db);
  const out = zeroBase();
  for (const k of BASE_COUNTS) out[k] = Number(rows[0]?.[k] ?? 0);
  return out;
}

/** The street (or town) path an area path lies in: a grid worker's leaderboard covers the workers of its street. */
export async function streetPathOf(db: DbOrTx, path: string): Promise<string | null> {
  const rows = await db.selectFrom('divisions').select('path').where('level', '=', 'street').execute();
  return rows.find((d) => path.startsWith(d.path))?.path ?? null;
}

/** The name of the division an area path ends in (the report's title), or null for everything. */
export async function areaName(db: DbOrTx, area: string | null): Promise<string | null> {
  if (!area) return null;
  const m = /(\d+)\/$/.exec(area);
  if (!m || area.includes('/g')) return null;
  const d = await db.selectFrom('divisions').select('name').where('id', '=', Number(m[1])).executeTakeFirst();
  return d?.name ?? null;
}

// --- situation reports ------------------------------------------------------------------------------------------

export type ReportRecord = Selectable<AssessmentReportTable>;

export async function insertReport(trx: Tx, r: Omit<ReportRecord, 'id' | 'version' | 'sections' | 'numbers'> & { sections: unknown; numbers: unknown }): Promise<ReportRecord> {
  return trx
    .insertInto('assessment_reports')
    .values({ ...r, sections: JSON.stringify(r.sections), numbers: JSON.stringify(r.numbers) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findReport(db: DbOrTx, id: number, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('assessment_reports').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listReports(db: DbOrTx, f: { period?: string | undefined; area: string | null }) {
  let q = db.selectFrom('assessment_reports').selectAll().orderBy('period', 'desc').orderBy('id', 'desc');
  if (f.period) q = q.where('period', '=', f.period);
  if (f.area) q = q.where('scope_path', 'like', `${f.area}%`);
  return q.limit(500).execute();
}

export async function updateReport(
  trx: Tx,
  row: ReportRecord,
  change: { title?: string; sections?: unknown; numbers?: unknown; issued_at?: Date; issued_by?: number },
  state: ReportRecord['state'],
  at: Date,
) {
  return trx
    .updateTable('assessment_reports')
    .set({
      state,
      version: row.version + 1,
      updated_at: at,
      ...(change.title != null ? { title: change.title } : {}),
      ...(change.sections ? { sections: JSON.stringify(change.sections) } : {}),
      ...(change.numbers ? { numbers: JSON.stringify(change.numbers) } : {}),
      ...(change.issued_at ? { issued_at: change.issued_at, issued_by: change.issued_by ?? null } : {}),
    })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .returningAll()
    .executeTakeFirst();
}

/** The top categories (of the first level) by reports over a period, within an area. */
export async function topCategories(db: DbOrTx, from: string, to: string, area: string | null, limit: number) {
  const a = dayStart(from);
  const b = dayStart(addDays(to, 1));
  const { rows } = await sql<{ id: number; name: string; n: number }>`
    SELECT top.id, top.name, count(*)::int AS n
    FROM cases c JOIN categories cat ON cat.id = c.category_id JOIN categories top ON top.id = coalesce(cat.parent_id, cat.id)
    WHERE c.reported_at >= ${a} AND c.reported_at < ${b} ${area ? sql`AND c.area_path LIKE ${`${area}%`}` : sql``}
    GROUP BY top.id, top.name ORDER BY n DESC, top.id LIMIT ${limit}`.execute(db);
  return rows;
}

/** Cases reported per A-class grid in an area over a period (the report's hot-spot map), every grid with its outline. */
export async function gridHotSpots(db: DbOrTx, from: string, to: string, area: string | null) {
  const a = dayStart(from);
  const b = dayStart(addDays(to, 1));
  const { rows } = await sql<{ id: number; name: string; count: number }>`
    SELECT g.id, g.name, coalesce(n.count, 0)::int AS count
    FROM grids g LEFT JOIN (
      SELECT grid_id, count(*) AS count FROM cases
      WHERE reported_at >= ${a} AND reported_at < ${b} AND grid_id IS NOT NULL ${area ? sql`AND area_path LIKE ${`${area}%`}` : sql``}
      GROUP BY grid_id) n ON n.grid_id = g.id
    WHERE g.grid_class = 'A' AND g.retired_at IS NULL ${area ? sql`AND g.path LIKE ${`${area}%`}` : sql``}
    ORDER BY g.code`.execute(db);
  return rows;
}

/** The outlines of grids by id (for drawing a report's map from its kept counts). */
export async function gridOutlines(db: DbOrTx, ids: number[]) {
  if (!ids.length) return [];
  return db.selectFrom('grids').select(['id', 'name', 'geometry']).where('id', 'in', ids).execute();
}

/** Open cases past their due time now, and those supervised (督办) in the period, within an area. */
export async function overdueAndSupervised(db: DbOrTx, from: string, to: string, area: string | null, now: Date) {
  const a = dayStart(from);
  const b = dayStart(addDays(to, 1));
  const inArea = area ? sql`AND c.area_path LIKE ${`${area}%`}` : sql``;
  const { rows } = await sql<{ overdue: number; supervised: number }>`
    SELECT (SELECT count(*) FROM cases c WHERE c.state IN ('dispatched', 'in_progress', 'handled') AND c.due_at <= ${now} ${inArea})::int AS overdue,
           (SELECT count(DISTINCT e.case_id) FROM case_events e JOIN cases c ON c.id = e.case_id
             WHERE e.move = 'supervise' AND e.at >= ${a} AND e.at < ${b} ${inArea})::int AS supervised`.execute(db);
  return rows[0]!;
}

// --- schemes ----------------------------------------------------------------------------------------------------

export async function findScheme(db: DbOrTx, year: number) {
  return db.selectFrom('assessment_schemes').selectAll().where('year', '=', year).executeTakeFirst();
}

export async function upsertScheme(trx: Tx, year: number, config: unknown, by: number, at: Date) {
  await trx
    .insertInto('assessment_schemes')
    .values({ year, config: JSON.stringify(config), updated_by: by, updated_at: at })
    .onConflict((oc) => oc.column('year').doUpdateSet({ config: JSON.stringify(config), updated_by: by, updated_at: at }))
    .execute();
}

// --- rankings ---------------------------------------------------------------------------------------------------

export type RankingRecord = Selectable<AssessmentRankingTable>;

export async function insertRanking(
  trx: Tx,
  r: Omit<RankingRecord, 'id' | 'version' | 'scheme' | 'rows'> & { scheme: unknown; rows: unknown[] },
): Promise<RankingRecord> {
  return trx
    .insertInto('assessment_rankings')
    .values({ ...r, scheme: JSON.stringify(r.scheme), rows: JSON.stringify(r.rows) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findRanking(db: DbOrTx, id: number, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('assessment_rankings').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listRankings(db: DbOrTx, f: { period?: string | undefined; unitKind?: string | undefined; area: string | null }) {
  let q = db.selectFrom('assessment_rankings').selectAll().orderBy('period', 'desc').orderBy('unit_kind').orderBy('id', 'desc');
  if (f.period) q = q.where('period', '=', f.period);
  if (f.unitKind) q = q.where('unit_kind', '=', f.unitKind as RankingRecord['unit_kind']);
  if (f.area) q = q.where('scope_path', 'like', `${f.area}%`);
  return q.limit(500).execute();
}

/** Writes the new state (and rows, for a recompute) if the version still matches. */
export async function updateRanking(
  trx: Tx,
  row: RankingRecord,
  change: { rows?: unknown[]; scheme?: unknown; computed_at?: Date; published_at?: Date; published_by?: number },
  state: RankingRecord['state'],
  at: Date,
) {
  return trx
    .updateTable('assessment_rankings')
    .set({
      state,
      version: row.version + 1,
      updated_at: at,
      ...(change.rows ? { rows: JSON.stringify(change.rows) } : {}),
      ...(change.scheme ? { scheme: JSON.stringify(change.scheme) } : {}),
      ...(change.computed_at ? { computed_at: change.computed_at } : {}),
      ...(change.published_at ? { published_at: change.published_at, published_by: change.published_by ?? null } : {}),
    })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .returningAll()
    .executeTakeFirst();
}

export async function insertAssessmentEvent(
  trx: Tx,
  e: { itemType: string; itemId: number; move: string; from: string | null; to: string; actorId: number; note: string | null; at: Date },
) {
  await trx
    .insertInto('assessment_events')
    .values({ item_type: e.itemType, item_id: e.itemId, move: e.move, from_state: e.from, to_state: e.to, actor_id: e.actorId, note: e.note, at: e.at })
    .execute();
}

export async function assessmentEvents(db: DbOrTx, itemType: string, ids: number[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('assessment_events')
    .leftJoin('users', 'users.id', 'assessment_events.actor_id')
    .select(['assessment_events.id', 'item_id', 'move', 'from_state', 'to_state', 'note', 'at', 'users.display_name as actor'])
    .where('item_type', '=', itemType)
    .where('item_id', 'in', ids)
    .orderBy('assessment_events.id')
    .execute();
}
