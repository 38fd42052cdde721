// The five ledgers (台账) as offices send them upward (seed 001): 隐患排查台账 (what inspections found),
// 隐患整改台账 (rectification notices, their deadlines and warning colour), 移交执法台账 (handed to law enforcement),
// 行业监管台账 (enterprises by industry with their supervising departments, inspections and hazards in the period) and
// 不放心企业台账 (enterprises flagged 不放心: why, when to review, open hazards). One definition of each ledger's title
// and columns and of how a hazard or an enterprise becomes a row, shared by the live list and the .xlsx export, so both
// always say the same. Pure.
import { HAZARD_WARNING_LABELS, type HazardWarning } from './deadlines.js';
import { HAZARD_GRADE_LABELS, HAZARD_STATE_LABELS, HAZARD_TYPE_LABELS, type HazardGrade, type HazardState, type HazardType } from './lifecycle.js';

export type HazardLedgerKind = 'inspection' | 'rectification' | 'handover';
export type EnterpriseLedgerKind = 'industry' | 'watch';
export type AnyLedgerKind = HazardLedgerKind | EnterpriseLedgerKind;
export const ENTERPRISE_LEDGER_KINDS: readonly EnterpriseLedgerKind[] = ['industry', 'watch'];
export const isEnterpriseLedger = (k: AnyLedgerKind): k is EnterpriseLedgerKind => (ENTERPRISE_LEDGER_KINDS as readonly string[]).includes(k);

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
  /** the deadline's colour now (computed by the caller from the clock) */
  warning?: HazardWarning | undefined;
}

export interface LedgerDefinition<T = LedgerHazard> {
  title: string;
  /** the columns after 序号 */
  columns: string[];
  /** the widths of 序号 and the columns, in characters */
  widths: number[];
  row: (h: T) => string[];
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
    columns: ['通知书编号', '企业名称', '隐患编号', '隐患等级', '隐患描述', '下达日期', '整改期限', '企业签收日期', '复查日期', '销号日期', '整改状态', '预警'],
    widths: [6, 24, 28, 18, 8, 40, 12, 12, 12, 12, 12, 14, 16],
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
      HAZARD_WARNING_LABELS[h.warning ?? 'none'],
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

/** What an enterprise ledger row is made from: an enterprise with its grid, departments and counts in the period. */
export interface LedgerEnterprise {
  name: string;
  credit_code: string | null;
  industry_code: string | null;
  industry_name: string | null;
  grid_name: string | null;
  department_names: string | null;
  risk_level: 'low' | 'medium' | 'high';
  status: 'operating' | 'suspended' | 'closed';
  watch_reason: string | null;
  watch_review_on: string | Date | null;
  contact: string | null;
  inspections: number | string | null;
  hazards: number | string | null;
  major_hazards: number | string | null;
  open_hazards: number | string | null;
  last_inspected_at: Date | string | null;
}

export const RISK_LABELS: Record<LedgerEnterprise['risk_level'], string> = { low: '低', medium: '中', high: '高' };
export const ENTERPRISE_STATUS_LABELS: Record<LedgerEnterprise['status'], string> = { operating: '在营', suspended: '停产', closed: '关停取缔' };

/** A date column as YYYY-MM-DD (a date from PostgreSQL arrives as a Date at UTC midnight or as text). */
function dayOf(v: string | Date | null): string {
  if (v == null) return '';
  if (v instanceof Date) return ledgerDate(v);
  return String(v).slice(0, 10);
}
const count = (v: number | string | null) => String(Number(v ?? 0));
const industryOf = (e: LedgerEnterprise) => [e.industry_code, e.industry_name].filter(Boolean).join(' ');

export const ENTERPRISE_LEDGERS: Record<EnterpriseLedgerKind, LedgerDefinition<LedgerEnterprise>> = {
  industry: {
    title: '行业监管台账',
    columns: ['行业', '企业名称', '统一社会信用代码', '所在网格', '监管部门', '风险等级', '经营状态', '排查次数', '发现隐患', '其中重大隐患', '未整改隐患', '最近排查日期'],
    widths: [6, 28, 28, 22, 18, 22, 8, 10, 10, 10, 12, 12, 14],
    row: (e) => [
      industryOf(e),
      e.name,
      e.credit_code ?? '',
      e.grid_name ?? '',
      e.department_names ?? '',
      RISK_LABELS[e.risk_level],
      ENTERPRISE_STATUS_LABELS[e.status],
      count(e.inspections),
      count(e.hazards),
      count(e.major_hazards),
      count(e.open_hazards),
      e.last_inspected_at instanceof Date ? ledgerDate(e.last_inspected_at) : dayOf(e.last_inspected_at),
    ],
  },
  watch: {
    title: '不放心企业台账',
    columns: ['企业名称', '统一社会信用代码', '行业', '所在网格', '监管部门', '风险等级', '不放心原因', '复查日期', '未整改隐患', '联系人'],
    widths: [6, 28, 22, 24, 18, 22, 8, 40, 12, 10, 12],
    row: (e) => [
      e.name,
      e.credit_code ?? '',
      industryOf(e),
      e.grid_name ?? '',
      e.department_names ?? '',
      RISK_LABELS[e.risk_level],
      e.watch_reason ?? '',
      dayOf(e.watch_review_on),
      count(e.open_hazards),
      e.contact ?? '',
    ],
  },
};

/** 2026-01-01 – 2026-12-31, or 全部 */
export function periodLabel(from: string | undefined, to: string | undefined): string {
  if (!from && !to) return '全部';
  return `${from ?? '…'} 至 ${to ?? '…'}`;
}
