// Startup: time from launching the server process to the first served page, against a bare PGlite boot
// (a process that only opens PGlite on a fresh folder and runs SELECT 1), measured side by side. Targets: first
// page < 15 s on a fresh folder (the demo street loaded from its snapshot), < 5 s on a restart.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

/** What `npm start` does before the server (scripts/ensure-ready.mjs): the web build and the demo snapshot a fresh
 * folder starts from, each made only when missing or older than its sources. Timed apart: install steps, not part
 * of a first start. */
function ensureReady(): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['scripts/ensure-ready.mjs'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, npm_lifecycle_event: 'prestart', DATABASE_URL: '' },
  });
  if (r.status !== 0) throw new Error('scripts/ensure-ready.mjs failed');
  return performance.now() - t0;
}

export async function run() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gridwork-bench-'));
  const load = loadavg();
  const readyMs = ensureReady();
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
        ready_ms: Math.round(readyMs), // web build and demo snapshot when missing (npm start's prestart)
        ...targets({ ms_to_first_page: target(Math.round(first), '<', 15_000), ms_to_first_page_restart: target(Math.round(restart), '<', 5_000) }),
        loadavg_start: load,
        loadavg_end: loadavg(),
      }),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
