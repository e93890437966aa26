// Renders the PNG home-screen icons from web/icon.svg in Debian's Chromium (Android's install
// and WebAPK want 192 and 512 px PNGs; the SVG stays for browsers that take it). Run once after
// changing the SVG, and commit the PNGs: `node tests/browser/make-icons.mjs`.
// The maskable one is the same mark on a full-bleed square: the launcher cuts its own shape, and
// the mark already sits inside the central 80 % circle that every mask keeps.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const web = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const svg = fs.readFileSync(path.join(web, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
try {
  for (const [name, size, mark] of [
    ['icon-192.png', 192, svg],
    ['icon-512.png', 512, svg],
    ['icon-maskable-512.png', 512, svg.replace(/ rx="\d+"/, '')],
  ]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const img = `data:image/svg+xml;base64,${Buffer.from(mark).toString('base64')}`;
    await page.setContent(`<body style="margin:0;background:transparent"><img src="${img}" width="${size}" height="${size}" style="display:block"></body>`);
    await page.screenshot({ path: path.join(web, name), omitBackground: true });
    await page.close();
    console.log(`web/${name}: ${fs.statSync(path.join(web, name)).size} bytes`);
  }
} finally {
  await browser.close();
}
