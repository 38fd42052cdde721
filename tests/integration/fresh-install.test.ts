// A new office from nothing, through the API only: a production install (NODE_ENV=production) on an empty database
// holds one administrator and nothing else. The administrator creates the street (typing its district), two
// communities with boundaries, departments, adopts the standard categories, imports grids, creates an operator, a
// department handler and a grid worker; then one case goes round the whole loop.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { openPlatform, type Platform } from '../../src/platform.js';
import { buildApp } from '../../src/server/app.js';
import type { FastifyInstance } from 'fastify';
import { dropTestSchema, login, type Client } from '../support/platform.js';
import { inDays, ok, uploadPhoto } from '../support/factories.js';

const ADMIN_PASSWORD = 'First@Install2026';
const url = process.env.DATABASE_URL;
const schema = `gw_fresh_${process.pid}_${randomBytes(4).toString('hex')}`;
let platform: Platform;
let app: FastifyInstance;
let dataDir: string;

// The street: a 0.02° × 0.01° rectangle; community 1 its west half, community 2 its east half; two grids each.
const W = 116.65, S = 35.42, E = 116.67, N = 35.43, M = 116.66;
const rect = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });

/** Logs in with a temporary password, changes it (the server insists), and logs in again. */
async function firstLogin(username: string, temporary: string, lang = 'zh-CN'): Promise<Client> {
  const c = await login(app, username, temporary, lang);
  expect(ok(await c.get('/api/auth/session')).user.mustChangePassword).toBe(true);
  expect((await c.get('/api/admin/setup')).statusCode).toBe(403);
  const next = `${username}-Chosen@2026`;
  ok(await c.post('/api/auth/password', { currentPassword: temporary, newPassword: next }));
  return login(app, username, next, lang);
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'gridwork-fresh-'));
  const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ADMIN_PASSWORD, ...(url ? { DATABASE_URL: url } : {}) });
  if (url) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.end();
  }
  platform = await openPlatform(config, url ? { schema } : { pgliteInMemory: true });
  app = await buildApp({ db: platform.db, config });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await platform?.db.destroy();
  if (url) await dropTestSchema(url, schema);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a fresh production install', () => {
  it('is set up through the API and completes one case round the loop', async () => {
    const db = platform.db;
    expect(platform.seeded).toBe(false);
    const n = async (t: 'divisions' | 'departments' | 'categories' | 'grids' | 'users' | 'cases') => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect([await n('divisions'), await n('departments'), await n('categories'), await n('grids'), await n('users'), await n('cases')]).toEqual([0, 0, 0, 0, 1, 0]);

    const admin = await firstLogin('admin', ADMIN_PASSWORD);
    const setup0 = ok(await admin.get('/api/admin/setup'));
    expect(setup0.missing).toEqual(['street', 'communities', 'departments', 'categories', 'grids', 'users']);

    // the street, naming its district by code; then two communities with boundaries
    const street = ok(await admin.post('/api/divisions', { level: 'street', code: '370871005', name: '接庄街道', district: { code: '370871', name: '济宁高新区' }, geometry: rect(W, S, E, N) }), 201);
    const c1 = ok(await admin.post('/api/divisions', { level: 'community', code: '370871005001', name: '王回庄社区', parentId: street.id }), 201);
    const c2 = ok(await admin.post('/api/divisions', { level: 'village', code: '370871005201', name: '付庄村', parentId: street.id, geometry: rect(M, S, E, N) }), 201);
    const setup1 = ok(await admin.get('/api/admin/setup'));
    expect(setup1.missing).toEqual(['boundaries', 'departments', 'categories', 'grids', 'users']);
    expect(setup1.communitiesWithoutBoundary.map((d: any) => d.name)).toEqual(['王回庄社区']);
    expect((await admin.send('PUT', `/api/divisions/${c1.id}`, { geometry: rect(W, S, M, N) })).statusCode).toBe(204);
    expect(ok(await admin.get('/api/divisions')).map((d: any) => [d.code, d.level])).toEqual([
      ['370871', 'district'], ['370871005', 'street'], ['370871005001', 'community'], ['370871005201', 'village'],
    ]);

    // departments, then the standard categories (those going to 城管 get it as their default department)
    const cg = ok(await admin.post('/api/departments', { code: 'CG', name: '城管执法中队' }), 201);
    ok(await admin.post('/api/departments', { code: 'ZJ', name: '住建办' }), 201);
    const adopted = ok(await admin.post('/api/categories/adopt-standard'), 201);
    expect(adopted.categories).toBeGreaterThan(10);
    expect(adopted.withDepartment).toBeGreaterThan(0);
    const categories = ok(await admin.get('/api/categories')) as any[];
    const rubbish = categories.find((c) => c.code === '0101');
    expect(rubbish.defaultDepartmentId).toBe(cg.id);

    // grids through the existing import: two per community, tiling it
    const feature = (code: string, name: string, parent: string, g: unknown) => ({ type: 'Feature', properties: { code, name, parent }, geometry: g });
    const imported = await admin.post('/api/grids/import', {
      crs: 'WGS84',
      geojson: {
        type: 'FeatureCollection',
        features: [
          feature('37087100500101', '王回庄第1网格', '370871005001', rect(W, S, M, 35.425)),
          feature('37087100500102', '王回庄第2网格', '370871005001', rect(W, 35.425, M, N)),
          feature('37087100520101', '付庄第1网格', '370871005201', rect(M, S, E, 35.425)),
          feature('37087100520102', '付庄第2网格', '370871005201', rect(M, 35.425, E, N)),
        ],
      },
    });
    expect(imported.statusCode, imported.body).toBeLessThan(300);
    expect(await n('grids')).toBe(4);
    const grid1 = await db.selectFrom('grids').selectAll().where('code', '=', '37087100500101').executeTakeFirstOrThrow();

    // people
    const made = async (body: Record<string, unknown>) => ok(await admin.post('/api/users', body), 201);
    const op = await made({ username: 'zhihui', displayName: '指挥中心 孙丽', role: 'operator', scope: { type: 'division', id: street.id } });
    const handler = await made({ username: 'chengguan', displayName: '城管 张建国', role: 'department', departmentId: cg.id });
    const worker = await made({ username: 'wangge1', displayName: '网格员 杨德龙', role: 'grid_worker', scope: { type: 'grid', id: grid1.id } });
    const setup2 = ok(await admin.get('/api/admin/setup'));
    expect(setup2).toMatchObject({ complete: true, missing: [], streets: 1, communities: 2, departments: 2, grids: 4, users: 3 });

    // the loop
    const operator = await firstLogin('zhihui', op.temporaryPassword);
    const chengguan = await firstLogin('chengguan', handler.temporaryPassword);
    const gridworker = await firstLogin('wangge1', worker.temporaryPassword);
    let c = ok(await gridworker.post('/api/cases', { lng: 116.655, lat: 35.422, categoryId: rubbish.id, description: '路边堆放生活垃圾，散发异味', address: '王回庄路 3 号' }), 201);
    expect(c.state).toBe('reported');
    const move = async (who: Client, name: string, body: Record<string, unknown> = {}) => {
      c = ok(await who.post(`/api/cases/${c.id}/moves/${name}`, { version: c.version, ...body }));
      return c.state;
    };
    expect(await move(operator, 'accept')).toBe('accepted');
    expect(await move(operator, 'dispatch', { departmentId: cg.id, deadline: inDays(3) })).toBe('dispatched');
    expect(await move(chengguan, 'sign')).toBe('in_progress');
    expect(await move(chengguan, 'handle', { note: '已清理完毕', photos: [await uploadPhoto(chengguan)] })).toBe('handled');
    expect(await move(gridworker, 'verify_pass')).toBe('verified');
    expect(await move(operator, 'close')).toBe('closed');

    // every step of the setup is in the audit log, by the administrator
    const actions = (await db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((r) => r.action);
    for (const a of ['division.create', 'division.update', 'department.create', 'category.adopt_standard', 'user.create']) expect(actions).toContain(a);
  });
});
