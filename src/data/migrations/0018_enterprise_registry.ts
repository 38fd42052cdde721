// One registry of enterprises (issue 14): key units (重点单位) and enterprise points of interest were two more lists
// of the same enterprises. They become rows of `enterprises` — a key unit is an enterprise with `key_unit` and its own
// C-class grid (`c_grid_id`), an enterprise point of interest keeps its import code (`poi_code`) — and the old rows
// move there: a key unit and an enterprise point with the same name are one enterprise. Cases that named a key unit
// now name its enterprise. Rows that came without a 统一社会信用代码 keep it empty until someone completes the archive.
import { sql, type Kysely } from 'kysely';
import { buildGridIndex } from '../../domain/grids/point-index.js';
import type { GridGeometry } from '../../domain/grids/geometry.js';

const before = [
  `ALTER TABLE enterprises ALTER COLUMN credit_code DROP NOT NULL`,
  // outside every A grid (a key unit on the street's edge, a point just outside): placed by its community instead
  `ALTER TABLE enterprises ALTER COLUMN grid_id DROP NOT NULL`,
  `ALTER TABLE enterprises
    ADD COLUMN key_unit boolean NOT NULL DEFAULT false,
    ADD COLUMN c_grid_id int REFERENCES grids(id),
    ADD COLUMN poi_code text,
    ADD COLUMN subtype text,
    ADD COLUMN properties jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN legacy_key_unit_id int`,
  `CREATE UNIQUE INDEX enterprises_poi_code ON enterprises (poi_code) WHERE poi_code IS NOT NULL`,
  `CREATE INDEX enterprises_position ON enterprises (lng, lat)`,
  `CREATE INDEX enterprises_c_grid ON enterprises (c_grid_id) WHERE c_grid_id IS NOT NULL`,
];

const after = [
  `ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_key_unit_id_fkey`,
  `UPDATE cases SET key_unit_id = e.id FROM enterprises e WHERE e.legacy_key_unit_id = cases.key_unit_id`,
  `ALTER TABLE cases ADD CONSTRAINT cases_key_unit_id_fkey FOREIGN KEY (key_unit_id) REFERENCES enterprises(id)`,
  `ALTER TABLE enterprises DROP COLUMN legacy_key_unit_id`,
  `DROP TABLE key_units`,
  `DELETE FROM pois WHERE type = 'enterprise'`,
  `ALTER TABLE pois DROP CONSTRAINT IF EXISTS pois_type_check`,
  `ALTER TABLE pois ADD CONSTRAINT pois_type_check CHECK (type IN ('pollution_source','sensitive_point','monitoring_station','camera'))`,
];

interface Legacy {
  name: string;
  industry: string | null;
  address: string | null;
  lng: number;
  lat: number;
  contact: string | null;
  phone: string | null;
  risk_level: 'low' | 'medium' | 'high' | null;
  created_at: Date | string;
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const s of before) await sql.raw(s).execute(db);
  const grids = await db.selectFrom('grids').select(['id', 'code', 'path', 'grid_class', 'geometry', 'retired_at']).execute();
  const active = grids.filter((g) => g.grid_class === 'A' && g.retired_at == null);
  const index = buildGridIndex(active.map((g) => ({ id: g.id, code: g.code, geometry: g.geometry as GridGeometry })));
  const pathOf = new Map<number, string>(grids.map((g) => [g.id, g.path]));
  const place = (lng: number, lat: number, fallback: string | null) => {
    const id = index.lookup(lng, lat);
    if (id != null) return { grid_id: id, area_path: pathOf.get(id)! };
    const near = fallback ? null : index.nearest(lng, lat, 5000);
    return { grid_id: null, area_path: fallback ?? (near ? pathOf.get(near.id)!.replace(/g\d+\/$/, '') : '/') };
  };
  const byName = new Map<string, number>();
  const keyUnits = (await db.selectFrom('key_units').selectAll().orderBy('id').execute()) as (Legacy & { id: number; grid_id: number | null })[];
  for (const u of keyUnits) {
    const at = place(u.lng, u.lat, u.grid_id != null ? (pathOf.get(u.grid_id) ?? null) : null);
    const row = await db
      .insertInto('enterprises')
      .values({
        name: u.name, credit_code: null, industry_name: u.industry, address: u.address, lng: u.lng, lat: u.lat, ...at,
        risk_level: u.risk_level ?? 'low', contact: u.contact, phone: u.phone, key_unit: true, c_grid_id: u.grid_id,
        legacy_key_unit_id: u.id, created_at: u.created_at, updated_at: u.created_at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    byName.set(u.name, row.id);
  }
  for (const e of await db.selectFrom('enterprises').select(['id', 'name']).where('legacy_key_unit_id', 'is', null).execute()) if (!byName.has(e.name)) byName.set(e.name, e.id);
  const pois = (await db.selectFrom('pois').selectAll().where('type', '=', 'enterprise').orderBy('id').execute()) as (Legacy & {
    code: string | null; subtype: string | null; grid_id: number | null; area_path: string; properties: unknown; created_by: number | null; updated_at: Date | string;
  })[];
  for (const p of pois) {
    const same = byName.get(p.name);
    const fields = { poi_code: p.code, subtype: p.subtype, properties: JSON.stringify(p.properties ?? {}) };
    if (same != null) {
      // the same enterprise twice: keep the registry's facts, add what only the point knew
      await db
        .updateTable('enterprises')
        .set({ ...fields, industry_name: sql`coalesce(industry_name, ${p.industry})`, address: sql`coalesce(address, ${p.address})`, contact: sql`coalesce(contact, ${p.contact})`, phone: sql`coalesce(phone, ${p.phone})` })
        .where('id', '=', same)
        .execute();
      continue;
    }
    const row = await db
      .insertInto('enterprises')
      .values({
        name: p.name, credit_code: null, industry_name: p.industry, address: p.address, lng: p.lng, lat: p.lat,
        grid_id: p.grid_id, area_path: p.area_path, risk_level: p.risk_level ?? 'low', contact: p.contact, phone: p.phone,
        key_unit: p.subtype === '重点单位' || p.subtype === '重点企业', ...fields, created_by: p.created_by, created_at: p.created_at, updated_at: p.updated_at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    byName.set(p.name, row.id);
  }
  for (const s of after) await sql.raw(s).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0018_enterprise_registry cannot be undone: key units and enterprise points now live in the registry');
}
