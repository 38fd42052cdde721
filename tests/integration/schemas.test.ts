// Test isolation on PostgreSQL: every test file migrates its own schema in the one test database, so two
// schemas must be able to exist and be migrated side by side (test files run in parallel, and so do colleagues).
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { openTestDb, usingPostgres } from '../support/platform.js';

const opened: { drop: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const o of opened) await o.drop();
  // A failed migration leaves its schema behind (openTestDb creates it before migrating): drop this process's.
  if (usingPostgres) {
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    const { rows } = await c.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`gw\\_test\\_${process.pid}\\_%`]);
    for (const r of rows) await c.query(`DROP SCHEMA IF EXISTS ${r.nspname} CASCADE`);
    await c.end();
  }
});

// BUG (src/data/migrate.ts, migrateToLatest: `new Migrator({ db, provider })` without `migrationTableSchema`):
// Kysely decides whether its bookkeeping tables exist by introspecting *every* schema of the database; when another
// schema already has `kysely_migration_lock`, it skips creating its own in the current schema and then fails with
// `relation "kysely_migration_lock" does not exist`. On PostgreSQL, any two test files running at once (vitest runs
// two workers) therefore break each other, and the failed schema is left behind. Fix: pass the current schema, e.g.
// `migrationTableSchema: (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0].s`.
// On PGlite (one database per test file) there is nothing to collide with: the test only runs on PostgreSQL.
it.skipIf(!usingPostgres).fails('two schemas in one database can both be migrated', async () => {
  const first = await openTestDb();
  opened.push(first);
  const second = await openTestDb();
  opened.push(second);
  const tables = await second.db.selectFrom('cases').select('id').limit(1).execute();
  expect(tables).toEqual([]);
});
