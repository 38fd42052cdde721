// The base map under the grids (configured on the server, GET /api/basemap): raster tiles of an online service
// (天地图, AMap, Tencent, any XYZ) or an offline vector map from a PMTiles file through MapLibre's `pmtiles`
// protocol. Our data is WGS-84; under a GCJ-02 base map (AMap, Tencent) everything we draw is shifted to GCJ-02
// and every position read from the map (a click, the view) is shifted back, so the grids sit on the right streets.
import { useQuery } from '@tanstack/react-query';
import { addProtocol, type GeoJSONSource, type LayerSpecification, type Map as MlMap, type SourceSpecification } from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import type { Basemap } from '../../../src/shared/basemap-api';
import { request } from '../api';
import { boundsToDisplay, fromDisplay, geoToDisplay, setDisplayCrs, toDisplay } from './datum';
import { refKeys } from '../queryKeys';

export { boundsToDisplay, fromDisplay, geoToDisplay, toDisplay };

let protocolAdded = false;

export function useBasemap() {
  return useQuery({
    queryKey: refKeys.basemap(),
    queryFn: async () => {
      const b = await request<Basemap>('/basemap').catch(() => null);
      setDisplayCrs(b?.crs ?? 'wgs84');
      return b;
    },
    staleTime: Infinity,
    meta: { silent: true },
  });
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
