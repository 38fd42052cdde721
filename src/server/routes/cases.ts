// /api/cases and /api/tasks: report, list, detail, moves.
import { exportCaseList } from '../../services/exports.js';
import { XLSX_TYPE } from '../../services/xlsx-export.js';
import { sendXlsx } from '../xlsx-reply.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dbIdParam } from '../../shared/db-values.js';
import { CaseDetail, CaseList, CaseListQuery, MoveInput, MoveName, ReportInput, SimilarList, SimilarQuery } from '../../shared/api.js';
import { DUPLICATE_DAYS, DUPLICATE_RADIUS_M } from '../../services/cases/cases.js';
import { caseDetail, myTasks, reportCaseDetail, searchCases, similarCases } from '../../services/cases/cases.js';
import { moveCase } from '../../services/cases/moves.js';
import { WORKFLOW } from '../../domain/cases/workflow.js';
import type { ActorContext } from '../../services/context.js';
import { actorOf, ANY_ROLE } from '../auth-plugin.js';
import { presentCaseDetail, presentCaseSummary } from '../presenters.js';
import type { ServerDeps } from '../deps.js';

/** Roles that make some move in the workflow table (administrators watch, they do not act on cases). */
const MOVERS = [...new Set(Object.values(WORKFLOW).flatMap((m) => m.roles))];

const IdParams = z.object({ id: dbIdParam() });

export async function caseRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = (req: FastifyRequest): ActorContext => ({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() });

  r.get(
    '/api/cases',
    { config: { roles: ANY_ROLE }, schema: { tags: ['cases'], summary: 'Cases in my scope, filtered and paged', querystring: CaseListQuery, response: { 200: CaseList } } },
    async (req) => {
      const { items, ...counted } = await searchCases(ctx(req), req.query);
      return { items: items.map((i) => presentCaseSummary(i, deps.clock.now())), ...counted, page: req.query.page, pageSize: req.query.pageSize };
    },
  );
  const ExportQuery = CaseListQuery.omit({ page: true, pageSize: true, after: true, count: true });
  r.get(
    '/api/cases/export.xlsx',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags: ['cases', 'exports'],
        summary: 'The case list under the same filter as GET /api/cases, as .xlsx (streamed; at most 100,000 rows; cells starting = + - @ neutralised)',
        description: 'The header `X-Total-Count` is the list’s total under the filter; more than 100,000 rows is refused (422 `export_too_large`).',
        querystring: ExportQuery,
        produces: [XLSX_TYPE],
      },
    },
    async (req, reply) => sendXlsx(reply, await exportCaseList(ctx(req), req.query, 'cases')),
  );
  r.get(
    '/api/tasks/export.xlsx',
    {
      config: { roles: ANY_ROLE },
      schema: { tags: ['cases', 'exports'], summary: 'My tasks under the same filter as GET /api/tasks, as .xlsx (streamed)', querystring: ExportQuery, produces: [XLSX_TYPE] },
    },
    async (req, reply) => sendXlsx(reply, await exportCaseList(ctx(req), req.query, 'tasks')),
  );
  r.get(
    '/api/tasks',
    { config: { roles: ANY_ROLE }, schema: { tags: ['cases'], summary: 'My tasks: cases waiting for a move of mine, nearest deadline first', querystring: CaseListQuery, response: { 200: CaseList } } },
    async (req) => {
      const { items, ratingNotes, ...counted } = await myTasks(ctx(req), req.query);
      const present = (i: (typeof items)[number]) => ({ ...presentCaseSummary(i, deps.clock.now()), ...(ratingNotes.has(i.id) ? { ratingNote: ratingNotes.get(i.id)! } : {}) });
      return { items: items.map(present), ...counted, page: req.query.page, pageSize: req.query.pageSize };
    },
  );
  r.get(
    '/api/cases/similar',
    {
      config: { roles: ANY_ROLE }, schema: {
        tags: ['cases'],
        summary: 'Open cases of a category near a position, reported recently: possible duplicates (并单)',
        querystring: SimilarQuery,
        response: { 200: SimilarList },
      },
    },
    async (req) => {
      const items = await similarCases(ctx(req), req.query);
      return { items: items.map((i) => ({ ...i, reportedAt: i.reportedAt?.toISOString() ?? null })), radiusM: DUPLICATE_RADIUS_M, days: DUPLICATE_DAYS };
    },
  );
  r.get(
    '/api/cases/:id',
    { config: { roles: ANY_ROLE }, schema: { tags: ['cases'], summary: 'One case with its timeline and the moves I may make now', params: IdParams, response: { 200: CaseDetail } } },
    async (req) => presentCaseDetail(await caseDetail(ctx(req), req.params.id), deps.clock.now()),
  );
  r.post(
    '/api/cases',
    { config: { roles: ['grid_worker', 'operator', 'citizen'] }, schema: { tags: ['cases'], summary: 'Report a case (上报); the grid is found from the position', body: ReportInput, response: { 201: CaseDetail } } },
    async (req, reply) => {
      const c = ctx(req);
      // the answer is built from what the report wrote (no re-read of the case)
      return reply.status(201).send(presentCaseDetail(await reportCaseDetail(c, req.body, req.user?.display_name ?? ''), c.now));
    },
  );
  r.post(
    '/api/cases/:id/moves/:move',
    {
      config: { roles: MOVERS }, schema: {
        tags: ['cases'],
        summary: 'Make a move on a case (受理, 派遣, 签收, 处置反馈, 核查, 结案 …)',
        description: 'Refused with 409 when the case is in another state or was changed since `version`, 403 when the role may not make the move.',
        params: IdParams.extend({ move: MoveName }),
        body: MoveInput,
        response: { 200: CaseDetail },
      },
    },
    async (req) => {
      const c = ctx(req);
      await moveCase(c, req.params.id, req.params.move, req.body);
      return presentCaseDetail(await caseDetail(c, req.params.id), c.now);
    },
  );
}
