// Editing one grid: its name, class, industry, archive and boundary (a new version when name, class or boundary
// change), splitting it in two, retiring it. Each change is one transaction with its audit row; cases are never
// touched, so past cases keep the grid and grid version they were routed to.
import type { Polygon, Position } from 'geojson';
import { DomainError } from '../../domain/errors.js';
import type { GridGeometry } from '../../domain/grids/geometry.js';
import { MAX_CODE_LENGTH } from '../../domain/grids/geojson-import.js';
import { inTransaction, type DbOrTx, type Tx } from '../../data/db.js';
import { insertAudit } from '../../data/repos/audit.js';
import {
  closeCurrentVersion,
  codesWithPrefix,
  findDivision,
  findGrid,
  gridSetStamp,
  insertGridsBatch,
  insertVersions,
  listChildGrids,
  lockGridWrites,
  updateGridRow,
  type GridRecord,
} from '../../data/repos/grids/grids.js';
import type { GridGeometryJson } from '../../data/schema.js';
import type { GridSplitInput, GridUpdateInput } from '../../shared/grids-api.js';
import { requireRole } from '../access.js';
import { invalidateGridIndex } from './lookup.js';
import { canonical, MAX_IMPORT_VERTICES, vertexCount } from './import.js';
import { aClassOverlapIssues } from './overlaps.js';
import { offload } from '../offload.js';
import { GridRejected } from './problems.js';
import { derivedColumns } from '../../domain/grids/shapes.js';
import type { ActorContext } from '../context.js';

/** Loads a grid for a change, locked, and refuses retired grids and stale versions. */
async function lockedGrid(trx: Tx, id: number, seenVersion: number | undefined): Promise<GridRecord> {
  await lockGridWrites(trx);
  const grid = await findGrid(trx, id, { forUpdate: true });
  if (!grid) throw new DomainError('not_found');
  if (grid.retired_at) throw new DomainError('grid_retired', { code: grid.code });
  if (seenVersion !== undefined && seenVersion !== grid.version) throw new DomainError('grid_version_conflict', { code: grid.code });
  return grid;
}

async function activeChildren(trx: Tx, grid: GridRecord) {
  return (await listChildGrids(trx, grid.id)).filter((c) => c.retired_at == null);
}

/** The boundary a grid must lie in: its parent grid's, else its division's (none when nobody drew it yet). */
async function parentBoundary(trx: DbOrTx, grid: GridRecord): Promise<{ code: string; geometry: GridGeometry | null }> {
  if (grid.parent_id != null) {
    const parent = await findGrid(trx, grid.parent_id);
    return { code: parent!.code, geometry: parent!.geometry as GridGeometry };
  }
  const division = await findDivision(trx, grid.division_id);
  return { code: division!.code, geometry: (division!.geometry as GridGeometry | null) ?? null };
}

/** A boundary over the import's vertex cap is refused before any geometry runs. */
function tooManyVertices(code: string, value: unknown, refusal: 'grid_geometry_invalid' | 'grid_split_invalid'): void {
  const count = vertexCount(value);
  if (count > MAX_IMPORT_VERTICES) {
    throw new GridRejected(refusal, [{ index: null, gridCode: code, problem: 'too_many_vertices', params: { count, max: MAX_IMPORT_VERTICES } }]);
  }
}

/** The stored row a check was made against is still the row being changed. */
function sameRow(now: GridRecord, seen: GridRecord): boolean {
  return now.version === seen.version && now.updated_at.getTime() === seen.updated_at.getTime() && now.grid_class === seen.grid_class;
}

/**
 * A new boundary checked (structure, parent, children, and, for an A-class grid, overlaps with every other A-class
 * grid whatever its parent) in a worker thread, or refused with every problem. Also checks a change into class A.
 * Undefined when the edit changes neither boundary nor class into A; geometry null when the boundary is the same.
 */
async function checkedBoundary(ctx: ActorContext, id: number, input: GridUpdateInput): Promise<{ seen: GridRecord; stamp: string | null; geometry: GridGeometry | null } | undefined> {
  const becomesA = input.gridClass === 'A';
  if (!input.geometry && !becomesA) return undefined;
  const stamp = await gridSetStamp(ctx.db);
  const grid = await findGrid(ctx.db, id);
  if (!grid) throw new DomainError('not_found');
  if (grid.retired_at) throw new DomainError('grid_retired', { code: grid.code });
  if (input.version !== undefined && input.version !== grid.version) throw new DomainError('grid_version_conflict', { code: grid.code });
  let geometry: GridGeometry | null = null;
  if (input.geometry) {
    tooManyVertices(grid.code, input.geometry, 'grid_geometry_invalid');
    const parent = await parentBoundary(ctx.db, grid);
    const children = (await listChildGrids(ctx.db, grid.id)).filter((c) => c.retired_at == null);
    const answer = await offload('checkBoundaryEdit', [
      { code: grid.code, current: grid.geometry as GridGeometry, geometry: input.geometry, crs: input.crs, parent: parent.geometry ? parent : null, children: children.map((c) => ({ code: c.code, geometry: c.geometry })) },
    ]);
    if (!answer.ok) throw new GridRejected('grid_geometry_invalid', answer.problems);
    geometry = answer.geometry;
  }
  const classAfter = input.gridClass ?? grid.grid_class;
  const intoA = classAfter === 'A' && grid.grid_class !== 'A';
  // Nothing geometric changes (the same boundary sent back, a class A grid "made" A): nothing to hold against others.
  if (!geometry && !intoA) return { seen: grid, stamp: null, geometry: null };
  if (classAfter === 'A') {
    const parentCode = (await parentBoundary(ctx.db, grid)).code;
    const overlaps = await aClassOverlapIssues(ctx.db, [{ index: null, code: grid.code, name: input.name ?? grid.name, parentCode, geometry: geometry ?? (grid.geometry as GridGeometry) }]);
    if (overlaps.length > 0) throw new GridRejected('grid_geometry_invalid', overlaps);
  }
  return { seen: grid, stamp, geometry };
}

// ---- update ----------------------------------------------------------------------------------------------------

export async function updateGrid(ctx: ActorContext, id: number, input: GridUpdateInput): Promise<{ changed: string[]; version: number }> {
  requireRole(ctx.actor, ['admin']);
  const { actor, now } = ctx;
  // The geometry runs first, outside the transaction and in a worker thread (a boundary may carry a million
  // vertices): nothing is locked meanwhile, and the transaction below refuses if the grid changed since.
  const checked = await checkedBoundary(ctx, id, input);
  const result = await inTransaction(ctx.db, async (trx) => {
    const grid = await lockedGrid(trx, id, input.version);
    if (checked && !sameRow(grid, checked.seen)) throw new DomainError('grid_version_conflict', { code: grid.code });
    // Another grid written since the check (a neighbour moved into this boundary, say) makes the check stale.
    if (checked?.stamp && (await gridSetStamp(trx)) !== checked.stamp) throw new DomainError('grids_changed');
    const geometry = checked?.geometry ?? null;

    const changed: string[] = [];
    const set: Parameters<typeof updateGridRow>[2] = {};
    const differs = <K extends keyof GridRecord>(key: K, value: GridRecord[K] | undefined, label: string) => {
      if (value === undefined || value === grid[key]) return;
      (set as Record<string, unknown>)[key] = value;
      changed.push(label);
    };
    differs('name', input.name, 'name');
    differs('grid_class', input.gridClass, 'gridClass');
    differs('industry', input.industry, 'industry');
    differs('households', input.households, 'households');
    differs('population', input.population, 'population');
    differs('enterprises', input.enterprises, 'enterprises');
    differs('notes', input.notes, 'notes');
    if (input.archive !== undefined && canonical(input.archive) !== canonical(grid.archive ?? {})) {
      set.archive = JSON.stringify(input.archive);
      changed.push('archive');
    }
    if (geometry) {
      Object.assign(set, derivedColumns(geometry));
      changed.push('geometry');
    }
    if (changed.length === 0) return { changed, version: grid.version, versioned: false };

    // Name, class and boundary are what a case was routed by: a change to any of them is a new version.
    const versioned = changed.some((c) => c === 'name' || c === 'gridClass' || c === 'geometry');
    const version = versioned ? grid.version + 1 : grid.version;
    if (versioned) await closeCurrentVersion(trx, grid, now);
    await updateGridRow(trx, grid.id, { ...set, version, updated_at: now });
    if (versioned) {
      await insertVersions(trx, [
        {
          gridId: grid.id,
          version,
          code: grid.code,
          name: input.name ?? grid.name,
          gridClass: input.gridClass ?? grid.grid_class,
          geometry: (geometry ?? grid.geometry) as GridGeometryJson,
          validFrom: now,
          changedBy: actor.id,
          change: changed.filter((c) => c === 'name' || c === 'gridClass' || c === 'geometry').join(','),
        },
      ]);
    }
    await insertAudit(trx, {
      actorId: actor.id,
      action: 'grid.update',
      targetType: 'grid',
      targetId: grid.id,
      summary: `修改网格 ${grid.code}（${grid.name}）：${changed.join('、')}`,
      data: { code: grid.code, changed, version, previous: { name: grid.name, gridClass: grid.grid_class, version: grid.version } },
      ip: ctx.ip,
      at: now,
    });
    return { changed, version, versioned };
  });
  if (result.versioned) invalidateGridIndex();
  return { changed: result.changed, version: result.version };
}

// ---- split -----------------------------------------------------------------------------------------------------

/**
 * Retires the grid and creates two child grids covering it exactly, with the next free codes extending its own
 * (…01, …02). Their paths extend the retired grid's path, so users whose scope is the old grid keep seeing them.
 */
export async function splitGrid(ctx: ActorContext, id: number, input: GridSplitInput) {
  requireRole(ctx.actor, ['admin']);
  const { actor, now } = ctx;
  // The cut and its checks run first, in a worker thread and outside the transaction (see updateGrid).
  const checked = await checkedSplit(ctx, id, input);
  const out = await inTransaction(ctx.db, async (trx) => {
    const grid = await lockedGrid(trx, id, input.version);
    if (!sameRow(grid, checked.seen)) throw new DomainError('grid_version_conflict', { code: grid.code });
    if ((await gridSetStamp(trx)) !== checked.stamp) throw new DomainError('grids_changed');
    const children = await activeChildren(trx, grid);
    if (children.length > 0) throw new DomainError('grid_has_children', { code: grid.code, count: children.length });
    const codes = await nextChildCodes(trx, grid.code, 2);
    if (codes.join() !== checked.codes.join()) throw new DomainError('grid_version_conflict', { code: grid.code });
    const parts = checked.parts;

    await closeCurrentVersion(trx, grid, now);
    await updateGridRow(trx, grid.id, { retired_at: now, updated_at: now });
    const names = input.names ?? codes.map((c) => `${grid.name}-${c.slice(grid.code.length)}`);
    const inserted = await insertGridsBatch(
      trx,
      parts.map((geometry, k) => ({
        parentPath: grid.path,
        grid: {
          code: codes[k]!,
          name: names[k]!,
          grid_class: grid.grid_class,
          division_id: grid.division_id,
          parent_id: grid.id,
          level: grid.level + 1,
          industry: grid.industry,
          archive: JSON.stringify({ splitFrom: grid.code }),
          created_at: now,
          updated_at: now,
          ...derivedColumns(geometry),
        },
      })),
    );
    await insertVersions(
      trx,
      parts.map((geometry, k) => ({
        gridId: inserted[k]!.id,
        version: 1,
        code: codes[k]!,
        name: names[k]!,
        gridClass: grid.grid_class,
        geometry: geometry as GridGeometryJson,
        validFrom: now,
        changedBy: actor.id,
        change: 'split',
      })),
    );
    await insertAudit(trx, {
      actorId: actor.id,
      action: 'grid.split',
      targetType: 'grid',
      targetId: grid.id,
      summary: `拆分网格 ${grid.code}（${grid.name}）为 ${codes.join('、')}`,
      data: { code: grid.code, version: grid.version, created: codes.map((code, k) => ({ code, id: inserted[k]!.id })), by: input.line ? 'line' : 'parts' },
      ip: ctx.ip,
      at: now,
    });
    return {
      retired: { id: grid.id, code: grid.code, name: grid.name },
      created: codes.map((code, k) => ({ id: inserted[k]!.id, code, name: names[k]! })),
    };
  });
  invalidateGridIndex();
  return out;
}

/**
 * The halves of a split, cut and checked in a worker thread: they lie within the grid and cover it without gaps or
 * overlaps, and the halves of an A-class grid overlap no other A-class grid. Refused with every problem otherwise.
 */
async function checkedSplit(ctx: ActorContext, id: number, input: GridSplitInput): Promise<{ seen: GridRecord; stamp: string; codes: string[]; parts: Polygon[] }> {
  const stamp = await gridSetStamp(ctx.db);
  const grid = await findGrid(ctx.db, id);
  if (!grid) throw new DomainError('not_found');
  if (grid.retired_at) throw new DomainError('grid_retired', { code: grid.code });
  if (input.version !== undefined && input.version !== grid.version) throw new DomainError('grid_version_conflict', { code: grid.code });
  const children = (await listChildGrids(ctx.db, grid.id)).filter((c) => c.retired_at == null);
  if (children.length > 0) throw new DomainError('grid_has_children', { code: grid.code, count: children.length });
  const codes = await nextChildCodes(ctx.db, grid.code, 2);
  tooManyVertices(grid.code, input.parts ?? input.line, 'grid_split_invalid');
  const answer = await offload('checkSplit', [
    { code: grid.code, current: grid.geometry as GridGeometry, codes, crs: input.crs, line: input.line?.coordinates as Position[] | undefined, parts: input.parts },
  ]);
  if (!answer.ok) throw new GridRejected('grid_split_invalid', answer.problems);
  if (grid.grid_class === 'A') {
    const names = input.names ?? codes.map((c) => `${grid.name}-${c.slice(grid.code.length)}`);
    const overlaps = await aClassOverlapIssues(
      ctx.db,
      answer.parts.map((geometry, k) => ({ index: k, code: codes[k]!, name: names[k]!, parentCode: grid.code, geometry })),
    );
    if (overlaps.length > 0) throw new GridRejected('grid_split_invalid', overlaps);
  }
  return { seen: grid, stamp, codes, parts: answer.parts };
}

/** The next `n` free two-digit suffixes under a code; codes of retired grids are never reused. */
async function nextChildCodes(trx: DbOrTx, code: string, n: number): Promise<string[]> {
  if (code.length + 2 > MAX_CODE_LENGTH) throw new DomainError('grid_code_exhausted', { code });
  const taken = new Set(await codesWithPrefix(trx, code, 2));
  const out: string[] = [];
  for (let k = 1; k <= 99 && out.length < n; k++) {
    const candidate = `${code}${String(k).padStart(2, '0')}`;
    if (!taken.has(candidate)) out.push(candidate);
  }
  if (out.length < n) throw new DomainError('grid_code_exhausted', { code });
  return out;
}

// ---- retire ----------------------------------------------------------------------------------------------------

export async function retireGrid(ctx: ActorContext, id: number, input: { version?: number | undefined; note?: string | undefined }) {
  requireRole(ctx.actor, ['admin']);
  const { actor, now } = ctx;
  const grid = await inTransaction(ctx.db, async (trx) => {
    const grid = await lockedGrid(trx, id, input.version);
    const children = await activeChildren(trx, grid);
    if (children.length > 0) throw new DomainError('grid_has_children', { code: grid.code, count: children.length });
    await closeCurrentVersion(trx, grid, now);
    await updateGridRow(trx, grid.id, { retired_at: now, updated_at: now });
    await insertAudit(trx, {
      actorId: actor.id,
      action: 'grid.retire',
      targetType: 'grid',
      targetId: grid.id,
      summary: `撤销网格 ${grid.code}（${grid.name}）${input.note ? `：${input.note}` : ''}`,
      data: { code: grid.code, version: grid.version, note: input.note ?? null },
      ip: ctx.ip,
      at: now,
    });
    return grid;
  });
  invalidateGridIndex();
  return { id: grid.id, code: grid.code, name: grid.name };
}
