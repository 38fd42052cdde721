// The 隐患整改台账 of a year at 200,000 hazards as .xlsx: the streaming export the API serves (ExcelJS
// WorkbookWriter, rows read by keyset pages and committed as they come) against the non-streaming writer as
// baseline (the whole workbook in memory, then writeBuffer), each in its own process so peak RSS is its own.
// Prints rows/s and peak RSS side by side, then one JSON line. Target: streaming peak RSS < 200 MB and ≥ 3× the
// baseline's rows/s. Database: gridwork_bench_ledger on BENCH_PG_URL, kept between runs; BENCH_FRESH=1 rebuilds it.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { Writable } from 'node:stream';
import pg from 'pg';
import { openDb } from '../src/data/db.js';
import { LEDGERS } from '../src/domain/hazards/ledgers.js';
import { neutralise } from '../src/domain/neutralise.js';
import { hazardLedgerPage } from '../src/data/repos/hazards.js';
import { exportLedger } from '../src/services/hazards/ledgers.js';
import type { Actor } from '../src/domain/access.js';

const ROOT_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = process.env.BENCH_LEDGER_DB ?? 'gridwork_bench_ledger';
const HAZARDS = Number(process.env.BENCH_HAZARDS ?? 200_000);
const YEAR = { from: '2025-01-01', to: '2025-12-31' };

function dbUrl(): string {
  const url = new URL(ROOT_URL);
  url.pathname = `/${DB_NAME}`;
  return url.toString();
}

async function ensure(): Promise<void> {
  const admin = new pg.Client({ connectionString: ROOT_URL });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const c = new pg.Client({ connectionString: dbUrl() });
  await c.connect();
  const have = exists ? Number((await c.query(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'hazards'`)).rows[0].count) : 0;
  const n = have ? Number((await c.query('SELECT count(*) FROM hazards')).rows[0].count) : 0;
  if (n === HAZARDS && process.env.BENCH_FRESH !== '1') return void (await c.end());
  const t0 = performance.now();
  await c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  // Loaded here, not at the top: the measuring processes should hold what an export holds, not the demo seed.
  const { migrateToLatest } = await import('../src/data/migrate.js');
  const { seedDemo } = await import('../src/seed/demo.js');
  const { db } = await openDb({ databaseUrl: dbUrl() });
  await migrateToLatest(db);
  await seedDemo(db, { now: new Date(), cases: 0 });
  await db.destroy();
  const op = (await c.query(`SELECT id FROM users WHERE username = 'operator'`)).rows[0].id as number;
  await c.query(`
    INSERT INTO enterprises (name, credit_code, lng, lat, grid_id, area_path, risk_level)
    SELECT '基准企业' || i, 'B' || lpad(i::text, 17, '0'), g.label_lng, g.label_lat, g.id, g.path, 'medium'
    FROM generate_series(1, 500) i JOIN LATERAL (SELECT * FROM grids WHERE grid_class = 'A' ORDER BY id OFFSET (i % 36) LIMIT 1) g ON true`);
  await c.query(
    `
    INSERT INTO hazards (number, enterprise_id, grid_id, area_path, grade, type, description, state, found_by, found_at,
                         notice_number, notice_issuer, notice_issued_at, deadline, reinspected_at, closed_at, updated_at)
    SELECT 'YH' || i, e.id, e.grid_id, e.area_path, (ARRAY['general','larger','major'])[1 + i % 3], 'fire',
           '基准隐患：消防通道被货物堵塞，灭火器过期未更换', (ARRAY['rectifying','passed','closed','failed'])[1 + i % 4], $1, t,
           '接庄安〔2025〕第' || i || '号', '接庄安', t, t + interval '7 days',
           CASE WHEN i % 4 > 0 THEN t + interval '6 days' END, CASE WHEN i % 4 = 2 THEN t + interval '7 days' END, t
    FROM generate_series(1, $2::int) i
    JOIN enterprises e ON e.id = 1 + i % 500
    CROSS JOIN LATERAL (SELECT timestamptz '2025-01-01 09:00+08' + (i::float / $2 * 360) * interval '1 day' AS t) tt`,
    [op, HAZARDS],
  );
  await c.query('ANALYZE');
  await c.end();
  console.log(`generated ${HAZARDS} hazards in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** One mode in this process: streams or builds the workbook; answers rows, seconds, peak RSS (MB) and bytes. */
async function measure(mode: 'stream' | 'baseline') {
  const { db } = await openDb({ databaseUrl: dbUrl() });
  const u = (await db.selectFrom('users').select(['id', 'scope_paths']).where('username', '=', 'operator').executeTakeFirstOrThrow());
  const actor: Actor = { id: u.id, role: 'operator', scopePaths: u.scope_paths, departmentId: null };
  // the in-memory workbook is the baseline's alone: the streaming process does not load it
  const ExcelJS = mode === 'baseline' ? (await import('exceljs')).default : null;
  const baseRss = process.memoryUsage().rss;
  let peak = baseRss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  let bytes = 0;
  const t0 = performance.now();
  let rows = 0;
  if (mode === 'stream') {
    const sink = new Writable({ write: (chunk: Buffer, _e, cb) => ((bytes += chunk.length), cb()) });
    rows = await exportLedger({ db, actor, ip: null, now: new Date() }, 'rectification', YEAR, sink);
  } else {
    const def = LEDGERS.rectification;
    const wb = new ExcelJS!.Workbook();
    const ws = wb.addWorksheet(def.title);
    ws.addRow([def.title]);
    ws.addRow(['填报单位：接庄街道']);
    ws.addRow(['序号', ...def.columns]);
    const filter = { from: new Date('2025-01-01T00:00:00+08:00'), to: new Date('2026-01-01T00:00:00+08:00'), withNotice: true };
    let after = 0;
    for (;;) {
      const page = await hazardLedgerPage(db, { kind: 'area', paths: u.scope_paths, reporterId: u.id }, filter, after, 2000);
      for (const h of page) ws.addRow([++rows, ...def.row(h).map(neutralise)]);
      if (page.length < 2000) break;
      after = page[page.length - 1]!.id;
    }
    ws.addRow(['填报人（签字）：']);
    bytes = (await wb.xlsx.writeBuffer()).byteLength;
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  await db.destroy();
  return { mode, rows, seconds, rowsPerSecond: Math.round(rows / seconds), peakRssMb: Math.round(peak / 1024 / 1024), baseRssMb: Math.round(baseRss / 1024 / 1024), bytes };
}

export async function run() {
  await ensure();
  const loadBefore = os.loadavg();
  const results = (['stream', 'baseline'] as const).map((mode) => {
    const r = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--measure', mode], { encoding: 'utf8', env: process.env, maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Awaited<ReturnType<typeof measure>>;
  });
  const [s, b] = results as [Awaited<ReturnType<typeof measure>>, Awaited<ReturnType<typeof measure>>];
  console.log(`隐患整改台账, one year, ${s.rows} rows (.xlsx)`);
  console.log(`  streaming (WorkbookWriter): ${s.rowsPerSecond} rows/s, ${s.seconds.toFixed(1)} s, peak RSS ${s.peakRssMb} MB (${s.baseRssMb} MB before the export), ${(s.bytes / 1e6).toFixed(1)} MB`);
  console.log(`  baseline (Workbook)       : ${b.rowsPerSecond} rows/s, ${b.seconds.toFixed(1)} s, peak RSS ${b.peakRssMb} MB (${b.baseRssMb} MB before the export), ${(b.bytes / 1e6).toFixed(1)} MB`);
  // the machine is shared: the load says how much of the time was ours
  const load = os.loadavg().map((l) => Number(l.toFixed(2)));
  console.log(`  speed-up ${(s.rowsPerSecond / b.rowsPerSecond).toFixed(2)}× (target ≥ 3×); streaming peak RSS ${s.peakRssMb} MB (target < 200 MB); load average ${load.join(' ')} (${loadBefore.map((l) => l.toFixed(2)).join(' ')} before), ${os.cpus().length} cores`);
  console.log(JSON.stringify({ bench: 'ledger-export', stream: s, baseline: b, ratio: Number((s.rowsPerSecond / b.rowsPerSecond).toFixed(2)), loadavg: load, loadavgBefore: loadBefore.map((l) => Number(l.toFixed(2))), cores: os.cpus().length }));
}

if (process.argv[2] === '--measure') {
  console.log(JSON.stringify(await measure(process.argv[3] as 'stream' | 'baseline')));
  process.exit(0);
}
