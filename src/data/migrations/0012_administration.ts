// Administration of a fresh install: villages beside communities, departments that can be retired, and users an
// administrator can lock (apart from the login throttle) and whose last login is shown in the user list.
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE divisions DROP CONSTRAINT IF EXISTS divisions_level_check`,
  `ALTER TABLE divisions ADD CONSTRAINT divisions_level_check CHECK (level IN ('district','street','community','village'))`,
  `ALTER TABLE departments ADD COLUMN retired_at timestamptz`,
  `ALTER TABLE users ADD COLUMN locked_at timestamptz`,
  `ALTER TABLE users ADD COLUMN last_login_at timestamptz`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE users DROP COLUMN IF EXISTS last_login_at').execute(db);
  await sql.raw('ALTER TABLE users DROP COLUMN IF EXISTS locked_at').execute(db);
  await sql.raw('ALTER TABLE departments DROP COLUMN IF EXISTS retired_at').execute(db);
  await sql.raw('ALTER TABLE divisions DROP CONSTRAINT IF EXISTS divisions_level_check').execute(db);
  await sql.raw(`ALTER TABLE divisions ADD CONSTRAINT divisions_level_check CHECK (level IN ('district','street','community'))`).execute(db);
}
