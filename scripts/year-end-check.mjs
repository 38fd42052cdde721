#!/usr/bin/env node
// Year-end check, end to end (run by .ci/run): starts the real server on a fresh data folder under libfaketime at
// a given instant, and drives one case round the whole loop over HTTP (report → accept → dispatch → sign →
// handle → verify → close). The server must believe the faked date (so nothing reads a clock we do not control
// wrongly), seed the demo street, and give a deadline on a working day of the calendar, marked provisional when it
// reaches into a year without an official schedule.
//
//   node scripts/year-end-check.mjs "2026-12-28 10:00"   # Beijing time
//
// Needs Debian's `faketime` (libfaketime). Prints one line per step; exits non-zero on the first failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const [beijing = '2026-12-28 10:00'] = process.argv.slice(2);
const PASSWORD = 'Gridwork@2026';
const instant = new Date(`${beijing.replace(' ', 'T')}:00+08:00`);
if (Number.isNaN(instant.getTime())) throw new Error(`not a Beijing time: ${beijing}`);
const utc = instant.toISOString().slice(0, 19).replace('T', ' ');

// The library itself rather than the `faketime` wrapper, so the child we signal is the server.
const LIBFAKETIME = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1', '/usr/lib/faketime/libfaketimeMT.so.1'].find((f) => existsSync(f));
if (!LIBFAKETIME) {
  console.error('libfaketime is not installed (Debian package `faketime`)');
  process.exit(2);
}

const port = await new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gridwork-year-end-'));
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: ROOT,
  // '@…': the clock starts at the instant and runs on; timers keep the real monotonic clock.
  env: { ...process.env, LD_PRELOAD: LIBFAKETIME, FAKETIME: `@${utc}`, TZ: 'UTC', FAKETIME_DONT_FAKE_MONOTONIC: '1', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'development', DATABASE_URL: '' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
server.stdout.on('data', (d) => (output += d));
server.stderr.on('data', (d) => (output += d));

function fail(message) {
  console.error(`year-end check at ${beijing} (Beijing) FAILED: ${message}\n--- server output ---\n${output.slice(-4000)}`);
  server.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}
function check(ok, message) {
  if (!ok) fail(message);
}

async function waitForHealth() {
  const started = Date.now();
  while (Date.now() - started < 180_000) {
    if (server.exitCode != null) fail(`the server exited with ${server.exitCode}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  fail('the server did not answer /api/health within 180 s');
}

async function login(username) {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  check(res.ok, `login ${username}: ${res.status} ${await res.clone().text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gw_session='))?.split(';')[0];
  const { csrfToken } = await res.json();
  const call = async (method, url, body) => {
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    check(r.ok, `${username} ${method} ${url}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return { get: (url) => call('GET', url), post: (url, body) => call('POST', url, body ?? {}) };
}

await waitForHealth();
console.log(`year-end check at ${beijing} (Beijing): the server started and seeded under faketime`);
const [gridworker, operator, chengguan] = await Promise.all(['gridworker', 'operator', 'chengguan'].map(login));
const grids = await gridworker.get('/api/grids');
const grid = grids.features.find((f) => f.properties.code === '37087100500101') ?? grids.features[0];
const categories = await operator.get('/api/categories');
const category = categories.find((c) => c.code === '0101') ?? categories.find((c) => c.parentId != null);
const departments = await operator.get('/api/departments');
const cg = departments.find((d) => d.code === 'CG') ?? departments[0];

let c = await gridworker.post('/api/cases', { lng: grid.properties.labelLng, lat: grid.properties.labelLat, categoryId: category.id, description: '年末检查：路边堆放生活垃圾', address: '崇文大道' });
const reportedDay = new Date(new Date(c.reportedAt).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
check(reportedDay === beijing.slice(0, 10), `the server's clock is not the faked one: reported on ${reportedDay}`);
const steps = [
  [operator, 'accept', {}],
  [operator, 'dispatch', { departmentId: cg.id }],
  [chengguan, 'sign', {}],
  [chengguan, 'handle', { note: '已清理完毕' }],
  [gridworker, 'verify_pass', {}],
  [operator, 'close', {}],
];
let deadline = null;
for (const [who, move, body] of steps) {
  c = await who.post(`/api/cases/${c.id}/moves/${move}`, { version: c.version, ...body });
  if (move === 'dispatch') {
    deadline = c.deadline;
    const day = new Date(new Date(deadline).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const year = await operator.get(`/api/calendar?year=${day.slice(0, 4)}`);
    const entry = year.days.find((d) => d.date === day);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const working = entry ? entry.kind === 'workday' : weekday !== 0 && weekday !== 6;
    check(working, `the deadline ${deadline} falls on a day off (${entry?.note ?? 'weekend'})`);
    console.log(`  dispatched: deadline ${day} (${year.status} year${c.limitsProvisional ? ', provisional' : ''})`);
  }
  console.log(`  ${move} → ${c.state}`);
}
check(c.state === 'closed', `the loop ended in ${c.state}`);
console.log(`year-end check at ${beijing} (Beijing): passed`);
const exited = new Promise((r) => server.once('exit', r));
server.kill('SIGTERM');
const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
if (!stopped) fail('the server did not stop within 15 s of SIGTERM');
rmSync(dataDir, { recursive: true, force: true });
