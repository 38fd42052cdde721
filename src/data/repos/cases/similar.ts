// Open cases of a category near a point, in every scope, each marked whether the asker may read it: a duplicate
// is worth knowing about even when it lies outside one's scope (a citizen's report next to a neighbour's), but
// only its existence and public state may be shown then. Bounding box in SQL, distance in the service.
import type { Scope } from '../../../domain/access.js';
import { OPEN_STATES } from '../../../domain/cases/workflow.js';
import type { DbOrTx } from '../../db.js';
import { scopeWhere } from './cases.js';

export async function findNearbyOpenMarked(
  db: DbOrTx,
  scope: Scope,
  p: { lng: number; lat: number; categoryId: number; since: Date; radiusM: number; excludeId?: number | undefined },
) {
  const dLat = p.radiusM / 111_320;
  const dLng = p.radiusM / (111_320 * Math.cos((p.lat * Math.PI) / 180));
  let q = db
    .selectFrom('cases')
    .select(['id', 'number', 'state', 'description', 'lng', 'lat', 'reported_at'])
    .select((eb) => scopeWhere(scope)(eb).as('readable'))
    .where('category_id', '=', p.categoryId)
    .where('state', 'in', OPEN_STATES)
    .where('reported_at', '>=', p.since)
    .where('lng', '>=', p.lng - dLng)
    .where('lng', '<=', p.lng + dLng)
    .where('lat', '>=', p.lat - dLat)
    .where('lat', '<=', p.lat + dLat);
  if (p.excludeId) q = q.where('id', '<>', p.excludeId);
  return q.orderBy('reported_at', 'desc').limit(50).execute();
}
