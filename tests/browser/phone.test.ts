// The phone (390×844): a grid worker lands on the field app's home, reports with a camera photo and the GPS
// position; a report made without a connection (context.setOffline) waits on the phone and is sent exactly once
// when the connection returns; a patrol starts, checks in in the worker's grid and ends.
// Writes docs/screenshots/phone-home.png, phone-report.png, phone-offline.png and phone-patrol.png.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { login as apiLogin, openTestPlatform, type TestPlatform } from '../support/platform.js';
import { hasChromium, launchChromium, ROOT, SCREENSHOTS, serve } from '../support/browser.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import type { CaseDetail, CaseList, GridCollection } from '../../src/shared/api.js';


let platform: TestPlatform;
let browser: Browser;
let base: string;

beforeAll(async () => {
  platform = await openTestPlatform({ cases: 8 });
  base = await serve(platform);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 6_000 }).catch(() => {});
  if (await page.getByTestId('map').count()) {
    await page.locator('[data-testid="map"][data-idle="true"]').first().waitFor({ timeout: 10_000 }).catch(() => {});
  }
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

describe.skipIf(!hasChromium)('the phone', () => {
  it('home, camera report queued offline and sent once, patrol with a check-in', async () => {
    const api = await apiLogin(platform.app, 'gridworker');
    const me = (await api.get('/api/auth/session')).json().user as { scopeName: string };
    const grids = (await api.get('/api/grids')).json() as GridCollection;
    const grid = grids.features.find((f) => f.properties.name === me.scopeName)!;
    expect(grid, me.scopeName).toBeDefined();
    const { labelLng: longitude, labelLat: latitude } = grid.properties;

    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      geolocation: { longitude, latitude, accuracy: 12 },
      permissions: ['geolocation'],
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[phone] page error:', err.message));
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill('gridworker');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();

    // a grid worker on a phone lands on the field app, laid out for the narrow screen
    await page.waitForURL(/\/m$/);
    await page.getByTestId('phone-home').waitFor();
    for (const id of ['phone-report', 'phone-tasks', 'phone-patrol']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(box.height).toBeGreaterThanOrEqual(100);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.getByTestId('menu-toggle').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.querySelector('link[rel="manifest"]')?.getAttribute('href'))).toBe('/manifest.webmanifest');
    const manifest = (await (await page.request.get(`${base}/manifest.webmanifest`)).json()) as { icons: unknown[]; display: string };
    expect(manifest.display).toBe('standalone');
    await screenshot(page, 'phone-home');

    // report: a camera photo, the GPS position with its accuracy, the grid from it
    await page.getByTestId('phone-report').click();
    await page.waitForURL(/\/m\/report$/);
    await expect.poll(() => page.getByTestId('mreport-accuracy').textContent(), { timeout: 15_000 }).toContain('12');
    await expect.poll(() => page.getByTestId('mreport-grid').textContent()).toContain(me.scopeName);
    expect(await page.getByTestId('mreport-camera').getAttribute('capture')).toBe('environment');
    const photo = await sharp({ create: { width: 96, height: 72, channels: 3, background: '#2e7d32' } }).jpeg().toBuffer();
    await page.getByTestId('mreport-camera').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.locator('[data-testid="mreport-photos"][data-count="1"]').waitFor();
    await page.getByTestId('mreport-category').click();
    await page.keyboard.type('乱堆物堆料');
    await page.locator('.ant-select-tree-treenode', { hasText: '乱堆物堆料' }).last().click();
    // a fresh database: this text is in no seeded case
    const description = '3 号楼一单元楼道口堆放杂物，堵塞消防通道';
    await page.getByTestId('mreport-description').fill(description);
    await page.getByTestId('mreport-address').fill('幸福路 8 号楼道口');
    await page.getByTestId('mreport-address').blur();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'phone-report');

    // no connection: the report is kept on the phone …
    const count = async () => ((await api.get(`/api/cases?q=${encodeURIComponent(description)}`)).json() as CaseList).total;
    await context.setOffline(true);
    await page.getByTestId('mreport-submit').click();
    await page.waitForURL(/\/m$/);
    await page.locator('[data-testid="outbox"][data-count="1"]').waitFor();
    await expect.poll(() => page.getByTestId('outbox-item').getAttribute('data-status')).toBe('pending');
    await page.getByTestId('phone-offline').waitFor();
    expect(await count()).toBe(0);
    await screenshot(page, 'phone-offline');
    // … survives a retry that still has no connection …
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForTimeout(500);
    expect(await count()).toBe(0);
    // … and a restart without a connection: the service worker serves the app shell and the last session
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/sw\.js$/);
    await page.reload();
    await page.getByTestId('phone-home').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="outbox"][data-count="1"]').waitFor();
    expect(await count()).toBe(0);

    // the connection returns: sent once, with its photo
    await context.setOffline(false);
    await page.getByTestId('outbox').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await count()).toBe(1);
    // more `online` events and a reload send nothing again
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.reload();
    await page.getByTestId('phone-home').waitFor();
    await page.waitForTimeout(1000);
    expect(await count()).toBe(1);
    const list = (await api.get(`/api/cases?q=${encodeURIComponent(description)}`)).json() as CaseList;
    const detail = (await api.get(`/api/cases/${list.items[0]!.id}`)).json() as CaseDetail;
    expect(detail.photos).toHaveLength(1);
    expect(detail.gridName).toBe(me.scopeName);

    // patrol: start, check in where the worker stands, end
    await page.getByTestId('phone-patrol').click();
    await page.waitForURL(/\/m\/patrol$/);
    await page.getByTestId('patrol-start').click();
    await page.locator('[data-testid="patrol"][data-active="true"]').waitFor();
    await expect.poll(() => page.getByTestId('patrol-grid').textContent()).toContain(me.scopeName);
    await page.getByTestId('patrol-checkin').click();
    await expect.poll(() => page.getByTestId('patrol-checkins').textContent(), { timeout: 15_000 }).toContain(me.scopeName);
    await screenshot(page, 'phone-patrol');
    await page.getByTestId('patrol-stop').click();
    await page.getByTestId('patrol-stop-ok').click();
    await page.locator('[data-testid="patrol"][data-active="false"]').waitFor({ timeout: 15_000 });
    const patrols = (await api.get('/api/patrols')).json() as { items: { endedAt: string | null; checkinCount: number }[] };
    expect(patrols.items[0]).toMatchObject({ checkinCount: 1 });
    expect(patrols.items[0]!.endedAt).not.toBeNull();
    await context.close();
  });
});
