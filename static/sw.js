// Magistrat's service worker (docs/decisions/0038-bip-search-and-installable-site.md).
//
// Online, every page comes from the network, as without the worker. A copy of the
// pages a resident may need without a connection is kept: the shell (home page,
// offline page, styles, icons), the service catalogue and each card visited, and each
// e-ticket visited (/tickets/{token}). Offline, a kept page is shown; any other page
// gets the offline page. Nothing else is kept: staff pages, forms, the API and the
// live event streams pass through untouched.
const VERSION = 'magistrat-v1';
const SHELL = [
  '/',
  '/services',
  '/offline',
  '/static/app.css',
  '/static/favicon.svg',
  '/static/pwa.js',
  '/static/service-point.js',
  '/static/icon-192.png',
  '/manifest.webmanifest',
];

// Pages worth keeping: the home page, the catalogue and its cards, e-tickets.
function keeps(url) {
  const p = url.pathname;
  return p === '/' || p === '/services' || p === '/offline' ||
    /^\/services\/[^/]+$/.test(p) || /^\/tickets\/[^/]+$/.test(p) ||
    p.startsWith('/static/') || p === '/manifest.webmanifest';
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(VERSION)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || !keeps(url) &&
      request.mode !== 'navigate') {
    return;
  }
  event.respondWith(
    fetch(request)
      .then((response) => {
        // Keep a good copy of the pages worth keeping (the query string of the
        // catalogue's search is part of the address, so each search is its own copy).
        if (response.ok && keeps(url)) {
          const copy = response.clone();
          caches.open(VERSION).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() =>
        caches.match(request).then((kept) => {
          if (kept) return kept;
          if (request.mode === 'navigate') return caches.match('/offline');
          return Response.error();
        })),
  );
});
