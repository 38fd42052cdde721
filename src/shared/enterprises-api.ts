// The enterprise registry beyond the archive's CRUD (issue 14): the .xlsx import (template, all or nothing, row
// problems in the reader's language) and export, the enterprise layer of 一张图, and one enterprise's timeline.
import { z } from 'zod';
import { EnterpriseListQuery, EnterpriseStatus, RiskLevel } from './hazards-api.js';
import type { EnterpriseSheetProblemCode } from '../domain/hazards/enterprise-sheet.js';

const PROBLEMS: Record<EnterpriseSheetProblemCode, { 'zh-CN': string; en: string }> = {
  unreadable: { 'zh-CN': '文件无法读取：请上传按模板填写的 .xlsx 文件。', en: 'The file cannot be read: upload an .xlsx file filled in from the template.' },
  missing_column: { 'zh-CN': '缺少必填列“{column}”。', en: 'The required column “{column}” is missing.' },
  empty: { 'zh-CN': '表中没有企业。', en: 'The sheet holds no enterprises.' },
  too_many: { 'zh-CN': '一次最多导入 {max} 家企业。', en: 'At most {max} enterprises per import.' },
  required: { 'zh-CN': '第 {row} 行“{column}”必填。', en: 'Row {row}: “{column}” is required.' },
  too_long: { 'zh-CN': '第 {row} 行“{column}”过长（最多 {max} 字）。', en: 'Row {row}: “{column}” is too long (at most {max} characters).' },
  formula: { 'zh-CN': '第 {row} 行“{column}”是公式（{value}），请改为直接填写的文字或数字。', en: 'Row {row}: “{column}” holds a formula ({value}); type the text or number itself.' },
  credit_code: {
    'zh-CN': '第 {row} 行“{column}”“{value}”不正确（{reason}）：应为 18 位数字或大写字母（不含 I、O、Z、S、V），末位为校验码（GB 32100）。',
    en: 'Row {row}: “{column}” “{value}” is wrong ({reason}): 18 digits or capitals (no I, O, Z, S, V) ending in a check character (GB 32100).',
  },
  duplicate: { 'zh-CN': '第 {row} 行“{column}”{value} 与第 {other} 行重复。', en: 'Row {row}: “{column}” {value} repeats row {other}.' },
  industry_unknown: { 'zh-CN': '第 {row} 行“{column}”“{value}”不是国民经济行业分类（GB/T 4754-2017）代码，如 C2929。', en: 'Row {row}: “{column}” “{value}” is not a GB/T 4754-2017 industry code such as C2929.' },
  number: { 'zh-CN': '第 {row} 行“{column}”“{value}”应为 {min} 到 {max} 之间的数字。', en: 'Row {row}: “{column}” “{value}” must be a number from {min} to {max}.' },
  risk: { 'zh-CN': '第 {row} 行“{column}”“{value}”无效（可填：低、中、高）。', en: 'Row {row}: “{column}” “{value}” is not valid (低, 中 or 高).' },
  status: { 'zh-CN': '第 {row} 行“{column}”“{value}”无效（可填：在营、停产、关停取缔）。', en: 'Row {row}: “{column}” “{value}” is not valid (在营, 停产 or 关停取缔).' },
  yes_no: { 'zh-CN': '第 {row} 行“{column}”“{value}”无效（可填：是、否）。', en: 'Row {row}: “{column}” “{value}” is not valid (是 or 否).' },
  date: { 'zh-CN': '第 {row} 行“{column}”“{value}”应为 YYYY-MM-DD 格式的日期。', en: 'Row {row}: “{column}” “{value}” must be a date as YYYY-MM-DD.' },
  credit_code_taken: { 'zh-CN': '第 {row} 行“{column}”{value} 已登记为企业“{name}”。', en: 'Row {row}: “{column}” {value} is already registered as “{name}”.' },
  outside_street: { 'zh-CN': '第 {row} 行的位置（{lng}, {lat}）不在您管辖的网格内，请核对“经度”“纬度”。', en: 'Row {row}: the position ({lng}, {lat}) is outside the grids of your scope; check 经度 and 纬度.' },
  department_unknown: { 'zh-CN': '第 {row} 行“{column}”中的部门编码“{value}”不存在。', en: 'Row {row}: “{column}” names department code “{value}”, which does not exist.' },
  c_grid_unknown: { 'zh-CN': '第 {row} 行“{column}”“{value}”不是在用的 C 类（重点单位）网格编码。', en: 'Row {row}: “{column}” “{value}” is not the code of an active C-class (key unit) grid.' },
  not_key_unit: { 'zh-CN': '第 {row} 行填写了“{column}”，但“重点单位”不是“是”。', en: 'Row {row}: “{column}” is given but 重点单位 is not 是.' },
};

export function enterpriseSheetMessage(code: EnterpriseSheetProblemCode, params: Record<string, string | number>, lang: 'zh-CN' | 'en'): string {
  return PROBLEMS[code][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

/** What an import did (or, with dryRun, would do): enterprises created, registered ones updated, and rows that changed nothing. */
export const EnterpriseImportResult = z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), dryRun: z.boolean() });
export const EnterpriseImportQuery = z.object({ dryRun: z.enum(['true', 'false']).default('false') });

/** The filter of the registry list, its export and the map layer. */
export const EnterpriseFilterQuery = EnterpriseListQuery.omit({ page: true, pageSize: true });
export type EnterpriseFilterQuery = z.infer<typeof EnterpriseFilterQuery>;

export const EnterpriseMapQuery = EnterpriseFilterQuery.extend({
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/)
    .optional()
    .describe('w,s,e,n in WGS-84'),
});

export const EnterprisePoint = z.object({
  type: z.literal('Feature'),
  id: z.number(),
  geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
  properties: z.object({
    id: z.number(),
    name: z.string(),
    riskLevel: RiskLevel,
    status: EnterpriseStatus,
    industryCode: z.string().nullable(),
    industryName: z.string().nullable(),
    keyUnit: z.boolean(),
    watch: z.boolean(),
    openHazards: z.number(),
    /** the highest grade among the open hazards, for the symbol */
    worstOpenGrade: z.enum(['general', 'larger', 'major']).nullable(),
    gridId: z.number().nullable(),
  }),
});
export const EnterprisePoints = z.object({ type: z.literal('FeatureCollection'), total: z.number(), truncated: z.boolean(), features: z.array(EnterprisePoint) });
export type EnterprisePoints = z.infer<typeof EnterprisePoints>;
export const ENTERPRISE_MAP_MAX = 5000;

export const TimelineKind = z.enum(['archive', 'inspection', 'hazard', 'notice', 'case']);
export const TimelineEntry = z.object({
  at: z.string(),
  kind: TimelineKind,
  /** what happened, a stable code: enterprise.create, inspection, hazard.find, hazard.issue_notice, case.report … */
  what: z.string(),
  title: z.string(),
  detail: z.string().nullable(),
  actorName: z.string().nullable(),
  /** what to open: the hazard, inspection or case */
  link: z.object({ type: z.enum(['hazard', 'inspection', 'case']), id: z.number() }).nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;
export const TimelineQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) });
export const EnterpriseTimeline = z.object({ items: z.array(TimelineEntry), truncated: z.boolean() });
export type EnterpriseTimeline = z.infer<typeof EnterpriseTimeline>;
