// Users to and from Excel: the export (every account, with the same columns as the list), the template, and the
// import — all or nothing, every bad row named, each new user with a temporary password to change at first login.
import { DomainError } from '../domain/errors.js';
import { mayHoldSeveralAreas } from '../domain/access.js';
import { buildUsersExport, buildUsersTemplate, parseUsersSheet, type UserSheetProblem } from '../domain/users-sheet.js';
import { inTransaction } from '../data/db.js';
import { allUsernames, listUsersAdmin, placeCodeRows } from '../data/repos/admin.js';
import { insertAudit } from '../data/repos/audit.js';
import type { Role } from '../shared/vocabulary.js';
import { createUser, hashPassword } from './auth.js';
import { requireRole } from './access.js';
import { syncGridPeople, temporaryPassword } from './admin-users.js';
import { GridRejected } from './grids/problems.js';
import type { ActorContext } from './context.js';

export { buildUsersTemplate };

const SCOPED: readonly Role[] = ['operator', 'leader', 'grid_worker'];

/** Path → code of every division and grid, to write a scope as the code people know. */
async function placeCodes(ctx: ActorContext) {
  return placeCodeRows(ctx.db);
}

export async function exportUsers(ctx: ActorContext): Promise<Buffer> {
  requireRole(ctx.actor, ['admin']);
  const { items } = await listUsersAdmin(ctx.db, { status: 'all', limit: 100_000, offset: 0 }, ctx.now);
  const places = await placeCodes(ctx);
  const codeOf = new Map<string, string>([...places.divisions.map((d) => [d.path, d.code] as const), ...places.grids.map((g) => [g.path, g.code] as const)]);
  const deptCode = new Map(places.departments.map((d) => [d.id, d.code]));
  return buildUsersExport(
    items.map((u) => ({
      username: u.username,
      displayName: u.display_name,
      role: u.role,
      // several grids of a grid worker: their codes and names, comma-separated (the import reads them back)
      scopeCode: u.scope_paths.length ? u.scope_paths.map((p) => codeOf.get(p) ?? '').filter(Boolean).join(',') || null : null,
      scopeName: u.scope_places.length ? u.scope_places.map((p) => p.name ?? '').filter(Boolean).join('、') || null : null,
      departmentCode: u.department_id != null ? (deptCode.get(u.department_id) ?? null) : null,
      departmentName: u.department_name,
      lastLoginAt: u.last_login_at ? u.last_login_at.toISOString() : null,
      status: u.disabled_at ? '已停用' : u.locked_at ? '已锁定' : '在用',
    })),
  );
}

function refuse(problems: UserSheetProblem[]): never {
  throw new GridRejected('user_import_invalid', problems.map((p) => ({ index: null, row: p.row, problem: p.problem as never, params: p.params })));
}

export async function importUsers(ctx: ActorContext, bytes: Buffer) {
  requireRole(ctx.actor, ['admin']);
  const parsed = await parseUsersSheet(bytes);
  const places = await placeCodes(ctx);
  const pathByCode = new Map<string, string>([
    ...places.divisions.map((d) => [d.code, d.path] as const),
    ...places.grids.filter((g) => !g.retired_at).map((g) => [g.code, g.path] as const),
  ]);
  const gridCodes = new Set(places.grids.filter((g) => !g.retired_at).map((g) => g.code));
  const deptByCode = new Map(places.departments.filter((d) => !d.retired_at).map((d) => [d.code.toUpperCase(), d.id]));
  const taken = new Set((await allUsernames(ctx.db)).map((u) => u.toLowerCase()));
  const problems: UserSheetProblem[] = [...parsed.errors];
  const planned = parsed.rows.map((r) => {
    const at = { row: r.row };
    if (taken.has(r.username.toLowerCase())) problems.push({ row: r.row, problem: 'user_sheet_taken', params: { ...at, value: r.username } });
    const scopePaths: string[] = [];
    if (SCOPED.includes(r.role)) {
      // a grid worker may name several grids: codes separated by commas, 、 or spaces
      const codes = (r.scopeCode ?? '').split(/[\s,，;；、]+/).filter(Boolean);
      if (!codes.length) problems.push({ row: r.row, problem: 'user_sheet_scope_required', params: { ...at, role: r.role } });
      else if (codes.length > 1 && !(mayHoldSeveralAreas(r.role) && codes.every((c) => gridCodes.has(c)))) {
        problems.push({ row: r.row, problem: 'user_sheet_several_scopes', params: { ...at, value: r.scopeCode ?? '' } });
      } else {
        for (const c of codes) {
          if (!pathByCode.has(c)) problems.push({ row: r.row, problem: 'user_sheet_unknown_scope', params: { ...at, value: c } });
          else scopePaths.push(pathByCode.get(c)!);
        }
      }
    } else if (r.scopeCode) problems.push({ row: r.row, problem: 'user_sheet_scope_not_allowed', params: { ...at, role: r.role } });
    let departmentId: number | null = null;
    if (r.role === 'department') {
      if (!r.departmentCode) problems.push({ row: r.row, problem: 'user_sheet_department_required', params: at });
      else if (!deptByCode.has(r.departmentCode.toUpperCase())) problems.push({ row: r.row, problem: 'user_sheet_unknown_department', params: { ...at, value: r.departmentCode } });
      else departmentId = deptByCode.get(r.departmentCode.toUpperCase())!;
    } else if (r.departmentCode) problems.push({ row: r.row, problem: 'user_sheet_department_not_allowed', params: { ...at, role: r.role } });
    return { ...r, scopePaths, departmentId, password: temporaryPassword() };
  });
  if (problems.length) refuse(problems.sort((a, b) => a.row - b.row));
  const hashes = await Promise.all(planned.map((p) => hashPassword(p.password)));
  await inTransaction(ctx.db, async (trx) => {
    for (let i = 0; i < planned.length; i++) {
      const p = planned[i]!;
      const row = await createUser(
        trx,
        { username: p.username, displayName: p.displayName, password: p.password, role: p.role, scopePaths: p.scopePaths, departmentId: p.departmentId, mustChangePassword: true },
        ctx.actor.id,
        ctx.ip,
        hashes[i],
      ).catch((e) => {
        // a username taken between the check and the insert: the whole import stops, nothing is kept
        if (e instanceof DomainError && e.code === 'username_taken') refuse([{ row: p.row, problem: 'user_sheet_taken', params: { row: p.row, value: p.username } }]);
        throw e;
      });
      await syncGridPeople(trx, row.id, ctx.now);
    }
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'user.import', targetType: 'user', targetId: null,
      summary: `从表格导入 ${planned.length} 个用户`, data: { usernames: planned.map((p) => p.username) }, ip: ctx.ip, at: ctx.now,
    });
  });
  return { created: planned.length, users: planned.map((p) => ({ username: p.username, displayName: p.displayName, temporaryPassword: p.password })) };
}
