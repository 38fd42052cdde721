// /api/grids…, /api/routing-rules, /api/key-units and /api/cases/:id/routing: grid administration. Everyone logged
// in reads grids (case counts within their scope, phones masked unless they call people); administrators write.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { message } from '../../shared/messages.js';
import {
  CaseRoutingView,
  CoverageQuery,
  CoverageResult,
  ExportQuery,
  GridDetail,
  GridImportInput,
  GridImportResult,
  GridPerson,
  GridPersonInput,
  GridRef,
  GridRetireInput,
  GridSearchQuery,
  GridSearchResult,
  GridSplitInput,
  GridSplitResult,
  GridTree,
  GridUpdateInput,
  GridValidateResult,
  GridVersion,
  IdParams,
  KeyUnit,
  KeyUnitInput,
  KeyUnitList,
  KeyUnitQuery,
  PeopleImportInput,
  PeopleImportResult,
  PersonParams,
  RoutingRule,
  RoutingRuleInput,
} from '../../shared/grids-api.js';
import { gridCoverage } from '../../services/grids/coverage.js';
import { retireGrid, splitGrid, updateGrid } from '../../services/grids/edit.js';
import { importGrids, MAX_IMPORT_FEATURES, validateGridImport } from '../../services/grids/import.js';
import { createKeyUnit, keyUnits } from '../../services/grids/key-units.js';
import { addPerson, buildPeopleTemplate, exportPeople, importPeople, removePerson } from '../../services/grids/people.js';
import { GridRejected, presentIssues, rejectionBody } from '../../services/grids/problems.js';
import { gridDetail, gridExport, gridSearch, gridTree, gridVersionList } from '../../services/grids/read.js';
import { caseRouting, createRoutingRule, removeRoutingRule, routingRules } from '../../services/grids/routing.js';
import type { ActorContext } from '../../services/context.js';
import { actorOf, ANY_ROLE } from '../auth-plugin.js';
import { errorHandler, langOf } from '../errors.js';
import type { ServerDeps } from '../deps.js';

/** 5000 features of surveyed boundaries run to tens of megabytes; the app-wide limit is 1 MB. */
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function attachment(reply: FastifyReply, type: string, filename: string, ascii: string) {
  return reply.type(type).header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
}

export async function gridRoutes(app: FastifyInstance, deps: ServerDeps) {
  // Refusals that carry a list of problems answer 422 with every problem in the reader's language; a stale grid
  // is a conflict like a stale case. Everything else goes to the app's handler.
  app.setErrorHandler((err: FastifyError | DomainError, req: FastifyRequest, reply: FastifyReply) => {
    const lang = langOf(req);
    if (err instanceof GridRejected) return reply.status(422).send(rejectionBody(err, lang));
    if (err instanceof DomainError && err.code === 'grid_version_conflict') {
      return reply.status(409).send({ error: { code: err.code, message: message(err.code, err.params, lang) } });
    }
    return errorHandler(err, req, reply);
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = (req: FastifyRequest): ActorContext => ({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() });
  const tags = ['grids'];

  // ---- reading ---------------------------------------------------------------------------------------------
  r.get(
    '/api/grids/tree',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'Divisions and active grids as a tree, with open cases per grid in my scope', response: { 200: GridTree } } },
    async (req) => gridTree(ctx(req)),
  );
  r.get(
    '/api/grids/search',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'Find grids by code (prefix) or name (contains)', querystring: GridSearchQuery, response: { 200: GridSearchResult } } },
    async (req) => ({ items: await gridSearch(ctx(req), req.query) }),
  );
  r.get(
    '/api/grids/export.geojson',
    {
      config: { roles: ANY_ROLE }, schema: {
        tags,
        summary: 'Active grids as a GeoJSON FeatureCollection in the chosen datum (WGS84, GCJ02, BD09)',
        description: 'Properties are those the import reads (code, name, parent, class, level) plus the archive fields, so an edited export imports back.',
        querystring: ExportQuery,
      },
    },
    async (req, reply) => {
      const fc = await gridExport(ctx(req), req.query);
      return attachment(reply, 'application/geo+json; charset=utf-8', `grids-${req.query.crs}.geojson`, `grids-${req.query.crs}.geojson`).send(JSON.stringify(fc));
    },
  );
  r.get(
    '/api/grids/coverage',
    {
      config: { roles: ANY_ROLE }, schema: {
        tags,
        summary: '无缝隙、全覆盖: gaps and overlaps of the A-class grids under a division or grid, as polygons with areas',
        querystring: CoverageQuery,
        response: { 200: CoverageResult },
      },
    },
    async (req) => gridCoverage(ctx(req), req.query),
  );

  // ---- people sheets (before /api/grids/:id so the static paths are plain to read) ----------------------------
  r.get(
    '/api/grids/people-template.xlsx',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'The grid-people Excel template (header notes, 职务 drop-down, help sheet)' } },
    async (_req, reply) => attachment(reply, XLSX, '网格人员导入模板.xlsx', 'grid-people-template.xlsx').send(await buildPeopleTemplate()),
  );
  r.get(
    '/api/grids/people.xlsx',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'People of the active grids (of my scope), in the template layout; phones masked unless I call people' } },
    async (req, reply) => attachment(reply, XLSX, '网格人员.xlsx', 'grid-people.xlsx').send(await exportPeople(ctx(req))),
  );
  r.post(
    '/api/grids/people/import',
    {
      bodyLimit: 40 * 1024 * 1024,
      config: { roles: ['admin'] }, schema: {
        tags,
        summary: 'Import the people sheet (administrators): replaces the people of the grids it names; all or nothing',
        description: 'Multipart with the .xlsx in field "file", or JSON `{ "base64": "…" }`. A bad row refuses the whole sheet with 422 and `errors` naming row and column.',
        consumes: ['multipart/form-data', 'application/json'],
        response: { 200: PeopleImportResult },
      },
    },
    async (req) => {
      const c = ctx(req);
      let bytes: Buffer;
      if (req.isMultipart()) {
        const file = await req.file();
        if (!file) throw new GridRejected('grid_people_invalid', [{ index: null, row: 0, problem: 'unreadable_file', params: {} }]);
        bytes = await file.toBuffer();
      } else {
        const body = PeopleImportInput.safeParse(req.body);
        if (!body.success) throw new GridRejected('grid_people_invalid', [{ index: null, row: 0, problem: 'unreadable_file', params: {} }]);
        bytes = Buffer.from(body.data.base64, 'base64');
      }
      return importPeople(c, bytes);
    },
  );

  // ---- import and validation ---------------------------------------------------------------------------------
  r.post(
    '/api/grids/validate',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { roles: ['admin'] }, schema: {
        tags,
        summary: 'Check a grid import without saving: every problem, and what an import would create or update',
        body: GridImportInput,
        response: { 200: GridValidateResult },
      },
    },
    async (req) => {
      const v = await validateGridImport(ctx(req), req.body);
      return { ok: v.ok, total: v.total, errors: presentIssues(v.issues, langOf(req)), created: v.created, updated: v.updated, unchanged: v.unchanged };
    },
  );
  r.post(
    '/api/grids/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { roles: ['admin'] }, schema: {
        tags,
        summary: `Import grids from GeoJSON (administrators; at most ${MAX_IMPORT_FEATURES} features), all or nothing`,
        description:
          'New codes become grids, known codes new versions of their grid (unchanged ones are left alone). Any problem refuses the ' +
          'whole file with 422 and `errors: [{index, code, gridCode, message}]`, and nothing changes. `dryRun: true` only counts.',
        body: GridImportInput,
        response: { 200: GridImportResult },
      },
    },
    async (req) => importGrids(ctx(req), req.body),
  );

  // ---- one grid ----------------------------------------------------------------------------------------------
  r.get(
    '/api/grids/:id',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'One grid: archive, people, versions, parent and children, key units, open cases', params: IdParams, response: { 200: GridDetail } } },
    async (req) => gridDetail(ctx(req), req.params.id),
  );
  r.get(
    '/api/grids/:id/versions',
    { config: { roles: ANY_ROLE }, schema: { tags, summary: 'The versions of a grid, newest first', params: IdParams, response: { 200: z.object({ items: z.array(GridVersion) }) } } },
    async (req) => ({ items: await gridVersionList(ctx(req), req.params.id) }),
  );
  r.put(
    '/api/grids/:id',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { roles: ['admin'] }, schema: {
        tags,
        summary: 'Edit a grid (administrators): name, class, industry, archive, boundary; name, class or boundary make a new version',
        params: IdParams,
        body: GridUpdateInput,
        response: { 200: GridDetail },
      },
    },
    async (req) => {
      const c = ctx(req);
      await updateGrid(c, req.params.id, req.body);
      return gridDetail(c, req.params.id);
    },
  );
  r.post(
    '/api/grids/:id/split',
    {
      config: { roles: ['admin'] }, schema: {
        tags,
        summary: 'Split a grid in two along a line, or into two drawn parts (administrators); the grid is retired',
        params: IdParams,
        body: GridSplitInput,
        response: { 200: GridSplitResult },
      },
    },
    async (req) => splitGrid(ctx(req), req.params.id, req.body),
  );
  r.post(
    '/api/grids/:id/retire',
    { config: { roles: ['admin'] }, schema: { tags, summary: 'Retire a grid (administrators); its cases keep it', params: IdParams, body: GridRetireInput, response: { 200: GridRef } } },
    async (req) => retireGrid(ctx(req), req.params.id, req.body),
  );
  r.post(
    '/api/grids/:id/people',
    { config: { roles: ['admin'] }, schema: { tags, summary: 'Add a responsible person to a grid (administrators)', params: IdParams, body: GridPersonInput, response: { 201: GridPerson } } },
    async (req, reply) => reply.status(201).send(await addPerson(ctx(req), req.params.id, req.body)),
  );
  r.delete(
    '/api/grids/:id/people/:personId',
    { config: { roles: ['admin'] }, schema: { tags, summary: 'Remove a responsible person from a grid (administrators)', params: PersonParams } },
    async (req, reply) => {
      await removePerson(ctx(req), req.params.id, req.params.personId);
      return reply.status(204).send();
    },
  );

  // ---- routing -----------------------------------------------------------------------------------------------
  r.get(
    '/api/routing-rules',
    { config: { roles: ANY_ROLE }, schema: { tags: ['routing'], summary: 'Routing rules: category × division → department', response: { 200: z.object({ items: z.array(RoutingRule) }) } } },
    async (req) => ({ items: await routingRules(ctx(req)) }),
  );
  r.post(
    '/api/routing-rules',
    {
      config: { roles: ['admin'] }, schema: {
        tags: ['routing'],
        summary: 'Add a routing rule (administrators); the most specific rule wins, the category default otherwise',
        body: RoutingRuleInput,
        response: { 201: RoutingRule },
      },
    },
    async (req, reply) => reply.status(201).send(await createRoutingRule(ctx(req), req.body)),
  );
  r.delete(
    '/api/routing-rules/:id',
    { config: { roles: ['admin'] }, schema: { tags: ['routing'], summary: 'Remove a routing rule (administrators)', params: IdParams } },
    async (req, reply) => {
      await removeRoutingRule(ctx(req), req.params.id);
      return reply.status(204).send();
    },
  );
  r.get(
    '/api/cases/:id/routing',
    {
      config: { roles: ANY_ROLE }, schema: {
        tags: ['routing'],
        summary: 'Why a case went where it went: its grid, its responsible B/C grid, and the department the rules suggest',
        params: IdParams,
        response: { 200: CaseRoutingView },
      },
    },
    async (req) => caseRouting(ctx(req), req.params.id, langOf(req)),
  );

  // ---- key units ---------------------------------------------------------------------------------------------
  r.get(
    '/api/key-units',
    { config: { roles: ANY_ROLE }, schema: { tags: ['grids'], summary: 'Key units (重点单位), optionally of one grid', querystring: KeyUnitQuery, response: { 200: KeyUnitList } } },
    async (req) => ({ items: await keyUnits(ctx(req), req.query) }),
  );
  r.post(
    '/api/key-units',
    { config: { roles: ['admin'] }, schema: { tags: ['grids'], summary: 'Add a key unit with its C-class grid (administrators)', body: KeyUnitInput, response: { 201: KeyUnit } } },
    async (req, reply) => reply.status(201).send(await createKeyUnit(ctx(req), req.body)),
  );
}
