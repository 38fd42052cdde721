// Runs before `npm start` and `npm test` (pre-scripts): installs dependencies on a fresh clone and builds the
// web app when its sources are newer than the build. Plain Node, no dependencies, so it works before install.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });

const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs) {
  console.log('[gridwork] installing dependencies (npm ci)…');
  run('npm ci --no-audit --no-fund');
}

function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((f) => newest(path.join(p, f))));
}
const built = path.join(root, 'web', 'dist', 'index.html');
const sources = Math.max(newest(path.join(root, 'web', 'src')), newest(path.join(root, 'web', 'index.html')), newest(path.join(root, 'src', 'shared')), newest(path.join(root, 'web', 'vite.config.ts')));
if (existsSync(path.join(root, 'web', 'index.html')) && (!existsSync(built) || statSync(built).mtimeMs < sources)) {
  console.log('[gridwork] building the web app…');
  run('npx vite build --config web/vite.config.ts --logLevel warn');
}

// The demo street, seeded once through the real workflow and kept as a PGlite snapshot that a fresh data folder
// starts from (src/seed/snapshot.ts); rebuilt when the seed or the migrations are newer. Development only.
const snapshot = path.join(root, '.cache', 'demo-snapshot', 'meta.json');
const wantsDemo = process.env.NODE_ENV !== 'production' && process.env.SEED_DEMO !== '0' && !process.env.DATABASE_URL;
const seedSources = Math.max(newest(path.join(root, 'src', 'seed')), newest(path.join(root, 'src', 'data', 'migrations')));
if (wantsDemo && process.env.npm_lifecycle_event === 'prestart' && (!existsSync(snapshot) || statSync(snapshot).mtimeMs < seedSources)) {
  console.log('[gridwork] building the demo street once (later first starts load it in seconds)…');
  try {
    run(`"${process.execPath}" --import tsx src/seed/build-snapshot.ts`);
  } catch {
    console.log('[gridwork] demo snapshot not built; a first start will seed the demo street itself');
  }
}
