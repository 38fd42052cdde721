// Configuration from the environment; documented in the README ("Configuration").
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  production: boolean;
  /** GRIDWORK_EMBEDDED=1: production on the embedded PGlite database is wanted (one process, one folder) */
  embedded: boolean;
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
  /** the base map under the web app's maps (README "Base maps") */
  basemap: {
    kind: 'none' | 'tianditu' | 'amap' | 'tencent' | 'xyz' | 'pmtiles';
    tiandituKey?: string | undefined;
    pmtilesFile?: string | undefined;
    url?: string | undefined;
    crs: 'wgs84' | 'gcj02';
    attribution?: string | undefined;
  };
}

const BASEMAPS = ['none', 'tianditu', 'amap', 'tencent', 'xyz', 'pmtiles'] as const;

function basemapConfig(env: NodeJS.ProcessEnv): Config['basemap'] {
  const pmtilesFile = env.BASEMAP_PMTILES ? path.resolve(env.BASEMAP_PMTILES) : undefined;
  const kind = (env.BASEMAP || (pmtilesFile ? 'pmtiles' : env.TIANDITU_KEY ? 'tianditu' : 'none')) as Config['basemap']['kind'];
  if (!BASEMAPS.includes(kind)) throw new Error(`BASEMAP must be one of ${BASEMAPS.join(', ')}, got "${env.BASEMAP}"`);
  if (kind === 'tianditu' && !env.TIANDITU_KEY) throw new Error('BASEMAP=tianditu needs TIANDITU_KEY (a 天地图 browser key)');
  if (kind === 'pmtiles' && !pmtilesFile) throw new Error('BASEMAP=pmtiles needs BASEMAP_PMTILES (the path of a .pmtiles file)');
  if (kind === 'xyz' && !env.BASEMAP_URL) throw new Error('BASEMAP=xyz needs BASEMAP_URL (a tile URL with {z}/{x}/{y})');
  const crs = env.BASEMAP_CRS === 'gcj02' || kind === 'amap' || kind === 'tencent' ? 'gcj02' : 'wgs84';
  return { kind, tiandituKey: env.TIANDITU_KEY, pmtilesFile, url: env.BASEMAP_URL, crs, attribution: env.BASEMAP_ATTRIBUTION };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    // Loopback unless told otherwise: a production server sits behind a reverse proxy on the same machine.
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    production,
    embedded: env.GRIDWORK_EMBEDDED === '1',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'warn' : 'info'),
    seedDemo: !production && env.SEED_DEMO !== '0',
    adminPassword: env.ADMIN_PASSWORD,
    webDist: path.resolve(env.WEB_DIST ?? path.join(import.meta.dirname, '..', 'web', 'dist')),
    secureCookies: env.SECURE_COOKIES === '1',
    sweepIntervalMs: Number(env.SWEEP_INTERVAL_MS ?? 30_000),
    basemap: basemapConfig(env),
    // development is quiet (the start-up lines say where to look); production samples a tenth of the requests
    requestLogShare: Math.min(1, Math.max(0, Number(env.REQUEST_LOG ?? (production ? 0.1 : 0)) || 0)),
  };
}
