// The assessment indicators (考核指标), defined once: each indicator's id, its name and its definition (口径) in both
// languages, its formula over the base counts, and the units it applies to. The UI shows the definition beside every
// figure; the .xlsx export and the monthly report print it; the repository (src/data/repos/assessment.ts) counts the
// base counts with the same instants as the dashboard (src/domain/stats/stats.ts). Pure: no I/O.

/** Units that are assessed: A-class grids, communities/villages, departments and grid workers. */
export const UNIT_KINDS = ['grid', 'community', 'department', 'grid_worker'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** What the repository counts per unit and period; every indicator is a formula over these. */
export const BASE_COUNTS = [
  'reported',
  'accepted',
  'accepted_closed',
  'handled',
  'handled_on_time',
  'handled_reworked',
  'closed',
  'rated',
  'satisfied',
  'fixed_on_spot',
  'verifications',
  'checkins',
  'patrol_days',
  'patrol_m',
  'grids_total',
  'grids_patrolled',
  'hazards_due',
  'hazards_on_time',
] as const;
export type BaseCount = (typeof BASE_COUNTS)[number];
export type BaseCounts = Record<BaseCount, number>;

export function zeroBase(): BaseCounts {
  return Object.fromEntries(BASE_COUNTS.map((c) => [c, 0])) as BaseCounts;
}

type Text = { 'zh-CN': string; en: string };

export interface IndicatorDef {
  id: IndicatorId;
  kind: 'count' | 'rate' | 'distance';
  name: Text;
  /** 口径: what is counted, at which instant, over which cases */
  definition: Text;
  /** the formula over base counts, as printed beside the figure */
  formula: string;
  units: readonly UnitKind[];
  /** a rate's numerator and denominator, or a count's base count */
  numerator: BaseCount;
  denominator?: BaseCount;
  /** a rate where less is better (返工率) */
  lowerIsBetter?: boolean;
}

export const INDICATOR_IDS = [
  'reported',
  'accepted',
  'handled',
  'closed',
  'overdue',
  'on_time_rate',
  'closure_rate',
  'rework_rate',
  'satisfaction_rate',
  'fixed_on_spot',
  'verifications',
  'checkins',
  'patrol_days',
  'patrol_km',
  'patrol_coverage',
  'hazard_on_time_rate',
] as const;
export type IndicatorId = (typeof INDICATOR_IDS)[number];

const AREA: readonly UnitKind[] = ['grid', 'community'];
const CASE_UNITS: readonly UnitKind[] = ['grid', 'community', 'department'];
const DAYS = '按北京时间自然日统计，时段含首尾两日。';
const DAYS_EN = 'Days are Asia/Shanghai calendar days, both ends included.';

export const INDICATORS: readonly IndicatorDef[] = [
  {
    id: 'reported',
    kind: 'count',
    name: { 'zh-CN': '上报数', en: 'Reports' },
    definition: {
      'zh-CN': `时段内上报的案件数（按上报时间）。网格、社区按案件所在网格/社区；部门按当前主办部门；网格员按本人上报。${DAYS}`,
      en: `Cases reported in the period (at report time). Grids and communities by the case's grid/community; departments by the current main department; grid workers by their own reports. ${DAYS_EN}`,
    },
    formula: 'count(report)',
    units: ['grid', 'community', 'department', 'grid_worker'],
    numerator: 'reported',
  },
  {
    id: 'accepted',
    kind: 'count',
    name: { 'zh-CN': '受理数', en: 'Accepted' },
    definition: { 'zh-CN': `时段内受理（立案）的案件数，按首次受理时间。${DAYS}`, en: `Cases accepted (立案) in the period, at their first acceptance. ${DAYS_EN}` },
    formula: 'count(first accept)',
    units: CASE_UNITS,
    numerator: 'accepted',
  },
  {
    id: 'handled',
    kind: 'count',
    name: { 'zh-CN': '处置数', en: 'Handled' },
    definition: { 'zh-CN': `时段内首次处置反馈的案件数（现场处置计入）。${DAYS}`, en: `Cases first handled in the period (处置反馈; fixed on the spot counts). ${DAYS_EN}` },
    formula: 'count(first handling)',
    units: CASE_UNITS,
    numerator: 'handled',
  },
  {
    id: 'closed',
    kind: 'count',
    name: { 'zh-CN': '结案数', en: 'Closed' },
    definition: { 'zh-CN': `时段内结案且当前仍为结案状态的案件数（随主案件结案的重复件不计）。${DAYS}`, en: `Cases closed in the period and closed now (duplicates closed with their master are not). ${DAYS_EN}` },
    formula: 'count(close, closed now)',
    units: CASE_UNITS,
    numerator: 'closed',
  },
  {
    id: 'overdue',
    kind: 'count',
    name: { 'zh-CN': '超期处置数', en: 'Handled late' },
    definition: { 'zh-CN': `时段内首次处置、处置时已超过当时有效处置时限的案件数。${DAYS}`, en: `Cases first handled in the period after the deadline then in force. ${DAYS_EN}` },
    formula: 'handled − handled on time',
    units: CASE_UNITS,
    numerator: 'handled',
  },
  {
    id: 'on_time_rate',
    kind: 'rate',
    name: { 'zh-CN': '按期处置率', en: 'On-time handling rate' },
    definition: { 'zh-CN': `时段内首次处置的案件中，在当时有效时限内处置的比例（现场处置视为按期）。${DAYS}`, en: `Of the cases first handled in the period, the share handled by the deadline then in force (fixed on the spot counts as on time). ${DAYS_EN}` },
    formula: 'handled on time / handled',
    units: CASE_UNITS,
    numerator: 'handled_on_time',
    denominator: 'handled',
  },
  {
    id: 'closure_rate',
    kind: 'rate',
    name: { 'zh-CN': '结案率', en: 'Closure rate' },
    definition: { 'zh-CN': `时段内受理的案件中，当前已结案的比例。${DAYS}`, en: `Of the cases accepted in the period, the share closed now. ${DAYS_EN}` },
    formula: 'accepted and closed now / accepted',
    units: CASE_UNITS,
    numerator: 'accepted_closed',
    denominator: 'accepted',
  },
  {
    id: 'rework_rate',
    kind: 'rate',
    name: { 'zh-CN': '返工率', en: 'Rework rate' },
    definition: { 'zh-CN': `时段内首次处置的案件中，本轮办理被核查退回返工过的比例（越低越好）。${DAYS}`, en: `Of the cases first handled in the period, the share sent back for rework (返工) in the current life (lower is better). ${DAYS_EN}` },
    formula: 'handled and reworked / handled',
    units: CASE_UNITS,
    numerator: 'handled_reworked',
    denominator: 'handled',
    lowerIsBetter: true,
  },
  {
    id: 'satisfaction_rate',
    kind: 'rate',
    name: { 'zh-CN': '满意率', en: 'Satisfaction rate' },
    definition: { 'zh-CN': `时段内评价的案件中，评价为满意或非常满意（4–5 分）的比例，按评价时间。${DAYS}`, en: `Of the cases rated in the period, the share rated 4–5 (满意/非常满意), at rating time. ${DAYS_EN}` },
    formula: 'rated 4–5 / rated',
    units: CASE_UNITS,
    numerator: 'satisfied',
    denominator: 'rated',
  },
  {
    id: 'fixed_on_spot',
    kind: 'count',
    name: { 'zh-CN': '现场处置数', en: 'Fixed on the spot' },
    definition: { 'zh-CN': `时段内网格员现场处置（上报即处置）的案件数；网格员按本人。${DAYS}`, en: `Cases fixed on the spot by a grid worker in the period; grid workers count their own. ${DAYS_EN}` },
    formula: 'count(fix on spot)',
    units: ['grid', 'community', 'grid_worker'],
    numerator: 'fixed_on_spot',
  },
  {
    id: 'verifications',
    kind: 'count',
    name: { 'zh-CN': '核查数', en: 'Verifications' },
    definition: { 'zh-CN': `时段内本人完成的核查次数（核查通过与不通过均计）。${DAYS}`, en: `Verifications made by the worker in the period (passed or failed). ${DAYS_EN}` },
    formula: 'count(verify pass + verify fail)',
    units: ['grid_worker'],
    numerator: 'verifications',
  },
  {
    id: 'checkins',
    kind: 'count',
    name: { 'zh-CN': '巡查打卡数', en: 'Patrol check-ins' },
    definition: { 'zh-CN': `时段内的巡查打卡次数；网格、社区按打卡所在网格，网格员按本人。${DAYS}`, en: `Patrol check-ins in the period; grids and communities by the grid checked in, grid workers their own. ${DAYS_EN}` },
    formula: 'count(check-in)',
    units: [...AREA, 'grid_worker'],
    numerator: 'checkins',
  },
  {
    id: 'patrol_days',
    kind: 'count',
    name: { 'zh-CN': '巡查天数', en: 'Days on patrol' },
    definition: { 'zh-CN': `时段内有巡查打卡的天数；网格、社区按打卡所在网格，网格员按本人。${DAYS}`, en: `Days in the period with at least one check-in; grids and communities by the grid checked in, grid workers their own. ${DAYS_EN}` },
    formula: 'count(distinct day of check-in)',
    units: [...AREA, 'grid_worker'],
    numerator: 'patrol_days',
  },
  {
    id: 'patrol_km',
    kind: 'distance',
    name: { 'zh-CN': '巡查里程（公里）', en: 'Patrol distance (km)' },
    definition: { 'zh-CN': `时段内开始的本人巡查轨迹里程之和，单位公里，保留一位小数。${DAYS}`, en: `Track length of the worker's patrols started in the period, in km, one decimal. ${DAYS_EN}` },
    formula: 'sum(patrol distance) / 1000',
    units: ['grid_worker'],
    numerator: 'patrol_m',
  },
  {
    id: 'patrol_coverage',
    kind: 'rate',
    name: { 'zh-CN': '巡查覆盖率', en: 'Patrol coverage' },
    definition: {
      'zh-CN': `在用的 A 类网格中，时段内至少有一次巡查打卡的网格所占比例（网格：本网格有打卡为 100%）。${DAYS}`,
      en: `Of the A-class grids in use, the share with at least one patrol check-in in the period (a grid: 100 % when checked in). ${DAYS_EN}`,
    },
    formula: 'grids with a check-in / A-class grids',
    units: AREA,
    numerator: 'grids_patrolled',
    denominator: 'grids_total',
  },
  {
    id: 'hazard_on_time_rate',
    kind: 'rate',
    name: { 'zh-CN': '隐患按期整改率', en: 'Hazards rectified on time' },
    definition: {
      'zh-CN': `整改通知书所定整改期限（延期前的原期限）落在时段内的隐患中，在期限当时或之前复查通过的比例；现场整改的隐患不下达通知书，不计入。按隐患所在网格/社区统计。期限已到仍未复查通过、以及期限未到尚未复查通过的，均计为未按期（月度考核宜在月末后计算）。${DAYS}`,
      en: `Of the hazards whose rectification notice set a deadline (the original one, before any extension) in the period, the share re-inspected and passed by that deadline; hazards fixed on the spot get no notice and are not counted. By the hazard's grid/community. A hazard not passed by its deadline, or not yet passed before it, counts as not on time (score a month after it has ended). ${DAYS_EN}`,
    },
    formula: 'passed by the notice deadline / notice deadline in period',
    units: AREA,
    numerator: 'hazards_on_time',
    denominator: 'hazards_due',
  },
];

/**
 * Indicators the issue names that have no data yet, so no figure: the UI lists them under the definitions (口径)
 * saying why. A line goes when its source exists and the indicator joins INDICATORS.
 */
export const NOT_YET_AVAILABLE: readonly { id: string; name: Text; reason: Text }[] = [
  {
    id: 'hotline_rates',
    name: { 'zh-CN': '热线“三率”（响应率、解决率、满意率）', en: 'Hotline rates (response, resolution, satisfaction)' },
    reason: {
      'zh-CN': '本系统尚未对接12345热线工单，热线“三率”暂无数据来源，不参与考核；热线来源的案件按上述各项指标统计。',
      en: 'The 12345 hotline work orders are not connected yet, so these rates have no source and are not scored; cases from the hotline count in the indicators above.',
    },
  },
  {
    id: 'instruction_ack_rate',
    name: { 'zh-CN': '指令按期签收率', en: 'Instructions acknowledged on time' },
    reason: {
      'zh-CN': '本系统尚无指令（交办）下发与签收功能，该指标暂无数据来源，不参与考核。',
      en: 'Instructions (交办) and their acknowledgement do not exist in the system yet, so this indicator has no source and is not scored.',
    },
  },
];

export const INDICATOR_BY_ID: Readonly<Record<IndicatorId, IndicatorDef>> = Object.fromEntries(INDICATORS.map((i) => [i.id, i])) as Record<IndicatorId, IndicatorDef>;

export function indicatorsFor(unit: UnitKind): IndicatorDef[] {
  return INDICATORS.filter((i) => i.units.includes(unit));
}

/** An indicator's value from the base counts: counts as integers, rates 0–1 (null with nothing to measure), km one decimal. */
export function indicatorValue(id: IndicatorId, c: BaseCounts): number | null {
  const def = INDICATOR_BY_ID[id];
  if (id === 'overdue') return c.handled - c.handled_on_time;
  if (def.kind === 'rate') {
    const d = c[def.denominator!];
    return d > 0 ? c[def.numerator] / d : null;
  }
  if (def.kind === 'distance') return Math.round(c[def.numerator] / 100) / 10;
  return c[def.numerator];
}

export function indicatorValues(unit: UnitKind, c: BaseCounts): Partial<Record<IndicatorId, number | null>> {
  return Object.fromEntries(indicatorsFor(unit).map((i) => [i.id, indicatorValue(i.id, c)]));
}

/** A figure as the screen and the exports print it: rates as percentages with one decimal, '—' with nothing to measure. */
export function formatIndicator(id: IndicatorId, v: number | null | undefined): string {
  if (v == null) return '—';
  return INDICATOR_BY_ID[id].kind === 'rate' ? `${(Math.round(v * 1000) / 10).toFixed(1)}%` : String(v);
}

// --- periods ----------------------------------------------------------------------------------------------------

export type PeriodKind = 'month' | 'week' | 'quarter' | 'year';

export interface Period {
  kind: PeriodKind;
  /** '2026-11', '2026-W48', '2026-Q4', '2026' */
  key: string;
  from: string;
  to: string;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** Reads a period key; null when it is not one. Weeks are ISO weeks (Monday first). */
export function parsePeriod(key: string): Period | null {
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{2})$/.exec(key))) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    if (mo < 1 || mo > 12) return null;
    return { kind: 'month', key, from: iso(new Date(Date.UTC(y, mo - 1, 1))), to: iso(new Date(Date.UTC(y, mo, 0))) };
  }
  if ((m = /^(\d{4})-Q([1-4])$/.exec(key))) {
    const [y, q] = [Number(m[1]), Number(m[2])];
    return { kind: 'quarter', key, from: iso(new Date(Date.UTC(y, 3 * (q - 1), 1))), to: iso(new Date(Date.UTC(y, 3 * q, 0))) };
  }
  if ((m = /^(\d{4})-W(\d{2})$/.exec(key))) {
    const [y, w] = [Number(m[1]), Number(m[2])];
    const jan4 = new Date(Date.UTC(y, 0, 4));
    const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000 + (w - 1) * 7 * 86_400_000);
    if (w < 1 || w > 53 || weekKey(iso(monday)) !== key) return null;
    return { kind: 'week', key, from: iso(monday), to: iso(new Date(monday.getTime() + 6 * 86_400_000)) };
  }
  if ((m = /^(\d{4})$/.exec(key))) {
    const y = Number(m[1]);
    return { kind: 'year', key, from: `${m[1]}-01-01`, to: iso(new Date(Date.UTC(y, 11, 31))) };
  }
  return null;
}

/** The ISO week key of a day. */
export function weekKey(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * 86_400_000);
  const y = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(y, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${y}-W${String(week).padStart(2, '0')}`;
}

/** The month before and the same month a year before ('2026-01' → '2025-12', '2025-01'). */
export function previousMonth(month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
export function sameMonthLastYear(month: string): string {
  return `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;
}
