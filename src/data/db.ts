// Opens the one database: PGlite in DATA_DIR by default, PostgreSQL when DATABASE_URL is set. Same SQL.
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
}

// COUNT(*) and other int8 values come back as strings from pg; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export async function openDb(opts: DbOptions): Promise<{ db: Db; kind: 'postgres' | 'pglite' }> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
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
    const client = new PGlite(dataDir, { parsers: { 20: (v: string) => Number(v), 1700: (v: string) => Number(v) } });
    await client.waitReady;
    return { db: new Kysely<Database>({ dialect: new PGliteDialect(client, release) }), kind: 'pglite' };
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
