// The hazard ledgers (台账): 隐患排查台账 and 隐患整改台账 as live lists and as .xlsx exports, both from one query
// under one filter, so the exported count equals the list's total (src/domain/hazards/ledgers.ts defines the rows).
import type { Writable } from 'node:stream';
import { DomainError } from '../../domain/errors.js';
import { LEDGERS, periodLabel, type HazardLedgerKind } from '../../domain/hazards/ledgers.js';
import { countHazards, firstStreetName, hazardLedgerPage, listHazards, streetNameOf, type HazardFilter } from '../../data/repos/hazards.js';
import type { LedgerList, LedgerQuery } from '../../shared/hazards-api.js';
import { caseScope } from '../access.js';
import { commonAreaPath } from '../../domain/access.js';
import type { ActorContext } from '../context.js';
import { writeLedgerXlsx } from './ledger-xlsx.js';

const PAGE = 2000;

/** Beijing midnight of a date; `to` is inclusive, so the filter runs to the next midnight. */
function filterOf(kind: HazardLedgerKind, q: Omit<LedgerQuery, 'page' | 'pageSize'>): HazardFilter {
  const from = q.from ? new Date(`${q.from}T00:00:00+08:00`) : undefined;
  const to = q.to ? new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined;
  if (from && to && (from >= to || to.getTime() - from.getTime() > 3 * 366 * 86_400_000)) throw new DomainError('ledger_period_invalid');
  return { from, to, grade: q.grade, state: q.state ? [q.state] : undefined, withNotice: kind === 'rectification', handedOver: kind === 'handover' };
}

async function unitOf(ctx: ActorContext): Promise<string> {
  const path = commonAreaPath(ctx.actor.scopePaths);
  return (path ? await streetNameOf(ctx.db, path) : null) ?? (await firstStreetName(ctx.db)) ?? '';
}

export async function ledgerList(ctx: ActorContext, kind: HazardLedgerKind, q: LedgerQuery): Promise<LedgerList> {
  const def = LEDGERS[kind];
  const filter = filterOf(kind, q);
  const { items, total } = await listHazards(ctx.db, caseScope(ctx.actor), filter, { offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
  return { kind, title: def.title, period: periodLabel(q.from, q.to), columns: def.columns, rows: items.map(def.row), total };
}

/** Streams the ledger under the same filter as the list to `out`; answers the row count. */
export async function exportLedger(ctx: ActorContext, kind: HazardLedgerKind, q: Omit<LedgerQuery, 'page' | 'pageSize'>, out: Writable): Promise<number> {
  const def = LEDGERS[kind];
  const filter = filterOf(kind, q);
  const scope = caseScope(ctx.actor);
  const db = ctx.db;
  async function* rows() {
    let after = 0;
    for (;;) {
      const page = await hazardLedgerPage(db, scope, filter, after, PAGE);
      for (const h of page) yield def.row(h);
      if (page.length < PAGE) return;
      after = page[page.length - 1]!.id;
    }
  }
  return writeLedgerXlsx(out, { title: def.title, unit: await unitOf(ctx), period: periodLabel(q.from, q.to), columns: def.columns, widths: def.widths, rows: rows() });
}

export async function ledgerTotal(ctx: ActorContext, kind: HazardLedgerKind, q: Omit<LedgerQuery, 'page' | 'pageSize'>): Promise<number> {
  return countHazards(ctx.db, caseScope(ctx.actor), filterOf(kind, q));
}
