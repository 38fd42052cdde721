// The monthly situation report (情况汇报), drafted from the data: 总体情况 with month-on-month and year-on-year,
// 主要问题 (top categories, with a chart), 超期与督办, the community ranking, and 下步工作 left for the leader. A draft
// is edited in the web app and issued through the report lifecycle; issuing recomputes and keeps its numbers.
import { DomainError } from '../../domain/errors.js';
import { indicatorValue, zeroBase, previousMonth, sameMonthLastYear, type BaseCounts, type IndicatorId } from '../../domain/assessment/indicators.js';
import { reportLifecycle, type ReportMove, type ReportState } from '../../domain/assessment/report-lifecycle.js';
import { allowedMoves } from '../../domain/lifecycle/engine.js';
import { areaCounts, areaName, findReport, gridHotSpots, gridOutlines, hazardFigures, insertAssessmentEvent, insertReport, listRankings, listReports, overdueAndSupervised, topCategories, updateReport, type ReportRecord } from '../../data/repos/assessment.js';
import { insertAudit } from '../../data/repos/audit.js';
import { inTransaction, type DbOrTx } from '../../data/db.js';
import { runLifecycleMove, type LifecycleStore } from '../lifecycle.js';
import type { ActorContext } from '../context.js';
import { requireRole } from '../access.js';
import { assessmentArea, periodOf } from './indicators.js';
import { computeRanking } from './rankings.js';
import type { RankingRow } from '../../domain/assessment/scheme.js';

/** The figures of 总体情况, in this order. */
export const OVERALL: readonly IndicatorId[] = ['reported', 'accepted', 'handled', 'closed', 'fixed_on_spot', 'on_time_rate', 'closure_rate', 'rework_rate', 'satisfaction_rate'];

export interface ReportNumbers {
  period: string;
  from: string;
  to: string;
  area: string;
  previous: string;
  lastYear: string;
  overall: { indicator: IndicatorId; current: number | null; previous: number | null; lastYear: number | null }[];
  topCategories: { name: string; count: number }[];
  overdue: { handledLate: number; openOverdue: number; supervised: number };
  /** cases reported per grid in the month (the hot-spot map of 主要问题; outlines are drawn as they are when printed) */
  hotSpots: { id: number; name: string; count: number }[];
  /** 隐患整改: hazards found, rectified, handed over in the month; due in the month and rectified on time (隐患按期整改率); open and past their deadline when computed */
  hazards: { found: number; major: number; rectified: number; handedOver: number; due: number; onTime: number; rate: number | null; open: number; overdue: number };
  ranking: { source: 'published' | 'computed'; rankingId: number | null; edition: number | null; rows: Pick<RankingRow, 'rank' | 'name' | 'score' | 'board' | 'ranked'>[] };
}

export interface ReportSections {
  /** the leader's remarks under 总体情况 (optional) */
  remarks: string;
  /** 下步工作: left blank for the leader */
  nextSteps: string;
}

export interface ReportView {
  id: number;
  period: string;
  state: ReportState;
  version: number;
  title: string;
  sections: ReportSections;
  numbers: ReportNumbers;
  createdAt: string;
  issuedAt: string | null;
  allowedMoves: ReportMove[];
}

async function monthCounts(db: DbOrTx, month: string, area: string | null): Promise<BaseCounts> {
  const p = periodOf(month);
  return areaCounts(db, p.from, p.to, area);
}

/** Every number of the report for a month in an area, as of now. */
export async function reportNumbers(db: DbOrTx, month: string, area: string | null, now: Date): Promise<ReportNumbers> {
  const p = periodOf(month);
  if (p.kind !== 'month') throw new DomainError('assessment_period_invalid', { period: month });
  const prev = previousMonth(month);
  const ly = sameMonthLastYear(month);
  const [cur, pc, lc, top, od, name, published, spots, hz] = await Promise.all([
    areaCounts(db, p.from, p.to, area),
    monthCounts(db, prev, area),
    monthCounts(db, ly, area),
    topCategories(db, p.from, p.to, area, 5),
    overdueAndSupervised(db, p.from, p.to, area, now),
    areaName(db, area),
    listRankings(db, { period: month, unitKind: 'community', area: null }),
    gridHotSpots(db, p.from, p.to, area),
    hazardFigures(db, p.from, p.to, area, now),
  ]);
  const pub = published.find((r) => r.state === 'published' && r.scope_path === area);
  const rows = pub ? (pub.rows as RankingRow[]) : (await computeRanking(db, 'community', month, area)).rows;
  return {
    period: month,
    from: p.from,
    to: p.to,
    area: name ?? '全辖区',
    previous: prev,
    lastYear: ly,
    overall: OVERALL.map((id) => ({ indicator: id, current: indicatorValue(id, cur), previous: indicatorValue(id, pc), lastYear: indicatorValue(id, lc) })),
    topCategories: top.map((t) => ({ name: t.name, count: t.n })),
    overdue: { handledLate: cur.handled - cur.handled_on_time, openOverdue: od.overdue, supervised: od.supervised },
    hotSpots: spots,
    hazards: {
      found: hz.found,
      major: hz.major,
      rectified: hz.rectified,
      handedOver: hz.handed_over,
      due: hz.due,
      onTime: hz.onTime,
      rate: indicatorValue('hazard_on_time_rate', { ...zeroBase(), hazards_due: hz.due, hazards_on_time: hz.onTime }),
      open: hz.open,
      overdue: hz.overdue,
    },
    ranking: {
      source: pub ? 'published' : 'computed',
      rankingId: pub?.id ?? null,
      edition: pub?.edition ?? null,
      rows: rows.map((r) => ({ rank: r.rank, name: r.name, score: r.score, board: r.board, ranked: r.ranked })),
    },
  };
}

function readable(ctx: ActorContext, r: ReportRecord | undefined): ReportRecord {
  const area = assessmentArea(ctx.actor);
  if (!r || (area && !(r.scope_path ?? '').startsWith(area))) throw new DomainError('not_found');
  return r;
}

function present(ctx: ActorContext, r: ReportRecord): ReportView {
  return {
    id: r.id,
    period: r.period,
    state: r.state,
    version: r.version,
    title: r.title,
    sections: r.sections as unknown as ReportSections,
    numbers: r.numbers as unknown as ReportNumbers,
    createdAt: r.created_at.toISOString(),
    issuedAt: r.issued_at?.toISOString() ?? null,
    allowedMoves: allowedMoves(reportLifecycle, ctx.actor.role, { state: r.state }, ctx.now),
  };
}

export async function getReport(ctx: ActorContext, id: number): Promise<ReportView> {
  return present(ctx, readable(ctx, await findReport(ctx.db, id)));
}

/**
 * The report as .docx: its stored numbers (issued ones never change), the hot-spot map drawn over the grids'
 * outlines. A report drafted before the map existed has no per-grid counts and gets no map.
 */
export async function reportDocument(ctx: ActorContext, id: number): Promise<{ report: ReportView; docx: Buffer }> {
  const report = await getReport(ctx, id);
  const spots = report.numbers.hotSpots ?? [];
  const outlines = new Map((await gridOutlines(ctx.db, spots.map((s) => s.id))).map((g) => [g.id, g.geometry]));
  const grids = spots.flatMap((s) => (outlines.has(s.id) ? [{ ...s, geometry: outlines.get(s.id)! }] : []));
  const { reportDocx } = await import('./docx.js');
  return { report, docx: await reportDocx(report, { grids }) };
}

export async function reports(ctx: ActorContext, q: { period?: string | undefined }) {
  const area = assessmentArea(ctx.actor);
  return (await listReports(ctx.db, { period: q.period, area })).map((r) => ({ id: r.id, period: r.period, state: r.state, title: r.title, issuedAt: r.issued_at?.toISOString() ?? null }));
}

export async function draftReport(ctx: ActorContext, input: { period: string }): Promise<ReportView> {
  requireRole(ctx.actor, ['leader', 'admin', 'operator']);
  const area = assessmentArea(ctx.actor);
  const numbers = await reportNumbers(ctx.db, input.period, area, ctx.now);
  const [y, m] = [input.period.slice(0, 4), Number(input.period.slice(5, 7))];
  const title = `${numbers.area}${y}年${m}月网格化服务管理工作情况汇报`;
  const created = await inTransaction(ctx.db, async (trx) => {
    const r = await insertReport(trx, {
      period: input.period,
      scope_path: area,
      state: 'draft',
      title,
      sections: { remarks: '', nextSteps: '' } satisfies ReportSections,
      numbers,
      created_by: ctx.actor.id,
      created_at: ctx.now,
      issued_at: null,
      issued_by: null,
      updated_at: ctx.now,
    });
    await insertAssessmentEvent(trx, { itemType: 'report', itemId: r.id, move: 'draft', from: null, to: 'draft', actorId: ctx.actor.id, note: null, at: ctx.now });
    await insertAudit(trx, { actorId: ctx.actor.id, action: 'report.draft', targetType: 'assessment_report', targetId: r.id, summary: `起草${title}`, data: { period: input.period }, ip: ctx.ip, at: ctx.now });
    return r;
  });
  return present(ctx, created);
}

type Change = { title?: string; sections?: ReportSections; numbers?: ReportNumbers; issued_at?: Date; issued_by?: number };

const store: LifecycleStore<ReportState, ReportMove, ReportRecord, Change> = {
  update: (trx, row, change, state, at) => updateReport(trx, row, change, state, at),
  recordEvent: (trx, ctx, rec) =>
    insertAssessmentEvent(trx, { itemType: 'report', itemId: rec.before.id, move: rec.move, from: rec.decision.from, to: rec.decision.to, actorId: ctx.actor.id, note: rec.note, at: ctx.now }),
  auditTarget: 'assessment_report',
  auditSummary: (row, d) => `${row.title}：${d.from ?? ''} → ${d.to}`,
};

/** edit: title and sections of a draft; issue: the numbers recomputed now and kept; discard. */
export async function moveReport(
  ctx: ActorContext,
  id: number,
  move: ReportMove,
  input: { version: number; title?: string | undefined; remarks?: string | undefined; nextSteps?: string | undefined },
): Promise<ReportView> {
  const out = await inTransaction(ctx.db, async (trx) => {
    const row = readable(ctx, await findReport(trx, id, { forUpdate: true }));
    const numbers = move === 'issue' && row.state === 'draft' ? await reportNumbers(trx, row.period, row.scope_path, ctx.now) : null;
    const before = row.sections as unknown as ReportSections;
    const { updated } = await runLifecycleMove(trx, { ...ctx, db: trx }, {
      def: reportLifecycle,
      store,
      row,
      facts: { state: row.state },
      move,
      input: {},
      version: input.version,
      effect: () => {
        if (move === 'edit') {
          return {
            set: {
              ...(input.title?.trim() ? { title: input.title.trim() } : {}),
              sections: { remarks: input.remarks ?? before.remarks, nextSteps: input.nextSteps ?? before.nextSteps },
            },
          };
        }
        if (move === 'issue') return { set: { numbers: numbers!, issued_at: ctx.now, issued_by: ctx.actor.id } };
        return { set: {} };
      },
    });
    return updated;
  });
  return present(ctx, out);
}
