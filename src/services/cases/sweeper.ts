// The deadline sweeper: turns colours into notices. Each pass takes a capped batch of open cases whose next
// threshold (warning, overdue, escalation) has passed and was not yet notified, locks them with SKIP LOCKED
// (so two server processes never take the same case), notifies, and records the level reached — in one
// transaction with an audit record. Notices carry a dedupe key, so a notice exists at most once per user and
// threshold even if two sweeps ever raced. State lives in the database: a restart resumes where it stopped.
import { systemClock, type Clock } from '../../clock.js';
import { thresholdLevelAt } from '../../domain/cases/time-limits.js';
import type { Db } from '../../data/db.js';
import { insertAudit } from '../../data/repos/audit.js';
import { announce, notify, type Notice } from '../notify.js';
import { lockCasesPastThresholds, setNotifiedLevel } from '../../data/repos/cases/cases.js';
import { sweepHazardDeadlines } from '../hazards/deadlines.js';

export const SWEEP_BATCH = 100;

const LEVEL_ACTION = ['', 'case.deadline_warning', 'case.deadline_overdue', 'case.deadline_escalated'] as const;
const LEVEL_TEXT = ['', '即将超期（预警）', '已超期', '超期未办，已上报领导'] as const;
const LEVEL_NOTICE = [null, 'notice_deadline_warning', 'notice_deadline_overdue', 'notice_deadline_escalated'] as const;

export async function sweepDeadlines(db: Db, now: Date, maxBatches = 20): Promise<{ cases: number; notices: number }> {
  let cases = 0;
  let notices = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const { taken, told } = await db.transaction().execute(async (trx) => {
      const due = await lockCasesPastThresholds(trx, now, SWEEP_BATCH);
      const userIds: number[] = [];
      for (const row of due) {
        const level = thresholdLevelAt(now, { warnAt: row.warn_at!, dueAt: row.due_at!, escalateAt: row.escalate_at! });
        if (level <= row.notified_level) continue;
        const list: Notice[] = [];
        const handler = row.department_id != null && row.clock_kind !== 'verify' ? [{ kind: 'department' as const, departmentId: row.department_id }] : [];
        const verifier = row.clock_kind === 'verify' ? [{ kind: 'area_role' as const, role: 'grid_worker' as const, areaPath: row.area_path }] : [];
        const operator = { kind: 'area_role' as const, role: 'operator' as const, areaPath: row.area_path };
        const leader = { kind: 'area_role' as const, role: 'leader' as const, areaPath: row.area_path };
        // The key names the clock it belongs to: a new deadline (extension, rework, reopening) starts a new series.
        const key = (l: number) => `deadline:${row.id}:${row.life}:${row.clock_kind}:${row.due_at!.toISOString()}:${l}`;
        for (let l = row.notified_level + 1; l <= level; l++) {
          const to = l === 1 ? [...handler, ...verifier] : l === 2 ? [...handler, ...verifier, operator] : [leader, operator];
          list.push({ to, kind: l === 1 ? 'warning' : l === 2 ? 'overdue' : 'escalated', row, title: { code: LEVEL_NOTICE[l]!, params: { number: row.number } }, dedupeKey: key(l) });
        }
        userIds.push(...(await notify(trx, list, now)));
        await setNotifiedLevel(trx, row.id, level);
        await insertAudit(trx, {
          actorId: null,
          action: LEVEL_ACTION[level],
          targetType: 'case',
          targetId: row.id,
          summary: `案件 ${row.number} ${LEVEL_TEXT[level]}`,
          data: { clock: row.clock_kind, dueAt: row.due_at!.toISOString(), level, previous: row.notified_level },
          ip: null,
          at: now,
        });
        notices += list.length;
      }
      return { taken: due.length, told: userIds };
    });
    announce(told);
    cases += taken;
    if (taken < SWEEP_BATCH) break;
  }
  return { cases, notices };
}

/** Runs the sweep every `intervalMs` until stopped; a failed pass is logged and retried on the next tick. */
export function startSweeper(db: Db, intervalMs: number, log: { error: (o: object, m: string) => void }, clock: Clock = systemClock): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const now = clock.now();
    // cases, then hazards under a rectification notice (src/services/hazards/deadlines.ts), on the same tick
    running = sweepDeadlines(db, now)
      .catch((err) => log.error({ err }, 'deadline sweep failed'))
      .then(() => sweepHazardDeadlines(db, now))
      .catch((err) => log.error({ err }, 'hazard deadline sweep failed'));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

