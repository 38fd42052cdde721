// The datum we draw in: WGS-84 (our data, 天地图, the offline map) or GCJ-02 (under AMap and Tencent base maps).
// Pure functions over one module-level setting, so the shift is the same everywhere on the page.
import gcoordModule from 'gcoord';

// gcoord is CommonJS; its types declare an ES default export (see src/domain/map/coordinates.ts): take whichever object
// carries the API, so this file checks under the server's NodeNext settings (its tests) and the web app's alike.
interface GcoordApi {
  transform(input: number[], from: unknown, to: unknown): number[];
  WGS84: unknown;
  GCJ02: unknown;
}
const gcoord: GcoordApi = (gcoordModule as unknown as { default?: GcoordApi }).default ?? (gcoordModule as unknown as GcoordApi);

let crs: 'wgs84' | 'gcj02' = 'wgs84';

export function setDisplayCrs(c: 'wgs84' | 'gcj02'): void {
  crs = c;
}
export const displayCrs = () => crs;

/** A WGS-84 position as drawn on the map. */
export function toDisplay(lng: number, lat: number): [number, number] {
  if (crs === 'wgs84') return [lng, lat];
  return gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
}

/** A position read from the map (a click, the view's corners) in WGS-84. */
export function fromDisplay(lng: number, lat: number): [number, number] {
  if (crs === 'wgs84') return [lng, lat];
  // the inverse is not closed-form: refine until the forward image agrees to ~1 mm
  let [x, y] = [lng, lat];
  for (let i = 0; i < 20; i++) {
    const [fx, fy] = toDisplay(x, y);
    if (Math.abs(fx - lng) < 1e-8 && Math.abs(fy - lat) < 1e-8) break;
    x -= fx - lng;
    y -= fy - lat;
  }
  return [x, y];
}

type Coords = number[] | Coords[];
function shiftCoords(c: Coords): Coords {
  if (typeof c[0] === 'number') {
    const [x, y] = toDisplay(c[0] as number, c[1] as number);
    return [x, y, ...(c as number[]).slice(2)];
  }
  return (c as Coords[]).map(shiftCoords);
}

/** A GeoJSON collection as drawn on the map (a shifted copy under GCJ-02; the same object otherwise). */
export function geoToDisplay<T extends { features: { geometry: unknown }[]; bbox?: number[] | undefined }>(fc: T): T {
  if (crs === 'wgs84') return fc;
  const features = fc.features.map((f) => {
    const g = f.geometry as { type: string; coordinates?: Coords; geometries?: unknown[] } | null;
    return g?.coordinates ? { ...f, geometry: { ...g, coordinates: shiftCoords(g.coordinates) } } : f;
  });
  return { ...fc, features, ...(fc.bbox ? { bbox: boundsToDisplay(fc.bbox) } : {}) };
}

export function boundsToDisplay(b: number[]): number[] {
  const [w, s] = toDisplay(b[0]!, b[1]!);
  const [e, n] = toDisplay(b[2]!, b[3]!);
  return [w, s, e, n];
}

