// Lists of problems that refuse a grid import, a people sheet, or a boundary edit. The domain's problems
// (src/domain/grids/messages.ts) and the few this layer adds (stored state: retired codes, parent changes, children
// left outside) travel together, and are rendered in the reader's language only at the HTTP edge.
import { DomainError, type DomainErrorCode } from '../../domain/errors.js';
import { atFeature, GRID_MESSAGES, renderFeatureProblem, renderSheetProblem, type GridProblemCode, type ProblemParams } from '../../domain/grids/messages.js';
import { message, type Lang } from '../../shared/messages.js';
import type { GridProblemOut } from '../../shared/grids-api.js';

/** Problems this layer adds; their texts are in src/shared/messages.ts. */
export type StoredProblemCode =
  | 'grid_import_retired_code'
  | 'grid_import_parent_changed'
  | 'grid_import_bad_number'
  | 'grid_child_outside'
  | 'grid_split_line'
  | 'grid_split_multipolygon'
  | 'grid_split_gap'
  | 'grid_split_overlap';

export interface GridIssue {
  /** 0-based feature index in an import; null for an edit or a whole-file problem */
  index: number | null;
  /** Excel row of a people sheet (0 = the whole file) */
  row?: number;
  column?: string;
  gridCode?: string;
  problem: GridProblemCode | StoredProblemCode;
  params: ProblemParams;
}

/** A refused change with every problem found; nothing was saved. Rendered as 422 with `errors`. */
export class GridRejected extends DomainError {
  constructor(
    code: DomainErrorCode,
    readonly issues: readonly GridIssue[],
  ) {
    super(code, { count: issues.length });
    this.name = 'GridRejected';
  }
}

function isDomainProblem(code: string): code is GridProblemCode {
  return Object.prototype.hasOwnProperty.call(GRID_MESSAGES, code);
}

export function renderIssue(issue: GridIssue, lang: Lang): string {
  if (issue.row !== undefined && isDomainProblem(issue.problem)) {
    return renderSheetProblem({ row: issue.row, column: issue.column, problem: issue.problem, params: issue.params }, lang);
  }
  if (isDomainProblem(issue.problem)) {
    return renderFeatureProblem({ index: issue.index, code: issue.gridCode, problem: issue.problem, params: issue.params }, lang);
  }
  const body = message(issue.problem, issue.params, lang);
  // A sheet row's problem whose text does not name its row itself (the users sheet's texts do; row 0 is the file).
  if (issue.index === null && issue.row && !('row' in issue.params)) return message('problem_at', { place: message('problem_row', { row: issue.row }, lang), body }, lang);
  // The same place before the text as renderFeatureProblem writes, so a list reads as one voice.
  return atFeature(issue.index, issue.gridCode, body, lang);
}

export function presentIssues(issues: readonly GridIssue[], lang: Lang): GridProblemOut[] {
  return issues.map((i) => ({
    index: i.index,
    ...(i.row !== undefined ? { row: i.row } : {}),
    ...(i.column !== undefined ? { column: i.column } : {}),
    code: i.problem,
    ...(i.gridCode !== undefined ? { gridCode: i.gridCode } : {}),
    params: i.params,
    message: renderIssue(i, lang),
  }));
}

/** The 422 body of a refused change: every problem, and a headline naming the first. */
export function rejectionBody(err: GridRejected, lang: Lang) {
  const errors = presentIssues(err.issues, lang);
  const first = errors[0]?.message ?? '';
  return { errors, error: { code: err.code, message: message(err.code, { count: errors.length, first }, lang) } };
}

/** The one masking rule (src/domain/phone-mask.ts), here for the grid services that import it from this module. */
export { maskPhone } from '../../domain/phone-mask.js';
