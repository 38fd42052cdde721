// In-app notifications: who is told what, written in the same transaction as the move that causes them, with
// one outbox row each for the external channels of a later release. Live delivery happens after commit.
import { EventEmitter } from 'node:events';
import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from '../data/schema.js';
import type { DbOrTx } from '../data/db.js';
import { countUnread, listNotifications, markRead } from '../data/repos/notifications.js';
import type { NoticeSpec, Recipients } from '../domain/notice.js';

/** Process-local bus for live delivery (SSE); PostgreSQL NOTIFY carries it to other processes. */
export const notificationBus = new EventEmitter();
notificationBus.setMaxListeners(0);

export type { Recipients } from '../domain/notice.js';

function recipientsWhere(eb: ExpressionBuilder<Database, 'users'>, r: Recipients) {
  if (r.kind === 'user') return eb('users.id', '=', r.userId);
  if (r.kind === 'department') return eb.and([eb('users.role', '=', 'department'), eb('users.department_id', '=', r.departmentId)]);
  // users whose scope contains the case's area: their scope path is a prefix of the case's path
  return eb.and([eb('users.role', '=', r.role), sql<boolean>`${r.areaPath} LIKE users.scope_path || '%'`]);
}

/** A notice as the rules describe it (src/domain/notice.ts), optionally not sent to the actor who caused it. */
export interface Notice extends NoticeSpec {
  exceptUserId?: number;
}

/**
 * Writes the notices, each as one statement: recipients selected, notifications inserted (skipping a user who
 * already has the same dedupe key) and their outbox rows written. Returns who was told, for live delivery.
 */
export async function notify(db: DbOrTx, notices: readonly Notice[], at: Date): Promise<number[]> {
  const told = new Set<number>();
  for (const n of notices) {
    if (n.to.length === 0) continue;
    const rows = await db
      .with('sent', (w) =>
        w
          .insertInto('notifications')
          .columns(['user_id', 'kind', 'case_id', 'title', 'body', 'dedupe_key', 'created_at'])
          .expression((eb) =>
            eb
              .selectFrom('users')
              .select((s) => [
                'users.id',
                s.val(n.kind).as('kind'),
                s.val(n.row.id).as('case_id'),
                s.val(n.title).as('title'),
                s.val(n.body ?? '').as('body'),
                s.val(n.dedupeKey ?? null).as('dedupe_key'),
                s.val(at).as('created_at'),
              ])
              .where('users.disabled_at', 'is', null)
              .where((w2) => w2.or(n.to.map((r) => recipientsWhere(w2, r))))
              .$if(n.exceptUserId != null, (q) => q.where('users.id', '<>', n.exceptUserId!)),
          )
          .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
          .returning(['id', 'user_id']),
      )
      .insertInto('outbox')
      .columns(['notification_id', 'channel', 'payload'])
      .expression((eb) =>
        eb
          .selectFrom('sent')
          .select((s) => [
            'sent.id',
            s.val('external').as('channel'),
            sql<string>`json_build_object('userId', sent.user_id, 'kind', ${n.kind}::text, 'caseId', ${n.row.id}::int, 'title', ${n.title}::text)`.as('payload'),
          ]),
      )
      .returning(sql<number>`(payload->>'userId')::int`.as('user_id'))
      .execute();
    for (const r of rows) told.add(r.user_id);
  }
  return [...told];
}

/** After commit: wake the live streams of these users. */
export function announce(userIds: readonly number[]): void {
  if (userIds.length) notificationBus.emit('notify', userIds);
}

/** A notice to one user about their account (no case): written in the caller's transaction, announced after commit. */
export async function notifyUser(db: DbOrTx, userId: number, n: { title: string; body: string; at: Date }): Promise<number[]> {
  const rows = await db
    .insertInto('notifications')
    .values({ user_id: userId, kind: 'account_locked', case_id: null, title: n.title, body: n.body, dedupe_key: null, created_at: n.at })
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** The reader's latest notices and unread count (the bell). */
export function myNotifications(db: DbOrTx, userId: number, limit: number) {
  return listNotifications(db, userId, limit);
}

/** Marks the reader's notices read (ids or all); returns how many changed. */
export function markNotificationsRead(db: DbOrTx, userId: number, ids: readonly number[] | 'all', at: Date) {
  return markRead(db, userId, ids, at);
}

export function unreadCount(db: DbOrTx, userId: number) {
  return countUnread(db, userId);
}
