// Every list exports (issue 9): one streaming .xlsx writer for all of them. A list is read page by page (keyset) and
// written row by row with ExcelJS's streaming WorkbookWriter, so 100,000 rows never sit in memory; text starting
// = + - @ is neutralised (a leading apostrophe) so Excel never runs it as a formula. An export that would be larger
// than EXPORT_MAX_ROWS is refused before anything is sent, with the count, so the reader can narrow the filter.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DomainError } from '../domain/errors.js';
import { neutralise } from '../domain/users-sheet.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const EXPORT_MAX_ROWS = 100_000;
/** rows read from the database per query */
export const EXPORT_PAGE = 1000;

export type CellValue = string | number | boolean | null | undefined;

export interface ExportColumn<T> {
  header: string;
  width?: number;
  value: (row: T) => CellValue;
}

/** An export ready to stream: its size is known and within the limit; `write` streams the workbook into `out`. */
export interface XlsxExport {
  /** the file name shown to the user (may be Chinese) and an ASCII fallback */
  filename: string;
  asciiName: string;
  /** rows the file holds: the list's total under the same filter */
  total: number;
  write(out: Writable): Promise<number>;
}

/** A time as people in the office read it: Asia/Shanghai, to the minute. */
export function shanghaiTime(d: Date | string | null | undefined): string {
  if (d == null) return '';
  const t = typeof d === 'string' ? new Date(d) : d;
  return new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function cell(v: CellValue): string | number | boolean | null {
  if (v == null) return null;
  return typeof v === 'string' ? neutralise(v) : v;
}

/** Refuses an export over the limit, before a byte is sent. */
export function checkExportSize(total: number): void {
  if (total > EXPORT_MAX_ROWS) throw new DomainError('export_too_large', { count: total, max: EXPORT_MAX_ROWS });
}

/**
 * Streams one sheet: the header row, then every row of every page, each committed as it is written. Returns the
 * number of data rows written.
 */
export async function writeXlsx<T>(out: Writable, sheetName: string, columns: readonly ExportColumn<T>[], pages: AsyncIterable<readonly T[]>): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Gridwork';
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width ?? 16 }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  let n = 0;
  for await (const page of pages) {
    for (const row of page) {
      if (n >= EXPORT_MAX_ROWS) break;
      ws.addRow(columns.map((c) => cell(c.value(row)))).commit();
      n++;
    }
  }
  ws.commit();
  await wb.commit();
  return n;
}

/** An export of rows already in hand (short lists: departments). */
export function rowsExport<T>(filename: string, asciiName: string, sheetName: string, columns: readonly ExportColumn<T>[], rows: readonly T[]): XlsxExport {
  checkExportSize(rows.length);
  return {
    filename,
    asciiName,
    total: rows.length,
    write: (out) =>
      writeXlsx(
        out,
        sheetName,
        columns,
        (async function* () {
          yield rows;
        })(),
      ),
  };
}
