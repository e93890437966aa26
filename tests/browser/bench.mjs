// The field app's two figures of issue #8, in Debian's Chromium against the real server
// (scripts/bench-browser builds the app with its bench hooks, web/src/bench.rs):
//   1. the outbox written to IndexedDB: N ops in one transaction vs N transactions (the app's
//      own commit path);
//   2. app start with P premises and H hazards stored (seeded through the pull's own write path):
//      time from navigation to the first usable screen, online and with the server stopped.
// Prints figures and ratios; asserts no time. Options: --ops N --rounds N --premises N
// --hazards N --starts N (defaults: the issue's 500 ops, 20,000 premises, 50,000 hazards).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Server, freePort, openBrowser, root } from './harness.mjs';
import { login, waitSynced } from './app.mjs';

const opt = { ops: 500, rounds: 3, premises: 20000, hazards: 50000, starts: 3 };
for (let i = 2; i < process.argv.length; i += 2) opt[process.argv[i].replace(/^--/, '')] = Number(process.argv[i + 1]);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xunjian-bench-'));
const dataDir = path.join(tmp, 'data');
fs.mkdirSync(dataDir);
const server = new Server({
  bin: process.env.XUNJIAN_BIN || path.join(root, 'target/debug/xunjian'),
  dataDir,
  webDir: process.env.XUNJIAN_WEB_DIR || path.join(root, 'target/bench-dist'),
  port: await freePort(),
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (ms) => `${ms.toFixed(1)} ms`;
let ctx;

// Set before the app's own scripts on every navigation: when the app starts (the wasm module
// instantiated) and when the first usable screen is on the page — the Today lists, which the
// app renders only once the phone's records are read from IndexedDB — and the next frame after.
function marker() {
  window.__xj = {};
  addEventListener('TrunkApplicationStarted', () => (window.__xj.wasm = performance.now()));
  const seen = () => document.querySelector('[data-testid=today-due]');
  new MutationObserver((_, obs) => {
    if (!seen()) return;
    obs.disconnect();
    window.__xj.screen = performance.now();
    requestAnimationFrame(() => setTimeout(() => (window.__xj.painted = performance.now()), 0));
  }).observe(document, { childList: true, subtree: true });
}

async function start(page) {
  await page.goto(server.base + '/');
  await page.waitForFunction(() => window.__xj && window.__xj.painted, null, { timeout: 300000, polling: 50 });
  const t = await page.evaluate(() => window.__xj);
  const rows = await page.locator('[data-testid=today-due] li').count();
  return { ...t, rows };
}

try {
  server.run(['demo']);
  await server.start();
  ctx = await openBrowser(path.join(tmp, 'profile'), { latitude: 35.1, longitude: 110.7, accuracy: 8 });
  const page = ctx.pages()[0] || (await ctx.newPage());
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.goto(server.base + '/');
  await login(page, 'yishi.grid', 'xunjian2026');
  await waitSynced(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.xj_bench_outbox, null, { timeout: 10000 });

  const o = JSON.parse(await page.evaluate(([n, r]) => window.wasmBindings.xj_bench_outbox(n, r), [opt.ops, opt.rounds]));
  if (o.outbox_rows.some((n) => n !== opt.ops)) throw new Error(`outbox rows ${o.outbox_rows}, expected ${opt.ops}`);
  const one = median(o.one_ms);
  const each = median(o.separate_ms);
  console.log(`IndexedDB outbox, ${opt.ops} ops (12-answer inspections with their local copy), median of ${opt.rounds}:`);
  console.log(`  one transaction     ${f(one)}   (rounds: ${o.one_ms.map(f).join(', ')}; of which making the rows' JSON: ${o.one_rows_ms.map(f).join(', ')})`);
  console.log(`  ops alone, one tx   ${f(median(o.ops_only_ms))}   (rounds: ${o.ops_only_ms.map(f).join(', ')}; the outbox rows without the records' copies)`);
  console.log(`  one per op          ${f(each)}   (rounds: ${o.separate_ms.map(f).join(', ')})`);
  console.log(`  ratio               ${(each / one).toFixed(1)}× (${(each / opt.ops).toFixed(2)} ms per op when saved one by one)`);

  const s = JSON.parse(await page.evaluate(([p, h]) => window.wasmBindings.xj_bench_seed(p, h), [opt.premises, opt.hazards]));
  const n = s.premises + s.hazards;
  console.log(`seeded ${s.premises} premises and ${s.hazards} hazards as ${s.pages} pulled pages: ${f(s.apply_ms)} (${Math.round(n / (s.apply_ms / 1000))} records/s)`);

  const w = JSON.parse(await page.evaluate(() => window.wasmBindings.xj_bench_world()));
  console.log(`reading them as the app does: World::load (${w.premises} premises, ${w.hazards} open hazards) ${f(w.load_ms)}, then ${w.closed} closed hazards ${f(w.closed_ms)}`);
  console.log(`  (rows out of IndexedDB alone ${f(w.rows_ms)}; with their JSON copied into wasm ${f(w.texts_ms)})`);
  console.log(`  (by store: ${w.stores.filter((x) => x[1]).map(([n, k, t]) => `${n} ${k} rows ${f(t)}`).join(', ')})`);

  await ctx.addInitScript(marker);
  for (const mode of ['online', 'offline (server stopped)']) {
    if (mode !== 'online') await server.kill();
    const runs = [];
    for (let i = 0; i < opt.starts; i++) runs.push(await start(page));
    // XUNJIAN_BENCH_PROFILE=dir: a CPU profile (.cpuprofile, for Chromium's DevTools) of one more start.
    if (process.env.XUNJIAN_BENCH_PROFILE) {
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      await start(page);
      const { profile } = await cdp.send('Profiler.stop');
      const file = path.join(process.env.XUNJIAN_BENCH_PROFILE, `start-${mode.split(' ')[0]}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      console.log(`  profile of one more start: ${file}`);
    }
    const show = (k) => `${f(median(runs.map((r) => r[k])))} (runs: ${runs.map((r) => f(r[k])).join(', ')})`;
    console.log(`app start with ${s.premises} premises and ${s.hazards} hazards stored, ${mode}, median of ${opt.starts}:`);
    console.log(`  wasm started        ${show('wasm')}`);
    console.log(`  first usable screen ${show('screen')}   (Today, ${runs[0].rows} due premises listed)`);
    console.log(`  painted             ${show('painted')}`);
  }
} finally {
  if (ctx) await ctx.close().catch(() => {});
  await server.kill();
  if (!process.env.XUNJIAN_BENCH_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
}
