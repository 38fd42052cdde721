// Administration completed: departments carry their contacts (names and phones, replaced as a whole list and
// audited), and categories can be retired — a retired category is no longer offered at report time, and the cases
// filed under it keep it.
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE departments ADD COLUMN contacts jsonb NOT NULL DEFAULT '[]'::jsonb`,
  `ALTER TABLE categories ADD COLUMN retired_at timestamptz`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE categories DROP COLUMN IF EXISTS retired_at').execute(db);
  await sql.raw('ALTER TABLE departments DROP COLUMN IF EXISTS contacts').execute(db);
}
