// Intake at the database's pace: reports over HTTP (POST /api/cases, the real server in its own process, on
// PostgreSQL) at 4, 8 and 16 clients, against the same server's one-row INSERT rate with as many clients
// (pgbench -M prepared if installed, else a Node loop of prepared inserts), measured in the same run:
// ratio = reports/s ÷ insert tps. Also the profile of one report (SQL statements, transactions, Node CPU),
// measured in-process over app.inject. Database: BENCH_PG_URL (default the local postgres), schema of its own.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDb } from '../src/data/db.js';
import { migrateToLatest } from '../src/data/migrate.js';
import { seedDemo } from '../src/seed/demo.js';
import { buildApp } from '../src/server/app.js';
import { DEMO_PASSWORD } from '../src/seed/demo-street.js';
import { freePort, loadavg, log, pct, r1, target, targets } from './support/report.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const URL_ = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = (process.env.BENCH_CLIENTS ?? '4,8,16').split(',').map(Number);
const PROFILE_REPORTS = Number(process.env.BENCH_PROFILE_REPORTS ?? 200);
const TARGET_RATIO = 0.3;
const TARGET_P99_MS = 50;

/** A connection URL whose sessions carry `name` as application_name, so their backends can be found. */
function tagged(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
}

/** CPU (ms) of the PostgreSQL backends whose application_name is `name` (server and bench on one machine). */
async function backendCpu(admin: pg.Client, name: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [name]);
  const m = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      m.set(pid, cpuMsOf(pid));
    } catch {
      /* gone */
    }
  }
  return m;
}
/** CPU the backends spent between two readings (backends that came or went count from zero / to their last). */
function cpuBetween(a: Map<number, number>, b: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of b) sum += ms - (a.get(pid) ?? 0);
  return sum;
}

/** utime + stime of a process in ms (Linux). */
function cpuMsOf(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const parts = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return ((Number(parts[11]) + Number(parts[12])) * 1000) / 100; // clock ticks at USER_HZ = 100
}

interface Point { lng: number; lat: number }

function reportBody(points: Point[], categories: number[], n: number) {
  const p = points[n % points.length]!;
  const j = () => (Math.random() - 0.5) * 0.0006;
  return {
    lng: Math.round((p.lng + j()) * 1e7) / 1e7,
    lat: Math.round((p.lat + j()) * 1e7) / 1e7,
    categoryId: categories[n % categories.length]!,
    description: '路边堆放生活垃圾，散发异味',
    address: '崇文大道18号附近',
    photos: [],
  };
}

/** Profile of one report, in-process: statements and transactions counted at the pg client, Node CPU per report. */
async function profile(schema: string, admin: pg.Client) {
  let counting = false;
  let statements = 0;
  let transactions = 0;
  const open = new WeakSet<object>();
  const original = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: object, ...args: unknown[]) {
    if (counting) {
      const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
      statements++;
      const t = text.trim().toLowerCase();
      if (t === 'begin' || t.startsWith('start transaction')) {
        transactions++;
        open.add(this);
      } else if (t === 'commit' || t === 'rollback') open.delete(this);
      else if (!open.has(this)) transactions++; // a statement outside a block is a transaction of its own
    }
    return original.apply(this, args);
  } as typeof pg.Client.prototype.query;
  const app_name = `gw_intake_profile_${process.pid}`;
  const { db } = await openDb({ databaseUrl: tagged(URL_, app_name), schema });
  const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: os.tmpdir(), LOG_LEVEL: 'info' });
  const app = await buildApp({ db, config });
  // the app logs through pino to stdout: silence it for the profile, as the server's output is discarded
  const write = process.stdout.write.bind(process.stdout);
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'gridworker', password: DEMO_PASSWORD } });
  const cookie = `gw_session=${login.cookies.find((c) => c.name === 'gw_session')!.value}`;
  const headers = { cookie, 'x-csrf-token': login.json().csrfToken as string };
  const grids = (await app.inject({ method: 'GET', url: '/api/grids', headers })).json().features as { properties: { labelLng: number; labelLat: number; gridClass: string } }[];
  const points = grids.filter((g) => g.properties.gridClass === 'A').map((g) => ({ lng: g.properties.labelLng, lat: g.properties.labelLat }));
  const categories = ((await app.inject({ method: 'GET', url: '/api/categories', headers })).json() as { id: number; parentId: number | null }[])
    .filter((c) => c.parentId != null)
    .map((c) => c.id);
  const post = (n: number) => app.inject({ method: 'POST', url: '/api/cases', headers, payload: reportBody(points, categories, n) });
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    for (let n = 0; n < 50; n++) await post(n); // warm-up: JIT, caches, prepared statements
    const db0 = await backendCpu(admin, app_name);
    counting = true;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let n = 0; n < PROFILE_REPORTS; n++) {
      const res = await post(n);
      if (res.statusCode !== 201) throw new Error(`report failed: ${res.statusCode} ${res.body}`);
    }
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    counting = false;
    const dbCpu = cpuBetween(db0, await backendCpu(admin, app_name));
    return {
      dbCpuMs: dbCpu / PROFILE_REPORTS,
      statements: statements / PROFILE_REPORTS,
      transactions: transactions / PROFILE_REPORTS,
      cpuMs: (cpu.user + cpu.system) / 1000 / PROFILE_REPORTS,
      wallMs: wall / PROFILE_REPORTS,
      points,
      categories,
    };
  } finally {
    process.stdout.write = write;
    pg.Client.prototype.query = original as typeof pg.Client.prototype.query;
    await app.close();
    await db.destroy();
  }
}

interface Target_ {
  port: number;
  pid: number;
  cookie: string;
  csrf: string;
  points: Point[];
  categories: number[];
  admin: pg.Client;
  appName: string;
}

/**
 * Reports over HTTP for SECONDS after a 3 s warm-up. Closed loop with `clients` (each sends its next report when
 * the last was answered: the saturating rate), or, with `rate`, open loop: a report every 1/rate s whatever the
 * answers, each timed from when it was due (so a stall counts for every report it delays, not just one).
 */
async function httpLoad(t: Target_, load: { clients: number } | { rate: number }) {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const one = async (record: boolean, due = performance.now()) => {
    const res = await fetch(`http://127.0.0.1:${t.port}/api/cases`, {
      method: 'POST',
      headers: { cookie: t.cookie, 'x-csrf-token': t.csrf, 'content-type': 'application/json' },
      body: JSON.stringify(reportBody(t.points, t.categories, n++)),
    });
    await res.arrayBuffer();
    if (res.status !== 201) errors++;
    else if (record) latencies.push(performance.now() - due);
  };
  const runFor = async (ms: number, record: boolean) => {
    const start = performance.now();
    const end = start + ms;
    if ('clients' in load) {
      await Promise.all(Array.from({ length: load.clients }, async () => {
        while (performance.now() < end) await one(record);
      }));
      return;
    }
    const inFlight: Promise<void>[] = [];
    const every = 1000 / load.rate;
    for (let k = 0; start + k * every < end; k++) {
      const due = start + k * every;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(one(record, due));
    }
    await Promise.all(inFlight);
  };
  await runFor(3000, false); // warm-up: JIT, the pool's connections, their prepared statements and trigger functions
  const cpu0 = cpuMsOf(t.pid);
  const db0 = await backendCpu(t.admin, t.appName);
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  await runFor(SECONDS * 1000, true);
  const wall = performance.now() - t0;
  const cpu = cpuMsOf(t.pid) - cpu0;
  const dbCpu = cpuBetween(db0, await backendCpu(t.admin, t.appName));
  const own = process.cpuUsage(own0);
  return {
    ...load,
    reports_per_s: Math.round((latencies.length / wall) * 1000),
    p50_ms: r1(pct(latencies, 0.5)),
    p99_ms: r1(pct(latencies, 0.99)),
    server_cpu_ms_per_report: r1(cpu / latencies.length),
    db_cpu_ms_per_report: r1(dbCpu / latencies.length),
    client_cpu_ms_per_report: r1((own.user + own.system) / 1000 / latencies.length),
    errors,
  };
}

/** One-row INSERT tps with `clients` connections: pgbench -M prepared when installed, else a Node loop. */
async function insertTps(schema: string, clients: number): Promise<{ tps: number; tool: string }> {
  const table = `${schema}.bench_insert`;
  const hasPgbench = spawnSync('pgbench', ['--version']).status === 0;
  if (hasPgbench) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-intake-'));
    try {
      const script = path.join(dir, 'insert.sql');
      writeFileSync(script, `\\set a random(1, 1000000)\nINSERT INTO ${table} (a, b) VALUES (:a, 'report');\n`);
      const r = spawnSync('pgbench', ['-n', '-M', 'prepared', '-c', String(clients), '-j', String(Math.min(clients, 4)), '-T', String(SECONDS), '-f', script, URL_], { encoding: 'utf8' });
      const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(r.stdout) ?? /tps = ([\d.]+)/.exec(r.stdout);
      if (!m) throw new Error(`pgbench: ${r.stdout}\n${r.stderr}`);
      return { tps: Math.round(Number(m[1])), tool: 'pgbench -M prepared' };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const conns = await Promise.all(Array.from({ length: clients }, async () => {
    const c = new pg.Client({ connectionString: URL_ });
    await c.connect();
    return c;
  }));
  let done = 0;
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(conns.map(async (c) => {
    while (performance.now() < end) {
      await c.query({ name: 'ins', text: `INSERT INTO ${table} (a, b) VALUES ($1, 'report')`, values: [Math.floor(Math.random() * 1e6)] });
      done++;
    }
  }));
  const wall = performance.now() - t0;
  await Promise.all(conns.map((c) => c.end()));
  return { tps: Math.round((done / wall) * 1000), tool: 'node prepared insert loop' };
}

export async function run() {
  const schema = `bench_intake_${process.pid}`;
  const admin = new pg.Client({ connectionString: URL_ });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const load = loadavg();
  let child: ReturnType<typeof spawn> | undefined;
  try {
    {
      const { db } = await openDb({ databaseUrl: URL_, schema });
      await migrateToLatest(db);
      await seedDemo(db, { now: new Date(), cases: 0 });
      await db.destroy();
    }
    await admin.query(`CREATE TABLE ${schema}.bench_insert (id bigserial PRIMARY KEY, a int NOT NULL, b text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
    log(`load average at start: ${load}`);

    const prof = await profile(schema, admin);
    log(`one report (in-process, app.inject, ${PROFILE_REPORTS} reports): ${prof.statements.toFixed(1)} SQL statements, ${prof.transactions.toFixed(1)} transactions, ${prof.cpuMs.toFixed(2)} ms Node CPU, ${prof.dbCpuMs.toFixed(2)} ms PostgreSQL CPU, ${prof.wallMs.toFixed(2)} ms wall`);

    const port = await freePort();
    const appName = `gw_intake_server_${process.pid}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/intake-server.ts'], {
      cwd: ROOT,
      env: { ...process.env, BENCH_DB_URL: tagged(URL_, appName), BENCH_SCHEMA: schema, PORT: String(port), DATA_DIR: os.tmpdir(), NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (d: Buffer) => {
        if (out.length < 10_000) out += d.toString();
        if (out.includes('ready')) resolve();
      });
      child!.once('exit', (c) => reject(new Error(`server exited with ${c}`)));
    });
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'gridworker', password: DEMO_PASSWORD }),
    });
    const cookie = `gw_session=${/gw_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]}`;
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;

    const server: Target_ = { port, pid: child.pid!, cookie, csrf, points: prof.points, categories: prof.categories, admin, appName };
    const levels = [];
    for (const clients of CLIENTS) {
      const http = await httpLoad(server, { clients });
      const ins = await insertTps(schema, clients);
      const ratio = Math.round((http.reports_per_s / ins.tps) * 1000) / 1000;
      log(`${clients} clients: ${http.reports_per_s} reports/s (p50 ${http.p50_ms} ms, p99 ${http.p99_ms} ms, server CPU ${http.server_cpu_ms_per_report} ms/report, PostgreSQL CPU ${http.db_cpu_ms_per_report} ms/report, load generator ${http.client_cpu_ms_per_report} ms/report, ${http.errors} errors); one-row INSERT ${ins.tps} tps (${ins.tool}); ratio ${ratio}`);
      levels.push({ ...http, insert_tps: ins.tps, ratio });
    }
    const best = levels.reduce((a, b) => (b.reports_per_s > a.reports_per_s ? b : a));
    // Half the saturating load, open loop: the latency a person sees on a busy day that is not the busiest.
    const halfRate = Math.max(1, Math.round(best.reports_per_s / 2));
    const half = await httpLoad(server, { rate: halfRate });
    log(`half the saturating load (${halfRate} reports/s offered, open loop): ${half.reports_per_s} reports/s, p50 ${half.p50_ms} ms, p99 ${half.p99_ms} ms, ${half.errors} errors`);
    const ratio = Math.min(...levels.map((l) => l.ratio));
    console.log(
      JSON.stringify({
        bench: 'intake',
        baseline: 'one-row prepared INSERT tps, same server, same clients',
        ratio,
        levels,
        saturating_reports_per_s: best.reports_per_s,
        half_load: half,
        statements_per_report: r1(prof.statements),
        transactions_per_report: r1(prof.transactions),
        node_cpu_ms_per_report: Math.round(prof.cpuMs * 100) / 100,
        db_cpu_ms_per_report: Math.round(prof.dbCpuMs * 100) / 100,
        ...targets({ ratio: target(ratio, '>=', TARGET_RATIO), half_load_p99_ms: target(half.p99_ms, '<', TARGET_P99_MS) }),
        loadavg_start: load,
        loadavg_end: loadavg(),
      }),
    );
  } finally {
    if (child && child.exitCode == null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}
