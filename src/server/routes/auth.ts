// /api/auth: login, session, logout, password change.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LoginInput, PasswordChangeInput, Session } from '../../shared/api.js';
import { changePassword, login, loginLocks, logout, SESSION_HOURS, type SessionUser } from '../../services/auth.js';
import { DomainError } from '../../domain/errors.js';
import { actorOf, ANY_ROLE, SESSION_COOKIE } from '../auth-plugin.js';
import type { ServerDeps } from '../deps.js';
import { scopeNameOf } from '../../services/reference.js';

export async function presentSession(deps: ServerDeps, u: Pick<SessionUser, 'id' | 'username' | 'display_name' | 'role' | 'scope_paths' | 'department_id' | 'must_change_password'>, csrfToken: string) {
  return {
    user: {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      role: u.role,
      scopeName: await scopeNameOf(deps.db, u),
      departmentId: u.department_id,
      mustChangePassword: u.must_change_password,
    },
    csrfToken,
  };
}

export async function authRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: 'Log in with username and password', body: LoginInput, response: { 200: Session } },
    },
    async (req, reply) => {
      const { token, csrfToken, user } = await login(deps.db, req.body.username, req.body.password, req.ip, deps.clock.now());
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.config.secureCookies,
        maxAge: SESSION_HOURS * 3600,
      });
      return presentSession(deps, user, csrfToken);
    },
  );
  r.get(
    '/api/auth/session',
    { config: { allowBeforePasswordChange: true, roles: ANY_ROLE }, schema: { tags: ['auth'], summary: 'The current session', response: { 200: Session } } },
    async (req) => presentSession(deps, req.user!, req.user!.csrf_token),
  );
  r.post(
    '/api/auth/logout',
    { config: { allowBeforePasswordChange: true, roles: ANY_ROLE }, schema: { tags: ['auth'], summary: 'Log out', response: { 204: z.null() } } },
    async (req, reply) => {
      await logout(deps.db, req.sessionToken!, req.user!.id, req.ip);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );
  r.post(
    '/api/auth/password',
    {
      config: { allowBeforePasswordChange: true, roles: ANY_ROLE },
      schema: { tags: ['auth'], summary: 'Change my password', body: PasswordChangeInput, response: { 204: z.null() } },
    },
    async (req, reply) => {
      if (!req.user) throw new DomainError('unauthenticated');
      await changePassword(deps.db, req.user.id, req.sessionToken!, req.body.currentPassword, req.body.newPassword, req.ip);
      return reply.status(204).send(null);
    },
  );
  r.get(
    '/api/auth/locks',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['auth'],
        summary: 'Sources locked out of accounts now (administrators): after 5 failed logins from one address, that address waits 15 minutes, doubling up to 4 hours',
        response: { 200: LoginLockList },
      },
    },
    async (req) => ({ items: await loginLocks(deps.db, actorOf(req), deps.clock.now()) }),
  );
}

const LoginLockList = z.object({
  items: z.array(
    z.object({
      userId: z.number(),
      username: z.string(),
      displayName: z.string(),
      source: z.string(),
      failures: z.number(),
      locks: z.number(),
      lastFailedAt: z.string(),
      lockedUntil: z.string(),
    }),
  ),
});
