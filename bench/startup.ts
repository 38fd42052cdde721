// Startup: time from launching the server process to the first served page, against a bare PGlite boot
// (a process that only opens PGlite on a fresh folder and runs SELECT 1), measured side by side. Targets: first
// page < 15 s on a fresh folder (the demo street loaded from its snapshot), < 5 s on a restart.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, loadavg, target, targets } from './support/report.js';

const root = path.resolve(import.meta.dirname, '..');

async function timeServer(dataDir: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        if (res.ok && (await res.text()).includes('<html')) return performance.now() - t0;
      } catch {
        /* not listening yet */
      }
      if (child.exitCode != null) throw new Error(`server exited with ${child.exitCode}`);
      if (performance.now() - t0 > 180_000) throw new Error('no page within 180 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function timeBarePglite(dataDir: string): Promise<number> {
  const script = `import { PGlite } from '@electric-sql/pglite'; const db = new PGlite(${JSON.stringify(dataDir)}); await db.query('SELECT 1'); await db.close();`;
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: 'inherit' });
  const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? 1)));
  if (code !== 0) throw new Error('bare PGlite boot failed');
  return performance.now() - t0;
}

/** The demo snapshot a fresh folder starts from is built before `npm start` (scripts/ensure-ready.mjs); build it here
 * if missing, timed apart: it is an install step like the web build, not part of a first start. */
async function ensureSnapshot(): Promise<number | null> {
  const meta = path.join(root, '.cache', 'demo-snapshot', 'meta.json');
  // the rule scripts/ensure-ready.mjs applies: rebuilt when the seed or the migrations are newer
  const newest = (p: string): number =>
    statSync(p).isDirectory() ? Math.max(0, ...readdirSync(p).map((f) => newest(path.join(p, f)))) : statSync(p).mtimeMs;
  const sources = Math.max(newest(path.join(root, 'src', 'seed')), newest(path.join(root, 'src', 'data', 'migrations')));
  if (existsSync(meta) && statSync(meta).mtimeMs >= sources) return null;
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/seed/build-snapshot.ts'], { cwd: root, stdio: 'inherit' });
  const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? 1)));
  if (code !== 0) throw new Error('demo snapshot build failed');
  return performance.now() - t0;
}

export async function run() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gridwork-bench-'));
  const load = loadavg();
  const snapshotMs = await ensureSnapshot();
  try {
    const baseline = await timeBarePglite(path.join(tmp, 'bare'));
    const first = await timeServer(path.join(tmp, 'app')); // fresh folder: migrations + demo seed
    const restart = await timeServer(path.join(tmp, 'app')); // same folder: data kept
    const baselineWarm = await timeBarePglite(path.join(tmp, 'bare'));
    console.log(`bare PGlite boot: fresh ${baseline.toFixed(0)} ms, existing ${baselineWarm.toFixed(0)} ms`);
    console.log(`Gridwork first page: first start (migrate + seed) ${first.toFixed(0)} ms, restart ${restart.toFixed(0)} ms`);
    console.log(
      JSON.stringify({
        bench: 'startup',
        ms_to_first_page: Math.round(first),
        ms_to_first_page_restart: Math.round(restart),
        baseline: 'pglite-boot',
        baseline_ms: Math.round(baseline),
        ratio: Number((first / baseline).toFixed(2)),
        ratio_restart: Number((restart / baselineWarm).toFixed(2)),
        snapshot_build_ms: snapshotMs == null ? null : Math.round(snapshotMs),
        ...targets({ ms_to_first_page: target(Math.round(first), '<', 15_000), ms_to_first_page_restart: target(Math.round(restart), '<', 5_000) }),
        loadavg_start: load,
        loadavg_end: loadavg(),
      }),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
