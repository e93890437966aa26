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

  async start() {
    const log = fs.openSync(path.join(this.dataDir, 'server.log'), 'a');
    this.proc = spawn(this.bin, ['--data-dir', this.dataDir, 'serve', '--bind', `127.0.0.1:${this.port}`], {
      env: this.env(),
      stdio: ['ignore', log, log],
    });
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.exited = exited;
    for (let i = 0; i < 200; i++) {
      try {
        const r = await fetch(`${this.base}/healthz`);
        if (r.ok) return;
      } catch {}
      if (this.proc.exitCode !== null) throw new Error('server exited at start; see server.log');
      await sleep(100);
    }
    throw new Error('server did not answer /healthz');
  }

  // SIGKILL: the harshest way to go offline, as a crash or a pulled plug.
  async kill() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode) return;
    this.proc.kill('SIGKILL');
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
