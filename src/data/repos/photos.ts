// Photo metadata; the bytes live under DATA_DIR/photos, named by their content hash.
import { sql } from 'kysely';
import type { Scope } from '../../domain/access.js';
import type { DbOrTx } from '../db.js';
import { scopeWhere } from './cases/cases.js';

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

/**
 * A photo the actor may see: one they uploaded themselves (a report or move not sent yet shows its own photos), or
 * one held by a case — on the case or on one of its events — that the actor's scope reads. Patrols hold no photos
 * yet; an object that comes to hold photos adds its own branch here.
 */
export async function findReadablePhoto(db: DbOrTx, hash: string, actorId: number, scope: Scope) {
  const held = JSON.stringify([hash]);
  return db
    .selectFrom('photos')
    .selectAll()
    .where('hash', '=', hash)
    .where((eb) =>
      eb.or([
        eb('photos.uploaded_by', '=', actorId),
        eb.exists(eb.selectFrom('cases').select(eb.lit(1).as('one')).where(sql<boolean>`cases.photos @> ${held}::jsonb`).where(scopeWhere(scope))),
        eb.exists(
          eb
            .selectFrom('case_events')
            .innerJoin('cases', 'cases.id', 'case_events.case_id')
            .select(eb.lit(1).as('one'))
            .where(sql<boolean>`case_events.photos @> ${held}::jsonb`)
            .where(scopeWhere(scope)),
        ),
      ]),
    )
    .executeTakeFirst();
}
