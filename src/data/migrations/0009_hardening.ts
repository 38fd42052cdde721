// Hardening (issue 10):
// - photos are served only to those who may read a case holding them: the lookup "which cases/events hold this
//   hash" is a jsonb containment, indexed (jsonb_path_ops) so it stays one index probe at millions of cases;
// - failed logins are counted per (account, source), so a stranger's wrong passwords lock only the stranger's
//   address out, with a growing wait; users.failed_logins/locked_until are no longer used.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE INDEX cases_photos_idx ON cases USING gin (photos jsonb_path_ops)`,
  `CREATE INDEX case_events_photos_idx ON case_events USING gin (photos jsonb_path_ops)`,
  `CREATE TABLE login_failures (
    user_id int NOT NULL REFERENCES users(id),
    source text NOT NULL,
    failures int NOT NULL DEFAULT 0,
    locks int NOT NULL DEFAULT 0,
    last_failed_at timestamptz NOT NULL,
    locked_until timestamptz,
    PRIMARY KEY (user_id, source)
  )`,
  `CREATE INDEX login_failures_locked_idx ON login_failures (locked_until) WHERE locked_until IS NOT NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`DROP TABLE login_failures`).execute(db);
  await sql.raw(`DROP INDEX case_events_photos_idx`).execute(db);
  await sql.raw(`DROP INDEX cases_photos_idx`).execute(db);
}
