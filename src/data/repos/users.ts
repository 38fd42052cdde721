// Users and their sessions.
import { sql, type Insertable, type Selectable } from 'kysely';
import { PREPARED, type DbOrTx } from '../db.js';
import type { UserTable } from '../schema.js';

export type UserRow = Selectable<UserTable>;

export async function findUserByUsername(db: DbOrTx, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserById(db: DbOrTx, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: DbOrTx, u: Insertable<UserTable>): Promise<UserRow> {
  return db.insertInto('users').values(u).returningAll().executeTakeFirstOrThrow();
}

/**
 * Counts a failed login in one statement, so guesses arriving at once are all counted; a lock that has run out
 * starts the count afresh. Locks the account when the count reaches `max`.
 */
export async function recordFailedLogin(db: DbOrTx, id: number, now: Date, max: number, lockUntil: Date) {
  const expired = sql<boolean>`(locked_until IS NOT NULL AND locked_until <= ${now})`;
  const next = sql<number>`CASE WHEN ${expired} THEN 1 ELSE failed_logins + 1 END`;
  return db
    .updateTable('users')
    .set({
      failed_logins: next,
      locked_until: sql`CASE WHEN ${next} >= ${max} THEN ${lockUntil}::timestamptz WHEN ${expired} THEN NULL ELSE locked_until END`,
    })
    .where('id', '=', id)
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirstOrThrow();
}

export async function resetFailedLogins(db: DbOrTx, id: number): Promise<void> {
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
}

export async function setPassword(db: DbOrTx, id: number, hash: string, mustChange: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: hash, must_change_password: mustChange, failed_logins: 0, locked_until: null })
    .where('id', '=', id)
    .execute();
}

export async function setLastLogin(db: DbOrTx, id: number, at: Date): Promise<void> {
  await db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return r.n;
}

export async function insertSession(
  db: DbOrTx,
  s: { id: string; userId: number; csrfToken: string; expiresAt: Date; ip: string | null },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id: s.id, user_id: s.userId, csrf_token: s.csrfToken, expires_at: s.expiresAt, ip: s.ip })
    .execute();
}

export async function findSessionUser(db: DbOrTx, sessionId: string, now: Date) {
  return db
    .selectFrom('sessions')
    .modifyFront(sql.raw(PREPARED)) // every request asks this: prepared once per connection on PostgreSQL
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.csrf_token', 'sessions.id as session_id'])
    .where('sessions.id', '=', sessionId)
    .where('sessions.expires_at', '>', now)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function deleteSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteOtherSessions(db: DbOrTx, userId: number, keepId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '<>', keepId).execute();
}
