// A user's notifications.
import type { DbOrTx } from '../db.js';

export async function listNotifications(db: DbOrTx, userId: number, limit: number) {
  const [items, unread] = await Promise.all([
    db
      .selectFrom('notifications')
      .leftJoin('cases', 'cases.id', 'notifications.case_id')
      .select([
        'notifications.id',
        'notifications.kind',
        'notifications.case_id',
        'cases.number as case_number',
        'notifications.title',
        'notifications.body',
        'notifications.created_at',
        'notifications.read_at',
      ])
      .where('notifications.user_id', '=', userId)
      .orderBy('notifications.id', 'desc')
      .limit(limit)
      .execute(),
    countUnread(db, userId),
  ]);
  return { items, unread };
}

export async function countUnread(db: DbOrTx, userId: number): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function markRead(db: DbOrTx, userId: number, ids: readonly number[] | 'all', at: Date): Promise<number> {
  let q = db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') {
    if (ids.length === 0) return 0;
    q = q.where('id', 'in', ids);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
