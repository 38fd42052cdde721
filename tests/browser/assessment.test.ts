// Assessment in the browser (issue 15): a leader opens last month's community ranking, sees the 红榜 and 黑榜,
// publishes it and downloads the .xlsx; the ranking's history shows translated state and move names (never the raw
// 'draft'); then drafts the month's situation report, writes 下步工作, issues it and downloads the .docx. Writes
// screenshots to the scratch folder (npm run screenshots: docs/screenshots).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { login as apiLogin, openTestPlatform, type TestPlatform } from '../support/platform.js';
import { hasChromium, launchChromium, SCREENSHOTS, serve } from '../support/browser.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import { shanghaiDay } from '../../src/domain/stats/stats.js';

let platform: TestPlatform;
let browser: Browser;
let base: string;

beforeAll(async () => {
  // the demo street with cases over the past 90 days: last month has enough accepted cases per community to rank
  platform = await openTestPlatform({ cases: 250 });
  base = await serve(platform);
  browser = await launchChromium();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

const lastMonth = () => {
  const d = new Date(`${shanghaiDay(new Date()).slice(0, 7)}-15T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
};
/** The raw state and move words of the ranking and report lifecycles, which the zh-CN page must never show. */
const RAW = /\b(draft|published|corrected|discarded|recompute|publish|issued|issue)\b/;

describe.skipIf(!hasChromium)('assessment in the browser', () => {
  it('ranking with 红榜/黑榜 published and downloaded (.xlsx); report drafted, 下步工作 written, issued and downloaded (.docx)', async () => {
    const month = lastMonth();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[assessment] page error:', err.message));
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill('leader');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 20_000 });

    await page.goto(`${base}/assessment`);
    await page.getByTestId('ranking-period').fill(month);
    await page.getByTestId('ranking-draft').click();
    const detail = page.getByTestId('ranking-detail');
    await detail.waitFor({ timeout: 30_000 });
    await expect.poll(async () => detail.locator('.ant-tag').filter({ hasText: '红榜' }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(async () => detail.locator('.ant-tag').filter({ hasText: '黑榜' }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await detail.locator('.ant-card-head').innerText()).includes('草稿'), { timeout: 20_000 }).toBe(true);

    await page.getByTestId('ranking-move-publish').click();
    await expect.poll(async () => (await detail.locator('.ant-card-head').innerText()).includes('已发布'), { timeout: 30_000 }).toBe(true);
    // the history: the edition list, the edition chips and the timeline in Chinese
    await expect.poll(async () => page.getByTestId('ranking-history-item').first().innerText(), { timeout: 20_000 }).toContain('已发布');
    const history = [await page.getByTestId('ranking-history-item').allInnerTexts(), await page.getByTestId('ranking-editions').innerText(), await page.getByTestId('ranking-timeline').innerText()].join('\n');
    expect(history).toContain('第 1 版');
    expect(history).toContain('起草');
    expect(history).toContain('发布');
    expect(history).not.toMatch(RAW);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'assessment-ranking.png'), fullPage: false });

    // the .xlsx holds the screen's units and boards
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId('ranking-export').click()]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await streamToBuffer(await download.createReadStream())) as never);
    const cells = book.worksheets[0]!.getSheetValues().flat().map((v) => String(v ?? ''));
    const shownNames = await detail.locator('.ant-table-tbody tr td:nth-child(2)').allInnerTexts();
    expect(shownNames.length).toBeGreaterThan(2);
    for (const name of shownNames) expect(cells).toContain(name);
    expect(cells).toContain('红榜');
    expect(cells).toContain('黑榜');

    // the situation report: draft, 下步工作, save, issue, .docx
    await page.getByRole('tab', { name: '情况汇报' }).click();
    await page.getByTestId('report-period').fill(month);
    await page.getByTestId('report-draft').click();
    const report = page.getByTestId('report-detail');
    await report.waitFor({ timeout: 60_000 });
    const nextSteps = '一是继续压降超期案件；二是开展消防隐患专项整治（浏览器测试）。';
    await page.getByTestId('report-next-steps').fill(nextSteps);
    await page.getByTestId('report-save').click();
    await expect.poll(async () => page.getByTestId('report-next-steps').inputValue(), { timeout: 20_000 }).toBe(nextSteps);
    await expect.poll(async () => (await report.getByTestId('report-hazards').innerText()).includes('按期整改率'), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('report-move-issue').click();
    await expect.poll(async () => (await report.locator('.ant-card-head').innerText()).includes('已印发'), { timeout: 60_000 }).toBe(true);
    expect(await page.getByTestId('report-next-steps').isDisabled()).toBe(true);
    expect(await report.locator('.ant-card-head').innerText()).not.toMatch(RAW);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'assessment-report-page.png'), fullPage: false });

    const [doc] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('report-docx').click()]);
    const zip = await JSZip.loadAsync(await streamToBuffer(await doc.createReadStream()));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain(nextSteps);
    expect(xml).toContain('四、隐患整改');
    expect(xml).toContain('六、下步工作');
    expect(xml).not.toContain('（草稿）');
    // the charts: the category bar chart and the hot-spot map
    expect(Object.keys(zip.files).filter((f) => f.startsWith('word/media/')).length).toBe(2);

    // the API agrees: the report issued with the leader's text
    const leader = await apiLogin(platform.app, 'leader');
    const list = (await leader.get(`/api/reports?period=${month}`)).json() as { id: number; state: string }[];
    expect(list.map((r) => r.state)).toContain('issued');
    await context.close();
  }, 600_000);
});

async function streamToBuffer(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}
