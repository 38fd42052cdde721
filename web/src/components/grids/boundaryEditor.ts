// Boundary editing on a MapLibre map with nothing but markers and one GeoJSON source:
//  - 'vertices': every vertex is a draggable marker; a small marker mid-edge adds a vertex when dragged;
//    right-click or double-click on a vertex removes it (a ring keeps at least 3);
//  - 'draw': clicks add the points of a new outline; a click on the first point or a double-click closes it;
//  - 'split': clicks add the points of a line across the grid; a double-click finishes it.
// Right-click on the map removes the last point while drawing. The editor reports every change to its owner.
import { GeoJSONSource, Marker, type Map as MlMap, type MapMouseEvent } from 'maplibre-gl';
import type { Feature, FeatureCollection, Position } from 'geojson';
import { type AreaGeometry, polygonsOf, round7 } from './gridGeo';

export type EditMode = 'vertices' | 'draw' | 'split';
export const EDIT_SOURCE = 'grid-edit';
/** more vertices than this are not turned into markers (a surveyed boundary is edited in a GIS and imported) */
export const MAX_EDIT_VERTICES = 1500;

export interface EditState {
  /** the outline being edited (vertices), or the closed drawing */
  geometry: AreaGeometry | null;
  /** the points clicked so far (draw, split) */
  points: Position[];
  tooManyVertices: boolean;
}

const emptyFc = (): FeatureCollection => ({ type: 'FeatureCollection', features: [] });

function closeRing(ring: Position[]): Position[] {
  return ring.length ? [...ring, ring[0]!] : ring;
}

function openRing(ring: Position[]): Position[] {
  const r = ring.map((p) => [p[0]!, p[1]!]);
  if (r.length > 1) {
    const a = r[0]!;
    const b = r[r.length - 1]!;
    if (a[0] === b[0] && a[1] === b[1]) r.pop();
  }
  return r;
}

export class BoundaryEditor {
  /** polygons → rings → open rings (no closing point) */
  private polygons: Position[][][] = [];
  private points: Position[] = [];
  private vertexMarkers: Marker[] = [];
  private midMarkers: Marker[] = [];
  private tooMany = false;
  private frame = 0;
  private readonly onClick = (e: MapMouseEvent) => this.click(e);
  private readonly onDblClick = (e: MapMouseEvent) => this.dblclick(e);
  private readonly onContext = (e: MapMouseEvent) => this.context(e);

  constructor(
    private readonly map: MlMap,
    readonly mode: EditMode,
    initial: AreaGeometry | null,
    private readonly onChange: (s: EditState) => void,
    private readonly onFinish: () => void,
  ) {
    if (mode === 'vertices' && initial) {
      this.polygons = polygonsOf(initial).map((p) => p.map(openRing));
      this.tooMany = this.polygons.reduce((k, p) => k + p.reduce((j, r) => j + r.length, 0), 0) > MAX_EDIT_VERTICES;
      if (!this.tooMany) this.buildMarkers();
    }
    map.on('click', this.onClick);
    map.on('dblclick', this.onDblClick);
    map.on('contextmenu', this.onContext);
    if (mode !== 'vertices') map.doubleClickZoom.disable();
    map.getCanvas().style.cursor = mode === 'vertices' ? '' : 'crosshair';
    this.render();
    this.emit();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.map.off('click', this.onClick);
    this.map.off('dblclick', this.onDblClick);
    this.map.off('contextmenu', this.onContext);
    this.map.doubleClickZoom.enable();
    this.map.getCanvas().style.cursor = '';
    this.clearMarkers();
    (this.map.getSource(EDIT_SOURCE) as GeoJSONSource | undefined)?.setData(emptyFc());
  }

  geometry(): AreaGeometry | null {
    if (this.mode === 'vertices') {
      if (!this.polygons.length) return null;
      const polys = this.polygons.map((p) => p.map((r) => closeRing(r.map(([x, y]) => [round7(x!), round7(y!)]))));
      return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0]! } : { type: 'MultiPolygon', coordinates: polys };
    }
    if (this.mode === 'draw' && this.points.length >= 3) {
      return { type: 'Polygon', coordinates: [closeRing(this.points.map(([x, y]) => [round7(x!), round7(y!)]))] };
    }
    return null;
  }

  private emit(): void {
    this.onChange({ geometry: this.geometry(), points: this.points.map(([x, y]) => [round7(x!), round7(y!)]), tooManyVertices: this.tooMany });
  }

  // ---- drawing the working shape ------------------------------------------------------------------------------

  private render(): void {
    const features: Feature[] = [];
    if (this.mode === 'vertices') {
      const g = this.geometry();
      if (g) features.push({ type: 'Feature', properties: { role: 'shape' }, geometry: g });
    } else if (this.points.length) {
      const line = this.mode === 'draw' && this.points.length >= 3 ? closeRing(this.points) : this.points;
      if (line.length >= 2) features.push({ type: 'Feature', properties: { role: this.mode === 'draw' ? 'outline' : 'cut' }, geometry: { type: 'LineString', coordinates: line } });
      if (this.mode === 'draw' && this.points.length >= 3) {
        features.push({ type: 'Feature', properties: { role: 'shape' }, geometry: { type: 'Polygon', coordinates: [closeRing(this.points)] } });
      }
      this.points.forEach((p, i) => features.push({ type: 'Feature', properties: { role: i === 0 ? 'first' : 'point' }, geometry: { type: 'Point', coordinates: p } }));
    }
    (this.map.getSource(EDIT_SOURCE) as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });
  }

  private renderSoon(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.render());
  }

  // ---- vertex markers -----------------------------------------------------------------------------------------

  private clearMarkers(): void {
    for (const m of this.vertexMarkers) m.remove();
    for (const m of this.midMarkers) m.remove();
    this.vertexMarkers = [];
    this.midMarkers = [];
  }

  private buildMarkers(): void {
    this.clearMarkers();
    this.polygons.forEach((rings) =>
      rings.forEach((ring) => {
        ring.forEach((pos, i) => {
          const el = document.createElement('div');
          el.className = 'gw-vertex';
          el.dataset.testid = 'edit-vertex';
          const marker = new Marker({ element: el, draggable: true }).setLngLat(pos as [number, number]).addTo(this.map);
          marker.on('drag', () => {
            const { lng, lat } = marker.getLngLat();
            ring[i] = [lng, lat];
            this.renderSoon();
          });
          marker.on('dragend', () => {
            this.buildMarkers();
            this.render();
            this.emit();
          });
          const remove = (ev: Event) => {
            ev.preventDefault();
            ev.stopPropagation();
            if (ring.length <= 3) return;
            ring.splice(i, 1);
            this.buildMarkers();
            this.render();
            this.emit();
          };
          el.addEventListener('contextmenu', remove);
          el.addEventListener('dblclick', remove);
          this.vertexMarkers.push(marker);

          const next = ring[(i + 1) % ring.length]!;
          const mid: [number, number] = [(pos[0]! + next[0]!) / 2, (pos[1]! + next[1]!) / 2];
          const midEl = document.createElement('div');
          midEl.className = 'gw-vertex-mid';
          const midMarker = new Marker({ element: midEl, draggable: true }).setLngLat(mid).addTo(this.map);
          let inserted = false;
          midMarker.on('dragstart', () => {
            ring.splice(i + 1, 0, mid);
            inserted = true;
          });
          midMarker.on('drag', () => {
            if (!inserted) return;
            const { lng, lat } = midMarker.getLngLat();
            ring[i + 1] = [lng, lat];
            this.renderSoon();
          });
          midMarker.on('dragend', () => {
            this.buildMarkers();
            this.render();
            this.emit();
          });
          this.midMarkers.push(midMarker);
        });
      }),
    );
  }

  // ---- clicks -------------------------------------------------------------------------------------------------

  private click(e: MapMouseEvent): void {
    if (this.mode === 'vertices') return;
    const p: Position = [e.lngLat.lng, e.lngLat.lat];
    if (this.mode === 'draw' && this.points.length >= 3) {
      const first = this.map.project(this.points[0] as [number, number]);
      if (Math.hypot(first.x - e.point.x, first.y - e.point.y) < 10) {
        this.onFinish();
        return;
      }
    }
    // the second click of a double-click lands on the same spot: keep one point
    const last = this.points[this.points.length - 1];
    if (last) {
      const q = this.map.project(last as [number, number]);
      if (Math.hypot(q.x - e.point.x, q.y - e.point.y) < 3) return;
    }
    this.points.push(p);
    this.render();
    this.emit();
  }

  private dblclick(e: MapMouseEvent): void {
    if (this.mode === 'vertices') return;
    e.preventDefault();
    if ((this.mode === 'draw' && this.points.length >= 3) || (this.mode === 'split' && this.points.length >= 2)) this.onFinish();
  }

  private context(e: MapMouseEvent): void {
    if (this.mode === 'vertices') return;
    e.preventDefault();
    this.points.pop();
    this.render();
    this.emit();
  }
}
