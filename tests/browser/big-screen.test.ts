// The big screen on the wall: at 1440×900 and 1920×1080 (and 3840×2160) every panel lies inside the window and
// nothing inside a panel is cut off (checked by element bounds: each panel body's content fits its box, no header
// wraps); grid labels name their community; the category chart uses a colour per category.
// Screenshots: big-screen.png (1920×1080), big-screen-1440.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import { hasChromium, launchChromium, SCREENSHOTS, serve } from '../support/browser.js';
import { openTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
let browser: Browser;
let base: string;

beforeAll(async () => {
  platform = await openTestPlatform({ cases: 120 });
  base = await serve(platform);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

interface Clip {
  what: string;
  detail: string;
}

/** Every way a panel can be cut off, measured in the page. */
function clipped(page: Page): Promise<Clip[]> {
  return page.evaluate(() => {
    const out: { what: string; detail: string }[] = [];
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const screen = document.querySelector('[data-testid="big-screen"]')!;
    if (screen.scrollHeight > screen.clientHeight + 1) out.push({ what: 'screen', detail: `content ${screen.scrollHeight} > ${screen.clientHeight}` });
    for (const panel of document.querySelectorAll<HTMLElement>('.gw-screen-panel')) {
      const title = panel.querySelector('h3')?.textContent ?? '?';
      const r = panel.getBoundingClientRect();
      if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5) out.push({ what: title, detail: `panel ${JSON.stringify(r.toJSON())} outside ${vw}×${vh}` });
      if (r.height < 60) out.push({ what: title, detail: `panel only ${r.height}px high` });
      const body = panel.querySelector<HTMLElement>('.gw-screen-panel-body')!;
      if (body.scrollHeight > body.clientHeight + 1) out.push({ what: title, detail: `body content ${body.scrollHeight} > ${body.clientHeight}` });
      if (body.scrollWidth > body.clientWidth + 1) out.push({ what: title, detail: `body content ${body.scrollWidth}px wide > ${body.clientWidth}` });
      const b = body.getBoundingClientRect();
      for (const child of body.querySelectorAll<HTMLElement>('table, .gw-screen-kpi, .gw-screen-rate, canvas')) {
        const c = child.getBoundingClientRect();
        if (c.bottom > b.bottom + 1 || c.right > b.right + 1) out.push({ what: title, detail: `${child.tagName.toLowerCase()} past the panel's edge` });
      }
      const h3 = panel.querySelector('h3')!;
      if (h3.getBoundingClientRect().height > parseFloat(getComputedStyle(h3).lineHeight || '24') * 1.5) out.push({ what: title, detail: 'title wraps' });
      for (const th of panel.querySelectorAll('th')) if (th.scrollWidth > th.clientWidth + 1 || th.getBoundingClientRect().height > 2.2 * parseFloat(getComputedStyle(th).fontSize)) out.push({ what: title, detail: `header "${th.textContent}" wraps or is cut (${th.scrollWidth}/${th.clientWidth}, ${th.getBoundingClientRect().height}px high)` });
    }
    const h1 = document.querySelector('.gw-screen-head h1')!;
    const h1Lines = h1.getBoundingClientRect().height / parseFloat(getComputedStyle(h1).fontSize);
    if (h1Lines > 1.8 || h1.scrollWidth > h1.clientWidth + 1) out.push({ what: 'title', detail: `wraps or is cut (${h1Lines.toFixed(1)} lines)` });
    return out;
  });
}

async function wall(width: number, height: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${width}] page error:`, err.message));
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill('leader');
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  const to = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const from = new Date(Date.now() + 8 * 3600_000 - 89 * 86_400_000).toISOString().slice(0, 10);
  await page.goto(`${base}/dashboard/screen?from=${from}&to=${to}`);
  await page.locator('[data-testid="big-screen"][data-loaded="true"]').waitFor({ timeout: 30_000 });
  await page.getByTestId('screen-grid-rank').locator('tbody tr').first().waitFor();
  await page.locator('.gw-screen-panel canvas').nth(2).waitFor();
  await expect.poll(() => page.getByTestId('load-map').getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
  await page.waitForTimeout(800); // charts settle after their first resize
  return page;
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator('[data-testid="load-map"][data-idle="true"]').waitFor({ timeout: 10_000 }).catch(() => {});
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

describe.skipIf(!hasChromium)('the big screen', () => {
  it.each([
    [1440, 900, 'big-screen-1440'],
    [1920, 1080, 'big-screen'],
    [3840, 2160, null],
  ] as const)('%i×%i: no panel is cut off', async (width, height, shot) => {
    const page = await wall(width, height);
    expect(await clipped(page)).toEqual([]);
    // grid labels say which community: no two labels read the same
    const labels = await page.locator('.gw-load-label b').allTextContents();
    expect(labels.length).toBeGreaterThan(5);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.some((l) => /社区|庄|村/.test(l) || !/^第\d+网格$/.test(l))).toBe(true);
    if (shot) await screenshot(page, shot);
    await page.context().close();
  });
});
