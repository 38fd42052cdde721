// The grid-people spreadsheet (网格人员表): a template to fill in, its parser and an export in the same layout, so
// a street office can download, edit in Excel and upload again. Like the grid import, parsing is all-or-nothing
// and names every bad cell by the row number Excel shows.
import ExcelJS from 'exceljs';
import { DomainError } from '../errors.js';
import { checkSpreadsheet, DEFAULT_SPREADSHEET_LIMITS } from '../spreadsheet-limits.js';
import type { GridProblemCode, ProblemParams } from './messages.js';
import { MAX_CODE_LENGTH } from './geojson-import.js';
import { cellText, newWorkbook } from '../sheet-cells.js';

export type PersonRole = 'grid_leader' | 'grid_worker' | 'liaison_cadre';

/** The label written in the sheet for each role. */
export const ROLE_LABELS: Record<PersonRole, string> = {
  grid_leader: '网格长',
  grid_worker: '网格员',
  liaison_cadre: '包片干部',
};

// 联系领导 is what some streets call the cadre who looks after a grid (DOMAIN.md: 包片干部/联系领导); the codes
// themselves are accepted so an export made by a script also re-imports.
const ROLE_ALIASES: Record<string, PersonRole> = {
  网格长: 'grid_leader',
  网格员: 'grid_worker',
  包片干部: 'liaison_cadre',
  联系领导: 'liaison_cadre',
  grid_leader: 'grid_leader',
  grid_worker: 'grid_worker',
  liaison_cadre: 'liaison_cadre',
};

export interface PeopleRow {
  /** the row number Excel shows */
  row: number;
  gridCode: string;
  name: string;
  role: PersonRole;
  /** 11 digits, no prefix or separators; null only on a row that names an account */
  phone: string | null;
  note: string | null;
  /**
   * the username of the grid-worker account this row stands for (用户管理 links each grid worker's account to a
   * 网格员 record on its grids); such a row may leave the phone empty, and its name is the account's
   */
  account?: string;
}

export interface PeopleSheetError {
  /** the row number Excel shows; 0 when the problem concerns the whole file */
  row: number;
  /** the header text of the offending column, when one cell is at fault */
  column?: string;
  problem: GridProblemCode;
  params: ProblemParams;
}

export type PeopleSheetResult = { ok: true; rows: PeopleRow[] } | { ok: false; errors: PeopleSheetError[] };

export interface PeopleSheetOptions {
  /** when given, a grid code outside this set is an error */
  knownGridCodes?: ReadonlySet<string> | readonly string[];
  /** refuse sheets with more filled rows than this (default 5000) */
  maxRows?: number;
}

export interface PeopleExportRow {
  gridCode: string;
  gridName?: string | null;
  name: string;
  role: PersonRole;
  phone: string;
  note?: string | null;
  /** the linked account's username, for a record that stands for one */
  account?: string | null;
}

export const SHEET_NAME = '网格人员';
const HELP_SHEET_NAME = '填写说明';
const MAX_NAME_LENGTH = 50;
const MAX_NOTE_LENGTH = 200;
const MAX_ACCOUNT_LENGTH = 50;
const DEFAULT_MAX_ROWS = 5000;
/** rows of the template that get the 职务 drop-down and text formats */
const TEMPLATE_ROWS = 1000;

type ColumnKey = 'gridCode' | 'name' | 'role' | 'phone' | 'note' | 'account';

interface ColumnSpec {
  key: ColumnKey;
  header: string;
  required: boolean;
  width: number;
  /** written as a cell note on the header, so the explanation travels with the file */
  note: string;
  /** a required column whose cell may stay empty on a row that fills this other one */
  unlessFilled?: ColumnKey;
  /** other header texts accepted on upload */
  aliases: string[];
  /** '@' keeps Excel from turning 14-digit codes and phone numbers into 1.38E+10 */
  text: boolean;
}

const COLUMNS: ColumnSpec[] = [
  {
    key: 'gridCode', header: '网格编码', required: true, width: 20, text: true, aliases: ['grid code', 'gridcode'],
    note: '必填。网格的完整编码，如 37087100500101，须是系统中已有的网格。请保持文本格式，避免变成科学计数法。',
  },
  {
    key: 'name', header: '姓名', required: true, width: 12, text: false, aliases: ['name'],
    note: `必填。人员姓名，最多 ${MAX_NAME_LENGTH} 个字。`,
  },
  {
    key: 'role', header: '职务', required: true, width: 12, text: false, aliases: ['role'],
    note: '必填。从下拉列表选择：网格长、网格员、包片干部。',
  },
  {
    key: 'phone', header: '手机', required: true, unlessFilled: 'account', width: 16, text: true, aliases: ['手机号', '手机号码', 'phone', 'mobile'],
    note: '必填（填写了“账号”的行可不填）。11 位大陆手机号码，如 13800000000。',
  },
  {
    key: 'note', header: '备注', required: false, width: 30, text: false, aliases: ['note', 'remark'],
    note: `选填。最多 ${MAX_NOTE_LENGTH} 个字。`,
  },
  {
    key: 'account', header: '账号', required: false, width: 16, text: true, aliases: ['用户名', 'account', 'username'],
    note: '选填。网格员的系统账号（用户名）：这一行就是该账号在本网格的网格员记录，职务须为网格员，姓名须与账号一致，' +
      '手机可不填；账号须已在用户管理中负责该网格。',
  },
];

/** The template's example row; left unchanged it is skipped on upload instead of importing a fictional person. */
const SAMPLE: Record<ColumnKey, string> = {
  gridCode: '37087100500101',
  name: '张三',
  role: '网格员',
  phone: '13800000000',
  note: '示例行，填写时请删除或覆盖',
  account: '',
};

// ---------------------------------------------------------------------------------------------------------------
// Writing

/** An .xlsx with the header row (each header carrying a note), one example row, a 职务 drop-down and a help sheet. */
export async function buildPeopleTemplate(): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = addPeopleSheet(wb);
  const sample = ws.addRow(COLUMNS.map((c) => SAMPLE[c.key]));
  sample.font = { color: { argb: 'FF808080' }, italic: true };
  const roleLetter = ws.getColumn(COLUMNS.findIndex((c) => c.key === 'role') + 1).letter;
  // One range-wide rule rather than one per cell: per-cell rules make the file several times slower to write
  // and to read back. exceljs has the range API but does not declare it in its types.
  (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(
    `${roleLetter}2:${roleLetter}${TEMPLATE_ROWS + 1}`,
    {
      type: 'list',
      allowBlank: true,
      formulae: [`"${Object.values(ROLE_LABELS).join(',')}"`],
      showErrorMessage: true,
      errorTitle: '职务',
      error: '请从下拉列表选择：网格长、网格员、包片干部。',
    },
  );
  const help = wb.addWorksheet(HELP_SHEET_NAME);
  help.getColumn(1).width = 100;
  [
    '网格人员导入说明',
    '1. 在“网格人员”工作表中每行填写一名人员；第 1 行为表头，请勿修改。',
    '2. 灰色的第 2 行是示例，不修改时导入会自动跳过，也可以删除或直接覆盖。',
    ...COLUMNS.map((c) => `${c.header}：${c.note}`),
    '3. 同一人在多个网格任职时，每个网格填写一行。',
    '4. 任何一行有错误时整个文件都不会导入，系统会列出所有错误所在的行和列。',
  ].forEach((line, i) => {
    const row = help.addRow([line]);
    if (i === 0) row.font = { bold: true, size: 14 };
  });
  return toBuffer(wb);
}

/** People in the template layout (plus a 网格名称 column for reading; the parser ignores it). */
export async function buildPeopleExport(rows: readonly PeopleExportRow[]): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = addPeopleSheet(wb, ['网格名称']);
  for (const r of rows) {
    ws.addRow([r.gridCode, r.name, ROLE_LABELS[r.role], r.phone, r.note ?? '', r.account ?? '', r.gridName ?? '']);
  }
  return toBuffer(wb);
}

function addPeopleSheet(wb: ExcelJS.Workbook, extraHeaders: string[] = []): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    ...COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.text ? { numFmt: '@' } : {} })),
    ...extraHeaders.map((h) => ({ header: h, key: h, width: 20 })),
  ];
  const header = ws.getRow(1);
  header.font = { bold: true };
  COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.note = c.note;
    if (c.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
  });
  return ws;
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as unknown as Uint8Array);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/**
 * Rows of the uploaded sheet, or every problem found. Reads the sheet named 网格人员 (or the first sheet);
 * columns are found by their header text, so their order does not matter and extra columns are ignored.
 * Blank rows and the untouched template example are skipped.
 */
export async function parsePeopleSheet(
  buffer: Buffer | Uint8Array | ArrayBuffer,
  options: PeopleSheetOptions = {},
): Promise<PeopleSheetResult> {
  const wb = new ExcelJS.Workbook();
  try {
    const bytes = buffer instanceof ArrayBuffer ? Buffer.from(buffer) : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    // The caps before ExcelJS builds anything; a sheet under them but over maxRows gets its own too_many_rows below.
    checkSpreadsheet(bytes, { ...DEFAULT_SPREADSHEET_LIMITS, maxRows: Math.max(DEFAULT_SPREADSHEET_LIMITS.maxRows, options.maxRows ?? DEFAULT_MAX_ROWS) });
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (e) {
    if (e instanceof DomainError) throw e;
    return { ok: false, errors: [{ row: 0, problem: 'unreadable_file', params: {} }] };
  }
  const ws = wb.getWorksheet(SHEET_NAME) ?? wb.worksheets[0];
  if (!ws) return { ok: false, errors: [{ row: 0, problem: 'no_sheet', params: {} }] };

  // Header row: header text → column number.
  const where = new Map<ColumnKey, number>();
  ws.getRow(1).eachCell((cell, col) => {
    const text = normaliseHeader(cellText(cell.value));
    const spec = COLUMNS.find((c) => normaliseHeader(c.header) === text || c.aliases.includes(text));
    if (spec && !where.has(spec.key)) where.set(spec.key, col);
  });
  const missing = COLUMNS.filter((c) => c.required && !where.has(c.key));
  if (missing.length > 0) {
    return {
      ok: false,
      errors: missing.map((c) => ({ row: 1, column: c.header, problem: 'missing_column' as const, params: { column: c.header } })),
    };
  }

  const known = options.knownGridCodes ? new Set(options.knownGridCodes) : null;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const errors: PeopleSheetError[] = [];
  const rows: PeopleRow[] = [];
  const seen = new Map<string, number>();
  let filled = 0;

  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const raw = {} as Record<ColumnKey, string>;
    for (const c of COLUMNS) raw[c.key] = where.has(c.key) ? cellText(row.getCell(where.get(c.key)!).value) : '';
    if (COLUMNS.every((c) => raw[c.key] === '')) continue;
    if (COLUMNS.every((c) => raw[c.key] === SAMPLE[c.key])) continue;
    filled++;
    if (filled > maxRows) continue;

    const rowErrors: PeopleSheetError[] = [];
    const bad = (key: ColumnKey, problem: GridProblemCode, params: ProblemParams = {}) => {
      const column = COLUMNS.find((c) => c.key === key)!.header;
      rowErrors.push({ row: r, column, problem, params: { column, ...params } });
    };
    for (const c of COLUMNS) {
      if (!c.required || raw[c.key] !== '') continue;
      if (c.unlessFilled === undefined) bad(c.key, 'missing_value');
      else if (raw[c.unlessFilled] === '') bad(c.key, 'missing_value_or', { other: COLUMNS.find((o) => o.key === c.unlessFilled)!.header });
    }

    const gridCode = raw.gridCode;
    if (gridCode !== '') {
      if (!/^[0-9A-Za-z]+$/.test(gridCode) || gridCode.length > MAX_CODE_LENGTH) bad('gridCode', 'invalid_code', { value: gridCode, max: MAX_CODE_LENGTH });
      else if (known && !known.has(gridCode)) bad('gridCode', 'unknown_grid', { value: gridCode });
    }
    const name = raw.name;
    if ([...name].length > MAX_NAME_LENGTH) bad('name', 'value_too_long', { length: [...name].length, max: MAX_NAME_LENGTH });
    const role = raw.role === '' ? null : roleFromLabel(raw.role);
    if (raw.role !== '' && role === null) bad('role', 'unknown_role', { value: raw.role });
    const phone = raw.phone === '' ? null : normalisePhone(raw.phone);
    if (raw.phone !== '' && phone === null) bad('phone', 'invalid_phone', { value: raw.phone });
    const note = raw.note === '' ? null : raw.note;
    if (note !== null && [...note].length > MAX_NOTE_LENGTH) bad('note', 'value_too_long', { length: [...note].length, max: MAX_NOTE_LENGTH });
    const account = raw.account;
    if ([...account].length > MAX_ACCOUNT_LENGTH) bad('account', 'value_too_long', { length: [...account].length, max: MAX_ACCOUNT_LENGTH });
    else if (account !== '' && role !== null && role !== 'grid_worker') bad('account', 'account_not_grid_worker', { value: account });

    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    // an account is on a grid once; other people once per role and phone
    const key = account !== '' ? `${gridCode}\u0000account\u0000${account}` : `${gridCode}\u0000${role}\u0000${phone}`;
    const other = seen.get(key);
    if (other !== undefined) {
      errors.push({ row: r, problem: account !== '' ? 'duplicate_account' : 'duplicate_person', params: { other, value: account } });
      continue;
    }
    seen.set(key, r);
    rows.push({ row: r, gridCode, name, role: role!, phone, note, ...(account !== '' ? { account } : {}) });
  }

  if (filled > maxRows) errors.unshift({ row: 0, problem: 'too_many_rows', params: { count: filled, max: maxRows } });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}

/** The role code for a 职务 label (or a role code), or null when it is not one we know. */
export function roleFromLabel(label: string): PersonRole | null {
  const key = label.trim();
  return Object.hasOwn(ROLE_ALIASES, key) ? ROLE_ALIASES[key]! : null;
}

/**
 * The 11-digit mainland mobile number, or null. Spaces, dashes and a +86 / 0086 / 86 prefix are tolerated
 * because people paste numbers from contact lists.
 */
export function normalisePhone(value: string): string | null {
  let digits = value.replace(/[\s\-－—()（）]/g, '');
  digits = digits.replace(/^(\+86|0086|86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

function normaliseHeader(text: string): string {
  // People add "*" or "（必填）" to headers to mark required columns; the meaning is the same.
  return text.replace(/[*＊]|[（(]必填[)）]|[（(]选填[)）]/g, '').trim().toLowerCase();
}

