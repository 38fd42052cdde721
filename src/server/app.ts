// Builds the HTTP server: plugins, authentication, routes, OpenAPI, the built web app.
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { systemClock, type Clock } from '../clock.js';
import { ANY_ROLE, authPlugin } from './auth-plugin.js';
import { securityHeaders } from './security-headers.js';
import { refuseUnsafeText } from './input-guard.js';
import { closeOffload } from '../services/offload.js';
import { checkDatabase } from '../services/health.js';
import { errorHandler } from './errors.js';
import { authRoutes } from './routes/auth.js';
import { caseRoutes } from './routes/cases.js';
import { photoRoutes } from './routes/photos.js';
import { referenceRoutes } from './routes/reference.js';
import { notificationRoutes } from './routes/notifications.js';
import { categoryRoutes } from './routes/categories.js';
import { calendarRoutes } from './routes/calendar.js';
import { DomainError } from '../domain/errors.js';
import type { ServerDeps } from './deps.js';


/**
 * One line per logged request, written when it ends: every error and slow request (≥ 1 s), and where requests are
 * logged at all (REQUEST_LOG > 0; 0.1 in production, 0 in development) every refusal (4xx) and that share of the
 * rest. Nothing is logged when a request starts.
 */
class OneLineLog extends LogController {
  constructor(private readonly share: number) {
    super();
  }
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const ms = reply.elapsedTime;
    // errors and slow requests always; refusals too where requests are logged at all (not in development)
    const always = Boolean(error) || reply.statusCode >= 500 || ms >= 1000 || (reply.statusCode >= 400 && this.share > 0);
    if (!always && !(this.share > 0 && Math.random() < this.share)) return;
    const line = { method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(ms) };
    if (error) reply.log.error({ ...line, err: error }, 'request');
    else reply.log.info(line, 'request');
  }
}

export async function buildApp(input: Omit<ServerDeps, 'clock'> & { clock?: Clock }): Promise<FastifyInstance> {
  const deps: ServerDeps = { ...input, clock: input.clock ?? systemClock };
  const app = Fastify({
    logger: { level: deps.config.logLevel },
    logController: new OneLineLog(deps.config.requestLogShare),
    trustProxy: deps.config.production,
    bodyLimit: 1024 * 1024,
    // Errors raised before a route is found (a path parameter too long, a malformed URL) get the same answers.
    frameworkErrors: (err, req, reply) => errorHandler(err, req, reply),
    routerOptions: { maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1 } });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Gridwork (网格通) API', version: '0.1.0', description: 'Grid governance: cases, grids, departments.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'gw_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  // In production the API's map is for logged-in users only: registered after authentication, its pages need a session.
  const docs = { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' as const } };
  if (!deps.config.production) await app.register(swaggerUi, docs);
  await app.register(authPlugin, { db: deps.db, clock: deps.clock });
  if (deps.config.production) await app.register(swaggerUi, docs);
  app.addHook('onSend', securityHeaders(deps.config));
  app.addHook('preValidation', refuseUnsafeText);
  app.addHook('onClose', closeOffload);

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/openapi.json', { config: { public: !deps.config.production, roles: ANY_ROLE }, schema: { hide: true } }, async () => app.swagger());
  r.get(
    '/api/health',
    {
      config: { public: true },
      schema: { tags: ['ops'], summary: 'Liveness and database check', response: { 200: z.object({ status: z.literal('ok'), database: z.string() }), 503: z.object({ status: z.literal('unavailable'), error: z.string() }) } },
    },
    async (_req, reply) => {
      try {
        await checkDatabase(deps.db);
        return { status: 'ok' as const, database: deps.config.databaseUrl ? 'postgres' : 'pglite' };
      } catch (e) {
        return reply.status(503).send({ status: 'unavailable' as const, error: (e as Error).message });
      }
    },
  );
  await app.register(authRoutes, deps);
  await app.register(caseRoutes, deps);
  await app.register(photoRoutes, deps);
  await app.register(referenceRoutes, deps);
  await app.register(notificationRoutes, deps);
  await app.register(categoryRoutes, deps);
  await app.register(calendarRoutes, deps);
  await app.register((await import('./routes/stats.js')).statsRoutes, deps);
  await app.register((await import('./routes/map.js')).mapRoutes, deps);
  await app.register((await import('./routes/patrol.js')).patrolRoutes, deps);
  await app.register((await import('./routes/poi.js')).poiRoutes, deps);
  await app.register((await import('./routes/hazards.js')).hazardRoutes, deps);
  await app.register((await import('./routes/enterprises.js')).enterpriseRoutes, deps);
  await app.register((await import('./routes/hazard-work.js')).hazardWorkRoutes, deps);
  await app.register((await import('./routes/grids.js')).gridRoutes, deps);
  await app.register((await import('./routes/admin.js')).adminRoutes, deps);
  await app.register((await import('./routes/basemap.js')).basemapRoutes, deps);
  await app.register((await import('./routes/assessment.js')).assessmentRoutes, deps);

  // The web app: static files, and index.html for every client-side route.
  if (existsSync(path.join(deps.config.webDist, 'index.html'))) {
    // Files are looked up per request (a rebuilt app is served without a restart); hashed assets are immutable.
    await app.register(fastifyStatic, {
      root: deps.config.webDist,
      setHeaders: (reply, file) => {
        if (file.includes(`${path.sep}assets${path.sep}`)) reply.setHeader('cache-control', 'public, max-age=31536000, immutable');
      },
    });
    app.setNotFoundHandler((req, reply) => {
      // A missing file (a path with an extension) is a 404, not the app's page: the browser must not run HTML as JS.
      const missingFile = /\.[a-z0-9]+$/i.test(req.url.split('?')[0]!);
      if (req.url.startsWith('/api/') || req.method !== 'GET' || missingFile) return errorHandler(new DomainError('not_found'), req, reply);
      return reply.type('text/html').sendFile('index.html');
    });
  } else {
    app.setNotFoundHandler((req, reply) => {
      if (req.url.startsWith('/api/')) return errorHandler(new DomainError('not_found'), req, reply);
      return reply.type('text/plain').status(404).send('The web app is not built: run `npm run build`.');
    });
  }
  return app;
}
