// "无缝隙、全覆盖": do the A-class grids directly under a division (or a grid) cover its boundary with no gap and
// no overlap? The answer carries each gap and overlap as a polygon with its area, for the map to draw.
import { area } from '@turf/turf';
import { fromWgs84, type Crs } from '../../domain/map/coordinates.js';
import { offload } from '../offload.js';
import { DomainError } from '../../domain/errors.js';
import type { GridGeometry } from '../../domain/grids/geometry.js';
import { findDivisionByCode, findGridByCode, listGridsUnder, type GridRecord } from '../../data/repos/grids/grids.js';
import type { CoverageResult } from '../../shared/grids-api.js';
import type { ActorContext } from '../context.js';

export interface CoverageQuery {
  parentCode: string;
  sliverM2: number;
  sliverWidthM: number;
  crs: Crs;
}

export async function gridCoverage(ctx: ActorContext, q: CoverageQuery): Promise<CoverageResult> {
  const { db } = ctx;
  const division = await findDivisionByCode(db, q.parentCode);
  const grid = division ? undefined : await findGridByCode(db, q.parentCode);
  if (!division && !grid) throw new DomainError('not_found');
  const parent = division
    ? { kind: 'division' as const, id: division.id, code: division.code, name: division.name, path: division.path, geometry: division.geometry as GridGeometry | null }
    : { kind: 'grid' as const, id: grid!.id, code: grid!.code, name: grid!.name, path: grid!.path, geometry: grid!.geometry as GridGeometry };
  // Without a boundary there is nothing to cover; guessing one (say, the union of the children) would hide gaps.
  if (!parent.geometry) throw new DomainError('coverage_no_boundary', { code: parent.code, name: parent.name });

  const children = topChildren(await listGridsUnder(db, parent.path), parent.kind === 'grid' ? parent.id : null);
  const report = await offload('coverageReport', [
    parent.geometry,
    children.map((c) => ({ id: c.id, code: c.code, geometry: c.geometry as GridGeometry })),
    { sliverM2: q.sliverM2, sliverWidthM: q.sliverWidthM },
  ]);
  const out = <G extends GridGeometry>(g: G): G => (q.crs === 'WGS84' ? g : fromWgs84(g, q.crs));
  return {
    parent: { kind: parent.kind, id: parent.id, code: parent.code, name: parent.name, areaM2: round(area(parent.geometry)) },
    ok: report.ok,
    children: children.map((c) => ({ id: c.id, code: c.code, name: c.name })),
    gaps: report.gaps.map((g) => ({ geometry: out(g.geometry), areaM2: round(g.areaM2) })),
    overlaps: report.overlaps.map((o) => ({ codes: [...o.codes], ids: o.ids.map(Number), geometry: out(o.geometry), areaM2: round(o.areaM2) })),
  };
}

/**
 * The active A-class grids that tile the parent: those in its subtree with no active grid between them and the
 * parent. The halves of a split grid count in its place once it is retired; grids under an active grid do not
 * (they tile that grid, checked on their own).
 */
function topChildren(subtree: readonly GridRecord[], parentGridId: number | null): GridRecord[] {
  const byId = new Map(subtree.map((g) => [g.id, g]));
  return subtree.filter((g) => {
    if (g.id === parentGridId || g.retired_at != null || g.grid_class !== 'A') return false;
    for (let up = g.parent_id; up != null && up !== parentGridId; up = byId.get(up)?.parent_id ?? null) {
      const ancestor = byId.get(up);
      if (!ancestor) break;
      if (ancestor.retired_at == null) return false;
    }
    return true;
  });
}

function round(m2: number): number {
  return m2 >= 10 ? Math.round(m2) : Math.round(m2 * 10) / 10;
}
