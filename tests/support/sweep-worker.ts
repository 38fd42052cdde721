// One sweeper process for tests/integration/sweeper.test.ts: opens its own connection pool to a PostgreSQL
// schema, says "ready" once connected, waits for a go-file to appear (so that several workers start their
// sweep at the same moment), runs sweepDeadlines(db, now) once and prints its result as one JSON line.
//
//   node --import tsx tests/support/sweep-worker.ts <schema> <iso-now> <go-file>
//
// DATABASE_URL comes from the environment.
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { openDb } from '../../src/data/db.js';
import { sweepDeadlines } from '../../src/services/cases/sweeper.js';

const [schema, iso, goFile] = process.argv.slice(2);
const url = process.env.DATABASE_URL;
if (!schema || !iso || !goFile || !url) {
  process.stderr.write('usage: DATABASE_URL=… sweep-worker.ts <schema> <iso-now> <go-file>\n');
  process.exit(2);
}
const now = new Date(iso);
if (Number.isNaN(now.getTime())) {
  process.stderr.write(`bad instant ${iso}\n`);
  process.exit(2);
}

const { db } = await openDb({ databaseUrl: url, schema });
try {
  // Connect (and check the schema is there) before saying ready, so the start is not skewed by connecting.
  await sql`SELECT count(*) FROM cases`.execute(db);
  process.stdout.write('ready\n');
  while (!existsSync(goFile)) await sleep(1);
  const startedAt = Date.now();
  const result = await sweepDeadlines(db, now);
  const endedAt = Date.now();
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ...result, startedAt, endedAt })}\n`);
} finally {
  await db.destroy();
}
