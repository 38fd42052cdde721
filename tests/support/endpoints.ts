// The API's endpoints as the suites see them: every /api route the app registered (with the policy it declares)
// joined to its OpenAPI operation. New routes join the authorization matrix and the fuzz suite by themselves.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { RoutePolicy } from '../../src/server/auth-plugin.js';
import type { Db } from '../../src/data/db.js';

export interface Endpoint {
  method: string;
  /** Fastify's form: /api/cases/:id */
  url: string;
  policy: RoutePolicy;
  /** the OpenAPI operation, when the route is documented */
  operation: OpenApiOperation | null;
}

export interface OpenApiOperation {
  parameters?: { in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema?: Record<string, unknown> }[];
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
}

/** Routes that never answer a plain request (a live stream) are exercised by their own tests. */
export const STREAMING = new Set(['GET /api/notifications/stream']);

export function endpointsOf(app: FastifyInstance): { endpoints: Endpoint[]; undocumentedPolicies: string[]; undeclared: string[] } {
  const doc = app.swagger() as { paths: Record<string, Record<string, OpenApiOperation>> };
  const byKey = new Map(app.routePolicies.filter((p) => p.url.startsWith('/api/')).map((p) => [`${p.method} ${p.url}`, p]));
  const endpoints: Endpoint[] = [];
  const undocumentedPolicies: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(ops)) {
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      const key = `${method.toUpperCase()} ${url}`;
      const policy = byKey.get(key);
      if (!policy) {
        if (url.startsWith('/api/')) undocumentedPolicies.push(key);
        continue;
      }
      endpoints.push({ method: method.toUpperCase(), url, policy, operation });
      byKey.delete(key);
    }
  }
  // Routes hidden from the document are endpoints too.
  for (const policy of byKey.values()) endpoints.push({ method: policy.method, url: policy.url, policy, operation: null });
  const undeclared = endpoints.filter((e) => !e.policy.public && !e.policy.roles).map((e) => `${e.method} ${e.url}`);
  return { endpoints: endpoints.sort((a, b) => `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`)), undocumentedPolicies, undeclared };
}

/** Fills a route's path parameters from named values (falling back to a harmless placeholder). */
export function fillPath(url: string, values: Record<string, string | number>): string {
  return url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(wellFormed(String(values[name] ?? '1'))));
}

/** Row counts of every table of the schema: what "nothing written" is checked against. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await sql<{ t: string }>`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`.execute(db);
  const out: Record<string, number> = {};
  for (const { t } of tables.rows) {
    if (t.startsWith('kysely_')) continue;
    out[t] = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(db)).rows[0]!.n);
  }
  return out;
}

/** Lone surrogates replaced (encodeURIComponent refuses them; a client would send U+FFFD). */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
