// The pieces the browser suite needs around the browser: the real server process (started,
// stopped, killed), its SQLite file read with the sqlite3 CLI, a persistent Chromium profile,
// and a tiny step runner that prints "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function listening(port) {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

// The Xunjian server on a data dir; "offline" in this suite means this process is not running.
export class Server {
  constructor({ bin, dataDir, webDir, port }) {
    Object.assign(this, { bin, dataDir, webDir, port, proc: null });
    this.base = `http://127.0.0.1:${port}`;
    this.db = path.join(dataDir, 'xunjian.db');
  }

  run(args) {
    const r = spawnSync(this.bin, ['--data-dir', this.dataDir, ...args], { encoding: 'utf8', env: this.env() });
    if (r.status !== 0) throw new Error(`xunjian ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  env() {
    return { ...process.env, XUNJIAN_WEB_DIR: this.webDir, RUST_LOG: process.env.RUST_LOG || 'warn' };
  }

  // `holdAnswersMs`: run under strace, which holds every socket write (the HTTP answers) that
  // long. The server commits a push and only then answers, so a test can see the commit in the
  // database and kill the server before the phone gets the answer — a lost answer, every time.
  // `clockShift` (e.g. '+4d'): run under libfaketime, so the server's clock — deadlines, the
  // scheduler that puts overdue hazards under supervision at start and every minute — is that
  // far ahead. The server binary has no test clock of its own; this moves the real one.
  async start({ holdAnswersMs = 0, clockShift = null } = {}) {
    const log = fs.openSync(path.join(this.dataDir, 'server.log'), 'a');
    let cmd = this.bin;
    let args = ['--data-dir', this.dataDir, 'serve', '--bind', `127.0.0.1:${this.port}`];
    if (holdAnswersMs) {
      const calls = 'sendto,sendmsg,writev';
      const hold = `inject=${calls}:delay_enter=${holdAnswersMs * 1000}`;
      args = ['-f', '-qq', '-o', '/dev/null', '-e', `trace=${calls}`, '-e', hold, cmd, ...args];
      cmd = 'strace';
    }
    let env = this.env();
    if (clockShift) {
      args = ['-f', clockShift, cmd, ...args];
      cmd = 'faketime';
      // Timers (the scheduler's interval, actix's) keep the real monotonic clock.
      env = { ...env, FAKETIME_DONT_FAKE_MONOTONIC: '1' };
    }
    // Its own process group: a kill reaches the server even when strace runs it.
    this.proc = spawn(cmd, args, { env, stdio: ['ignore', log, log], detached: true });
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.exited = exited;
    for (let i = 0; i < 300; i++) {
      try {
        // With answers held back, "listening" is all we can wait for.
        if (holdAnswersMs ? await listening(this.port) : (await fetch(`${this.base}/healthz`)).ok) return;
      } catch {}
      if (this.proc.exitCode !== null) throw new Error('server exited at start; see server.log');
      await sleep(100);
    }
    throw new Error('server did not answer /healthz');
  }

  // SIGKILL: the harshest way to go offline, as a crash or a pulled plug.
  async kill() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode) return;
    process.kill(-this.proc.pid, 'SIGKILL');
    await this.exited;
    this.proc = null;
  }

  sql(query) {
    const r = spawnSync('sqlite3', ['-readonly', this.db, query], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
    return r.stdout.trim();
  }

  count(query) {
    return Number(this.sql(query));
  }
}

// Debian's Chromium with a profile dir that outlives the browser (closing and reopening it is
// part of the test), at phone size with touch, geolocation granted and emulated.
export async function openBrowser(profileDir, geo) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    geolocation: geo,
    permissions: ['geolocation'],
  });
}

// The same Chromium at an office PC's size (1366×768), no touch, for the office screens.
export async function openDesktop(profileDir) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

// Runs named steps in order; after the first failure the rest are skipped (they build on it).
export class Steps {
  constructor() {
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
    this.broken = false;
  }

  async step(name, fn) {
    if (this.broken) {
      this.skipped++;
      console.log(`skip     ${name}`);
      return;
    }
    const t0 = Date.now();
    try {
      await fn();
      this.passed++;
      console.log(`ok       ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      this.failed++;
      this.broken = true;
      console.log(`FAILED   ${name}\n         ${String(e && e.stack ? e.stack : e).split('\n').slice(0, 6).join('\n         ')}`);
      // What the failing page showed, for whoever reads the log.
      if (this.onFail) {
        await this.onFail().catch((err) => console.log(`         (no picture of the page: ${err.message})`));
      }
    }
  }

  summary() {
    const skipped = this.skipped ? `, ${this.skipped} skipped` : '';
    console.log(`${this.passed} passed, ${this.failed} failed${skipped}`);
  }
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

export function equal(actual, expected, msg) {
  if (actual !== expected) throw new Error(`${msg}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// The API as an office user at a desk would use it, online, beside the phone.
export async function api(base, method, path, token, body) {
  const r = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
