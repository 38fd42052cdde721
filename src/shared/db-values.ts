// Values the database can hold, checked at the edge: ids and counts are PostgreSQL `integer` (up to 2^31 − 1), and
// PostgreSQL text may not hold NUL. Shared by the server's schemas and the web app; a value outside is a 400 with
// a message, never a 500 from the database.
import { z } from 'zod';

export const DB_INT_MAX = 2_147_483_647;

/** An id in a JSON body. */
export const dbId = () => z.number().int().positive().max(DB_INT_MAX);
/** An id in a path or query string. */
export const dbIdParam = () => z.coerce.number().int().positive().max(DB_INT_MAX);
/** A non-negative integer stored in an `integer` column (versions, counters). */
export const dbCount = () => z.number().int().nonnegative().max(DB_INT_MAX);

/** The one character PostgreSQL text and jsonb refuse (JavaScript strings are always valid Unicode otherwise). */
// eslint-disable-next-line no-control-regex
export const UNSAFE_TEXT = /\u0000/;

/** Text that can go to SQL as it is. */
export const safeText = () => z.string().refine((s) => !UNSAFE_TEXT.test(s), { message: 'contains a NUL character, which is not allowed' });

/** The first path in a parsed request (body, query, params) to a string with an unsafe character, or null. */
export function findUnsafeText(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return UNSAFE_TEXT.test(value) ? path || '(value)' : null;
  if (depth > 64 || value == null || typeof value !== 'object') return null;
  if (value instanceof Uint8Array) return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const p = path ? `${path}.${k}` : k;
    if (UNSAFE_TEXT.test(k)) return p;
    const found = findUnsafeText(v, p, depth + 1);
    if (found) return found;
  }
  return null;
}
