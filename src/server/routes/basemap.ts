// /api/basemap: which base map the web app draws under the grids (configured by BASEMAP and friends, see
// src/config.ts), and the offline PMTiles archive itself, served with HTTP range requests as MapLibre's `pmtiles`
// protocol reads it.
import { createReadStream, statSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Basemap } from '../../shared/basemap-api.js';
import { ROLES } from '../../shared/vocabulary.js';
import type { Config } from '../../config.js';
import { DomainError } from '../../domain/errors.js';
import type { ServerDeps } from '../deps.js';

export const PMTILES_PATH = '/api/basemap/offline.pmtiles';

const TIANDITU = (layer: string, key: string) =>
  [0, 1, 2, 3, 4, 5, 6, 7].map(
    (n) => `https://t${n}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`,
  );

export function basemapOf(config: Config): Basemap {
  const b = config.basemap;
  const none: Basemap = { kind: 'none', crs: 'wgs84', tiles: [], scheme: 'xyz', pmtilesUrl: null, attribution: '', maxZoom: 19 };
  switch (b.kind) {
    case 'none':
      return none;
    case 'tianditu':
      // 天地图 serves CGCS2000, which agrees with WGS-84 to centimetres: no shift
      return { ...none, kind: 'tianditu', tiles: [TIANDITU('vec', b.tiandituKey ?? ''), TIANDITU('cva', b.tiandituKey ?? '')], attribution: '© 天地图', maxZoom: 18 };
    case 'amap':
      return {
        ...none,
        kind: 'amap',
        crs: 'gcj02',
        tiles: [[1, 2, 3, 4].map((n) => `https://webrd0${n}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}`)],
        attribution: '© 高德地图',
        maxZoom: 18,
      };
    case 'tencent':
      return {
        ...none,
        kind: 'tencent',
        crs: 'gcj02',
        tiles: [[0, 1, 2, 3].map((n) => `https://rt${n}.map.gtimg.com/realtimerender?z={z}&x={x}&y={y}&type=vector&style=0`)],
        scheme: 'tms',
        attribution: '© 腾讯地图',
        maxZoom: 18,
      };
    case 'xyz':
      return { ...none, kind: 'xyz', crs: b.crs, tiles: [[b.url ?? '']], attribution: b.attribution ?? '' };
    case 'pmtiles':
      return { ...none, kind: 'pmtiles', crs: b.crs, pmtilesUrl: PMTILES_PATH, attribution: b.attribution ?? '© OpenStreetMap' };
  }
}

/** "bytes=a-b" / "bytes=a-" / "bytes=-n" of a file of `size` bytes; null when absent or not satisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'bad' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'bad';
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > end || start >= size ? 'bad' : { start, end };
}

export async function basemapRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const anyone = { roles: [...ROLES] };
  r.get(
    '/api/basemap',
    { config: anyone, schema: { tags: ['map'], summary: 'The base map to draw under the grids, and its datum', response: { 200: Basemap } } },
    async () => basemapOf(deps.config),
  );
  r.get(
    PMTILES_PATH,
    { config: anyone, schema: { tags: ['map'], summary: 'The offline vector base map (PMTiles), read with HTTP range requests', hide: true } },
    async (req, reply) => {
      const file = deps.config.basemap.kind === 'pmtiles' ? deps.config.basemap.pmtilesFile : undefined;
      let size: number;
      try {
        size = file ? statSync(file).size : -1;
      } catch {
        size = -1;
      }
      if (!file || size < 0) throw new DomainError('not_found');
      const range = parseRange(req.headers.range, size);
      reply.header('accept-ranges', 'bytes').header('cache-control', 'private, max-age=3600').type('application/octet-stream');
      if (range === 'bad') return reply.status(416).header('content-range', `bytes */${size}`).send();
      if (!range) return reply.header('content-length', size).send(createReadStream(file));
      return reply
        .status(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
        .header('content-length', range.end - range.start + 1)
        .send(createReadStream(file, { start: range.start, end: range.end }));
    },
  );
}
