// The hazard ledgers (台账) as offices send them upward (seed 001): 隐患排查台账 (what inspections found) and
// 隐患整改台账 (rectification notices and their deadlines) and 移交执法台账 (handed to law enforcement). One definition of each ledger's title and columns and
// of how a hazard becomes a row, shared by the live list and the .xlsx export, so both always say the same. Pure.
import { HAZARD_GRADE_LABELS, HAZARD_STATE_LABELS, HAZARD_TYPE_LABELS, type HazardGrade, type HazardState, type HazardType } from './lifecycle.js';

export type HazardLedgerKind = 'inspection' | 'rectification' | 'handover';

/** What a ledger row is made from (a hazard with its enterprise, grid and finder). */
export interface LedgerHazard {
  number: string;
  enterprise_name: string;
  /** null for registry rows that came without one (key units, points of interest) */
  credit_code: string | null;
  grid_name: string | null;
  grade: HazardGrade;
  type: HazardType;
  description: string;
  state: HazardState;
  found_at: Date;
  finder_name: string | null;
  notice_number: string | null;
  notice_issued_at: Date | null;
  deadline: Date | null;
  receipt_at: Date | null;
  reinspected_at: Date | null;
  closed_at: Date | null;
  /** the law-enforcement case a hazard was handed over as */
  case_number?: string | null;
}

export interface LedgerDefinition {
  title: string;
  /** the columns after 序号 */
  columns: string[];
  /** the widths of 序号 and the columns, in characters */
  widths: number[];
  row: (h: LedgerHazard) => string[];
}

/** Beijing date YYYY-MM-DD, or '' */
export function ledgerDate(at: Date | null): string {
  return at ? new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) : '';
}

function handling(h: LedgerHazard): string {
  if (h.state === 'fixed') return '现场整改';
  if (h.notice_number) return `下达整改通知书 ${h.notice_number}`;
  return '待处理';
}

export const LEDGERS: Record<HazardLedgerKind, LedgerDefinition> = {
  inspection: {
    title: '隐患排查台账',
    columns: ['隐患编号', '发现日期', '企业名称', '统一社会信用代码', '所在网格', '隐患等级', '隐患类别', '隐患描述', '排查人', '处理方式', '当前状态'],
    widths: [6, 18, 12, 28, 22, 18, 8, 10, 40, 10, 30, 14],
    row: (h) => [
      h.number,
      ledgerDate(h.found_at),
      h.enterprise_name,
      h.credit_code ?? '',
      h.grid_name ?? '',
      HAZARD_GRADE_LABELS[h.grade],
      HAZARD_TYPE_LABELS[h.type] ?? h.type,
      h.description,
      h.finder_name ?? '',
      handling(h),
      HAZARD_STATE_LABELS[h.state],
    ],
  },
  rectification: {
    title: '隐患整改台账',
    columns: ['通知书编号', '企业名称', '隐患编号', '隐患等级', '隐患描述', '下达日期', '整改期限', '企业签收日期', '复查日期', '销号日期', '整改状态'],
    widths: [6, 24, 28, 18, 8, 40, 12, 12, 12, 12, 12, 14],
    row: (h) => [
      h.notice_number ?? '',
      h.enterprise_name,
      h.number,
      HAZARD_GRADE_LABELS[h.grade],
      h.description,
      ledgerDate(h.notice_issued_at),
      ledgerDate(h.deadline),
      ledgerDate(h.receipt_at),
      ledgerDate(h.reinspected_at),
      ledgerDate(h.closed_at),
      HAZARD_STATE_LABELS[h.state],
    ],
  },
  handover: {
    title: '移交执法台账',
    columns: ['隐患编号', '企业名称', '统一社会信用代码', '隐患等级', '隐患描述', '整改通知书编号', '整改期限', '复查日期', '移交日期', '执法案件编号'],
    widths: [6, 18, 24, 22, 8, 40, 24, 12, 12, 12, 18],
    row: (h) => [
      h.number,
      h.enterprise_name,
      h.credit_code ?? '',
      HAZARD_GRADE_LABELS[h.grade],
      h.description,
      h.notice_number ?? '',
      ledgerDate(h.deadline),
      ledgerDate(h.reinspected_at),
      ledgerDate(h.closed_at),
      h.case_number ?? '',
    ],
  },
};

/** 2026-01-01 – 2026-12-31, or 全部 */
export function periodLabel(from: string | undefined, to: string | undefined): string {
  if (!from && !to) return '全部';
  return `${from ?? '…'} 至 ${to ?? '…'}`;
}
