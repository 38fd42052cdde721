// Spreadsheet caps checked before ExcelJS opens a workbook: rows and uncompressed bytes.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { checkSpreadsheet } from '../../src/domain/spreadsheet-limits.js';

async function workbook(rows: number, cell = '张三'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('网格人员');
  ws.addRow(['网格编码', '姓名', '职务', '电话']);
  for (let i = 0; i < rows; i++) ws.addRow([`3708710050010${i % 10}`, `${cell}${i}`, '网格员', '13800000000']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const refusal = (f: () => void) => {
  try {
    f();
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
  return null;
};

describe('checkSpreadsheet', () => {
  it('lets a sheet within the limits through', async () => {
    const bytes = await workbook(20);
    expect(refusal(() => checkSpreadsheet(bytes))).toBeNull();
  });
  it('refuses more rows than the limit, counted in the sheet XML before anything is built', async () => {
    const bytes = await workbook(120);
    expect(refusal(() => checkSpreadsheet(bytes, { maxRows: 100, maxUncompressedBytes: 10_000_000 }))).toBe('spreadsheet_too_large');
    expect(refusal(() => checkSpreadsheet(bytes, { maxRows: 120, maxUncompressedBytes: 10_000_000 }))).toBeNull();
  });
  it('refuses a file that inflates past the byte limit (a 1.5 MB zip of 1.5 GB would), and leaves non-zips to the reader', async () => {
    const bytes = await workbook(50, '很长的名字'.repeat(200));
    expect(bytes.length).toBeLessThan(100_000);
    expect(refusal(() => checkSpreadsheet(bytes, { maxRows: 5000, maxUncompressedBytes: 100_000 }))).toBe('spreadsheet_too_large');
    expect(refusal(() => checkSpreadsheet(Buffer.from('not a zip at all')))).toBeNull();
  });
});
