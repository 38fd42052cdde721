// Spreadsheet caps checked before a workbook is opened: ExcelJS builds every cell in memory, so a 1.5 MB .xlsx that
// inflates to 1.5 GB, or a million-row sheet, would take gigabytes. The zip's central directory says how large each
// part is uncompressed; the sheets are inflated (bounded by that cap) and their rows counted.
import { inflateRawSync } from 'node:zlib';
import { DomainError } from './errors.js';

export interface SpreadsheetLimits {
  /** data rows (the header row not counted) */
  maxRows: number;
  /** all parts of the file together, uncompressed */
  maxUncompressedBytes: number;
}

/** 5000 rows of a dozen columns take a few MB of XML; 32 MB leaves room for long notes. */
export const DEFAULT_SPREADSHEET_LIMITS: SpreadsheetLimits = { maxRows: 5000, maxUncompressedBytes: 32 * 1024 * 1024 };

interface Entry {
  name: string;
  method: number;
  compressed: number;
  uncompressed: number;
  localOffset: number;
}

/** The central directory of a zip, or null when the bytes are not one (ExcelJS then says it cannot read them). */
function zipEntries(b: Buffer): Entry[] | null {
  const min = Math.max(0, b.length - 65_557);
  let eocd = -1;
  for (let i = b.length - 22; i >= min; i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const out: Entry[] = [];
  for (let k = 0; k < count; k++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLen = b.readUInt16LE(p + 28);
    out.push({
      method: b.readUInt16LE(p + 10),
      compressed: b.readUInt32LE(p + 20),
      uncompressed: b.readUInt32LE(p + 24),
      localOffset: b.readUInt32LE(p + 42),
      name: b.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
  }
  return out;
}

/** Refuses (413 spreadsheet_too_large) a workbook past the limits; anything that is not a zip is left to ExcelJS. */
export function checkSpreadsheet(bytes: Buffer, limits: SpreadsheetLimits = DEFAULT_SPREADSHEET_LIMITS): void {
  const refuse = () => {
    throw new DomainError('spreadsheet_too_large', { maxRows: limits.maxRows, maxMb: Math.round(limits.maxUncompressedBytes / 1024 / 1024) });
  };
  const entries = zipEntries(bytes);
  if (!entries) return;
  let total = 0;
  for (const e of entries) {
    // 0xFFFFFFFF: a zip64 size, far past any limit here
    if (e.uncompressed === 0xffffffff) refuse();
    total += e.uncompressed;
  }
  if (total > limits.maxUncompressedBytes) refuse();
  for (const e of entries.filter((x) => /^xl\/worksheets\/[^/]+\.xml$/.test(x.name))) {
    const lh = e.localOffset;
    if (lh + 30 > bytes.length || bytes.readUInt32LE(lh) !== 0x04034b50) return;
    const start = lh + 30 + bytes.readUInt16LE(lh + 26) + bytes.readUInt16LE(lh + 28);
    const raw = bytes.subarray(start, start + e.compressed);
    let xml: Buffer;
    try {
      // The directory may lie about the size: the inflater stops at the cap whatever it says.
      xml = e.method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: limits.maxUncompressedBytes });
    } catch {
      refuse();
      return;
    }
    let rows = 0;
    for (let i = xml.indexOf('<row'); i >= 0; i = xml.indexOf('<row', i + 4)) {
      const next = xml[i + 4];
      if (next === 0x20 || next === 0x3e || next === 0x2f) rows++; // "<row " "<row>" "<row/"
      if (rows > limits.maxRows + 1) refuse();
    }
  }
}
