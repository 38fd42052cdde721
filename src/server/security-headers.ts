// Security headers on every answer: no MIME sniffing, no framing, a CSP the web app passes, a referrer policy, and
// HSTS when the site is served over HTTPS (SECURE_COOKIES=1).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/**
 * The web app loads only its own scripts; antd writes its styles inline, MapLibre draws in blob: workers and
 * images, and every request goes to this origin. Swagger UI (/api/docs) runs an inline initialiser, so its pages
 * get their own, wider script rule.
 */
const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
const DOCS_CSP = APP_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");

export function securityHeaders(config: Pick<Config, 'secureCookies'>) {
  return async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('content-security-policy', req.url.startsWith('/api/docs') ? DOCS_CSP : APP_CSP);
    if (config.secureCookies) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    return payload;
  };
}
