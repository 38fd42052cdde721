// A small offline vector base map made by the tests themselves: a PMTiles v3 archive (uncompressed, one directory)
// of Mapbox Vector Tiles with the layers our style draws (earth, water, landuse, roads, buildings), over a bounding
// box at zooms minZoom–maxZoom. Real offices bring a file cut from OpenStreetMap (README "Base maps").
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Feature, FeatureCollection } from 'geojson';
import GeoJSONVT from 'geojson-vt';
import { zxyToTileId } from 'pmtiles';

const require = createRequire(import.meta.url);
const vtpbf = require('vt-pbf') as { fromGeojsonVt(layers: Record<string, unknown>, options?: { version?: number; extent?: number }): Uint8Array };

function varints(values: number[]): number[] {
  const out: number[] = [];
  for (let v of values) {
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
  }
  return out;
}

function u64(buf: Buffer, at: number, v: number) {
  buf.writeBigUInt64LE(BigInt(v), at);
}

function tileX(lng: number, z: number) {
  return Math.floor(((lng + 180) / 360) * 2 ** z);
}
function tileY(lat: number, z: number) {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
}

/** Streets, a river, a park and blocks of buildings in the box: enough for a map to show it has a base under it. */
export function streetFeatures([w, s, e, n]: [number, number, number, number]): Record<string, FeatureCollection> {
  const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
  const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
  const roads: Feature[] = [];
  for (let i = 1; i < 8; i++) {
    const x = lerp(w, e, i / 8);
    const y = lerp(s, n, i / 8);
    const kind = i % 4 === 0 ? 'major_road' : 'minor_road';
    roads.push({ type: 'Feature', properties: { kind }, geometry: { type: 'LineString', coordinates: [[x, s], [x + 0.002, n]] } });
    roads.push({ type: 'Feature', properties: { kind }, geometry: { type: 'LineString', coordinates: [[w, y], [e, y - 0.001]] } });
  }
  const box = (x0: number, y0: number, x1: number, y1: number): Feature => ({
    type: 'Feature',
    properties: {},
    geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] },
  });
  const buildings: Feature[] = [];
  for (let i = 0; i < 7; i++)
    for (let j = 0; j < 7; j++) {
      const x = lerp(w, e, (i + 0.2) / 8);
      const y = lerp(s, n, (j + 0.2) / 8);
      buildings.push(box(x, y, x + (e - w) / 24, y + (n - s) / 24));
    }
  const river: Feature = {
    type: 'Feature',
    properties: { kind: 'river' },
    geometry: { type: 'Polygon', coordinates: [[[w, lerp(s, n, 0.45)], [e, lerp(s, n, 0.52)], [e, lerp(s, n, 0.55)], [w, lerp(s, n, 0.48)], [w, lerp(s, n, 0.45)]]] },
  };
  return {
    earth: fc([box(w - 0.05, s - 0.05, e + 0.05, n + 0.05)]),
    landuse: fc([{ ...box(lerp(w, e, 0.6), lerp(s, n, 0.6), lerp(w, e, 0.75), lerp(s, n, 0.75)), properties: { kind: 'park' } }]),
    water: fc([river]),
    roads: fc(roads),
    buildings: fc(buildings),
  };
}

/** Writes the archive; returns how many tiles it holds. */
export function writeStreetPmtiles(file: string, bbox: [number, number, number, number], minZoom = 10, maxZoom = 15): number {
  const layers = streetFeatures(bbox);
  const index = Object.fromEntries(Object.entries(layers).map(([name, data]) => [name, new GeoJSONVT(data, { maxZoom, indexMaxZoom: maxZoom, tolerance: 1, buffer: 64 })]));
  const tiles: { id: number; data: Uint8Array }[] = [];
  for (let z = minZoom; z <= maxZoom; z++) {
    for (let x = tileX(bbox[0] - 0.01, z); x <= tileX(bbox[2] + 0.01, z); x++)
      for (let y = tileY(bbox[3] + 0.01, z); y <= tileY(bbox[1] - 0.01, z); y++) {
        const parts: Record<string, unknown> = {};
        for (const [name, idx] of Object.entries(index)) {
          const t = idx.getTile(z, x, y);
          if (t && t.features.length) parts[name] = t;
        }
        if (Object.keys(parts).length) tiles.push({ id: zxyToTileId(z, x, y), data: vtpbf.fromGeojsonVt(parts, { version: 2 }) });
      }
  }
  tiles.sort((a, b) => a.id - b.id);
  // root directory: ids as deltas, run lengths, lengths, offsets (0 = right after the previous tile)
  let lastId = 0;
  let offset = 0;
  const dir = varints([
    tiles.length,
    ...tiles.map((t) => {
      const d = t.id - lastId;
      lastId = t.id;
      return d;
    }),
    ...tiles.map(() => 1),
    ...tiles.map((t) => t.data.length),
    ...tiles.map((t, i) => {
      const o = i === 0 ? offset + 1 : 0;
      offset += t.data.length;
      return o;
    }),
  ]);
  const meta = Buffer.from(
    JSON.stringify({ name: 'gridwork test street', vector_layers: Object.keys(layers).map((id) => ({ id, fields: { kind: 'String' } })) }),
  );
  const data = Buffer.concat(tiles.map((t) => Buffer.from(t.data)));
  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'ascii');
  header.writeUInt8(3, 7);
  const dirAt = 127;
  const metaAt = dirAt + dir.length;
  const dataAt = metaAt + meta.length;
  u64(header, 8, dirAt);
  u64(header, 16, dir.length);
  u64(header, 24, metaAt);
  u64(header, 32, meta.length);
  u64(header, 40, dataAt + data.length); // no leaf directories
  u64(header, 48, 0);
  u64(header, 56, dataAt);
  u64(header, 64, data.length);
  u64(header, 72, tiles.length);
  u64(header, 80, tiles.length);
  u64(header, 88, tiles.length);
  header.writeUInt8(1, 96); // clustered
  header.writeUInt8(1, 97); // internal compression: none
  header.writeUInt8(1, 98); // tile compression: none
  header.writeUInt8(1, 99); // tile type: mvt
  header.writeUInt8(minZoom, 100);
  header.writeUInt8(maxZoom, 101);
  header.writeInt32LE(Math.round(bbox[0] * 1e7), 102);
  header.writeInt32LE(Math.round(bbox[1] * 1e7), 106);
  header.writeInt32LE(Math.round(bbox[2] * 1e7), 110);
  header.writeInt32LE(Math.round(bbox[3] * 1e7), 114);
  header.writeUInt8(Math.round((minZoom + maxZoom) / 2), 118);
  header.writeInt32LE(Math.round(((bbox[0] + bbox[2]) / 2) * 1e7), 119);
  header.writeInt32LE(Math.round(((bbox[1] + bbox[3]) / 2) * 1e7), 123);
  writeFileSync(file, Buffer.concat([header, Buffer.from(dir), meta, data]));
  return tiles.length;
}
