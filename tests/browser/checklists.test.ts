// Issue 14's closing gaps in the browser: the administrator makes an industry checklist on its screen (items added,
// reordered, a duplicate refused before it is sent), a grid's month planned before the checklist existed shows it in
// the plan's 排查表 column, the operator assigns the plan's inspector and takes an enterprise out of it, the
// enterprise page edits the archive (a wrong credit code refused in the form), and a major hazard's notice in the
// leader's bell opens the hazard. Writes screenshots to the scratch folder.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { login as apiLogin, openTestPlatform, type TestPlatform } from '../support/platform.js';
import { hasChromium, launchChromium, loginAs, SCREENSHOTS, serve } from '../support/browser.js';
import { withCheckChar } from '../../src/domain/hazards/credit-code.js';
import type { GridCollection } from '../../src/shared/api.js';

let platform: TestPlatform;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  platform = await openTestPlatform();
  base = await serve(platform);
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 180_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await platform?.close();
});

describe.skipIf(!hasChromium)('checklists, plan editing, the archive form and hazard notices in the browser', () => {
  it('a checklist made on its screen fills the plan’s 排查表 column; the plan is edited; the archive edited; the bell opens a hazard', async () => {
    const operator = await apiLogin(platform.app, 'operator');
    const grids = (await operator.get('/api/grids')).json() as GridCollection;
    const g = grids.features.find((f) => f.properties.code === '37087100500101')!;
    const make = async (n: number, name: string, industryCode: string, industryName: string) => {
      const res = await operator.post('/api/enterprises', { name, creditCode: withCheckChar(`91370800MA3K0000${n}`), lng: g.properties.labelLng + n * 0.0001, lat: g.properties.labelLat, industryCode, industryName });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: number };
    };
    const mill = await make(1, '浏览器编辑塑料厂', 'C2929', '塑料零件及其他塑料制品制造');
    await make(2, '浏览器编辑五金店', 'F5174', '五金产品批发');
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const plan = await operator.post('/api/inspection-plans', { gridId: g.properties.id, month });
    expect(plan.statusCode, plan.body).toBe(201);

    // the administrator's checklist screen: a new checklist for C29 with three items, the last moved to the top
    const admin = await loginAs(browser, base, 'admin', { contexts });
    await admin.goto(`${base}/admin/inspection-templates`);
    await admin.getByTestId('checklist-new').click({ timeout: 20_000 });
    await admin.getByTestId('checklist-name').fill('橡塑制品排查表（浏览器）');
    await admin.getByTestId('checklist-industry').fill('C29');
    await admin.getByTestId('checklist-item-text').nth(0).fill('原料库防火分隔');
    await admin.getByTestId('checklist-item-add').click();
    await admin.getByTestId('checklist-item-text').nth(1).fill('粉尘清扫记录');
    await admin.getByTestId('checklist-item-add').click();
    await admin.getByTestId('checklist-item-text').nth(2).fill('原料库防火分隔');
    await admin.getByTestId('checklist-save').click();
    // the repeated item is refused in the form, nothing sent
    await admin.getByText('检查项“原料库防火分隔”重复').waitFor({ timeout: 15_000 });
    await admin.getByTestId('checklist-item-text').nth(2).fill('静电接地完好');
    await admin.getByTestId('checklist-item-up').nth(2).click();
    await admin.getByTestId('checklist-item-up').nth(1).click();
    expect(await admin.getByTestId('checklist-item-text').nth(0).inputValue()).toBe('静电接地完好');
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'checklist-editor.png') });
    await admin.getByTestId('checklist-save').click();
    const row = admin.getByTestId('checklist-row').filter({ hasText: '橡塑制品排查表（浏览器）' });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('3 项');
    const templates = (await (await apiLogin(platform.app, 'admin')).get('/api/inspection-templates')).json() as { name: string; items: { text: string }[] }[];
    expect(templates.find((t) => t.name === '橡塑制品排查表（浏览器）')!.items.map((i) => i.text)).toEqual(['静电接地完好', '原料库防火分隔', '粉尘清扫记录']);

    // the plan made before the checklist shows it now; the operator assigns the inspector and takes the shop out
    const desk = await loginAs(browser, base, 'operator', { contexts });
    await desk.goto(`${base}/inspection-plans`);
    const planRow = desk.getByTestId('plan-row').filter({ hasText: g.properties.name });
    await planRow.waitFor({ timeout: 20_000 });
    await planRow.locator('.ant-table-row-expand-icon').click();
    await desk.locator('.ant-table-expanded-row tr').filter({ hasText: '浏览器编辑塑料厂' }).filter({ hasText: '橡塑制品排查表（浏览器）' }).waitFor({ timeout: 20_000 });
    await planRow.getByTestId('plan-edit').click();
    await desk.getByTestId('plan-edit-inspector').click();
    await desk.locator('.ant-select-item-option').filter({ hasText: '网格员' }).first().click();
    await desk.getByTestId('plan-edit-item').filter({ hasText: '浏览器编辑五金店' }).getByTestId('plan-edit-remove').click();
    await desk.screenshot({ path: path.join(SCREENSHOTS, 'plan-editor.png') });
    await desk.getByTestId('plan-edit-save').click();
    await desk.getByTestId('plan-edit-save').waitFor({ state: 'hidden', timeout: 20_000 });
    await expect.poll(async () => (await planRow.innerText()).includes('未指定'), { timeout: 20_000 }).toBe(false);
    const detail = (await operator.get(`/api/inspection-plans/${plan.json().id}`)).json() as { inspectorName: string | null; items: { enterpriseName: string }[] };
    expect(detail.inspectorName).toBeTruthy();
    expect(detail.items.map((i) => i.enterpriseName)).not.toContain('浏览器编辑五金店');

    // the archive form: a wrong credit code is refused in the form; a key unit saved
    await desk.goto(`${base}/enterprises/${mill.id}`);
    await desk.getByTestId('enterprise-edit').click({ timeout: 20_000 });
    await desk.getByTestId('enterprise-edit-code').fill('91370800MA3K000010');
    await desk.getByTestId('enterprise-edit-save').click();
    await desk.getByText('统一社会信用代码校验不通过').waitFor({ timeout: 15_000 });
    await desk.getByTestId('enterprise-edit-code').fill(withCheckChar('91370800MA3K00001'));
    await desk.getByTestId('enterprise-edit-name').fill('浏览器编辑塑料制品厂');
    await desk.getByTestId('enterprise-edit-keyunit').click();
    await desk.getByTestId('enterprise-edit-save').click();
    await expect.poll(() => desk.getByTestId('enterprise-name').innerText(), { timeout: 20_000 }).toBe('浏览器编辑塑料制品厂');
    expect(await desk.getByTestId('enterprise-archive').innerText()).toContain('重点单位');
    await desk.screenshot({ path: path.join(SCREENSHOTS, 'enterprise-edit.png') });

    // a major hazard: the leader's bell opens it
    const worker = await apiLogin(platform.app, 'gridworker');
    const h = await worker.post('/api/hazards', { enterpriseId: mill.id, grade: 'major', type: 'fire', description: '仓库与宿舍“三合一”（浏览器）', photos: [] });
    expect(h.statusCode, h.body).toBe(201);
    const leader = await loginAs(browser, base, 'leader', { contexts });
    await leader.getByTestId('notifications').click({ timeout: 20_000 });
    await leader.locator(`[data-testid="notification"][data-hazard-id="${h.json().id}"]`).click({ timeout: 20_000 });
    await leader.waitForURL((u) => u.pathname === '/hazards', { timeout: 20_000 });
    await leader.getByTestId('hazard-drawer').waitFor({ timeout: 20_000 });
    expect(await leader.getByTestId('hazard-drawer').innerText()).toContain(h.json().number);
    await leader.screenshot({ path: path.join(SCREENSHOTS, 'hazard-from-bell.png') });
  }, 300_000);
});
