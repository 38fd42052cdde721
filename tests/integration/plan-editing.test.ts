// Issue 14, closing gaps, through the API with the clock pinned: checklist templates are created, edited and retired
// by administrators with their industry and items checked (messages in Chinese and English, nothing written when
// refused); a plan item made before its checklist existed gets it once the template is made (the empty 排查表
// column); a plan is edited after it was made (enterprises added and removed, the inspector changed, a stale version
// refused) with audit rows; an enterprise registered in, or moved into, a planned grid joins this month's plan, and
// leaves it when moved out or shut down; a major hazard's notice names the hazard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { withCheckChar } from '../../src/domain/hazards/credit-code.js';
import { GRID_1, ok, openWorld, refused, type World } from '../support/factories.js';
import { rowCounts } from '../support/endpoints.js';
import { login } from '../support/platform.js';

const clock = fixedClock('2026-05-06T09:00:00+08:00');
const MONTH = '2026-05';
let w: World;
let gridId: number;
let otherGrid: string;
let plastics: number;
let shop: number;

const code = (n: number) => withCheckChar(`91370800MA3P${String(n).padStart(5, '0')}`);
function at(gridCode: string, dx = 0) {
  const g = w.grids.get(gridCode)!;
  return { lng: (g.properties.labelLng as number) + dx, lat: g.properties.labelLat as number };
}
const createEnterprise = async (n: number, body: Record<string, unknown>, grid = GRID_1) =>
  ok(await w.u.operator!.post('/api/enterprises', { creditCode: code(n), ...at(grid, n * 0.0001), ...body }), 201);
const planOf = async (id: number) => ok(await w.u.operator!.get(`/api/inspection-plans/${id}`));
const itemOf = (plan: { items: { enterpriseId: number }[] }, enterpriseId: number) => plan.items.find((i) => i.enterpriseId === enterpriseId) as Record<string, unknown> | undefined;
/** The archive as a PUT body: what it says, without the empty fields (left out clears them) and the derived ones. */
const archive = (e: Record<string, unknown>) => {
  const { id: _id, gridId: _g, gridName: _gn, cGridName: _cn, openHazards: _o, ...rest } = e;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v != null));
};
const audits = async (action: string) => w.p.db.selectFrom('audit_log').select(['target_id', 'summary', 'data']).where('action', '=', action).orderBy('id').execute();

beforeAll(async () => {
  w = await openWorld(['admin', 'operator', 'leader', 'gridworker', 'gridworker2', 'anjian'], { clock });
  gridId = w.grids.get(GRID_1)!.properties.id as number;
  otherGrid = [...w.grids.values()].find((g) => g.properties.gridClass === 'A' && g.properties.code !== GRID_1 && g.properties.code.startsWith(GRID_1.slice(0, 12)))!.properties.code;
  plastics = (await createEnterprise(1, { name: '编辑测试塑料厂', industryCode: 'C2929', industryName: '塑料零件及其他塑料制品制造' })).id;
  shop = (await createEnterprise(2, { name: '编辑测试便利店', industryName: '便利店零售' })).id;
}, 180_000);
afterAll(async () => w?.p.close());

describe('checklist templates', () => {
  let plan: { id: number; version: number };

  it('a plan made before its checklist existed gets it when the template is made, and the next one when it is retired', async () => {
    plan = ok(await w.u.operator!.post('/api/inspection-plans', { gridId, month: MONTH }), 201);
    expect(itemOf(await planOf(plan.id), plastics)).toMatchObject({ templateId: null, templateName: null });

    const general = ok(await w.u.admin!.post('/api/inspection-templates', { name: '通用检查表（编辑）', industry: '通用', items: [{ text: '疏散通道畅通', type: 'fire' }] }), 201);
    const rubber = ok(await w.u.admin!.post('/api/inspection-templates', { name: '橡塑检查表（编辑）', industry: 'c29', items: [{ text: '原料库防火分隔', grade: 'larger', type: 'fire' }] }), 201);
    expect(rubber.industry).toBe('C29');
    expect(rubber.retiredAt).toBeNull();
    let p = await planOf(plan.id);
    expect(itemOf(p, plastics)).toMatchObject({ templateId: rubber.id, templateName: '橡塑检查表（编辑）' });
    expect(itemOf(p, shop)).toMatchObject({ templateId: general.id, templateName: '通用检查表（编辑）' });

    const retired = ok(await w.u.admin!.post(`/api/inspection-templates/${rubber.id}/retire`));
    expect(retired.retiredAt).toBeTruthy();
    p = await planOf(plan.id);
    expect(itemOf(p, plastics)).toMatchObject({ templateId: general.id });
    // no longer offered on the phone nor chosen; the administrator still sees it
    expect(ok(await w.u.gridworker!.get('/api/inspection-templates')).map((t: { id: number }) => t.id)).not.toContain(rubber.id);
    expect(ok(await w.u.gridworker!.get('/api/inspection-templates?includeRetired=true')).map((t: { id: number }) => t.id)).not.toContain(rubber.id);
    expect(ok(await w.u.admin!.get('/api/inspection-templates?includeRetired=true')).find((t: { id: number }) => t.id === rubber.id).retiredAt).toBeTruthy();
    refused(await w.u.gridworker!.post('/api/inspections', { enterpriseId: plastics, templateId: rubber.id, items: [{ text: '原料库防火分隔', result: 'pass' }] }), 409, 'inspection_template_retired');
    refused(await w.u.admin!.send('PUT', `/api/inspection-templates/${rubber.id}`, { name: '橡塑检查表（编辑）', items: [{ text: '改一项' }] }), 409, 'inspection_template_retired');
    refused(await w.u.admin!.post(`/api/inspection-templates/${rubber.id}/retire`), 409, 'inspection_template_retired');
    refused(await w.u.operator!.post(`/api/inspection-templates/${general.id}/retire`), 403, 'forbidden');
    expect((await audits('inspection.template_retire')).map((a) => a.target_id)).toEqual([String(rubber.id)]);
  });

  it('refuses an unknown industry code and repeated items in the reader’s language, writing nothing', async () => {
    const adminEn = await login(w.p.app, 'admin', undefined, 'en');
    const before = await rowCounts(w.p.db);
    const zh = refused(await w.u.admin!.post('/api/inspection-templates', { name: '错误行业表', industry: 'C99', items: [{ text: '一项检查' }] }), 422, 'inspection_template_industry_unknown');
    expect(zh.message).toContain('C99');
    expect(zh.message).toContain('国民经济行业分类');
    const en = refused(await adminEn.post('/api/inspection-templates', { name: '错误行业表', industry: 'Z1', items: [{ text: '一项检查' }] }), 422, 'inspection_template_industry_unknown');
    expect(en.message).toContain('GB/T 4754');
    const dup = refused(await w.u.admin!.post('/api/inspection-templates', { name: '重复项表', industry: '餐饮业', items: [{ text: '燃气报警器' }, { text: ' 燃气报警器 ' }] }), 422, 'inspection_template_items_duplicate');
    expect(dup.message).toContain('燃气报警器');
    const general = ok(await w.u.admin!.get('/api/inspection-templates')).find((t: { name: string }) => t.name === '通用检查表（编辑）');
    refused(await w.u.admin!.send('PUT', `/api/inspection-templates/${general.id}`, { name: '通用检查表（编辑）', industry: '通用', items: [{ text: '同一项' }, { text: '同一项' }] }), 422, 'inspection_template_items_duplicate');
    refused(await w.u.admin!.post('/api/inspection-templates', { name: '空表', items: [] }), 400, 'validation_failed');
    expect(await rowCounts(w.p.db)).toEqual(before);
    // an industry name or a section letter is taken as it is
    ok(await w.u.admin!.post('/api/inspection-templates', { name: '餐饮检查表（编辑）', industry: '餐饮业', items: [{ text: '燃气报警器完好' }] }), 201);
    ok(await w.u.admin!.post('/api/inspection-templates', { name: '制造业检查表（编辑）', industry: 'C', items: [{ text: '设备防护罩完好' }] }), 201);
  });

  it('a plan is edited after it was made: enterprises added and removed, the inspector changed, with audit rows', async () => {
    const p0 = await planOf(plan.id);
    const options = ok(await w.u.operator!.get(`/api/inspection-plans/${plan.id}/options`));
    const worker = options.inspectors.find((u: { role: string }) => u.role === 'grid_worker');
    expect(worker).toBeTruthy();
    const gw2 = (await w.p.db.selectFrom('users').select('id').where('username', '=', 'gridworker2').executeTakeFirstOrThrow()).id;
    expect(options.inspectors.map((u: { id: number }) => u.id)).not.toContain(gw2);
    refused(await w.u.gridworker!.get(`/api/inspection-plans/${plan.id}/options`), 403, 'forbidden');

    const before = await rowCounts(w.p.db);
    refused(await w.u.operator!.send('PATCH', `/api/inspection-plans/${plan.id}`, { version: p0.version, inspectorId: gw2 }), 422, 'inspection_plan_inspector_invalid');
    refused(await w.u.operator!.send('PATCH', `/api/inspection-plans/${plan.id}`, { version: p0.version + 5, remove: [shop] }), 409, 'version_conflict');
    refused(await w.u.gridworker!.send('PATCH', `/api/inspection-plans/${plan.id}`, { version: p0.version, remove: [shop] }), 403, 'forbidden');
    expect(await rowCounts(w.p.db)).toEqual(before);

    let p = ok(await w.u.operator!.send('PATCH', `/api/inspection-plans/${plan.id}`, { version: p0.version, inspectorId: worker.id, remove: [shop] }));
    expect(p).toMatchObject({ inspectorId: worker.id, inspectorName: worker.name, version: p0.version + 1, total: p0.total - 1 });
    expect(itemOf(p, shop)).toBeUndefined();
    const offered = ok(await w.u.operator!.get(`/api/inspection-plans/${plan.id}/options`)).enterprises;
    expect(offered.find((e: { id: number }) => e.id === shop)).toMatchObject({ templateName: '通用检查表（编辑）' });
    p = ok(await w.u.operator!.send('PATCH', `/api/inspection-plans/${plan.id}`, { version: p.version, add: [shop] }));
    expect(itemOf(p, shop)).toMatchObject({ templateName: '通用检查表（编辑）' });
    const edits = await audits('inspection.plan_update');
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(edits.at(-2)!.data).toMatchObject({ removed: [shop], inspector: { before: null, after: worker.id } });
    expect(edits.at(-1)!.data).toMatchObject({ added: [shop] });

    // an enterprise of another grid cannot join; an inspected one cannot leave
    const far = await createEnterprise(3, { name: '外网格企业', industryName: '五金零售' }, otherGrid);
    refused(await w.u.operator!.send('PATCH', `/api/inspection-plans/${plan.id}`, { version: p.version, add: [far.id] }), 422, 'inspection_plan_enterprise_invalid');
    ok(await w.u.gridworker!.post('/api/inspections', { enterpriseId: shop, items: [{ text: '疏散通道畅通', result: 'pass' }] }), 201);
    const err = refused(await w.u.operator!.send('PATCH', `/api/inspection-plans/${plan.id}`, { version: p.version, remove: [shop] }), 409, 'inspection_plan_item_done');
    expect(err.message).toContain('编辑测试便利店');
    // the inspector unassigned
    p = ok(await w.u.operator!.send('PATCH', `/api/inspection-plans/${plan.id}`, { version: p.version, inspectorId: null }));
    expect(p.inspectorId).toBeNull();
  });

  it('an enterprise registered in, or moved into, the planned grid joins the month’s plan; moved out or shut down, it leaves', async () => {
    const fresh = await createEnterprise(4, { name: '新登记五金厂', industryCode: 'C3311', industryName: '金属结构制造' });
    let p = await planOf(plan.id);
    expect(itemOf(p, fresh.id)).toMatchObject({ templateName: '制造业检查表（编辑）' });
    expect((await audits('inspection.plan_update')).at(-1)!.data).toMatchObject({ added: [fresh.id], automatic: true });

    const far = ok(await w.u.operator!.get('/api/enterprises?q=外网格企业')).items[0];
    const moved = ok(await w.u.operator!.send('PUT', `/api/enterprises/${far.id}`, { ...archive(far), creditCode: code(3), ...at(GRID_1, 0.0005), industryName: '五金零售', version: far.version }));
    expect(moved.gridId).toBe(gridId);
    p = await planOf(plan.id);
    expect(itemOf(p, far.id)).toBeTruthy();

    const back = ok(await w.u.operator!.send('PUT', `/api/enterprises/${far.id}`, { ...archive(moved), creditCode: code(3), ...at(otherGrid, 0.0003), industryName: '五金零售', version: moved.version }));
    expect(back.gridId).not.toBe(gridId);
    const e4 = ok(await w.u.operator!.get(`/api/enterprises/${fresh.id}`));
    ok(await w.u.operator!.send('PUT', `/api/enterprises/${fresh.id}`, { ...archive(e4), creditCode: code(4), status: 'closed', version: e4.version }));
    p = await planOf(plan.id);
    expect(itemOf(p, far.id)).toBeUndefined();
    expect(itemOf(p, fresh.id)).toBeUndefined();
  });
});

describe('hazard notices open the hazard', () => {
  it("a major hazard's notice to the leader names the hazard", async () => {
    const h = ok(await w.u.gridworker!.post('/api/hazards', { enterpriseId: plastics, grade: 'major', type: 'fire', description: '仓库与宿舍“三合一”', photos: [] }), 201);
    const list = ok(await w.u.leader!.get('/api/notifications'));
    const n = list.items.find((x: { hazardId: number | null }) => x.hazardId === h.id);
    expect(n).toBeTruthy();
    expect(n.caseId).toBeNull();
    expect(n.title).toContain(h.number);
  });
});
