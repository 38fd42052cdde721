// Who to call in a department: a name, a title and a phone — a mobile (13812341234) or an office line with its area
// code (0537-2345678, an extension after a dash). Checked and written in one form so a list reads the same everywhere.
import { normalisePhone } from './grids/people-sheet.js';

export const MAX_CONTACTS = 20;

/** The phone in its one written form, or null when it is neither a mobile nor an office line. */
export function normaliseContactPhone(value: string): string | null {
  const mobile = normalisePhone(value);
  if (mobile) return mobile;
  const v = value.replace(/[\s()（）]/g, '').replace(/[－—]/g, '-');
  // Area codes are 010 and 02x (three digits) or 0xxx (four): the second digit tells which.
  const m = /^(01\d|02\d|0[3-9]\d{2})-?([2-9]\d{6,7})(?:-(\d{1,6}))?$/.exec(v);
  return m ? `${m[1]}-${m[2]}${m[3] ? `-${m[3]}` : ''}` : null;
}
