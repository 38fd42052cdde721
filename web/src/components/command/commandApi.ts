// Requests of the command centre, the dashboard and the phone pages (types from the shared contract).
import type { GridLoad, MapCases, MapHeat, PoiCollection, PoiType } from '../../../../src/shared/map-api';
import type { StatsBucket, StatsGroupBy, StatsSummary } from '../../../../src/shared/stats-api';
import { request } from '../../api';

export interface Period {
  from: string;
  to: string;
}

export const commandApi = {
  stats: (q: Period & { groupBy: StatsGroupBy; bucket: StatsBucket }) =>
    request<StatsSummary>('/stats/summary', { query: { ...q } }),
  mapCases: (q: Period & { bbox: string; zoom: number; states?: string }) =>
    request<MapCases>('/map/cases', { query: { ...q } }),
  mapHeat: (q: Period & { bbox: string; zoom: number }) => request<MapHeat>('/map/heat', { query: { ...q } }),
  gridsLoad: () => request<GridLoad>('/map/grids-load'),
  pois: (types: PoiType[], bbox?: string) =>
    request<PoiCollection>('/poi', { query: { type: types.join(','), bbox, limit: 5000 } }),
};

/** The /cases link that lists what a number counts (null: no list selects exactly that group). */
export function casesHref(filter: Record<string, string> | null | undefined): string | null {
  if (!filter) return null;
  const p = new URLSearchParams(filter);
  return `/cases?${p.toString()}`;
}
