// /api/poi: points of interest on the map (enterprises/key units, pollution sources, sensitive points, monitoring
// stations, cameras): read in scope; import from GeoJSON or .xlsx (operators and administrators, audited).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { parseBbox, PoiCollection, PoiImportQuery, PoiImportResult, PoiQuery, type PoiType } from '../../shared/map-api.js';
import { importPois, searchPois } from '../../services/poi.js';
import type { ActorContext } from '../../services/context.js';
import { actorOf, STAFF } from '../auth-plugin.js';
import type { ServerDeps } from '../deps.js';

const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

export async function poiRoutes(app: FastifyInstance, deps: ServerDeps) {
  // GeoJSON files are sent as application/geo+json as often as application/json.
  app.addContentTypeParser('application/geo+json', { parseAs: 'string', bodyLimit: IMPORT_MAX_BYTES }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (e) {
      done(Object.assign(e as Error, { statusCode: 400 }), undefined);
    }
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = (req: FastifyRequest): ActorContext => ({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() });

  r.get(
    '/api/poi',
    {
      config: { roles: STAFF }, schema: {
        tags: ['map'],
        summary: 'Points of interest in my scope, by type and box, as GeoJSON (phones masked and stream addresses hidden for roles that do not need them)',
        querystring: PoiQuery,
        response: { 200: PoiCollection },
      },
    },
    async (req) =>
      searchPois(ctx(req), {
        types: req.query.type ? (req.query.type.split(',').filter(Boolean) as PoiType[]) : undefined,
        bbox: req.query.bbox ? parseBbox(req.query.bbox) : undefined,
        limit: req.query.limit,
      }),
  );
  r.post(
    '/api/poi/import',
    {
      bodyLimit: IMPORT_MAX_BYTES,
      config: { roles: ['admin', 'operator'] }, schema: {
        tags: ['map'],
        summary: 'Import points of interest: a GeoJSON FeatureCollection (JSON body or file) or an .xlsx (multipart field "file")',
        description:
          'Columns / properties: 类型 (企业/重点单位, 污染源, 敏感点/学校/医院, 监测站, 摄像头), 名称, 经度, 纬度 (required); 地址, 编码, 子类, 行业, 风险等级 (低/中/高), ' +
          '联系人, 电话, 视频地址; other columns are kept as properties. A point with a 编码 replaces the stored point of that type and code. ' +
          'All or nothing: any problem answers 422 poi_import_invalid with every problem by row (Excel row number) or feature (0-based index). ' +
          '`crs` names the datum of the coordinates (WGS84, GCJ02 for AMap/Tencent, BD09 for Baidu); points are stored in WGS-84.',
        consumes: ['application/json', 'application/geo+json', 'multipart/form-data'],
        querystring: PoiImportQuery,
        response: { 200: PoiImportResult },
      },
    },
    async (req) => {
      const c = ctx(req);
      const opts = { crs: req.query.crs, dryRun: req.query.dryRun === 'true' };
      if (req.isMultipart()) {
        const file = await req.file({ limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } });
        if (!file) return importPois(c, opts);
        const bytes = await file.toBuffer();
        return importPois(c, { ...opts, file: { bytes, filename: file.filename } });
      }
      return importPois(c, { ...opts, ...(req.body != null ? { geojson: req.body } : {}) });
    },
  );
}
