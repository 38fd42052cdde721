// Base maps: the configuration the web app reads (/api/basemap), and the offline PMTiles archive served with range
// requests — checked by reading a generated archive back through the `pmtiles` library, range by range.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles';
import { loadConfig } from '../../src/config.js';
import { basemapOf, parseRange } from '../../src/server/routes/basemap.js';
import { login, openTestPlatform, type TestPlatform } from '../support/platform.js';
import { writeStreetPmtiles } from '../support/pmtiles.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';

const BBOX: [number, number, number, number] = [116.62, 35.40, 116.70, 35.46];
let scratch: string;
let file: string;
let platform: TestPlatform;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'gridwork-basemap-'));
  file = path.join(scratch, 'street.pmtiles');
  expect(writeStreetPmtiles(file, BBOX)).toBeGreaterThan(10);
  platform = await openTestPlatform({ env: { BASEMAP_PMTILES: file } });
});
afterAll(async () => {
  await platform?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('base map configuration', () => {
  it('none by default; 天地图 in WGS-84 with its key; AMap and Tencent in GCJ-02; a bad setting stops the start', () => {
    expect(basemapOf(loadConfig({})).kind).toBe('none');
    const tdt = basemapOf(loadConfig({ TIANDITU_KEY: 'k123' }));
    expect(tdt).toMatchObject({ kind: 'tianditu', crs: 'wgs84' });
    expect(tdt.tiles).toHaveLength(2);
    expect(tdt.tiles[0]![0]).toContain('tk=k123');
    expect(basemapOf(loadConfig({ BASEMAP: 'amap' }))).toMatchObject({ kind: 'amap', crs: 'gcj02' });
    expect(basemapOf(loadConfig({ BASEMAP: 'tencent' }))).toMatchObject({ kind: 'tencent', crs: 'gcj02', scheme: 'tms' });
    expect(basemapOf(loadConfig({ BASEMAP: 'xyz', BASEMAP_URL: 'https://tiles.example/{z}/{x}/{y}.png', BASEMAP_CRS: 'gcj02' }))).toMatchObject({ crs: 'gcj02' });
    expect(() => loadConfig({ BASEMAP: 'tianditu' })).toThrow(/TIANDITU_KEY/);
    expect(() => loadConfig({ BASEMAP: 'google' })).toThrow(/BASEMAP must be one of/);
  });

  it('ranges', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-5', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('bad');
  });
});

describe('the offline PMTiles base map', () => {
  it('is announced to the signed-in web app and read tile by tile with range requests', async () => {
    const api = await login(platform.app, 'gridworker');
    const cfg = (await api.get('/api/basemap')).json();
    expect(cfg).toMatchObject({ kind: 'pmtiles', crs: 'wgs84', pmtilesUrl: '/api/basemap/offline.pmtiles' });
    expect((await platform.app.inject({ url: '/api/basemap' })).statusCode).toBe(401);

    const signedIn = await platform.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'gridworker', password: DEMO_PASSWORD } });
    const cookie = `gw_session=${signedIn.cookies.find((c) => c.name === 'gw_session')!.value}`;
    let requests = 0;
    const source: Source = {
      getKey: () => 'street',
      async getBytes(offset: number, length: number): Promise<RangeResponse> {
        requests++;
        const res = await platform.app.inject({ url: cfg.pmtilesUrl, headers: { cookie, range: `bytes=${offset}-${offset + length - 1}` } });
        expect(res.statusCode).toBe(206);
        const body = res.rawPayload;
        return { data: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer };
      },
    };
    const archive = new PMTiles(source);
    const header = await archive.getHeader();
    expect(header).toMatchObject({ tileType: TileType.Mvt, minZoom: 10, maxZoom: 15 });
    const meta = (await archive.getMetadata()) as { vector_layers: { id: string }[] };
    expect(meta.vector_layers.map((l) => l.id)).toEqual(expect.arrayContaining(['roads', 'water', 'buildings']));
    // the tile over the street's centre at z14
    const z = 14;
    const lng = 116.66;
    const lat = 35.43;
    const x = Math.floor(((lng + 180) / 360) * 2 ** z);
    const r = (lat * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
    const tile = await archive.getZxy(z, x, y);
    expect(tile?.data.byteLength).toBeGreaterThan(100);
    expect(requests).toBeGreaterThanOrEqual(2);
    const whole = await api.get(cfg.pmtilesUrl);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
  });
});
