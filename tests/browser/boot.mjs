// The app's first download on a weak signal (issue 20): a real HTTP relay between Chromium and the
// server counts what the phone downloads and, when told, cuts the app's wasm mid-transfer (the
// socket closed after half its bytes) or stalls it (half sent, then nothing). Checked: the boot
// screen says so and offers 重试; a retry gets the app; the app is downloaded once (the service
// worker takes the page's copy); "已可离线使用" appears; and a new build that fails to download
// leaves the worker the saved one.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Server, assert, equal, freePort, openBrowser, root } from './harness.mjs';
import { shot } from './app.mjs';

// Relays every request to `target`; `cut` = { match: RegExp, mode: 'cut' | 'stall' } breaks the
// matching responses while set. `counts` is requests by path, `bytes` the body bytes sent back.
// `link` = { bytesPerSecond, latencyMs } makes it a slow phone link (tests/browser/bench-3g.mjs):
// every answer waits `latencyMs`, and all answers share the one link's bandwidth, in order.
export async function relay(target, link = null) {
  const r = { counts: new Map(), bytes: 0, cut: null, held: new Set() };
  let linkFree = 0; // when the shared link has sent everything queued so far (ms, Date.now())
  const send = (res, chunk) => {
    r.bytes += chunk.length;
    if (!link) return res.write(chunk);
    const at = Math.max(Date.now(), linkFree);
    linkFree = at + (chunk.length * 1000) / link.bytesPerSecond;
    setTimeout(() => res.write(chunk), linkFree - Date.now());
    return true;
  };
  const end = (res) => (link ? setTimeout(() => res.end(), Math.max(0, linkFree - Date.now())) : res.end());
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url, 'http://x').pathname;
    r.counts.set(pathname, (r.counts.get(pathname) || 0) + 1);
    const up = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, async (answer) => {
      const cut = r.cut && r.cut.match.test(pathname) ? r.cut.mode : null;
      if (link) await new Promise((resolve) => setTimeout(resolve, link.latencyMs));
      res.writeHead(answer.statusCode, answer.headers);
      if (!cut) {
        answer.on('data', (chunk) => send(res, chunk));
        answer.on('end', () => end(res));
        return;
      }
      const half = Math.floor(Number(answer.headers['content-length'] || 200000) / 2);
      let sent = 0;
      answer.on('data', (chunk) => {
        if (sent >= half) return;
        const part = chunk.subarray(0, half - sent);
        sent += part.length;
        send(res, part);
        if (sent < half) return;
        answer.destroy();
        if (cut === 'cut') res.socket.destroy();
        else r.held.add(res); // stalled: the socket stays open, nothing more comes
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.base = `http://127.0.0.1:${server.address().port}`;
  r.close = () => {
    for (const res of r.held) res.destroy();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  r.reset = () => r.counts.clear();
  return r;
}

const wasmOf = (page) =>
  page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('_bg.wasm')));

export async function bootSteps({ steps, tmp }) {
  const dir = path.join(tmp, 'boot');
  const dataDir = path.join(dir, 'data');
  const webDir = path.join(dir, 'web');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.cpSync(process.env.XUNJIAN_WEB_DIR || path.join(root, 'dist'), webDir, { recursive: true });
  const server = new Server({ bin: process.env.XUNJIAN_BIN || path.join(root, 'target/debug/xunjian'), dataDir, webDir, port: await freePort() });
  let proxy;
  let ctx;
  let page;
  const wasmName = fs.readdirSync(webDir).find((f) => f.endsWith('_bg.wasm'));
  try {
    await steps.step('first visit over a stalled download: after the timeout the boot screen says so, and 重试 gets the app', async () => {
      await server.start();
      proxy = await relay(server.base);
      proxy.cut = { match: /_bg\.wasm$/, mode: 'stall' };
      ctx = await openBrowser(path.join(dir, 'profile'));
      page = ctx.pages()[0] || (await ctx.newPage());
      await page.goto(proxy.base + '/');
      await page.waitForSelector('[data-testid=boot-retry]', { timeout: 40000 });
      const screen = page.locator('#boot');
      equal(await screen.getAttribute('data-reason'), 'stalled', 'why');
      assert((await screen.innerText()).includes('网络不稳定，应用未下载完整'), 'the message in Chinese');
      equal(await page.locator('[data-testid=boot-saved]').count(), 0, 'no saved version on a first visit');
      await shot(page, 'boot-retry');
      proxy.cut = null;
      await page.click('[data-testid=boot-retry]');
      await page.waitForSelector('input[name=username]', { timeout: 20000 });
    });

    await steps.step('the app is stored for offline use from the one download, and the login screen says 已可离线使用', async () => {
      await page.waitForSelector('[data-testid=offline-ready][data-ready=true]', { timeout: 30000 });
      assert((await page.textContent('[data-testid=offline-ready]')).includes('已可离线使用'), 'said in Chinese');
      const cached = await page.evaluate(async (w) => !!(await caches.match('/' + w)), wasmName);
      assert(cached, 'the wasm is in the service worker cache');
      console.log(`         requests of the visit: ${JSON.stringify(Object.fromEntries(proxy.counts))}`);
      // The stalled request and the retry's: the service worker took the page's copy.
      equal(proxy.counts.get('/' + wasmName), 2, 'wasm requests');
      const hashed = [...proxy.counts].filter(([p]) => /-[0-9a-f]{12,16}\.(js|css)$/.test(p));
      assert(hashed.length >= 3 && hashed.every(([, n]) => n === 1), `each hashed script and style once: ${JSON.stringify(hashed)}`);
    });

    await steps.step("a new build's download cut mid-transfer: the saved version opens from the cache; 重试 later gets the new one", async () => {
      // Publish "a new build": the same app under new hashed names, a new worker.
      const newWasm = wasmName.replace(/-[0-9a-f]{16}_bg/, '-00000000000000b2_bg');
      fs.copyFileSync(path.join(webDir, wasmName), path.join(webDir, newWasm));
      const index = path.join(webDir, 'index.html');
      fs.writeFileSync(index, fs.readFileSync(index, 'utf8').replaceAll(wasmName, newWasm));
      const sw = path.join(webDir, 'sw.js');
      fs.writeFileSync(sw, fs.readFileSync(sw, 'utf8').replace(/const BUILD = '[^']*'/, "const BUILD = 'boot-build-2'"));
      await server.kill();
      await server.start(); // the CSP is computed from index.html at start
      proxy.cut = { match: new RegExp(newWasm.replace('.', '\\.') + '$'), mode: 'cut' };
      await page.reload();
      await page.waitForSelector('[data-testid=boot-saved]', { timeout: 40000 });
      equal(await page.locator('#boot').getAttribute('data-reason'), 'error', 'why');
      await shot(page, 'boot-saved');
      await page.click('[data-testid=boot-saved]');
      await page.waitForSelector('input[name=username]', { timeout: 20000 });
      equal((await wasmOf(page)).join(), '/' + wasmName, 'the saved build runs');
      assert(!page.url().includes('saved-shell'), `the address is the app's own: ${page.url()}`);
      proxy.cut = null;
      await page.reload();
      await page.waitForSelector('input[name=username]', { timeout: 20000 });
      equal((await wasmOf(page)).join(), '/' + newWasm, 'the new build runs once it downloads');
    });
  } finally {
    try {
      if (ctx) await ctx.close();
    } catch {}
    if (proxy) await proxy.close();
    await server.kill();
  }
}
