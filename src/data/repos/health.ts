// The liveness probe's one query.
import { sql } from 'kysely';
import type { DbOrTx } from '../db.js';

export async function pingDatabase(db: DbOrTx): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
