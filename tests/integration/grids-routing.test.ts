// Where a case goes and why, through the API: routing rules (the most specific wins, the category default
// otherwise), the B-class grid of a category's industry and the C-class grid of a key unit set at intake, and the
// explanation GET /api/cases/:id/routing gives in Chinese and English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import type { CaseRoutingView, KeyUnit, RoutingRule } from '../../src/shared/grids-api.js';
import { login, ok, openTestPlatform, type Client, type TestPlatform } from '../support/platform.js';

type Api = Client;

let p: TestPlatform;
const as: Record<string, Api> = {};
const category = new Map<string, number>();
const department = new Map<string, number>();
const division = new Map<string, number>();

const signIn = (username: string, lang = 'zh-CN'): Promise<Api> => login(p.app, username, DEMO_PASSWORD, lang);

async function grid(code: string) {
  return p.db.selectFrom('grids').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
}

/** Reports a case of a category at the label point of a grid (as the grid worker); returns its id. */
async function reportIn(gridCode: string, categoryCode: string, extra: Record<string, unknown> = {}): Promise<number> {
  const g = await grid(gridCode);
  const c = ok(await as.gridworker!.send('POST', '/api/cases', { lng: g.label_lng, lat: g.label_lat, categoryId: category.get(categoryCode), description: '网格员巡查发现的问题', ...extra }), 201);
  return c.id;
}

async function routingOf(caseId: number, who = 'operator'): Promise<CaseRoutingView> {
  return ok<CaseRoutingView>(await as[who]!.get(`/api/cases/${caseId}/routing`));
}

beforeAll(async () => {
  p = await openTestPlatform();
  for (const u of ['admin', 'operator', 'leader', 'gridworker', 'gridworker2']) as[u] = await signIn(u);
  as.operatorEn = await signIn('operator', 'en');
  for (const c of await p.db.selectFrom('categories').select(['id', 'code']).execute()) category.set(c.code, c.id);
  for (const d of await p.db.selectFrom('departments').select(['id', 'code']).execute()) department.set(d.code, d.id);
  for (const d of await p.db.selectFrom('divisions').select(['id', 'code']).execute()) division.set(d.code, d.id);
});
afterAll(async () => p?.close());

describe('routing rules', () => {
  const rules: Record<string, RoutingRule> = {};

  it('are created by administrators with their names, and refuse unknown references', async () => {
    const add = async (body: Record<string, unknown>) => ok<RoutingRule>(await as.admin!.send('POST', '/api/routing-rules', body), 201);
    rules.exactEverywhere = await add({ categoryId: category.get('0101'), departmentId: department.get('HB'), note: '暴露垃圾统一交环保所' });
    rules.exactCommunity = await add({ categoryId: category.get('0101'), divisionId: division.get('370871005001'), departmentId: department.get('ZJ') });
    rules.parentStreet = await add({ categoryId: category.get('01'), divisionId: division.get('370871005'), departmentId: department.get('SQ') });
    rules.anyCommunity = await add({ divisionId: division.get('370871005003'), departmentId: department.get('AJ') });
    expect(rules.exactCommunity).toMatchObject({ categoryName: '暴露垃圾', divisionName: '王回庄社区', departmentName: '住建办' });
    const listed = ok(await as.operator!.get('/api/routing-rules')).items as RoutingRule[];
    expect(listed.map((r) => r.id)).toEqual(Object.values(rules).map((r) => r.id));

    const noDept = await as.admin!.send('POST', '/api/routing-rules', { departmentId: 99999 });
    expect({ status: noDept.statusCode, code: noDept.json().error.code }).toEqual({ status: 422, code: 'unknown_department' });
    const noDiv = await as.admin!.send('POST', '/api/routing-rules', { divisionId: 99999, departmentId: department.get('HB') });
    expect({ status: noDiv.statusCode, code: noDiv.json().error.code }).toEqual({ status: 422, code: 'unknown_division' });
    expect(await p.db.selectFrom('audit_log').select('id').where('action', '=', 'routing_rule.create').execute()).toHaveLength(4);
  });

  it('suggest the department of the most specific rule, and the category default when none applies', async () => {
    const cases: [grid: string, cat: string, dept: string, reason: string, match: string | null, rule: string | null][] = [
      // own category + the community beats own category everywhere
      ['37087100500101', '0101', 'ZJ', 'rule', 'exact', 'exactCommunity'],
      // own category everywhere beats the parent category in the street
      ['37087100500201', '0101', 'HB', 'rule', 'exact', 'exactEverywhere'],
      // a sibling category falls to the parent-category rule
      ['37087100500201', '0102', 'SQ', 'rule', 'parent', 'parentStreet'],
      // any category in 南集一村 beats the default
      ['37087100500301', '1101', 'AJ', 'rule', 'any', 'anyCommunity'],
      // nothing applies: 井盖破损 defaults to 住建办
      ['37087100500201', '1101', 'ZJ', 'category_default', null, null],
    ];
    for (const [gridCode, cat, dept, reason, match, rule] of cases) {
      const view = await routingOf(await reportIn(gridCode, cat));
      expect({ gridCode, cat, suggested: view.department.suggested?.id, reason: view.department.reason, match: view.department.match, ruleId: view.department.ruleId }).toEqual({
        gridCode,
        cat,
        suggested: department.get(dept),
        reason,
        match,
        ruleId: rule ? rules[rule]!.id : null,
      });
      expect(view.department.current).toBeNull();
    }

    const exact = await routingOf(await reportIn('37087100500101', '0101'));
    expect(exact.department.text).toBe(`规则 #${rules.exactCommunity!.id}：王回庄社区的“暴露垃圾”案件交住建办办理。`);
    expect(exact.grid.text).toBe(`位置在网格${exact.grid.grid!.name}（37087100500101）内，按位置自动划入。`);
    const en = ok<CaseRoutingView>(await as.operatorEn!.get(`/api/cases/${exact.caseId}/routing`));
    expect(en.department.text).toBe(`Rule #${rules.exactCommunity!.id}: "暴露垃圾" cases in 王回庄社区 go to 住建办.`);
    expect(en.grid.text).toContain('routed there by position');
    const fallback = await routingOf(await reportIn('37087100500201', '1101'));
    expect(fallback.department.text).toBe('没有适用的分派规则，按分类“井盖破损”的默认部门交住建办办理。');
  });

  it('fall back to the next rule when one is removed', async () => {
    expect((await as.admin!.send('DELETE', `/api/routing-rules/${rules.exactCommunity!.id}`)).statusCode).toBe(204);
    expect((await as.admin!.send('DELETE', `/api/routing-rules/${rules.exactCommunity!.id}`)).statusCode).toBe(404);
    const view = await routingOf(await reportIn('37087100500101', '0101'));
    expect(view.department).toMatchObject({ reason: 'rule', ruleId: rules.exactEverywhere!.id, suggested: { id: department.get('HB') } });
  });

  it('explain a case only to readers who may read it', async () => {
    const id = await reportIn('37087100500101', '0101');
    expect((await as.gridworker2!.get(`/api/cases/${id}/routing`)).statusCode).toBe(404);
    expect((await as.leader!.get(`/api/cases/${id}/routing`)).statusCode).toBe(200);
  });
});

describe('responsible B and C grids', () => {
  it('sets the industry grid of the category at intake (B-class)', async () => {
    const b = await grid('370871005901');
    const view = await routingOf(await reportIn('37087100500202', '9101'));
    expect(view.responsible).toMatchObject({ reason: 'industry', industry: 'environment', grid: { id: b.id, code: '370871005901' }, keyUnit: null });
    expect(view.responsible!.text).toBe('分类属于“环境保护”行业，由专业网格环保专业网格（370871005901）负责。');
    // An ordinary category has no responsible grid besides the A grid.
    expect((await routingOf(await reportIn('37087100500202', '0101'))).responsible).toBeNull();
  });

  it('sets the C-class grid of a key unit at intake, for a unit whose grid was just imported', async () => {
    const host = await grid('37087100500404');
    const [x, y, d] = [host.label_lng, host.label_lat, 0.0008];
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: '370871005960', name: '鑫源化工厂区网格', parent: '370871005', class: 'C', industry: 'work_safety' },
          geometry: { type: 'Polygon', coordinates: [[[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]] },
        },
      ],
    };
    expect(ok(await as.admin!.send('POST', '/api/grids/import', { crs: 'WGS84', geojson: fc }))).toMatchObject({ created: 1 });
    const c = await grid('370871005960');
    expect(c).toMatchObject({ grid_class: 'C', industry: 'work_safety', level: 1 });

    const wrong = await as.admin!.send('POST', '/api/key-units', { name: '鑫源化工', lng: x, lat: y, gridId: host.id });
    expect({ status: wrong.statusCode, code: wrong.json().error.code }).toEqual({ status: 422, code: 'key_unit_grid_invalid' });
    const unit = ok<KeyUnit>(
      await as.admin!.send('POST', '/api/key-units', {
        name: '鑫源化工', industry: 'work_safety', address: '科苑路 18 号', lng: x, lat: y, gridId: c.id, contact: '钱经理', phone: '13805376666', riskLevel: 'high',
      }),
      201,
    );
    expect(unit).toMatchObject({ gridId: c.id, gridCode: '370871005960', phone: '13805376666' });
    const forLeader = ok(await as.leader!.get(`/api/key-units?gridId=${c.id}`)).items as KeyUnit[];
    expect(forLeader).toEqual([expect.objectContaining({ id: unit.id, phone: '138****6666' })]);

    // The position routes by the A grid; the key unit makes its C grid responsible. C grids are not on the point index.
    const id = await reportIn('37087100500404', '9201', { keyUnitId: unit.id });
    const row = await p.db.selectFrom('cases').select(['grid_id', 'responsible_grid_id', 'key_unit_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ grid_id: host.id, responsible_grid_id: c.id, key_unit_id: unit.id });
    const view = await routingOf(id);
    expect(view.responsible).toMatchObject({ reason: 'key_unit', grid: { id: c.id }, keyUnit: { id: unit.id, name: '鑫源化工' } });
    expect(view.responsible!.text).toBe('案件涉及重点单位“鑫源化工”，由该单位的网格鑫源化工厂区网格（370871005960）负责。');
    const en = ok<CaseRoutingView>(await as.operatorEn!.get(`/api/cases/${id}/routing`));
    expect(en.responsible!.text).toContain('key unit 鑫源化工');
  });
});
