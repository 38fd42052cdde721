// `npm run screenshots`: refreshes the README's images in docs/screenshots by running the browser tests with
// GRIDWORK_SCREENSHOTS pointing there (tests otherwise write to a scratch folder). Extra arguments pick test files.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const files = process.argv.slice(2);
const r = spawnSync('npx', ['vitest', 'run', ...(files.length ? files : ['tests/browser'])], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, GRIDWORK_SCREENSHOTS: path.join(root, 'docs', 'screenshots') },
});
process.exit(r.status ?? 1);
