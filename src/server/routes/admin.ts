// Administration over HTTP: divisions, departments, users, adopting the standard categories, and the setup guide of
// a fresh install. Administrators only (declared on each route, checked again by each service).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError, type DomainErrorCode } from '../../domain/errors.js';
import { message } from '../../shared/messages.js';
import {
  AdoptResult,
  CategoryMove,
  CategoryRetireResult,
  DepartmentAdmin,
  DepartmentCategories,
  DepartmentContacts,
  DepartmentDetail,
  DepartmentMerge,
  DepartmentMergeResult,
  DepartmentWorkOrders,
  DivisionImportResult,
  Gbt2260District,
  Gbt2260Query,
  DepartmentCreate,
  DepartmentUpdate,
  DivisionAdmin,
  DivisionCreate,
  DivisionUpdate,
  PasswordReset,
  SetupStatus,
  UserAdmin,
  UserCreate,
  UserList,
  UserListQuery,
  UserReassign,
  UserTasks,
  UserUpdate,
  UserWithPassword,
} from '../../shared/admin-api.js';
import { IdParams } from '../../shared/grids-api.js';
import { createDivision, editDivision, listDivisionsForAdmin, searchDistricts } from '../../services/admin-divisions.js';
import { buildDivisionsTemplate, emptyUpload, importDivisions } from '../../services/admin-divisions-import.js';
import {
  createDepartment,
  departmentDetail,
  departmentWorkOrders,
  listDepartmentsForAdmin,
  mergeDepartment,
  renameDepartment,
  retireDepartment,
  setDepartmentCategories,
  setDepartmentContacts,
} from '../../services/admin-departments.js';
import { moveCategory, restoreCategory, retireCategory } from '../../services/categories.js';
import { adoptStandardCategories, createCategory, setupStatus } from '../../services/admin-setup.js';
import {
  createUserByAdmin,
  deactivateUser,
  reassignGrids,
  userTasks,
  listUsers,
  resetPasswordByAdmin,
  setUserLocked,
  updateUserByAdmin,
  userForAdmin,
} from '../../services/admin-users.js';
import { buildUsersTemplate, exportUsers, importUsers } from '../../services/admin-users-sheet.js';
import { requireRole } from '../../services/access.js';
import { GridRejected, rejectionBody } from '../../services/grids/problems.js';
import type { ActorContext } from '../../services/context.js';
import { actorOf } from '../auth-plugin.js';
import { errorHandler, langOf } from '../errors.js';
import type { ServerDeps } from '../deps.js';
import { exportDepartments } from '../../services/exports.js';
import { XLSX_TYPE } from '../../services/xlsx-export.js';
import { sendXlsx } from '../xlsx-reply.js';

/** Refusals that conflict with the stored state (somebody must act elsewhere first) answer 409. */
const CONFLICTS = new Set<DomainErrorCode>(['department_merge_target_retired', 'division_code_taken', 'department_code_taken', 'department_has_open_work', 'user_holds_open_work', 'user_has_open_tasks', 'last_admin', 'categories_present', 'category_code_taken']);

const Created = z.object({ id: z.number() });
const admin = { roles: ['admin'] as const };

export async function adminRoutes(app: FastifyInstance, deps: ServerDeps) {
  app.setErrorHandler((err: FastifyError | DomainError, req: FastifyRequest, reply: FastifyReply) => {
    const lang = langOf(req);
    if (err instanceof GridRejected) return reply.status(422).send(rejectionBody(err, lang));
    if (err instanceof DomainError && CONFLICTS.has(err.code)) {
      return reply.status(409).send({ error: { code: err.code, message: message(err.code, err.params, lang) } });
    }
    return errorHandler(err, req, reply);
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = (req: FastifyRequest): ActorContext => ({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() });

  // ---- the setup guide ---------------------------------------------------------------------------------------
  r.get(
    '/api/admin/setup',
    { config: admin, schema: { tags: ['divisions'], summary: 'What a fresh install still lacks: street, communities, boundaries, departments, categories, grids, users', response: { 200: SetupStatus } } },
    async (req) => setupStatus(ctx(req)),
  );

  // ---- divisions ---------------------------------------------------------------------------------------------
  r.get(
    '/api/admin/divisions',
    { config: admin, schema: { tags: ['divisions'], summary: 'All divisions with their boundaries and grid counts', response: { 200: z.array(DivisionAdmin) } } },
    async (req) => listDivisionsForAdmin(ctx(req)),
  );
  r.post(
    '/api/divisions',
    {
      config: admin,
      schema: {
        tags: ['divisions'],
        summary: 'Create a district, street, community or village',
        description: 'Codes after GB/T 2260: district 6 digits, street 9, community/village 12, each extending its parent’s. A street may name its district by code and name (created if missing). The boundary is checked like a grid’s.',
        body: DivisionCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) => reply.status(201).send(await createDivision(ctx(req), req.body)),
  );
  r.put(
    '/api/divisions/:id',
    { config: admin, schema: { tags: ['divisions'], summary: 'Rename a division, or set or remove its boundary', params: IdParams, body: DivisionUpdate, response: { 204: z.null() } } },
    async (req, reply) => {
      await editDivision(ctx(req), req.params.id, req.body);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/admin/gbt2260',
    {
      config: admin,
      schema: {
        tags: ['divisions'],
        summary: 'Search the GB/T 2260 county-level list shipped with the project by code or name (the setup guide’s district picker)',
        querystring: Gbt2260Query,
        response: { 200: z.array(Gbt2260District) },
      },
    },
    async (req) => searchDistricts(ctx(req), req.query.q),
  );
  r.get(
    '/api/divisions/template',
    { config: admin, schema: { tags: ['divisions'], summary: 'The communities/villages sheet template (.xlsx) with filling instructions', produces: [XLSX_TYPE] } },
    async (req, reply) => {
      requireRole(actorOf(req), ['admin']);
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', `attachment; filename="divisions-template.xlsx"; filename*=UTF-8''${encodeURIComponent('社区村导入模板.xlsx')}`)
        .send(await buildDivisionsTemplate());
    },
  );
  r.post(
    '/api/divisions/import',
    {
      config: admin,
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags: ['divisions'],
        summary: 'Import communities and villages from the .xlsx template or from GeoJSON with boundaries: all or nothing, every bad row or feature named',
        description: 'Multipart with the file in field "file", or JSON `{ "base64": "…" }`. Each code (12 digits) hangs under the street its first 9 digits name; an existing code is updated. GeoJSON boundaries are checked like grid boundaries.',
        consumes: ['multipart/form-data', 'application/json'],
        response: { 200: DivisionImportResult },
      },
    },
    async (req) => {
      const c = ctx(req);
      requireRole(c.actor, ['admin']);
      let bytes: Buffer;
      if (req.isMultipart()) {
        const file = await req.file();
        bytes = file ? await file.toBuffer() : Buffer.alloc(0);
      } else {
        const body = z.object({ base64: z.string() }).safeParse(req.body);
        bytes = body.success ? Buffer.from(body.data.base64, 'base64') : Buffer.alloc(0);
      }
      if (bytes.length === 0) emptyUpload();
      return importDivisions(c, bytes);
    },
  );

  // ---- departments -------------------------------------------------------------------------------------------
  r.get(
    '/api/admin/departments',
    { config: admin, schema: { tags: ['departments'], summary: 'Departments with users, open work orders, and whether retired', response: { 200: z.array(DepartmentAdmin) } } },
    async (req) => listDepartmentsForAdmin(ctx(req)),
  );
  r.post(
    '/api/departments',
    { config: admin, schema: { tags: ['departments'], summary: 'Create a department', body: DepartmentCreate, response: { 201: Created } } },
    async (req, reply) => reply.status(201).send(await createDepartment(ctx(req), req.body)),
  );
  r.put(
    '/api/departments/:id',
    { config: admin, schema: { tags: ['departments'], summary: 'Rename a department', params: IdParams, body: DepartmentUpdate, response: { 204: z.null() } } },
    async (req, reply) => {
      await renameDepartment(ctx(req), req.params.id, req.body.name);
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/api/departments/:id/retire',
    {
      config: admin,
      schema: { tags: ['departments'], summary: 'Retire a department (refused, with the list, while it has open work orders)', params: IdParams, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await retireDepartment(ctx(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/departments/:id',
    {
      config: { roles: ['admin', 'operator', 'leader', 'department', 'grid_worker'] as const },
      schema: { tags: ['departments'], summary: 'One department: its contacts (phones masked for roles that do not call them) and the categories that default to it', params: IdParams, response: { 200: DepartmentDetail } },
    },
    async (req) => departmentDetail(ctx(req), req.params.id),
  );
  r.get(
    '/api/departments/:id/work-orders',
    { config: admin, schema: { tags: ['departments'], summary: 'The department’s open work orders (main or unreported co-handling), listed before it is retired or merged', params: IdParams, response: { 200: DepartmentWorkOrders } } },
    async (req) => departmentWorkOrders(ctx(req), req.params.id),
  );
  r.put(
    '/api/departments/:id/contacts',
    { config: admin, schema: { tags: ['departments'], summary: 'Replace the department’s contacts (name, title, mobile or office phone)', params: IdParams, body: DepartmentContacts, response: { 204: z.null() } } },
    async (req, reply) => {
      await setDepartmentContacts(ctx(req), req.params.id, req.body.contacts);
      return reply.status(204).send(null);
    },
  );
  r.put(
    '/api/departments/:id/categories',
    { config: admin, schema: { tags: ['departments'], summary: 'Set which categories default to the department (its other categories lose the default)', params: IdParams, body: DepartmentCategories, response: { 204: z.null() } } },
    async (req, reply) => {
      await setDepartmentCategories(ctx(req), req.params.id, req.body.categoryIds);
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/api/departments/:id/merge',
    {
      config: admin,
      schema: {
        tags: ['departments'],
        summary: 'Merge the department into another: its open work orders, users, routing rules and category defaults move there, and it is retired',
        params: IdParams,
        body: DepartmentMerge,
        response: { 200: DepartmentMergeResult },
      },
    },
    async (req) => mergeDepartment(ctx(req), req.params.id, req.body.intoId),
  );

  // ---- categories --------------------------------------------------------------------------------------------
  r.post(
    '/api/categories/adopt-standard',
    {
      config: admin,
      schema: {
        tags: ['categories'],
        summary: 'Adopt the standard category tree (CJ/T 214) with default time limits, when there are no categories yet',
        response: { 201: AdoptResult },
      },
    },
    async (req, reply) => reply.status(201).send(await adoptStandardCategories(ctx(req))),
  );

  r.post(
    '/api/categories',
    {
      config: admin,
      schema: {
        tags: ['categories'],
        summary: 'Create a category class (2-digit code) or a subcategory (its class’s code + 2 digits) with limits from its handling days',
        body: z.object({
          code: z.string().trim().regex(/^\d{2}(\d{2})?$/),
          name: z.string().trim().min(1).max(50),
          parentId: z.number().int().positive().nullable().default(null),
          kind: z.enum(['event', 'component']).optional(),
          defaultDepartmentId: z.number().int().positive().nullable().optional(),
          handleDays: z.number().min(0.25).max(365).optional(),
        }),
        response: { 201: Created },
      },
    },
    async (req, reply) => reply.status(201).send(await createCategory(ctx(req), req.body)),
  );

  r.post(
    '/api/categories/:id/move',
    {
      config: admin,
      schema: {
        tags: ['categories'],
        summary: 'Move a subcategory under another class of the same kind; it takes a code under the new class (the one given, or the next free one)',
        params: IdParams,
        body: CategoryMove,
        response: { 200: z.object({ code: z.string() }) },
      },
    },
    async (req) => moveCategory(ctx(req), req.params.id, req.body),
  );
  r.post(
    '/api/categories/:id/retire',
    {
      config: admin,
      schema: { tags: ['categories'], summary: 'Retire a category (a class with its subcategories): not offered for new cases; cases under it keep it', params: IdParams, response: { 200: CategoryRetireResult } },
    },
    async (req) => retireCategory(ctx(req), req.params.id),
  );
  r.post(
    '/api/categories/:id/restore',
    { config: admin, schema: { tags: ['categories'], summary: 'Offer a retired category again (a subcategory only while its class is in use)', params: IdParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await restoreCategory(ctx(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/departments/export.xlsx',
    { config: admin, schema: { tags: ['departments', 'exports'], summary: 'The departments as .xlsx: code, name, users, open work orders, status', produces: [XLSX_TYPE] } },
    async (req, reply) => sendXlsx(reply, await exportDepartments(ctx(req))),
  );

  // ---- users -------------------------------------------------------------------------------------------------
  const tags = ['users'];
  r.get(
    '/api/users',
    { config: admin, schema: { tags, summary: 'Users: search by name, filter by role, department, status', querystring: UserListQuery, response: { 200: UserList } } },
    async (req) => listUsers(ctx(req), req.query),
  );
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const attachment = (reply: FastifyReply, filename: string, ascii: string) =>
    reply.type(XLSX).header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  r.get(
    '/api/users/export',
    { config: admin, schema: { tags: ['users', 'exports'], summary: 'Every account as .xlsx (cells starting = + - @ neutralised)', produces: [XLSX] } },
    async (req, reply) => attachment(reply, '用户.xlsx', 'users.xlsx').send(await exportUsers(ctx(req))),
  );
  r.get(
    '/api/users/template',
    { config: admin, schema: { tags: ['users'], summary: 'The users sheet template (.xlsx) with filling instructions', produces: [XLSX] } },
    async (req, reply) => {
      requireRole(actorOf(req), ['admin']);
      return attachment(reply, '用户导入模板.xlsx', 'users-template.xlsx').send(await buildUsersTemplate());
    },
  );
  r.post(
    '/api/users/import',
    {
      config: admin,
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import users from the sheet: all or nothing, every bad row named; each new user gets a temporary password',
        description: 'Multipart with the .xlsx in field "file", or JSON `{ "base64": "…" }`.',
        consumes: ['multipart/form-data', 'application/json'],
        response: { 200: z.object({ created: z.number(), users: z.array(z.object({ username: z.string(), displayName: z.string(), temporaryPassword: z.string() })) }) },
      },
    },
    async (req) => {
      const c = ctx(req);
      requireRole(c.actor, ['admin']);
      let bytes: Buffer;
      if (req.isMultipart()) {
        const file = await req.file();
        bytes = file ? await file.toBuffer() : Buffer.alloc(0);
      } else {
        const body = z.object({ base64: z.string() }).safeParse(req.body);
        bytes = body.success ? Buffer.from(body.data.base64, 'base64') : Buffer.alloc(0);
      }
      return importUsers(c, bytes);
    },
  );
  r.get('/api/users/:id', { config: admin, schema: { tags, summary: 'One user', params: IdParams, response: { 200: UserAdmin } } }, async (req) => {
    const c = ctx(req);
    requireRole(c.actor, ['admin']);
    return userForAdmin(c.db, req.params.id, c.now);
  });
  r.post(
    '/api/users',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create a user; the temporary password (given or generated) must be changed at first login',
        body: UserCreate,
        response: { 201: UserWithPassword },
      },
    },
    async (req, reply) => reply.status(201).send(await createUserByAdmin(ctx(req), req.body)),
  );
  r.put(
    '/api/users/:id',
    { config: admin, schema: { tags, summary: 'Edit name, role, scope (a division or grid) and department', params: IdParams, body: UserUpdate, response: { 200: UserAdmin } } },
    async (req) => updateUserByAdmin(ctx(req), req.params.id, req.body),
  );
  r.post(
    '/api/users/:id/reset-password',
    { config: admin, schema: { tags, summary: 'Reset the password (must be changed at next login); ends the user’s sessions', params: IdParams, body: PasswordReset.optional(), response: { 200: UserWithPassword } } },
    async (req) => resetPasswordByAdmin(ctx(req), req.params.id, req.body?.password),
  );
  r.post(
    '/api/users/:id/lock',
    { config: admin, schema: { tags, summary: 'Lock the account (no login until unlocked); ends its sessions', params: IdParams, response: { 200: UserAdmin } } },
    async (req) => setUserLocked(ctx(req), req.params.id, true),
  );
  r.post(
    '/api/users/:id/unlock',
    { config: admin, schema: { tags, summary: 'Unlock the account (also clears the login throttle)', params: IdParams, response: { 200: UserAdmin } } },
    async (req) => setUserLocked(ctx(req), req.params.id, false),
  );
  r.post(
    '/api/users/:id/deactivate',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Deactivate (refused for the last administrator, while the account is the only one able to act on open cases, or while a grid worker holds grids with open cases)',
        description: 'With `successorId`, a grid worker’s grids go to that grid worker first, in the same transaction.',
        params: IdParams,
        body: z.object({ successorId: z.number().int().positive().optional() }).nullish(),
        response: { 200: UserAdmin },
      },
    },
    async (req) => deactivateUser(ctx(req), req.params.id, { successorId: req.body?.successorId }),
  );
  r.get(
    '/api/users/:id/tasks',
    {
      config: admin,
      schema: { tags, summary: 'What the account holds before it is deactivated: a grid worker’s grids and their open cases, or the cases only it can act on', params: IdParams, response: { 200: UserTasks } },
    },
    async (req) => userTasks(ctx(req), req.params.id, langOf(req)),
  );
  r.post(
    '/api/users/:id/reassign',
    {
      config: admin,
      schema: { tags, summary: 'Give all of a grid worker’s grids to another active grid worker (who keeps its own)', params: IdParams, body: UserReassign, response: { 200: UserAdmin } },
    },
    async (req) => reassignGrids(ctx(req), req.params.id, req.body.toUserId),
  );
}
