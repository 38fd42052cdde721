// Administering categories: names, default department, 立案/结案 conditions, time limits per urgency.
// Cases copy their limits at report time, so an edit applies to new cases only.
import type { z } from 'zod';
import type { CategoryUpdate } from '../shared/api.js';
import { DomainError } from '../domain/errors.js';
import { inTransaction } from '../data/db.js';
import { findCategory, findDepartment } from '../data/repos/reference.js';
import { insertAudit } from '../data/repos/audit.js';
import { requireRole } from './access.js';
import type { ActorContext } from './context.js';

export async function updateCategory(ctx: ActorContext, id: number, patch: z.infer<typeof CategoryUpdate>): Promise<void> {
  requireRole(ctx.actor, ['admin']);
  await inTransaction(ctx.db, async (trx) => {
    const before = await findCategory(trx, id);
    if (!before) throw new DomainError('not_found');
    if (patch.defaultDepartmentId != null && !(await findDepartment(trx, patch.defaultDepartmentId))) throw new DomainError('unknown_department');
    const limits = patch.limits ? { ...before.limits, ...patch.limits } : undefined;
    await trx
      .updateTable('categories')
      .set({
        ...(patch.name != null ? { name: patch.name } : {}),
        ...(patch.defaultDepartmentId !== undefined ? { default_department_id: patch.defaultDepartmentId } : {}),
        ...(patch.acceptCriteria != null ? { accept_criteria: patch.acceptCriteria } : {}),
        ...(patch.closeCriteria != null ? { close_criteria: patch.closeCriteria } : {}),
        ...(patch.returnHours != null ? { return_hours: patch.returnHours } : {}),
        ...(limits ? { limits: JSON.stringify(limits) } : {}),
      })
      .where('id', '=', id)
      .execute();
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'category.update',
      targetType: 'category',
      targetId: id,
      summary: `修改分类 ${before.code} ${before.name}`,
      data: { before: { name: before.name, defaultDepartmentId: before.default_department_id, limits: before.limits, returnHours: Number(before.return_hours) }, patch },
      ip: ctx.ip,
      at: ctx.now,
    });
  });
}
