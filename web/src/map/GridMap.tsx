// The grid map (MapLibre GL, no network): grid polygons from /api/grids, their names as HTML markers, the case
// position as a marker. With `onPick`, a click picks the position. Without WebGL it shows a notice instead.
import { useEffect, useRef } from 'react';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { Map as MlMap, Marker } from 'maplibre-gl';
import type { GridCollection } from '../../../src/shared/api';
import { featureBounds } from './geo';
import { GRID_SOURCE, gridStyle } from './style';
import { boundsToDisplay, fromDisplay, setDisplayData, toDisplay } from './basemap';
import { useMapLibre } from './useMapLibre';
import './map.css';

export interface LngLat {
  lng: number;
  lat: number;
}

interface Props {
  grids: GridCollection | undefined;
  value: LngLat | null;
  onPick?: (p: LngLat) => void;
  highlightGridId?: number | null;
  /** zoom in on the value instead of showing every grid */
  focus?: boolean;
  height?: number | string;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

interface Label {
  marker: Marker;
  el: HTMLElement;
  w: number;
  h: number;
}

/** Hides grid labels that would overlap one already shown (no glyphs, so MapLibre cannot place them for us). */
function placeLabels(map: MlMap, labels: Label[]): void {
  const placed: { x1: number; x2: number; y1: number; y2: number }[] = [];
  for (const l of labels) {
    const p = map.project(l.marker.getLngLat());
    const box = { x1: p.x - l.w / 2 - 4, x2: p.x + l.w / 2 + 4, y1: p.y - l.h / 2 - 2, y2: p.y + l.h / 2 + 2 };
    const hit = placed.some((b) => b.x1 < box.x2 && box.x1 < b.x2 && b.y1 < box.y2 && box.y1 < b.y2);
    l.el.style.visibility = hit ? 'hidden' : 'visible';
    if (!hit) placed.push(box);
  }
}

export default function GridMap({ grids, value, onPick, highlightGridId, focus, height = 360 }: Props) {
  const { t } = useTranslation();
  const markerRef = useRef<Marker | null>(null);
  const labelsRef = useRef<Label[]>([]);
  const highlighted = useRef<number | null>(null);
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;
  // data is drawn once the base map's datum is known (a GCJ-02 base map shifts what we draw)
  const { box: container, map: mapRef, ready, failed } = useMapLibre({
    style: gridStyle(undefined),
    options: {
      center: value ? [value.lng, value.lat] : [116.4, 39.9],
      zoom: value ? 15 : 11,
      dragRotate: false,
      pitchWithRotate: false,
    },
    navigation: 'top-right',
    basemap: { before: 'grid-fill' },
    onCreate: (map) => {
      map.on('click', (e) => {
        const [lng, lat] = fromDisplay(e.lngLat.lng, e.lngLat.lat);
        onPickRef.current?.({ lng: round6(lng), lat: round6(lat) });
      });
      const relayout = () => placeLabels(map, labelsRef.current);
      map.on('zoom', relayout);
      map.on('resize', relayout);
      return () => {
        markerRef.current = null;
        labelsRef.current = [];
        highlighted.current = null;
      };
    },
  });

  // grid polygons, labels and the initial view
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !grids) return;
    if (container.current) delete container.current.dataset.idle;
    setDisplayData(map, GRID_SOURCE, grids);
    for (const l of labelsRef.current) l.marker.remove();
    labelsRef.current = grids.features.map((f) => {
      const el = document.createElement('div');
      el.className = 'gw-grid-label';
      el.textContent = f.properties.name;
      const marker = new Marker({ element: el }).setLngLat(toDisplay(f.properties.labelLng, f.properties.labelLat)).addTo(map);
      return { marker, el, w: el.offsetWidth, h: el.offsetHeight };
    });
    const own = focus && highlightGridId != null ? grids.features.find((f) => f.id === highlightGridId) : undefined;
    const [w, s, e, n] = boundsOrNone(own ? featureBounds(own) : focus ? [] : (grids.bbox ?? []));
    if (w != null && s != null && e != null && n != null) {
      map.fitBounds(
        [
          [w, s],
          [e, n],
        ],
        { padding: 24, animate: false, maxZoom: 17 },
      );
    }
    placeLabels(map, labelsRef.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the view is set once per grid data, not per highlight
  }, [grids, ready, focus]);

  // the position marker
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    if (!value) {
      markerRef.current?.remove();
      markerRef.current = null;
      return;
    }
    if (!markerRef.current) markerRef.current = new Marker({ color: '#f5222d' });
    const at = toDisplay(value.lng, value.lat);
    markerRef.current.setLngLat(at).addTo(map);
    if (!map.getBounds().contains(at)) {
      map.easeTo({ center: at, duration: 300 });
    }
  }, [value, ready, focus]);

  // the grid the position falls in
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !grids) return;
    if (highlighted.current != null) map.setFeatureState({ source: GRID_SOURCE, id: highlighted.current }, { selected: false });
    highlighted.current = highlightGridId ?? null;
    if (highlightGridId != null) map.setFeatureState({ source: GRID_SOURCE, id: highlightGridId }, { selected: true });
  }, [highlightGridId, ready, grids]);

  return (
    <div>
      {failed && <Alert type="warning" showIcon title={t('map.unavailable')} data-testid="map-unavailable" style={{ marginBottom: 8 }} />}
      <div
        ref={container}
        data-testid="map"
        data-ready={ready ? 'true' : 'false'}
        className={onPick ? 'gw-map gw-map-pick' : 'gw-map'}
        style={{ height: failed ? 0 : height }}
      />
    </div>
  );
}

const boundsOrNone = (b: number[]) => (b.length === 4 ? boundsToDisplay(b) : []);
