// HTML labels on a MapLibre map (the style has no glyphs): a marker per label, hidden where it would overlap one
// already shown, and hidden below a zoom.
import { Marker, type Map as MlMap } from 'maplibre-gl';

export interface Label {
  marker: Marker;
  el: HTMLElement;
  w: number;
  h: number;
  minZoom: number;
}

export function makeLabel(map: MlMap, lngLat: [number, number], html: string, className: string, minZoom = 0): Label {
  const el = document.createElement('div');
  el.className = className;
  el.innerHTML = html;
  const marker = new Marker({ element: el }).setLngLat(lngLat).addTo(map);
  return { marker, el, w: el.offsetWidth, h: el.offsetHeight, minZoom };
}

export function placeLabels(map: MlMap, labels: Label[]): void {
  const placed: { x1: number; x2: number; y1: number; y2: number }[] = [];
  const zoom = map.getZoom();
  for (const l of labels) {
    if (zoom < l.minZoom) {
      l.el.style.visibility = 'hidden';
      continue;
    }
    const p = map.project(l.marker.getLngLat());
    const box = { x1: p.x - l.w / 2 - 3, x2: p.x + l.w / 2 + 3, y1: p.y - l.h / 2 - 2, y2: p.y + l.h / 2 + 2 };
    const hit = placed.some((b) => b.x1 < box.x2 && box.x1 < b.x2 && b.y1 < box.y2 && box.y1 < b.y2);
    l.el.style.visibility = hit ? 'hidden' : 'visible';
    if (!hit) placed.push(box);
  }
}

export function clearLabels(labels: Label[]): void {
  for (const l of labels) l.marker.remove();
  labels.length = 0;
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
