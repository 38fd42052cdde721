// Enterprises, hazards and ledgers through the API on a real database: a wrong credit code is refused naming the
// field with nothing written; a hazard goes found → notice (numbered per issuer and year, deadline in working days)
// → receipt → re-inspection → 销号, every move audited; a 重大 hazard needs a leader to close out; a failed
// re-inspection is handed to law enforcement and opens a dispatched case linked both ways; scope holds in the
// query; the ledgers list and export the same rows; the .docx notice and the .xlsx ledger open in LibreOffice.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckChar } from '../../src/domain/hazards/credit-code.js';
import { GRID_1, GRID_2, ok, openWorld, refused, uploadPhoto, type World } from '../support/factories.js';
import { rowCounts } from '../support/endpoints.js';

let w: World;
let enterpriseId: number;
let photo: string;

function at(gridCode: string) {
  const g = w.grids.get(gridCode)!;
  return { lng: g.properties.labelLng as number, lat: g.properties.labelLat as number };
}
const code = (n: number) => withCheckChar(`91370800MA3C${String(n).padStart(5, '0')}`);

async function hazard(grade = 'general', description = '消防通道被货物堵塞') {
  return ok(await w.u.gridworker!.post('/api/hazards', { enterpriseId, grade, type: 'fire', description, photos: [photo] }), 201);
}
const mv = async (user: string, h: { id: number; version: number }, move: string, body: Record<string, unknown> = {}) =>
  ok(await w.u[user]!.post(`/api/hazards/${h.id}/moves/${move}`, { version: h.version, ...body }));

beforeAll(async () => {
  w = await openWorld(['admin', 'operator', 'leader', 'gridworker', 'gridworker2', 'anjian', 'citizen', 'chengguan']);
  photo = await uploadPhoto(w.u.gridworker!);
  const e = ok(
    await w.u.operator!.post('/api/enterprises', {
      name: '济宁鑫源塑料制品厂',
      creditCode: code(1),
      industryCode: 'C2929',
      industryName: '塑料零件及其他塑料制品制造',
      address: '崇文大道18号',
      ...at(GRID_1),
      riskLevel: 'high',
      watch: true,
      watchReason: '多次发现消防隐患',
      contact: '张三',
      phone: '13812341234',
      departmentIds: [w.departments.get('AJ')],
    }),
    201,
  );
  enterpriseId = e.id;
}, 180_000);
afterAll(async () => w?.p.close());

describe('enterprises', () => {
  it('registers in the A grid of its position; a wrong credit code is refused naming the field, nothing written', async () => {
    const e = ok(await w.u.operator!.get(`/api/enterprises/${enterpriseId}`));
    expect(e.gridId).toBe(w.grids.get(GRID_1)!.properties.id);
    expect(e.phone).toBe('13812341234');
    expect(ok(await w.u.gridworker!.get(`/api/enterprises/${enterpriseId}`)).phone).toBe('138****1234');
    const before = await rowCounts(w.p.db);
    const bad = refused(await w.u.operator!.post('/api/enterprises', { name: '坏代码企业', creditCode: '91370800MA3C000010', ...at(GRID_1) }), 422, 'credit_code_invalid');
    expect(bad.message).toContain('统一社会信用代码');
    expect(bad.message).toContain('91370800MA3C000010');
    refused(await w.u.operator!.post('/api/enterprises', { name: '重复', creditCode: code(1), ...at(GRID_1) }), 422, 'credit_code_taken');
    expect(await rowCounts(w.p.db)).toEqual(before);
  });
  it('scope is in the query: another grid worker, a department that does not supervise it and a citizen do not see it', async () => {
    refused(await w.u.gridworker2!.get(`/api/enterprises/${enterpriseId}`), 404, 'not_found');
    refused(await w.u.chengguan!.get(`/api/enterprises/${enterpriseId}`), 404, 'not_found');
    expect(ok(await w.u.anjian!.get(`/api/enterprises/${enterpriseId}`)).id).toBe(enterpriseId);
    expect(ok(await w.u.gridworker2!.get('/api/enterprises')).items.map((i: { id: number }) => i.id)).not.toContain(enterpriseId);
    refused(await w.u.citizen!.get('/api/enterprises'), 403, 'forbidden');
    refused(await w.u.gridworker!.post('/api/enterprises', { name: 'x', creditCode: code(2), ...at(GRID_1) }), 403, 'forbidden');
  });
});

describe('hazards', () => {
  it('found → notice → receipt → re-inspection → 销号, each move audited and on the timeline', async () => {
    let h = await hazard();
    expect(h.state).toBe('found');
    expect(h.allowedMoves).toEqual(expect.arrayContaining(['fix_on_spot', 'issue_notice']));
    refused(await w.u.gridworker!.post(`/api/hazards/${h.id}/moves/issue_notice`, { version: h.version, deadlineDate: '2020-01-01' }), 422, 'deadline_in_past');
    h = await mv('anjian', h, 'issue_notice', { deadlineDays: 5 });
    expect(h.state).toBe('rectifying');
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    expect(h.noticeNumber).toBe(`接庄安〔${year}〕第001号`);
    expect(new Date(h.deadline).getTime()).toBeGreaterThan(Date.now() + 4 * 86_400_000);
    h = await mv('gridworker', h, 'record_receipt', { photos: [photo] });
    // a re-inspection by someone out of scope: the hazard does not exist for them
    refused(await w.u.gridworker2!.post(`/api/hazards/${h.id}/moves/reinspect_pass`, { version: h.version }), 404, 'not_found');
    h = await mv('gridworker', h, 'reinspect_pass');
    h = await mv('gridworker', h, 'close_out');
    expect(h.state).toBe('closed');
    expect(h.events.map((e: { move: string }) => e.move)).toEqual(['find', 'issue_notice', 'record_receipt', 'reinspect_pass', 'close_out']);
    const audit = await w.p.db.selectFrom('audit_log').select('action').where('target_type', '=', 'hazard').where('target_id', '=', String(h.id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['hazard.find', 'hazard.issue_notice', 'hazard.record_receipt', 'hazard.reinspect_pass', 'hazard.close_out']);
    // the next notice of the same issuer and year counts on
    const h2 = await mv('anjian', await hazard(), 'issue_notice', { deadlineDays: 3 });
    expect(h2.noticeNumber).toBe(`接庄安〔${year}〕第002号`);
    const h3 = await mv('gridworker', await hazard(), 'issue_notice', { deadlineDays: 3 });
    expect(h3.noticeNumber).toBe(`接庄网〔${year}〕第001号`);
  });

  it('a 重大 hazard tells the leader, cannot be fixed on the spot and is closed out only by a leader', async () => {
    const leaderId = (await w.p.db.selectFrom('users').select('id').where('username', '=', 'leader').executeTakeFirstOrThrow()).id;
    const before = (await w.p.db.selectFrom('notifications').select('id').where('user_id', '=', leaderId).execute()).length;
    let h = await hazard('major', '液化气钢瓶违规存放在生产车间');
    expect((await w.p.db.selectFrom('notifications').select('id').where('user_id', '=', leaderId).execute()).length).toBe(before + 1);
    refused(await w.u.gridworker!.post(`/api/hazards/${h.id}/moves/fix_on_spot`, { version: h.version, note: '已搬走', photos: [photo] }), 422, 'hazard_major_needs_notice');
    h = await mv('gridworker', h, 'issue_notice', { deadlineDays: 10 });
    h = await mv('gridworker', h, 'reinspect_pass');
    const no = refused(await w.u.operator!.post(`/api/hazards/${h.id}/moves/close_out`, { version: h.version }), 403, 'hazard_major_needs_leader');
    expect(no.message).toContain('领导');
    h = await mv('leader', h, 'close_out');
    expect(h.state).toBe('closed');
  });

  it('a failed re-inspection is handed to law enforcement: a case dispatched to the department, linked both ways', async () => {
    let h = await hazard('larger', '配电箱无防护，电线私拉乱接');
    h = await mv('gridworker', h, 'issue_notice', { deadlineDays: 3 });
    // law enforcement acts on a notice the enterprise signed for
    h = await mv('gridworker', h, 'record_receipt', { photos: [photo] });
    h = await mv('gridworker', h, 'reinspect_fail', { note: '未整改' });
    expect(h.allowedMoves).toEqual([]);
    const op = ok(await w.u.operator!.get(`/api/hazards/${h.id}`));
    expect(op.allowedMoves).toEqual(expect.arrayContaining(['extend', 'hand_over']));
    h = await mv('operator', op, 'hand_over', { note: '拒不整改，移交执法', departmentId: w.departments.get('CG') });
    expect(h.state).toBe('handed_over');
    const c = ok(await w.u.chengguan!.get(`/api/cases/${h.caseId}`));
    expect(c.summary?.state ?? c.state).toBe('dispatched');
    const back = ok(await w.u.operator!.get(`/api/hazards?caseId=${h.caseId}`));
    expect(back.items.map((i: { id: number }) => i.id)).toEqual([h.id]);
  });
});

describe('ledgers', () => {
  it('the list and the .xlsx export hold the same rows under the same filter; formula-like text is neutralised', async () => {
    await w.u.gridworker!.post('/api/hazards', { enterpriseId, grade: 'general', type: 'other', description: '=1+1 堆放杂物', photos: [] });
    for (const kind of ['inspection', 'rectification', 'handover']) {
      const list = ok(await w.u.operator!.get(`/api/ledgers/${kind}?pageSize=200`));
      expect(list.total).toBeGreaterThan(0);
      const res = await w.u.operator!.get(`/api/ledgers/${kind}/export`);
      expect(res.statusCode).toBe(200);
      expect(Number(res.headers['x-total-count'])).toBe(list.total);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0]!;
      expect(String(ws.getCell(1, 1).value)).toBe(list.title);
      expect(String(ws.getCell(2, 1).value)).toContain('接庄街道');
      const serials: number[] = [];
      ws.eachRow((row, n) => {
        if (n > 3 && typeof row.getCell(1).value === 'number') serials.push(row.getCell(1).value as number);
      });
      expect(serials.length).toBe(list.total);
      expect(serials).toEqual(serials.map((_, i) => i + 1));
      const texts: string[] = [];
      ws.eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
      expect(texts.some((t) => t.startsWith('='))).toBe(false);
      if (kind === 'inspection') expect(texts).toContain("'=1+1 堆放杂物");
      expect(texts.some((t) => t.includes('填报人（签字）'))).toBe(true);
    }
    const handed = ok(await w.u.operator!.get('/api/ledgers/handover'));
    expect(handed.rows[0].at(-1)).toMatch(/^\d{14}$/);
    const filtered = ok(await w.u.operator!.get('/api/ledgers/inspection?grade=major'));
    const res = await w.u.operator!.get('/api/ledgers/inspection/export?grade=major');
    expect(Number(res.headers['x-total-count'])).toBe(filtered.total);
    refused(await w.u.operator!.get('/api/ledgers/inspection?from=2026-05-01&to=2026-01-01'), 422, 'ledger_period_invalid');
    // another community's grid worker sees none of these rows
    expect(ok(await w.u.gridworker2!.get('/api/ledgers/inspection')).total).toBe(0);
  });

  it('the .docx notice and the .xlsx ledger open in LibreOffice (soffice --convert-to pdf)', async (t) => {
    const soffice = ['soffice', 'libreoffice'].find((b) => spawnSync('which', [b]).status === 0);
    if (!soffice) {
      t.skip('LibreOffice (soffice) is not installed: install it (see .ci/run) to check that the files open');
      return;
    }
    const list = ok(await w.u.operator!.get('/api/hazards?state=rectifying'));
    const docx = await w.u.operator!.get(`/api/hazards/${list.items[0].id}/notice.docx`);
    expect(docx.statusCode).toBe(200);
    const xlsx = await w.u.operator!.get('/api/ledgers/rectification/export');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-lo-'));
    try {
      writeFileSync(path.join(dir, 'notice.docx'), docx.rawPayload);
      writeFileSync(path.join(dir, 'ledger.xlsx'), xlsx.rawPayload);
      execFileSync(soffice, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'notice.docx'), path.join(dir, 'ledger.xlsx')], { timeout: 120_000, stdio: 'pipe' });
      for (const f of ['notice.pdf', 'ledger.pdf']) {
        expect(existsSync(path.join(dir, f)), f).toBe(true);
        expect(readFileSync(path.join(dir, f)).subarray(0, 5).toString()).toBe('%PDF-');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('inspections', () => {
  it('an administrator keeps checklists; a grid worker inspects, each failed item becomes a hazard linked to the inspection', async () => {
    const tpl = ok(
      await w.u.admin!.post('/api/inspection-templates', {
        name: '消防安全通用检查表',
        items: [
          { text: '疏散通道、安全出口畅通', grade: 'general', type: 'fire' },
          { text: '灭火器在有效期内', grade: 'general', type: 'fire' },
          { text: '液化气钢瓶规范存放', grade: 'major', type: 'hazmat' },
        ],
      }),
      201,
    );
    refused(await w.u.admin!.post('/api/inspection-templates', { name: '消防安全通用检查表', items: [{ text: '重复' }] }), 422, 'inspection_template_taken');
    refused(await w.u.operator!.post('/api/inspection-templates', { name: 'x表', items: [{ text: '项目' }] }), 403, 'forbidden');
    const before = ok(await w.u.operator!.get(`/api/hazards?enterpriseId=${enterpriseId}&pageSize=200`)).total;
    const insp = ok(
      await w.u.gridworker!.post('/api/inspections', {
        enterpriseId,
        templateId: tpl.id,
        items: [
          { ...tpl.items[0], result: 'pass' },
          { ...tpl.items[1], result: 'fail', note: '2 具灭火器过期', photos: [photo] },
          { ...tpl.items[2], result: 'na' },
        ],
      }),
      201,
    );
    expect(insp.failed).toBe(1);
    const hazardId = insp.items[1].hazardId;
    expect(hazardId).toBeGreaterThan(0);
    const h = ok(await w.u.gridworker!.get(`/api/hazards/${hazardId}`));
    expect(h.description).toBe('灭火器在有效期内：2 具灭火器过期');
    expect(ok(await w.u.operator!.get(`/api/hazards?enterpriseId=${enterpriseId}&pageSize=200`)).total).toBe(before + 1);
    refused(await w.u.gridworker2!.get(`/api/inspections/${insp.id}`), 404, 'not_found');
    refused(await w.u.gridworker2!.post('/api/inspections', { enterpriseId, items: [{ text: '检查项', result: 'fail' }] }), 422, 'unknown_enterprise');
    expect(ok(await w.u.operator!.get(`/api/inspections?enterpriseId=${enterpriseId}`)).map((i: { id: number }) => i.id)).toContain(insp.id);
  });
});
