// The enterprise's signed receipt (送达回执) of a rectification notice: a photo of the signed paper or a scanned PDF.
// A photo goes through the photo pipeline (src/services/photos.ts: type sniffed from the bytes, size and pixel
// limits, decoded for a thumbnail); a PDF is sniffed the same way (file-type), size-limited, checked to be whole
// (%%EOF near its end) and stored once by content hash under DATA_DIR/documents. Then the record_receipt move
// records it on the hazard's notice (who, when, which file) through the lifecycle runner, audited.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { DomainError } from '../../domain/errors.js';
import { findHazardInScope } from '../../data/repos/hazards.js';
import type { HazardDetail } from '../../shared/hazards-api.js';
import { caseScope } from '../access.js';
import type { ActorContext } from '../context.js';
import { photoPaths, PHOTO_MAX_BYTES, storePhoto } from '../photos.js';
import { moveHazard, type StoredReceipt } from './hazards.js';

export const RECEIPT_MAX_BYTES = PHOTO_MAX_BYTES;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

export function documentPath(dataDir: string, hash: string): { dir: string; file: string } {
  const dir = path.join(dataDir, 'documents', hash.slice(0, 2));
  return { dir, file: path.join(dir, hash) };
}

/** Where the bytes of a stored receipt live: photos with the photos, PDFs with the documents. */
export function receiptFilePath(dataDir: string, hash: string, mime: string | null): string {
  return mime && PHOTO_TYPES.has(mime) ? photoPaths(dataDir, hash).original : documentPath(dataDir, hash).file;
}

/** Checks and stores the bytes of a signed receipt; answers its hash and type. Nothing is stored on refusal. */
export async function storeReceiptFile(ctx: ActorContext, dataDir: string, bytes: Buffer): Promise<StoredReceipt> {
  if (bytes.length === 0) throw new DomainError('photo_empty');
  if (bytes.length > RECEIPT_MAX_BYTES) throw new DomainError('photo_too_large', { limitMb: RECEIPT_MAX_BYTES / 1024 / 1024 });
  const type = await fileTypeFromBuffer(bytes);
  if (type && PHOTO_TYPES.has(type.mime)) {
    const p = await storePhoto(ctx, dataDir, bytes);
    return { hash: p.hash, mime: p.mime };
  }
  if (type?.mime !== 'application/pdf') throw new DomainError('receipt_type_refused', { detected: type?.mime ?? 'unknown' });
  // A PDF ends with %%EOF (followed at most by a line end and padding): a truncated upload does not.
  if (!bytes.subarray(Math.max(0, bytes.length - 1024)).includes('%%EOF')) throw new DomainError('receipt_type_refused', { detected: 'application/pdf (damaged)' });
  const hash = createHash('sha256').update(bytes).digest('hex');
  const p = documentPath(dataDir, hash);
  await mkdir(p.dir, { recursive: true });
  if (!existsSync(p.file)) {
    const tmp = `${p.file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, p.file);
  }
  return { hash, mime: 'application/pdf' };
}

/** Uploads the signed receipt and records it on the hazard's notice (the record_receipt move). */
export async function recordReceiptUpload(ctx: ActorContext, dataDir: string, id: number, input: { version: number; note?: string | undefined }, bytes: Buffer): Promise<HazardDetail> {
  // Refuse what the move would refuse before storing the file: out of scope is not found.
  if (!(await findHazardInScope(ctx.db, id, caseScope(ctx.actor)))) throw new DomainError('not_found');
  const receipt = await storeReceiptFile(ctx, dataDir, bytes);
  return moveHazard(ctx, id, 'record_receipt', { version: input.version, note: input.note, photos: receipt.mime === 'application/pdf' ? [] : [receipt.hash] }, { receipt });
}

/** The stored receipt of a hazard in the reader's scope: where its bytes are, its type and a file name. */
export async function hazardReceiptFile(ctx: ActorContext, dataDir: string, id: number): Promise<{ file: string; mime: string; filename: string }> {
  const h = await findHazardInScope(ctx.db, id, caseScope(ctx.actor));
  if (!h || !h.receipt_file) throw new DomainError('not_found');
  const file = receiptFilePath(dataDir, h.receipt_file, h.receipt_mime);
  if (!existsSync(file)) throw new DomainError('not_found');
  const mime = h.receipt_mime ?? 'application/octet-stream';
  const ext = mime === 'application/pdf' ? 'pdf' : mime === 'image/png' ? 'png' : mime === 'image/webp' ? 'webp' : 'jpg';
  return { file, mime, filename: `签收回执-${h.number}.${ext}` };
}
