// Photos: stored once by content hash under DATA_DIR/photos, type sniffed from the bytes, size-limited,
// with a thumbnail made at upload.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { DomainError } from '../domain/errors.js';
import { inTransaction, type DbOrTx } from '../data/db.js';
import { findReadablePhoto, upsertPhoto } from '../data/repos/photos.js';
import type { Actor } from '../domain/access.js';
import { caseScope } from './access.js';
import { insertAudit } from '../data/repos/audit.js';
import type { ActorContext } from './context.js';

export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** 40 megapixels: more than any phone camera; a small PNG can claim 256 megapixels and take gigabytes to decode. */
export const PHOTO_MAX_PIXELS = 40_000_000;
const ACCEPTED = new Map([
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
  ['image/webp', 'webp'],
]);

export function photoPaths(dataDir: string, hash: string) {
  const dir = path.join(dataDir, 'photos', hash.slice(0, 2));
  return { dir, original: path.join(dir, hash), thumb: path.join(dir, `${hash}.thumb.webp`) };
}

async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}

export async function storePhoto(ctx: ActorContext, dataDir: string, bytes: Buffer) {
  if (bytes.length === 0) throw new DomainError('photo_empty');
  if (bytes.length > PHOTO_MAX_BYTES) throw new DomainError('photo_too_large', { limitMb: PHOTO_MAX_BYTES / 1024 / 1024 });
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !ACCEPTED.has(type.mime)) {
    throw new DomainError('photo_type_refused', { detected: type?.mime ?? 'unknown' });
  }
  // Decoding every pixel (the thumbnail) is what finds a damaged or truncated file; do it before storing anything.
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  let thumb: Buffer;
  try {
    // Reading the header decodes no pixels; sharp's own limit would call a pixel bomb "damaged" instead of naming it.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new DomainError('photo_type_refused', { detected: `${type.mime} (damaged)` });
  }
  // The header is read without decoding: refuse a decompression bomb before sharp allocates its pixels.
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > PHOTO_MAX_PIXELS) {
    throw new DomainError('photo_too_many_pixels', { megapixels: Math.round(pixels / 1e6), limitMegapixels: PHOTO_MAX_PIXELS / 1e6 });
  }
  try {
    thumb = await sharp(bytes, { failOn: 'truncated', limitInputPixels: PHOTO_MAX_PIXELS }).rotate().resize(320, 320, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer();
  } catch {
    throw new DomainError('photo_type_refused', { detected: `${type.mime} (damaged)` });
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  const p = photoPaths(dataDir, hash);
  await mkdir(p.dir, { recursive: true });
  // Files first, then the row: a row never points at missing bytes; orphan files are harmless and deduplicated.
  if (!existsSync(p.original)) await writeAtomically(p.original, bytes);
  if (!existsSync(p.thumb)) await writeAtomically(p.thumb, thumb);
  await inTransaction(ctx.db, async (trx) => {
    const inserted = await upsertPhoto(trx, {
      hash,
      mime: type.mime,
      size: bytes.length,
      width: meta.width ?? null,
      height: meta.height ?? null,
      uploadedBy: ctx.actor.id,
    });
    if (inserted) {
      await insertAudit(trx, {
        actorId: ctx.actor.id,
        action: 'photo.upload',
        targetType: 'photo',
        targetId: hash,
        summary: `上传照片 ${hash.slice(0, 12)}（${type.mime}，${bytes.length} 字节）`,
        ip: ctx.ip,
      });
    }
  });
  return { hash, mime: type.mime, size: bytes.length };
}

/** A photo's stored facts if the reader uploaded it or may read a case (or an event) holding it; else undefined. */
export async function readablePhoto(db: DbOrTx, hash: string, actor: Actor) {
  return findReadablePhoto(db, hash, actor.id, caseScope(actor));
}
