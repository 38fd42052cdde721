// Departments of the office: create, rename, retire. A department with open work orders is not retired; the
// refusal lists them so the operator can reassign them first. Retired departments keep their name in history.
import { DomainError } from '../domain/errors.js';
import { inTransaction } from '../data/db.js';
import { findDepartment, insertDepartment } from '../data/repos/reference.js';
import { findDepartmentByCode, listDepartmentsAdmin, openWorkOrdersOf } from '../data/repos/admin.js';
import { insertAudit } from '../data/repos/audit.js';
import type { DepartmentAdmin } from '../shared/admin-api.js';
import { requireRole } from './access.js';
import type { ActorContext } from './context.js';

export async function listDepartmentsForAdmin(ctx: ActorContext): Promise<DepartmentAdmin[]> {
  requireRole(ctx.actor, ['admin']);
  return (await listDepartmentsAdmin(ctx.db)).map((d) => ({
    id: d.id,
    code: d.code,
    name: d.name,
    retired: d.retired_at != null,
    userCount: Number(d.user_count ?? 0),
    openWorkOrders: Number(d.open_count ?? 0),
  }));
}

export async function createDepartment(ctx: ActorContext, input: { code: string; name: string }): Promise<{ id: number }> {
  requireRole(ctx.actor, ['admin']);
  return inTransaction(ctx.db, async (trx) => {
    const code = input.code.toUpperCase();
    const other = await findDepartmentByCode(trx, code);
    if (other) throw new DomainError('department_code_taken', { code, name: other.name });
    const row = await insertDepartment(trx, { code, name: input.name });
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'department.create', targetType: 'department', targetId: row.id,
      summary: `新建部门 ${code} ${input.name}`, data: { code, name: input.name }, ip: ctx.ip, at: ctx.now,
    });
    return { id: row.id };
  });
}

export async function renameDepartment(ctx: ActorContext, id: number, name: string): Promise<void> {
  requireRole(ctx.actor, ['admin']);
  await inTransaction(ctx.db, async (trx) => {
    const before = await findDepartment(trx, id);
    if (!before) throw new DomainError('not_found');
    if (before.retired_at) throw new DomainError('department_retired', { name: before.name });
    await trx.updateTable('departments').set({ name }).where('id', '=', id).execute();
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'department.rename', targetType: 'department', targetId: id,
      summary: `部门 ${before.code} 更名：${before.name} → ${name}`, data: { before: before.name, after: name }, ip: ctx.ip, at: ctx.now,
    });
  });
}

export async function retireDepartment(ctx: ActorContext, id: number): Promise<void> {
  requireRole(ctx.actor, ['admin']);
  await inTransaction(ctx.db, async (trx) => {
    // Locked, so no dispatch to it can slip in between the check and the retirement.
    const before = await trx.selectFrom('departments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new DomainError('not_found');
    if (before.retired_at) throw new DomainError('department_retired', { name: before.name });
    const open = await openWorkOrdersOf(trx, id);
    if (open.total > 0) {
      const more = open.total > open.numbers.length ? ' …' : '';
      throw new DomainError('department_has_open_work', { name: before.name, count: open.total, cases: open.numbers.join('、') + more });
    }
    await trx.updateTable('departments').set({ retired_at: ctx.now }).where('id', '=', id).execute();
    // Categories no longer default to a department that takes no work.
    const unset = await trx.updateTable('categories').set({ default_department_id: null }).where('default_department_id', '=', id).returning('code').execute();
    const rules = await trx.deleteFrom('routing_rules').where('department_id', '=', id).returning('id').execute();
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'department.retire', targetType: 'department', targetId: id,
      summary: `撤销部门 ${before.code} ${before.name}`, data: { categoriesWithoutDefault: unset.map((c) => c.code), routingRulesRemoved: rules.map((r) => r.id) }, ip: ctx.ip, at: ctx.now,
    });
  });
}
