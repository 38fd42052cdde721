// In-app notifications: who is told what, written in the same transaction as the move that causes them, with
// one outbox row each for the external channels of a later release. Live delivery happens after commit.
import { EventEmitter } from 'node:events';
import type { DbOrTx } from '../data/db.js';
import { countUnread, insertAccountNotice, insertNotices, listNotifications, markRead } from '../data/repos/notifications.js';
import type { NoticeSpec } from '../domain/notice.js';
import { message, type Lang, type MessageRef } from '../shared/messages.js';

/** Process-local bus for live delivery (SSE); PostgreSQL NOTIFY carries it to other processes. */
export const notificationBus = new EventEmitter();
notificationBus.setMaxListeners(0);

export type { Recipients } from '../domain/notice.js';

/** A notice as the rules describe it (src/domain/notice.ts), optionally not sent to the actor who caused it. */
export interface Notice extends NoticeSpec {
  exceptUserId?: number;
}

/**
 * Writes the notices in the caller's transaction (recipients selected, notifications inserted skipping a user who
 * already has the same dedupe key, their outbox rows written). Returns who was told, for live delivery.
 */
export function notify(db: DbOrTx, notices: readonly Notice[], at: Date): Promise<number[]> {
  return insertNotices(db, notices, at);
}

/** After commit: wake the live streams of these users. */
export function announce(userIds: readonly number[]): void {
  if (userIds.length) notificationBus.emit('notify', userIds);
}

/** A notice to one user about their account (no case): written in the caller's transaction, announced after commit. */
export function notifyUser(db: DbOrTx, userId: number, n: { title: MessageRef; body: MessageRef | string; at: Date }): Promise<number[]> {
  return insertAccountNotice(db, userId, n);
}

/** A stored title or body in the reader's language: its code rendered, or the text it was written with. */
function textOf(code: string | null, params: Record<string, string | number> | null, text: string | null, lang: Lang): string {
  return code ? message(code, params ?? {}, lang) : (text ?? '');
}

/** The reader's latest notices, titles and bodies in the reader's language, and the unread count (the bell). */
export async function myNotifications(db: DbOrTx, userId: number, limit: number, lang: Lang) {
  const { items, unread } = await listNotifications(db, userId, limit);
  return {
    unread,
    items: items.map(({ title_code, title_params, body_code, body_params, ...n }) => ({
      ...n,
      title: textOf(title_code, title_params, n.title, lang),
      body: textOf(body_code, body_params, n.body, lang),
    })),
  };
}

/** Marks the reader's notices read (ids or all); returns how many changed. */
export function markNotificationsRead(db: DbOrTx, userId: number, ids: readonly number[] | 'all', at: Date) {
  return markRead(db, userId, ids, at);
}

export function unreadCount(db: DbOrTx, userId: number) {
  return countUnread(db, userId);
}
