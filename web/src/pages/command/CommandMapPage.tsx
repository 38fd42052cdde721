// 一张图: the command-centre map, full screen. Territorial grids coloured by open load or overdue count, case
// clusters from the server when zoomed out and single cases coloured by state or time limit when zoomed in,
// points of interest by type, a heatmap of reports over the period; a click on anything opens a side panel.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Checkbox, Divider, Input, Segmented, Space, Switch, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, MenuFoldOutlined, MenuUnfoldOutlined, ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { OPEN_CASE_STATES } from '../../../../src/shared/vocabulary';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { GeoJSONSource, Map as MlMap, NavigationControl, ScaleControl, setWorkerUrl, type MapGeoJSONFeature } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { FeatureCollection } from 'geojson';
import { POI_TYPES, type PoiType } from '../../../../src/shared/map-api';
import type { EnterprisePoints } from '../../../../src/shared/enterprises-api';
import { request } from '../../api';
import { commandApi, type Period } from '../../components/command/commandApi';
import { clearLabels, escapeHtml, makeLabel, placeLabels, type Label } from '../../components/command/mapLabels';
import { applyBasemap, boundsToDisplay, fromDisplay, setDisplayData, toDisplay, useBasemap } from '../../map/basemap';
import {
  caseColour,
  commandStyle,
  gridFill,
  LOAD_COLOURS,
  POI_COLOURS,
  RISK_COLOURS,
  SRC,
  STATE_COLOURS,
  WARNING_COLOURS,
  type CaseColouring,
  type GridColouring,
} from '../../components/command/mapStyle';
import { PeriodPicker, presetPeriod } from '../../components/command/PeriodPicker';
import { LangSwitch } from '../../components/LangSwitch';
import { useGrids } from '../../queries';
import { DetailPanel, type Selection } from './DetailPanel';
import '../../components/command/command.css';

type RiskLevel = 'low' | 'medium' | 'high';

setWorkerUrl(workerUrl);

const OPEN_STATES = OPEN_CASE_STATES.join(',');
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const r5 = (n: number) => Math.round(n * 1e5) / 1e5;

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

type Level = 'grid' | 'community';

interface View {
  bbox: string;
  zoom: number;
}

function viewOf(map: MlMap): View {
  const b = map.getBounds();
  const [west, south] = fromDisplay(b.getWest(), b.getSouth());
  const [east, north] = fromDisplay(b.getEast(), b.getNorth());
  const w = Math.max(-180, r5(west));
  const s = Math.max(-90, r5(south));
  const e = Math.min(180, r5(east));
  const n = Math.min(90, r5(north));
  return { bbox: `${w},${s},${e},${n}`, zoom: Math.floor(map.getZoom()) };
}

function Legend({ items }: { items: { colour: string; label: string; dot?: boolean }[] }) {
  return (
    <div>
      {items.map((i) => (
        <div key={i.label} className="gw-legend-row">
          <span className={i.dot ? 'gw-swatch dot' : 'gw-swatch'} style={{ background: i.colour }} />
          {i.label}
        </div>
      ))}
    </div>
  );
}

export function CommandMapPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const box = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);
  const gridLabels = useRef<Label[]>([]);
  const clusterLabels = useRef<Label[]>([]);
  const [mapReady, setReady] = useState(false);
  // our layers are drawn once the base map's datum is known (a GCJ-02 base map shifts them)
  const basemap = useBasemap();
  const ready = mapReady && basemap.isFetched;
  const [showBase, setShowBase] = useState(true);
  const [failed, setFailed] = useState(false);
  const [view, setView] = useState<View | null>(null);
  const [layersOpen, setLayersOpen] = useState(() => window.innerWidth > 640);

  const [period, setPeriod] = useState<Period>(() => {
    const from = params.get('from');
    const to = params.get('to');
    return from && to && DAY.test(from) && DAY.test(to) ? { from, to } : presetPeriod('last30');
  });
  const [gridMode, setGridMode] = useState<GridColouring>('open');
  const [level, setLevel] = useState<Level>(params.get('level') === 'community' ? 'community' : 'grid');
  const levelRef = useRef(level);
  levelRef.current = level;
  const [caseMode, setCaseMode] = useState<CaseColouring>('state');
  const [showCases, setShowCases] = useState(true);
  const [openOnly, setOpenOnly] = useState(false);
  const [showHeat, setShowHeat] = useState(params.get('heat') === '1');
  const [showB, setShowB] = useState(false);
  const [showC, setShowC] = useState(false);
  const [poiTypes, setPoiTypes] = useState<PoiType[]>(() => (params.get('poi') ?? '').split(',').filter((x): x is PoiType => (POI_TYPES as readonly string[]).includes(x)));
  const [selection, setSelection] = useState<Selection | null>(null);
  // the enterprise layer: by risk level, with open hazards, by industry; a click opens the enterprise
  const [showEnt, setShowEnt] = useState(params.get('ent') === '1');
  const [entRisk, setEntRisk] = useState<RiskLevel[]>(['low', 'medium', 'high']);
  const [entOpen, setEntOpen] = useState(false);
  const [entIndustry, setEntIndustry] = useState('');
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;

  const grids = useGrids();
  const load = useQuery({ queryKey: ['grids-load'], queryFn: commandApi.gridsLoad, refetchInterval: 60_000 });
  const cases = useQuery({
    queryKey: ['map-cases', period, view, openOnly],
    queryFn: () => commandApi.mapCases({ ...period, ...view!, ...(openOnly ? { states: OPEN_STATES } : {}) }),
    enabled: showCases && !!view,
    placeholderData: keepPreviousData,
  });
  const heat = useQuery({
    queryKey: ['map-heat', period, view],
    queryFn: () => commandApi.mapHeat({ ...period, ...view! }),
    enabled: showHeat && !!view,
    placeholderData: keepPreviousData,
  });
  const enterprises = useQuery({
    queryKey: ['map-enterprises', entRisk, entOpen, entIndustry],
    queryFn: () =>
      request<EnterprisePoints>('/enterprises/map', {
        query: { riskLevel: entRisk.join(','), ...(entOpen ? { openHazards: 'true' } : {}), ...(/^[A-Ta-t]?\d{0,4}$/.test(entIndustry) && entIndustry ? { industry: entIndustry } : {}) },
      }),
    enabled: showEnt && entRisk.length > 0,
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
  const pois = useQuery({
    queryKey: ['poi'],
    queryFn: () => commandApi.pois([...POI_TYPES]),
    enabled: poiTypes.length > 0,
    retry: false,
    staleTime: 5 * 60_000,
    meta: { silent: true },
  });

  // keep the period and layers in the URL (replace, so the back button leaves the map)
  useEffect(() => {
    const p = new URLSearchParams(params);
    p.set('from', period.from);
    p.set('to', period.to);
    if (level === 'community') p.set('level', 'community');
    else p.delete('level');
    if (showHeat) p.set('heat', '1');
    else p.delete('heat');
    if (poiTypes.length) p.set('poi', poiTypes.join(','));
    else p.delete('poi');
    if (showEnt) p.set('ent', '1');
    else p.delete('ent');
    if (p.toString() !== params.toString()) setParams(p, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [period, showHeat, poiTypes, level, showEnt]);

  // cluster counts before grid names (a name under a cluster is hidden); community names before clusters
  const layoutLabels = (map: MlMap) =>
    placeLabels(map, levelRef.current === 'community' ? [...gridLabels.current, ...clusterLabels.current] : [...clusterLabels.current, ...gridLabels.current]);

  // the map, made once
  const selectRef = useRef(setSelection);
  selectRef.current = setSelection;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = (params.get('c') ?? '').split(',').map(Number);
    const centre = c.length === 3 && c.every(Number.isFinite) ? c : null;
    let map: MlMap;
    try {
      map = new MlMap({
        container: el,
        style: commandStyle(),
        center: centre ? [centre[0]!, centre[1]!] : [116.66, 35.43],
        zoom: centre ? centre[2]! : 12,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        maxZoom: 19,
      });
    } catch (err) {
      console.warn('map unavailable', err);
      setFailed(true);
      return;
    }
    el.dataset.centred = centre ? 'true' : 'false';
    map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    map.on('load', () => {
      setReady(true);
      setView(viewOf(map));
    });
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
    map.on('idle', () => (el.dataset.idle = 'true'));
    map.on('movestart', () => delete el.dataset.idle);
    map.on('error', (e) => console.warn('map error', e.error));
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
    const ro = new ResizeObserver(() => map.resize());
    ro.observe(el);
    mapRef.current = map;
    return () => {
      ro.disconnect();
      clearLabels(gridLabels.current);
      clearLabels(clusterLabels.current);
      mapRef.current = null;
      map.remove();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

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

  // the base map (the office's tile service or its offline PMTiles file), which the user may hide
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !box.current) return;
    const shown = applyBasemap(map, showBase ? basemap.data : null, 'grid-fill');
    box.current.dataset.basemap = shown ? basemap.data!.kind : 'none';
    // over streets the load colours are a wash, so the streets stay readable
    map.setPaintProperty('grid-fill', 'fill-opacity', ['case', ['boolean', ['feature-state', 'selected'], false], 0.6, shown ? 0.16 : 0.32]);
  }, [ready, basemap.data, showBase]);

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
        <Card size="small" className="gw-cmd-layers" data-testid="cmd-layers" style={layersOpen ? undefined : { width: 'auto' }}>
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <Typography.Text strong>{t('cmd.layers')}</Typography.Text>
            <Button
              size="small"
              type="text"
              icon={layersOpen ? <MenuFoldOutlined /> : <MenuUnfoldOutlined />}
              onClick={() => setLayersOpen(!layersOpen)}
              data-testid="cmd-layers-toggle"
            />
          </Space>
          {layersOpen && (
            <>
              {basemap.data && basemap.data.kind !== 'none' && (
                <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 4 }}>
                  <h4 style={{ margin: 0 }}>{t('fd.baseLayer')}</h4>
                  <Switch size="small" checked={showBase} onChange={setShowBase} data-testid="cmd-basemap" />
                </Space>
              )}
              <h4>{t('cmd.grids')}</h4>
              <Segmented<Level>
                size="small"
                block
                value={level}
                onChange={(l) => {
                  setLevel(l);
                  setSelection(null);
                }}
                style={{ marginBottom: 6 }}
                data-testid="cmd-level"
                options={[
                  { value: 'grid', label: t('cmd.levelGrid') },
                  { value: 'community', label: t('cmd.levelCommunity') },
                ]}
              />
              <Segmented<GridColouring>
                size="small"
                block
                value={gridMode}
                onChange={setGridMode}
                data-testid="cmd-grid-mode"
                options={[
                  { value: 'open', label: t('cmd.byOpen') },
                  { value: 'overdue', label: t('cmd.byOverdue') },
                ]}
              />
              <div style={{ marginTop: 6 }}>
                <Legend
                  items={
                    gridMode === 'open'
                      ? [
                          { colour: LOAD_COLOURS.green, label: t('cmd.loadLevel.green') },
                          { colour: LOAD_COLOURS.yellow, label: t('cmd.loadLevel.yellow') },
                          { colour: LOAD_COLOURS.orange, label: t('cmd.loadLevel.orange', { n: busyFrom }) },
                        ]
                      : [
                          { colour: LOAD_COLOURS.green, label: t('cmd.overdueLevel.none') },
                          { colour: LOAD_COLOURS.orange, label: t('cmd.overdueLevel.few') },
                          { colour: LOAD_COLOURS.red, label: t('cmd.overdueLevel.many') },
                        ]
                  }
                />
              </div>
              <Checkbox checked={showB} onChange={(e) => setShowB(e.target.checked)} data-testid="cmd-grid-b">
                {t('cmd.gridClassB')}
              </Checkbox>
              <br />
              <Checkbox checked={showC} onChange={(e) => setShowC(e.target.checked)} data-testid="cmd-grid-c">
                {t('cmd.gridClassC')}
              </Checkbox>

              <Divider style={{ margin: '10px 0' }} />
              <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                <h4 style={{ margin: 0 }}>{t('cmd.cases')}</h4>
                <Switch size="small" checked={showCases} onChange={setShowCases} data-testid="cmd-cases" />
              </Space>
              {showCases && (
                <>
                  <Segmented<CaseColouring>
                    size="small"
                    block
                    value={caseMode}
                    onChange={setCaseMode}
                    style={{ margin: '6px 0' }}
                    data-testid="cmd-case-mode"
                    options={[
                      { value: 'state', label: t('cmd.byState') },
                      { value: 'warning', label: t('cmd.byWarning') },
                    ]}
                  />
                  <Checkbox checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} data-testid="cmd-open-only">
                    {t('cmd.openOnly')}
                  </Checkbox>
                  <Legend
                    items={
                      caseMode === 'warning'
                        ? (['green', 'yellow', 'red'] as const).map((w) => ({ colour: WARNING_COLOURS[w], label: t(`warning.${w}`), dot: true }))
                        : (['reported', 'accepted', 'dispatched', 'in_progress', 'handled', 'verified', 'closed'] as const).map((s) => ({
                            colour: STATE_COLOURS[s]!,
                            label: t(`state.${s}`),
                            dot: true,
                          }))
                    }
                  />
                </>
              )}
              <Divider style={{ margin: '10px 0' }} />
              <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                <h4 style={{ margin: 0 }}>{t('cmd.heat')}</h4>
                <Switch size="small" checked={showHeat} onChange={setShowHeat} data-testid="cmd-heat" />
              </Space>
              <Divider style={{ margin: '10px 0' }} />
              <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                <h4 style={{ margin: 0 }}>
                  {t('ent.mapLayer')}
                  {showEnt && enterprises.data && <Typography.Text type="secondary" data-testid="cmd-ent-count"> {t('ent.mapCount', { n: enterprises.data.features.length })}</Typography.Text>}
                </h4>
                <Switch size="small" checked={showEnt} onChange={setShowEnt} data-testid="cmd-enterprises" />
              </Space>
              {showEnt && (
                <div data-testid="cmd-ent-filters">
                  <Checkbox.Group<RiskLevel>
                    value={entRisk}
                    onChange={setEntRisk}
                    data-testid="cmd-ent-risk"
                    options={(['high', 'medium', 'low'] as const).map((r) => ({
                      value: r,
                      label: (
                        <span data-testid={`cmd-ent-risk-${r}`}>
                          <span className="gw-swatch" style={{ background: RISK_COLOURS[r] }} />
                          {t(`hz.risk.${r}`)}
                        </span>
                      ),
                    }))}
                  />
                  <Checkbox checked={entOpen} onChange={(e) => setEntOpen(e.target.checked)} data-testid="cmd-ent-open">
                    {t('ent.mapOpenOnly')}
                  </Checkbox>
                  <Input size="small" allowClear value={entIndustry} onChange={(e) => setEntIndustry(e.target.value.trim())} placeholder={t('ent.mapIndustry')} style={{ marginTop: 4 }} data-testid="cmd-ent-industry" />
                </div>
              )}
              <Divider style={{ margin: '10px 0' }} />
              <h4>{t('cmd.poi')}</h4>
              <Checkbox.Group<PoiType>
                value={poiTypes}
                onChange={setPoiTypes}
                style={{ display: 'flex', flexDirection: 'column', gap: 2 }}
                data-testid="cmd-poi"
                options={POI_TYPES.map((p) => ({
                  value: p,
                  label: (
                    <span data-testid={`cmd-poi-${p}`}>
                      <span className="gw-swatch ring" style={{ borderColor: POI_COLOURS[p] }} />
                      {t(`cmd.poiTypes.${p}`)}
                      {pois.data && <Typography.Text type="secondary"> {poiCounts[p] ?? 0}</Typography.Text>}
                    </span>
                  ),
                }))}
              />
              {pois.isError && (
                <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="cmd-poi-unavailable">
                  {t('cmd.poiUnavailable')}
                </Typography.Text>
              )}
            </>
          )}
        </Card>
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
