// 一张图: the command-centre map, full screen. Territorial grids coloured by open load or overdue count, case
// clusters from the server when zoomed out and single cases coloured by state or time limit when zoomed in,
// points of interest by type, a heatmap of reports over the period; a click on anything opens a side panel.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Tooltip } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { Map as MlMap, MapGeoJSONFeature } from 'maplibre-gl';
import { POI_TYPES, type PoiType } from '../../../../src/shared/map-api';
import type { EnterprisePoints } from '../../../../src/shared/enterprises-api';
import { request } from '../../api';
import { commandApi } from '../../components/command/commandApi';
import { clearLabels, escapeHtml, makeLabel, placeLabels, type Label } from '../../components/command/mapLabels';
import { boundsToDisplay, fromDisplay, setDisplayData, toDisplay, useBasemap } from '../../map/basemap';
import { useMapLibre } from '../../map/useMapLibre';
import { caseColour, commandStyle, gridFill, SRC } from '../../components/command/mapStyle';
import { PeriodPicker } from '../../components/command/PeriodPicker';
import { LangSwitch } from '../../components/LangSwitch';
import { useGrids } from '../../queries';
import { DetailPanel, type Selection } from './DetailPanel';
import { type CommunityLoad, OPEN_STATES, r5, type View, viewOf } from './map/mapView';
import { LayersPanel } from './map/LayersPanel';
import { useLayers } from './map/useLayers';
import '../../components/command/command.css';
import { mapKeys } from '../../queryKeys';

export function CommandMapPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const gridLabels = useRef<Label[]>([]);
  const clusterLabels = useRef<Label[]>([]);
  // our layers are drawn once the base map's datum is known (a GCJ-02 base map shifts them): see useMapLibre
  const basemap = useBasemap();
  const layers = useLayers(params);
  const { showBase, period, setPeriod, gridMode, level, caseMode, showCases, openOnly, showHeat, showB, showC, poiTypes, showEnt, entRisk, entOpen, entIndustry } = layers;
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const [view, setView] = useState<View | null>(null);
  const levelRef = useRef(level);
  levelRef.current = level;
  const [selection, setSelection] = useState<Selection | null>(null);

  const grids = useGrids();
  const load = useQuery({ queryKey: mapKeys.gridsLoad(), queryFn: commandApi.gridsLoad, refetchInterval: 60_000 });
  const cases = useQuery({
    queryKey: mapKeys.cases(period, view, openOnly),
    queryFn: () => commandApi.mapCases({ ...period, ...view!, ...(openOnly ? { states: OPEN_STATES } : {}) }),
    enabled: showCases && !!view,
    placeholderData: keepPreviousData,
  });
  const heat = useQuery({
    queryKey: mapKeys.heat(period, view),
    queryFn: () => commandApi.mapHeat({ ...period, ...view! }),
    enabled: showHeat && !!view,
    placeholderData: keepPreviousData,
  });
  // the enterprise layer: by risk level, with open hazards, by industry; a click opens the enterprise
  const enterprises = useQuery({
    queryKey: mapKeys.enterprises(entRisk, entOpen, entIndustry),
    queryFn: () =>
      request<EnterprisePoints>('/enterprises/map', {
        query: { riskLevel: entRisk.join(','), ...(entOpen ? { openHazards: 'true' } : {}), ...(/^[A-Ta-t]?\d{0,4}$/.test(entIndustry) && entIndustry ? { industry: entIndustry } : {}) },
      }),
    enabled: showEnt && entRisk.length > 0,
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
  const pois = useQuery({
    queryKey: mapKeys.poi(),
    queryFn: () => commandApi.pois([...POI_TYPES]),
    enabled: poiTypes.length > 0,
    retry: false,
    staleTime: 5 * 60_000,
    meta: { silent: true },
  });

  // cluster counts before grid names (a name under a cluster is hidden); community names before clusters
  const layoutLabels = (map: MlMap) =>
    placeLabels(map, levelRef.current === 'community' ? [...gridLabels.current, ...clusterLabels.current] : [...clusterLabels.current, ...gridLabels.current]);

  // the map, made once
  const selectRef = useRef(setSelection);
  selectRef.current = setSelection;
  const [centre] = useState(() => {
    const c = (params.get('c') ?? '').split(',').map(Number);
    return c.length === 3 && c.every(Number.isFinite) ? c : null;
  });
  const { box, map: mapRef, ready, failed } = useMapLibre({
    style: commandStyle(),
    options: {
      center: centre ? [centre[0]!, centre[1]!] : [116.66, 35.43],
      zoom: centre ? centre[2]! : 12,
      dragRotate: false,
      pitchWithRotate: false,
      maxZoom: 19,
    },
    navigation: 'bottom-right',
    scale: 'bottom-left',
    basemap: {
      before: 'grid-fill',
      show: showBase,
      // over streets the load colours are a wash, so the streets stay readable
      onShown: (map, shown) =>
        map.setPaintProperty('grid-fill', 'fill-opacity', ['case', ['boolean', ['feature-state', 'selected'], false], 0.6, shown ? 0.16 : 0.32]),
    },
    onLoad: (map) => setView(viewOf(map)),
    onCreate: (map, el) => {
      el.dataset.centred = centre ? 'true' : 'false';
      map.on('moveend', () => {
        setView(viewOf(map));
        const ctr = map.getCenter();
        const p = new URLSearchParams(window.location.search);
        p.set('c', `${r5(ctr.lng)},${r5(ctr.lat)},${Math.round(map.getZoom() * 10) / 10}`);
        window.history.replaceState(window.history.state, '', `${window.location.pathname}?${p.toString()}`);
      });
      const relayout = () => layoutLabels(map);
      map.on('zoom', relayout);
      map.on('resize', relayout);
      const clickable = ['enterprise', 'case-point', 'case-cluster', 'poi', 'grid-fill'];
      map.on('mousemove', (e) => {
        const hit = map.queryRenderedFeatures(e.point, { layers: clickable.slice(0, 4) }).length > 0;
        map.getCanvas().style.cursor = hit ? 'pointer' : '';
      });
      map.on('click', (e) => {
        const pad = 4;
        const hits: MapGeoJSONFeature[] = map.queryRenderedFeatures(
          [
            [e.point.x - pad, e.point.y - pad],
            [e.point.x + pad, e.point.y + pad],
          ],
          { layers: clickable },
        );
        const pick = (layer: string) => hits.find((f) => f.layer.id === layer);
        const point = pick('case-point');
        const cluster = pick('case-cluster');
        const poi = pick('poi');
        const grid = pick('grid-fill');
        const enterprise = pick('enterprise');
        if (enterprise) navigateRef.current(`/enterprises/${Number(enterprise.properties.id)}`);
        else if (point) selectRef.current({ kind: 'case', id: Number(point.properties.id) });
        else if (cluster) {
          const [dx, dy] = (cluster.geometry as GeoJSON.Point).coordinates as [number, number];
          const [lng, lat] = fromDisplay(dx, dy);
          const p = cluster.properties as { count: number; red: number; yellow: number; green: number; expansionZoom: number };
          selectRef.current({ kind: 'cluster', lng, lat, ...p });
          map.easeTo({ center: [dx, dy], zoom: Math.max(map.getZoom() + 1, p.expansionZoom), duration: 400 });
        } else if (poi) selectRef.current({ kind: 'poi', id: Number(poi.properties.id) });
        else if (grid && levelRef.current === 'community') selectRef.current({ kind: 'community', id: Number(grid.properties.divisionId) });
        else if (grid) selectRef.current({ kind: 'grid', id: Number(grid.id) });
        else selectRef.current(null);
      });
      return () => {
        clearLabels(gridLabels.current);
        clearLabels(clusterLabels.current);
      };
    },
  });

  // grids and their labels; the first view fits them unless the URL named one
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !grids.data) return;
    setDisplayData(map, SRC.grids, grids.data);
    const b = grids.data.bbox ? boundsToDisplay(grids.data.bbox) : undefined;
    if (b && box.current?.dataset.centred !== 'true') {
      const wide = window.innerWidth > 900;
      map.fitBounds([[b[0]!, b[1]!], [b[2]!, b[3]!]], { padding: { top: 30, bottom: 40, left: wide ? 290 : 20, right: wide ? 60 : 20 }, animate: false });
    }
    box.current!.dataset.grids = String(grids.data.features.length);
  }, [grids.data, ready]);

  // the territorial grids summed per community
  const communities = useMemo(() => {
    const out = new Map<number, CommunityLoad & { n: number }>();
    const byGrid = new Map((load.data?.items ?? []).map((i) => [i.gridId, i]));
    for (const f of grids.data?.features ?? []) {
      if (f.properties.gridClass !== 'A') continue;
      const p = f.properties;
      const c = out.get(p.divisionId) ?? { id: p.divisionId, name: p.communityName, open: 0, overdue: 0, lng: 0, lat: 0, gridIds: [], n: 0 };
      c.open += byGrid.get(p.id)?.open.value ?? 0;
      c.overdue += byGrid.get(p.id)?.overdue.value ?? 0;
      c.lng += p.labelLng;
      c.lat += p.labelLat;
      c.n++;
      c.gridIds.push(p.id);
      out.set(p.divisionId, c);
    }
    return new Map([...out].map(([k, c]) => [k, { ...c, lng: c.lng / c.n, lat: c.lat / c.n }]));
  }, [grids.data, load.data]);

  // labels: grid names from street level, or each community's name and counts
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !grids.data) return;
    clearLabels(gridLabels.current);
    if (level === 'grid') {
      for (const f of grids.data.features) {
        if (f.properties.gridClass !== 'A') continue;
        gridLabels.current.push(makeLabel(map, toDisplay(f.properties.labelLng, f.properties.labelLat), escapeHtml(f.properties.name), 'gw-cmd-grid-label', 13));
      }
    } else {
      for (const c of communities.values()) {
        const html = `<b>${escapeHtml(c.name)}</b> <span class="o">${c.open}</span>${c.overdue ? `<span class="r">${c.overdue}</span>` : ''}`;
        gridLabels.current.push(makeLabel(map, toDisplay(c.lng, c.lat), html, 'gw-cmd-grid-label gw-cmd-community-label'));
      }
    }
    layoutLabels(map);
  }, [grids.data, ready, level, communities]);

  // grid load → feature state (a grid shows its community's sums at the community level); colouring
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !grids.data || !load.data) return;
    for (const it of load.data.items) {
      map.setFeatureState({ source: SRC.grids, id: it.gridId }, { open: it.open.value, overdue: it.overdue.value, level: it.level });
    }
    if (level === 'community') {
      for (const c of communities.values()) for (const id of c.gridIds) map.setFeatureState({ source: SRC.grids, id }, { open: c.open, overdue: c.overdue });
    }
    box.current!.dataset.load = 'true';
  }, [load.data, grids.data, ready, level, communities]);
  const busyFrom = (load.data?.busyFrom ?? 5) * (level === 'community' ? 3 : 1);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    map.setPaintProperty('grid-fill', 'fill-color', gridFill(gridMode, busyFrom));
  }, [gridMode, busyFrom, ready]);

  // the selected grid (or community's grids) outlined
  const selectedGrids = useMemo(
    () => (selection?.kind === 'grid' ? [selection.id] : selection?.kind === 'community' ? (communities.get(selection.id)?.gridIds ?? []) : []),
    [selection, communities],
  );
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !selectedGrids.length) return;
    for (const id of selectedGrids) map.setFeatureState({ source: SRC.grids, id }, { selected: true });
    return () => {
      if (mapRef.current) for (const id of selectedGrids) map.setFeatureState({ source: SRC.grids, id }, { selected: false });
    };
  }, [selectedGrids, ready]);

  // cases: clusters or single points, and the clusters' counts as labels
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const data = showCases && cases.data ? cases.data : { type: 'FeatureCollection' as const, features: [] };
    setDisplayData(map, SRC.cases, data);
    clearLabels(clusterLabels.current);
    for (const f of data.features) {
      if (f.properties.cluster) {
        clusterLabels.current.push(makeLabel(map, toDisplay(f.geometry.coordinates[0]!, f.geometry.coordinates[1]!), String(f.properties.count), 'gw-cluster-label'));
      }
    }
    layoutLabels(map);
    box.current!.dataset.cases = String(data.features.length);
    box.current!.dataset.singles = String(data.features.filter((f) => !f.properties.cluster).length);
  }, [cases.data, showCases, ready]);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    map.setPaintProperty('case-point', 'circle-color', caseColour(caseMode));
  }, [caseMode, ready]);

  // heatmap
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    map.setLayoutProperty('heat', 'visibility', showHeat ? 'visible' : 'none');
    if (showHeat && heat.data) setDisplayData(map, SRC.heat, heat.data);
  }, [heat.data, showHeat, ready]);

  // B and C grid outlines
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    map.setLayoutProperty('grid-outline-b', 'visibility', showB ? 'visible' : 'none');
    map.setLayoutProperty('grid-outline-c', 'visibility', showC ? 'visible' : 'none');
  }, [showB, showC, ready]);

  // points of interest
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    if (pois.data) setDisplayData(map, SRC.poi, pois.data);
    map.setFilter('poi', ['in', ['get', 'type'], ['literal', poiTypes]]);
  }, [pois.data, poiTypes, ready]);

  // enterprises
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    map.setLayoutProperty('enterprise', 'visibility', showEnt && entRisk.length ? 'visible' : 'none');
    if (enterprises.data) setDisplayData(map, SRC.enterprises, enterprises.data);
  }, [enterprises.data, showEnt, entRisk, ready]);

  const poiById = useMemo(() => new Map((pois.data?.features ?? []).map((f) => [f.properties.id, f])), [pois.data]);
  const poiCounts = useMemo(() => {
    const out: Partial<Record<PoiType, number>> = {};
    for (const f of pois.data?.features ?? []) out[f.properties.type] = (out[f.properties.type] ?? 0) + 1;
    return out;
  }, [pois.data]);

  return (
    <div className="gw-cmd" data-testid="command-map">
      <header className="gw-cmd-head">
        <Button type="text" icon={<ArrowLeftOutlined style={{ color: '#fff' }} />} onClick={() => navigate(-1)} aria-label={t('cmd.back')} data-testid="cmd-back" />
        <h1>{t('cmd.title')}</h1>
        <div className="spacer" />
        <PeriodPicker value={period} onChange={setPeriod} testId="cmd-period" />
        <Tooltip title={t('common.reload')}>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              void load.refetch();
              void cases.refetch();
              if (showHeat) void heat.refetch();
            }}
          />
        </Tooltip>
        <LangSwitch />
      </header>
      <div className="gw-cmd-body">
        {failed && <Alert type="warning" showIcon title={t('cmd.noWebgl')} data-testid="map-unavailable" style={{ margin: 16 }} />}
        <div
          ref={box}
          className="gw-cmd-map"
          data-testid="map"
          data-ready={ready ? 'true' : 'false'}
          data-fetching={cases.isFetching ? 'true' : 'false'}
          data-enterprises={showEnt && enterprises.data && !enterprises.isFetching ? String(enterprises.data.features.length) : undefined}
        />
        <LayersPanel
          layers={layers}
          basemapShown={!!basemap.data && basemap.data.kind !== 'none'}
          busyFrom={busyFrom}
          poiCounts={pois.data ? poiCounts : null}
          poiUnavailable={pois.isError}
          enterpriseCount={enterprises.data ? enterprises.data.features.length : null}
          onLevel={() => setSelection(null)}
        />
        {selection && (
          <DetailPanel
            selection={selection}
            onClose={() => setSelection(null)}
            load={load.data}
            grids={grids.data}
            poi={selection.kind === 'poi' ? poiById.get(selection.id) : undefined}
            community={selection.kind === 'community' ? communities.get(selection.id) : undefined}
            onZoom={(lng, lat, zoom) => mapRef.current?.easeTo({ center: toDisplay(lng, lat), zoom, duration: 400 })}
          />
        )}
        {showCases && cases.data && (
          <div className={selection ? 'gw-cmd-status with-panel' : 'gw-cmd-status'} data-testid="cmd-status">
            {t('cmd.total', { count: cases.data.total })}
            {cases.data.clustered ? ` · ${t('cmd.clustered')}` : ''}
            {load.data && load.data.unrouted.value > 0 ? ` · ${t('cmd.unrouted', { count: load.data.unrouted.value })}` : ''}
          </div>
        )}
      </div>
    </div>
  );
}
