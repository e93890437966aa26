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
// `/?saved-shell`: open the shell this worker keeps, without asking the network (boot.js).
const SAVED_SHELL = 'saved-shell';

// A new build installs and then waits: the page offers "update" and asks us to take over only
// when the worker taps it, never under a half-filled form. The first install has nothing to
// replace and activates at once.
self.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
  // The page asks whether its shell is all here ("已可离线使用") and which build this worker is.
  if (event.data && event.data.type === 'status' && event.ports[0]) {
    const port = event.ports[0];
    event.waitUntil(
      shellComplete(event.data.shell === OFFICE ? OFFICE : '/')
        .catch(() => false)
        .then((ready) => port.postMessage({ build: BUILD, ready })),
    );
  }
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
  if (request.mode === 'navigate' && url.searchParams.has(SAVED_SHELL)) {
    // The boot screen's "打开已保存的版本" after a new build's files failed to download.
    event.respondWith(cachedShell(url.pathname).then((shell) => shell || fetch(request)));
  } else if (request.mode === 'navigate') {
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
  // 'no-store': the HTTP cache may still hold the previous build's index.html.
  const response = await fetch(shell + 'index.html', { cache: 'no-store' });
  if (!response.ok) throw new Error(shell + 'index.html: HTTP ' + response.status);
  const html = await response.text();
  const assets = new Map((shell === '/' ? FIXED : []).map((path) => [path, '']));
  for (const { path, integrity } of linkedFiles(html)) assets.set(path, integrity || assets.get(path) || '');
  await cache.addAll([...assets].map(([path, integrity]) => assetRequest(path, integrity)));
  // The shell served offline keeps the server's Content-Security-Policy.
  const headers = { 'Content-Type': 'text/html; charset=utf-8' };
  const csp = response.headers.get('Content-Security-Policy');
  if (csp) headers['Content-Security-Policy'] = csp;
  await cache.put(shell + 'index.html', new Response(html, { headers }));
  await cache.put(shell, new Response(html, { headers }));
}

// The request that keeps one file of the shell. A content-hashed file (trunk's JS, wasm, CSS) never
// changes under its name and the server sends it as immutable, so the copy the page has just
// downloaded is taken from the HTTP cache rather than fetched a second time over a weak link
// (issue 20: 1.33 MB for a 0.67 MB app); trunk's integrity hash, where index.html gives one,
// makes sure that copy is the build's. A file with a fixed name (the manifest, the icons,
// boot.js) is revalidated: a 304 when it has not changed.
function assetRequest(path, integrity) {
  if (HASHED.test(path)) return new Request(path, integrity ? { integrity } : {});
  return new Request(path, { cache: 'no-cache' });
}
// trunk's hash is a number in hex, without leading zeros: 12 to 16 digits (web_assets.rs, the same).
const HASHED = /-[0-9a-f]{12,16}(?:_bg)?\.[a-z]+$/;

// Whether every file of a shell is in this worker's cache: its index.html and all it links.
async function shellComplete(shell) {
  const cache = await caches.open(CACHE);
  const index = await cache.match(shell + 'index.html');
  if (!index) return false;
  const paths = linkedFiles(await index.text()).map((f) => f.path);
  if (shell === '/') paths.push(...FIXED);
  const found = await Promise.all(paths.map((path) => cache.match(path, { ignoreVary: true })));
  return found.every(Boolean);
}

// The same-origin files a build's index.html needs: href/src attributes (the hashed JS, wasm and
// CSS trunk wrote, boot.js, the manifest and icon links) with their integrity attribute, and the
// modules trunk's inline loader imports (its initializer has no link of its own).
function linkedFiles(html) {
  const files = [];
  const add = (ref, integrity) => {
    const url = new URL(ref, self.location.origin);
    if (url.origin === self.location.origin && !url.pathname.startsWith('/api/')) {
      files.push({ path: url.pathname, integrity });
    }
  };
  for (const [tag] of html.matchAll(/<(?:link|script)\b[^>]*>/g)) {
    const ref = tag.match(/\b(?:href|src)\s*=\s*["']([^"']+)["']/);
    const integrity = tag.match(/\bintegrity\s*=\s*["']([^"']+)["']/);
    if (ref) add(ref[1], integrity ? integrity[1] : '');
  }
  for (const [, ref] of html.matchAll(/\bimport\b[^'"]*?\bfrom\s*["']([^"']+)["']/g)) add(ref, '');
  return files;
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
