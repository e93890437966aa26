// The boot screen's guard. On a weak signal the app's files can arrive cut off, or stop arriving:
// trunk's loader then waits for ever behind "正在加载…" (issue 20). This classic script runs before
// the loader: it shows how much of the app has arrived, and when a download fails (a script that
// cannot load or run, the wasm stream broken) or makes no progress for STALL_MS, it says so in
// plain words with a 重试 button, and with "打开已保存的版本" when the service worker keeps an
// earlier build. The app removes #boot when it starts (main.rs), which ends the guard; a download
// that resumes after the message still starts the app.
'use strict';
(function () {
  const STALL_MS = 15000;
  // The wasm has all arrived and compiles: a cheap phone may take a while before the app starts.
  const COMPILE_MS = 30000;
  const SAVED_SHELL = 'saved-shell';
  let timer = null;
  let failed = false;

  // The saved shell was asked for (sw.js): the address goes back to the app's own.
  if (new URLSearchParams(location.search).has(SAVED_SHELL)) {
    history.replaceState(null, '', location.pathname + location.hash);
  }

  const boot = () => document.getElementById('boot');

  function arm(ms) {
    clearTimeout(timer);
    timer = setTimeout(() => fail('stalled'), ms);
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  }

  function fail(reason) {
    const screen = boot();
    if (!screen || failed) return; // started, or already said
    failed = true;
    clearTimeout(timer);
    screen.dataset.state = 'failed';
    screen.dataset.reason = reason;
    screen.setAttribute('role', 'alert');
    screen.replaceChildren(
      el('p', { class: 'boot-title' }, '网络不稳定，应用未下载完整'),
      el('p', { class: 'boot-sub' }, '请到信号较好的地方再试。/ The app did not download completely: the network is unstable.'),
    );
    const retry = el('button', { type: 'button', class: 'button primary block', 'data-testid': 'boot-retry' }, '重试 / Retry');
    retry.addEventListener('click', () => location.reload());
    screen.append(retry);
    savedShell().then((saved) => {
      if (!saved) return;
      const open = el('button', { type: 'button', class: 'button secondary block', 'data-testid': 'boot-saved' }, '打开已保存的版本 / Saved version');
      open.addEventListener('click', () => location.replace(location.pathname + '?' + SAVED_SHELL + location.hash));
      screen.append(open);
    });
  }

  // A service worker controls this page and keeps a shell it could open instead.
  async function savedShell() {
    try {
      if (!navigator.serviceWorker || !navigator.serviceWorker.controller || !self.caches) return false;
      const index = location.pathname.startsWith('/office') ? '/office/index.html' : '/index.html';
      for (const name of await caches.keys()) {
        if (name.startsWith('xunjian-shell-') && (await (await caches.open(name)).match(index))) return true;
      }
    } catch (e) {}
    return false;
  }

  function progress(current, total) {
    if (failed) return;
    const screen = boot();
    if (!screen) return;
    arm(total > 0 && current >= total ? COMPILE_MS : STALL_MS);
    if (total > 0) {
      const pct = Math.min(100, Math.floor((current * 100) / total));
      screen.dataset.progress = String(pct);
      screen.textContent = `正在下载应用… ${pct}% / Loading… ${pct}%`;
    }
  }

  // Called by initializer.js (trunk's loader hooks).
  window.__xunjianBoot = { progress, failed: () => fail('error') };

  // A script or style of the app that could not be fetched (resource errors do not bubble: capture),
  // or one that arrived cut and does not parse.
  addEventListener(
    'error',
    (e) => {
      const t = e.target;
      if (e instanceof ErrorEvent || (t && (t.tagName === 'SCRIPT' || t.tagName === 'LINK'))) fail('error');
    },
    true,
  );
  // The wasm stream broken mid-way: trunk's reader rejects and nobody handles it.
  addEventListener('unhandledrejection', () => fail('error'));
  arm(STALL_MS);
})();
