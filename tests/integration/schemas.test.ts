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

it.skipIf(!usingPostgres)('two schemas in one database can both be migrated', async () => {
  const first = await openTestDb();
  opened.push(first);
  const second = await openTestDb();
  opened.push(second);
  const tables = await second.db.selectFrom('cases').select('id').limit(1).execute();
  expect(tables).toEqual([]);
});
