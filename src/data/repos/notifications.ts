// A user's notifications.
import { sql, type ExpressionBuilder } from 'kysely';
import type { DbOrTx } from '../db.js';
import type { Database } from '../schema.js';
import type { NoticeSpec, Recipients } from '../../domain/notice.js';
import { userCoversArea } from './cases/cases.js';
import { renderMessage, type MessageRef } from '../../shared/messages.js';

/** A notice's title or body in storage: a message code with its parameters (text only for a note a person wrote). */
function stored(m: MessageRef | string | undefined) {
  if (m === undefined) return { text: '', code: null, params: null };
  if (typeof m === 'string') return { text: m, code: null, params: null };
  return { text: '', code: m.code, params: JSON.stringify(m.params) };
}

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
        'notifications.hazard_id',
        'notifications.title',
        'notifications.title_code',
        'notifications.title_params',
        'notifications.body',
        'notifications.body_code',
        'notifications.body_params',
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

function recipientsWhere(eb: ExpressionBuilder<Database, 'users'>, r: Recipients) {
  if (r.kind === 'user') return eb('users.id', '=', r.userId);
  if (r.kind === 'department') return eb.and([eb('users.role', '=', 'department'), eb('users.department_id', '=', r.departmentId)]);
  // users whose scope contains the area (a case's, a hazard's): their scope path is a prefix of it
  return eb.and([eb('users.role', '=', r.role), userCoversArea('users', r.areaPath)]);
}

/**
 * Writes the notices, each as one statement: recipients selected (users, a department's people, or the users of a
 * role whose scope covers an area), notifications inserted (skipping a user who already has the same dedupe key)
 * and their outbox rows written. A notice about no case (a hazard's) has no row; its hazard id is stored (the bell opens the hazard) and goes in the payload.
 * Returns who was told, for live delivery.
 */
export async function insertNotices(db: DbOrTx, notices: readonly (NoticeSpec & { exceptUserId?: number })[], at: Date): Promise<number[]> {
  const told = new Set<number>();
  for (const n of notices) {
    if (n.to.length === 0) continue;
    const title = stored(n.title);
    const body = stored(n.body);
    // The external channels (a later release) send text in the office's language; they get the code too.
    const externalTitle = renderMessage(n.title, 'zh-CN');
    // what the notice is about, for the external channels: its case, its hazard, or both
    const about = sql.join([
      ...(n.row || n.hazardId == null ? [sql`'caseId', ${n.row?.id ?? null}::int`] : []),
      ...(n.hazardId != null ? [sql`'hazardId', ${n.hazardId}::int`] : []),
    ]);
    const rows = await db
      .with('sent', (w) =>
        w
          .insertInto('notifications')
          .columns(['user_id', 'kind', 'case_id', 'hazard_id', 'title', 'title_code', 'title_params', 'body', 'body_code', 'body_params', 'dedupe_key', 'created_at'])
          .expression((eb) =>
            eb
              .selectFrom('users')
              .select((s) => [
                'users.id',
                s.val(n.kind).as('kind'),
                s.val(n.row?.id ?? null).as('case_id'),
                s.val(n.hazardId ?? null).as('hazard_id'),
                sql<string | null>`NULL::text`.as('title'),
                s.val(n.title.code).as('title_code'),
                sql<string>`${title.params}::jsonb`.as('title_params'),
                s.val(body.text).as('body'),
                s.val(body.code).as('body_code'),
                sql<string | null>`${body.params}::jsonb`.as('body_params'),
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
            sql<string>`json_build_object('userId', sent.user_id, 'kind', ${n.kind}::text, ${about}, 'title', ${externalTitle}::text, 'titleCode', ${n.title.code}::text, 'titleParams', ${title.params}::jsonb)`.as('payload'),
          ]),
      )
      .returning(sql<number>`(payload->>'userId')::int`.as('user_id'))
      .execute();
    for (const r of rows) told.add(r.user_id);
  }
  return [...told];
}

/** A notice to one user about their account (no case): written in the caller's transaction, announced after commit. */
export async function insertAccountNotice(db: DbOrTx, userId: number, n: { title: MessageRef; body: MessageRef | string; at: Date }): Promise<number[]> {
  const title = stored(n.title);
  const body = stored(n.body);
  const rows = await db
    .insertInto('notifications')
    .values({
      user_id: userId,
      kind: 'account_locked',
      case_id: null,
      title: null,
      title_code: title.code,
      title_params: title.params,
      body: body.text,
      body_code: body.code,
      body_params: body.params,
      dedupe_key: null,
      created_at: n.at,
    })
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}
