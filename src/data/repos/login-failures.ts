// Failed logins per (account, source address). A source that fails `max` times in a row is locked out of that
// account for a while, longer each time (backoff); the account itself stays open to everyone else.
import { sql } from 'kysely';
import type { DbOrTx } from '../db.js';

export interface FailureState {
  failures: number;
  locks: number;
  locked_until: Date | null;
}

export async function findLoginLock(db: DbOrTx, userId: number, source: string, now: Date): Promise<Date | null> {
  const r = await db
    .selectFrom('login_failures')
    .select('locked_until')
    .where('user_id', '=', userId)
    .where('source', '=', source)
    .where('locked_until', '>', now)
    .executeTakeFirst();
  return r?.locked_until ?? null;
}

/**
 * Counts a failure in one statement (guesses arriving at once are all counted). A lock that ran out starts the count
 * afresh but is remembered: the next lock lasts twice as long (baseMinutes × 2^locks, at most maxMinutes). A day
 * without failures forgets the earlier locks.
 */
export async function recordLoginFailure(
  db: DbOrTx,
  p: { userId: number; source: string; now: Date; max: number; baseMinutes: number; maxMinutes: number },
): Promise<FailureState> {
  const { userId, source, now, max, baseMinutes, maxMinutes } = p;
  const t = sql`${now}::timestamptz`;
  const expired = sql`(lf.locked_until IS NOT NULL AND lf.locked_until <= ${t})`;
  const failures = sql`(CASE WHEN ${expired} THEN 1 ELSE lf.failures + 1 END)`;
  const locks = sql`(CASE WHEN lf.last_failed_at < ${t} - interval '1 day' THEN 0 ELSE lf.locks END)`;
  const lockFor = (n: unknown) => sql`${t} + make_interval(mins => LEAST(${maxMinutes}::int, ${baseMinutes}::int * (2 ^ LEAST(${n}, 16))::int))`;
  const r = await sql<FailureState>`
    INSERT INTO login_failures AS lf (user_id, source, failures, locks, last_failed_at, locked_until)
    VALUES (${userId}, ${source}, 1, ${max <= 1 ? 1 : 0}, ${t}, ${max <= 1 ? lockFor(sql`0`) : null})
    ON CONFLICT (user_id, source) DO UPDATE SET
      failures = ${failures},
      locks = ${locks} + (CASE WHEN ${failures} = ${max}::int THEN 1 ELSE 0 END),
      last_failed_at = ${t},
      locked_until = CASE WHEN ${failures} = ${max}::int THEN ${lockFor(locks)} WHEN ${expired} THEN NULL ELSE lf.locked_until END
    RETURNING lf.failures, lf.locks, lf.locked_until`.execute(db);
  return r.rows[0]!;
}

export async function clearLoginFailures(db: DbOrTx, userId: number, source: string): Promise<void> {
  await db.deleteFrom('login_failures').where('user_id', '=', userId).where('source', '=', source).execute();
}

/** Forgets every source's failures for an account (an administrator unlocked it). */
export async function clearAllLoginFailures(db: DbOrTx, userId: number): Promise<void> {
  await db.deleteFrom('login_failures').where('user_id', '=', userId).execute();
}

/** Sources locked out of an account now, for administrators. */
export async function listLoginLocks(db: DbOrTx, now: Date) {
  return db
    .selectFrom('login_failures as lf')
    .innerJoin('users as u', 'u.id', 'lf.user_id')
    .select(['lf.user_id', 'u.username', 'u.display_name', 'lf.source', 'lf.failures', 'lf.locks', 'lf.last_failed_at', 'lf.locked_until'])
    .where('lf.locked_until', '>', now)
    .orderBy('lf.locked_until', 'desc')
    .limit(500)
    .execute();
}
