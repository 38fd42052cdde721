// .xlsx of an indicator table or a ranking: one sheet with the figures (the same rounding as the screen: rates to a
// tenth of a percent, as numbers formatted 0.0%), one sheet with every indicator's definition (口径). Every text cell
// is neutralised (= + - @ … get a leading apostrophe). Kept to one small module so a shared export writer can take it over.
import ExcelJS from 'exceljs';
import { neutralise, newWorkbook } from '../../domain/sheet-cells.js';
import { INDICATOR_BY_ID, type IndicatorDef, type IndicatorId } from '../../domain/assessment/indicators.js';
import type { RankingRow } from '../../domain/assessment/scheme.js';

export interface SheetRow {
  code: string;
  name: string;
  values: Partial<Record<IndicatorId, number | null>>;
  score?: number | null;
  rank?: number | null;
  ranked?: boolean;
  board?: RankingRow['board'];
}

/** A rate as the screen rounds it (a tenth of a percent), as a fraction for Excel's 0.0% format. */
export function sheetValue(id: IndicatorId, v: number | null | undefined): number | null {
  if (v == null) return null;
  return INDICATOR_BY_ID[id].kind === 'rate' ? Math.round(v * 1000) / 1000 : v;
}

export async function assessmentWorkbook(opts: { title: string; indicators: IndicatorDef[]; rows: SheetRow[]; ranking: boolean }): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = wb.addWorksheet('考核');
  ws.addRow([neutralise(opts.title)]).font = { bold: true, size: 14 };
  const head = ['编码', '名称', ...opts.indicators.map((i) => i.name['zh-CN']), ...(opts.ranking ? ['得分', '名次', '榜单'] : [])];
  ws.addRow(head.map(neutralise)).font = { bold: true };
  for (const r of opts.rows) {
    const row = ws.addRow([
      neutralise(r.code),
      neutralise(r.name),
      ...opts.indicators.map((i) => sheetValue(i.id, r.values[i.id])),
      ...(opts.ranking ? [r.score ?? null, r.ranked ? r.rank ?? null : '不排名', r.board === 'red' ? '红榜' : r.board === 'black' ? '黑榜' : ''] : []),
    ]);
    opts.indicators.forEach((i, k) => {
      if (i.kind === 'rate') row.getCell(3 + k).numFmt = '0.0%';
    });
  }
  ws.columns.forEach((c, k) => (c.width = k < 2 ? 18 : 12));
  const defs = wb.addWorksheet('口径');
  defs.addRow(['指标', '口径', '公式']).font = { bold: true };
  for (const i of opts.indicators) defs.addRow([neutralise(i.name['zh-CN']), neutralise(i.definition['zh-CN']), neutralise(i.formula)]);
  defs.getColumn(2).width = 80;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
