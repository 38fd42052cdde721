// The API of monthly inspection plans (排查计划), checklist editing, the printable rectification notice and the
// enterprise's signed receipt (issue 14, second part): zod schemas shared by the routes and the web app.
import { z } from 'zod';
import { dbCount, dbId } from './db-values.js';
import { InspectionTemplateInput } from './hazards-api.js';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

export const InspectionPlanInput = z.object({
  gridId: dbId(),
  /** YYYY-MM (Beijing) */
  month,
});
export type InspectionPlanInput = z.infer<typeof InspectionPlanInput>;

const ProgressShape = { done: z.number(), total: z.number(), percent: z.number() };

export const InspectionPlanSummary = z.object({
  id: z.number(),
  gridId: z.number(),
  gridName: z.string(),
  gridCode: z.string(),
  communityName: z.string().nullable(),
  month: z.string(),
  /** the inspector the plan is assigned to */
  inspectorId: z.number().nullable(),
  inspectorName: z.string().nullable(),
  version: z.number(),
  ...ProgressShape,
});
export type InspectionPlanSummary = z.infer<typeof InspectionPlanSummary>;

export const InspectionPlanBoard = z.object({
  month: z.string(),
  plans: z.array(InspectionPlanSummary),
  communities: z.array(z.object({ communityName: z.string(), ...ProgressShape })),
  overall: z.object(ProgressShape),
});
export type InspectionPlanBoard = z.infer<typeof InspectionPlanBoard>;

export const InspectionPlanDetail = InspectionPlanSummary.extend({
  items: z.array(
    z.object({
      enterpriseId: z.number(),
      enterpriseName: z.string(),
      industryName: z.string().nullable(),
      templateId: z.number().nullable(),
      templateName: z.string().nullable(),
      inspectionId: z.number().nullable(),
      inspectedAt: z.string().nullable(),
      inspectorName: z.string().nullable(),
      failed: z.number().nullable(),
    }),
  ),
});
export type InspectionPlanDetail = z.infer<typeof InspectionPlanDetail>;

export const InspectionPlanQuery = z.object({ month });

/** An edit of a plan after it was made: enterprises added or removed (not once inspected), the inspector changed. */
export const InspectionPlanUpdate = z.object({
  /** the plan's version the editor saw (409 when it changed since) */
  version: dbCount(),
  /** the inspector it is assigned to; null unassigns, left out keeps it */
  inspectorId: dbId().nullable().optional(),
  add: z.array(dbId()).max(500).default([]),
  remove: z.array(dbId()).max(500).default([]),
});
export type InspectionPlanUpdate = z.infer<typeof InspectionPlanUpdate>;

/** What a plan's editor offers: who it may be assigned to and the grid's enterprises not in it. */
export const InspectionPlanOptions = z.object({
  inspectors: z.array(z.object({ id: z.number(), name: z.string(), role: z.string() })),
  enterprises: z.array(z.object({ id: z.number(), name: z.string(), industryName: z.string().nullable(), templateId: z.number().nullable(), templateName: z.string().nullable() })),
});
export type InspectionPlanOptions = z.infer<typeof InspectionPlanOptions>;

export const InspectionTemplateUpdate = InspectionTemplateInput;
export type InspectionTemplateUpdate = z.infer<typeof InspectionTemplateUpdate>;

/** The rectification notice as the print page shows it: the same paragraphs the .docx is made of. */
export const NoticeParagraph = z.object({
  text: z.string(),
  align: z.enum(['left', 'center', 'right']),
  bold: z.boolean(),
  /** half-points, as in the .docx (32 = 三号 16 pt) */
  size: z.number(),
  indent: z.boolean(),
  role: z.enum(['title', 'number', 'body', 'signature', 'receipt', 'small']),
});
export const NoticePrint = z.object({
  number: z.string(),
  hazardId: z.number(),
  hazardNumber: z.string(),
  paragraphs: z.array(NoticeParagraph),
  receipt: z.object({ at: z.string(), byName: z.string().nullable() }).nullable(),
});
export type NoticePrint = z.infer<typeof NoticePrint>;
