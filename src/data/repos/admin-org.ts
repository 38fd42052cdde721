// Administration of the organisation: departments (rename, retire, merge, contacts, the categories that default to
// them) and the category tree (create, edit, move, retire). SQL only here; the services decide and audit.
import { sql } from 'kysely';
import type { DbOrTx } from '../db.js';
import type { DepartmentContact } from '../schema.js';
import type { CategoryLimits } from '../../domain/cases/time-limits.js';
import { openWorkOrdersQuery, WORK_ORDER_STATES } from './admin.js';

// ---- departments -------------------------------------------------------------------------------------------------

/** The department, locked: nothing can be dispatched to it or merged into it between a check and the change. */
export async function lockDepartment(db: DbOrTx, id: number) {
  return db.selectFrom('departments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateDepartment(db: DbOrTx, id: number, patch: { name?: string; retired_at?: Date; contacts?: DepartmentContact[] }) {
  const { contacts, ...rest } = patch;
  await db
    .updateTable('departments')
    .set({ ...rest, ...(contacts !== undefined ? { contacts: JSON.stringify(contacts) } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function activeDepartmentsByCode(db: DbOrTx) {
  return db.selectFrom('departments').select(['id', 'code']).where('retired_at', 'is', null).execute();
}

/** Subcategories (and classes) that default to the department: code and name, in code order. */
export async function categoriesDefaultingTo(db: DbOrTx, departmentId: number) {
  return db.selectFrom('categories').select(['id', 'code', 'name']).where('default_department_id', '=', departmentId).orderBy('code').execute();
}

/** Sets the default department of exactly these categories to `departmentId`, and clears it on the department's others. */
export async function setCategoriesDefaultingTo(db: DbOrTx, departmentId: number, categoryIds: readonly number[]) {
  let clear = db.updateTable('categories').set({ default_department_id: null }).where('default_department_id', '=', departmentId);
  if (categoryIds.length) clear = clear.where('id', 'not in', [...categoryIds]);
  await clear.execute();
  if (categoryIds.length) await db.updateTable('categories').set({ default_department_id: departmentId }).where('id', 'in', [...categoryIds]).execute();
}

/** Categories no longer default to a department that takes no work; returns their codes. */
export async function clearCategoryDefaults(db: DbOrTx, departmentId: number) {
  return (await db.updateTable('categories').set({ default_department_id: null }).where('default_department_id', '=', departmentId).returning('code').execute()).map((c) => c.code);
}

export async function deleteRoutingRulesOf(db: DbOrTx, departmentId: number) {
  return (await db.deleteFrom('routing_rules').where('department_id', '=', departmentId).returning('id').execute()).map((r) => r.id);
}

/** The department's open work orders with their state, for the retire dialog (the first `limit`). */
export async function openWorkOrderList(db: DbOrTx, departmentId: number, limit = 200) {
  return openWorkOrdersQuery(db, departmentId)
    .leftJoin('categories as k', 'k.id', 'c.category_id')
    .select(['c.id', 'c.number', 'c.state', 'c.deadline', 'k.name as category_name', sql<boolean>`c.department_id = ${departmentId}`.as('main')])
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

/**
 * Moves the open work orders of `fromId` to `toId`: the cases it holds as main department (their running assignment
 * ends, the target's starts — or a co-handling target becomes the main one) and its unreported co-handling parts
 * (taken over unless the target already takes part). Deadlines and clocks run on. Returns the case numbers moved.
 */
export async function moveOpenWorkOrders(db: DbOrTx, fromId: number, toId: number, at: Date) {
  const main = await db
    .updateTable('cases')
    .set({ department_id: toId, version: sql`version + 1` })
    .where('department_id', '=', fromId)
    .where('state', 'in', WORK_ORDER_STATES)
    .returning(['id', 'number', 'life'])
    .execute();
  for (const c of main) {
    await db.updateTable('case_assignments').set({ ended_at: at }).where('case_id', '=', c.id).where('life', '=', c.life).where('department_id', '=', fromId).where('ended_at', 'is', null).execute();
    await db
      .insertInto('case_assignments')
      .values({ case_id: c.id, life: c.life, department_id: toId, role: 'main', assigned_at: at })
      .onConflict((oc) => oc.columns(['case_id', 'life', 'department_id']).doUpdateSet({ role: 'main', assigned_at: at, ended_at: null, reported_at: null, report_note: null }))
      .execute();
  }
  const co = await db
    .selectFrom('case_assignments as a')
    .innerJoin('cases as c', (j) => j.onRef('c.id', '=', 'a.case_id').onRef('c.life', '=', 'a.life'))
    .select(['c.id', 'c.number', 'c.life'])
    .where('a.department_id', '=', fromId)
    .where('a.role', '=', 'co')
    .where('a.reported_at', 'is', null)
    .where('a.ended_at', 'is', null)
    .where('c.state', 'in', WORK_ORDER_STATES)
    .execute();
  for (const c of co) {
    await db.updateTable('case_assignments').set({ ended_at: at }).where('case_id', '=', c.id).where('life', '=', c.life).where('department_id', '=', fromId).execute();
    await db
      .insertInto('case_assignments')
      .values({ case_id: c.id, life: c.life, department_id: toId, role: 'co', assigned_at: at })
      .onConflict((oc) =>
        oc
          .columns(['case_id', 'life', 'department_id'])
          // a target already taking part keeps its part; an ended one takes the co-handling up again
          .doUpdateSet({ ended_at: null, reported_at: null, report_note: null, role: 'co', assigned_at: at })
          .where('case_assignments.ended_at', 'is not', null),
      )
      .execute();
  }
  return { main: main.map((c) => c.number), co: co.map((c) => c.number) };
}

export async function moveUsersToDepartment(db: DbOrTx, fromId: number, toId: number) {
  return (await db.updateTable('users').set({ department_id: toId }).where('department_id', '=', fromId).returning('username').execute()).map((u) => u.username);
}

export async function moveRoutingRules(db: DbOrTx, fromId: number, toId: number) {
  return (await db.updateTable('routing_rules').set({ department_id: toId }).where('department_id', '=', fromId).returning('id').execute()).map((r) => r.id);
}

export async function moveCategoryDefaults(db: DbOrTx, fromId: number, toId: number) {
  return (await db.updateTable('categories').set({ default_department_id: toId }).where('default_department_id', '=', fromId).returning('code').execute()).map((c) => c.code);
}

// ---- categories --------------------------------------------------------------------------------------------------

export async function countCategories(db: DbOrTx) {
  return Number((await db.selectFrom('categories').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

export async function lockCategory(db: DbOrTx, id: number) {
  return db.selectFrom('categories').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findCategoryByCode(db: DbOrTx, code: string) {
  return db.selectFrom('categories').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function childrenOfCategory(db: DbOrTx, parentId: number) {
  return db.selectFrom('categories').selectAll().where('parent_id', '=', parentId).orderBy('code').execute();
}

export async function updateCategoryRow(
  db: DbOrTx,
  id: number,
  patch: Partial<{ name: string; code: string; parent_id: number | null; default_department_id: number | null; accept_criteria: string; close_criteria: string; return_hours: number; limits: CategoryLimits; retired_at: Date | null }>,
) {
  const { limits, ...rest } = patch;
  await db
    .updateTable('categories')
    .set({ ...rest, ...(limits ? { limits: JSON.stringify(limits) } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function retireCategories(db: DbOrTx, ids: readonly number[], at: Date) {
  if (ids.length) await db.updateTable('categories').set({ retired_at: at }).where('id', 'in', [...ids]).where('retired_at', 'is', null).execute();
}

/** Open cases filed under these categories (they go on under them; the count is told). */
export async function countOpenCasesIn(db: DbOrTx, categoryIds: readonly number[], openStates: readonly string[]) {
  if (!categoryIds.length) return 0;
  const r = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('category_id', 'in', [...categoryIds])
    .where('state', 'in', openStates as never)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
