// Photos: real JPEG/PNG/WebP files stored once by content hash with a WebP thumbnail; anything else refused by
// its bytes (not its name), size-limited; reports and moves may only point at photos that were uploaded.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../src/shared/api.js';
import { login } from '../support/platform.js';
import {
  gif,
  GRID_1,
  jpeg,
  move,
  ok,
  openWorld,
  png,
  refused,
  reportAt,
  reportBody,
  snapshot,
  uploadPhoto,
  walkTo,
  webp,
  type World,
} from '../support/factories.js';

let w: World;
beforeAll(async () => {
  w = await openWorld(['gridworker', 'operator', 'chengguan']);
});
afterAll(async () => w?.p.close());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under DATA_DIR/photos (originals and thumbnails, and any leftover temporary file). */
function storedFiles(): string[] {
  const root = path.join(w.p.dataDir, 'photos');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
    .sort();
}

/** A minimal but well-formed PDF. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
);

describe('upload', () => {
  it.each([
    ['JPEG', jpeg, 'image/jpeg'],
    ['PNG', png, 'image/png'],
    ['WebP', webp, 'image/webp'],
  ] as const)('a real %s: 201 with its sha256, served back byte for byte, with a WebP thumbnail', async (_name, make, mime) => {
    const bytes = await make('#3a7', 640, 480);
    const res = await w.u.gridworker!.upload('/api/photos', bytes, `scene.${mime.split('/')[1]}`, mime);
    const photo = ok(res, 201);
    expect(photo).toEqual({
      hash: sha256(bytes),
      mime,
      size: bytes.length,
      url: `/api/photos/${sha256(bytes)}`,
      thumbUrl: `/api/photos/${sha256(bytes)}/thumb`,
    });
    const row = await w.p.db.selectFrom('photos').selectAll().where('hash', '=', photo.hash).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ mime, size: bytes.length, width: 640, height: 480 });

    const original = await w.u.gridworker! /* the uploader; others once a case they read holds it (photo-scope.test.ts) */.get(photo.url);
    expect(original.statusCode).toBe(200);
    expect(original.headers['content-type']).toBe(mime);
    expect(original.rawPayload.equals(bytes)).toBe(true);

    const thumb = await w.u.gridworker!.get(photo.thumbUrl);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    const meta = await sharp(thumb.rawPayload).metadata();
    expect(meta.format).toBe('webp');
    expect(Math.max(meta.width!, meta.height!)).toBe(320);
    expect(meta.width! / meta.height!).toBeCloseTo(640 / 480, 1);
  });

  it('does not enlarge a small photo for its thumbnail', async () => {
    const photo = ok(await w.u.gridworker!.upload('/api/photos', await jpeg('#123', 40, 30)), 201);
    const meta = await sharp((await w.u.gridworker!.get(photo.thumbUrl)).rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([40, 30]);
  });

  it('stores the same bytes once: same hash, one row, one original and one thumbnail, one audit row', async () => {
    const bytes = await jpeg('#abcdef', 100, 80);
    const filesBefore = storedFiles();
    const first = ok(await w.u.gridworker!.upload('/api/photos', bytes, 'a.jpg'), 201);
    const second = ok(await w.u.chengguan!.upload('/api/photos', bytes, 'b.jpeg'), 201);
    expect(second.hash).toBe(first.hash);
    const rows = await w.p.db.selectFrom('photos').selectAll().where('hash', '=', first.hash).execute();
    expect(rows).toHaveLength(1);
    const added = storedFiles().filter((f) => !filesBefore.includes(f));
    expect(added).toEqual([path.join(first.hash.slice(0, 2), first.hash), path.join(first.hash.slice(0, 2), `${first.hash}.thumb.webp`)].sort());
    const audit = await w.p.db.selectFrom('audit_log').select('action').where('target_type', '=', 'photo').where('target_id', '=', first.hash).execute();
    expect(audit).toEqual([{ action: 'photo.upload' }]);
  });

  it('leaves no temporary files behind', async () => {
    await uploadPhoto(w.u.gridworker!);
    expect(storedFiles().filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('refused uploads store nothing', () => {
  const cases: [string, () => Promise<Buffer> | Buffer, string, RegExp][] = [
    ['a text file named .jpg', () => Buffer.from('这不是照片，只是一段文字。\nnot a photo\n'.repeat(20)), 'photo.jpg', /unknown/],
    ['a GIF', () => gif(), 'photo.gif', /image\/gif/],
    ['a GIF renamed .jpg', () => gif('#0ff'), 'photo.jpg', /image\/gif/],
    ['a PDF renamed .jpg', () => PDF, 'scan.jpg', /application\/pdf/],
    ['a JPEG header followed by garbage', async () => Buffer.concat([(await jpeg()).subarray(0, 200), Buffer.alloc(4000, 7)]), 'broken.jpg', /image\/jpeg/],
  ];
  it.each(cases)('%s: 415 photo_type_refused with a clear message', async (_label, make, filename, detected) => {
    const before = { db: await snapshot(w.p), files: storedFiles() };
    const err = refused(await w.u.gridworker!.upload('/api/photos', await make(), filename, 'image/jpeg'), 415, 'photo_type_refused');
    expect(err.message).toMatch(/^只接受 JPEG、PNG 或 WebP 格式的照片/);
    expect(err.message).toMatch(detected);
    expect({ db: await snapshot(w.p), files: storedFiles() }).toEqual(before);
  });

  it('says it in English too', async () => {
    const en = await login(w.p.app, 'gridworker', undefined, 'en');
    const err = refused(await en.upload('/api/photos', await gif()), 415, 'photo_type_refused');
    expect(err.message).toBe('Only JPEG, PNG or WebP photos are accepted (this file is image/gif).');
  });

  it('a truncated JPEG: 415 photo_type_refused, nothing stored', async () => {
    const whole = await jpeg('#345678', 400, 300);
    const before = { db: await snapshot(w.p), files: storedFiles() };
    refused(await w.u.gridworker!.upload('/api/photos', whole.subarray(0, Math.floor(whole.length / 2))), 415, 'photo_type_refused');
    expect({ db: await snapshot(w.p), files: storedFiles() }).toEqual(before);
  });

  it('more than 10 MB: 413 photo_too_large', async () => {
    const before = { db: await snapshot(w.p), files: storedFiles() };
    const big = Buffer.concat([await jpeg(), Buffer.alloc(10 * 1024 * 1024, 0)]);
    const err = refused(await w.u.gridworker!.upload('/api/photos', big), 413, 'photo_too_large');
    expect(err.message).toBe('照片不能超过 10 MB，请压缩后再上传。');
    expect({ db: await snapshot(w.p), files: storedFiles() }).toEqual(before);
  });

  it('an empty file, or no file at all: photo_empty', async () => {
    const before = await snapshot(w.p);
    expect(refused(await w.u.gridworker!.upload('/api/photos', Buffer.alloc(0)), 422, 'photo_empty').message).toBe('请选择要上传的照片。');
    refused(await w.u.gridworker!.post('/api/photos', { file: 'not multipart' }), 422, 'photo_empty');
    expect(await snapshot(w.p)).toEqual(before);
  });

  it('needs a session and a CSRF token like every other write', async () => {
    refused(await w.p.app.inject({ method: 'POST', url: '/api/photos', payload: {} }), 401, 'unauthenticated');
  });
});

describe('reading photos', () => {
  it('an unknown hash: 404; a malformed one: 400', async () => {
    refused(await w.u.operator!.get(`/api/photos/${'0'.repeat(64)}`), 404, 'not_found');
    refused(await w.u.operator!.get(`/api/photos/${'0'.repeat(64)}/thumb`), 404, 'not_found');
    refused(await w.u.operator!.get('/api/photos/..%2F..%2Fetc%2Fpasswd'), 400, 'validation_failed');
  });

  it('needs a session', async () => {
    const hash = await uploadPhoto(w.u.gridworker!);
    refused(await w.p.app.inject({ method: 'GET', url: `/api/photos/${hash}` }), 401, 'unauthenticated');
  });
});

describe('photos on reports and moves', () => {
  it('a report may carry up to nine uploaded photos, shown on the case and on its report event', async () => {
    const hashes: string[] = [];
    for (let i = 0; i < 9; i++) hashes.push(await uploadPhoto(w.u.gridworker!));
    const c = await reportAt(w, w.u.gridworker!, GRID_1, { photos: hashes });
    expect(c.photos.map((p) => p.hash)).toEqual(hashes);
    expect(c.events[0]!.photos.map((p) => p.hash)).toEqual(hashes);
    for (const p of c.photos) expect(p).toMatchObject({ mime: 'image/jpeg', url: `/api/photos/${p.hash}`, thumbUrl: `/api/photos/${p.hash}/thumb` });
  });

  it('more than nine photos: 400 validation_failed, nothing stored', async () => {
    const hashes: string[] = [];
    for (let i = 0; i < 10; i++) hashes.push(await uploadPhoto(w.u.gridworker!));
    const before = await snapshot(w.p);
    refused(await w.u.gridworker!.post('/api/cases', reportBody(w, GRID_1, { photos: hashes })), 400, 'validation_failed');
    const c = await walkTo(w, 'in_progress');
    const mid = await snapshot(w.p, c.id);
    refused(await move(w.u.chengguan!, c.id, 'handle', { version: c.version, note: '已处置', photos: hashes }), 400, 'validation_failed');
    expect(await snapshot(w.p, c.id)).toEqual(mid);
    expect(mid.cases).toBe(before.cases + 1);
  });

  it('a report pointing at a photo that was never uploaded: 422 unknown_photo, nothing stored', async () => {
    const real = await uploadPhoto(w.u.gridworker!);
    const missing = sha256(Buffer.from('never uploaded'));
    const before = await snapshot(w.p);
    const err = refused(await w.u.gridworker!.post('/api/cases', reportBody(w, GRID_1, { photos: [real, missing] })), 422, 'unknown_photo');
    expect(err.message).toBe(`照片 ${missing.slice(0, 12)} 未上传成功，请重新上传。`);
    expect(await snapshot(w.p)).toEqual(before);
  });

  it('a move pointing at a photo that was never uploaded: 422 unknown_photo, the case unchanged', async () => {
    const c = await walkTo(w, 'in_progress');
    const before = await snapshot(w.p, c.id);
    refused(await move(w.u.chengguan!, c.id, 'handle', { version: c.version, note: '已处置', photos: ['f'.repeat(64)] }), 422, 'unknown_photo');
    expect(await snapshot(w.p, c.id)).toEqual(before);
    const proof = await uploadPhoto(w.u.chengguan!);
    const handled = ok(await move(w.u.chengguan!, c.id, 'handle', { version: c.version, note: '已处置', photos: [proof] })) as CaseDetail;
    expect(handled.events.at(-1)!.photos.map((p) => p.hash)).toEqual([proof]);
  });
});
