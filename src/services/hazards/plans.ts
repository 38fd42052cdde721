// Monthly inspection plans (排查计划): an operator (or administrator) plans a grid's month — every operating
// enterprise placed in the grid, each with the checklist its industry calls for (src/domain/hazards/plans.ts) — and
// the first inspection of a planned enterprise that month fulfils its item (recordInspection links it). Progress is
// done/total per grid, added up per community. Checklists are kept by administrators, audited.
import { DomainError } from '../../domain/errors.js';
import { beijingMonth, byCommunity, duplicateItemTexts, plannableMonth, progress, rematchedItems, templateFor, templateIndustryProblem } from '../../domain/hazards/plans.js';
import { inAreas } from '../../domain/access.js';
import { inTransaction } from '../../data/db.js';
import { insertAudit } from '../../data/repos/audit.js';
import {
  bumpPlanVersion,
  deleteOpenPlanItems,
  enterpriseNames,
  findGridForPlan,
  findPlanByGridMonth,
  findPlanInScope,
  insertPlan,
  insertPlanItems,
  listPlanItems,
  listPlans,
  listTemplatesForMatch,
  lockOpenPlanItemsFrom,
  lockPlan,
  openPlansOfEnterpriseFrom,
  operatingEnterprisesOfGrid,
  planInspectorCandidates,
  planItemRows,
  plannableEnterprisesOfGrid,
  plansOfGridFrom,
  setPlanInspector,
  setPlanItemTemplate,
  templateNames,
  updateTemplate,
} from '../../data/repos/hazard-work.js';
import { findTemplate, findTemplateByName, retireTemplate } from '../../data/repos/inspections.js';
import type { DbOrTx } from '../../data/db.js';
import { industryOf } from '../../domain/hazards/industries.js';
import type { InspectionTemplate } from '../../shared/hazards-api.js';
import type {
  InspectionPlanBoard,
  InspectionPlanDetail,
  InspectionPlanInput,
  InspectionPlanOptions,
  InspectionPlanSummary,
  InspectionPlanUpdate,
  InspectionTemplateUpdate,
} from '../../shared/hazard-work-api.js';
import { caseScope, requireRole } from '../access.js';
import type { ActorContext } from '../context.js';

export const PLANNERS = ['admin', 'operator'] as const;

type PlanRow = Awaited<ReturnType<typeof listPlans>>[number];

function presentPlan(r: PlanRow): InspectionPlanSummary {
  return {
    id: r.id,
    gridId: r.grid_id,
    gridName: r.grid_name,
    gridCode: r.grid_code,
    communityName: r.community_name,
    month: r.month,
    inspectorId: r.inspector_id,
    inspectorName: r.inspector_name,
    version: r.version,
    ...progress(Number(r.done ?? 0), Number(r.total ?? 0)),
  };
}

export async function createInspectionPlan(ctx: ActorContext, input: InspectionPlanInput): Promise<InspectionPlanDetail> {
  const { db, actor, now } = ctx;
  requireRole(actor, PLANNERS);
  if (!plannableMonth(input.month, now)) throw new DomainError('inspection_plan_month_invalid');
  const grid = await findGridForPlan(db, input.gridId);
  // a grid outside the planner's scope is as unknown as a missing one
  if (!grid || grid.retired_at || (actor.role !== 'admin' && !inAreas(actor.scopePaths, grid.path))) throw new DomainError('unknown_grid');
  if (await findPlanByGridMonth(db, grid.id, input.month)) throw new DomainError('inspection_plan_exists', { grid: grid.name, month: input.month });
  const enterprises = await operatingEnterprisesOfGrid(db, grid.id);
  if (enterprises.length === 0) throw new DomainError('inspection_plan_empty', { grid: grid.name });
  const templates = await listTemplatesForMatch(db);
  const items = enterprises.map((e) => ({ enterpriseId: e.id, templateId: templateFor(e, templates) }));
  const id = await inTransaction(db, async (trx) => {
    const id = await insertPlan(trx, { gridId: grid.id, areaPath: grid.path, month: input.month, createdBy: actor.id, at: now, items });
    await insertAudit(trx, {
      actorId: actor.id,
      action: 'inspection.plan_create',
      targetType: 'inspection_plan',
      targetId: id,
      summary: `制定排查计划：${grid.name} ${input.month}，${items.length} 家企业`,
      data: { gridId: grid.id, month: input.month, enterprises: items.length },
      ip: ctx.ip,
      at: now,
    });
    return id;
  });
  return inspectionPlanDetail(ctx, id);
}

export async function inspectionPlanBoard(ctx: ActorContext, q: { month?: string | undefined }): Promise<InspectionPlanBoard> {
  const month = q.month ?? beijingMonth(ctx.now);
  const plans = (await listPlans(ctx.db, caseScope(ctx.actor), { month })).map(presentPlan);
  const done = plans.reduce((s, p) => s + p.done, 0);
  const total = plans.reduce((s, p) => s + p.total, 0);
  return { month, plans, communities: byCommunity(plans), overall: progress(done, total) };
}

export async function inspectionPlanDetail(ctx: ActorContext, id: number): Promise<InspectionPlanDetail> {
  const scope = caseScope(ctx.actor);
  const plan = await findPlanInScope(ctx.db, id, scope);
  if (!plan) throw new DomainError('not_found');
  const [summary] = await listPlans(ctx.db, scope, { month: plan.month, id });
  const items = await listPlanItems(ctx.db, id);
  return {
    ...presentPlan(summary!),
    items: items.map((i) => ({
      enterpriseId: i.enterprise_id,
      enterpriseName: i.enterprise_name,
      industryName: i.industry_name,
      templateId: i.template_id,
      templateName: i.template_name,
      inspectionId: i.inspection_id,
      inspectedAt: i.inspected_at ? i.inspected_at.toISOString() : null,
      inspectorName: i.inspector_name,
      failed: i.failed,
    })),
  };
}

// ---- checklist templates -------------------------------------------------------------------------------------------

type TemplateRow = NonNullable<Awaited<ReturnType<typeof findTemplate>>>;

export function presentTemplate(t: TemplateRow): InspectionTemplate {
  return { id: t.id, name: t.name, industry: t.industry, items: t.items, retiredAt: t.retired_at ? t.retired_at.toISOString() : null };
}

/** The checks a template's content must pass; returns its industry as stored (a code upper-cased, empty as null). */
export function checkTemplateInput(input: InspectionTemplateUpdate): string | null {
  const raw = input.industry?.trim() ?? '';
  if (templateIndustryProblem(raw, (code) => industryOf(code) != null)) throw new DomainError('inspection_template_industry_unknown', { value: raw, field: 'industry' });
  const [dup] = duplicateItemTexts(input.items);
  if (dup !== undefined) throw new DomainError('inspection_template_items_duplicate', { text: dup, field: 'items' });
  if (!raw) return null;
  return /^[A-Za-z][0-9]{0,4}$/.test(raw) ? raw.toUpperCase() : raw;
}

/**
 * Gives every plan item of this month and later not yet inspected the checklist its industry calls for among the
 * templates now in use (run in the transaction that changed the templates); returns how many changed.
 */
export async function rematchPlanTemplates(trx: DbOrTx, now: Date): Promise<number> {
  const items = await lockOpenPlanItemsFrom(trx, beijingMonth(now));
  if (items.length === 0) return 0;
  const changed = rematchedItems(items, await listTemplatesForMatch(trx));
  for (const i of changed) await setPlanItemTemplate(trx, i.plan_id, i.enterprise_id, i.next);
  return changed.length;
}

/** An administrator edits a checklist: its name, the industry it is for and its items; audited with before and after. */
export async function updateInspectionTemplate(ctx: ActorContext, id: number, input: InspectionTemplateUpdate): Promise<InspectionTemplate> {
  requireRole(ctx.actor, ['admin']);
  const before = await findTemplate(ctx.db, id);
  if (!before) throw new DomainError('unknown_inspection_template');
  if (before.retired_at) throw new DomainError('inspection_template_retired', { name: before.name });
  const industry = checkTemplateInput(input);
  const taken = await findTemplateByName(ctx.db, input.name);
  if (taken && taken.id !== id) throw new DomainError('inspection_template_taken', { name: input.name });
  const t = await inTransaction(ctx.db, async (trx) => {
    const row = (await updateTemplate(trx, id, { name: input.name, industry, items: input.items, at: ctx.now }))!;
    const rematched = before.industry === industry ? 0 : await rematchPlanTemplates(trx, ctx.now);
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'inspection.template_update',
      targetType: 'inspection_template',
      targetId: id,
      summary: `修改排查表 ${row.name}（${input.items.length} 项）`,
      data: {
        before: { name: before.name, industry: before.industry, items: before.items.length },
        after: { name: row.name, industry: row.industry, items: input.items.length },
        planItemsRematched: rematched,
      },
      ip: ctx.ip,
      at: ctx.now,
    });
    return row;
  });
  return presentTemplate(t);
}

/**
 * An administrator retires a checklist: kept for the inspections and plans that used it, no longer offered on the
 * phone nor matched to plan items; the open plan items it was chosen for get the next fitting one. Audited.
 */
export async function retireInspectionTemplate(ctx: ActorContext, id: number): Promise<InspectionTemplate> {
  requireRole(ctx.actor, ['admin']);
  const before = await findTemplate(ctx.db, id);
  if (!before) throw new DomainError('unknown_inspection_template');
  if (before.retired_at) throw new DomainError('inspection_template_retired', { name: before.name });
  const t = await inTransaction(ctx.db, async (trx) => {
    const row = await retireTemplate(trx, id, ctx.actor.id, ctx.now);
    if (!row) throw new DomainError('inspection_template_retired', { name: before.name });
    const rematched = await rematchPlanTemplates(trx, ctx.now);
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'inspection.template_retire',
      targetType: 'inspection_template',
      targetId: id,
      summary: `停用排查表 ${row.name}`,
      data: { planItemsRematched: rematched },
      ip: ctx.ip,
      at: ctx.now,
    });
    return row;
  });
  return presentTemplate(t);
}

// ---- editing a plan --------------------------------------------------------------------------------------------

/** A plan the actor may edit: in scope, of a month not over (last month's may still be completed). */
async function editablePlan(ctx: ActorContext, trx: DbOrTx, id: number) {
  const { actor, now } = ctx;
  const inScope = await findPlanInScope(trx, id, caseScope(actor));
  if (!inScope) throw new DomainError('not_found');
  const plan = await lockPlan(trx, id);
  if (!plan) throw new DomainError('not_found');
  if (!plannableMonth(plan.month, now)) throw new DomainError('inspection_plan_closed', { month: plan.month });
  return plan;
}

/**
 * Changes a plan after it was made: enterprises of its grid added (each with its industry's checklist) or removed
 * (only while not inspected), the inspector it is assigned to changed. One transaction with its audit row; a stale
 * version is 409.
 */
export async function updateInspectionPlan(ctx: ActorContext, id: number, input: InspectionPlanUpdate): Promise<InspectionPlanDetail> {
  const { db, actor, now } = ctx;
  requireRole(actor, PLANNERS);
  await inTransaction(db, async (trx) => {
    const plan = await editablePlan(ctx, trx, id);
    if (plan.version !== input.version) throw new DomainError('version_conflict');
    const items = await planItemRows(trx, id);
    const inPlan = new Set(items.map((i) => i.enterprise_id));
    const add = [...new Set(input.add)].filter((e) => !inPlan.has(e));
    const remove = [...new Set(input.remove)].filter((e) => inPlan.has(e));
    const addable = await plannableEnterprisesOfGrid(trx, plan.grid_id, add);
    if (addable.length !== add.length) throw new DomainError('inspection_plan_enterprise_invalid', { grid: plan.grid_name });
    const done = items.filter((i) => remove.includes(i.enterprise_id) && i.inspection_id != null);
    if (done.length) {
      const [name] = await enterpriseNames(trx, [done[0]!.enterprise_id]);
      throw new DomainError('inspection_plan_item_done', { name: name ?? String(done[0]!.enterprise_id) });
    }
    let inspector: { before: number | null; after: number | null } | null = null;
    if (input.inspectorId !== undefined && input.inspectorId !== plan.inspector_id) {
      if (input.inspectorId != null && (await planInspectorCandidates(trx, plan.area_path, input.inspectorId)).length === 0) {
        throw new DomainError('inspection_plan_inspector_invalid', { grid: plan.grid_name });
      }
      inspector = { before: plan.inspector_id, after: input.inspectorId };
      await setPlanInspector(trx, id, input.inspectorId);
    }
    if (add.length === 0 && remove.length === 0 && !inspector) return;
    const templates = await listTemplatesForMatch(trx);
    await insertPlanItems(trx, id, addable.map((e) => ({ enterpriseId: e.id, templateId: templateFor(e, templates) })));
    await deleteOpenPlanItems(trx, id, remove);
    await bumpPlanVersion(trx, id);
    const parts = [add.length ? `加入 ${add.length} 家企业` : '', remove.length ? `移出 ${remove.length} 家企业` : '', inspector ? '更换排查人员' : ''].filter(Boolean);
    await insertAudit(trx, {
      actorId: actor.id,
      action: 'inspection.plan_update',
      targetType: 'inspection_plan',
      targetId: id,
      summary: `修改排查计划：${plan.grid_name} ${plan.month}，${parts.join('，')}`,
      data: { added: add, removed: remove, ...(inspector ? { inspector } : {}) },
      ip: ctx.ip,
      at: now,
    });
  });
  return inspectionPlanDetail(ctx, id);
}

/** What the plan's editor offers: who it may be assigned to, and the grid's enterprises not in it yet. */
export async function inspectionPlanOptions(ctx: ActorContext, id: number): Promise<InspectionPlanOptions> {
  requireRole(ctx.actor, PLANNERS);
  const plan = await findPlanInScope(ctx.db, id, caseScope(ctx.actor));
  if (!plan) throw new DomainError('not_found');
  const [inspectors, enterprises, items, templates, names] = await Promise.all([
    planInspectorCandidates(ctx.db, plan.area_path),
    plannableEnterprisesOfGrid(ctx.db, plan.grid_id),
    planItemRows(ctx.db, id),
    listTemplatesForMatch(ctx.db),
    templateNames(ctx.db),
  ]);
  const inPlan = new Set(items.map((i) => i.enterprise_id));
  return {
    inspectors: inspectors.map((u) => ({ id: u.id, name: u.display_name, role: u.role })),
    enterprises: enterprises
      .filter((e) => !inPlan.has(e.id))
      .map((e) => {
        const templateId = templateFor(e, templates);
        return { id: e.id, name: e.name, industryName: e.industry_name, templateId, templateName: templateId != null ? (names.get(templateId) ?? null) : null };
      }),
  };
}

/**
 * An enterprise registered in, or moved into, a grid joins that grid's plans of this month and later (an office plans
 * "every operating enterprise of the grid", so it belongs there without anyone remembering to add it); one that left
 * the grid or was shut down leaves the open plans it was in, unless already inspected. Runs in the transaction that
 * changed the enterprise, with an audit row per plan.
 */
export async function followEnterpriseIntoPlans(
  trx: DbOrTx,
  ctx: ActorContext,
  e: { id: number; name: string; grid_id: number | null; status: string; industry_code: string | null; industry_name: string | null },
): Promise<void> {
  const month = beijingMonth(ctx.now);
  const stays = e.status !== 'closed' ? e.grid_id : null;
  for (const p of await openPlansOfEnterpriseFrom(trx, e.id, month, stays)) {
    const removed = await deleteOpenPlanItems(trx, p.id, [e.id]);
    if (!removed.length) continue;
    await recordAutomaticPlanChange(trx, ctx, p.id, `企业 ${e.name} ${e.status === 'closed' ? '已关停取缔' : '已移出本网格'}，移出 ${p.month} 排查计划`, { removed: [e.id], automatic: true });
  }
  if (e.status !== 'operating' || e.grid_id == null) return;
  const plans = await plansOfGridFrom(trx, e.grid_id, month);
  if (plans.length === 0) return;
  const templateId = templateFor(e, await listTemplatesForMatch(trx));
  for (const p of plans) {
    const items = await planItemRows(trx, p.id);
    if (items.some((i) => i.enterprise_id === e.id)) continue;
    await insertPlanItems(trx, p.id, [{ enterpriseId: e.id, templateId }]);
    await recordAutomaticPlanChange(trx, ctx, p.id, `企业 ${e.name} 进入本网格，自动加入 ${p.month} 排查计划`, { added: [e.id], automatic: true });
  }
}

/**
 * Enterprises imported from a sheet join the plans of this month and later of the grids they were placed in (the
 * operating ones), one audit row per plan changed; in the import's transaction.
 */
export async function followImportedIntoPlans(
  trx: DbOrTx,
  ctx: ActorContext,
  rows: readonly { id: number; grid_id: number | null; status: string; industry_code: string | null; industry_name: string | null }[],
): Promise<void> {
  const byGrid = new Map<number, typeof rows[number][]>();
  for (const r of rows) if (r.status === 'operating' && r.grid_id != null) byGrid.set(r.grid_id, [...(byGrid.get(r.grid_id) ?? []), r]);
  if (byGrid.size === 0) return;
  const month = beijingMonth(ctx.now);
  let templates: Awaited<ReturnType<typeof listTemplatesForMatch>> | null = null;
  for (const [gridId, list] of byGrid) {
    for (const p of await plansOfGridFrom(trx, gridId, month)) {
      templates ??= await listTemplatesForMatch(trx);
      await insertPlanItems(trx, p.id, list.map((e) => ({ enterpriseId: e.id, templateId: templateFor(e, templates!) })));
      await recordAutomaticPlanChange(trx, ctx, p.id, `导入的 ${list.length} 家企业在本网格，自动加入 ${p.month} 排查计划`, { added: list.map((e) => e.id), automatic: true });
    }
  }
}

/** A plan changed by the registry, not by a person editing it: its version moves and the change is audited. */
async function recordAutomaticPlanChange(trx: DbOrTx, ctx: ActorContext, planId: number, summary: string, data: Record<string, unknown>): Promise<void> {
  await bumpPlanVersion(trx, planId);
  await insertAudit(trx, { actorId: ctx.actor.id, action: 'inspection.plan_update', targetType: 'inspection_plan', targetId: planId, summary, data, ip: ctx.ip, at: ctx.now });
}
