// The enterprise archive (企业档案): one registry of enterprises and key units, each placed in its A grid from its
// position, with its 统一社会信用代码 checked per GB 32100. Read in scope (area, supervising department); created
// and changed by operators and administrators, audited.
import { inAreas, type Actor } from '../../domain/access.js';
import { DomainError } from '../../domain/errors.js';
import { creditCodeProblem, normaliseCreditCode } from '../../domain/hazards/credit-code.js';
import { inTransaction } from '../../data/db.js';
import { insertAudit } from '../../data/repos/audit.js';
import {
  findEnterpriseByCreditCode,
  findEnterpriseInScope,
  insertEnterprise,
  listEnterprises,
  updateEnterpriseIfVersion,
  type EnterpriseRow,
} from '../../data/repos/hazards.js';
import { findDepartment } from '../../data/repos/reference.js';
import type { Enterprise, EnterpriseInput, EnterpriseUpdate } from '../../shared/hazards-api.js';
import type { EnterpriseFilterQuery } from '../../shared/enterprises-api.js';
import { findGrid } from '../../data/repos/grids/grids.js';
import { registryFilter } from './enterprise-filter.js';
import { caseScope, requireRole } from '../access.js';
import type { ActorContext } from '../context.js';
import { locate } from '../grids/lookup.js';
import { phoneFor } from '../../domain/phone-mask.js';
import { industryOf } from '../../domain/hazards/industries.js';
import { listRegistry } from '../../data/repos/enterprises.js';
import { keyUnitCGrid } from './enterprise-place.js';
import { followEnterpriseIntoPlans } from './plans.js';

export const ENTERPRISE_EDITORS = ['admin', 'operator'] as const;

export function presentEnterprise(row: EnterpriseRow & { grid_name?: string | null; open_hazards?: string | number | null; c_grid_name?: string | null }, actor: Actor): Enterprise {
  return {
    id: row.id,
    name: row.name,
    creditCode: row.credit_code,
    industryCode: row.industry_code,
    industryName: row.industry_name,
    address: row.address,
    lng: row.lng,
    lat: row.lat,
    gridId: row.grid_id,
    gridName: row.grid_name ?? null,
    riskLevel: row.risk_level,
    status: row.status,
    watch: row.watch,
    watchReason: row.watch_reason,
    watchReviewOn: row.watch_review_on ? String(row.watch_review_on).slice(0, 10) : null,
    contact: row.contact,
    phone: phoneFor(actor, row.phone),
    departmentIds: row.department_ids,
    openHazards: Number(row.open_hazards ?? 0),
    keyUnit: row.key_unit,
    cGridId: row.c_grid_id,
    cGridName: row.c_grid_name ?? null,
    version: row.version,
  };
}

/** The checks every write makes: credit code, position in a grid of the actor's scope, departments. */
async function checked(ctx: ActorContext, input: EnterpriseInput, selfId: number | null) {
  const { db, actor } = ctx;
  const code = normaliseCreditCode(input.creditCode);
  if (creditCodeProblem(code)) throw new DomainError('credit_code_invalid', { value: input.creditCode, field: 'creditCode' });
  const taken = await findEnterpriseByCreditCode(db, code);
  if (taken && taken.id !== selfId) throw new DomainError('credit_code_taken', { value: code, name: taken.name });
  const place = await locate(db, input.lng, input.lat);
  if (place.gridId == null || place.path == null) throw new DomainError('enterprise_outside_grids');
  if (actor.role !== 'admin' && !inAreas(actor.scopePaths, place.path)) throw new DomainError('enterprise_outside_grids');
  for (const d of input.departmentIds) if (!(await findDepartment(db, d))) throw new DomainError('unknown_department');
  const industry = input.industryCode ? industryOf(input.industryCode) : null;
  if (input.industryCode && !industry) throw new DomainError('industry_code_unknown', { value: input.industryCode, field: 'industryCode' });
  const cGrid = await keyUnitCGrid(db, input.keyUnit ?? false, input.cGridId, input.lng, input.lat);
  return {
    name: input.name,
    credit_code: code,
    industry_code: industry?.code ?? null,
    industry_name: input.industryName ?? industry?.divisionName ?? null,
    key_unit: input.keyUnit ?? false,
    c_grid_id: cGrid?.id ?? null,
    address: input.address ?? null,
    lng: input.lng,
    lat: input.lat,
    grid_id: place.gridId,
    area_path: place.path,
    risk_level: input.riskLevel,
    status: input.status,
    watch: input.watch,
    watch_reason: input.watch ? (input.watchReason ?? null) : null,
    watch_review_on: input.watch ? (input.watchReviewOn ?? null) : null,
    contact: input.contact ?? null,
    phone: input.phone ?? null,
    department_ids: JSON.stringify([...new Set(input.departmentIds)]),
  };
}

export async function createEnterprise(ctx: ActorContext, input: EnterpriseInput): Promise<Enterprise> {
  requireRole(ctx.actor, ENTERPRISE_EDITORS);
  const values = await checked(ctx, input, null);
  const row = await inTransaction(ctx.db, async (trx) => {
    const r = await insertEnterprise(trx, { ...values, created_by: ctx.actor.id, created_at: ctx.now, updated_at: ctx.now });
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'enterprise.create',
      targetType: 'enterprise',
      targetId: r.id,
      summary: `登记企业 ${r.name}（${r.credit_code}）`,
      data: { gridId: r.grid_id, riskLevel: r.risk_level, status: r.status, watch: r.watch },
      ip: ctx.ip,
      at: ctx.now,
    });
    // registered after its grid's month was planned: it joins the plan
    await followEnterpriseIntoPlans(trx, ctx, r);
    return r;
  });
  return enterpriseDetail(ctx, row.id);
}

export async function updateEnterprise(ctx: ActorContext, id: number, input: EnterpriseUpdate): Promise<Enterprise> {
  requireRole(ctx.actor, ENTERPRISE_EDITORS);
  const before = await findEnterpriseInScope(ctx.db, id, caseScope(ctx.actor));
  if (!before) throw new DomainError('not_found');
  // a change that does not say whether it is a key unit keeps what the archive says
  const values = await checked(ctx, input.keyUnit == null ? { ...input, keyUnit: before.key_unit, cGridId: input.cGridId ?? before.c_grid_id } : input, id);
  await inTransaction(ctx.db, async (trx) => {
    const r = await updateEnterpriseIfVersion(trx, id, input.version, { ...values, updated_at: ctx.now });
    if (!r) throw new DomainError('version_conflict');
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'enterprise.update',
      targetType: 'enterprise',
      targetId: id,
      summary: `修改企业档案 ${r.name}`,
      data: { before: { status: before.status, riskLevel: before.risk_level, watch: before.watch, gridId: before.grid_id }, after: { status: r.status, riskLevel: r.risk_level, watch: r.watch, gridId: r.grid_id } },
      ip: ctx.ip,
      at: ctx.now,
    });
    // moved into another grid, or shut down: the open plans follow
    if (r.grid_id !== before.grid_id || r.status !== before.status) await followEnterpriseIntoPlans(trx, ctx, r);
  });
  return enterpriseDetail(ctx, id);
}

export async function enterpriseDetail(ctx: ActorContext, id: number): Promise<Enterprise> {
  const before = await findEnterpriseInScope(ctx.db, id, caseScope(ctx.actor));
  if (!before) throw new DomainError('not_found');
  const { items } = await listEnterprises(ctx.db, caseScope(ctx.actor), { id }, { offset: 0, limit: 1 });
  if (!items[0]) throw new DomainError('not_found');
  const cGrid = items[0].c_grid_id != null ? await findGrid(ctx.db, items[0].c_grid_id) : undefined;
  return presentEnterprise({ ...items[0], c_grid_name: cGrid?.name ?? null }, ctx.actor);
}

export async function searchEnterprises(ctx: ActorContext, q: EnterpriseFilterQuery & { page: number; pageSize: number }) {
  const { items, total } = await listRegistry(ctx.db, caseScope(ctx.actor), registryFilter(q), { offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
  return { items: items.map((r) => presentEnterprise(r, ctx.actor)), total };
}
