// Small factories for integration tests: a "world" of logged-in demo users over one seeded platform, images
// made with sharp, reporting at a grid's label point, and driving a fresh case to a given state via the API.
import type { Clock } from '../../src/clock.js';
import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { CaseDetail, GridCollection } from '../../src/shared/api.js';
import type { CaseState, MoveName } from '../../src/shared/vocabulary.js';
import { login, openTestPlatform, type Client, type TestPlatform } from './platform.js';

/** The first grid of the first community: gridworker's grid. */
export const GRID_1 = '37087100500101';
/** The third grid of the second community: gridworker2's grid (seed: grid k = 8). */
export const GRID_2 = '37087100500203';

export interface World {
  p: TestPlatform;
  /** logged-in clients by demo username (zh-CN) */
  u: Record<string, Client>;
  grids: Map<string, GridCollection['features'][number]>;
  departments: Map<string, number>;
  /** a leaf category whose default department is 城管 (CG): 暴露垃圾 */
  categoryId: number;
}

/** Boots a seeded platform and logs in the given demo users (each login counts against the 20/min login limit). */
export async function openWorld(usernames: readonly string[], opts: { cases?: number; clock?: Clock } = {}): Promise<World> {
  const p = await openTestPlatform(opts);
  const u: Record<string, Client> = {};
  for (const name of usernames) u[name] = await login(p.app, name);
  const any = u[usernames[0]!]!;
  const grids = new Map((ok(await any.get('/api/grids')) as GridCollection).features.map((f) => [f.properties.code, f]));
  const departments = new Map((ok(await any.get('/api/departments')) as { id: number; code: string }[]).map((d) => [d.code, d.id]));
  const categories = ok(await any.get('/api/categories')) as { id: number; code: string }[];
  const categoryId = categories.find((c) => c.code === '0101')!.id;
  return { p, u, grids, departments, categoryId };
}

/** The JSON body of a 2xx response; fails the test with the body otherwise. */
export function ok(res: LightMyRequestResponse, status?: number): any {
  if (status != null ? res.statusCode !== status : res.statusCode >= 300) {
    throw new Error(`expected ${status ?? '2xx'}, got ${res.statusCode}: ${res.body}`);
  }
  return res.body ? res.json() : null;
}

/** Expects an error response with a status and an error code; returns the error body. */
export function refused(res: LightMyRequestResponse, status: number, code: string): { code: string; message: string } {
  expect({ status: res.statusCode, code: res.json().error?.code }, res.body).toEqual({ status, code });
  return res.json().error;
}

export function jpeg(color = '#c00', width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } }).jpeg().toBuffer();
}
export function png(color = '#0c0', width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer();
}
export function webp(color = '#00c', width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } }).webp().toBuffer();
}
export function gif(color = '#cc0', width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } }).gif().toBuffer();
}

let colorSeq = 0;
/** Uploads a fresh, unique JPEG and returns its hash. */
export async function uploadPhoto(client: Client, bytes?: Buffer): Promise<string> {
  colorSeq++;
  const b = bytes ?? (await jpeg(`#${(colorSeq * 2654435761 >>> 8).toString(16).padStart(6, '0').slice(-6)}`));
  return ok(await client.upload('/api/photos', b), 201).hash as string;
}

/** Reports a case at the label point of a grid; returns the created case (201). */
export async function reportAt(w: World, client: Client, gridCode: string, extra: Record<string, unknown> = {}): Promise<CaseDetail> {
  const res = await client.post('/api/cases', reportBody(w, gridCode, extra));
  return ok(res, 201) as CaseDetail;
}

export function reportBody(w: World, gridCode: string, extra: Record<string, unknown> = {}) {
  const g = w.grids.get(gridCode);
  if (!g) throw new Error(`no grid ${gridCode}`);
  return {
    lng: g.properties.labelLng,
    lat: g.properties.labelLat,
    categoryId: w.categoryId,
    description: '路边堆放生活垃圾，散发异味',
    address: '崇文大道18号附近',
    ...extra,
  };
}

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** POSTs a move; returns the raw response. */
export function move(client: Client, id: number, name: MoveName | string, body: Record<string, unknown>) {
  return client.post(`/api/cases/${id}/moves/${name}`, body);
}

/** Makes a move that must succeed; returns the case after it. */
export async function moveOk(client: Client, c: Pick<CaseDetail, 'id' | 'version'>, name: MoveName, body: Record<string, unknown> = {}) {
  return ok(await move(client, c.id, name, { version: c.version, ...body }), 200) as CaseDetail;
}

export interface WalkOptions {
  grid?: string;
  /** reports and verifies; default gridworker (grid 1) or gridworker2 (grid 2) */
  worker?: string;
  /** reports instead of the worker (e.g. a citizen) */
  reporter?: string;
  /** extra fields for the dispatch (e.g. coDepartmentIds) */
  dispatch?: Record<string, unknown>;
  department?: string;
  handler?: string;
}

/** The path of the loop, in order, with who moves and what the move needs. */
const PATH: { move: MoveName; to: CaseState; who: 'operator' | 'handler' | 'worker' }[] = [
  { move: 'accept', to: 'accepted', who: 'operator' },
  { move: 'dispatch', to: 'dispatched', who: 'operator' },
  { move: 'sign', to: 'in_progress', who: 'handler' },
  { move: 'handle', to: 'handled', who: 'handler' },
  { move: 'verify_pass', to: 'verified', who: 'worker' },
  { move: 'close', to: 'closed', who: 'operator' },
];

/** Reports a fresh case and drives it through the API to `state` with the right users (who must be logged in). */
export async function walkTo(w: World, state: CaseState, o: WalkOptions = {}): Promise<CaseDetail> {
  const grid = o.grid ?? GRID_1;
  const worker = w.u[o.worker ?? (grid === GRID_2 ? 'gridworker2' : 'gridworker')]!;
  const handler = w.u[o.handler ?? 'chengguan']!;
  const operator = w.u.operator!;
  let c = await reportAt(w, o.reporter ? w.u[o.reporter]! : worker, grid);
  if (state === 'reported') return c;
  if (state === 'rejected') return moveOk(operator, c, 'reject', { note: '重复上报，已有案件在办' });
  for (const step of PATH) {
    const who = step.who === 'operator' ? operator : step.who === 'handler' ? handler : worker;
    const body =
      step.move === 'dispatch'
        ? { departmentId: w.departments.get(o.department ?? 'CG'), deadline: inDays(3), ...o.dispatch }
        : step.move === 'handle'
          ? { note: '已清理完毕，恢复原状' }
          : {};
    c = await moveOk(who, c, step.move, body);
    expect(c.state).toBe(step.to);
    if (c.state === state) return c;
  }
  throw new Error(`walkTo: cannot reach ${state}`);
}

/** Counts rows: audit rows about a case, and its events. */
export async function auditRowsOf(p: TestPlatform, caseId: number) {
  return p.db
    .selectFrom('audit_log')
    .selectAll()
    .where('target_type', '=', 'case')
    .where('target_id', '=', String(caseId))
    .orderBy('id')
    .execute();
}
export async function eventRowsOf(p: TestPlatform, caseId: number) {
  return p.db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}
export async function caseRow(p: TestPlatform, caseId: number) {
  return p.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
}

/** A snapshot of everything a refused request must leave untouched. */
export async function snapshot(p: TestPlatform, caseId?: number) {
  const count = async (t: 'cases' | 'case_events' | 'audit_log' | 'photos') =>
    (await p.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  return {
    cases: await count('cases'),
    events: await count('case_events'),
    // login audit rows are not about cases; only count rows that a case or photo change would write
    audit: Number(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE target_type IN ('case', 'photo')`.execute(p.db)
      ).rows[0]!.n,
    ),
    photos: await count('photos'),
    case: caseId == null ? null : await caseRow(p, caseId),
  };
}

/** A raw login from a chosen IP address (the login route is rate-limited per IP). */
export function loginRequest(app: TestPlatform['app'], username: string, password: string, o: { ip?: string; lang?: string } = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    remoteAddress: o.ip ?? '10.9.9.9',
    headers: { 'accept-language': o.lang ?? 'zh-CN' },
  });
}

/** A logged-in client that also exposes its cookie, for requests the harness client cannot make (no CSRF header…). */
export interface RawClient extends Client {
  cookie: string;
  inject: TestPlatform['app']['inject'];
}

export async function signIn(
  app: TestPlatform['app'],
  username: string,
  password: string,
  o: { ip?: string; lang?: string } = {},
): Promise<RawClient> {
  const res = await loginRequest(app, username, password, o);
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = `gw_session=${res.cookies.find((c) => c.name === 'gw_session')!.value}`;
  const csrfToken = res.json().csrfToken as string;
  const headers = { cookie, 'accept-language': o.lang ?? 'zh-CN' };
  return {
    username,
    csrfToken,
    cookie,
    inject: app.inject.bind(app),
    get: (url) => app.inject({ method: 'GET', url, headers }),
    post: (url, body) =>
      app.inject({ method: 'POST', url, headers: { ...headers, 'x-csrf-token': csrfToken }, ...(body === undefined ? {} : { payload: body as object }) }),
    send: (method, url, body) =>
      app.inject({ method, url, headers: { ...headers, 'x-csrf-token': csrfToken }, ...(body === undefined ? {} : { payload: body as object }) }),
    upload: () => {
      throw new Error('use the harness client to upload');
    },
  };
}
