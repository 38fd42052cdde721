// /api/categories, /api/departments, /api/divisions, /api/grids, /api/audit.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditList, AuditQuery, Category, Department, Division, GridCollection, LifecycleDescription } from '../../shared/api.js';
import { auditLog, gridCollection, LIFECYCLE_KINDS, lifecycleDescription, listCategories, listDepartments, listDivisions } from '../../services/reference.js';
import { DomainError } from '../../domain/errors.js';
import { requireRole } from '../../services/access.js';
import { actorOf, ANY_ROLE } from '../auth-plugin.js';
import type { ServerDeps } from '../deps.js';
import { exportAudit } from '../../services/exports.js';
import { XLSX_TYPE } from '../../services/xlsx-export.js';
import { sendXlsx } from '../xlsx-reply.js';

export async function referenceRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/categories', { config: { roles: ANY_ROLE }, schema: { tags: ['reference'], summary: 'Category tree (flat, by parentId)', response: { 200: z.array(Category) } } }, async () =>
    (await listCategories(deps.db)).map((c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      parentId: c.parent_id,
      kind: c.kind,
      defaultDepartmentId: c.default_department_id,
      acceptCriteria: c.accept_criteria,
      closeCriteria: c.close_criteria,
      returnHours: Number(c.return_hours),
      limits: c.limits,
      retired: c.retired_at != null,
    })),
  );
  r.get('/api/departments', { config: { roles: ANY_ROLE }, schema: { tags: ['reference'], summary: 'Departments', response: { 200: z.array(Department) } } }, async () =>
    (await listDepartments(deps.db)).filter((d) => d.retired_at == null).map((d) => ({ id: d.id, code: d.code, name: d.name })),
  );
  r.get('/api/divisions', { config: { roles: ANY_ROLE }, schema: { tags: ['reference'], summary: 'Administrative divisions', response: { 200: z.array(Division) } } }, async () =>
    (await listDivisions(deps.db)).map((d) => ({ id: d.id, code: d.code, name: d.name, level: d.level, parentId: d.parent_id })),
  );
  r.get('/api/grids', { config: { roles: ANY_ROLE }, schema: { tags: ['reference'], summary: 'Grid polygons (GeoJSON, WGS-84)', response: { 200: GridCollection } } }, async () =>
    gridCollection(deps.db),
  );
  r.get(
    '/api/audit/export.xlsx',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['admin', 'exports'],
        summary: 'The audit log under the same filter as GET /api/audit, as .xlsx (streamed; at most 100,000 rows; cells starting = + - @ neutralised)',
        querystring: AuditQuery.omit({ page: true, pageSize: true }),
        produces: [XLSX_TYPE],
      },
    },
    async (req, reply) => sendXlsx(reply, await exportAudit({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() }, req.query)),
  );
  r.get(
    '/api/lifecycles/:kind',
    {
      config: { roles: ANY_ROLE },
      schema: {
        tags: ['reference'],
        summary: 'A lifecycle as the server defines it (case, hazard, ranking, report): states, and each move with its roles and required input',
        params: z.object({ kind: z.enum(LIFECYCLE_KINDS) }),
        response: { 200: LifecycleDescription },
      },
    },
    async (req) => lifecycleDescription(req.params.kind),
  );
  r.get(
    '/api/audit',
    { config: { roles: ['admin'] }, schema: { tags: ['admin'], summary: 'The audit log (administrators only; read-only): filter by who, what, which object and when; each entry with what it recorded (before/after)', querystring: AuditQuery, response: { 200: AuditList } } },
    async (req) => {
      requireRole(actorOf(req), ['admin']);
      const { items, total } = await auditLog(deps.db, {
        action: req.query.action,
        actor: req.query.actor,
        targetType: req.query.targetType,
        targetId: req.query.targetId,
        q: req.query.q,
        from: req.query.from ? new Date(req.query.from) : undefined,
        to: req.query.to ? new Date(req.query.to) : undefined,
        limit: req.query.pageSize,
        offset: (req.query.page - 1) * req.query.pageSize,
      });
      return { items: items.map((i) => ({ ...i, at: i.at.toISOString() })), total };
    },
  );
}
