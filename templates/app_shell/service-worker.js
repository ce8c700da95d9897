// Tertulia's service worker (served by tutor/app_shell.py from the site root).
// It keeps static files and the offline page, and nothing else: every page, API call and
// WebSocket goes to the network untouched, because pages carry conversations, transcripts
// and cards that must never be left in a phone's cache. When a page cannot be reached, the
// offline page stands in for it. The JavaScript catalog (/jsi18n/) is a page's script but not
// a static file: it follows the learner's language, so it goes to the network too, and the
// offline page does not load it. So does the manifest (/manifest.webmanifest?lang=…), for the
// same reason.
"use strict";

const CONFIG = {{ config|safe }};
const CACHE = `tertulia-static-${CONFIG.version}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(CONFIG.precache.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

// A new version drops the caches of the old ones and takes over the open pages at once.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

// STATIC_URL may be a path on this site or another origin (a CDN): compare both parts.
const STATIC = new URL(CONFIG.staticPrefix, self.location.href);

function isStatic(url) {
  return url.origin === STATIC.origin && url.pathname.startsWith(STATIC.pathname);
}

// Static files: from the cache, else from the network (and kept for next time).
async function staticFile(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") cache.put(request, response.clone());
  return response;
}

// Pages: always the network; the offline page only when the network fails.
async function page(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const offline = await caches.match(CONFIG.offline);
    if (offline) return offline;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (request.mode === "navigate") event.respondWith(page(request));
  else if (isStatic(url) && !request.headers.has("range")) event.respondWith(staticFile(request));
  // Anything else is not handled here: the browser fetches it as if there were no worker.
});
