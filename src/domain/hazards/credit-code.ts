// 统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters from a 31-character alphabet
// (digits and capitals without I, O, Z, S, V); the last is a check character over the first 17 with weights 3^i mod 31.
// Pure: the enterprise registry refuses a code that fails here, naming the field.

export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type CreditCodeProblem = 'length' | 'character' | 'checksum';

/** The check character the first 17 characters call for, or null when one of them is not in the alphabet. */
export function creditCodeCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_ALPHABET.indexOf(first17[i] ?? '');
    if (v < 0) return null;
    sum += v * WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_ALPHABET[check]!;
}

/** Normalises (trim, upper case, full-width to half-width) a code as people type it. */
export function normaliseCreditCode(raw: string): string {
  return raw
    .trim()
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toUpperCase();
}

/** Why a (normalised) code is not a valid unified social credit code, or null when it is. */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'length';
  for (const c of code) if (!CREDIT_CODE_ALPHABET.includes(c)) return 'character';
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? null : 'checksum';
}

/** A valid code from 17 characters (the demo seed and the tests make codes this way). */
export function withCheckChar(first17: string): string {
  const c = creditCodeCheckChar(first17);
  if (!c) throw new Error(`not a credit code body: ${first17}`);
  return first17 + c;
}
