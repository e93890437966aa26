// Road patrol on a patrol worker's phone (a second browser profile): login as yishi.patrol and
// sync, then with the server killed: start a patrol, walk the segment's surveyed line as emulated
// GPS fixes, the seven-item checklist with one failed item, a problem with a photo, a reload in the
// middle (the points survive), the end; then the server again, sync, and the server holds the
// patrol exactly once, with coverage and distance, and a second sync changes nothing.
import path from 'node:path';
import { api, assert, equal, openBrowser } from './harness.mjs';
import { idbAll, login, makeJpeg, photo, shot, smallTargets, syncNow, tab, waitPending, waitSynced } from './app.mjs';

const FIXES = 8; // one every 100 m: 700 m of the 5 km segment

// A point `m` metres along a line of [{lat, lon}] (the demo's lines are straight, north).
function along(line, m) {
  const a = line[0];
  const b = line[line.length - 1];
  const len = Math.hypot(b.lat - a.lat, (b.lon - a.lon) * Math.cos((a.lat * Math.PI) / 180)) * 111195;
  const f = Math.min(m / len, 1);
  return { latitude: a.lat + f * (b.lat - a.lat), longitude: a.lon + f * (b.lon - a.lon), accuracy: 6 };
}

export async function patrolSteps({ steps, server, base, tmp }) {
  const p = {}; // what the steps learn
  let ctx;
  let page;
  const tables = ['patrols', 'device_ops', 'changes', 'attachments'];
  const counts = () => Object.fromEntries(tables.map((t) => [t, server.count(`select count(*) from ${t}`)]));
  const points = async () => Number(await page.getAttribute('[data-testid=patrol-live]', 'data-points'));
  const waitPoints = (n) =>
    page.waitForSelector(`[data-testid=patrol-live][data-points="${n}"]`, { timeout: 15000 }).catch(async () => {
      throw new Error(`expected ${n} points saved, the screen says ${await points()}`);
    });

  try {
    await steps.step('patrol worker: login as yishi.patrol on another phone, first sync; 今日巡查 says not yet', async () => {
      const tokens = await api(base, 'POST', '/auth/login', null, { username: 'yishi.patrol', password: 'xunjian2026' });
      p.token = tokens.access_token;
      p.userId = tokens.user.user.id;
      const segments = await api(base, 'GET', '/segments', p.token);
      const mine = segments.filter((s) => s.worker_id === p.userId && s.polyline.length >= 2);
      assert(mine.length >= 1, `the demo assigns a surveyed segment to yishi.patrol: ${JSON.stringify(segments)}`);
      p.segment = mine[0];
      p.fixes = Array.from({ length: FIXES }, (_, i) => along(p.segment.polyline, i * 100));
      ctx = await openBrowser(path.join(tmp, 'patrol-profile'), p.fixes[0]);
      page = ctx.pages()[0] || (await ctx.newPage());
      page.on('pageerror', (e) => console.log(`         page error: ${e.message}`));
      await page.goto(base + '/');
      await login(page, 'yishi.patrol', 'xunjian2026');
      await waitSynced(page);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
      await page.waitForSelector('[data-testid=today-patrol][data-state=not-done]');
      equal(await page.locator('a[data-tab="#/premises"]').count(), 0, 'no premises tab for a patrol worker');
      await tab(page, '#/patrol');
      await page.waitForSelector(`[data-testid=my-segments] [data-segment="${p.segment.id}"]`);
      await shot(page, 'patrol-segments');
    });

    await steps.step('offline: start a patrol; each GPS fix along the segment is saved as it comes', async () => {
      await server.kill();
      // As a phone's browser grants it to a visible page: the screen kept on while recording.
      const cdp = await ctx.newCDPSession(page);
      // (The grant replaces the origin's set: geolocation is named again.)
      await cdp.send('Browser.grantPermissions', { permissions: ['geolocation', 'wakeLockScreen'], origin: base });
      await page.click('[data-testid=start-patrol]');
      await page.waitForSelector('[data-testid=patrol-live]');
      await page.waitForSelector('[data-testid=screen][data-awake=true]');
      await waitPoints(1);
      for (let i = 1; i < FIXES - 2; i++) {
        await ctx.setGeolocation(p.fixes[i]);
        await waitPoints(i + 1);
      }
      const draft = (await idbAll(page, 'drafts')).find((d) => d.id === 'patrol');
      assert(draft, 'the patrol draft is in IndexedDB');
      p.id = draft.json.id;
      equal((await idbAll(page, 'track')).length, FIXES - 2, 'one track row per saved fix');
      const metres = Number(await page.getAttribute('[data-testid=patrol-live]', 'data-distance'));
      assert(Math.abs(metres - (FIXES - 3) * 100) < 10, `distance so far ${metres} m`);
      const shown = await page.textContent('[data-testid=coverage]');
      assert(shown !== '—' && shown !== '0%', `coverage so far shown: ${shown}`);
    });

    await steps.step('offline: the seven-item checklist with one failed item (photo, note), a problem with a photo', async () => {
      p.photos = await Promise.all(['#795548', '#455a64'].map((c, i) => makeJpeg(page, path.join(tmp, `patrol${i}.jpg`), c)));
      const items = page.locator('[data-testid=road-checklist] li.item');
      equal(await items.count(), 7, 'seven items (第十五条)');
      for (let i = 0; i < 7; i++) {
        const item = items.nth(i);
        const failed = (await item.getAttribute('data-check')) === 'ditches';
        await item.locator(`button[data-answer=${failed ? 'fail' : 'pass'}]`).click();
        if (failed) {
          await item.locator('input.note').fill('边沟淤堵约 20 米');
          await photo(item, 'check-photo', p.photos[0]);
        }
      }
      await page.waitForSelector('[data-testid=answered]:has-text("7/7")');
      await page.click('[data-testid=report-problem]');
      const finding = page.locator('[data-testid=findings] li.finding').first();
      await finding.waitFor();
      await finding.locator('select[data-testid=finding-category]').selectOption('rubbish');
      await finding.locator('textarea[data-testid=finding-text]').fill('路肩倾倒建筑垃圾');
      await photo(finding, 'finding-photo', p.photos[1]);
      // Saved as the worker goes: the draft holds all of it before anything else happens.
      await page.waitForFunction(
        () =>
          new Promise((resolve) => {
            const open = indexedDB.open('xunjian');
            open.onsuccess = () => {
              const req = open.result.transaction('drafts').objectStore('drafts').get('patrol');
              req.onsuccess = () => {
                open.result.close();
                const d = JSON.parse(req.result.json);
                resolve(d.checks.length === 7 && d.findings.length === 1 && d.findings[0].photos.length === 1 && d.findings[0].description !== '');
              };
            };
          }),
        null,
        { timeout: 10000 },
      );
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, 'patrol-live');
      await page.locator('[data-testid=findings] li.finding').first().scrollIntoViewIfNeeded();
      await shot(page, 'patrol-finding');
    });

    await steps.step('offline: reload in the middle of the patrol; the points, checklist and problem survived, and recording goes on, also under another tab', async () => {
      const before = await points();
      await page.reload();
      await page.waitForSelector('[data-testid=patrol-live]');
      await waitPoints(before);
      await page.waitForSelector('[data-testid=answered]:has-text("7/7")');
      equal(await page.locator('[data-testid=findings] li.finding').count(), 1, 'the problem is still there');
      equal(await page.inputValue('[data-testid=findings] textarea'), '路肩倾倒建筑垃圾', 'its description');
      equal(await page.locator('[data-testid=findings] .thumbs img').count(), 1, 'its photo');
      await page.waitForSelector('[data-testid=recording]');
      await page.waitForSelector('[data-testid=screen][data-awake=true]'); // asked for again after the reload
      // Recording goes on whichever screen is open: a fix while 今日 is shown.
      await tab(page, '#/');
      await page.waitForSelector('[data-testid=today-patrol][data-state=running]');
      await ctx.setGeolocation(p.fixes[FIXES - 2]);
      await page.waitForFunction(
        ([n]) => new Promise((resolve) => {
          const open = indexedDB.open('xunjian');
          open.onsuccess = () => {
            const req = open.result.transaction('track').objectStore('track').count();
            req.onsuccess = () => {
              open.result.close();
              resolve(req.result === n);
            };
          };
        }),
        [FIXES - 1],
        { timeout: 10000 },
      );
      await page.click('[data-testid=continue-patrol]');
      await waitPoints(FIXES - 1);
      await ctx.setGeolocation(p.fixes[FIXES - 1]);
      await waitPoints(FIXES);
    });

    await steps.step('offline: end the patrol; one operation queued, summary with distance and coverage', async () => {
      await page.click('[data-testid=end-patrol]');
      await page.click('[data-testid=end-patrol]'); // confirm
      await page.waitForSelector(`[data-testid=patrol-summary][data-id="${p.id}"]`, { timeout: 10000 });
      await waitPending(page, 1);
      const metres = Number(await page.getAttribute('[data-testid=patrol-summary]', 'data-distance'));
      assert(Math.abs(metres - (FIXES - 1) * 100) < 10, `distance ${metres} m`);
      const coverage = Number(await page.getAttribute(`[data-testid=coverage] [data-segment="${p.segment.id}"]`, 'data-coverage'));
      assert(coverage > 0.1 && coverage < 0.3, `coverage of 700 m of a 5 km segment: ${coverage}`);
      equal((await idbAll(page, 'track')).length, 0, 'the track left with the patrol');
      equal((await idbAll(page, 'drafts')).filter((d) => d.id === 'patrol').length, 0, 'no patrol in progress');
      equal(await page.locator('[data-testid=recording]').count(), 0, 'the GPS is off');
      await shot(page, 'patrol-summary');
      await tab(page, '#/patrols');
      await page.waitForSelector(`[data-testid=patrol-list] a[data-id="${p.id}"] [data-saved=local]`);
      await shot(page, 'patrols');
    });

    await steps.step('offline: the browser closed and reopened; the ended patrol is still there, waiting to be sent', async () => {
      await ctx.close();
      ctx = await openBrowser(path.join(tmp, 'patrol-profile'), p.fixes[FIXES - 1]);
      page = ctx.pages()[0] || (await ctx.newPage());
      page.on('pageerror', (e) => console.log(`         page error: ${e.message}`));
      await page.goto(`${base}/#/patrols`);
      await page.waitForSelector(`[data-testid=patrol-list] a[data-id="${p.id}"] [data-saved=local]`);
      await waitPending(page, 1);
      equal((await idbAll(page, 'drafts')).filter((d) => d.id === 'patrol').length, 0, 'no patrol in progress after the reopen');
    });

    await steps.step('server started again; sync; the server holds exactly one patrol with that id, with coverage and distance', async () => {
      await server.start();
      await syncNow(page);
      equal(server.count(`select count(*) from patrols where id = '${p.id}'`), 1, 'the patrol once');
      const stored = await api(base, 'GET', `/patrols/${p.id}`, p.token);
      assert(stored.distance_m > 500, `distance ${stored.distance_m}`);
      const [segment, coverage] = stored.coverage[0];
      equal(segment, p.segment.id, 'coverage of the segment walked');
      assert(coverage > 0, `coverage ${coverage}`);
      equal(stored.checks.length, 7, 'seven items');
      equal(stored.checks.filter((c) => !c.pass).map((c) => c.item).join(), 'ditches', 'the failed item');
      equal(stored.findings.length, 1, 'the problem');
      equal(stored.findings[0].category, 'rubbish', 'its category');
      for (const sha of [...stored.findings[0].photos, stored.checks.find((c) => !c.pass).photo]) {
        equal(server.count(`select count(*) from attachments where sha256 = '${sha}'`), 1, `photo ${sha.slice(0, 8)} uploaded`);
      }
      await page.waitForSelector(`[data-testid=patrol-list] a[data-id="${p.id}"] [data-saved=synced]`);
      // The walk took seconds, not the 20 minutes of an on-road record (docs/roads.md): stored, and
      // shown on 今日巡查 with why it does not count.
      equal(stored.on_road, false, 'a patrol of a few seconds is no on-road record');
      // 700 m of a 5 km segment is 14 % of it: under the 20 % an on-road record needs, too.
      equal(stored.faults.map((f) => f.fault).join(), 'too_short,off_the_road', `its faults: ${JSON.stringify(stored.faults)}`);
      await tab(page, '#/');
      await page.waitForSelector('[data-testid=today-patrol][data-state=not-counted]');
      const why = await page.textContent('[data-testid=not-counted]');
      assert(why.includes('上路时间不足'), `the reason on screen: ${why}`);
      await shot(page, 'patrol-today');
    });

    await steps.step('patrol worker: a second sync changes nothing', async () => {
      const first = counts();
      await syncNow(page);
      equal(JSON.stringify(counts()), JSON.stringify(first), 'counts');
    });

    await steps.step('the road station refers the problem to enforcement; after a sync the patrol shows it referred', async () => {
      const stored = await api(base, 'GET', `/patrols/${p.id}`, p.token);
      const issueId = stored.findings[0].id;
      const station = await api(base, 'POST', '/auth/login', null, { username: 'yishi.road', password: 'xunjian2026' });
      const detail = await api(base, 'GET', `/road-issues/${issueId}`, station.access_token);
      await api(base, 'POST', `/road-issues/${issueId}/actions`, station.access_token, {
        action: { action: 'refer', to: 'enforcement' },
        expected_version: detail.issue.version,
      });
      await page.goto(`${base}/#/patrol/${p.id}`);
      await page.waitForSelector(`[data-testid=summary-findings] li[data-id="${issueId}"][data-status=registered]`);
      await syncNow(page);
      await page.waitForSelector(`[data-testid=summary-findings] li[data-id="${issueId}"][data-status=referred]`);
      const shown = await page.textContent(`[data-testid=summary-findings] li[data-id="${issueId}"] .tag`);
      assert(shown.includes('移交'), `the status in words: ${shown}`);
    });

    await steps.step("every tappable thing on the patrol worker's screens is at least 44×44 px", async () => {
      const found = [];
      for (const hash of ['#/', '#/patrol', '#/patrols', `#/patrol/${p.id}`, '#/notifications', '#/settings']) {
        await page.goto(`${base}/${hash}`);
        await page.waitForSelector('main, .card, [data-testid]');
        await page.waitForTimeout(400);
        for (const small of await smallTargets(page)) found.push(`${hash}: ${small}`);
      }
      console.log(found.map((f) => `         ${f}`).join('\n'));
      equal(found.length, 0, `targets under 44×44: ${found.length}`);
    });
  } finally {
    try {
      if (ctx) await ctx.close();
    } catch {}
  }
}
