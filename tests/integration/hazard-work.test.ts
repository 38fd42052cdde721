// Issue 14, second part, through the API on a real database with the clock pinned: a grid's monthly inspection plan
// picks each enterprise's checklist by industry and an inspection fulfils it (progress per grid and community); the
// notice's print content says what the .docx says under the same number; the enterprise's signed receipt is uploaded
// as a PDF or a photo, recorded with who and when, downloadable, and a hand-over to law enforcement needs it; the
// sweeper turns a deadline yellow then red, notifies once per level, and the list and ledger show the colour;
// 行业监管台账 and 不放心企业台账 list and export the same rows.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { withCheckChar } from '../../src/domain/hazards/credit-code.js';
import { sweepHazardDeadlines } from '../../src/services/hazards/deadlines.js';
import { GRID_1, jpeg, ok, openWorld, refused, type World } from '../support/factories.js';
import { rowCounts } from '../support/endpoints.js';
import { login } from '../support/platform.js';

// a Monday morning in Beijing, on the seeded calendar
const clock = fixedClock('2026-03-02T09:00:00+08:00');
const MONTH = '2026-03';
let w: World;
let plastics: number;
let shop: number;

const code = (n: number) => withCheckChar(`91370800MA3H${String(n).padStart(5, '0')}`);
function at(gridCode: string, dx = 0) {
  const g = w.grids.get(gridCode)!;
  return { lng: (g.properties.labelLng as number) + dx, lat: g.properties.labelLat as number };
}
/** Moves the pinned clock days ahead; sessions end after 12 hours, so the two users this needs sign in again. */
async function moveClock(to: Date) {
  clock.set(to);
  for (const name of ['operator', 'anjian', 'gridworker']) w.u[name] = await login(w.p.app, name);
}
const mv = async (user: string, h: { id: number; version: number }, move: string, body: Record<string, unknown> = {}) =>
  ok(await w.u[user]!.post(`/api/hazards/${h.id}/moves/${move}`, { version: h.version, ...body }));
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

async function newHazard(description: string, grade = 'general') {
  return ok(await w.u.gridworker!.post('/api/hazards', { enterpriseId: plastics, grade, type: 'fire', description, photos: [] }), 201);
}

beforeAll(async () => {
  w = await openWorld(['admin', 'operator', 'leader', 'gridworker', 'gridworker2', 'anjian'], { clock });
  const create = async (n: number, body: Record<string, unknown>) => ok(await w.u.operator!.post('/api/enterprises', { creditCode: code(n), ...at(GRID_1, n * 0.0001), departmentIds: [w.departments.get('AJ')], ...body }), 201).id as number;
  plastics = await create(1, { name: '计划测试塑料厂', industryCode: 'C2929', industryName: '塑料零件及其他塑料制品制造', riskLevel: 'high', watch: true, watchReason: '夜间偷排', watchReviewOn: '2026-03-20' });
  shop = await create(2, { name: '计划测试便利店', industryName: '便利店零售' });
}, 180_000);
afterAll(async () => w?.p.close());

describe('inspection plans', () => {
  it("a grid's month: each enterprise with its industry's checklist; an inspection fulfils its item; progress per grid and community", async () => {
    const general = ok(await w.u.admin!.post('/api/inspection-templates', { name: '通用检查表（计划）', industry: '通用', items: [{ text: '疏散通道畅通', type: 'fire' }] }), 201);
    const plasticsTpl = ok(await w.u.admin!.post('/api/inspection-templates', { name: '塑料制品检查表（计划）', industry: 'C29', items: [{ text: '原料库防火分隔', type: 'fire' }, { text: '粉尘清扫记录', type: 'other' }] }), 201);
    refused(await w.u.operator!.send('PUT', `/api/inspection-templates/${general.id}`, { name: 'x表', items: [{ text: '项目' }] }), 403, 'forbidden');
    const edited = ok(await w.u.admin!.send('PUT', `/api/inspection-templates/${general.id}`, { name: '通用检查表（计划）', industry: '通用', items: [{ text: '疏散通道畅通', type: 'fire' }, { text: '灭火器在有效期内', type: 'fire' }] }));
    expect(edited.items).toHaveLength(2);

    const gridId = w.grids.get(GRID_1)!.properties.id as number;
    refused(await w.u.operator!.post('/api/inspection-plans', { gridId, month: '2020-01' }), 422, 'inspection_plan_month_invalid');
    refused(await w.u.gridworker!.post('/api/inspection-plans', { gridId, month: MONTH }), 403, 'forbidden');
    const plan = ok(await w.u.operator!.post('/api/inspection-plans', { gridId, month: MONTH }), 201);
    expect(plan.month).toBe(MONTH);
    const byId = new Map(plan.items.map((i: { enterpriseId: number }) => [i.enterpriseId, i]));
    expect((byId.get(plastics) as { templateId: number }).templateId).toBe(plasticsTpl.id);
    expect((byId.get(shop) as { templateId: number }).templateId).toBe(general.id);
    expect(plan.done).toBe(0);
    const total = plan.total as number;
    expect(total).toBe(plan.items.length);
    const before = await rowCounts(w.p.db);
    refused(await w.u.operator!.post('/api/inspection-plans', { gridId, month: MONTH }), 409, 'inspection_plan_exists');
    expect(await rowCounts(w.p.db)).toEqual(before);

    const insp = ok(await w.u.gridworker!.post('/api/inspections', { enterpriseId: plastics, templateId: plasticsTpl.id, items: plasticsTpl.items.map((i: object) => ({ ...i, result: 'pass' })) }), 201);
    expect(insp.planId).toBe(plan.id);
    // a second inspection the same month does not count twice
    ok(await w.u.gridworker!.post('/api/inspections', { enterpriseId: plastics, items: [{ text: '回头看', result: 'pass' }] }), 201);
    const detail = ok(await w.u.gridworker!.get(`/api/inspection-plans/${plan.id}`));
    expect(detail.done).toBe(1);
    const item = detail.items.find((i: { enterpriseId: number }) => i.enterpriseId === plastics);
    expect(item.inspectionId).toBe(insp.id);
    expect(item.inspectorName).toBeTruthy();

    const board = ok(await w.u.operator!.get(`/api/inspection-plans?month=${MONTH}`));
    const mine = board.plans.find((p: { id: number }) => p.id === plan.id);
    expect(mine).toMatchObject({ done: 1, total, percent: Math.floor(100 / total) });
    const community = board.communities.find((c: { communityName: string }) => c.communityName === mine.communityName);
    expect(community.done).toBe(board.plans.filter((p: { communityName: string }) => p.communityName === mine.communityName).reduce((s: number, p: { done: number }) => s + p.done, 0));
    expect(board.overall.total).toBe(board.plans.reduce((s: number, p: { total: number }) => s + p.total, 0));
    // another community's grid worker sees neither the plan nor its progress
    refused(await w.u.gridworker2!.get(`/api/inspection-plans/${plan.id}`), 404, 'not_found');
    expect(ok(await w.u.gridworker2!.get(`/api/inspection-plans?month=${MONTH}`)).plans.map((p: { id: number }) => p.id)).not.toContain(plan.id);
    const audit = await w.p.db.selectFrom('audit_log').select('action').where('action', 'in', ['inspection.plan_create', 'inspection.template_update']).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['inspection.plan_create', 'inspection.template_update']);
  });
});

describe('the notice, printed, and its signed receipt', () => {
  it('the print content is the .docx: same number, same paragraphs', async () => {
    const h = await mv('gridworker', await newHazard('车间消防通道堆放纸箱'), 'issue_notice', { deadlineDays: 5 });
    const print = ok(await w.u.operator!.get(`/api/hazards/${h.id}/notice`));
    expect(print.number).toBe(h.noticeNumber);
    const docx = await w.u.operator!.get(`/api/hazards/${h.id}/notice.docx`);
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    for (const p of print.paragraphs as { text: string }[]) expect(text).toContain(p.text);
    expect(print.paragraphs.map((p: { text: string }) => p.text)).toContain('车间消防通道堆放纸箱');
    refused(await w.u.gridworker2!.get(`/api/hazards/${h.id}/notice`), 404, 'not_found');
    refused(await w.u.operator!.get(`/api/hazards/${(await newHazard('未下达通知书')).id}/notice`), 404, 'not_found');
  });

  it('a PDF or a photo of the signed receipt is recorded with who and when, downloadable; a hand-over needs it', async () => {
    let h = await mv('gridworker', await newHazard('配电箱无防护'), 'issue_notice', { deadlineDays: 3 });
    // a wrong file: refused by its bytes, nothing written
    const before = await rowCounts(w.p.db);
    refused(await w.u.gridworker!.upload(`/api/hazards/${h.id}/receipt?version=${h.version}`, Buffer.from('just text, not a receipt'), 'r.pdf', 'application/pdf'), 415, 'receipt_type_refused');
    refused(await w.u.gridworker!.upload(`/api/hazards/${h.id}/receipt?version=${h.version}`, PDF.subarray(0, 40), 'r.pdf', 'application/pdf'), 415, 'receipt_type_refused');
    refused(await w.u.gridworker2!.upload(`/api/hazards/${h.id}/receipt?version=${h.version}`, PDF, 'r.pdf', 'application/pdf'), 404, 'not_found');
    expect(await rowCounts(w.p.db)).toEqual(before);

    // failed re-inspection without a receipt: no hand-over
    h = await mv('gridworker', h, 'reinspect_fail', { note: '未整改' });
    const op = ok(await w.u.operator!.get(`/api/hazards/${h.id}`));
    expect(op.receipt).toBeNull();
    expect(op.allowedMoves).not.toContain('hand_over');
    const no = refused(await w.u.operator!.post(`/api/hazards/${h.id}/moves/hand_over`, { version: op.version, note: '拒不整改', departmentId: w.departments.get('CG') }), 422, 'hazard_needs_receipt');
    expect(no.message).toContain('签收');

    // with a receipt (PDF) the next one may be handed over
    let h2 = await mv('gridworker', await newHazard('电线私拉乱接'), 'issue_notice', { deadlineDays: 3 });
    h2 = ok(await w.u.gridworker!.upload(`/api/hazards/${h2.id}/receipt?version=${h2.version}&note=${encodeURIComponent('负责人当面签收')}`, PDF, '回执.pdf', 'application/pdf'));
    expect(h2.receipt).toMatchObject({ mime: 'application/pdf', url: `/api/hazards/${h2.id}/receipt` });
    expect(h2.receipt.byName).toBeTruthy();
    expect(h2.receiptAt).toBe(clock.now().toISOString());
    expect(h2.events.at(-1)).toMatchObject({ move: 'record_receipt', note: '负责人当面签收' });
    const file = await w.u.anjian!.get(`/api/hazards/${h2.id}/receipt`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('application/pdf');
    expect(Buffer.compare(file.rawPayload, PDF)).toBe(0);
    refused(await w.u.gridworker2!.get(`/api/hazards/${h2.id}/receipt`), 404, 'not_found');
    h2 = await mv('gridworker', h2, 'reinspect_fail', { note: '仍未整改' });
    const handed = await mv('operator', ok(await w.u.operator!.get(`/api/hazards/${h2.id}`)), 'hand_over', { note: '拒不整改', departmentId: w.departments.get('CG') });
    expect(handed.state).toBe('handed_over');

    // a photo of the signed paper works the same way, through the photo pipeline
    const h3 = await mv('gridworker', await newHazard('灭火器过期'), 'issue_notice', { deadlineDays: 3 });
    const photo = await jpeg('#abc', 120, 90);
    const r3 = ok(await w.u.gridworker!.upload(`/api/hazards/${h3.id}/receipt?version=${h3.version}`, photo, 'receipt.jpg', 'image/jpeg'));
    expect(r3.receipt.mime).toBe('image/jpeg');
    expect(r3.receiptPhotos).toHaveLength(1);
    const img = await w.u.operator!.get(`/api/hazards/${h3.id}/receipt`);
    expect(Buffer.compare(img.rawPayload, photo)).toBe(0);
    const audit = await w.p.db.selectFrom('audit_log').select('action').where('target_type', '=', 'hazard').where('target_id', '=', String(h3.id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['hazard.find', 'hazard.issue_notice', 'hazard.record_receipt']);
  });
});

describe('deadline warnings by the sweeper', () => {
  it('yellow at the warning instant, red at the deadline, each notified once; the list and the ledger show the colour; an extension starts again', async () => {
    const start = clock.now().getTime();
    const signedIn = { ...w.u };
    try {
      let h = await mv('anjian', await newHazard('液化气钢瓶未固定'), 'issue_notice', { deadlineDays: 5 });
      const row = await w.p.db.selectFrom('hazards').select(['warn_at', 'deadline', 'notified_level']).where('id', '=', h.id).executeTakeFirstOrThrow();
      expect(row.warn_at!.getTime()).toBeGreaterThan(clock.now().getTime());
      expect(row.warn_at!.getTime()).toBeLessThan(row.deadline!.getTime());
      // stored as a message code with the hazard's number (rendered in the reader's language when read)
      const notices = async () =>
        (
          await w.p.db
            .selectFrom('notifications')
            .innerJoin('users', 'users.id', 'notifications.user_id')
            .select(['users.username', 'notifications.kind', 'notifications.title_code', 'notifications.title_params'])
            .where('notifications.title_code', 'in', ['notice_hazard_due_soon', 'notice_hazard_overdue'])
            .orderBy('notifications.id')
            .execute()
        ).filter((n) => (typeof n.title_params === 'string' ? JSON.parse(n.title_params) : n.title_params)?.number === h.number);

      await sweepHazardDeadlines(w.p.db, clock.now());
      expect(await notices()).toEqual([]);

      await moveClock(row.warn_at!);
      const first = await sweepHazardDeadlines(w.p.db, clock.now());
      expect(first.notices).toBeGreaterThan(0);
      const yellow = await notices();
      expect(yellow.every((n) => n.kind === 'warning')).toBe(true);
      // the grid worker reads it in Chinese; the same row reads in English for an English reader
      const feed = ok(await w.u.gridworker!.get('/api/notifications'));
      expect(feed.items.map((n: { title: string }) => n.title)).toContain(`隐患 ${h.number} 整改即将到期（黄色预警）`);
      const feedEn = JSON.parse((await w.p.app.inject({ method: 'GET', url: '/api/notifications', headers: { cookie: w.u.gridworker!.cookie, 'accept-language': 'en' } })).body);
      expect(feedEn.items.map((n: { title: string }) => n.title)).toContain(`Hazard ${h.number}: the rectification deadline is near (yellow warning)`);
      expect(yellow.map((n) => n.username)).toEqual(expect.arrayContaining(['anjian', 'gridworker']));
      expect(yellow.map((n) => n.username)).not.toContain('operator');
      expect(ok(await w.u.operator!.get(`/api/hazards/${h.id}`)).warning).toBe('yellow');
      const list = ok(await w.u.operator!.get('/api/hazards?state=rectifying&pageSize=200'));
      expect(list.items.find((i: { id: number }) => i.id === h.id).warning).toBe('yellow');
      const ledger = ok(await w.u.operator!.get('/api/ledgers/rectification?pageSize=200'));
      expect(ledger.columns.at(-1)).toBe('预警');
      expect(ledger.rows.find((r: string[]) => r[0] === h.noticeNumber).at(-1)).toBe('黄色预警');
      // a second sweep at the same level tells no one again
      await sweepHazardDeadlines(w.p.db, clock.now());
      expect(await notices()).toHaveLength(yellow.length);

      await moveClock(row.deadline!);
      await sweepHazardDeadlines(w.p.db, clock.now());
      const red = (await notices()).filter((n) => n.kind === 'overdue');
      expect(red.map((n) => n.username)).toEqual(expect.arrayContaining(['anjian', 'gridworker', 'operator']));
      expect(ok(await w.u.operator!.get(`/api/hazards/${h.id}`)).warning).toBe('red');
      const audit = await w.p.db.selectFrom('audit_log').select('action').where('target_type', '=', 'hazard').where('target_id', '=', String(h.id)).where('action', 'like', 'hazard.deadline%').orderBy('id').execute();
      expect(audit.map((a) => a.action)).toEqual(['hazard.deadline_warning', 'hazard.deadline_overdue']);

      // the re-inspection fails, the deadline is extended: a new series of warnings
      h = await mv('anjian', ok(await w.u.anjian!.get(`/api/hazards/${h.id}`)), 'reinspect_fail', { note: '未固定' });
      h = await mv('operator', ok(await w.u.operator!.get(`/api/hazards/${h.id}`)), 'extend', { deadlineDays: 3 });
      expect(h.warning).toBe('none');
      expect((await w.p.db.selectFrom('hazards').select('notified_level').where('id', '=', h.id).executeTakeFirstOrThrow()).notified_level).toBe(0);
    } finally {
      clock.set(new Date(start));
      w.u = signedIn;
    }
  });
});

describe('行业监管台账 and 不放心企业台账', () => {
  it('list and .xlsx export hold the same rows under the same filter, with title, unit, period, serials and footer', async () => {
    for (const kind of ['industry', 'watch']) {
      const list = ok(await w.u.operator!.get(`/api/ledgers/${kind}?pageSize=200&from=2026-03-01&to=2026-03-31`));
      expect(list.total).toBeGreaterThan(0);
      expect(list.rows).toHaveLength(list.total);
      const res = await w.u.operator!.get(`/api/ledgers/${kind}/export?from=2026-03-01&to=2026-03-31`);
      expect(res.statusCode).toBe(200);
      expect(Number(res.headers['x-total-count'])).toBe(list.total);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0]!;
      expect(String(ws.getCell(1, 1).value)).toBe(list.title);
      expect(String(ws.getCell(2, 1).value)).toContain('接庄街道');
      expect(String(ws.getCell(2, 1).value)).toContain('2026-03-01 至 2026-03-31');
      const data: string[][] = [];
      ws.eachRow((row, n) => {
        if (n > 3 && typeof row.getCell(1).value === 'number') data.push(list.columns.map((_: string, i: number) => String(row.getCell(i + 2).value ?? '')));
      });
      expect(data).toEqual(list.rows);
      const texts: string[] = [];
      ws.eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
      expect(texts.some((t) => t.includes('填报人（签字）'))).toBe(true);
    }
    const industry = ok(await w.u.operator!.get('/api/ledgers/industry?pageSize=200&industry=C29&from=2026-03-01&to=2026-03-31'));
    expect(industry.title).toBe('行业监管台账');
    const row = industry.rows.find((r: string[]) => r[1] === '计划测试塑料厂');
    const col = (name: string) => industry.columns.indexOf(name);
    expect(row[col('监管部门')]).toContain('安');
    expect(Number(row[col('排查次数')])).toBe(2);
    expect(Number(row[col('发现隐患')])).toBe(ok(await w.u.operator!.get(`/api/hazards?enterpriseId=${plastics}&pageSize=200`)).total);
    expect(industry.rows.map((r: string[]) => r[1])).not.toContain('计划测试便利店');
    const watch = ok(await w.u.operator!.get('/api/ledgers/watch?pageSize=200'));
    const wrow = watch.rows.find((r: string[]) => r[0] === '计划测试塑料厂');
    expect(wrow[watch.columns.indexOf('不放心原因')]).toBe('夜间偷排');
    expect(wrow[watch.columns.indexOf('复查日期')]).toBe('2026-03-20');
    expect(watch.rows.map((r: string[]) => r[0])).not.toContain('计划测试便利店');
    // a review date outside the period leaves it out
    expect(ok(await w.u.operator!.get('/api/ledgers/watch?pageSize=200&from=2026-04-01&to=2026-04-30')).rows.map((r: string[]) => r[0])).not.toContain('计划测试塑料厂');
    expect(ok(await w.u.gridworker2!.get('/api/ledgers/watch?pageSize=200')).rows.map((r: string[]) => r[0])).not.toContain('计划测试塑料厂');
  });
});
