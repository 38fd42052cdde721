// A real platform for tests: PGlite in memory by default, PostgreSQL in a schema of its own when
// DATABASE_URL is set. Seeded with the demo street (no cases unless asked) and served by the real app.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { openDb, type Db } from '../../src/data/db.js';
import { migrateToLatest } from '../../src/data/migrate.js';
import { seedDemo } from '../../src/seed/demo.js';
import { buildApp } from '../../src/server/app.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import { systemClock, type Clock } from '../../src/clock.js';

export interface TestPlatform {
  db: Db;
  app: FastifyInstance;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

export const usingPostgres = Boolean(process.env.DATABASE_URL);

/** The advisory lock between migrating a test schema (shared) and dropping one (exclusive); see openTestDb. */
const SCHEMA_LOCK = 7_301_014;

/** Drops a test schema on PostgreSQL once no test file is migrating (Kysely reads every schema's catalogue then). */
export async function dropTestSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}

export async function openTestDb(): Promise<{ db: Db; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const { db } = await openDb({});
    await migrateToLatest(db);
    return { db, drop: async () => db.destroy() };
  }
  const schema = `gw_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const { db } = await openDb({ databaseUrl: url, schema });
  const drop = async () => {
    await db.destroy();
    await dropTestSchema(url, schema);
  };
  // Kysely's migrator reads the catalogue of every schema; a schema another test file drops meanwhile makes that read
  // fail ("relation … does not exist"). Migrations hold a shared lock, drops take it exclusively. A failed migration
  // must not leave its schema behind, and each caller drops only the schema it made.
  try {
    await admin.query('SELECT pg_advisory_lock_shared($1)', [SCHEMA_LOCK]);
    await migrateToLatest(db);
  } catch (e) {
    await admin.end();
    await drop();
    throw e;
  }
  await admin.end(); // ends the session, so its lock
  return { db, drop };
}

export async function openTestPlatform(opts: { cases?: number; env?: Record<string, string>; clock?: Clock } = {}): Promise<TestPlatform> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gridwork-test-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...opts.env });
  const { db, drop } = await openTestDb();
  const clock = opts.clock ?? systemClock;
  await seedDemo(db, { now: clock.now(), cases: opts.cases ?? 0 });
  const app = await buildApp({ db, config, clock });
  await app.ready();
  return {
    db,
    app,
    config,
    dataDir,
    close: async () => {
      await app.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A logged-in API client for one demo user, speaking through app.inject (no sockets). */
export interface Client {
  username: string;
  csrfToken: string;
  /** the session cookie header value, for raw requests (other content types, broken bodies) */
  cookie: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  send(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
  upload(url: string, bytes: Buffer, filename?: string, contentType?: string): Promise<LightMyRequestResponse>;
}

export async function login(app: FastifyInstance, username: string, password = DEMO_PASSWORD, lang = 'zh-CN'): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'gw_session')!;
  const csrfToken = res.json().csrfToken as string;
  const headers = { cookie: `gw_session=${cookie.value}`, 'accept-language': lang };
  return {
    username,
    csrfToken,
    cookie: headers.cookie,
    get: (url) => app.inject({ method: 'GET', url, headers }),
    post: (url, body) =>
      app.inject({ method: 'POST', url, headers: { ...headers, 'x-csrf-token': csrfToken }, ...(body === undefined ? {} : { payload: body as object }) }),
    send: (method, url, body) =>
      app.inject({ method, url, headers: { ...headers, 'x-csrf-token': csrfToken }, ...(body === undefined ? {} : { payload: body as object }) }),
    upload: (url, bytes, filename = 'photo.jpg', contentType = 'image/jpeg') => {
      const boundary = `----gw${randomBytes(8).toString('hex')}`;
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return app.inject({
        method: 'POST',
        url,
        headers: { ...headers, 'x-csrf-token': csrfToken, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
    },
  };
}

/** Expects a status (200 by default) and returns the JSON body. */
export function ok<T = any>(res: LightMyRequestResponse, status = 200): T {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  return (res.body ? res.json() : null) as T;
}
