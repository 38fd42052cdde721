// Hazards (隐患): found at an enterprise, then moved through the hazard lifecycle (src/domain/hazards/lifecycle.ts)
// by the lifecycle runner (src/services/lifecycle.ts): decide → version check → effect → update → timeline event →
// audit, in one transaction. The rectification notice gets its number per issuer and year and its deadline in
// working days on the office calendar; 移交执法 opens a case in the loop through the case services, linked both
// ways (hazards.case_id; the case lists its hazard through GET /api/hazards?caseId=). Scope is enforced in the query.
import { DomainError } from '../../domain/errors.js';
import type { MessageRef, NoticeCode } from '../../shared/messages.js';
import { addLimitDays, clockUntil, DEFAULT_THRESHOLDS } from '../../domain/cases/time-limits.js';
import {
  allowedHazardMoves,
  decideHazardMove,
  HAZARD_GRADE_LABELS,
  HAZARD_LIFECYCLE,
  HAZARD_TABLE,
  type HazardFacts,
  type HazardMove,
  type HazardState,
} from '../../domain/hazards/lifecycle.js';
import { beijingYear, issuerWord, noticeNumber, streetShortName } from '../../domain/hazards/notice.js';
import { hazardWarningAt } from '../../domain/hazards/deadlines.js';
import { photoMime, userDisplayName } from '../../data/repos/hazard-work.js';
import { inTransaction, type Tx } from '../../data/db.js';
import { insertAudit } from '../../data/repos/audit.js';
import {
  departmentNameOf,
  findEnterpriseInScope,
  findHazardInScope,
  insertHazard,
  insertHazardEvent,
  listHazardEvents,
  listHazards,
  nextHazardId,
  nextNoticeSeq,
  streetNameOf,
  updateHazardIfVersion,
  type HazardListRow,
  type HazardRow,
  type HazardUpdate,
} from '../../data/repos/hazards.js';
import { listCategories } from '../../data/repos/reference.js';
import type { HazardDetail, HazardInput, HazardMoveInput, HazardSummary } from '../../shared/hazards-api.js';
import { caseScope } from '../access.js';
import { loadCalendar } from '../calendar/calendar.js';
import { reportCase } from '../cases/cases.js';
import type { ActorContext } from '../context.js';
import { runLifecycleMove, type LifecycleStore } from '../lifecycle.js';
import { moveCase, requirePhotos } from '../cases/moves.js';
import { findCaseById } from '../../data/repos/cases/cases.js';
import { announce, notify } from '../notify.js';

const MAX_DEADLINE_DAYS = 90;

/** 'YH' + Beijing date + running number, like case numbers. */
export function hazardNumber(id: number, at: Date): string {
  const d = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
  return `YH${d}${String(id).padStart(6, '0')}`;
}

/** The deadline's colour now (src/domain/hazards/deadlines.ts): the list, the detail and the ledgers all use this. */
export function hazardWarning(row: Pick<HazardRow, 'state' | 'deadline' | 'warn_at'>, now: Date): HazardSummary['warning'] {
  return hazardWarningAt(now, row);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentHazard(r: HazardListRow, now: Date): HazardSummary {
  return {
    id: r.id,
    number: r.number,
    enterpriseId: r.enterprise_id,
    enterpriseName: r.enterprise_name,
    creditCode: r.credit_code ?? '',
    gridName: r.grid_name,
    grade: r.grade,
    type: r.type,
    description: r.description,
    state: r.state,
    foundAt: r.found_at.toISOString(),
    finderName: r.finder_name,
    noticeNumber: r.notice_number,
    noticeIssuedAt: iso(r.notice_issued_at),
    deadline: iso(r.deadline),
    receiptAt: iso(r.receipt_at),
    reinspectedAt: iso(r.reinspected_at),
    closedAt: iso(r.closed_at),
    caseId: r.case_id,
    warning: hazardWarning(r, now),
    version: r.version,
  };
}

const factsOf = (row: HazardRow): HazardFacts => ({ state: row.state, grade: row.grade, receipted: row.receipt_at != null });

/** A signed receipt uploaded as a file (photo or PDF) and already stored: src/services/hazards/receipts.ts. */
export interface StoredReceipt {
  hash: string;
  mime: string;
}

/** Records a hazard found at an enterprise of the actor's scope; a 重大 one tells the area's leaders at once. */
export async function reportHazard(ctx: ActorContext, input: HazardInput, opts: { inspectionId?: number } = {}): Promise<HazardDetail> {
  const { db, actor, now } = ctx;
  decideHazardMove('find', actor.role, { state: null, grade: input.grade }, { note: input.description }, now);
  const enterprise = await findEnterpriseInScope(db, input.enterpriseId, caseScope(actor));
  if (!enterprise) throw new DomainError('unknown_enterprise');
  // a hazard belongs to a grid: an enterprise outside every A grid (registry rows from key units) has none yet
  const gridId = enterprise.grid_id;
  if (gridId == null) throw new DomainError('enterprise_outside_grids');
  await requirePhotos(db, input.photos);
  const { id, told } = await inTransaction(db, async (trx) => {
    const id = await nextHazardId(trx);
    const row = await insertHazard(trx, {
      id,
      number: hazardNumber(id, now),
      enterprise_id: enterprise.id,
      grid_id: gridId,
      area_path: enterprise.area_path,
      grade: input.grade,
      type: input.type,
      description: input.description,
      state: 'found',
      photos: JSON.stringify(input.photos),
      found_by: actor.id,
      found_at: now,
      inspection_id: opts.inspectionId ?? null,
      updated_at: now,
    });
    await insertHazardEvent(trx, { hazardId: id, move: 'find', fromState: null, toState: 'found', actorId: actor.id, actorRole: actor.role, note: input.description, photos: input.photos, data: opts.inspectionId ? { inspectionId: opts.inspectionId } : {}, at: now });
    await insertAudit(trx, {
      actorId: actor.id,
      action: 'hazard.find',
      targetType: 'hazard',
      targetId: id,
      summary: `发现${HAZARD_GRADE_LABELS[input.grade]}隐患 ${row.number}（${enterprise.name}）`,
      data: { enterpriseId: enterprise.id, grade: input.grade, type: input.type, to: 'found', ...(opts.inspectionId ? { inspectionId: opts.inspectionId } : {}) },
      ip: ctx.ip,
      at: now,
    });
    const told =
      input.grade === 'major'
        ? await notifyAreaLeaders(trx, row, { code: 'notice_hazard_major', params: { number: row.number, enterprise: enterprise.name } }, now)
        : [];
    return { id, told };
  });
  announce(told);
  return hazardDetail(ctx, id);
}

/** Tells the leaders whose scope holds the hazard's area (a 重大 hazard); the body is the hazard as written. */
function notifyAreaLeaders(trx: Tx, h: Pick<HazardRow, 'id' | 'area_path' | 'description'>, title: MessageRef<NoticeCode>, at: Date): Promise<number[]> {
  return notify(trx, [{ to: [{ kind: 'area_role', role: 'leader', areaPath: h.area_path }], kind: 'escalated', row: null, hazardId: h.id, title, body: h.description }], at);
}

/** How hazards are stored, for the lifecycle runner. */
const HAZARD_STORE: LifecycleStore<HazardState, HazardMove, HazardRow, HazardUpdate> = {
  update: (trx, row, change, state, at) => updateHazardIfVersion(trx, row.id, row.version, { ...change, state, updated_at: at }),
  recordEvent: (trx, ctx, r) =>
    insertHazardEvent(trx, {
      hazardId: r.before.id,
      move: r.move,
      fromState: r.decision.from,
      toState: r.decision.to,
      actorId: ctx.actor.id,
      actorRole: ctx.actor.role,
      note: r.note,
      photos: r.photos,
      data: r.data,
      at: ctx.now,
    }),
  auditTarget: 'hazard',
  auditSummary: (row, d) => `隐患 ${row.number}: ${d.from} → ${d.to}`,
};

/** The deadline a notice or an extension asks for: N working days from now, or the end of a typed Beijing date. */
async function deadlineOf(ctx: ActorContext, input: HazardMoveInput): Promise<Date | undefined> {
  if (input.deadlineDate) {
    const d = new Date(`${input.deadlineDate}T17:30:00+08:00`);
    (await loadCalendar(ctx.db, ctx.now)).checkCovers(d);
    return d;
  }
  if (input.deadlineDays == null) return undefined;
  if (input.deadlineDays < 1 || input.deadlineDays > MAX_DEADLINE_DAYS) throw new DomainError('hazard_deadline_days_invalid');
  return addLimitDays(await loadCalendar(ctx.db, ctx.now), ctx.now, input.deadlineDays);
}

/** The case a hazard handed to law enforcement becomes: reported, accepted and dispatched to that department. */
async function openEnforcementCase(trx: Tx, ctx: ActorContext, row: HazardRow, input: HazardMoveInput): Promise<number> {
  const enterprise = (await findEnterpriseInScope(trx, row.enterprise_id, { kind: 'all' }))!;
  const categories = await listCategories(trx);
  const wanted = row.type === 'environmental' ? '9101' : '9201';
  const leaves = categories.filter((c) => c.parent_id != null);
  const category = leaves.find((c) => c.code === wanted) ?? leaves[0];
  if (!category) throw new DomainError('unknown_category');
  const c = { ...ctx, db: trx };
  const caseId = await reportCase(c, {
    lng: enterprise.lng,
    lat: enterprise.lat,
    categoryId: category.id,
    description: `【隐患移交执法】${enterprise.name}：${row.description}（隐患 ${row.number}${row.notice_number ? `，整改通知书 ${row.notice_number}` : ''}，复查未整改到位）${input.note ? `。${input.note}` : ''}`,
    address: enterprise.address ?? undefined,
    source: 'leader_assignment',
    urgency: row.grade === 'major' ? 'urgent' : 'normal',
    photos: [],
    fixedOnSpot: false,
  });
  const reported = (await findCaseById(trx, caseId))!;
  await moveCase(c, caseId, 'accept', { version: reported.version, photos: [] });
  const accepted = (await findCaseById(trx, caseId))!;
  await moveCase(c, caseId, 'dispatch', { version: accepted.version, photos: [], departmentId: input.departmentId });
  return caseId;
}

interface Effect {
  set: HazardUpdate;
  data?: Record<string, unknown>;
  leaders?: { title: MessageRef<NoticeCode> };
}

async function effectOf(trx: Tx, ctx: ActorContext, move: HazardMove, row: HazardRow, input: HazardMoveInput, deadline: Date | undefined, receipt: StoredReceipt | undefined): Promise<Effect> {
  const { actor, now } = ctx;
  switch (move) {
    case 'fix_on_spot':
    case 'close_out':
      return { set: { closed_at: now, closed_by: actor.id } };
    case 'issue_notice': {
      const cal = await loadCalendar(trx, now);
      const street = streetShortName((await streetNameOf(trx, row.area_path)) ?? '');
      const issuer = `${street}${issuerWord(await departmentNameOf(trx, actor.departmentId))}`;
      const year = beijingYear(now);
      const number = noticeNumber(issuer, year, await nextNoticeSeq(trx, issuer, year));
      const clock = clockUntil(cal, 'handle', now, deadline!, DEFAULT_THRESHOLDS);
      return {
        set: {
          notice_number: number,
          notice_issuer: issuer,
          notice_issued_by: actor.id,
          notice_issued_at: now,
          notice_days: input.deadlineDays ?? Math.max(1, Math.round(cal.workingMsBetween(now, deadline!) / cal.workingMsPerDay())),
          deadline,
          warn_at: clock.warnAt,
          notified_level: 0,
        },
        data: { noticeNumber: number, deadline: deadline!.toISOString() },
      };
    }
    case 'record_receipt': {
      // the receipt is the uploaded file, or the first photo of a receipt taken with the phone
      const file = receipt ?? { hash: input.photos[0]!, mime: (await photoMime(trx, input.photos[0]!)) ?? 'image/jpeg' };
      return {
        set: { receipt_at: now, receipt_by: actor.id, receipt_file: file.hash, receipt_mime: file.mime, receipt_photos: JSON.stringify(input.photos) },
        data: { receiptFile: file.hash, mime: file.mime },
      };
    }
    case 'reinspect_pass':
      return { set: { reinspected_at: now, reinspected_by: actor.id }, ...(row.grade === 'major' ? { leaders: { title: { code: 'notice_hazard_major_passed', params: { number: row.number } } } } : {}) };
    case 'reinspect_fail':
      return { set: { reinspected_at: now, reinspected_by: actor.id } };
    case 'extend': {
      const cal = await loadCalendar(trx, now);
      return {
        // a new deadline starts a new series of warnings
        set: { deadline, warn_at: clockUntil(cal, 'handle', now, deadline!, DEFAULT_THRESHOLDS).warnAt, extensions: row.extensions + 1, notified_level: 0 },
        data: { previousDeadline: iso(row.deadline), deadline: deadline!.toISOString() },
      };
    }
    case 'hand_over': {
      const caseId = await openEnforcementCase(trx, ctx, row, input);
      return { set: { case_id: caseId, closed_at: now, closed_by: actor.id }, data: { caseId, departmentId: input.departmentId } };
    }
    case 'find':
      throw new DomainError('move_not_allowed_in_state', { move, state: row.state });
  }
}

export async function moveHazard(ctx: ActorContext, id: number, move: HazardMove, input: HazardMoveInput, opts: { receipt?: StoredReceipt } = {}): Promise<HazardDetail> {
  const { db, actor } = ctx;
  if (move === 'find' || HAZARD_TABLE[move].system) throw new DomainError('move_not_allowed_in_state', { move, state: 'none' });
  await requirePhotos(db, input.photos);
  const deadline = move === 'issue_notice' || move === 'extend' ? await deadlineOf(ctx, input) : undefined;
  const told = await inTransaction(db, async (trx) => {
    const row = await findHazardInScope(trx, id, caseScope(actor), true);
    if (!row) throw new DomainError('not_found');
    let leaders: Effect['leaders'];
    const { updated } = await runLifecycleMove(trx, ctx, {
      def: HAZARD_LIFECYCLE,
      store: HAZARD_STORE,
      row,
      facts: factsOf(row),
      move,
      input: { note: input.note, deadline, photos: input.photos, departmentId: input.departmentId, receiptFile: opts.receipt?.hash },
      version: input.version,
      note: input.note,
      photos: input.photos,
      effect: async () => {
        const e = await effectOf(trx, ctx, move, row, input, deadline, opts.receipt);
        leaders = e.leaders;
        return { set: e.set, data: e.data };
      },
    });
    return leaders ? notifyAreaLeaders(trx, updated, leaders.title, ctx.now) : [];
  });
  announce(told);
  return hazardDetail(ctx, id);
}

export async function hazardDetail(ctx: ActorContext, id: number): Promise<HazardDetail> {
  const { db, actor, now } = ctx;
  const { items } = await listHazards(db, caseScope(actor), { id }, { offset: 0, limit: 1 });
  const row = items[0];
  if (!row) throw new DomainError('not_found');
  const events = await listHazardEvents(db, id);
  return {
    ...presentHazard(row, now),
    photos: row.photos,
    receiptPhotos: row.receipt_photos,
    receipt: row.receipt_at
      ? { at: row.receipt_at.toISOString(), byName: await userDisplayName(db, row.receipt_by), mime: row.receipt_mime, url: `/api/hazards/${row.id}/receipt` }
      : null,
    allowedMoves: allowedHazardMoves(actor.role, factsOf(row), now),
    events: events.map((e) => ({
      move: e.move,
      fromState: e.from_state,
      toState: e.to_state,
      actorName: e.actor_name,
      actorRole: e.actor_role,
      note: e.note,
      photos: e.photos,
      data: e.data,
      at: e.at.toISOString(),
    })),
  };
}

export async function searchHazards(
  ctx: ActorContext,
  q: { state?: string | undefined; grade?: HazardRow['grade'] | undefined; type?: HazardRow['type'] | undefined; enterpriseId?: number | undefined; caseId?: number | undefined; page: number; pageSize: number },
) {
  const states = q.state ? (q.state.split(',').filter((s) => (HAZARD_LIFECYCLE.states as readonly string[]).includes(s)) as HazardState[]) : undefined;
  const { items, total } = await listHazards(
    ctx.db,
    caseScope(ctx.actor),
    { state: states, grade: q.grade, type: q.type, enterpriseId: q.enterpriseId, caseId: q.caseId },
    { offset: (q.page - 1) * q.pageSize, limit: q.pageSize },
  );
  return { items: items.map((r) => presentHazard(r, ctx.now)), total };
}
