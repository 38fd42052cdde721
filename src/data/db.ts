// Opens the one database: PGlite in DATA_DIR by default, PostgreSQL when DATABASE_URL is set. Same SQL.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { PGliteDialect } from './pglite-dialect.js';
import { lockDataFolder } from './folder-lock.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Repository functions take either the database or an open transaction. */
export type DbOrTx = Db | Tx;

export interface DbOptions {
  /** postgres://… ; when absent PGlite is used */
  databaseUrl?: string | undefined;
  /** PGlite data folder; undefined = in memory (tests) */
  pgliteDir?: string | undefined;
  /** Postgres schema to use (tests isolate themselves in their own schema) */
  schema?: string | undefined;
  /** a PGlite data folder dump to start a fresh folder from (the demo snapshot, src/seed/snapshot.ts) */
  pgliteLoad?: Blob | undefined;
  /** connections in the PostgreSQL pool; default: a share of the server's max_connections (DB_POOL_MAX) */
  poolMax?: number | undefined;
}

/** Statements whose text starts with this comment are prepared once per connection (the hot path's few). */
export const PREPARED = '/*gw:prepare*/';

/**
 * pg prepares a query given a name; Kysely passes none, so a connection's query() names the marked statements
 * by a hash of their text (fixed text, so a bounded set: the server parses and plans each once per connection).
 */
function prepareMarked(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, values?: unknown, cb?: unknown) => {
    if (typeof text === 'string' && (text.startsWith(PREPARED) || text.startsWith(`select ${PREPARED}`))) {
      return query({ name: `gw_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`, text, values }, cb);
    }
    return query(text, values, cb);
  };
}

/**
 * The pool takes a share of what the server allows (a quarter of max_connections less the reserved ones: room
 * for other processes, migrations and psql), at least 4 and at most 64; DB_POOL_MAX overrides.
 */
async function poolSizeFor(pool: pg.Pool, override: number | undefined): Promise<number> {
  if (override && override > 0) return override;
  const env = Number(process.env.DB_POOL_MAX);
  if (Number.isInteger(env) && env > 0) return env;
  const r = await pool.query<{ max: number; reserved: number }>(
    `SELECT current_setting('max_connections')::int AS max, current_setting('superuser_reserved_connections')::int AS reserved`,
  );
  const { max, reserved } = r.rows[0]!;
  return Math.max(4, Math.min(64, Math.floor((max - reserved) / 4)));
}

// COUNT(*) and other int8 values come back as strings from pg; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export async function openDb(opts: DbOptions): Promise<{ db: Db; kind: 'postgres' | 'pglite'; pglite?: import('@electric-sql/pglite').PGlite }> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    pool.on('connect', prepareMarked);
    pool.options.max = await poolSizeFor(pool, opts.poolMax);
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), kind: 'postgres' };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  let dataDir: string | undefined;
  let release: (() => void) | undefined;
  if (opts.pgliteDir) {
    dataDir = path.resolve(opts.pgliteDir);
    mkdirSync(dataDir, { recursive: true });
    // one process per folder: the lock sits in the data folder (DATA_DIR), beside pgdata/ and photos/
    release = lockDataFolder(path.dirname(dataDir));
  }
  try {
    const client = new PGlite(dataDir, {
      parsers: { 20: (v: string) => Number(v), 1700: (v: string) => Number(v) },
      ...(opts.pgliteLoad ? { loadDataDir: opts.pgliteLoad } : {}),
    });
    await client.waitReady;
    return { db: new Kysely<Database>({ dialect: new PGliteDialect(client, release) }), kind: 'pglite', pglite: client };
  } catch (e) {
    release?.();
    throw e;
  }
}

/** Runs fn in the caller's transaction if there is one, else in a new one: a use case is atomic either way. */
export function inTransaction<T>(db: DbOrTx, fn: (trx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Tx);
  return (db as Db).transaction().execute((trx) => {
    roots.set(trx, db as Db);
    return fn(trx);
  });
}

// A transaction's database, so that per-database caches (the calendar) hit inside transactions too.
const roots = new WeakMap<object, Db>();

/** The database a transaction of inTransaction belongs to; the handle itself otherwise. */
export function rootOf(db: DbOrTx): DbOrTx {
  return roots.get(db) ?? db;
}
