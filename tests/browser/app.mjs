// Driving the field app the way a grid worker does: tap, type, take photos (files set on the
// camera input), and read what the screen says.
import fs from 'node:fs';
import path from 'node:path';
import { assert, root } from './harness.mjs';

const SHOTS = path.join(root, 'docs/screenshots');

export async function login(page, username, password) {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=sync-bar]', { timeout: 20000 });
}

// Taps "sync" and waits for a new successful round (not just a bar that already said synced).
export async function syncNow(page, timeout = 30000) {
  const before = await page.getAttribute('[data-testid=sync-bar]', 'data-last');
  await page.click('[data-testid=sync-now]');
  await page.waitForFunction(
    (b) => {
      const bar = document.querySelector('[data-testid=sync-bar]');
      return bar && bar.dataset.last && bar.dataset.last !== b && bar.dataset.state === 'synced' && bar.dataset.pending === '0';
    },
    before,
    { timeout },
  );
}

// The status bar says synced with nothing pending.
export async function waitSynced(page, timeout = 30000) {
  await page.waitForSelector('[data-testid=sync-bar][data-state=synced][data-pending="0"]', { timeout });
}

export async function pending(page) {
  return Number(await page.getAttribute('[data-testid=sync-bar]', 'data-pending'));
}

// Waits until the status bar counts `n` operations waiting (it recounts just after each save).
export async function waitPending(page, n, timeout = 10000) {
  await page
    .waitForSelector(`[data-testid=sync-bar][data-pending="${n}"]`, { timeout })
    .catch(async () => assert(false, `expected ${n} ops waiting, the bar says ${await pending(page)}`));
}

export async function tab(page, hash) {
  await page.click(`a[data-tab="${hash}"]`);
}

// A small real JPEG made by the browser's own encoder, in a colour of our choice.
export async function makeJpeg(page, file, colour, width = 320, height = 240) {
  const b64 = await page.evaluate(([c, w, h]) => {
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const g = canvas.getContext('2d');
    g.fillStyle = c;
    g.fillRect(0, 0, w, h);
    g.fillStyle = '#fff';
    g.fillRect(w / 8, h / 6, w * 3 / 8, h / 4);
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  }, [colour, width, height]);
  fs.writeFileSync(file, Buffer.from(b64, 'base64'));
  return file;
}

// A JPEG's pixel size, from its first start-of-frame marker.
export function jpegSize(buf) {
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) throw new Error(`not a JPEG marker at ${i}`);
    const marker = buf[i + 1];
    const len = buf.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  throw new Error('no JPEG frame');
}

// Sets a photo on a camera input and waits until the app saved it (its thumbnail shows).
export async function photo(scope, testid, file) {
  const row = scope.locator(`input[data-testid="${testid}"]`).first().locator('xpath=ancestor::div[contains(@class,"photo-row")]');
  const before = await row.locator('.thumbs img').count();
  await scope.locator(`input[data-testid="${testid}"]`).first().setInputFiles(file);
  await row.locator('.thumbs img').nth(before).waitFor({ timeout: 15000 });
}

// Answers the whole checklist: every item passes, except the first `failures` (two) general (not major)
// yes/no items that make a hazard, which fail with a photo (a major one would go to the fire
// brigade's review instead of closing); the first is fixed on the spot (evidence photo), the second
// is left for rectification by the default deadline. With `blankOptional`, the items the checklist
// marks optional (其他情况…（没有可不填）) are left blank. Returns the failed item ids.
export async function answerChecklist(page, photos, failures = 2, { blankOptional = false } = {}) {
  const items = page.locator('li.item');
  const n = await items.count();
  const failed = [];
  for (let i = 0; i < n; i++) {
    const item = items.nth(i);
    const kind = await item.getAttribute('data-kind');
    if (blankOptional && (await item.getAttribute('data-optional')) === 'true') continue;
    if (kind === 'yes_no') {
      if (failed.length < failures && (await item.locator('.tag.major').count()) === 0) {
        await item.locator('button[data-answer=fail]').click();
        if ((await item.locator('.handling').count()) > 0) {
          const id = await item.getAttribute('data-item');
          await photo(item, 'answer-photo', photos[failed.length]);
          if (failed.length === 0) {
            await item.locator('button[data-handling=on-spot]').click();
            await photo(item, 'evidence-photo', photos[2]);
          } else {
            await item.locator('button[data-handling=deadline]').click();
          }
          failed.push(id);
          continue;
        }
      }
      await item.locator('button[data-answer=pass]').click();
    } else if (kind === 'number') {
      const input = item.locator('input[data-testid=number]');
      const min = await input.getAttribute('data-min');
      const max = await input.getAttribute('data-max');
      await input.fill(min ?? max ?? '1');
    } else if (kind === 'text') {
      await item.locator('input[data-testid=text]').fill('正常');
    } else if (kind === 'photo') {
      await photo(item, 'answer-photo', photos[3]);
    }
  }
  assert(failed.length === failures, `expected ${failures} hazard items to fail, got ${failed.length}`);
  return failed;
}

// The photo hashes the app keeps in IndexedDB.
export async function phonePhotos(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('xunjian');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('photos').objectStore('photos').getAllKeys();
          req.onsuccess = () => {
            open.result.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), scale: 'css' });
}

// Registers a premise on the new-premise form and waits for its page.
export async function addPremise(page, base, name) {
  await page.goto(`${base}/#/premises/new`);
  await page.fill('input[name=name]', name);
  await page.selectOption('select[name=premise_type]', 'street_shop');
  await page.fill('input[name=address]', '猗氏镇东街新开路1号');
  await page.fill('input[name=responsible_person]', '刘测试');
  await page.fill('input[name=responsible_phone]', '13800002222');
  await page.click('[data-testid=premise-form] button[type=submit]');
  await page.waitForSelector('[data-testid=start-inspection]', { timeout: 10000 });
}

// Reads the session the app keeps in IndexedDB (meta store, key "session"); with `expire`, first
// spoils its access token as if 15 minutes had passed (no eval: the app's CSP forbids it).
export async function session(page, expire = false) {
  return page.evaluate(
    (spoil) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('xunjian');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('meta', 'readwrite');
          const store = tx.objectStore('meta');
          const get = store.get('session');
          get.onsuccess = () => {
            const tokens = JSON.parse(get.result.json);
            if (spoil) {
              tokens.access_token = `expired.${tokens.access_token.slice(8)}`;
              store.put({ k: 'session', json: JSON.stringify(tokens) });
            }
            tx.oncomplete = () => {
              open.result.close();
              resolve(tokens);
            };
          };
          get.onerror = () => reject(get.error);
        };
      }),
    expire,
  );
}

// Every row of one of the app's IndexedDB stores.
export async function idbAll(page, store) {
  return page.evaluate(
    (name) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('xunjian');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction(name).objectStore(name).getAll();
          req.onsuccess = () => {
            open.result.close();
            resolve(req.result.map((r) => ({ ...r, json: r.json && JSON.parse(r.json) })));
          };
          req.onerror = () => reject(req.error);
        };
      }),
    store,
  );
}

// The tappable things on screen smaller than 44×44 px, as "what (w×h)": links, buttons, form
// fields and anything with role=button that is laid out (a file input behind its camera label
// counts as the label).
export async function smallTargets(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [role=button]')) {
      const target = el.type === 'file' && el.closest('label') ? el.closest('label') : el;
      const r = target.getBoundingClientRect();
      const st = getComputedStyle(target);
      if (r.width === 0 || r.height === 0 || st.visibility === 'hidden') continue;
      if (r.width < 44 || r.height < 44) {
        const name = (target.dataset.testid || target.textContent || target.value || target.name || '').trim().slice(0, 24);
        out.push(`${target.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return [...new Set(out)];
  });
}
