// A ledger (台账) as an .xlsx written row by row with ExcelJS's streaming WorkbookWriter, in the form offices send
// upward: a title row, a row with the unit and the period, the header with 序号, numbered rows, and a signature and
// date footer. Every cell is text and neutralised (= + - @ never start a formula). Memory stays flat however many
// rows: rows are committed as they come, and the writer waits while the compressor is behind (see sheetBacklog).
// One small module, meant to fold into a shared streaming export writer.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { neutralise } from '../../domain/neutralise.js';

// ExcelJS's streaming writer on its own: the package's entry loads the whole library (the in-memory workbook, the
// readers, CSV), which an export does not use and whose code and data a process exporting ledgers would carry.
const WorkbookWriter = createRequire(import.meta.url)('exceljs/lib/stream/xlsx/workbook-writer.js') as typeof ExcelJS.stream.xlsx.WorkbookWriter;

export interface LedgerSheet {
  title: string;
  /** 填报单位 */
  unit: string;
  /** 期间 */
  period: string;
  columns: readonly string[];
  /** widths of 序号 and the columns, in characters */
  widths: readonly number[];
  rows: AsyncIterable<readonly string[]>;
}

/** How much compressed-to-be XML may wait before the writer stops making rows. */
export const SHEET_BACKLOG_BYTES = 1 << 20;
/** Rows made between two looks at the backlog. */
const ROWS_PER_CHECK = 256;

/**
 * The stream that carries a worksheet's XML to the zip compressor. ExcelJS 4.4 writes a committed row into the
 * sheet's StreamBuf, which archiver reads through a PassThrough (readable-stream 2) it pipes the StreamBuf into — and
 * StreamBuf writes to its pipes ignoring their backpressure. So when rows are made faster than zlib deflates them
 * (deflate is the slow part, and a slow client stalls it further), the sheet piles up in that PassThrough. Waiting
 * for it to drain makes the export flow at the compressor's (and the client's) pace. Answers the stream and how many
 * bytes wait in it, or null before archiver has attached it. tests/unit/hazard-work-domain.test.ts fails if an
 * ExcelJS or archiver upgrade changes this shape.
 */
export function sheetBacklog(ws: unknown): { stream: NodeJS.EventEmitter & { destroyed?: boolean }; bytes: () => number } | null {
  const pipes = (ws as { stream?: { pipes?: unknown[] } }).stream?.pipes;
  const first = (Array.isArray(pipes) ? pipes[0] : undefined) as { writableLength?: number; _writableState?: { length?: number }; on?: unknown; destroyed?: boolean } | undefined;
  if (!first || typeof first.on !== 'function') return null;
  const bytes = () => first.writableLength ?? first._writableState?.length ?? 0;
  if (typeof first.writableLength !== 'number' && typeof first._writableState?.length !== 'number') return null;
  return { stream: first as unknown as NodeJS.EventEmitter & { destroyed?: boolean }, bytes };
}

/** Writes the workbook to `out` and ends it; answers the number of data rows written. */
export async function writeLedgerXlsx(out: Writable, sheet: LedgerSheet): Promise<number> {
  const wb = new WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
    // Deflate level 1: a ledger is repetitive text, level 1 keeps most of the ratio at several times the speed, and
    // deflate is what the rows wait for.
    zip: { zlib: { level: 1 } },
  });
  wb.creator = 'Gridwork';
  const ws = wb.addWorksheet(sheet.title.slice(0, 31), {
    // Data rows carry no cell styles (a style per cell halves the rows per second of a 200,000-row export): the
    // sheet prints with grid lines instead; the title and the header are styled.
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, showGridLines: true, printTitlesRow: '3:3' },
    views: [{ state: 'frozen', ySplit: 3 }],
  });
  const width = sheet.columns.length + 1;
  const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;
  ws.columns = sheet.widths.slice(0, width).map((w) => ({ width: w }));

  const title = ws.addRow([sheet.title]);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center' };
  title.height = 28;
  ws.mergeCells(1, 1, 1, width);
  title.commit();
  const meta = ws.addRow([neutralise(`填报单位：${sheet.unit}　　期间：${sheet.period}`)]);
  ws.mergeCells(2, 1, 2, width);
  meta.commit();
  const header = ws.addRow(['序号', ...sheet.columns]);
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  header.eachCell((c) => (c.border = border));
  header.commit();

  let n = 0;
  for await (const cells of sheet.rows) {
    n++;
    ws.addRow([n, ...cells.map((c) => neutralise(c))]).commit();
    if (n % ROWS_PER_CHECK === 0) {
      // looked up each time: archiver attaches the stream only when its queue reaches the sheet
      const backlog = sheetBacklog(ws);
      while (backlog && backlog.bytes() > SHEET_BACKLOG_BYTES && !backlog.stream.destroyed) await once(backlog.stream, 'drain');
    }
  }

  ws.addRow([]).commit();
  const total = ws.addRow([`共 ${n} 条`]);
  total.commit();
  const sign = ws.addRow(['填报人（签字）：', '', '', '审核人（签字）：', '', '', '填报日期：　　年　　月　　日']);
  sign.commit();
  ws.commit();
  await wb.commit();
  return n;
}
