// The command-centre map (GET /api/map/*) and points of interest (GET/POST /api/poi*): shared by the server
// (validation + OpenAPI) and the web app. Positions are WGS-84 [lng, lat]; the web app converts to the base
// map's datum at the edge. Also the error codes of the command-centre features and their messages.
import { z } from 'zod';
import { CASE_STATES, URGENCIES, WARNING_LEVELS, type CaseState } from './vocabulary.js';
import { ListFilter } from './stats-api.js';

const csvStates = z
  .string()
  .max(200)
  .refine((s) => s.split(',').every((x) => x === '' || (CASE_STATES as readonly string[]).includes(x)), { message: `states: comma-separated of ${CASE_STATES.join(', ')}` })
  .optional();

export function parseStates(s: string | undefined): CaseState[] | undefined {
  const list = (s ?? '').split(',').filter(Boolean) as CaseState[];
  return list.length ? list : undefined;
}

const bbox = z
  .string()
  .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'bbox: west,south,east,north in degrees')
  .refine((s) => {
    const [w, so, e, n] = s.split(',').map(Number) as [number, number, number, number];
    return w >= -180 && e <= 180 && so >= -90 && n <= 90 && w <= e && so <= n;
  }, 'bbox: west ≤ east and south ≤ north, within ±180/±90');

export function parseBbox(s: string): [number, number, number, number] {
  return s.split(',').map(Number) as [number, number, number, number];
}

export const MapCasesQuery = z.object({
  bbox,
  zoom: z.coerce.number().min(0).max(22),
  /** first day, Asia/Shanghai (default: 29 days before `to`) */
  from: z.iso.date().optional(),
  /** last day, inclusive (default: today) */
  to: z.iso.date().optional(),
  /** comma-separated case states (default: all) */
  states: csvStates,
});
export type MapCasesQuery = z.infer<typeof MapCasesQuery>;

const PointGeometry = z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) });

export const ClusterProperties = z.object({
  cluster: z.literal(true),
  count: z.number().int(),
  red: z.number().int(),
  yellow: z.number().int(),
  green: z.number().int(),
  expansionZoom: z.number(),
});
export const CasePointProperties = z.object({
  cluster: z.literal(false),
  id: z.number(),
  state: z.enum(CASE_STATES),
  warningLevel: z.enum(WARNING_LEVELS),
  urgency: z.enum(URGENCIES),
});

export const MapCases = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({ type: z.literal('Feature'), geometry: PointGeometry, properties: z.union([ClusterProperties, CasePointProperties]) })),
  /** cases in the box (the sum of the features' counts) */
  total: z.number().int(),
  clustered: z.boolean(),
  period: z.object({ from: z.string(), to: z.string() }),
  asOf: z.string(),
});
export type MapCases = z.infer<typeof MapCases>;

export const MapHeatQuery = MapCasesQuery;
export const MapHeat = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      geometry: PointGeometry,
      properties: z.object({ count: z.number().int(), overdue: z.number().int(), weight: z.number() }),
    }),
  ),
  total: z.number().int(),
  /** the busiest cell's count (weight 1) */
  max: z.number().int(),
  period: z.object({ from: z.string(), to: z.string() }),
});
export type MapHeat = z.infer<typeof MapHeat>;

export const GridLoadItem = z.object({
  gridId: z.number(),
  code: z.string(),
  name: z.string(),
  labelLng: z.number(),
  labelLat: z.number(),
  open: z.object({ value: z.number().int(), filter: ListFilter }),
  overdue: z.object({ value: z.number().int(), filter: ListFilter }),
  /** suggested fill: red (something overdue), orange (many open), yellow (some open), green (none open) */
  level: z.enum(['green', 'yellow', 'orange', 'red']),
});
export const GridLoad = z.object({
  items: z.array(GridLoadItem),
  /** open cases outside every grid (unrouted) in scope */
  unrouted: z.object({ value: z.number().int(), filter: ListFilter }),
  /** open cases from which a grid counts as orange */
  busyFrom: z.number(),
  asOf: z.string(),
});
export type GridLoad = z.infer<typeof GridLoad>;

// --- points of interest -----------------------------------------------------------------------------------------

export const POI_TYPES = ['enterprise', 'pollution_source', 'sensitive_point', 'monitoring_station', 'camera'] as const;
export const PoiType = z.enum(POI_TYPES);
export type PoiType = z.infer<typeof PoiType>;

/** The words an import file may use for each type (类型 column / `type` property). */
export const POI_TYPE_LABELS: Record<PoiType, string[]> = {
  enterprise: ['企业', '重点单位', '企业/重点单位', '重点企业', 'enterprise'],
  pollution_source: ['污染源', 'pollution_source'],
  sensitive_point: ['敏感点', '学校', '医院', '幼儿园', '养老院', 'sensitive_point'],
  monitoring_station: ['监测站', '监测点', '空气站', '水质站', 'monitoring_station'],
  camera: ['摄像头', '探头', '视频', '视频监控', 'camera'],
};

export const PoiQuery = z.object({
  /** comma-separated types (default: all) */
  type: z
    .string()
    .max(200)
    .refine((s) => s.split(',').every((x) => x === '' || (POI_TYPES as readonly string[]).includes(x)), `type: comma-separated of ${POI_TYPES.join(', ')}`)
    .optional(),
  bbox: bbox.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(2000),
});

export const PoiProperties = z.object({
  id: z.number(),
  type: PoiType,
  code: z.string().nullable(),
  name: z.string(),
  subtype: z.string().nullable(),
  address: z.string().nullable(),
  gridId: z.number().nullable(),
  industry: z.string().nullable(),
  riskLevel: z.enum(['low', 'medium', 'high']).nullable(),
  contact: z.string().nullable(),
  /** masked (138****1234) unless the reader's role needs it */
  phone: z.string().nullable(),
  /** camera stream address; only for operators, leaders and administrators */
  streamUrl: z.string().nullable(),
  properties: z.record(z.string(), z.unknown()),
});
export const PoiCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({ type: z.literal('Feature'), id: z.number(), geometry: PointGeometry, properties: PoiProperties })),
  truncated: z.boolean(),
});
export type PoiCollection = z.infer<typeof PoiCollection>;

export const PoiImportQuery = z.object({
  /** the datum of the file's coordinates */
  crs: z.enum(['WGS84', 'GCJ02', 'BD09']).default('WGS84'),
  /** check and report only, store nothing */
  dryRun: z.enum(['true', 'false']).default('false'),
});
export const PoiImportProblem = z.object({
  /** spreadsheet row as Excel shows it, or 0-based feature index; null for the whole file */
  row: z.number().nullable(),
  column: z.string().optional(),
  code: z.string(),
  message: z.string(),
});
export type PoiImportProblem = z.infer<typeof PoiImportProblem>;
export const PoiImportResult = z.object({
  created: z.number(),
  updated: z.number(),
  dryRun: z.boolean(),
});

export { poiProblemMessage, type PoiProblemCode } from './messages.js';
