// Inspections (排查): an inspector checks an enterprise of its scope against a checklist (a template an
// administrator keeps, or items of its own); each failed item becomes a hazard (src/services/hazards/hazards.ts)
// in the same transaction, linked to the inspection. Checklist templates are kept by administrators, audited.
import { DomainError } from '../../domain/errors.js';
import { HAZARD_LIFECYCLE } from '../../domain/hazards/lifecycle.js';
import { inTransaction } from '../../data/db.js';
import { insertAudit } from '../../data/repos/audit.js';
import { findEnterpriseInScope } from '../../data/repos/hazards.js';
import { findTemplate, findTemplateByName, insertInspection, insertTemplate, listInspections, listTemplates, setInspectionItems } from '../../data/repos/inspections.js';
import type { InspectionItemResult } from '../../data/schema.js';
import type { Inspection, InspectionInput, InspectionTemplate, InspectionTemplateInput } from '../../shared/hazards-api.js';
import { caseScope, requireRole } from '../access.js';
import type { ActorContext } from '../context.js';
import { requirePhotos } from '../cases/moves.js';
import { reportHazard } from './hazards.js';
import { fulfilPlanItem, lockOpenPlanItem } from '../../data/repos/hazard-work.js';
import { beijingMonth } from '../../domain/hazards/plans.js';
import { checkTemplateInput, presentTemplate, rematchPlanTemplates } from './plans.js';

/** The checklists in use; an administrator may ask for the retired ones too. */
export async function inspectionTemplates(ctx: ActorContext, q: { includeRetired?: 'true' | 'false' | undefined } = {}): Promise<InspectionTemplate[]> {
  const includeRetired = q.includeRetired === 'true' && ctx.actor.role === 'admin';
  return (await listTemplates(ctx.db, { includeRetired })).map(presentTemplate);
}

export async function createInspectionTemplate(ctx: ActorContext, input: InspectionTemplateInput): Promise<InspectionTemplate> {
  requireRole(ctx.actor, ['admin']);
  const industry = checkTemplateInput(input);
  if (await findTemplateByName(ctx.db, input.name)) throw new DomainError('inspection_template_taken', { name: input.name });
  const t = await inTransaction(ctx.db, async (trx) => {
    const row = await insertTemplate(trx, { name: input.name, industry, items: input.items, createdBy: ctx.actor.id, at: ctx.now });
    // plan items of this month on that were waiting for a checklist (or had a less fitting one) now get this one
    const rematched = await rematchPlanTemplates(trx, ctx.now);
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'inspection.template_create',
      targetType: 'inspection_template',
      targetId: row.id,
      summary: `新建排查表 ${row.name}（${input.items.length} 项）`,
      data: { industry, items: input.items.length, planItemsRematched: rematched },
      ip: ctx.ip,
      at: ctx.now,
    });
    return row;
  });
  return presentTemplate(t);
}

export async function recordInspection(ctx: ActorContext, input: InspectionInput): Promise<Inspection> {
  const { db, actor, now } = ctx;
  requireRole(actor, HAZARD_LIFECYCLE.moves.find.roles);
  const enterprise = await findEnterpriseInScope(db, input.enterpriseId, caseScope(actor));
  if (!enterprise) throw new DomainError('unknown_enterprise');
  if (input.templateId != null) {
    const t = await findTemplate(db, input.templateId);
    if (!t) throw new DomainError('unknown_inspection_template');
    if (t.retired_at) throw new DomainError('inspection_template_retired', { name: t.name });
  }
  await requirePhotos(db, input.items.flatMap((i) => i.photos).slice(0, 9));
  const id = await inTransaction(db, async (trx) => {
    const items: InspectionItemResult[] = input.items.map((i) => ({ text: i.text, result: i.result, note: i.note ?? null, photos: i.photos, hazardId: null }));
    const row = await insertInspection(trx, {
      enterpriseId: enterprise.id,
      templateId: input.templateId ?? null,
      areaPath: enterprise.area_path,
      inspectorId: actor.id,
      at: now,
      lng: input.lng ?? null,
      lat: input.lat ?? null,
      items,
      note: input.note ?? null,
    });
    for (let k = 0; k < input.items.length; k++) {
      const i = input.items[k]!;
      if (i.result !== 'fail') continue;
      const h = await reportHazard({ ...ctx, db: trx }, { enterpriseId: enterprise.id, grade: i.grade, type: i.type, description: i.note ? `${i.text}：${i.note}` : i.text, photos: i.photos }, { inspectionId: row.id });
      items[k]!.hazardId = h.id;
    }
    await setInspectionItems(trx, row.id, items);
    // the first inspection of a planned enterprise in the plan's month fulfils its item (排查计划 progress)
    const planned = await lockOpenPlanItem(trx, enterprise.id, beijingMonth(now));
    if (planned) await fulfilPlanItem(trx, planned.plan_id, enterprise.id, row.id);
    await insertAudit(trx, {
      actorId: actor.id,
      action: 'inspection.record',
      targetType: 'inspection',
      targetId: row.id,
      summary: `排查 ${enterprise.name}：${items.length} 项，${items.filter((i) => i.result === 'fail').length} 项不合格`,
      data: { enterpriseId: enterprise.id, templateId: input.templateId ?? null, planId: planned?.plan_id ?? null, hazards: items.flatMap((i) => (i.hazardId ? [i.hazardId] : [])) },
      ip: ctx.ip,
      at: now,
    });
    return row.id;
  });
  return inspectionDetail(ctx, id);
}

export async function inspectionDetail(ctx: ActorContext, id: number): Promise<Inspection> {
  const [row] = await listInspections(ctx.db, caseScope(ctx.actor), { id }, 1);
  if (!row) throw new DomainError('not_found');
  return present(row);
}

export async function searchInspections(ctx: ActorContext, q: { enterpriseId?: number | undefined }): Promise<Inspection[]> {
  return (await listInspections(ctx.db, caseScope(ctx.actor), q, 200)).map(present);
}

function present(r: Awaited<ReturnType<typeof listInspections>>[number]): Inspection {
  return {
    id: r.id,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    templateName: r.template_name,
    inspectorName: r.inspector_name,
    at: r.at.toISOString(),
    planId: r.plan_id,
    failed: r.failed,
    note: r.note,
    items: r.items,
  };
}
