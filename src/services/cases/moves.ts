// Moving a case: one function for every move of the workflow table, through the lifecycle runner
// (src/services/lifecycle.ts): state guard → one transaction with the case update (optimistic version), its timeline
// event, its audit record and its notices → live delivery after commit.
import { CASE_LIFECYCLE, WORKFLOW, type CaseFacts } from '../../domain/cases/workflow.js';
import { caseMoveEffect, effectNeeds, type CaseEffect, type CaseMoveInput, type FollowUp, type MoveContext } from '../../domain/cases/effects.js';
import type { CaseChange } from '../../domain/cases/case.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/access.js';
import type { CaseState, MoveName, Rating } from '../../shared/vocabulary.js';
import { inTransaction, type DbOrTx, type Tx } from '../../data/db.js';
import {
  findRoutableGrid,
  findCaseInScope,
  insertCaseEvent,
  listMergedInto,
  recordCoReport,
  replaceAssignments,
  endAssignments,
  updateCaseIfVersion,
  type CaseRow,
  type CaseUpdate,
} from '../../data/repos/cases/cases.js';
import { findCategory, findDepartment } from '../../data/repos/reference.js';
import { findPhotos } from '../../data/repos/photos.js';
import { actionableCase, caseScope } from '../access.js';
import { announce, notify } from '../notify.js';
import { loadLimitContext } from '../calendar/working-time.js';
import type { ActorContext } from '../context.js';
import { runLifecycleMove, type LifecycleStore } from '../lifecycle.js';

/** A move as a client sends it: the version it saw, its photos and the move's input. */
export interface MoveRequest extends CaseMoveInput {
  version: number;
  photos: string[];
}

export async function requirePhotos(db: DbOrTx, hashes: readonly string[]): Promise<void> {
  if (hashes.length > 9) throw new DomainError('too_many_photos');
  const found = new Set((await findPhotos(db, hashes)).map((p) => p.hash));
  const missing = hashes.find((h) => !found.has(h));
  if (missing) throw new DomainError('unknown_photo', { hash: missing.slice(0, 12) });
}

export function factsOf(row: CaseRow, actor: Actor, coDepartmentIds: readonly number[]): CaseFacts {
  return {
    state: row.state,
    isMainDepartment: actor.departmentId != null && actor.departmentId === row.department_id,
    isCoDepartment: actor.departmentId != null && coDepartmentIds.includes(actor.departmentId),
    isReporter: actor.id === row.reporter_id,
    hasDepartment: row.department_id != null,
    pendingExtension: row.pending_extension != null,
    pendingSuspend: row.pending_suspend != null,
    rating: (row.rating as Rating | null) ?? null,
    returnOpenUntil: row.return_open_until,
    routed: row.grid_id != null,
  };
}

/** The change in the row's column types: the JSON columns are written as JSON. */
function columnsOf(change: CaseChange): Partial<CaseUpdate> {
  const { limits, routing, pending_extension, pending_suspend, ...rest } = change;
  return {
    ...rest,
    ...(limits !== undefined ? { limits: JSON.stringify(limits) } : {}),
    ...(routing !== undefined ? { routing: JSON.stringify(routing) } : {}),
    ...(pending_extension !== undefined ? { pending_extension: pending_extension && JSON.stringify(pending_extension) } : {}),
    ...(pending_suspend !== undefined ? { pending_suspend: pending_suspend && JSON.stringify(pending_suspend) } : {}),
  };
}

/** Loads what the move's effect reads (src/domain/cases/effects.ts: effectNeeds), inside the move's transaction. */
async function loadMoveContext(trx: Tx, ctx: ActorContext, move: MoveName, row: CaseRow, input: MoveRequest): Promise<MoveContext> {
  const { actor, now } = ctx;
  const { cal, thresholds } = await loadLimitContext(trx, now);
  const needs = effectNeeds(move, row, input);
  return {
    actor: { id: actor.id, departmentId: actor.departmentId },
    now,
    cal,
    thresholds,
    ...(needs.categoryId != null ? { category: await findCategory(trx, needs.categoryId) } : {}),
    ...(needs.gridId != null ? { grid: await findRoutableGrid(trx, needs.gridId) } : {}),
    ...(needs.masterId != null ? { master: await findCaseInScope(trx, needs.masterId, caseScope(actor)) } : {}),
  };
}

/** Carries out the work that follows a move, in its transaction; returns who was told (duplicates closed). */
async function runFollowUps(trx: Tx, ctx: ActorContext, row: CaseRow, followUps: readonly FollowUp[]): Promise<number[]> {
  const told: number[] = [];
  for (const f of followUps) {
    switch (f.kind) {
      case 'replace_assignments':
        await replaceAssignments(trx, row.id, row.life, f.departmentId, f.coDepartmentIds, ctx.now);
        break;
      case 'end_assignments':
        await endAssignments(trx, row.id, row.life, ctx.now);
        break;
      case 'record_co_report':
        await recordCoReport(trx, row.id, row.life, f.departmentId, f.note, ctx.now);
        break;
      case 'close_merged':
        // 并单: the duplicates follow their master
        for (const dup of await listMergedInto(trx, row.id)) {
          told.push(...(await applyMove(trx, ctx, dup, [], 'follow_master', { version: dup.version, photos: [], note: f.note })));
        }
        break;
    }
  }
  return told;
}

/** How cases are stored, for the lifecycle runner: the versioned update, the timeline event, the audit line. */
const CASE_STORE: LifecycleStore<CaseState, MoveName, CaseRow, Partial<CaseUpdate>> = {
  update: (trx, row, change, state, at) => updateCaseIfVersion(trx, row.id, row.version, { ...change, state, updated_at: at }),
  recordEvent: (trx, ctx, r) =>
    insertCaseEvent(trx, {
      caseId: r.before.id,
      move: r.move,
      fromState: r.decision.from,
      toState: r.decision.to,
      actorId: ctx.actor.id,
      actorRole: ctx.actor.role,
      note: r.note,
      departmentId: r.after.department_id !== r.before.department_id ? r.after.department_id : r.move === 'co_report' ? ctx.actor.departmentId : null,
      deadline: r.after.deadline && r.after.deadline.getTime() !== r.before.deadline?.getTime() ? r.after.deadline : null,
      photos: [...r.photos],
      at: ctx.now,
      life: r.before.life,
      data: r.data,
    }),
  auditTarget: 'case',
  auditSummary: (row, d) => `案件 ${row.number}: ${d.from} → ${d.to}`,
};

async function applyMove(trx: Tx, ctx: ActorContext, row: CaseRow, coDepartmentIds: readonly number[], move: MoveName, input: MoveRequest): Promise<number[]> {
  const { actor, now } = ctx;
  let effect: CaseEffect | undefined;
  await runLifecycleMove(trx, ctx, {
    def: CASE_LIFECYCLE,
    store: CASE_STORE,
    row,
    facts: factsOf(row, actor, coDepartmentIds),
    move,
    input: { note: input.note, departmentId: input.departmentId, deadline: input.deadline ? new Date(input.deadline) : undefined, masterId: input.masterId, rating: input.rating, gridId: input.gridId },
    version: input.version,
    note: input.note,
    photos: input.photos,
    effect: async () => {
      effect = caseMoveEffect(move, row, input, await loadMoveContext(trx, ctx, move, row, input));
      return { set: columnsOf(effect.set), data: effect.data };
    },
  });
  const told = await notify(trx, effect!.notices.map((n) => ({ ...n, exceptUserId: actor.id })), now);
  told.push(...(await runFollowUps(trx, ctx, row, effect!.followUps)));
  return told;
}

export async function moveCase(ctx: ActorContext, caseId: number, move: MoveName, input: MoveRequest): Promise<void> {
  const { db } = ctx;
  // System moves (follow_master) are made by the platform as a consequence of another move, never by a person.
  if (WORKFLOW[move].system) throw new DomainError('move_forbidden_for_role', { move, role: ctx.actor.role });
  await requirePhotos(db, input.photos);
  for (const d of [input.departmentId, ...(input.coDepartmentIds ?? [])]) {
    if (d != null && !(await findDepartment(db, d))) throw new DomainError('unknown_department');
  }
  if (input.coDepartmentIds?.includes(input.departmentId ?? -1)) throw new DomainError('co_department_invalid');
  const told = await inTransaction(db, async (trx) => {
    const { row, coDepartmentIds } = await actionableCase(trx, ctx.actor, caseId);
    return applyMove(trx, ctx, row, coDepartmentIds, move, input);
  });
  announce(told);
}
