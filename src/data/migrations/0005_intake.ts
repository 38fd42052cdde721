// Offline reports from phones: each carries a client-made key; the server keeps one case per reporter and key,
// so a report sent twice (a retry after a lost answer) is stored once.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE cases ADD COLUMN client_key text`.execute(db);
  await sql`CREATE UNIQUE INDEX cases_client_key_idx ON cases (reporter_id, client_key) WHERE client_key IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE cases DROP COLUMN client_key`.execute(db);
}
