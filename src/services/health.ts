// Liveness: whether the database answers (GET /api/health).
import type { DbOrTx } from '../data/db.js';
import { pingDatabase } from '../data/repos/health.js';

/** Resolves when the database answers a query; rejects with its error otherwise. */
export function checkDatabase(db: DbOrTx): Promise<void> {
  return pingDatabase(db);
}
