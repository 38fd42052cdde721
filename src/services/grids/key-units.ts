// Key units (重点单位): enterprises, schools, warehouses a C-class grid is drawn around. A report naming a key unit
// makes that unit's grid responsible for the case (src/services/cases/cases.ts). Since migration 0018 a key unit is a row
// of the one enterprise registry flagged key_unit, its own C grid as c_grid_id, its A grid found from the position.
import { positionToWgs84, type Crs } from '../../domain/map/coordinates.js';
import { DomainError } from '../../domain/errors.js';
import { inTransaction } from '../../data/db.js';
import { insertAudit } from '../../data/repos/audit.js';
import { findGrid, listKeyUnits } from '../../data/repos/grids/grids.js';
import { insertEnterprise } from '../../data/repos/hazards.js';
import { locate } from './lookup.js';
import type { KeyUnit } from '../../shared/grids-api.js';
import { requireRole } from '../access.js';
import { presentKeyUnit } from './read.js';
import { seesPhones } from '../../domain/phone-mask.js';
import type { ActorContext } from '../context.js';

export async function keyUnits(ctx: ActorContext, q: { gridId?: number | undefined }): Promise<KeyUnit[]> {
  const show = seesPhones(ctx.actor);
  return (await listKeyUnits(ctx.db, q)).map((u) => presentKeyUnit(u, show));
}

export interface KeyUnitInput {
  name: string;
  industry?: string | null | undefined;
  address?: string | null | undefined;
  lng: number;
  lat: number;
  crs: Crs;
  gridId?: number | null | undefined;
  contact?: string | null | undefined;
  phone?: string | null | undefined;
  riskLevel?: 'low' | 'medium' | 'high' | null | undefined;
}

export async function createKeyUnit(ctx: ActorContext, input: KeyUnitInput): Promise<KeyUnit> {
  requireRole(ctx.actor, ['admin']);
  const grid = input.gridId != null ? await findGrid(ctx.db, input.gridId) : null;
  // Only a unit's own C-class grid can answer for it; an A or B grid already answers by position or by industry.
  if (input.gridId != null && (!grid || grid.grid_class !== 'C' || grid.retired_at)) throw new DomainError('key_unit_grid_invalid');
  const [lng, lat] = positionToWgs84([input.lng, input.lat], input.crs) as [number, number];
  const place = await locate(ctx.db, lng, lat);
  // just outside every A grid: placed by its own C grid, else the nearest grid's community
  const areaPath = place.path ?? grid?.path ?? place.suggested?.path.replace(/g\d+\/$/, '') ?? null;
  if (!areaPath) throw new DomainError('enterprise_outside_grids');
  const row = await inTransaction(ctx.db, async (trx) => {
    const e = await insertEnterprise(trx, {
      name: input.name,
      credit_code: null, status: 'operating', watch: false,
      industry_name: input.industry ?? null,
      address: input.address ?? null,
      lng,
      lat,
      grid_id: place.gridId,
      area_path: areaPath,
      key_unit: true,
      c_grid_id: grid?.id ?? null,
      contact: input.contact ?? null,
      phone: input.phone ?? null,
      risk_level: input.riskLevel ?? 'low',
      created_by: ctx.actor.id,
      created_at: ctx.now,
      updated_at: ctx.now,
    });
    const row = { id: e.id, name: e.name, industry: e.industry_name, address: e.address, lng: e.lng, lat: e.lat, grid_id: e.c_grid_id, contact: e.contact, phone: e.phone, risk_level: e.risk_level, created_at: e.created_at };
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'key_unit.create',
      targetType: 'key_unit',
      targetId: row.id,
      summary: `新增重点单位 ${row.name}${grid ? `（网格 ${grid.code}）` : ''}`,
      data: { name: row.name, gridId: row.grid_id, industry: row.industry, riskLevel: row.risk_level, enterpriseId: e.id, aGridId: e.grid_id },
      ip: ctx.ip,
      at: ctx.now,
    });
    return row;
  });
  return presentKeyUnit({ ...row, grid_code: grid?.code ?? null }, seesPhones(ctx.actor));
}
