// A grid's boundary edit in progress, and the grid as the import's dry-run check reads it.
import type { EditMode } from '../../../components/grids/boundaryEditor';
import { type AreaGeometry, type GridClassName } from '../../../components/grids/gridGeo';
import { type GridDetail } from '../../../components/grids/gridsApi';

export type Version = GridDetail['versions'][number];

export const CLASSES: GridClassName[] = ['A', 'B', 'C'];

export interface EditSession {
  mode: EditMode;
  session: number;
  initial: AreaGeometry | null;
}

/** The feature a one-grid validation sends: the grid as it would be with the new outline. */
export function asImportFeature(grid: GridDetail, geometry: AreaGeometry) {
  return {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { code: grid.code, name: grid.name, parent: grid.parent.code, class: grid.gridClass }, geometry }],
  };
}
