// The in-memory point → grid index over active A-class grids, one per database, rebuilt after grids change.
// On PostgreSQL with several processes, a change is announced with NOTIFY and every process drops its index
// (src/server/live.ts); the next lookup rebuilds it.
import { EventEmitter } from 'node:events';
import { buildGridIndex, type GridIndex } from '../../domain/grids/point-index.js';
import type { GridGeometry } from '../../domain/grids/geometry.js';
import { rootOf, type DbOrTx } from '../../data/db.js';
import { listActiveAGridShapes } from '../../data/repos/grids/grids.js';

interface Entry {
  generation: number;
  index: Promise<{ index: GridIndex; paths: Map<number, { path: string; version: number; code: string }> }>;
}

const cache = new WeakMap<object, Entry>();
let generation = 0;

/** Emits 'changed' after a grid change commits in this process (the live bridge forwards it). */
export const gridBus = new EventEmitter();

/** Forget every index; called after grids change here, or when another process says they did. */
export function invalidateGridIndex(opts: { remote?: boolean } = {}): void {
  generation += 1;
  if (!opts.remote) gridBus.emit('changed');
}

/** How often the index was built, for tests and diagnostics. */
export const gridIndexStats = { builds: 0 };

async function build(db: DbOrTx) {
  gridIndexStats.builds += 1;
  const rows = await listActiveAGridShapes(db);
  return {
    index: buildGridIndex(rows.map((r) => ({ id: r.id, code: r.code, geometry: r.geometry as GridGeometry }))),
    paths: new Map(rows.map((r) => [r.id, { path: r.path, version: r.version, code: r.code }])),
  };
}

/**
 * The index for this database (or transaction: a long transaction, like the demo seed, builds it once).
 * Every grid change bumps the generation, so no index outlives a change.
 */
export async function gridIndexFor(db: DbOrTx) {
  // Keyed by the transaction's database, so a check-in or a report inside a use case's transaction hits.
  const key = rootOf(db);
  const hit = cache.get(key);
  if (hit && hit.generation === generation) return hit.index;
  const entry: Entry = { generation, index: build(db) };
  cache.set(key, entry);
  entry.index.catch(() => cache.get(key) === entry && cache.delete(key));
  return entry.index;
}

export interface PointRoute {
  gridId: number | null;
  path: string | null;
  version: number | null;
  suggested: { gridId: number; path: string; distanceM: number } | null;
}

/** Which grid holds the point; if none, the nearest grid as a suggestion (never silently routed there). */
export async function locate(db: DbOrTx, lng: number, lat: number, maxSuggestM = 5000): Promise<PointRoute> {
  const { index, paths } = await gridIndexFor(db);
  const id = index.lookup(lng, lat);
  if (id != null) {
    const p = paths.get(id)!;
    return { gridId: id, path: p.path, version: p.version, suggested: null };
  }
  const near = index.nearest(lng, lat, maxSuggestM);
  return {
    gridId: null,
    path: null,
    version: null,
    suggested: near ? { gridId: near.id, path: paths.get(near.id)!.path, distanceM: Math.round(near.distanceM) } : null,
  };
}
