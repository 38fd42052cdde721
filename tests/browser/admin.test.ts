// User administration in the browser, as a new administrator would do it: 用户管理 → 新建用户, a grid worker with two
// grids (in two communities) picked on the division/grid tree; the temporary password is shown once; the worker logs
// in with it, must change it, then sees exactly those two grids' cases; the administrator deactivates the account
// after handing its grids (and their open cases) to another grid worker, and the worker can no longer log in.
// Writes docs/screenshots/admin-users.png and admin-setup.png (zh-CN).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { type Browser, type Page } from 'playwright-core';
import { openTestPlatform, type TestPlatform } from '../support/platform.js';
import { CHROMIUM, hasChromium, launchChromium, SCREENSHOTS, serve } from '../support/browser.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import { createUserByAdmin, setUserLocked } from '../../src/services/admin-users.js';

if (!hasChromium) console.warn(`browser test skipped: no chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);

/** The two grids the new worker is given, in two communities. */
const GRID_NAMES = ['王回庄社区第2网格', '接庄社区第3网格'];
const GRID_CODES = ['37087100500102', '37087100500203'];

let platform: TestPlatform;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!hasChromium) return;
  platform = await openTestPlatform({ cases: 60 }); // cases in every grid, so "exactly those grids' cases" is not vacuous
  base = await serve(platform);
  browser = await launchChromium();
}, 300_000); // seeding 60 cases through the workflow takes minutes on a loaded machine

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

async function loginAs(username: string, password = DEMO_PASSWORD): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(30_000);
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
  it('creates a grid worker for two grids, who must change the password and sees exactly their cases; then hands them over and deactivates', async () => {
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
    // the role defaults to 网格员, whose picker takes several grids: the second grid of 王回庄社区 and the third of
    // 接庄社区, each found on the tree by typing its name. The tree filters as it is typed into; on a loaded machine a
    // click can land while the list re-renders, so pick again until the field shows the grid (at most three tries).
    const scopeField = admin.locator('[data-testid="user-scope"]');
    for (const name of GRID_NAMES) {
      for (let attempt = 0; attempt < 3 && !(await scopeField.innerText()).includes(name); attempt++) {
        await scopeField.click();
        await admin.keyboard.type(name);
        const node = admin.locator('.ant-select-tree-node-content-wrapper', { hasText: name }).first();
        await node.waitFor();
        await admin.waitForTimeout(300); // let the filtered tree settle before the click
        await node.click();
        await admin.waitForTimeout(300);
      }
      expect(await scopeField.innerText()).toContain(name);
    }
    await admin.keyboard.press('Escape');
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
    const grids = await platform.db.selectFrom('grids').selectAll().where('code', 'in', GRID_CODES).orderBy('path').execute();
    expect(row).toMatchObject({ role: 'grid_worker', scope_paths: grids.map((g) => g.path), must_change_password: true });

    // the worker's first login goes to the password page
    const worker = await loginAs('wangge9', temporary);
    await worker.waitForURL(/\/password$/);
    await worker.getByTestId('must-change').waitFor();
    await worker.getByTestId('password-current').fill(temporary);
    await worker.getByTestId('password-new').fill('Wangge9@2026');
    await worker.getByTestId('password-confirm').fill('Wangge9@2026');
    await worker.getByTestId('password-submit').click();
    await worker.waitForURL((url) => !url.pathname.startsWith('/password'));

    // the worker's case list: exactly the cases of its two grids — the number on the screen, the API's total and a
    // plain count over the two grids' paths agree (the new worker has reported nothing of its own)
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM cases c
      WHERE EXISTS (SELECT 1 FROM unnest(${grids.map((g) => g.path)}::text[]) p WHERE starts_with(c.area_path, p))
         OR c.responsible_grid_id IN (SELECT g.id FROM grids g WHERE EXISTS (SELECT 1 FROM unnest(${grids.map((g) => g.path)}::text[]) p WHERE starts_with(g.path, p)))`.execute(platform.db);
    const inGrids = rows[0]!.n;
    expect(inGrids).toBeGreaterThan(0);
    const api = (await (await worker.request.get(`${base}/api/cases?pageSize=1&count=exact`)).json()) as { total: number };
    expect(api.total).toBe(inGrids);
    await worker.goto(`${base}/cases`);
    await expect.poll(async () => Number((await worker.getByTestId('list-total').first().innerText()).replace(/[^0-9]/g, '')), { timeout: 15_000 }).toBe(inGrids);

    // the worker reports in its second grid: an open case there, which must not be left without a grid worker
    const session = (await (await worker.request.get(`${base}/api/auth/session`)).json()) as { csrfToken: string };
    const category = await platform.db.selectFrom('categories').select('id').where('code', '=', '0101').executeTakeFirstOrThrow();
    const reported = await worker.request.post(`${base}/api/cases`, {
      headers: { 'x-csrf-token': session.csrfToken },
      data: { lng: grids[1]!.label_lng, lat: grids[1]!.label_lat, categoryId: category.id, description: '路边堆放生活垃圾，散发异味', address: '崇文大道18号附近' },
    });
    expect(reported.status()).toBe(201);

    // deactivation lists the two grids and their open cases and is held until they go to another grid worker
    await admin.getByTestId('user-deactivate-wangge9').click();
    await admin.getByTestId('user-deactivate-reason').waitFor();
    expect(await admin.getByTestId('user-task-grid').count()).toBe(2);
    expect(await admin.getByTestId('user-deactivate-confirm').isDisabled()).toBe(true);
    await admin.getByTestId('user-successor').click();
    await admin.keyboard.type('gridworker2');
    await admin.locator('.ant-select-item-option', { hasText: 'gridworker2' }).first().click();
    await admin.getByTestId('user-deactivate-confirm').click();
    await expect.poll(async () => (await platform.db.selectFrom('users').select('disabled_at').where('username', '=', 'wangge9').executeTakeFirstOrThrow()).disabled_at, { timeout: 20_000 }).not.toBeNull();
    const successor = await platform.db.selectFrom('users').select('scope_paths').where('username', '=', 'gridworker2').executeTakeFirstOrThrow();
    for (const g of grids) expect(successor.scope_paths).toContain(g.path);
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'wangge9', password: 'Wangge9@2026' }) });
    expect(res.status).toBe(401);

    // the audit log speaks the reader's language: actions and objects by name, not `user.deactivate`
    await admin.getByTestId('menu-audit').click();
    await admin.waitForURL(/\/audit$/);
    await admin.locator('[data-testid="audit-row"]').first().waitFor();
    const auditText = (await admin.locator('[data-testid="audit-row"]').allInnerTexts()).join('\n');
    expect(auditText).toContain('停用用户');
    expect(auditText).not.toMatch(/\b(user|auth|case)\.[a-z_]+\b/);
  }, 240_000);

  it('keeps departments (contacts, retire with the open work orders listed, merge) and categories (retire, then not offered at report time); a refused export says why in the page', async () => {
    const admin = await loginAs('admin');
    await admin.waitForURL(/\/cases$/);
    await admin.goto(`${base}/admin/departments`);

    // contacts: a bad phone is refused in the dialog, nothing saved; a good one is listed
    await admin.getByTestId('department-contacts-SJ').click();
    const contactRows = admin.getByTestId('contact-name');
    const before = await contactRows.count();
    await admin.getByTestId('contact-add').click();
    await contactRows.nth(before).fill('市场监管 值班');
    await admin.getByTestId('contact-phone').nth(before).fill('12345');
    await admin.getByTestId('contacts-save').click();
    await expect.poll(() => admin.getByTestId('contacts-error').innerText(), { timeout: 20_000 }).toContain('不正确');
    await admin.getByTestId('contact-phone').nth(before).fill('0537-3216549');
    await admin.getByTestId('contacts-save').click();
    await expect.poll(() => admin.getByTestId('department-row-SJ').innerText(), { timeout: 20_000 }).toContain('0537-3216549');

    // retiring 城管 lists its open work orders first and is held; merging it into 住建 takes them along
    const open = await platform.db.selectFrom('cases').select(['number']).where('department_id', '=', (await platform.db.selectFrom('departments').select('id').where('code', '=', 'CG').executeTakeFirstOrThrow()).id).where('state', 'in', ['dispatched', 'in_progress', 'suspended']).execute();
    expect(open.length).toBeGreaterThan(0);
    await admin.getByTestId('department-retire-CG').click();
    await expect.poll(() => admin.getByTestId('department-retire-note').innerText(), { timeout: 20_000 }).toContain(`${open.length} 个未办结工单`);
    await expect.poll(() => admin.getByTestId('department-work-orders').innerText(), { timeout: 20_000 }).toContain(open[0]!.number);
    expect(await admin.getByTestId('department-retire-confirm').isDisabled()).toBe(true);
    await admin.getByTestId('department-retire-merge').click();
    await admin.getByTestId('department-merge-into').click();
    await admin.locator('.ant-select-item-option', { hasText: '住建办' }).first().click();
    await admin.getByTestId('department-merge-confirm').click();
    await expect.poll(() => admin.getByTestId('department-row-CG').innerText(), { timeout: 20_000 }).toContain('已撤销');
    const zj = await platform.db.selectFrom('departments').select('id').where('code', '=', 'ZJ').executeTakeFirstOrThrow();
    const movedCases = await platform.db.selectFrom('cases').select(['department_id']).where('number', 'in', open.map((o) => o.number)).execute();
    expect(movedCases.every((c) => c.department_id === zj.id)).toBe(true);
    expect((await platform.db.selectFrom('users').select('department_id').where('username', '=', 'chengguan').executeTakeFirstOrThrow()).department_id).toBe(zj.id);

    // a category retired in 分类与时限 is no longer offered when reporting
    const leaf = await platform.db.selectFrom('categories').select(['id', 'name', 'code']).where('code', '=', '0102').executeTakeFirstOrThrow();
    await admin.goto(`${base}/admin/categories`);
    await admin.getByTestId(`category-retire-${leaf.code}`).click();
    await admin.getByTestId('category-retire-confirm').click();
    await admin.getByTestId(`category-retired-${leaf.code}`).waitFor({ timeout: 20_000 });
    const worker = await loginAs('gridworker');
    await worker.goto(`${base}/report`);
    // the search finds a category still in use, and not the retired one
    const sibling = await platform.db.selectFrom('categories').select('name').where('code', '=', '0101').executeTakeFirstOrThrow();
    const offeredFor = async (text: string) => {
      await worker.getByTestId('report-category').click();
      await worker.keyboard.type(text);
      await worker.waitForTimeout(800);
      const names = await worker.locator('.ant-select-tree-node-content-wrapper').allInnerTexts();
      await worker.keyboard.press('Escape');
      return names.map((n) => n.trim());
    };
    await expect.poll(() => offeredFor(sibling.name), { timeout: 20_000 }).toContain(sibling.name);
    expect(await offeredFor(leaf.name)).not.toContain(leaf.name);
    expect(await platform.db.selectFrom('categories').select('retired_at').where('id', '=', leaf.id).executeTakeFirstOrThrow()).toMatchObject({ retired_at: expect.any(Date) });

    // an export refused by the server (here: the session was ended by another administrator) shows the message in the
    // page; no JSON error is saved as a file
    await admin.goto(`${base}/admin/users`);
    await admin.getByTestId('user-export').waitFor();
    const me = await platform.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
    const other = await createUserByAdmin({ db: platform.db, actor: { id: me.id, role: 'admin', scopePaths: [], departmentId: null }, ip: null, now: new Date() }, { username: 'admin9', displayName: '管理员 九', role: 'admin' });
    await setUserLocked({ db: platform.db, actor: { id: other.user.id, role: 'admin', scopePaths: [], departmentId: null }, ip: null, now: new Date() }, me.id, true);
    let downloaded = false;
    admin.on('download', () => {
      downloaded = true;
    });
    await admin.getByTestId('user-export').click();
    await expect.poll(() => admin.locator('.ant-message-notice').allInnerTexts().then((t) => t.join('\n')), { timeout: 20_000 }).toContain('请先登录');
    expect(downloaded).toBe(false);
  }, 240_000);
});
