// The office screens on desktops (1366×768) against a server of their own: a grid worker registers
// hazards; the township office orders rectification with a deadline, files it and prints the
// notice; the deadline passes (the server restarted with its clock 4 days ahead, under
// libfaketime: the scheduler puts the hazard under supervision); the office refers it to the fire
// brigade; the brigade accepts and records the outcome; the office's re-check passes (a major
// hazard then waits for the brigade); the brigade's review closes it; the grid worker's phone shows
// it closed after a sync. A township user who edits the URL to another township's hazard gets the
// server's refusal; with the server stopped the office pages show what they last loaded,
// read-only. Then each role's home, and the county's monthly random check with its ranking.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Server, api, assert, equal, freePort, openBrowser, openDesktop, root } from './harness.mjs';
import { login, makeJpeg, photo, shot, syncNow, waitSynced } from './app.mjs';

// A day `days` from now in China, as a date field holds it.
const chinaDay = (days) => new Date(Date.now() + days * 86400e3).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
// 2026年12月2日, as the notice prints a date.
const zhDate = (iso) => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};
// Last month in China, YYYY-MM: the demo's patrols are in the month before it was loaded.
function lastMonth() {
  const [y, m] = chinaDay(0).split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export async function officeSteps({ steps, tmp }) {
  const dataDir = path.join(tmp, 'office-data');
  const webDir = path.join(tmp, 'office-web');
  fs.mkdirSync(dataDir);
  fs.cpSync(process.env.XUNJIAN_WEB_DIR || path.join(root, 'dist'), webDir, { recursive: true });
  const server = new Server({
    bin: process.env.XUNJIAN_BIN || path.join(root, 'target/debug/xunjian'),
    dataDir,
    webDir,
    port: await freePort(),
  });
  const base = server.base;
  const o = {}; // what the steps learn
  const open = []; // browsers to close at the end
  // On a failure: a picture of every office page open, and where each was.
  steps.onFail = async () => {
    for (const [name, page] of Object.entries(o)) {
      if (page && typeof page.screenshot === 'function' && !page.isClosed()) {
        await page.screenshot({ path: path.join(tmp, `failed-${name}.png`) });
        console.log(`         ${name} at ${page.url()}`);
      }
    }
  };
  const desktop = async (name, username) => {
    const ctx = await openDesktop(path.join(tmp, `${name}-profile`));
    open.push(ctx);
    const page = ctx.pages()[0] || (await ctx.newPage());
    page.on('pageerror', (e) => console.log(`         page error (${name}): ${e.message}`));
    await page.goto(base + '/');
    await login(page, username, 'xunjian2026');
    await waitSynced(page);
    // Signed in on the phones' build, an office role goes on in the full build at /office/.
    equal(new URL(page.url()).pathname, '/office/', `${username} is on the office build`);
    return page;
  };
  const status = (page, s, timeout = 15000) => page.waitForSelector(`[data-testid=office-hazard][data-status=${s}]`, { timeout });
  // Takes one action on the open hazard page: pick it, fill its form, confirm.
  const act = async (page, action, fill = async () => {}) => {
    await page.click(`button[data-action=${action}]`);
    await fill();
    await page.click('[data-testid=confirm-action]');
  };
  const register = async (token, premise, severity, description) =>
    (await api(base, 'POST', '/hazards', token, { premise_id: premise, category: 'electrical', severity, description })).hazard.id;

  try {
    await steps.step('office: a server of its own; the grid worker registers three hazards and the phone syncs them', async () => {
      server.run(['demo']);
      await server.start();
      o.shop = server.sql(
        "select p.id from premises p join users u on u.org_unit_id = p.grid_id where u.username = 'yishi.grid' order by p.name limit 1",
      );
      const grid = await api(base, 'POST', '/auth/login', null, { username: 'yishi.grid', password: 'xunjian2026' });
      o.major = await register(grid.access_token, o.shop, 'major', '配电箱线路老化，私拉乱接电线');
      o.toEnforcement = await register(grid.access_token, o.shop, 'general', '门前占道堆放易燃杂物，拒不清理');
      o.third = await register(grid.access_token, o.shop, 'general', '灭火器压力不足');
      // Another township's hazard, for the URL a township user must not reach.
      const niudu = await api(base, 'POST', '/auth/login', null, { username: 'niudu.office', password: 'xunjian2026' });
      const niuduPremise = server.sql(
        "select p.id from premises p join org_units g on g.id = p.grid_id where g.path like (select path from org_units where name = '牛杜镇') || '%' limit 1",
      );
      o.otherTownship = await register(niudu.access_token, niuduPremise, 'general', '牛杜镇的隐患');
      const ctx = await openBrowser(path.join(tmp, 'grid2-profile'), { latitude: 35.14, longitude: 110.77, accuracy: 10 });
      open.push(ctx);
      o.grid = ctx.pages()[0] || (await ctx.newPage());
      await o.grid.goto(base + '/');
      await login(o.grid, 'yishi.grid', 'xunjian2026');
      await waitSynced(o.grid);
      await o.grid.goto(`${base}/#/hazard/${o.major}`);
      await o.grid.waitForSelector('[data-testid=hazard][data-status=registered]');
    });

    await steps.step('office: yishi.office lands on the dashboard (villages, status counts, trend); the side bar at 1366×768', async () => {
      o.office = await desktop('office', 'yishi.office');
      const page = o.office;
      await page.waitForSelector('[data-testid=dashboard][data-level=township]');
      await page.waitForSelector('[data-testid=unit-table] tr[data-unit="东街村"]');
      await page.waitForSelector('[data-testid=trend] svg polyline', { state: 'attached' });
      assert(await page.locator('[data-testid=office-nav]').isVisible(), 'the side navigation is shown');
      const box = await page.locator('[data-testid=office-nav]').boundingBox();
      assert(box.x === 0 && box.height > 500, `a side bar on the left: ${JSON.stringify(box)}`);
      await page.waitForSelector('[data-testid=by-status] [data-status=registered]');
    });

    await steps.step('office: the hazard queue filters by severity; orders rectification with a deadline, files it', async () => {
      const page = o.office;
      await page.click('a[data-tab="#/hazards"]');
      await page.waitForSelector(`[data-testid=queue] tr[data-id="${o.major}"]`);
      await page.selectOption('[data-testid=filter-severity]', 'major');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=queue] tbody tr').length === 1);
      await page.click(`[data-testid=queue] tr[data-id="${o.major}"] a`);
      await status(page, 'registered');
      await page.waitForSelector('[data-testid=timeline] li[data-action=register]');
      // Back to the queue: it is as the clerk left it, filtered.
      await page.goBack();
      await page.waitForSelector(`[data-testid=queue] tr[data-id="${o.major}"]`);
      equal(await page.inputValue('[data-testid=filter-severity]'), 'major', 'the filter kept');
      equal(await page.locator('[data-testid=queue] tbody tr').count(), 1, 'and the list it gives');
      await page.click(`[data-testid=queue] tr[data-id="${o.major}"] a`);
      await status(page, 'registered');
      await page.waitForSelector('[data-testid=position] a[href^="geo:"]');
      await page.waitForSelector('button[data-action]');
      const offered = await page.locator('button[data-action]').evaluateAll((bs) => bs.map((b) => b.dataset.action));
      assert(offered.includes('OrderRectification') && offered.includes('Refer'), `office actions: ${offered}`);
      assert(!offered.includes('BrigadeAccept') && !offered.includes('AcceptReferral'), `no brigade or receiver actions: ${offered}`);
      o.deadline = chinaDay(3);
      await act(page, 'OrderRectification', () => page.fill('[data-testid=deadline]', o.deadline));
      await status(page, 'rectification_ordered');
      await act(page, 'File');
      await status(page, 'filed');
      await page.waitForSelector('[data-testid=timeline] li[data-action=file]');
    });

    await steps.step('office: the rectification notice (限期整改通知书) prints on one A4 page without the app around it', async () => {
      const page = o.office;
      await page.click('[data-testid=open-notice]');
      await page.waitForSelector('[data-testid=notice]');
      const deadline = await page.textContent('[data-testid=notice-deadline]');
      equal(deadline.trim(), zhDate(o.deadline), 'the deadline on the notice');
      const issuer = await page.textContent('[data-testid=notice-issuer]');
      assert(issuer.includes('猗氏镇消防安全委员会办公室'), `issued by the township office: ${issuer}`);
      const responsible = server.sql(`select responsible_person from premises where id = '${o.shop}'`);
      assert((await page.textContent('[data-testid=notice-responsible]')).includes(responsible), 'the responsible person');
      await shot(page, 'notice');
      await page.emulateMedia({ media: 'print' });
      equal(await page.locator('[data-testid=office-nav]').isVisible(), false, 'no navigation on paper');
      equal(await page.locator('[data-testid=print]').isVisible(), false, 'no buttons on paper');
      const pdf = (await page.pdf({ format: 'A4', printBackground: true })).toString('latin1');
      equal((pdf.match(/\/Type\s*\/Page[^s]/g) || []).length, 1, 'pages of the printed notice');
      await page.emulateMedia({ media: 'screen' });
    });

    await steps.step('the deadline passes: the server restarted 4 days ahead (faketime); its scheduler puts the hazard under supervision', async () => {
      await server.kill();
      await server.start({ clockShift: '+4d' });
      const page = o.office;
      await page.goto(`${base}/#/hazard/${o.major}`);
      await status(page, 'supervised', 30000);
      await page.waitForSelector('[data-testid=timeline] li[data-action=mark_overdue]');
      equal(server.sql(`select status from hazards where id = '${o.major}'`), 'supervised', 'on the server');
      // The grid worker's 今日 marks it overdue after a sync (with the hazards to act on, or among
      // those waiting for others).
      await o.grid.goto(`${base}/#/`);
      await syncNow(o.grid);
      await o.grid.waitForSelector(`[data-testid^=today-] li[data-id="${o.major}"][data-overdue=true]`);
    });

    await steps.step('office: refers the supervised hazard to the fire brigade, the other to the enforcement team', async () => {
      const page = o.office;
      await act(page, 'Refer', () => page.selectOption('[data-testid=refer-to]', 'fire_brigade'));
      await status(page, 'referred');
      await page.goto(`${base}/#/hazard/${o.toEnforcement}`);
      await status(page, 'registered');
      await act(page, 'Refer', () => page.selectOption('[data-testid=refer-to]', 'enforcement'));
      await status(page, 'referred');
      // Opened online once: its page is kept for reading offline.
      await page.goto(`${base}/#/hazard/${o.third}`);
      await status(page, 'registered');
      await page.goto(`${base}/#/hazards`);
      await page.waitForSelector(`[data-testid=queue] tr[data-id="${o.major}"][data-status=referred]`);
      await page.goto(`${base}/#/`);
      await page.waitForSelector('[data-testid=dashboard]');
      await page.waitForSelector('[data-testid=by-status] [data-status=referred]');
      await shot(page, 'office-home');
    });

    await steps.step("office: another township's hazard by URL — the server refuses and the app says so", async () => {
      const page = o.office;
      await page.goto(`${base}/#/hazard/${o.otherTownship}`);
      await page.waitForSelector('[data-testid=refused][data-status="404"]');
      const text = await page.textContent('[data-testid=refused]');
      assert(text.includes('服务器拒绝') && text.includes('辖区'), `the refusal in words: ${text}`);
      equal(await page.locator('[data-testid=office-hazard]').count(), 0, 'nothing of the hazard shown');
    });

    await steps.step('brigade: the referral is in its queue; accepts it and records the outcome', async () => {
      o.brigade = await desktop('brigade', 'brigade');
      const page = o.brigade;
      await page.waitForSelector('[data-testid=dashboard][data-level=county]');
      await page.click('a[data-tab="#/referrals"]');
      await page.click(`[data-testid=referred-hazards] tr[data-id="${o.major}"] a`);
      await status(page, 'referred');
      await act(page, 'AcceptReferral');
      await status(page, 'referral_accepted');
      await act(page, 'RecordOutcome', () => page.fill('[data-testid=action-text]', '已责令停止使用老化线路，处罚款 2000 元，更换配电箱'));
      await status(page, 'enforcement_concluded');
    });

    await steps.step('office: the re-check passes with a photo; a major hazard then waits for the brigade', async () => {
      const page = o.office;
      o.photo = await makeJpeg(page, path.join(tmp, 'recheck.jpg'), '#2e7d32');
      await page.goto(`${base}/#/hazard/${o.major}`);
      await status(page, 'enforcement_concluded');
      await page.click('button[data-action=RecheckPass]');
      await photo(page, 'action-photo', o.photo);
      await page.click('[data-testid=confirm-action]');
      await status(page, 'awaiting_brigade_review');
    });

    await steps.step('brigade: its home lists the major hazard awaiting review; 审核通过 closes it', async () => {
      const page = o.brigade;
      await page.goto(`${base}/#/`);
      await page.waitForSelector(`[data-testid=review-list] tr[data-id="${o.major}"]`);
      await shot(page, 'brigade-home');
      await page.click(`[data-testid=review-list] tr[data-id="${o.major}"] a`);
      await status(page, 'awaiting_brigade_review');
      await act(page, 'BrigadeAccept');
      await status(page, 'closed');
      equal(server.sql(`select status from hazards where id = '${o.major}'`), 'closed', 'closed on the server');
      const actions = server.sql(`select action from hazard_events where hazard_id = '${o.major}' order by version`).split('\n');
      equal(
        actions.join(','),
        'register,order_rectification,file,mark_overdue,refer,accept_referral,record_outcome,recheck_pass,brigade_accept',
        'the hazard timeline',
      );
      await page.waitForSelector('[data-testid=timeline] li[data-action=brigade_accept]');
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, 'office-hazard');
    });

    await steps.step("the grid worker's phone shows the hazard closed after a sync", async () => {
      const page = o.grid;
      await page.goto(`${base}/#/`);
      await syncNow(page);
      await page.goto(`${base}/#/hazard/${o.major}`);
      await page.waitForSelector('[data-testid=hazard][data-status=closed]');
      // With its timeline as pulled: the office's and the brigade's steps, ending closed.
      await page.waitForSelector('[data-testid=timeline] li[data-to=closed]');
      const events = await page.locator('[data-testid=timeline] li').count();
      assert(events >= 4, `the whole timeline on the phone: ${events} events`);
    });

    await steps.step("the grid worker's 消息: what the office and the brigade did, opened and marked read on the server", async () => {
      const page = o.grid;
      const me = server.sql("select id from users where username = 'yishi.grid'");
      const unread = Number(server.sql(`select count(*) from notifications where user_id = '${me}' and read_at is null`));
      assert(unread >= 1, `the grid worker was told of the hazards' steps: ${unread} unread`);
      await page.click('a[data-tab="#/notifications"]');
      await page.waitForSelector('[data-testid=notifications] li[data-unread=true]');
      equal(await page.locator('[data-testid=notifications] li[data-unread=true]').count(), unread, 'unread on the phone as on the server');
      await shot(page, 'notifications');
      const first = page.locator('[data-testid=notifications] li[data-unread=true]').first();
      const id = await first.getAttribute('data-id');
      await first.locator('button').click();
      await syncNow(page);
      const read = server.sql(`select read_at is not null from notifications where id = '${id}'`);
      equal(read, '1', 'marked read on the server');
      equal(Number(server.sql(`select count(*) from notifications where user_id = '${me}' and read_at is null`)), unread - 1, 'only that one');
    });

    await steps.step('server stopped: the office pages show what they last loaded, read-only, and say so', async () => {
      await server.kill();
      const page = o.office;
      await page.goto(`${base}/#/`);
      // A hash change is no reload, so no sync at start: ask for one, which finds the server gone.
      await page.click('[data-testid=sync-now]');
      await page.waitForSelector('[data-testid=sync-bar][data-state=error]', { timeout: 20000 });
      await page.waitForSelector('[data-testid=dashboard]');
      await page.waitForSelector('[data-testid=offline-copy]');
      // The office build's shell was kept by the service worker for this computer.
      equal(new URL(page.url()).pathname, '/office/', 'the office build, offline');
      await page.goto(`${base}/#/hazard/${o.third}`);
      await status(page, 'registered');
      await page.waitForSelector('[data-testid=offline-copy]');
      await page.waitForSelector('[data-testid=read-only]');
      equal(await page.locator('[data-testid=confirm-action], button[data-action]').count(), 0, 'no actions offline');
      await shot(page, 'office-offline');
      await page.goto(`${base}/#/hazards`);
      await page.waitForSelector(`[data-testid=queue] tr[data-id="${o.major}"]`);
      await page.waitForSelector('[data-testid=offline-copy]');
      // A page never opened here: nothing to show, and it says why.
      await page.goto(`${base}/#/quarter`);
      await page.waitForSelector('[data-testid=no-copy]');
      // The ledger reads from the synced records, and offers no change while the server is away.
      await page.goto(`${base}/#/premises`);
      await page.waitForSelector('[data-testid=ledger-table] tbody tr');
      await page.waitForSelector('[data-testid=offline-copy]');
      equal(await page.locator('[data-testid=edit-premise], [data-testid=ledger-file]').count(), 0, 'no edit, import or export offline');
    });

    await steps.step('enforcement team, road station and county admin each land on their own home', async () => {
      await server.start({ clockShift: '+4d' });
      o.enforce = await desktop('enforce', 'yishi.enforce');
      const enforce = o.enforce;
      await enforce.waitForSelector(`[data-testid=referred-hazards] tr[data-id="${o.toEnforcement}"]`);
      await enforce.waitForSelector('[data-testid=referred-road-issues]');
      await shot(enforce, 'enforcement-home');
      o.road = await desktop('road', 'yishi.road');
      await o.road.waitForSelector('[data-testid=road-issue-list] tbody tr');
      await shot(o.road, 'road-station-home');
      // 第十八条: the station registers what it found on its own round; it joins the list.
      const before = await o.road.locator('[data-testid=road-issue-list] tbody tr').count();
      await o.road.fill('[data-testid=issue-description]', '交管站巡查发现路肩堆放柴草');
      await o.road.click('[data-testid=issue-submit]');
      await o.road.waitForSelector('[data-testid=issue-message].notice');
      await o.road.waitForFunction((n) => document.querySelectorAll('[data-testid=road-issue-list] tbody tr').length === n + 1, before);
      equal(server.sql("select count(*) from road_issues where patrol_id is null and description = '交管站巡查发现路肩堆放柴草'"), '1', 'on the server, no patrol');
      o.admin = await desktop('admin', 'admin');
      await o.admin.waitForSelector('[data-testid=dashboard][data-level=county]');
      await o.admin.waitForSelector('[data-testid=unit-table] tr[data-unit="牛杜镇"]');
      await shot(o.admin, 'county-home');
    });

    await steps.step('enforcement team: returns a referral with its reason; the office sees it returned, the reason in the timeline, and may close it', async () => {
      const page = o.enforce;
      await page.click(`[data-testid=referred-hazards] tr[data-id="${o.toEnforcement}"] a`);
      await status(page, 'referred');
      const reason = '占道堆物属城管职责之外的私人院内，不属于本队查处范围，请乡镇督促整改';
      // Without a reason the form refuses, in words.
      await page.click('button[data-action=ReturnReferral]');
      await page.click('[data-testid=confirm-action]');
      await page.waitForSelector('[data-testid=action-error]');
      equal(server.sql(`select status from hazards where id = '${o.toEnforcement}'`), 'referred', 'nothing sent without a reason');
      await page.fill('[data-testid=action-text]', reason);
      await page.click('[data-testid=confirm-action]');
      await status(page, 'returned');
      equal(server.sql(`select status from hazards where id = '${o.toEnforcement}'`), 'returned', 'returned on the server');
      const office = o.office;
      await office.goto(`${base}/#/hazard/${o.toEnforcement}`);
      await status(office, 'returned');
      await office.waitForSelector(`[data-testid=timeline] li:has-text("${reason.slice(0, 12)}")`);
      await office.waitForSelector('button[data-action]');
      const offered = await office.locator('button[data-action]').evaluateAll((bs) => bs.map((b) => b.dataset.action));
      assert(offered.includes('Close') || offered.includes('Refer'), `the office decides what next: ${offered}`);
    });

    await steps.step("road station: last month's patrol records; a patrol's track drawn over its segment", async () => {
      const page = o.road;
      await page.click('a[data-tab="#/patrols"]');
      await page.fill('[data-testid=patrol-month]', lastMonth());
      await page.waitForSelector('[data-testid=patrol-table] tbody tr');
      const worker = (await page.textContent('[data-testid=patrol-table] tbody tr:first-child td:nth-child(2)')).trim();
      assert(worker.length > 0, 'the worker named in the list');
      // Each segment's month: what its patrols covered together, as the server works it out.
      await page.waitForSelector('[data-testid=segment-month] tbody tr');
      const token = (await api(base, 'POST', '/auth/login', null, { username: 'yishi.road', password: 'xunjian2026' })).access_token;
      const months = await api(base, 'GET', `/segments/coverage?month=${lastMonth()}`, token);
      const shown = await page.locator('[data-testid=segment-month] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.coverage));
      equal(shown.join(), months.map((m) => (m.coverage == null ? '' : m.coverage.toFixed(2))).join(), 'coverage per segment');
      assert(months.some((m) => m.patrols >= 20 && m.coverage > 0.5), `the demo's 20 patrols cover their segment: ${JSON.stringify(months)}`);
      await page.click('[data-testid=patrol-table] tbody tr:first-child a');
      await page.waitForSelector('[data-testid=track-map] polyline.road', { state: 'attached' });
      equal(await page.getAttribute('[data-testid=office-patrol]', 'data-worker'), worker, 'and on the record');
      assert((await page.textContent('[data-testid=office-patrol] h2')).includes(worker), 'in its title');
      await page.waitForSelector('[data-testid=track-map] polyline.walked', { state: 'attached' });
      await shot(page, 'patrol-track');
    });

    await steps.step('road station: the register — the assignment report, the segments, and the exported file imported back unchanged', async () => {
      const page = o.road;
      await page.click('a[data-tab="#/roads"]');
      await page.waitForSelector('[data-testid=assignment-report]');
      const token = (await api(base, 'POST', '/auth/login', null, { username: 'yishi.road', password: 'xunjian2026' })).access_token;
      const report = await api(base, 'GET', '/roads/assignments', token);
      equal(await page.getAttribute('[data-testid=assignment-report]', 'data-unassigned'), report.unassigned_km.toFixed(1), 'unassigned km as the server counts');
      // The demo's yishi.patrol2: over 60, uninsured, 10.5 km.
      const patrol2 = server.sql("select id from users where username = 'yishi.patrol2'");
      const row = page.locator(`[data-testid=worker-problems] tr[data-worker="${patrol2}"]`);
      assert((await row.textContent()).includes('超过60岁'), `flagged over 60: ${await row.textContent()}`);
      const segments = await api(base, 'GET', '/segments', token);
      await page.waitForSelector('[data-testid=segment-table] tbody tr');
      equal(await page.locator('[data-testid=segment-table] tbody tr').count(), segments.length, 'every segment of the township');
      await shot(page, 'road-register');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('[data-testid=register-file] [data-testid=download][data-path^="/api/v1/roads/export"]'),
      ]);
      const file = path.join(tmp, 'roads.xlsx');
      await download.saveAs(file);
      equal(fs.readFileSync(file).subarray(0, 2).toString(), 'PK', 'an XLSX file');
      await page.setInputFiles('[data-testid=register-import-file]', file);
      await page.click('[data-testid=register-dry-run]');
      await page.waitForSelector('[data-testid=register-report][data-dry=true]');
      equal(await page.getAttribute('[data-testid=register-report]', 'data-errors'), '0', 'no row errors');
      const lines = await page.locator('[data-testid=register-report] li').allTextContents();
      assert(lines.length === segments.length && lines.every((l) => l.includes('不变')), `every row unchanged: ${lines}`);
    });

    await steps.step('road station: works filed (先报备), approved with conditions (再批复), done (后实施); the pay sheet as the server counts it, as XLSX', async () => {
      const page = o.road;
      await page.click('a[data-tab="#/works"]');
      await page.waitForSelector('[data-testid=file-works]');
      // On a 乡道 (Y045) the filing is the township's to decide (第五条); a county road's is the county's.
      const y045 = await page.locator('[data-testid=works-segment] option', { hasText: 'Y045' }).first().getAttribute('value');
      await page.selectOption('[data-testid=works-segment]', y045);
      await page.fill('[data-testid=works-applicant]', '东街村委会');
      await page.fill('[data-testid=works-description]', '路肩下埋设自来水管道 200 米');
      await page.fill('[data-testid=works-from]', '2026-12-01');
      await page.fill('[data-testid=works-to]', '2026-12-10');
      await page.click('[data-testid=works-submit]');
      const row = '[data-testid=works-table] tr[data-applicant="东街村委会"]';
      await page.waitForSelector(`${row}[data-status=requested]`);
      equal(await page.getAttribute(`${row} [data-testid=works-filed-with]`, 'data-unit'), 'township', 'filed with the township');
      await page.fill(`${row} [data-testid=works-words]`, '夜间施工，回填压实，恢复路肩');
      await page.fill(`${row} [data-testid=works-ref]`, '临审批〔2026〕12号');
      await page.click(`${row} button[data-works-action=approve]`);
      await page.waitForSelector(`${row}[data-status=approved]`);
      await page.click(`${row} button[data-works-action=complete]`);
      await page.waitForSelector(`${row}[data-status=done]`);
      equal(server.sql("select status || ' ' || approval_ref from road_works where applicant = '东街村委会'"), 'done 临审批〔2026〕12号', 'on the server');
      // The pay sheet of last month: the demo's 20 and 12 days on the road.
      await page.click('a[data-tab="#/pay"]');
      await page.waitForSelector('[data-testid=pay-table] tbody tr');
      const token = (await api(base, 'POST', '/auth/login', null, { username: 'yishi.road', password: 'xunjian2026' })).access_token;
      const town = server.sql("select id from org_units where name = '猗氏镇'");
      const sheet = await api(base, 'GET', `/roads/pay-sheet?township_id=${town}&month=${lastMonth()}`, token);
      const days = await page.locator('[data-testid=pay-table] tbody tr td:nth-child(2)').allTextContents();
      equal(days.map(Number).join(), sheet.lines.map((l) => l.days_on_road).join(), 'days on the road, as the server counts');
      assert(days.map(Number).includes(20), `the demo's 20 days: ${days}`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=pay] [data-testid=download]')]);
      equal(fs.readFileSync(await download.path()).subarray(0, 2).toString(), 'PK', 'the pay sheet as XLSX');
      // 计发办法: the county's default scheme, read-only for the station (the township office sets it).
      await page.waitForSelector('[data-testid=pay-rules][data-default=true]');
      equal(await page.textContent('[data-testid=pay-rules] [data-field=required_days]'), '20', 'the required days');
      equal(await page.locator('[data-testid=save-pay-rules]').count(), 0, 'the station does not set the scheme');
      // 结算与签字 (第二十一条): the station closes the month (the sheet is frozen) and signs as 交管员;
      // the deputy head's signature is next, and not the station's to give.
      await page.waitForSelector('[data-testid=month-close][data-state=open]');
      await page.click('[data-testid=month-act][data-act=close]');
      await page.waitForSelector('[data-testid=month-close][data-state=closed] [data-testid=month-act][data-act=sign_officer]');
      await page.click('[data-testid=month-act][data-act=sign_officer]');
      await page.waitForSelector('[data-testid=month-act][data-act=sign_deputy_head]');
      const acts = await page.locator('[data-testid=month-acts] li').evaluateAll((li) => li.map((l) => l.dataset.act));
      equal(acts.join(), 'close,sign_officer', 'closed and signed, in order');
      equal(server.sql(`select count(*) from road_months where township_id = '${town}' and officer_id is not null`), '1', 'on the server');
      await page.click('[data-testid=month-act][data-act=sign_deputy_head]');
      const refused = await page.textContent('[data-testid=month-act-error]');
      assert(refused.includes('签字人'), `the station may not sign for the deputy head: ${refused}`);
      const frozen = await api(base, 'GET', `/roads/pay-sheet?township_id=${town}&month=${lastMonth()}`, token);
      equal(JSON.stringify(frozen.lines), JSON.stringify(sheet.lines), 'the frozen sheet has the figures it was closed with');
      await shot(page, 'office-pay-closed');
    });

    await steps.step("road station: a segment without a surveyed line on its home; a patrol's track becomes the line", async () => {
      const page = o.road;
      const login = await api(base, 'POST', '/auth/login', null, { username: 'yishi.road', password: 'xunjian2026' });
      const token = login.access_token;
      const town = login.user.org_chain[1].id;
      const admin = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: 'xunjian2026' })).access_token;
      const road = await api(base, 'POST', '/roads', admin, { code: 'Y990', name: '新建村道', level: 'village', length_km: 2 });
      const seg = await api(base, 'POST', `/roads/${road.id}/segments`, token, { township_id: town, from_km: 0, to_km: 2 });
      equal(seg.polyline.length, 0, 'imported without a line');
      // The station's own patrol of it (第十八条): a 2 km walk north, a fix every 4 m and 3 s.
      const start = Date.now() - 3 * 3600 * 1000;
      const n = 500;
      const track = Array.from({ length: n + 1 }, (_, i) => ({
        lat: 35.30 + (i / n) * (2 / 111.195), lon: 110.70, acc: 6, t: new Date(start + i * 3000).toISOString(),
      }));
      const items = ['pavement', 'shoulders', 'ditches', 'outer_edge', 'safety', 'trees', 'no_illegal_building'];
      const patrol = await api(base, 'POST', '/patrols', token, {
        id: randomUUID(), segment_ids: [seg.id], started_at: new Date(start).toISOString(),
        ended_at: new Date(start + 2 * 3600 * 1000).toISOString(), track, checks: items.map((item) => ({ item, pass: true })),
      });
      assert(patrol.on_road && patrol.coverage[0][1] === null, `judged on the track alone: ${JSON.stringify(patrol.faults)}`);
      // The station's home says how many km have no line.
      await page.goto(`${base}/office/#/road-issues`);
      await page.waitForSelector('[data-testid=unsurveyed][data-km="2.0"]');
      await page.goto(`${base}/office/#/patrol/${patrol.id}`);
      await page.click('[data-testid=take-line-button]');
      await page.waitForSelector('[data-testid=line-taken]');
      const line = JSON.parse(server.sql(`select polyline from road_segments where id = '${seg.id}'`));
      equal(line.length, patrol.track.length, "the patrol's thinned track is the line");
      await shot(page, 'station-line-from-patrol');
      await page.goto(`${base}/office/#/road-issues`);
      await page.waitForSelector('[data-testid=road-issues]');
      await page.waitForTimeout(500);
      equal(await page.locator('[data-testid=unsurveyed]').count(), 0, 'no km left without a line');
    });

    await steps.step("road station: a village's roadside register (第七条) imported; a violation names the household at its place", async () => {
      const page = o.road;
      const token = (await api(base, 'POST', '/auth/login', null, { username: 'yishi.road', password: 'xunjian2026' })).access_token;
      // An open violation of the demo month, and where it lies on its segment's (straight, northward) line.
      const page1 = await api(base, 'GET', '/road-issues?status=registered,rectification_ordered,supervised,returned&limit=100', token);
      const issue = page1.items.find((i) => ['rubbish', 'grain_drying', 'piling'].includes(i.category));
      assert(issue, `an open violation: ${JSON.stringify(page1.items.map((i) => i.category))}`);
      const seg = (await api(base, 'GET', '/segments', token)).find((s) => s.id === issue.segment_id);
      const road = (await api(base, 'GET', '/roads', token)).find((r) => r.id === seg.road_id);
      const [a, b] = [seg.polyline[0], seg.polyline[seg.polyline.length - 1]];
      const km = seg.from_km + ((issue.location.lat - a.lat) / (b.lat - a.lat)) * (seg.to_km - seg.from_km);
      const near = [Math.max(seg.from_km, km - 0.05), Math.min(seg.to_km, km + 0.05)];
      const far = km + 1 <= seg.to_km ? km + 1 : km - 1;
      const csv = [
        '户主,路线编码,起点桩号,止点桩号,位置,村,类别,联系电话,协议签订日期',
        `张建国,${road.code},${near[0].toFixed(3)},${near[1].toFixed(3)},左,东张村,农户,13912345678,2026-03-01`,
        `临猗果库,${road.code},${far.toFixed(3)},${far.toFixed(3)},右,东张村,果库,0359-4021234,`,
      ].join('\r\n');
      const file = path.join(tmp, 'roadside.csv');
      fs.writeFileSync(file, csv);
      await page.goto(`${base}/office/#/roads`);
      await page.waitForSelector('[data-testid=roadside][data-parties="0"]');
      await page.selectOption('[data-testid=import-kind]', 'roadside');
      await page.setInputFiles('[data-testid=register-import-file]', file);
      await page.click('[data-testid=register-dry-run]');
      await page.waitForSelector('[data-testid=register-report][data-dry=true]');
      equal(await page.getAttribute('[data-testid=register-report]', 'data-errors'), '0', 'no row errors');
      await page.click('[data-testid=register-import]');
      await page.waitForSelector('[data-testid=register-report][data-dry=false]');
      // The table below loads the register again: two parties, one with the agreement signed.
      await page.waitForSelector('[data-testid=roadside][data-parties="2"][data-signed="1"]');
      equal(server.sql("select count(*) from roadside_parties where active"), '2', 'on the server');
      // The issue's page offers the household at the place first; the station names it.
      await page.goto(`${base}/office/#/road-issue/${issue.id}`);
      await page.waitForSelector('[data-testid=candidates] li');
      const first = await page.textContent('[data-testid=candidates] li:first-child');
      assert(first.includes('张建国') && first.includes('此处地块'), `the household at the place first: ${first}`);
      assert((await page.textContent('[data-testid=candidates] li:nth-child(2)')).includes('相距 1000 米'), 'the fruit store 1 km on');
      await page.click('[data-testid=candidates] li:first-child [data-testid=name-party]');
      await page.waitForSelector('[data-testid=responsible-party]');
      assert((await page.textContent('[data-testid=responsible-party]')).includes('张建国'), 'named');
      equal(
        server.sql(`select p.holder from road_issue_parties r join roadside_parties p on p.id = r.party_id where r.issue_id = '${issue.id}'`),
        '张建国', 'on the server',
      );
      await shot(page, 'road-issue-responsible');
    });

    await steps.step('traffic police (第八条): the road station refers a violation to 交警大队; the police\'s home lists it; it accepts and records the outcome', async () => {
      const page = o.road;
      const token = (await api(base, 'POST', '/auth/login', null, { username: 'yishi.road', password: 'xunjian2026' })).access_token;
      const waiting = await api(base, 'GET', '/road-issues?status=registered&limit=100', token);
      const issue = waiting.items[0];
      assert(issue, 'an open road issue to refer');
      await page.goto(`${base}/office/#/road-issue/${issue.id}`);
      await page.waitForSelector('[data-testid=road-issue][data-status=registered]');
      await page.click('button[data-action=Refer]');
      const offered = await page.locator('[data-testid=refer-to] option').evaluateAll((os) => os.map((x) => x.value));
      equal(offered.join(), 'enforcement,traffic_police', 'a road issue goes to the enforcement team or the traffic police');
      await page.selectOption('[data-testid=refer-to]', 'traffic_police');
      await page.click('[data-testid=confirm-action]');
      await page.waitForSelector('[data-testid=road-issue][data-status=referred]');
      equal(server.sql(`select referred_to from road_issues where id = '${issue.id}'`), 'traffic_police', 'on the server');
      o.police = await desktop('police', 'police');
      const police = o.police;
      await police.waitForSelector(`[data-testid=referred-road-issues] tr[data-id="${issue.id}"]`);
      equal(await police.locator('[data-testid=referred-road-issues] tr[data-id]').count(), 1, 'only what was referred to them');
      equal(await police.locator('[data-testid=referred-hazards]').count(), 0, 'no fire hazards on their home');
      await shot(police, 'police-home');
      await police.click(`[data-testid=referred-road-issues] tr[data-id="${issue.id}"] a`);
      await police.waitForSelector('[data-testid=road-issue][data-status=referred]');
      await act(police, 'AcceptReferral');
      await police.waitForSelector('[data-testid=road-issue][data-status=referral_accepted]');
      await act(police, 'RecordOutcome', () => police.fill('[data-testid=action-text]', '已责令车主驶离，处以罚款'));
      await police.waitForSelector('[data-testid=road-issue][data-status=enforcement_concluded]');
      equal(server.sql(`select status from road_issues where id = '${issue.id}'`), 'enforcement_concluded', 'on the server');
    });

    await steps.step('county admin: a monthly random check — the draw from a seed, scores, publish — and the ranking', async () => {
      const page = o.admin;
      await page.click('a[data-tab="#/checks"]');
      // The county's check form (第二十四条): the roads and the station's five items, 100 in all.
      await page.waitForSelector('[data-testid=check-form][data-default=true][data-total="100"]');
      const keys = await page.locator('[data-testid=check-form] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.key));
      equal(keys.join(','), 'roads,station,officer,crew,publicity,weeding', 'the roads and the five station items');
      equal(await page.locator('[data-testid=check-form] tr[data-key=weeding] input[name=label]').inputValue(), '打药灭草', 'the items named as the article does');
      // The county gives the station's building more weight: 70 for the roads, 10 for 交管站建设.
      await page.fill('[data-testid=check-form] tr[data-key=roads] input', '70');
      await page.locator('[data-testid=check-form] tr[data-key=roads] input').dispatchEvent('change');
      await page.waitForSelector('[data-testid=check-form][data-total="95"]');
      await page.fill('[data-testid=check-form] tr[data-key=station] input[name=points]', '10');
      await page.locator('[data-testid=check-form] tr[data-key=station] input[name=points]').dispatchEvent('change');
      await page.waitForSelector('[data-testid=check-form][data-total="100"]');
      await page.click('[data-testid=save-check-form]');
      await page.waitForSelector('[data-testid=check-form][data-default=false]');
      const stored = JSON.parse(server.sql("select form from road_check_form where id = 'county'"));
      equal(`${stored.road_points}/${stored.station_items[0].points}`, '70/10', 'the form kept by the server');
      await shot(page, 'county-check-form');
      await page.fill('[data-testid=check-period]', lastMonth());
      await page.fill('[data-testid=check-seed]', '20260401');
      await page.click('[data-testid=start-check]');
      await page.waitForSelector('[data-testid=check][data-seed="20260401"]');
      const drawn = await page.locator('[data-testid=draw-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.segment));
      assert(drawn.length >= 2, `segments drawn in both townships with roads: ${drawn}`);
      for (const [i, seg] of drawn.entries()) {
        await page.click(`[data-testid=draw-table] tr[data-segment="${seg}"] [data-testid=score]`);
        await page.waitForSelector(`[data-testid=score-form][data-segment="${seg}"]`);
        if (i === 0) await page.click('[data-testid=score-form] button[data-item="0"]'); // 路面平整无坑槽 fails
        await page.click('[data-testid=save-score]');
        await page.waitForSelector(`[data-testid=draw-table] tr[data-segment="${seg}"][data-scored=true]`);
      }
      // The scoring form as the server keeps it: 6 of 7 items, and which one failed.
      const first = page.locator(`[data-testid=draw-table] tr[data-segment="${drawn[0]}"]`);
      await page.waitForSelector(`[data-testid=draw-table] tr[data-segment="${drawn[0]}"][data-score="85.7"]`);
      assert((await first.textContent()).includes('路面平整无坑槽'), `the failed item named: ${await first.textContent()}`);
      // Publishing waits for the stations' items: the server says so.
      await page.click('[data-testid=publish]');
      await page.waitForSelector('[role=alert]:has-text("站所")');
      // Each township's station, by the check's form: the first one loses 打药灭草's 5 points.
      const towns = await page.locator('[data-testid=station-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.townshipId));
      assert(towns.length >= 2, `the townships of the draw: ${towns}`);
      // A form left unsaved does not carry over to another township's.
      await page.click(`[data-testid=station-table] tr[data-township-id="${towns[0]}"] [data-testid=score-station]`);
      await page.fill('[data-testid=station-form] input[name=weeding]', '0');
      await page.locator('[data-testid=station-form] input[name=weeding]').dispatchEvent('change');
      await page.click(`[data-testid=station-table] tr[data-township-id="${towns[1]}"] [data-testid=score-station]`);
      await page.waitForSelector(`[data-testid=station-form][data-township-id="${towns[1]}"]`);
      equal(await page.inputValue('[data-testid=station-form] input[name=weeding]'), '5', "the other township's form starts from its own points");
      for (const [i, town] of towns.entries()) {
        await page.click(`[data-testid=station-table] tr[data-township-id="${town}"] [data-testid=score-station]`);
        await page.waitForSelector(`[data-testid=station-form][data-township-id="${town}"]`);
        if (i === 0) {
          await page.fill('[data-testid=station-form] input[name=weeding]', '0');
          await page.locator('[data-testid=station-form] input[name=weeding]').dispatchEvent('change');
          await page.fill('[data-testid=station-note]', '未按时打药灭草');
          await page.locator('[data-testid=station-note]').dispatchEvent('change');
        }
        await page.click('[data-testid=save-station]');
        await page.waitForSelector(`[data-testid=station-table] tr[data-township-id="${town}"][data-points="${i === 0 ? 25 : 30}"]`);
      }
      equal(server.sql(`select points || '|' || note from road_check_stations where township_id = '${towns[0]}'`), '25.0|未按时打药灭草', 'kept by the server');
      await page.click('[data-testid=publish]');
      await page.waitForSelector('[data-testid=check][data-published=true]');
      await page.waitForSelector('[data-testid=ranking] tbody tr');
      const ranking = await page.locator('[data-testid=ranking] tbody tr').evaluateAll((rows) => rows.map((r) => [r.dataset.township, r.dataset.rank]));
      assert(ranking.length >= 2, `townships ranked: ${JSON.stringify(ranking)}`);
      const last = ranking[ranking.length - 1];
      equal(last[0], '牛杜镇', 'a township with a worker without on-road records ranks last (第二十六条)');
      equal(server.sql("select count(*) from road_checks where published_at is not null"), '1', 'published on the server');
      // The ranking is by the form's total: 70 % of the roads plus the station's points, as shown.
      const checkId = await page.evaluate(() => location.hash.split('/')[2]);
      const adminToken = (await api(base, 'POST', '/auth/login', null, { username: 'admin', password: 'xunjian2026' })).access_token;
      for (const r of await api(base, 'GET', `/road-checks/${checkId}/ranking`, adminToken)) {
        const expected = r.road_score * 0.7 + r.station_points;
        assert(Math.abs(r.score - expected) < 1e-6, `${r.name}: ${r.score} = ${r.road_score} × 70 % + ${r.station_points}`);
        equal(await page.locator(`[data-testid=ranking] tr[data-township="${r.name}"]`).getAttribute('data-score'), r.score.toFixed(1), `${r.name} as shown`);
      }
      await shot(page, 'county-ranking');
      // Published: the road station reads the check, its scoring forms and the ranking, and cannot score.
      const road = o.road;
      await road.click('a[data-tab="#/checks"]');
      equal(await road.locator('[data-testid=new-check]').count(), 0, 'no draw for a township');
      await road.click(`a[href="#/check/${await page.evaluate(() => location.hash.split('/')[2])}"]`);
      await road.waitForSelector('[data-testid=check][data-published=true]');
      await road.waitForSelector(`[data-testid=draw-table] tr[data-segment="${drawn[0]}"][data-score="85.7"]`);
      await road.waitForSelector('[data-testid=ranking] tbody tr');
      equal(await road.locator('[data-testid=score], [data-testid=publish]').count(), 0, 'read-only for the township');
    });

    await steps.step('office: the ledger — a responsible person changed online, kept by the server with the version', async () => {
      const page = o.office;
      await page.goto(`${base}/#/premises`);
      const row = page.locator('[data-testid=ledger-table] tbody tr').first();
      const name = await row.getAttribute('data-name');
      await row.locator('[data-testid=edit-premise]').click();
      await page.fill('[data-testid=edit-responsible]', '李新任');
      await page.click('[data-testid=save-premise]');
      await page.waitForSelector('[data-testid=premise-editor]', { state: 'detached' });
      const saved = server.sql(`select responsible_person || '|' || version from premises where name = '${name}' order by version desc limit 1`);
      assert(saved.startsWith('李新任|'), `saved on the server: ${saved}`);
    });

    await steps.step("office: the quarter's joint-meeting statistics (联席会议) show the server's figures, print on A4 and download as XLSX", async () => {
      const page = o.office;
      await page.goto(`${base}/#/quarter`);
      await page.waitForSelector('[data-testid=quarter-table] tbody tr');
      const year = Number(await page.locator('[data-testid=pick-quarter]').inputValue().then((v) => v.split('-')[0]));
      const quarter = Number(await page.locator('[data-testid=pick-quarter]').inputValue().then((v) => v.split('-')[1]));
      const token = (await api(base, 'POST', '/auth/login', null, { username: 'yishi.office', password: 'xunjian2026' })).access_token;
      const stats = await api(base, 'GET', `/stats/quarter?year=${year}&quarter=${quarter}`, token);
      const foot = await page.locator('[data-testid=quarter-table] tfoot th, [data-testid=quarter-table] tfoot td').allTextContents();
      equal(Number(foot[5]), stats.total.hazards_found, 'hazards found this quarter, as the server counts them');
      assert(stats.total.hazards_found >= 3, `the three hazards of this run are counted: ${stats.total.hazards_found}`);
      equal(await page.locator('[data-testid=quarter-table] tbody tr').count(), stats.rows.length, 'a row per village');
      await page.emulateMedia({ media: 'print' });
      equal(await page.locator('[data-testid=office-nav]').isVisible(), false, 'no navigation on paper');
      const pdf = (await page.pdf({ format: 'A4', printBackground: true })).toString('latin1');
      const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert(pages >= 1 && pages <= 3, `the report prints on a few A4 pages: ${pages}`);
      await page.emulateMedia({ media: 'screen' });
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download]')]);
      const xlsx = fs.readFileSync(await download.path());
      equal(xlsx.subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file');
      assert(/\.xlsx$/.test(download.suggestedFilename()), `named as a workbook: ${download.suggestedFilename()}`);
    });

    await steps.step('office: a grid worker account created in the township, moved to another grid with a new password, then disabled', async () => {
      const page = o.office;
      await page.goto(`${base}/#/users`);
      await page.fill('[data-testid=new-username]', 'yishi.grid9');
      await page.fill('[data-testid=new-name]', '新网格员');
      await page.fill('[data-testid=new-password]', 'xunjian2026!');
      await page.click('[data-testid=create-user]');
      const row = '[data-testid=user-table] tr[data-username="yishi.grid9"]';
      await page.waitForSelector(row, { timeout: 10000 }).catch(async () => {
        await page.screenshot({ path: path.join(tmp, 'users.png') });
        throw new Error(`no new account listed; the page says: ${await page.locator('[data-testid=users] .error').allTextContents()}`);
      });
      equal(server.sql("select role || '|' || active from users where username = 'yishi.grid9'"), 'grid_worker|1', 'created');
      // Moved to another grid, with a new password (a worker who forgot theirs).
      const before = server.sql("select org_unit_id from users where username = 'yishi.grid9'");
      await page.click(`${row} [data-testid=edit-user-open]`);
      await page.waitForSelector('[data-testid=edit-user][data-username="yishi.grid9"]');
      const other = await page.locator('[data-testid=edit-unit] option').evaluateAll(
        (os, b) => os.map((x) => x.value).find((v) => v !== b), before);
      assert(other, 'another grid to move to');
      await page.selectOption('[data-testid=edit-unit]', other);
      await page.fill('[data-testid=edit-password]', 'newpass2026');
      await page.click('[data-testid=save-user]');
      await page.waitForSelector('[data-testid=edit-user]', { state: 'detached', timeout: 10000 });
      equal(server.sql("select org_unit_id from users where username = 'yishi.grid9'"), other, 'moved to the other grid');
      const fresh = await api(base, 'POST', '/auth/login', null, { username: 'yishi.grid9', password: 'newpass2026' });
      assert(fresh.access_token, 'the new password works');
      // A lost phone: every session of the account ended.
      await page.click(`${row} [data-testid=edit-user-open]`);
      await page.click('[data-testid=end-sessions]');
      await page.waitForSelector('[data-testid=edit-user-message].notice');
      const refused = await fetch(`${base}/api/v1/auth/refresh`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: fresh.refresh_token }),
      });
      equal(refused.status, 401, 'the ended session cannot refresh');
      await page.click('[data-testid=edit-user] button:has-text("取消")');
      await page.click(`${row} [data-testid=toggle-user]`);
      await page.waitForSelector(`${row}.inactive`);
      equal(server.sql("select active from users where username = 'yishi.grid9'"), '0', 'disabled');
    });

    await steps.step('county admin: a checklist edited, previewed and published as a new version', async () => {
      const page = o.admin;
      await page.goto(`${base}/#/templates`);
      await page.click('tr[data-type=street_shop] [data-testid=edit-template]');
      await page.waitForSelector('[data-testid=template-editor]');
      await page.click('[data-testid=toggle-preview]');
      const items = await page.locator('[data-testid=template-preview] li').count();
      assert(items >= 10, `the preview shows the items: ${items}`);
      await page.click('[data-testid=toggle-preview]');
      await page.click('[data-testid=publish-template]');
      await page.waitForSelector('[data-testid=template-message]:has-text("第 2 版")');
      equal(server.sql("select max(version) from checklist_templates where premise_type = 'street_shop'"), '2', 'a new version');
      equal(server.count("select count(*) from checklist_templates where premise_type = 'street_shop'"), 2, 'the old version kept');
    });
  } finally {
    for (const ctx of open) {
      try {
        await ctx.close();
      } catch {}
    }
    await server.kill();
  }
}
