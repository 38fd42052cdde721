// Administering categories: names, default department, 立案/结案 conditions, time limits per urgency; moving a
// subcategory to another class; retiring (and restoring) a category. Cases copy their limits at report time, so an
// edit applies to new cases only; a retired category is not offered for new cases, and cases filed under it keep it.
import type { z } from 'zod';
import type { CategoryUpdate } from '../shared/api.js';
import { DomainError } from '../domain/errors.js';
import { OPEN_STATES } from '../domain/cases/workflow.js';
import { inTransaction } from '../data/db.js';
import { findDepartment } from '../data/repos/reference.js';
import { childrenOfCategory, countOpenCasesIn, findCategoryByCode, lockCategory, retireCategories, updateCategoryRow } from '../data/repos/admin-org.js';
import { insertAudit } from '../data/repos/audit.js';
import { requireRole } from './access.js';
import type { ActorContext } from './context.js';

export async function updateCategory(ctx: ActorContext, id: number, patch: z.infer<typeof CategoryUpdate>): Promise<void> {
  requireRole(ctx.actor, ['admin']);
  await inTransaction(ctx.db, async (trx) => {
    const before = await lockCategory(trx, id);
    if (!before) throw new DomainError('not_found');
    if (patch.defaultDepartmentId != null) {
      const d = await findDepartment(trx, patch.defaultDepartmentId);
      if (!d) throw new DomainError('unknown_department');
      if (d.retired_at) throw new DomainError('department_retired', { name: d.name });
    }
    const limits = patch.limits ? { ...before.limits, ...patch.limits } : undefined;
    await updateCategoryRow(trx, id, {
      ...(patch.name != null ? { name: patch.name } : {}),
      ...(patch.defaultDepartmentId !== undefined ? { default_department_id: patch.defaultDepartmentId } : {}),
      ...(patch.acceptCriteria != null ? { accept_criteria: patch.acceptCriteria } : {}),
      ...(patch.closeCriteria != null ? { close_criteria: patch.closeCriteria } : {}),
      ...(patch.returnHours != null ? { return_hours: patch.returnHours } : {}),
      ...(limits ? { limits } : {}),
    });
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

/**
 * Moves a subcategory under another class of the same kind. The tree has two levels (a class of 2 digits, its
 * subcategories of its code + 2 digits), so a class does not move and nothing goes under a subcategory; the moved
 * category takes a code under its new class (the one given, or the next free one). Cases keep it by id.
 */
export async function moveCategory(ctx: ActorContext, id: number, input: { parentId: number; code?: string | undefined }): Promise<{ code: string }> {
  requireRole(ctx.actor, ['admin']);
  return inTransaction(ctx.db, async (trx) => {
    const c = await lockCategory(trx, id);
    if (!c) throw new DomainError('not_found');
    if (c.retired_at) throw new DomainError('category_retired', { code: c.code, name: c.name });
    if (c.parent_id == null) throw new DomainError('category_move_class', { code: c.code, name: c.name });
    const target = await lockCategory(trx, input.parentId);
    if (!target) throw new DomainError('unknown_category');
    if (target.id === c.id || target.id === c.parent_id || target.parent_id != null) {
      throw new DomainError('category_move_target_invalid', { code: c.code, target: `${target.code} ${target.name}` });
    }
    if (target.retired_at) throw new DomainError('category_retired', { code: target.code, name: target.name });
    if (target.kind !== c.kind) throw new DomainError('category_move_kind', { name: c.name, target: target.name });
    let code = input.code;
    if (code === undefined) {
      const used = new Set((await childrenOfCategory(trx, target.id)).map((k) => k.code));
      for (let n = 1; n <= 99 && code === undefined; n++) {
        const candidate = `${target.code}${String(n).padStart(2, '0')}`;
        if (!used.has(candidate) && !(await findCategoryByCode(trx, candidate))) code = candidate;
      }
      if (code === undefined) throw new DomainError('category_code_invalid', { code: `${target.code}??`, parent: target.code });
    }
    if (!new RegExp(`^${target.code}\\d{2}$`).test(code) || code.endsWith('00')) throw new DomainError('category_code_invalid', { code, parent: target.code });
    const other = await findCategoryByCode(trx, code);
    if (other && other.id !== c.id) throw new DomainError('category_code_taken', { code, name: other.name });
    await updateCategoryRow(trx, id, { parent_id: target.id, code });
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'category.move', targetType: 'category', targetId: id,
      summary: `分类 ${c.name} 移至 ${target.code} ${target.name}（编码 ${c.code} → ${code}）`,
      data: { before: { parentId: c.parent_id, code: c.code }, after: { parentId: target.id, code } }, ip: ctx.ip, at: ctx.now,
    });
    return { code };
  });
}

/**
 * Retires a category (a class with all its subcategories): no longer offered for new cases; open cases under it go
 * on, and history keeps its name. Returns the codes retired and how many open cases remain under them.
 */
export async function retireCategory(ctx: ActorContext, id: number): Promise<{ retired: string[]; openCases: number }> {
  requireRole(ctx.actor, ['admin']);
  return inTransaction(ctx.db, async (trx) => {
    const c = await lockCategory(trx, id);
    if (!c) throw new DomainError('not_found');
    if (c.retired_at) throw new DomainError('category_retired', { code: c.code, name: c.name });
    const children = c.parent_id == null ? (await childrenOfCategory(trx, c.id)).filter((k) => !k.retired_at) : [];
    const all = [c, ...children];
    await retireCategories(trx, all.map((k) => k.id), ctx.now);
    const openCases = await countOpenCasesIn(trx, all.map((k) => k.id), OPEN_STATES);
    const retired = all.map((k) => k.code);
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'category.retire', targetType: 'category', targetId: id,
      summary: `停用分类 ${c.code} ${c.name}${children.length ? `（含 ${children.length} 个小类）` : ''}`,
      data: { retired, openCases }, ip: ctx.ip, at: ctx.now,
    });
    return { retired, openCases };
  });
}

/** Offers a retired category again (a subcategory only while its class is in use). */
export async function restoreCategory(ctx: ActorContext, id: number): Promise<void> {
  requireRole(ctx.actor, ['admin']);
  await inTransaction(ctx.db, async (trx) => {
    const c = await lockCategory(trx, id);
    if (!c) throw new DomainError('not_found');
    if (!c.retired_at) return;
    if (c.parent_id != null) {
      const parent = await lockCategory(trx, c.parent_id);
      if (parent?.retired_at) throw new DomainError('category_retired', { code: parent.code, name: parent.name });
    }
    await updateCategoryRow(trx, id, { retired_at: null });
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'category.restore', targetType: 'category', targetId: id,
      summary: `恢复分类 ${c.code} ${c.name}`, data: { code: c.code }, ip: ctx.ip, at: ctx.now,
    });
  });
}
