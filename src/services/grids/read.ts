// Reading grids: the division/grid tree with open-case counts, one grid in full (archive, people, history, key
// units), search, version history and the GeoJSON export. Everyone logged in may read grids; case counts are
// limited to the reader's case scope, and phone numbers are masked unless the reader needs to call them.
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/access.js';
import type { Crs } from '../../domain/map/coordinates.js';
import type { GridGeometry } from '../../domain/grids/geometry.js';
import { toGridExport, type ExportableGrid } from '../../domain/grids/geojson-import.js';
import type { GridDetail, GridTree, GridTreeNode, GridVersion, KeyUnit } from '../../shared/grids-api.js';
import {
  countOpenCasesOfGrid,
  findDivision,
  findDivisionByCode,
  findGrid,
  findGridByCode,
  listCategoriesOfIndustry,
  listChildGrids,
  listDivisionHeads,
  listGridHeads,
  listGridsFull,
  listKeyUnits,
  listPeopleOf,
  listVersions,
  openCaseCounts,
  searchGrids,
  type GridRecord,
  type KeyUnitListRow,
} from '../../data/repos/grids/grids.js';
import type { DbOrTx } from '../../data/db.js';
import { caseScope } from '../access.js';
import { maskPhone, seesPhones } from '../../domain/phone-mask.js';
import type { ActorContext } from '../context.js';


// ---- tree ------------------------------------------------------------------------------------------------------

export async function gridTree(ctx: ActorContext): Promise<GridTree> {
  const { db, actor } = ctx;
  const [divisions, grids, counts] = await Promise.all([listDivisionHeads(db), listGridHeads(db), openCaseCounts(db, caseScope(actor))]);

  const divisionNodes = new Map<number, GridTreeNode>();
  for (const d of divisions) {
    divisionNodes.set(d.id, { kind: 'division', id: d.id, code: d.code, name: d.name, level: d.level, gridClass: null, industry: null, openCases: 0, unroutedCases: 0, children: [] });
  }
  // A case's area path names every division above it ('/1/2/5/g12/' → 1, 2, 5): add its count to each.
  for (const bucket of counts.byArea) {
    for (const segment of bucket.path.split('/')) {
      if (!/^\d+$/.test(segment)) continue;
      const node = divisionNodes.get(Number(segment));
      if (!node) continue;
      node.openCases += bucket.n;
      if (bucket.unrouted) node.unroutedCases += bucket.n;
    }
  }

  const byId = new Map(grids.map((g) => [g.id, g]));
  const gridNodes = new Map<number, GridTreeNode>();
  for (const g of grids) {
    if (g.retired_at) continue;
    gridNodes.set(g.id, {
      kind: 'grid', id: g.id, code: g.code, name: g.name, level: g.level, gridClass: g.grid_class, industry: g.industry,
      openCases: counts.perGrid.get(g.id) ?? 0, unroutedCases: 0, children: [],
    });
  }
  // A grid hangs under its nearest active ancestor grid (the halves of a split grid under the grid's own parent
  // once it is retired), else under its division.
  for (const g of grids) {
    const node = gridNodes.get(g.id);
    if (!node) continue;
    let parentId = g.parent_id;
    while (parentId != null && !gridNodes.has(parentId)) parentId = byId.get(parentId)?.parent_id ?? null;
    const holder = parentId != null ? gridNodes.get(parentId) : divisionNodes.get(g.division_id);
    holder?.children.push(node);
  }
  const roots: GridTreeNode[] = [];
  for (const d of divisions) {
    const node = divisionNodes.get(d.id)!;
    const parent = d.parent_id != null ? divisionNodes.get(d.parent_id) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  // Sub-divisions first, then grids; each by code.
  const order = (nodes: GridTreeNode[]) => {
    nodes.sort((a, b) => (a.kind === b.kind ? a.code.localeCompare(b.code) : a.kind === 'division' ? -1 : 1));
    nodes.forEach((n) => order(n.children));
  };
  order(roots);
  return { roots, gridCount: gridNodes.size };
}

// ---- one grid --------------------------------------------------------------------------------------------------

export async function gridDetail(ctx: ActorContext, id: number): Promise<GridDetail> {
  const { db, actor } = ctx;
  const grid = await findGrid(db, id);
  if (!grid) throw new DomainError('not_found');
  const [division, parentGrid, children, people, versions, keyUnits, industryCategories, openCases] = await Promise.all([
    findDivision(db, grid.division_id),
    grid.parent_id != null ? findGrid(db, grid.parent_id) : undefined,
    listChildGrids(db, grid.id),
    listPeopleOf(db, grid.id),
    gridVersions(db, grid),
    listKeyUnits(db, { gridId: grid.id }),
    grid.industry ? listCategoriesOfIndustry(db, grid.industry) : [],
    countOpenCasesOfGrid(db, caseScope(actor), grid.id),
  ]);
  if (!division) throw new DomainError('not_found');
  const showPhones = seesPhones(actor);
  const geometry = grid.geometry as GridGeometry;
  return {
    id: grid.id,
    code: grid.code,
    name: grid.name,
    gridClass: grid.grid_class,
    level: grid.level,
    version: grid.version,
    division: { id: division.id, code: division.code, name: division.name },
    parent: parentGrid
      ? { kind: 'grid', id: parentGrid.id, code: parentGrid.code, name: parentGrid.name }
      : { kind: 'division', id: division.id, code: division.code, name: division.name },
    children: children.map((c) => ({ id: c.id, code: c.code, name: c.name, gridClass: c.grid_class, retired: c.retired_at != null })),
    industry: grid.industry,
    industryCategories,
    households: grid.households,
    population: grid.population,
    enterprises: grid.enterprises,
    notes: grid.notes,
    archive: grid.archive ?? {},
    geometry,
    bbox: [grid.min_lng, grid.min_lat, grid.max_lng, grid.max_lat],
    label: [grid.label_lng, grid.label_lat],
    createdAt: grid.created_at.toISOString(),
    updatedAt: grid.updated_at.toISOString(),
    retiredAt: grid.retired_at?.toISOString() ?? null,
    people: people.map((p) => ({ id: p.id, name: p.name, role: p.role, phone: showPhones ? p.phone : maskPhone(p.phone), note: p.note, userId: p.user_id, username: p.username })),
    versions,
    keyUnits: keyUnits.map((u) => presentKeyUnit(u, showPhones)),
    openCases,
  };
}

export function presentKeyUnit(u: KeyUnitListRow, showPhones: boolean): KeyUnit {
  return {
    id: u.id,
    name: u.name,
    industry: u.industry,
    address: u.address,
    lng: u.lng,
    lat: u.lat,
    gridId: u.grid_id,
    gridCode: u.grid_code ?? null,
    contact: u.contact,
    phone: showPhones ? u.phone : maskPhone(u.phone),
    riskLevel: u.risk_level,
  };
}

/**
 * The grid's history, newest first. Grids stored before history was kept have no row for the version in force
 * until their first change; it is shown from the grid itself so the history is never empty.
 */
async function gridVersions(db: DbOrTx, grid: GridRecord): Promise<GridVersion[]> {
  const rows = await listVersions(db, grid.id);
  const out: GridVersion[] = rows.map((v) => ({
    version: v.version,
    code: v.code,
    name: v.name,
    gridClass: v.grid_class,
    geometry: v.geometry,
    validFrom: v.valid_from.toISOString(),
    validTo: v.valid_to?.toISOString() ?? null,
    changedBy: v.changed_by_name ?? null,
    change: v.change,
  }));
  if (!rows.some((v) => v.version === grid.version)) {
    out.unshift({
      version: grid.version,
      code: grid.code,
      name: grid.name,
      gridClass: grid.grid_class,
      geometry: grid.geometry as GridGeometry,
      validFrom: grid.created_at.toISOString(),
      validTo: grid.retired_at?.toISOString() ?? null,
      changedBy: null,
      change: 'create',
    });
  }
  return out;
}

export async function gridVersionList(ctx: ActorContext, id: number): Promise<GridVersion[]> {
  const grid = await findGrid(ctx.db, id);
  if (!grid) throw new DomainError('not_found');
  return gridVersions(ctx.db, grid);
}

// ---- search ----------------------------------------------------------------------------------------------------

export async function gridSearch(ctx: ActorContext, q: { q: string; limit: number; includeRetired: boolean }) {
  const rows = await searchGrids(ctx.db, q.q, { limit: q.limit, includeRetired: q.includeRetired });
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    gridClass: r.grid_class,
    level: r.level,
    divisionName: r.division_name,
    retired: r.retired_at != null,
  }));
}

// ---- export ----------------------------------------------------------------------------------------------------

/**
 * Active grids as GeoJSON in `crs`, with the property names the import reads (code, name, parent, class, level)
 * and the archive fields beside them, so an export edited in a desktop GIS imports back as the same grids.
 */
export async function gridExport(
  ctx: ActorContext,
  q: { crs: Crs; parentCode?: string | undefined; gridClass?: 'A' | 'B' | 'C' | undefined },
): Promise<FeatureCollection<Polygon | MultiPolygon>> {
  const { db } = ctx;
  let under: { path: string; selfId: number | null } | null = null;
  if (q.parentCode) {
    const division = await findDivisionByCode(db, q.parentCode);
    const grid = division ? undefined : await findGridByCode(db, q.parentCode);
    if (!division && !grid) throw new DomainError('not_found');
    under = division ? { path: division.path, selfId: null } : { path: grid!.path, selfId: grid!.id };
  }
  const [grids, divisions] = await Promise.all([listGridsFull(db), listDivisionHeads(db)]);
  const gridCode = new Map(grids.map((g) => [g.id, g.code]));
  const divisionCode = new Map(divisions.map((d) => [d.id, d.code]));
  const chosen = grids.filter(
    (g) =>
      g.retired_at == null &&
      (!q.gridClass || g.grid_class === q.gridClass) &&
      (!under || (g.path.startsWith(under.path) && g.id !== under.selfId)),
  );
  return toGridExport(chosen.map((g) => exportable(g, g.parent_id != null ? gridCode.get(g.parent_id)! : divisionCode.get(g.division_id)!)), q.crs);
}

/** Archive fields as feature properties; the import reads them back (see grid-import.ts, ARCHIVE_KEYS). */
function exportable(g: GridRecord, parentCode: string): ExportableGrid {
  const properties: Record<string, unknown> = { ...(g.archive ?? {}) };
  if (g.industry != null) properties.industry = g.industry;
  if (g.households != null) properties.households = g.households;
  if (g.population != null) properties.population = g.population;
  if (g.enterprises != null) properties.enterprises = g.enterprises;
  if (g.notes) properties.notes = g.notes;
  return { code: g.code, name: g.name, parentCode, gridClass: g.grid_class, level: g.level, geometry: g.geometry as GridGeometry, properties };
}
