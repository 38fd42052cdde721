// A kept PostgreSQL database of generated cases over the demo street, shared by the benches that need a million
// cases (case-list, map-tiles). Made once and reused while its bench_meta row matches what the bench asks for;
// BENCH_FRESH=1 rebuilds it. Cases are generated in SQL (INSERT … SELECT generate_series in chunks, triggers and
// foreign keys off, secondary indexes of cases dropped during the load and built after, one sort each); each bench
// gives the INSERT of one chunk, the shape of its data.
import pg from 'pg';
import { openDb } from '../../src/data/db.js';
import { migrateToLatest } from '../../src/data/migrate.js';
import { seedDemo } from '../../src/seed/demo.js';
import { log, secs } from './report.js';

const ROOT_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CHUNK = 250_000;

/** What a chunk's INSERT may draw on: temp tables bg (A-class grids), bc (leaf categories), bd (departments),
 * each numbered from 0 in `idx`, their sizes, the demo operator as reporter, and the generation's clock. */
export interface Generation {
  grids: number;
  cats: number;
  depts: number;
  reporter: number;
  now: Date;
  cases: number;
}

export interface CasesDb {
  /** database name; its URL is BENCH_PG_URL with this path unless `url` is given */
  name: string;
  url?: string;
  cases: number;
  /** bump when the generated data changes */
  generation: number;
  /** setseed() before the first chunk, so a rebuild makes the same data */
  seed: number;
  /** inserts cases with ids a..b */
  insertChunk: (c: pg.Client, a: number, b: number, g: Generation) => Promise<void>;
}

/** The state of a generated case (lateral `s.state`) from its age ($2 − r.at) and a random r.st: older than 20 days
 * it is settled, mostly closed; younger, anywhere along the workflow. */
export const STATE_BY_AGE = `CROSS JOIN LATERAL (SELECT CASE
        WHEN $2::timestamptz - r.at > interval '20 days' THEN CASE WHEN r.st < 0.9 THEN 'closed' WHEN r.st < 0.95 THEN 'rejected' ELSE 'verified' END
        ELSE CASE WHEN r.st < 0.3 THEN 'closed' WHEN r.st < 0.4 THEN 'reported' WHEN r.st < 0.5 THEN 'accepted' WHEN r.st < 0.6 THEN 'dispatched'
                  WHEN r.st < 0.8 THEN 'in_progress' WHEN r.st < 0.9 THEN 'handled' ELSE 'verified' END END AS state) s`;

/** Empties the database's public schema and makes it anew: every migration, and the demo street without cases. */
export async function freshDemoSchema(c: pg.Client, url: string): Promise<void> {
  await c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  const { db } = await openDb({ databaseUrl: url });
  await migrateToLatest(db);
  await seedDemo(db, { now: new Date(), cases: 0 });
  await db.destroy();
}

async function ensureDatabase(name: string, override?: string): Promise<string> {
  const admin = new pg.Client({ connectionString: ROOT_URL });
  await admin.connect();
  if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ROOT_URL);
  url.pathname = `/${name}`;
  return override ?? url.toString();
}

async function generate(url: string, o: CasesDb) {
  const t0 = performance.now();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await freshDemoSchema(c, url);
  await c.query(`SET session_replication_role = replica`);
  await c.query(`SET maintenance_work_mem = '512MB'`);
  await c.query(`SET synchronous_commit = off`);
  const { rows: indexes } = await c.query<{ name: string; def: string }>(`
    SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
    WHERE i.schemaname = 'public' AND i.tablename = 'cases' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`);
  for (const i of indexes) await c.query(`DROP INDEX ${i.name}`);
  await c.query(`
    CREATE TEMP TABLE bg AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id, path, min_lng, min_lat, max_lng, max_lat
    FROM grids WHERE grid_class = 'A';
    CREATE TEMP TABLE bc AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id FROM categories WHERE parent_id IS NOT NULL;
    CREATE TEMP TABLE bd AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id FROM departments;
    ANALYZE bg; ANALYZE bc; ANALYZE bd;`);
  await c.query(`SELECT setseed(${o.seed})`);
  const count = async (t: string) => Number((await c.query(`SELECT count(*) FROM ${t}`)).rows[0].count);
  const g: Generation = {
    grids: await count('bg'),
    cats: await count('bc'),
    depts: await count('bd'),
    reporter: (await c.query(`SELECT id FROM users WHERE username = 'operator'`)).rows[0].id as number,
    now: new Date(),
    cases: o.cases,
  };
  for (let a = 1; a <= o.cases; a += CHUNK) {
    const b = Math.min(o.cases, a + CHUNK - 1);
    const tc = performance.now();
    await o.insertChunk(c, a, b, g);
    log(`cases ${a}–${b}: ${secs(tc)}`);
  }
  await c.query(`SELECT setval(pg_get_serial_sequence('cases', 'id'), ${o.cases})`);
  const ti = performance.now();
  await c.query(`SET max_parallel_maintenance_workers = 2`);
  for (const i of indexes) await c.query(i.def);
  log(`${indexes.length} indexes: ${secs(ti)}`);
  await c.query(`SET session_replication_role = origin`);
  await c.query('VACUUM ANALYZE cases');
  await c.query(`CREATE TABLE bench_meta AS SELECT ${o.cases}::int AS cases, ${o.generation}::int AS generation`);
  log(`generated ${o.cases.toLocaleString('en')} cases in ${secs(t0)}`);
  await c.end();
}

/** The URL of the bench's database of generated cases, made (or remade) first if it is not what `o` describes. */
export async function keptCasesDb(o: CasesDb): Promise<string> {
  const url = await ensureDatabase(o.name, o.url);
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  const meta = (await probe.query(`SELECT to_regclass('bench_meta') AS t`)).rows[0].t
    ? (await probe.query('SELECT cases, generation FROM bench_meta')).rows[0]
    : null;
  await probe.end();
  if (process.env.BENCH_FRESH === '1' || meta?.cases !== o.cases || meta?.generation !== o.generation) {
    log(`generating ${o.cases.toLocaleString('en')} cases in ${o.name} …`);
    await generate(url, o);
  } else log(`reusing ${o.name} (${o.cases.toLocaleString('en')} cases; BENCH_FRESH=1 regenerates)`);
  return url;
}
