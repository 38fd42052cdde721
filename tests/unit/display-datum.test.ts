// The web app's display datum: under a GCJ-02 base map (AMap, Tencent) what we draw is shifted exactly as the
// server's coordinate conversion shifts it, and positions read from the map come back to WGS-84 within a centimetre.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { positionFromWgs84 } from '../../src/domain/map/coordinates.js';
import { boundsToDisplay, fromDisplay, geoToDisplay, setDisplayCrs, toDisplay } from '../../web/src/map/datum.js';

afterEach(() => setDisplayCrs('wgs84'));

const inChina = fc.tuple(fc.double({ min: 100, max: 125, noNaN: true }), fc.double({ min: 22, max: 45, noNaN: true }));

describe('display datum', () => {
  it('WGS-84: nothing moves', () => {
    expect(toDisplay(116.66, 35.43)).toEqual([116.66, 35.43]);
    const data = { type: 'FeatureCollection', features: [{ geometry: { type: 'Point', coordinates: [116.66, 35.43] } }] };
    expect(geoToDisplay(data)).toBe(data);
  });

  it('GCJ-02: shifts like the server conversion and comes back within 1 cm', () => {
    setDisplayCrs('gcj02');
    fc.assert(
      fc.property(inChina, ([lng, lat]) => {
        const [x, y] = toDisplay(lng, lat);
        const [ex, ey] = positionFromWgs84([lng, lat], 'GCJ02');
        expect(Math.abs(x - ex!) + Math.abs(y - ey!)).toBeLessThan(1e-9);
        const [bx, by] = fromDisplay(x, y);
        expect(Math.abs(bx - lng) * 111_000).toBeLessThan(0.01);
        expect(Math.abs(by - lat) * 111_000).toBeLessThan(0.01);
      }),
    );
  });

  it('GCJ-02: every coordinate of a collection and its bbox are shifted; the input is untouched', () => {
    setDisplayCrs('gcj02');
    const ring = [[116.6, 35.4], [116.7, 35.4], [116.7, 35.5], [116.6, 35.4]];
    const data = {
      type: 'FeatureCollection',
      bbox: [116.6, 35.4, 116.7, 35.5],
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [116.65, 35.45] } },
      ],
    };
    const copy = JSON.parse(JSON.stringify(data));
    const shown = geoToDisplay(data);
    expect(data).toEqual(copy);
    const poly = (shown.features[0]!.geometry as { coordinates: number[][][] }).coordinates[0]!;
    expect(poly[1]).toEqual(toDisplay(116.7, 35.4));
    expect((shown.features[1]!.geometry as { coordinates: number[] }).coordinates).toEqual(toDisplay(116.65, 35.45));
    expect(shown.bbox).toEqual(boundsToDisplay(data.bbox));
    // the GCJ-02 offset here is a few hundred metres
    const [x] = toDisplay(116.66, 35.43);
    expect(Math.abs(x - 116.66) * 90_000).toBeGreaterThan(100);
  });
});
