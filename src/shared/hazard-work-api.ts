// The API of monthly inspection plans (排查计划), checklist editing, the printable rectification notice and the
// enterprise's signed receipt (issue 14, second part): zod schemas shared by the routes and the web app.
import { z } from 'zod';
import { dbId } from './db-values.js';
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
