// A fresh install from nothing: what is still missing (the setup guide), and adopting the standard category tree
// with its default time limits in one step.
import { DomainError } from '../domain/errors.js';
import { inTransaction } from '../data/db.js';
import { findCategory, findDepartment, insertCategory } from '../data/repos/reference.js';
import { setupCounts } from '../data/repos/admin.js';
import { activeDepartmentsByCode, countCategories, findCategoryByCode } from '../data/repos/admin-org.js';
import { insertAudit } from '../data/repos/audit.js';
import { DEFAULT_CLOSE_CRITERIA, defaultAcceptCriteria, limitsFor, STANDARD_CATEGORIES } from '../seed/standard-categories.js';
import type { SetupStatus } from '../shared/admin-api.js';
import { requireRole } from './access.js';
import type { ActorContext } from './context.js';

export async function setupStatus(ctx: ActorContext): Promise<SetupStatus> {
  requireRole(ctx.actor, ['admin']);
  const c = await setupCounts(ctx.db);
  const withoutBoundary = c.local.filter((d) => !d.has_boundary).map((d) => ({ id: d.id, code: d.code, name: d.name }));
  const missing: SetupStatus['missing'] = [];
  if (c.streets === 0) missing.push('street');
  if (c.local.length === 0) missing.push('communities');
  if (withoutBoundary.length > 0) missing.push('boundaries');
  if (c.departments === 0) missing.push('departments');
  if (c.categories === 0) missing.push('categories');
  if (c.grids === 0) missing.push('grids');
  if (c.users === 0) missing.push('users');
  return {
    complete: missing.length === 0,
    streets: c.streets,
    communities: c.local.length,
    communitiesWithoutBoundary: withoutBoundary,
    departments: c.departments,
    categories: c.categories,
    grids: c.grids,
    users: c.users,
    missing,
  };
}

/**
 * Adopts the standard tree (src/seed/standard-categories.ts) when there are no categories yet. A category's
 * default department is set when a department with the suggested code exists (CG, HB, ZJ, AJ…); the others are
 * left for the administrator to choose, and the operator chooses at dispatch meanwhile.
 */
export async function adoptStandardCategories(ctx: ActorContext) {
  requireRole(ctx.actor, ['admin']);
  return inTransaction(ctx.db, async (trx) => {
    const present = await countCategories(trx);
    if (present > 0) throw new DomainError('categories_present', { count: present });
    const departments = new Map((await activeDepartmentsByCode(trx)).map((d) => [d.code, d.id]));
    let categories = 0;
    let withDepartment = 0;
    for (const top of STANDARD_CATEGORIES) {
      const parent = await insertCategory(trx, { code: top.code, name: top.name, kind: top.kind, parent_id: null });
      for (const ch of top.children) {
        const departmentId = departments.get(ch.dept) ?? null;
        await insertCategory(trx, {
          code: ch.code, name: ch.name, kind: top.kind, parent_id: parent.id,
          default_department_id: departmentId,
          accept_criteria: ch.accept ?? defaultAcceptCriteria(top.name),
          close_criteria: ch.close ?? DEFAULT_CLOSE_CRITERIA,
          limits: JSON.stringify(limitsFor(ch.days)),
          industry: ch.industry ?? null,
        });
        categories++;
        if (departmentId != null) withDepartment++;
      }
    }
    const result = { classes: STANDARD_CATEGORIES.length, categories, withDepartment };
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'category.adopt_standard', targetType: 'category', targetId: null,
      summary: `采用标准分类（CJ/T 214）：${result.classes} 个大类，${categories} 个小类，其中 ${withDepartment} 个已设默认部门`,
      data: result, ip: ctx.ip, at: ctx.now,
    });
    return result;
  });
}

/**
 * A new category: a top class (two digits) or a subcategory extending its class's code (four digits), with limits
 * derived from its normal handling days like the standard tree's. New cases may use it at once.
 */
export async function createCategory(
  ctx: ActorContext,
  input: { code: string; name: string; parentId: number | null; kind?: 'event' | 'component' | undefined; defaultDepartmentId?: number | null | undefined; handleDays?: number | undefined },
) {
  requireRole(ctx.actor, ['admin']);
  return inTransaction(ctx.db, async (trx) => {
    const parent = input.parentId != null ? await findCategory(trx, input.parentId) : null;
    if (input.parentId != null && !parent) throw new DomainError('unknown_category');
    if (parent?.retired_at) throw new DomainError('category_retired', { code: parent.code, name: parent.name });
    if (parent?.parent_id != null) throw new DomainError('category_code_invalid', { code: input.code, parent: parent.code });
    const pattern = parent ? new RegExp(`^${parent.code}\\d{2}$`) : /^\d{2}$/;
    if (!pattern.test(input.code)) throw new DomainError('category_code_invalid', { code: input.code, parent: parent?.code ?? '-' });
    const other = await findCategoryByCode(trx, input.code);
    if (other) throw new DomainError('category_code_taken', { code: input.code, name: other.name });
    if (input.defaultDepartmentId != null) {
      const d = await findDepartment(trx, input.defaultDepartmentId);
      if (!d) throw new DomainError('unknown_department');
      if (d.retired_at) throw new DomainError('department_retired', { name: d.name });
    }
    const kind = parent?.kind ?? input.kind ?? 'event';
    const row = await insertCategory(trx, {
      code: input.code, name: input.name, kind, parent_id: parent?.id ?? null,
      default_department_id: input.defaultDepartmentId ?? null,
      ...(parent ? { accept_criteria: defaultAcceptCriteria(parent.name), close_criteria: DEFAULT_CLOSE_CRITERIA, limits: JSON.stringify(limitsFor(input.handleDays ?? 3)) } : {}),
    });
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'category.create', targetType: 'category', targetId: row.id,
      summary: `新建分类 ${input.code} ${input.name}${parent ? `（属于 ${parent.code} ${parent.name}）` : ''}`,
      data: { code: input.code, name: input.name, parentId: parent?.id ?? null, kind, handleDays: input.handleDays ?? null }, ip: ctx.ip, at: ctx.now,
    });
    return { id: row.id };
  });
}
