// Where an enterprise belongs (issue 14): its A-class grid from its position (the grid that tiles the ground it
// stands on), and, when it is a key unit (重点单位), its own C-class grid (专属网格) — the one named, or else the
// active C grid drawn around its position. A key unit without any C grid is still a key unit; cases naming it stay
// with its A grid until a C grid is drawn.
import { gridAt, type GridGeometry } from '../../domain/grids/geometry.js';
import { DomainError } from '../../domain/errors.js';
import type { DbOrTx } from '../../data/db.js';
import { activeCGrids } from '../../data/repos/enterprises.js';

export type CGrid = Awaited<ReturnType<typeof activeCGrids>>[number];

/** The active C grid whose boundary holds the point (a shared edge: the smaller code), or null. */
export function cGridAt(grids: readonly CGrid[], lng: number, lat: number): CGrid | null {
  const near = grids.filter((g) => lng >= g.min_lng && lng <= g.max_lng && lat >= g.min_lat && lat <= g.max_lat);
  const hit = gridAt(lng, lat, near.map((g) => ({ id: g.id, code: g.code, geometry: g.geometry as GridGeometry })));
  return hit ? near.find((g) => g.id === hit.id)! : null;
}

/** The key unit's C grid: the one named (refused when not an active C grid), else the one around its position. */
export async function keyUnitCGrid(db: DbOrTx, keyUnit: boolean, cGridId: number | null | undefined, lng: number, lat: number): Promise<CGrid | null> {
  if (!keyUnit) {
    if (cGridId != null) throw new DomainError('key_unit_grid_invalid');
    return null;
  }
  const grids = await activeCGrids(db);
  if (cGridId != null) {
    const named = grids.find((g) => g.id === cGridId);
    if (!named) throw new DomainError('key_unit_grid_invalid');
    return named;
  }
  return cGridAt(grids, lng, lat);
}
