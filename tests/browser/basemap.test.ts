// The command map over an offline base map: a PMTiles file the test makes is configured (BASEMAP_PMTILES), the
// map reads it with range requests through the `pmtiles` protocol and draws its streets under the grids; the layer
// switch hides it. Screenshot: command-map-basemap.png.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import { hasChromium, launchChromium, SCREENSHOTS, serve } from '../support/browser.js';
import { openTestPlatform, type TestPlatform } from '../support/platform.js';
import { writeStreetPmtiles } from '../support/pmtiles.js';

let platform: TestPlatform;
let browser: Browser;
let base: string;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'gridwork-basemap-'));
  const file = path.join(scratch, 'street.pmtiles');
  writeStreetPmtiles(file, [116.6, 35.39, 116.72, 35.47], 10, 16);
  platform = await openTestPlatform({ cases: 40, env: { BASEMAP_PMTILES: file } });
  base = await serve(platform);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await platform?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)('base map', () => {
  it('the command map draws the offline PMTiles streets under the grids', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[map] page error:', err.message));
    const ranges: number[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/basemap/offline.pmtiles')) ranges.push(r.status());
    });
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill('operator');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${base}/command/map?c=116.655,35.428,14.2`);
    const map = page.getByTestId('map');
    await expect.poll(() => map.getAttribute('data-basemap'), { timeout: 20_000 }).toBe('pmtiles');
    await page.locator('[data-testid="map"][data-idle="true"]').waitFor({ timeout: 20_000 });
    expect(ranges.length).toBeGreaterThanOrEqual(1);
    expect(ranges.every((s) => s === 206)).toBe(true);

    // the river of the generated map is drawn: its blue is on the canvas
    const shot = await map.screenshot();
    const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
    let water = 0;
    for (let i = 0; i < data.length; i += info.channels) {
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      if (b > 180 && b > g + 5 && b > r + 30) water++;
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'command-map-basemap.png') });
    expect(water).toBeGreaterThan(500);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'command-map-basemap.png') });

    await page.getByTestId('cmd-basemap').click();
    await expect.poll(() => map.getAttribute('data-basemap')).toBe('none');
    await context.close();
  });
});
