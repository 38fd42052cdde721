// Text PostgreSQL cannot store (NUL) is refused at the edge for every route, whatever its schema says, with the
// same 400 and message as a schema failure: the one shared rule is src/shared/db-values.ts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findUnsafeText } from '../shared/db-values.js';
import { message } from '../shared/messages.js';
import { langOf } from './errors.js';

export async function refuseUnsafeText(req: FastifyRequest, reply: FastifyReply) {
  const where =
    findUnsafeText(req.params, 'params') ?? findUnsafeText(req.query, 'query') ?? findUnsafeText(req.body, 'body');
  if (!where) return;
  const lang = langOf(req);
  const details = lang === 'en' ? `${where}: contains a NUL character, which is not allowed` : `${where}：含有不允许的空字符（NUL）`;
  return reply.status(400).send({ error: { code: 'validation_failed', message: message('validation_failed', { details }, lang) } });
}
