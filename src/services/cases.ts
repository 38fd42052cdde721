// Case use cases: report, move, read, list. Each state change is one transaction holding the case update,
// its event (the timeline) and its audit record.
import { allowedMoves, decideMove, taskStates } from '../domain/workflow.js';
import { gridAt, type GridGeometry } from '../domain/geometry.js';
import { DomainError } from '../domain/errors.js';
import type { MoveName, CaseSource } from '../shared/vocabulary.js';
import type { CaseListQuery, MoveInput, ReportInput } from '../shared/api.js';
import { inTransaction, type DbOrTx } from '../data/db.js';
import {
  findCaseSummary,
  insertCase,
  insertCaseEvent,
  listCaseEvents,
  listCases,
  nextCaseId,
  updateCaseIfVersion,
  type CaseFilter,
} from '../data/repos/cases.js';
import { findCategory, findDepartment, gridCandidatesAt } from '../data/repos/reference.js';
import { findPhotos } from '../data/repos/photos.js';
import { insertAudit } from '../data/repos/audit.js';
import { findUserById } from '../data/repos/users.js';
import { actionableCase, canAct, caseScope, readableCase } from './access.js';
import type { ActorContext } from './context.js';
import { canReportIn } from '../domain/access.js';

export function caseNumber(id: number, at: Date): string {
  // Numbers read like the hotline's: date of report in Beijing time + a running number.
  const d = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
  return `${d}${String(id).padStart(6, '0')}`;
}

async function requirePhotos(db: DbOrTx, hashes: readonly string[]): Promise<void> {
  if (hashes.length > 9) throw new DomainError('too_many_photos');
  const found = new Set((await findPhotos(db, hashes)).map((p) => p.hash));
  const missing = hashes.find((h) => !found.has(h));
  if (missing) throw new DomainError('unknown_photo', { hash: missing.slice(0, 12) });
}

export async function reportCase(ctx: ActorContext, input: ReportInput): Promise<number> {
  const { db, actor, now } = ctx;
  if (!canReportIn(actor)) throw new DomainError('move_forbidden_for_role', { move: 'report', role: actor.role });
  const category = await findCategory(db, input.categoryId);
  if (!category) throw new DomainError('unknown_category');
  await requirePhotos(db, input.photos);
  const candidates = await gridCandidatesAt(db, input.lng, input.lat);
  const grid = gridAt(
    input.lng,
    input.lat,
    candidates.map((c) => ({ ...c, geometry: c.geometry as GridGeometry })),
  );
  if (!grid) throw new DomainError('position_outside_grids');
  const gridPath = candidates.find((c) => c.id === grid.id)!.path;
  const decision = decideMove({ move: 'report', role: actor.role, state: null, now });
  const source: CaseSource =
    input.source ?? (actor.role === 'citizen' ? 'citizen_app' : actor.role === 'operator' ? 'hotline_12345' : 'patrol');

  return inTransaction(db, async (trx) => {
    const id = await nextCaseId(trx);
    const row = await insertCase(trx, {
      id,
      number: caseNumber(id, now),
      state: decision.to,
      source,
      category_id: category.id,
      grid_id: grid.id,
      area_path: gridPath,
      department_id: null,
      description: input.description,
      address: input.address ?? null,
      lng: input.lng,
      lat: input.lat,
      photos: JSON.stringify(input.photos),
      reporter_id: actor.id,
      reported_at: now,
      updated_at: now,
      deadline: null,
    });
    await insertCaseEvent(trx, {
      caseId: row.id,
      move: 'report',
      fromState: null,
      toState: decision.to,
      actorId: actor.id,
      actorRole: actor.role,
      note: input.description,
      departmentId: null,
      deadline: null,
      photos: input.photos,
      at: now,
    });
    await insertAudit(trx, {
      actorId: actor.id,
      action: 'case.report',
      targetType: 'case',
      targetId: row.id,
      summary: `上报案件 ${row.number}（${category.name}）`,
      data: { state: decision.to, gridId: grid.id, categoryId: category.id, lng: input.lng, lat: input.lat },
      ip: ctx.ip,
      at: now,
    });
    return row.id;
  });
}

export async function moveCase(ctx: ActorContext, caseId: number, move: MoveName, input: MoveInput): Promise<void> {
  const { db, actor, now } = ctx;
  if (move === 'report') throw new DomainError('move_not_allowed_in_state', { move, state: 'reported' });
  await requirePhotos(db, input.photos);
  if (input.departmentId != null && !(await findDepartment(db, input.departmentId))) {
    throw new DomainError('unknown_department');
  }
  await inTransaction(db, async (trx) => {
    const row = await actionableCase(trx, actor, caseId);
    const deadline = input.deadline ? new Date(input.deadline) : undefined;
    const decision = decideMove({
      move,
      role: actor.role,
      state: row.state,
      note: input.note,
      departmentId: input.departmentId,
      deadline,
      photos: input.photos,
      now,
    });
    // The version check comes after the state check so a stale client gets the more useful message when both fail.
    if (row.version !== input.version) throw new DomainError('version_conflict');
    const set: Parameters<typeof updateCaseIfVersion>[3] = { state: decision.to, updated_at: now };
    if (move === 'dispatch') {
      set.department_id = input.departmentId!;
      set.deadline = deadline!;
    }
    const updated = await updateCaseIfVersion(trx, row.id, row.version, set);
    if (!updated) throw new DomainError('version_conflict');
    await insertCaseEvent(trx, {
      caseId: row.id,
      move,
      fromState: decision.from,
      toState: decision.to,
      actorId: actor.id,
      actorRole: actor.role,
      note: input.note ?? null,
      departmentId: move === 'dispatch' ? input.departmentId! : null,
      deadline: move === 'dispatch' ? deadline! : null,
      photos: input.photos,
      at: now,
    });
    await insertAudit(trx, {
      actorId: actor.id,
      action: `case.${move}`,
      targetType: 'case',
      targetId: row.id,
      summary: `案件 ${row.number}: ${decision.from} → ${decision.to}`,
      data: {
        from: decision.from,
        to: decision.to,
        version: updated.version,
        ...(input.note ? { note: input.note } : {}),
        ...(move === 'dispatch' ? { departmentId: input.departmentId, deadline: input.deadline } : {}),
      },
      ip: ctx.ip,
      at: now,
    });
  });
}

export async function caseDetail(ctx: ActorContext, caseId: number) {
  const { db, actor } = ctx;
  const row = await readableCase(db, actor, caseId);
  const summary = await findCaseSummary(db, caseId, caseScope(actor));
  if (!summary) throw new DomainError('not_found');
  const [events, reporter] = await Promise.all([listCaseEvents(db, caseId), findUserById(db, row.reporter_id)]);
  const photoHashes = [...new Set([...row.photos, ...events.flatMap((e) => e.photos)])];
  const photos = await findPhotos(db, photoHashes);
  return {
    summary,
    reporterName: reporter?.display_name ?? '',
    events,
    photos: new Map(photos.map((p) => [p.hash, p])),
    allowedMoves: canAct(actor, row) ? allowedMoves(actor.role, row.state) : [],
  };
}
export type CaseDetailData = Awaited<ReturnType<typeof caseDetail>>;

function filterOf(q: CaseListQuery): CaseFilter {
  return {
    states: q.state ? [q.state] : undefined,
    categoryId: q.categoryId,
    gridId: q.gridId,
    from: q.from ? new Date(`${q.from}T00:00:00+08:00`) : undefined,
    to: q.to ? new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined,
    q: q.q,
  };
}

export async function searchCases(ctx: ActorContext, q: CaseListQuery) {
  return listCases(ctx.db, caseScope(ctx.actor), filterOf(q), {
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
}

/** "My tasks": cases in my scope waiting in a state where my role has a move, most urgent first. */
export async function myTasks(ctx: ActorContext, q: CaseListQuery) {
  const states = taskStates(ctx.actor.role);
  const f = filterOf(q);
  if (states.length === 0) return { items: [], total: 0 };
  const wanted = f.states ? f.states.filter((s) => states.includes(s)) : states;
  if (wanted.length === 0) return { items: [], total: 0 };
  // A grid worker's inbox holds what it must verify in its own grids, not everything it ever reported.
  const scope = caseScope(ctx.actor);
  const inboxScope = scope.kind === 'area' ? { ...scope, reporterId: -1 } : scope;
  return listCases(ctx.db, inboxScope, { ...f, states: wanted }, {
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
    order: 'deadline_asc',
  });
}
