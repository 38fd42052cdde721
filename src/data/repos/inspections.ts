// Inspection checklist templates and inspections (排查): read in scope like hazards (area subtree, or the
// enterprises a department supervises).
import { sql } from 'kysely';
import type { Scope } from '../../domain/access.js';
import type { DbOrTx } from '../db.js';
import type { InspectionItemResult, InspectionTemplateItem } from '../schema.js';
import { escapeLike, underAny } from './cases/cases.js';

/** Checklist templates by id: the ones in use, or with the retired ones too (the administrator's screen). */
export async function listTemplates(db: DbOrTx, opts: { includeRetired?: boolean } = {}) {
  let q = db.selectFrom('inspection_templates').selectAll();
  if (!opts.includeRetired) q = q.where('retired_at', 'is', null);
  return q.orderBy('id').execute();
}

/** Retires a template (kept for the inspections and plans that used it); returns it, or nothing when it already was. */
export async function retireTemplate(db: DbOrTx, id: number, by: number, at: Date) {
  return db
    .updateTable('inspection_templates')
    .set({ retired_at: at, retired_by: by, updated_at: at })
    .where('id', '=', id)
    .where('retired_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function findTemplate(db: DbOrTx, id: number) {
  return db.selectFrom('inspection_templates').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertTemplate(db: DbOrTx, t: { name: string; industry: string | null; items: InspectionTemplateItem[]; createdBy: number | null; at: Date }) {
  return db
    .insertInto('inspection_templates')
    .values({ name: t.name, industry: t.industry, items: JSON.stringify(t.items), created_by: t.createdBy, created_at: t.at, updated_at: t.at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findTemplateByName(db: DbOrTx, name: string) {
  return db.selectFrom('inspection_templates').select('id').where('name', '=', name).executeTakeFirst();
}

export async function insertInspection(
  db: DbOrTx,
  i: { enterpriseId: number; templateId: number | null; areaPath: string; inspectorId: number; at: Date; lng: number | null; lat: number | null; items: InspectionItemResult[]; note: string | null },
) {
  return db
    .insertInto('inspections')
    .values({
      enterprise_id: i.enterpriseId,
      template_id: i.templateId,
      area_path: i.areaPath,
      inspector_id: i.inspectorId,
      at: i.at,
      lng: i.lng,
      lat: i.lat,
      items: JSON.stringify(i.items),
      failed: i.items.filter((x) => x.result === 'fail').length,
      note: i.note,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setInspectionItems(db: DbOrTx, id: number, items: InspectionItemResult[]) {
  await db.updateTable('inspections').set({ items: JSON.stringify(items) }).where('id', '=', id).execute();
}

function inScope(scope: Scope) {
  switch (scope.kind) {
    case 'all':
      return sql<boolean>`true`;
    case 'area':
      return underAny('inspections.area_path', scope.paths);
    case 'department':
      return sql<boolean>`EXISTS (SELECT 1 FROM enterprises se WHERE se.id = inspections.enterprise_id AND se.department_ids @> ${JSON.stringify([scope.departmentId])}::jsonb)`;
    default:
      return sql<boolean>`false`;
  }
}

export async function listInspections(db: DbOrTx, scope: Scope, f: { enterpriseId?: number | undefined; id?: number | undefined }, limit: number) {
  let q = db
    .selectFrom('inspections')
    .innerJoin('enterprises', 'enterprises.id', 'inspections.enterprise_id')
    .leftJoin('users', 'users.id', 'inspections.inspector_id')
    .leftJoin('inspection_templates as t', 't.id', 'inspections.template_id')
    .selectAll('inspections')
    .select(['enterprises.name as enterprise_name', 'users.display_name as inspector_name', 't.name as template_name'])
    .where(inScope(scope));
  if (f.enterpriseId != null) q = q.where('inspections.enterprise_id', '=', f.enterpriseId);
  if (f.id != null) q = q.where('inspections.id', '=', f.id);
  return q.orderBy('inspections.id', 'desc').limit(limit).execute();
}
