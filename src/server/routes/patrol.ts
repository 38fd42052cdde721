// /api/patrols: grid workers' patrols (巡查) — start, track batches, check-ins, end; lists and coverage for the dashboard.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dbIdParam } from '../../shared/db-values.js';
import {
  CheckinInput,
  Coverage,
  CoverageQuery,
  PatrolDetail,
  PatrolEnd,
  PatrolList,
  PatrolListQuery,
  PatrolStart,
  PointBatch,
  PointBatchResult,
} from '../../shared/patrol-api.js';
import { addPoints, checkIn, endPatrol, patrolCoverage, patrolDetail, searchPatrols, startPatrol } from '../../services/patrol.js';
import type { ActorContext } from '../../services/context.js';
import { actorOf } from '../auth-plugin.js';
import type { ServerDeps } from '../deps.js';

/** Who reads patrols (src/services/patrol.ts checks the same, and scope). */
const PATROL_READERS = ['admin', 'operator', 'leader', 'grid_worker'] as const;

const IdParams = z.object({ id: dbIdParam() });

export async function patrolRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = (req: FastifyRequest): ActorContext => ({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() });

  r.get(
    '/api/patrols',
    { config: { roles: PATROL_READERS }, schema: { tags: ['patrols'], summary: 'Patrols started in a period, in my scope (my area’s workers, and my own)', querystring: PatrolListQuery, response: { 200: PatrolList } } },
    async (req) => searchPatrols(ctx(req), req.query),
  );
  r.get(
    '/api/patrols/coverage',
    {
      config: { roles: PATROL_READERS }, schema: {
        tags: ['patrols'],
        summary: 'Patrol coverage: grids of my scope with at least one check-in in the period / all of them (default: the last 7 days)',
        querystring: CoverageQuery,
        response: { 200: Coverage },
      },
    },
    async (req) => patrolCoverage(ctx(req), req.query),
  );
  r.get(
    '/api/patrols/:id',
    { config: { roles: PATROL_READERS }, schema: { tags: ['patrols'], summary: 'One patrol with its track and check-ins', params: IdParams, response: { 200: PatrolDetail } } },
    async (req) => patrolDetail(ctx(req), req.params.id),
  );
  r.post(
    '/api/patrols',
    {
      config: { roles: ['grid_worker'] }, schema: {
        tags: ['patrols'],
        summary: 'Start a patrol (grid workers); while one runs, or with a clientKey used before, answers with that one (200)',
        body: PatrolStart,
        response: { 200: PatrolDetail, 201: PatrolDetail },
      },
    },
    async (req, reply) => {
      const c = ctx(req);
      const { id, resumed } = await startPatrol(c, req.body);
      return reply.status(resumed ? 200 : 201).send(await patrolDetail(c, id));
    },
  );
  r.post(
    '/api/patrols/:id/points',
    {
      config: { roles: ['grid_worker'] }, schema: {
        tags: ['patrols'],
        summary: 'Add a batch of track points; a batch sent again with the same batchKey is stored once',
        params: IdParams,
        body: PointBatch,
        response: { 200: PointBatchResult },
      },
    },
    async (req) => addPoints(ctx(req), req.params.id, req.body),
  );
  r.post(
    '/api/patrols/:id/checkins',
    {
      config: { roles: ['grid_worker'] }, schema: {
        tags: ['patrols'],
        summary: 'Check in (打卡) at a position: the grid is found from it and must be one of mine; the fix must be accurate enough',
        params: IdParams,
        body: CheckinInput,
        response: { 200: PatrolDetail },
      },
    },
    async (req) => {
      const c = ctx(req);
      await checkIn(c, req.params.id, req.body);
      return patrolDetail(c, req.params.id);
    },
  );
  r.post(
    '/api/patrols/:id/end',
    { config: { roles: ['grid_worker'] }, schema: { tags: ['patrols'], summary: 'End a patrol (ending it again changes nothing)', params: IdParams, body: PatrolEnd, response: { 200: PatrolDetail } } },
    async (req) => {
      const c = ctx(req);
      await endPatrol(c, req.params.id, req.body ?? {});
      return patrolDetail(c, req.params.id);
    },
  );
}
