// Communities and villages in bulk: an Excel sheet (级别, 编码, 名称) or a GeoJSON FeatureCollection whose features
// carry code, name and level with their boundaries. This reads the file on its own; the caller adds what only the
// database knows (the parent street, codes taken) and checks each boundary like a grid's, so one refusal names every
// bad row or feature. Pure, no I/O.
import ExcelJS from 'exceljs';
import { cellText, newWorkbook } from './sheet-cells.js';

export const DIVISIONS_SHEET = '社区村';
export const MAX_DIVISION_ROWS = 2000;

export type LocalLevel = 'community' | 'village';

export interface DivisionImportRow {
  /** Excel row number (sheet), or null for a GeoJSON feature */
  row: number | null;
  /** 0-based feature index (GeoJSON), or null for a sheet row */
  index: number | null;
  code: string;
  name: string;
  level: LocalLevel;
  /** the feature's geometry as read (checked later like a grid's); undefined for a sheet row */
  geometry?: unknown;
}

export interface DivisionImportProblem {
  row: number | null;
  index: number | null;
  code?: string;
  problem:
    | 'division_import_unreadable'
    | 'division_import_empty'
    | 'division_import_too_many'
    | 'division_import_missing_column'
    | 'division_import_missing'
    | 'division_import_level'
    | 'division_import_duplicate';
  params: Record<string, string | number>;
}

const LEVEL_BY_TEXT = new Map<string, LocalLevel>([
  ['社区', 'community'],
  ['居委会', 'community'],
  ['community', 'community'],
  ['村', 'village'],
  ['村委会', 'village'],
  ['village', 'village'],
]);

/** 级别 as written: blank means a community. */
function levelOf(text: string): LocalLevel | null {
  if (!text) return 'community';
  return LEVEL_BY_TEXT.get(text.trim().toLowerCase()) ?? null;
}

const COLUMNS = [
  { key: 'level', header: '级别', width: 10 },
  { key: 'code', header: '编码', width: 16 },
  { key: 'name', header: '名称', width: 24 },
] as const;
type Key = (typeof COLUMNS)[number]['key'];
const ALIASES: Record<string, Key> = { level: 'level', code: 'code', name: 'name', 区划编码: 'code', 统计用区划代码: 'code', 社区名称: 'name', 村名称: 'name' };


/** The template: the header, two example rows and a sheet of instructions. */
export async function buildDivisionsTemplate(streetCode = '370871005'): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = wb.addWorksheet(DIVISIONS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: { numFmt: '@' } }));
  ws.getRow(1).font = { bold: true };
  ws.addRow({ level: '社区', code: `${streetCode}001`, name: '示例社区居委会' });
  ws.addRow({ level: '村', code: `${streetCode}201`, name: '示例村村委会' });
  const help = wb.addWorksheet('填写说明');
  [
    '社区/村导入表填写说明（第一行为表头，请勿修改）',
    '级别：社区 或 村（留空按社区）',
    '编码：12 位统计用区划代码，前 9 位为所属街道的编码（街道须已建立）',
    '名称：社区或村的名称',
    '已存在的编码会更新名称；边界请用 GeoJSON 导入（每个要素带 code、name、level 属性），或在区划管理中逐个设置。',
    '整表有任何错误时不导入任何内容。',
  ].forEach((line) => help.addRow([line]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The rows of the sheet and every problem found in it (rows numbered as Excel shows them). */
export async function parseDivisionsSheet(bytes: Buffer): Promise<{ rows: DivisionImportRow[]; problems: DivisionImportProblem[] }> {
  const wb = new ExcelJS.Workbook();
  const unreadable = { rows: [], problems: [{ row: 0, index: null, problem: 'division_import_unreadable' as const, params: {} }] };
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return unreadable;
  }
  const ws = wb.getWorksheet(DIVISIONS_SHEET) ?? wb.worksheets[0];
  if (!ws) return unreadable;
  const col = new Map<Key, number>();
  ws.getRow(1).eachCell((cell, n) => {
    const text = cellText(cell.value).replace(/[*＊]/g, '').trim();
    const key = COLUMNS.find((c) => c.header === text)?.key ?? ALIASES[text.toLowerCase()];
    if (key && !col.has(key)) col.set(key, n);
  });
  const missing = (['code', 'name'] as const).filter((k) => !col.has(k));
  if (missing.length) {
    return { rows: [], problems: missing.map((k) => ({ row: 1, index: null, problem: 'division_import_missing_column' as const, params: { column: COLUMNS.find((c) => c.key === k)!.header } })) };
  }
  const raw: { row: number; level: string; code: string; name: string }[] = [];
  ws.eachRow((r, n) => {
    if (n === 1) return;
    const get = (k: Key) => (col.has(k) ? cellText(r.getCell(col.get(k)!).value) : '');
    const v = { row: n, level: get('level'), code: get('code'), name: get('name') };
    if (v.level || v.code || v.name) raw.push(v);
  });
  return checkRows(raw.map((r) => ({ ...r, index: null })));
}

/** The features of a FeatureCollection (or one Feature) as rows; properties code/编码, name/名称, level/级别. */
export function parseDivisionsGeoJson(json: unknown): { rows: DivisionImportRow[]; problems: DivisionImportProblem[] } {
  const j = json as { type?: string; features?: unknown[] } | null;
  const features = j?.type === 'FeatureCollection' && Array.isArray(j.features) ? j.features : j?.type === 'Feature' ? [j] : null;
  if (!features) return { rows: [], problems: [{ row: null, index: null, problem: 'division_import_unreadable', params: {} }] };
  const raw = features.map((f, i) => {
    const props = ((f as { properties?: Record<string, unknown> })?.properties ?? {}) as Record<string, unknown>;
    const text = (...keys: string[]) => {
      for (const k of keys) if (props[k] != null && String(props[k]).trim() !== '') return String(props[k]).trim();
      return '';
    };
    return {
      row: null,
      index: i,
      level: text('level', '级别'),
      code: text('code', '编码', 'CODE'),
      name: text('name', '名称', 'NAME'),
      geometry: (f as { geometry?: unknown })?.geometry ?? null,
    };
  });
  return checkRows(raw);
}

function checkRows(raw: { row: number | null; index: number | null; level: string; code: string; name: string; geometry?: unknown }[]) {
  const at = (r: { row: number | null; index: number | null }) => ({ row: r.row, index: r.index });
  if (raw.length === 0) return { rows: [], problems: [{ row: 0, index: null, problem: 'division_import_empty' as const, params: {} }] };
  if (raw.length > MAX_DIVISION_ROWS) return { rows: [], problems: [{ row: 0, index: null, problem: 'division_import_too_many' as const, params: { max: MAX_DIVISION_ROWS } }] };
  const rows: DivisionImportRow[] = [];
  const problems: DivisionImportProblem[] = [];
  const seen = new Map<string, string>();
  for (const r of raw) {
    const before = problems.length;
    const where = r.row != null ? String(r.row) : String((r.index ?? 0) + 1);
    if (!r.code) problems.push({ ...at(r), problem: 'division_import_missing', params: { column: '编码 / code' } });
    if (!r.name || r.name.length > 100) problems.push({ ...at(r), ...(r.code ? { code: r.code } : {}), problem: 'division_import_missing', params: { column: '名称 / name' } });
    const level = levelOf(r.level);
    if (!level) problems.push({ ...at(r), ...(r.code ? { code: r.code } : {}), problem: 'division_import_level', params: { value: r.level } });
    if (r.code && seen.has(r.code)) problems.push({ ...at(r), code: r.code, problem: 'division_import_duplicate', params: { code: r.code, other: seen.get(r.code)! } });
    else if (r.code) seen.set(r.code, where);
    if (problems.length === before) rows.push({ row: r.row, index: r.index, code: r.code, name: r.name, level: level!, ...(r.geometry !== undefined ? { geometry: r.geometry } : {}) });
  }
  return { rows, problems };
}
