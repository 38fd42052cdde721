// Authentication on every /api request: the session cookie becomes `req.user`; state-changing requests must
// carry the session's CSRF token; a user who must change the password can do nothing else first.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { sessionFromToken, type SessionUser } from '../services/auth.js';
import type { Db } from '../data/db.js';
import type { Clock } from '../clock.js';
import { ROLES, type Role } from '../shared/vocabulary.js';

export const SESSION_COOKIE = 'gw_session';

/** What a route declares about who may call it: the authorization matrix is generated from these. */
export interface RoutePolicy {
  method: string;
  url: string;
  public: boolean;
  roles: readonly Role[] | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** every route registered after authentication, with its declared policy (tests/integration/authorization-matrix.test.ts) */
    routePolicies: RoutePolicy[];
  }
  interface FastifyRequest {
    user: SessionUser | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    /** no login needed */
    public?: boolean;
    /** allowed while the user must still change the password */
    allowBeforePasswordChange?: boolean;
    /**
     * The roles that may call this route; others get 403 before the handler runs. Every route declares either this
     * or `public: true` (tests/integration/authorization-matrix.test.ts fails on a route that declares neither);
     * the service still checks scope and finer rules through src/services/access.ts.
     */
    roles?: readonly Role[];
    /** the largest uploaded file this route takes, named in its 413 (default: the multipart plugin's 10 MB) */
    fileLimit?: number;
  }
}

export function actorOf(req: FastifyRequest): Actor {
  const u = req.user;
  if (!u) throw new DomainError('unauthenticated');
  return { id: u.id, role: u.role, scopePaths: u.scope_paths, departmentId: u.department_id };
}

/** Every role: routes any logged-in user may call (scope still applies inside). */
export const ANY_ROLE: readonly Role[] = ROLES;
/** Everyone who works inside the office (not residents reporting through the citizen app). */
export const STAFF: readonly Role[] = ROLES.filter((r) => r !== 'citizen');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const authPlugin = fp(async (app: FastifyInstance, opts: { db: Db; clock: Clock }) => {
  const policies: RoutePolicy[] = [];
  app.decorate('routePolicies', policies);
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { public?: boolean; roles?: readonly Role[] };
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      policies.push({ method, url: route.url, public: config.public === true, roles: config.roles ?? null });
    }
  });
  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const found = await sessionFromToken(opts.db, token, opts.clock.now());
      if (found) {
        req.user = found;
        req.sessionToken = token;
      }
    }
    const config = req.routeOptions.config;
    if (config?.public) return;
    if (!req.user) throw new DomainError('unauthenticated');
    if (!SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== req.user.csrf_token) {
      throw new DomainError('csrf_failed');
    }
    if (req.user.must_change_password && !config?.allowBeforePasswordChange) {
      throw new DomainError('password_change_required');
    }
    if (config?.roles && !config.roles.includes(req.user.role)) throw new DomainError('forbidden');
  });
});
