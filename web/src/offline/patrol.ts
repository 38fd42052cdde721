// The running patrol (巡查) on this phone: started on the server (POST /api/patrols with a clientKey), followed by
// watchPosition, its track sent in batches (each with its own batchKey, so a batch resent after a lost answer is
// stored once), check-ins (打卡) in grids, and ended. Kept in IndexedDB so a reload or a dead zone loses nothing:
// points wait in batches until the connection returns. Where the patrol API is missing (404) the track stays local.
import type { Checkin, PatrolDetail } from '../../../src/shared/patrol-api';
import { ApiError, request } from '../api';
import { getAll, put, remove, STORES } from './idb';
import { isTransient, newClientKey } from './outbox';

export interface TrackPointLocal {
  at: string;
  lng: number;
  lat: number;
  accuracy?: number;
}

export interface PatrolLocal {
  key: 'active';
  userId: number;
  clientKey: string;
  patrolId: number | null;
  startedAt: string;
  /** points not yet in a batch */
  pending: TrackPointLocal[];
  /** batches waiting to be sent */
  batches: { batchKey: string; points: TrackPointLocal[] }[];
  /** the whole track, for the map */
  track: [number, number][];
  distanceM: number;
  pointCount: number;
  checkins: Checkin[];
  last: TrackPointLocal | null;
  /** the server has no patrol API: everything stays local */
  local: boolean;
}

const TRACK_MAX_ACCURACY_M = 50;
const BATCH_POINTS = 20;
const FLUSH_MS = 30_000;

export const patrolApi = {
  start: (body: { at?: string; lng?: number; lat?: number; clientKey: string }) => request<PatrolDetail>('/patrols', { method: 'POST', body }),
  points: (id: number, body: { batchKey: string; points: TrackPointLocal[] }) =>
    request<{ stored: number; duplicate: boolean; pointCount: number; distanceM: number }>(`/patrols/${id}/points`, { method: 'POST', body }),
  checkIn: (id: number, body: { lng: number; lat: number; accuracy: number; at?: string; clientKey: string }) =>
    request<PatrolDetail>(`/patrols/${id}/checkins`, { method: 'POST', body }),
  end: (id: number, at?: string) => request<PatrolDetail>(`/patrols/${id}/end`, { method: 'POST', body: at ? { at } : {} }),
  list: (q: { userId?: number; from?: string; to?: string }) =>
    request<{ items: import('../../../src/shared/patrol-api').PatrolSummary[]; total: number }>('/patrols', { query: { ...q, pageSize: 10 } }),
};

let state: PatrolLocal | null = null;
let loaded = false;
let watchId: number | null = null;
let timer: number | null = null;
let flushing: Promise<void> | null = null;
const listeners = new Set<() => void>();

function emit(): void {
  for (const l of listeners) l();
}
export function subscribePatrol(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
export function patrolSnapshot(): PatrolLocal | null {
  return state;
}

async function persist(next: PatrolLocal | null): Promise<void> {
  state = next;
  emit();
  try {
    if (next) await put(STORES.patrol, next);
    else await remove(STORES.patrol, 'active');
  } catch (err) {
    console.warn('patrol not stored', err);
  }
}

function metres(a: TrackPointLocal, b: TrackPointLocal): number {
  const R = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

const isMissing = (err: unknown) => err instanceof ApiError && err.status === 404;

/** Loads a patrol left running (after a reload) and resumes following it. */
export async function resumePatrol(userId: number): Promise<void> {
  if (!loaded) {
    loaded = true;
    try {
      const rows = await getAll<PatrolLocal>(STORES.patrol);
      state = rows.find((r) => r.key === 'active') ?? null;
    } catch {
      state = null;
    }
    emit();
  }
  if (state && state.userId === userId) {
    follow();
    void flushPatrol();
  }
}

function follow(): void {
  if (watchId == null && 'geolocation' in navigator) {
    watchId = navigator.geolocation.watchPosition(
      (pos) =>
        void addPoint({
          at: new Date(pos.timestamp || Date.now()).toISOString(),
          lng: Math.round(pos.coords.longitude * 1e6) / 1e6,
          lat: Math.round(pos.coords.latitude * 1e6) / 1e6,
          accuracy: Math.round(pos.coords.accuracy),
        }),
      (err) => console.warn('patrol position', err.message),
      { enableHighAccuracy: true, maximumAge: 5_000, timeout: 30_000 },
    );
  }
  if (timer == null) timer = window.setInterval(() => void flushPatrol(true), FLUSH_MS);
}

function unfollow(): void {
  if (watchId != null) navigator.geolocation.clearWatch(watchId);
  watchId = null;
  if (timer != null) window.clearInterval(timer);
  timer = null;
}

export async function startPatrol(userId: number, at?: TrackPointLocal | null): Promise<void> {
  if (state) return;
  const startedAt = new Date().toISOString();
  const next: PatrolLocal = {
    key: 'active',
    userId,
    clientKey: newClientKey(),
    patrolId: null,
    startedAt,
    pending: [],
    batches: [],
    track: [],
    distanceM: 0,
    pointCount: 0,
    checkins: [],
    last: null,
    local: false,
  };
  await persist(next);
  try {
    await ensureStarted(at ?? undefined);
  } catch (err) {
    // refused (not a grid worker, …): nothing runs
    await persist(null);
    throw err;
  }
  if (at) await addPoint(at);
  follow();
}

async function ensureStarted(at?: TrackPointLocal): Promise<void> {
  if (!state || state.patrolId != null || state.local) return;
  try {
    const detail = await patrolApi.start({ at: state.startedAt, clientKey: state.clientKey, ...(at ? { lng: at.lng, lat: at.lat } : {}) });
    // a patrol already running on the server (another phone, a lost answer) is the one we follow
    await persist({ ...state, patrolId: detail.id, startedAt: detail.startedAt, checkins: detail.checkins });
  } catch (err) {
    if (isMissing(err)) await persist({ ...state, local: true });
    else if (!isTransient(err)) throw err;
  }
}

export async function addPoint(p: TrackPointLocal): Promise<void> {
  if (!state) return;
  const last = state.last;
  const counts = (p.accuracy ?? 0) <= TRACK_MAX_ACCURACY_M;
  const step = last && counts && (last.accuracy ?? 0) <= TRACK_MAX_ACCURACY_M ? metres(last, p) : 0;
  const pending = [...state.pending, p];
  await persist({
    ...state,
    pending: pending.length >= BATCH_POINTS ? [] : pending,
    batches: pending.length >= BATCH_POINTS ? [...state.batches, { batchKey: newClientKey(), points: pending }] : state.batches,
    track: [...state.track, [p.lng, p.lat]],
    distanceM: state.distanceM + step,
    pointCount: state.pointCount + 1,
    last: p,
  });
  if (state!.batches.length) void flushPatrol();
}

/** Sends waiting batches (with `all`, the pending points too, as a new batch). */
export function flushPatrol(all = false): Promise<void> {
  if (!flushing) flushing = doFlush(all).finally(() => (flushing = null));
  return flushing;
}

async function doFlush(all: boolean): Promise<void> {
  if (!state) return;
  if (all && state.pending.length) {
    await persist({ ...state, pending: [], batches: [...state.batches, { batchKey: newClientKey(), points: state.pending }] });
  }
  if (state.local || !navigator.onLine) return;
  await ensureStarted();
  while (state && state.patrolId != null && state.batches.length) {
    const batch = state.batches[0]!;
    try {
      const r = await patrolApi.points(state.patrolId, batch);
      await persist({ ...state, batches: state.batches.slice(1), distanceM: Math.max(state.distanceM, r.distanceM) });
    } catch (err) {
      if (isTransient(err)) return;
      // refused (e.g. points outside the patrol's time): dropped so the rest can go
      console.warn('patrol batch refused', err);
      await persist({ ...state, batches: state.batches.slice(1) });
    }
  }
}

export async function checkInPatrol(p: { lng: number; lat: number; accuracy: number; at: string }): Promise<Checkin | null> {
  if (!state) return null;
  await ensureStarted();
  if (state.local || state.patrolId == null) throw new ApiError(0, 'network', 'offline');
  const before = new Set(state.checkins.map((c) => c.id));
  const detail = await patrolApi.checkIn(state.patrolId, { ...p, clientKey: newClientKey() });
  await persist({ ...state, checkins: detail.checkins });
  return detail.checkins.find((c) => !before.has(c.id)) ?? detail.checkins[detail.checkins.length - 1] ?? null;
}

export async function stopPatrol(): Promise<PatrolDetail | null> {
  if (!state) return null;
  await flushPatrol(true);
  let detail: PatrolDetail | null = null;
  if (!state.local) {
    if (state.patrolId == null || state.batches.length) throw new ApiError(0, 'network', 'offline');
    detail = await patrolApi.end(state.patrolId, new Date().toISOString());
  }
  unfollow();
  await persist(null);
  return detail;
}
