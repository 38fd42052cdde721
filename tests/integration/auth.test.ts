// Accounts and sessions: login failures and lockout, sessions and CSRF, logout, password change, the forced
// first change, and how passwords are stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/services/auth.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import type { Role } from '../../src/shared/vocabulary.js';
import {
  loginRequest,
  move,
  ok,
  openWorld,
  refused,
  signIn,
  snapshot,
  walkTo,
  type World,
} from '../support/factories.js';

let w: World;
let streetPath: string;
let ipSeq = 0;
/** A fresh client address per login attempt: the login route also has a per-address rate limit (20/min). */
const nextIp = () => `10.20.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

beforeAll(async () => {
  w = await openWorld(['operator', 'gridworker', 'chengguan', 'admin']);
  streetPath = (await w.p.db.selectFrom('divisions').select('path').where('level', '=', 'street').executeTakeFirstOrThrow()).path;
});
afterAll(async () => w?.p.close());

let userSeq = 0;
/** A fresh account (so lockouts and password changes do not touch the demo users). */
async function account(o: { role?: Role; mustChangePassword?: boolean; password?: string } = {}) {
  const username = `acct${++userSeq}`;
  const password = o.password ?? 'Start#Pass2026';
  const role = o.role ?? 'operator';
  await createUser(
    w.p.db,
    { username, displayName: `测试用户${userSeq}`, password, role, scopePath: role === 'citizen' ? null : streetPath, mustChangePassword: o.mustChangePassword ?? false },
    null,
    null,
  );
  return { username, password };
}
const userRow = (username: string) => w.p.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();

describe('login', () => {
  it('logs in with the right password: session cookie (HttpOnly, SameSite) and a CSRF token', async () => {
    const { username, password } = await account();
    const res = await loginRequest(w.p.app, username, password, { ip: nextIp() });
    const body = ok(res);
    expect(body.user).toMatchObject({ username, role: 'operator', mustChangePassword: false, scopeName: '接庄街道' });
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = res.cookies.find((c) => c.name === 'gw_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // only a hash of the cookie is stored
    const sessions = await w.p.db.selectFrom('sessions').select('id').execute();
    expect(sessions.map((s) => s.id)).not.toContain(cookie.value);
  });

  it('a wrong password: 401 invalid_credentials with a Chinese message (English on request)', async () => {
    const { username } = await account();
    const zh = refused(await loginRequest(w.p.app, username, 'wrong-password', { ip: nextIp() }), 401, 'invalid_credentials');
    expect(zh.message).toBe('用户名或密码错误。');
    const en = refused(await loginRequest(w.p.app, username, 'wrong-password', { ip: nextIp(), lang: 'en-US,en;q=0.9' }), 401, 'invalid_credentials');
    expect(en.message).toBe('Wrong username or password.');
  });

  it('an unknown user gets the very same answer as a wrong password', async () => {
    const res = await loginRequest(w.p.app, 'nobody-here', 'whatever', { ip: nextIp() });
    expect(refused(res, 401, 'invalid_credentials').message).toBe('用户名或密码错误。');
  });

  const failuresOf = (username: string) =>
    w.p.db.selectFrom('login_failures as lf').innerJoin('users as u', 'u.id', 'lf.user_id').selectAll('lf').where('u.username', '=', username).execute();

  it('five failures from one address lock that address out of the account (429 login_throttled), not the owner elsewhere', async () => {
    const { username, password } = await account();
    const stranger = nextIp();
    for (let i = 1; i <= 4; i++) refused(await loginRequest(w.p.app, username, `wrong${i}`, { ip: stranger }), 401, 'invalid_credentials');
    const locked = refused(await loginRequest(w.p.app, username, 'wrong5', { ip: stranger }), 429, 'login_throttled');
    expect(locked.message).toBe('登录失败次数过多，请 15 分钟后再试。');
    const stillLocked = refused(await loginRequest(w.p.app, username, password, { ip: stranger }), 429, 'login_throttled');
    expect(stillLocked.message).toMatch(/请 1[45] 分钟后再试/);
    const [row] = await failuresOf(username);
    expect(row).toMatchObject({ source: stranger, failures: 5, locks: 1 });
    expect(row!.locked_until!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    const user = await userRow(username);
    const audit = await w.p.db.selectFrom('audit_log').select('action').where('target_type', '=', 'user').where('target_id', '=', String(user.id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['user.create', 'auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.locked']);

    // the owner, from another address, logs in and finds the notice
    const owner = await signIn(w.p.app, username, password, { ip: nextIp() });
    const notices = ok(await owner.get('/api/notifications')) as { items: { kind: string; title: string; body: string }[] };
    expect(notices.items[0]).toMatchObject({ kind: 'account_locked' });
    expect(notices.items[0]!.title).toContain(stranger);

    // administrators see the lock; others may not ask
    const locks = ok(await w.u.admin!.get('/api/auth/locks')) as { items: { username: string; source: string }[] };
    expect(locks.items).toContainEqual(expect.objectContaining({ username, source: stranger }));
    refused(await w.u.operator!.get('/api/auth/locks'), 403, 'forbidden');

    // when the lock has run out (moved back in time here), five more failures lock the address for twice as long
    await w.p.db.updateTable('login_failures').set({ locked_until: new Date(Date.now() - 1000) }).where('user_id', '=', user.id).execute();
    for (let i = 1; i <= 4; i++) refused(await loginRequest(w.p.app, username, `again${i}`, { ip: stranger }), 401, 'invalid_credentials');
    expect(refused(await loginRequest(w.p.app, username, 'again5', { ip: stranger }), 429, 'login_throttled').message).toBe('登录失败次数过多，请 30 分钟后再试。');
  });

  it('five failures lock the address even when the guesses arrive at once', async () => {
    const { username } = await account();
    const ip = nextIp();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => loginRequest(w.p.app, username, `guess${i}`, { ip })));
    const passedToCheck = results.filter((r) => r.statusCode === 401).length;
    expect(passedToCheck).toBeLessThanOrEqual(5);
    expect((await failuresOf(username))[0]!.locked_until).not.toBeNull();
  });

  it('after a lock has run out, one more typo does not lock the address again, and a success clears the count', async () => {
    const { username, password } = await account();
    const ip = nextIp();
    for (let i = 1; i <= 5; i++) await loginRequest(w.p.app, username, `wrong${i}`, { ip });
    await w.p.db.updateTable('login_failures').set({ locked_until: new Date(Date.now() - 1000) }).where('source', '=', ip).execute();
    refused(await loginRequest(w.p.app, username, 'one-typo', { ip }), 401, 'invalid_credentials');
    ok(await loginRequest(w.p.app, username, password, { ip }));
    expect(await failuresOf(username)).toEqual([]);
  });

  it('a disabled account cannot log in, and its sessions stop working', async () => {
    const { username, password } = await account();
    const c = await signIn(w.p.app, username, password, { ip: nextIp() });
    ok(await c.get('/api/auth/session'));
    await w.p.db.updateTable('users').set({ disabled_at: new Date() }).where('username', '=', username).execute();
    refused(await c.get('/api/auth/session'), 401, 'unauthenticated');
    refused(await loginRequest(w.p.app, username, password, { ip: nextIp() }), 401, 'invalid_credentials');
  });

  it('rate-limits login attempts from one address (429 rate_limited)', async () => {
    const ip = '10.99.0.1';
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) codes.push((await loginRequest(w.p.app, 'nobody-here', 'x', { ip })).statusCode);
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    refused(await loginRequest(w.p.app, 'nobody-here', 'x', { ip }), 429, 'rate_limited');
    // another address is not affected
    refused(await loginRequest(w.p.app, 'nobody-here', 'x', { ip: nextIp() }), 401, 'invalid_credentials');
  });

  it('refuses bad login input with 400 validation_failed', async () => {
    refused(await w.p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '', password: 'x' }, remoteAddress: nextIp() }), 400, 'validation_failed');
    refused(await w.p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'operator' }, remoteAddress: nextIp() }), 400, 'validation_failed');
  });
});

describe('sessions and CSRF', () => {
  it('no session, or an unknown one: 401 unauthenticated', async () => {
    for (const headers of [{}, { cookie: 'gw_session=not-a-session' }]) {
      for (const url of ['/api/cases', '/api/tasks', '/api/auth/session', '/api/grids', '/api/audit']) {
        const err = refused(await w.p.app.inject({ method: 'GET', url, headers }), 401, 'unauthenticated');
        expect(err.message).toBe('请先登录。');
      }
    }
    refused(await w.p.app.inject({ method: 'POST', url: '/api/cases', payload: {} }), 401, 'unauthenticated');
  });

  it('public routes need no session', async () => {
    expect((await w.p.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });

  it('a POST without or with a wrong X-CSRF-Token: 403 csrf_failed, nothing changes', async () => {
    const op = await signIn(w.p.app, 'operator', DEMO_PASSWORD, { ip: nextIp() });
    const other = await signIn(w.p.app, 'gridworker', DEMO_PASSWORD, { ip: nextIp() });
    const c = await walkTo(w, 'reported');
    const before = await snapshot(w.p, c.id);
    const url = `/api/cases/${c.id}/moves/accept`;
    for (const csrf of [undefined, '', 'wrong-token', other.csrfToken, `${op.csrfToken}x`]) {
      const headers: Record<string, string> = { cookie: op.cookie };
      if (csrf !== undefined) headers['x-csrf-token'] = csrf;
      const err = refused(await w.p.app.inject({ method: 'POST', url, headers, payload: { version: 0 } }), 403, 'csrf_failed');
      expect(err.message).toBe('页面已过期，请刷新页面后重试。');
    }
    // also on reporting, logging out and changing the password
    refused(await w.p.app.inject({ method: 'POST', url: '/api/cases', headers: { cookie: op.cookie }, payload: {} }), 403, 'csrf_failed');
    refused(await w.p.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: op.cookie } }), 403, 'csrf_failed');
    refused(
      await w.p.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: op.cookie }, payload: { currentPassword: DEMO_PASSWORD, newPassword: 'Another#Pass1' } }),
      403,
      'csrf_failed',
    );
    expect(await snapshot(w.p, c.id)).toEqual(before);
    ok(await op.get('/api/auth/session')); // the session survives
    // with the right token the same request goes through
    expect(ok(await op.post(url, { version: 0 })).state).toBe('accepted');
  });

  it('logout ends this session only', async () => {
    const { username, password } = await account();
    const a = await signIn(w.p.app, username, password, { ip: nextIp() });
    const b = await signIn(w.p.app, username, password, { ip: nextIp() });
    const res = await a.post('/api/auth/logout');
    expect(res.statusCode).toBe(204);
    expect(res.cookies.find((c) => c.name === 'gw_session')?.value).toBe('');
    refused(await a.get('/api/auth/session'), 401, 'unauthenticated');
    refused(await a.get('/api/cases'), 401, 'unauthenticated');
    ok(await b.get('/api/cases'));
    const row = await userRow(username);
    const audit = await w.p.db.selectFrom('audit_log').select('action').where('action', '=', 'auth.logout').where('actor_id', '=', row.id).execute();
    expect(audit).toHaveLength(1);
  });
});

describe('password change', () => {
  it('refuses a wrong current password (400) and a too short one (400)', async () => {
    const { username, password } = await account();
    const c = await signIn(w.p.app, username, password, { ip: nextIp() });
    const hash = (await userRow(username)).password_hash;
    const wrong = refused(await c.post('/api/auth/password', { currentPassword: 'not-it', newPassword: 'Brand#New2026' }), 400, 'wrong_current_password');
    expect(wrong.message).toBe('当前密码不正确。');
    refused(await c.post('/api/auth/password', { currentPassword: password, newPassword: 'short' }), 400, 'validation_failed');
    // long enough but the same as the old one: too weak (a domain refusal, not a 5xx)
    const same = await c.post('/api/auth/password', { currentPassword: password, newPassword: password });
    expect(same.statusCode).toBeGreaterThanOrEqual(400);
    expect(same.statusCode).toBeLessThan(500);
    expect(same.json().error.code).toBe('password_too_weak');
    expect((await userRow(username)).password_hash).toBe(hash);
  });

  it('refuses a new password equal to the username', async () => {
    const username = `user${++userSeq}long`;
    await createUser(w.p.db, { username, displayName: '测试', password: 'Start#Pass2026', role: 'citizen' }, null, null);
    const c = await signIn(w.p.app, username, 'Start#Pass2026', { ip: nextIp() });
    const res = await c.post('/api/auth/password', { currentPassword: 'Start#Pass2026', newPassword: username.toUpperCase() });
    expect(res.json().error.code).toBe('password_too_weak');
  });

  it('changes it: 204, the old password fails, the new one works, other sessions end, this one goes on', async () => {
    const { username, password } = await account();
    const mine = await signIn(w.p.app, username, password, { ip: nextIp() });
    const elsewhere = await signIn(w.p.app, username, password, { ip: nextIp() });
    const res = await mine.post('/api/auth/password', { currentPassword: password, newPassword: 'Brand#New2026' });
    expect(res.statusCode).toBe(204);
    refused(await elsewhere.get('/api/cases'), 401, 'unauthenticated');
    ok(await mine.get('/api/cases'));
    refused(await loginRequest(w.p.app, username, password, { ip: nextIp() }), 401, 'invalid_credentials');
    ok(await loginRequest(w.p.app, username, 'Brand#New2026', { ip: nextIp() }));
    const row = await userRow(username);
    expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
    const audit = await w.p.db.selectFrom('audit_log').select('action').where('action', '=', 'auth.password_change').where('actor_id', '=', row.id).execute();
    expect(audit).toHaveLength(1);
  });

  it('a user who must change the password can do nothing else first (403 password_change_required)', async () => {
    const { username, password } = await account({ mustChangePassword: true });
    const c = await signIn(w.p.app, username, password, { ip: nextIp() });
    expect(ok(await c.get('/api/auth/session')).user.mustChangePassword).toBe(true);
    const err = refused(await c.get('/api/cases'), 403, 'password_change_required');
    expect(err.message).toBe('首次登录请先修改密码。');
    refused(await c.get('/api/tasks'), 403, 'password_change_required');
    refused(await c.get('/api/grids'), 403, 'password_change_required');
    const before = await snapshot(w.p);
    refused(await c.post('/api/cases', { lng: 116.66, lat: 35.43, categoryId: w.categoryId, description: '改密前上报' }), 403, 'password_change_required');
    const someCase = await walkTo(w, 'reported');
    const mid = await snapshot(w.p, someCase.id);
    refused(await move(c, someCase.id, 'accept', { version: 0 }), 403, 'password_change_required');
    expect(await snapshot(w.p, someCase.id)).toEqual(mid);
    expect(before.cases + 1).toBe(mid.cases);

    expect((await c.post('/api/auth/password', { currentPassword: password, newPassword: 'Chosen#Pass2026' })).statusCode).toBe(204);
    expect(ok(await c.get('/api/auth/session')).user.mustChangePassword).toBe(false);
    ok(await c.get('/api/cases'));
    expect(ok(await move(c, someCase.id, 'accept', { version: 0 })).state).toBe('accepted');
  });

  it('logout is allowed before the change', async () => {
    const { username, password } = await account({ mustChangePassword: true });
    const c = await signIn(w.p.app, username, password, { ip: nextIp() });
    expect((await c.post('/api/auth/logout')).statusCode).toBe(204);
  });
});

describe('password storage', () => {
  it('stores every password as an argon2id hash, never the password', async () => {
    await account({ password: 'Plain#Text2026' });
    const rows = await w.p.db.selectFrom('users').select(['username', 'password_hash']).execute();
    expect(rows.length).toBeGreaterThan(40);
    for (const r of rows) {
      expect(r.password_hash, r.username).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
      expect(r.password_hash).not.toContain(DEMO_PASSWORD);
      expect(r.password_hash).not.toContain('Plain#Text2026');
    }
    // two accounts with the same password get different hashes (salted)
    const a = await account({ password: 'Same#Pass2026' });
    const b = await account({ password: 'Same#Pass2026' });
    expect((await userRow(a.username)).password_hash).not.toBe((await userRow(b.username)).password_hash);
  });
});
