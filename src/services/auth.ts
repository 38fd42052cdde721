// Accounts: password login with throttling, sessions, logout, password change, user creation.
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import { inTransaction, type Db, type DbOrTx } from '../data/db.js';
import {
  deleteOtherSessions,
  deleteSession,
  findSessionUser,
  findUserById,
  findUserByUsername,
  insertSession,
  insertUser,
  setLastLogin,
  setPassword,
  type UserRow,
} from '../data/repos/users.js';
import { insertAudit } from '../data/repos/audit.js';
import { clearLoginFailures, findLoginLock, listLoginLocks, recordLoginFailure } from '../data/repos/login-failures.js';
import { announce, notifyUser } from './notify.js';
import { requireRole } from './access.js';
import { normaliseScopePaths, type Actor } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import type { Role } from '../shared/vocabulary.js';

export const SESSION_HOURS = 12;
export const MAX_FAILED_LOGINS = 5;
/** The first lock of a source; each further lock of the same source doubles, up to MAX_LOCK_MINUTES. */
export const LOCK_MINUTES = 15;
export const MAX_LOCK_MINUTES = 240;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id });
}

let dummyHash: Promise<string> | undefined;

function sessionIdOf(token: string): string {
  // Only a hash of the cookie is stored: a leaked sessions table does not leak live sessions.
  return createHash('sha256').update(token).digest('hex');
}

export async function login(db: Db, username: string, password: string, ip: string | null, now: Date) {
  const user = await findUserByUsername(db, username);
  if (!user || user.disabled_at) {
    // Spend the same time as a real check so that timing does not reveal which usernames exist.
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await verify(await dummyHash, password).catch(() => false);
    throw new DomainError('invalid_credentials');
  }
  // Locks are per (account, source): a stranger's guesses lock the stranger's address out, not the owner.
  const source = ip ?? 'unknown';
  const lockedUntil = await findLoginLock(db, user.id, source, now);
  if (lockedUntil) throw new DomainError('login_throttled', { minutes: Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000) });
  const ok = await verify(user.password_hash, password).catch(() => false);
  if (!ok) {
    const lock = await inTransaction(db, async (trx) => {
      const r = await recordLoginFailure(trx, { userId: user.id, source, now, max: MAX_FAILED_LOGINS, baseMinutes: LOCK_MINUTES, maxMinutes: MAX_LOCK_MINUTES });
      const lockedNow = r.failures === MAX_FAILED_LOGINS && r.locked_until != null;
      const minutes = r.locked_until ? Math.ceil((r.locked_until.getTime() - now.getTime()) / 60_000) : 0;
      await insertAudit(trx, {
        actorId: null,
        action: lockedNow ? 'auth.locked' : 'auth.login_failed',
        targetType: 'user',
        targetId: user.id,
        summary: lockedNow ? `账号 ${user.username} 从 ${source} 连续登录失败，该来源锁定 ${minutes} 分钟` : `账号 ${user.username} 登录失败（${source}）`,
        data: { failures: r.failures, source, locks: r.locks },
        ip,
      });
      if (lockedNow) {
        // The owner is told: someone else may be guessing, and the owner can change the password.
        const told = await notifyUser(trx, user.id, {
          title: { code: 'notice_login_locked', params: { source, failures: MAX_FAILED_LOGINS } },
          body: { code: 'notice_login_locked_body', params: { minutes } },
          at: now,
        });
        return { minutes, told };
      }
      return r.failures > MAX_FAILED_LOGINS && r.locked_until && r.locked_until > now ? { minutes, told: [] } : null;
    });
    if (lock) {
      announce(lock.told);
      throw new DomainError('login_throttled', { minutes: lock.minutes });
    }
    throw new DomainError('invalid_credentials');
  }
  // Said only to someone who knows the password: a guesser learns nothing about the account.
  if (user.locked_at) throw new DomainError('account_locked');
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.transaction().execute(async (trx) => {
    await clearLoginFailures(trx, user.id, source);
    await setLastLogin(trx, user.id, now);
    await insertSession(trx, {
      id: sessionIdOf(token),
      userId: user.id,
      csrfToken,
      expiresAt: new Date(now.getTime() + SESSION_HOURS * 3600_000),
      ip,
    });
    await insertAudit(trx, {
      actorId: user.id,
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      summary: `${user.display_name} 登录`,
      ip,
    });
  });
  return { token, csrfToken, user };
}

export async function sessionFromToken(db: DbOrTx, token: string, now: Date) {
  return findSessionUser(db, sessionIdOf(token), now);
}

export async function logout(db: Db, token: string, userId: number, ip: string | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await deleteSession(trx, sessionIdOf(token));
    await insertAudit(trx, { actorId: userId, action: 'auth.logout', targetType: 'user', targetId: userId, summary: '退出登录', ip });
  });
}

export async function changePassword(
  db: Db,
  userId: number,
  token: string,
  current: string,
  next: string,
  ip: string | null,
): Promise<void> {
  const user = await findUserById(db, userId);
  if (!user) throw new DomainError('not_found');
  if (!(await verify(user.password_hash, current).catch(() => false))) throw new DomainError('wrong_current_password');
  if (next.length < 8 || next === current || next.toLowerCase() === user.username.toLowerCase()) {
    throw new DomainError('password_too_weak');
  }
  const h = await hashPassword(next);
  await db.transaction().execute(async (trx) => {
    await setPassword(trx, userId, h, false);
    // Other sessions of this user end: a password change is how someone throws out an intruder.
    await deleteOtherSessions(trx, userId, sessionIdOf(token));
    await insertAudit(trx, { actorId: userId, action: 'auth.password_change', targetType: 'user', targetId: userId, summary: `${user.username} 修改密码`, ip });
  });
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  /** the subtrees the user covers (several grids for a grid worker); `scopePath` is the one-subtree shorthand */
  scopePaths?: readonly string[];
  scopePath?: string | null;
  departmentId?: number | null;
  mustChangePassword?: boolean;
}

export async function createUser(
  db: DbOrTx,
  u: NewUser,
  actorId: number | null,
  ip: string | null,
  /** a precomputed hash of u.password (the demo seed hashes its one password once) */
  passwordHash?: string,
): Promise<UserRow> {
  if (await findUserByUsername(db, u.username)) throw new DomainError('username_taken', { username: u.username });
  if (u.role === 'department' && u.departmentId == null) throw new DomainError('invalid_scope', { reason: 'department handler needs a department' });
  const scopePaths = normaliseScopePaths(u.scopePaths ?? (u.scopePath ? [u.scopePath] : []));
  if (['operator', 'leader', 'grid_worker'].includes(u.role) && !scopePaths.length) {
    throw new DomainError('invalid_scope', { reason: `${u.role} needs a division or grid` });
  }
  const hashed = passwordHash ?? (await hashPassword(u.password));
  return inTransaction(db, async (trx) => {
  const row = await insertUser(trx, {
    username: u.username,
    display_name: u.displayName,
    password_hash: hashed,
    role: u.role,
    scope_paths: scopePaths,
    department_id: u.departmentId ?? null,
    must_change_password: u.mustChangePassword ?? false,
  });
  await insertAudit(trx, {
    actorId,
    action: 'user.create',
    targetType: 'user',
    targetId: row.id,
    summary: `创建用户 ${u.username}（${u.role}）`,
    data: { role: u.role, scopePaths, departmentId: u.departmentId ?? null },
    ip,
  });
  return row;
  });
}

export type SessionUser = NonNullable<Awaited<ReturnType<typeof sessionFromToken>>>;

/** Sources locked out of accounts now (administrators): who is being guessed at, from where, until when. */
export async function loginLocks(db: DbOrTx, actor: Actor, now: Date) {
  requireRole(actor, ['admin']);
  return (await listLoginLocks(db, now)).map((r) => ({
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    source: r.source,
    failures: r.failures,
    locks: r.locks,
    lastFailedAt: r.last_failed_at.toISOString(),
    lockedUntil: r.locked_until!.toISOString(),
  }));
}
