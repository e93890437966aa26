// A first visit on a poor 3G link (issue 20: 400 kbps, 400 ms round trip), in Debian's Chromium
// against the real server with the phones' build (dist/): the link is the relay of boot.mjs, which
// delays every answer and shares one link's bandwidth between them, service worker included
// (Chromium's own throttling does not reach the worker). Measures when the sign-in screen shows,
// when the app says 已可离线使用, and the bytes and wasm requests it took — for the build as it
// is, and for the same build with the worker's former rule (every file fetched again, 'reload'),
// which it prints beside it with the ratio. Prints figures; asserts no time.
// Usage: node tests/browser/bench-3g.mjs [--kbps 400] [--rtt 400]   (scripts/bench-browser runs it)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Server, freePort, openBrowser, root } from './harness.mjs';
import { relay } from './boot.mjs';

const opt = { kbps: 400, rtt: 400 };
for (let i = 2; i < process.argv.length; i += 2) opt[process.argv[i].replace(/^--/, '')] = Number(process.argv[i + 1]);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xunjian-3g-'));
const dist = process.env.XUNJIAN_WEB_DIR || path.join(root, 'dist');
const bin = process.env.XUNJIAN_BIN || path.join(root, 'target/debug/xunjian');

// The worker of the build before issue 20: every file of the shell downloaded again.
const FORMER = [/if \(HASHED\.test\(path\)\) return new Request\(path, integrity \? \{ integrity \} : \{\}\);/, "if (HASHED.test(path)) return new Request(path, { cache: 'reload' });"];

async function visit(name, patch) {
  const dir = path.join(tmp, name);
  const dataDir = path.join(dir, 'data');
  const webDir = path.join(dir, 'web');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.cpSync(dist, webDir, { recursive: true });
  if (patch) {
    const sw = path.join(webDir, 'sw.js');
    const text = fs.readFileSync(sw, 'utf8');
    if (!patch[0].test(text)) throw new Error('sw.js no longer has the rule this benchmark replaces: update FORMER');
    fs.writeFileSync(sw, text.replace(patch[0], patch[1]));
  }
  const server = new Server({ bin, dataDir, webDir, port: await freePort() });
  await server.start();
  const link = await relay(server.base, { bytesPerSecond: (opt.kbps * 1000) / 8, latencyMs: opt.rtt });
  const ctx = await openBrowser(path.join(dir, 'profile'));
  try {
    const page = ctx.pages()[0] || (await ctx.newPage());
    const t0 = Date.now();
    await page.goto(link.base + '/', { timeout: 300000 });
    await page.waitForSelector('input[name=username]', { timeout: 300000 });
    const login = Date.now() - t0;
    const atLogin = link.bytes;
    await page.waitForSelector('[data-testid=offline-ready][data-ready=true]', { timeout: 300000, polling: 100 });
    const ready = Date.now() - t0;
    const wasm = [...link.counts].filter(([p]) => p.endsWith('_bg.wasm')).reduce((n, [, c]) => n + c, 0);
    return { login, ready, atLogin, bytes: link.bytes, wasm };
  } finally {
    await ctx.close().catch(() => {});
    await link.close();
    await server.kill();
  }
}

try {
  const now = await visit('as-built', null);
  const before = await visit('former-worker', FORMER);
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;
  console.log(`first visit over ${opt.kbps} kbps, ${opt.rtt} ms per answer (the phones' build, ${path.relative(root, dist) || dist}):`);
  console.log('                           sign-in shown   已可离线使用   bytes to ready   wasm requests');
  for (const [label, r] of [['as built', now], ["worker's former rule", before]]) {
    console.log(`  ${label.padEnd(24)} ${s(r.login).padStart(10)}   ${s(r.ready).padStart(12)}   ${mb(r.bytes).padStart(14)}   ${String(r.wasm).padStart(13)}`);
  }
  console.log(`  ratio (former / as built): ready ${(before.ready / now.ready).toFixed(2)}×, bytes ${(before.bytes / now.bytes).toFixed(2)}×`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
