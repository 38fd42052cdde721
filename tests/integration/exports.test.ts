// Every list exports (issue 9): the case list under a filter, my tasks, the audit log and the departments come as
// .xlsx streamed through one writer (src/services/xlsx-export.ts). The file holds exactly the list's rows under the
// same filter and scope (its total, and the same case numbers), and text starting = + - @ is never a formula.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import type { CaseList } from '../../src/shared/api.js';
import { checkExportSize, EXPORT_MAX_ROWS } from '../../src/services/xlsx-export.js';
import { GRID_1, ok, openWorld, refused, reportAt, walkTo, type World } from '../support/factories.js';

let w: World;

beforeAll(async () => {
  w = await openWorld(['admin', 'operator', 'gridworker', 'chengguan', 'leader'], { cases: 60 });
});
afterAll(async () => w?.p.close());

async function sheetOf(res: LightMyRequestResponse): Promise<{ header: string[]; rows: ExcelJS.CellValue[][]; cells: ExcelJS.Cell[][] }> {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toMatch(/spreadsheetml/);
  expect(String(res.headers['content-disposition'])).toMatch(/attachment; filename=/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const header: string[] = [];
  const rows: ExcelJS.CellValue[][] = [];
  const cells: ExcelJS.Cell[][] = [];
  ws.eachRow((row, n) => {
    const values: ExcelJS.CellValue[] = [];
    const cs: ExcelJS.Cell[] = [];
    row.eachCell({ includeEmpty: true }, (c) => {
      values.push(c.value);
      cs.push(c);
    });
    if (n === 1) header.push(...values.map(String));
    else {
      rows.push(values);
      cells.push(cs);
    }
  });
  return { header, rows, cells };
}

async function listNumbers(user: string, path: string, query: string): Promise<{ total: number; numbers: string[] }> {
  const numbers: string[] = [];
  let after: string | null = null;
  let total = 0;
  do {
    const l = ok(await w.u[user]!.get(`${path}?pageSize=200&count=exact${query}${after ? `&after=${encodeURIComponent(after)}` : ''}`)) as CaseList;
    total = l.total;
    numbers.push(...l.items.map((i) => i.number));
    after = l.nextCursor ?? null;
  } while (after);
  return { total, numbers };
}

describe('case list export', () => {
  it('holds exactly the list under the same filter and scope, for several users and filters', async () => {
    const gridId = w.grids.get(GRID_1)!.properties.id;
    const cases: [string, string][] = [
      ['operator', ''],
      ['operator', '&state=closed'],
      ['operator', `&open=true&departmentId=${w.departments.get('CG')}`],
      ['leader', `&gridId=${gridId}`],
      ['leader', '&event=handled&onTime=true'],
      ['gridworker', ''],
      ['chengguan', '&urgency=normal'],
    ];
    let nonEmpty = 0;
    for (const [user, query] of cases) {
      const list = await listNumbers(user, '/api/cases', query);
      const res = await w.u[user]!.get(`/api/cases/export.xlsx?x=1${query}`);
      const sheet = await sheetOf(res);
      expect(sheet.header[0]).toBe('案件编号');
      expect(Number(res.headers['x-total-count']), `${user} ${query}`).toBe(list.total);
      expect(sheet.rows.length, `${user} ${query}`).toBe(list.total);
      // the same cases in the same order as the screen's list
      expect(sheet.rows.map((r) => r[0])).toEqual(list.numbers);
      if (list.total > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(5);
  });

  it('writes text starting = + - @ as text, never as a formula', async () => {
    const c = await reportAt(w, w.u.gridworker!, GRID_1, { description: '=HYPERLINK("http://x.example","点我")', address: '@SUM(1,2)' });
    const res = await w.u.operator!.get(`/api/cases/export.xlsx?q=${encodeURIComponent('HYPERLINK')}`);
    const sheet = await sheetOf(res);
    const i = sheet.rows.findIndex((r) => r[0] === c.number);
    expect(i).toBeGreaterThanOrEqual(0);
    const description = sheet.cells[i]![sheet.header.indexOf('问题描述')]!;
    const address = sheet.cells[i]![sheet.header.indexOf('地址')]!;
    expect(description.type).toBe(ExcelJS.ValueType.String);
    expect(description.value).toBe('\'=HYPERLINK("http://x.example","点我")');
    expect(address.value).toBe("'@SUM(1,2)");
    for (const row of sheet.cells) for (const cell of row) expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
  });

  it('refuses more than 100,000 rows before sending anything, saying how many', () => {
    expect(() => checkExportSize(EXPORT_MAX_ROWS)).not.toThrow();
    expect(() => checkExportSize(EXPORT_MAX_ROWS + 1)).toThrow(expect.objectContaining({ code: 'export_too_large' }));
  });
});

describe('the other lists', () => {
  it('my tasks, the audit log and the departments export with the screen’s totals; the audit log only for administrators', async () => {
    await walkTo(w, 'dispatched', { department: 'CG' });
    const tasks = await listNumbers('chengguan', '/api/tasks', '');
    expect(tasks.total).toBeGreaterThan(0);
    const taskSheet = await sheetOf(await w.u.chengguan!.get('/api/tasks/export.xlsx'));
    expect(taskSheet.rows.map((r) => r[0])).toEqual(tasks.numbers);

    const audit = ok(await w.u.admin!.get('/api/audit?targetType=case&pageSize=1')) as { total: number };
    const auditSheet = await sheetOf(await w.u.admin!.get('/api/audit/export.xlsx?targetType=case'));
    expect(auditSheet.rows.length).toBe(audit.total);
    expect(auditSheet.header).toContain('摘要');
    refused(await w.u.operator!.get('/api/audit/export.xlsx'), 403, 'forbidden');

    const departments = ok(await w.u.admin!.get('/api/admin/departments')) as { code: string }[];
    const depSheet = await sheetOf(await w.u.admin!.get('/api/departments/export.xlsx'));
    expect(depSheet.rows.map((r) => r[0]).sort()).toEqual(departments.map((d) => d.code).sort());
  });

  it('OpenAPI shows the exports tag on every export', async () => {
    const spec = (await w.p.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const tagged = Object.entries(spec.paths as Record<string, Record<string, { tags?: string[] }>>)
      .flatMap(([path, ops]) => Object.values(ops).filter((op) => op.tags?.includes('exports')).map(() => path))
      .sort();
    expect(tagged).toEqual(expect.arrayContaining(['/api/audit/export.xlsx', '/api/cases/export.xlsx', '/api/departments/export.xlsx', '/api/tasks/export.xlsx', '/api/users/export']));
  });
});
