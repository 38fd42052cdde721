// A user's scope becomes a set of subtrees: a grid worker may hold several grids (operators, leaders and
// communities keep one subtree). `scope_paths` replaces `scope_path`; existing users keep their one path.
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE users ADD COLUMN scope_paths text[] NOT NULL DEFAULT '{}'`,
  `UPDATE users SET scope_paths = ARRAY[scope_path] WHERE scope_path IS NOT NULL`,
  `ALTER TABLE users DROP COLUMN scope_path`,
  // the grid people (网格员 records on a grid) that stand for an account are found by it
  `CREATE INDEX IF NOT EXISTS grid_people_user_idx ON grid_people (user_id) WHERE user_id IS NOT NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP INDEX IF EXISTS grid_people_user_idx').execute(db);
  await sql.raw('ALTER TABLE users ADD COLUMN scope_path text').execute(db);
  await sql.raw('UPDATE users SET scope_path = scope_paths[1]').execute(db);
  await sql.raw('ALTER TABLE users DROP COLUMN scope_paths').execute(db);
}
