// The one MapLibre set-up behind every map of the app (the grid map, the command map, the big screen's, the patrol's,
// the grid editor's): the worker and stylesheet, making the map once (or a notice when WebGL is missing), its
// controls, the base map under our layers and the datum everything is drawn in, resizing with its box, the markers
// tests and screenshots wait for (data-idle), and taking it all down again.
import { useEffect, useRef, useState, type RefObject } from 'react';
import {
  Map as MlMap,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
  type ControlPosition,
  type GeoJSONSource,
  type MapOptions,
  type StyleSpecification,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { applyBasemap, boundsToDisplay, fromDisplay, setDisplayData, toDisplay, useBasemap } from './basemap';

setWorkerUrl(workerUrl);

export interface MapLibreOptions {
  style: StyleSpecification;
  /** MapLibre's own options (centre, zoom, interactivity …), read once when the map is made */
  options?: Omit<MapOptions, 'container' | 'style'>;
  navigation?: ControlPosition;
  scale?: ControlPosition;
  /**
   * Draw over the configured base map (GET /api/basemap), under the layer `before`: the map is ready once the base
   * map is known, and what is drawn through `display` is shifted to the base map's datum (GCJ-02 under AMap and
   * Tencent). `show: false` hides the base map but keeps the datum. Without it, positions are drawn as they are.
   */
  basemap?: { before: string; show?: boolean; onShown?: (map: MlMap, shown: boolean) => void };
  /** events and anything else made with the map; the function it returns (if any) runs before the map goes */
  onCreate?: (map: MlMap, box: HTMLDivElement) => void | (() => void);
  /** the style has loaded (before `ready` turns true) */
  onLoad?: (map: MlMap) => void;
  /** the box changed size (after the map has resized) */
  onResize?: (map: MlMap) => void;
}

/** How our WGS-84 data and positions meet the map's datum. */
export interface MapDisplay {
  setData: (map: MlMap, source: string, data: { type?: string; features: { type?: string; properties?: unknown; geometry: unknown }[] }) => void;
  toDisplay: (lng: number, lat: number) => [number, number];
  fromDisplay: (lng: number, lat: number) => [number, number];
  boundsToDisplay: (b: number[]) => number[];
}

const SHIFTED: MapDisplay = { setData: setDisplayData, toDisplay, fromDisplay, boundsToDisplay };
const AS_IS: MapDisplay = {
  setData: (map, source, data) => (map.getSource(source) as GeoJSONSource | undefined)?.setData(data as unknown as GeoJSON.FeatureCollection),
  toDisplay: (lng, lat) => [lng, lat],
  fromDisplay: (lng, lat) => [lng, lat],
  boundsToDisplay: (b) => b,
};

export interface MapLibre {
  /** the box the map is drawn in */
  box: RefObject<HTMLDivElement | null>;
  /** the map (null before it is made, after it is gone, and without WebGL) */
  map: RefObject<MlMap | null>;
  /** the style has loaded (and, over a base map, the base map is known) */
  ready: boolean;
  /** the map could not be made (no WebGL) */
  failed: boolean;
  display: MapDisplay;
}

export function useMapLibre(opts: MapLibreOptions): MapLibre {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<MlMap | null>(null);
  const latest = useRef(opts);
  latest.current = opts;
  const [failed, setFailed] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const withBasemap = !!opts.basemap;
  const basemap = useBasemap();
  const ready = loaded && (!withBasemap || basemap.isFetched);

  // the map, made once; later options are read through `latest`
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const o = latest.current;
    let m: MlMap;
    try {
      m = new MlMap({ container: el, style: o.style, attributionControl: false, ...o.options });
    } catch (err) {
      console.warn('map unavailable', err);
      setFailed(true);
      return;
    }
    if (o.navigation) m.addControl(new NavigationControl({ showCompass: false }), o.navigation);
    if (o.scale) m.addControl(new ScaleControl({ unit: 'metric' }), o.scale);
    m.on('load', () => {
      latest.current.onLoad?.(m);
      setLoaded(true);
    });
    m.on('error', (e) => console.warn('map error', e.error));
    // for tests and screenshots: the map has drawn everything it has
    m.on('idle', () => (el.dataset.idle = 'true'));
    m.on('movestart', () => delete el.dataset.idle);
    const undo = o.onCreate?.(m, el);
    const observer = new ResizeObserver(() => {
      m.resize();
      latest.current.onResize?.(m);
    });
    observer.observe(el);
    map.current = m;
    return () => {
      observer.disconnect();
      undo?.();
      map.current = null;
      m.remove();
    };
  }, []);

  // the base map under our layers
  const show = opts.basemap?.show ?? true;
  useEffect(() => {
    const m = map.current;
    const before = latest.current.basemap?.before;
    if (!m || !ready || !before || !box.current) return;
    const shown = applyBasemap(m, show ? basemap.data : null, before);
    box.current.dataset.basemap = shown ? basemap.data!.kind : 'none';
    latest.current.basemap?.onShown?.(m, shown);
  }, [ready, basemap.data, show]);

  return { box, map, ready, failed, display: withBasemap ? SHIFTED : AS_IS };
}
