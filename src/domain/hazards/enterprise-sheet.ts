// The enterprise sheet (企业档案表): the template offices fill in, and its parser. What the sheet alone can tell is
// checked here (统一社会信用代码 per GB 32100, GB/T 4754 industry, numbers, words, duplicates within the file,
// formulas); what only the database knows (whether a code is registered — then the row updates that enterprise with
// the sheet's columns, else it creates one and every required cell must be filled —, the position's grid,
// departments) the service adds, so one refusal names every bad row and field. Formulas are refused, not evaluated:
// the value a formula last showed is not what the office typed, and a file that carries them is not trusted.
import ExcelJS from 'exceljs';
import { creditCodeProblem, normaliseCreditCode } from './credit-code.js';
import { industryOf } from './industries.js';
import { cellContent, newWorkbook } from '../sheet-cells.js';

export const ENTERPRISE_SHEET = '企业档案';
/** data rows one import takes (a street's registry is a few thousand; ten thousand leaves room for a district) */
export const ENTERPRISE_SHEET_MAX_ROWS = 20_000;

export const ENTERPRISE_COLUMNS = [
  { key: 'name', header: '企业名称', required: true, width: 28 },
  { key: 'creditCode', header: '统一社会信用代码', required: true, width: 22 },
  { key: 'industryCode', header: '行业代码', required: true, width: 10 },
  { key: 'industryName', header: '行业名称', required: false, width: 20 },
  { key: 'address', header: '地址', required: false, width: 28 },
  { key: 'lng', header: '经度', required: true, width: 12 },
  { key: 'lat', header: '纬度', required: true, width: 12 },
  { key: 'riskLevel', header: '风险等级', required: false, width: 10 },
  { key: 'status', header: '经营状态', required: false, width: 10 },
  { key: 'keyUnit', header: '重点单位', required: false, width: 10 },
  { key: 'cGridCode', header: '专属网格编码', required: false, width: 16 },
  { key: 'watch', header: '不放心企业', required: false, width: 10 },
  { key: 'watchReason', header: '不放心原因', required: false, width: 24 },
  { key: 'watchReviewOn', header: '复核日期', required: false, width: 12 },
  { key: 'contact', header: '联系人', required: false, width: 10 },
  { key: 'phone', header: '联系电话', required: false, width: 14 },
  { key: 'departmentCodes', header: '监管部门编码', required: false, width: 16 },
] as const;
export type EnterpriseColumn = (typeof ENTERPRISE_COLUMNS)[number]['key'];
export const ENTERPRISE_HEADER: Record<EnterpriseColumn, string> = Object.fromEntries(ENTERPRISE_COLUMNS.map((c) => [c.key, c.header])) as Record<EnterpriseColumn, string>;

export const RISK_WORDS: Record<string, 'low' | 'medium' | 'high'> = { 低: 'low', 中: 'medium', 高: 'high', 低风险: 'low', 中风险: 'medium', 高风险: 'high', low: 'low', medium: 'medium', high: 'high' };
export const RISK_LABEL = { low: '低', medium: '中', high: '高' } as const;
export const STATUS_WORDS: Record<string, 'operating' | 'suspended' | 'closed'> = { 在营: 'operating', 停产: 'suspended', 关停取缔: 'closed', 关停: 'closed', 取缔: 'closed', operating: 'operating', suspended: 'suspended', closed: 'closed' };
export const STATUS_LABEL = { operating: '在营', suspended: '停产', closed: '关停取缔' } as const;
const YES = new Set(['是', '√', 'Y', 'y', 'yes', 'true', '1']);
const NO = new Set(['否', '', 'N', 'n', 'no', 'false', '0']);

const MAX_TEXT: Partial<Record<EnterpriseColumn, number>> = { name: 100, industryName: 60, address: 200, watchReason: 500, contact: 50, phone: 30, cGridCode: 30, departmentCodes: 100 };

export type EnterpriseSheetProblemCode =
  | 'unreadable'
  | 'missing_column'
  | 'empty'
  | 'too_many'
  | 'required'
  | 'too_long'
  | 'formula'
  | 'credit_code'
  | 'duplicate'
  | 'industry_unknown'
  | 'number'
  | 'risk'
  | 'status'
  | 'yes_no'
  | 'date'
  // the service's checks
  | 'credit_code_taken'
  | 'outside_street'
  | 'department_unknown'
  | 'c_grid_unknown'
  | 'not_key_unit';

export interface EnterpriseSheetProblem {
  /** the row as Excel shows it (0: the file as a whole) */
  row: number;
  /** the column header, when one cell is at fault */
  column?: string;
  code: EnterpriseSheetProblemCode;
  params: Record<string, string | number>;
}

/**
 * A good row of the sheet. A row whose 统一社会信用代码 is registered updates that enterprise with the columns the
 * sheet has (`columns`), so what a new enterprise requires may be missing here: the service asks for it when the
 * row creates one. A column the sheet lacks reads as blank.
 */
export interface EnterpriseSheetRow {
  row: number;
  /** the columns the sheet has (its header) */
  columns: ReadonlySet<EnterpriseColumn>;
  /** the required cells left blank (a new enterprise needs them; an update keeps what the archive says) */
  blank: ReadonlySet<EnterpriseColumn>;
  name: string;
  creditCode: string;
  industryCode: string | null;
  industryName: string | null;
  address: string | null;
  /** both or neither: one without the other is a problem */
  lng: number | null;
  lat: number | null;
  riskLevel: 'low' | 'medium' | 'high';
  status: 'operating' | 'suspended' | 'closed';
  keyUnit: boolean;
  cGridCode: string | null;
  watch: boolean;
  watchReason: string | null;
  watchReviewOn: string | null;
  contact: string | null;
  phone: string | null;
  departmentCodes: string[];
}

/** The template: the header (required columns marked *), two example rows, and a sheet of instructions. */
export async function buildEnterpriseTemplate(example: { lng: number; lat: number; creditCodes: [string, string] }): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = wb.addWorksheet(ENTERPRISE_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = ENTERPRISE_COLUMNS.map((c) => ({ header: c.required ? `${c.header}*` : c.header, key: c.key, width: c.width, style: { numFmt: '@' } }));
  ws.getRow(1).font = { bold: true };
  ws.addRow({ name: '济宁示例塑料制品有限公司', creditCode: example.creditCodes[0], industryCode: 'C2929', industryName: '塑料零件及其他塑料制品制造', address: '接庄街道崇文大道 1 号', lng: String(example.lng), lat: String(example.lat), riskLevel: '中', status: '在营', keyUnit: '否', watch: '否', contact: '张经理', phone: '13800000000', departmentCodes: 'AJ,HB' });
  ws.addRow({ name: '示例液化气供应站', creditCode: example.creditCodes[1], industryCode: 'F5265', industryName: '燃气零售', address: '接庄街道海川路 2 号', lng: String(example.lng + 0.0005), lat: String(example.lat), riskLevel: '高', status: '在营', keyUnit: '是', watch: '是', watchReason: '储存点距居民区近', watchReviewOn: '2026-12-31', contact: '李站长', phone: '13900000000', departmentCodes: 'AJ' });
  const help = wb.addWorksheet('填写说明');
  [
    '企业档案表填写说明（第一行为表头，请勿修改；带 * 的列必填）',
    '统一社会信用代码：18 位数字或大写字母（不含 I、O、Z、S、V），末位为校验码（GB 32100），不得与本表其他行重复',
    '已登记的统一社会信用代码：更新该企业档案，只改表中有的列（必填列留空的保持原值）；未登记的：新建企业，带 * 的列必填',
    '行业代码：国民经济行业分类（GB/T 4754-2017）代码，如 C2929；行业名称留空时按大类填写',
    '经度、纬度：WGS-84 坐标（度），须位于本街道的网格内',
    '风险等级：低、中、高（留空为低）；经营状态：在营、停产、关停取缔（留空为在营）',
    '重点单位、不放心企业：是 / 否；专属网格编码：重点单位的 C 类网格编码，留空时按位置查找',
    '复核日期：YYYY-MM-DD；监管部门编码：多个用逗号分隔，如 AJ,HB',
    '单元格请填写文字或数字，不要使用公式。整表有任何错误时不导入任何企业，错误会指出行号和列名。',
  ].forEach((line) => help.addRow([line]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const HEADER_OF = new Map<string, EnterpriseColumn>(ENTERPRISE_COLUMNS.flatMap((c) => [[c.header, c.key] as [string, EnterpriseColumn], [c.key.toLowerCase(), c.key] as [string, EnterpriseColumn]]));

/**
 * The good rows and every problem of the sheet on its own (rows as Excel numbers them). Blank rows are skipped.
 * `maxRows` is checked on the rows read, so a file just past it is refused as a whole.
 */
export async function parseEnterpriseSheet(bytes: Buffer, maxRows = ENTERPRISE_SHEET_MAX_ROWS): Promise<{ rows: EnterpriseSheetRow[]; problems: EnterpriseSheetProblem[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return { rows: [], problems: [{ row: 0, code: 'unreadable', params: {} }] };
  }
  const ws = wb.getWorksheet(ENTERPRISE_SHEET) ?? wb.worksheets[0];
  if (!ws) return { rows: [], problems: [{ row: 0, code: 'unreadable', params: {} }] };
  const where = new Map<EnterpriseColumn, number>();
  ws.getRow(1).eachCell((cell, n) => {
    const t = cellContent(cell.value);
    if (typeof t !== 'string') return;
    const key = HEADER_OF.get(t.replace(/[*＊]/g, '').trim()) ?? HEADER_OF.get(t.replace(/[*＊]/g, '').trim().toLowerCase());
    if (key && !where.has(key)) where.set(key, n);
  });
  // only the credit code is needed to find the enterprise a row updates; a new one asks for the rest row by row
  const missing = ENTERPRISE_COLUMNS.filter((c) => c.key === 'creditCode' && !where.has(c.key));
  const col: ReadonlySet<EnterpriseColumn> = new Set(where.keys());
  if (missing.length) return { rows: [], problems: missing.map((c) => ({ row: 1, column: c.header, code: 'missing_column' as const, params: { column: c.header } })) };

  const rows: EnterpriseSheetRow[] = [];
  const problems: EnterpriseSheetProblem[] = [];
  const seenCode = new Map<string, number>();
  let seen = 0;
  for (let n = 2; n <= ws.rowCount; n++) {
    const r = ws.getRow(n);
    const raw = {} as Record<EnterpriseColumn, string>;
    const before = problems.length;
    const bad = (key: EnterpriseColumn, code: EnterpriseSheetProblemCode, params: Record<string, string | number> = {}) =>
      problems.push({ row: n, column: ENTERPRISE_HEADER[key], code, params: { row: n, column: ENTERPRISE_HEADER[key], ...params } });
    let any = false;
    for (const c of ENTERPRISE_COLUMNS) {
      const t = where.has(c.key) ? cellContent(r.getCell(where.get(c.key)!).value) : '';
      if (typeof t !== 'string') {
        any = true;
        raw[c.key] = '';
        bad(c.key, 'formula', { value: `=${t.formula}`.slice(0, 60) });
        continue;
      }
      raw[c.key] = t;
      if (t !== '') any = true;
    }
    if (!any) continue;
    seen++;
    if (seen > maxRows) return { rows: [], problems: [{ row: 0, code: 'too_many', params: { max: maxRows } }] };
    const blank = new Set<EnterpriseColumn>();
    for (const c of ENTERPRISE_COLUMNS) {
      if (c.required && raw[c.key] === '' && !problems.some((p) => p.row === n && p.column === c.header)) {
        if (c.key === 'creditCode') bad(c.key, 'required');
        else blank.add(c.key);
      }
      const max = MAX_TEXT[c.key];
      if (max && [...raw[c.key]].length > max) bad(c.key, 'too_long', { max });
    }
    if (raw.name && [...raw.name].length < 2) bad('name', 'required');
    const code = normaliseCreditCode(raw.creditCode);
    if (raw.creditCode) {
      const why = creditCodeProblem(code);
      if (why) bad('creditCode', 'credit_code', { value: raw.creditCode, reason: why });
      else if (seenCode.has(code)) bad('creditCode', 'duplicate', { value: code, other: seenCode.get(code)! });
      else seenCode.set(code, n);
    }
    const industry = raw.industryCode ? industryOf(raw.industryCode) : null;
    if (raw.industryCode && !industry) bad('industryCode', 'industry_unknown', { value: raw.industryCode });
    const num = (key: 'lng' | 'lat', lo: number, hi: number) => {
      const v = Number(raw[key]);
      if (raw[key] !== '' && !(Number.isFinite(v) && v >= lo && v <= hi)) bad(key, 'number', { value: raw[key], min: lo, max: hi });
      return v;
    };
    const lng = num('lng', -180, 180);
    const lat = num('lat', -90, 90);
    // a position is both numbers or neither (an update without one keeps the archive's)
    if (blank.has('lng') !== blank.has('lat')) bad(blank.has('lng') ? 'lng' : 'lat', 'required');
    const risk = raw.riskLevel === '' ? 'low' : RISK_WORDS[raw.riskLevel.toLowerCase()];
    if (!risk) bad('riskLevel', 'risk', { value: raw.riskLevel });
    const status = raw.status === '' ? 'operating' : STATUS_WORDS[raw.status.toLowerCase()];
    if (!status) bad('status', 'status', { value: raw.status });
    const yesNo = (key: 'keyUnit' | 'watch') => {
      if (YES.has(raw[key])) return true;
      if (!NO.has(raw[key])) bad(key, 'yes_no', { value: raw[key] });
      return false;
    };
    const keyUnit = yesNo('keyUnit');
    const watch = yesNo('watch');
    // a C grid without 是 under 重点单位 (a sheet without that column: the service checks the archive's)
    if (raw.cGridCode && !keyUnit && col.has('keyUnit')) bad('cGridCode', 'not_key_unit', { value: raw.cGridCode });
    if (raw.watchReviewOn && !/^\d{4}-\d{2}-\d{2}$/.test(raw.watchReviewOn)) bad('watchReviewOn', 'date', { value: raw.watchReviewOn });
    if (problems.length > before) continue;
    rows.push({
      row: n,
      columns: col,
      blank,
      name: raw.name,
      creditCode: code,
      industryCode: industry?.code ?? null,
      industryName: raw.industryName || industry?.divisionName || null,
      address: raw.address || null,
      lng: blank.has('lng') ? null : lng,
      lat: blank.has('lat') ? null : lat,
      riskLevel: risk!,
      status: status!,
      keyUnit,
      cGridCode: raw.cGridCode || null,
      watch,
      // as written: whether they stand depends on 不放心企业, which an update may take from the archive
      watchReason: raw.watchReason || null,
      watchReviewOn: raw.watchReviewOn || null,
      contact: raw.contact || null,
      phone: raw.phone || null,
      departmentCodes: raw.departmentCodes.split(/[\s,，;；、]+/).filter(Boolean).map((c) => c.toUpperCase()),
    });
  }
  if (seen === 0) return { rows: [], problems: [{ row: 0, code: 'empty', params: {} }] };
  return { rows, problems };
}
