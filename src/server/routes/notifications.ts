// /api/notifications: the bell. A list with the unread count, mark read, and a live stream (SSE) that
// pushes the unread count whenever a notice for this user is written.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MarkRead, NotificationList } from '../../shared/api.js';
import { markNotificationsRead, myNotifications, notificationBus, unreadCount } from '../../services/notify.js';
import { actorOf, ANY_ROLE } from '../auth-plugin.js';
import { langOf } from '../errors.js';
import type { ServerDeps } from '../deps.js';

export async function notificationRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Open streams end when the server closes, so a graceful stop does not wait on them.
  const streams = new Set<{ end: () => void }>();
  app.addHook('onClose', async () => {
    for (const s of streams) s.end();
  });
  r.get(
    '/api/notifications',
    { config: { roles: ANY_ROLE }, schema: { tags: ['notifications'], summary: 'My latest notifications and the unread count', querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(30) }), response: { 200: NotificationList } } },
    async (req) => {
      const { items, unread } = await myNotifications(deps.db, actorOf(req).id, req.query.limit, langOf(req));
      return {
        unread,
        items: items.map((n) => ({
          id: n.id,
          kind: n.kind,
          caseId: n.case_id,
          caseNumber: n.case_number,
          hazardId: n.hazard_id,
          title: n.title,
          body: n.body,
          createdAt: n.created_at.toISOString(),
          read: n.read_at != null,
        })),
      };
    },
  );
  r.post(
    '/api/notifications/read',
    { config: { roles: ANY_ROLE }, schema: { tags: ['notifications'], summary: 'Mark notifications read (ids or "all")', body: MarkRead, response: { 200: z.object({ updated: z.number(), unread: z.number() }) } } },
    async (req) => {
      const userId = actorOf(req).id;
      const updated = await markNotificationsRead(deps.db, userId, req.body.ids, deps.clock.now());
      return { updated, unread: await unreadCount(deps.db, userId) };
    },
  );
  r.get(
    '/api/notifications/stream',
    { config: { roles: ANY_ROLE }, schema: { tags: ['notifications'], summary: 'Server-sent events: `unread` with the count, at once and on every new notice' } },
    async (req, reply) => {
      const userId = actorOf(req).id;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      const send = async () => {
        try {
          res.write(`event: unread\ndata: ${JSON.stringify({ unread: await unreadCount(deps.db, userId) })}\n\n`);
        } catch {
          /* the client went away; close handles cleanup */
        }
      };
      const onNotify = (ids: number[]) => {
        if (ids.includes(userId)) void send();
      };
      notificationBus.on('notify', onNotify);
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
      const close = () => {
        clearInterval(keepAlive);
        notificationBus.off('notify', onNotify);
        streams.delete(res);
      };
      streams.add(res);
      req.raw.on('close', close);
      await send();
    },
  );
}
