// One masking rule for phone numbers shown to readers who do not call them (grid people, key units, points of
// interest, the web app): at least four digits are always hidden, and never more than the first 3 and the last 4
// are shown — 13812341234 → 138****1234, 2345678 → 2****78, 0537-2345678 → 053****5678. The hidden part is always
// four stars, so the mask does not tell the length either.

/** The digits kept visible: at least 4 hidden, at most 7 shown (3 leading, 4 trailing). */
export function maskPhone(phone: string): string;
export function maskPhone(phone: string | null): string | null;
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  const digits = phone.replace(/\D/g, '');
  const shown = Math.max(0, Math.min(7, digits.length - 4));
  const head = Math.min(3, Math.floor(shown / 2));
  const tail = shown - head;
  return `${digits.slice(0, head)}****${tail > 0 ? digits.slice(-tail) : ''}`;
}

/** Administrators and operators call grid people, key-unit contacts and points of interest; everyone else sees masks. */
export function seesPhones(actor: { role: string }): boolean {
  return actor.role === 'admin' || actor.role === 'operator';
}

/** A phone number as this reader may see it. */
export function phoneFor(actor: { role: string }, phone: string | null): string | null {
  return seesPhones(actor) ? phone : maskPhone(phone);
}
