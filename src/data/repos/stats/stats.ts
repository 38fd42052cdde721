// Statistics queries. A Scope splits into the part the rollup answers for (an area prefix, a department, or
// everything) and the cases the scope adds beyond it (own reports and B/C-responsibility outside the area,
// co-handled work orders of other departments, a citizen's reports), which are counted directly from the cases
// with the same atoms the rollup is made of (stats_atoms) — so the sum is exactly what the case list shows.
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { Scope } from '../../../domain/access.js';
import { addDays, dayStart, prefixEnd, ROLLUP_METRICS, type MetricCounts, type TrendBucket } from '../../../domain/stats/stats.js';
import type { DbOrTx } from '../../db.js';
import type { Database } from '../../schema.js';
import { escapeLike, scopeWhere, underAny } from '../cases/cases.js';
import { OPEN_STATES } from '../../../domain/cases/workflow.js';
import { CLOCKED_STATES } from '../../../domain/cases/time-limits.js';

/** States with a running clock: the ones a warning colour applies to (src/server/presenters.ts). */

type CaseWhere = (eb: ExpressionBuilder<Database, 'cases'>) => Expression<SqlBool>;

/** The part of a scope the rollup holds: rows by area path prefix, by department, or all rows. */
export type RollupPart = { kind: 'all' } | { kind: 'area'; prefixes: readonly string[] } | { kind: 'department'; departmentId: number };

export interface ScopeSplit {
  rollup: RollupPart | null;
  /** the rollup part as a condition on cases (for direct counts of open cases) */
  partWhere: CaseWhere | null;
  /** the cases in scope outside the rollup part; null when there are none by construction */
  extras: CaseWhere | null;
}

/** Condition "area path outside every prefix", as byte-ordered key ranges the (…, area_path COLLATE "C") indexes serve. */
function outsideArea(prefixes: readonly string[]): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.join(
    prefixes.map((p) => sql`((cases.area_path COLLATE "C") < ${p} OR (cases.area_path COLLATE "C") >= ${prefixEnd(p)})`),
    sql` AND `,
  )})`;
}

/** `grids`: the grids under an area scope's path, when the caller has them at hand (saves a query). */
export async function splitScope(db: DbOrTx, scope: Scope, grids?: readonly { id: number; path: string }[]): Promise<ScopeSplit> {
  const inScope = scopeWhere(scope);
  switch (scope.kind) {
    case 'all':
      return { rollup: { kind: 'all' }, partWhere: (eb) => eb.lit(true), extras: null };
    case 'none':
      return { rollup: null, partWhere: null, extras: null };
    case 'reporter':
      return { rollup: null, partWhere: null, extras: inScope };
    case 'department': {
      const d = scope.departmentId;
      return {
        rollup: { kind: 'department', departmentId: d },
        partWhere: (eb) => eb('cases.department_id', '=', d),
        // work orders assigned to it at some time (co-handled, returned, an earlier life) whose main department is
        // now another or none
        extras: (eb) =>
          eb.and([
            eb('cases.id', 'in', eb.selectFrom('case_assignments').select('case_assignments.case_id').where('case_assignments.department_id', '=', d)),
            eb.or([eb('cases.department_id', 'is', null), eb('cases.department_id', '<>', d)]),
            inScope(eb),
          ]),
      };
    }
    case 'area': {
      const ps = scope.paths;
      // Known here rather than as a subquery so the planner walks the responsibility index per grid.
      const responsible = (grids ?? (await db.selectFrom('grids').select(['id', 'path']).where(underAny('path', ps)).execute()))
        .filter((g) => ps.some((p) => g.path.startsWith(p)))
        .map((g) => g.id);
      return {
        rollup: { kind: 'area', prefixes: ps },
        partWhere: () => underAny('cases.area_path', ps),
        extras: (eb) =>
          eb.and([
            eb.or([
              eb.and([eb('cases.reporter_id', '=', scope.reporterId), outsideArea(ps)]),
              ...(responsible.length ? [eb.and([eb('cases.responsible_grid_id', 'in', responsible), outsideArea(ps)])] : []),
            ]),
            inScope(eb),
          ]),
      };
    }
  }
}

function rollupPartSql(part: RollupPart): RawBuilder<SqlBool> {
  switch (part.kind) {
    case 'all':
      return sql<SqlBool>`true`;
    case 'area':
      // the scope's prefixes never nest (normaliseScopePaths), so no row is counted twice
      return sql<SqlBool>`(${sql.join(
        part.prefixes.map((p) => sql`(area_path >= ${p} AND area_path < ${prefixEnd(p)})`),
        sql` OR `,
      )})`;
    case 'department':
      return sql<SqlBool>`department_id = ${part.departmentId}`;
  }
}

const sums = sql.raw(ROLLUP_METRICS.map((m) => `sum(${m})::int AS ${m}`).join(', '));

export type Counted = MetricCounts & Record<string, unknown>;

/** One row of a grouped count: which grouping it belongs to, its key, and the metrics. */
export interface GroupedRow extends MetricCounts {
  set: 'trend' | 'area' | 'department' | 'dim';
  key: string;
}

/** The first day of a date's trend bucket, by date arithmetic (date_trunc would go through the session's time zone). */
function bucketOfSql(column: string, bucket: TrendBucket) {
  return sql.raw(
    bucket === 'day' ? column : bucket === 'week' ? `(${column} - (extract(isodow FROM ${column})::int - 1))` : `(${column} - (extract(day FROM ${column})::int - 1))`,
  );
}

/**
 * The rollup's totals, in one query: the trend from day rows (`days`) and month rows (`months`, whole months of a
 * monthly trend), grouped by trend bucket; and by area path and by department from month rows of the whole months of
 * the period (`whole`, a few hundred rows a street) plus day rows of its other days (`partDays`), instead of
 * grouping every day row three ways.
 */
export async function rollupTotals(
  db: DbOrTx,
  part: RollupPart,
  trend: { days: string[]; months: string[] },
  keyed: { whole: string[]; partDays: string[] },
  bucket: TrendBucket,
): Promise<GroupedRow[]> {
  if (!trend.days.length && !trend.months.length && !keyed.whole.length && !keyed.partDays.length) return [];
  const cond = rollupPartSql(part);
  const rowsOf = (days: string[], months: string[], cols: RawBuilder<unknown>, dayDim: 't' | 'a' = 't') => sql`
        SELECT ${cols} FROM stats_rollup WHERE grain = 'd' AND dim = ${dayDim} AND bucket = ANY(${days}::date[]) AND ${cond}
        UNION ALL
        SELECT ${cols} FROM stats_rollup WHERE grain = 'm' AND dim = 't' AND bucket = ANY(${months}::date[]) AND ${cond}`;
  const metrics = sql.raw(ROLLUP_METRICS.join(', '));
  // The trend of an area (or of everything) from the day rows per area path alone (0027), a sixth of those per area
  // path and department; a department's from the latter.
  const trendDim = part.kind === 'department' ? 't' : 'a';
  const { rows } = await sql<Record<string, string | number>>`
    SELECT 'trend' AS s, to_char(tk, 'YYYY-MM-DD') COLLATE "C" AS key, ${sums}
    FROM (SELECT ${bucketOfSql('bucket', bucket)} AS tk, ${metrics} FROM (${rowsOf(trend.days, trend.months, sql`bucket, ${metrics}`, trendDim)}) r) x
    GROUP BY tk
    UNION ALL
    SELECT CASE WHEN GROUPING(area_path) = 0 THEN 'area' ELSE 'department' END, coalesce(area_path, department_id::text COLLATE "C"), ${sums}
    FROM (${rowsOf(keyed.partDays, keyed.whole, sql`area_path, department_id, ${metrics}`)}) y
    GROUP BY GROUPING SETS ((area_path), (department_id))`.execute(db);
  return rows.map((r) => grouped(r, r.s as GroupedRow['set'], r.key));
}

/** Month rows of one dimension (category or source), summed by its value. */
export async function rollupDim(db: DbOrTx, part: RollupPart, dim: 'c' | 's', months: string[]): Promise<GroupedRow[]> {
  if (!months.length) return [];
  const { rows } = await sql<Record<string, string | number>>`
    SELECT dim_value, ${sums} FROM stats_rollup
    WHERE grain = 'm' AND dim = ${dim} AND bucket = ANY(${months}::date[]) AND ${rollupPartSql(part)}
    GROUP BY dim_value`.execute(db);
  return rows.map((r) => grouped(r, 'dim', r.dim_value));
}

/** Of the given days, those with any count in the rollup part, by month start: a month row is exact for a partial month only if its left-out days are empty. */
export async function busyMonths(db: DbOrTx, part: RollupPart, days: string[]): Promise<Set<string>> {
  if (!days.length) return new Set();
  const any = sql.raw(ROLLUP_METRICS.map((m) => `${m} <> 0`).join(' OR '));
  const { rows } = await sql<{ m: string }>`
    SELECT DISTINCT to_char(${bucketOfSql('bucket', 'month')}, 'YYYY-MM-DD') AS m FROM stats_rollup
    WHERE grain = 'd' AND dim = 't' AND bucket = ANY(${days}::date[]) AND ${rollupPartSql(part)} AND (${any})`.execute(db);
  return new Set(rows.map((r) => r.m));
}

export type DimName = 'category' | 'source';

/**
 * Counts straight from the cases, through the same atoms the rollup is built from, for the cases matching
 * `where`, over the days from..to: grouped by trend bucket, area path, department and (optionally) a dimension.
 * `candidates` narrows the cases to those with a milestone in the period (for large parts of a scope).
 */
export async function directCounts(
  db: DbOrTx,
  where: CaseWhere,
  from: string,
  to: string,
  bucket: TrendBucket,
  opts: { dim?: DimName | undefined; candidates?: boolean; sets?: GroupedRow['set'][] } = {},
): Promise<GroupedRow[]> {
  const a = dayStart(from);
  const b = dayStart(addDays(to, 1));
  const dimExpr = opts.dim === 'category' ? sql<string>`cases.category_id::text` : opts.dim === 'source' ? sql<string>`cases.source` : sql<string>`''`;
  const sets = opts.sets ?? ['trend', 'area', 'department', ...(opts.dim ? (['dim'] as const) : [])];
  const setSql = sql.join(sets.map((s) => sql.raw(s === 'trend' ? '(tk)' : s === 'area' ? '(area_path)' : s === 'department' ? '(department_id)' : '(dim_value)')));
  // GROUPING() may only name grouped columns: a set left out is never "the" grouping of a row.
  const grouping = (set: GroupedRow['set'], column: string) => sql.raw(sets.includes(set) ? `GROUPING(${column})` : '1');
  const col = (set: GroupedRow['set'], column: string) => sql.raw(sets.includes(set) ? column : `NULL AS ${column}`);
  let q = db
    .selectFrom('cases')
    .leftJoin('case_facts', 'case_facts.case_id', 'cases.id')
    .innerJoin(
      // the atoms from plain columns: stats_atoms(cases, case_facts) would build both rows as composite values per case
      sql<MetricCounts & { day: string }>`stats_atoms_of(cases.reported_at, cases.state, cases.closed_at, cases.master_id, cases.rating, cases.rated_at,
        cases.rework_count, case_facts.accepted_at, case_facts.dispatched_at, case_facts.handled_at, case_facts.handled_on_time)`.as('a'),
      (j) => j.onTrue(),
    )
    .where(where)
    .where(sql<SqlBool>`a.day BETWEEN ${from}::date AND ${to}::date`);
  if (opts.candidates) {
    // Cases with some milestone in the period, found through the instants' indexes rather than by reading the scope.
    q = q.where(
      sql<SqlBool>`cases.id IN (
        SELECT id FROM cases WHERE reported_at >= ${a} AND reported_at < ${b}
        UNION SELECT case_id FROM case_facts WHERE accepted_at >= ${a} AND accepted_at < ${b}
        UNION SELECT case_id FROM case_facts WHERE dispatched_at >= ${a} AND dispatched_at < ${b}
        UNION SELECT case_id FROM case_facts WHERE handled_at >= ${a} AND handled_at < ${b}
        UNION SELECT id FROM cases WHERE closed_at >= ${a} AND closed_at < ${b}
        UNION SELECT id FROM cases WHERE rated_at >= ${a} AND rated_at < ${b})`,
    );
  }
  const inner = q.select([
    sql<string>`${bucketOfSql('a.day', bucket)}`.as('tk'),
    'cases.area_path',
    sql<number>`coalesce(cases.department_id, 0)`.as('department_id'),
    dimExpr.as('dim_value'),
    ...ROLLUP_METRICS.map((m) => sql<number>`a.${sql.raw(m)}`.as(m)),
  ]);
  const { rows } = await sql<Record<string, string | number>>`
    SELECT ${sql.raw(sets.includes('trend') ? "to_char(tk, 'YYYY-MM-DD') AS tk" : 'NULL AS tk')}, ${col('area', 'area_path')}, ${col('department', 'department_id')}, ${col('dim', 'dim_value')},
           ${grouping('trend', 'tk')} AS g_tk, ${grouping('area', 'area_path')} AS g_area, ${grouping('department', 'department_id')} AS g_dep, ${sums}
    FROM (${inner}) x
    GROUP BY GROUPING SETS (${setSql})`.execute(db);
  return rows.map((r) => {
    const set: GroupedRow['set'] = r.g_tk === 0 ? 'trend' : r.g_area === 0 ? 'area' : r.g_dep === 0 ? 'department' : 'dim';
    const key = set === 'trend' ? r.tk : set === 'area' ? r.area_path : set === 'department' ? r.department_id : r.dim_value;
    return grouped(r, set, key);
  });
}

function grouped(r: Record<string, unknown>, set: GroupedRow['set'], key: unknown): GroupedRow {
  const out = { set, key: String(key) } as GroupedRow;
  for (const m of ROLLUP_METRICS) out[m] = Number(r[m] ?? 0);
  return out;
}

export type OpenKey = 'category' | 'source' | 'area' | 'department';

/** Open and overdue cases now, in total and by a key, for the cases matching `where`. */
export async function openCounts(db: DbOrTx, where: CaseWhere, by: OpenKey, now: Date) {
  const key =
    by === 'category' ? sql<string>`cases.category_id::text` : by === 'source' ? sql<string>`cases.source` : by === 'area' ? sql<string>`cases.area_path` : sql<string>`coalesce(cases.department_id, 0)::text`;
  const inner = db
    .selectFrom('cases')
    .where('cases.state', 'in', OPEN_STATES)
    .where(where)
    .select([key.as('key'), sql<boolean>`cases.state IN (${sql.join(CLOCKED_STATES.map((s) => sql.lit(s)))}) AND cases.due_at <= ${now}`.as('late')]);
  const { rows } = await sql<{ key: string | null; g: number; open: number; overdue: number }>`
    SELECT key, GROUPING(key) AS g, count(*)::int AS open, (count(*) FILTER (WHERE late))::int AS overdue
    FROM (${inner}) x GROUP BY GROUPING SETS ((), (key))`.execute(db);
  return rows.map((r) => ({ total: r.g === 1, key: r.key ?? '', open: r.open, overdue: r.overdue }));
}

/**
 * Open and overdue cases now, in total and by a key, for the rollup part of a scope: from stats_open (0027), less
 * the clocked cases of the part not yet due (`partWhere`, the same part as a condition on cases), which are few.
 * Keys with no open case are left out, as a count over the cases would.
 */
export async function openRolled(db: DbOrTx, part: RollupPart, partWhere: CaseWhere, by: OpenKey, now: Date) {
  const dim = by === 'source' ? 's' : 'c';
  const rolledKey = sql.raw(by === 'category' || by === 'source' ? 'dim_value' : by === 'area' ? 'area_path' : 'department_id::text');
  const caseKey = by === 'category' ? sql`cases.category_id::text` : by === 'source' ? sql`cases.source` : by === 'area' ? sql`cases.area_path` : sql`coalesce(cases.department_id, 0)::text`;
  const notDue = db
    .selectFrom('cases')
    .where('cases.state', 'in', CLOCKED_STATES)
    .where('cases.due_at', 'is not', null)
    .where('cases.due_at', '>', now)
    .where(partWhere)
    .select([caseKey.as('key'), sql<number>`0`.as('open'), sql<number>`-1`.as('late')]);
  const { rows } = await sql<{ key: string | null; g: number; open: number; overdue: number }>`
    SELECT key, GROUPING(key) AS g, coalesce(sum(open), 0)::int AS open, coalesce(sum(late), 0)::int AS overdue
    FROM (
      SELECT ${rolledKey} AS key, n_open AS open, n_clocked AS late FROM stats_open WHERE dim = ${dim} AND ${rollupPartSql(part)}
      UNION ALL
      ${notDue}
    ) x
    GROUP BY GROUPING SETS ((), (key))
    HAVING GROUPING(key) = 1 OR sum(open) <> 0`.execute(db);
  return rows.map((r) => ({ total: r.g === 1, key: r.key ?? '', open: r.open, overdue: r.overdue }));
}

/** Whether any case matches `where` (the scope's extras are mostly none: their direct counts are then skipped). */
export async function anyCase(db: DbOrTx, where: CaseWhere): Promise<boolean> {
  return (await db.selectFrom('cases').select(sql<number>`1`.as('one')).where(where).limit(1).execute()).length > 0;
}

/** Open-case rows as they are now, and as stats_rebuild would make them (shards summed): for tests. */
export async function openSnapshot(db: DbOrTx) {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT dim, area_path, department_id, dim_value, sum(n_open)::int AS n_open, sum(n_clocked)::int AS n_clocked
    FROM stats_open GROUP BY dim, area_path, department_id, dim_value
    HAVING sum(n_open) <> 0 OR sum(n_clocked) <> 0
    ORDER BY dim, area_path, department_id, dim_value`.execute(db);
  return rows;
}

export async function statsNames(db: DbOrTx, scope: Scope) {
  const gridsQ = db.selectFrom('grids').select(['id', 'code', 'name', 'path', 'grid_class', 'retired_at']);
  const [categories, departments, grids, divisions] = await Promise.all([
    db.selectFrom('categories').select(['id', 'code', 'name', 'parent_id']).execute(),
    db.selectFrom('departments').select(['id', 'code', 'name']).orderBy('id').execute(),
    (scope.kind === 'area' ? gridsQ.where(underAny('path', scope.paths)) : gridsQ).execute(),
    db.selectFrom('divisions').select(['id', 'code', 'name', 'path', 'level']).execute(),
  ]);
  return { categories, departments, grids, divisions };
}

/** Rollup rows as they are now, and as stats_rebuild would make them: for tests and the CLI. */
export async function rollupSnapshot(db: DbOrTx) {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT grain, dim, to_char(bucket, 'YYYY-MM-DD') AS bucket, area_path, department_id, dim_value, ${sums}
    FROM stats_rollup
    GROUP BY grain, dim, bucket, area_path, department_id, dim_value -- a key's writer shards (0011_speed.ts), summed
    HAVING ${sql.raw(ROLLUP_METRICS.map((m) => `sum(${m}) <> 0`).join(' OR '))}
    ORDER BY grain, dim, bucket, area_path, department_id, dim_value`.execute(db);
  return rows;
}

export async function rebuildRollup(db: DbOrTx): Promise<void> {
  await sql`SELECT stats_rebuild()`.execute(db);
}
