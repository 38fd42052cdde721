// Read-side use cases for reference data: divisions, grids, departments, categories.
import type { DbOrTx } from '../data/db.js';
import { listAudit } from '../data/repos/audit.js';
import { describeLifecycle, type LifecycleDescription } from '../domain/lifecycle/engine.js';
import { CASE_LIFECYCLE } from '../domain/cases/workflow.js';
import { HAZARD_LIFECYCLE } from '../domain/hazards/lifecycle.js';
import { rankingLifecycle } from '../domain/assessment/ranking-lifecycle.js';
import { reportLifecycle } from '../domain/assessment/report-lifecycle.js';
import { findDepartmentName, listActiveGrids, listCategories, listDepartments, listDivisions } from '../data/repos/reference.js';
import { placesOfPaths } from '../data/repos/admin.js';

export { listCategories, listDepartments, listDivisions };

/** The lifecycles the API describes, by kind: the web builds its move forms from them. */
const LIFECYCLES: Record<LifecycleKind, LifecycleDescription> = {
  case: describeLifecycle(CASE_LIFECYCLE),
  hazard: describeLifecycle(HAZARD_LIFECYCLE),
  ranking: describeLifecycle(rankingLifecycle),
  report: describeLifecycle(reportLifecycle),
};
export const LIFECYCLE_KINDS = ['case', 'hazard', 'ranking', 'report'] as const;
export type LifecycleKind = (typeof LIFECYCLE_KINDS)[number];

export function lifecycleDescription(kind: LifecycleKind): LifecycleDescription {
  return LIFECYCLES[kind];
}

/** The audit log, filtered (administrators; the route checks the role). */
export function auditLog(db: DbOrTx, filter: Parameters<typeof listAudit>[1]) {
  return listAudit(db, filter);
}

/** A human name for a user's scope: its department, or the divisions/grids its scope paths name (、-separated). */
export async function scopeNameOf(db: DbOrTx, u: { scope_paths: readonly string[]; department_id: number | null; role: string }): Promise<string> {
  if (u.department_id != null) return (await findDepartmentName(db, u.department_id)) ?? '';
  if (!u.scope_paths.length) return u.role === 'admin' ? '全部' : '';
  const { grids, divisions } = await placesOfPaths(db, u.scope_paths);
  const nameOf = new Map<string, string>([...divisions.map((d) => [d.path, d.name] as const), ...grids.map((g) => [g.path, g.name] as const)]);
  return u.scope_paths.map((p) => nameOf.get(p) ?? '').filter(Boolean).join('、');
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
