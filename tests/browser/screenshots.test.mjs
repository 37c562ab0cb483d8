// Not a check: with SCREENSHOTS_DIR set, save full-page PNGs of the home page,
// the first testimonial and the first programme, at 1280 and 375 px wide, and
// of the phone menu open (menu-375.png).
import { test, before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openPage, settle } from './lib/browser.mjs';
import { siteDir, basePath, fromInvocation, firstInSection } from './lib/site.mjs';

const dir = process.env.SCREENSHOTS_DIR && fromInvocation(process.env.SCREENSHOTS_DIR);
const skip = dir ? false : 'set SCREENSHOTS_DIR to save screenshots';
const SHOTS = { home: 'index.html', temoignage: firstInSection('temoignages'), programme: firstInSection('programmes') };
const VIEWPORTS = [{ width: 1280, height: 900 }, { width: 375, height: 800 }];
let server;
let browser;

before(async () => {
  if (skip) return;
  fs.mkdirSync(dir, { recursive: true });
  server = await startServer({ root: siteDir, basePath });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

for (const [name, file] of Object.entries(SHOTS)) {
  test(`screenshot ${name}${file ? ` (${file})` : ''}`, { skip, timeout: 60_000 }, async (t) => {
    // Screenshots were asked for: a page missing from the site is a failure.
    if (!file) throw new Error(`no page for "${name}" in ${siteDir}: cannot take its screenshot`);
    for (const viewport of VIEWPORTS) {
      const { page, close } = await openPage(browser, server.origin, viewport);
      try {
        await page.goto(server.url(file));
        await settle(page);
        const out = path.join(dir, `${name}-${viewport.width}.png`);
        await page.screenshot({ path: out, fullPage: true });
        t.diagnostic(`saved ${out}`);
      } finally {
        await close();
      }
    }
  });
}

// The phone header with its menu open, the top of the page only.
test('screenshot menu-375 (index.html, menu open)', { skip, timeout: 60_000 }, async (t) => {
  const { page, close } = await openPage(browser, server.origin, { width: 375, height: 640 });
  try {
    await page.goto(server.url('index.html'));
    await settle(page);
    await page.click('button.menu-toggle');
    const out = path.join(dir, 'menu-375.png');
    await page.screenshot({ path: out });
    t.diagnostic(`saved ${out}`);
  } finally {
    await close();
  }
});
