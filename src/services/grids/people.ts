// The people responsible for grids (网格长, 网格员, 包片干部): one at a time, or the whole sheet at once. A sheet
// import is all-or-nothing and replaces the people of exactly the grids it names; other grids keep theirs.
import { DomainError } from '../../domain/errors.js';
import { buildPeopleExport, buildPeopleTemplate, normalisePhone, parsePeopleSheet, type PersonRole } from '../../domain/grids/people-sheet.js';
import { inTransaction } from '../../data/db.js';
import { findUserByUsername } from '../../data/repos/users.js';
import type { GridProblemCode } from '../../domain/grids/messages.js';
import { insertAudit } from '../../data/repos/audit.js';
import { deletePeopleOfGrids, deletePerson, findGrid, insertPeople, linkedPeopleOfGrids, listGridHeads, listPeopleForExport, updatePersonContact } from '../../data/repos/grids/grids.js';
import { requireRole } from '../access.js';
import { GridRejected, maskPhone, type GridIssue } from './problems.js';
import { seesPhones } from '../../domain/phone-mask.js';
import type { ActorContext } from '../context.js';

export { buildPeopleTemplate };

/**
 * Everyone's people sheet in the template layout. Readers with a scope get the grids of their scope; phone numbers
 * are masked for readers who do not call people (such a file is for reading, not for importing back).
 */
export async function exportPeople(ctx: ActorContext): Promise<Buffer> {
  const { actor } = ctx;
  const scoped = actor.role === 'operator' || actor.role === 'leader' || actor.role === 'grid_worker';
  const rows = await listPeopleForExport(ctx.db, scoped ? actor.scopePaths : null);
  const show = seesPhones(actor);
  return buildPeopleExport(
    rows.map((r) => ({ gridCode: r.grid_code, gridName: r.grid_name, name: r.name, role: r.role, phone: (show ? r.phone : maskPhone(r.phone)) ?? '', note: r.note, account: r.username })),
  );
}

export async function importPeople(ctx: ActorContext, bytes: Buffer): Promise<{ rows: number; grids: number; removed: number }> {
  requireRole(ctx.actor, ['admin']);
  const grids = (await listGridHeads(ctx.db)).filter((g) => g.retired_at == null);
  const idByCode = new Map(grids.map((g) => [g.code, g.id]));
  const parsed = await parsePeopleSheet(bytes, { knownGridCodes: [...idByCode.keys()] });
  if (!parsed.ok) {
    throw new GridRejected(
      'grid_people_invalid',
      parsed.errors.map((e) => ({ index: null, row: e.row, ...(e.column !== undefined ? { column: e.column } : {}), problem: e.problem, params: e.params })),
    );
  }
  const gridIds = [...new Set(parsed.rows.map((r) => idByCode.get(r.gridCode)!))];
  const removed = await inTransaction(ctx.db, async (trx) => {
    // Records that stand for user accounts stay (用户管理 keeps them); a sheet row naming one — by its account, or
    // by grid, role and name — updates its phone and note.
    const linkedPeople = await linkedPeopleOfGrids(trx, gridIds);
    const byAccount = new Map(linkedPeople.map((p) => [`${p.grid_id}|${p.username}`, p]));
    const byName = new Map(linkedPeople.map((p) => [`${p.grid_id}|${p.role}|${p.name}`, p]));
    const problems: GridIssue[] = [];
    const refuse = (row: number, column: string, problem: GridProblemCode, params: Record<string, string>) => problems.push({ index: null, row, column, problem, params: { column, ...params } });
    const updates: { id: number; phone: string | null; note: string }[] = [];
    const fresh = [];
    for (const r of parsed.rows) {
      const gridId = idByCode.get(r.gridCode)!;
      if (r.account !== undefined) {
        const same = byAccount.get(`${gridId}|${r.account}`);
        if (!same) {
          const user = await findUserByUsername(trx, r.account);
          if (!user || user.disabled_at) refuse(r.row, '账号', 'unknown_account', { value: r.account });
          else refuse(r.row, '账号', 'account_not_on_grid', { value: r.account, grid: r.gridCode });
        } else if (same.name !== r.name) refuse(r.row, '姓名', 'account_name_mismatch', { value: r.account, name: r.name, accountName: same.name });
        else updates.push({ id: same.id, phone: r.phone, note: r.note ?? '' });
        continue;
      }
      const same = byName.get(`${gridId}|${r.role}|${r.name}`);
      if (same) updates.push({ id: same.id, phone: r.phone, note: r.note ?? '' });
      else fresh.push({ grid_id: gridId, name: r.name, role: r.role, phone: r.phone, note: r.note ?? '', created_at: ctx.now });
    }
    if (problems.length > 0) throw new GridRejected('grid_people_invalid', problems);
    const removed = await deletePeopleOfGrids(trx, gridIds);
    for (const u of updates) await updatePersonContact(trx, u.id, u.phone, u.note);
    await insertPeople(trx, fresh);
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'grid.people_import',
      targetType: 'grid',
      targetId: null,
      summary: `导入网格人员：${gridIds.length} 个网格，共 ${parsed.rows.length} 人（替换原有 ${removed} 人）`,
      data: { rows: parsed.rows.length, grids: gridIds.length, removed },
      ip: ctx.ip,
      at: ctx.now,
    });
    return removed;
  });
  return { rows: parsed.rows.length, grids: gridIds.length, removed };
}

export async function addPerson(ctx: ActorContext, gridId: number, input: { name: string; role: PersonRole; phone: string; note: string }) {
  requireRole(ctx.actor, ['admin']);
  const grid = await findGrid(ctx.db, gridId);
  if (!grid) throw new DomainError('not_found');
  if (grid.retired_at) throw new DomainError('grid_retired', { code: grid.code });
  const phone = normalisePhone(input.phone);
  if (!phone) throw new DomainError('grid_person_phone_invalid', { value: input.phone });
  return inTransaction(ctx.db, async (trx) => {
    const [row] = await insertPeople(trx, [{ grid_id: grid.id, name: input.name, role: input.role, phone, note: input.note, created_at: ctx.now }]);
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'grid.person_add',
      targetType: 'grid',
      targetId: grid.id,
      summary: `网格 ${grid.code} 新增人员 ${input.name}`,
      data: { personId: row!.id, name: input.name, role: input.role },
      ip: ctx.ip,
      at: ctx.now,
    });
    return { id: row!.id, name: input.name, role: input.role, phone, note: input.note, userId: null, username: null };
  });
}

export async function removePerson(ctx: ActorContext, gridId: number, personId: number): Promise<void> {
  requireRole(ctx.actor, ['admin']);
  await inTransaction(ctx.db, async (trx) => {
    const removed = await deletePerson(trx, gridId, personId);
    if (!removed) {
      // a record that stands for a user account goes when the account no longer holds the grid (用户管理)
      const linked = (await linkedPeopleOfGrids(trx, [gridId])).find((p) => p.id === personId);
      if (linked) throw new DomainError('grid_person_linked', { name: linked.name });
      throw new DomainError('not_found');
    }
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'grid.person_remove',
      targetType: 'grid',
      targetId: gridId,
      summary: `网格人员 ${removed.name} 已移除`,
      data: { personId, name: removed.name, role: removed.role },
      ip: ctx.ip,
      at: ctx.now,
    });
  });
}
