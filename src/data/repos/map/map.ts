// Map data: the case points of a scope and period (for the in-memory cluster index), the change counter that tells
// a cached index it is stale, and the grids of a scope with their label points.
import { sql, type SelectQueryBuilder, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Scope } from '../../../domain/access.js';
import { pointColumns, type PointColumns, type PointRow } from '../../../domain/map/clusters.js';
import { CASE_STATES, OPEN_CASE_STATES as OPEN_STATES, URGENCIES } from '../../../shared/vocabulary.js';
import type { DbOrTx } from '../../db.js';
import type { Database } from '../../schema.js';
import { underAny } from '../cases/cases.js';

type CaseWhere = (eb: ExpressionBuilder<Database, 'cases'>) => Expression<SqlBool>;

/** Bumped by every statement that writes cases or co-handler assignments (0006_command_centre.ts). */
export async function caseChangeVersion(db: DbOrTx): Promise<number> {
  const { rows } = await sql<{ v: number | string; called: boolean }>`SELECT last_value AS v, is_called AS called FROM case_change_seq`.execute(db);
  const r = rows[0]!;
  return r.called ? Number(r.v) : 0;
}

/** Which cases of a scope a point set holds: reported in [from, to), and/or open now. */
export interface PointFilter {
  from?: Date | undefined;
  to?: Date | undefined;
  open?: boolean | undefined;
}

function filtered<Q extends SelectQueryBuilder<Database, 'cases', object>>(q: Q, f: PointFilter): Q {
  let r = q as SelectQueryBuilder<Database, 'cases', object>;
  if (f.from) r = r.where('cases.reported_at', '>=', f.from);
  if (f.to) r = r.where('cases.reported_at', '<', f.to);
  if (f.open) r = r.where('cases.state', 'in', OPEN_STATES);
  return r as Q;
}

/** A text column as its index in a list of codes (SQL CASE over literals). */
function codeOf(column: string, codes: readonly string[]) {
  return sql<number>`CASE ${sql.ref(column)} ${sql.join(codes.map((c, i) => sql`WHEN ${sql.lit(c)} THEN ${sql.lit(i)}`), sql` `)} ELSE 0 END`;
}

/**
 * Points of the cases matching `where` and the filter, as columns. Only numbers cross the wire (state and urgency
 * as their index, instants as epoch ms) and they go straight into typed arrays: no date, string or point object
 * per case is kept, which is what made a million-case load slow and heavy on the collector.
 */
export async function casePoints(db: DbOrTx, where: CaseWhere, f: PointFilter): Promise<PointColumns> {
  const rows = await filtered(db

    .selectFrom('cases')
    .select([
      'cases.id',
      'cases.lng',
      'cases.lat',
      codeOf('cases.state', CASE_STATES).as('s'),
      codeOf('cases.urgency', URGENCIES).as('u'),
      sql<number | null>`date_part('epoch', cases.warn_at) * 1000`.as('w'),
      sql<number | null>`date_part('epoch', cases.due_at) * 1000`.as('d'),
      'cases.area_path',
    ])
    .where(where), f)
    .execute();
  const n = rows.length;
  const c = pointColumns(n);
  const areaIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const path = r.area_path ?? '';
    let k = areaIndex.get(path);
    if (k === undefined) areaIndex.set(path, (k = c.areas.push(path) - 1));
    c.area[i] = k;
    c.ids[i] = r.id;
    c.lng[i] = r.lng;
    c.lat[i] = r.lat;
    c.state[i] = Number(r.s);
    c.urgency[i] = Number(r.u);
    c.warnMs[i] = r.w == null ? NaN : Number(r.w);
    c.dueMs[i] = r.d == null ? NaN : Number(r.d);
  }
  return c;
}

/** Ids of the cases written at or after `since` (every move sets updated_at; indexed in 0007). */
export async function changedCaseIds(db: DbOrTx, since: Date): Promise<number[]> {
  return (await db.selectFrom('cases').select('id').where('updated_at', '>=', since).execute()).map((r) => r.id);
}

/** Points of the cases matching `where` and the filter, written at or after `since`. */
export async function changedCasePoints(db: DbOrTx, where: CaseWhere, f: PointFilter, since: Date): Promise<PointRow[]> {
  const rows = await filtered(
    db
      .selectFrom('cases')
      .select(['cases.id', 'cases.lng', 'cases.lat', 'cases.state', 'cases.urgency', 'cases.warn_at', 'cases.due_at', 'cases.area_path'])
      .where('cases.updated_at', '>=', since)
      .where(where),
    f,
  ).execute();
  return rows.map((r) => ({ id: r.id, lng: r.lng, lat: r.lat, state: r.state, urgency: r.urgency, warnAt: r.warn_at, dueAt: r.due_at, areaPath: r.area_path }));
}

/** Active A-class grids in a scope (all for 'all'; none for scopes that are not areas). */
export async function gridsOfScope(db: DbOrTx, scope: Scope) {
  if (scope.kind !== 'area' && scope.kind !== 'all') return [];
  let q = db
    .selectFrom('grids')
    .select(['id', 'code', 'name', 'path', 'label_lng', 'label_lat'])
    .where('grid_class', '=', 'A')
    .where('retired_at', 'is', null);
  if (scope.kind === 'area') q = q.where(underAny('path', scope.paths));
  return q.orderBy('code').execute();
}

/** Grids by id, with what the load map shows of them. */
export async function gridsByIds(db: DbOrTx, ids: readonly number[]) {
  return ids.length ? db.selectFrom('grids').select(['id', 'code', 'name', 'path', 'label_lng', 'label_lat']).where('id', 'in', ids).execute() : [];
}

/** Users who open the command map (operators, leaders, administrators), active, the most recently logged in first. */
export async function mapUsers(db: DbOrTx, limit: number) {
  return db
    .selectFrom('users')
    .select(['id', 'role', 'scope_paths', 'department_id'])
    .where('role', 'in', ['operator', 'leader', 'admin'])
    .where('disabled_at', 'is', null)
    .orderBy(sql`last_login_at DESC NULLS LAST`)
    .orderBy('id')
    .limit(limit)
    .execute();
}
