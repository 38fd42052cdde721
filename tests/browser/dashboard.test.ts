// The dashboard in the browser: each number is a link to the case list with the server's filter, and the list's
// total equals the number (checked in the browser for one, through the API for every headline number); the big
// screen loads its numbers and map. Writes docs/screenshots/dashboard.png and big-screen.png.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { login as apiLogin, openTestPlatform, type TestPlatform } from '../support/platform.js';
import { hasChromium, launchChromium, loginAs as openAs, ROOT, SCREENSHOTS, serve } from '../support/browser.js';
import type { CaseList } from '../../src/shared/api.js';


let platform: TestPlatform;
let browser: Browser;
let base: string;

beforeAll(async () => {
  platform = await openTestPlatform({ cases: 60 });
  base = await serve(platform);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

function loginAs(username: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
  return openAs(browser, base, username, { viewport });
}

async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 6_000 }).catch(() => {});
  // ECharts animates for about a second
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

const day = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

describe.skipIf(!hasChromium)('the dashboard', () => {
  it('every number opens the list of exactly the cases it counts; the big screen shows them', async () => {
    const from = day(new Date(Date.now() - 29 * 86_400_000));
    const to = day(new Date());
    const leader = await loginAs('leader');
    await expect.poll(() => new URL(leader.url()).pathname).toBe('/dashboard');
    await leader.goto(`${base}/dashboard?from=${from}&to=${to}&groupBy=category&bucket=day`);
    await leader.locator('[data-testid="dashboard"][data-loaded="true"]').waitFor({ timeout: 20_000 });

    // every headline number, and the rates' parts, through the API with the link's own query
    const api = await apiLogin(platform.app, 'leader');
    const links = leader.locator('[data-testid^="kpi-"], [data-testid^="rate-"][data-href]');
    const n = await links.count();
    expect(n).toBeGreaterThanOrEqual(7);
    for (let i = 0; i < n; i++) {
      const link = links.nth(i);
      const href = await link.getAttribute('data-href');
      const value = Number(await link.getAttribute('data-value'));
      expect(href, await link.getAttribute('data-testid') ?? '').toMatch(/^\/cases\?/);
      const list = (await api.get(`/api${href}&pageSize=1`)).json() as CaseList;
      expect(list.total, `${await link.getAttribute('data-testid')} ${href}`).toBe(value);
    }
    const reported = Number(await leader.getByTestId('kpi-reported').getAttribute('data-value'));
    expect(reported).toBeGreaterThan(0);
    await screenshot(leader, 'dashboard', true);

    // in the browser: a breakdown number → the case list, whose total is that number
    const cell = leader.getByTestId('breakdown-table').getByTestId('breakdown-closed').first();
    const cellValue = Number(await cell.getAttribute('data-value'));
    await cell.click();
    await leader.waitForURL(/\/cases\?/);
    expect(new URL(leader.url()).searchParams.get('event')).toBe('closed');
    await expect
      .poll(async () => (await leader.locator('.ant-pagination-total-text').textContent().catch(() => '')) ?? '', { timeout: 15_000 })
      .toContain(`共 ${cellValue} 条`);
    await leader.getByTestId('list-extra-filters').waitFor();

    // and the headline 上报 number the same way
    await leader.goBack();
    await leader.locator('[data-testid="dashboard"][data-loaded="true"]').waitFor({ timeout: 20_000 });
    await leader.getByTestId('kpi-reported').click();
    await leader.waitForURL(/\/cases\?/);
    await expect
      .poll(async () => (await leader.locator('.ant-pagination-total-text').textContent().catch(() => '')) ?? '', { timeout: 15_000 })
      .toContain(`共 ${reported} 条`);

    // the big screen (1920×1080) over the last quarter (weekly trend): its numbers, the grid map and the rankings
    const quarterFrom = day(new Date(Date.now() - 89 * 86_400_000));
    const quarter = (await api.get(`/api/stats/summary?from=${quarterFrom}&to=${to}`)).json() as { totals: { reported: { value: number } } };
    const wall = await loginAs('leader', { width: 1920, height: 1080 });
    await wall.goto(`${base}/dashboard/screen?from=${quarterFrom}&to=${to}`);
    wall.on('console', (m) => m.type() === 'error' && console.error('[wall]', m.text()));
    await wall.locator('[data-testid="big-screen"][data-loaded="true"]').waitFor({ timeout: 30_000 }).catch(async (err: unknown) => {
      console.error('[wall] at', wall.url(), (await wall.locator('body').innerText()).slice(0, 500));
      throw err;
    });
    await expect.poll(() => wall.getByTestId('screen-reported').getAttribute('data-value')).toBe(String(quarter.totals.reported.value));
    await expect.poll(() => wall.getByTestId('load-map').getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
    await wall.getByTestId('screen-grid-rank').locator('tbody tr').first().waitFor();
    await wall.locator('[data-testid="load-map"][data-idle="true"]').waitFor({ timeout: 10_000 }).catch(() => {});
    await screenshot(wall, 'big-screen');
  });
});
