// Configuration from the environment; documented in the README ("Configuration").
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  production: boolean;
  logLevel: string;
  /** seed the demo street on first start (never in production) */
  seedDemo: boolean;
  /** initial admin password in production; the admin must change it at first login */
  adminPassword: string | undefined;
  webDist: string;
  /** cookies marked Secure (behind HTTPS) */
  secureCookies: boolean;
  /** how often the deadline sweeper runs */
  sweepIntervalMs: number;
  /** share of requests logged, one line each (errors, refusals and slow requests always): REQUEST_LOG */
  requestLogShare: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    production,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'warn' : 'info'),
    seedDemo: !production && env.SEED_DEMO !== '0',
    adminPassword: env.ADMIN_PASSWORD,
    webDist: path.resolve(env.WEB_DIST ?? path.join(import.meta.dirname, '..', 'web', 'dist')),
    secureCookies: env.SECURE_COOKIES === '1',
    sweepIntervalMs: Number(env.SWEEP_INTERVAL_MS ?? 30_000),
    // development is quiet (the start-up lines say where to look); production samples a tenth of the requests
    requestLogShare: Math.min(1, Math.max(0, Number(env.REQUEST_LOG ?? (production ? 0.1 : 0)) || 0)),
  };
}
