// Editing one grid: its name, class, industry, archive and boundary (a new version when name, class or boundary
// change), splitting it in two, retiring it. Each change is one transaction with its audit row; cases are never
// touched, so past cases keep the grid and grid version they were routed to.
import type { Polygon, Position } from 'geojson';
import { positionToWgs84, toWgs84 } from '../domain/coordinates.js';
import { coverageReport } from '../domain/coverage.js';
import { DomainError } from '../domain/errors.js';
import type { GridGeometry } from '../domain/geometry.js';
import { MAX_CODE_LENGTH } from '../domain/geojson-import.js';
import { formatLngLat } from '../domain/grid-messages.js';
import { validateGridGeometry, validateGridSet } from '../domain/grid-validation.js';
import { pointOnFeature } from '@turf/turf';
import { inTransaction, type Tx } from '../data/db.js';
import { insertAudit } from '../data/repos/audit.js';
import {
  closeCurrentVersion,
  codesWithPrefix,
  findDivision,
  findGrid,
  insertGridsBatch,
  insertVersions,
  listChildGrids,
  lockGridWrites,
  updateGridRow,
  type GridRecord,
} from '../data/repos/grids.js';
import type { GridGeometryJson } from '../data/schema.js';
import type { GridSplitInput, GridUpdateInput } from '../shared/grids-api.js';
import { requireRole } from './access.js';
import { invalidateGridIndex } from './grid-lookup.js';
import { canonical, childrenOutside } from './grid-import.js';
import { GridRejected, type GridIssue } from './grid-problems.js';
import { cutPolygonByLine, derivedColumns, sameGeometry } from '../domain/grid-shapes.js';
import type { ActorContext } from './context.js';

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
async function parentBoundary(trx: Tx, grid: GridRecord): Promise<{ code: string; geometry: GridGeometry | null }> {
  if (grid.parent_id != null) {
    const parent = await findGrid(trx, grid.parent_id);
    return { code: parent!.code, geometry: parent!.geometry as GridGeometry };
  }
  const division = await findDivision(trx, grid.division_id);
  return { code: division!.code, geometry: (division!.geometry as GridGeometry | null) ?? null };
}

// ---- update ----------------------------------------------------------------------------------------------------

export async function updateGrid(ctx: ActorContext, id: number, input: GridUpdateInput): Promise<{ changed: string[]; version: number }> {
  requireRole(ctx.actor, ['admin']);
  const { actor, now } = ctx;
  const result = await inTransaction(ctx.db, async (trx) => {
    const grid = await lockedGrid(trx, id, input.version);
    let geometry: GridGeometry | null = null;
    if (input.geometry) {
      const problems = validateGridGeometry(input.geometry);
      if (problems.length > 0) {
        throw new GridRejected('grid_geometry_invalid', problems.map((p) => ({ index: null, gridCode: grid.code, problem: p.code, params: p.params })));
      }
      geometry = toWgs84(input.geometry as GridGeometry, input.crs);
      if (sameGeometry(grid.geometry as GridGeometry, geometry)) geometry = null;
    }
    if (geometry) {
      const issues: GridIssue[] = [];
      const parent = await parentBoundary(trx, grid);
      if (parent.geometry) {
        for (const p of validateGridSet([{ code: grid.code, parentCode: parent.code, geometry }], [parent])) {
          if (p.problem === 'outside_parent') issues.push({ index: null, gridCode: grid.code, problem: p.problem, params: p.params });
        }
      }
      for (const p of childrenOutside(grid.code, geometry, await activeChildren(trx, grid))) issues.push({ index: null, gridCode: grid.code, problem: 'grid_child_outside', params: p });
      if (issues.length > 0) throw new GridRejected('grid_geometry_invalid', issues);
    }

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
  const out = await inTransaction(ctx.db, async (trx) => {
    const grid = await lockedGrid(trx, id, input.version);
    const children = await activeChildren(trx, grid);
    if (children.length > 0) throw new DomainError('grid_has_children', { code: grid.code, count: children.length });
    const old = grid.geometry as GridGeometry;
    const codes = await nextChildCodes(trx, grid.code, 2);

    let parts: Polygon[];
    if (input.line) {
      if (old.type !== 'Polygon') throw new GridRejected('grid_split_invalid', [{ index: null, gridCode: grid.code, problem: 'grid_split_multipolygon', params: {} }]);
      const line = (input.line.coordinates as Position[]).map((p) => positionToWgs84(p, input.crs));
      const cut = cutPolygonByLine(old, line);
      if (!cut.ok) throw new GridRejected('grid_split_invalid', [{ index: null, gridCode: grid.code, problem: 'grid_split_line', params: { count: cut.crossings } }]);
      parts = cut.parts;
    } else {
      const drawn = input.parts!;
      const issues: GridIssue[] = [];
      drawn.forEach((part, index) => {
        for (const p of validateGridGeometry(part)) issues.push({ index, gridCode: codes[index]!, problem: p.code, params: p.params });
      });
      if (issues.length > 0) throw new GridRejected('grid_split_invalid', issues);
      parts = drawn.map((part) => toWgs84(part as Polygon, input.crs));
    }
    const issues = splitProblems(grid.code, old, parts, codes);
    if (issues.length > 0) throw new GridRejected('grid_split_invalid', issues);

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
 * Hairline pieces (under 5 cm wide on average) are clipping noise: a vertex inserted on a kilometre-long straight
 * edge shows up as a "gap" of about 1 m² that is a fraction of a millimetre wide.
 */
const SPLIT_SLIVER_WIDTH_M = 0.05;

/** The halves must lie within the grid and cover it without gaps or overlaps (slivers aside). */
function splitProblems(code: string, old: GridGeometry, parts: Polygon[], codes: string[]): GridIssue[] {
  const issues: GridIssue[] = [];
  for (const p of validateGridSet(parts.map((geometry, k) => ({ code: codes[k]!, parentCode: code, geometry })), [{ code, geometry: old }])) {
    if (p.problem === 'outside_parent') issues.push({ index: p.index, gridCode: p.code, problem: p.problem, params: p.params });
  }
  let report;
  try {
    report = coverageReport(old, parts.map((geometry, k) => ({ id: k, code: codes[k]!, geometry })), { sliverWidthM: SPLIT_SLIVER_WIDTH_M });
  } catch {
    // turf cannot clip what it cannot read; the boundary checks above already name the fault, or this does.
    return issues.length > 0 ? issues : [{ index: null, gridCode: code, problem: 'grid_split_gap', params: { areaM2: 0, at: '' } }];
  }
  for (const gap of report.gaps) issues.push({ index: null, gridCode: code, problem: 'grid_split_gap', params: { areaM2: Math.round(gap.areaM2), at: at(gap.geometry) } });
  for (const o of report.overlaps) issues.push({ index: null, gridCode: code, problem: 'grid_split_overlap', params: { areaM2: Math.round(o.areaM2) } });
  return issues;
}

function at(geometry: Polygon): string {
  const [lng, lat] = pointOnFeature(geometry).geometry.coordinates as [number, number];
  return formatLngLat(lng, lat);
}

/** The next `n` free two-digit suffixes under a code; codes of retired grids are never reused. */
async function nextChildCodes(trx: Tx, code: string, n: number): Promise<string[]> {
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
