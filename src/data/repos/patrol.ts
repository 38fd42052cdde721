// Patrols, their track points (idempotent batches) and grid check-ins.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Scope } from '../../domain/access.js';
import type { DbOrTx } from '../db.js';
import type { Database } from '../schema.js';
import { underAny } from './cases/cases.js';

/** Which patrols a scope reads: an area's patrols (by the worker's scope at start) and one's own. */
export function patrolScopeWhere(scope: Scope, userId: number) {
  return (eb: ExpressionBuilder<Database, 'patrols'>) => {
    switch (scope.kind) {
      case 'all':
        return eb.lit(true);
      case 'area':
        return eb.or([underAny('patrols.area_path', scope.paths), eb('patrols.user_id', '=', userId)]);
      default:
        return eb('patrols.user_id', '=', userId);
    }
  };
}

export async function findPatrol(db: DbOrTx, id: number, forUpdate = false) {
  const q = db.selectFrom('patrols').selectAll().where('id', '=', id);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export async function findActivePatrol(db: DbOrTx, userId: number) {
  return db.selectFrom('patrols').selectAll().where('user_id', '=', userId).where('ended_at', 'is', null).executeTakeFirst();
}

export async function findPatrolByKey(db: DbOrTx, userId: number, clientKey: string) {
  return db.selectFrom('patrols').selectAll().where('user_id', '=', userId).where('client_key', '=', clientKey).executeTakeFirst();
}

export async function insertPatrol(
  db: DbOrTx,
  p: { userId: number; areaPath: string; clientKey: string | null; startedAt: Date; lng: number | null; lat: number | null; note: string },
) {
  return db
    .insertInto('patrols')
    .values({ user_id: p.userId, area_path: p.areaPath, client_key: p.clientKey, started_at: p.startedAt, start_lng: p.lng, start_lat: p.lat, note: p.note })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Records a batch key; false when the batch was received before (nothing to store). */
export async function claimBatch(db: DbOrTx, patrolId: number, batchKey: string, count: number, at: Date): Promise<boolean> {
  const r = await db
    .insertInto('patrol_batches')
    .values({ patrol_id: patrolId, batch_key: batchKey, received_at: at, point_count: count })
    .onConflict((oc) => oc.columns(['patrol_id', 'batch_key']).doNothing())
    .returning('batch_key')
    .executeTakeFirst();
  return r != null;
}

export async function insertPoints(db: DbOrTx, patrolId: number, batchKey: string, points: { at: Date; lng: number; lat: number; accuracy: number | null }[]) {
  for (let i = 0; i < points.length; i += 500) {
    await db
      .insertInto('patrol_points')
      .values(points.slice(i, i + 500).map((p) => ({ patrol_id: patrolId, batch_key: batchKey, at: p.at, lng: p.lng, lat: p.lat, accuracy_m: p.accuracy })))
      .execute();
  }
}

export async function trackOf(db: DbOrTx, patrolId: number) {
  return db.selectFrom('patrol_points').select(['at', 'lng', 'lat', 'accuracy_m']).where('patrol_id', '=', patrolId).orderBy('at').execute();
}

export async function updatePatrolTotals(db: DbOrTx, id: number, set: { distance_m: number; point_count: number; ended_at?: Date }) {
  return db.updateTable('patrols').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function findCheckinByKey(db: DbOrTx, patrolId: number, clientKey: string) {
  return db.selectFrom('patrol_checkins').selectAll().where('patrol_id', '=', patrolId).where('client_key', '=', clientKey).executeTakeFirst();
}

export async function insertCheckin(
  db: DbOrTx,
  c: { patrolId: number; userId: number; gridId: number; gridPath: string; at: Date; lng: number; lat: number; accuracy: number; clientKey: string | null },
) {
  return db
    .insertInto('patrol_checkins')
    .values({ patrol_id: c.patrolId, user_id: c.userId, grid_id: c.gridId, grid_path: c.gridPath, at: c.at, lng: c.lng, lat: c.lat, accuracy_m: c.accuracy, client_key: c.clientKey })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function checkinsOf(db: DbOrTx, patrolId: number) {
  return db
    .selectFrom('patrol_checkins')
    .innerJoin('grids', 'grids.id', 'patrol_checkins.grid_id')
    .select(['patrol_checkins.id', 'patrol_checkins.grid_id', 'grids.name as grid_name', 'patrol_checkins.at', 'patrol_checkins.lng', 'patrol_checkins.lat', 'patrol_checkins.accuracy_m'])
    .where('patrol_checkins.patrol_id', '=', patrolId)
    .orderBy('patrol_checkins.at')
    .execute();
}

export async function listPatrols(db: DbOrTx, scope: Scope, userId: number, f: { from: Date; to: Date; userId?: number | undefined; limit: number; offset: number }) {
  let base = db
    .selectFrom('patrols')
    .innerJoin('users', 'users.id', 'patrols.user_id')
    .where(patrolScopeWhere(scope, userId))
    .where('patrols.started_at', '>=', f.from)
    .where('patrols.started_at', '<', f.to);
  if (f.userId) base = base.where('patrols.user_id', '=', f.userId);
  const [items, count] = await Promise.all([
    base
      .selectAll('patrols')
      .select([
        'users.display_name as user_name',
        (eb) => eb.selectFrom('patrol_checkins').select(sql<number>`count(*)::int`.as('n')).whereRef('patrol_checkins.patrol_id', '=', 'patrols.id').as('checkin_count'),
      ])
      .orderBy('patrols.started_at', 'desc')
      .orderBy('patrols.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: count.n };
}

export async function findPatrolInScope(db: DbOrTx, scope: Scope, userId: number, id: number) {
  return db
    .selectFrom('patrols')
    .innerJoin('users', 'users.id', 'patrols.user_id')
    .selectAll('patrols')
    .select([
      'users.display_name as user_name',
      (eb) => eb.selectFrom('patrol_checkins').select(sql<number>`count(*)::int`.as('n')).whereRef('patrol_checkins.patrol_id', '=', 'patrols.id').as('checkin_count'),
    ])
    .where('patrols.id', '=', id)
    .where(patrolScopeWhere(scope, userId))
    .executeTakeFirst();
}

/** Check-ins per grid in [from, to) among grids under a path prefix (null: all grids). */
export async function checkinsPerGrid(db: DbOrTx, prefixes: readonly string[] | null, from: Date, to: Date) {
  let q = db
    .selectFrom('patrol_checkins')
    .select(['grid_id', sql<number>`count(*)::int`.as('n'), sql<Date>`max(at)`.as('last_at')])
    .where('at', '>=', from)
    .where('at', '<', to)
    .groupBy('grid_id');
  if (prefixes) q = q.where(underAny('grid_path', prefixes));
  return q.execute();
}
