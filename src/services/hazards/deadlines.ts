// Yellow and red for rectification deadlines, by the deadline sweeper (src/services/cases/sweeper.ts): each pass takes a
// capped batch of hazards under a notice whose warning instant or deadline has passed and was not yet notified,
// locks them with SKIP LOCKED (two server processes never take the same hazard), tells the issuer and the area's
// people (src/domain/hazards/deadlines.ts), records the level reached — in one transaction with an audit record.
// Notices carry a dedupe key naming the deadline, so an extension starts a new series and a race sends nothing twice.
import { hazardDeadlineAudience, HAZARD_WARNING_LABELS, hazardWarningAt, HAZARD_WARNING_LEVEL } from '../../domain/hazards/deadlines.js';
import type { Db } from '../../data/db.js';
import { insertAudit } from '../../data/repos/audit.js';
import { lockHazardsPastDeadlines, setHazardNotifiedLevel } from '../../data/repos/hazard-work.js';
import { announce, notify, type Recipients } from '../notify.js';

export const HAZARD_SWEEP_BATCH = 100;
const ACTION = ['', 'hazard.deadline_warning', 'hazard.deadline_overdue'] as const;

export async function sweepHazardDeadlines(db: Db, now: Date, maxBatches = 20): Promise<{ hazards: number; notices: number }> {
  let hazards = 0;
  let notices = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const { taken, told } = await db.transaction().execute(async (trx) => {
      const due = await lockHazardsPastDeadlines(trx, now, HAZARD_SWEEP_BATCH);
      const userIds: number[] = [];
      for (const h of due) {
        const level = HAZARD_WARNING_LEVEL[hazardWarningAt(now, h)];
        if (level <= h.notified_level) continue;
        for (let l = (h.notified_level + 1) as 1 | 2; l <= level; l = (l + 1) as 1 | 2) {
          const who = hazardDeadlineAudience(l, h.grade);
          const to: Recipients[] = [
            ...(who.issuer && h.notice_issued_by != null ? [{ kind: 'user' as const, userId: h.notice_issued_by }] : []),
            ...who.roles.map((role) => ({ kind: 'area_role' as const, role, areaPath: h.area_path })),
          ];
          const notice = {
            to,
            kind: l === 1 ? ('warning' as const) : ('overdue' as const),
            row: null,
            hazardId: h.id,
            title: { code: l === 1 ? ('notice_hazard_due_soon' as const) : ('notice_hazard_overdue' as const), params: { number: h.number } },
            body: { code: 'notice_hazard_deadline_body' as const, params: { notice: h.notice_number ?? '', deadline: h.deadline!.toISOString().slice(0, 10) } },
            dedupeKey: `hazard-deadline:${h.id}:${h.deadline!.toISOString()}:${l}`,
          };
          userIds.push(...(await notify(trx, [notice], now)));
          notices++;
        }
        await setHazardNotifiedLevel(trx, h.id, level);
        await insertAudit(trx, {
          actorId: null,
          action: ACTION[level]!,
          targetType: 'hazard',
          targetId: h.id,
          summary: `隐患 ${h.number} ${HAZARD_WARNING_LABELS[level === 1 ? 'yellow' : 'red']}`,
          data: { deadline: h.deadline!.toISOString(), level, previous: h.notified_level, noticeNumber: h.notice_number },
          ip: null,
          at: now,
        });
      }
      return { taken: due.length, told: userIds };
    });
    announce([...new Set(told)]);
    hazards += taken;
    if (taken < HAZARD_SWEEP_BATCH) break;
  }
  return { hazards, notices };
}
