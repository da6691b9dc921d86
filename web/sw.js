// sw.js - the web map's service worker (built by build.mjs into dist/sw.js, served at
// /map/sw.js so its scope is /map/): a reload without signal still shows the app and the
// data and tiles already seen.
// - The app shell (the page, the hashed bundle, the landing document with the city profile
//   and the catalog in both languages) is cached at install, under a name carrying the
//   build's version; activating a new version deletes every older cache.
// - Hashed files never change: cache first.
// - Everything else the page GETs from this server (API JSON: styles, items, statistics;
//   tiles) goes to the network first, and a copy is kept in a bounded cache that answers
//   when the network fails. The page itself is fetched the same way, with the cached
//   shell as the answer offline.
/* global CITYATLAS_BUILD */
const { version, shell } = CITYATLAS_BUILD;
const SHELL_CACHE = `cityatlas-shell-${version}`;
const DATA_CACHE = `cityatlas-data-${version}`;
// The data cache keeps at most this many responses (the oldest stored go first): a
// phone's storage is not ours to fill. Tiles and items pages are tens of kB each.
const DATA_MAX_ENTRIES = 400;
// Listing the cache costs more than storing: it is trimmed every few stores, so it may
// hold up to TRIM_EVERY entries more for a while.
const TRIM_EVERY = 20;
let stored = 0;
// API documents the first view needs, relative to /map/; fetched as the page does
// (Accept: application/json), since the server answers HTML to a browser's Accept.
const API_SHELL = ['../?f=json', '../collections?lang=th&f=json', '../collections?lang=en&f=json'];
const JSON_ACCEPT = { Accept: 'application/json' };

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(shell);
      await cache.addAll(API_SHELL.map((u) => new Request(u, { headers: JSON_ACCEPT })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const current = new Set([SHELL_CACHE, DATA_CACHE]);
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith('cityatlas-') && !current.has(n)).map((n) => caches.delete(n)));
      await self.clients.claim();
    })(),
  );
});

async function trimData(cache) {
  const keys = await cache.keys();
  for (let i = 0; i < keys.length - DATA_MAX_ENTRIES; i++) {
    await cache.delete(keys[i]);
  }
}

// The server varies its answers by Accept; a hashed file is one file whatever the request
// accepted (a style sheet is asked for with text/css, precached with */*).
async function cacheFirst(request) {
  const hit = await caches.match(request, { ignoreVary: true });
  return hit || fetch(request);
}

// The network's answer when there is one (a good one is stored); else the stored copy;
// else the network's error as it was.
async function networkFirst(request, fallbackUrl) {
  try {
    const resp = await fetch(request);
    if (resp.ok) {
      const copy = resp.clone();
      const cache = await caches.open(DATA_CACHE);
      // Replacing an entry moves it to the end, so the trim drops the least recently stored.
      await cache.delete(request);
      await cache.put(request, copy);
      if (++stored % TRIM_EVERY === 0) {
        await trimData(cache);
      }
    }
    return resp;
  } catch (err) {
    // Offline, a copy stored for another Accept is better than nothing: what the page
    // fetches from the API is JSON whatever it accepted (the preloads accept */*).
    const hit =
      (await caches.match(request)) ||
      (await caches.match(request, { ignoreVary: true })) ||
      (fallbackUrl && (await caches.match(fallbackUrl, { ignoreVary: true })));
    if (hit) {
      return hit;
    }
    throw err;
  }
}

// The page's "keep" message: URLs it fetched before this worker controlled it (its first
// view), stored as if they had passed through; bounded like the rest of the data cache.
async function keep(urls) {
  const cache = await caches.open(DATA_CACHE);
  for (const u of urls.slice(-DATA_MAX_ENTRIES)) {
    const request = new Request(u, { headers: JSON_ACCEPT });
    if (new URL(u).origin !== self.location.origin || (await cache.match(request))) {
      continue;
    }
    try {
      const resp = await fetch(request);
      if (resp.ok) {
        await cache.put(request, resp);
      }
    } catch {
      return; // offline again: the rest will be stored as they are fetched
    }
  }
  await trimData(cache);
}

self.addEventListener('message', (event) => {
  const msg = event.data;
  if (msg && msg.type === 'keep' && Array.isArray(msg.urls)) {
    // The page is told when all is kept (the offline test waits for it).
    const done = keep(msg.urls.filter((u) => typeof u === 'string')).then(() => event.source.postMessage({ type: 'kept' }));
    event.waitUntil(done);
  }
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) {
    return; // writes, and anything not from this server, go straight to the network
  }
  const scope = new URL(self.registration.scope);
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, new URL('./', scope).href));
  } else if (url.pathname.startsWith(new URL('dist/assets/', scope).pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (request.headers.get('Accept') !== 'text/event-stream') {
    event.respondWith(networkFirst(request));
  }
});
