// Patrols (巡查): a grid worker starts a patrol, sends its GPS track in batches (each with a client key, so a phone
// that was offline can send a batch again and it is stored once), checks in (打卡) in grids on the way, and ends it.
// Shared by the server (validation + OpenAPI) and the web app. Positions are WGS-84 unless `crs` says otherwise.
import { z } from 'zod';
import { dbIdParam } from './db-values.js';

const lng = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const instant = z.iso.datetime({ offset: true });
const clientKey = z.string().trim().min(8).max(100);
const crs = z.enum(['WGS84', 'GCJ02', 'BD09']).default('WGS84');

/** Check-ins need a fix at least this good, in metres. */
export const CHECKIN_MAX_ACCURACY_M = 100;
/** Track points less accurate than this do not count towards the distance walked. */
export const TRACK_MAX_ACCURACY_M = 50;
export const MAX_POINTS_PER_BATCH = 1000;

export const PatrolStart = z.object({
  /** when the phone started it, if it was offline (default: now) */
  at: instant.optional(),
  lng: lng.optional(),
  lat: lat.optional(),
  crs,
  /** idempotency key made by the phone: starting twice with it gives the same patrol */
  clientKey: clientKey.optional(),
  note: z.string().trim().max(500).optional(),
});
export type PatrolStart = z.infer<typeof PatrolStart>;

export const TrackPoint = z.object({ at: instant, lng, lat, accuracy: z.number().min(0).max(100_000).optional() });
export const PointBatch = z.object({
  /** the phone's key for this batch; a batch sent again with the same key is stored once */
  batchKey: clientKey,
  crs,
  points: z.array(TrackPoint).min(1).max(MAX_POINTS_PER_BATCH),
});
export type PointBatch = z.infer<typeof PointBatch>;
export const PointBatchResult = z.object({
  /** points stored by this request (0 for a batch already received) */
  stored: z.number(),
  duplicate: z.boolean(),
  pointCount: z.number(),
  distanceM: z.number(),
});

export const CheckinInput = z.object({
  lng,
  lat,
  crs,
  /** horizontal accuracy of the fix, in metres */
  accuracy: z.number().min(0).max(100_000),
  at: instant.optional(),
  clientKey: clientKey.optional(),
});
export type CheckinInput = z.infer<typeof CheckinInput>;

/** The body may be left out. */
export const PatrolEnd = z.object({ at: instant.optional() }).nullish();

export const Checkin = z.object({
  id: z.number(),
  gridId: z.number(),
  gridName: z.string(),
  at: z.string(),
  lng: z.number(),
  lat: z.number(),
  accuracy: z.number().nullable(),
});
export type Checkin = z.infer<typeof Checkin>;

export const PatrolSummary = z.object({
  id: z.number(),
  userId: z.number(),
  userName: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  distanceM: z.number(),
  pointCount: z.number(),
  checkinCount: z.number(),
  note: z.string(),
});
export type PatrolSummary = z.infer<typeof PatrolSummary>;

export const PatrolDetail = PatrolSummary.extend({
  /** the track as a GeoJSON LineString (points in time order; inaccurate fixes included, flagged in `accuracies`) */
  track: z.object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([z.number(), z.number()])) }),
  times: z.array(z.string()),
  accuracies: z.array(z.number().nullable()),
  checkins: z.array(Checkin),
});
export type PatrolDetail = z.infer<typeof PatrolDetail>;

export const PatrolListQuery = z.object({
  /** first day (Asia/Shanghai) the patrol started on (default: 6 days before `to`) */
  from: z.iso.date().optional(),
  /** last day, inclusive (default: today) */
  to: z.iso.date().optional(),
  userId: dbIdParam().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const PatrolList = z.object({ items: z.array(PatrolSummary), total: z.number() });

export const CoverageQuery = z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() });
export const Coverage = z.object({
  from: z.string(),
  to: z.string(),
  /** A-class grids of the scope */
  total: z.number(),
  /** of them, grids with at least one check-in in the period */
  covered: z.number(),
  /** covered / total; null without grids */
  rate: z.number().nullable(),
  items: z.array(
    z.object({ gridId: z.number(), code: z.string(), name: z.string(), checkins: z.number(), lastCheckinAt: z.string().nullable(), covered: z.boolean() }),
  ),
});
export type Coverage = z.infer<typeof Coverage>;
