// Grid import: a GeoJSON FeatureCollection (up to 5000 features) checked in full against the stored divisions and
// grids, then saved in one transaction — new codes become grids, known codes new versions of their grid — or
// refused with every problem and nothing saved. Validation and dry runs share the same plan.
import type { Crs } from '../../domain/map/coordinates.js';
import { DomainError } from '../../domain/errors.js';
import type { GridGeometry } from '../../domain/grids/geometry.js';
import type { ImportedGrid } from '../../domain/grids/geojson-import.js';
import { offload } from '../offload.js';
import { aClassOverlapIssues } from './overlaps.js';
import type { ProblemParams } from '../../domain/grids/messages.js';
import { validateGridSet, type GridParent } from '../../domain/grids/validation.js';
import { inTransaction, type DbOrTx, type Tx } from '../../data/db.js';
import { insertAudit } from '../../data/repos/audit.js';
import {
  closeCurrentVersion,
  insertGridsBatch,
  insertVersions,
  listDivisionsFull,
  listGridHeads,
  listGridsFull,
  gridSetStamp,
  lockGridWrites,
  updateGridRow,
  type GridInsert,
  type GridRecord,
} from '../../data/repos/grids/grids.js';
import type { GridGeometryJson } from '../../data/schema.js';
import { invalidateGridIndex } from './lookup.js';
import { requireRole } from '../access.js';
import { GridRejected, type GridIssue } from './problems.js';
import { derivedColumns, sameGeometry } from '../../domain/grids/shapes.js';
import type { ActorContext } from '../context.js';

export const MAX_IMPORT_FEATURES = 5000;
/** Vertices per import: 5000 surveyed boundaries of ~200 vertices each; more is refused before any geometry runs. */
export const MAX_IMPORT_VERTICES = 1_000_000;

/** Positions in a GeoJSON value, counted without parsing it (arrays of two or three numbers). */
export function vertexCount(value: unknown): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      if (v.length >= 2 && typeof v[0] === 'number') n++;
      else for (const x of v) stack.push(x);
    } else if (v && typeof v === 'object') {
      for (const x of Object.values(v)) stack.push(x);
    }
    if (n > MAX_IMPORT_VERTICES) break;
  }
  return n;
}

/** Archive fields read from feature properties (English first, then the headers of hand-filled templates). */
const ARCHIVE_KEYS = {
  industry: ['industry', '行业'],
  households: ['households', '户数'],
  population: ['population', '人口'],
  enterprises: ['enterprises', '企业数'],
  notes: ['notes', '备注'],
} as const;
const NUMBER_FIELDS = ['households', 'population', 'enterprises'] as const;

interface ArchiveFields {
  industry?: string | null;
  households?: number | null;
  population?: number | null;
  enterprises?: number | null;
  notes?: string;
  /** every other property, merged into the grid's archive */
  rest: Record<string, unknown>;
}

type Action = 'create' | 'update' | 'unchanged';

interface PlanItem {
  index: number;
  grid: ImportedGrid;
  fields: ArchiveFields;
  existing: GridRecord | null;
  action: Action;
  /** name, class or boundary changed: the update makes a new version */
  versioned: boolean;
}

interface Plan {
  items: PlanItem[];
  /** the grid set as the plan saw it (gridSetStamp): the A-class overlap check holds only against that set */
  stamp: string;
  divisions: Awaited<ReturnType<typeof listDivisionsFull>>;
  grids: GridRecord[];
}

export interface ImportInput {
  crs: Crs;
  geojson: unknown;
  dryRun?: boolean;
}

export interface ImportSummary {
  dryRun: boolean;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  grids: { code: string; action: Action; id: number | null }[];
}

/** Problems of an import without saving anything: what POST /api/grids/validate answers. */
export async function validateGridImport(ctx: ActorContext, input: ImportInput) {
  requireRole(ctx.actor, ['admin']);
  const planned = await plan(ctx.db, input);
  if (!planned.ok) return { ok: false as const, issues: planned.issues, total: featureCount(input.geojson), created: 0, updated: 0, unchanged: 0 };
  return { ok: true as const, issues: [] as GridIssue[], total: planned.plan.items.length, ...counts(planned.plan.items) };
}

/** Imports, or refuses with GridRejected('grid_import_invalid') listing every problem; a dry run only counts. */
export async function importGrids(ctx: ActorContext, input: ImportInput): Promise<ImportSummary> {
  requireRole(ctx.actor, ['admin']);
  const planned = await plan(ctx.db, input);
  if (!planned.ok) throw new GridRejected('grid_import_invalid', planned.issues);
  const { items } = planned.plan;
  const c = counts(items);
  if (input.dryRun) {
    return { dryRun: true, total: items.length, ...c, grids: items.map((i) => ({ code: i.grid.code, action: i.action, id: i.existing?.id ?? null })) };
  }
  const ids = await inTransaction(ctx.db, async (trx) => {
    await lockGridWrites(trx);
    await checkUnchangedSincePlan(trx, items);
    if ((await gridSetStamp(trx)) !== planned.plan.stamp) throw new DomainError('grids_changed');
    const ids = await save(trx, ctx, planned.plan);
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'grid.import',
      targetType: 'grid',
      targetId: null,
      summary: `导入网格：新增 ${c.created} 个，更新 ${c.updated} 个，未变 ${c.unchanged} 个（坐标系 ${input.crs}）`,
      data: {
        crs: input.crs,
        total: items.length,
        ...c,
        createdCodes: items.filter((i) => i.action === 'create').slice(0, 200).map((i) => i.grid.code),
        updatedCodes: items.filter((i) => i.action === 'update').slice(0, 200).map((i) => i.grid.code),
      },
      ip: ctx.ip,
      at: ctx.now,
    });
    return ids;
  });
  // After the commit, never inside: another request rebuilding the index now must already see the new grids.
  if (c.created + c.updated > 0) invalidateGridIndex();
  return {
    dryRun: false,
    total: items.length,
    ...c,
    grids: items.map((i) => ({ code: i.grid.code, action: i.action, id: i.existing?.id ?? ids.get(i.grid.code) ?? null })),
  };
}

function counts(items: readonly PlanItem[]) {
  return {
    created: items.filter((i) => i.action === 'create').length,
    updated: items.filter((i) => i.action === 'update').length,
    unchanged: items.filter((i) => i.action === 'unchanged').length,
  };
}

function featureCount(geojson: unknown): number {
  const features = (geojson as { features?: unknown } | null)?.features;
  return Array.isArray(features) ? features.length : 0;
}

// ---- planning --------------------------------------------------------------------------------------------------

async function plan(db: DbOrTx, input: ImportInput): Promise<{ ok: true; plan: Plan } | { ok: false; issues: GridIssue[] }> {
  const tooMany = vertexCount(input.geojson);
  if (tooMany > MAX_IMPORT_VERTICES) {
    return { ok: false, issues: [{ index: null, problem: 'too_many_vertices', params: { count: tooMany, max: MAX_IMPORT_VERTICES } }] };
  }
  const stamp = await gridSetStamp(db);
  const [divisions, grids] = await Promise.all([listDivisionsFull(db), listGridsFull(db)]);
  // Retired grids stay possible parents: the halves of a split grid hang under it, and their export says so.
  const parents: GridParent[] = [
    ...divisions.map((d) => ({ code: d.code, geometry: (d.geometry as GridGeometry | null) ?? null })),
    ...grids.map((g) => ({ code: g.code, geometry: g.geometry as GridGeometry })),
  ];
  // The geometry runs in a worker thread with a time limit (src/services/offload.ts): the event loop stays free.
  const parsed = await offload('parseGridImport', [input.geojson, { crs: input.crs, parents, maxFeatures: MAX_IMPORT_FEATURES }]);
  if (!parsed.ok) {
    return {
      ok: false,
      issues: parsed.errors.map((e) => ({ index: e.index, ...(e.code !== undefined ? { gridCode: e.code } : {}), problem: e.problem, params: e.params })),
    };
  }

  const byCode = new Map(grids.map((g) => [g.code, g]));
  const byId = new Map(grids.map((g) => [g.id, g]));
  const divisionCode = new Map(divisions.map((d) => [d.id, d.code]));
  const inFile = new Set(parsed.grids.map((g) => g.code));
  const issues: GridIssue[] = [];
  const childrenOf = new Map<number, GridRecord[]>();
  for (const g of grids) if (g.parent_id != null) childrenOf.set(g.parent_id, [...(childrenOf.get(g.parent_id) ?? []), g]);
  const holders: { index: number; code: string; geometry: GridGeometry; children: { code: string; geometry: unknown }[] }[] = [];
  const items: PlanItem[] = parsed.grids.map((grid, index) => {
    const issue = (problem: GridIssue['problem'], params: ProblemParams) => issues.push({ index, gridCode: grid.code, problem, params });
    const fields = archiveFields(grid.properties, (field, value) => issue('grid_import_bad_number', { field, value }));
    const existing = byCode.get(grid.code) ?? null;
    if (!existing) return { index, grid, fields, existing, action: 'create' as const, versioned: true };
    if (existing.retired_at) issue('grid_import_retired_code', { code: grid.code });
    // A parent change would move the grid's path, and with it the scope of every user and case under it.
    const currentParent = existing.parent_id != null ? byId.get(existing.parent_id)?.code : divisionCode.get(existing.division_id);
    if (currentParent !== grid.parentCode) issue('grid_import_parent_changed', { code: grid.code, current: currentParent ?? '', parent: grid.parentCode });
    const geometryChanged = !sameGeometry(existing.geometry as GridGeometry, grid.geometry);
    if (geometryChanged) {
      // Children not in the file keep their boundaries; the new boundary must still hold them (checked below).
      const stayers = (childrenOf.get(existing.id) ?? []).filter((g) => g.retired_at == null && !inFile.has(g.code));
      if (stayers.length > 0) holders.push({ index, code: grid.code, geometry: grid.geometry, children: stayers.map((c) => ({ code: c.code, geometry: c.geometry })) });
    }
    const versioned = geometryChanged || existing.name !== grid.name || existing.grid_class !== grid.gridClass;
    const action: Action = versioned || archiveChanged(existing, grid, fields) ? 'update' : 'unchanged';
    return { index, grid, fields, existing, action, versioned };
  });
  if (holders.length > 0) {
    const outside = await offload('childrenOutsideMany', [holders.map((h) => ({ code: h.code, geometry: h.geometry, children: h.children }))]);
    outside.forEach((found, k) => {
      for (const p of found) issues.push({ index: holders[k]!.index, gridCode: holders[k]!.code, problem: 'grid_child_outside', params: p });
    });
  }
  // A-class boundaries that are new, moved or newly A-class may not overlap another A-class grid, whatever its parent.
  // Unchanged ones were checked when they came in; grids the file takes out of class A no longer count.
  if (issues.length === 0) {
    const candidates = items
      .filter((i) => i.grid.gridClass === 'A' && (i.action === 'create' || i.existing!.grid_class !== 'A' || !sameGeometry(i.existing!.geometry as GridGeometry, i.grid.geometry)))
      .map((i) => ({ index: i.index, code: i.grid.code, name: i.grid.name, parentCode: i.grid.parentCode, geometry: i.grid.geometry }));
    const leaving = new Set(items.filter((i) => i.grid.gridClass !== 'A').map((i) => i.grid.code));
    issues.push(...(await aClassOverlapIssues(db, candidates, leaving)));
  }
  if (issues.length > 0) return { ok: false, issues: issues.sort((a, b) => (a.index ?? -1) - (b.index ?? -1)) };
  return { ok: true, plan: { items, stamp, divisions, grids } };
}

function pick(props: Record<string, unknown>, keys: readonly string[]): { found: boolean; value: unknown; key?: string } {
  for (const k of keys) if (Object.prototype.hasOwnProperty.call(props, k)) return { found: true, value: props[k], key: k };
  return { found: false, value: undefined };
}

function archiveFields(props: Record<string, unknown>, bad: (field: string, value: string) => void): ArchiveFields {
  const known = new Set<string>(Object.values(ARCHIVE_KEYS).flat());
  const out: ArchiveFields = { rest: Object.fromEntries(Object.entries(props).filter(([k]) => !known.has(k))) };
  const industry = pick(props, ARCHIVE_KEYS.industry);
  if (industry.found) out.industry = industry.value == null || String(industry.value).trim() === '' ? null : String(industry.value).trim();
  const notes = pick(props, ARCHIVE_KEYS.notes);
  if (notes.found) out.notes = notes.value == null ? '' : String(notes.value);
  for (const field of NUMBER_FIELDS) {
    const got = pick(props, ARCHIVE_KEYS[field]);
    if (!got.found) continue;
    if (got.value == null || got.value === '') {
      out[field] = null;
      continue;
    }
    const n = typeof got.value === 'number' ? got.value : typeof got.value === 'string' ? Number(got.value.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 0) bad(got.key!, String(got.value));
    else out[field] = n;
  }
  return out;
}

/** JSON with sorted keys: PostgreSQL's jsonb reorders keys, so plain JSON.stringify would see changes that are not. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function mergedArchive(existing: GridRecord | null, fields: ArchiveFields): Record<string, unknown> {
  return { ...(existing?.archive ?? {}), ...fields.rest };
}

function archiveChanged(existing: GridRecord, grid: ImportedGrid, f: ArchiveFields): boolean {
  return (
    (grid.level !== undefined && grid.level !== existing.level) ||
    (f.industry !== undefined && f.industry !== existing.industry) ||
    (f.notes !== undefined && f.notes !== existing.notes) ||
    NUMBER_FIELDS.some((k) => f[k] !== undefined && f[k] !== existing[k]) ||
    canonical(mergedArchive(existing, f)) !== canonical(existing.archive ?? {})
  );
}

// ---- saving ----------------------------------------------------------------------------------------------------

/** Refuses when a grid the plan relied on changed (or a new code appeared) between planning and saving. */
async function checkUnchangedSincePlan(trx: Tx, items: readonly PlanItem[]): Promise<void> {
  const now = new Map((await listGridHeads(trx)).map((g) => [g.code, g]));
  for (const i of items) {
    const stored = now.get(i.grid.code);
    const same = i.existing ? stored && stored.version === i.existing.version && stored.updated_at.getTime() === i.existing.updated_at.getTime() : !stored;
    if (!same) throw new DomainError('grid_version_conflict', { code: i.grid.code });
  }
}

async function save(trx: Tx, ctx: ActorContext, p: Plan): Promise<Map<string, number>> {
  const { actor, now } = ctx;
  const divisionByCode = new Map(p.divisions.map((d) => [d.code, d]));
  const stored = new Map(p.grids.map((g) => [g.code, { id: g.id, path: g.path, level: g.level, divisionId: g.division_id }]));
  const created = new Map<string, number>();

  // New grids go in by depth, so a parent from the same file already has its id and path when its children do.
  let pending = p.items.filter((i) => i.action === 'create');
  while (pending.length > 0) {
    const ready = pending.filter((i) => stored.has(i.grid.parentCode) || divisionByCode.has(i.grid.parentCode));
    if (ready.length === 0) throw new Error('grid import: parents form a cycle'); // validateGridSet rules this out
    const rows = ready.map((i) => {
      const parentGrid = stored.get(i.grid.parentCode);
      const division = parentGrid ? null : divisionByCode.get(i.grid.parentCode)!;
      const grid: GridInsert = {
        code: i.grid.code,
        name: i.grid.name,
        grid_class: i.grid.gridClass,
        division_id: parentGrid ? parentGrid.divisionId : division!.id,
        parent_id: parentGrid ? parentGrid.id : null,
        level: i.grid.level ?? (parentGrid ? parentGrid.level + 1 : 1),
        industry: i.fields.industry ?? null,
        households: i.fields.households ?? null,
        population: i.fields.population ?? null,
        enterprises: i.fields.enterprises ?? null,
        notes: i.fields.notes ?? '',
        archive: JSON.stringify(mergedArchive(null, i.fields)),
        created_at: now,
        updated_at: now,
        ...derivedColumns(i.grid.geometry),
      };
      return { grid, parentPath: parentGrid ? parentGrid.path : division!.path };
    });
    const inserted = await insertGridsBatch(trx, rows);
    await insertVersions(
      trx,
      ready.map((i, k) => ({
        gridId: inserted[k]!.id,
        version: 1,
        code: i.grid.code,
        name: i.grid.name,
        gridClass: i.grid.gridClass,
        geometry: i.grid.geometry as GridGeometryJson,
        validFrom: now,
        changedBy: actor.id,
        change: 'import',
      })),
    );
    ready.forEach((i, k) => {
      const row = rows[k]!.grid;
      stored.set(i.grid.code, { id: inserted[k]!.id, path: inserted[k]!.path, level: row.level as number, divisionId: row.division_id });
      created.set(i.grid.code, inserted[k]!.id);
    });
    const done = new Set(ready);
    pending = pending.filter((i) => !done.has(i));
  }

  for (const i of p.items) {
    if (i.action !== 'update') continue;
    const g = i.existing!;
    const version = i.versioned ? g.version + 1 : g.version;
    if (i.versioned) await closeCurrentVersion(trx, g, now);
    const geometryChanged = !sameGeometry(g.geometry as GridGeometry, i.grid.geometry);
    await updateGridRow(trx, g.id, {
      name: i.grid.name,
      grid_class: i.grid.gridClass,
      version,
      updated_at: now,
      ...(i.grid.level !== undefined ? { level: i.grid.level } : {}),
      ...(i.fields.industry !== undefined ? { industry: i.fields.industry } : {}),
      ...(i.fields.notes !== undefined ? { notes: i.fields.notes } : {}),
      ...(i.fields.households !== undefined ? { households: i.fields.households } : {}),
      ...(i.fields.population !== undefined ? { population: i.fields.population } : {}),
      ...(i.fields.enterprises !== undefined ? { enterprises: i.fields.enterprises } : {}),
      archive: JSON.stringify(mergedArchive(g, i.fields)),
      // An unchanged boundary keeps its stored coordinates: a datum round trip must not drift them by millimetres.
      ...(geometryChanged ? derivedColumns(i.grid.geometry) : {}),
    });
    if (i.versioned) {
      await insertVersions(trx, [
        {
          gridId: g.id,
          version,
          code: g.code,
          name: i.grid.name,
          gridClass: i.grid.gridClass,
          geometry: (geometryChanged ? i.grid.geometry : g.geometry) as GridGeometryJson,
          validFrom: now,
          changedBy: actor.id,
          change: 'import',
        },
      ]);
    }
  }
  return created;
}
