// The command map's view (its bounding box and zoom, read in WGS-84) and its levels (grids, or communities summed).
import { OPEN_CASE_STATES } from '../../../../../src/shared/vocabulary';
import type { Map as MlMap } from 'maplibre-gl';
import { fromDisplay } from '../../../map/basemap';

export const OPEN_STATES = OPEN_CASE_STATES.join(',');

export const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const r5 = (n: number) => Math.round(n * 1e5) / 1e5;

/** Territorial grids summed per community (社区/村): the map's community level. */
export interface CommunityLoad {
  id: number;
  name: string;
  open: number;
  overdue: number;
  lng: number;
  lat: number;
  gridIds: number[];
}

export type Level = 'grid' | 'community';

export interface View {
  bbox: string;
  zoom: number;
}

export function viewOf(map: MlMap): View {
  const b = map.getBounds();
  const [west, south] = fromDisplay(b.getWest(), b.getSouth());
  const [east, north] = fromDisplay(b.getEast(), b.getNorth());
  const w = Math.max(-180, r5(west));
  const s = Math.max(-90, r5(south));
  const e = Math.min(180, r5(east));
  const n = Math.min(90, r5(north));
  return { bbox: `${w},${s},${e},${n}`, zoom: Math.floor(map.getZoom()) };
}
