// Points of interest (基础数据 on the map): enterprises and key units, pollution sources, sensitive points
// (schools, hospitals), monitoring stations, cameras. Read by type and box within the reader's scope; imported
// from GeoJSON or a spreadsheet (类型/名称/经度/纬度/地址/…) all or nothing, with every problem named by its row
// or feature, coordinates converted from the declared datum to WGS-84 at the edge.
import ExcelJS from 'exceljs';
import { maskPhone, phoneFor } from '../domain/phone-mask.js';
import { checkSpreadsheet, DEFAULT_SPREADSHEET_LIMITS } from '../domain/spreadsheet-limits.js';
import type { Feature, FeatureCollection } from 'geojson';
import type { ActorContext } from './context.js';
import { caseScope, requireRole } from './access.js';
import { locate } from './grids/lookup.js';
import { positionToWgs84, type Crs } from '../domain/map/coordinates.js';
import type { Actor } from '../domain/access.js';
import { inTransaction, type DbOrTx } from '../data/db.js';
import { insertAudit } from '../data/repos/audit.js';
import { countPois, listPoiKeys, listPois, upsertPois, type PoiRecord } from '../data/repos/poi.js';
import { POI_TYPE_LABELS, POI_TYPES, poiProblemMessage, type PoiCollection, type PoiProblemCode, type PoiType } from '../shared/map-api.js';
import { DomainError } from '../domain/errors.js';
import type { Lang } from '../shared/messages.js';

export const POI_MAX_ROWS = 5000;
const MAX_NAME = 100;
const MAX_TEXT = 200;

/** One row or feature before validation: the texts as the file had them. */
export interface PoiDraft {
  /** spreadsheet row as Excel shows it, or 0-based feature index */
  row: number;
  fields: Partial<Record<PoiField, string>>;
  /** the other columns or properties, kept with the point */
  extra: Record<string, unknown>;
  /** GeoJSON geometry that is not a Point */
  badGeometry?: boolean;
}

export type PoiField = 'type' | 'name' | 'lng' | 'lat' | 'address' | 'code' | 'subtype' | 'industry' | 'riskLevel' | 'contact' | 'phone' | 'streamUrl';

/** Column headers and property names for each field (Chinese first; the English codes re-import an export). */
const FIELD_NAMES: Record<PoiField, string[]> = {
  type: ['类型', '类别', 'type'],
  name: ['名称', '单位名称', 'name'],
  lng: ['经度', 'lng', 'lon', 'longitude'],
  lat: ['纬度', 'lat', 'latitude'],
  address: ['地址', 'address'],
  code: ['编码', '编号', 'code'],
  subtype: ['子类', '小类', 'subtype'],
  industry: ['行业', 'industry'],
  riskLevel: ['风险等级', '风险', 'risk', 'riskLevel'],
  contact: ['联系人', 'contact'],
  phone: ['电话', '联系电话', '手机', 'phone'],
  streamUrl: ['视频地址', '流地址', '视频流', 'streamUrl', 'stream_url'],
};
const FIELD_OF = new Map<string, PoiField>(Object.entries(FIELD_NAMES).flatMap(([f, names]) => names.map((n) => [n.toLowerCase(), f as PoiField])));
const LABELS: Record<PoiField, string> = Object.fromEntries(Object.entries(FIELD_NAMES).map(([f, n]) => [f, n[0]!])) as Record<PoiField, string>;

const TYPE_OF = new Map<string, PoiType>(POI_TYPES.flatMap((t) => POI_TYPE_LABELS[t].map((l) => [l.toLowerCase(), t] as [string, PoiType])));
/** Type words that also say the subtype (a 学校 is a sensitive point of subtype 学校). */
const SUBTYPE_WORDS = new Set(['学校', '医院', '幼儿园', '养老院', '空气站', '水质站', '重点单位', '重点企业']);
const RISK: Record<string, 'low' | 'medium' | 'high'> = { 低: 'low', 中: 'medium', 高: 'high', 一般: 'low', 较大: 'medium', 重大: 'high', low: 'low', medium: 'medium', high: 'high' };

export interface PoiProblem {
  row: number | null;
  column?: string;
  code: PoiProblemCode;
  params: Record<string, string | number>;
}

function text(v: unknown): string {
  if (v == null) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('').trim();
    if ('text' in o) return text(o.text);
    if ('result' in o) return text(o.result);
    if ('hyperlink' in o) return text(o.hyperlink);
  }
  return '';
}

/** Drafts from a GeoJSON FeatureCollection (properties named like the spreadsheet's columns). */
export function draftsFromGeoJson(fc: unknown): { drafts: PoiDraft[]; problems: PoiProblem[] } {
  const c = fc as FeatureCollection | null;
  if (!c || typeof c !== 'object' || c.type !== 'FeatureCollection' || !Array.isArray(c.features)) {
    return { drafts: [], problems: [{ row: null, code: 'not_feature_collection', params: {} }] };
  }
  const drafts = c.features.map((f: Feature, i) => {
    const fields: PoiDraft['fields'] = {};
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(f?.properties ?? {})) {
      const field = FIELD_OF.get(k.toLowerCase());
      if (field) fields[field] = text(v);
      else extra[k] = v;
    }
    const g = f?.geometry;
    const isPoint = g?.type === 'Point' && Array.isArray(g.coordinates);
    if (isPoint) {
      fields.lng = String(g.coordinates[0]);
      fields.lat = String(g.coordinates[1]);
    }
    return { row: i, fields, extra, ...(isPoint ? {} : { badGeometry: true }) };
  });
  return { drafts, problems: [] };
}

/** Drafts from the first sheet of a workbook: a header row, then one point per row; blank rows are skipped. */
export async function draftsFromXlsx(bytes: Buffer): Promise<{ drafts: PoiDraft[]; problems: PoiProblem[] }> {
  checkSpreadsheet(bytes, { ...DEFAULT_SPREADSHEET_LIMITS, maxRows: POI_MAX_ROWS });
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    return { drafts: [], problems: [{ row: null, code: 'unreadable_file', params: {} }] };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { drafts: [], problems: [{ row: null, code: 'no_rows', params: {} }] };
  const columns = new Map<number, { field: PoiField | null; header: string }>();
  ws.getRow(1).eachCell((cell, col) => {
    const header = text(cell.value).replace(/[*＊]|[（(]必填[)）]|[（(]选填[)）]/g, '').trim();
    if (header) columns.set(col, { field: FIELD_OF.get(header.toLowerCase()) ?? null, header });
  });
  const present = new Set([...columns.values()].map((c) => c.field));
  const missing = (['type', 'name', 'lng', 'lat'] as const).filter((f) => !present.has(f));
  if (missing.length) return { drafts: [], problems: missing.map((f) => ({ row: 1, column: LABELS[f], code: 'missing_column' as const, params: { column: LABELS[f] } })) };
  const drafts: PoiDraft[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const fields: PoiDraft['fields'] = {};
    const extra: Record<string, unknown> = {};
    for (const [col, { field, header }] of columns) {
      const v = text(row.getCell(col).value);
      if (v === '') continue;
      if (field) fields[field] = v;
      else extra[header] = v;
    }
    if (Object.keys(fields).length === 0 && Object.keys(extra).length === 0) continue;
    drafts.push({ row: r, fields, extra });
  }
  return { drafts, problems: [] };
}

/** A record ready to store (WGS-84, located) or the row's problems. */
export async function validateDrafts(db: DbOrTx, drafts: readonly PoiDraft[], crs: Crs): Promise<{ records: PoiRecord[]; problems: PoiProblem[] }> {
  const problems: PoiProblem[] = [];
  if (drafts.length === 0) return { records: [], problems: [{ row: null, code: 'no_rows', params: {} }] };
  if (drafts.length > POI_MAX_ROWS) return { records: [], problems: [{ row: null, code: 'too_many', params: { max: POI_MAX_ROWS, count: drafts.length } }] };
  const records: PoiRecord[] = [];
  const codes = new Map<string, number>();
  for (const d of drafts) {
    const before = problems.length;
    const bad = (field: PoiField | null, code: PoiProblemCode, params: Record<string, string | number> = {}) =>
      problems.push({ row: d.row, ...(field ? { column: LABELS[field] } : {}), code, params: { ...(field ? { column: LABELS[field] } : {}), ...params } });
    const f = d.fields;
    if (d.badGeometry) bad(null, 'geometry_not_point');
    const typeWord = f.type ?? '';
    const type = TYPE_OF.get(typeWord.toLowerCase()) ?? null;
    if (!type) bad('type', 'type_unknown', { value: typeWord });
    const name = f.name ?? '';
    if (!name) bad('name', 'name_missing');
    else if ([...name].length > MAX_NAME) bad('name', 'value_too_long', { max: MAX_NAME });
    for (const k of ['address', 'subtype', 'industry', 'contact', 'phone', 'code'] as const) {
      if ([...(f[k] ?? '')].length > MAX_TEXT) bad(k, 'value_too_long', { max: MAX_TEXT });
    }
    const lng = Number(f.lng);
    const lat = Number(f.lat);
    const lngOk = f.lng !== undefined && f.lng !== '' && Number.isFinite(lng) && lng >= -180 && lng <= 180;
    const latOk = f.lat !== undefined && f.lat !== '' && Number.isFinite(lat) && lat >= -90 && lat <= 90;
    if (!d.badGeometry && !lngOk) bad('lng', 'lng_invalid', { value: f.lng ?? '' });
    if (!d.badGeometry && !latOk) bad('lat', 'lat_invalid', { value: f.lat ?? '' });
    const risk = f.riskLevel ? (RISK[f.riskLevel.toLowerCase()] ?? null) : null;
    if (f.riskLevel && !risk) bad('riskLevel', 'risk_invalid', { value: f.riskLevel });
    if (f.streamUrl && !/^(rtsp|rtmp|https?):\/\/\S+$/i.test(f.streamUrl)) bad('streamUrl', 'stream_url_invalid', { value: f.streamUrl });
    const code = f.code || null;
    if (code && type) {
      const other = codes.get(`${type}\u0000${code}`);
      if (other !== undefined) bad('code', 'code_duplicate', { value: code, other });
      else codes.set(`${type}\u0000${code}`, d.row);
    }
    if (problems.length > before || !type || !lngOk || !latOk) continue;
    const [x, y] = positionToWgs84([lng, lat], crs);
    const place = await locate(db, x!, y!);
    const areaPath = place.path ?? (place.suggested ? place.suggested.path.replace(/g\d+\/$/, '') : null);
    if (!areaPath) {
      bad(null, 'outside_grids');
      continue;
    }
    records.push({
      type,
      code,
      name,
      subtype: f.subtype || (SUBTYPE_WORDS.has(typeWord) ? typeWord : null),
      lng: x!,
      lat: y!,
      address: f.address || null,
      gridId: place.gridId,
      areaPath,
      industry: f.industry || null,
      riskLevel: risk,
      contact: f.contact || null,
      phone: f.phone || null,
      streamUrl: f.streamUrl || null,
      properties: d.extra,
    });
  }
  return { records, problems };
}

export interface PoiImportInput {
  crs: Crs;
  dryRun: boolean;
  /** a parsed GeoJSON body, or the bytes of an uploaded file */
  geojson?: unknown;
  file?: { bytes: Buffer; filename: string };
}

export async function importPois(ctx: ActorContext, input: PoiImportInput) {
  const { db, actor, now } = ctx;
  requireRole(actor, ['admin', 'operator']);
  let parsed: { drafts: PoiDraft[]; problems: PoiProblem[] };
  if (input.file) {
    const isJson = /\.(geo)?json$/i.test(input.file.filename) || input.file.bytes[0] === 0x7b; // '{'
    if (isJson) {
      let body: unknown;
      try {
        body = JSON.parse(input.file.bytes.toString('utf8'));
      } catch {
        body = null;
      }
      parsed = body ? draftsFromGeoJson(body) : { drafts: [], problems: [{ row: null, code: 'unreadable_file', params: {} }] };
    } else parsed = await draftsFromXlsx(input.file.bytes);
  } else if (input.geojson !== undefined) parsed = draftsFromGeoJson(input.geojson);
  else throw new DomainError('poi_import_empty');
  const { records, problems } = parsed.problems.length ? { records: [], problems: parsed.problems } : await validateDrafts(db, parsed.drafts, input.crs);
  if (problems.length) {
    throw new DomainError('poi_import_invalid', { count: problems.length }, (lang: Lang) =>
      problems.map((p) => ({ row: p.row, ...(p.column ? { column: p.column } : {}), code: p.code, message: poiProblemMessage(p.code, p.params, lang) })),
    );
  }
  if (input.dryRun) {
    const existing = new Set(
      (await listPoiKeys(db)).map((r) => `${r.type}\u0000${r.code}`),
    );
    const updated = records.filter((r) => r.code && existing.has(`${r.type}\u0000${r.code}`)).length;
    return { created: records.length - updated, updated, dryRun: true };
  }
  return inTransaction(db, async (trx) => {
    const counts = await upsertPois(trx, records, actor.id, now);
    const byType = Object.fromEntries(POI_TYPES.map((t) => [t, records.filter((r) => r.type === t).length]).filter(([, n]) => n));
    await insertAudit(trx, {
      actorId: actor.id,
      action: 'poi.import',
      targetType: 'poi',
      targetId: null,
      summary: `导入兴趣点 ${records.length} 个（新增 ${counts.created}，更新 ${counts.updated}）`,
      data: { ...counts, byType, crs: input.crs, source: input.file ? input.file.filename : 'geojson' },
      ip: ctx.ip,
      at: now,
    });
    return { ...counts, dryRun: false };
  });
}

/** The one masking rule (src/domain/phone-mask.ts): the middle of a phone number hidden from roles that do not call it. */
export { maskPhone };

const SEES_STREAMS = new Set<Actor['role']>(['admin', 'operator', 'leader']);

export async function searchPois(ctx: ActorContext, q: { types?: PoiType[] | undefined; bbox?: [number, number, number, number] | undefined; limit: number }): Promise<PoiCollection> {
  const { actor } = ctx;
  requireRole(actor, ['admin', 'operator', 'leader', 'grid_worker', 'department']);
  const rows = await listPois(ctx.db, caseScope(actor), q);
  const truncated = rows.length > q.limit;
  return {
    type: 'FeatureCollection',
    truncated,
    features: rows.slice(0, q.limit).map((r) => ({
      type: 'Feature' as const,
      id: r.id,
      geometry: { type: 'Point' as const, coordinates: [r.lng, r.lat] as [number, number] },
      properties: {
        id: r.id,
        type: r.type,
        code: r.code,
        name: r.name,
        subtype: r.subtype,
        address: r.address,
        gridId: r.grid_id,
        industry: r.industry,
        riskLevel: r.risk_level,
        contact: r.contact,
        phone: phoneFor(actor, r.phone),
        streamUrl: SEES_STREAMS.has(actor.role) ? r.stream_url : null,
        properties: r.properties,
      },
    })),
  };
}
