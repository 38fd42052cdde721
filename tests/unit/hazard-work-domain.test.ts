// The pure rules of issue 14's second part: which checklist fits an enterprise, which months may be planned and how
// progress adds up; the deadline's colour and who hears of it; the notice's paragraphs; the enterprise ledgers' rows;
// and the shape of ExcelJS's sheet stream the ledger writer relies on for backpressure.
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { byCommunity, monthSpan, plannableMonth, progress, templateFor } from '../../src/domain/hazards/plans.js';
import { hazardDeadlineAudience, hazardWarningAt } from '../../src/domain/hazards/deadlines.js';
import { noticeParagraphs } from '../../src/domain/hazards/notice.js';
import { ENTERPRISE_LEDGERS, LEDGERS } from '../../src/domain/hazards/ledgers.js';
import { decideHazardMove, allowedHazardMoves } from '../../src/domain/hazards/lifecycle.js';
import { sheetBacklog } from '../../src/services/hazards/ledger-xlsx.js';

describe('inspection plans', () => {
  const templates = [
    { id: 1, industry: '通用' },
    { id: 2, industry: 'C' },
    { id: 3, industry: 'C29' },
    { id: 4, industry: '燃气零售' },
  ];
  it('the longest industry-code prefix wins, then the industry name, else the general checklist', () => {
    expect(templateFor({ industry_code: 'C2929', industry_name: null }, templates)).toBe(3);
    expect(templateFor({ industry_code: 'C3484', industry_name: null }, templates)).toBe(2);
    expect(templateFor({ industry_code: 'F5265', industry_name: '燃气零售' }, templates)).toBe(4);
    expect(templateFor({ industry_code: 'F5212', industry_name: '超级市场零售' }, templates)).toBe(1);
    expect(templateFor({ industry_code: null, industry_name: null }, [{ id: 9, industry: 'C29' }])).toBeNull();
  });
  it('plans last month to a year ahead; a month spans Beijing midnights; progress sums per community', () => {
    const now = new Date('2026-03-31T17:00:00Z'); // 2026-04-01 01:00 in Beijing
    expect(plannableMonth('2026-03', now)).toBe(true);
    expect(plannableMonth('2026-02', now)).toBe(false);
    expect(plannableMonth('2027-04', now)).toBe(true);
    expect(plannableMonth('2027-05', now)).toBe(false);
    expect(plannableMonth('2026-13', now)).toBe(false);
    expect(monthSpan('2026-12')).toEqual({ start: new Date('2026-11-30T16:00:00Z'), end: new Date('2026-12-31T16:00:00Z') });
    expect(progress(1, 3)).toEqual({ done: 1, total: 3, percent: 33 });
    expect(progress(0, 0).percent).toBe(0);
    expect(byCommunity([{ communityName: '王回庄社区', done: 1, total: 2 }, { communityName: '王回庄社区', done: 2, total: 2 }, { communityName: null, done: 0, total: 1 }])).toEqual([
      { communityName: '—', done: 0, total: 1, percent: 0 },
      { communityName: '王回庄社区', done: 3, total: 4, percent: 75 },
    ]);
  });
});

describe('deadline colours', () => {
  const h = { state: 'rectifying' as const, warn_at: new Date('2026-03-05T01:00:00Z'), deadline: new Date('2026-03-06T09:30:00Z') };
  it('none before the warning instant, yellow after, red at the deadline; only while the deadline runs', () => {
    expect(hazardWarningAt(new Date('2026-03-05T00:59:59Z'), h)).toBe('none');
    expect(hazardWarningAt(h.warn_at, h)).toBe('yellow');
    expect(hazardWarningAt(h.deadline, h)).toBe('red');
    expect(hazardWarningAt(h.deadline, { ...h, state: 'passed' })).toBe('none');
    expect(hazardWarningAt(h.deadline, { ...h, state: 'closed' })).toBe('none');
    expect(hazardWarningAt(h.deadline, { ...h, state: 'failed' })).toBe('red');
  });
  it('yellow tells the issuer and grid workers; red the operators too, and for 重大 the leaders', () => {
    expect(hazardDeadlineAudience(1, 'major').roles).toEqual(['grid_worker']);
    expect(hazardDeadlineAudience(2, 'general').roles).toEqual(['grid_worker', 'operator']);
    expect(hazardDeadlineAudience(2, 'major').roles).toContain('leader');
  });
});

describe('the receipt in the hazard lifecycle', () => {
  const now = new Date('2026-03-02T01:00:00Z');
  it('recording a receipt needs the file (or a photo of it); a hand-over needs a receipt on record', () => {
    expect(() => decideHazardMove('record_receipt', 'grid_worker', { state: 'rectifying', grade: 'general' }, {}, now)).toThrow(expect.objectContaining({ code: 'hazard_receipt_missing' }));
    expect(decideHazardMove('record_receipt', 'grid_worker', { state: 'rectifying', grade: 'general' }, { receiptFile: 'a'.repeat(64) }, now).to).toBe('rectifying');
    const input = { note: '拒不整改', departmentId: 3 };
    expect(() => decideHazardMove('hand_over', 'operator', { state: 'failed', grade: 'general', receipted: false }, input, now)).toThrow(expect.objectContaining({ code: 'hazard_needs_receipt' }));
    expect(decideHazardMove('hand_over', 'operator', { state: 'failed', grade: 'general', receipted: true }, input, now).to).toBe('handed_over');
    expect(allowedHazardMoves('operator', { state: 'failed', grade: 'general', receipted: false }, now)).not.toContain('hand_over');
  });
});

describe('notice and ledgers', () => {
  it('the notice paragraphs carry the number, the finding and the deadline', () => {
    const paras = noticeParagraphs({
      number: '接庄安〔2026〕第037号',
      enterpriseName: '济宁鑫源塑料制品厂',
      creditCode: '91370800MA3C000011',
      address: '',
      hazardNumber: 'YH20260302000001',
      grade: '一般',
      type: '消防',
      description: '消防通道被货物堵塞',
      issuedAt: new Date('2026-03-02T01:00:00Z'),
      deadline: new Date('2026-03-09T09:30:00Z'),
      issuerName: '接庄街道（接庄安）',
    });
    expect(paras[0]).toMatchObject({ text: '隐患整改通知书', role: 'title', align: 'center' });
    expect(paras[1]!.text).toBe('接庄安〔2026〕第037号');
    expect(paras.map((p) => p.text).join('')).toContain('2026年3月9日前整改完毕');
  });
  it('every ledger has a width for 序号 and each column, and the rows are as wide as the columns', () => {
    for (const def of [...Object.values(LEDGERS), ...Object.values(ENTERPRISE_LEDGERS)]) expect(def.widths).toHaveLength(def.columns.length + 1);
    const e = {
      name: '某厂', credit_code: 'X', industry_code: 'C2929', industry_name: '塑料', grid_name: '第1网格', department_names: '安监办', risk_level: 'high' as const, status: 'operating' as const,
      watch_reason: '夜间偷排', watch_review_on: '2026-03-20', contact: '张三', inspections: '2', hazards: 3, major_hazards: null, open_hazards: '1', last_inspected_at: new Date('2026-03-02T17:00:00Z'),
    };
    const industry = ENTERPRISE_LEDGERS.industry.row(e);
    expect(industry).toHaveLength(ENTERPRISE_LEDGERS.industry.columns.length);
    expect(industry).toEqual(['C2929 塑料', '某厂', 'X', '第1网格', '安监办', '高', '在营', '2', '3', '0', '1', '2026-03-03']);
    const watch = ENTERPRISE_LEDGERS.watch.row(e);
    expect(watch).toHaveLength(ENTERPRISE_LEDGERS.watch.columns.length);
    expect(watch[ENTERPRISE_LEDGERS.watch.columns.indexOf('复查日期')]).toBe('2026-03-20');
  });
});

describe('ExcelJS sheet stream', () => {
  it('a worksheet writer pipes its XML through a stream whose backlog the ledger writer can watch', async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: new Writable({ write: (_c, _e, cb) => cb() }), useStyles: true, useSharedStrings: false });
    const ws = wb.addWorksheet('x');
    ws.addRow(['a']).commit();
    // archiver attaches its stream when its queue reaches the sheet
    await new Promise((r) => setTimeout(r, 50));
    const backlog = sheetBacklog(ws);
    expect(backlog).not.toBeNull();
    expect(typeof backlog!.bytes()).toBe('number');
  });
});
