// Turns domain errors and validation failures into HTTP status + a message in the user's language.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type DomainErrorCode } from '../domain/errors.js';
import { message, pickLang, type Lang } from '../shared/messages.js';

const STATUS: Partial<Record<DomainErrorCode, number>> = {
  move_forbidden_for_role: 403,
  not_your_work_order: 403,
  not_co_department: 403,
  forbidden: 403,
  csrf_failed: 403,
  password_change_required: 403,
  move_not_allowed_in_state: 409,
  version_conflict: 409,
  username_taken: 409,
  not_found: 404,
  list_cursor_invalid: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  wrong_current_password: 400,
  login_throttled: 429,
  photo_too_large: 413,
  photo_type_refused: 415,
};

export function langOf(req: FastifyRequest): Lang {
  return pickLang(req.headers['accept-language'], req.cookies?.lang);
}

export function errorHandler(err: FastifyError | DomainError, req: FastifyRequest, reply: FastifyReply) {
  const lang = langOf(req);
  if (err instanceof DomainError) {
    const status = STATUS[err.code] ?? 422;
    return reply.status(status).send({ error: { code: err.code, message: message(err.code, err.params, lang) } });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const details = err.validation.map((v) => `${v.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'body'}: ${v.message}`);
    return reply.status(400).send({
      error: { code: 'validation_failed', message: message('validation_failed', { details: details.join('; ') }, lang), details: err.validation },
    });
  }
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError) {
    return reply.status(400).send({ error: { code: 'validation_failed', message: message('validation_failed', { details: lang === 'en' ? 'the body is not valid JSON' : '请求内容不是有效的 JSON' }, lang) } });
  }
  if (err.statusCode === 429) {
    return reply.status(429).send({ error: { code: 'rate_limited', message: message('rate_limited', {}, lang) } });
  }
  if (err.statusCode === 413 || err.code === 'FST_REQ_FILE_TOO_LARGE') {
    return reply.status(413).send({ error: { code: 'photo_too_large', message: message('photo_too_large', { limitMb: 10 }, lang) } });
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return reply.status(err.statusCode).send({ error: { code: err.code ?? 'bad_request', message: err.message } });
  }
  req.log.error({ err }, 'unhandled error');
  return reply.status(500).send({ error: { code: 'internal', message: message('internal', {}, lang) } });
}
