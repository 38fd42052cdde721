// Administration queries: divisions with their boundaries, departments and their open work, users for the
// administrators' list, and what a fresh install still lacks.
import { sql } from 'kysely';
import { underAny, userCoversArea } from './cases/cases.js';
import type { DbOrTx } from '../db.js';
import { OPEN_CASE_STATES, type Role } from '../../shared/vocabulary.js';

/** Case states in which a department holds the case as a work order (to sign, handle, or waiting suspended). */
export const WORK_ORDER_STATES = ['dispatched', 'in_progress', 'suspended'] as const;
/** Every state before the end of the loop: someone still has to act. */

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function findDivision(db: DbOrTx, id: number) {
  return db.selectFrom('divisions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDivisionByCodeAny(db: DbOrTx, code: string) {
  return db.selectFrom('divisions').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Every division with whether it has a boundary and how many active grids lie under it. */
export async function listDivisionsAdmin(db: DbOrTx) {
  return db
    .selectFrom('divisions as d')
    .select([
      'd.id',
      'd.code',
      'd.name',
      'd.level',
      'd.parent_id',
      'd.path',
      'd.geometry',
      (eb) =>
        eb
          .selectFrom('grids as g')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('g.retired_at', 'is', null)
          .where(sql<boolean>`g.path LIKE d.path || '%'`)
          .as('grid_count'),
    ])
    .orderBy('d.code')
    .execute();
}

export async function updateDivision(db: DbOrTx, id: number, patch: { name?: string; geometry?: string | null }) {
  await db.updateTable('divisions').set(patch).where('id', '=', id).execute();
}

export async function findDepartmentByCode(db: DbOrTx, code: string) {
  return db.selectFrom('departments').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listDepartmentsAdmin(db: DbOrTx) {
  return db
    .selectFrom('departments as d')
    .select([
      'd.id',
      'd.code',
      'd.name',
      'd.retired_at',
      'd.contacts',
      sql<{ id: number; code: string; name: string }[]>`(SELECT coalesce(json_agg(json_build_object('id', k.id, 'code', k.code, 'name', k.name) ORDER BY k.code), '[]'::json)
        FROM categories k WHERE k.default_department_id = d.id)`.as('default_categories'),
      (eb) =>
        eb
          .selectFrom('users as u')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('u.department_id', '=', 'd.id')
          .where('u.disabled_at', 'is', null)
          .as('user_count'),
      (eb) =>
        eb
          .selectFrom('cases as c')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('c.department_id', '=', 'd.id')
          .where('c.state', 'in', WORK_ORDER_STATES)
          .as('open_count'),
    ])
    .orderBy('d.code')
    .execute();
}

/**
 * The open work orders of a department, as a query to select from: cases (`c`) it holds as main department, or as a
 * co-handler whose part is not yet reported. The one definition the users' and the departments' administration share.
 */
export function openWorkOrdersQuery(db: DbOrTx, departmentId: number) {
  return db
    .selectFrom('cases as c')
    .where('c.state', 'in', WORK_ORDER_STATES)
    .where((eb) =>
      eb.or([
        eb('c.department_id', '=', departmentId),
        eb.exists(
          eb
            .selectFrom('case_assignments as a')
            .select('a.case_id')
            .whereRef('a.case_id', '=', 'c.id')
            .whereRef('a.life', '=', 'c.life')
            .where('a.department_id', '=', departmentId)
            .where('a.role', '=', 'co')
            .where('a.reported_at', 'is', null)
            .where('a.ended_at', 'is', null),
        ),
      ]),
    );
}

/** The open work orders of a department: numbers of the first `limit`, and how many there are. */
export async function openWorkOrdersOf(db: DbOrTx, departmentId: number, limit = 20) {
  const base = openWorkOrdersQuery(db, departmentId);
  const [rows, total] = await Promise.all([
    base.select(['c.id', 'c.number']).orderBy('c.id').limit(limit).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { numbers: rows.map((r) => r.number), total: Number(total.n) };
}

/** Open cases inside areas that are waiting for someone of the area (to accept, close, or verify). */
export async function openCasesIn(db: DbOrTx, areaPaths: readonly string[], states: readonly string[], limit = 20) {
  const base = db
    .selectFrom('cases as c')
    .where(underAny('c.area_path', areaPaths))
    .where('c.state', 'in', states as any);
  const [rows, total] = await Promise.all([
    base.select(['c.number']).orderBy('c.id').limit(limit).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { numbers: rows.map((r) => r.number), total: Number(total.n) };
}

/** Other active accounts of this role whose scope covers the whole of `areaPath`. */
export async function countOtherCovering(db: DbOrTx, userId: number, role: Role, areaPath: string) {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', '<>', userId)
    .where('role', '=', role)
    .where('disabled_at', 'is', null)
    .where('locked_at', 'is', null)
    .where(userCoversArea('users', areaPath))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function countOtherDepartmentUsers(db: DbOrTx, userId: number, departmentId: number) {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', '<>', userId)
    .where('department_id', '=', departmentId)
    .where('disabled_at', 'is', null)
    .where('locked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Active, unlocked administrators other than this user. */
export async function countOtherAdmins(db: DbOrTx, userId: number) {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', '<>', userId)
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .where('locked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface UserListQuery {
  /** one account, whatever its status */
  id?: number | undefined;
  q?: string | undefined;
  role?: Role | undefined;
  departmentId?: number | undefined;
  status?: 'active' | 'locked' | 'deactivated' | 'all' | undefined;
  limit: number;
  offset: number;
}

export async function listUsersAdmin(db: DbOrTx, q: UserListQuery, now: Date) {
  let base = db.selectFrom('users as u').leftJoin('departments as d', 'd.id', 'u.department_id');
  if (q.id != null) base = base.where('u.id', '=', q.id);
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    base = base.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]));
  }
  if (q.role) base = base.where('u.role', '=', q.role);
  if (q.departmentId) base = base.where('u.department_id', '=', q.departmentId);
  const status = q.status ?? 'active';
  if (status === 'active') base = base.where('u.disabled_at', 'is', null);
  if (status === 'deactivated') base = base.where('u.disabled_at', 'is not', null);
  if (status === 'locked') {
    base = base
      .where('u.disabled_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('u.locked_at', 'is not', null),
          eb.exists(eb.selectFrom('login_failures as lf').select('lf.user_id').whereRef('lf.user_id', '=', 'u.id').where('lf.locked_until', '>', now)),
        ]),
      );
  }
  const [items, total] = await Promise.all([
    base
      .select([
        'u.id',
        'u.username',
        'u.display_name',
        'u.role',
        'u.scope_paths',
        'u.department_id',
        'd.name as department_name',
        'u.must_change_password',
        'u.locked_at',
        // the login throttle: the latest lock of any source (src/data/repos/login-failures.ts)
        (eb) => eb.selectFrom('login_failures as lf').select((e) => e.fn.max('lf.locked_until').as('m')).whereRef('lf.user_id', '=', 'u.id').where('lf.locked_until', '>', now).as('locked_until'),
        'u.last_login_at',
        'u.created_at',
        'u.disabled_at',
        // each scope path as the grid or division it names
        sql<ScopePlace[]>`(SELECT coalesce(json_agg(json_build_object('path', sp.p, 'type', CASE WHEN g.id IS NOT NULL THEN 'grid' ELSE 'division' END,
            'id', coalesce(g.id, v.id), 'code', coalesce(g.code, v.code), 'name', coalesce(g.name, v.name)) ORDER BY sp.p), '[]'::json)
          FROM unnest(u.scope_paths) AS sp(p)
          LEFT JOIN grids g ON g.path = sp.p
          LEFT JOIN divisions v ON v.path = sp.p AND g.id IS NULL)`.as('scope_places'),
      ])
      .orderBy('u.username')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function updateUserRow(
  db: DbOrTx,
  id: number,
  patch: Partial<{
    display_name: string;
    role: Role;
    scope_paths: string[];
    department_id: number | null;
    locked_at: Date | null;
    disabled_at: Date | null;
    failed_logins: number;
    locked_until: Date | null;
  }>,
) {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

export async function deleteSessionsOf(db: DbOrTx, userId: number) {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function findGridById(db: DbOrTx, id: number) {
  return db.selectFrom('grids').select(['id', 'code', 'name', 'path', 'retired_at']).where('id', '=', id).executeTakeFirst();
}

/** A scope path as the grid or division it names (null id: the path names nothing any more). */
export interface ScopePlace {
  path: string;
  type: 'grid' | 'division';
  id: number | null;
  code: string | null;
  name: string | null;
}

/** The grids and divisions these paths name. */
export async function placesOfPaths(db: DbOrTx, paths: readonly string[]) {
  if (!paths.length) return { grids: [], divisions: [] };
  const [grids, divisions] = await Promise.all([
    db.selectFrom('grids').select(['id', 'code', 'name', 'path', 'retired_at']).where('path', 'in', [...paths]).execute(),
    db.selectFrom('divisions').select(['id', 'code', 'name', 'path']).where('path', 'in', [...paths]).execute(),
  ]);
  return { grids, divisions };
}

/** Counts behind the setup guide. */
export async function setupCounts(db: DbOrTx) {
  const n = (q: Promise<{ n: number | string | bigint }>) => q.then((r) => Number(r.n));
  const count = sql<number>`count(*)`.as('n');
  const [streets, departments, categories, grids, users] = await Promise.all([
    n(db.selectFrom('divisions').select(count).where('level', '=', 'street').executeTakeFirstOrThrow()),
    n(db.selectFrom('departments').select(count).where('retired_at', 'is', null).executeTakeFirstOrThrow()),
    n(db.selectFrom('categories').select(count).executeTakeFirstOrThrow()),
    n(db.selectFrom('grids').select(count).where('retired_at', 'is', null).executeTakeFirstOrThrow()),
    n(db.selectFrom('users').select(count).where('role', '<>', 'admin').where('disabled_at', 'is', null).executeTakeFirstOrThrow()),
  ]);
  const local = await db
    .selectFrom('divisions')
    .select(['id', 'code', 'name', 'level', sql<boolean>`geometry IS NOT NULL`.as('has_boundary')])
    .where('level', 'in', ['community', 'village'])
    .orderBy('code')
    .execute();
  return { streets, departments, categories, grids, users, local };
}

// ---- what an account holds, and grid people linked to accounts ---------------------------------------------------

/** Active grids whose path is one of these (a grid worker's grids; division paths name none). */
export async function gridsAtPaths(db: DbOrTx, paths: readonly string[]) {
  if (!paths.length) return [];
  return db.selectFrom('grids').select(['id', 'code', 'name', 'path']).where('path', 'in', [...paths]).where('retired_at', 'is', null).orderBy('code').execute();
}

/** Open cases under these areas: per grid (open, waiting for verification) and the first `limit` of them. */
export async function openCasesUnder(db: DbOrTx, areaPaths: readonly string[], limit = 50) {
  if (!areaPaths.length) return { perGrid: [], cases: [], total: 0 };
  const base = db.selectFrom('cases as c').where(underAny('c.area_path', areaPaths)).where('c.state', 'in', [...OPEN_CASE_STATES]);
  const [perGrid, cases, total] = await Promise.all([
    base
      .select(['c.grid_id', sql<number>`count(*)::int`.as('open'), sql<number>`(count(*) FILTER (WHERE c.state = 'handled'))::int`.as('to_verify')])
      .groupBy('c.grid_id')
      .execute(),
    base
      .leftJoin('grids as g', 'g.id', 'c.grid_id')
      .select(['c.id', 'c.number', 'c.state', 'g.name as grid_name'])
      .orderBy('c.id')
      .limit(limit)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { perGrid, cases, total: Number(total.n) };
}

/** Cases by number, with their grid's name (the tasks of a handler or an operator). */
export async function casesByNumber(db: DbOrTx, numbers: readonly string[]) {
  if (!numbers.length) return [];
  return db
    .selectFrom('cases as c')
    .leftJoin('grids as g', 'g.id', 'c.grid_id')
    .select(['c.id', 'c.number', 'c.state', 'g.name as grid_name'])
    .where('c.number', 'in', [...numbers])
    .orderBy('c.id')
    .execute();
}

/** The grid people (网格员 records) that stand for this account. */
export async function peopleLinkedTo(db: DbOrTx, userId: number) {
  return db.selectFrom('grid_people').selectAll().where('user_id', '=', userId).execute();
}

/** An unlinked 网格员 record of this name on a grid (one imported from the people sheet before the account existed). */
export async function unlinkedWorkerNamed(db: DbOrTx, gridId: number, name: string) {
  return db
    .selectFrom('grid_people')
    .selectAll()
    .where('grid_id', '=', gridId)
    .where('role', '=', 'grid_worker')
    .where('user_id', 'is', null)
    .where('name', '=', name)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export async function linkPerson(db: DbOrTx, personId: number, userId: number, name: string) {
  await db.updateTable('grid_people').set({ user_id: userId, name }).where('id', '=', personId).execute();
}

export async function insertLinkedPerson(db: DbOrTx, gridId: number, userId: number, name: string, at: Date) {
  await db.insertInto('grid_people').values({ grid_id: gridId, name, role: 'grid_worker', phone: null, note: '', user_id: userId, created_at: at }).execute();
}

export async function deletePeopleByIds(db: DbOrTx, ids: readonly number[]) {
  if (ids.length) await db.deleteFrom('grid_people').where('id', 'in', [...ids]).execute();
}

export async function renameLinkedPeople(db: DbOrTx, userId: number, name: string) {
  await db.updateTable('grid_people').set({ name }).where('user_id', '=', userId).where('name', '<>', name).execute();
}

// ---- accounts, locked for an administrator's change --------------------------------------------------------------

export async function findUserRow(db: DbOrTx, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The account, locked until the change commits: two administrators changing it queue. */
export async function lockUser(db: DbOrTx, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Locks every active administrator: two administrators removing each other at once must not both succeed. */
export async function lockActiveAdmins(db: DbOrTx) {
  await db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).forUpdate().execute();
}

/** The area of each of these cases, in case order. */
export async function caseAreasByNumber(db: DbOrTx, numbers: readonly string[]) {
  if (!numbers.length) return [];
  return db.selectFrom('cases').select(['number', 'area_path']).where('number', 'in', [...numbers]).orderBy('id').execute();
}

/** Every division, grid and department with its code: the users sheet writes and reads scopes by code. */
export async function placeCodeRows(db: DbOrTx) {
  const [divisions, grids, departments] = await Promise.all([
    db.selectFrom('divisions').select(['id', 'code', 'path']).execute(),
    db.selectFrom('grids').select(['id', 'code', 'path', 'retired_at']).execute(),
    db.selectFrom('departments').select(['id', 'code', 'name', 'retired_at']).execute(),
  ]);
  return { divisions, grids, departments };
}

export async function allUsernames(db: DbOrTx) {
  return (await db.selectFrom('users').select('username').execute()).map((u) => u.username);
}
