// Setting up the office's own divisions: the district (typed by the administrator), the street, its communities and
// villages, with GB/T 2260-style codes and boundaries checked like grid boundaries. One transaction, one audit row.
import { DomainError } from '../domain/errors.js';
import { divisionCodeProblem, type DivisionLevel } from '../domain/division-codes.js';
import { inTransaction, type Tx } from '../data/db.js';
import { insertDivision } from '../data/repos/reference.js';
import { findDivision, findDivisionByCodeAny, listDivisionsAdmin, updateDivision } from '../data/repos/admin.js';
import { insertAudit } from '../data/repos/audit.js';
import type { DivisionAdmin, DivisionCreate, DivisionUpdate } from '../shared/admin-api.js';
import { requireRole } from './access.js';
import type { ActorContext } from './context.js';
import { GridRejected } from './grids/problems.js';
import { offload } from './offload.js';
import { findGbt2260District, searchGbt2260Districts } from '../domain/gbt2260/index.js';

/** The GB/T 2260 county-level list shipped with the project, searched by code or name (the setup guide's picker). */
export function searchDistricts(ctx: ActorContext, q: string) {
  requireRole(ctx.actor, ['admin']);
  return searchGbt2260Districts(q).map((d) => ({ code: d.code, name: d.name, fullName: d.fullName }));
}

/**
 * The boundary as stored JSON, or null to remove it; refuses with every fault named. Checked in a worker thread
 * (src/services/offload.ts), before any transaction: a boundary of many thousand vertices must not hold the event loop.
 */
async function checkedBoundary(geometry: unknown, code: string): Promise<string | null> {
  if (geometry === null) return null;
  const problems = await offload('validateGridGeometry', [geometry]);
  if (problems.length > 0) {
    throw new GridRejected('division_geometry_invalid', problems.map((p) => ({ index: null, gridCode: code, problem: p.code, params: p.params })));
  }
  return JSON.stringify(geometry);
}

async function refuseTaken(trx: Tx, code: string) {
  const other = await findDivisionByCodeAny(trx, code);
  if (other) throw new DomainError('division_code_taken', { code, name: other.name });
}

function checkCode(level: DivisionLevel, code: string, parent: { code: string; level: DivisionLevel } | null) {
  const problem = divisionCodeProblem(level, code, parent);
  if (problem) throw new DomainError(problem.code, problem.params);
}

export async function listDivisionsForAdmin(ctx: ActorContext): Promise<DivisionAdmin[]> {
  requireRole(ctx.actor, ['admin']);
  return (await listDivisionsAdmin(ctx.db)).map((d) => ({
    id: d.id,
    code: d.code,
    name: d.name,
    level: d.level,
    parentId: d.parent_id,
    hasBoundary: d.geometry != null,
    gridCount: Number(d.grid_count ?? 0),
    geometry: d.geometry,
  }));
}

export async function createDivision(ctx: ActorContext, input: DivisionCreate): Promise<{ id: number }> {
  requireRole(ctx.actor, ['admin']);
  const checked = input.geometry === undefined ? null : await checkedBoundary(input.geometry, input.code);
  return inTransaction(ctx.db, async (trx) => {
    let parent: { id: number; code: string; level: DivisionLevel; path: string } | null = null;
    let createdDistrict: { id: number; code: string } | null = null;
    if (input.parentId != null) {
      const p = await findDivision(trx, input.parentId);
      if (!p) throw new DomainError('unknown_division');
      parent = p;
    } else if (input.district && input.level === 'street') {
      // A fresh install knows no district: the administrator types its code and name with the street.
      const existing = await findDivisionByCodeAny(trx, input.district.code);
      if (existing) {
        parent = existing;
      } else {
        checkCode('district', input.district.code, null);
        // Picked from the shipped list, the district needs no typed name; a code the list lacks (a new zone) needs one.
        const listed = findGbt2260District(input.district.code);
        const districtName = input.district.name ?? listed?.name;
        if (!districtName) throw new DomainError('district_unknown', { code: input.district.code });
        const districtCode = input.district.code;
        input = { ...input, district: { code: districtCode, name: districtName } };
        const d = await insertDivision(trx, { code: districtCode, name: districtName, level: 'district', parent_id: null }, null);
        parent = { id: d.id, code: districtCode, level: 'district', path: d.path };
        createdDistrict = { id: d.id, code: districtCode };
      }
    }
    checkCode(input.level, input.code, parent);
    await refuseTaken(trx, input.code);
    const geometry = checked;
    const row = await insertDivision(
      trx,
      { code: input.code, name: input.name, level: input.level, parent_id: parent?.id ?? null, geometry },
      parent?.path ?? null,
    );
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'division.create',
      targetType: 'division',
      targetId: row.id,
      summary: `新建区划 ${input.code} ${input.name}${createdDistrict ? `（并新建上级区县 ${input.district!.code} ${input.district!.name}）` : ''}`,
      data: { level: input.level, code: input.code, name: input.name, parentId: parent?.id ?? null, boundary: geometry != null, district: createdDistrict },
      ip: ctx.ip,
      at: ctx.now,
    });
    return { id: row.id };
  });
}

/** Renames a division or sets/replaces/removes its boundary. Codes never change: grids and cases hang from them. */
export async function editDivision(ctx: ActorContext, id: number, patch: DivisionUpdate): Promise<void> {
  requireRole(ctx.actor, ['admin']);
  const current = await findDivision(ctx.db, id);
  if (!current) throw new DomainError('not_found');
  const geometry = patch.geometry === undefined ? undefined : await checkedBoundary(patch.geometry, current.code);
  await inTransaction(ctx.db, async (trx) => {
    const before = await findDivision(trx, id);
    if (!before) throw new DomainError('not_found');
    await updateDivision(trx, id, { ...(patch.name ? { name: patch.name } : {}), ...(geometry !== undefined ? { geometry } : {}) });
    const what = [patch.name && patch.name !== before.name ? `名称 ${before.name} → ${patch.name}` : null, geometry !== undefined ? (geometry ? '边界已更新' : '边界已删除') : null].filter(Boolean);
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'division.update',
      targetType: 'division',
      targetId: id,
      summary: `修改区划 ${before.code}：${what.join('，') || '无变化'}`,
      data: { before: { name: before.name, boundary: before.geometry != null }, after: { name: patch.name ?? before.name, boundary: geometry === undefined ? before.geometry != null : geometry != null } },
      ip: ctx.ip,
      at: ctx.now,
    });
  });
}
