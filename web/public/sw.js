// Gridwork's service worker: keeps the app shell (index.html and the assets it names, the lazy chunks as they are
// loaded, icons, manifest) so the installed app starts without a connection. Same-origin requests only, no outside
// network. Of /api it keeps one answer: the session probe (GET /api/auth/session), so an offline start still knows
// who is signed in (the server checks the cookie again as soon as it is reachable); a logout or a 401 forgets it.
// Everything else under /api goes to the network: reports made offline wait in the page's own queue (IndexedDB).
const SHELL_CACHE = 'gw-shell-v3';
const SESSION_CACHE = 'gw-session-v1';
const SESSION_URL = '/api/auth/session';
const STATIC = ['/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon.svg'];

/**
 * Caches index.html, the scripts and styles it names, and every other script and style of the release
 * (shell-assets.json, written by the build), so pages whose lazy chunks were never opened online still open offline.
 * A new release names new hashed files; the ones already cached are not fetched again.
 */
async function cacheShell(cache, response) {
  const html = await response.clone().text();
  await cache.put('/', response.clone());
  const named = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  let listed = [];
  try {
    const list = await fetch('/shell-assets.json', { cache: 'no-store' });
    if (list.ok) listed = (await list.json()).assets || [];
  } catch {
    /* no list (a development build, or offline): the assets index.html names are enough to start */
  }
  const assets = [...new Set([...named, ...listed])];
  await Promise.all(assets.map(async (url) => ((await cache.match(url)) ? undefined : cache.add(url).catch(() => undefined))));
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await Promise.all(STATIC.map((url) => cache.add(url).catch(() => undefined)));
      try {
        const response = await fetch('/', { cache: 'no-store' });
        if (response.ok) await cacheShell(cache, response);
      } catch {
        /* offline at install: the shell is cached on the next visit */
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('gw-') && k !== SHELL_CACHE && k !== SESSION_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirstPage(event) {
  const request = event.request;
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    // the page is shown at once; the release's assets are cached behind it
    if (response.ok && (response.headers.get('content-type') || '').includes('text/html')) event.waitUntil(cacheShell(cache, response.clone()));
    return response;
  } catch (err) {
    const cached = await cache.match('/');
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function staleWhileRevalidate(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  const fresh = fetch(request)
    .then((response) => {
      if (response.ok) void cache.put(request, response.clone());
      return response;
    })
    .catch(() => cached);
  return cached || fresh;
}

async function session(request) {
  const cache = await caches.open(SESSION_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(SESSION_URL, response.clone());
    else if (response.status === 401) await cache.delete(SESSION_URL);
    return response;
  } catch (err) {
    const cached = await cache.match(SESSION_URL);
    if (cached) return cached;
    throw err;
  }
}

/** A login answers with the same session the probe gives: kept as the probe's answer. */
async function login(request) {
  const cache = await caches.open(SESSION_CACHE);
  await cache.delete(SESSION_URL);
  const response = await fetch(request);
  if (response.ok) await cache.put(SESSION_URL, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    if (request.method === 'GET' && url.pathname === SESSION_URL) event.respondWith(session(request));
    else if (request.method === 'POST' && url.pathname === '/api/auth/login') event.respondWith(login(request));
    else if (request.method === 'POST' && url.pathname === '/api/auth/logout') {
      event.waitUntil(caches.open(SESSION_CACHE).then((c) => c.delete(SESSION_URL)));
    }
    return;
  }
  if (request.method !== 'GET' || url.pathname === '/sw.js') return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirstPage(event));
  } else if (url.pathname.startsWith('/assets/')) {
    // hashed file names: a name never changes its content
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.startsWith('/icons/') || url.pathname === '/manifest.webmanifest') {
    event.respondWith(staleWhileRevalidate(request));
  }
});
