// A very small IndexedDB key-value store (one database, a few object stores keyed by a property), with a
// localStorage fallback where IndexedDB is missing (then photos cannot be kept: blobs are dropped).
const DB_NAME = 'gridwork-offline';
const VERSION = 1;
export const STORES = { outbox: 'outbox', patrol: 'patrol' } as const;
type StoreName = (typeof STORES)[keyof typeof STORES];
const KEY_PATH: Record<StoreName, string> = { outbox: 'clientKey', patrol: 'key' };

let dbPromise: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, VERSION);
      req.onupgradeneeded = () => {
        for (const s of Object.values(STORES)) {
          if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s, { keyPath: KEY_PATH[s] });
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    dbPromise.catch(() => (dbPromise = null));
  }
  return dbPromise;
}

const hasIdb = () => typeof indexedDB !== 'undefined';
const lsKey = (store: StoreName) => `gridwork.${store}`;

function lsRead<T>(store: StoreName): T[] {
  try {
    return JSON.parse(localStorage.getItem(lsKey(store)) ?? '[]') as T[];
  } catch {
    return [];
  }
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export async function getAll<T>(store: StoreName): Promise<T[]> {
  if (!hasIdb()) return lsRead<T>(store);
  const db = await open();
  return done(db.transaction(store, 'readonly').objectStore(store).getAll() as IDBRequest<T[]>);
}

export async function put<T extends object>(store: StoreName, value: T): Promise<void> {
  if (!hasIdb()) {
    const key = KEY_PATH[store] as keyof T;
    const rows = lsRead<T>(store).filter((r) => r[key] !== value[key]);
    localStorage.setItem(lsKey(store), JSON.stringify([...rows, value]));
    return;
  }
  const db = await open();
  await done(db.transaction(store, 'readwrite').objectStore(store).put(value));
}

export async function remove(store: StoreName, key: string): Promise<void> {
  if (!hasIdb()) {
    const k = KEY_PATH[store];
    localStorage.setItem(lsKey(store), JSON.stringify(lsRead<Record<string, unknown>>(store).filter((r) => r[k] !== key)));
    return;
  }
  const db = await open();
  await done(db.transaction(store, 'readwrite').objectStore(store).delete(key));
}
