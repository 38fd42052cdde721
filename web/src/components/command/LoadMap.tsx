// The big screen's map: territorial grids filled by their open load (red where something is overdue), each
// labelled with its name and open / overdue counts. Dark, fits every grid, redraws when the load refreshes.
import { useEffect, useRef } from 'react';
import type { Map as MlMap } from 'maplibre-gl';
import type { GridCollection } from '../../../../src/shared/api';
import type { GridLoad } from '../../../../src/shared/map-api';
import { clearLabels, escapeHtml, makeLabel, placeLabels, type Label } from './mapLabels';
import { commandStyle, LOAD_COLOURS, SRC } from './mapStyle';
import { useMapLibre } from '../../map/useMapLibre';
import './command.css';

export default function LoadMap({ grids, load }: { grids: GridCollection | undefined; load: GridLoad | undefined }) {
  const labels = useRef<Label[]>([]);
  const { box, map: mapRef, ready, display } = useMapLibre({
    style: commandStyle({ dark: true }),
    options: { center: [116.66, 35.43], zoom: 12, interactive: false },
    onCreate: () => () => clearLabels(labels.current),
    // the screen's size is only known once it is drawn: fit the grids again
    onResize: (map) => {
      const b = (map as MlMap & { _gwBounds?: [number, number, number, number] })._gwBounds;
      if (b) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 24, animate: false });
      placeLabels(map, labels.current);
    },
  });

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !grids) return;
    display.setData(map, SRC.grids, grids);
    // the fill shows the server's suggested level: red when something is overdue
    map.setPaintProperty('grid-fill', 'fill-color', [
      'match',
      ['coalesce', ['feature-state', 'level'], 'green'],
      'red',
      LOAD_COLOURS.red,
      'orange',
      LOAD_COLOURS.orange,
      'yellow',
      LOAD_COLOURS.yellow,
      '#1f6f43',
    ]);
    map.setPaintProperty('grid-fill', 'fill-opacity', 0.6);
    const b = grids.bbox;
    if (b) {
      (map as MlMap & { _gwBounds?: number[] })._gwBounds = b;
      map.fitBounds([[b[0]!, b[1]!], [b[2]!, b[3]!]], { padding: 24, animate: false });
    }
  }, [grids, ready]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || !grids || !load) return;
    clearLabels(labels.current);
    // "第3网格" repeats in every community: the label says which (王回庄 第3网格)
    const community = new Map(grids.features.map((f) => [f.properties.id, f.properties.communityName ?? '']));
    for (const it of load.items) {
      map.setFeatureState({ source: SRC.grids, id: it.gridId }, { level: it.level, open: it.open.value, overdue: it.overdue.value });
      const short = /^.*?(第\d+网格)$/.exec(it.name)?.[1];
      const where = (community.get(it.gridId) ?? '').replace(/(社区|村|居委会)$/, '');
      const name = escapeHtml(short && where ? `${where} ${short}` : it.name);
      // counts only where there is something open: a wall of zeros reads as noise
      const html = `<b>${name}</b>${it.open.value ? `<span class="o">${it.open.value}</span>` : ''}${it.overdue.value ? `<span class="r">${it.overdue.value}</span>` : ''}`;
      labels.current.push(makeLabel(map, [it.labelLng, it.labelLat], html, 'gw-load-label'));
    }
    placeLabels(map, labels.current);
  }, [load, grids, ready]);

  return <div ref={box} className="gw-load-map" data-testid="load-map" data-ready={ready ? 'true' : 'false'} />;
}
