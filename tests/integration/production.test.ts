// A production start refuses what would be unsafe: no DATABASE_URL without GRIDWORK_EMBEDDED=1, a database with
// the demo accounts' published password; the data folder of the embedded database is held by one process at a time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb } from '../../src/data/db.js';
import { DataFolderBusy, LOCK_NAME, lockDataFolder } from '../../src/data/folder-lock.js';
import { setPassword } from '../../src/data/repos/users.js';
import { demoAccountsProblem, productionConfigProblem, DEMO_USERNAMES } from '../../src/production.js';
import { hashPassword } from '../../src/services/auth.js';
import { openTestPlatform, type TestPlatform } from '../support/platform.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function run(script: string, args: string[], env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'NODE_ENV', 'HOST', 'PORT', 'DATA_DIR'].includes(k)));
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...clean, ...env } as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'gridwork-prod-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('production start', () => {
  it('exits with a message when NODE_ENV=production has no DATABASE_URL, and touches no data folder', () => {
    const dataDir = path.join(scratch, 'never');
    const r = run('src/main.ts', [], { NODE_ENV: 'production', DATA_DIR: dataDir, PORT: '0' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DATABASE_URL is not set');
    expect(r.stderr).toContain('GRIDWORK_EMBEDDED=1');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('listens on 127.0.0.1 unless HOST says otherwise; embedded production only when asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(productionConfigProblem(loadConfig({ NODE_ENV: 'production', GRIDWORK_EMBEDDED: '1' }))).toBeNull();
    expect(productionConfigProblem(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x@127.0.0.1/y' }))).toBeNull();
    expect(productionConfigProblem(loadConfig({}))).toBeNull();
  });
});

describe('a database with the demo accounts', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await openTestPlatform();
  });
  afterAll(async () => platform?.close());

  it('is refused in production until every demo account has another password', async () => {
    const problem = await demoAccountsProblem(platform.db);
    expect(problem).toContain('published demo password');
    expect(problem).toContain('operator');
    const other = await hashPassword('a-real-password-2026');
    const users = await platform.db.selectFrom('users').select(['id', 'username']).where('username', 'in', DEMO_USERNAMES).execute();
    for (const u of users.filter((x) => x.username !== 'citizen')) await setPassword(platform.db, u.id, other, false);
    expect(await demoAccountsProblem(platform.db)).toContain('citizen');
    await setPassword(platform.db, users.find((u) => u.username === 'citizen')!.id, other, false);
    expect(await demoAccountsProblem(platform.db)).toBeNull();
  });
});

describe('one process per PGlite data folder', () => {
  it('a second opener is refused with what to do; a lock left by a dead process is taken over', async () => {
    const folder = path.join(scratch, 'locked');
    const { db } = await openDb({ pgliteDir: path.join(folder, 'pgdata') });
    try {
      await db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
      expect(existsSync(path.join(folder, LOCK_NAME))).toBe(true);
      await expect(openDb({ pgliteDir: path.join(folder, 'pgdata') })).rejects.toBeInstanceOf(DataFolderBusy);
      // the CLI in another process: refuses, says what to do, changes nothing
      const r = run('src/cli/main.ts', ['create-user', '--username', 'admin2', '--password', 'Secret#2026', '--role', 'admin'], { DATA_DIR: folder });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('is in use by another Gridwork process');
      expect(r.stderr).toContain('DATABASE_URL');
    } finally {
      await db.destroy();
    }
    expect(existsSync(path.join(folder, LOCK_NAME))).toBe(false);
    // a crash leaves the file behind with a pid that no longer runs
    writeFileSync(path.join(folder, LOCK_NAME), JSON.stringify({ pid: 2 ** 22 + 12345, since: 'earlier', command: 'main.ts' }));
    const release = lockDataFolder(folder);
    release();
    expect(existsSync(path.join(folder, LOCK_NAME))).toBe(false);
  });
});
