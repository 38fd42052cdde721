// The base map under every map (README "Base maps"): none, an online tile service the office has a key or licence
// for, or an offline vector map from a local PMTiles file. The platform stores WGS-84; a base map in GCJ-02 (AMap,
// Tencent) needs our data shifted to it for display, which the web app does (web/src/map/basemap.ts).
import { z } from 'zod';

export const BASEMAP_KINDS = ['none', 'tianditu', 'amap', 'tencent', 'xyz', 'pmtiles'] as const;
export type BasemapKind = (typeof BASEMAP_KINDS)[number];

export const Basemap = z.object({
  kind: z.enum(BASEMAP_KINDS),
  /** the datum of the base map: our WGS-84 data is shifted for display when this is gcj02 */
  crs: z.enum(['wgs84', 'gcj02']),
  /** raster tile URL templates ({z}/{x}/{y}), drawn bottom first (e.g. 天地图's map, then its labels) */
  tiles: z.array(z.array(z.string())),
  /** tms: y counts from the south (Tencent) */
  scheme: z.enum(['xyz', 'tms']),
  /** pmtiles: the archive's URL, read with HTTP range requests */
  pmtilesUrl: z.string().nullable(),
  attribution: z.string(),
  maxZoom: z.number(),
});
export type Basemap = z.infer<typeof Basemap>;
