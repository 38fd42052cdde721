// Departments of the office: create, rename, retire, merge; their contacts and the categories that default to them.
// A department with open work orders is not retired; the refusal lists them so the operator can reassign them first
// (or the department is merged into another, which takes them over). Retired departments keep their name in history.
import { DomainError } from '../domain/errors.js';
import { MAX_CONTACTS, normaliseContactPhone } from '../domain/department-contacts.js';
import { phoneFor } from '../domain/phone-mask.js';
import { inTransaction } from '../data/db.js';
import { findCategory, findDepartment, insertDepartment } from '../data/repos/reference.js';
import { findDepartmentByCode, listDepartmentsAdmin, openWorkOrdersOf } from '../data/repos/admin.js';
import {
  categoriesDefaultingTo,
  clearCategoryDefaults,
  deleteRoutingRulesOf,
  lockDepartment,
  moveCategoryDefaults,
  moveOpenWorkOrders,
  moveRoutingRules,
  moveUsersToDepartment,
  openWorkOrderList,
  setCategoriesDefaultingTo,
  updateDepartment,
} from '../data/repos/admin-org.js';
import type { DepartmentContact } from '../data/schema.js';
import { insertAudit } from '../data/repos/audit.js';
import type { DepartmentAdmin, DepartmentDetail, DepartmentMergeResult, DepartmentWorkOrders } from '../shared/admin-api.js';
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
    contacts: d.contacts,
    defaultCategories: d.default_categories,
  }));
}

/** One department for any member of staff: its contacts (phones masked for roles that do not call them), its categories. */
export async function departmentDetail(ctx: ActorContext, id: number): Promise<DepartmentDetail> {
  requireRole(ctx.actor, ['admin', 'operator', 'leader', 'department', 'grid_worker']);
  const d = await findDepartment(ctx.db, id);
  if (!d) throw new DomainError('not_found');
  const categories = await categoriesDefaultingTo(ctx.db, id);
  return {
    id: d.id,
    code: d.code,
    name: d.name,
    retired: d.retired_at != null,
    contacts: d.contacts.map((c) => ({ ...c, phone: phoneFor(ctx.actor, c.phone) ?? '' })),
    defaultCategories: categories.map((c) => ({ id: c.id, code: c.code, name: c.name })),
  };
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

/** The department, locked, and not retired (a retired one is named in the refusal). */
async function activeLocked(trx: Parameters<typeof lockDepartment>[0], id: number) {
  const d = await lockDepartment(trx, id);
  if (!d) throw new DomainError('not_found');
  if (d.retired_at) throw new DomainError('department_retired', { name: d.name });
  return d;
}

export async function renameDepartment(ctx: ActorContext, id: number, name: string): Promise<void> {
  requireRole(ctx.actor, ['admin']);
  await inTransaction(ctx.db, async (trx) => {
    const before = await activeLocked(trx, id);
    await updateDepartment(trx, id, { name });
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'department.rename', targetType: 'department', targetId: id,
      summary: `部门 ${before.code} 更名：${before.name} → ${name}`, data: { before: before.name, after: name }, ip: ctx.ip, at: ctx.now,
    });
  });
}

/** Replaces the department's contacts; every bad phone is named (row by row), nothing is saved then. */
export async function setDepartmentContacts(ctx: ActorContext, id: number, contacts: readonly DepartmentContact[]): Promise<void> {
  requireRole(ctx.actor, ['admin']);
  if (contacts.length > MAX_CONTACTS) throw new DomainError('department_contacts_too_many', { max: MAX_CONTACTS });
  const clean: DepartmentContact[] = [];
  for (const [i, c] of contacts.entries()) {
    const phone = normaliseContactPhone(c.phone);
    if (!phone) throw new DomainError('department_contact_phone_invalid', { row: i + 1, name: c.name, value: c.phone });
    clean.push({ name: c.name.trim(), title: (c.title ?? '').trim(), phone });
  }
  await inTransaction(ctx.db, async (trx) => {
    const before = await activeLocked(trx, id);
    await updateDepartment(trx, id, { contacts: clean });
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'department.contacts', targetType: 'department', targetId: id,
      summary: `修改部门 ${before.code} ${before.name} 的联系人（${clean.length} 人）`,
      data: { before: before.contacts, after: clean }, ip: ctx.ip, at: ctx.now,
    });
  });
}

/** Makes exactly these categories default to the department (the department's others lose the default). */
export async function setDepartmentCategories(ctx: ActorContext, id: number, categoryIds: readonly number[]): Promise<void> {
  requireRole(ctx.actor, ['admin']);
  const ids = [...new Set(categoryIds)];
  await inTransaction(ctx.db, async (trx) => {
    const dept = await activeLocked(trx, id);
    const codes: string[] = [];
    for (const cid of ids) {
      const c = await findCategory(trx, cid);
      if (!c) throw new DomainError('unknown_category');
      if (c.retired_at) throw new DomainError('category_retired', { code: c.code, name: c.name });
      codes.push(c.code);
    }
    const before = (await categoriesDefaultingTo(trx, id)).map((c) => c.code);
    await setCategoriesDefaultingTo(trx, id, ids);
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'department.categories', targetType: 'department', targetId: id,
      summary: `设置默认由 ${dept.name} 处置的分类：${codes.sort().join('、') || '无'}`,
      data: { before, after: codes.sort() }, ip: ctx.ip, at: ctx.now,
    });
  });
}

/** The open work orders a retirement waits for, listed before the administrator decides (reassign, or merge). */
export async function departmentWorkOrders(ctx: ActorContext, id: number): Promise<DepartmentWorkOrders> {
  requireRole(ctx.actor, ['admin']);
  const d = await findDepartment(ctx.db, id);
  if (!d) throw new DomainError('not_found');
  const [rows, open] = await Promise.all([openWorkOrderList(ctx.db, id), openWorkOrdersOf(ctx.db, id, 1)]);
  return {
    total: open.total,
    items: rows.map((r) => ({ id: r.id, number: r.number, state: r.state, category: r.category_name, deadline: r.deadline ? r.deadline.toISOString() : null, main: Boolean(r.main) })),
  };
}

export async function retireDepartment(ctx: ActorContext, id: number): Promise<void> {
  requireRole(ctx.actor, ['admin']);
  await inTransaction(ctx.db, async (trx) => {
    // Locked, so no dispatch to it can slip in between the check and the retirement.
    const before = await activeLocked(trx, id);
    const open = await openWorkOrdersOf(trx, id);
    if (open.total > 0) {
      const more = open.total > open.numbers.length ? ' …' : '';
      throw new DomainError('department_has_open_work', { name: before.name, count: open.total, cases: open.numbers.join('、') + more });
    }
    await updateDepartment(trx, id, { retired_at: ctx.now });
    // Categories no longer default to a department that takes no work.
    const unset = await clearCategoryDefaults(trx, id);
    const rules = await deleteRoutingRulesOf(trx, id);
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'department.retire', targetType: 'department', targetId: id,
      summary: `撤销部门 ${before.code} ${before.name}`, data: { categoriesWithoutDefault: unset, routingRulesRemoved: rules }, ip: ctx.ip, at: ctx.now,
    });
  });
}

/**
 * Merges a department into another (机构合并): its open work orders, its people, its routing rules and the categories
 * that default to it go to the target, and it is retired — one transaction, one audit row naming everything moved.
 */
export async function mergeDepartment(ctx: ActorContext, id: number, intoId: number): Promise<DepartmentMergeResult> {
  requireRole(ctx.actor, ['admin']);
  if (id === intoId) throw new DomainError('department_merge_same');
  return inTransaction(ctx.db, async (trx) => {
    // Both locked in id order, so two merges crossing each other queue instead of deadlocking.
    const [first, second] = id < intoId ? [id, intoId] : [intoId, id];
    const a = await lockDepartment(trx, first);
    const b = await lockDepartment(trx, second);
    const from = first === id ? a : b;
    const into = first === id ? b : a;
    if (!from) throw new DomainError('not_found');
    if (!into) throw new DomainError('unknown_department');
    if (from.retired_at) throw new DomainError('department_retired', { name: from.name });
    if (into.retired_at) throw new DomainError('department_merge_target_retired', { name: into.name });
    const orders = await moveOpenWorkOrders(trx, id, intoId, ctx.now);
    const users = await moveUsersToDepartment(trx, id, intoId);
    const rules = await moveRoutingRules(trx, id, intoId);
    const categories = await moveCategoryDefaults(trx, id, intoId);
    await updateDepartment(trx, id, { retired_at: ctx.now });
    const result = { workOrders: orders.main.length, coWorkOrders: orders.co.length, users: users.length, routingRules: rules.length, categories: categories.length };
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'department.merge', targetType: 'department', targetId: id,
      summary: `部门 ${from.code} ${from.name} 并入 ${into.code} ${into.name}：工单 ${orders.main.length + orders.co.length} 个，人员 ${users.length} 人，分派规则 ${rules.length} 条，默认分类 ${categories.length} 个`,
      data: { from: id, into: intoId, workOrders: orders.main, coWorkOrders: orders.co, users, routingRules: rules, categories },
      ip: ctx.ip, at: ctx.now,
    });
    return result;
  });
}
