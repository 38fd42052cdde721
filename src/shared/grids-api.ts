// The HTTP contract of grid administration (/api/grids…, /api/routing-rules, /api/key-units, /api/cases/:id/routing),
// shared by the server (validation + OpenAPI) and the web app (types). Geometries are GeoJSON in WGS-84 unless a
// `crs` says otherwise: conversion happens at this edge only (DOMAIN.md "Space").
import { z } from 'zod';
import { dbId, dbIdParam } from './db-values.js';

export const CrsName = z.enum(['WGS84', 'GCJ02', 'BD09']);
export const GridClass = z.enum(['A', 'B', 'C']);
export const DivisionLevel = z.enum(['district', 'street', 'community']);
export const PersonRole = z.enum(['grid_leader', 'grid_worker', 'liaison_cadre']);
export const RiskLevel = z.enum(['low', 'medium', 'high']);

/** Polygon or MultiPolygon; the coordinates are checked by the domain (validateGridGeometry), which names every fault. */
export const AreaGeometry = z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.any() });
export const PolygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.any() });
export const LineGeometry = z.object({ type: z.literal('LineString'), coordinates: z.array(z.array(z.number()).min(2)).min(2) });

export const IdParams = z.object({ id: dbIdParam() });

// ---- reading -----------------------------------------------------------------------------------------------

export interface GridTreeNode {
  kind: 'division' | 'grid';
  id: number;
  code: string;
  name: string;
  /** a division's level ('district' | 'street' | 'community') or a grid's level (1 = directly under its division) */
  level: string | number;
  gridClass: 'A' | 'B' | 'C' | null;
  industry: string | null;
  /** open cases in the reader's scope: of the grid itself, or summed over a division's subtree */
  openCases: number;
  /** cases in the reader's scope waiting outside every grid, counted on the division whose area they sit in */
  unroutedCases: number;
  children: GridTreeNode[];
}
export const GridTreeNode: z.ZodType<GridTreeNode> = z.object({
  kind: z.enum(['division', 'grid']),
  id: z.number(),
  code: z.string(),
  name: z.string(),
  level: z.union([z.string(), z.number()]),
  gridClass: GridClass.nullable(),
  industry: z.string().nullable(),
  openCases: z.number(),
  unroutedCases: z.number(),
  get children() {
    return z.array(GridTreeNode);
  },
});
export const GridTree = z.object({ roots: z.array(GridTreeNode), gridCount: z.number() });
export type GridTree = z.infer<typeof GridTree>;

export const GridRef = z.object({ id: z.number(), code: z.string(), name: z.string() });

export const GridPerson = z.object({
  id: z.number(),
  name: z.string(),
  role: PersonRole,
  /** masked as 138****1234 unless the reader is an administrator or an operator */
  phone: z.string().nullable(),
  note: z.string(),
  /** the user account this record stands for (a grid worker given this grid), or null for a person without one */
  userId: z.number().nullable(),
  username: z.string().nullable(),
});
export type GridPerson = z.infer<typeof GridPerson>;

export const GridVersion = z.object({
  version: z.number(),
  code: z.string(),
  name: z.string(),
  gridClass: GridClass,
  geometry: AreaGeometry,
  validFrom: z.string(),
  /** null for the version in force (or the last one of a retired grid, closed when it was retired) */
  validTo: z.string().nullable(),
  changedBy: z.string().nullable(),
  change: z.string(),
});
export type GridVersion = z.infer<typeof GridVersion>;

export const KeyUnit = z.object({
  id: z.number(),
  name: z.string(),
  industry: z.string().nullable(),
  address: z.string().nullable(),
  lng: z.number(),
  lat: z.number(),
  gridId: z.number().nullable(),
  gridCode: z.string().nullable(),
  contact: z.string().nullable(),
  phone: z.string().nullable(),
  riskLevel: RiskLevel.nullable(),
});
export type KeyUnit = z.infer<typeof KeyUnit>;

export const GridDetail = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  gridClass: GridClass,
  level: z.number(),
  version: z.number(),
  division: GridRef,
  /** the parent grid, or the division when the grid sits directly under it */
  parent: GridRef.extend({ kind: z.enum(['division', 'grid']) }),
  children: z.array(GridRef.extend({ gridClass: GridClass, retired: z.boolean() })),
  /** B-class grids: the industry they answer for, and the categories of that industry */
  industry: z.string().nullable(),
  industryCategories: z.array(z.object({ id: z.number(), code: z.string(), name: z.string() })),
  households: z.number().nullable(),
  population: z.number().nullable(),
  enterprises: z.number().nullable(),
  notes: z.string(),
  archive: z.record(z.string(), z.unknown()),
  geometry: AreaGeometry,
  bbox: z.array(z.number()).length(4),
  label: z.array(z.number()).length(2),
  createdAt: z.string(),
  updatedAt: z.string(),
  retiredAt: z.string().nullable(),
  people: z.array(GridPerson),
  versions: z.array(GridVersion),
  keyUnits: z.array(KeyUnit),
  /** open cases in the reader's scope routed to this grid or with it as the responsible B/C grid */
  openCases: z.number(),
});
export type GridDetail = z.infer<typeof GridDetail>;

export const GridSearchQuery = z.object({
  q: z.string().trim().min(1).max(50),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  includeRetired: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export const GridSearchHit = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  gridClass: GridClass,
  level: z.number(),
  divisionName: z.string(),
  retired: z.boolean(),
});
export const GridSearchResult = z.object({ items: z.array(GridSearchHit) });

export const ExportQuery = z.object({
  crs: CrsName.default('WGS84'),
  /** only the grids under this division or grid (by code) */
  parentCode: z.string().trim().max(32).optional(),
  gridClass: GridClass.optional(),
});

// ---- import and validation -----------------------------------------------------------------------------------

export const GridImportInput = z.object({
  /** the datum of the file's coordinates: WGS84 (GPS, Tianditu), GCJ02 (AMap, Tencent), BD09 (Baidu) */
  crs: CrsName,
  /** a GeoJSON FeatureCollection; properties code, name, parent, class, level (or 编码, 名称, 上级编码, 类别, 层级) */
  geojson: z.unknown(),
  /** check and count without saving */
  dryRun: z.boolean().default(false),
});
export type GridImportInput = z.infer<typeof GridImportInput>;

/** One problem of a refused import or edit, in the reader's language. */
export const GridProblemOut = z.object({
  /** 0-based feature index (import), or null for the whole file */
  index: z.number().nullable(),
  /** Excel row number (people sheet), when the problem is in a sheet */
  row: z.number().optional(),
  column: z.string().optional(),
  /** the problem code, e.g. outside_parent, self_intersection */
  code: z.string(),
  gridCode: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  message: z.string(),
});
export type GridProblemOut = z.infer<typeof GridProblemOut>;

export const GridRejected = z.object({
  errors: z.array(GridProblemOut),
  error: z.object({ code: z.string(), message: z.string() }),
});

export const GridImportAction = z.enum(['create', 'update', 'unchanged']);
export const GridImportResult = z.object({
  dryRun: z.boolean(),
  total: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  grids: z.array(z.object({ code: z.string(), action: GridImportAction, id: z.number().nullable() })),
});
export type GridImportResult = z.infer<typeof GridImportResult>;

export const GridValidateResult = z.object({
  ok: z.boolean(),
  total: z.number(),
  errors: z.array(GridProblemOut),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
});
export type GridValidateResult = z.infer<typeof GridValidateResult>;

// ---- coverage --------------------------------------------------------------------------------------------------

export const CoverageQuery = z.object({
  /** a division code (its top-level A-class grids) or a grid code (its A-class child grids) */
  parentCode: z.string().trim().min(1).max(32),
  sliverM2: z.coerce.number().min(0).max(1_000_000).default(1),
  /**
   * also ignore pieces thinner than this on average: a vertex put on a long straight edge (a split, a hand-drawn
   * neighbour) leaves hairline pieces of a few m² but under a millimetre wide; 0 reports them. The default is the
   * domain's DIGITISING_WIDTH_M (src/domain/grids/coverage.ts), the tolerance of the A-class overlap rule too.
   */
  sliverWidthM: z.coerce.number().min(0).max(100).default(0.05),
  /** datum of the returned polygons, for drawing on a Chinese base map */
  crs: CrsName.default('WGS84'),
});
export const CoverageResult = z.object({
  parent: z.object({ kind: z.enum(['division', 'grid']), id: z.number(), code: z.string(), name: z.string(), areaM2: z.number() }),
  ok: z.boolean(),
  children: z.array(GridRef),
  gaps: z.array(z.object({ geometry: AreaGeometry, areaM2: z.number() })),
  overlaps: z.array(
    z.object({ codes: z.array(z.string()).length(2), ids: z.array(z.number()).length(2), geometry: AreaGeometry, areaM2: z.number() }),
  ),
});
export type CoverageResult = z.infer<typeof CoverageResult>;

// ---- editing ---------------------------------------------------------------------------------------------------

const count = z.number().int().min(0).max(100_000_000).nullable();

export const GridUpdateInput = z.object({
  /** the version the editor saw; a stale one is refused (409) */
  version: dbId().optional(),
  name: z.string().trim().min(1).max(100).optional(),
  gridClass: GridClass.optional(),
  industry: z.string().trim().max(50).nullable().optional(),
  households: count.optional(),
  population: count.optional(),
  enterprises: count.optional(),
  notes: z.string().max(2000).optional(),
  archive: z.record(z.string(), z.unknown()).optional(),
  geometry: AreaGeometry.optional(),
  crs: CrsName.default('WGS84'),
});
export type GridUpdateInput = z.infer<typeof GridUpdateInput>;

export const GridSplitInput = z
  .object({
    version: dbId().optional(),
    /** a line drawn across the grid, entering and leaving it once */
    line: LineGeometry.optional(),
    /** or the two halves, drawn by hand; together they must cover the grid exactly */
    parts: z.array(PolygonGeometry).length(2).optional(),
    names: z.array(z.string().trim().min(1).max(100)).length(2).optional(),
    crs: CrsName.default('WGS84'),
  })
  .refine((v) => (v.line ? 1 : 0) + (v.parts ? 1 : 0) === 1, { message: 'give either line or parts' });
export type GridSplitInput = z.infer<typeof GridSplitInput>;

export const GridSplitResult = z.object({ retired: GridRef, created: z.array(GridRef) });

export const GridRetireInput = z.object({ version: dbId().optional(), note: z.string().trim().max(500).optional() });

// ---- people ----------------------------------------------------------------------------------------------------

export const GridPersonInput = z.object({
  name: z.string().trim().min(1).max(50),
  role: PersonRole,
  phone: z.string().trim().min(1).max(30),
  note: z.string().trim().max(200).default(''),
});
export const PeopleImportInput = z.object({ base64: z.string().min(1).max(30_000_000) });
export const PeopleImportResult = z.object({ rows: z.number(), grids: z.number(), removed: z.number() });
export const PersonParams = IdParams.extend({ personId: dbIdParam() });

// ---- routing rules and the routing of a case -----------------------------------------------------------------

export const RoutingRule = z.object({
  id: z.number(),
  categoryId: z.number().nullable(),
  categoryName: z.string().nullable(),
  divisionId: z.number().nullable(),
  divisionName: z.string().nullable(),
  departmentId: z.number(),
  departmentName: z.string(),
  note: z.string(),
  createdAt: z.string(),
});
export type RoutingRule = z.infer<typeof RoutingRule>;
export const RoutingRuleInput = z.object({
  categoryId: dbId().nullable().optional(),
  divisionId: dbId().nullable().optional(),
  departmentId: dbId(),
  note: z.string().trim().max(500).default(''),
});

export const CaseRoutingView = z.object({
  caseId: z.number(),
  number: z.string(),
  grid: z.object({
    reason: z.enum(['position', 'outside', 'operator']).nullable(),
    grid: GridRef.nullable(),
    gridVersion: z.number().nullable(),
    suggested: GridRef.extend({ distanceM: z.number().nullable() }).nullable(),
    text: z.string(),
  }),
  responsible: z
    .object({
      reason: z.enum(['industry', 'key_unit']),
      grid: GridRef.nullable(),
      industry: z.string().nullable(),
      keyUnit: z.object({ id: z.number(), name: z.string() }).nullable(),
      text: z.string(),
    })
    .nullable(),
  department: z.object({
    /** the suggestion of the routing rules (or the category default) for this case now */
    suggested: z.object({ id: z.number(), name: z.string() }).nullable(),
    reason: z.enum(['rule', 'category_default', 'none']),
    ruleId: z.number().nullable(),
    match: z.enum(['exact', 'parent', 'any']).nullable(),
    text: z.string(),
    /** the department the case was actually dispatched to, if any */
    current: z.object({ id: z.number(), name: z.string() }).nullable(),
  }),
});
export type CaseRoutingView = z.infer<typeof CaseRoutingView>;

// ---- key units -------------------------------------------------------------------------------------------------

export const KeyUnitInput = z.object({
  name: z.string().trim().min(1).max(100),
  industry: z.string().trim().max(50).nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  crs: CrsName.default('WGS84'),
  /** the unit's own C-class grid */
  gridId: dbId().nullable().optional(),
  contact: z.string().trim().max(50).nullable().optional(),
  phone: z.string().trim().max(30).nullable().optional(),
  riskLevel: RiskLevel.nullable().optional(),
});
export const KeyUnitQuery = z.object({ gridId: dbIdParam().optional() });
export const KeyUnitList = z.object({ items: z.array(KeyUnit) });
