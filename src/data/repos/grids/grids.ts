// Grid administration: grids with their versions, responsible people, key units and routing rules. Typed SQL only;
// the rules (what may change, what a change means) live in src/services/grids/*.ts.
import { sql, type ExpressionBuilder, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Scope } from '../../../domain/access.js';
import type { DbOrTx } from '../../db.js';
import { escapeLike, scopeWhere, underAny } from '../cases/cases.js';
import type { Database, GridGeometryJson, GridPersonTable, GridTable } from '../../schema.js';
import { OPEN_STATES } from '../../../domain/cases/workflow.js';
import { gridPathOf } from '../../../domain/area-path.js';

export type GridRecord = Selectable<GridTable>;
export type GridInsert = Omit<Insertable<GridTable>, 'path'>;

/** States in which a case still needs work; counted on the map and in the tree. */

export async function findGrid(db: DbOrTx, id: number, opts: { forUpdate?: boolean } = {}): Promise<GridRecord | undefined> {
  const q = db.selectFrom('grids').selectAll().where('id', '=', id);
  return (opts.forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export async function findGridByCode(db: DbOrTx, code: string): Promise<GridRecord | undefined> {
  return db.selectFrom('grids').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Every grid, retired ones included (imports check codes against all of them), without the boundaries. */
export async function listGridHeads(db: DbOrTx) {
  return db
    .selectFrom('grids')
    .select(['id', 'code', 'name', 'grid_class', 'level', 'version', 'division_id', 'parent_id', 'path', 'industry', 'retired_at', 'updated_at'])
    .orderBy('code')
    .execute();
}
export type GridHead = Awaited<ReturnType<typeof listGridHeads>>[number];

/** Every grid in full, for imports that compare stored grids with a file. */
export async function listGridsFull(db: DbOrTx): Promise<GridRecord[]> {
  return db.selectFrom('grids').selectAll().orderBy('code').execute();
}

export async function listGridsUnder(db: DbOrTx, pathPrefix: string): Promise<GridRecord[]> {
  return db.selectFrom('grids').selectAll().where('path', 'like', `${escapeLike(pathPrefix)}%`).orderBy('code').execute();
}

/**
 * A stamp of the whole grid set that changes with every grid write that matters for geometry checks (a new grid, a
 * new version, a retirement), whatever the clock says: a check made outside the write transaction is still valid
 * inside it when the stamp is the same.
 */
export async function gridSetStamp(db: DbOrTx): Promise<string> {
  const row = await db
    .selectFrom('grids')
    .select((eb) => [
      eb.fn.countAll<string>().as('n'),
      eb.fn.count<string>('retired_at').as('retired'),
      eb.fn.coalesce(eb.fn.sum<string>('version'), sql<string>`0`).as('versions'),
    ])
    .executeTakeFirstOrThrow();
  return `${row.n}:${row.retired}:${row.versions}`;
}

/**
 * Active grids of one class whose bounding box meets [minLng, minLat, maxLng, maxLat], with their boundaries: the
 * neighbours an A-class boundary is checked against for overlaps.
 */
export async function listActiveGridsInBox(db: DbOrTx, gridClass: 'A' | 'B' | 'C', box: readonly [number, number, number, number]) {
  return db
    .selectFrom('grids')
    .select(['id', 'code', 'name', 'parent_id', 'geometry'])
    .where('grid_class', '=', gridClass)
    .where('retired_at', 'is', null)
    .where('max_lng', '>=', box[0])
    .where('max_lat', '>=', box[1])
    .where('min_lng', '<=', box[2])
    .where('min_lat', '<=', box[3])
    .orderBy('code')
    .execute();
}

/** The active A-class grids with their boundaries: what the point → grid index is built from. */
export async function listActiveAGridShapes(db: DbOrTx) {
  return db
    .selectFrom('grids')
    .select(['id', 'code', 'path', 'version', 'geometry'])
    .where('grid_class', '=', 'A')
    .where('retired_at', 'is', null)
    .execute();
}

export async function listChildGrids(db: DbOrTx, parentId: number) {
  return db
    .selectFrom('grids')
    .select(['id', 'code', 'name', 'grid_class', 'geometry', 'retired_at'])
    .where('parent_id', '=', parentId)
    .orderBy('code')
    .execute();
}

export async function listDivisionHeads(db: DbOrTx) {
  return db.selectFrom('divisions').select(['id', 'code', 'name', 'level', 'parent_id', 'path']).orderBy('code').execute();
}

export async function listDivisionsFull(db: DbOrTx) {
  return db.selectFrom('divisions').selectAll().orderBy('code').execute();
}

export async function findDivision(db: DbOrTx, id: number) {
  return db.selectFrom('divisions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDivisionByCode(db: DbOrTx, code: string) {
  return db.selectFrom('divisions').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function searchGrids(db: DbOrTx, q: string, opts: { limit: number; includeRetired: boolean }) {
  const pattern = `%${escapeLike(q)}%`;
  let query = db
    .selectFrom('grids')
    .innerJoin('divisions', 'divisions.id', 'grids.division_id')
    .select(['grids.id', 'grids.code', 'grids.name', 'grids.grid_class', 'grids.level', 'grids.retired_at', 'divisions.name as division_name'])
    .where((eb) => eb.or([eb('grids.code', 'like', `${escapeLike(q)}%`), eb('grids.name', 'ilike', pattern)]));
  if (!opts.includeRetired) query = query.where('grids.retired_at', 'is', null);
  // Exact code first, then code prefixes, then name matches; shorter codes (higher levels) before longer ones.
  return query
    .orderBy(sql`CASE WHEN grids.code = ${q} THEN 0 WHEN grids.code LIKE ${`${escapeLike(q)}%`} THEN 1 ELSE 2 END`)
    .orderBy(sql`length(grids.code)`)
    .orderBy('grids.code')
    .limit(opts.limit)
    .execute();
}

/** Codes taken under a prefix with `extra` more characters, retired grids included (a code is never reused). */
export async function codesWithPrefix(db: DbOrTx, prefix: string, extra: number): Promise<string[]> {
  const rows = await db
    .selectFrom('grids')
    .select('code')
    .where('code', 'like', `${escapeLike(prefix)}${'_'.repeat(extra)}`)
    .execute();
  return rows.map((r) => r.code);
}

// ---- writing grids -------------------------------------------------------------------------------------------

/**
 * Serialises grid changes (imports, edits, splits, retirements) for the rest of the transaction: each one checks
 * what it read against what is stored, and two at once could both pass the check. Readers are not blocked.
 */
export async function lockGridWrites(db: DbOrTx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${GRID_LOCK_KEY}::bigint)`.execute(db);
}
const GRID_LOCK_KEY = 0x67726964; // 'grid'

/**
 * Inserts grids that all hang under already stored parents and returns their ids and paths, in input order. The
 * path extends the parent's with the new id, so it is written after the insert (as insertGrid in reference.ts
 * does), here in one statement per batch: an import of thousands of grids stays a handful of round trips.
 */
export async function insertGridsBatch(db: DbOrTx, rows: readonly { grid: GridInsert; parentPath: string }[]): Promise<{ id: number; path: string }[]> {
  const out: { id: number; path: string }[] = [];
  const CHUNK = 500;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const inserted = await db
      .insertInto('grids')
      .values(chunk.map((r) => ({ ...r.grid, path: `pending:${r.grid.code}` })))
      .returning(['id', 'code'])
      .execute();
    const idByCode = new Map(inserted.map((r) => [r.code, r.id]));
    const paths = chunk.map((r) => {
      const id = idByCode.get(r.grid.code)!;
      return { id, path: gridPathOf(r.parentPath, id) };
    });
    await sql`UPDATE grids SET path = v.path FROM (VALUES ${sql.join(paths.map((p) => sql`(${p.id}::int, ${p.path}::text)`))}) AS v(id, path) WHERE grids.id = v.id`.execute(db);
    out.push(...paths);
  }
  return out;
}

export async function updateGridRow(db: DbOrTx, id: number, set: Updateable<GridTable>): Promise<void> {
  await db.updateTable('grids').set(set).where('id', '=', id).execute();
}

// ---- versions ------------------------------------------------------------------------------------------------

export async function listVersions(db: DbOrTx, gridId: number) {
  return db
    .selectFrom('grid_versions')
    .leftJoin('users', 'users.id', 'grid_versions.changed_by')
    .selectAll('grid_versions')
    .select('users.display_name as changed_by_name')
    .where('grid_versions.grid_id', '=', gridId)
    .orderBy('grid_versions.version', 'desc')
    .execute();
}

export interface VersionRow {
  gridId: number;
  version: number;
  code: string;
  name: string;
  gridClass: 'A' | 'B' | 'C';
  geometry: GridGeometryJson;
  validFrom: Date;
  changedBy: number | null;
  change: string;
}

export async function insertVersions(db: DbOrTx, rows: readonly VersionRow[]): Promise<void> {
  const CHUNK = 500;
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('grid_versions')
      .values(
        rows.slice(i, i + CHUNK).map((v) => ({
          grid_id: v.gridId,
          version: v.version,
          code: v.code,
          name: v.name,
          grid_class: v.gridClass,
          geometry: JSON.stringify(v.geometry),
          valid_from: v.validFrom,
          valid_to: null,
          changed_by: v.changedBy,
          change: v.change,
        })),
      )
      .execute();
  }
}

/**
 * Closes the version in force. Grids stored before versions were kept (the demo seed, older installs) have no row
 * for it yet: it is written first, from the grid as it stands, so the history starts where the change does.
 */
export async function closeCurrentVersion(db: DbOrTx, grid: GridRecord, at: Date): Promise<void> {
  const existing = await db
    .selectFrom('grid_versions')
    .select('version')
    .where('grid_id', '=', grid.id)
    .where('version', '=', grid.version)
    .executeTakeFirst();
  if (!existing) {
    await insertVersions(db, [
      {
        gridId: grid.id,
        version: grid.version,
        code: grid.code,
        name: grid.name,
        gridClass: grid.grid_class,
        geometry: grid.geometry as GridGeometryJson,
        validFrom: grid.created_at,
        changedBy: null,
        change: 'create',
      },
    ]);
  }
  await db
    .updateTable('grid_versions')
    .set({ valid_to: at })
    .where('grid_id', '=', grid.id)
    .where('version', '=', grid.version)
    .where('valid_to', 'is', null)
    .execute();
}

// ---- cases per grid --------------------------------------------------------------------------------------------

/**
 * Open cases the scope may read: per grid (routed there, or with it as the responsible B/C grid), per area path
 * (every open case, so divisions can sum their subtree without counting a case twice) and, among those, the ones
 * waiting outside every grid. Mirrors the case repository's scope rule so the counts match the case lists.
 */
export async function openCaseCounts(db: DbOrTx, scope: Scope) {
  const base = db.selectFrom('cases').where('cases.state', 'in', [...OPEN_STATES]).where(scopeWhere(scope));
  const [byGrid, byResponsible, byArea] = await Promise.all([
    base.select(['cases.grid_id as id', (eb) => eb.fn.countAll<number>().as('n')]).where('cases.grid_id', 'is not', null).groupBy('cases.grid_id').execute(),
    base
      .select(['cases.responsible_grid_id as id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('cases.responsible_grid_id', 'is not', null)
      .groupBy('cases.responsible_grid_id')
      .execute(),
    base
      .select(['cases.area_path as path', sql<boolean>`cases.grid_id IS NULL`.as('unrouted'), (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['cases.area_path', sql`cases.grid_id IS NULL`])
      .execute(),
  ]);
  const perGrid = new Map<number, number>();
  for (const r of [...byGrid, ...byResponsible]) perGrid.set(r.id!, (perGrid.get(r.id!) ?? 0) + Number(r.n));
  return { perGrid, byArea: byArea.map((r) => ({ path: r.path, unrouted: Boolean(r.unrouted), n: Number(r.n) })) };
}

/** Open cases the scope may read that are routed to the grid or have it as their responsible grid. */
export async function countOpenCasesOfGrid(db: DbOrTx, scope: Scope, gridId: number): Promise<number> {
  const r = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('cases.state', 'in', [...OPEN_STATES])
    .where((eb) => eb.or([eb('cases.grid_id', '=', gridId), eb('cases.responsible_grid_id', '=', gridId)]))
    .where(scopeWhere(scope))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}


export async function listCategoriesOfIndustry(db: DbOrTx, industry: string) {
  return db.selectFrom('categories').select(['id', 'code', 'name']).where('industry', '=', industry).orderBy('code').execute();
}

// ---- people --------------------------------------------------------------------------------------------------

export async function listPeopleOf(db: DbOrTx, gridId: number) {
  return db
    .selectFrom('grid_people')
    .leftJoin('users', 'users.id', 'grid_people.user_id')
    .selectAll('grid_people')
    .select('users.username')
    .where('grid_people.grid_id', '=', gridId)
    .orderBy('grid_people.role')
    .orderBy('grid_people.id')
    .execute();
}

/** People of active grids (optionally under some paths), with their grid, in grid-code order: the export sheet. */
export async function listPeopleForExport(db: DbOrTx, pathPrefixes: readonly string[] | null) {
  let q = db
    .selectFrom('grid_people')
    .innerJoin('grids', 'grids.id', 'grid_people.grid_id')
    .leftJoin('users', 'users.id', 'grid_people.user_id')
    .select(['grid_people.id', 'grid_people.name', 'grid_people.role', 'grid_people.phone', 'grid_people.note', 'grids.code as grid_code', 'grids.name as grid_name', 'users.username'])
    .where('grids.retired_at', 'is', null);
  if (pathPrefixes) q = q.where(underAny('grids.path', pathPrefixes));
  return q.orderBy('grids.code').orderBy('grid_people.id').execute();
}

export async function insertPeople(db: DbOrTx, rows: readonly Insertable<GridPersonTable>[]) {
  const CHUNK = 500;
  const out: { id: number }[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    out.push(...(await db.insertInto('grid_people').values(rows.slice(i, i + CHUNK)).returning('id').execute()));
  }
  return out;
}

/** Removes the people of these grids, except the records that stand for user accounts (kept by 用户管理). */
export async function deletePeopleOfGrids(db: DbOrTx, gridIds: readonly number[]): Promise<number> {
  if (gridIds.length === 0) return 0;
  const r = await db.deleteFrom('grid_people').where('grid_id', 'in', [...gridIds]).where('user_id', 'is', null).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The records of these grids that stand for user accounts, with the account's username. */
export async function linkedPeopleOfGrids(db: DbOrTx, gridIds: readonly number[]) {
  if (gridIds.length === 0) return [];
  return db
    .selectFrom('grid_people')
    .innerJoin('users', 'users.id', 'grid_people.user_id')
    .selectAll('grid_people')
    .select(['users.username', 'users.display_name'])
    .where('grid_id', 'in', [...gridIds])
    .execute();
}

export async function updatePersonContact(db: DbOrTx, personId: number, phone: string | null, note: string) {
  await db.updateTable('grid_people').set({ phone, note }).where('id', '=', personId).execute();
}

export async function deletePerson(db: DbOrTx, gridId: number, personId: number) {
  return db.deleteFrom('grid_people').where('id', '=', personId).where('grid_id', '=', gridId).where('user_id', 'is', null).returningAll().executeTakeFirst();
}

// ---- key units -----------------------------------------------------------------------------------------------
// Key units are a view of the enterprise registry (migration 0018): enterprises flagged key_unit, with their own
// C-class grid as the unit's grid.

export async function listKeyUnits(db: DbOrTx, filter: { gridId?: number | undefined } = {}) {
  let q = db
    .selectFrom('enterprises')
    .leftJoin('grids', 'grids.id', 'enterprises.c_grid_id')
    .select([
      'enterprises.id', 'enterprises.name', 'enterprises.industry_name as industry', 'enterprises.address', 'enterprises.lng', 'enterprises.lat',
      'enterprises.c_grid_id as grid_id', 'enterprises.contact', 'enterprises.phone', 'enterprises.risk_level', 'enterprises.created_at', 'grids.code as grid_code',
    ])
    .where('enterprises.key_unit', '=', true);
  if (filter.gridId != null) q = q.where('enterprises.c_grid_id', '=', filter.gridId);
  return q.orderBy('enterprises.id').execute();
}
export type KeyUnitListRow = Awaited<ReturnType<typeof listKeyUnits>>[number];

// ---- routing rules -------------------------------------------------------------------------------------------

export async function listRoutingRulesNamed(db: DbOrTx) {
  return db
    .selectFrom('routing_rules')
    .leftJoin('categories', 'categories.id', 'routing_rules.category_id')
    .leftJoin('divisions', 'divisions.id', 'routing_rules.division_id')
    .innerJoin('departments', 'departments.id', 'routing_rules.department_id')
    .selectAll('routing_rules')
    .select(['categories.name as category_name', 'divisions.name as division_name', 'divisions.path as division_path', 'departments.name as department_name'])
    .orderBy('routing_rules.id')
    .execute();
}

export async function insertRoutingRule(db: DbOrTx, r: { category_id: number | null; division_id: number | null; department_id: number; note: string }) {
  return db.insertInto('routing_rules').values(r).returningAll().executeTakeFirstOrThrow();
}

export async function deleteRoutingRule(db: DbOrTx, id: number) {
  return db.deleteFrom('routing_rules').where('id', '=', id).returningAll().executeTakeFirst();
}

