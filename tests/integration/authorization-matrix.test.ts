// The authorization matrix, generated from the OpenAPI document and the policy each route declares
// (`config: { roles }` or `config: { public: true }`): every endpoint × every role (and no session), plus in/out of
// scope for the objects a request names. A route that declares no policy fails the suite.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/shared/vocabulary.js';
import type { CaseDetail } from '../../src/shared/api.js';
import { GRID_1, jpeg, moveOk, ok, openWorld, reportAt, type World } from '../support/factories.js';
import { endpointsOf, fillPath, rowCounts, STREAMING, type Endpoint } from '../support/endpoints.js';
import type { Client } from '../support/platform.js';

/** One demo user per role, and a second one of a role where scope can be tested across users. */
const USERS: Record<string, Role> = {
  admin: 'admin',
  operator: 'operator',
  leader: 'leader',
  gridworker: 'grid_worker',
  gridworker2: 'grid_worker',
  chengguan: 'department',
  huanbao: 'department',
  citizen: 'citizen',
};

let w: World;
let endpoints: Endpoint[];
let undeclared: string[];
let undocumented: string[];
let theCase: CaseDetail;
let photoHash: string;
let patrolId: number;
let gridId: number;
const tally = { requests: 0, serverErrors: 0, leaks: 0 };

function request(client: Client | null, e: Endpoint, path: Record<string, string | number>): Promise<LightMyRequestResponse> {
  const url = fillPath(e.url, path);
  tally.requests++;
  if (!client) return w.p.app.inject({ method: e.method as 'GET', url, headers: { 'accept-language': 'zh-CN' }, ...(e.method === 'GET' || e.method === 'DELETE' ? {} : { payload: {} }) });
  if (e.method === 'GET') return client.get(url);
  return client.send(e.method as 'POST', url, e.method === 'DELETE' ? undefined : {});
}

const pathValues = () => ({ id: 0, hash: photoHash, date: '2031-01-01', move: 'accept', personId: 2147483000 });
/** The object an id in the path names: the case, the patrol, the grid of the fixtures; others a missing id. */
function idFor(e: Endpoint): number {
  if (e.url.startsWith('/api/cases/:id')) return theCase.id;
  if (e.url.startsWith('/api/patrols/:id')) return patrolId;
  if (e.url.startsWith('/api/grids/:id')) return gridId;
  return 2147483000;
}

beforeAll(async () => {
  w = await openWorld(Object.keys(USERS));
  ({ endpoints, undeclared, undocumentedPolicies: undocumented } = endpointsOf(w.p.app));
  // The fixtures: a case reported with a photo in gridworker's grid and dispatched to 城管 (chengguan); a patrol
  // of gridworker's.
  photoHash = ok(await w.u.gridworker!.upload('/api/photos', await jpeg('#135', 40, 30)), 201).hash;
  theCase = await reportAt(w, w.u.gridworker!, GRID_1, { photos: [photoHash] });
  theCase = await moveOk(w.u.operator!, theCase, 'accept');
  theCase = await moveOk(w.u.operator!, theCase, 'dispatch', { departmentId: w.departments.get('CG'), deadline: new Date(Date.now() + 3 * 86_400_000).toISOString() });
  patrolId = ok(await w.u.gridworker!.post('/api/patrols', { clientKey: 'matrix-patrol' })).id;
  gridId = w.grids.get(GRID_1)!.properties.id as number;
}, 180_000);
afterAll(async () => {
  console.log(`[authorization matrix] ${tally.requests} requests, ${endpoints.length} endpoints × ${Object.keys(USERS).length + 1} principals, ${tally.serverErrors} answers 500, ${tally.leaks} leaks`);
  await w?.p.close();
});

describe('route policies', () => {
  it('every endpoint declares who may call it (config.roles or config.public), and every documented path has a route', () => {
    expect(endpoints.length).toBeGreaterThan(50);
    expect(undeclared, 'routes without a declared policy').toEqual([]);
    expect(undocumented, 'documented paths the app does not serve').toEqual([]);
  });
  it('declared roles are real roles', () => {
    for (const e of endpoints) for (const r of e.policy.roles ?? []) expect(ROLES).toContain(r);
  });
});

describe('every endpoint × every principal', () => {
  it('refused callers get 401/403 with a message before anything runs, and nothing is written', async () => {
    const before = await rowCounts(w.p.db);
    for (const e of endpoints) {
      const path = { ...pathValues(), id: idFor(e) };
      if (!e.policy.public) {
        const res = await request(null, e, path);
        expect({ route: `${e.method} ${e.url}`, status: res.statusCode, code: res.json().error?.code }).toEqual({ route: `${e.method} ${e.url}`, status: 401, code: 'unauthenticated' });
        expect(res.json().error.message).toBeTruthy();
      }
      for (const [username, role] of Object.entries(USERS)) {
        if (e.policy.public || !e.policy.roles || e.policy.roles.includes(role)) continue;
        const res = await request(w.u[username]!, e, path);
        if (res.statusCode >= 500) tally.serverErrors++;
        expect({ route: `${e.method} ${e.url}`, username, status: res.statusCode, code: res.json().error?.code }).toEqual({
          route: `${e.method} ${e.url}`,
          username,
          status: 403,
          code: 'forbidden',
        });
        expect(res.json().error.message).toBeTruthy();
      }
    }
    expect(await rowCounts(w.p.db)).toEqual(before);
  });

  it('allowed callers pass the policy: never a 500, never asked to log in, every refusal with a message', async () => {
    for (const e of endpoints) {
      if (STREAMING.has(`${e.method} ${e.url}`) || e.url === '/api/auth/logout' || e.url === '/api/auth/login') continue;
      const path = { ...pathValues(), id: idFor(e) };
      for (const [username, role] of Object.entries(USERS)) {
        if (e.policy.roles && !e.policy.roles.includes(role)) continue;
        const res = await request(w.u[username]!, e, path);
        const route = `${e.method} ${e.url} as ${username}`;
        if (res.statusCode >= 500) tally.serverErrors++;
        expect(res.statusCode, `${route}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
        expect(res.statusCode, route).not.toBe(401);
        if (res.statusCode >= 400) expect(res.json().error?.message, `${route}: ${res.body.slice(0, 300)}`).toBeTruthy();
      }
    }
  });
});

describe('in and out of scope', () => {
  /** Who reads the fixture case (and its photo): the case's grid (gridworker), its department, the street. */
  const READS_CASE: Record<string, boolean> = {
    admin: true,
    operator: true,
    leader: true,
    gridworker: true,
    gridworker2: false,
    chengguan: true,
    huanbao: false,
    citizen: false,
  };
  const READS_PATROL: Record<string, number> = { admin: 200, operator: 200, leader: 200, gridworker: 200, gridworker2: 404, chengguan: 403, huanbao: 403, citizen: 403 };

  it.each(Object.keys(USERS))('%s: the case, its routing, its photo and thumbnail, and the case lists answer by scope', async (username) => {
    const c = w.u[username]!;
    const expected = READS_CASE[username] ? 200 : 404;
    for (const url of [`/api/cases/${theCase.id}`, `/api/cases/${theCase.id}/routing`, `/api/photos/${photoHash}`, `/api/photos/${photoHash}/thumb`]) {
      const res = await c.get(url);
      tally.requests++;
      if (res.statusCode !== expected && res.statusCode === 200) tally.leaks++;
      expect({ url, status: res.statusCode }).toEqual({ url, status: expected });
    }
    const list = ok(await c.get('/api/cases?pageSize=200'));
    tally.requests++;
    const listed = list.items.some((i: { id: number }) => i.id === theCase.id);
    if (listed && !READS_CASE[username]) tally.leaks++;
    expect(listed).toBe(READS_CASE[username]);
  });

  it.each(Object.keys(USERS))('%s: the patrol answers by role and scope', async (username) => {
    const res = await w.u[username]!.get(`/api/patrols/${patrolId}`);
    tally.requests++;
    if (res.statusCode === 200 && READS_PATROL[username] !== 200) tally.leaks++;
    expect(res.statusCode).toBe(READS_PATROL[username]);
  });
});
