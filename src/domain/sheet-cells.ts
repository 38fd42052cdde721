// Cells of the spreadsheets people fill in and we write (users, enterprises, grid people, divisions): one reading of
// what exceljs makes of a cell (text, number, date, rich text, hyperlink, formula), and the two things every sheet we
// write does (a workbook with fixed dates; text neutralised so Excel never runs it as a formula).
import ExcelJS from 'exceljs';

/** A cell that holds a formula (or an error a formula gave): what it says, never what it last showed. */
export interface FormulaCell {
  formula: string;
}

export { neutralise } from './neutralise.js';

/** A workbook as every sheet we build starts: our name, and a fixed date so two builds of one content are equal. */
export function newWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Gridwork';
  wb.created = new Date(Date.UTC(2024, 0, 1));
  wb.modified = wb.created;
  return wb;
}

function isFormula(value: object): value is { formula?: string; sharedFormula?: string; result?: ExcelJS.CellValue } {
  return 'formula' in value || 'sharedFormula' in value;
}

/**
 * The text a person sees in a cell, trimmed, or the formula it holds: a formula is never taken for what it last
 * showed. A leading apostrophe (how our exports neutralise text) is dropped; whole numbers are written out in full;
 * a date is YYYY-MM-DD; a boolean is true / false.
 */
export function cellContent(value: ExcelJS.CellValue): string | FormulaCell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim().replace(/^'/, '');
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if (isFormula(value)) return { formula: String(value.formula ?? value.sharedFormula ?? '') };
    if ('richText' in value) return value.richText.map((t) => t.text).join('').trim();
    if ('hyperlink' in value) return cellText((value as { text?: ExcelJS.CellValue }).text ?? null);
    if ('error' in value) return { formula: String((value as { error: unknown }).error) };
  }
  return '';
}

/** The text a person sees in a cell, a formula read as the value it last showed (sheets that accept formulas). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && isFormula(value)) return cellText(value.result ?? null);
  const c = cellContent(value);
  return typeof c === 'string' ? c : '';
}
