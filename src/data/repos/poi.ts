// Points of interest: read by type and box within a scope, and upserted by import (by type and code when a code is given).
// Enterprise points are the enterprise registry (migration 0018): read from `enterprises`, and an imported enterprise
// point is upserted there (by its code, else by an uncoded registry row of the same name), never into `pois`.
import { sql, type Selectable } from 'kysely';
import type { Scope } from '../../domain/access.js';
import type { DbOrTx } from '../db.js';
import type { PoiTable, PoiType } from '../schema.js';
import { underAny } from './cases/cases.js';

export interface PoiRecord {
  type: PoiType;
  code: string | null;
  name: string;
  subtype: string | null;
  lng: number;
  lat: number;
  address: string | null;
  gridId: number | null;
  areaPath: string;
  industry: string | null;
  riskLevel: 'low' | 'medium' | 'high' | null;
  contact: string | null;
  phone: string | null;
  streamUrl: string | null;
  properties: Record<string, unknown>;
}

export async function listPois(
  db: DbOrTx,
  scope: Scope,
  f: { types?: PoiType[] | undefined; bbox?: [number, number, number, number] | undefined; limit: number },
) {
  const others = f.types?.length ? f.types.filter((t) => t !== 'enterprise') : null;
  const wantEnterprises = !f.types?.length || f.types.includes('enterprise');
  const rows: PoiRow[] = [];
  if (others === null || others.length) {
    let q = db.selectFrom('pois').selectAll();
    // Base data is the street's, not a case: departments read it all; area users their area; citizens none.
    if (scope.kind === 'area') q = q.where(underAny('area_path', scope.paths));
    else if (scope.kind !== 'all' && scope.kind !== 'department') q = q.where(sql<boolean>`false`);
    if (others?.length) q = q.where('type', 'in', others);
    if (f.bbox) {
      const [w, s, e, n] = f.bbox;
      q = q.where('lng', '>=', w).where('lng', '<=', e).where('lat', '>=', s).where('lat', '<=', n);
    }
    rows.push(...(await q.orderBy('type').orderBy('id').limit(f.limit + 1).execute()));
  }
  if (wantEnterprises) {
    let q = db
      .selectFrom('enterprises')
      .select([
        'id', sql<PoiType>`'enterprise'`.as('type'), 'poi_code as code', 'name', 'subtype', 'lng', 'lat', 'address', 'grid_id', 'area_path',
        'industry_name as industry', 'risk_level', 'contact', 'phone', sql<string | null>`null`.as('stream_url'), 'properties', 'created_by', 'created_at', 'updated_at',
      ]);
    if (scope.kind === 'area') q = q.where(underAny('enterprises.area_path', scope.paths));
    else if (scope.kind !== 'all' && scope.kind !== 'department') q = q.where(sql<boolean>`false`);
    if (f.bbox) {
      const [w, s, e, n] = f.bbox;
      q = q.where('lng', '>=', w).where('lng', '<=', e).where('lat', '>=', s).where('lat', '<=', n);
    }
    rows.push(...(await q.orderBy('id').limit(f.limit + 1).execute()));
  }
  rows.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.id - b.id));
  return rows.slice(0, f.limit + 1);
}
type PoiRow = Omit<Selectable<PoiTable>, 'risk_level'> & { risk_level: PoiRecord['riskLevel'] };

/** An enterprise point into the registry: by its code, else an uncoded registry row of the same name, else new. */
async function upsertEnterprisePoi(db: DbOrTx, r: PoiRecord, actorId: number | null, now: Date): Promise<'created' | 'updated'> {
  const same =
    (r.code ? await db.selectFrom('enterprises').select('id').where('poi_code', '=', r.code).executeTakeFirst() : undefined) ??
    (await db.selectFrom('enterprises').select('id').where('name', '=', r.name).where('poi_code', 'is', null).orderBy('id').executeTakeFirst());
  const keyUnit = r.subtype === '重点单位' || r.subtype === '重点企业';
  if (same) {
    await db
      .updateTable('enterprises')
      .set({
        name: r.name, poi_code: r.code, subtype: r.subtype, lng: r.lng, lat: r.lat, grid_id: r.gridId, area_path: r.areaPath,
        address: sql`coalesce(${r.address}, address)`, industry_name: sql`coalesce(${r.industry}, industry_name)`,
        risk_level: sql`coalesce(${r.riskLevel}, risk_level)`, contact: sql`coalesce(${r.contact}, contact)`, phone: sql`coalesce(${r.phone}, phone)`,
        key_unit: sql`key_unit OR ${keyUnit}`, properties: JSON.stringify(r.properties), updated_at: now, version: sql`version + 1`,
      })
      .where('id', '=', same.id)
      .execute();
    return 'updated';
  }
  await db
    .insertInto('enterprises')
    .values({
      name: r.name, credit_code: null, status: 'operating', watch: false, poi_code: r.code, subtype: r.subtype, lng: r.lng, lat: r.lat, grid_id: r.gridId, area_path: r.areaPath,
      address: r.address, industry_name: r.industry, risk_level: r.riskLevel ?? 'low', contact: r.contact, phone: r.phone, key_unit: keyUnit,
      properties: JSON.stringify(r.properties), created_by: actorId, created_at: now, updated_at: now,
    })
    .execute();
  return 'created';
}

/** Inserts or updates (by type and code) every record; returns how many were created and updated. */
export async function upsertPois(db: DbOrTx, all: readonly PoiRecord[], actorId: number | null, now: Date) {
  let created = 0;
  let updated = 0;
  for (const r of all) if (r.type === 'enterprise') (await upsertEnterprisePoi(db, r, actorId, now)) === 'created' ? created++ : updated++;
  const records = all.filter((r) => r.type !== 'enterprise');
  for (let i = 0; i < records.length; i += 200) {
    const values = records.slice(i, i + 200).map((r) => ({
      type: r.type,
      code: r.code,
      name: r.name,
      subtype: r.subtype,
      lng: r.lng,
      lat: r.lat,
      address: r.address,
      grid_id: r.gridId,
      area_path: r.areaPath,
      industry: r.industry,
      risk_level: r.riskLevel,
      contact: r.contact,
      phone: r.phone,
      stream_url: r.streamUrl,
      properties: JSON.stringify(r.properties),
      created_by: actorId,
      updated_at: now,
    }));
    const rows = await db
      .insertInto('pois')
      .values(values)
      .onConflict((oc) =>
        oc
          .columns(['type', 'code'])
          .where('code', 'is not', null)
          .doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            subtype: eb.ref('excluded.subtype'),
            lng: eb.ref('excluded.lng'),
            lat: eb.ref('excluded.lat'),
            address: eb.ref('excluded.address'),
            grid_id: eb.ref('excluded.grid_id'),
            area_path: eb.ref('excluded.area_path'),
            industry: eb.ref('excluded.industry'),
            risk_level: eb.ref('excluded.risk_level'),
            contact: eb.ref('excluded.contact'),
            phone: eb.ref('excluded.phone'),
            stream_url: eb.ref('excluded.stream_url'),
            properties: eb.ref('excluded.properties'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
      )
      // xmax is 0 for a row this statement inserted, the updating transaction otherwise
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute();
    for (const r of rows) r.inserted ? created++ : updated++;
  }
  return { created, updated };
}

/** Stored points outside the registry (enterprise points are enterprises). */
export async function countPois(db: DbOrTx): Promise<number> {
  return (await db.selectFrom('pois').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
}

/** The (type, code) keys of stored points of interest that have a code: what an import would update. */
export async function listPoiKeys(db: DbOrTx): Promise<{ type: PoiType; code: string | null }[]> {
  const enterprises = await db.selectFrom('enterprises').select(['poi_code as code']).where('poi_code', 'is not', null).execute();
  return [...(await db.selectFrom('pois').select(['type', 'code']).where('code', 'is not', null).execute()), ...enterprises.map((e) => ({ type: 'enterprise' as const, code: e.code }))];
}
