// /api/enterprises beyond the archive's CRUD (issue 14): the .xlsx template, import and export of the registry, the
// enterprise layer of 一张图, and one enterprise's timeline.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dbIdParam } from '../../shared/db-values.js';
import { EnterpriseFilterQuery, EnterpriseImportQuery, EnterpriseImportResult, EnterpriseMapQuery, EnterprisePoints, EnterpriseTimeline, TimelineQuery } from '../../shared/enterprises-api.js';
import { ENTERPRISE_EDITORS } from '../../services/hazards/enterprises.js';
import { enterpriseTemplate, exportEnterprises, importEnterprises } from '../../services/hazards/enterprise-sheet.js';
import { enterprisePoints, enterpriseTimeline, REGISTRY_READERS } from '../../services/hazards/enterprise-registry.js';
import { requireRole } from '../../services/access.js';
import type { ActorContext } from '../../services/context.js';
import { XLSX_TYPE } from '../../services/xlsx-export.js';
import { actorOf, STAFF } from '../auth-plugin.js';
import { sendXlsx } from '../xlsx-reply.js';
import type { ServerDeps } from '../deps.js';

const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
const IdParams = z.object({ id: dbIdParam() });
const tags = ['enterprises'];

export async function enterpriseRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = (req: FastifyRequest): ActorContext => ({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() });

  r.get(
    '/api/enterprises/template.xlsx',
    { config: { roles: ENTERPRISE_EDITORS }, schema: { tags, summary: 'The enterprise sheet template (企业档案表): columns, two example rows and instructions', produces: [XLSX_TYPE] } },
    async (req, reply) =>
      reply
        .type(XLSX_TYPE)
        .header('content-disposition', `attachment; filename="enterprise-template.xlsx"; filename*=UTF-8''${encodeURIComponent('企业档案导入模板.xlsx')}`)
        .send(await enterpriseTemplate(ctx(req))),
  );
  r.post(
    '/api/enterprises/import',
    {
      config: { roles: ENTERPRISE_EDITORS, fileLimit: IMPORT_MAX_BYTES },
      bodyLimit: IMPORT_MAX_BYTES,
      schema: {
        tags,
        summary: 'Import enterprises from the sheet (.xlsx, multipart field "file"): new ones created, registered ones updated, all or nothing',
        description:
          'Any problem answers 422 enterprise_import_invalid naming the first row and column, with `details`: every problem by Excel row and column header in the reader\'s language ' +
          '(统一社会信用代码 per GB 32100, GB/T 4754 industry code, position in a grid of the scope, duplicates in the file, a registered code outside the scope, required cells of a new enterprise, departments, C grids, formulas). Nothing is written. ' +
          'A row whose 统一社会信用代码 is registered updates that enterprise with the columns the sheet has (a required cell left blank keeps the archive\'s value), each change audited before/after. ' +
          'The answer counts created, updated and unchanged rows; `dryRun=true` checks and counts without writing.',
        consumes: ['multipart/form-data'],
        querystring: EnterpriseImportQuery,
        response: { 200: EnterpriseImportResult },
      },
    },
    async (req) => {
      const c = ctx(req);
      requireRole(c.actor, ENTERPRISE_EDITORS);
      let bytes: Buffer = Buffer.alloc(0);
      if (req.isMultipart()) {
        const file = await req.file({ limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } });
        if (file) bytes = await file.toBuffer();
      }
      return importEnterprises(c, bytes, { dryRun: req.query.dryRun === 'true' });
    },
  );
  r.get(
    '/api/enterprises/export',
    {
      config: { roles: STAFF },
      schema: {
        tags: ['enterprises', 'exports'],
        summary: 'The registry as .xlsx under the same filter as the list (the import\'s columns first; text starting = + - @ neutralised); x-total-count is the list\'s total',
        querystring: EnterpriseFilterQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (req, reply) => sendXlsx(reply, await exportEnterprises(ctx(req), req.query)),
  );
  r.get(
    '/api/enterprises/map',
    {
      config: { roles: REGISTRY_READERS },
      schema: {
        tags: ['enterprises', 'map'],
        summary: 'Enterprise points of my scope for 一张图 (GeoJSON): risk level, open hazards and their worst grade; filtered by risk level, open hazards, industry, box',
        querystring: EnterpriseMapQuery,
        response: { 200: EnterprisePoints },
      },
    },
    async (req) => enterprisePoints(ctx(req), req.query),
  );
  r.get(
    '/api/enterprises/:id/timeline',
    {
      config: { roles: REGISTRY_READERS },
      schema: {
        tags,
        summary: 'One enterprise of my scope on one timeline, newest first: archive changes, inspections, hazard moves, notices and cases (each in my scope)',
        params: IdParams,
        querystring: TimelineQuery,
        response: { 200: EnterpriseTimeline },
      },
    },
    async (req) => enterpriseTimeline(ctx(req), req.params.id, req.query.limit),
  );
}
