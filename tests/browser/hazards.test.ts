// Hazards in the browser (issue 14): a grid worker inspects an enterprise of its grid on the phone, a failed item
// becomes a hazard, the rectification notice is issued and downloaded as .docx, the re-inspection passes and the
// hazard is closed out (销号); the ledgers show it at each stage. The notice's print page opens from the hazard with
// the same number, the enterprise's signed receipt is uploaded as a PDF and shown, the grid's monthly plan counts the
// inspection, and 行业监管台账 and 不放心企业台账 list the enterprise. Writes screenshots to the scratch folder.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { login as apiLogin, openTestPlatform, type TestPlatform } from '../support/platform.js';
import { hasChromium, launchChromium, SCREENSHOTS, serve } from '../support/browser.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import { withCheckChar } from '../../src/domain/hazards/credit-code.js';
import type { GridCollection } from '../../src/shared/api.js';

let platform: TestPlatform;
let browser: Browser;
let base: string;

beforeAll(async () => {
  platform = await openTestPlatform();
  base = await serve(platform);
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const okButton = (page: Page) => page.locator('.ant-modal-footer .ant-btn-primary').filter({ visible: true });
/** Confirms the open move dialog and waits until it has closed (the move answered), so the next click meets the new state. */
async function confirmMove(page: Page) {
  await okButton(page).click();
  await page.locator('.ant-modal-footer .ant-btn-primary').first().waitFor({ state: 'hidden', timeout: 45_000 }); // generous: a loaded two-core CI machine
}

describe.skipIf(!hasChromium)('hazards in the browser', () => {
  it('phone inspection → hazard → notice (.docx) → re-inspection → 销号, and the ledgers follow', async () => {
    const operator = await apiLogin(platform.app, 'operator');
    const grids = (await operator.get('/api/grids')).json() as GridCollection;
    const g = grids.features.find((f) => f.properties.code === '37087100500101')!;
    const created = await operator.post('/api/enterprises', {
      name: '浏览器测试塑料厂',
      creditCode: withCheckChar('91370800MA3E00001'),
      lng: g.properties.labelLng,
      lat: g.properties.labelLat,
      riskLevel: 'high',
      industryCode: 'C2929',
      industryName: '塑料零件及其他塑料制品制造',
      watch: true,
      watchReason: '浏览器测试：夜间生产',
    });
    expect(created.statusCode, created.body).toBe(201);
    // the grid's plan for this month lists the enterprise (the inspection below fulfils it)
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const plan = await operator.post('/api/inspection-plans', { gridId: g.properties.id, month });
    expect(plan.statusCode, plan.body).toBe(201);
    const admin = await apiLogin(platform.app, 'admin');
    const tpl = await admin.post('/api/inspection-templates', {
      name: '消防安全检查表（测试）',
      items: [{ text: '疏散通道畅通', type: 'fire' }, { text: '车间消防通道无堵塞', type: 'fire' }],
    });
    expect(tpl.statusCode, tpl.body).toBe(201);

    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      acceptDownloads: true,
      geolocation: { longitude: g.properties.labelLng, latitude: g.properties.labelLat },
      permissions: ['geolocation'],
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[hazards] page error:', err.message));
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill('gridworker');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));

    // the phone: inspect the enterprise against the checklist, the second item fails
    await page.goto(`${base}/m/inspect`);
    await page.getByTestId('inspect-enterprise').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '浏览器测试塑料厂' }).click();
    await page.getByTestId('inspect-template').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '消防安全检查表（测试）' }).click();
    await page.getByTestId('inspect-item').nth(1).getByText('不合格').click();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hazard-inspect-phone.png') });
    await page.getByTestId('inspect-submit').click();
    await page.getByTestId('inspect-result').waitFor();
    await page.getByTestId('inspect-hazard').click();
    await page.getByTestId('hazard-drawer').waitFor();
    await expect.poll(() => page.getByTestId('hazard-state').innerText(), { timeout: 20_000 }).toBe('待整改');

    // the inspection ledger lists it as found
    const desk = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true, storageState: await context.storageState() });
    const ledgers = await desk.newPage();
    await ledgers.goto(`${base}/ledgers`);
    await ledgers.getByTestId('ledger-row-inspection').filter({ hasText: '车间消防通道无堵塞' }).filter({ hasText: '待整改' }).waitFor();

    await page.getByTestId('hazard-move-issue_notice').click();
    await confirmMove(page);
    await expect.poll(() => page.getByTestId('hazard-state').innerText(), { timeout: 20_000 }).toBe('限期整改中');
    const number = await page.getByTestId('hazard-notice-number').innerText();
    expect(number).toMatch(/^接庄网〔\d{4}〕第001号$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('hazard-notice-download').click()]);
    const file = await download.path();
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hazard-notice.png') });

    // the print page opens from the hazard: A4, the same number as the .docx
    const [print] = await Promise.all([context.waitForEvent('page'), page.getByTestId('hazard-notice-print').click()]);
    await print.getByTestId('notice-sheet').waitFor({ timeout: 20_000 });
    await expect.poll(() => print.getByTestId('notice-number').innerText(), { timeout: 20_000 }).toBe(number);
    expect(await print.getByTestId('notice-sheet').innerText()).toContain('车间消防通道无堵塞');
    await print.emulateMedia({ media: 'print' });
    await print.screenshot({ path: path.join(SCREENSHOTS, 'hazard-notice-print.png') });
    await print.close();

    // the enterprise's signed receipt, uploaded as a PDF, is shown on the notice and downloads
    await page.getByTestId('hazard-receipt-open').click();
    await page.getByTestId('hazard-receipt-file').setInputFiles({ name: '签收回执.pdf', mimeType: 'application/pdf', buffer: PDF });
    await confirmMove(page);
    await page.getByTestId('hazard-receipt').waitFor({ timeout: 20_000 });
    const href = await page.getByTestId('hazard-receipt-link').getAttribute('href');
    const receipt = await page.request.get(`${base}${href}`);
    expect(receipt.status()).toBe(200);
    expect(receipt.headers()['content-type']).toContain('application/pdf');
    expect(Buffer.compare(await receipt.body(), PDF)).toBe(0);

    await ledgers.reload();
    await ledgers.getByRole('tab', { name: '隐患整改台账' }).click();
    await ledgers.getByTestId('ledger-row-rectification').filter({ hasText: number }).filter({ hasText: '限期整改中' }).waitFor();

    await page.getByTestId('hazard-move-reinspect_pass').click();
    await confirmMove(page);
    await expect.poll(() => page.getByTestId('hazard-state').innerText(), { timeout: 20_000 }).toBe('复查通过待销号');
    await page.getByTestId('hazard-move-close_out').click();
    await confirmMove(page);
    await expect.poll(() => page.getByTestId('hazard-state').innerText(), { timeout: 20_000 }).toBe('已销号');

    await ledgers.reload();
    await ledgers.getByRole('tab', { name: '隐患整改台账' }).click();
    await ledgers.getByTestId('ledger-row-rectification').filter({ hasText: number }).filter({ hasText: '已销号' }).waitFor();
    await ledgers.screenshot({ path: path.join(SCREENSHOTS, 'hazard-ledger.png') });
    const [xlsx] = await Promise.all([ledgers.waitForEvent('download'), ledgers.getByTestId('ledger-export-rectification').click()]);
    expect(readFileSync(await xlsx.path()).subarray(0, 2).toString()).toBe('PK');
    // the enterprise ledgers: by industry with its inspection, and flagged 不放心 with its reason
    await ledgers.getByRole('tab', { name: '行业监管台账' }).click();
    await ledgers.getByTestId('ledger-row-industry').filter({ hasText: '浏览器测试塑料厂' }).filter({ hasText: 'C2929' }).waitFor({ timeout: 20_000 });
    await ledgers.getByRole('tab', { name: '不放心企业台账' }).click();
    await ledgers.getByTestId('ledger-row-watch').filter({ hasText: '浏览器测试塑料厂' }).filter({ hasText: '浏览器测试：夜间生产' }).waitFor({ timeout: 20_000 });
    // the month's plan counts the inspection
    await ledgers.goto(`${base}/inspection-plans`);
    const planRow = ledgers.getByTestId('plan-row').filter({ hasText: g.properties.name });
    await planRow.waitFor({ timeout: 20_000 });
    await planRow.locator('.ant-table-row-expand-icon').click();
    // its item carries the inspection's time (YYYY-MM-DD HH:mm), not 未排查
    await ledgers.locator('.ant-table-expanded-row tr').filter({ hasText: '浏览器测试塑料厂' }).filter({ hasText: `${month}-` }).waitFor({ timeout: 20_000 });
    await ledgers.screenshot({ path: path.join(SCREENSHOTS, 'inspection-plans.png') });
    await desk.close();
    await context.close();
  }, 480_000);
});
