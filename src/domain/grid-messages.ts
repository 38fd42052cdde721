// Problems found in grid boundaries, grid imports and grid-people sheets: a stable code plus parameters, and the
// message table that renders them in zh-CN and English. Kept apart from src/shared/messages.ts because these
// problems come back as lists (one per feature or row), not as a single thrown DomainError.

export type GridLang = 'zh-CN' | 'en';

export type GridProblemCode =
  // document level
  | 'invalid_json'
  | 'not_feature_collection'
  | 'no_features'
  | 'too_many_features'
  | 'too_many_vertices'
  // feature level
  | 'not_feature'
  | 'missing_code'
  | 'invalid_code'
  | 'missing_name'
  | 'name_too_long'
  | 'missing_parent'
  | 'invalid_class'
  | 'invalid_level'
  // geometry
  | 'missing_geometry'
  | 'not_polygon'
  | 'malformed_coordinates'
  | 'coordinate_not_finite'
  | 'coordinate_out_of_range'
  | 'ring_not_closed'
  | 'ring_too_short'
  | 'ring_zero_area'
  | 'self_intersection'
  | 'hole_outside_shell'
  // set level
  | 'duplicate_code'
  | 'code_not_extending_parent'
  | 'unknown_parent'
  | 'outside_parent'
  | 'a_class_overlap'
  // people sheet
  | 'unreadable_file'
  | 'no_sheet'
  | 'missing_column'
  | 'too_many_rows'
  | 'missing_value'
  | 'unknown_role'
  | 'invalid_phone'
  | 'value_too_long'
  | 'unknown_grid'
  | 'duplicate_person';

export type ProblemParams = Record<string, string | number>;

export interface GridProblem {
  code: GridProblemCode;
  params: ProblemParams;
}

type Templates = { 'zh-CN': string; en: string };

// Ring numbering in params: `part` counts the polygons of a MultiPolygon from 1 (always 1 for a Polygon);
// `ring` counts rings from 1, ring 1 being the outer boundary and 2.. the holes. People read these, so 1-based.
export const GRID_MESSAGES: Record<GridProblemCode, Templates> = {
  invalid_json: { 'zh-CN': '文件不是有效的 JSON：{detail}', en: 'The file is not valid JSON: {detail}' },
  not_feature_collection: {
    'zh-CN': '文件不是 GeoJSON 要素集合（FeatureCollection）。',
    en: 'The file is not a GeoJSON FeatureCollection.',
  },
  no_features: { 'zh-CN': '文件中没有任何要素。', en: 'The file contains no features.' },
  too_many_features: {
    'zh-CN': '要素过多（{count} 个），单次最多导入 {max} 个。',
    en: 'Too many features ({count}); at most {max} can be imported at once.',
  },
  too_many_vertices: {
    'zh-CN': '边界顶点过多（{count} 个以上），单次最多导入 {max} 个顶点，请分批导入或简化边界。',
    en: 'Too many boundary vertices (over {count}); at most {max} per import. Import in parts or simplify the boundaries.',
  },
  not_feature: { 'zh-CN': '不是 GeoJSON 要素（Feature）。', en: 'is not a GeoJSON Feature.' },
  missing_code: { 'zh-CN': '缺少网格编码（code / 编码）。', en: 'has no grid code (code / 编码).' },
  invalid_code: {
    'zh-CN': '网格编码“{value}”格式不正确，只能包含数字和字母，最长 {max} 位。',
    en: 'grid code "{value}" is malformed: use digits and letters only, at most {max} characters.',
  },
  missing_name: { 'zh-CN': '缺少网格名称（name / 名称）。', en: 'has no grid name (name / 名称).' },
  name_too_long: {
    'zh-CN': '网格名称过长（{length} 个字符，最多 {max} 个）。',
    en: 'grid name is too long ({length} characters, at most {max}).',
  },
  missing_parent: {
    'zh-CN': '缺少上级编码（parent / 上级编码）。',
    en: 'has no parent code (parent / 上级编码).',
  },
  invalid_class: {
    'zh-CN': '网格类别“{value}”无效，应为 A、B 或 C。',
    en: 'grid class "{value}" is invalid; use A, B or C.',
  },
  invalid_level: {
    'zh-CN': '网格层级“{value}”无效，应为正整数。',
    en: 'grid level "{value}" is invalid; use a positive whole number.',
  },
  missing_geometry: { 'zh-CN': '缺少边界（geometry）。', en: 'has no boundary (geometry).' },
  not_polygon: {
    'zh-CN': '边界类型为 {type}，应为面（Polygon 或 MultiPolygon）。',
    en: 'boundary is a {type}; it must be a Polygon or MultiPolygon.',
  },
  malformed_coordinates: {
    'zh-CN': '第 {part} 个面的坐标结构不正确（{detail}）。',
    en: 'coordinates of part {part} are malformed ({detail}).',
  },
  coordinate_not_finite: {
    'zh-CN': '第 {part} 个面第 {ring} 个环的第 {position} 个坐标不是有效数字。',
    en: 'position {position} of ring {ring} in part {part} is not a pair of finite numbers.',
  },
  coordinate_out_of_range: {
    'zh-CN': '坐标 {lng},{lat} 超出经纬度范围（经度 -180~180，纬度 -90~90），请确认是经纬度而非投影坐标。',
    en: 'coordinate {lng},{lat} is out of range (longitude -180..180, latitude -90..90); is it projected rather than longitude/latitude?',
  },
  ring_not_closed: {
    'zh-CN': '第 {part} 个面的第 {ring} 个环未闭合（首点 {first}，末点 {last}）。',
    en: 'ring {ring} of part {part} is not closed (first {first}, last {last}).',
  },
  ring_too_short: {
    'zh-CN': '第 {part} 个面的第 {ring} 个环点数不足（{count} 个点，其中 {distinct} 个不同点；至少需要 3 个不同点并闭合）。',
    en: 'ring {ring} of part {part} has too few positions ({count}, {distinct} distinct; needs 3 distinct points and closure).',
  },
  ring_zero_area: {
    'zh-CN': '第 {part} 个面的第 {ring} 个环面积为零（各点共线）。',
    en: 'ring {ring} of part {part} encloses no area (its points are collinear).',
  },
  self_intersection: {
    'zh-CN': '边界自相交，位置 {at}（共 {count} 处）。',
    en: 'ring self-intersects at {at} ({count} place(s) in all).',
  },
  hole_outside_shell: {
    'zh-CN': '第 {part} 个面的内环 {ring} 不在外边界内（位置 {at}）。',
    en: 'hole (ring {ring}) of part {part} lies outside its outer boundary (at {at}).',
  },
  duplicate_code: {
    'zh-CN': '网格编码 {code} 重复（与第 {other} 个要素相同）。',
    en: 'grid code {code} is used twice (also by feature {other}).',
  },
  code_not_extending_parent: {
    'zh-CN': '网格编码 {code} 应以上级编码 {parent} 开头并比它更长。',
    en: 'grid code {code} must start with its parent code {parent} and be longer.',
  },
  unknown_parent: { 'zh-CN': '上级编码 {parent} 不存在。', en: 'parent code {parent} does not exist.' },
  outside_parent: {
    'zh-CN': '超出上级 {parent} 的边界约 {areaM2} 平方米（容差 {toleranceM} 米），位置 {at}。',
    en: 'extends about {areaM2} m² beyond its parent {parent} (tolerance {toleranceM} m), at {at}.',
  },
  a_class_overlap: {
    'zh-CN': '与 A 类网格 {other}（{otherName}）重叠约 {areaM2} 平方米，位置 {at}；A 类网格按行政区域划分，彼此不得重叠（不论上级是否相同，容差 {toleranceM} 米）。',
    en: 'overlaps the A-class grid {other} ({otherName}) by about {areaM2} m², at {at}; A-class grids divide the territory and may not overlap one another, whatever their parents (tolerance {toleranceM} m).',
  },
  unreadable_file: {
    'zh-CN': '无法读取文件，请上传 .xlsx 格式的 Excel 文件。',
    en: 'The file cannot be read; upload an .xlsx Excel file.',
  },
  no_sheet: { 'zh-CN': '文件中没有工作表。', en: 'The workbook has no sheet.' },
  missing_column: {
    'zh-CN': '表头缺少“{column}”列，请使用下载的模板。',
    en: 'The header row lacks the column "{column}"; use the downloaded template.',
  },
  too_many_rows: {
    'zh-CN': '行数过多（{count} 行），单次最多导入 {max} 行。',
    en: 'Too many rows ({count}); at most {max} can be imported at once.',
  },
  missing_value: { 'zh-CN': '“{column}”不能为空。', en: '"{column}" must not be empty.' },
  unknown_role: {
    'zh-CN': '职务“{value}”无效，应为：网格长、网格员或包片干部。',
    en: 'role "{value}" is unknown; use 网格长 (grid leader), 网格员 (grid worker) or 包片干部 (liaison cadre).',
  },
  invalid_phone: {
    'zh-CN': '手机号“{value}”不正确，应为 11 位大陆手机号码。',
    en: 'phone "{value}" is not an 11-digit mainland China mobile number.',
  },
  value_too_long: {
    'zh-CN': '“{column}”过长（{length} 个字符，最多 {max} 个）。',
    en: '"{column}" is too long ({length} characters, at most {max}).',
  },
  unknown_grid: { 'zh-CN': '网格编码 {value} 不存在。', en: 'grid code {value} does not exist.' },
  duplicate_person: {
    'zh-CN': '与第 {other} 行重复（同一网格、同一职务、同一手机号）。',
    en: 'duplicates row {other} (same grid, role and phone).',
  },
};

/** Fill a template's {name} placeholders; unknown placeholders stay visible so a missing param is noticed. */
export function fillTemplate(template: string, params: ProblemParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(params, key) ? String(params[key]) : whole,
  );
}

export function renderGridProblem(problem: GridProblem, lang: GridLang = 'zh-CN'): string {
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
  lang: GridLang = 'zh-CN',
): string {
  const body = renderGridProblem({ code: error.problem, params: error.params }, lang);
  if (error.index === null) return body;
  const n = error.index + 1;
  if (lang === 'zh-CN') {
    const prefix = error.code ? `第 ${n} 个要素（编码 ${error.code}）` : `第 ${n} 个要素`;
    return `${prefix}：${body}`;
  }
  const prefix = error.code ? `Feature ${n} (code ${error.code})` : `Feature ${n}`;
  return `${prefix}: ${body}`;
}

/** One people-sheet problem as a sentence naming the Excel row and column: "第 5 行“手机”：…" / "Row 5, 手机: …". */
export function renderSheetProblem(
  error: { row: number; column?: string | undefined; problem: GridProblemCode; params: ProblemParams },
  lang: GridLang = 'zh-CN',
): string {
  const body = renderGridProblem({ code: error.problem, params: error.params }, lang);
  if (error.row <= 0) return body;
  if (lang === 'zh-CN') return `第 ${error.row} 行${error.column ? `“${error.column}”` : ''}：${body}`;
  return `Row ${error.row}${error.column ? `, ${error.column}` : ''}: ${body}`;
}

/** Coordinates as people type them into a map search box: "116.66,35.43", at most 6 decimals (~0.1 m). */
export function formatLngLat(lng: number, lat: number): string {
  const f = (v: number) => String(Number(v.toFixed(6)));
  return `${f(lng)},${f(lat)}`;
}
