// The monthly situation report (情况汇报): drafted from the data, edited, issued (its numbers kept), downloaded as
// .docx; LibreOffice opens it (converted to PDF and HTML headless) and its tables hold the API's numbers — the
// month's totals equal the dashboard's, the ranking table equals a ranking computed through the API.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIndicator } from '../../src/domain/assessment/indicators.js';
import { monthEnd } from '../../src/domain/stats/stats.js';
import { shanghaiDay } from '../../src/domain/stats/stats.js';
import { ok, openWorld, refused, type World } from '../support/factories.js';

let w: World;
let tmp: string;
beforeAll(async () => {
  w = await openWorld(['leader', 'operator', 'gridworker'], { cases: 150 });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'gridwork-report-'));
}, 300_000);
afterAll(async () => {
  await w?.p.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const lastMonth = () => {
  const d = new Date(`${shanghaiDay(new Date()).slice(0, 7)}-15T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
};

/** LibreOffice, headless, with its own profile (other processes may run it at the same time). */
async function soffice(file: string, to: string): Promise<string> {
  const profile = path.join(tmp, 'lo-profile');
  await promisify(execFile)('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', to, '--outdir', tmp, file], { timeout: 180_000 });
  return path.join(tmp, `${path.basename(file, '.docx')}.${to.split(':')[0]}`);
}

/** The tables of an HTML document as rows of cell texts. */
function tablesOf(html: string): string[][][] {
  const text = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
  return [...html.matchAll(/<table[\s\S]*?<\/table>/gi)].map((t) => [...t[0].matchAll(/<tr[\s\S]*?<\/tr>/gi)].map((r) => [...r[0].matchAll(/<t[dh][\s\S]*?<\/t[dh]>/gi)].map((c) => text(c[0]))));
}

describe('monthly situation report', () => {
  it('drafted, edited, issued with its numbers; the .docx opens in LibreOffice and its tables hold the API numbers', async () => {
    const m = lastMonth();
    const draft = ok(await w.u.operator!.post('/api/reports', { period: m }), 201);
    expect(draft.state).toBe('draft');
    expect(draft.sections.nextSteps).toBe('');
    expect(draft.allowedMoves).toEqual(['edit', 'discard']);
    const edited = ok(await w.u.leader!.post(`/api/reports/${draft.id}/moves/edit`, { version: draft.version, nextSteps: '一是加强巡查。\n二是压实部门责任。', remarks: '总体平稳。' }));
    expect(edited.sections).toEqual({ remarks: '总体平稳。', nextSteps: '一是加强巡查。\n二是压实部门责任。' });
    const issued = ok(await w.u.leader!.post(`/api/reports/${draft.id}/moves/issue`, { version: edited.version }));
    expect(issued.state).toBe('issued');
    refused(await w.u.leader!.post(`/api/reports/${draft.id}/moves/edit`, { version: issued.version, remarks: 'x' }), 409, 'move_not_allowed_in_state');

    // the month's totals equal the dashboard's for the same scope and days
    const stats = ok(await w.u.leader!.get(`/api/stats/summary?from=${m}-01&to=${monthEnd(`${m}-01`)}`));
    const get = (id: string) => issued.numbers.overall.find((o: { indicator: string }) => o.indicator === id);
    expect(get('reported').current).toBe(stats.totals.reported.value);
    expect(get('closed').current).toBe(stats.totals.closed.value);
    expect(get('on_time_rate').current).toBe(stats.rates.onTime.value);
    expect(get('reported').current).toBeGreaterThan(0);

    const res = await w.u.leader!.get(`/api/reports/${draft.id}/docx`);
    expect(res.statusCode).toBe(200);
    const file = path.join(tmp, 'report.docx');
    writeFileSync(file, res.rawPayload);
    const pdf = await soffice(file, 'pdf');
    expect(statSync(pdf).size).toBeGreaterThan(10_000);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const tables = tablesOf(readFileSync(await soffice(file, 'html'), 'utf8'));
    expect(tables.length).toBe(5);
    const [overall, categories, overdue, hazards, ranking] = tables as [string[][], string[][], string[][], string[][], string[][]];
    const row = (t: string[][], name: string) => t.find((r) => r[0] === name)!;
    expect(row(overall, '上报数')[1]).toBe(String(stats.totals.reported.value));
    expect(row(overall, '结案数')[1]).toBe(String(stats.totals.closed.value));
    expect(row(overall, '按期处置率')[1]).toBe(formatIndicator('on_time_rate', stats.rates.onTime.value));
    expect(row(overall, '满意率')[1]).toBe(formatIndicator('satisfaction_rate', stats.rates.satisfaction.value));
    expect(categories.length - 1).toBe(issued.numbers.topCategories.length);
    expect(overdue.map((r) => r[1])).toEqual(['件数', ...[issued.numbers.overdue.handledLate, issued.numbers.overdue.openOverdue, issued.numbers.overdue.supervised].map(String)]);
    // 隐患整改: the kept numbers, printed as the API gives them
    const h = issued.numbers.hazards;
    expect(hazards.slice(1).map((r) => r[1])).toEqual([h.found, h.major, h.rectified, h.handedOver, h.due, h.onTime].map(String).concat([formatIndicator('hazard_on_time_rate', h.rate), String(h.open), String(h.overdue)]));
    // 主要问题 carries two pictures: the category chart and the hot-spot map over the street's grids
    expect(issued.numbers.hotSpots.length).toBeGreaterThan(10);
    // every case reported in the month lies in one of the grids, except those outside every grid (not on the map)
    const mapped = issued.numbers.hotSpots.reduce((a: number, g: { count: number }) => a + g.count, 0);
    expect(mapped).toBeGreaterThan(0);
    expect(mapped).toBeLessThanOrEqual(stats.totals.reported.value);
    const zip = await JSZip.loadAsync(readFileSync(file));
    expect(Object.keys(zip.files).filter((f) => f.startsWith('word/media/')).length).toBe(2);
    // the ranking table equals the community ranking computed through the API now
    const computed = ok(await w.u.leader!.post('/api/assessment/rankings', { period: m, unit: 'community' }), 201);
    expect(ranking.slice(1).map((r) => [r[1], r[2]])).toEqual(computed.rows.map((r: { name: string; score: number | null }) => [r.name, r.score == null ? '—' : String(r.score)]));
  }, 300_000);
});
