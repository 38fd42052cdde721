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
  recordFailedLogin,
  resetFailedLogins,
  setPassword,
  type UserRow,
} from '../data/repos/users.js';
import { insertAudit } from '../data/repos/audit.js';
import { DomainError } from '../domain/errors.js';
import type { Role } from '../shared/vocabulary.js';

export const SESSION_HOURS = 12;
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

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
  if (user.locked_until && user.locked_until > now) {
    const minutes = Math.ceil((user.locked_until.getTime() - now.getTime()) / 60_000);
    throw new DomainError('login_throttled', { minutes });
  }
  const ok = await verify(user.password_hash, password).catch(() => false);
  if (!ok) {
    const locked = await db.transaction().execute(async (trx) => {
      const r = await recordFailedLogin(trx, user.id, now, MAX_FAILED_LOGINS, new Date(now.getTime() + LOCK_MINUTES * 60_000));
      const lock = r.locked_until != null && r.locked_until > now;
      await insertAudit(trx, {
        actorId: null,
        action: lock ? 'auth.locked' : 'auth.login_failed',
        targetType: 'user',
        targetId: user.id,
        summary: lock ? `账号 ${user.username} 连续登录失败，锁定 ${LOCK_MINUTES} 分钟` : `账号 ${user.username} 登录失败`,
        data: { failures: r.failed_logins },
        ip,
      });
      return lock;
    });
    if (locked) throw new DomainError('login_throttled', { minutes: LOCK_MINUTES });
    throw new DomainError('invalid_credentials');
  }
  // Said only to someone who knows the password: a guesser learns nothing about the account.
  if (user.locked_at) throw new DomainError('account_locked');
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.transaction().execute(async (trx) => {
    await resetFailedLogins(trx, user.id);
    await trx.updateTable('users').set({ last_login_at: now }).where('id', '=', user.id).execute();
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
  if (['operator', 'leader', 'grid_worker'].includes(u.role) && !u.scopePath) {
    throw new DomainError('invalid_scope', { reason: `${u.role} needs a division or grid` });
  }
  const hashed = passwordHash ?? (await hashPassword(u.password));
  return inTransaction(db, async (trx) => {
  const row = await insertUser(trx, {
    username: u.username,
    display_name: u.displayName,
    password_hash: hashed,
    role: u.role,
    scope_path: u.scopePath ?? null,
    department_id: u.departmentId ?? null,
    must_change_password: u.mustChangePassword ?? false,
  });
  await insertAudit(trx, {
    actorId,
    action: 'user.create',
    targetType: 'user',
    targetId: row.id,
    summary: `创建用户 ${u.username}（${u.role}）`,
    data: { role: u.role, scopePath: u.scopePath ?? null, departmentId: u.departmentId ?? null },
    ip,
  });
  return row;
  });
}

export type SessionUser = NonNullable<Awaited<ReturnType<typeof sessionFromToken>>>;
