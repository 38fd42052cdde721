// Read-side use cases for reference data: divisions, grids, departments, categories.
import type { DbOrTx } from '../data/db.js';
import { listAudit } from '../data/repos/audit.js';
import { describeLifecycle, type LifecycleDescription } from '../domain/lifecycle/engine.js';
import { CASE_LIFECYCLE } from '../domain/workflow.js';
import { findAreaName, findDepartmentName, listActiveGrids, listCategories, listDepartments, listDivisions } from '../data/repos/reference.js';

export { listCategories, listDepartments, listDivisions };

/** The lifecycles the API describes, by kind: the web builds its move forms from them. */
const LIFECYCLES: Record<string, LifecycleDescription> = { case: describeLifecycle(CASE_LIFECYCLE) };

export function lifecycleDescription(kind: string): LifecycleDescription | undefined {
  return LIFECYCLES[kind];
}

/** The audit log, filtered (administrators; the route checks the role). */
export function auditLog(db: DbOrTx, filter: Parameters<typeof listAudit>[1]) {
  return listAudit(db, filter);
}

/** A human name for a user's scope: its department, or the deepest division/grid of its scope path. */
export async function scopeNameOf(db: DbOrTx, u: { scope_path: string | null; department_id: number | null; role: string }): Promise<string> {
  if (u.department_id != null) return (await findDepartmentName(db, u.department_id)) ?? '';
  if (!u.scope_path) return u.role === 'admin' ? '全部' : '';
  return (await findAreaName(db, u.scope_path)) ?? '';
}

export async function gridCollection(db: DbOrTx) {
  const grids = await listActiveGrids(db);
  let bbox: [number, number, number, number] | null = null;
  for (const g of grids) {
    bbox = bbox
      ? [Math.min(bbox[0], g.min_lng), Math.min(bbox[1], g.min_lat), Math.max(bbox[2], g.max_lng), Math.max(bbox[3], g.max_lat)]
      : [g.min_lng, g.min_lat, g.max_lng, g.max_lat];
  }
  return {
    type: 'FeatureCollection' as const,
    bbox,
    features: grids.map((g) => ({
      type: 'Feature' as const,
      id: g.id,
      properties: {
        id: g.id,
        code: g.code,
        name: g.name,
        gridClass: g.grid_class,
        divisionId: g.division_id,
        communityName: g.community_name,
        labelLng: g.label_lng,
        labelLat: g.label_lat,
      },
      geometry: g.geometry,
    })),
  };
}
