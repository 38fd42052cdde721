// /api/enterprises, /api/hazards, /api/ledgers: the enterprise archive (企业档案), hazards (隐患) through their
// lifecycle with the rectification notice as .docx, and the hazard ledgers (台账) as lists and .xlsx exports.
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { describeLifecycle, moverRoles } from '../../domain/lifecycle/engine.js';
import { HAZARD_LIFECYCLE } from '../../domain/hazards/lifecycle.js';
import { ENTERPRISE_LEDGERS, isEnterpriseLedger, LEDGERS } from '../../domain/hazards/ledgers.js';
import { dbIdParam } from '../../shared/db-values.js';
import {
  Enterprise,
  EnterpriseInput,
  EnterpriseList,
  EnterpriseListQuery,
  EnterpriseUpdate,
  HazardDetail,
  HazardInput,
  HazardList,
  HazardListQuery,
  HazardMove,
  HazardMoveInput,
  Inspection,
  InspectionInput,
  InspectionListQuery,
  InspectionTemplate,
  InspectionTemplateListQuery,
  InspectionTemplateInput,
  LedgerKind,
  LedgerList,
  LedgerQuery,
} from '../../shared/hazards-api.js';
import { createEnterprise, ENTERPRISE_EDITORS, enterpriseDetail, searchEnterprises, updateEnterprise } from '../../services/hazards/enterprises.js';
import { hazardDetail, moveHazard, reportHazard, searchHazards } from '../../services/hazards/hazards.js';
import { exportLedger, ledgerList, ledgerTotal } from '../../services/hazards/ledgers.js';
import { hazardNoticeDocx } from '../../services/hazards/notice-docx.js';
import { createInspectionTemplate, inspectionDetail, inspectionTemplates, recordInspection, searchInspections } from '../../services/hazards/inspections.js';
import type { ActorContext } from '../../services/context.js';
import { actorOf, STAFF } from '../auth-plugin.js';
import type { ServerDeps } from '../deps.js';

const IdParams = z.object({ id: dbIdParam() });
const MoveParams = z.object({ id: dbIdParam(), move: HazardMove });
const KindParams = z.object({ kind: LedgerKind });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const FINDERS = HAZARD_LIFECYCLE.moves.find.roles;

function attachment(reply: FastifyReply, type: string, filename: string, ascii: string) {
  return reply.type(type).header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
}

export async function hazardRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = (req: FastifyRequest): ActorContext => ({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() });

  // ---- enterprises ---------------------------------------------------------------------------------------------
  r.get(
    '/api/enterprises',
    { config: { roles: STAFF }, schema: { tags: ['enterprises'], summary: 'Enterprises in my scope (area, or the ones my department supervises), filtered; phones masked for roles that do not call them', querystring: EnterpriseListQuery, response: { 200: EnterpriseList } } },
    async (req) => searchEnterprises(ctx(req), req.query),
  );
  r.get(
    '/api/enterprises/:id',
    { config: { roles: STAFF }, schema: { tags: ['enterprises'], summary: 'One enterprise of my scope', params: IdParams, response: { 200: Enterprise } } },
    async (req) => enterpriseDetail(ctx(req), req.params.id),
  );
  r.post(
    '/api/enterprises',
    {
      config: { roles: ENTERPRISE_EDITORS },
      schema: {
        tags: ['enterprises'],
        summary: 'Register an enterprise: 统一社会信用代码 checked per GB 32100 (422 credit_code_invalid naming the field), its A grid found from the position',
        body: EnterpriseInput,
        response: { 201: Enterprise },
      },
    },
    async (req, reply) => reply.status(201).send(await createEnterprise(ctx(req), req.body)),
  );
  r.put(
    '/api/enterprises/:id',
    { config: { roles: ENTERPRISE_EDITORS }, schema: { tags: ['enterprises'], summary: 'Change an enterprise archive (with the version the client saw)', params: IdParams, body: EnterpriseUpdate, response: { 200: Enterprise } } },
    async (req) => updateEnterprise(ctx(req), req.params.id, req.body),
  );

  // ---- hazards -------------------------------------------------------------------------------------------------
  r.get(
    '/api/hazards',
    { config: { roles: STAFF }, schema: { tags: ['hazards'], summary: 'Hazards in my scope, newest first; `caseId` finds the hazard a law-enforcement case came from', querystring: HazardListQuery, response: { 200: HazardList } } },
    async (req) => searchHazards(ctx(req), req.query),
  );
  r.get(
    '/api/hazards/:id',
    { config: { roles: STAFF }, schema: { tags: ['hazards'], summary: 'One hazard with its timeline and the moves I may make now', params: IdParams, response: { 200: HazardDetail } } },
    async (req) => hazardDetail(ctx(req), req.params.id),
  );
  r.post(
    '/api/hazards',
    { config: { roles: FINDERS }, schema: { tags: ['hazards'], summary: 'Record a hazard found at an enterprise of my scope (重大: the leaders are told at once)', body: HazardInput, response: { 201: HazardDetail } } },
    async (req, reply) => reply.status(201).send(await reportHazard(ctx(req), req.body)),
  );
  r.post(
    '/api/hazards/:id/moves/:move',
    {
      config: { roles: moverRoles(HAZARD_LIFECYCLE) },
      schema: {
        tags: ['hazards'],
        summary: 'Make a move: fix_on_spot, issue_notice (deadlineDays or deadlineDate), record_receipt, reinspect_pass / reinspect_fail, extend, close_out (销号; 重大 by a leader), hand_over (移交执法: opens a case)',
        params: MoveParams,
        body: HazardMoveInput,
        response: { 200: HazardDetail },
      },
    },
    async (req) => moveHazard(ctx(req), req.params.id, req.params.move, req.body),
  );
  r.get(
    '/api/hazards/:id/notice.docx',
    { config: { roles: STAFF }, schema: { tags: ['hazards'], summary: 'The rectification notice (隐患整改通知书) as .docx', params: IdParams, produces: [DOCX] } },
    async (req, reply) => {
      const { filename, bytes } = await hazardNoticeDocx(ctx(req), req.params.id);
      return attachment(reply, DOCX, filename, `notice-${req.params.id}.docx`).send(bytes);
    },
  );

  // ---- inspections ----------------------------------------------------------------------------------------------
  r.get(
    '/api/inspection-templates',
    {
      config: { roles: STAFF },
      schema: {
        tags: ['inspections'],
        summary: 'Checklist templates (排查表) by industry, those in use (an administrator may ask for the retired ones too: includeRetired=true)',
        querystring: InspectionTemplateListQuery,
        response: { 200: z.array(InspectionTemplate) },
      },
    },
    async (req) => inspectionTemplates(ctx(req), req.query),
  );
  r.post(
    '/api/inspection-templates',
    { config: { roles: ['admin'] }, schema: { tags: ['inspections'], summary: 'Create a checklist template: items with the grade and type of the hazard a failed item becomes', body: InspectionTemplateInput, response: { 201: InspectionTemplate } } },
    async (req, reply) => reply.status(201).send(await createInspectionTemplate(ctx(req), req.body)),
  );
  r.get(
    '/api/inspections',
    { config: { roles: STAFF }, schema: { tags: ['inspections'], summary: 'Inspections in my scope, newest first (by enterprise)', querystring: InspectionListQuery, response: { 200: z.array(Inspection) } } },
    async (req) => searchInspections(ctx(req), req.query),
  );
  r.get(
    '/api/inspections/:id',
    { config: { roles: STAFF }, schema: { tags: ['inspections'], summary: 'One inspection with its items and the hazards its failed items became', params: IdParams, response: { 200: Inspection } } },
    async (req) => inspectionDetail(ctx(req), req.params.id),
  );
  r.post(
    '/api/inspections',
    { config: { roles: FINDERS }, schema: { tags: ['inspections'], summary: 'Record an inspection of an enterprise of my scope: items pass / fail / n.a.; each failed item becomes a hazard', body: InspectionInput, response: { 201: Inspection } } },
    async (req, reply) => reply.status(201).send(await recordInspection(ctx(req), req.body)),
  );

  // ---- ledgers -------------------------------------------------------------------------------------------------
  r.get(
    '/api/ledgers/:kind',
    { config: { roles: STAFF }, schema: { tags: ['ledgers'], summary: 'A ledger (inspection 隐患排查台账, rectification 隐患整改台账, handover 移交执法台账, industry 行业监管台账, watch 不放心企业台账) as a filtered list with its total', params: KindParams, querystring: LedgerQuery, response: { 200: LedgerList } } },
    async (req) => ledgerList(ctx(req), req.params.kind, req.query),
  );
  r.get(
    '/api/ledgers/:kind/export',
    {
      config: { roles: STAFF },
      schema: {
        tags: ['ledgers', 'exports'],
        summary: 'A ledger as .xlsx under the same filter as the list (title, unit and period, 序号, signature footer; cells starting = + - @ neutralised); x-total-count says the rows',
        params: KindParams,
        querystring: LedgerQuery.omit({ page: true, pageSize: true }),
        produces: [XLSX],
      },
    },
    async (req, reply) => {
      const c = ctx(req);
      const { kind } = req.params;
      const total = await ledgerTotal(c, kind, req.query);
      const out = new PassThrough();
      exportLedger(c, kind, req.query, out).catch((err: Error) => {
        req.log.error({ err }, 'ledger export failed');
        out.destroy(err);
      });
      const title = isEnterpriseLedger(kind) ? ENTERPRISE_LEDGERS[kind].title : LEDGERS[kind].title;
      return attachment(reply, XLSX, `${title}.xlsx`, `ledger-${kind}.xlsx`).header('x-total-count', String(total)).send(out);
    },
  );
}
