// The server the intake bench loads, in a process of its own so the load generator does not share its CPU:
// the real app (buildApp) on the bench's PostgreSQL schema. Prints "ready" when it listens.
import { loadConfig } from '../../src/config.js';
import { openDb } from '../../src/data/db.js';
import { buildApp } from '../../src/server/app.js';

const config = loadConfig({ ...process.env, DATABASE_URL: process.env.BENCH_DB_URL, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' });
const { db } = await openDb({ databaseUrl: process.env.BENCH_DB_URL, schema: process.env.BENCH_SCHEMA });
const app = await buildApp({ db, config });
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('ready');
process.on('SIGTERM', async () => {
  await app.close();
  await db.destroy();
  process.exit(0);
});
