// The people responsible for grids through the API: the Excel template, a sheet import that replaces the people of
// the grids it names (all or nothing, bad rows named by row and column), the export that imports back unchanged,
// masked phones for readers who do not call people, and adding or removing one person.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { buildPeopleExport, parsePeopleSheet, type PeopleExportRow } from '../../src/domain/grids/people-sheet.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import type { GridDetail } from '../../src/shared/grids-api.js';
import { login, ok, openTestPlatform, type Client, type TestPlatform } from '../support/platform.js';

type Api = Client;

let p: TestPlatform;
const as: Record<string, Api> = {};

const signIn = (username: string, lang = 'zh-CN'): Promise<Api> => login(p.app, username, DEMO_PASSWORD, lang);

async function gridId(code: string): Promise<number> {
  return (await p.db.selectFrom('grids').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

/** Everyone responsible for a grid, by grid code then name (sorted here: collations differ between databases). */
async function people() {
  const rows = await p.db
    .selectFrom('grid_people')
    .innerJoin('grids', 'grids.id', 'grid_people.grid_id')
    .select(['grids.code', 'grid_people.name', 'grid_people.role', 'grid_people.phone', 'grid_people.note'])
    .execute();
  const key = (r: (typeof rows)[number]) => `${r.code}\u0000${r.name}`;
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

beforeAll(async () => {
  p = await openTestPlatform();
  // The demo's grid workers are the 网格员 records of their grids (linked accounts); this suite is about the sheet and
  // single people, so it starts from grids with nobody on them.
  await p.db.deleteFrom('grid_people').execute();
  for (const u of ['admin', 'operator', 'leader']) as[u] = await signIn(u);
});
afterAll(async () => p?.close());

describe('one person at a time', () => {
  it('adds a person with the phone normalised, refuses a bad phone, removes by id', async () => {
    const id = await gridId('37087100500101');
    const added = ok(await as.admin!.send('POST', `/api/grids/${id}/people`, { name: '李娜', role: 'grid_leader', phone: '+86 139-0537-0001', note: '社区书记' }), 201);
    expect(added).toMatchObject({ name: '李娜', role: 'grid_leader', phone: '13905370001' });
    const bad = await as.admin!.send('POST', `/api/grids/${id}/people`, { name: '王五', role: 'grid_worker', phone: '12345' });
    expect({ status: bad.statusCode, code: bad.json().error.code }).toEqual({ status: 422, code: 'grid_person_phone_invalid' });
    expect(bad.json().error.message).toContain('“12345”');

    const second = ok(await as.admin!.send('POST', `/api/grids/${await gridId('37087100500202')}/people`, { name: '周强', role: 'grid_worker', phone: '13905370002' }), 201);
    expect(ok<GridDetail>(await as.leader!.get(`/api/grids/${id}`)).people.map((x) => x.phone)).toEqual(['139****0001']);

    const throwaway = ok(await as.admin!.send('POST', `/api/grids/${id}/people`, { name: '临时', role: 'liaison_cadre', phone: '13905370003' }), 201);
    expect((await as.admin!.send('DELETE', `/api/grids/${id}/people/${throwaway.id}`)).statusCode).toBe(204);
    expect((await as.admin!.send('DELETE', `/api/grids/${id}/people/${throwaway.id}`)).statusCode).toBe(404);
    // A person is removed only through the grid it belongs to.
    expect((await as.admin!.send('DELETE', `/api/grids/${id}/people/${second.id}`)).statusCode).toBe(404);
    expect((await people()).map((x) => x.name)).toEqual(['李娜', '周强']);
  });
});

describe('the people sheet', () => {
  it('serves the template', async () => {
    const res = await as.operator!.get('/api/grids/people-template.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('attachment');
    const parsed = await parsePeopleSheet(res.rawPayload);
    expect(parsed).toEqual({ ok: true, rows: [] });
  });

  it('replaces the people of exactly the grids the sheet names', async () => {
    const rows: PeopleExportRow[] = [
      { gridCode: '37087100500101', name: '张伟', role: 'grid_leader', phone: '13805371111' },
      { gridCode: '37087100500101', name: '刘洋', role: 'grid_worker', phone: '13805372222', note: '专职' },
      { gridCode: '37087100500301', name: '陈静', role: 'liaison_cadre', phone: '13805373333' },
    ];
    const auditBefore = await p.db.selectFrom('audit_log').select('id').where('action', '=', 'grid.people_import').execute();
    const result = ok(await as.admin!.upload('/api/grids/people/import', await buildPeopleExport(rows), '网格人员.xlsx'));
    expect(result).toEqual({ rows: 3, grids: 2, removed: 1 });
    expect(await people()).toEqual([
      { code: '37087100500101', name: '刘洋', role: 'grid_worker', phone: '13805372222', note: '专职' },
      { code: '37087100500101', name: '张伟', role: 'grid_leader', phone: '13805371111', note: '' },
      // …202 is not in the sheet: its people stay.
      { code: '37087100500202', name: '周强', role: 'grid_worker', phone: '13905370002', note: '' },
      { code: '37087100500301', name: '陈静', role: 'liaison_cadre', phone: '13805373333', note: '' },
    ]);
    const audit = await p.db.selectFrom('audit_log').select(['data']).where('action', '=', 'grid.people_import').execute();
    expect(audit.length).toBe(auditBefore.length + 1);
  });

  it('exports a sheet that imports back unchanged; masks phones for readers who do not call people', async () => {
    const before = await people();
    const exported = await as.admin!.get('/api/grids/people.xlsx');
    expect(exported.statusCode).toBe(200);
    const parsed = await parsePeopleSheet(exported.rawPayload);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.rows.map((r) => [r.gridCode, r.name, r.role, r.phone]).sort()).toEqual(before.map((x) => [x.code, x.name, x.role, x.phone]).sort());

    const again = ok(await as.admin!.send('POST', '/api/grids/people/import', { base64: exported.rawPayload.toString('base64') }));
    expect(again).toEqual({ rows: 4, grids: 3, removed: 4 });
    expect(await people()).toEqual(before);

    const masked = await parsePeopleSheet((await as.leader!.get('/api/grids/people.xlsx')).rawPayload);
    expect(masked.ok).toBe(false);
    if (masked.ok) return;
    expect(masked.errors.every((e) => e.problem === 'invalid_phone' && String(e.params.value).includes('****'))).toBe(true);
  });

  it('refuses a sheet with bad rows, naming row and column, and changes nothing', async () => {
    const before = await people();
    const rows: PeopleExportRow[] = [
      { gridCode: '37087100500101', name: '好人', role: 'grid_worker', phone: '13805374444' },
      { gridCode: '37087100599999', name: '无此网格', role: 'grid_worker', phone: '13805375555' },
      { gridCode: '37087100500102', name: '坏号码', role: 'grid_worker', phone: '1380537' },
    ];
    const res = await as.admin!.upload('/api/grids/people/import', await buildPeopleExport(rows), 'bad.xlsx');
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error.code).toBe('grid_people_invalid');
    expect(body.errors.map((e: any) => [e.row, e.column, e.code])).toEqual([
      [3, '网格编码', 'unknown_grid'],
      [4, '手机', 'invalid_phone'],
    ]);
    expect(body.errors[0].message).toBe('第 3 行“网格编码”：网格编码 37087100599999 不存在。');
    expect(body.errors[1].message).toContain('第 4 行“手机”');
    expect(await people()).toEqual(before);

    const garbage = await as.admin!.send('POST', '/api/grids/people/import', { base64: Buffer.from('not a workbook').toString('base64') });
    expect(garbage.statusCode).toBe(422);
    expect(garbage.json().errors[0]).toMatchObject({ code: 'unreadable_file', row: 0 });
    expect(await people()).toEqual(before);
  });
});
