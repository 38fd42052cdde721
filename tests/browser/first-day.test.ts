// The first day of an office, as people do it: a citizen reports on a phone next to a case someone else reported
// and is warned (without seeing the other case); the citizen rates a closed case 不满意 on the phone and the
// operator finds it in 我的待办 with the reason; the phone case list and case page are cards with the next move first.
// Screenshots (scratch folder, or docs/screenshots via `npm run screenshots`): phone-cases.png, phone-case.png,
// phone-similar.png, inbox-revisit.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchChromium, loginAs, SCREENSHOTS, serve } from '../support/browser.js';
import { GRID_2, ok, openWorld, reportAt, walkTo, type World } from '../support/factories.js';

let w: World;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  w = await openWorld(['operator', 'chengguan', 'gridworker', 'gridworker2', 'citizen'], { cases: 30 });
  base = await serve(w.p);
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await w?.p.close();
});

function open(username: string, phone: boolean, geo?: { longitude: number; latitude: number }): Promise<Page> {
  return loginAs(browser, base, username, { phone, viewport: { width: 1440, height: 900 }, ...(geo ? { geo } : {}), contexts });
}

async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 6_000 }).catch(() => {});
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

describe.skipIf(!hasChromium)('first day', () => {
  it('a citizen reporting on a phone next to an existing case is warned, without its details', async () => {
    const existing = await reportAt(w, w.u.gridworker2!, GRID_2, { description: '楼下垃圾堆了三天，联系人 13900001111' });
    const g = w.grids.get(GRID_2)!.properties;
    const category = (ok(await w.u.citizen!.get('/api/categories')) as { id: number; name: string }[]).find((c) => c.id === w.categoryId)!;

    const page = await open('citizen', true, { longitude: g.labelLng + 0.0001, latitude: g.labelLat });
    // a citizen on a phone gets the phone form, located by GPS
    await page.waitForURL(/\/m\/report$/);
    await expect.poll(() => page.getByTestId('mreport-grid').textContent(), { timeout: 15_000 }).toContain(g.name);
    await page.getByTestId('mreport-category').click();
    await page.keyboard.type(category.name);
    await page.locator('.ant-select-tree-treenode', { hasText: category.name }).last().click();

    const warning = page.getByTestId('report-similar');
    await warning.waitFor();
    const hidden = page.locator('[data-testid="similar-item"][data-readable="false"]');
    expect(await hidden.count()).toBeGreaterThan(0);
    const text = (await warning.textContent()) ?? '';
    expect(text).toContain('已上报');
    expect(text).not.toContain(existing.number);
    expect(text).not.toContain('13900001111');
    await warning.scrollIntoViewIfNeeded();
    await screenshot(page, 'phone-similar');

    // reporting anyway ends on a short confirmation, not the long case page
    await page.getByTestId('mreport-description').fill('小区门口垃圾没人清理');
    await page.getByTestId('mreport-submit').click();
    await page.getByTestId('phone-report-sent').waitFor();
    expect(await page.getByTestId('sent-number').textContent()).toMatch(/\d{14}/);
  });

  it('an unsatisfied rating on the phone lands in the operator’s tasks with the reason', async () => {
    const closed = await walkTo(w, 'closed', { reporter: 'citizen' });
    const citizen = await open('citizen', true);
    await citizen.goto(`${base}/cases/${closed.id}`);
    await citizen.getByTestId('phone-case').waitFor();
    // the next move comes first, above the photos and the facts
    const moveBox = (await citizen.getByTestId('move-evaluate').boundingBox())!;
    const photosBox = (await citizen.getByTestId('case-photos').or(citizen.getByText('无照片')).first().boundingBox())!;
    expect(moveBox.y).toBeLessThan(photosBox.y);
    expect(moveBox.x + moveBox.width).toBeLessThanOrEqual(390);
    await citizen.getByTestId('move-evaluate').click();
    await citizen.locator('[data-testid="move-form"][data-move="evaluate"]').waitFor();
    await citizen.locator('[data-testid="move-rating"] .ant-rate-star').nth(1).click();
    await citizen.getByTestId('move-note').fill('处理太慢了');
    await citizen.getByTestId('move-submit').click();
    await citizen.locator('[data-testid="move-form"]').waitFor({ state: 'detached' });

    const operator = await open('operator', false);
    await operator.goto(`${base}/tasks`);
    const row = operator.locator(`[data-testid="task-row"][data-case-number="${closed.number}"]`);
    await row.waitFor();
    expect(await row.getByTestId('revisit').textContent()).toContain('处理太慢了');
    // the inbox shows the time limit and the time left
    expect(await operator.locator('th', { hasText: '剩余' }).count()).toBe(1);
    expect(await operator.locator('th', { hasText: '时限' }).count()).toBeGreaterThan(0);
    // and the bell told the operator
    const bell = ok(await w.u.operator!.get('/api/notifications')) as { items: { kind: string; caseId: number }[] };
    expect(bell.items.some((n) => n.kind === 'unsatisfied' && n.caseId === closed.id)).toBe(true);
    await row.scrollIntoViewIfNeeded();
    await screenshot(operator, 'inbox-revisit');
  });

  it('the phone case list is cards that fit the screen, and a card opens the phone case page', async () => {
    const page = await open('operator', true);
    await page.goto(`${base}/cases`);
    await page.getByTestId('phone-case-list').waitFor();
    const cards = page.getByTestId('phone-case');
    await cards.first().waitFor();
    expect(await cards.count()).toBeGreaterThan(5);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const box of await cards.evaluateAll((els) => els.slice(0, 5).map((e) => e.getBoundingClientRect().toJSON() as DOMRect))) {
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    expect(await page.locator('table').count()).toBe(0);
    await screenshot(page, 'phone-cases');
    await cards.first().click();
    // the list's cards share the test id with the case page: wait for the page itself
    await page.waitForURL(/\/cases\/\d+$/);
    await page.getByTestId('phone-case-list').waitFor({ state: 'detached' });
    await page.getByTestId('phone-case').waitFor();
    await page.getByTestId('phone-next-move').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-case');
  });
});
