// The grid-administration map (MapLibre, no network, no glyphs): grids coloured by class (A blue, B orange,
// C purple; B and C dashed as they overlay the territory), names as HTML markers, the selected grid highlighted,
// extra shapes (coverage gaps and overlaps, an old version) and, for administrators, the boundary editor.
import { useEffect, useRef } from 'react';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { GeoJSONSource, Map as MlMap, Marker, type StyleSpecification } from 'maplibre-gl';
import type { Feature, FeatureCollection } from 'geojson';
import { BoundaryEditor, EDIT_SOURCE, type EditMode, type EditState } from './boundaryEditor';
import { type AreaGeometry, type Bounds, boundsOf, CLASS_COLORS, GAP_COLOR, type GridClassName, OVERLAP_COLOR } from './gridGeo';
import { useMapLibre } from '../../map/useMapLibre';
import './grids.css';

export interface MapGrid {
  id: number;
  code: string;
  name: string;
  gridClass: GridClassName;
  level: number;
  geometry: AreaGeometry;
  label: [number, number];
}

export interface MapShape {
  id: string;
  /** gap red, overlap orange (filled); version dark and draft teal (dashed outlines) */
  kind: 'gap' | 'overlap' | 'version' | 'draft';
  geometry: AreaGeometry;
}

export interface MapPoint {
  id: string;
  lng: number;
  lat: number;
}

export interface MapEditor {
  mode: EditMode;
  /** bump to start the editor afresh (new mode, new outline, cleared drawing) */
  session: number;
  initial: AreaGeometry | null;
  onChange: (s: EditState) => void;
  onFinish: () => void;
}

interface Props {
  grids: MapGrid[];
  selectedId?: number | null;
  onSelect?: (id: number) => void;
  shapes?: MapShape[];
  selectedShapeId?: string | null;
  /** problem positions, drawn as red dots */
  points?: MapPoint[];
  selectedPointId?: string | null;
  onSelectShape?: (id: string) => void;
  /** moves the view when `key` changes */
  fitTo?: { bounds: Bounds; key: string } | null;
  editor?: MapEditor | null;
  height?: number | string;
  testId?: string;
}

const GRIDS = 'admin-grids';
const SHAPES = 'admin-shapes';
const POINTS = 'admin-points';
const classColor: unknown = ['match', ['get', 'gridClass'], 'A', CLASS_COLORS.A, 'B', CLASS_COLORS.B, CLASS_COLORS.C];
const selected: unknown = ['boolean', ['feature-state', 'selected'], false];

function style(): StyleSpecification {
  const empty = { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } };
  return {
    version: 8,
    sources: { [GRIDS]: empty, [SHAPES]: empty, [POINTS]: empty, [EDIT_SOURCE]: empty },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f2efe9' } },
      {
        id: 'grid-fill',
        type: 'fill',
        source: GRIDS,
        paint: {
          'fill-color': classColor as never,
          // B and C grids overlay the territory: outlined only, lightly filled when selected
          'fill-opacity': ['case', ['==', ['get', 'gridClass'], 'A'], ['case', selected, 0.38, 0.12], ['case', selected, 0.16, 0]] as never,
        },
      },
      {
        id: 'grid-outline-a',
        type: 'line',
        source: GRIDS,
        filter: ['==', ['get', 'gridClass'], 'A'],
        paint: { 'line-color': CLASS_COLORS.A, 'line-width': 1.2 },
      },
      {
        id: 'grid-outline-bc',
        type: 'line',
        source: GRIDS,
        filter: ['!=', ['get', 'gridClass'], 'A'],
        paint: { 'line-color': classColor as never, 'line-width': 1.4, 'line-dasharray': [3, 2] },
      },
      {
        id: 'grid-selected',
        type: 'line',
        source: GRIDS,
        paint: { 'line-color': classColor as never, 'line-width': ['case', selected, 3.5, 0] as never },
      },
      {
        id: 'shape-fill',
        type: 'fill',
        source: SHAPES,
        filter: ['match', ['get', 'kind'], ['gap', 'overlap'], true, false],
        paint: {
          'fill-color': ['match', ['get', 'kind'], 'gap', GAP_COLOR, OVERLAP_COLOR] as never,
          'fill-opacity': ['case', ['get', 'selected'], 0.85, 0.55] as never,
        },
      },
      {
        id: 'shape-outline',
        type: 'line',
        source: SHAPES,
        paint: {
          'line-color': ['match', ['get', 'kind'], 'gap', GAP_COLOR, 'overlap', OVERLAP_COLOR, 'draft', '#08979c', '#262626'] as never,
          'line-width': ['case', ['get', 'selected'], 3, ['match', ['get', 'kind'], ['version', 'draft'], true, false], 2, 1.5] as never,
          'line-dasharray': [2, 1.5],
        },
      },
      {
        id: 'problem-points',
        type: 'circle',
        source: POINTS,
        paint: {
          'circle-radius': ['case', ['get', 'selected'], 9, 6] as never,
          'circle-color': GAP_COLOR,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      },
      {
        id: 'edit-fill',
        type: 'fill',
        source: EDIT_SOURCE,
        filter: ['==', ['get', 'role'], 'shape'],
        paint: { 'fill-color': '#f5222d', 'fill-opacity': 0.12 },
      },
      {
        id: 'edit-line',
        type: 'line',
        source: EDIT_SOURCE,
        filter: ['any', ['==', ['get', 'role'], 'shape'], ['==', ['get', 'role'], 'outline'], ['==', ['get', 'role'], 'cut']],
        paint: { 'line-color': ['match', ['get', 'role'], 'cut', '#cf1322', '#f5222d'] as never, 'line-width': 2.5 },
      },
      {
        id: 'edit-points',
        type: 'circle',
        source: EDIT_SOURCE,
        filter: ['==', ['geometry-type'], 'Point'],
        paint: {
          'circle-radius': ['match', ['get', 'role'], 'first', 6, 4] as never,
          'circle-color': '#ffffff',
          'circle-stroke-color': '#f5222d',
          'circle-stroke-width': 2,
        },
      },
    ],
  };
}

interface Label {
  id: number;
  marker: Marker;
  el: HTMLElement;
  w: number;
  h: number;
}

/** Shows the selected grid's label first, then the others that do not overlap one already shown. */
function placeLabels(map: MlMap, labels: Label[], selectedId: number | null): void {
  const placed: { x1: number; x2: number; y1: number; y2: number }[] = [];
  const order = [...labels].sort((a, b) => Number(b.id === selectedId) - Number(a.id === selectedId));
  const { width, height } = map.getContainer().getBoundingClientRect();
  for (const l of order) {
    const p = map.project(l.marker.getLngLat());
    const box = { x1: p.x - l.w / 2 - 4, x2: p.x + l.w / 2 + 4, y1: p.y - l.h / 2 - 2, y2: p.y + l.h / 2 + 2 };
    const off = box.x2 < 0 || box.y2 < 0 || box.x1 > width || box.y1 > height;
    const hit = off || placed.some((b) => b.x1 < box.x2 && box.x1 < b.x2 && b.y1 < box.y2 && box.y1 < b.y2);
    l.el.style.visibility = hit ? 'hidden' : 'visible';
    if (!hit) placed.push(box);
  }
}

export default function GridAdminMap({
  grids,
  selectedId = null,
  onSelect,
  shapes,
  selectedShapeId = null,
  onSelectShape,
  points,
  selectedPointId = null,
  fitTo,
  editor,
  height = 480,
  testId = 'grid-map',
}: Props) {
  const { t } = useTranslation();
  const labelsRef = useRef<Label[]>([]);
  const highlighted = useRef<number | null>(null);
  const fitted = useRef<string | null>(null);
  const editorRef = useRef<BoundaryEditor | null>(null);
  const props = useRef({ onSelect, onSelectShape, editing: false, selectedId, grids });
  props.current = { onSelect, onSelectShape, editing: !!editor, selectedId, grids };
  const { box: container, map: mapRef, ready, failed } = useMapLibre({
    style: style(),
    options: { center: [116.4, 39.9], zoom: 11, dragRotate: false, pitchWithRotate: false, touchPitch: false },
    navigation: 'top-right',
    scale: 'bottom-left',
    onCreate: (map) => {
      map.on('click', (e) => {
        const p = props.current;
        if (p.editing) return;
        if (p.onSelectShape) {
          const hit = map.queryRenderedFeatures(e.point, { layers: ['shape-fill'] })[0];
          if (hit) return p.onSelectShape(String(hit.properties.sid));
        }
        if (!p.onSelect) return;
        const hits = map.queryRenderedFeatures(e.point, { layers: ['grid-fill'] });
        // the smallest grid under the pointer: a key unit before the industry grid around it, a level-2 before level 1
        const byId = new Map(p.grids.map((g) => [g.id, g]));
        const best = hits
          .map((h) => byId.get(Number(h.id)))
          .filter((g): g is MapGrid => !!g)
          .map((g) => {
            const b = boundsOf([g.geometry]) ?? [0, 0, 0, 0];
            return { g, area: (b[2] - b[0]) * (b[3] - b[1]) };
          })
          .sort((a, b) => a.area - b.area)[0];
        if (best) p.onSelect(best.g.id);
      });
      map.on('mousemove', (e) => {
        if (props.current.editing || (!props.current.onSelect && !props.current.onSelectShape)) return;
        const over = map.queryRenderedFeatures(e.point, { layers: ['grid-fill', 'shape-fill'] }).length > 0;
        map.getCanvas().style.cursor = over ? 'pointer' : '';
      });
      const relayout = () => placeLabels(map, labelsRef.current, props.current.selectedId);
      map.on('moveend', relayout);
      map.on('zoom', relayout);
      map.on('resize', relayout);
      return () => {
        editorRef.current?.destroy();
        editorRef.current = null;
        labelsRef.current = [];
        highlighted.current = null;
      };
    },
  });

  // grids and their labels; the first time, the view of all of them
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    if (container.current) delete container.current.dataset.idle;
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: grids.map((g) => ({ type: 'Feature', id: g.id, properties: { gridClass: g.gridClass, level: g.level, code: g.code }, geometry: g.geometry })),
    };
    (map.getSource(GRIDS) as GeoJSONSource).setData(fc);
    highlighted.current = null;
    for (const l of labelsRef.current) l.marker.remove();
    labelsRef.current = grids.map((g) => {
      const el = document.createElement('div');
      el.className = `gw-admin-label gw-admin-label-${g.gridClass}`;
      el.textContent = g.name;
      const marker = new Marker({ element: el }).setLngLat(g.label).addTo(map);
      return { id: g.id, marker, el, w: el.offsetWidth, h: el.offsetHeight };
    });
    if (fitted.current === null && grids.length > 0 && !fitTo) {
      const b = boundsOf(grids.map((g) => g.geometry));
      if (b) {
        map.fitBounds(
          [
            [b[0], b[1]],
            [b[2], b[3]],
          ],
          { padding: 24, animate: false },
        );
        fitted.current = 'all';
      }
    }
    placeLabels(map, labelsRef.current, props.current.selectedId);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the first view only
  }, [grids, ready]);

  // the selected grid
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    if (highlighted.current != null) map.setFeatureState({ source: GRIDS, id: highlighted.current }, { selected: false });
    highlighted.current = selectedId;
    if (selectedId != null) map.setFeatureState({ source: GRIDS, id: selectedId }, { selected: true });
    for (const l of labelsRef.current) l.el.classList.toggle('gw-admin-label-selected', l.id === selectedId);
    placeLabels(map, labelsRef.current, selectedId);
  }, [selectedId, ready, grids]);

  // extra shapes
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const features: Feature[] = (shapes ?? []).map((s, i) => ({
      type: 'Feature',
      id: i + 1,
      properties: { sid: s.id, kind: s.kind, selected: s.id === selectedShapeId },
      geometry: s.geometry,
    }));
    (map.getSource(SHAPES) as GeoJSONSource).setData({ type: 'FeatureCollection', features });
  }, [shapes, selectedShapeId, ready]);

  // problem positions
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const features: Feature[] = (points ?? []).map((p) => ({
      type: 'Feature',
      properties: { pid: p.id, selected: p.id === selectedPointId },
      geometry: { type: 'Point', coordinates: [p.lng, p.lat] },
    }));
    (map.getSource(POINTS) as GeoJSONSource).setData({ type: 'FeatureCollection', features });
  }, [points, selectedPointId, ready]);

  // explicit moves of the view
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !fitTo || fitted.current === fitTo.key) return;
    fitted.current = fitTo.key;
    const [w, s, e, n] = fitTo.bounds;
    map.fitBounds(
      [
        [w, s],
        [e, n],
      ],
      { padding: 48, maxZoom: 18, duration: 400 },
    );
  }, [fitTo, ready]);

  // the boundary editor
  const editorSession = editor ? `${editor.mode}:${editor.session}` : null;
  const editorProps = useRef(editor);
  editorProps.current = editor;
  useEffect(() => {
    const map = mapRef.current;
    editorRef.current?.destroy();
    editorRef.current = null;
    const e = editorProps.current;
    if (!map || !ready || !e) return;
    editorRef.current = new BoundaryEditor(
      map,
      e.mode,
      e.initial,
      (s) => editorProps.current?.onChange(s),
      () => editorProps.current?.onFinish(),
    );
  }, [editorSession, ready]);

  return (
    <div>
      {failed && <Alert type="warning" showIcon title={t('map.unavailable')} data-testid="map-unavailable" style={{ marginBottom: 8 }} />}
      <div
        ref={container}
        data-testid={testId}
        data-ready={ready ? 'true' : 'false'}
        data-editing={editor ? editor.mode : undefined}
        className="gw-map gw-admin-map"
        style={{ height: failed ? 0 : height }}
      />
    </div>
  );
}
