// The users spreadsheet (用户表): an export of the accounts and a template to fill in, and its parser. Importing is
// all-or-nothing and names every bad row. Cells a person typed are written as text, and any text starting with
// = + - @ is neutralised with a leading apostrophe so Excel never runs it as a formula.
import ExcelJS from 'exceljs';
import { ROLE_NAMES } from '../shared/messages.js';
import { ROLES, type Role } from '../shared/vocabulary.js';
import { cellText, neutralise, newWorkbook } from './sheet-cells.js';

export { neutralise };

export const USERS_SHEET = '用户';

/** Chinese role labels as written in the sheet (the catalogue's role names); the role codes are accepted too. */
export const ROLE_LABELS = Object.fromEntries(ROLES.map((r) => [r, ROLE_NAMES[r]!['zh-CN']])) as Record<Role, string>;

const COLUMNS = [
  { key: 'username', header: '用户名', width: 16 },
  { key: 'displayName', header: '姓名', width: 16 },
  { key: 'role', header: '角色', width: 18 },
  { key: 'scopeCode', header: '管辖范围编码', width: 18 },
  { key: 'departmentCode', header: '部门编码', width: 12 },
] as const;
type Key = (typeof COLUMNS)[number]['key'];

export interface UserSheetRow {
  row: number;
  username: string;
  displayName: string;
  role: Role;
  scopeCode: string | null;
  departmentCode: string | null;
}

export interface UserSheetProblem {
  row: number;
  problem: string;
  params: Record<string, string | number>;
}

export interface UserExportRow {
  username: string;
  displayName: string;
  role: Role;
  scopeCode: string | null;
  scopeName: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  lastLoginAt: string | null;
  status: string;
}

function addSheet(wb: ExcelJS.Workbook, extra: { header: string; key: string; width: number }[]) {
  const ws = wb.addWorksheet(USERS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [...COLUMNS, ...extra].map((c) => ({ header: c.header, key: c.key, width: c.width, style: { numFmt: '@' } }));
  ws.getRow(1).font = { bold: true };
  return ws;
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function buildUsersExport(rows: readonly UserExportRow[]): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = addSheet(wb, [
    { header: '管辖范围', key: 'scopeName', width: 20 },
    { header: '部门', key: 'departmentName', width: 18 },
    { header: '最近登录', key: 'lastLoginAt', width: 20 },
    { header: '状态', key: 'status', width: 10 },
  ]);
  for (const r of rows) {
    const text = (v: string | null) => neutralise(v ?? '');
    ws.addRow({
      username: text(r.username),
      displayName: text(r.displayName),
      role: ROLE_LABELS[r.role],
      scopeCode: text(r.scopeCode),
      departmentCode: text(r.departmentCode),
      scopeName: text(r.scopeName),
      departmentName: text(r.departmentName),
      lastLoginAt: text(r.lastLoginAt),
      status: text(r.status),
    });
  }
  return toBuffer(wb);
}

export async function buildUsersTemplate(): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = addSheet(wb, []);
  ws.addRow({ username: 'wangfang', displayName: '网格员 王芳', role: '网格员', scopeCode: '37087100500101', departmentCode: '' });
  ws.addRow({ username: 'cg2', displayName: '城管 李强', role: '职能部门处置人员', scopeCode: '', departmentCode: 'CG' });
  const help = wb.addWorksheet('填写说明');
  [
    '用户表填写说明（第一行为表头，请勿修改）',
    '用户名：字母、数字和 _ . @ -，2–40 位，不能与已有用户重复',
    `角色：${Object.values(ROLE_LABELS).join('、')}`,
    '管辖范围编码：坐席、领导填街道或社区编码，网格员填网格编码（负责多个网格时用逗号分隔，如 37087100500101,37087100500102）；其他角色留空',
    '部门编码：仅职能部门处置人员填写',
    '导入后每个用户获得一个临时密码，首次登录时必须修改。整表有任何错误时不导入任何用户。',
  ].forEach((line) => help.addRow([line]));
  return toBuffer(wb);
}

const ROLE_BY_TEXT = new Map<string, Role>([...ROLES.map((r) => [r, r] as [string, Role]), ...Object.entries(ROLE_LABELS).map(([r, l]) => [l, r as Role] as [string, Role])]);
const USERNAME = /^[A-Za-z0-9_.@-]{2,40}$/;
const MAX_ROWS = 2000;

/**
 * The good rows of the sheet and every problem of the others (row numbers as Excel shows them), checking the sheet on
 * its own; the caller adds what only the database knows, so one refusal names every bad row.
 */
export async function parseUsersSheet(bytes: Buffer): Promise<{ rows: UserSheetRow[]; errors: UserSheetProblem[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return { rows: [], errors: [{ row: 0, problem: 'user_sheet_unreadable', params: {} }] };
  }
  const ws = wb.getWorksheet(USERS_SHEET) ?? wb.worksheets[0];
  if (!ws) return { rows: [], errors: [{ row: 0, problem: 'user_sheet_unreadable', params: {} }] };
  const col = new Map<Key, number>();
  ws.getRow(1).eachCell((cell, n) => {
    const text = cellText(cell.value).replace(/[*＊]/g, '');
    const spec = COLUMNS.find((c) => c.header === text || c.key === text);
    if (spec && !col.has(spec.key)) col.set(spec.key, n);
  });
  const missing = (['username', 'displayName', 'role'] as const).filter((k) => !col.has(k));
  if (missing.length) return { rows: [], errors: missing.map((k) => ({ row: 1, problem: 'user_sheet_missing_column', params: { column: COLUMNS.find((c) => c.key === k)!.header } })) };

  const rows: UserSheetRow[] = [];
  const errors: UserSheetProblem[] = [];
  const seen = new Map<string, number>();
  ws.eachRow((r, n) => {
    if (n === 1) return;
    const get = (k: Key) => (col.has(k) ? cellText(r.getCell(col.get(k)!).value) : '');
    const values = { username: get('username'), displayName: get('displayName'), role: get('role'), scopeCode: get('scopeCode'), departmentCode: get('departmentCode') };
    if (Object.values(values).every((v) => v === '')) return;
    const before = errors.length;
    if (!USERNAME.test(values.username)) errors.push({ row: n, problem: 'user_sheet_bad_username', params: { row: n, value: values.username } });
    if (!values.displayName || values.displayName.length > 100) errors.push({ row: n, problem: 'user_sheet_missing', params: { row: n, column: '姓名' } });
    const role = ROLE_BY_TEXT.get(values.role);
    if (!role) errors.push({ row: n, problem: 'user_sheet_bad_role', params: { row: n, value: values.role } });
    const other = seen.get(values.username.toLowerCase());
    if (values.username && other) errors.push({ row: n, problem: 'user_sheet_duplicate', params: { row: n, value: values.username, other } });
    else if (values.username) seen.set(values.username.toLowerCase(), n);
    if (errors.length === before) {
      rows.push({ row: n, username: values.username, displayName: values.displayName, role: role!, scopeCode: values.scopeCode || null, departmentCode: values.departmentCode || null });
    }
  });
  if (rows.length + errors.length > MAX_ROWS) return { rows: [], errors: [{ row: 0, problem: 'user_sheet_too_many', params: { max: MAX_ROWS } }] };
  if (rows.length === 0 && errors.length === 0) return { rows: [], errors: [{ row: 0, problem: 'user_sheet_empty', params: {} }] };
  return { rows, errors };
}
