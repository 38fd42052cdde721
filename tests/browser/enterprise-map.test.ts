// The enterprise registry in the browser (issue 14): on 一张图 the enterprise layer shows enterprises by risk level
// and with open hazards; a click on one opens its page, whose timeline holds its archive, inspection and hazard,
// newest first. Writes screenshots to the scratch folder.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
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
}, 420_000);
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

describe.skipIf(!hasChromium)('enterprises on the map', () => {
  it('the enterprise layer with its filters; a click opens the enterprise and its timeline', async () => {
    const operator = await apiLogin(platform.app, 'operator');
    const worker = await apiLogin(platform.app, 'gridworker');
    const grids = (await operator.get('/api/grids')).json() as GridCollection;
    const g = grids.features.find((f) => f.properties.code === '37087100500101')!;
    const [lng, lat] = [g.properties.labelLng + 0.0006, g.properties.labelLat - 0.0004];
    const created = await operator.post('/api/enterprises', { name: '地图测试液化气站', creditCode: withCheckChar('91370800MA3E00077'), industryCode: 'F5265', lng, lat, riskLevel: 'high' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as number;
    const inspected = await worker.post('/api/inspections', {
      enterpriseId: id,
      lng,
      lat,
      items: [
        { text: '液化气钢瓶存放合规', result: 'fail', grade: 'larger', type: 'hazmat' },
        { text: '灭火器配置齐全', result: 'pass' },
      ],
    });
    expect(inspected.statusCode, inspected.body).toBe(201);
    const all = (await operator.get('/api/enterprises/map')).json() as { features: unknown[] };
    const withHazards = (await operator.get('/api/enterprises/map?openHazards=true')).json() as { features: unknown[] };
    expect(withHazards.features.length).toBeGreaterThan(0);
    expect(withHazards.features.length).toBeLessThan(all.features.length);

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[enterprise-map] page error:', err.message));
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill('operator');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 20_000 });

    await page.goto(`${base}/command/map?ent=1&c=${lng},${lat},17`);
    const map = page.getByTestId('map');
    await expect.poll(() => map.getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
    await expect.poll(async () => Number(await map.getAttribute('data-enterprises')), { timeout: 20_000 }).toBe(all.features.length);
    // the filters: only enterprises with open hazards, then the risk levels
    await page.getByTestId('cmd-ent-open').click();
    await expect.poll(async () => Number(await map.getAttribute('data-enterprises')), { timeout: 20_000 }).toBe(withHazards.features.length);
    await page.getByTestId('cmd-ent-risk-high').click();
    await expect.poll(async () => Number(await map.getAttribute('data-enterprises') ?? -1), { timeout: 20_000 }).toBe(0);
    await page.getByTestId('cmd-ent-risk-high').click();
    await expect.poll(async () => Number(await map.getAttribute('data-enterprises')), { timeout: 20_000 }).toBe(withHazards.features.length);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.locator('[data-testid="map"][data-idle="true"]').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'command-map-enterprises.png') });

    // the map is centred on the enterprise: a click in the middle opens it
    await map.click();
    await page.waitForURL(new RegExp(`/enterprises/${id}$`), { timeout: 20_000 });
    await expect.poll(() => page.getByTestId('enterprise-name').textContent(), { timeout: 20_000 }).toBe('地图测试液化气站');
    await expect.poll(() => page.getByTestId('enterprise-open-hazards').textContent(), { timeout: 20_000 }).toBe('1');
    const entries = page.getByTestId('timeline-entry');
    await expect.poll(() => entries.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    const kinds = await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['hazard', 'inspection', 'archive']));
    // newest first: the registration is the last entry
    expect(await entries.last().getAttribute('data-what')).toBe('enterprise.create');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'enterprise-timeline.png') });
    await context.close();
  }, 240_000);
});
