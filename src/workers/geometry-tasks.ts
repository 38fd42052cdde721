// The heavy, pure geometry of grid administration, run in worker threads (src/services/offload.ts): parsing and
// checking an import, the coverage report. Inputs and answers are plain data (structured clone).
import { parseGridImport, type GridImportOptions } from '../domain/geojson-import.js';
import { coverageReport, type CoverageChild, type CoverageOptions } from '../domain/coverage.js';
import type { GridGeometry } from '../domain/geometry.js';

export const tasks = {
  parseGridImport: (json: unknown, options: GridImportOptions) => parseGridImport(json, options),
  coverageReport: (parent: GridGeometry, children: CoverageChild[], options: CoverageOptions) => coverageReport(parent, children, options),
  /** for the stall test and the time limit's own test: spins for `ms` */
  spin: (ms: number) => {
    const end = Date.now() + ms;
    let x = 0;
    while (Date.now() < end) x++;
    return x;
  },
};

export type GeometryTasks = typeof tasks;
