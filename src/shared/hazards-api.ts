// The API of enterprises (企业档案), hazards (隐患) and the hazard ledgers (台账): zod schemas shared by the routes
// and the web app.
import { z } from 'zod';
import { dbCount, dbId, dbIdParam } from './db-values.js';
import { HAZARD_GRADES, HAZARD_MOVES, HAZARD_STATES, HAZARD_TYPES } from '../domain/hazards/lifecycle.js';

const photoHash = z.string().regex(/^[0-9a-f]{64}$/);
const text = (max: number) => z.string().trim().max(max);

export const RiskLevel = z.enum(['low', 'medium', 'high']);
export const EnterpriseStatus = z.enum(['operating', 'suspended', 'closed']);
export const HazardGrade = z.enum(HAZARD_GRADES);
export const HazardType = z.enum(HAZARD_TYPES);
export const HazardState = z.enum(HAZARD_STATES);
export const HazardMove = z.enum(HAZARD_MOVES);

export const EnterpriseInput = z.object({
  name: text(100).min(2),
  /** 统一社会信用代码, checked per GB 32100 */
  creditCode: text(40),
  industryCode: text(10).optional(),
  industryName: text(60).optional(),
  address: text(200).optional(),
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  riskLevel: RiskLevel.default('low'),
  status: EnterpriseStatus.default('operating'),
  watch: z.boolean().default(false),
  watchReason: text(500).optional(),
  watchReviewOn: z.iso.date().optional(),
  contact: text(50).optional(),
  phone: text(30).optional(),
  departmentIds: z.array(dbId()).max(10).default([]),
  /** 重点单位: answered for by its own C-class grid (专属网格) */
  keyUnit: z.boolean().optional(),
  /** the key unit's C grid; left out, the active C grid around its position */
  cGridId: dbId().nullable().optional(),
});
export type EnterpriseInput = z.infer<typeof EnterpriseInput>;
export const EnterpriseUpdate = EnterpriseInput.extend({ version: dbCount() });
export type EnterpriseUpdate = z.infer<typeof EnterpriseUpdate>;

export const Enterprise = z.object({
  id: z.number(),
  name: z.string(),
  /** null for registry rows that came from key units or points of interest without one, until completed */
  creditCode: z.string().nullable(),
  industryCode: z.string().nullable(),
  industryName: z.string().nullable(),
  address: z.string().nullable(),
  lng: z.number(),
  lat: z.number(),
  /** the A grid holding the position (null just outside every grid) */
  gridId: z.number().nullable(),
  gridName: z.string().nullable(),
  riskLevel: RiskLevel,
  status: EnterpriseStatus,
  watch: z.boolean(),
  watchReason: z.string().nullable(),
  watchReviewOn: z.string().nullable(),
  contact: z.string().nullable(),
  /** masked for roles that do not call enterprises */
  phone: z.string().nullable(),
  departmentIds: z.array(z.number()),
  openHazards: z.number(),
  keyUnit: z.boolean(),
  /** the key unit's own C-class grid (专属网格) */
  cGridId: z.number().nullable(),
  cGridName: z.string().nullable(),
  version: z.number(),
});
export type Enterprise = z.infer<typeof Enterprise>;

export const EnterpriseListQuery = z.object({
  q: text(100).optional(),
  status: EnterpriseStatus.optional(),
  riskLevel: z
    .string()
    .regex(/^(low|medium|high)(,(low|medium|high))*$/)
    .optional()
    .describe('one or more of low, medium, high, comma-separated'),
  watch: z.enum(['true', 'false']).optional(),
  keyUnit: z.enum(['true', 'false']).optional(),
  openHazards: z.enum(['true', 'false']).optional().describe('true: only enterprises with hazards not yet closed out'),
  industry: z.string().trim().regex(/^[A-Ta-t]?\d{0,4}$/).max(5).optional().describe('GB/T 4754 code prefix: a section letter or a division, e.g. C or C29'),
  gridId: dbIdParam().optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const EnterpriseList = z.object({ items: z.array(Enterprise), total: z.number() });

export const HazardInput = z.object({
  enterpriseId: dbId(),
  grade: HazardGrade,
  type: HazardType,
  description: text(2000).min(2),
  photos: z.array(photoHash).max(9).default([]),
});
export type HazardInput = z.infer<typeof HazardInput>;

export const HazardMoveInput = z.object({
  version: dbCount(),
  note: text(2000).optional(),
  photos: z.array(photoHash).max(9).default([]),
  /** issue_notice / extend: the period in working days on the office calendar … */
  deadlineDays: z.number().int().optional(),
  /** … or the last day (Beijing date) */
  deadlineDate: z.iso.date().optional(),
  /** hand_over: the law-enforcement department the case is dispatched to */
  departmentId: dbId().optional(),
});
export type HazardMoveInput = z.infer<typeof HazardMoveInput>;

export const HazardSummary = z.object({
  id: z.number(),
  number: z.string(),
  enterpriseId: z.number(),
  enterpriseName: z.string(),
  creditCode: z.string(),
  gridName: z.string().nullable(),
  grade: HazardGrade,
  type: HazardType,
  description: z.string(),
  state: HazardState,
  foundAt: z.string(),
  finderName: z.string().nullable(),
  noticeNumber: z.string().nullable(),
  noticeIssuedAt: z.string().nullable(),
  deadline: z.string().nullable(),
  receiptAt: z.string().nullable(),
  reinspectedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  caseId: z.number().nullable(),
  /** yellow when past the warning share of its deadline, red past it (open hazards with a notice) */
  warning: z.enum(['none', 'yellow', 'red']),
  version: z.number(),
});
export type HazardSummary = z.infer<typeof HazardSummary>;

export const HazardDetail = HazardSummary.extend({
  photos: z.array(z.string()),
  receiptPhotos: z.array(z.string()),
  /** the enterprise's signed receipt of the notice: who recorded it and when, the file (GET /api/hazards/:id/receipt) */
  receipt: z.object({ at: z.string(), byName: z.string().nullable(), mime: z.string().nullable(), url: z.string() }).nullable(),
  allowedMoves: z.array(HazardMove),
  events: z.array(
    z.object({
      move: z.string(),
      fromState: z.string().nullable(),
      toState: z.string(),
      actorName: z.string().nullable(),
      actorRole: z.string(),
      note: z.string().nullable(),
      photos: z.array(z.string()),
      data: z.record(z.string(), z.unknown()),
      at: z.string(),
    }),
  ),
});
export type HazardDetail = z.infer<typeof HazardDetail>;

export const HazardListQuery = z.object({
  state: z.string().regex(/^[a-z_,]+$/).max(200).optional(),
  grade: HazardGrade.optional(),
  type: HazardType.optional(),
  enterpriseId: dbIdParam().optional(),
  /** the hazard handed over as this case (移交执法), the link from a case back to its hazard */
  caseId: dbIdParam().optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const HazardList = z.object({ items: z.array(HazardSummary), total: z.number() });

export const LEDGER_KINDS = ['inspection', 'rectification', 'handover', 'industry', 'watch'] as const;
export const LedgerKind = z.enum(LEDGER_KINDS);
export type LedgerKind = z.infer<typeof LedgerKind>;

export const LedgerQuery = z.object({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  grade: HazardGrade.optional(),
  state: HazardState.optional(),
  /** 行业监管台账 / 不放心企业台账: a GB/T 4754 code prefix or part of the industry name */
  industry: text(60).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type LedgerQuery = z.infer<typeof LedgerQuery>;

export const LedgerList = z.object({
  kind: LedgerKind,
  title: z.string(),
  period: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  total: z.number(),
});
export type LedgerList = z.infer<typeof LedgerList>;

export const InspectionTemplateInput = z.object({
  name: text(100).min(2),
  industry: text(60).optional(),
  items: z.array(z.object({ text: text(300).min(2), grade: HazardGrade.default('general'), type: HazardType.default('other') })).min(1).max(100),
});
export type InspectionTemplateInput = z.infer<typeof InspectionTemplateInput>;
export const InspectionTemplate = z.object({
  id: z.number(),
  name: z.string(),
  industry: z.string().nullable(),
  items: z.array(z.object({ text: z.string(), grade: HazardGrade, type: HazardType })),
  /** retired: kept for the inspections and plans that used it, no longer offered nor matched */
  retiredAt: z.string().nullable(),
});
export type InspectionTemplate = z.infer<typeof InspectionTemplate>;
export const InspectionTemplateListQuery = z.object({
  /** with the retired templates too (the administrator's screen) */
  includeRetired: z.enum(['true', 'false']).optional(),
});

export const InspectionInput = z.object({
  enterpriseId: dbId(),
  templateId: dbId().optional(),
  /** where the inspector stood (the phone's position) */
  lng: z.number().min(-180).max(180).optional(),
  lat: z.number().min(-90).max(90).optional(),
  note: text(2000).optional(),
  /** each checked item: a failed one becomes a hazard of its grade and type */
  items: z
    .array(
      z.object({
        text: text(300).min(2),
        result: z.enum(['pass', 'fail', 'na']),
        grade: HazardGrade.default('general'),
        type: HazardType.default('other'),
        note: text(1000).optional(),
        photos: z.array(photoHash).max(9).default([]),
      }),
    )
    .min(1)
    .max(100),
});
export type InspectionInput = z.infer<typeof InspectionInput>;

export const Inspection = z.object({
  id: z.number(),
  enterpriseId: z.number(),
  enterpriseName: z.string(),
  templateName: z.string().nullable(),
  inspectorName: z.string().nullable(),
  at: z.string(),
  /** the monthly plan this inspection fulfilled */
  planId: z.number().nullable(),
  failed: z.number(),
  note: z.string().nullable(),
  items: z.array(z.object({ text: z.string(), result: z.enum(['pass', 'fail', 'na']), note: z.string().nullable(), photos: z.array(z.string()), hazardId: z.number().nullable() })),
});
export type Inspection = z.infer<typeof Inspection>;
export const InspectionListQuery = z.object({ enterpriseId: dbIdParam().optional() });
