// The stall test: while an administrator validates a 200k-vertex grid import and another user asks for a huge map
// box, /api/health keeps answering — the geometry runs in worker threads and the map refuses boxes it cannot
// answer quickly. Over real sockets, as a browser would. The worst health latency is printed for the record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPlatform, login, type TestPlatform } from '../support/platform.js';

/** Longer than any scheduling hiccup of a busy machine, far shorter than the 8 s geometry time limit below. */
const STALL_MS = 3000;

let p: TestPlatform;
let base: string;
let admin: { cookie: string; csrf: string };
let leader: { cookie: string };

beforeAll(async () => {
  // A short time limit, so a validation that would run for minutes is stopped within the test.
  process.env.GEOMETRY_TIME_LIMIT_MS = '8000';
  p = await openTestPlatform();
  const a = await login(p.app, 'admin');
  const l = await login(p.app, 'leader');
  admin = { cookie: a.cookie, csrf: a.csrfToken };
  leader = { cookie: l.cookie };
  await p.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = p.app.server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
}, 180_000);
afterAll(async () => {
  delete process.env.GEOMETRY_TIME_LIMIT_MS;
  await p?.close();
});

/** A circle of n vertices (a surveyed boundary would be as dense) around a grid's label point, in WGS-84. */
async function denseRing(n: number): Promise<number[][]> {
  const g = await p.db.selectFrom('grids').select(['label_lng', 'label_lat']).where('code', '=', '37087100500103').executeTakeFirstOrThrow();
  const ring: number[][] = [];
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    ring.push([g.label_lng + 0.0004 * Math.cos(t), g.label_lat + 0.0003 * Math.sin(t)]);
  }
  ring.push(ring[0]!);
  return ring;
}

describe('the event loop stays free', () => {
  it(`/api/health keeps answering (within ${STALL_MS} ms) while a 200k-vertex validation and a huge map box run`, async () => {
    const ring = await denseRing(200_000);
    const body = JSON.stringify({
      crs: 'WGS84',
      geojson: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '37087100500109', name: '稠密边界', parent: '370871005001' }, geometry: { type: 'Polygon', coordinates: [ring] } }] },
    });
    let done = false;
    const validate = fetch(`${base}/api/grids/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      body,
    }).then(async (r) => ({ status: r.status, body: await r.text() }));
    const maps = Promise.all(
      ['/api/map/heat?bbox=-180,-85,180,85&zoom=9', '/api/map/cases?bbox=-180,-85,180,85&zoom=12', '/api/map/cases?bbox=116,35,117,36&zoom=13'].map((u) =>
        fetch(`${base}${u}`, { headers: { cookie: leader.cookie } }).then((r) => r.status),
      ),
    );
    void validate.finally(() => (done = true));

    const latencies: number[] = [];
    const started = Date.now();
    while (!done && Date.now() - started < 60_000) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/health`);
      latencies.push(performance.now() - t0);
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
    }
    const v = await validate;
    const mapStatuses = await maps;
    const worst = Math.max(...latencies);
    console.log(
      `[stall] validation of 200 000 vertices answered ${v.status} after ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `map answers ${mapStatuses.join(', ')}; /api/health asked ${latencies.length} times, worst ${worst.toFixed(0)} ms`,
    );
    expect(v.status, v.body.slice(0, 300)).toBeLessThan(500 + (v.status === 503 ? 100 : 0));
    expect(mapStatuses.every((s) => s < 500)).toBe(true);
    expect(latencies.length).toBeGreaterThan(0);
    // Not a benchmark: a loop blocked by the geometry would not answer until it ends (8 s and more), a free one
    // answers in milliseconds; on a CI machine shared with a browser test the free one was seen at 1.1–1.6 s, so
    // the line is drawn well below the geometry's time rather than at a latency.
    expect(worst).toBeLessThan(STALL_MS);
  }, 120_000);

  it(`/api/health keeps answering (within ${STALL_MS} ms) while a 200k-vertex boundary edit and a split are checked`, async () => {
    const g = await p.db.selectFrom('grids').select(['id', 'version', 'geometry']).where('code', '=', '37087100500103').executeTakeFirstOrThrow();
    const ring = await denseRing(200_000);
    const send = (method: string, url: string, payload: unknown) =>
      fetch(`${base}${url}`, {
        method,
        headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrf },
        body: JSON.stringify(payload),
      }).then(async (r) => ({ status: r.status, body: await r.text() }));
    let done = false;
    // The grid shrinks to a dense ellipse inside it (a valid edit); a split into drawn parts leaves a gap (refused).
    const edit = send('PUT', `/api/grids/${g.id}`, { version: g.version, geometry: { type: 'Polygon', coordinates: [ring] } });
    const [outer] = (g.geometry as { coordinates: number[][][] }).coordinates;
    const split = send('POST', `/api/grids/${g.id}/split`, {
      parts: [
        { type: 'Polygon', coordinates: [[outer![0], outer![1], outer![2], outer![0]]] },
        { type: 'Polygon', coordinates: [ring.filter((_, i) => i % 20 === 0).concat([ring[0]!])] },
      ],
    });
    const both = Promise.all([edit, split]);
    void both.finally(() => (done = true));

    const latencies: number[] = [];
    const started = Date.now();
    while (!done && Date.now() - started < 60_000) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/health`);
      latencies.push(performance.now() - t0);
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
    }
    const [e, sp] = await both;
    const worst = Math.max(...latencies);
    console.log(
      `[stall] edit of 200 000 vertices answered ${e.status}, split ${sp.status}, after ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `/api/health asked ${latencies.length} times, worst ${worst.toFixed(0)} ms`,
    );
    expect([e.status, sp.status].every((s) => s < 500 || s === 503), `${e.body.slice(0, 300)} | ${sp.body.slice(0, 300)}`).toBe(true);
    expect(sp.status).not.toBe(200);
    expect(latencies.length).toBeGreaterThan(0);
    expect(worst).toBeLessThan(STALL_MS);
  }, 120_000);
});
