// The command-centre map: clusters or single cases, heat cells, and the load of each grid, for the actor's scope.
//
// Case points of one (scope, period) are loaded once into typed arrays with a spatial index (src/domain/clusters.ts)
// and every pan or zoom is answered from memory. An index is rebuilt when the cases changed (a sequence every
// write bumps, read per request: one tiny query) or after CACHE_TTL_MS. A large index (slow to build) may be served
// stale for a short while, bounded by ten times its build time, while a fresh one is built in the background; a
// small one is always rebuilt before answering, so what the map shows is what the list shows.
import type { ActorContext } from './context.js';
import { caseScope } from './access.js';
import type { Scope } from '../domain/access.js';
import { buildPointSet, clusterPoints, heatCells, stateMask, type Bbox, type PointSet } from '../domain/clusters.js';
import { addDays, dayStart, gridIdOfPath } from '../domain/stats.js';
import { casePoints, caseChangeVersion, gridsOfScope } from '../data/repos/map.js';
import { openCounts, splitScope } from '../data/repos/stats.js';
import type { DbOrTx } from '../data/db.js';
import { parseBbox, parseStates, type GridLoad, type MapCases, type MapCasesQuery, type MapHeat } from '../shared/map-api.js';
import { resolvePeriod } from './stats.js';

export const MAP_MAX_DAYS = 731;
/** Open cases from which a grid is shown orange. */
export const GRID_BUSY_FROM = 10;

export interface MapCacheOptions {
  /** rebuild at the latest after this long, changes or not */
  ttlMs: number;
  /** upper bound of the stale window (ten times the build time, when that is over staleAfterBuildMs) */
  maxStaleMs: number;
  /** builds faster than this are always awaited, never served stale */
  staleAfterBuildMs: number;
  /** points all cached indexes may hold together; least recently used go first */
  maxPoints: number;
}

const options: MapCacheOptions = {
  ttlMs: Number(process.env.MAP_CACHE_TTL_MS ?? 300_000),
  maxStaleMs: Number(process.env.MAP_MAX_STALE_MS ?? 10_000),
  staleAfterBuildMs: 250,
  maxPoints: Number(process.env.MAP_CACHE_MAX_POINTS ?? 4_000_000),
};

export function configureMapCache(o: Partial<MapCacheOptions>): void {
  Object.assign(options, o);
}

interface Entry {
  version: number;
  builtAt: number;
  buildMs: number;
  usedAt: number;
  set: PointSet;
}

interface Build {
  startedAt: number;
  promise: Promise<Entry>;
}

const caches = new WeakMap<object, Map<string, Entry>>();
const builds = new WeakMap<object, Map<string, Build>>();

/** Forget every cached index (tests, or after a bulk change made without the triggers). */
export function clearMapCache(db: object): void {
  caches.delete(db);
  builds.delete(db);
}

async function build(db: DbOrTx, scope: Scope, from: string, to: string, version: number): Promise<Entry> {
  const t0 = performance.now();
  const split = await splitScope(db, scope);
  const a = dayStart(from);
  const b = dayStart(addDays(to, 1));
  const parts = await Promise.all([
    split.partWhere ? casePoints(db, split.partWhere, a, b) : [],
    split.extras ? casePoints(db, split.extras, a, b) : [],
  ]);
  const set = buildPointSet(parts.flat());
  const now = Date.now();
  return { version, builtAt: now, usedAt: now, buildMs: performance.now() - t0, set };
}

function evict(cache: Map<string, Entry>): void {
  let total = 0;
  for (const e of cache.values()) total += e.set.size;
  for (const [k, e] of [...cache].sort((x, y) => x[1].usedAt - y[1].usedAt)) {
    if (total <= options.maxPoints || cache.size <= 1) break;
    cache.delete(k);
    total -= e.set.size;
  }
}

async function pointSet(db: DbOrTx, scope: Scope, from: string, to: string): Promise<PointSet> {
  const key = JSON.stringify([scope, from, to]);
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let running = builds.get(db);
  if (!running) builds.set(db, (running = new Map()));
  const version = await caseChangeVersion(db);
  // One build per key at a time: concurrent requests for the same view share it.
  const refresh = (): Build => {
    let b = running.get(key);
    if (!b) {
      const promise = build(db, scope, from, to, version)
        .then((e) => {
          cache.set(key, e);
          evict(cache);
          return e;
        })
        .finally(() => running.delete(key));
      promise.catch(() => undefined);
      running.set(key, (b = { startedAt: Date.now(), promise }));
    }
    return b;
  };
  const hit = cache.get(key);
  if (hit) {
    const now = Date.now();
    hit.usedAt = now;
    if (hit.version === version && now - hit.builtAt < options.ttlMs) return hit.set;
    const window = hit.buildMs >= options.staleAfterBuildMs ? Math.min(options.maxStaleMs, 10 * hit.buildMs) : 0;
    if (window > 0) {
      const b = refresh();
      if (now - b.startedAt < window) return hit.set;
      return (await b.promise).set;
    }
  }
  return (await refresh().promise).set;
}

function mapPeriod(q: { from?: string | undefined; to?: string | undefined }, now: Date) {
  return resolvePeriod(q, now, (_today, to) => addDays(to, -29), MAP_MAX_DAYS, 'map_period_invalid');
}

export async function mapCases(ctx: ActorContext, q: MapCasesQuery): Promise<MapCases> {
  const { from, to } = mapPeriod(q, ctx.now);
  const set = await pointSet(ctx.db, caseScope(ctx.actor), from, to);
  const r = clusterPoints(set, parseBbox(q.bbox) as Bbox, q.zoom, stateMask(parseStates(q.states)), ctx.now.getTime());
  return { type: 'FeatureCollection', features: r.features, total: r.total, clustered: r.clustered, period: { from, to }, asOf: ctx.now.toISOString() };
}

export async function mapHeat(ctx: ActorContext, q: MapCasesQuery): Promise<MapHeat> {
  const { from, to } = mapPeriod(q, ctx.now);
  const set = await pointSet(ctx.db, caseScope(ctx.actor), from, to);
  const r = heatCells(set, parseBbox(q.bbox) as Bbox, q.zoom, stateMask(parseStates(q.states)), ctx.now.getTime());
  return { type: 'FeatureCollection', features: r.features, total: r.total, max: r.max, period: { from, to } };
}

/** Open and overdue cases now per grid of the scope, to colour the grid polygons. */
export async function gridsLoad(ctx: ActorContext): Promise<GridLoad> {
  const { db, now } = ctx;
  const scope = caseScope(ctx.actor);
  const split = await splitScope(db, scope);
  const [part, extra, grids] = await Promise.all([
    split.partWhere ? openCounts(db, split.partWhere, 'area', now) : [],
    split.extras ? openCounts(db, split.extras, 'area', now) : [],
    gridsOfScope(db, scope),
  ]);
  const byGrid = new Map<string, { open: number; overdue: number }>();
  for (const o of [...part, ...extra]) {
    if (o.total) continue;
    const k = String(gridIdOfPath(o.key) ?? '');
    const prev = byGrid.get(k) ?? { open: 0, overdue: 0 };
    byGrid.set(k, { open: prev.open + o.open, overdue: prev.overdue + o.overdue });
  }
  const known = new Map(grids.map((g) => [String(g.id), g]));
  // Cases of the scope in grids outside it (own reports elsewhere) are listed too: the sums match the list.
  const extraIds = [...byGrid.keys()].filter((k) => k && !known.has(k)).map(Number);
  const others = extraIds.length
    ? await db.selectFrom('grids').select(['id', 'code', 'name', 'path', 'label_lng', 'label_lat']).where('id', 'in', extraIds).execute()
    : [];
  const items = [...grids, ...others].map((g) => {
    const c = byGrid.get(String(g.id)) ?? { open: 0, overdue: 0 };
    const level: GridLoad['items'][number]['level'] = c.overdue > 0 ? 'red' : c.open >= GRID_BUSY_FROM ? 'orange' : c.open > 0 ? 'yellow' : 'green';
    return {
      gridId: g.id,
      code: g.code,
      name: g.name,
      labelLng: g.label_lng,
      labelLat: g.label_lat,
      open: { value: c.open, filter: { open: 'true', gridId: String(g.id) } },
      overdue: { value: c.overdue, filter: { warningLevel: 'red', gridId: String(g.id) } },
      level,
    };
  });
  const unrouted = byGrid.get('') ?? { open: 0, overdue: 0 };
  return { items, unrouted: { value: unrouted.open, filter: { open: 'true', unrouted: 'true' } }, busyFrom: GRID_BUSY_FROM, asOf: now.toISOString() };
}
