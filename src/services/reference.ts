// Read-side use cases for reference data: divisions, grids, departments, categories.
import type { DbOrTx } from '../data/db.js';
import { listActiveGrids, listCategories, listDepartments, listDivisions } from '../data/repos/reference.js';
import { placesOfPaths } from '../data/repos/admin.js';

export { listCategories, listDepartments, listDivisions };

/** A human name for a user's scope: its department, or the divisions/grids its scope paths name (、-separated). */
export async function scopeNameOf(db: DbOrTx, u: { scope_paths: readonly string[]; department_id: number | null; role: string }): Promise<string> {
  if (u.department_id != null) {
    const d = await db.selectFrom('departments').select('name').where('id', '=', u.department_id).executeTakeFirst();
    return d?.name ?? '';
  }
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
