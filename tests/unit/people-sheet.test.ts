// The grid-people spreadsheet: template, parser (errors by Excel row and column) and export.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import {
  buildPeopleExport,
  buildPeopleTemplate,
  normalisePhone,
  parsePeopleSheet,
  roleFromLabel,
  SHEET_NAME,
  type PeopleSheetResult,
} from '../../src/domain/grids/people-sheet.js';
import { renderSheetProblem } from '../../src/domain/grids/messages.js';

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  return wb;
}
async function save(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from((await wb.xlsx.writeBuffer()) as unknown as Uint8Array);
}
/** The template with `rows` written from Excel row `firstRow` on (row 2 is the example row). */
async function filledTemplate(rows: (string | number | null)[][], firstRow = 3): Promise<Buffer> {
  const wb = await load(await buildPeopleTemplate());
  const ws = wb.getWorksheet(SHEET_NAME)!;
  rows.forEach((values, i) => values.forEach((v, c) => (ws.getCell(firstRow + i, c + 1).value = v)));
  return save(wb);
}
function rowsOf(r: PeopleSheetResult) {
  if (!r.ok) throw new Error(`expected the sheet to pass: ${JSON.stringify(r.errors)}`);
  return r.rows;
}
function errorsOf(r: PeopleSheetResult) {
  if (r.ok) throw new Error('expected the sheet to be refused');
  return r.errors;
}
/** Each problem as [row, column, code, its sentence in Chinese]. */
const described = (errors: ReturnType<typeof errorsOf>) => errors.map((e) => [e.row, e.column, e.problem, renderSheetProblem(e, 'zh-CN')]);

describe('buildPeopleTemplate', () => {
  it('has the header row with notes, a sample row, a role drop-down and a help sheet', async () => {
    const wb = await load(await buildPeopleTemplate());
    const ws = wb.getWorksheet(SHEET_NAME)!;
    expect([1, 2, 3, 4, 5, 6].map((c) => ws.getCell(1, c).value)).toEqual(['网格编码', '姓名', '职务', '手机', '备注', '账号']);
    for (let c = 1; c <= 6; c++) expect(String(ws.getCell(1, c).note ?? '')).not.toBe('');
    expect(ws.getCell(2, 1).value).toBe('37087100500101');
    expect(ws.getCell(2, 3).value).toBe('网格员');
    expect(ws.getCell(3, 3).dataValidation?.type).toBe('list');
    expect(ws.getCell(3, 1).numFmt).toBe('@');
    expect(wb.getWorksheet('填写说明')).toBeDefined();
  });

  it('parses as is: the untouched example row is skipped', async () => {
    expect(await parsePeopleSheet(await buildPeopleTemplate())).toEqual({ ok: true, rows: [] });
  });

  it('an edited example row is imported like any other', async () => {
    const buf = await filledTemplate([['37087100500101', '李四', '网格长', '13900000001', '']], 2);
    expect(rowsOf(await parsePeopleSheet(buf))).toEqual([
      { row: 2, gridCode: '37087100500101', name: '李四', role: 'grid_leader', phone: '13900000001', note: null },
    ]);
  });
});

describe('parsePeopleSheet', () => {
  it('reads filled rows with Excel row numbers, role codes and normalised phones, skipping blank rows', async () => {
    const buf = await filledTemplate([
      ['37087100500101', '王强', '网格长', '139 0000 0001', '兼任楼长'],
      [37087100500102, '赵敏', '网格员', 13900000002, null],
      [null, null, null, null, null],
      ['37087100500102', '刘洋', '包片干部', '+86 139-0000-0003', null],
      ['37087100500103', '陈刚', '联系领导', '13900000004', null],
    ]);
    expect(rowsOf(await parsePeopleSheet(buf))).toEqual([
      { row: 3, gridCode: '37087100500101', name: '王强', role: 'grid_leader', phone: '13900000001', note: '兼任楼长' },
      { row: 4, gridCode: '37087100500102', name: '赵敏', role: 'grid_worker', phone: '13900000002', note: null },
      { row: 6, gridCode: '37087100500102', name: '刘洋', role: 'liaison_cadre', phone: '13900000003', note: null },
      { row: 7, gridCode: '37087100500103', name: '陈刚', role: 'liaison_cadre', phone: '13900000004', note: null },
    ]);
  });

  it('reports bad phone, unknown role and missing code by Excel row and column, collecting all of them', async () => {
    const buf = await filledTemplate([
      ['37087100500101', '王强', '网格长', '13900000001', null], // row 3: fine
      ['37087100500101', '赵敏', '组长', '1390000000', null], // row 4: role and phone
      [null, '刘洋', '网格员', '13900000003', null], // row 5: no code
      ['37087100500102', '', '网格员', '23900000004', null], // row 6: no name, bad phone
      ['37087100500101', '王强', '网格长', '13900000001', null], // row 7: duplicates row 3
    ]);
    const errors = errorsOf(await parsePeopleSheet(buf));
    expect(described(errors)).toEqual([
      [4, '职务', 'unknown_role', '第 4 行“职务”：职务“组长”无效，应为：网格长、网格员或包片干部。'],
      [4, '手机', 'invalid_phone', '第 4 行“手机”：手机号“1390000000”不正确，应为 11 位大陆手机号码。'],
      [5, '网格编码', 'missing_value', '第 5 行“网格编码”：“网格编码”不能为空。'],
      [6, '姓名', 'missing_value', '第 6 行“姓名”：“姓名”不能为空。'],
      [6, '手机', 'invalid_phone', '第 6 行“手机”：手机号“23900000004”不正确，应为 11 位大陆手机号码。'],
      [7, undefined, 'duplicate_person', '第 7 行：与第 3 行重复（同一网格、同一职务、同一手机号）。'],
    ]);
    expect(renderSheetProblem(errors[2]!, 'en')).toBe('Row 5, 网格编码: "网格编码" must not be empty.');
  });

  it('takes a row that names a grid worker’s account instead of a phone; refuses one with neither, or an account on another role', async () => {
    const buf = await filledTemplate([
      ['37087100500101', '网格员 王强', '网格员', null, '兼楼长', 'gridworker'], // row 3: the account stands for the phone
      ['37087100500102', '网格员 王强', '网格员', '13900000001', null, 'gridworker'], // row 4: both
      ['37087100500101', '赵敏', '网格员', null, null, null], // row 5: neither
      ['37087100500101', '刘洋', '网格长', null, null, 'liuyang'], // row 6: an account on a grid leader's row
      ['37087100500101', '网格员 王强', '网格员', '13900000002', null, 'gridworker'], // row 7: the account again on the grid
    ]);
    const errors = errorsOf(await parsePeopleSheet(buf));
    expect(described(errors)).toEqual([
      [5, '手机', 'missing_value_or', '第 5 行“手机”：“手机”不能为空（或填写“账号”）。'],
      [6, '账号', 'account_not_grid_worker', '第 6 行“账号”：账号“liuyang”只能填在职务为网格员的行上。'],
      [7, undefined, 'duplicate_account', '第 7 行：与第 3 行重复（同一网格、同一账号“gridworker”）。'],
    ]);
    const good = await filledTemplate([
      ['37087100500101', '网格员 王强', '网格员', null, '兼楼长', 'gridworker'],
      ['37087100500102', '网格员 王强', '网格员', '13900000001', null, 'gridworker'],
    ]);
    expect(rowsOf(await parsePeopleSheet(good))).toEqual([
      { row: 3, gridCode: '37087100500101', name: '网格员 王强', role: 'grid_worker', phone: null, note: '兼楼长', account: 'gridworker' },
      { row: 4, gridCode: '37087100500102', name: '网格员 王强', role: 'grid_worker', phone: '13900000001', note: null, account: 'gridworker' },
    ]);
  });

  it('reports grid codes the caller does not know, and malformed ones', async () => {
    const buf = await filledTemplate([
      ['37087100500101', '王强', '网格长', '13900000001', null],
      ['37087100500199', '赵敏', '网格员', '13900000002', null],
      ['3708-71', '刘洋', '网格员', '13900000003', null],
    ]);
    const errors = errorsOf(await parsePeopleSheet(buf, { knownGridCodes: ['37087100500101'] }));
    expect(errors.map((e) => [e.row, e.column, e.problem, e.params.value])).toEqual([
      [4, '网格编码', 'unknown_grid', '37087100500199'],
      [5, '网格编码', 'invalid_code', '3708-71'],
    ]);
  });

  it('reports over-long names and notes', async () => {
    const buf = await filledTemplate([['37087100500101', '名'.repeat(51), '网格长', '13900000001', '注'.repeat(201)]]);
    expect(errorsOf(await parsePeopleSheet(buf)).map((e) => [e.row, e.column, e.problem])).toEqual([
      [3, '姓名', 'value_too_long'],
      [3, '备注', 'value_too_long'],
    ]);
  });

  it('finds columns by header text, in any order, with "*" marks, ignoring extra columns', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['序号', '手机*', '职务', '姓名（必填）', '网格编码']);
    ws.addRow([1, '13900000001', '网格员', '王强', '37087100500101']);
    expect(rowsOf(await parsePeopleSheet(await save(wb)))).toEqual([
      { row: 2, gridCode: '37087100500101', name: '王强', role: 'grid_worker', phone: '13900000001', note: null },
    ]);
  });

  it('reads rich text, hyperlinks and formula results as their visible text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(SHEET_NAME);
    ws.addRow(['网格编码', '姓名', '职务', '手机', '备注']);
    ws.addRow([
      { richText: [{ text: '370871005' }, { text: '00101' }] },
      { text: '王强', hyperlink: 'mailto:x@example.com' },
      '网格长',
      { formula: '"139"&"00000001"', result: '13900000001' },
      null,
    ]);
    expect(rowsOf(await parsePeopleSheet(await save(wb)))[0]).toMatchObject({ gridCode: '37087100500101', name: '王强', phone: '13900000001' });
  });

  it('reports a missing required column on row 1', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').addRow(['网格编码', '姓名', '备注']);
    expect(errorsOf(await parsePeopleSheet(await save(wb)))).toEqual([
      { row: 1, column: '职务', problem: 'missing_column', params: { column: '职务' } },
      { row: 1, column: '手机', problem: 'missing_column', params: { column: '手机' } },
    ]);
  });

  it('refuses files that are not xlsx, and sheets over the row limit', async () => {
    expect(errorsOf(await parsePeopleSheet(Buffer.from('网格编码,姓名\n1,2')))).toEqual([{ row: 0, problem: 'unreadable_file', params: {} }]);
    const buf = await filledTemplate([
      ['37087100500101', '王强', '网格长', '13900000001', null],
      ['37087100500101', '赵敏', '网格员', '13900000002', null],
    ]);
    expect(errorsOf(await parsePeopleSheet(buf, { maxRows: 1 }))).toEqual([{ row: 0, problem: 'too_many_rows', params: { count: 2, max: 1 } }]);
  });

  it('accepts an ArrayBuffer and a Uint8Array view', async () => {
    const buf = await filledTemplate([['37087100500101', '王强', '网格长', '13900000001', null]]);
    const copy = new Uint8Array(buf.byteLength + 8);
    copy.set(buf, 8);
    expect(rowsOf(await parsePeopleSheet(copy.subarray(8)))).toHaveLength(1);
    expect(rowsOf(await parsePeopleSheet(copy.slice(8).buffer))).toHaveLength(1);
  });
});

describe('buildPeopleExport', () => {
  it('re-imports to the same people', async () => {
    const people = [
      { gridCode: '37087100500101', gridName: '第一网格', name: '王强', role: 'grid_leader' as const, phone: '13900000001', note: '兼任楼长' },
      { gridCode: '37087100500102', name: '赵敏', role: 'grid_worker' as const, phone: '13900000002' },
      { gridCode: '37087100500102', name: '刘洋', role: 'liaison_cadre' as const, phone: '13900000003', note: null },
      { gridCode: '37087100500102', name: '网格员 孙丽', role: 'grid_worker' as const, phone: '', account: 'gw0102' },
    ];
    const buf = await buildPeopleExport(people);
    const ws = (await load(buf)).getWorksheet(SHEET_NAME)!;
    expect(ws.getCell(1, 7).value).toBe('网格名称');
    expect(ws.getCell(2, 7).value).toBe('第一网格');
    expect(ws.getCell(2, 3).value).toBe('网格长');
    expect(rowsOf(await parsePeopleSheet(buf))).toEqual(
      people.map((p, i) => ({ row: i + 2, gridCode: p.gridCode, name: p.name, role: p.role, phone: p.phone || null, note: p.note ?? null, ...(p.account ? { account: p.account } : {}) })),
    );
  });
});

describe('phones and roles', () => {
  it('normalises pasted mobile numbers (fast-check)', () => {
    const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), fc.stringMatching(/^\d{9}$/)).map(([d, rest]) => `1${d}${rest}`);
    const decorate = fc.constantFrom(
      (m: string) => m,
      (m: string) => `+86 ${m}`,
      (m: string) => `0086${m}`,
      (m: string) => `86-${m}`,
      (m: string) => `${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`,
      (m: string) => `${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`,
    );
    fc.assert(
      fc.property(mobile, decorate, (m, d) => {
        expect(normalisePhone(d(m))).toBe(m);
      }),
    );
  });

  it('refuses what is not a mainland mobile', () => {
    for (const bad of ['', '1390000000', '139000000011', '12900000001', '23900000001', '0537-1234567', '1390000000a', '+1 13900000001'])
      expect(normalisePhone(bad), bad).toBeNull();
  });

  it('maps 职务 labels to role codes', () => {
    expect(roleFromLabel('网格长')).toBe('grid_leader');
    expect(roleFromLabel(' 网格员 ')).toBe('grid_worker');
    expect(roleFromLabel('包片干部')).toBe('liaison_cadre');
    expect(roleFromLabel('联系领导')).toBe('liaison_cadre');
    expect(roleFromLabel('grid_worker')).toBe('grid_worker');
    expect(roleFromLabel('组长')).toBeNull();
    expect(roleFromLabel('constructor')).toBeNull();
  });
});
