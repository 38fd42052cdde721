// The command map's MapLibre style (no network, no glyphs, no sprites): grids coloured by load through feature
// state, B/C grid outlines, the report heatmap, points of interest, case clusters and single cases.
// Text (grid names, cluster counts) is drawn as HTML markers by the pages.
import type { ExpressionSpecification, StyleSpecification } from 'maplibre-gl';
import type { PoiType } from '../../../../src/shared/map-api';

export const SRC = { grids: 'grids', cases: 'cases', heat: 'heat', poi: 'poi', track: 'track', enterprises: 'enterprises' } as const;
/** the enterprise layer's fill by risk level (a red ring: open hazards) */
export const RISK_COLOURS: Record<'low' | 'medium' | 'high', string> = { low: '#52c41a', medium: '#fa8c16', high: '#f5222d' };
const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export const LOAD_COLOURS = { green: '#52c41a', yellow: '#fadb14', orange: '#fa8c16', red: '#f5222d' } as const;
export const STATE_COLOURS: Record<string, string> = {
  reported: '#1677ff',
  accepted: '#2f54eb',
  dispatched: '#722ed1',
  in_progress: '#fa8c16',
  suspended: '#8c8c8c',
  handled: '#13c2c2',
  verified: '#52c41a',
  closed: '#237804',
  rejected: '#bfbfbf',
  merged: '#bfbfbf',
};
export const WARNING_COLOURS = { green: '#52c41a', yellow: '#faad14', red: '#f5222d' } as const;
export const POI_COLOURS: Record<PoiType, string> = {
  enterprise: '#2f54eb',
  pollution_source: '#a0522d',
  sensitive_point: '#eb2f96',
  monitoring_station: '#13c2c2',
  camera: '#595959',
};

export type GridColouring = 'open' | 'overdue';
export type CaseColouring = 'state' | 'warning';

/** Fill of a territorial grid from its feature state (open, overdue counts set from /api/map/grids-load). */
export function gridFill(mode: GridColouring, busyFrom: number): ExpressionSpecification {
  const open: ExpressionSpecification = ['coalesce', ['feature-state', 'open'], 0];
  const overdue: ExpressionSpecification = ['coalesce', ['feature-state', 'overdue'], 0];
  return mode === 'open'
    ? ['step', open, LOAD_COLOURS.green, 1, LOAD_COLOURS.yellow, Math.max(2, busyFrom), LOAD_COLOURS.orange]
    : ['step', overdue, LOAD_COLOURS.green, 1, LOAD_COLOURS.orange, 3, LOAD_COLOURS.red];
}

export function caseColour(mode: CaseColouring): ExpressionSpecification {
  if (mode === 'warning') {
    return ['match', ['get', 'warningLevel'], 'red', WARNING_COLOURS.red, 'yellow', WARNING_COLOURS.yellow, WARNING_COLOURS.green];
  }
  const pairs = Object.entries(STATE_COLOURS).flat();
  return ['match', ['get', 'state'], ...pairs, '#1677ff'] as unknown as ExpressionSpecification;
}

export const POI_LAYERS = ['poi'] as const;

export function commandStyle(opts: { dark?: boolean } = {}): StyleSpecification {
  const dark = opts.dark ?? false;
  return {
    version: 8,
    sources: {
      [SRC.grids]: { type: 'geojson', data: EMPTY },
      [SRC.heat]: { type: 'geojson', data: EMPTY },
      [SRC.poi]: { type: 'geojson', data: EMPTY },
      [SRC.enterprises]: { type: 'geojson', data: EMPTY },
      [SRC.cases]: { type: 'geojson', data: EMPTY },
      [SRC.track]: { type: 'geojson', data: EMPTY },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': dark ? '#07142e' : '#eef1f5' } },
      {
        id: 'grid-fill',
        type: 'fill',
        source: SRC.grids,
        filter: ['==', ['get', 'gridClass'], 'A'],
        paint: {
          'fill-color': gridFill('open', 5),
          'fill-opacity': ['case', ['boolean', ['feature-state', 'selected'], false], 0.6, dark ? 0.45 : 0.32],
        },
      },
      {
        id: 'grid-outline',
        type: 'line',
        source: SRC.grids,
        filter: ['==', ['get', 'gridClass'], 'A'],
        paint: {
          'line-color': dark ? '#4fa3ff' : '#3a6fb0',
          'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3, 1],
        },
      },
      {
        id: 'grid-outline-b',
        type: 'line',
        source: SRC.grids,
        filter: ['==', ['get', 'gridClass'], 'B'],
        layout: { visibility: 'none' },
        paint: { 'line-color': '#52c41a', 'line-width': 1.5, 'line-dasharray': [3, 2] },
      },
      {
        id: 'grid-outline-c',
        type: 'line',
        source: SRC.grids,
        filter: ['==', ['get', 'gridClass'], 'C'],
        layout: { visibility: 'none' },
        paint: { 'line-color': '#fa8c16', 'line-width': 1.5, 'line-dasharray': [3, 2] },
      },
      {
        id: 'heat',
        type: 'heatmap',
        source: SRC.heat,
        layout: { visibility: 'none' },
        paint: {
          'heatmap-weight': ['get', 'weight'],
          'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 10, 1, 16, 2.5],
          'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 10, 18, 16, 40],
          'heatmap-opacity': 0.8,
          'heatmap-color': [
            'interpolate',
            ['linear'],
            ['heatmap-density'],
            0,
            'rgba(0,0,255,0)',
            0.2,
            '#4575b4',
            0.4,
            '#91bfdb',
            0.6,
            '#fee090',
            0.8,
            '#fc8d59',
            1,
            '#d73027',
          ],
        },
      },
      {
        id: 'track',
        type: 'line',
        source: SRC.track,
        paint: { 'line-color': '#1677ff', 'line-width': 4, 'line-opacity': 0.8 },
      },
      {
        id: 'poi',
        type: 'circle',
        source: SRC.poi,
        filter: ['in', ['get', 'type'], ['literal', []]],
        paint: {
          // a ring in the type's colour, so points of interest read apart from the filled case dots
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 4, 16, 7],
          'circle-color': '#ffffff',
          'circle-stroke-color': ['match', ['get', 'type'], ...Object.entries(POI_COLOURS).flat(), '#595959'] as unknown as ExpressionSpecification,
          'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 11, 3, 16, 4],
        },
      },
      {
        id: 'enterprise',
        type: 'circle',
        source: SRC.enterprises,
        layout: { visibility: 'none' },
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 5, 16, 9],
          'circle-color': ['match', ['get', 'riskLevel'], ...Object.entries(RISK_COLOURS).flat(), '#8c8c8c'] as unknown as ExpressionSpecification,
          'circle-stroke-color': ['case', ['>', ['get', 'openHazards'], 0], '#a8071a', '#ffffff'] as unknown as ExpressionSpecification,
          'circle-stroke-width': ['case', ['>', ['get', 'openHazards'], 0], 3, 1.5] as unknown as ExpressionSpecification,
        },
      },
      {
        id: 'case-cluster',
        type: 'circle',
        source: SRC.cases,
        filter: ['==', ['get', 'cluster'], true],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['get', 'count'], 1, 12, 10, 16, 50, 22, 200, 30],
          'circle-color': ['case', ['>', ['get', 'red'], 0], '#f5222d', ['>', ['get', 'yellow'], 0], '#fa8c16', '#1677ff'],
          'circle-opacity': 0.85,
          'circle-stroke-color': '#fff',
          'circle-stroke-width': 2,
        },
      },
      {
        id: 'case-point',
        type: 'circle',
        source: SRC.cases,
        filter: ['==', ['get', 'cluster'], false],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 5, 18, 9],
          'circle-color': caseColour('state'),
          'circle-stroke-color': ['match', ['get', 'warningLevel'], 'red', '#a8071a', '#ffffff'],
          'circle-stroke-width': ['match', ['get', 'warningLevel'], 'red', 3, 2],
        },
      },
    ],
  };
}
