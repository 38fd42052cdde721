// The base map under the grids (configured on the server, GET /api/basemap): raster tiles of an online service
// (天地图, AMap, Tencent, any XYZ) or an offline vector map from a PMTiles file through MapLibre's `pmtiles`
// protocol. Our data is WGS-84; under a GCJ-02 base map (AMap, Tencent) everything we draw is shifted to GCJ-02
// and every position read from the map (a click, the view) is shifted back, so the grids sit on the right streets.
import { useQuery } from '@tanstack/react-query';
import gcoord from 'gcoord';
import { addProtocol, type GeoJSONSource, type LayerSpecification, type Map as MlMap, type SourceSpecification } from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import type { Basemap } from '../../../src/shared/basemap-api';
import { request } from '../api';

let crs: Basemap['crs'] = 'wgs84';
let protocolAdded = false;

export function useBasemap() {
  return useQuery({
    queryKey: ['basemap'],
    queryFn: async () => {
      const b = await request<Basemap>('/basemap').catch(() => null);
      crs = b?.crs ?? 'wgs84';
      return b;
    },
    staleTime: Infinity,
    meta: { silent: true },
  });
}

export const displayCrs = () => crs;

/** A WGS-84 position as drawn on the map. */
export function toDisplay(lng: number, lat: number): [number, number] {
  if (crs === 'wgs84') return [lng, lat];
  return gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
}

/** A position read from the map (a click, the view's corners) in WGS-84. */
export function fromDisplay(lng: number, lat: number): [number, number] {
  if (crs === 'wgs84') return [lng, lat];
  // the inverse is not closed-form: refine until the forward image agrees to ~1 cm
  let [x, y] = [lng, lat];
  for (let i = 0; i < 10; i++) {
    const [fx, fy] = toDisplay(x, y);
    if (Math.abs(fx - lng) < 1e-7 && Math.abs(fy - lat) < 1e-7) break;
    x -= fx - lng;
    y -= fy - lat;
  }
  return [x, y];
}

type Coords = number[] | Coords[];
function shiftCoords(c: Coords): Coords {
  if (typeof c[0] === 'number') {
    const [x, y] = toDisplay(c[0] as number, c[1] as number);
    return [x, y, ...(c as number[]).slice(2)];
  }
  return (c as Coords[]).map(shiftCoords);
}

/** A GeoJSON collection as drawn on the map (a shifted copy under GCJ-02; the same object otherwise). */
export function geoToDisplay<T extends { features: { geometry: unknown }[]; bbox?: number[] | undefined }>(fc: T): T {
  if (crs === 'wgs84') return fc;
  const features = fc.features.map((f) => {
    const g = f.geometry as { type: string; coordinates?: Coords; geometries?: unknown[] } | null;
    return g?.coordinates ? { ...f, geometry: { ...g, coordinates: shiftCoords(g.coordinates) } } : f;
  });
  return { ...fc, features, ...(fc.bbox ? { bbox: boundsToDisplay(fc.bbox) } : {}) };
}

export function boundsToDisplay(b: number[]): number[] {
  const [w, s] = toDisplay(b[0]!, b[1]!);
  const [e, n] = toDisplay(b[2]!, b[3]!);
  return [w, s, e, n];
}

export function setDisplayData(map: MlMap, source: string, data: { features: { geometry: unknown }[] }): void {
  (map.getSource(source) as GeoJSONSource | undefined)?.setData(geoToDisplay(data) as unknown as GeoJSON.FeatureCollection);
}

const BASE = 'basemap';

/** Sources and layers of a base map, drawn under everything of ours. */
export function basemapStyle(b: Basemap, origin: string): { sources: Record<string, SourceSpecification>; layers: LayerSpecification[] } {
  if (b.kind === 'pmtiles' && b.pmtilesUrl) {
    if (!protocolAdded) {
      addProtocol('pmtiles', new Protocol().tile);
      protocolAdded = true;
    }
    const src = BASE;
    const fill = (id: string, layer: string, color: string, filter?: unknown): LayerSpecification =>
      ({ id: `${BASE}-${id}`, type: 'fill', source: src, 'source-layer': layer, paint: { 'fill-color': color }, ...(filter ? { filter } : {}) }) as LayerSpecification;
    return {
      sources: { [src]: { type: 'vector', url: `pmtiles://${origin}${b.pmtilesUrl}`, attribution: b.attribution } },
      layers: [
        fill('earth', 'earth', '#f4f1ea'),
        fill('landuse', 'landuse', '#d9ecd0'),
        fill('water', 'water', '#a9d0ef'),
        fill('buildings', 'buildings', '#e3ddd3'),
        {
          id: `${BASE}-roads`,
          type: 'line',
          source: src,
          'source-layer': 'roads',
          layout: { 'line-cap': 'round', 'line-join': 'round' },
          paint: {
            'line-color': ['match', ['get', 'kind'], 'major_road', '#f7c873', 'highway', '#f2a65a', '#ffffff'],
            'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 11, 0.6, 15, 4, 18, 14],
          },
        },
      ],
    };
  }
  if (!b.tiles.length) return { sources: {}, layers: [] };
  const sources: Record<string, SourceSpecification> = {};
  const layers: LayerSpecification[] = [];
  b.tiles.forEach((tiles, i) => {
    const id = `${BASE}-${i}`;
    sources[id] = { type: 'raster', tiles, tileSize: 256, scheme: b.scheme, maxzoom: b.maxZoom, attribution: b.attribution };
    layers.push({ id, type: 'raster', source: id });
  });
  return { sources, layers };
}

/** Puts the base map under the layer `before` (or takes it away with b = null); returns whether one is shown. */
export function applyBasemap(map: MlMap, b: Basemap | null | undefined, before: string): boolean {
  for (const l of map.getStyle().layers ?? []) if (l.id.startsWith(BASE)) map.removeLayer(l.id);
  for (const s of Object.keys(map.getStyle().sources ?? {})) if (s.startsWith(BASE)) map.removeSource(s);
  if (!b || b.kind === 'none') return false;
  const { sources, layers } = basemapStyle(b, window.location.origin);
  for (const [id, s] of Object.entries(sources)) map.addSource(id, s);
  for (const l of layers) map.addLayer(l, map.getLayer(before) ? before : undefined);
  return true;
}
