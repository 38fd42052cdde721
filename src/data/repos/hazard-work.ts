// Issue 14's second part in SQL: monthly inspection plans and their progress, the signed receipt on a hazard's notice,
// the hazard deadline sweep (locked with SKIP LOCKED like the case sweep; its notices go through insertNotices in
// ./notifications.ts), and the two enterprise
// ledgers (行业监管台账, 不放心企业台账). Every read takes a Scope and filters in SQL.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Scope } from '../../domain/access.js';
import type { DbOrTx } from '../db.js';
import type { Database } from '../schema.js';
import { escapeLike, underAny, userCoversArea } from './cases/cases.js';

const OPEN_HAZARD_STATES = ['found', 'rectifying', 'failed', 'passed'] as const;

/** Enterprises in scope: area users their subtree, a department the enterprises it supervises, administrators all. */
function enterpriseScope(scope: Scope) {
  return (eb: ExpressionBuilder<Database, 'enterprises'>) => {
    switch (scope.kind) {
      case 'all':
        return eb.lit(true);
      case 'area':
        return underAny('enterprises.area_path', scope.paths);
      case 'department':
        return sql<boolean>`enterprises.department_ids @> ${JSON.stringify([scope.departmentId])}::jsonb`;
      default:
        return eb.lit(false);
    }
  };
}

// ---- inspection plans ---------------------------------------------------------------------------------------------

export async function findGridForPlan(db: DbOrTx, gridId: number) {
  return db.selectFrom('grids').select(['id', 'name', 'path', 'retired_at']).where('id', '=', gridId).executeTakeFirst();
}

export async function findPlanByGridMonth(db: DbOrTx, gridId: number, month: string) {
  return db.selectFrom('inspection_plans').select('id').where('grid_id', '=', gridId).where('month', '=', month).executeTakeFirst();
}

/** The operating enterprises placed in a grid, with what the checklist choice needs. */
export async function operatingEnterprisesOfGrid(db: DbOrTx, gridId: number) {
  return db
    .selectFrom('enterprises')
    .select(['id', 'industry_code', 'industry_name'])
    .where('grid_id', '=', gridId)
    .where('status', '=', 'operating')
    .orderBy('id')
    .execute();
}

export async function insertPlan(db: DbOrTx, p: { gridId: number; areaPath: string; month: string; createdBy: number; at: Date; items: { enterpriseId: number; templateId: number | null }[] }) {
  const row = await db
    .insertInto('inspection_plans')
    .values({ grid_id: p.gridId, area_path: p.areaPath, month: p.month, created_by: p.createdBy, created_at: p.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('inspection_plan_items')
    .values(p.items.map((i) => ({ plan_id: row.id, enterprise_id: i.enterpriseId, template_id: i.templateId })))
    .execute();
  return row.id;
}

function planScope(scope: Scope) {
  switch (scope.kind) {
    case 'all':
      return sql<boolean>`true`;
    case 'area':
      return underAny('inspection_plans.area_path', scope.paths);
    case 'department':
      return sql<boolean>`EXISTS (SELECT 1 FROM inspection_plan_items spi JOIN enterprises se ON se.id = spi.enterprise_id
        WHERE spi.plan_id = inspection_plans.id AND se.department_ids @> ${JSON.stringify([scope.departmentId])}::jsonb)`;
    default:
      return sql<boolean>`false`;
  }
}

/** The plans of a month in scope, each with its grid, community and done/total (items whose inspection is recorded). */
export async function listPlans(db: DbOrTx, scope: Scope, f: { month: string; id?: number | undefined }) {
  let q = db
    .selectFrom('inspection_plans')
    .innerJoin('grids', 'grids.id', 'inspection_plans.grid_id')
    .leftJoin('divisions', 'divisions.id', 'grids.division_id')
    .select((eb) => [
      'inspection_plans.id',
      'inspection_plans.grid_id',
      'inspection_plans.month',
      'inspection_plans.created_at',
      'inspection_plans.inspector_id',
      'inspection_plans.version',
      eb.selectFrom('users as pi').select('pi.display_name').whereRef('pi.id', '=', 'inspection_plans.inspector_id').as('inspector_name'),
      'grids.name as grid_name',
      'grids.code as grid_code',
      'divisions.name as community_name',
      eb.selectFrom('inspection_plan_items').select(eb.fn.countAll<string>().as('n')).whereRef('inspection_plan_items.plan_id', '=', 'inspection_plans.id').as('total'),
      eb
        .selectFrom('inspection_plan_items')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('inspection_plan_items.plan_id', '=', 'inspection_plans.id')
        .where('inspection_plan_items.inspection_id', 'is not', null)
        .as('done'),
    ])
    .where('inspection_plans.month', '=', f.month)
    .where(planScope(scope));
  if (f.id != null) q = q.where('inspection_plans.id', '=', f.id);
  return q.orderBy('grids.code').execute();
}

export async function findPlanInScope(db: DbOrTx, id: number, scope: Scope) {
  return db.selectFrom('inspection_plans').selectAll().where('id', '=', id).where(planScope(scope)).executeTakeFirst();
}

export async function listPlanItems(db: DbOrTx, planId: number) {
  return db
    .selectFrom('inspection_plan_items')
    .innerJoin('enterprises', 'enterprises.id', 'inspection_plan_items.enterprise_id')
    .leftJoin('inspection_templates as t', 't.id', 'inspection_plan_items.template_id')
    .leftJoin('inspections', 'inspections.id', 'inspection_plan_items.inspection_id')
    .leftJoin('users', 'users.id', 'inspections.inspector_id')
    .select([
      'inspection_plan_items.enterprise_id',
      'inspection_plan_items.template_id',
      'inspection_plan_items.inspection_id',
      'enterprises.name as enterprise_name',
      'enterprises.industry_name',
      't.name as template_name',
      'inspections.at as inspected_at',
      'inspections.failed',
      'users.display_name as inspector_name',
    ])
    .where('inspection_plan_items.plan_id', '=', planId)
    .orderBy('enterprises.id')
    .execute();
}

/**
 * The open plan item an inspection of this enterprise at this month fulfils (the first inspection of the month counts),
 * locked so two inspections at once do not both claim it.
 */
export async function lockOpenPlanItem(db: DbOrTx, enterpriseId: number, month: string) {
  return db
    .selectFrom('inspection_plan_items')
    .innerJoin('inspection_plans', 'inspection_plans.id', 'inspection_plan_items.plan_id')
    .select(['inspection_plan_items.plan_id', 'inspection_plan_items.template_id'])
    .where('inspection_plan_items.enterprise_id', '=', enterpriseId)
    .where('inspection_plan_items.inspection_id', 'is', null)
    .where('inspection_plans.month', '=', month)
    .forUpdate()
    .executeTakeFirst();
}

export async function fulfilPlanItem(db: DbOrTx, planId: number, enterpriseId: number, inspectionId: number): Promise<void> {
  await db.updateTable('inspection_plan_items').set({ inspection_id: inspectionId }).where('plan_id', '=', planId).where('enterprise_id', '=', enterpriseId).execute();
  await db.updateTable('inspections').set({ plan_id: planId }).where('id', '=', inspectionId).execute();
}

export async function updateTemplate(db: DbOrTx, id: number, t: { name: string; industry: string | null; items: unknown[]; at: Date }) {
  return db
    .updateTable('inspection_templates')
    .set({ name: t.name, industry: t.industry, items: JSON.stringify(t.items), updated_at: t.at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** The templates in use (not retired), for matching enterprises to their checklist. */
export async function listTemplatesForMatch(db: DbOrTx) {
  return db.selectFrom('inspection_templates').select(['id', 'industry']).where('retired_at', 'is', null).orderBy('id').execute();
}

/** Plan items not yet inspected in plans of this month or later, with what the checklist choice needs, locked. */
export async function lockOpenPlanItemsFrom(db: DbOrTx, month: string) {
  return db
    .selectFrom('inspection_plan_items')
    .innerJoin('inspection_plans', 'inspection_plans.id', 'inspection_plan_items.plan_id')
    .innerJoin('enterprises', 'enterprises.id', 'inspection_plan_items.enterprise_id')
    .select(['inspection_plan_items.plan_id', 'inspection_plan_items.enterprise_id', 'inspection_plan_items.template_id', 'enterprises.industry_code', 'enterprises.industry_name'])
    .where('inspection_plan_items.inspection_id', 'is', null)
    .where('inspection_plans.month', '>=', month)
    .orderBy('inspection_plan_items.plan_id')
    .orderBy('inspection_plan_items.enterprise_id')
    .forUpdate('inspection_plan_items')
    .execute();
}

export async function setPlanItemTemplate(db: DbOrTx, planId: number, enterpriseId: number, templateId: number | null): Promise<void> {
  await db.updateTable('inspection_plan_items').set({ template_id: templateId }).where('plan_id', '=', planId).where('enterprise_id', '=', enterpriseId).execute();
}

/** A plan locked for an edit, with its grid. */
export async function lockPlan(db: DbOrTx, id: number) {
  return db
    .selectFrom('inspection_plans')
    .innerJoin('grids', 'grids.id', 'inspection_plans.grid_id')
    .select(['inspection_plans.id', 'inspection_plans.grid_id', 'inspection_plans.area_path', 'inspection_plans.month', 'inspection_plans.inspector_id', 'inspection_plans.version', 'grids.name as grid_name'])
    .where('inspection_plans.id', '=', id)
    .forUpdate('inspection_plans')
    .executeTakeFirst();
}

export async function planItemRows(db: DbOrTx, planId: number) {
  return db.selectFrom('inspection_plan_items').select(['enterprise_id', 'template_id', 'inspection_id']).where('plan_id', '=', planId).execute();
}

export async function insertPlanItems(db: DbOrTx, planId: number, items: { enterpriseId: number; templateId: number | null }[]): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('inspection_plan_items')
    .values(items.map((i) => ({ plan_id: planId, enterprise_id: i.enterpriseId, template_id: i.templateId })))
    .onConflict((oc) => oc.columns(['plan_id', 'enterprise_id']).doNothing())
    .execute();
}

/** Removes items not yet inspected; returns the enterprises removed. */
export async function deleteOpenPlanItems(db: DbOrTx, planId: number, enterpriseIds: readonly number[]): Promise<number[]> {
  if (enterpriseIds.length === 0) return [];
  const rows = await db
    .deleteFrom('inspection_plan_items')
    .where('plan_id', '=', planId)
    .where('enterprise_id', 'in', [...enterpriseIds])
    .where('inspection_id', 'is', null)
    .returning('enterprise_id')
    .execute();
  return rows.map((r) => r.enterprise_id);
}

export async function setPlanInspector(db: DbOrTx, planId: number, inspectorId: number | null): Promise<void> {
  await db.updateTable('inspection_plans').set({ inspector_id: inspectorId }).where('id', '=', planId).execute();
}

export async function bumpPlanVersion(db: DbOrTx, planId: number): Promise<void> {
  await db
    .updateTable('inspection_plans')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', planId)
    .execute();
}

/** Enterprises that may be put in a grid's plan (placed in the grid, not closed down), with what the checklist needs. */
export async function plannableEnterprisesOfGrid(db: DbOrTx, gridId: number, ids?: readonly number[]) {
  let q = db
    .selectFrom('enterprises')
    .select(['id', 'name', 'status', 'industry_code', 'industry_name'])
    .where('grid_id', '=', gridId)
    .where('status', '!=', 'closed');
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('id', 'in', [...ids]);
  }
  return q.orderBy('id').execute();
}

/**
 * Who a plan may be assigned to: active grid workers, department inspectors and operators; grid workers and
 * operators only when their scope covers the plan's grid.
 */
export async function planInspectorCandidates(db: DbOrTx, areaPath: string, userId?: number) {
  let q = db
    .selectFrom('users')
    .select(['users.id', 'users.display_name', 'users.role'])
    .where('users.disabled_at', 'is', null)
    .where((eb) => eb.or([eb('users.role', '=', 'department'), eb.and([eb('users.role', 'in', ['grid_worker', 'operator']), userCoversArea('users', areaPath)])]));
  if (userId != null) q = q.where('users.id', '=', userId);
  return q.orderBy('users.role').orderBy('users.id').limit(500).execute();
}

/** The plans of a grid for this month and later (an enterprise that comes into the grid joins them). */
export async function plansOfGridFrom(db: DbOrTx, gridId: number, month: string) {
  return db.selectFrom('inspection_plans').select(['id', 'month']).where('grid_id', '=', gridId).where('month', '>=', month).orderBy('month').forUpdate().execute();
}

/** The plans of this month and later that hold an enterprise's uninspected item, outside a grid (or in any grid). */
export async function openPlansOfEnterpriseFrom(db: DbOrTx, enterpriseId: number, month: string, exceptGridId: number | null) {
  let q = db
    .selectFrom('inspection_plan_items')
    .innerJoin('inspection_plans', 'inspection_plans.id', 'inspection_plan_items.plan_id')
    .select(['inspection_plans.id', 'inspection_plans.month', 'inspection_plans.grid_id'])
    .where('inspection_plan_items.enterprise_id', '=', enterpriseId)
    .where('inspection_plan_items.inspection_id', 'is', null)
    .where('inspection_plans.month', '>=', month);
  if (exceptGridId != null) q = q.where('inspection_plans.grid_id', '!=', exceptGridId);
  return q.execute();
}

// ---- the signed receipt -------------------------------------------------------------------------------------------

export async function userDisplayName(db: DbOrTx, id: number | null): Promise<string | null> {
  if (id == null) return null;
  return (await db.selectFrom('users').select('display_name').where('id', '=', id).executeTakeFirst())?.display_name ?? null;
}

export async function photoMime(db: DbOrTx, hash: string): Promise<string | null> {
  return (await db.selectFrom('photos').select('mime').where('hash', '=', hash).executeTakeFirst())?.mime ?? null;
}

// ---- the deadline sweep -------------------------------------------------------------------------------------------

/** A capped batch of hazards under a notice whose next threshold has passed and was not yet notified, locked (SKIP LOCKED). */
export async function lockHazardsPastDeadlines(db: DbOrTx, now: Date, limit: number) {
  return db
    .selectFrom('hazards')
    .select(['id', 'number', 'grade', 'state', 'area_path', 'deadline', 'warn_at', 'notified_level', 'notice_number', 'notice_issued_by', 'enterprise_id'])
    .where('state', '=', 'rectifying')
    .where('notified_level', '<', 2)
    .where('deadline', 'is not', null)
    .where((eb) => eb.or([eb.and([eb('notified_level', '<', 1), eb('warn_at', '<=', now)]), eb('deadline', '<=', now)]))
    .orderBy('warn_at')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function setHazardNotifiedLevel(db: DbOrTx, id: number, level: number): Promise<void> {
  await db.updateTable('hazards').set({ notified_level: level }).where('id', '=', id).execute();
}

// ---- the enterprise ledgers -----------------------------------------------------------------------------------------

export interface EnterpriseLedgerFilter {
  /** industry: a GB/T 4754 code prefix or a part of the industry name */
  industry?: string | undefined;
  /** 不放心企业台账: only flagged enterprises, the period on the review date */
  watch?: boolean | undefined;
  /** the period: inspections and hazards counted in it (行业监管台账) or the review date within it (不放心企业台账) */
  from?: Date | undefined;
  to?: Date | undefined;
  fromDate?: string | undefined;
  toDate?: string | undefined;
}

function enterpriseLedgerQuery(db: DbOrTx, scope: Scope, f: EnterpriseLedgerFilter) {
  let q = db.selectFrom('enterprises').leftJoin('grids', 'grids.id', 'enterprises.grid_id').where(enterpriseScope(scope));
  if (f.industry) {
    const ind = f.industry;
    q = q.where((eb) => eb.or([eb('enterprises.industry_code', 'like', `${escapeLike(ind.toUpperCase())}%`), eb('enterprises.industry_name', 'like', `%${escapeLike(ind)}%`)]));
  }
  if (f.watch) {
    q = q.where('enterprises.watch', '=', true);
    if (f.fromDate) q = q.where(sql<boolean>`enterprises.watch_review_on >= ${f.fromDate}::date`);
    if (f.toDate) q = q.where(sql<boolean>`enterprises.watch_review_on <= ${f.toDate}::date`);
  }
  return q;
}

export async function countEnterpriseLedger(db: DbOrTx, scope: Scope, f: EnterpriseLedgerFilter): Promise<number> {
  const r = await enterpriseLedgerQuery(db, scope, f).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Ledger rows of enterprises in the order the ledger prints them (industry code, then id), a page at a time: `after`
 * is the last row's [industry key, id] (keyset), or the offset for the live list.
 */
export async function enterpriseLedgerRows(db: DbOrTx, scope: Scope, f: EnterpriseLedgerFilter, page: { offset?: number; after?: [string, number]; limit: number }) {
  const from = f.watch ? undefined : f.from;
  const to = f.watch ? undefined : f.to;
  const inPeriod = (col: string) => sql<boolean>`(${from ? sql`${sql.ref(col)} >= ${from}` : sql`true`} AND ${to ? sql`${sql.ref(col)} < ${to}` : sql`true`})`;
  const industryKey = sql<string>`coalesce(enterprises.industry_code, '')`;
  let q = enterpriseLedgerQuery(db, scope, f)
    .selectAll('enterprises')
    .select((eb) => [
      'grids.name as grid_name',
      industryKey.as('industry_key'),
      sql<string | null>`(SELECT string_agg(d.name, '、' ORDER BY d.id) FROM departments d WHERE enterprises.department_ids @> to_jsonb(d.id))`.as('department_names'),
      eb.selectFrom('inspections').select(eb.fn.countAll<string>().as('n')).whereRef('inspections.enterprise_id', '=', 'enterprises.id').where(inPeriod('inspections.at')).as('inspections'),
      eb.selectFrom('hazards').select(eb.fn.countAll<string>().as('n')).whereRef('hazards.enterprise_id', '=', 'enterprises.id').where(inPeriod('hazards.found_at')).as('hazards'),
      eb.selectFrom('hazards').select(eb.fn.countAll<string>().as('n')).whereRef('hazards.enterprise_id', '=', 'enterprises.id').where('hazards.grade', '=', 'major').where(inPeriod('hazards.found_at')).as('major_hazards'),
      eb.selectFrom('hazards').select(eb.fn.countAll<string>().as('n')).whereRef('hazards.enterprise_id', '=', 'enterprises.id').where('hazards.state', 'in', [...OPEN_HAZARD_STATES]).as('open_hazards'),
      eb.selectFrom('inspections').select(sql<Date | null>`max(inspections.at)`.as('m')).whereRef('inspections.enterprise_id', '=', 'enterprises.id').as('last_inspected_at'),
    ]);
  if (page.after) q = q.where(sql<boolean>`(coalesce(enterprises.industry_code, ''), enterprises.id) > (${page.after[0]}, ${page.after[1]})`);
  q = q.orderBy(industryKey).orderBy('enterprises.id').limit(page.limit);
  if (page.offset) q = q.offset(page.offset);
  return q.execute();
}

export type EnterpriseLedgerDbRow = Awaited<ReturnType<typeof enterpriseLedgerRows>>[number];

export async function enterpriseNames(db: DbOrTx, ids: readonly number[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('enterprises').select('name').where('id', 'in', [...ids]).orderBy('id').execute()).map((r) => r.name);
}

export async function templateNames(db: DbOrTx): Promise<Map<number, string>> {
  return new Map((await db.selectFrom('inspection_templates').select(['id', 'name']).execute()).map((t) => [t.id, t.name]));
}
