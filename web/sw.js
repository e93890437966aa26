// Xunjian service worker: keeps the app shell of the current build on the phone so the app opens
// with no network. API data is never cached here; it lives in IndexedDB.
//
// trunk gives the JS and wasm files content-hashed names, so the list of files to keep is read
// from the index.html of the build at install time. BUILD is replaced by a hash of the build's
// files (scripts/build-web, over both builds; trunk.toml's post_build hook for a single build):
// the worker's bytes change with every build, which is what makes browsers install the new worker
// and precache the new shell.
'use strict';

const BUILD = '__XUNJIAN_BUILD__';
const PREFIX = 'xunjian-shell-';
const CACHE = PREFIX + BUILD;
// Fixed-name files the shell needs besides what index.html links to.
const FIXED = ['/manifest.webmanifest', '/icon.svg', '/icon-192.png', '/icon-512.png', '/icon-maskable-512.png'];
// On a weak 2G signal a page request can hang for a long time; after this, open the cached shell.
const NAVIGATION_TIMEOUT_MS = 4000;

// A new build installs and then waits: the page offers "update" and asks us to take over only
// when the worker taps it, never under a half-filled form. The first install has nothing to
// replace and activates at once.
self.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
  if (event.data && event.data.type === 'keep-office') {
    event.waitUntil(
      caches
        .open(FLAGS)
        .then((flags) => flags.put('/keep-office', new Response('1')))
        .then(() => caches.open(CACHE))
        .then(async (cache) => {
          if (!(await cache.match(OFFICE + 'index.html'))) await keepShell(cache, OFFICE);
        }),
    );
  }
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request));
  } else {
    event.respondWith(cacheFirst(request));
  }
});

// The two shells: the phones' build at / and the full build with the office screens at /office/
// (scripts/build-web). A phone keeps only its own. An office computer keeps both: the office build
// asks for it once ('keep-office', remembered in FLAGS across versions), and every later version
// is then installed with both, so the office pages also open with no network.
const FLAGS = 'xunjian-flags';
const OFFICE = '/office/';

async function keepsOffice() {
  return !!(await (await caches.open(FLAGS)).match('/keep-office'));
}

async function precache() {
  const cache = await caches.open(CACHE);
  await keepShell(cache, '/');
  // The office shell must not hold back the update of the phones' one: without it an office page
  // opened offline gets the note below until the next visit online keeps it again.
  if (await keepsOffice()) await keepShell(cache, OFFICE).catch(() => {});
}

// Puts a build's index.html (under `shell` and `shell + 'index.html'`) and every file it links in
// the cache.
async function keepShell(cache, shell) {
  // 'no-store' / 'reload': the HTTP cache may still hold the previous build.
  const response = await fetch(shell + 'index.html', { cache: 'no-store' });
  if (!response.ok) throw new Error(shell + 'index.html: HTTP ' + response.status);
  const html = await response.text();
  const assets = new Set(shell === '/' ? FIXED : []);
  for (const path of linkedPaths(html)) assets.add(path);
  await cache.addAll([...assets].map((path) => new Request(path, { cache: 'reload' })));
  // The shell served offline keeps the server's Content-Security-Policy.
  const headers = { 'Content-Type': 'text/html; charset=utf-8' };
  const csp = response.headers.get('Content-Security-Policy');
  if (csp) headers['Content-Security-Policy'] = csp;
  await cache.put(shell + 'index.html', new Response(html, { headers }));
  await cache.put(shell, new Response(html, { headers }));
}

// Same-origin paths in href/src attributes: the hashed JS, wasm and CSS trunk wrote, and the
// manifest and icon links.
function linkedPaths(html) {
  const paths = [];
  for (const match of html.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/g)) {
    const url = new URL(match[1], self.location.origin);
    if (url.origin === self.location.origin && !url.pathname.startsWith('/api/')) {
      paths.push(url.pathname);
    }
  }
  return paths;
}

async function networkFirst(request) {
  const network = fetch(request);
  network.catch(() => {}); // a late failure after the cached shell was served is expected
  const timeout = new Promise((resolve) => setTimeout(resolve, NAVIGATION_TIMEOUT_MS));
  const path = new URL(request.url).pathname;
  try {
    const first = await Promise.race([network, timeout]);
    if (first) return first;
    const shell = await cachedShell(path);
    return shell || (await network);
  } catch (err) {
    const shell = await cachedShell(path);
    if (shell) return shell;
    throw err;
  }
}

// The shell of the build a page belongs to (/office/… or the phones'). An office page this
// device never kept gets a note rather than the phones' shell (which would send it back here).
async function cachedShell(path) {
  const cache = await caches.open(CACHE);
  if (path === '/office' || path.startsWith(OFFICE)) {
    const office = await cache.match(OFFICE + 'index.html');
    if (office) return office;
    return new Response(
      '<!doctype html><meta charset="utf-8"><title>巡检</title>' +
        '<p>办公端还没有保存在这台设备上：请联网后再打开。<br>The office pages are not kept on this device yet: open them once online.</p>',
      { headers: { 'Content-Type': 'text/html; charset=utf-8' } },
    );
  }
  return cache.match('/index.html');
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  // ignoreVary: the files are immutable per build, whatever the request headers were.
  const cached = await cache.match(request, { ignoreVary: true });
  // Not stored on a miss: anything the shell needs was precached, and the cache must not grow.
  return cached || fetch(request);
}
