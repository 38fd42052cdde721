// The geometry of a boundary edit and of a split, as pure functions over plain data so they run in a worker
// thread (src/services/offload.ts): a boundary of a million vertices must not stop the server answering others.
// Each returns the boundary (or halves) in WGS-84 when usable, else every problem found.
import type { Polygon, Position } from 'geojson';
import { pointOnFeature } from '@turf/turf';
import { positionToWgs84, toWgs84, type Crs } from '../map/coordinates.js';
import { coverageReport, DIGITISING_WIDTH_M } from './coverage.js';
import type { GridGeometry } from './geometry.js';
import { formatLngLat, type GridProblemCode, type ProblemParams } from './messages.js';
import { cutPolygonByLine, sameGeometry } from './shapes.js';
import { validateGridGeometry, validateGridSet, type GridParent } from './validation.js';

/** Problems of an edit: the domain's own, plus those named after stored state (texts in src/shared/messages.ts). */
export type EditProblemCode =
  | GridProblemCode
  | 'grid_child_outside'
  | 'grid_split_line'
  | 'grid_split_multipolygon'
  | 'grid_split_gap'
  | 'grid_split_overlap';

export interface EditProblem {
  index: number | null;
  gridCode: string;
  problem: EditProblemCode;
  params: ProblemParams;
}

export interface BoundaryEditInput {
  code: string;
  current: GridGeometry;
  /** as sent: not yet checked, in `crs` */
  geometry: unknown;
  crs: Crs;
  /** the parent grid's or division's boundary; none when nobody drew it */
  parent: GridParent | null;
  /** active children, which must stay inside the new boundary */
  children: readonly { code: string; geometry: unknown }[];
}

/** The new boundary in WGS-84 (null when it equals the current one), or the problems that refuse it. */
export function checkBoundaryEdit(input: BoundaryEditInput): { ok: true; geometry: GridGeometry | null } | { ok: false; problems: EditProblem[] } {
  const { code } = input;
  const invalid = validateGridGeometry(input.geometry);
  if (invalid.length > 0) return { ok: false, problems: invalid.map((p) => ({ index: null, gridCode: code, problem: p.code, params: p.params })) };
  const geometry = toWgs84(input.geometry as GridGeometry, input.crs);
  if (sameGeometry(input.current, geometry)) return { ok: true, geometry: null };
  const problems: EditProblem[] = [];
  if (input.parent?.geometry) {
    for (const p of validateGridSet([{ code, parentCode: input.parent.code, geometry }], [input.parent])) {
      if (p.problem === 'outside_parent') problems.push({ index: null, gridCode: code, problem: p.problem, params: p.params });
    }
  }
  for (const p of childrenOutside(code, geometry, input.children)) problems.push({ index: null, gridCode: code, problem: 'grid_child_outside', params: p });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, geometry };
}

/** Stored children of a grid that would stick out of `geometry`, as grid_child_outside params. */
export function childrenOutside(code: string, geometry: GridGeometry, children: readonly { code: string; geometry: unknown }[]): ProblemParams[] {
  if (children.length === 0) return [];
  const problems = validateGridSet(
    children.map((c) => ({ code: c.code, parentCode: code, geometry: c.geometry as GridGeometry })),
    [{ code, geometry }],
  );
  return problems
    .filter((p) => p.problem === 'outside_parent')
    .map((p) => ({ child: p.code, areaM2: p.params.areaM2 ?? 0, at: p.params.at ?? '' }));
}

export interface SplitInput {
  code: string;
  current: GridGeometry;
  /** the codes the two halves will get */
  codes: readonly [string, string] | readonly string[];
  crs: Crs;
  /** a line across the grid, in `crs` … */
  line?: readonly Position[] | undefined;
  /** … or the two halves drawn, in `crs`, not yet checked */
  parts?: readonly unknown[] | undefined;
}

/** The two halves in WGS-84, or the problems that refuse the split. */
export function checkSplit(input: SplitInput): { ok: true; parts: Polygon[] } | { ok: false; problems: EditProblem[] } {
  const { code, current: old, codes } = input;
  let parts: Polygon[];
  if (input.line) {
    if (old.type !== 'Polygon') return { ok: false, problems: [{ index: null, gridCode: code, problem: 'grid_split_multipolygon', params: {} }] };
    const line = input.line.map((p) => positionToWgs84(p, input.crs));
    const cut = cutPolygonByLine(old, line);
    if (!cut.ok) return { ok: false, problems: [{ index: null, gridCode: code, problem: 'grid_split_line', params: { count: cut.crossings } }] };
    parts = cut.parts;
  } else {
    const drawn = input.parts ?? [];
    const problems: EditProblem[] = [];
    drawn.forEach((part, index) => {
      for (const p of validateGridGeometry(part)) problems.push({ index, gridCode: codes[index]!, problem: p.code, params: p.params });
    });
    if (problems.length > 0) return { ok: false, problems };
    parts = drawn.map((part) => toWgs84(part as Polygon, input.crs));
  }
  const problems = splitProblems(code, old, parts, codes);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, parts };
}

/**
 * Hairline pieces (under 5 cm wide on average) are clipping noise: a vertex inserted on a kilometre-long straight
 * edge shows up as a "gap" of about 1 m² that is a fraction of a millimetre wide.
 */
const SPLIT_SLIVER_WIDTH_M = DIGITISING_WIDTH_M;

/** The halves must lie within the grid and cover it without gaps or overlaps (slivers aside). */
function splitProblems(code: string, old: GridGeometry, parts: Polygon[], codes: readonly string[]): EditProblem[] {
  const issues: EditProblem[] = [];
  for (const p of validateGridSet(parts.map((geometry, k) => ({ code: codes[k]!, parentCode: code, geometry })), [{ code, geometry: old }])) {
    if (p.problem === 'outside_parent') issues.push({ index: p.index, gridCode: p.code, problem: p.problem, params: p.params });
  }
  let report;
  try {
    report = coverageReport(old, parts.map((geometry, k) => ({ id: k, code: codes[k]!, geometry })), { sliverWidthM: SPLIT_SLIVER_WIDTH_M });
  } catch {
    // turf cannot clip what it cannot read; the boundary checks above already name the fault, or this does.
    return issues.length > 0 ? issues : [{ index: null, gridCode: code, problem: 'grid_split_gap', params: { areaM2: 0, at: '' } }];
  }
  for (const gap of report.gaps) issues.push({ index: null, gridCode: code, problem: 'grid_split_gap', params: { areaM2: Math.round(gap.areaM2), at: at(gap.geometry) } });
  for (const o of report.overlaps) issues.push({ index: null, gridCode: code, problem: 'grid_split_overlap', params: { areaM2: Math.round(o.areaM2) } });
  return issues;
}

function at(geometry: Polygon): string {
  const [lng, lat] = pointOnFeature(geometry).geometry.coordinates as [number, number];
  return formatLngLat(lng, lat);
}
