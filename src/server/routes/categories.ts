// /api/categories/:id — administrators edit a category; new cases get the new limits.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dbIdParam } from '../../shared/db-values.js';
import { CategoryUpdate } from '../../shared/api.js';
import { updateCategory } from '../../services/categories.js';
import { actorOf } from '../auth-plugin.js';
import type { ServerDeps } from '../deps.js';

export async function categoryRoutes(app: FastifyInstance, deps: ServerDeps) {
  app.withTypeProvider<ZodTypeProvider>().put(
    '/api/categories/:id',
    {
      config: { roles: ['admin'] }, schema: {
        tags: ['reference'],
        summary: 'Edit a category: name, default department, conditions, time limits (administrators; applies to new cases)',
        params: z.object({ id: dbIdParam() }),
        body: CategoryUpdate,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await updateCategory({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() }, req.params.id, req.body);
      return reply.status(204).send(null);
    },
  );
}
