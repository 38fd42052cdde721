// Test isolation on PostgreSQL: every test file migrates its own schema in the one test database, so two
// schemas must be able to exist and be migrated side by side (test files run in parallel, and so do colleagues).
import { afterAll, expect, it } from 'vitest';
import { openTestDb, usingPostgres } from '../support/platform.js';

const opened: { drop: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const o of opened) await o.drop();
});

it.skipIf(!usingPostgres)('two schemas in one database can both be migrated', async () => {
  const first = await openTestDb();
  opened.push(first);
  const second = await openTestDb();
  opened.push(second);
  const tables = await second.db.selectFrom('cases').select('id').limit(1).execute();
  expect(tables).toEqual([]);
});
