// Assessment schemes and monthly rankings (红黑榜). A ranking is an item of the ranking lifecycle
// (src/domain/assessment/ranking-lifecycle.ts): drafts are computed from the live data, publishing freezes the rows,
// a correction marks the published edition corrected and publishes a new edition with the reason — every move through
// the one lifecycle runner (src/services/lifecycle.ts), with its timeline event and audit record.
import { DomainError } from '../../domain/errors.js';
import { indicatorsFor, indicatorValues, type UnitKind } from '../../domain/assessment/indicators.js';
import { rankingLifecycle, type RankingMove, type RankingState } from '../../domain/assessment/ranking-lifecycle.js';
import { defaultScheme, rankUnits, schemeProblems, type RankingRow, type Scheme } from '../../domain/assessment/scheme.js';
import {
  assessmentEvents,
  findRanking,
  findScheme,
  insertAssessmentEvent,
  insertRanking,
  listRankings,
  streetPathOf,
  updateRanking,
  upsertScheme,
  type RankingRecord,
} from '../../data/repos/assessment.js';
import { insertAudit } from '../../data/repos/audit.js';
import { inTransaction, type DbOrTx } from '../../data/db.js';
import { allowedMoves } from '../../domain/lifecycle/engine.js';
import { runLifecycleMove, type LifecycleStore } from '../lifecycle.js';
import type { ActorContext } from '../context.js';
import { requireRole } from '../access.js';
import { assessmentArea, periodOf, unitTable } from './indicators.js';
import { DEFAULT_POINT_RULES, leaderboard, pointsOf } from '../../domain/assessment/points.js';

export type RankedUnitKind = Exclude<UnitKind, 'grid_worker'>;

// --- schemes ----------------------------------------------------------------------------------------------------

export async function schemeFor(db: DbOrTx, year: number): Promise<{ scheme: Scheme; defined: boolean }> {
  const row = await findScheme(db, year);
  return row ? { scheme: { ...(row.config as unknown as Scheme), year }, defined: true } : { scheme: defaultScheme(year), defined: false };
}

export async function getScheme(ctx: ActorContext, year: number) {
  assessmentArea(ctx.actor);
  return schemeFor(ctx.db, year);
}

export async function saveScheme(ctx: ActorContext, year: number, input: Omit<Scheme, 'year'>) {
  requireRole(ctx.actor, ['admin']);
  const scheme: Scheme = { ...input, year };
  const problems = schemeProblems(scheme);
  if (problems.length) throw new DomainError('assessment_scheme_invalid', { problems: problems.join(', ') });
  return inTransaction(ctx.db, async (trx) => {
    const before = await findScheme(trx, year);
    await upsertScheme(trx, year, scheme, ctx.actor.id, ctx.now);
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'assessment.scheme_saved',
      targetType: 'assessment_scheme',
      targetId: year,
      summary: `保存 ${year} 年考核办法`,
      data: { before: before?.config ?? null, after: scheme },
      ip: ctx.ip,
      at: ctx.now,
    });
    return { scheme, defined: true };
  });
}

// --- rankings ---------------------------------------------------------------------------------------------------

export interface RankingView {
  id: number;
  period: string;
  unitKind: RankedUnitKind;
  scopePath: string | null;
  state: RankingState;
  version: number;
  edition: number;
  reason: string | null;
  supersedesId: number | null;
  scheme: Scheme;
  rows: RankingRow[];
  computedAt: string;
  publishedAt: string | null;
  allowedMoves: RankingMove[];
  /** the editions of the same month, unit kind and scope, oldest first (a correction keeps the one it corrects) */
  editions: { id: number; edition: number; state: RankingState; reason: string | null; publishedAt: string | null }[];
  timeline: { move: string; from: string | null; to: string; note: string | null; at: string; actor: string | null; rankingId: number }[];
}

/** Scores every unit of the kind in the area for the month with the year's scheme. */
export async function computeRanking(db: DbOrTx, unitKind: RankedUnitKind, periodKey: string, area: string | null): Promise<{ scheme: Scheme; rows: RankingRow[] }> {
  const period = periodOf(periodKey);
  if (period.kind !== 'month') throw new DomainError('assessment_period_invalid', { period: periodKey });
  const { scheme } = await schemeFor(db, Number(period.key.slice(0, 4)));
  const { rows } = await unitTable(db, unitKind, period, area);
  const ranked = rankUnits(
    scheme,
    unitKind,
    rows.map((r) => ({ unitId: r.unitId, name: r.name, code: r.code, counts: r.counts })),
    (c) => indicatorValues(unitKind, c),
  );
  return { scheme, rows: ranked };
}

function readable(ctx: ActorContext, r: RankingRecord | undefined): RankingRecord {
  const area = assessmentArea(ctx.actor);
  if (!r || (area && !(r.scope_path ?? '').startsWith(area))) throw new DomainError('not_found');
  return r;
}

async function present(ctx: ActorContext, r: RankingRecord): Promise<RankingView> {
  const same = (await listRankings(ctx.db, { period: r.period, unitKind: r.unit_kind, area: null })).filter((x) => x.scope_path === r.scope_path && x.state !== 'draft' && x.state !== 'discarded');
  const editions = same.sort((a, b) => a.edition - b.edition || a.id - b.id);
  const events = await assessmentEvents(ctx.db, 'ranking', [...new Set([r.id, ...editions.map((e) => e.id)])]);
  return {
    id: r.id,
    period: r.period,
    unitKind: r.unit_kind,
    scopePath: r.scope_path,
    state: r.state,
    version: r.version,
    edition: r.edition,
    reason: r.reason,
    supersedesId: r.supersedes_id,
    scheme: r.scheme as unknown as Scheme,
    rows: r.rows as RankingRow[],
    computedAt: r.computed_at.toISOString(),
    publishedAt: r.published_at?.toISOString() ?? null,
    allowedMoves: allowedMoves(rankingLifecycle, ctx.actor.role, { state: r.state }, ctx.now),
    editions: editions.map((e) => ({ id: e.id, edition: e.edition, state: e.state, reason: e.reason, publishedAt: e.published_at?.toISOString() ?? null })),
    timeline: events.map((e) => ({ move: e.move, from: e.from_state, to: e.to_state, note: e.note, at: e.at.toISOString(), actor: e.actor ?? null, rankingId: e.item_id })),
  };
}

export async function getRanking(ctx: ActorContext, id: number): Promise<RankingView> {
  return present(ctx, readable(ctx, await findRanking(ctx.db, id)));
}

export async function rankings(ctx: ActorContext, q: { period?: string | undefined; unit?: RankedUnitKind | undefined }) {
  const area = assessmentArea(ctx.actor);
  const rows = await listRankings(ctx.db, { period: q.period, unitKind: q.unit, area });
  return rows.map((r) => ({ id: r.id, period: r.period, unitKind: r.unit_kind, state: r.state, edition: r.edition, reason: r.reason, computedAt: r.computed_at.toISOString(), publishedAt: r.published_at?.toISOString() ?? null }));
}

/** A new draft for a month and unit kind in the caller's area, computed now (the lifecycle's creating step). */
export async function draftRanking(ctx: ActorContext, input: { period: string; unit: RankedUnitKind }): Promise<RankingView> {
  requireRole(ctx.actor, ['leader', 'admin', 'operator']);
  const area = assessmentArea(ctx.actor);
  const { scheme, rows } = await computeRanking(ctx.db, input.unit, input.period, area);
  const created = await inTransaction(ctx.db, async (trx) => {
    const r = await insertRanking(trx, {
      period: input.period,
      unit_kind: input.unit,
      scope_path: area,
      state: 'draft',
      edition: 1,
      reason: null,
      supersedes_id: null,
      scheme,
      rows,
      computed_at: ctx.now,
      created_by: ctx.actor.id,
      created_at: ctx.now,
      published_at: null,
      published_by: null,
      updated_at: ctx.now,
    });
    await insertAssessmentEvent(trx, { itemType: 'ranking', itemId: r.id, move: 'draft', from: null, to: 'draft', actorId: ctx.actor.id, note: null, at: ctx.now });
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'ranking.draft',
      targetType: 'assessment_ranking',
      targetId: r.id,
      summary: `起草 ${input.period} ${UNIT_ZH[input.unit]}排名`,
      data: { period: input.period, unit: input.unit, units: rows.length },
      ip: ctx.ip,
      at: ctx.now,
    });
    return r;
  });
  return present(ctx, created);
}

const UNIT_ZH: Record<RankedUnitKind, string> = { grid: '网格', community: '社区', department: '部门' };
const MOVE_ZH: Record<RankingMove, string> = { recompute: '重新计算', publish: '发布', correct: '更正', discard: '作废' };

type Change = { rows?: RankingRow[]; scheme?: Scheme; computed_at?: Date; published_at?: Date; published_by?: number };

const store: LifecycleStore<RankingState, RankingMove, RankingRecord, Change> = {
  update: (trx, row, change, state, at) => updateRanking(trx, row, change, state, at),
  recordEvent: (trx, ctx, rec) =>
    insertAssessmentEvent(trx, { itemType: 'ranking', itemId: rec.before.id, move: rec.move, from: rec.decision.from, to: rec.decision.to, actorId: ctx.actor.id, note: rec.note, at: ctx.now }),
  auditTarget: 'assessment_ranking',
  auditSummary: (row, d) => `${row.period} ${UNIT_ZH[row.unit_kind]}排名：${d.from ?? ''} → ${d.to}`,
};

/**
 * One move on a ranking. recompute: the draft's rows from the data as it is now; publish: recomputed and frozen;
 * correct (with a reason): this edition becomes 'corrected' and a new edition, recomputed now, is published with
 * the reason; discard: a draft dropped. Returns the ranking to show (the new edition after a correction).
 */
export async function moveRanking(ctx: ActorContext, id: number, move: RankingMove, input: { version: number; note?: string | undefined }): Promise<RankingView> {
  try {
    return await moveRankingOnce(ctx, id, move, input);
  } catch (err) {
    // Two drafts of one month published at once: each locks only its own row and finds nothing published, and the
    // database's one-published-edition index stops the second when the first commits. That is the same refusal as
    // the check's, with the edition that won.
    if (!isPublishedIndexViolation(err)) throw err;
    const row = await findRanking(ctx.db, id);
    const taken = row && (await listRankings(ctx.db, { period: row.period, unitKind: row.unit_kind, area: null })).find((x) => x.state === 'published' && x.scope_path === row.scope_path);
    throw new DomainError('assessment_already_published', { period: row?.period ?? '', id: taken?.id ?? '' });
  }
}

function isPublishedIndexViolation(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  return e?.code === '23505' && (e.constraint === 'assessment_rankings_published_idx' || (e.message ?? '').includes('assessment_rankings_published_idx'));
}

async function moveRankingOnce(ctx: ActorContext, id: number, move: RankingMove, input: { version: number; note?: string | undefined }): Promise<RankingView> {
  const out = await inTransaction(ctx.db, async (trx) => {
    const row = readable(ctx, await findRanking(trx, id, { forUpdate: true }));
    if (move === 'publish') {
      const taken = (await listRankings(trx, { period: row.period, unitKind: row.unit_kind, area: null })).find((x) => x.state === 'published' && x.scope_path === row.scope_path);
      if (taken) throw new DomainError('assessment_already_published', { period: row.period, id: taken.id });
    }
    const fresh = move === 'recompute' || move === 'publish' || move === 'correct' ? await computeRanking(trx, row.unit_kind, row.period, row.scope_path) : null;
    const { updated } = await runLifecycleMove(trx, { ...ctx, db: trx }, {
      def: rankingLifecycle,
      store,
      row,
      facts: { state: row.state },
      move,
      input: { note: input.note },
      version: input.version,
      note: input.note,
      effect: () => {
        if (move === 'recompute') return { set: { rows: fresh!.rows, scheme: fresh!.scheme, computed_at: ctx.now } };
        if (move === 'publish') return { set: { rows: fresh!.rows, scheme: fresh!.scheme, computed_at: ctx.now, published_at: ctx.now, published_by: ctx.actor.id } };
        return { set: {} };
      },
    });
    if (move !== 'correct') return updated;
    // the correction: a new edition, published, with the reason; the corrected one is kept as it was
    const next = await insertRanking(trx, {
      period: row.period,
      unit_kind: row.unit_kind,
      scope_path: row.scope_path,
      state: 'published',
      edition: row.edition + 1,
      reason: input.note!.trim(),
      supersedes_id: row.id,
      scheme: fresh!.scheme,
      rows: fresh!.rows,
      computed_at: ctx.now,
      created_by: ctx.actor.id,
      created_at: ctx.now,
      published_at: ctx.now,
      published_by: ctx.actor.id,
      updated_at: ctx.now,
    });
    await insertAssessmentEvent(trx, { itemType: 'ranking', itemId: next.id, move: 'publish', from: null, to: 'published', actorId: ctx.actor.id, note: input.note!.trim(), at: ctx.now });
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'ranking.publish',
      targetType: 'assessment_ranking',
      targetId: next.id,
      summary: `${MOVE_ZH.correct}后发布 ${row.period} ${UNIT_ZH[row.unit_kind]}排名第 ${next.edition} 版`,
      data: { supersedes: row.id, reason: input.note },
      ip: ctx.ip,
      at: ctx.now,
    });
    return next;
  });
  return present(ctx, out);
}

/** A ranking edition as .xlsx: its frozen rows, with the definitions on a second sheet. */
export async function rankingXlsx(ctx: ActorContext, id: number): Promise<{ body: Buffer; period: string; unit: RankedUnitKind }> {
  const r = readable(ctx, await findRanking(ctx.db, id));
  const rows = r.rows as RankingRow[];
  const { assessmentWorkbook } = await import('./xlsx.js');
  const state = r.state === 'draft' ? '（草稿）' : r.state === 'corrected' ? '（已更正）' : '';
  const body = await assessmentWorkbook({
    title: `${r.period} ${UNIT_ZH[r.unit_kind]}考核排名 第 ${r.edition} 版${state}`,
    indicators: indicatorsFor(r.unit_kind),
    rows,
    ranking: true,
  });
  return { body, period: r.period, unit: r.unit_kind };
}

// --- grid-worker points (积分) -------------------------------------------------------------------------------------

/**
 * The monthly points leaderboard of grid workers: an administrator's covers everyone, a leader's or operator's their
 * area, a grid worker's the workers of its own street (names and points only).
 */
export async function pointsBoard(ctx: ActorContext, q: { period: string }) {
  const period = periodOf(q.period);
  let area = assessmentArea(ctx.actor);
  if (ctx.actor.role === 'grid_worker') area = (await streetPathOf(ctx.db, area!)) ?? area;
  const { scheme } = await schemeFor(ctx.db, Number(period.from.slice(0, 4)));
  const rules = scheme.points ?? DEFAULT_POINT_RULES;
  const { rows } = await unitTable(ctx.db, 'grid_worker', period, area);
  const board = leaderboard(rows.map((r) => ({ userId: r.unitId, name: r.name, points: pointsOf(rules, r.counts), reported: r.counts.reported, verifications: r.counts.verifications, patrolDays: r.counts.patrol_days, fixedOnSpot: r.counts.fixed_on_spot })));
  return { period, rules, me: ctx.actor.id, rows: board };
}
