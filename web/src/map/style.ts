// A MapLibre style that needs no network: a plain background and the grid polygons from /api/grids.
// No glyphs, so no text layers: grid names are drawn as HTML markers by GridMap.
import type { FeatureCollection } from 'geojson';
import type { StyleSpecification } from 'maplibre-gl';
import type { GridCollection } from '../../../src/shared/api';

export const GRID_SOURCE = 'grids';

export function gridStyle(grids: GridCollection | undefined): StyleSpecification {
  return {
    version: 8,
    sources: {
      [GRID_SOURCE]: {
        type: 'geojson',
        data: (grids ?? { type: 'FeatureCollection', features: [] }) as FeatureCollection,
      },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f2efe9' } },
      {
        id: 'grid-fill',
        type: 'fill',
        source: GRID_SOURCE,
        filter: ['==', ['get', 'gridClass'], 'A'],
        paint: {
          'fill-color': ['case', ['boolean', ['feature-state', 'selected'], false], '#1677ff', '#91caff'],
          'fill-opacity': ['case', ['boolean', ['feature-state', 'selected'], false], 0.35, 0.18],
        },
      },
      {
        id: 'grid-outline',
        type: 'line',
        source: GRID_SOURCE,
        filter: ['==', ['get', 'gridClass'], 'A'],
        paint: {
          'line-color': '#1677ff',
          'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 2.5, 1.2],
        },
      },
      {
        // B (industry) and C (key unit) grids overlay the territory: dashed
        id: 'grid-outline-overlay',
        type: 'line',
        source: GRID_SOURCE,
        filter: ['!=', ['get', 'gridClass'], 'A'],
        paint: {
          'line-color': ['match', ['get', 'gridClass'], 'B', '#52c41a', '#fa8c16'],
          'line-width': 1.2,
          'line-dasharray': [3, 2],
        },
      },
    ],
  };
}
