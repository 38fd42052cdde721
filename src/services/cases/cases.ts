// Case use cases besides moves (src/services/cases/moves.ts): report (or fix on the spot), read, list, inbox,
// duplicate suggestions.
import { allowedMoves, decideMove, inboxOf, NO_FACTS } from '../../domain/cases/workflow.js';
import { DomainError } from '../../domain/errors.js';
import { canActOn, canReportIn } from '../../domain/access.js';
import { clockFor } from '../../domain/cases/time-limits.js';
import type { CaseSource } from '../../shared/vocabulary.js';
import type { CaseListQuery, ReportInput } from '../../shared/api.js';
import type { CaseLimits, CaseRouting } from '../../data/schema.js';
import type { DbOrTx } from '../../data/db.js';
import {
  findCaseByClientKey,
  findCaseNumber,
  listDuplicatesInScope,
  listIndustryGrids,
  findCaseSummary,
  insertReport,
  listAssignments,
  listCaseEvents,
  listCases,
  cursorFits,
  type CaseFilter,
  type IntakeRow,
  type ListPage,
} from '../../data/repos/cases/cases.js';
import { findCategory, findKeyUnit, listDepartments } from '../../data/repos/reference.js';
import { locate } from '../grids/lookup.js';
import { findPhotos } from '../../data/repos/photos.js';
import { findRatingNotes } from '../../data/repos/cases/ratings.js';
import { findNearbyOpenMarked } from '../../data/repos/cases/similar.js';
import { findUserById } from '../../data/repos/users.js';
import { caseScope, readableCase } from '../access.js';
import { factsOf } from './moves.js';
import { clockColumns } from '../../domain/cases/effects.js';
import { divisionPathAbove, isUnder, parentPathOf } from '../../domain/area-path.js';
import { announce } from '../notify.js';
import { loadLimitContext } from '../calendar/working-time.js';
import type { ActorContext } from '../context.js';

/** Duplicate suggestions: same category, this close, this recent. */
export const DUPLICATE_RADIUS_M = Number(process.env.DUPLICATE_RADIUS_M ?? 100);
export const DUPLICATE_DAYS = Number(process.env.DUPLICATE_DAYS ?? 7);

export function caseNumber(id: number, at: Date): string {
  // Numbers read like the hotline's: date of report in Beijing time + a running number.
  const d = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
  return `${d}${String(id).padStart(6, '0')}`;
}

/** '/1/2/5/g12/' → '/1/2/5/': the division a grid lies in. */

/** The B-class grid of an industry in the same street as the position's grid, if there is one. */
async function industryGrid(db: DbOrTx, industry: string, aGridPath: string) {
  const candidates = await listIndustryGrids(db, industry);
  // The B grid whose division contains the case's A grid most closely.
  const best = candidates
    .map((c) => ({ ...c, division: divisionPathAbove(c.path) }))
    .filter((c) => isUnder(aGridPath, parentPathOf(c.division)))
    .sort((a, b) => b.division.length - a.division.length)[0];
  return best ? { reason: 'industry' as const, gridId: best.id, industry } : null;
}

/**
 * Report a case (or fix it on the spot): checks, then ONE statement writes the case, its first event, its audit
 * row and the notices (src/data/repos/cases/cases.ts insertReport). Answers with the case detail built from what was
 * written: a new case has one event, no assignments, no duplicates, so nothing needs re-reading.
 * A retry with a client key already stored answers with the case it made and stores nothing new.
 */
export async function reportCaseDetail(ctx: ActorContext, input: ReportInput, reporterName: string): Promise<CaseDetailData> {
  const { db, actor, now } = ctx;
  if (!canReportIn(actor)) {
    const earlier = input.clientKey ? await findCaseByClientKey(db, actor.id, input.clientKey) : undefined;
    if (earlier) return caseDetail(ctx, earlier.id);
    throw new DomainError('move_forbidden_for_role', { move: 'report', role: actor.role });
  }
  const move = input.fixedOnSpot ? 'fix_on_spot' : 'report';
  const decision = decideMove(move, actor.role, NO_FACTS, { note: input.fixedOnSpot ? input.result : input.description }, now);
  const category = await findCategory(db, input.categoryId);
  if (!category) throw new DomainError('unknown_category');
  // A retired category is no longer offered; cases filed under it before keep it.
  if (category.retired_at) throw new DomainError('category_retired', { code: category.code, name: category.name });
  if (input.photos.length > 9) throw new DomainError('too_many_photos');
  const photos = await findPhotos(db, input.photos);
  const missing = input.photos.find((h) => !photos.some((p) => p.hash === h));
  if (missing) throw new DomainError('unknown_photo', { hash: missing.slice(0, 12) });
  const place = await locate(db, input.lng, input.lat);
  // Outside every grid: the case waits in the operator's unrouted queue with the nearest grid suggested, visible
  // in that grid's community; far from every grid it is refused.
  if (place.gridId == null && !place.suggested) throw new DomainError('position_outside_grids');
  const gridPath = place.path ?? divisionPathAbove(place.suggested!.path);
  const keyUnit = input.keyUnitId != null ? await findKeyUnit(db, input.keyUnitId) : undefined;
  if (input.keyUnitId != null && !keyUnit) throw new DomainError('unknown_key_unit');
  const responsible = keyUnit?.grid_id
    ? { reason: 'key_unit' as const, gridId: keyUnit.grid_id, keyUnitId: keyUnit.id }
    : category.industry && place.path
      ? await industryGrid(db, category.industry, place.path)
      : null;
  const routing: CaseRouting = {
    grid: place.gridId != null
      ? { reason: 'position', gridId: place.gridId }
      : { reason: 'outside', gridId: null, suggestedGridId: place.suggested!.gridId, distanceM: place.suggested!.distanceM },
    ...(responsible ? { responsible } : {}),
  };
  const source: CaseSource =
    input.source ?? (actor.role === 'citizen' ? 'citizen_app' : actor.role === 'operator' ? 'hotline_12345' : 'patrol');
  const urgency = input.urgency ?? 'normal';
  // A case keeps the limits of its category as they were when it was reported: later edits apply to new cases.
  const limits: CaseLimits = { ...category.limits[urgency], returnHours: Number(category.return_hours) };
  // A case fixed on the spot starts the verification clock (working time, so the calendar is read first).
  const lc = input.fixedOnSpot ? await loadLimitContext(db, now) : null;
  const note = input.fixedOnSpot ? (input.result ?? null) : input.description;

  let row: IntakeRow | undefined;
  try {
    row = await insertReport(db, {
      case: {
        state: decision.to,
        source,
        urgency,
        limits: JSON.stringify(limits),
        category_id: category.id,
        grid_id: place.gridId,
        grid_version: place.version,
        area_path: gridPath,
        responsible_grid_id: responsible?.gridId ?? null,
        key_unit_id: keyUnit?.id ?? null,
        routing: JSON.stringify(routing),
        client_key: input.clientKey ?? null,
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
        ...(lc ? clockColumns(clockFor(lc.cal, 'verify', now, limits, lc.thresholds)) : {}),
        ...(lc ? { limits_provisional: lc.cal.touchesProvisional(now, clockFor(lc.cal, 'verify', now, limits, lc.thresholds).dueAt) } : {}),
      },
      numberPrefix: caseNumber(0, now).slice(0, 8),
      event: { move, actorRole: actor.role, note },
      audit: {
        action: `case.${move}`,
        summaryBefore: `${input.fixedOnSpot ? '现场处置' : '上报'}案件 `,
        summaryAfter: `（${category.name}）`,
        data: { state: decision.to, gridId: place.gridId, routing, categoryId: category.id, lng: input.lng, lat: input.lat, urgency },
        ip: ctx.ip,
      },
      notice: input.fixedOnSpot
        ? { kind: 'to_verify', role: 'grid_worker', titleBefore: '现场处置案件 ', titleAfter: ' 待核查' }
        : { kind: 'new_task', role: 'operator', titleBefore: '新上报案件 ', titleAfter: '' },
    });
  } catch (err) {
    // Two copies of one offline report raced inside one instant; the other one was stored.
    if (!(input.clientKey && (err as { code?: string }).code === '23505')) throw err;
  }
  if (!row) {
    // The client key was used: answer with the case it made.
    const earlier = await findCaseByClientKey(db, actor.id, input.clientKey!);
    if (!earlier) throw new Error('report not stored and no earlier case with its client key');
    return caseDetail(ctx, earlier.id);
  }
  announce(row.told);
  const { grid_name, community_name, event_id, told: _told, ...written } = row;
  const summary = { ...written, category_name: category.name, grid_name, community_name, department_name: null };
  const canAct = canActOn(actor, { areaPath: row.area_path, departmentId: null, coDepartmentIds: [], reporterId: row.reporter_id });
  return {
    summary,
    reporterName,
    events: [
      {
        id: event_id, case_id: row.id, move, from_state: null, to_state: row.state, actor_id: actor.id, actor_role: actor.role,
        note, department_id: null, deadline: null, photos: row.photos, at: row.reported_at, life: 1, data: {},
        actor_name: reporterName, department_name: null,
      },
    ],
    photos: new Map(photos.map((p) => [p.hash, p])),
    allowedMoves: canAct ? allowedMoves(actor.role, factsOf(row, actor, []), now) : [],
    assignments: [],
    duplicates: [],
    masterNumber: null,
    categoryCriteria: { accept: category.accept_criteria ?? '', close: category.close_criteria ?? '' },
  };
}

/** Report a case; answers with its id (the demo seed and the tests walk the loop from here). */
export async function reportCase(ctx: ActorContext, input: ReportInput): Promise<number> {
  return (await reportCaseDetail(ctx, input, '')).summary.id;
}

export async function caseDetail(ctx: ActorContext, caseId: number) {
  const { db, actor, now } = ctx;
  const { row, coDepartmentIds, canAct } = await readableCase(db, actor, caseId);
  const summary = await findCaseSummary(db, caseId, caseScope(actor));
  if (!summary) throw new DomainError('not_found');
  const [events, reporter, assignments, departments, category, duplicates, master] = await Promise.all([
    listCaseEvents(db, caseId),
    findUserById(db, row.reporter_id),
    listAssignments(db, row.id, row.life),
    listDepartments(db),
    findCategory(db, row.category_id),
    // linked cases through the reader's scope: a duplicate the reader may not read is not listed
    listDuplicatesInScope(db, row.id, caseScope(actor)),
    row.master_id ? findCaseNumber(db, row.master_id) : undefined,
  ]);
  const photoHashes = [...new Set([...row.photos, ...events.flatMap((e) => e.photos)])];
  const photos = await findPhotos(db, photoHashes);
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  return {
    summary,
    reporterName: reporter?.display_name ?? '',
    events,
    photos: new Map(photos.map((p) => [p.hash, p])),
    allowedMoves: canAct ? allowedMoves(actor.role, factsOf(row, actor, coDepartmentIds), now) : [],
    assignments: assignments.map((a) => ({
      departmentId: a.department_id,
      departmentName: deptName.get(a.department_id) ?? '',
      role: a.role,
      reportedAt: a.reported_at?.toISOString() ?? null,
      reportNote: a.report_note,
    })),
    duplicates,
    masterNumber: master?.number ?? null,
    categoryCriteria: { accept: category?.accept_criteria ?? '', close: category?.close_criteria ?? '' },
  };
}
export type CaseDetailData = Awaited<ReturnType<typeof caseDetail>>;

function filterOf(q: CaseListQuery, now: Date): CaseFilter {
  return {
    states: q.state ? [q.state] : undefined,
    categoryId: q.categoryId,
    gridId: q.gridId,
    from: q.from ? new Date(`${q.from}T00:00:00+08:00`) : undefined,
    to: q.to ? new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined,
    q: q.q,
    warningLevel: q.warningLevel,
    urgency: q.urgency,
    departmentId: q.departmentId,
    now,
    event: q.event,
    source: q.source,
    divisionId: q.divisionId,
    open: flag(q.open),
    onTime: flag(q.onTime),
    reworked: flag(q.reworked),
    satisfied: flag(q.satisfied),
    unrouted: flag(q.unrouted),
    noDepartment: flag(q.noDepartment),
  };
}

const flag = (v: 'true' | 'false' | undefined) => (v == null ? undefined : v === 'true');

/** Paging of a list: a cursor (keyset, from the previous page) when given, else the page number. */
function pageOf(q: CaseListQuery, order: 'reported_desc' | 'urgency'): ListPage {
  if (q.after && !cursorFits(order, q.after)) throw new DomainError('list_cursor_invalid');
  return { limit: q.pageSize, offset: (q.page - 1) * q.pageSize, after: q.after, order, exactCount: q.count === 'exact' };
}

export async function searchCases(ctx: ActorContext, q: CaseListQuery) {
  return listCases(ctx.db, caseScope(ctx.actor), filterOf(q, ctx.now), pageOf(q, 'reported_desc'));
}

/**
 * The list behind GET /api/cases or /api/tasks under a query's filter, as a function of the page (limit, cursor): the
 * exports read it page by page with the very same scope and filter, so their totals are the list's.
 */
export function caseListSource(ctx: ActorContext, q: Omit<CaseListQuery, 'page' | 'pageSize' | 'after' | 'count'>, kind: 'cases' | 'tasks') {
  const filter = filterOf({ ...q, page: 1, pageSize: 1 } as CaseListQuery, ctx.now);
  const scope = caseScope(ctx.actor);
  if (kind === 'cases') {
    return { order: 'reported_desc' as const, fetch: (page: ListPage) => listCases(ctx.db, scope, filter, page) };
  }
  const box = inboxOf(ctx.actor.role);
  if (!box.states.length && !box.pendingRequests) return null;
  const inboxScope = scope.kind === 'area' ? { ...scope, reporterId: -1 } : scope;
  return { order: 'urgency' as const, fetch: (page: ListPage) => listCases(ctx.db, inboxScope, { ...filter, inbox: { ...box, actorId: ctx.actor.id } }, page) };
}

/** "My tasks": cases in my scope waiting for a move of mine, the nearest due time first. */
export async function myTasks(ctx: ActorContext, q: CaseListQuery) {
  const box = inboxOf(ctx.actor.role);
  if (!box.states.length && !box.pendingRequests) return { items: [], total: 0, totalCapped: false, nextCursor: null, ratingNotes: new Map<number, string>() };
  const scope = caseScope(ctx.actor);
  // A grid worker's inbox holds what it must verify in its own grids, not everything it ever reported.
  const inboxScope = scope.kind === 'area' ? { ...scope, reporterId: -1 } : scope;
  const list = await listCases(ctx.db, inboxScope, { ...filterOf(q, ctx.now), inbox: { ...box, actorId: ctx.actor.id } }, pageOf(q, 'urgency'));
  // 回头看: a closed case in an inbox was rated 不满意; the reporter's words say what to look at again
  const ratingNotes = await findRatingNotes(ctx.db, list.items.filter((i) => i.state === 'closed'));
  return { ...list, ratingNotes };
}

function metres(aLng: number, aLat: number, bLng: number, bLat: number): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLng = (bLng - aLng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

/**
 * Open cases of the same category near a position, reported recently: likely duplicates (并单 candidates). Every
 * scope is searched, so a citizen or a worker at a grid's edge learns of a case already reported; a case the asker
 * may not read shows only that it exists, its state and a rounded distance.
 */
export async function similarCases(ctx: ActorContext, p: { lng: number; lat: number; categoryId: number; excludeId?: number | undefined }) {
  const since = new Date(ctx.now.getTime() - DUPLICATE_DAYS * 86_400_000);
  const rows = await findNearbyOpenMarked(ctx.db, caseScope(ctx.actor), { ...p, since, radiusM: DUPLICATE_RADIUS_M });
  return rows
    .map((r) => ({ ...r, distanceM: Math.round(metres(p.lng, p.lat, r.lng, r.lat)) }))
    .filter((r) => r.distanceM <= DUPLICATE_RADIUS_M)
    .sort((a, b) => a.distanceM - b.distanceM)
    .map((r) =>
      r.readable
        ? { readable: true as const, id: r.id, number: r.number, state: r.state, description: r.description, distanceM: r.distanceM, reportedAt: r.reported_at }
        : { readable: false as const, id: null, number: null, state: r.state, description: null, distanceM: Math.max(10, Math.round(r.distanceM / 10) * 10), reportedAt: null },
    );
}
