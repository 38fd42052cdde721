// The durability test (PostgreSQL only): several clients report cases through a real server process, the process
// is killed with SIGKILL mid-load and started again. Every acknowledged report must be there (0 lost), and resending
// each unacknowledged one with its clientKey stores it exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import { usingPostgres } from '../support/platform.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLIENTS = ['gridworker', 'gridworker2', 'operator', 'citizen'];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function databaseUrl(name: string): string {
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

let server: ChildProcess | null = null;
const dbName = `gw_durability_${process.pid}_${randomBytes(3).toString('hex')}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gridwork-durability-'));

async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl(dbName), DATA_DIR: dataDir, LOG_LEVEL: 'warn', SEED_DEMO: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (child.exitCode != null) throw new Error(`the server exited (${child.exitCode}): ${stderr.slice(-2000)}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not start: ${stderr.slice(-2000)}`);
}

afterAll(async () => {
  server?.kill('SIGKILL');
  if (usingPostgres) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)).catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!usingPostgres)('kill -9 under load (PostgreSQL)', () => {
  it('loses no acknowledged report, and a resent unacknowledged one is stored once', async () => {
    await admin((c) => c.query(`CREATE DATABASE ${dbName}`));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = await startServer(port);

    // Sessions live in the database: the same cookies work after the restart.
    const sessions: Record<string, { cookie: string; csrf: string }> = {};
    for (const u of CLIENTS) {
      const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: DEMO_PASSWORD }) });
      expect(r.status, u).toBe(200);
      const cookie = r.headers.getSetCookie().find((c) => c.startsWith('gw_session='))!.split(';')[0]!;
      sessions[u] = { cookie, csrf: ((await r.json()) as { csrfToken: string }).csrfToken };
    }
    const headers = (u: string) => ({ 'content-type': 'application/json', cookie: sessions[u]!.cookie, 'x-csrf-token': sessions[u]!.csrf });
    const grids = (await (await fetch(`${base}/api/grids`, { headers: { cookie: sessions.operator!.cookie } })).json()) as { features: { properties: { code: string; labelLng?: number; labelLat?: number } ; geometry: { coordinates: number[][][] } }[] };
    const categories = (await (await fetch(`${base}/api/categories`, { headers: { cookie: sessions.operator!.cookie } })).json()) as { id: number; code: string }[];
    const categoryId = categories.find((c) => c.code === '0101')!.id;
    // A position inside gridworker's grid (GRID_1): the centre of its first ring's box.
    const ring = grids.features.find((f) => f.properties.code === '37087100500101')!.geometry.coordinates[0]!;
    const xs = ring.map((p) => p[0]!);
    const ys = ring.map((p) => p[1]!);
    const at = { lng: (Math.min(...xs) + Math.max(...xs)) / 2, lat: (Math.min(...ys) + Math.max(...ys)) / 2 };

    const acked = new Map<string, number>();
    const unacked: { user: string; key: string }[] = [];
    let killed = false;
    const report = (user: string, key: string) =>
      fetch(`${base}/api/cases`, {
        method: 'POST',
        headers: headers(user),
        body: JSON.stringify({ ...at, categoryId, description: `耐久性测试 ${key}`, clientKey: key }),
      });
    const load = CLIENTS.map(async (user) => {
      for (let i = 0; !killed; i++) {
        const key = `dur-${user}-${i}-${randomBytes(3).toString('hex')}`;
        try {
          const r = await report(user, key);
          if (r.status === 201 || r.status === 200) acked.set(key, ((await r.json()) as { id: number }).id);
          else throw new Error(`${user}: ${r.status} ${await r.text()}`);
        } catch (e) {
          if (!killed) throw e;
          unacked.push({ user, key });
        }
      }
    });
    // Kill once the load is well under way.
    while (acked.size < 60) await new Promise((r) => setTimeout(r, 20));
    killed = true;
    server.kill('SIGKILL');
    await Promise.allSettled(load);
    await new Promise<void>((resolve) => (server!.exitCode != null || server!.signalCode ? resolve() : server!.once('exit', () => resolve())));

    server = await startServer(port);
    const stored = await admin(async () => {
      const c = new pg.Client({ connectionString: databaseUrl(dbName) });
      await c.connect();
      try {
        return (await c.query<{ client_key: string; n: string }>(`SELECT client_key, count(*) AS n FROM cases WHERE client_key LIKE 'dur-%' GROUP BY client_key`)).rows;
      } finally {
        await c.end();
      }
    });
    const found = new Map(stored.map((r) => [r.client_key, Number(r.n)]));
    const lost = [...acked.keys()].filter((k) => !found.has(k));

    // Resend the unacknowledged: each is stored once (some may already be there: the answer was lost, not the case).
    for (const { user, key } of unacked) {
      const r = await report(user, key);
      expect([200, 201], await r.clone().text()).toContain(r.status);
    }
    const after = await admin(async () => {
      const c = new pg.Client({ connectionString: databaseUrl(dbName) });
      await c.connect();
      try {
        return (await c.query<{ client_key: string; n: string }>(`SELECT client_key, count(*) AS n FROM cases WHERE client_key LIKE 'dur-%' GROUP BY client_key`)).rows;
      } finally {
        await c.end();
      }
    });
    const twice = after.filter((r) => Number(r.n) !== 1);
    const resentStored = unacked.filter((u) => after.some((r) => r.client_key === u.key)).length;
    console.log(`[durability] ${acked.size} acknowledged reports, ${lost.length} lost after kill -9; ${unacked.length} unacknowledged resent, ${resentStored} stored, ${twice.length} stored twice`);
    expect(lost).toEqual([]);
    expect(twice).toEqual([]);
    expect(resentStored).toBe(unacked.length);
    server.kill('SIGTERM');
  }, 300_000);
});
