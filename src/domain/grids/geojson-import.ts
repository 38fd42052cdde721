// Grid boundaries in and out as GeoJSON. Import is all-or-nothing: either every feature is usable and the
// caller gets the grids (in WGS-84), or it gets every problem found, each naming the feature, and stores nothing.
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { GridGeometry } from './geometry.js';
import { fromWgs84, toWgs84, type Crs } from '../map/coordinates.js';
import type { GridProblemCode, ProblemParams } from './messages.js';
import { dropRepeats, validateGridGeometry, validateGridSet, type GridParent } from './validation.js';

export type GridClass = 'A' | 'B' | 'C';

export interface ImportedGrid {
  code: string;
  name: string;
  parentCode: string;
  gridClass: GridClass;
  /** only when the feature declares it (level / 层级); the data layer derives it from the parent otherwise */
  level?: number;
  /** WGS-84 */
  geometry: GridGeometry;
  /** the feature's other properties, kept for the grid's archive */
  properties: Record<string, unknown>;
}

export interface GridImportError {
  /** 0-based position in `features`; null when the problem concerns the whole file */
  index: number | null;
  code?: string;
  problem: GridProblemCode;
  params: ProblemParams;
}

export type GridImportResult = { ok: true; grids: ImportedGrid[] } | { ok: false; errors: GridImportError[] };

export interface GridImportOptions {
  /** the datum the file's coordinates are in */
  crs: Crs;
  /**
   * Divisions and grids that already exist and may be parents (boundaries in WGS-84). When given, a parent code
   * found neither here nor in the file is an error and children are checked to lie within their parent.
   */
  parents?: readonly GridParent[];
  /** parent for features that name none, e.g. when the user imports "into" a community chosen in the UI */
  defaultParentCode?: string;
  /** metres a child may stick out of its parent (default 1 m, see validateGridSet) */
  toleranceM?: number;
  /** refuse files with more features than this (default 5000) */
  maxFeatures?: number;
}

export const MAX_CODE_LENGTH = 32;
export const MAX_NAME_LENGTH = 100;
const DEFAULT_MAX_FEATURES = 5000;
const CODE_PATTERN = /^[0-9A-Za-z]+$/;

// Property names people use, English first. Chinese keys come from templates filled in by hand.
const KEYS = {
  code: ['code', '编码', '网格编码'],
  name: ['name', '名称', '网格名称'],
  parent: ['parent', 'parentCode', 'parent_code', '上级编码'],
  class: ['class', 'gridClass', 'grid_class', '类别', '网格类别'],
  level: ['level', '层级'],
} as const;
const KNOWN_KEYS = new Set<string>(Object.values(KEYS).flat());

/** Parse and check a grid import. `json` may be the parsed object or the file's text. */
export function parseGridImport(json: unknown, options: GridImportOptions): GridImportResult {
  let doc = json;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc.replace(/^\uFEFF/, ''));
    } catch (e) {
      return fail([{ index: null, problem: 'invalid_json', params: { detail: (e as Error).message } }]);
    }
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    return fail([{ index: null, problem: 'not_feature_collection', params: {} }]);
  }
  const features: unknown[] = doc.features;
  if (features.length === 0) return fail([{ index: null, problem: 'no_features', params: {} }]);
  const max = options.maxFeatures ?? DEFAULT_MAX_FEATURES;
  if (features.length > max) return fail([{ index: null, problem: 'too_many_features', params: { count: features.length, max } }]);

  const errors: GridImportError[] = [];
  const drafts: (Partial<ImportedGrid> & { index: number })[] = [];

  features.forEach((raw, index) => {
    const push = (problem: GridProblemCode, params: ProblemParams = {}, code?: string) =>
      errors.push(code === undefined ? { index, problem, params } : { index, code, problem, params });
    if (!isObject(raw) || raw.type !== 'Feature') {
      push('not_feature');
      return;
    }
    const props: Record<string, unknown> = isObject(raw.properties) ? raw.properties : {};
    const draft: Partial<ImportedGrid> & { index: number } = { index };

    const codeValue = pick(props, KEYS.code);
    const code = asText(codeValue);
    if (code === null) push('missing_code');
    else if (!CODE_PATTERN.test(code) || code.length > MAX_CODE_LENGTH) push('invalid_code', { value: code, max: MAX_CODE_LENGTH }, code);
    else draft.code = code;
    const label = code ?? undefined;

    const name = asText(pick(props, KEYS.name));
    if (name === null) push('missing_name', {}, label);
    else if ([...name].length > MAX_NAME_LENGTH) push('name_too_long', { length: [...name].length, max: MAX_NAME_LENGTH }, label);
    else draft.name = name;

    const parent = asText(pick(props, KEYS.parent)) ?? options.defaultParentCode ?? null;
    if (parent === null) push('missing_parent', {}, label);
    else draft.parentCode = parent;

    const classValue = pick(props, KEYS.class);
    const gridClass = asGridClass(classValue);
    if (gridClass === null) push('invalid_class', { value: String(classValue) }, label);
    else draft.gridClass = gridClass;

    const levelValue = pick(props, KEYS.level);
    if (levelValue !== undefined && levelValue !== null && levelValue !== '') {
      const level = typeof levelValue === 'number' || typeof levelValue === 'string' ? Number(levelValue) : Number.NaN;
      if (!Number.isInteger(level) || level < 1) push('invalid_level', { value: String(levelValue) }, label);
      else draft.level = level;
    }

    const geometryProblems = validateGridGeometry(raw.geometry);
    for (const p of geometryProblems) push(p.code, p.params, label);
    if (geometryProblems.length === 0) draft.geometry = clean(toWgs84(raw.geometry as GridGeometry, options.crs));

    draft.properties = Object.fromEntries(Object.entries(props).filter(([k]) => !KNOWN_KEYS.has(k)));
    drafts.push(draft);
  });

  // Set rules need codes; features whose code is unusable already carry an error and sit this one out.
  const coded = drafts.filter((d): d is typeof d & { code: string } => d.code !== undefined);
  const setProblems = validateGridSet(
    coded.map((d) => ({ code: d.code, parentCode: d.parentCode ?? null, geometry: d.geometry ?? null })),
    options.parents ?? [],
    { toleranceM: options.toleranceM, requireKnownParent: options.parents !== undefined },
  );
  for (const p of setProblems) errors.push({ index: coded[p.index]!.index, code: p.code, problem: p.problem, params: p.params });

  if (errors.length > 0) {
    // Stable order: by feature, then in the order the rules ran.
    return fail(errors.map((e, i) => ({ e, i })).sort((a, b) => (a.e.index ?? -1) - (b.e.index ?? -1) || a.i - b.i).map((x) => x.e));
  }
  const grids = drafts.map((d): ImportedGrid => {
    const grid: ImportedGrid = {
      code: d.code!,
      name: d.name!,
      parentCode: d.parentCode!,
      gridClass: d.gridClass!,
      geometry: d.geometry!,
      properties: d.properties ?? {},
    };
    if (d.level !== undefined) grid.level = d.level;
    return grid;
  });
  return { ok: true, grids };
}

export interface ExportableGrid {
  code: string;
  name: string;
  parentCode: string | null;
  gridClass: GridClass;
  level?: number | null;
  /** WGS-84 */
  geometry: GridGeometry;
  properties?: Record<string, unknown> | null;
}

/**
 * Grids as a FeatureCollection in `crs`, with the same property names the import reads, so an export can be
 * edited in a desktop GIS and imported again (declaring the same `crs`).
 */
export function toGridExport(grids: readonly ExportableGrid[], crs: Crs): FeatureCollection<Polygon | MultiPolygon> {
  return {
    type: 'FeatureCollection',
    features: grids.map(
      (g): Feature<Polygon | MultiPolygon> => ({
        type: 'Feature',
        properties: {
          ...(g.properties ?? {}),
          code: g.code,
          name: g.name,
          parent: g.parentCode,
          class: g.gridClass,
          ...(g.level !== undefined && g.level !== null ? { level: g.level } : {}),
        },
        geometry: fromWgs84(g.geometry, crs),
      }),
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------

function fail(errors: GridImportError[]): GridImportResult {
  return { ok: false, errors };
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pick(props: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const k of keys) if (props[k] !== undefined) return props[k];
  return undefined;
}

/**
 * A trimmed non-empty string, or null. Whole numbers are accepted because spreadsheets and some GIS tools
 * store codes as numbers (14 digits are still exact in a double).
 */
function asText(v: unknown): string | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t;
}

/** 'A' / 'a' / 'A类' / ' A ' → 'A'; absent or empty → 'A' (territorial grids are the usual import). */
function asGridClass(v: unknown): GridClass | null {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return 'A';
  if (typeof v !== 'string') return null;
  const t = v.trim().toUpperCase().replace(/类$/, '');
  return t === 'A' || t === 'B' || t === 'C' ? t : null;
}

/** Repeated consecutive vertices carry no shape and upset some clipping code; drop them before storing. */
function clean<G extends GridGeometry>(g: G): G {
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map(dropRepeats) } as G;
  return { type: 'MultiPolygon', coordinates: (g as MultiPolygon).coordinates.map((p) => p.map(dropRepeats)) } as G;
}
