// Monthly inspection plans (排查计划): an operator (or administrator) plans a grid's month — every operating
// enterprise placed in the grid, each with the checklist its industry calls for (src/domain/hazards/plans.ts) — and
// the first inspection of a planned enterprise that month fulfils its item (recordInspection links it). Progress is
// done/total per grid, added up per community. Checklists are kept by administrators, audited.
import { DomainError } from '../../domain/errors.js';
import { beijingMonth, byCommunity, plannableMonth, progress, templateFor } from '../../domain/hazards/plans.js';
import { inAreas } from '../../domain/access.js';
import { inTransaction } from '../../data/db.js';
import { insertAudit } from '../../data/repos/audit.js';
import {
  findGridForPlan,
  findPlanByGridMonth,
  findPlanInScope,
  insertPlan,
  listPlanItems,
  listPlans,
  listTemplatesForMatch,
  operatingEnterprisesOfGrid,
  updateTemplate,
} from '../../data/repos/hazard-work.js';
import { findTemplate, findTemplateByName } from '../../data/repos/inspections.js';
import type { InspectionTemplate } from '../../shared/hazards-api.js';
import type { InspectionPlanBoard, InspectionPlanDetail, InspectionPlanInput, InspectionPlanSummary, InspectionTemplateUpdate } from '../../shared/hazard-work-api.js';
import { caseScope, requireRole } from '../access.js';
import type { ActorContext } from '../context.js';

export const PLANNERS = ['admin', 'operator'] as const;

type PlanRow = Awaited<ReturnType<typeof listPlans>>[number];

function presentPlan(r: PlanRow): InspectionPlanSummary {
  return { id: r.id, gridId: r.grid_id, gridName: r.grid_name, gridCode: r.grid_code, communityName: r.community_name, month: r.month, ...progress(Number(r.done ?? 0), Number(r.total ?? 0)) };
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

/** An administrator edits a checklist: its name, the industry it is for and its items; audited with before and after. */
export async function updateInspectionTemplate(ctx: ActorContext, id: number, input: InspectionTemplateUpdate): Promise<InspectionTemplate> {
  requireRole(ctx.actor, ['admin']);
  const before = await findTemplate(ctx.db, id);
  if (!before) throw new DomainError('unknown_inspection_template');
  const taken = await findTemplateByName(ctx.db, input.name);
  if (taken && taken.id !== id) throw new DomainError('inspection_template_taken', { name: input.name });
  const t = await inTransaction(ctx.db, async (trx) => {
    const row = (await updateTemplate(trx, id, { name: input.name, industry: input.industry ?? null, items: input.items, at: ctx.now }))!;
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'inspection.template_update',
      targetType: 'inspection_template',
      targetId: id,
      summary: `修改排查表 ${row.name}（${input.items.length} 项）`,
      data: { before: { name: before.name, industry: before.industry, items: before.items.length }, after: { name: row.name, industry: row.industry, items: input.items.length } },
      ip: ctx.ip,
      at: ctx.now,
    });
    return row;
  });
  return { id: t.id, name: t.name, industry: t.industry, items: t.items };
}
