// The first day of a production install, in the browser: the administrator logs in with the initial password, must
// change it, and lands on the setup guide listing everything that is missing; one click adopts the standard
// categories. Writes docs/screenshots/admin-setup.png (zh-CN).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { openPlatform, type Platform } from '../../src/platform.js';
import { buildApp } from '../../src/server/app.js';
import { CHROMIUM, hasChromium, launchChromium, SCREENSHOTS, serve } from '../support/browser.js';
import type { TestPlatform } from '../support/platform.js';

if (!hasChromium) console.warn(`browser test skipped: no chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);

const ADMIN_PASSWORD = 'First@Install2026';
let platform: Platform;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let dataDir: string;

beforeAll(async () => {
  if (!hasChromium) return;
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'gridwork-setup-'));
  // always PGlite in memory: this test is about the screens, the API test covers PostgreSQL
  const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ADMIN_PASSWORD });
  platform = await openPlatform({ ...config, databaseUrl: undefined }, { pgliteInMemory: true });
  app = await buildApp({ db: platform.db, config: { ...config, databaseUrl: undefined } });
  await app.ready();
  base = await serve({ app } as TestPlatform);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await platform?.db.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)('the setup guide of a fresh install', () => {
  it('is where the administrator lands after the first password change, and lists what is missing', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/password$/);
    await page.getByTestId('password-current').fill(ADMIN_PASSWORD);
    await page.getByTestId('password-new').fill('Office@Admin2026');
    await page.getByTestId('password-confirm').fill('Office@Admin2026');
    await page.getByTestId('password-submit').click();
    await page.waitForURL(/\/admin\/setup$/);
    for (const step of ['street', 'communities', 'departments', 'categories', 'grids', 'users']) {
      await expect.poll(() => page.getByTestId(`setup-${step}`).innerText()).toContain('未完成');
    }
    await page.getByTestId('setup-adopt').click();
    await expect.poll(() => page.getByTestId('setup-categories').innerText()).toContain('已完成');
    expect(Number((await platform.db.selectFrom('categories').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(10);
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 6_000 }).catch(() => {});
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-setup.png'), fullPage: true });
    // the links lead to the screens
    await page.getByTestId('setup-street').getByRole('link').click();
    await page.waitForURL(/\/admin\/divisions$/);
    await page.getByTestId('division-create').waitFor();
  });
});
