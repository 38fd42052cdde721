// Problems found in grid boundaries, grid imports and grid-people sheets: a stable code plus parameters, rendered
// per feature or row. Their texts are in the one catalogue, src/shared/messages.ts (GRID_PROBLEM_MESSAGES).

import { fillTemplate, GRID_PROBLEM_MESSAGES, message, type GridProblemCode, type Lang } from '../../shared/messages.js';

export type { GridProblemCode } from '../../shared/messages.js';
export { fillTemplate } from '../../shared/messages.js';
/** The texts of the grid problems (in the one catalogue). */
export const GRID_MESSAGES = GRID_PROBLEM_MESSAGES;

export type ProblemParams = Record<string, string | number>;

export interface GridProblem {
  code: GridProblemCode;
  params: ProblemParams;
}


export function renderGridProblem(problem: GridProblem, lang: Lang = 'zh-CN'): string {
  const templates = GRID_MESSAGES[problem.code];
  if (!templates) return `${problem.code} ${JSON.stringify(problem.params)}`;
  return fillTemplate(templates[lang], problem.params);
}

/**
 * One import problem as a sentence naming the feature: "第 3 个要素（编码 37087100500101）：…" /
 * "Feature 3 (code 37087100500101): …". `index` is the 0-based position in `features`; people count from 1.
 * A null index means the problem concerns the whole file.
 */
export function renderFeatureProblem(
  error: { index: number | null; code?: string | undefined; problem: GridProblemCode; params: ProblemParams },
  lang: Lang = 'zh-CN',
): string {
  return atFeature(error.index, error.code, renderGridProblem({ code: error.problem, params: error.params }, lang), lang);
}

/** A problem's text after the feature it concerns (none when the index is null: the whole file). */
export function atFeature(index: number | null, code: string | undefined, body: string, lang: Lang): string {
  if (index === null) return body;
  const place = code ? message('problem_feature_code', { n: index + 1, code }, lang) : message('problem_feature', { n: index + 1 }, lang);
  return message('problem_at', { place, body }, lang);
}

/** One people-sheet problem as a sentence naming the Excel row and column: "第 5 行“手机”：…" / "Row 5, 手机: …". */
export function renderSheetProblem(
  error: { row: number; column?: string | undefined; problem: GridProblemCode; params: ProblemParams },
  lang: Lang = 'zh-CN',
): string {
  const body = renderGridProblem({ code: error.problem, params: error.params }, lang);
  if (error.row <= 0) return body;
  const place = error.column ? message('problem_row_column', { row: error.row, column: error.column }, lang) : message('problem_row', { row: error.row }, lang);
  return message('problem_at', { place, body }, lang);
}

/** Coordinates as people type them into a map search box: "116.66,35.43", at most 6 decimals (~0.1 m). */
export function formatLngLat(lng: number, lat: number): string {
  const f = (v: number) => String(Number(v.toFixed(6)));
  return `${f(lng)},${f(lat)}`;
}
