// User accounts, administered: list and search, create (with a temporary password to change at first login), edit
// role/scope/department, reset the password, lock and unlock, deactivate. Every change is one transaction with
// its audit row; the last administrator and accounts still needed for open cases are protected.
import { clearAllLoginFailures } from '../data/repos/login-failures.js';
import { randomBytes } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import { inTransaction, type DbOrTx, type Tx } from '../data/db.js';
import { findDepartment } from '../data/repos/reference.js';
import { setPassword, type UserRow } from '../data/repos/users.js';
import {
  countOtherAdmins,
  countOtherCovering,
  countOtherDepartmentUsers,
  deleteSessionsOf,
  findDivision,
  findGridById,
  listUsersAdmin,
  openCasesIn,
  openWorkOrdersOf,
  updateUserRow,
} from '../data/repos/admin.js';
import { insertAudit } from '../data/repos/audit.js';
import type { UserAdmin, UserCreate, UserScope, UserUpdate } from '../shared/admin-api.js';
import type { Role } from '../shared/vocabulary.js';
import { createUser, hashPassword } from './auth.js';
import { requireRole } from './access.js';
import type { ActorContext } from './context.js';

const SCOPED: readonly Role[] = ['operator', 'leader', 'grid_worker'];

/** A temporary password: 12 characters of base64url, with a digit and a letter so any policy accepts it. */
export function temporaryPassword(): string {
  return `Gw${randomBytes(9).toString('base64url')}7`;
}

/** The scope path and department a role may have, or a refusal the administrator can act on. */
async function placeOf(db: DbOrTx, role: Role, scope: UserScope | null | undefined, departmentId: number | null | undefined) {
  let scopePath: string | null = null;
  if (SCOPED.includes(role)) {
    if (!scope) throw new DomainError('scope_required', { role });
    if (scope.type === 'grid') {
      const g = await findGridById(db, scope.id);
      if (!g || g.retired_at) throw new DomainError('unknown_grid');
      scopePath = g.path;
    } else {
      const d = await findDivision(db, scope.id);
      if (!d) throw new DomainError('unknown_division');
      scopePath = d.path;
    }
  } else if (scope) {
    throw new DomainError('scope_not_allowed', { role });
  }
  if (role === 'department') {
    if (departmentId == null) throw new DomainError('department_required');
    const d = await findDepartment(db, departmentId);
    if (!d) throw new DomainError('unknown_department');
    if (d.retired_at) throw new DomainError('department_retired', { name: d.name });
  } else if (departmentId != null) {
    throw new DomainError('department_not_allowed', { role });
  }
  return { scopePath, departmentId: role === 'department' ? departmentId! : null };
}

type ListRow = Awaited<ReturnType<typeof listUsersAdmin>>['items'][number];

function present(u: ListRow, now: Date): UserAdmin {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    scopePath: u.scope_path,
    scopeName: u.scope_grid_name ?? u.scope_division_name ?? null,
    departmentId: u.department_id,
    departmentName: u.department_name,
    mustChangePassword: u.must_change_password,
    locked: u.locked_at != null,
    throttledUntil: u.locked_until && u.locked_until > now ? u.locked_until.toISOString() : null,
    lastLoginAt: u.last_login_at ? u.last_login_at.toISOString() : null,
    createdAt: u.created_at.toISOString(),
    deactivatedAt: u.disabled_at ? u.disabled_at.toISOString() : null,
  };
}

export async function listUsers(ctx: ActorContext, q: { q?: string | undefined; role?: Role | undefined; departmentId?: number | undefined; status: 'active' | 'locked' | 'deactivated' | 'all'; page: number; pageSize: number }) {
  requireRole(ctx.actor, ['admin']);
  const { items, total } = await listUsersAdmin(ctx.db, { ...q, limit: q.pageSize, offset: (q.page - 1) * q.pageSize }, ctx.now);
  return { items: items.map((u) => present(u, ctx.now)), total };
}

export async function userForAdmin(db: DbOrTx, id: number, now: Date): Promise<UserAdmin> {
  const { items } = await listUsersAdmin(db, { id, status: 'all', limit: 1, offset: 0 }, now);
  if (!items[0]) throw new DomainError('not_found');
  return present(items[0], now);
}

export async function createUserByAdmin(ctx: ActorContext, input: UserCreate): Promise<{ user: UserAdmin; temporaryPassword: string }> {
  requireRole(ctx.actor, ['admin']);
  const password = input.password ?? temporaryPassword();
  const hashed = await hashPassword(password);
  const id = await inTransaction(ctx.db, async (trx) => {
    const place = await placeOf(trx, input.role, input.scope, input.departmentId);
    const row = await createUser(
      trx,
      { username: input.username, displayName: input.displayName, password, role: input.role, scopePath: place.scopePath, departmentId: place.departmentId, mustChangePassword: true },
      ctx.actor.id,
      ctx.ip,
      hashed,
    );
    return row.id;
  });
  return { user: await userForAdmin(ctx.db, id, ctx.now), temporaryPassword: password };
}

async function lockedTarget(trx: Tx, id: number): Promise<UserRow> {
  const row = await trx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw new DomainError('not_found');
  if (row.disabled_at) throw new DomainError('user_deactivated', { username: row.username });
  return row;
}

/** Refuses when removing this admin (deactivate, lock, another role) would leave no usable administrator. */
async function keepAnAdmin(trx: Tx, user: UserRow) {
  if (user.role !== 'admin') return;
  // Serialise: two administrators removing each other at once must not both succeed.
  await trx.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).forUpdate().execute();
  if ((await countOtherAdmins(trx, user.id)) === 0) throw new DomainError('last_admin');
}

/**
 * Refuses when this account is the only one able to act on open cases: the last active handler of a department
 * with open work orders, the only grid worker who can verify handled cases in an area, the only operator of an
 * area with cases to accept or close. The refusal lists the case numbers.
 */
async function refuseIfHoldsWork(trx: Tx, user: UserRow) {
  let open: { numbers: string[]; total: number } | null = null;
  if (user.role === 'department' && user.department_id != null) {
    if ((await countOtherDepartmentUsers(trx, user.id, user.department_id)) === 0) open = await openWorkOrdersOf(trx, user.department_id);
  } else if ((user.role === 'grid_worker' || user.role === 'operator') && user.scope_path) {
    const states = user.role === 'grid_worker' ? ['handled'] : ['reported', 'accepted', 'verified'];
    const candidates = await openCasesIn(trx, user.scope_path, states, 1000);
    if (candidates.total > 0) {
      // A case is held only if no other account of the role covers its area; check per distinct area.
      const rows = await trx
        .selectFrom('cases')
        .select(['number', 'area_path'])
        .where('number', 'in', candidates.numbers)
        .orderBy('id')
        .execute();
      const held: string[] = [];
      const cache = new Map<string, boolean>();
      for (const r of rows) {
        if (!cache.has(r.area_path)) cache.set(r.area_path, (await countOtherCovering(trx, user.id, user.role, r.area_path)) === 0);
        if (cache.get(r.area_path)) held.push(r.number);
      }
      open = { numbers: held.slice(0, 20), total: held.length };
    }
  }
  if (open && open.total > 0) {
    const more = open.total > open.numbers.length ? ' …' : '';
    throw new DomainError('user_holds_open_work', { name: user.display_name, count: open.total, cases: open.numbers.join('、') + more });
  }
}

export async function updateUserByAdmin(ctx: ActorContext, id: number, patch: UserUpdate): Promise<UserAdmin> {
  requireRole(ctx.actor, ['admin']);
  await inTransaction(ctx.db, async (trx) => {
    const before = await lockedTarget(trx, id);
    const role = patch.role ?? before.role;
    const placeChanges = patch.role !== undefined || patch.scope !== undefined || patch.departmentId !== undefined;
    if (placeChanges && id === ctx.actor.id && role !== before.role) throw new DomainError('not_on_yourself');
    if (role !== before.role) await keepAnAdmin(trx, before);
    let set: Parameters<typeof updateUserRow>[2] = {};
    if (placeChanges) {
      // Unchanged parts stay as they were unless the new role cannot have them.
      const keepScope = patch.scope === undefined && SCOPED.includes(role) ? await scopeOfPath(trx, before.scope_path) : undefined;
      const place = await placeOf(
        trx,
        role,
        patch.scope !== undefined ? patch.scope : SCOPED.includes(role) ? keepScope : null,
        patch.departmentId !== undefined ? patch.departmentId : role === 'department' ? before.department_id : null,
      );
      const narrows =
        role !== before.role ||
        place.departmentId !== before.department_id ||
        (before.scope_path != null && (place.scopePath == null || !before.scope_path.startsWith(place.scopePath)));
      if (narrows) await refuseIfHoldsWork(trx, before);
      set = { role, scope_path: place.scopePath, department_id: place.departmentId };
    }
    if (patch.displayName) set.display_name = patch.displayName;
    await updateUserRow(trx, id, set);
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'user.update', targetType: 'user', targetId: id,
      summary: `修改用户 ${before.username}`,
      data: {
        before: { displayName: before.display_name, role: before.role, scopePath: before.scope_path, departmentId: before.department_id },
        after: { displayName: set.display_name ?? before.display_name, role: set.role ?? before.role, scopePath: set.scope_path !== undefined ? set.scope_path : before.scope_path, departmentId: set.department_id !== undefined ? set.department_id : before.department_id },
      },
      ip: ctx.ip, at: ctx.now,
    });
  });
  return userForAdmin(ctx.db, id, ctx.now);
}

/** The scope a stored path stands for (a grid's path ends in g<id>/). */
async function scopeOfPath(db: DbOrTx, path: string | null): Promise<UserScope | null> {
  if (!path) return null;
  const grid = await db.selectFrom('grids').select('id').where('path', '=', path).executeTakeFirst();
  if (grid) return { type: 'grid', id: grid.id };
  const div = await db.selectFrom('divisions').select('id').where('path', '=', path).executeTakeFirst();
  return div ? { type: 'division', id: div.id } : null;
}

export async function resetPasswordByAdmin(ctx: ActorContext, id: number, password?: string): Promise<{ user: UserAdmin; temporaryPassword: string }> {
  requireRole(ctx.actor, ['admin']);
  if (id === ctx.actor.id) throw new DomainError('not_on_yourself');
  const temp = password ?? temporaryPassword();
  const hashed = await hashPassword(temp);
  await inTransaction(ctx.db, async (trx) => {
    const user = await lockedTarget(trx, id);
    await setPassword(trx, id, hashed, true);
    // Whoever holds a session of this account now is thrown out: a reset is how an administrator stops misuse.
    await deleteSessionsOf(trx, id);
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'user.reset_password', targetType: 'user', targetId: id,
      summary: `重置用户 ${user.username} 的密码（下次登录须修改）`, ip: ctx.ip, at: ctx.now,
    });
  });
  return { user: await userForAdmin(ctx.db, id, ctx.now), temporaryPassword: temp };
}

export async function setUserLocked(ctx: ActorContext, id: number, locked: boolean): Promise<UserAdmin> {
  requireRole(ctx.actor, ['admin']);
  if (id === ctx.actor.id) throw new DomainError('not_on_yourself');
  await inTransaction(ctx.db, async (trx) => {
    const user = await lockedTarget(trx, id);
    if (locked) {
      await keepAnAdmin(trx, user);
      await updateUserRow(trx, id, { locked_at: ctx.now });
      await deleteSessionsOf(trx, id);
    } else {
      // Unlocking also clears the login throttle: the administrator has spoken to the person.
      await updateUserRow(trx, id, { locked_at: null, failed_logins: 0, locked_until: null });
      await clearAllLoginFailures(trx, id);
    }
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: locked ? 'user.lock' : 'user.unlock', targetType: 'user', targetId: id,
      summary: `${locked ? '锁定' : '解锁'}用户 ${user.username}`, ip: ctx.ip, at: ctx.now,
    });
  });
  return userForAdmin(ctx.db, id, ctx.now);
}

/** Deactivates an account: no login, no session, no part in routing or notifications; history keeps the name. */
export async function deactivateUser(ctx: ActorContext, id: number): Promise<UserAdmin> {
  requireRole(ctx.actor, ['admin']);
  if (id === ctx.actor.id) throw new DomainError('not_on_yourself');
  await inTransaction(ctx.db, async (trx) => {
    const user = await lockedTarget(trx, id);
    await keepAnAdmin(trx, user);
    await refuseIfHoldsWork(trx, user);
    await updateUserRow(trx, id, { disabled_at: ctx.now });
    await deleteSessionsOf(trx, id);
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'user.deactivate', targetType: 'user', targetId: id,
      summary: `停用用户 ${user.username}（${user.display_name}）`,
      data: { role: user.role, scopePath: user.scope_path, departmentId: user.department_id }, ip: ctx.ip, at: ctx.now,
    });
  });
  return userForAdmin(ctx.db, id, ctx.now);
}
