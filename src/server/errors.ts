// Turns domain errors and validation failures into HTTP status + a message in the user's language.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type DomainErrorCode } from '../domain/errors.js';
import { message, pickLang, type Lang } from '../shared/messages.js';

const STATUS: Partial<Record<DomainErrorCode, number>> = {
  move_forbidden_for_role: 403,
  not_your_work_order: 403,
  not_co_department: 403,
  hazard_major_needs_leader: 403,
  forbidden: 403,
  csrf_failed: 403,
  password_change_required: 403,
  move_not_allowed_in_state: 409,
  version_conflict: 409,
  grids_changed: 409,
  username_taken: 409,
  not_found: 404,
  list_cursor_invalid: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  wrong_current_password: 400,
  login_throttled: 429,
  account_locked: 403,
  photo_too_large: 413,
  photo_type_refused: 415,
  receipt_type_refused: 415,
  inspection_plan_exists: 409,
  inspection_template_retired: 409,
  inspection_plan_item_done: 409,
  inspection_plan_closed: 409,
  photo_too_many_pixels: 413,
  work_timed_out: 503,
  assessment_period_invalid: 400,
  assessment_scheme_invalid: 400,
  assessment_already_published: 409,
  work_busy: 503,
  spreadsheet_too_large: 413,
  stats_period_invalid: 400,
  map_period_invalid: 400,
  map_box_too_large: 400,
  poi_import_empty: 400,
  patrol_not_active: 409,
  patrol_not_yours: 403,
  checkin_outside_scope: 403,
};

/** The multipart plugin's default file limit (src/server/app.ts); routes that take more declare `config.fileLimit`. */
export const DEFAULT_FILE_LIMIT = 10 * 1024 * 1024;
/** The app-wide JSON body limit (src/server/app.ts); routes that take more declare `bodyLimit`. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : `${Math.ceil(n / 1024)} KB`;
}

/** PostgreSQL refusals of a value (int out of range, NUL byte, bad text for a type): the input was bad, not the server. */
const PG_VALUE_CODES = new Set(['22003', '22P02', '22P05', '22021', '22007', '22008', '22001', '54000']);

const MULTIPART_CODES = new Set(['FST_INVALID_MULTIPART_CONTENT_TYPE', 'FST_PROTO_VIOLATION', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT', 'FST_NO_FORM_DATA']);

function send(reply: FastifyReply, status: number, code: string, msg: string) {
  return reply.status(status).send({ error: { code, message: msg } });
}

function isMultipart(req: FastifyRequest): boolean {
  return /^multipart\//i.test(String(req.headers['content-type'] ?? ''));
}

export function langOf(req: FastifyRequest): Lang {
  return pickLang(req.headers['accept-language'], req.cookies?.lang);
}

export function errorHandler(err: FastifyError | DomainError, req: FastifyRequest, reply: FastifyReply) {
  const lang = langOf(req);
  if (err instanceof DomainError) {
    const status = STATUS[err.code] ?? 422;
    const details = typeof err.details === 'function' ? (err.details as (l: Lang) => unknown)(lang) : err.details;
    return reply.status(status).send({ error: { code: err.code, message: message(err.code, err.params, lang), ...(details !== undefined ? { details } : {}) } });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const details = err.validation.map((v) => `${v.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'body'}: ${v.message}`);
    return reply.status(400).send({
      error: { code: 'validation_failed', message: message('validation_failed', { details: details.join('; ') }, lang), details: err.validation },
    });
  }
  const code = (err as FastifyError).code;
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError) {
    return send(reply, 400, 'validation_failed', message('validation_failed', { details: lang === 'en' ? 'the body is not valid JSON' : '请求内容不是有效的 JSON' }, lang));
  }
  if (err.statusCode === 429) return send(reply, 429, 'rate_limited', message('rate_limited', {}, lang));
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    const limit = req.routeOptions.config?.fileLimit ?? DEFAULT_FILE_LIMIT;
    if (req.routeOptions.url === '/api/photos') return send(reply, 413, 'photo_too_large', message('photo_too_large', { limitMb: limit / 1024 / 1024 }, lang));
    return send(reply, 413, 'file_too_large', message('file_too_large', { limit: formatBytes(limit) }, lang));
  }
  if (code === 'FST_FILES_LIMIT') return send(reply, 413, 'too_many_files', message('too_many_files', { limit: 1 }, lang));
  if (err.statusCode === 413 || code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = req.routeOptions.bodyLimit ?? DEFAULT_BODY_LIMIT;
    return send(reply, 413, 'body_too_large', message('body_too_large', { limit: formatBytes(limit) }, lang));
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) {
    const accepted = (req.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes?.join(', ') ?? 'application/json';
    return send(reply, 415, 'unsupported_media_type', message('unsupported_media_type', { type: String(req.headers['content-type'] ?? ''), accepted }, lang));
  }
  if (code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' || code === 'FST_ERR_CTP_INVALID_TYPE') {
    return send(reply, 400, 'body_unreadable', message('body_unreadable', { details: code }, lang));
  }
  // A multipart body that does not parse (boundary not found, cut short) comes from busboy as a plain Error.
  if ((code && MULTIPART_CODES.has(code)) || (!err.statusCode && isMultipart(req) && /boundary|form|part|multipart|header/i.test(err.message))) {
    return send(reply, 400, 'multipart_invalid', message('multipart_invalid', {}, lang));
  }
  if (typeof code === 'string' && PG_VALUE_CODES.has(code) && !err.statusCode) {
    req.log.warn({ err }, 'value refused by the database');
    return send(reply, 400, 'value_out_of_range', message('value_out_of_range', {}, lang));
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return send(reply, err.statusCode, code ?? 'bad_request', message('request_invalid', { code: code ?? String(err.statusCode) }, lang));
  }
  req.log.error({ err }, 'unhandled error');
  return reply.status(500).send({ error: { code: 'internal', message: message('internal', {}, lang) } });
}
