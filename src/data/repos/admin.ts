// Administration queries: divisions with their boundaries, departments and their open work, users for the
// administrators' list, and what a fresh install still lacks.
import { sql } from 'kysely';
import type { DbOrTx } from '../db.js';
import type { Role } from '../../shared/vocabulary.js';

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
 * The open work orders of a department: cases it holds as main department, or as a co-handler whose part is not
 * yet reported. Numbers of the first `limit`, and how many there are.
 */
export async function openWorkOrdersOf(db: DbOrTx, departmentId: number, limit = 20) {
  const base = db
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
  const [rows, total] = await Promise.all([
    base.select(['c.id', 'c.number']).orderBy('c.id').limit(limit).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { numbers: rows.map((r) => r.number), total: Number(total.n) };
}

/** Open cases inside an area that are waiting for someone of the area (to accept, close, or verify). */
export async function openCasesIn(db: DbOrTx, areaPath: string, states: readonly string[], limit = 20) {
  const base = db
    .selectFrom('cases as c')
    .where('c.area_path', 'like', `${escapeLike(areaPath)}%`)
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
    .where(sql<boolean>`${areaPath} LIKE scope_path || '%'`)
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
        'u.scope_path',
        'u.department_id',
        'd.name as department_name',
        'u.must_change_password',
        'u.locked_at',
        // the login throttle: the latest lock of any source (src/data/repos/login-failures.ts)
        (eb) => eb.selectFrom('login_failures as lf').select((e) => e.fn.max('lf.locked_until').as('m')).whereRef('lf.user_id', '=', 'u.id').where('lf.locked_until', '>', now).as('locked_until'),
        'u.last_login_at',
        'u.created_at',
        'u.disabled_at',
        // the name of the scope: a grid's or a division's, whichever the path names
        (eb) => eb.selectFrom('grids as g').select('g.name').whereRef('g.path', '=', 'u.scope_path').limit(1).as('scope_grid_name'),
        (eb) => eb.selectFrom('divisions as v').select('v.name').whereRef('v.path', '=', 'u.scope_path').limit(1).as('scope_division_name'),
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
    scope_path: string | null;
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
