// The fuzz suite: every endpoint gets inputs drawn from its own schema (OpenAPI, from the zod schemas) with hostile
// values mixed in — numbers past the database's range, NaN, NUL bytes, a 1 MB string, wrong types — and bad framing
// (content types, JSON, multipart). Never a 500, always a message, and nothing written when refused.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/shared/vocabulary.js';
import { ok, openWorld, type World } from '../support/factories.js';
import { endpointsOf, fillPath, rowCounts, STREAMING, type Endpoint } from '../support/endpoints.js';
import { asParam, fromSchema, hostile } from '../support/schema-arbitrary.js';
import type { Client } from '../support/platform.js';

/** Runs per endpoint: enough to reach every hostile kind across the suite, small enough for CI on two cores. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const CALLERS: [string, Role][] = [
  ['admin', 'admin'],
  ['operator', 'operator'],
  ['gridworker', 'grid_worker'],
  ['chengguan', 'department'],
  ['leader', 'leader'],
  ['citizen', 'citizen'],
];

let w: World;
let endpoints: Endpoint[];
let doc: Record<string, any>;
const tally = { requests: 0, serverErrors: 0, silent: 0, writesWhenRefused: 0 };

beforeAll(async () => {
  w = await openWorld(CALLERS.map(([u]) => u));
  endpoints = endpointsOf(w.p.app).endpoints.filter((e) => !STREAMING.has(`${e.method} ${e.url}`) && e.url !== '/api/auth/logout');
  doc = w.p.app.swagger() as Record<string, any>;
}, 180_000);
afterAll(async () => {
  console.log(`[fuzz] ${tally.requests} requests over ${endpoints.length} endpoints: ${tally.serverErrors} answers 500, ${tally.silent} refusals without a message, ${tally.writesWhenRefused} refusals that wrote`);
  await w?.p.close();
});

function callerFor(e: Endpoint): Client | null {
  if (e.policy.public) return null;
  const found = CALLERS.find(([, role]) => !e.policy.roles || e.policy.roles.includes(role));
  return found ? w.u[found[0]]! : null;
}

function check(res: LightMyRequestResponse, what: string) {
  tally.requests++;
  if (res.statusCode >= 500) tally.serverErrors++;
  expect(res.statusCode, `${what}: ${res.body.slice(0, 400)}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    const message = (() => {
      try {
        return res.json().error?.message;
      } catch {
        return undefined;
      }
    })();
    if (!message) tally.silent++;
    expect(message, `${what}: ${res.body.slice(0, 400)}`).toBeTruthy();
  }
}

describe('every endpoint, inputs from its schema plus hostile values', () => {
  it('never answers 500, always says why, and writes nothing when it refuses', async () => {
    let ip = 0;
    for (const e of endpoints) {
      const op = e.operation ?? {};
      const params = (op.parameters ?? []) as { in: string; name: string; schema?: Record<string, unknown> }[];
      const pathArb = fc.record(Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, fc.oneof(fromSchema(p.schema ?? {}, doc), hostile())])));
      const queryArb = fc.record(
        Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, fromSchema(p.schema ?? {}, doc)])),
        { requiredKeys: [] },
      );
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const bodyArb = e.method === 'GET' || e.method === 'DELETE' ? fc.constant(undefined) : bodySchema ? fromSchema(bodySchema, doc) : hostile();
      const caller = callerFor(e);
      await fc.assert(
        fc.asyncProperty(pathArb, queryArb, bodyArb, async (path, query, body) => {
          const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, asParam(v)])).toString();
          const url = fillPath(e.url, Object.fromEntries(Object.entries(path).map(([k, v]) => [k, asParam(v)]))) + (qs ? `?${qs}` : '');
          const before = e.method === 'GET' ? null : await rowCounts(w.p.db);
          const payload = body === undefined ? {} : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
          const headers = {
            'accept-language': 'zh-CN',
            ...(caller ? { cookie: caller.cookie, 'x-csrf-token': caller.csrfToken } : {}),
            ...(payload.headers ?? {}),
          };
          const res = caller
            ? await (e.method === 'GET' ? caller.get(url) : caller.send(e.method as 'POST', url, body === undefined ? undefined : (body as object)))
            : await w.p.app.inject({ method: e.method as 'GET', url, headers, remoteAddress: `10.77.${++ip % 250}.${ip % 251}`, ...(payload.payload ? { payload: payload.payload } : {}) });
          check(res, `${e.method} ${url.slice(0, 200)} ${JSON.stringify(body)?.slice(0, 200)}`);
          if (before && res.statusCode >= 400) {
            const after = await rowCounts(w.p.db);
            if (JSON.stringify(after) !== JSON.stringify(before)) tally.writesWhenRefused++;
            expect(after, `${e.method} ${e.url} wrote while refusing (${res.statusCode})`).toEqual(before);
          }
        }),
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261203), endOnFailure: true },
      );
    }
  }, 600_000);
});

/** A PNG that claims width × height pixels: the header alone, with its checksum (no pixels are sent). */
function pngHeader(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(16)), chunk('IEND', Buffer.alloc(0))]);
}

describe('framing and limits the schemas cannot describe', () => {
  it('a wrong content type is answered 415 in the user’s language, naming what the endpoint takes', async () => {
    const zh = await w.u.gridworker!.send('POST', '/api/cases', undefined);
    check(zh, 'no body');
    for (const lang of ['zh-CN', 'en']) {
      const res = await w.p.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: { cookie: cookieOf(w.u.gridworker!), 'x-csrf-token': w.u.gridworker!.csrfToken, 'content-type': 'application/xml', 'accept-language': lang },
        payload: '<case/>',
      });
      check(res, `text/plain ${lang}`);
      expect(res.statusCode).toBe(415);
      expect(res.json().error.message).toContain(lang === 'en' ? 'Unsupported content type' : '不支持的内容类型');
    }
  });
  it('broken JSON: 400 with a message', async () => {
    const res = await w.p.app.inject({ method: 'POST', url: '/api/cases', headers: { cookie: cookieOf(w.u.gridworker!), 'x-csrf-token': w.u.gridworker!.csrfToken, 'content-type': 'application/json' }, payload: '{"lng": 116.6,' });
    check(res, 'broken JSON');
    expect(res.statusCode).toBe(400);
  });
  it('each 413 names the limit of the endpoint that refused it', async () => {
    const big = JSON.stringify({ description: 'x'.repeat(1_150_000) });
    const report = await w.p.app.inject({ method: 'POST', url: '/api/cases', headers: { cookie: cookieOf(w.u.gridworker!), 'x-csrf-token': w.u.gridworker!.csrfToken, 'content-type': 'application/json', 'accept-language': 'en' }, payload: big });
    check(report, '1.1 MB report');
    expect(report.statusCode).toBe(413);
    expect(report.json().error.message).toContain('1 MB');
    expect(report.json().error.message).not.toContain('photo');
  });
  it('bad multipart (boundary that does not match, none at all, cut short): 400 multipart_invalid, nothing stored', async () => {
    const before = await rowCounts(w.p.db);
    const b = `----gw${randomBytes(6).toString('hex')}`;
    const body = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\nabc\r\n--${b}--\r\n`);
    const c = w.u.gridworker!;
    const h = { cookie: cookieOf(c), 'x-csrf-token': c.csrfToken };
    for (const [what, contentType, payload] of [
      ['other boundary', 'multipart/form-data; boundary=----nope', body],
      ['no boundary', 'multipart/form-data', body],
      ['cut short', `multipart/form-data; boundary=${b}`, body.subarray(0, 60)],
    ] as const) {
      for (const url of ['/api/photos', '/api/grids/people/import', '/api/poi/import']) {
        const caller = url === '/api/photos' ? h : { cookie: cookieOf(w.u.admin!), 'x-csrf-token': w.u.admin!.csrfToken };
        const res = await w.p.app.inject({ method: 'POST', url, headers: { ...caller, 'content-type': contentType }, payload });
        check(res, `${what} ${url}`);
        expect(res.statusCode, `${what} ${url}: ${res.body}`).toBeGreaterThanOrEqual(400);
      }
    }
    expect(await rowCounts(w.p.db)).toEqual(before);
  });
  it('a 256-megapixel PNG is refused before it is decoded', async () => {
    const res = await w.u.gridworker!.upload('/api/photos', pngHeader(16384, 16384), 'bomb.png', 'image/png');
    check(res, 'pixel bomb');
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('photo_too_many_pixels');
  });
  it('ids and integers past the database range, NUL bytes: 400, even anonymously', async () => {
    for (const url of ['/api/cases/2147483648', '/api/grids/99999999999999999999', '/api/patrols/1e10', `/api/cases?categoryId=${2 ** 31}`]) {
      const res = await w.u.operator!.get(url);
      check(res, url);
      expect(res.statusCode, url).toBe(400);
    }
    const nul = await w.p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin\u0000', password: 'x' }, remoteAddress: '10.66.0.1' });
    check(nul, 'NUL login');
    expect(nul.statusCode).toBe(400);
    const note = await w.u.operator!.post('/api/notifications/read', { ids: [2 ** 31] });
    check(note, 'id 2^31 in a body');
    expect(note.statusCode).toBe(400);
  });
  it('the map: the whole world at zoom 9 and zoom 22 are answered with a message, not memory', async () => {
    for (const url of ['/api/map/heat?bbox=-180,-85,180,85&zoom=9', '/api/map/cases?bbox=-180,-85,180,85&zoom=9', '/api/map/heat?bbox=116,35,117,36&zoom=22']) {
      const res = await w.u.leader!.get(url);
      check(res, url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('map_box_too_large');
    }
    ok(await w.u.leader!.get('/api/map/heat?bbox=116.6,35.4,116.601,35.401&zoom=22'));
  });
});

function cookieOf(c: Client): string {
  return c.cookie;
}
