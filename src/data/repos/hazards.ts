// Enterprises (企业档案), hazards (隐患) and their move history, notice counters, and the hazard ledgers' rows.
// Every read takes a Scope and filters in SQL: an enterprise or hazard outside it is not found.
import { sql, type ExpressionBuilder, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Scope } from '../../domain/access.js';
import type { HazardGrade, HazardState, HazardType } from '../../domain/hazards/lifecycle.js';
import type { Role } from '../../shared/vocabulary.js';
import type { DbOrTx, Tx } from '../db.js';
import type { Database, EnterpriseTable, HazardTable } from '../schema.js';
import { escapeLike, underAny } from './cases/cases.js';

export type EnterpriseRow = Selectable<EnterpriseTable>;
export type HazardRow = Selectable<HazardTable>;
export type HazardUpdate = Updateable<HazardTable>;

/**
 * Base data of the street, scoped like cases: area users their subtree, a department the enterprises it supervises,
 * administrators all, citizens nothing.
 */
export function scopeOn<T extends 'enterprises' | 'hazards'>(table: T, scope: Scope) {
  return (eb: ExpressionBuilder<Database, T>) => {
    const ref = (c: string) => sql.ref(`${table}.${c}`);
    switch (scope.kind) {
      case 'all':
        return eb.lit(true);
      case 'area':
        return underAny(`${table}.area_path`, scope.paths);
      case 'department': {
        const dept = JSON.stringify([scope.departmentId]);
        return table === 'enterprises'
          ? sql<boolean>`enterprises.department_ids @> ${dept}::jsonb`
          : sql<boolean>`EXISTS (SELECT 1 FROM enterprises se WHERE se.id = hazards.enterprise_id AND se.department_ids @> ${dept}::jsonb)`;
      }
      case 'reporter':
      case 'none':
        return eb.lit(false);
    }
  };
}

// ---- enterprises -------------------------------------------------------------------------------------------------

export async function insertEnterprise(db: DbOrTx, e: Insertable<EnterpriseTable>): Promise<EnterpriseRow> {
  return db.insertInto('enterprises').values(e).returningAll().executeTakeFirstOrThrow();
}

export async function updateEnterpriseIfVersion(db: DbOrTx, id: number, version: number, set: Updateable<EnterpriseTable>): Promise<EnterpriseRow | undefined> {
  return db
    .updateTable('enterprises')
    .set({ ...set, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function findEnterpriseInScope(db: DbOrTx, id: number, scope: Scope): Promise<EnterpriseRow | undefined> {
  return db.selectFrom('enterprises').selectAll().where('id', '=', id).where(scopeOn('enterprises', scope)).executeTakeFirst();
}

export async function findEnterpriseByCreditCode(db: DbOrTx, code: string) {
  return db.selectFrom('enterprises').select(['id', 'name']).where('credit_code', '=', code).executeTakeFirst();
}

export interface EnterpriseFilter {
  id?: number | undefined;
  q?: string | undefined;
  status?: EnterpriseRow['status'] | undefined;
  riskLevel?: EnterpriseRow['risk_level'] | undefined;
  watch?: boolean | undefined;
  gridId?: number | undefined;
}

export async function listEnterprises(db: DbOrTx, scope: Scope, f: EnterpriseFilter, page: { offset: number; limit: number }) {
  let q = db
    .selectFrom('enterprises')
    .leftJoin('grids', 'grids.id', 'enterprises.grid_id')
    .where(scopeOn('enterprises', scope));
  if (f.id != null) q = q.where('enterprises.id', '=', f.id);
  if (f.q) q = q.where((eb) => eb.or([eb('enterprises.name', 'like', `%${escapeLike(f.q!)}%`), eb('enterprises.credit_code', '=', f.q!.toUpperCase())]));
  if (f.status) q = q.where('enterprises.status', '=', f.status);
  if (f.riskLevel) q = q.where('enterprises.risk_level', '=', f.riskLevel);
  if (f.watch != null) q = q.where('enterprises.watch', '=', f.watch);
  if (f.gridId != null) q = q.where('enterprises.grid_id', '=', f.gridId);
  const [items, total] = await Promise.all([
    q
      .selectAll('enterprises')
      .select((eb) => [
        'grids.name as grid_name',
        eb
          .selectFrom('hazards')
          .select(eb.fn.countAll<string>().as('n'))
          .whereRef('hazards.enterprise_id', '=', 'enterprises.id')
          .where('hazards.state', 'in', ['found', 'rectifying', 'failed', 'passed'])
          .as('open_hazards'),
      ])
      .orderBy('enterprises.id')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

// ---- hazards -----------------------------------------------------------------------------------------------------

export async function nextHazardId(db: DbOrTx): Promise<number> {
  const r = await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('hazards', 'id'))::int AS id`.execute(db);
  return r.rows[0]!.id;
}

export async function insertHazard(db: DbOrTx, h: Insertable<HazardTable>): Promise<HazardRow> {
  return db.insertInto('hazards').values(h).returningAll().executeTakeFirstOrThrow();
}

export async function findHazardInScope(db: DbOrTx, id: number, scope: Scope, forUpdate = false): Promise<HazardRow | undefined> {
  const q = db.selectFrom('hazards').selectAll().where('id', '=', id).where(scopeOn('hazards', scope));
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export async function updateHazardIfVersion(db: DbOrTx, id: number, version: number, set: HazardUpdate): Promise<HazardRow | undefined> {
  return db
    .updateTable('hazards')
    .set({ ...set, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function insertHazardEvent(
  db: DbOrTx,
  e: { hazardId: number; move: string; fromState: string | null; toState: string; actorId: number; actorRole: Role; note: string | null; photos: readonly string[]; data?: Record<string, unknown> | undefined; at: Date },
): Promise<void> {
  await db
    .insertInto('hazard_events')
    .values({
      hazard_id: e.hazardId,
      move: e.move,
      from_state: e.fromState,
      to_state: e.toState,
      actor_id: e.actorId,
      actor_role: e.actorRole,
      note: e.note,
      photos: JSON.stringify(e.photos),
      data: JSON.stringify(e.data ?? {}),
      at: e.at,
    })
    .execute();
}

export async function listHazardEvents(db: DbOrTx, hazardId: number) {
  return db
    .selectFrom('hazard_events')
    .leftJoin('users', 'users.id', 'hazard_events.actor_id')
    .selectAll('hazard_events')
    .select('users.display_name as actor_name')
    .where('hazard_id', '=', hazardId)
    .orderBy('hazard_events.id')
    .execute();
}

/** The next notice number of an issuer in a year (1, 2, …), counted in the caller's transaction. */
export async function nextNoticeSeq(trx: Tx, issuer: string, year: number): Promise<number> {
  const r = await trx
    .insertInto('notice_counters')
    .values({ issuer, year, last: 1 })
    .onConflict((oc) => oc.columns(['issuer', 'year']).doUpdateSet({ last: sql<number>`notice_counters.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return r.last;
}

export interface HazardFilter {
  id?: number | undefined;
  state?: HazardState[] | undefined;
  grade?: HazardGrade | undefined;
  type?: HazardType | undefined;
  enterpriseId?: number | undefined;
  caseId?: number | undefined;
  /** the ledger's period, on the date that ledger counts by (found_at, or notice_issued_at for the rectification ledger) */
  from?: Date | undefined;
  to?: Date | undefined;
  /** only hazards with a rectification notice (隐患整改台账) */
  withNotice?: boolean | undefined;
  /** only hazards handed to law enforcement (移交执法台账), dated by the hand-over */
  handedOver?: boolean | undefined;
}

function hazardQuery(db: DbOrTx, scope: Scope, f: HazardFilter) {
  const dateCol = f.handedOver ? ('hazards.closed_at' as const) : f.withNotice ? ('hazards.notice_issued_at' as const) : ('hazards.found_at' as const);
  let q = db
    .selectFrom('hazards')
    .innerJoin('enterprises', 'enterprises.id', 'hazards.enterprise_id')
    .leftJoin('grids', 'grids.id', 'hazards.grid_id')
    .leftJoin('users as finder', 'finder.id', 'hazards.found_by')
    .leftJoin('cases as hc', 'hc.id', 'hazards.case_id')
    .where(scopeOn('hazards', scope));
  if (f.id != null) q = q.where('hazards.id', '=', f.id);
  if (f.state?.length) q = q.where('hazards.state', 'in', f.state);
  if (f.grade) q = q.where('hazards.grade', '=', f.grade);
  if (f.type) q = q.where('hazards.type', '=', f.type);
  if (f.enterpriseId != null) q = q.where('hazards.enterprise_id', '=', f.enterpriseId);
  if (f.caseId != null) q = q.where('hazards.case_id', '=', f.caseId);
  if (f.withNotice) q = q.where('hazards.notice_issued_at', 'is not', null);
  if (f.handedOver) q = q.where('hazards.state', '=', 'handed_over');
  if (f.from) q = q.where(dateCol, '>=', f.from);
  if (f.to) q = q.where(dateCol, '<', f.to);
  return q;
}

const LIST_COLUMNS = ['enterprises.name as enterprise_name', 'enterprises.credit_code', 'grids.name as grid_name', 'finder.display_name as finder_name', 'hc.number as case_number'] as const;

export async function listHazards(db: DbOrTx, scope: Scope, f: HazardFilter, page: { offset: number; limit: number }) {
  const q = hazardQuery(db, scope, f);
  const [items, total] = await Promise.all([
    q.selectAll('hazards').select([...LIST_COLUMNS]).orderBy('hazards.id', 'desc').offset(page.offset).limit(page.limit).execute(),
    countHazards(db, scope, f),
  ]);
  return { items, total };
}

export async function countHazards(db: DbOrTx, scope: Scope, f: HazardFilter): Promise<number> {
  const r = await hazardQuery(db, scope, f).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** What a ledger row is made of: the export reads only these, not the photos and the rest of a hazard. */
const LEDGER_COLUMNS = [
  'hazards.id',
  'hazards.number',
  'hazards.grade',
  'hazards.type',
  'hazards.description',
  'hazards.state',
  'hazards.found_at',
  'hazards.notice_number',
  'hazards.notice_issued_at',
  'hazards.deadline',
  'hazards.warn_at',
  'hazards.receipt_at',
  'hazards.reinspected_at',
  'hazards.closed_at',
] as const;

/** A page of ledger rows in id order after `afterId` (keyset: an export reads the whole filter page by page). */
export async function hazardLedgerPage(db: DbOrTx, scope: Scope, f: HazardFilter, afterId: number, limit: number) {
  return hazardQuery(db, scope, f)
    .select([...LEDGER_COLUMNS])
    .select([...LIST_COLUMNS])
    .where('hazards.id', '>', afterId)
    .orderBy('hazards.id')
    .limit(limit)
    .execute();
}

export type HazardListRow = Awaited<ReturnType<typeof listHazards>>['items'][number];

/** The name of the street (街道/镇) an area path lies in: the issuer's name in notice numbers. */
export async function streetNameOf(db: DbOrTx, areaPath: string): Promise<string | null> {
  const ids = areaPath.split('/').filter((s) => /^\d+$/.test(s)).map(Number);
  if (ids.length === 0) return null;
  const r = await db.selectFrom('divisions').select('name').where('id', 'in', ids).where('level', '=', 'street').executeTakeFirst();
  return r?.name ?? null;
}

export async function departmentNameOf(db: DbOrTx, id: number | null): Promise<string | null> {
  if (id == null) return null;
  return (await db.selectFrom('departments').select('name').where('id', '=', id).executeTakeFirst())?.name ?? null;
}

/** The first street of the install (an administrator's ledgers are the street's). */
export async function firstStreetName(db: DbOrTx): Promise<string | null> {
  return (await db.selectFrom('divisions').select('name').where('level', '=', 'street').orderBy('id').executeTakeFirst())?.name ?? null;
}
