// "A-class grids may not overlap any other A-class grid, whatever their parent": the stored neighbours of a set of
// new or changed A-class boundaries, read by bounding box, and the domain's check (src/domain/grids/overlap.ts)
// run in a worker thread. Used by the import, the boundary edit and the split; each refuses with these issues.
import { bboxOf, type GridGeometry } from '../../domain/grids/geometry.js';
import type { OverlapGrid } from '../../domain/grids/overlap.js';
import type { DbOrTx } from '../../data/db.js';
import { listActiveGridsInBox, listGridHeads } from '../../data/repos/grids/grids.js';
import type { GridIssue } from './problems.js';
import { offload } from '../offload.js';

export interface OverlapCandidate {
  /** the feature's 0-based index in an import, null for an edit */
  index: number | null;
  code: string;
  name: string;
  /** the parent grid's or division's code */
  parentCode: string | null;
  /** WGS-84 */
  geometry: GridGeometry;
}

/**
 * Issues for every overlap the candidates (all A-class) would make with each other or with a stored active A-class
 * grid that is not above or below them. A stored grid with a candidate's code is the candidate's old self; those
 * in `replaced` (say, grids an import turns into B-class) are left out too.
 */
export async function aClassOverlapIssues(db: DbOrTx, candidates: readonly OverlapCandidate[], replaced: ReadonlySet<string> = new Set()): Promise<GridIssue[]> {
  if (candidates.length === 0) return [];
  let box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const c of candidates) {
    const [x0, y0, x1, y1] = bboxOf(c.geometry);
    box = [Math.min(box[0], x0), Math.min(box[1], y0), Math.max(box[2], x1), Math.max(box[3], y1)];
  }
  const [heads, near] = await Promise.all([listGridHeads(db), listActiveGridsInBox(db, 'A', box)]);
  // Who is above whom: stored grids by parent id, the candidates by the parent code they name.
  const codeById = new Map(heads.map((h) => [h.id, h.code]));
  const parentOf = new Map<string, string | null>(heads.map((h) => [h.code, h.parent_id != null ? (codeById.get(h.parent_id) ?? null) : null]));
  for (const c of candidates) parentOf.set(c.code, c.parentCode);
  const ancestors = (code: string): string[] => {
    const out: string[] = [];
    for (let up = parentOf.get(code) ?? null; up != null && out.length < 64 && !out.includes(up); up = parentOf.get(up) ?? null) out.push(up);
    return out;
  };
  const toGrid = (g: { code: string; name: string; geometry: unknown }): OverlapGrid => ({
    code: g.code,
    name: g.name,
    ancestors: ancestors(g.code),
    geometry: g.geometry as GridGeometry,
  });
  const found = await offload('aClassOverlaps', [candidates.map(toGrid), near.filter((g) => !replaced.has(g.code)).map(toGrid), {}]);
  return found.map((o) => {
    const c = candidates[o.index]!;
    return {
      index: c.index,
      gridCode: o.code,
      problem: 'a_class_overlap' as const,
      params: { other: o.other, otherName: o.otherName, areaM2: o.areaM2, toleranceM: o.toleranceM, at: o.at, lng: o.lng, lat: o.lat },
    };
  });
}
