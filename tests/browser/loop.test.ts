// The whole closed loop through the web UI, as four users in separate browser contexts:
// gridworker reports (with a photo, inside their grid) → operator accepts and dispatches to 城管 → chengguan signs and
// reports handled → gridworker verifies → operator closes. Runs the real app (PGlite, or PostgreSQL when
// DATABASE_URL is set) on a free port and serves the built web app from web/dist (`npm test` builds it first).
// Also writes docs/screenshots/{report-form,case-detail,inbox}.png.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { login as apiLogin, openTestPlatform, type TestPlatform } from '../support/platform.js';
import { CHROMIUM, hasChromium, launchChromium, loginAs as openAs, ROOT, SCREENSHOTS, serve } from '../support/browser.js';
import type { GridCollection } from '../../src/shared/api.js';

if (!hasChromium) console.warn(`browser test skipped: no chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);

let platform: TestPlatform;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // a few seeded cases make the inbox screenshot look like a working day
  platform = await openTestPlatform({ cases: 12 });
  base = await serve(platform);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await platform?.close();
});

function loginAs(username: string): Promise<Page> {
  return openAs(browser, base, username, { contexts });
}

async function expectState(page: Page, state: string): Promise<void> {
  await expect.poll(() => page.getByTestId('case-state').getAttribute('data-state'), { timeout: 20_000 }).toBe(state);
}

/** Fails at once with the server's message when the page shows an error toast. */
async function noErrorToast(page: Page): Promise<void> {
  const toast = page.locator('.ant-message-notice-error');
  if (await toast.count()) throw new Error(`the page says: ${await toast.first().textContent()}`);
}

/** Opens the case from the user's inbox (我的待办), which must list it. */
async function openFromInbox(page: Page, caseNumber: string): Promise<void> {
  await page.getByTestId('menu-tasks').click();
  await page.waitForURL(/\/tasks$/);
  const row = page.locator(`[data-testid="task-row"][data-case-number="${caseNumber}"]`);
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  await page.waitForURL(/\/cases\/\d+$/);
  await expect.poll(() => page.getByTestId('case-number').textContent()).toBe(caseNumber);
}

/** Clicks a move button, fills its form, submits, and waits for the new state. */
async function move(page: Page, name: string, toState: string, fill?: (dialog: Page) => Promise<void>): Promise<void> {
  await page.getByTestId(`move-${name}`).click();
  await page.locator(`[data-testid="move-form"][data-move="${name}"]`).waitFor();
  if (fill) await fill(page);
  await page.getByTestId('move-submit').click();
  await expect
    .poll(async () => {
      await noErrorToast(page);
      return page.getByTestId('case-state').getAttribute('data-state');
    }, { timeout: 45_000 }) // generous: a loaded two-core CI machine, not a performance bound
    .toBe(toState);
  await page.locator('[data-testid="move-form"]').waitFor({ state: 'detached' });
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // let toasts (e.g. the welcome message) fade, and maps finish drawing
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 6_000 }).catch(() => {});
  if (await page.getByTestId('map').count()) {
    await page.locator('[data-testid="map"][data-idle="true"]').waitFor({ timeout: 10_000 }).catch(() => {});
  }
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function waitForMap(page: Page): Promise<boolean> {
  const map = page.getByTestId('map');
  await map.waitFor();
  // MapLibre needs WebGL; under SwiftShader it gets it, otherwise the page shows a notice and coordinates are typed
  const ready = await expect
    .poll(() => map.getAttribute('data-ready'), { timeout: 8_000 })
    .toBe('true')
    .then(() => true)
    .catch(() => false);
  if (!ready) await page.getByTestId('map-unavailable').waitFor();
  return ready;
}

const t0 = Date.now();
const step = (name: string) => process.env.GW_TEST_TIMING && console.log(`${((Date.now() - t0) / 1000).toFixed(1)}s ${name}`);

describe.skipIf(!hasChromium)('the closed loop in the browser', () => {
  it('report → accept → dispatch → sign → handle → verify → close', async () => {
    // a position inside gridworker's own grid: the label point of the grid named in their scope
    const api = await apiLogin(platform.app, 'gridworker');
    const me = (await api.get('/api/auth/session')).json().user as { scopeName: string };
    const grids = (await api.get('/api/grids')).json() as GridCollection;
    const grid = grids.features.find((f) => f.properties.name === me.scopeName);
    expect(grid, `grid ${me.scopeName}`).toBeDefined();
    const { labelLng: lng, labelLat: lat } = grid!.properties;
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c0392b' } }).png().toBuffer();

    step('// 1. gridworker reports');
    // 1. gridworker reports
    const worker = await loginAs('gridworker');
    await worker.getByTestId('menu-report').click();
    await worker.waitForURL(/\/report$/);
    step('const mapWorks');
    const mapWorks = await waitForMap(worker);
    if (mapWorks) {
      // a click on the map picks a position …
      await worker.getByTestId('map').click({ position: { x: 120, y: 120 } });
      await expect.poll(() => worker.getByTestId('report-lng').inputValue()).not.toBe('');
    }
    // … and typed coordinates set it exactly
    await worker.getByTestId('report-lng').fill(lng.toFixed(6));
    await worker.getByTestId('report-lat').fill(lat.toFixed(6));
    await worker.getByTestId('report-lat').press('Tab');
    await expect.poll(() => worker.getByTestId('report-grid').textContent()).toContain(me.scopeName);

    step("await worker.getByTestId('repo");
    await worker.getByTestId('report-category').click();
    await worker.keyboard.type('暴露垃圾');
    await worker.locator('.ant-select-tree-treenode', { hasText: '暴露垃圾' }).last().click();
    await worker.getByTestId('report-description').fill('幸福路东侧绿化带内有成堆生活垃圾，已散发异味');
    await worker.getByTestId('report-address').fill('幸福路 12 号东侧');
    await worker.locator('[data-testid="report-photos"] input[type="file"]').setInputFiles({
      name: 'scene.png',
      mimeType: 'image/png',
      buffer: photo,
    });
    await worker.locator('[data-testid="report-photos"][data-count="1"]').waitFor({ timeout: 10_000 });
    step("await screenshot(worker, 'repo");
    await screenshot(worker, 'report-form');

    await worker.getByTestId('report-submit').click();
    await worker.waitForURL(/\/cases\/\d+$/);
    await expectState(worker, 'reported');
    const caseNumber = (await worker.getByTestId('case-number').textContent())!.trim();
    expect(caseNumber).toMatch(/^\d+$/);
    await expect.poll(() => worker.getByTestId('case-photos').locator('img').count()).toBe(1);

    const dispatchDeadline = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10) + ' 17:30';

    step('// 2. operator');
    // 2. operator accepts and dispatches to 城管 with a deadline (both defaulted from the category)
    const operator = await loginAs('operator');
    await operator.getByTestId('menu-tasks').click();
    await operator.locator(`[data-testid="task-row"][data-case-number="${caseNumber}"]`).waitFor();
    await screenshot(operator, 'inbox');
    step('await openFromInbox(operator, ');
    await openFromInbox(operator, caseNumber);
    await move(operator, 'accept', 'accepted');
    await move(operator, 'dispatch', 'dispatched', async (p) => {
      const form = p.getByTestId('move-form');
      await expect.poll(() => form.textContent()).toContain('城管执法中队');
      // who to call there: the department's contacts beside it, phones whole for an operator (and dialable)
      const contacts = p.getByTestId('move-department-contacts');
      await expect.poll(() => contacts.textContent(), { timeout: 20_000 }).toContain('值班电话');
      expect(await contacts.textContent()).not.toContain('*');
      expect(await contacts.locator('a[href^="tel:"]').count()).toBe(2);
      // the server would compute the deadline from the category's limit on the working calendar; set one explicitly
      const deadline = p.getByTestId('move-deadline');
      await deadline.click();
      await deadline.fill(dispatchDeadline);
      await deadline.press('Enter');
      await expect.poll(() => deadline.inputValue()).toBe(dispatchDeadline);
      await p.getByTestId('move-note').fill('请尽快清运');
    });

    step('// 3. 城管');
    // 3. 城管 signs and reports the result
    const chengguan = await loginAs('chengguan');
    await openFromInbox(chengguan, caseNumber);
    await move(chengguan, 'sign', 'in_progress');
    await move(chengguan, 'handle', 'handled', async (p) => {
      await p.getByTestId('move-note').fill('垃圾已全部清运，现场已冲洗');
    });

    step('// 4. the grid');
    // 4. the grid worker checks on site: pass
    await openFromInbox(worker, caseNumber);
    await expect.poll(() => worker.getByTestId('move-verify_fail').count()).toBe(1);
    await screenshot(worker, 'case-detail');
    await move(worker, 'verify_pass', 'verified');

    step('// 5. the operator');
    // 5. the operator closes it
    await openFromInbox(operator, caseNumber);
    await move(operator, 'close', 'closed');
    await expect.poll(() => operator.getByTestId('move-close').count()).toBe(0);

    step('// the timeline lists');
    // the timeline lists every move, in order, with the notes
    const moves = await operator.getByTestId('timeline-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-move')));
    expect(moves).toEqual(['report', 'accept', 'dispatch', 'sign', 'handle', 'verify_pass', 'close']);
    const timeline = (await operator.getByTestId('case-timeline').textContent()) ?? '';
    expect(timeline).toContain('垃圾已全部清运');
    expect(timeline).toContain('城管执法中队');
    expect(timeline).toContain(dispatchDeadline);
    expect(timeline).toContain('网格员');
  }, 240_000); // generous: seven logins and moves on a shared two-core machine
});
