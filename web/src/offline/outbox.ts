// The offline report queue (待发送上报). A report that cannot reach the server is kept in IndexedDB with the
// clientKey made when its form was opened, its photos as blobs; it is sent when the connection returns (the
// `online` event, a retry every 20 s while anything waits, and at start). The server stores a report once per
// reporter and clientKey, so a report whose answer was lost and is sent again still makes one case.
import type { ReportInput } from '../../../src/shared/api';
import { api, ApiError } from '../api';
import { getAll, put, remove, STORES } from './idb';

export interface QueuedPhoto {
  name: string;
  type: string;
  blob: Blob;
}

export interface OutboxItem {
  clientKey: string;
  /** only the user who made it sends it */
  userId: number;
  createdAt: string;
  input: Omit<ReportInput, 'photos' | 'clientKey'>;
  /** photos already uploaded */
  photoHashes: string[];
  /** photos still to upload */
  photoBlobs: QueuedPhoto[];
  status: 'pending' | 'sending' | 'refused';
  error?: string;
  attempts: number;
}

export interface SentReport {
  clientKey: string;
  id: number;
  number: string;
}

/** A fresh idempotency key (the server accepts 8–100 characters). */
export function newClientKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return `r-${crypto.randomUUID()}`;
  return `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

/** A failure worth retrying later: no connection, a server error, or a logged-out session. */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  return err.status === 0 || err.status === 401 || err.status === 408 || err.status === 429 || err.status >= 500;
}

// --- a store the pages subscribe to ------------------------------------------------------------------------------

let items: OutboxItem[] = [];
let loaded = false;
const listeners = new Set<() => void>();
const sentListeners = new Set<(s: SentReport) => void>();

function emit(): void {
  for (const l of listeners) l();
}

export function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
export function snapshot(): OutboxItem[] {
  return items;
}
export function onSent(l: (s: SentReport) => void): () => void {
  sentListeners.add(l);
  return () => sentListeners.delete(l);
}

export async function loadOutbox(): Promise<OutboxItem[]> {
  try {
    items = (await getAll<OutboxItem>(STORES.outbox)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  } catch (err) {
    console.warn('outbox unavailable', err);
  }
  // an item left 'sending' by a closed tab is pending again (the clientKey makes a resend safe)
  items = items.map((i) => (i.status === 'sending' ? { ...i, status: 'pending' } : i));
  loaded = true;
  emit();
  return items;
}

async function save(item: OutboxItem): Promise<void> {
  await put(STORES.outbox, item);
  items = [...items.filter((i) => i.clientKey !== item.clientKey), item].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  emit();
}

export async function queueReport(item: Omit<OutboxItem, 'status' | 'attempts' | 'createdAt'> & { createdAt?: string }): Promise<void> {
  if (!loaded) await loadOutbox();
  await save({ ...item, createdAt: item.createdAt ?? new Date().toISOString(), status: 'pending', attempts: 0 });
}

export async function removeQueued(clientKey: string): Promise<void> {
  await remove(STORES.outbox, clientKey);
  items = items.filter((i) => i.clientKey !== clientKey);
  emit();
}

// --- sending -----------------------------------------------------------------------------------------------------

let running: Promise<number> | null = null;

/** Sends what waits for this user, oldest first, one at a time; returns how many were sent. One run at a time. */
export function syncOutbox(userId: number): Promise<number> {
  if (!running) {
    running = run(userId).finally(() => (running = null));
  }
  return running;
}

async function run(userId: number): Promise<number> {
  if (!loaded) await loadOutbox();
  let sent = 0;
  for (const queued of [...items]) {
    if (queued.userId !== userId || queued.status === 'refused') continue;
    let item: OutboxItem = { ...queued, status: 'sending', attempts: queued.attempts + 1 };
    await save(item);
    try {
      // photos first: each uploaded one moves from blobs to hashes, so a retry does not upload it again
      while (item.photoBlobs.length) {
        const [photo, ...rest] = item.photoBlobs;
        const uploaded = await api.uploadPhoto(photo!.blob, photo!.name);
        item = { ...item, photoHashes: [...item.photoHashes, uploaded.hash], photoBlobs: rest };
        await save(item);
      }
      const detail = await api.report({ ...item.input, photos: item.photoHashes, clientKey: item.clientKey } as ReportInput);
      await removeQueued(item.clientKey);
      sent++;
      for (const l of sentListeners) l({ clientKey: item.clientKey, id: detail.id, number: detail.number });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isTransient(err)) {
        await save({ ...item, status: 'pending', error: message });
        break; // no connection: the rest waits too
      }
      await save({ ...item, status: 'refused', error: message });
    }
  }
  return sent;
}
