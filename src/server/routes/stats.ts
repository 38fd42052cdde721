// /api/stats: the dashboard's numbers for the caller's scope, each with the case-list filter that reproduces it.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { StatsQuery, StatsSummary } from '../../shared/stats-api.js';
import { statsSummary } from '../../services/stats/stats.js';
import { actorOf, ANY_ROLE } from '../auth-plugin.js';
import type { ServerDeps } from '../deps.js';

const DESCRIPTION = `Counts cases in the caller's scope (the same scope as GET /api/cases), once per metric, at:
reported = report time; accepted = 受理; dispatched = first dispatch; handled = first handling (处置反馈, or the report
when fixed on the spot); closed = 结案 of a case closed now (not duplicates closed with their master).
open / overdue are now, whatever the period (overdue = a running clock past due, the list's red level).
Rates: onTime = first handlings by the deadline then in force / handled; closure = accepted in the period and
closed now / accepted; rework = handled in the period and reworked (返工) / handled; satisfaction = rated 4–5
(满意/非常满意) / rated, by rating time. Days are Asia/Shanghai, from/to inclusive.
Every number carries \`filter\`: the GET /api/cases query whose total equals it.
Ranking score 0–100 = weighted mean of onTime 40 %, closure 25 %, satisfaction 20 %, (1 − rework) 15 % over the
rates that can be measured.`;

export async function statsRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/stats/summary',
    {
      config: { roles: ANY_ROLE }, schema: {
        tags: ['stats'],
        summary: 'Dashboard statistics: flow counts, rates, trend, breakdown and ranking (考核) for a period',
        description: DESCRIPTION,
        querystring: StatsQuery,
        response: { 200: StatsSummary },
      },
    },
    async (req) => statsSummary({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() }, req.query),
  );
}
