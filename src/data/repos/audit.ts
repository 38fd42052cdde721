// The append-only audit log. Every state change writes one row in the same transaction as the change.
import type { DbOrTx } from '../db.js';

export interface AuditRecord {
  actorId: number | null;
  action: string;
  targetType: string;
  targetId: string | number | null;
  summary: string;
  data?: Record<string, unknown>;
  ip: string | null;
  at?: Date;
}

export async function insertAudit(db: DbOrTx, r: AuditRecord): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_id: r.actorId,
      action: r.action,
      target_type: r.targetType,
      target_id: r.targetId == null ? null : String(r.targetId),
      summary: r.summary,
      data: JSON.stringify(r.data ?? {}),
      ip: r.ip,
      ...(r.at ? { at: r.at } : {}),
    })
    .execute();
}

export interface AuditFilter {
  action?: string | undefined;
  actor?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  q?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  offset: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Counts above this are shown as "10,000+" (the audit log only grows; counting it all on every page is slow). */
export const AUDIT_COUNT_CAP = 10_000;

/**
 * A page of the audit log, newest first. `beforeId` (the previous page's nextBeforeId) pages by key on the primary
 * key instead of skipping rows; the count stops above AUDIT_COUNT_CAP unless `exactCount`.
 */
export async function listAudit(
  db: DbOrTx,
  q: AuditFilter & { beforeId?: number | undefined; exactCount?: boolean | undefined },
) {
  let base = db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.actor_id');
  if (q.action) base = base.where('audit_log.action', '=', q.action);
  if (q.actor) {
    const like = `%${escapeLike(q.actor)}%`;
    base = base.where((eb) => eb.or([eb('users.username', 'ilike', like), eb('users.display_name', 'ilike', like)]));
  }
  if (q.targetType) base = base.where('audit_log.target_type', '=', q.targetType);
  if (q.targetId) base = base.where('audit_log.target_id', '=', q.targetId);
  if (q.q) base = base.where('audit_log.summary', 'ilike', `%${escapeLike(q.q)}%`);
  if (q.from) base = base.where('audit_log.at', '>=', q.from);
  if (q.to) base = base.where('audit_log.at', '<', q.to);
  let itemsQ = base
    .select([
      'audit_log.id',
      'audit_log.at',
      'users.display_name as actorName',
      'audit_log.action',
      'audit_log.target_type as targetType',
      'audit_log.target_id as targetId',
      'audit_log.summary',
      'audit_log.ip',
      'audit_log.data',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(q.limit + 1);
  itemsQ = q.beforeId != null ? itemsQ.where('audit_log.id', '<', q.beforeId) : itemsQ.offset(q.offset);
  const countQ = q.exactCount
    ? base.select((eb) => eb.fn.countAll<number>().as('n'))
    : db.selectFrom(base.select('audit_log.id').limit(AUDIT_COUNT_CAP + 1).as('capped')).select((eb) => eb.fn.countAll<number>().as('n'));
  const [rows, total] = await Promise.all([itemsQ.execute(), countQ.executeTakeFirstOrThrow()]);
  const items = rows.slice(0, q.limit);
  const capped = !q.exactCount && total.n > AUDIT_COUNT_CAP;
  return {
    items,
    total: capped ? AUDIT_COUNT_CAP : total.n,
    totalCapped: capped,
    nextBeforeId: rows.length > q.limit ? items[items.length - 1]!.id : null,
  };
}

export async function countAudit(db: DbOrTx, where: { action?: string; targetId?: string } = {}): Promise<number> {
  let q = db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n'));
  if (where.action) q = q.where('action', '=', where.action);
  if (where.targetId) q = q.where('target_id', '=', where.targetId);
  return (await q.executeTakeFirstOrThrow()).n;
}
