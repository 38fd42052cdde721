// /api/inspection-plans (made, edited), PUT /api/inspection-templates/:id and its retirement, the printable notice and the signed receipt (issue 14,
// second part): monthly inspection plans per grid with their progress, checklist editing by administrators, the
// rectification notice as the print page shows it, and the enterprise's signed receipt uploaded (photo or PDF) and
// downloaded.
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HAZARD_LIFECYCLE } from '../../domain/hazards/lifecycle.js';
import { DomainError } from '../../domain/errors.js';
import { dbCount, dbIdParam } from '../../shared/db-values.js';
import { HazardDetail, InspectionTemplate } from '../../shared/hazards-api.js';
import {
  InspectionPlanBoard,
  InspectionPlanDetail,
  InspectionPlanInput,
  InspectionPlanOptions,
  InspectionPlanQuery,
  InspectionPlanUpdate,
  InspectionTemplateUpdate,
  NoticePrint,
} from '../../shared/hazard-work-api.js';
import {
  createInspectionPlan,
  inspectionPlanBoard,
  inspectionPlanDetail,
  inspectionPlanOptions,
  PLANNERS,
  retireInspectionTemplate,
  updateInspectionPlan,
  updateInspectionTemplate,
} from '../../services/hazards/plans.js';
import { hazardNoticePrint } from '../../services/hazards/notice-docx.js';
import { hazardReceiptFile, RECEIPT_MAX_BYTES, recordReceiptUpload } from '../../services/hazards/receipts.js';
import type { ActorContext } from '../../services/context.js';
import { actorOf, STAFF } from '../auth-plugin.js';
import type { ServerDeps } from '../deps.js';

const IdParams = z.object({ id: dbIdParam() });
const ReceiptQuery = z.object({ version: z.coerce.number().pipe(dbCount()), note: z.string().trim().max(2000).optional() });

export async function hazardWorkRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = (req: FastifyRequest): ActorContext => ({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() });

  // ---- inspection plans -----------------------------------------------------------------------------------------
  r.get(
    '/api/inspection-plans',
    {
      config: { roles: STAFF },
      schema: { tags: ['inspections'], summary: "A month's inspection plans in my scope with progress (done/total) per grid, per community and overall", querystring: InspectionPlanQuery.partial(), response: { 200: InspectionPlanBoard } },
    },
    async (req) => inspectionPlanBoard(ctx(req), req.query),
  );
  r.post(
    '/api/inspection-plans',
    {
      config: { roles: PLANNERS },
      schema: {
        tags: ['inspections'],
        summary: "Plan a grid's month: every operating enterprise of the grid, each with the checklist its industry calls for (409 when the grid's month is planned)",
        body: InspectionPlanInput,
        response: { 201: InspectionPlanDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await createInspectionPlan(ctx(req), req.body)),
  );
  r.get(
    '/api/inspection-plans/:id',
    { config: { roles: STAFF }, schema: { tags: ['inspections'], summary: 'One plan: its enterprises, their checklists and the inspections that fulfilled them', params: IdParams, response: { 200: InspectionPlanDetail } } },
    async (req) => inspectionPlanDetail(ctx(req), req.params.id),
  );
  r.patch(
    '/api/inspection-plans/:id',
    {
      config: { roles: PLANNERS },
      schema: {
        tags: ['inspections'],
        summary: "Edit a plan after it was made: add enterprises of its grid, remove ones not yet inspected, change the assigned inspector (version: the plan's version seen; 409 when stale)",
        params: IdParams,
        body: InspectionPlanUpdate,
        response: { 200: InspectionPlanDetail },
      },
    },
    async (req) => updateInspectionPlan(ctx(req), req.params.id, req.body),
  );
  r.get(
    '/api/inspection-plans/:id/options',
    {
      config: { roles: PLANNERS },
      schema: { tags: ['inspections'], summary: "What a plan's editor offers: the inspectors it may be assigned to and the grid's enterprises not in it", params: IdParams, response: { 200: InspectionPlanOptions } },
    },
    async (req) => inspectionPlanOptions(ctx(req), req.params.id),
  );
  r.post(
    '/api/inspection-templates/:id/retire',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['inspections'],
        summary: 'Retire a checklist template: kept for the inspections and plans that used it, no longer offered nor matched; open plan items get the next fitting one (409 when already retired)',
        params: IdParams,
        response: { 200: InspectionTemplate },
      },
    },
    async (req) => retireInspectionTemplate(ctx(req), req.params.id),
  );
  r.put(
    '/api/inspection-templates/:id',
    { config: { roles: ['admin'] }, schema: { tags: ['inspections'], summary: 'Edit a checklist template: name, industry (GB/T 4754 code prefix, name or 通用) and items', params: IdParams, body: InspectionTemplateUpdate, response: { 200: InspectionTemplate } } },
    async (req) => updateInspectionTemplate(ctx(req), req.params.id, req.body),
  );

  // ---- the notice, printed, and its signed receipt ----------------------------------------------------------------
  r.get(
    '/api/hazards/:id/notice',
    { config: { roles: STAFF }, schema: { tags: ['hazards'], summary: 'The rectification notice (隐患整改通知书) for its print page: the same paragraphs and number as the .docx', params: IdParams, response: { 200: NoticePrint } } },
    async (req) => hazardNoticePrint(ctx(req), req.params.id),
  );
  r.post(
    '/api/hazards/:id/receipt',
    {
      config: { roles: HAZARD_LIFECYCLE.moves.record_receipt.roles, fileLimit: RECEIPT_MAX_BYTES },
      schema: {
        tags: ['hazards'],
        summary: "Record the enterprise's signed receipt of the notice (multipart field \"file\": a JPEG/PNG/WebP photo or a PDF, at most 10 MB); the record_receipt move, with the version the client saw",
        consumes: ['multipart/form-data'],
        params: IdParams,
        querystring: ReceiptQuery,
        response: { 200: HazardDetail },
      },
    },
    async (req) => {
      if (!req.isMultipart()) throw new DomainError('hazard_receipt_missing');
      const file = await req.file({ limits: { fileSize: RECEIPT_MAX_BYTES, files: 1 } });
      if (!file) throw new DomainError('hazard_receipt_missing');
      const bytes = await file.toBuffer();
      if (file.file.truncated) throw new DomainError('photo_too_large', { limitMb: RECEIPT_MAX_BYTES / 1024 / 1024 });
      return recordReceiptUpload(ctx(req), deps.config.dataDir, req.params.id, req.query, bytes);
    },
  );
  r.get(
    '/api/hazards/:id/receipt',
    { config: { roles: STAFF }, schema: { tags: ['hazards'], summary: "The enterprise's signed receipt as uploaded (photo or PDF)", params: IdParams, produces: ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] } },
    async (req, reply) => {
      const f = await hazardReceiptFile(ctx(req), deps.config.dataDir, req.params.id);
      reply.header('cache-control', 'private, no-cache');
      reply.header('content-disposition', `inline; filename="receipt-${req.params.id}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
      return reply.type(f.mime).send(createReadStream(f.file));
    },
  );
}
