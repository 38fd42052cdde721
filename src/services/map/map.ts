// The command-centre map: clusters or single cases, heat cells, and the load of each grid, for the actor's scope.
//
// The case points of one (scope, period) are loaded once into typed arrays with a spatial index
// (src/domain/map/clusters.ts) and every pan or zoom is answered from memory. Each request first asks whether any case
// was written since (a sequence every write bumps: one tiny query); if so the cached set catches up with only the
// cases written since (cases.updated_at, indexed): they are skipped in the base set and held in a small newer set,
// so a write costs two index lookups, not a reload. The re-read window reaches back CATCH_UP_SLACK_MS, so a
// transaction that committed late is still seen. The base is reloaded in the background when the newer set grows
// large or after TTL; until the new base is ready the current one keeps answering.
import type { ActorContext } from '../context.js';
import { caseScope } from '../access.js';
import type { Scope } from '../../domain/access.js';
import { BoxTooLarge, MAX_CELLS, buildPointSet, buildPointSetFromColumns, clusterPoints, concatColumns, heatCells, openLoad, stateMask, type Bbox, type PointRow, type PointSet, type PointSource } from '../../domain/map/clusters.js';
import { PYRAMID_FROM } from '../../domain/map/pyramid.js';
import { addDays, dayStart, gridIdOfPath } from '../../domain/stats/stats.js';
import { casePoints, caseChangeVersion, changedCaseIds, changedCasePoints, gridsByIds, gridsOfScope, mapUsers, type PointFilter } from '../../data/repos/map/map.js';
import { splitScope } from '../../data/repos/stats/stats.js';
import type { DbOrTx } from '../../data/db.js';
import { parseBbox, parseStates, type GridLoad, type MapCases, type MapCasesQuery, type MapHeat } from '../../shared/map-api.js';
import { resolvePeriod } from '../stats/stats.js';
import { DomainError } from '../../domain/errors.js';

export const MAP_MAX_DAYS = 731;
/** Open cases from which a grid is shown orange. */
export const GRID_BUSY_FROM = 10;

export interface MapCacheOptions {
  /** reload the base set after this long, changes or not */
  ttlMs: number;
  /** how far back each catch-up re-reads written cases (longer than any transaction) */
  catchUpSlackMs: number;
  /** reload the base once this many cases changed since it was loaded (or 5 % of it, if more) */
  maxChanged: number;
  /** points all cached sets may hold together; least recently used go first */
  maxPoints: number;
  /** sets of at least this many points get cell sums on every level (src/domain/map/pyramid.ts) */
  pyramidFrom: number;
}

const options: MapCacheOptions = {
  ttlMs: Number(process.env.MAP_CACHE_TTL_MS ?? 300_000),
  catchUpSlackMs: 60_000,
  maxChanged: 2000,
  maxPoints: Number(process.env.MAP_CACHE_MAX_POINTS ?? 4_000_000),
  pyramidFrom: PYRAMID_FROM,
};

export function configureMapCache(o: Partial<MapCacheOptions>): void {
  Object.assign(options, o);
}

interface Entry {
  key: string;
  base: PointSet;
  /** when the base was loaded (ms) */
  loadedAt: number;
  /** the change version the entry is current with */
  version: number;
  /** cases written from here on are re-read by the next catch-up */
  since: Date;
  /** ids written since the base was loaded: skipped in the base */
  changed: Set<number>;
  /** those of them in scope and period now */
  newer: Map<number, PointRow>;
  newerSet: PointSet;
  usedAt: number;
  reloading: Promise<void> | null;
  catchingUp: Promise<void> | null;
}

const caches = new WeakMap<object, Map<string, Entry>>();
const loading = new WeakMap<object, Map<string, Promise<Entry>>>();

/** Forget every cached set (tests, or after a bulk change made without the services). */
export function clearMapCache(db: object): void {
  caches.delete(db);
  loading.delete(db);
}

/** What a cached set holds: the cases of a scope reported in a period, or the open cases of a scope (grid load). */
interface SetSpec {
  key: string;
  scope: Scope;
  filter: PointFilter;
}

function periodSpec(scope: Scope, from: string, to: string): SetSpec {
  return { key: JSON.stringify([scope, from, to]), scope, filter: { from: dayStart(from), to: dayStart(addDays(to, 1)) } };
}

function openSpec(scope: Scope): SetSpec {
  return { key: JSON.stringify([scope, 'open']), scope, filter: { open: true } };
}

async function load(db: DbOrTx, spec: SetSpec, version: number): Promise<Entry> {
  const since = new Date(Date.now() - options.catchUpSlackMs);
  const split = await splitScope(db, spec.scope);
  const parts = await Promise.all([
    ...(split.partWhere ? [casePoints(db, split.partWhere, spec.filter)] : []),
    ...(split.extras ? [casePoints(db, split.extras, spec.filter)] : []),
  ]);
  const cols = parts.length ? concatColumns(parts) : null;
  const now = Date.now();
  return {
    key: spec.key,
    base: cols ? buildPointSetFromColumns(cols, { pyramid: cols.size >= options.pyramidFrom }) : buildPointSet([]),
    loadedAt: now,
    version,
    since,
    changed: new Set(),
    newer: new Map(),
    newerSet: buildPointSet([]),
    usedAt: now,
    reloading: null,
    catchingUp: null,
  };
}

/** Brings an entry up to `version` by re-reading the cases written since its last catch-up. */
async function catchUp(db: DbOrTx, e: Entry, spec: SetSpec, version: number): Promise<void> {
  const since = e.since;
  const next = new Date(Date.now() - options.catchUpSlackMs);
  const split = await splitScope(db, spec.scope);
  const [ids, part, extra] = await Promise.all([
    changedCaseIds(db, since),
    split.partWhere ? changedCasePoints(db, split.partWhere, spec.filter, since) : [],
    split.extras ? changedCasePoints(db, split.extras, spec.filter, since) : [],
  ]);
  for (const id of ids) {
    e.changed.add(id);
    e.newer.delete(id);
  }
  for (const r of [...part, ...extra]) e.newer.set(r.id, r);
  e.newerSet = buildPointSet([...e.newer.values()]);
  e.version = Math.max(e.version, version);
  if (next > e.since) e.since = next;
}

function evict(cache: Map<string, Entry>): void {
  let total = 0;
  for (const e of cache.values()) total += e.base.size;
  for (const [k, e] of [...cache].sort((x, y) => x[1].usedAt - y[1].usedAt)) {
    if (total <= options.maxPoints || cache.size <= 1) break;
    cache.delete(k);
    total -= e.base.size;
  }
}

async function pointSources(db: DbOrTx, spec: SetSpec): Promise<PointSource[]> {
  const key = spec.key;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let pending = loading.get(db);
  if (!pending) loading.set(db, (pending = new Map()));
  const version = await caseChangeVersion(db);
  let e = cache.get(key);
  if (!e) {
    // One load per key at a time: concurrent first requests for the same view (and a warm-up) share it.
    let p = pending.get(key);
    if (!p) {
      const started = load(db, spec, version).then((loaded) => {
        cache.set(key, loaded);
        evict(cache);
        return loaded;
      });
      p = started.finally(() => pending.delete(key));
      pending.set(key, p);
    }
    e = await p;
  }
  const entry = e;
  entry.usedAt = Date.now();
  if (entry.version !== version) {
    if (!entry.catchingUp) entry.catchingUp = catchUp(db, entry, spec, version).finally(() => (entry.catchingUp = null));
    await entry.catchingUp;
  }
  const stale = Date.now() - entry.loadedAt > options.ttlMs || entry.changed.size > Math.max(options.maxChanged, entry.base.size / 20);
  if (stale && !entry.reloading) {
    // A fresh base in the background; it starts with the changes made while it loads (its own slack covers them).
    entry.reloading = load(db, spec, version)
      .then(async (fresh) => {
        await catchUp(db, fresh, spec, await caseChangeVersion(db));
        cache.set(key, fresh);
        evict(cache);
      })
      .catch(() => undefined)
      .finally(() => (entry.reloading = null));
  }
  return [{ set: entry.base, skip: entry.changed }, { set: entry.newerSet }];
}

/** Starts loading a set in the background unless it is cached or loading already. */
function prefetch(db: DbOrTx, spec: SetSpec): void {
  if (caches.get(db)?.has(spec.key) || loading.get(db)?.has(spec.key)) return;
  void pointSources(db, spec).catch(() => undefined);
}

/**
 * Loads, in the background, the sets the command map asks for first: for the most recently seen users who open it
 * (operators, leaders, administrators; at most `users`), their open cases (grid load) and their cases of the
 * default period (the last 30 days), one after the other. A request that comes while a set loads waits for that
 * load instead of starting another. Errors are left to the request that needs the set.
 */
export async function warmMapCache(db: DbOrTx, now: Date, users = Number(process.env.MAP_WARM_USERS ?? 2)): Promise<void> {
  if (!(users > 0)) return;
  const { from, to } = mapPeriod({}, now);
  for (const u of await mapUsers(db, users)) {
    const scope = caseScope({ id: u.id, role: u.role, scopePaths: u.scope_paths, departmentId: u.department_id });
    for (const spec of [openSpec(scope), periodSpec(scope, from, to)]) await pointSources(db, spec).catch(() => undefined);
  }
}

/** A box that needs more cells than one answer may count is refused with a message, before any memory is taken. */
function boxRefused(e: unknown): never {
  if (e instanceof BoxTooLarge) throw new DomainError('map_box_too_large', { maxCells: MAX_CELLS, cells: e.cells });
  throw e;
}

function mapPeriod(q: { from?: string | undefined; to?: string | undefined }, now: Date) {
  return resolvePeriod(q, now, (_today, to) => addDays(to, -29), MAP_MAX_DAYS, 'map_period_invalid');
}

export async function mapCases(ctx: ActorContext, q: MapCasesQuery): Promise<MapCases> {
  const { from, to } = mapPeriod(q, ctx.now);
  const scope = caseScope(ctx.actor);
  const sources = await pointSources(ctx.db, periodSpec(scope, from, to));
  // the command map colours the grids by their load beside the cases: its open cases load meanwhile
  prefetch(ctx.db, openSpec(scope));
  let r: ReturnType<typeof clusterPoints>;
  try {
    r = clusterPoints(sources, parseBbox(q.bbox) as Bbox, q.zoom, stateMask(parseStates(q.states)), ctx.now.getTime());
  } catch (e) {
    boxRefused(e);
  }
  return { type: 'FeatureCollection', features: r.features, total: r.total, clustered: r.clustered, period: { from, to }, asOf: ctx.now.toISOString() };
}

export async function mapHeat(ctx: ActorContext, q: MapCasesQuery): Promise<MapHeat> {
  const { from, to } = mapPeriod(q, ctx.now);
  const sources = await pointSources(ctx.db, periodSpec(caseScope(ctx.actor), from, to));
  let r: ReturnType<typeof heatCells>;
  try {
    r = heatCells(sources, parseBbox(q.bbox) as Bbox, q.zoom, stateMask(parseStates(q.states)), ctx.now.getTime());
  } catch (e) {
    boxRefused(e);
  }
  return { type: 'FeatureCollection', features: r.features, total: r.total, max: r.max, period: { from, to } };
}

/** Open and overdue cases now per grid of the scope, to colour the grid polygons. */
export async function gridsLoad(ctx: ActorContext): Promise<GridLoad> {
  const { db, now } = ctx;
  const scope = caseScope(ctx.actor);
  // Open cases of the scope live in memory like the map's points (caught up with every write, reloaded now and
  // then); overdue is judged at `now` from their deadlines.
  const [sources, grids] = await Promise.all([pointSources(db, openSpec(scope)), gridsOfScope(db, scope)]);
  const byGrid = new Map<string, { open: number; overdue: number }>();
  for (const [path, o] of openLoad(sources, now.getTime())) {
    const k = String(gridIdOfPath(path) ?? '');
    const prev = byGrid.get(k) ?? { open: 0, overdue: 0 };
    byGrid.set(k, { open: prev.open + o.open, overdue: prev.overdue + o.overdue });
  }
  const known = new Map(grids.map((g) => [String(g.id), g]));
  // Cases of the scope in grids outside it (own reports elsewhere) are listed too: the sums match the list.
  const extraIds = [...byGrid.keys()].filter((k) => k && !known.has(k)).map(Number);
  const others = await gridsByIds(db, extraIds);
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
