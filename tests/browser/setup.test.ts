// The first day of a production install, in the browser: the administrator logs in with the initial password, must
// change it, and lands on the setup guide listing everything that is missing; one click adopts the standard
// categories. The street is created with its district picked from the GB/T 2260 list by name, and the communities come
// from a GeoJSON file with their boundaries (a file with a bad boundary is refused with the feature named, nothing
// imported). Writes docs/screenshots/admin-setup.png (zh-CN).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
    // the street step opens the new-division dialog; the district is found in the shipped GB/T 2260 list by name
    await page.getByTestId('setup-street').getByRole('link').click();
    await page.waitForURL(/\/admin\/divisions/);
    await page.getByTestId('district-picker').click();
    await page.keyboard.type('济宁 高新');
    const option = page.locator('.ant-select-item-option', { hasText: '370871' }).first();
    await option.waitFor({ timeout: 20_000 });
    await option.click();
    await expect.poll(() => page.locator('#districtName').inputValue(), { timeout: 20_000 }).toBe('济宁高新技术产业开发区');
    await page.locator('#code').fill('370871005');
    await page.locator('#name').fill('接庄街道');
    await page.getByRole('button', { name: /提\s*交/ }).click();
    await expect
      .poll(async () => (await platform.db.selectFrom('divisions').select(['code', 'name', 'level']).orderBy('code').execute()).map((d) => `${d.level}:${d.code}:${d.name}`), { timeout: 20_000 })
      .toEqual(['district:370871:济宁高新技术产业开发区', 'street:370871005:接庄街道']);
    // the dialog closes once the street is saved (its own GeoJSON input goes with it)
    await page.getByRole('dialog', { name: '新建区划' }).waitFor({ state: 'hidden', timeout: 20_000 });
    const importInput = page.locator('input[type=file][accept*=".xlsx"]');

    // communities with boundaries from GeoJSON: a bow-tie boundary refuses the whole file, the feature named
    const square = (x: number, y: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] });
    const bowTie = { type: 'Polygon', coordinates: [[[116.64, 35.42], [116.65, 35.43], [116.65, 35.42], [116.64, 35.43], [116.64, 35.42]]] };
    const file = (name: string, features: unknown[]) => {
      const p = path.join(dataDir, name);
      writeFileSync(p, JSON.stringify({ type: 'FeatureCollection', features }));
      return p;
    };
    const first = { type: 'Feature', properties: { code: '370871005001', name: '王回庄社区' }, geometry: square(116.64, 35.42) };
    await importInput.setInputFiles(file('bad.geojson', [first, { type: 'Feature', properties: { code: '370871005002', name: '接庄社区' }, geometry: bowTie }]));
    await expect.poll(() => page.getByTestId('divisions-import-errors').innerText(), { timeout: 20_000 }).toMatch(/第 2 个要素（编码 370871005002）.*自相交/);
    expect(await platform.db.selectFrom('divisions').select('code').where('level', '=', 'community').execute()).toEqual([]);
    await importInput.setInputFiles(file('good.geojson', [first, { type: 'Feature', properties: { code: '370871005002', name: '接庄社区' }, geometry: square(116.65, 35.42) }]));
    await expect
      .poll(async () => (await platform.db.selectFrom('divisions').select(['code', 'geometry']).where('level', '=', 'community').orderBy('code').execute()).map((d) => `${d.code}:${d.geometry != null}`), { timeout: 20_000 })
      .toEqual(['370871005001:true', '370871005002:true']);
    await page.getByTestId('menu-setup').click();
    await expect.poll(() => page.getByTestId('setup-boundaries').innerText(), { timeout: 20_000 }).toContain('已完成');
  }, 240_000);
});
