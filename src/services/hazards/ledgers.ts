// The five ledgers (台账): 隐患排查台账, 隐患整改台账 and 移交执法台账 (rows are hazards), 行业监管台账 and 不放心企业台账
// (rows are enterprises), as live lists and as .xlsx exports, each list and its export from one query under one
// filter, so the exported count equals the list's total (src/domain/hazards/ledgers.ts defines the rows).
import type { Writable } from 'node:stream';
import { DomainError } from '../../domain/errors.js';
import { ENTERPRISE_LEDGERS, isEnterpriseLedger, LEDGERS, periodLabel, type AnyLedgerKind, type EnterpriseLedgerKind, type HazardLedgerKind } from '../../domain/hazards/ledgers.js';
import { hazardWarningAt } from '../../domain/hazards/deadlines.js';
import { countHazards, firstStreetName, hazardLedgerPage, listHazards, streetNameOf, type HazardFilter } from '../../data/repos/hazards.js';
import { countEnterpriseLedger, enterpriseLedgerRows, type EnterpriseLedgerFilter } from '../../data/repos/hazard-work.js';
import type { LedgerList, LedgerQuery } from '../../shared/hazards-api.js';
import { caseScope } from '../access.js';
import { commonAreaPath } from '../../domain/access.js';
import type { ActorContext } from '../context.js';
import { writeLedgerXlsx } from './ledger-xlsx.js';

/**
 * Rows read per keyset page by an export. Small enough that one page of hazards (pg materialises each result in
 * full, with the joined columns) stays a few MB; large enough that the round trips do not dominate.
 */
export const EXPORT_PAGE = 1000;

type Filterable = Omit<LedgerQuery, 'page' | 'pageSize'>;

/** Beijing midnight of a date; `to` is inclusive, so the filter runs to the next midnight. */
function periodOf(q: Filterable): { from: Date | undefined; to: Date | undefined } {
  const from = q.from ? new Date(`${q.from}T00:00:00+08:00`) : undefined;
  const to = q.to ? new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined;
  if (from && to && (from >= to || to.getTime() - from.getTime() > 3 * 366 * 86_400_000)) throw new DomainError('ledger_period_invalid');
  return { from, to };
}

function filterOf(kind: HazardLedgerKind, q: Filterable): HazardFilter {
  const { from, to } = periodOf(q);
  return { from, to, grade: q.grade, state: q.state ? [q.state] : undefined, withNotice: kind === 'rectification', handedOver: kind === 'handover' };
}

function enterpriseFilterOf(kind: EnterpriseLedgerKind, q: Filterable): EnterpriseLedgerFilter {
  const { from, to } = periodOf(q);
  return { from, to, fromDate: q.from, toDate: q.to, industry: q.industry, watch: kind === 'watch' };
}

async function unitOf(ctx: ActorContext): Promise<string> {
  const path = commonAreaPath(ctx.actor.scopePaths);
  return (path ? await streetNameOf(ctx.db, path) : null) ?? (await firstStreetName(ctx.db)) ?? '';
}

export async function ledgerList(ctx: ActorContext, kind: AnyLedgerKind, q: LedgerQuery): Promise<LedgerList> {
  const scope = caseScope(ctx.actor);
  if (isEnterpriseLedger(kind)) {
    const def = ENTERPRISE_LEDGERS[kind];
    const f = enterpriseFilterOf(kind, q);
    const [rows, total] = await Promise.all([enterpriseLedgerRows(ctx.db, scope, f, { offset: (q.page - 1) * q.pageSize, limit: q.pageSize }), countEnterpriseLedger(ctx.db, scope, f)]);
    return { kind, title: def.title, period: periodLabel(q.from, q.to), columns: def.columns, rows: rows.map(def.row), total };
  }
  const def = LEDGERS[kind];
  const filter = filterOf(kind, q);
  const { items, total } = await listHazards(ctx.db, scope, filter, { offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
  return { kind, title: def.title, period: periodLabel(q.from, q.to), columns: def.columns, rows: items.map((h) => def.row({ ...h, warning: hazardWarningAt(ctx.now, h) })), total };
}

/** Streams the ledger under the same filter as the list to `out`; answers the row count. */
export async function exportLedger(ctx: ActorContext, kind: AnyLedgerKind, q: Filterable, out: Writable): Promise<number> {
  const scope = caseScope(ctx.actor);
  const db = ctx.db;
  const now = ctx.now;
  const sheet = { unit: await unitOf(ctx), period: periodLabel(q.from, q.to) };
  if (isEnterpriseLedger(kind)) {
    const def = ENTERPRISE_LEDGERS[kind];
    const f = enterpriseFilterOf(kind, q);
    async function* rows() {
      let after: [string, number] | undefined;
      for (;;) {
        const page = await enterpriseLedgerRows(db, scope, f, { after, limit: EXPORT_PAGE });
        for (const e of page) yield def.row(e);
        if (page.length < EXPORT_PAGE) return;
        const last = page[page.length - 1]!;
        after = [last.industry_key, last.id];
      }
    }
    return writeLedgerXlsx(out, { title: def.title, columns: def.columns, widths: def.widths, rows: rows(), ...sheet });
  }
  const def = LEDGERS[kind];
  const filter = filterOf(kind, q);
  async function* rows() {
    let after = 0;
    for (;;) {
      const page = await hazardLedgerPage(db, scope, filter, after, EXPORT_PAGE);
      const last = page.length ? page[page.length - 1]!.id : 0;
      // Turn the page into rows and drop it before the next read: only one page of hazards is alive at a time.
      const cells = page.map((h) => def.row({ ...h, warning: hazardWarningAt(now, h) }));
      page.length = 0;
      yield* cells;
      if (cells.length < EXPORT_PAGE) return;
      after = last;
    }
  }
  return writeLedgerXlsx(out, { title: def.title, columns: def.columns, widths: def.widths, rows: rows(), ...sheet });
}

export async function ledgerTotal(ctx: ActorContext, kind: AnyLedgerKind, q: Filterable): Promise<number> {
  const scope = caseScope(ctx.actor);
  if (isEnterpriseLedger(kind)) return countEnterpriseLedger(ctx.db, scope, enterpriseFilterOf(kind, q));
  return countHazards(ctx.db, scope, filterOf(kind, q));
}
