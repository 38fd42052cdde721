// The enterprise registry read as a whole (issue 14): the filtered list its export and the map layer share, the
// import's batch insert and checks, the C-class grids a key unit may sit in, and one enterprise's timeline.
// Every read takes a Scope and filters in SQL, like the archive (scopeOn in ./hazards.ts).
import { sql, type Insertable, type Selectable, type SelectQueryBuilder, type Updateable } from 'kysely';
import type { Scope } from '../../domain/access.js';
import type { DbOrTx } from '../db.js';
import type { Database, EnterpriseTable } from '../schema.js';
import { escapeLike, scopeWhere } from './cases/cases.js';
import { scopeOn } from './hazards.js';

/** Hazards not yet closed out, fixed or handed over: what the map and the list count as open. */
export const OPEN_HAZARD_STATES = ['found', 'rectifying', 'failed', 'passed'] as const;

export interface RegistryFilter {
  q?: string | undefined;
  status?: EnterpriseTable['status'] | undefined;
  riskLevels?: EnterpriseTable['risk_level'][] | undefined;
  watch?: boolean | undefined;
  keyUnit?: boolean | undefined;
  openHazards?: boolean | undefined;
  /** GB/T 4754 code prefix: a section letter (C) or letter and digits (C29) */
  industry?: string | undefined;
  gridId?: number | undefined;
  bbox?: [number, number, number, number] | undefined;
}

const openHazardsOf = sql<number>`(SELECT count(*)::int FROM hazards oh WHERE oh.enterprise_id = enterprises.id AND oh.state IN ('found','rectifying','failed','passed'))`;

function filtered(db: DbOrTx, scope: Scope, f: RegistryFilter) {
  let q = db.selectFrom('enterprises').leftJoin('grids', 'grids.id', 'enterprises.grid_id').where(scopeOn('enterprises', scope));
  if (f.q) q = q.where((eb) => eb.or([eb('enterprises.name', 'like', `%${escapeLike(f.q!)}%`), eb('enterprises.credit_code', '=', f.q!.toUpperCase())]));
  if (f.status) q = q.where('enterprises.status', '=', f.status);
  if (f.riskLevels?.length) q = q.where('enterprises.risk_level', 'in', f.riskLevels);
  if (f.watch != null) q = q.where('enterprises.watch', '=', f.watch);
  if (f.keyUnit != null) q = q.where('enterprises.key_unit', '=', f.keyUnit);
  if (f.gridId != null) q = q.where('enterprises.grid_id', '=', f.gridId);
  if (f.industry) {
    const p = f.industry.toUpperCase();
    // a code written without its section letter (2929) matches the digits after the letter
    q = /^[A-T]/.test(p) ? q.where('enterprises.industry_code', 'like', `${escapeLike(p)}%`) : q.where(sql<boolean>`substr(enterprises.industry_code, 2) LIKE ${`${escapeLike(p)}%`}`);
  }
  if (f.openHazards != null) q = q.where(f.openHazards ? sql<boolean>`${openHazardsOf} > 0` : sql<boolean>`${openHazardsOf} = 0`);
  if (f.bbox) {
    const [w, s, e, n] = f.bbox;
    q = q.where('enterprises.lng', '>=', w).where('enterprises.lng', '<=', e).where('enterprises.lat', '>=', s).where('enterprises.lat', '<=', n);
  }
  return q;
}

function withColumns<O>(q: SelectQueryBuilder<Database, 'enterprises' | 'grids', O>) {
  return q
    .selectAll('enterprises')
    .select([
      'grids.name as grid_name',
      openHazardsOf.as('open_hazards'),
      sql<string | null>`(SELECT cg.name FROM grids cg WHERE cg.id = enterprises.c_grid_id)`.as('c_grid_name'),
      sql<string | null>`(SELECT cg.code FROM grids cg WHERE cg.id = enterprises.c_grid_id)`.as('c_grid_code'),
      sql<string | null>`(SELECT max(CASE oh.grade WHEN 'major' THEN 3 WHEN 'larger' THEN 2 ELSE 1 END) FROM hazards oh WHERE oh.enterprise_id = enterprises.id AND oh.state IN ('found','rectifying','failed','passed'))`.as('worst_open'),
    ]);
}

export async function countRegistry(db: DbOrTx, scope: Scope, f: RegistryFilter): Promise<number> {
  const r = await filtered(db, scope, f).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listRegistry(db: DbOrTx, scope: Scope, f: RegistryFilter, page: { offset: number; limit: number }) {
  const [items, total] = await Promise.all([
    withColumns(filtered(db, scope, f)).orderBy('enterprises.id').offset(page.offset).limit(page.limit).execute(),
    countRegistry(db, scope, f),
  ]);
  return { items, total };
}

/** A page in id order after `afterId` (keyset: an export reads the whole filter page by page). */
export async function registryPage(db: DbOrTx, scope: Scope, f: RegistryFilter, afterId: number, limit: number) {
  return withColumns(filtered(db, scope, f)).where('enterprises.id', '>', afterId).orderBy('enterprises.id').limit(limit).execute();
}
export type RegistryRow = Awaited<ReturnType<typeof registryPage>>[number];

/** The points of the map layer: what a symbol needs, no more. */
export async function registryPoints(db: DbOrTx, scope: Scope, f: RegistryFilter, limit: number) {
  return filtered(db, scope, f)
    .select([
      'enterprises.id', 'enterprises.name', 'enterprises.lng', 'enterprises.lat', 'enterprises.risk_level', 'enterprises.status', 'enterprises.industry_code',
      'enterprises.industry_name', 'enterprises.key_unit', 'enterprises.watch', 'enterprises.grid_id', openHazardsOf.as('open_hazards'),
      sql<number | null>`(SELECT max(CASE oh.grade WHEN 'major' THEN 3 WHEN 'larger' THEN 2 ELSE 1 END) FROM hazards oh WHERE oh.enterprise_id = enterprises.id AND oh.state IN ('found','rectifying','failed','passed'))`.as('worst_open'),
    ])
    .orderBy('enterprises.id')
    .limit(limit + 1)
    .execute();
}

// ---- import ------------------------------------------------------------------------------------------------------

/** The enterprises registered under these codes (an import updates them), whatever the reader's scope. */
export async function enterprisesByCreditCode(db: DbOrTx, codes: readonly string[]): Promise<Selectable<EnterpriseTable>[]> {
  const out: Selectable<EnterpriseTable>[] = [];
  for (let i = 0; i < codes.length; i += 1000) {
    const part = codes.slice(i, i + 1000);
    if (part.length) out.push(...(await db.selectFrom('enterprises').selectAll().where('credit_code', 'in', part).execute()));
  }
  return out;
}

/** A new row of the registry, as the import writes it. */
export type NewEnterprise = Insertable<EnterpriseTable>;
/** The fields of a registered enterprise an import changes. */
export type EnterpriseChanges = Updateable<EnterpriseTable>;

export async function insertEnterprises(db: DbOrTx, rows: readonly NewEnterprise[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const r = await db.insertInto('enterprises').values(rows.slice(i, i + 500)).returning('id').execute();
    ids.push(...r.map((x) => x.id));
  }
  return ids;
}

/** Active C-class grids (key units' own grids), with their boundaries, to find the one a key unit sits in. */
export async function activeCGrids(db: DbOrTx) {
  return db.selectFrom('grids').select(['id', 'code', 'name', 'path', 'geometry', 'min_lng', 'min_lat', 'max_lng', 'max_lat']).where('grid_class', '=', 'C').where('retired_at', 'is', null).execute();
}

export async function departmentCodes(db: DbOrTx) {
  return db.selectFrom('departments').select(['id', 'code', 'retired_at']).execute();
}

// ---- timeline ----------------------------------------------------------------------------------------------------

/** Changes to the archive itself: its audit records (registered, changed, imported). */
export async function enterpriseAudit(db: DbOrTx, enterpriseId: number, limit: number) {
  return db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    .select(['audit_log.at', 'audit_log.action', 'audit_log.summary', 'users.display_name as actor_name'])
    .where((eb) => eb.or([eb.and([eb('audit_log.target_type', '=', 'enterprise'), eb('audit_log.target_id', '=', String(enterpriseId))]), sql<boolean>`audit_log.action = 'enterprise.import' AND audit_log.data -> 'ids' @> ${JSON.stringify([enterpriseId])}::jsonb`]))
    .orderBy('audit_log.at', 'desc')
    .limit(limit)
    .execute();
}

export async function enterpriseInspections(db: DbOrTx, scope: Scope, enterpriseId: number, limit: number) {
  return db
    .selectFrom('inspections')
    .innerJoin('enterprises', 'enterprises.id', 'inspections.enterprise_id')
    .leftJoin('users', 'users.id', 'inspections.inspector_id')
    .leftJoin('inspection_templates as t', 't.id', 'inspections.template_id')
    .select(['inspections.id', 'inspections.at', 'inspections.failed', 'inspections.items', 'inspections.note', 'users.display_name as actor_name', 't.name as template_name'])
    .where('inspections.enterprise_id', '=', enterpriseId)
    .where(scopeOn('enterprises', scope))
    .orderBy('inspections.at', 'desc')
    .limit(limit)
    .execute();
}

/** Every move of every hazard of the enterprise, in scope (a notice is the issue_notice and record_receipt moves). */
export async function enterpriseHazardEvents(db: DbOrTx, scope: Scope, enterpriseId: number, limit: number) {
  return db
    .selectFrom('hazard_events')
    .innerJoin('hazards', 'hazards.id', 'hazard_events.hazard_id')
    .leftJoin('users', 'users.id', 'hazard_events.actor_id')
    .select([
      'hazard_events.at', 'hazard_events.move', 'hazard_events.to_state', 'hazard_events.note', 'hazards.id as hazard_id', 'hazards.number', 'hazards.grade',
      'hazards.type', 'hazards.description', 'hazards.notice_number', 'hazards.deadline', 'users.display_name as actor_name',
    ])
    .where('hazards.enterprise_id', '=', enterpriseId)
    .where(scopeOn('hazards', scope))
    .orderBy('hazard_events.at', 'desc')
    .orderBy('hazard_events.id', 'desc')
    .limit(limit)
    .execute();
}

/** Cases about the enterprise (handed over from its hazards, or reported naming it as a key unit) the reader may see. */
export async function enterpriseCases(db: DbOrTx, scope: Scope, enterpriseId: number, limit: number) {
  return db
    .selectFrom('cases')
    .leftJoin('users', 'users.id', 'cases.reporter_id')
    .select(['cases.id', 'cases.number', 'cases.state', 'cases.description', 'cases.reported_at', 'users.display_name as actor_name'])
    .where((eb) => eb.or([eb('cases.key_unit_id', '=', enterpriseId), eb('cases.id', 'in', eb.selectFrom('hazards').select('hazards.case_id').where('hazards.enterprise_id', '=', enterpriseId).where('hazards.case_id', 'is not', null).$narrowType<{ case_id: number }>())]))
    .where(scopeWhere(scope))
    .orderBy('cases.reported_at', 'desc')
    .limit(limit)
    .execute();
}

/** A position inside the street for the template's example rows: the label point of the first active A grid. */
export async function exampleGridPoint(db: DbOrTx) {
  return db.selectFrom('grids').select(['label_lng', 'label_lat']).where('grid_class', '=', 'A').where('retired_at', 'is', null).orderBy('id').executeTakeFirst();
}
