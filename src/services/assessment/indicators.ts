// Indicator tables: every unit of a kind in the caller's area for a period, with each indicator's value and the
// definitions (口径) beside them.
import { DomainError } from '../../domain/errors.js';
import { indicatorsFor, indicatorValues, parsePeriod, zeroBase, type BaseCounts, type IndicatorDef, type Period, type UnitKind } from '../../domain/assessment/indicators.js';
import { listUnits, unitCounts, type UnitRef } from '../../data/repos/assessment.js';
import type { DbOrTx } from '../../data/db.js';
import { commonAreaPath, type Actor } from '../../domain/access.js';
import type { ActorContext } from '../context.js';

/** The area an assessment reader works in: everything for an administrator, the own subtree for a leader or operator. */
export function assessmentArea(actor: Actor): string | null {
  if (actor.role === 'admin') return null;
  // one subtree for a leader or operator; a grid worker's several grids: the division they share
  if ((actor.role === 'leader' || actor.role === 'operator' || actor.role === 'grid_worker') && actor.scopePaths.length) return commonAreaPath(actor.scopePaths);
  throw new DomainError('forbidden');
}

export function periodOf(key: string): Period {
  const p = parsePeriod(key);
  if (!p) throw new DomainError('assessment_period_invalid', { period: key });
  return p;
}

export interface UnitTableRow {
  unitId: number;
  code: string;
  name: string;
  counts: BaseCounts;
  values: ReturnType<typeof indicatorValues>;
}

export interface IndicatorTable {
  unit: UnitKind;
  period: Period;
  indicators: IndicatorDef[];
  rows: UnitTableRow[];
}

/** Base counts of every unit of the kind in the area (units with nothing counted get zeros). */
export async function unitTable(db: DbOrTx, unit: UnitKind, period: Period, area: string | null): Promise<{ units: UnitRef[]; rows: UnitTableRow[] }> {
  const [units, counts] = await Promise.all([listUnits(db, unit, area), unitCounts(db, unit, period.from, period.to, area)]);
  const rows = units.map((u) => {
    const c = counts.get(u.id) ?? zeroBase();
    return { unitId: u.id, code: u.code, name: u.name, counts: c, values: indicatorValues(unit, c) };
  });
  return { units, rows };
}

export async function indicatorTable(ctx: ActorContext, q: { unit: UnitKind; period: string }): Promise<IndicatorTable> {
  const area = assessmentArea(ctx.actor);
  const period = periodOf(q.period);
  const { rows } = await unitTable(ctx.db, q.unit, period, area);
  return { unit: q.unit, period, indicators: indicatorsFor(q.unit), rows };
}

const UNIT_NAMES: Record<UnitKind, string> = { grid: '网格', community: '社区/村', department: '部门', grid_worker: '网格员' };

/** The indicator table as .xlsx: the same rows and rounding as the screen, with the definitions on a second sheet. */
export async function indicatorTableXlsx(ctx: ActorContext, q: { unit: UnitKind; period: string }): Promise<Buffer> {
  const t = await indicatorTable(ctx, q);
  const { assessmentWorkbook } = await import('./xlsx.js');
  return assessmentWorkbook({ title: `${t.period.key} ${UNIT_NAMES[q.unit]}考核指标`, indicators: t.indicators, rows: t.rows, ranking: false });
}
