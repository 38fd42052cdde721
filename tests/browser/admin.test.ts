// User administration in the browser, as a new administrator would do it: 用户管理 → 新建用户, a grid worker with a
// grid picked on the division/grid tree; the temporary password is shown once; the worker logs in with it, must
// change it, then works; the administrator deactivates the account and the worker can no longer log in.
// Writes docs/screenshots/admin-users.png and admin-setup.png (zh-CN).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { openTestPlatform, type TestPlatform } from '../support/platform.js';
import { CHROMIUM, hasChromium, launchChromium, SCREENSHOTS, serve } from '../support/browser.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';

if (!hasChromium) console.warn(`browser test skipped: no chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);

let platform: TestPlatform;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!hasChromium) return;
  platform = await openTestPlatform();
  base = await serve(platform);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

async function loginAs(username: string, password = DEMO_PASSWORD): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${username}] page error:`, err.message));
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}

describe.skipIf(!hasChromium)('user administration in the browser', () => {
  it('creates a grid worker on a grid, who must change the password; then deactivates them', async () => {
    const admin = await loginAs('admin');
    // the demo street is fully set up: the administrator lands on the usual first page, the guide says so
    await admin.waitForURL(/\/cases$/);
    await admin.getByTestId('menu-setup').click();
    await admin.getByTestId('setup-grids').waitFor();
    expect(await admin.getByText('设置已全部完成').count()).toBe(1);

    await admin.getByTestId('menu-users').click();
    await admin.waitForURL(/\/admin\/users$/);
    await admin.getByTestId('user-row-gridworker').waitFor();
    await admin.getByTestId('user-create').click();
    await admin.getByTestId('user-username').fill('wangge9');
    await admin.getByTestId('user-displayName').fill('网格员 新同事');
    // the role defaults to 网格员; pick the second grid of 王回庄社区 on the tree by typing its name
    // The tree filters as it is typed into; on a loaded machine a click can land while the list re-renders, so pick
    // again until the field shows the grid (at most three tries).
    const scopeField = admin.locator('[data-testid="user-scope"]');
    for (let attempt = 0; attempt < 3 && !(await scopeField.innerText()).includes('王回庄社区第2网格'); attempt++) {
      await scopeField.click();
      await admin.keyboard.press('Control+A');
      await admin.keyboard.type('王回庄社区第2网格');
      const node = admin.locator('.ant-select-tree-node-content-wrapper', { hasText: '王回庄社区第2网格' }).first();
      await node.waitFor();
      await admin.waitForTimeout(300); // let the filtered tree settle before the click
      await node.click();
      await admin.waitForTimeout(300);
    }
    expect(await scopeField.innerText()).toContain('王回庄社区第2网格');
    await admin.getByTestId('user-submit').click();
    const temporary = (await admin.getByTestId('temporary-password').innerText()).trim();
    expect(temporary.length).toBeGreaterThanOrEqual(8);
    await admin.getByRole('button', { name: /确\s*定|OK/ }).click();
    // wait for the dialog to go, then search; a search typed while the list still reloads is sent again
    await admin.getByTestId('temporary-password').waitFor({ state: 'detached' });
    const search = admin.getByTestId('user-search').locator('input');
    for (let attempt = 0; attempt < 3; attempt++) {
      await search.fill('新同事');
      await search.press('Enter');
      const found = await admin.getByTestId('user-row-wangge9').waitFor({ timeout: 10_000 }).then(() => true, () => false);
      if (found) break;
    }
    await expect.poll(() => admin.locator('tr[data-testid^="user-row-"]').count(), { timeout: 15_000 }).toBe(1);
    await admin.getByTestId('user-row-wangge9').waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'admin-users.png') });
    const row = await platform.db.selectFrom('users').selectAll().where('username', '=', 'wangge9').executeTakeFirstOrThrow();
    const grid = await platform.db.selectFrom('grids').selectAll().where('code', '=', '37087100500102').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: 'grid_worker', scope_path: grid.path, must_change_password: true });

    // the worker's first login goes to the password page
    const worker = await loginAs('wangge9', temporary);
    await worker.waitForURL(/\/password$/);
    await worker.getByTestId('must-change').waitFor();
    await worker.getByTestId('password-current').fill(temporary);
    await worker.getByTestId('password-new').fill('Wangge9@2026');
    await worker.getByTestId('password-confirm').fill('Wangge9@2026');
    await worker.getByTestId('password-submit').click();
    await worker.waitForURL((url) => !url.pathname.startsWith('/password'));

    // deactivated: the account is gone from the active list and cannot log in again
    await admin.getByTestId('user-deactivate-wangge9').click();
    await admin.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    await expect.poll(async () => (await platform.db.selectFrom('users').select('disabled_at').where('username', '=', 'wangge9').executeTakeFirstOrThrow()).disabled_at).not.toBeNull();
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'wangge9', password: 'Wangge9@2026' }) });
    expect(res.status).toBe(401);

    // the audit log speaks the reader's language: actions and objects by name, not `user.deactivate`
    await admin.getByTestId('menu-audit').click();
    await admin.waitForURL(/\/audit$/);
    await admin.locator('[data-testid="audit-row"]').first().waitFor();
    const auditText = (await admin.locator('[data-testid="audit-row"]').allInnerTexts()).join('\n');
    expect(auditText).toContain('停用用户');
    expect(auditText).not.toMatch(/\b(user|auth|case)\.[a-z_]+\b/);
  });
});
