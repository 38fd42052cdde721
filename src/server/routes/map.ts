// /api/map: the command-centre map — clusters or single cases with their warning colour, heat cells, grid load.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { GridLoad, MapCases, MapCasesQuery, MapHeat, MapHeatQuery } from '../../shared/map-api.js';
import { gridsLoad, mapCases, mapHeat } from '../../services/map/map.js';
import { actorOf, ANY_ROLE } from '../auth-plugin.js';
import type { ServerDeps } from '../deps.js';

/**
 * Map answers are built from typed arrays by code the unit tests check, and can hold thousands of features per pan:
 * they are written with JSON.stringify instead of being validated again on the way out (the schema still documents
 * them in OpenAPI).
 */
const plainJson = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) };

export async function mapRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = (req: Parameters<typeof actorOf>[0]) => ({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() });
  r.get(
    '/api/map/cases',
    {
      ...plainJson,
      config: { roles: ANY_ROLE }, schema: {
        tags: ['map'],
        summary: 'Cases in a box for the map: clusters when zoomed out, single cases (state, warning colour) when zoomed in',
        description:
          'Cases of the caller\'s scope reported in the period (default: the last 30 days). Clusters are cells of 64 px on the zoom\'s pixel grid; ' +
          'every case in the box is in exactly one feature, so the counts sum to `total`. From zoom 17 cases are single points when the box holds at most 3000.',
        querystring: MapCasesQuery,
        response: { 200: MapCases },
      },
    },
    async (req) => mapCases(ctx(req), req.query),
  );
  r.get(
    '/api/map/heat',
    {
      ...plainJson,
      config: { roles: ANY_ROLE }, schema: {
        tags: ['map'],
        summary: 'Heat cells: cases per 16 px cell in a box, weighted 0–1 against the busiest cell',
        querystring: MapHeatQuery,
        response: { 200: MapHeat },
      },
    },
    async (req) => mapHeat(ctx(req), req.query),
  );
  r.get(
    '/api/map/grids-load',
    {
      config: { roles: ANY_ROLE }, schema: {
        tags: ['map'],
        summary: 'Open and overdue cases now per grid of my scope, to colour the grid polygons',
        response: { 200: GridLoad },
      },
    },
    async (req) => gridsLoad(ctx(req)),
  );
}
