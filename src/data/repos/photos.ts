// Photo metadata; the bytes live under DATA_DIR/photos, named by their content hash.
import type { DbOrTx } from '../db.js';

export async function upsertPhoto(
  db: DbOrTx,
  p: { hash: string; mime: string; size: number; width: number | null; height: number | null; uploadedBy: number },
): Promise<boolean> {
  const r = await db
    .insertInto('photos')
    .values({ hash: p.hash, mime: p.mime, size: p.size, width: p.width, height: p.height, uploaded_by: p.uploadedBy })
    .onConflict((oc) => oc.column('hash').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findPhotos(db: DbOrTx, hashes: readonly string[]) {
  if (hashes.length === 0) return [];
  return db.selectFrom('photos').selectAll().where('hash', 'in', hashes).execute();
}

export async function findPhoto(db: DbOrTx, hash: string) {
  return db.selectFrom('photos').selectAll().where('hash', '=', hash).executeTakeFirst();
}
