// Reference data: divisions, grids, departments, categories.
import { sql, type Insertable, type Selectable } from 'kysely';
import { PREPARED, type DbOrTx } from '../db.js';
import type { CategoryTable, DivisionTable, GridTable } from '../schema.js';
import { divisionPathOf, gridPathOf } from '../../domain/area-path.js';

export type GridRow = Selectable<GridTable>;

export async function listDivisions(db: DbOrTx) {
  return db.selectFrom('divisions').selectAll().orderBy('code').execute();
}

export async function findDivisionByCode(db: DbOrTx, code: string) {
  return db.selectFrom('divisions').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertDivision(db: DbOrTx, d: Omit<Insertable<DivisionTable>, 'path'>, parentPath: string | null) {
  const row = await db
    .insertInto('divisions')
    .values({ ...d, path: `pending:${d.code}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = divisionPathOf(parentPath, row.id);
  await db.updateTable('divisions').set({ path }).where('id', '=', row.id).execute();
  return { id: row.id, path };
}

export async function insertGrid(db: DbOrTx, g: Omit<Insertable<GridTable>, 'path'>, parentPath: string) {
  const row = await db
    .insertInto('grids')
    .values({ ...g, path: `pending:${g.code}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = gridPathOf(parentPath, row.id);
  const saved = await db.updateTable('grids').set({ path }).where('id', '=', row.id).returning(['code', 'name', 'grid_class', 'geometry', 'created_at']).executeTakeFirstOrThrow();
  // Version 1 of the grid's history: every later edit closes it and opens the next.
  await db
    .insertInto('grid_versions')
    .values({ grid_id: row.id, version: 1, code: saved.code, name: saved.name, grid_class: saved.grid_class, geometry: JSON.stringify(saved.geometry), valid_from: saved.created_at, change: 'create' })
    .execute();
  return { id: row.id, path };
}

export async function listActiveGrids(db: DbOrTx) {
  return db
    .selectFrom('grids')
    .innerJoin('divisions', 'divisions.id', 'grids.division_id')
    .selectAll('grids')
    .select('divisions.name as community_name')
    .where('grids.retired_at', 'is', null)
    .orderBy('grids.code')
    .execute();
}

/** A-class grids whose bounding box holds the point: the candidates for the exact test. */
export async function gridCandidatesAt(db: DbOrTx, lng: number, lat: number) {
  return db
    .selectFrom('grids')
    .select(['id', 'code', 'geometry', 'path'])
    .where('grid_class', '=', 'A')
    .where('retired_at', 'is', null)
    .where('min_lng', '<=', lng)
    .where('max_lng', '>=', lng)
    .where('min_lat', '<=', lat)
    .where('max_lat', '>=', lat)
    .execute();
}

export async function findGridByCode(db: DbOrTx, code: string) {
  return db.selectFrom('grids').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listDepartments(db: DbOrTx) {
  return db.selectFrom('departments').selectAll().orderBy('code').execute();
}

export async function findDepartment(db: DbOrTx, id: number) {
  return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertDepartment(db: DbOrTx, d: { code: string; name: string }) {
  return db.insertInto('departments').values(d).returningAll().executeTakeFirstOrThrow();
}

export async function listCategories(db: DbOrTx) {
  return db.selectFrom('categories').selectAll().orderBy('code').execute();
}

export async function findCategory(db: DbOrTx, id: number) {
  // every report asks this: prepared once per connection on PostgreSQL
  return db.selectFrom('categories').modifyFront(sql.raw(PREPARED)).selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCategory(db: DbOrTx, c: Insertable<CategoryTable>) {
  return db.insertInto('categories').values(c).returningAll().executeTakeFirstOrThrow();
}

/** A key unit: an enterprise of the registry flagged key_unit; grid_id is its own C-class grid. */
export async function findKeyUnit(db: DbOrTx, id: number) {
  return db
    .selectFrom('enterprises')
    .select(['id', 'name', 'c_grid_id as grid_id'])
    .where('id', '=', id)
    .where('key_unit', '=', true)
    .executeTakeFirst();
}

export async function listRoutingRules(db: DbOrTx) {
  return db
    .selectFrom('routing_rules')
    .leftJoin('divisions', 'divisions.id', 'routing_rules.division_id')
    .select(['routing_rules.id', 'routing_rules.category_id', 'routing_rules.department_id', 'divisions.path as division_path', 'routing_rules.note'])
    .orderBy('routing_rules.id')
    .execute();
}

export async function findDepartmentName(db: DbOrTx, id: number) {
  return (await db.selectFrom('departments').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

/** The name of the grid, else of the division, at exactly this path. */
export async function findAreaName(db: DbOrTx, path: string) {
  const grid = await db.selectFrom('grids').select('name').where('path', '=', path).executeTakeFirst();
  if (grid) return grid.name;
  return (await db.selectFrom('divisions').select('name').where('path', '=', path).executeTakeFirst())?.name;
}
