// The phone header with a school's real identity (issue 16): a very long site
// name and a very wide logo must keep the header at most 64 px tall at 375 and
// 320 px, never under the menu button, and never make the page scroll
// sideways. Builds its own copy of the example site with the vitrine binary
// (VITRINE_BIN, default target/release/vitrine).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openPage, settle, reportProblems } from './lib/browser.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.VITRINE_BIN || path.join(REPO, 'target/release/vitrine');
const MAX_HEADER = 64;
const LONG_TITLE = 'Stages, immersions professionnelles et témoignages des élèves, apprentis et étudiants '
  + 'du lycée polyvalent des métiers de l’hôtellerie et de la restauration Jean Moulin';
// Ten times wider than tall, as a school's letterhead logo often is.
const WIDE_LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="80" viewBox="0 0 800 80">'
  + '<rect width="800" height="80" fill="#0b4f8a"/></svg>\n';

let site;
let server;
let browser;

before(async () => {
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-header-'));
  for (const part of ['content', 'themes', 'site.yaml']) {
    fs.cpSync(path.join(REPO, part), path.join(site, part), { recursive: true });
  }
  const yaml = fs.readFileSync(path.join(site, 'site.yaml'), 'utf8')
    .replace(/^title: .*$/m, `title: "${LONG_TITLE}"`);
  fs.writeFileSync(path.join(site, 'site.yaml'), `${yaml}identity:\n  name: "Lycée Jean Moulin"\n`
    + '  logo: logo-large.svg\n  logo_alt: "Lycée Jean Moulin, Lyon"\n');
  fs.mkdirSync(path.join(site, 'static'), { recursive: true });
  fs.writeFileSync(path.join(site, 'static/logo-large.svg'), WIDE_LOGO);
  execFileSync(BIN, ['build', '--root', site, '--output', path.join(site, 'public')], {
    env: { ...process.env, VITRINE_TODAY: '2026-01-15', LANG: 'fr_FR.UTF-8', LC_ALL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // The example's base_url is under /stages/.
  server = await startServer({ root: path.join(site, 'public'), basePath: '/stages/' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (site) fs.rmSync(site, { recursive: true, force: true });
});

// Runs in the page: the boxes of the header's parts, and the page's width.
function headerBoxes() {
  const box = (selector) => {
    const r = document.querySelector(selector)?.getBoundingClientRect();
    return r ? { left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height } : null;
  };
  return {
    header: box('.site-header'),
    title: box('.brand-title'),
    logo: box('.brand-logo'),
    toggle: box('.menu-toggle'),
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  };
}

const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

for (const width of [375, 320]) {
  for (const page of ['index.html', 'programmes/back-stages/index.html']) {
    test(`${width} px, ${page}: a long name and a wide logo keep the header ≤ ${MAX_HEADER} px, clear of the menu button`, { timeout: 60_000 }, async () => {
      const { page: tab, problems, close } = await openPage(browser, server.origin, { width, height: 800 });
      try {
        await tab.goto(server.url(page));
        await settle(tab);
        const b = await tab.evaluate(headerBoxes);
        assert.ok(b.title && b.logo && b.toggle, `the header lacks its title, logo or menu button: ${JSON.stringify(b)}`);
        assert.ok(b.header.height <= MAX_HEADER, `the header is ${b.header.height} px tall, more than ${MAX_HEADER}`);
        assert.ok(!overlap(b.title, b.toggle), `the title ${JSON.stringify(b.title)} runs under the menu button ${JSON.stringify(b.toggle)}`);
        assert.ok(!overlap(b.logo, b.toggle), `the logo ${JSON.stringify(b.logo)} runs under the menu button ${JSON.stringify(b.toggle)}`);
        assert.ok(b.toggle.right <= width, `the menu button ends at ${b.toggle.right} px, off a ${width} px screen`);
        assert.ok(b.scrollWidth <= b.clientWidth, `the page scrolls sideways: ${b.scrollWidth} px wide in ${b.clientWidth}`);
        reportProblems(`header at ${width} px on ${page}`, problems);
      } finally {
        await close();
      }
    });
  }
}
