// Offline reports from phones: each carries a client-made key; the server keeps one case per reporter and key,
// so a report sent twice (a retry after a lost answer) is stored once. Also: assignments keep their history
// (a department that returned a work order still reads it), and the append-only tables refuse TRUNCATE too.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE cases ADD COLUMN client_key text`.execute(db);
  await sql`CREATE UNIQUE INDEX cases_client_key_idx ON cases (reporter_id, client_key) WHERE client_key IS NOT NULL`.execute(db);
  await sql`ALTER TABLE case_assignments ADD COLUMN ended_at timestamptz`.execute(db);
  await sql`CREATE INDEX case_assignments_any_idx ON case_assignments (department_id, case_id)`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite()`.execute(db);
  await sql`CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events FOR EACH STATEMENT EXECUTE FUNCTION refuse_rewrite()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE cases DROP COLUMN client_key`.execute(db);
}
