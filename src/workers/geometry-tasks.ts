// The heavy, pure geometry of grid administration, run in worker threads (src/services/offload.ts): parsing and
// checking an import, a boundary edit and a split, the A-class overlap rule, the coverage report. Inputs and answers are plain data (structured clone).
import { parseGridImport, type GridImportOptions } from '../domain/grids/geojson-import.js';
import { coverageReport, type CoverageChild, type CoverageOptions } from '../domain/grids/coverage.js';
import type { GridGeometry } from '../domain/grids/geometry.js';
import { checkBoundaryEdit, checkSplit, childrenOutside, type BoundaryEditInput, type SplitInput } from '../domain/grids/edit-checks.js';
import { validateGridGeometry } from '../domain/grids/validation.js';
import { aClassOverlaps, type OverlapGrid, type OverlapOptions } from '../domain/grids/overlap.js';

export const tasks = {
  parseGridImport: (json: unknown, options: GridImportOptions) => parseGridImport(json, options),
  coverageReport: (parent: GridGeometry, children: CoverageChild[], options: CoverageOptions) => coverageReport(parent, children, options),
  /** one boundary's problems (a division's, say) */
  validateGridGeometry: (geometry: unknown) => validateGridGeometry(geometry),
  checkBoundaryEdit: (input: BoundaryEditInput) => checkBoundaryEdit(input),
  checkSplit: (input: SplitInput) => checkSplit(input),
  /** for each new boundary, the stored children it would leave sticking out (grid_child_outside params) */
  childrenOutsideMany: (holders: { code: string; geometry: GridGeometry; children: { code: string; geometry: unknown }[] }[]) =>
    holders.map((h) => childrenOutside(h.code, h.geometry, h.children)),
  aClassOverlaps: (candidates: OverlapGrid[], stored: OverlapGrid[], options: OverlapOptions = {}) => aClassOverlaps(candidates, stored, options),
  /** for the stall test and the time limit's own test: spins for `ms` */
  spin: (ms: number) => {
    const end = Date.now() + ms;
    let x = 0;
    while (Date.now() < end) x++;
    return x;
  },
};

export type GeometryTasks = typeof tasks;
