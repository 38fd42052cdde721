// The working calendar never stops: years an administrator imported as a whole (official, beside the built-in
// ones), and on each case whether its running limits were counted over provisional days (to be recomputed when
// the year's official schedule arrives) and whether its deadline is a date a person chose (kept on recompute).
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE calendar_years (
    year int PRIMARY KEY CHECK (year BETWEEN 1900 AND 2999),
    source text NOT NULL,
    confirmed_by int REFERENCES users(id),
    confirmed_at timestamptz NOT NULL DEFAULT now()
  )`,
  `ALTER TABLE cases ADD COLUMN limits_provisional boolean NOT NULL DEFAULT false`,
  `ALTER TABLE cases ADD COLUMN deadline_fixed boolean NOT NULL DEFAULT false`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE cases DROP COLUMN IF EXISTS deadline_fixed').execute(db);
  await sql.raw('ALTER TABLE cases DROP COLUMN IF EXISTS limits_provisional').execute(db);
  await sql.raw('DROP TABLE IF EXISTS calendar_years').execute(db);
}
