// The patrol's map: grids, the track walked so far, check-ins and where the worker is now (no network at all).
import { useEffect, useRef } from 'react';
import { Marker } from 'maplibre-gl';
import type { GridCollection } from '../../../../src/shared/api';
import type { Checkin } from '../../../../src/shared/patrol-api';
import { commandStyle, SRC } from '../../components/command/mapStyle';
import { useMapLibre } from '../../map/useMapLibre';

interface Props {
  grids: GridCollection | undefined;
  track: [number, number][];
  here: { lng: number; lat: number } | null;
  checkins: Checkin[];
  currentGridId: number | null;
  height?: number;
}

export default function PatrolMap({ grids, track, here, checkins, currentGridId, height = 260 }: Props) {
  const me = useRef<Marker | null>(null);
  const pins = useRef<Marker[]>([]);
  const { box, map: mapRef, ready, display } = useMapLibre({
    style: commandStyle(),
    options: { center: [116.66, 35.43], zoom: 14, dragRotate: false },
    onLoad: (map) => {
      map.setPaintProperty('grid-fill', 'fill-color', ['case', ['boolean', ['feature-state', 'selected'], false], '#1677ff', '#91caff']);
      map.setPaintProperty('grid-fill', 'fill-opacity', ['case', ['boolean', ['feature-state', 'selected'], false], 0.3, 0.12]);
    },
  });

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !grids) return;
    display.setData(map, SRC.grids, grids);
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
    display.setData(map, SRC.track, {
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
