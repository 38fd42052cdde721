// Grid administration through the web UI, as the administrator: 网格管理 (search a grid in the tree, read its detail,
// move a vertex and have the server check the new boundary), 覆盖检查 on 接庄街道 (the demo street is tiled
// cleanly: no gaps, no overlaps), and the import wizard refusing a file whose grids stick out of their parent
// (every problem listed, nothing imported). Runs the real app on a free port with the built web app (web/dist).
// Writes docs/screenshots/grids-{map,detail,edit,coverage,import}.png (zh-CN).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { openTestPlatform, type TestPlatform } from '../support/platform.js';
import { CHROMIUM, hasChromium, launchChromium, loginAs as openAs, ROOT, SCREENSHOTS, serve } from '../support/browser.js';

const BAD_FILE = path.join(ROOT, 'tests', 'fixtures', 'grids', 'tiles-gap-overlap.geojson');
if (!hasChromium) console.warn(`browser test skipped: no chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);

let platform: TestPlatform;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!hasChromium) return;
  // a few cases give the tree its open-case counts
  platform = await openTestPlatform({ cases: 6 });
  base = await serve(platform);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

function loginAs(username: string): Promise<Page> {
  return openAs(browser, base, username);
}

async function screenshot(page: Page, name: string, mapTestId = 'grid-map'): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 6_000 }).catch(() => {});
  if (await page.getByTestId(mapTestId).count()) {
    await page.locator(`[data-testid="${mapTestId}"][data-idle="true"]`).waitFor({ timeout: 10_000 }).catch(() => {});
  }
  // a sticky header scrolled down would be drawn mid-page in a full-page shot
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** true when MapLibre got WebGL (SwiftShader); otherwise the page shows a notice and the map steps are skipped */
async function mapReady(page: Page, testId: string): Promise<boolean> {
  const map = page.getByTestId(testId);
  await map.waitFor();
  return expect
    .poll(() => map.getAttribute('data-ready'), { timeout: 8_000 })
    .toBe('true')
    .then(() => true)
    .catch(() => false);
}

const t0 = Date.now();
const step = (name: string) => process.env.GW_TEST_TIMING && console.log(`${((Date.now() - t0) / 1000).toFixed(1)}s ${name}`);

describe.skipIf(!hasChromium)('grid administration in the browser', () => {
  it('tree and detail, boundary check, coverage of 接庄街道, a refused import', async () => {
    const admin = await loginAs('admin');

    step('网格管理: the tree, a search, the detail');
    await admin.getByTestId('menu-grids').click();
    await admin.waitForURL(/\/grids$/);
    const withMap = await mapReady(admin, 'grid-map');
    await admin.locator('[data-testid="grid-tree-node"]').first().waitFor();
    // B and C grids hang under the street, A grids under the communities
    expect(await admin.locator('[data-testid="grid-tree-node"]', { hasText: '环保专业网格' }).count()).toBe(1);
    await screenshot(admin, 'grids-map');

    await admin.getByTestId('grid-search').locator('input').fill('接庄社区第1');
    await expect.poll(() => admin.getByTestId('grid-search-count').textContent()).toContain('1');
    await admin.locator('[data-testid="grid-tree-node"]', { hasText: '接庄社区第1网格' }).click();
    await admin.waitForURL(/\/grids\?id=\d+$/);
    const detail = admin.getByTestId('grid-detail');
    await expect.poll(() => detail.getAttribute('data-code')).toBe('37087100500201');
    expect(await admin.getByTestId('grid-detail-name').textContent()).toBe('接庄社区第1网格');
    expect(await admin.getByTestId('grid-detail-class').textContent()).toContain('A 类网格');
    expect(await admin.getByTestId('grid-open-cases').getAttribute('href')).toMatch(/^\/cases\?gridId=\d+$/);
    await admin.getByRole('tab', { name: /版本历史/ }).click();
    expect(await admin.getByTestId('grid-version-row').count()).toBeGreaterThanOrEqual(1);
    // a 网格员 added here shows with the phone masked
    await admin.getByRole('tab', { name: /人员/ }).click();
    await admin.getByTestId('grid-person-add').click();
    await admin.getByTestId('grid-person-name').fill('王晓明');
    await admin.getByTestId('grid-person-phone').fill('13912345678');
    await admin.getByTestId('grid-person-submit').click();
    const person = admin.locator('[data-testid="grid-person-row"]', { hasText: '王晓明' });
    await person.waitFor();
    expect(await person.textContent()).toContain('139****5678');
    expect(await person.textContent()).toContain('网格员');
    await screenshot(admin, 'grids-detail');

    if (withMap) {
      step('boundary editing: drag a vertex out of the community, the server refuses it');
      await admin.getByTestId('grid-edit-vertices').click();
      await admin.locator('[data-testid="grid-map"][data-editing="vertices"]').waitFor();
      const vertex = admin.locator('[data-testid="edit-vertex"]').first();
      await vertex.waitFor();
      const box = (await vertex.boundingBox())!;
      // the first vertex is the south-west corner, on the community's edge: pull it further south-west
      await admin.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await admin.mouse.down();
      await admin.mouse.move(box.x - 30, box.y + 40, { steps: 6 });
      await admin.mouse.up();
      await admin.getByTestId('grid-edit-check').click();
      const problems = admin.locator('[data-testid="grid-edit-problems"] [data-testid="problem-row"]');
      await problems.first().waitFor();
      expect(await problems.first().getAttribute('data-code')).toBe('outside_parent');
      expect(await admin.getByTestId('grid-edit-save').isDisabled()).toBe(true);
      await screenshot(admin, 'grids-edit');
      await admin.getByTestId('grid-edit-cancel').click();
      await admin.getByTestId('grid-edit-bar').waitFor({ state: 'detached' });
    }

    step('覆盖检查 on 接庄街道');
    await admin.getByTestId('grids-to-coverage').click();
    await admin.waitForURL(/\/grids\/coverage/);
    // the parent defaults to the street
    await expect.poll(() => admin.getByTestId('coverage-parent').textContent()).toContain('接庄街道');
    await admin.getByTestId('coverage-run').click();
    const result = admin.getByTestId('coverage-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.getAttribute('data-gaps')).toBe('0');
    expect(await result.getAttribute('data-overlaps')).toBe('0');
    expect(await result.textContent()).toContain('无缝隙、全覆盖');
    await admin.getByTestId('coverage-empty').waitFor();
    expect(await admin.getByTestId('coverage-row').count()).toBe(0);
    await screenshot(admin, 'grids-coverage', 'coverage-map');

    step('网格导入: a file whose grids stick out of their community');
    await admin.goto(`${base}/grids/import`);
    await admin.locator('[data-testid="grid-import-file"] input[type="file"]').setInputFiles(BAD_FILE);
    await admin.getByTestId('grid-import-chosen').waitFor();
    await admin.getByTestId('grid-import-crs-WGS84').click();
    await admin.getByTestId('grid-import-check').click();
    await admin.getByTestId('grid-import-errors').waitFor({ timeout: 20_000 });
    expect(await admin.getByTestId('phase-reading').getAttribute('data-status')).toBe('done');
    expect(await admin.getByTestId('phase-validating').getAttribute('data-status')).toBe('error');
    const rows = admin.locator('[data-testid="grid-import-problems"] [data-testid="problem-row"]');
    expect(await rows.count()).toBeGreaterThan(0);
    const first = rows.first();
    expect(await first.getAttribute('data-code')).toBe('outside_parent');
    // feature number, grid code, problem code, and the reason in the user's language
    const cells = await first.locator('td').allTextContents();
    expect(cells[0]).toBe('1');
    expect(cells[1]).toMatch(/^370871005\d+$/);
    expect(cells[3]).toContain('超出上级');
    expect(await admin.getByTestId('grid-import-go').count()).toBe(0);
    if (withMap) await admin.locator('[data-testid="grid-import-map"][data-ready="true"]').waitFor();
    await screenshot(admin, 'grids-import', 'grid-import-map');
  }, 90_000);
});
