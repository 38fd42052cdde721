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
  casesByNumber,
  deletePeopleByIds,
  gridsAtPaths,
  insertLinkedPerson,
  linkPerson,
  openCasesUnder,
  peopleLinkedTo,
  placesOfPaths,
  renameLinkedPeople,
  unlinkedWorkerNamed,
  listUsersAdmin,
  openCasesIn,
  openWorkOrdersOf,
  updateUserRow,
  findUserRow,
  lockUser,
  lockActiveAdmins,
  caseAreasByNumber,
} from '../data/repos/admin.js';
import { insertAudit } from '../data/repos/audit.js';
import type { UserAdmin, UserCreate, UserScope, UserTasks, UserUpdate } from '../shared/admin-api.js';
import { message, type Lang } from '../shared/messages.js';
import { inAreas, mayHoldSeveralAreas, normaliseScopePaths } from '../domain/access.js';
import type { Role } from '../shared/vocabulary.js';
import { createUser, hashPassword } from './auth.js';
import { requireRole } from './access.js';
import type { ActorContext } from './context.js';

const SCOPED: readonly Role[] = ['operator', 'leader', 'grid_worker'];

/** A temporary password: 12 characters of base64url, with a digit and a letter so any policy accepts it. */
export function temporaryPassword(): string {
  return `Gw${randomBytes(9).toString('base64url')}7`;
}

/** The one place and the several places of a request, as one list (null: no scope asked for). */
function scopesOf(input: { scope?: UserScope | null | undefined; scopes?: UserScope[] | undefined }): UserScope[] | null | undefined {
  if (input.scope === undefined && input.scopes === undefined) return undefined;
  const all = [...(input.scope ? [input.scope] : []), ...(input.scopes ?? [])];
  return all.length ? all : null;
}

/**
 * The scope paths and department a role may have, or a refusal the administrator can act on. A grid worker may
 * hold several grids; every other scoped role one street, community/village or grid.
 */
async function placeOf(db: DbOrTx, role: Role, scopes: readonly UserScope[] | null | undefined, departmentId: number | null | undefined) {
  let scopePaths: string[] = [];
  if (SCOPED.includes(role)) {
    if (!scopes?.length) throw new DomainError('scope_required', { role });
    const unique = [...new Map(scopes.map((s) => [`${s.type}:${s.id}`, s])).values()];
    if (unique.length > 1 && !(mayHoldSeveralAreas(role) && unique.every((s) => s.type === 'grid'))) throw new DomainError('several_scopes_grids_only', { role });
    for (const scope of unique) {
      if (scope.type === 'grid') {
        const g = await findGridById(db, scope.id);
        if (!g || g.retired_at) throw new DomainError('unknown_grid');
        scopePaths.push(g.path);
      } else {
        const d = await findDivision(db, scope.id);
        if (!d) throw new DomainError('unknown_division');
        scopePaths.push(d.path);
      }
    }
    scopePaths = normaliseScopePaths(scopePaths);
  } else if (scopes?.length) {
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
  return { scopePaths, departmentId: role === 'department' ? departmentId! : null };
}

type ListRow = Awaited<ReturnType<typeof listUsersAdmin>>['items'][number];

function present(u: ListRow, now: Date): UserAdmin {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    scopePaths: u.scope_paths,
    scopes: u.scope_places,
    scopeName: u.scope_places.map((p) => p.name ?? '').filter(Boolean).join('、') || null,
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
    const place = await placeOf(trx, input.role, scopesOf(input), input.departmentId);
    const row = await createUser(
      trx,
      { username: input.username, displayName: input.displayName, password, role: input.role, scopePaths: place.scopePaths, departmentId: place.departmentId, mustChangePassword: true },
      ctx.actor.id,
      ctx.ip,
      hashed,
    );
    await syncGridPeople(trx, row.id, ctx.now);
    return row.id;
  });
  return { user: await userForAdmin(ctx.db, id, ctx.now), temporaryPassword: password };
}

async function lockedTarget(trx: Tx, id: number): Promise<UserRow> {
  const row = await lockUser(trx, id);
  if (!row) throw new DomainError('not_found');
  if (row.disabled_at) throw new DomainError('user_deactivated', { username: row.username });
  return row;
}

/** Refuses when removing this admin (deactivate, lock, another role) would leave no usable administrator. */
async function keepAnAdmin(trx: Tx, user: UserRow) {
  if (user.role !== 'admin') return;
  // Serialise: two administrators removing each other at once must not both succeed.
  await lockActiveAdmins(trx);
  if ((await countOtherAdmins(trx, user.id)) === 0) throw new DomainError('last_admin');
}

/**
 * Refuses when this account is the only one able to act on open cases: the last active handler of a department
 * with open work orders, the only grid worker who can verify handled cases in an area, the only operator of an
 * area with cases to accept or close. The refusal lists the case numbers.
 */
async function refuseIfHoldsWork(trx: DbOrTx, user: UserRow) {
  let open: { numbers: string[]; total: number } | null = null;
  if (user.role === 'department' && user.department_id != null) {
    if ((await countOtherDepartmentUsers(trx, user.id, user.department_id)) === 0) open = await openWorkOrdersOf(trx, user.department_id);
  } else if ((user.role === 'grid_worker' || user.role === 'operator') && user.scope_paths.length) {
    const states = user.role === 'grid_worker' ? ['handled'] : ['reported', 'accepted', 'verified'];
    const candidates = await openCasesIn(trx, user.scope_paths, states, 1000);
    if (candidates.total > 0) {
      // A case is held only if no other account of the role covers its area; check per distinct area.
      const rows = await caseAreasByNumber(trx, candidates.numbers);
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
      const asked = scopesOf(patch);
      const keepScope = asked === undefined && SCOPED.includes(role) ? await scopesOfPaths(trx, before.scope_paths) : undefined;
      const place = await placeOf(
        trx,
        role,
        asked !== undefined ? asked : SCOPED.includes(role) ? keepScope : null,
        patch.departmentId !== undefined ? patch.departmentId : role === 'department' ? before.department_id : null,
      );
      const narrows =
        role !== before.role ||
        place.departmentId !== before.department_id ||
        before.scope_paths.some((p) => !inAreas(place.scopePaths, p));
      if (narrows) await refuseIfHoldsWork(trx, before);
      set = { role, scope_paths: place.scopePaths, department_id: place.departmentId };
    }
    if (patch.displayName) set.display_name = patch.displayName;
    await updateUserRow(trx, id, set);
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'user.update', targetType: 'user', targetId: id,
      summary: `修改用户 ${before.username}`,
      data: {
        before: { displayName: before.display_name, role: before.role, scopePaths: before.scope_paths, departmentId: before.department_id },
        after: { displayName: set.display_name ?? before.display_name, role: set.role ?? before.role, scopePaths: set.scope_paths ?? before.scope_paths, departmentId: set.department_id !== undefined ? set.department_id : before.department_id },
      },
      ip: ctx.ip, at: ctx.now,
    });
    await syncGridPeople(trx, id, ctx.now);
  });
  return userForAdmin(ctx.db, id, ctx.now);
}

/** The scopes stored paths stand for (a grid's path ends in g<id>/); paths that name nothing any more are left out. */
async function scopesOfPaths(db: DbOrTx, paths: readonly string[]): Promise<UserScope[] | null> {
  const { grids, divisions } = await placesOfPaths(db, paths);
  const out: UserScope[] = [
    ...grids.filter((g) => !g.retired_at).map((g) => ({ type: 'grid' as const, id: g.id })),
    ...divisions.filter((d) => !grids.some((g) => g.path === d.path)).map((d) => ({ type: 'division' as const, id: d.id })),
  ];
  return out.length ? out : null;
}

/**
 * Grid people follow the accounts: an active grid worker is a 网格员 record on each of its grids (an unlinked record
 * of the same name, e.g. from the people sheet, is taken over rather than doubled); records of grids it no longer
 * holds, or of an account that is no grid worker or is deactivated, go.
 */
export async function syncGridPeople(trx: Tx, userId: number, now: Date): Promise<void> {
  const user = await findUserRow(trx, userId);
  if (!user) throw new DomainError('not_found');
  const wanted = user.role === 'grid_worker' && !user.disabled_at ? await gridsAtPaths(trx, user.scope_paths) : [];
  const linked = await peopleLinkedTo(trx, userId);
  const wantedIds = new Set(wanted.map((g) => g.id));
  await deletePeopleByIds(trx, linked.filter((p) => !wantedIds.has(p.grid_id)).map((p) => p.id));
  await renameLinkedPeople(trx, userId, user.display_name);
  const have = new Set(linked.map((p) => p.grid_id));
  for (const g of wanted) {
    if (have.has(g.id)) continue;
    const same = await unlinkedWorkerNamed(trx, g.id, user.display_name);
    if (same) await linkPerson(trx, same.id, userId, user.display_name);
    else await insertLinkedPerson(trx, g.id, userId, user.display_name, now);
  }
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
export async function deactivateUser(ctx: ActorContext, id: number, opts: { successorId?: number | undefined } = {}): Promise<UserAdmin> {
  requireRole(ctx.actor, ['admin']);
  if (id === ctx.actor.id) throw new DomainError('not_on_yourself');
  await inTransaction(ctx.db, async (trx) => {
    let user = await lockedTarget(trx, id);
    await keepAnAdmin(trx, user);
    if (opts.successorId != null) {
      await reassignIn(trx, ctx, user, opts.successorId);
      user = await lockedTarget(trx, id);
    }
    await refuseIfHoldsGrids(trx, user);
    await refuseIfHoldsWork(trx, user);
    await updateUserRow(trx, id, { disabled_at: ctx.now });
    await deleteSessionsOf(trx, id);
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'user.deactivate', targetType: 'user', targetId: id,
      summary: `停用用户 ${user.username}（${user.display_name}）`,
      data: { role: user.role, scopePaths: user.scope_paths, departmentId: user.department_id }, ip: ctx.ip, at: ctx.now,
    });
    await syncGridPeople(trx, id, ctx.now);
  });
  return userForAdmin(ctx.db, id, ctx.now);
}

/**
 * A grid worker still holding places with open cases is not deactivated: its grids go to another grid worker first
 * (reassignGrids, or deactivate with a successor), so no open case is left without its 网格员.
 */
async function refuseIfHoldsGrids(trx: DbOrTx, user: UserRow) {
  if (user.role !== 'grid_worker' || !user.scope_paths.length) return;
  const open = await openCasesUnder(trx, user.scope_paths, 20);
  if (open.total === 0) return;
  const places = await placesOfPaths(trx, user.scope_paths);
  const names = [...places.grids.map((g) => g.name), ...places.divisions.map((d) => d.name)].join('、');
  const more = open.total > open.cases.length ? ' …' : '';
  throw new DomainError('user_has_open_tasks', { name: user.display_name, grids: names, count: open.total, cases: open.cases.map((c) => c.number).join('、') + more });
}

/** What an account holds: a grid worker's grids and their open cases, or the cases only this account can act on. */
export async function userTasks(ctx: ActorContext, id: number, lang: Lang): Promise<UserTasks> {
  requireRole(ctx.actor, ['admin']);
  const user = await findUserRow(ctx.db, id);
  if (!user) throw new DomainError('not_found');
  if (user.role === 'grid_worker' && !user.disabled_at) {
    const [grids, open] = await Promise.all([gridsAtPaths(ctx.db, user.scope_paths), openCasesUnder(ctx.db, user.scope_paths, 50)]);
    const byGrid = new Map(open.perGrid.map((g) => [g.grid_id, g]));
    let reason: string | null = null;
    try {
      await refuseIfHoldsGrids(ctx.db, user);
    } catch (e) {
      if (e instanceof DomainError) reason = message(e.code, e.params, lang);
      else throw e;
    }
    return {
      grids: grids.map((g) => ({ id: g.id, code: g.code, name: g.name, openCases: byGrid.get(g.id)?.open ?? 0, toVerify: byGrid.get(g.id)?.to_verify ?? 0 })),
      cases: open.cases.map((c) => ({ id: c.id, number: c.number, state: c.state, gridName: c.grid_name })),
      openCases: open.total,
      mustReassign: reason != null,
      reason,
    };
  }
  let reason: string | null = null;
  let numbers: string[] = [];
  let total = 0;
  if (!user.disabled_at) {
    try {
      await refuseIfHoldsWork(ctx.db, user);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      reason = message(e.code, e.params, lang);
      numbers = String(e.params?.cases ?? '').replace(' …', '').split('、').filter(Boolean);
      total = Number(e.params?.count ?? numbers.length);
    }
  }
  const cases = await casesByNumber(ctx.db, numbers);
  return { grids: [], cases: cases.map((c) => ({ id: c.id, number: c.number, state: c.state, gridName: c.grid_name })), openCases: total, mustReassign: reason != null, reason };
}

/** Gives every place a grid worker holds to another active grid worker, who keeps its own; one audit row. */
async function reassignIn(trx: Tx, ctx: ActorContext, user: UserRow, toUserId: number) {
  if (user.role !== 'grid_worker') throw new DomainError('reassign_target_invalid', { role: user.role });
  const to = await lockUser(trx, toUserId);
  if (!to || to.id === user.id || to.role !== user.role || to.disabled_at || to.locked_at) throw new DomainError('reassign_target_invalid', { role: user.role });
  const moved = user.scope_paths;
  const merged = normaliseScopePaths([...to.scope_paths, ...moved]);
  await updateUserRow(trx, to.id, { scope_paths: merged });
  await updateUserRow(trx, user.id, { scope_paths: [] });
  const places = await placesOfPaths(trx, moved);
  await insertAudit(trx, {
    actorId: ctx.actor.id, action: 'user.reassign', targetType: 'user', targetId: user.id,
    summary: `将用户 ${user.username} 负责的 ${[...places.grids.map((g) => g.name), ...places.divisions.map((d) => d.name)].join('、')} 交给 ${to.username}`,
    data: { from: user.id, to: to.id, scopePaths: moved, before: { to: to.scope_paths }, after: { to: merged } }, ip: ctx.ip, at: ctx.now,
  });
  await syncGridPeople(trx, user.id, ctx.now);
  await syncGridPeople(trx, to.id, ctx.now);
}

/** Gives all of a grid worker's grids to another grid worker (before the first is deactivated or moved on). */
export async function reassignGrids(ctx: ActorContext, id: number, toUserId: number): Promise<UserAdmin> {
  requireRole(ctx.actor, ['admin']);
  await inTransaction(ctx.db, async (trx) => {
    const user = await lockedTarget(trx, id);
    await reassignIn(trx, ctx, user, toUserId);
  });
  return userForAdmin(ctx.db, id, ctx.now);
}
