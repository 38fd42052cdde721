// What a reporter said with a rating (the note of the evaluate event of the case's current life): the reason a
// 不满意 case is looked at again (回头看).
import type { DbOrTx } from '../../db.js';

export async function findRatingNotes(db: DbOrTx, cases: readonly { id: number; life: number }[]): Promise<Map<number, string>> {
  if (!cases.length) return new Map();
  const rows = await db
    .selectFrom('case_events')
    .select(['case_id', 'life', 'note'])
    .where('move', '=', 'evaluate')
    .where('case_id', 'in', cases.map((c) => c.id))
    .execute();
  const life = new Map(cases.map((c) => [c.id, c.life]));
  return new Map(rows.filter((r) => r.life === life.get(r.case_id)).map((r) => [r.case_id, r.note ?? '']));
}
