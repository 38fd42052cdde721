// Patrols (巡查) of grid workers: start, track batches (idempotent by the phone's batch key), check-ins in grids
// (the grid found from the position), end; reading patrols in scope; patrol coverage of the scope's grids.
import type { ActorContext } from './context.js';
import { caseScope, requireRole } from './access.js';
import { commonAreaPath, inAreas } from '../domain/access.js';
import { locate } from './grids/lookup.js';
import { DomainError } from '../domain/errors.js';
import { positionToWgs84, type Crs } from '../domain/map/coordinates.js';
import { addDays, dayStart, shanghaiDay } from '../domain/stats/stats.js';
import { inTransaction } from '../data/db.js';
import { gridsOfScope } from '../data/repos/map/map.js';
import {
  checkinsOf,
  checkinsPerGrid,
  claimBatch,
  findActivePatrol,
  findCheckinByKey,
  findPatrol,
  findPatrolByKey,
  findPatrolInScope,
  insertCheckin,
  insertPatrol,
  insertPoints,
  listPatrols,
  trackOf,
  updatePatrolTotals,
} from '../data/repos/patrol.js';
import {
  CHECKIN_MAX_ACCURACY_M,
  TRACK_MAX_ACCURACY_M,
  type CheckinInput,
  type Coverage,
  type PatrolDetail,
  type PatrolStart,
  type PatrolSummary,
  type PointBatch,
} from '../shared/patrol-api.js';
import type { Tx } from '../data/db.js';

/** How far back a phone may date what it recorded offline, and how far ahead its clock may run. */
const OFFLINE_MAX_MS = 7 * 86_400_000;
const CLOCK_SKEW_MS = 5 * 60_000;

function clientTime(at: string | undefined, now: Date): Date {
  if (!at) return now;
  const t = new Date(at);
  if (t.getTime() > now.getTime() + CLOCK_SKEW_MS || t.getTime() < now.getTime() - OFFLINE_MAX_MS) throw new DomainError('points_out_of_time');
  return t;
}

function wgs84(lng: number, lat: number, crs: Crs): [number, number] {
  const [x, y] = positionToWgs84([lng, lat], crs);
  return [x!, y!];
}

/** Metres along the track, leaving out fixes worse than TRACK_MAX_ACCURACY_M. */
export function trackLength(points: readonly { lng: number; lat: number; accuracy_m: number | null }[]): number {
  const R = 6_371_008.8;
  let total = 0;
  let prev: { lng: number; lat: number } | null = null;
  for (const p of points) {
    if (p.accuracy_m != null && p.accuracy_m > TRACK_MAX_ACCURACY_M) continue;
    if (prev) {
      const φ1 = (prev.lat * Math.PI) / 180;
      const φ2 = (p.lat * Math.PI) / 180;
      const dφ = φ2 - φ1;
      const dλ = ((p.lng - prev.lng) * Math.PI) / 180;
      const h = Math.sin(dφ / 2) ** 2 + Math.cos(φ1) * Math.cos(φ2) * Math.sin(dλ / 2) ** 2;
      total += 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
    }
    prev = p;
  }
  return Math.round(total);
}

async function ownPatrol(trx: Tx, ctx: ActorContext, id: number) {
  const p = await findPatrol(trx, id, true);
  if (!p) throw new DomainError('not_found');
  if (p.user_id !== ctx.actor.id) {
    // Patrols of others in one's scope are readable, never writable; out of scope they do not exist.
    if (!(await findPatrolInScope(trx, caseScope(ctx.actor), ctx.actor.id, id))) throw new DomainError('not_found');
    throw new DomainError('patrol_not_yours');
  }
  return p;
}

async function refreshTotals(trx: Tx, id: number, endedAt?: Date) {
  const track = await trackOf(trx, id);
  return updatePatrolTotals(trx, id, { distance_m: trackLength(track), point_count: track.length, ...(endedAt ? { ended_at: endedAt } : {}) });
}

/** Starts a patrol, or answers with the one already running (a phone that lost the answer starts again). */
export async function startPatrol(ctx: ActorContext, input: PatrolStart): Promise<{ id: number; resumed: boolean }> {
  const { db, actor, now } = ctx;
  requireRole(actor, ['grid_worker']);
  if (!actor.scopePaths.length) throw new DomainError('forbidden');
  if (input.clientKey) {
    const earlier = await findPatrolByKey(db, actor.id, input.clientKey);
    if (earlier) return { id: earlier.id, resumed: true };
  }
  const active = await findActivePatrol(db, actor.id);
  if (active) return { id: active.id, resumed: true };
  const startedAt = clientTime(input.at, now);
  const pos = input.lng != null && input.lat != null ? wgs84(input.lng, input.lat, input.crs) : null;
  try {
    const p = await insertPatrol(db, {
      userId: actor.id,
      // the patrol is read by whoever covers all of the worker's grids (their common division for several)
      areaPath: commonAreaPath(actor.scopePaths)!,
      clientKey: input.clientKey ?? null,
      startedAt,
      lng: pos?.[0] ?? null,
      lat: pos?.[1] ?? null,
      note: input.note ?? '',
    });
    return { id: p.id, resumed: false };
  } catch (err) {
    // Two starts raced (two taps, a retry): one patrol is running; answer with it.
    if ((err as { code?: string }).code === '23505') {
      const running = (input.clientKey && (await findPatrolByKey(db, actor.id, input.clientKey))) || (await findActivePatrol(db, actor.id));
      if (running) return { id: running.id, resumed: true };
    }
    throw err;
  }
}

export async function addPoints(ctx: ActorContext, patrolId: number, batch: PointBatch) {
  const { db, now } = ctx;
  return inTransaction(db, async (trx) => {
    const p = await ownPatrol(trx, ctx, patrolId);
    const points = batch.points.map((pt) => {
      const at = new Date(pt.at);
      // A point before the patrol began or in the future is a wrong clock, not a track.
      if (at.getTime() < p.started_at.getTime() - CLOCK_SKEW_MS || at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw new DomainError('points_out_of_time');
      const [lng, lat] = wgs84(pt.lng, pt.lat, batch.crs);
      return { at, lng, lat, accuracy: pt.accuracy ?? null };
    });
    if (!(await claimBatch(trx, p.id, batch.batchKey, points.length, now))) {
      return { stored: 0, duplicate: true, pointCount: p.point_count, distanceM: p.distance_m };
    }
    await insertPoints(trx, p.id, batch.batchKey, points);
    const updated = await refreshTotals(trx, p.id);
    return { stored: points.length, duplicate: false, pointCount: updated.point_count, distanceM: updated.distance_m };
  });
}

export async function checkIn(ctx: ActorContext, patrolId: number, input: CheckinInput) {
  const { db, actor, now } = ctx;
  return inTransaction(db, async (trx) => {
    const p = await ownPatrol(trx, ctx, patrolId);
    if (input.clientKey) {
      const earlier = await findCheckinByKey(trx, p.id, input.clientKey);
      if (earlier) return earlier.id;
    }
    if (p.ended_at) throw new DomainError('patrol_not_active');
    if (input.accuracy > CHECKIN_MAX_ACCURACY_M) throw new DomainError('position_inaccurate', { accuracy: Math.round(input.accuracy), max: CHECKIN_MAX_ACCURACY_M });
    const [lng, lat] = wgs84(input.lng, input.lat, input.crs);
    const place = await locate(trx, lng, lat);
    if (place.gridId == null || !place.path) throw new DomainError('position_outside_grids');
    if (!inAreas(actor.scopePaths, place.path)) throw new DomainError('checkin_outside_scope');
    const at = clientTime(input.at, now);
    const c = await insertCheckin(trx, { patrolId: p.id, userId: actor.id, gridId: place.gridId, gridPath: place.path, at, lng, lat, accuracy: input.accuracy, clientKey: input.clientKey ?? null });
    return c.id;
  });
}

export async function endPatrol(ctx: ActorContext, patrolId: number, input: { at?: string | undefined }) {
  const { db, now } = ctx;
  return inTransaction(db, async (trx) => {
    const p = await ownPatrol(trx, ctx, patrolId);
    if (p.ended_at) return p.id; // ending twice (a retry) changes nothing
    const at = clientTime(input.at, now);
    await refreshTotals(trx, p.id, at < p.started_at ? p.started_at : at);
    return p.id;
  });
}

function presentSummary(r: {
  id: number;
  user_id: number;
  user_name: string;
  started_at: Date;
  ended_at: Date | null;
  distance_m: number;
  point_count: number;
  checkin_count: number | null;
  note: string;
}): PatrolSummary {
  return {
    id: r.id,
    userId: r.user_id,
    userName: r.user_name,
    startedAt: r.started_at.toISOString(),
    endedAt: r.ended_at?.toISOString() ?? null,
    distanceM: r.distance_m,
    pointCount: r.point_count,
    checkinCount: r.checkin_count ?? 0,
    note: r.note,
  };
}

function readers(ctx: ActorContext) {
  requireRole(ctx.actor, ['admin', 'operator', 'leader', 'grid_worker']);
  return caseScope(ctx.actor);
}

function period(q: { from?: string | undefined; to?: string | undefined }, now: Date, back: number) {
  const to = q.to ?? shanghaiDay(now);
  const from = q.from ?? addDays(to, -back);
  if (from > to) throw new DomainError('stats_period_invalid', { maxDays: 3660 });
  return { from, to, a: dayStart(from), b: dayStart(addDays(to, 1)) };
}

export async function searchPatrols(ctx: ActorContext, q: { from?: string | undefined; to?: string | undefined; userId?: number | undefined; page: number; pageSize: number }) {
  const scope = readers(ctx);
  const { a, b } = period(q, ctx.now, 6);
  const { items, total } = await listPatrols(ctx.db, scope, ctx.actor.id, { from: a, to: b, userId: q.userId, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return { items: items.map(presentSummary), total };
}

export async function patrolDetail(ctx: ActorContext, id: number): Promise<PatrolDetail> {
  const scope = readers(ctx);
  const p = await findPatrolInScope(ctx.db, scope, ctx.actor.id, id);
  if (!p) throw new DomainError('not_found');
  const [track, checkins] = await Promise.all([trackOf(ctx.db, id), checkinsOf(ctx.db, id)]);
  return {
    ...presentSummary(p),
    track: { type: 'LineString', coordinates: track.map((t) => [t.lng, t.lat] as [number, number]) },
    times: track.map((t) => t.at.toISOString()),
    accuracies: track.map((t) => t.accuracy_m),
    checkins: checkins.map((c) => ({ id: c.id, gridId: c.grid_id, gridName: c.grid_name, at: c.at.toISOString(), lng: c.lng, lat: c.lat, accuracy: c.accuracy_m })),
  };
}

/** Patrol coverage: the scope's A-class grids with at least one check-in in the period (by anyone), over all of them. */
export async function patrolCoverage(ctx: ActorContext, q: { from?: string | undefined; to?: string | undefined }): Promise<Coverage> {
  const scope = readers(ctx);
  const { from, to, a, b } = period(q, ctx.now, 6);
  const grids = await gridsOfScope(ctx.db, scope);
  const counts = await checkinsPerGrid(ctx.db, scope.kind === 'area' ? scope.paths : null, a, b);
  const byGrid = new Map(counts.map((c) => [c.grid_id, c]));
  const items = grids.map((g) => {
    const c = byGrid.get(g.id);
    return { gridId: g.id, code: g.code, name: g.name, checkins: c?.n ?? 0, lastCheckinAt: c ? new Date(c.last_at).toISOString() : null, covered: (c?.n ?? 0) > 0 };
  });
  const covered = items.filter((i) => i.covered).length;
  return { from, to, total: items.length, covered, rate: items.length ? covered / items.length : null, items };
}
