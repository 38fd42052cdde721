// The command-centre map (一张图) in the browser: grids with their load, server clusters, the POI layers imported
// through the API, the heatmap switch; a click on a single case opens the side panel, whose link opens the case.
// Writes docs/screenshots/command-map.png and command-map-case.png.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { login as apiLogin, openTestPlatform, type TestPlatform } from '../support/platform.js';
import { hasChromium, launchChromium, loginAs as openAs, ROOT, SCREENSHOTS, serve } from '../support/browser.js';
import type { CaseList } from '../../src/shared/api.js';
import { POI_TYPES, type PoiCollection } from '../../src/shared/map-api.js';


let platform: TestPlatform;
let browser: Browser;
let base: string;

/** A few points of each type around the demo street (WGS-84), as the POI import takes them. */
function demoPois() {
  const types: [string, string[]][] = [
    ['企业/重点单位', ['高新区化工有限公司', '接庄机械制造厂', '王回庄食品加工厂', '南集物流园', '柳行建材市场', '付庄加油站']],
    ['污染源', ['化工厂排污口', '锅炉房烟囱', '建筑工地扬尘点', '餐饮油烟排放点']],
    ['敏感点', ['接庄小学', '高新区人民医院', '柳行幼儿园', '前王敬老院']],
    ['监测站', ['接庄空气站', '南集水质站', '王回庄微站']],
    ['摄像头', ['幸福路口探头', '接庄市场探头', '付庄村口探头', '南集桥头探头', '柳行广场探头']],
  ];
  const features = [];
  let k = 0;
  for (const [type, names] of types) {
    for (const name of names) {
      const a = (k * 137.5 * Math.PI) / 180;
      const r = 0.004 + (k % 5) * 0.0035;
      k++;
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [116.66 + Math.cos(a) * r * 1.2, 35.43 + Math.sin(a) * r] },
        properties: { 类型: type, 名称: name, 编码: `P${String(k).padStart(3, '0')}`, ...(type === '摄像头' ? { 视频地址: `rtsp://10.0.0.${k}/live` } : {}) },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}

beforeAll(async () => {
  platform = await openTestPlatform({ cases: 60 });
  // the demo street brings its points of interest; where it has none, a few are imported the way an office would
  const admin = await apiLogin(platform.app, 'admin');
  if (!((await admin.get('/api/poi')).json() as PoiCollection).features.length) {
    const imported = await admin.post('/api/poi/import', demoPois());
    expect(imported.statusCode, imported.body).toBeLessThan(300);
  }
  base = await serve(platform);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

function loginAs(username: string): Promise<Page> {
  return openAs(browser, base, username, { viewport: { width: 1440, height: 900 } });
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 6_000 }).catch(() => {});
  await page.locator('[data-testid="map"][data-idle="true"]').waitFor({ timeout: 10_000 }).catch(() => {});
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

const day = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

describe.skipIf(!hasChromium)('一张图 (the command map)', () => {
  it('draws our grids, cases and POI layers; a click on a case opens it', async () => {
    const leader = await loginAs('leader');
    const from = day(new Date(Date.now() - 29 * 86_400_000));
    const to = day(new Date());
    await leader.goto(`${base}/command/map?from=${from}&to=${to}&poi=enterprise,pollution_source,sensitive_point,monitoring_station,camera`);
    const map = leader.getByTestId('map');
    await expect.poll(() => map.getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
    // our layers: the grids of the street, their load, the cases of the period (clustered), the imported POIs
    await expect.poll(() => map.getAttribute('data-grids')).toMatch(/^[1-9]\d*$/);
    await expect.poll(() => map.getAttribute('data-load')).toBe('true');
    await expect.poll(async () => Number(await map.getAttribute('data-cases')), { timeout: 15_000 }).toBeGreaterThan(0);
    const api = await apiLogin(platform.app, 'leader');
    const pois = (await api.get('/api/poi')).json() as PoiCollection;
    for (const type of POI_TYPES) {
      const n = pois.features.filter((f) => f.properties.type === type).length;
      expect(n, type).toBeGreaterThan(0);
      await expect.poll(() => leader.getByTestId(`cmd-poi-${type}`).textContent()).toMatch(new RegExp(`\\s${n}$`));
    }
    await expect.poll(() => leader.getByTestId('cmd-status').textContent()).toMatch(/\d+/);
    await screenshot(leader, 'command-map');

    // the heatmap and the overdue colouring switch on without errors
    await leader.getByTestId('cmd-heat').click();
    await leader.getByTestId('cmd-grid-mode').getByText('按超期数').click();
    await expect.poll(() => leader.url()).toContain('heat=1');

    // a single case: centre the map on one from the period at street level and click the centre
    const list = (await api.get(`/api/cases?from=${from}&to=${to}&pageSize=1`)).json() as CaseList;
    const target = list.items[0]!;
    await leader.goto(`${base}/command/map?from=${from}&to=${to}&c=${target.lng},${target.lat},17`);
    await expect.poll(() => map.getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
    await expect.poll(async () => Number(await map.getAttribute('data-singles')), { timeout: 15_000 }).toBeGreaterThan(0);
    await leader.locator('[data-testid="map"][data-idle="true"]').waitFor({ timeout: 15_000 });
    await map.click();
    const panel = leader.locator('[data-testid="cmd-panel"][data-kind="case"]');
    await panel.waitFor({ timeout: 10_000 });
    const number = (await leader.getByTestId('panel-case-number').textContent())!.trim();
    expect(number).toMatch(/^\d+$/);
    await screenshot(leader, 'command-map-case');
    await leader.getByTestId('panel-open-case').click();
    await leader.waitForURL(/\/cases\/\d+$/);
    await expect.poll(() => leader.getByTestId('case-number').textContent()).toBe(number);
  });
});
