// Points of interest: read by type and box within a scope, and upserted by import (by type and code when a code is given).
import { sql } from 'kysely';
import type { Scope } from '../../domain/access.js';
import type { DbOrTx } from '../db.js';
import type { PoiType } from '../schema.js';
import { underAny } from './cases.js';

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
  let q = db.selectFrom('pois').selectAll();
  // Base data is the street's, not a case: departments read it all; area users their area; citizens none.
  if (scope.kind === 'area') q = q.where(underAny('area_path', scope.paths));
  else if (scope.kind !== 'all' && scope.kind !== 'department') q = q.where(sql<boolean>`false`);
  if (f.types?.length) q = q.where('type', 'in', f.types);
  if (f.bbox) {
    const [w, s, e, n] = f.bbox;
    q = q.where('lng', '>=', w).where('lng', '<=', e).where('lat', '>=', s).where('lat', '<=', n);
  }
  return q.orderBy('type').orderBy('id').limit(f.limit + 1).execute();
}

/** Inserts or updates (by type and code) every record; returns how many were created and updated. */
export async function upsertPois(db: DbOrTx, records: readonly PoiRecord[], actorId: number | null, now: Date) {
  let created = 0;
  let updated = 0;
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

export async function countPois(db: DbOrTx): Promise<number> {
  return (await db.selectFrom('pois').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
}

/** The (type, code) keys of stored points of interest that have a code: what an import would update. */
export async function listPoiKeys(db: DbOrTx) {
  return db.selectFrom('pois').select(['type', 'code']).where('code', 'is not', null).execute();
}
