// Map data: the case points of a scope and period (for the in-memory cluster index), the change counter that tells
// a cached index it is stale, and the grids of a scope with their label points.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Scope } from '../../../domain/access.js';
import type { PointRow } from '../../../domain/map/clusters.js';
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

/** Points of the cases matching `where` reported in [from, to). */
export async function casePoints(db: DbOrTx, where: CaseWhere, from: Date, to: Date): Promise<PointRow[]> {
  const rows = await db
    .selectFrom('cases')
    .select(['cases.id', 'cases.lng', 'cases.lat', 'cases.state', 'cases.urgency', 'cases.warn_at', 'cases.due_at'])
    .where(where)
    .where('cases.reported_at', '>=', from)
    .where('cases.reported_at', '<', to)
    .execute();
  return rows.map((r) => ({ id: r.id, lng: r.lng, lat: r.lat, state: r.state, urgency: r.urgency, warnAt: r.warn_at, dueAt: r.due_at }));
}

/** Ids of the cases written at or after `since` (every move sets updated_at; indexed in 0007). */
export async function changedCaseIds(db: DbOrTx, since: Date): Promise<number[]> {
  return (await db.selectFrom('cases').select('id').where('updated_at', '>=', since).execute()).map((r) => r.id);
}

/** Points of the cases matching `where`, reported in [from, to) and written at or after `since`. */
export async function changedCasePoints(db: DbOrTx, where: CaseWhere, from: Date, to: Date, since: Date): Promise<PointRow[]> {
  const rows = await db
    .selectFrom('cases')
    .select(['cases.id', 'cases.lng', 'cases.lat', 'cases.state', 'cases.urgency', 'cases.warn_at', 'cases.due_at'])
    .where('cases.updated_at', '>=', since)
    .where(where)
    .where('cases.reported_at', '>=', from)
    .where('cases.reported_at', '<', to)
    .execute();
  return rows.map((r) => ({ id: r.id, lng: r.lng, lat: r.lat, state: r.state, urgency: r.urgency, warnAt: r.warn_at, dueAt: r.due_at }));
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
