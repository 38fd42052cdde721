// The patrol's map: grids, the track walked so far, check-ins and where the worker is now (no network at all).
import { useEffect, useRef, useState } from 'react';
import { GeoJSONSource, Map as MlMap, Marker, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { FeatureCollection } from 'geojson';
import type { GridCollection } from '../../../../src/shared/api';
import type { Checkin } from '../../../../src/shared/patrol-api';
import { commandStyle, SRC } from '../../components/command/mapStyle';

setWorkerUrl(workerUrl);

interface Props {
  grids: GridCollection | undefined;
  track: [number, number][];
  here: { lng: number; lat: number } | null;
  checkins: Checkin[];
  currentGridId: number | null;
  height?: number;
}

export default function PatrolMap({ grids, track, here, checkins, currentGridId, height = 260 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);
  const me = useRef<Marker | null>(null);
  const pins = useRef<Marker[]>([]);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    if (!box.current) return;
    let map: MlMap;
    try {
      map = new MlMap({ container: box.current, style: commandStyle(), center: [116.66, 35.43], zoom: 14, attributionControl: false, dragRotate: false });
    } catch {
      return;
    }
    map.on('load', () => {
      map.setPaintProperty('grid-fill', 'fill-color', ['case', ['boolean', ['feature-state', 'selected'], false], '#1677ff', '#91caff']);
      map.setPaintProperty('grid-fill', 'fill-opacity', ['case', ['boolean', ['feature-state', 'selected'], false], 0.3, 0.12]);
      setReady(true);
    });
    map.on('idle', () => box.current && (box.current.dataset.idle = 'true'));
    map.on('movestart', () => box.current && delete box.current.dataset.idle);
    mapRef.current = map;
    return () => {
      mapRef.current = null;
      map.remove();
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !grids) return;
    (map.getSource(SRC.grids) as GeoJSONSource).setData(grids as unknown as FeatureCollection);
  }, [grids, ready]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || currentGridId == null) return;
    map.setFeatureState({ source: SRC.grids, id: currentGridId }, { selected: true });
    return () => {
      if (mapRef.current) map.setFeatureState({ source: SRC.grids, id: currentGridId }, { selected: false });
    };
  }, [currentGridId, ready, grids]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    (map.getSource(SRC.track) as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: track.length > 1 ? [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: track } }] : [],
    });
  }, [track, ready]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    for (const p of pins.current) p.remove();
    pins.current = checkins.map((c) => new Marker({ color: '#52c41a', scale: 0.7 }).setLngLat([c.lng, c.lat]).addTo(map));
  }, [checkins, ready]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !here) return;
    if (!me.current) {
      const el = document.createElement('div');
      el.className = 'gw-here';
      me.current = new Marker({ element: el });
      map.jumpTo({ center: [here.lng, here.lat], zoom: 15 });
    }
    me.current.setLngLat([here.lng, here.lat]).addTo(map);
    if (!map.getBounds().contains([here.lng, here.lat])) map.easeTo({ center: [here.lng, here.lat], duration: 300 });
  }, [here, ready]);

  return <div ref={box} className="gw-map" data-testid="map" data-ready={ready ? 'true' : 'false'} style={{ height }} />;
}
