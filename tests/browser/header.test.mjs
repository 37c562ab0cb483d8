// The header with a school's real identity (issue 16): a very long site
// name and a very wide logo must keep the header at most 64 px tall at 375 and
// 320 px, never under the menu button, and never make the page scroll
// sideways; on a desktop screen (1280 px) the wide logo keeps its height
// capped and leaves the menu on the header's line. Builds its own copy of the example site with the vitrine binary
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
// The example's header at 1280 px is one line (73 px with the wide logo,
// 129 px when the logo pushed the menu onto a second line).
const MAX_DESKTOP_HEADER = 80;
const MAX_LOGO = 48;
const LONG_TITLE = 'Stages, immersions professionnelles et témoignages des élèves, apprentis et étudiants '
  + 'du lycée polyvalent des métiers de l’hôtellerie et de la restauration Jean Moulin';
// Ten times wider than tall, as a school's letterhead logo often is.
const WIDE_LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="80" viewBox="0 0 800 80">'
  + '<rect width="800" height="80" fill="#0b4f8a"/></svg>\n';

let site;
let server;
let desktopSite;
let desktopServer;
let browser;

// A copy of the example site with the wide logo (and `title`, if given),
// built and served under the /stages/ of its base_url.
async function buildWithWideLogo(title) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-header-'));
  for (const part of ['content', 'themes', 'site.yaml']) {
    fs.cpSync(path.join(REPO, part), path.join(dir, part), { recursive: true });
  }
  let yaml = fs.readFileSync(path.join(dir, 'site.yaml'), 'utf8');
  if (title) yaml = yaml.replace(/^title: .*$/m, `title: "${title}"`);
  fs.writeFileSync(path.join(dir, 'site.yaml'), `${yaml}identity:\n  name: "Lycée Jean Moulin"\n`
    + '  logo: logo-large.svg\n  logo_alt: "Lycée Jean Moulin, Lyon"\n');
  fs.mkdirSync(path.join(dir, 'static'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'static/logo-large.svg'), WIDE_LOGO);
  execFileSync(BIN, ['build', '--root', dir, '--output', path.join(dir, 'public')], {
    env: { ...process.env, VITRINE_TODAY: '2026-01-15', LANG: 'fr_FR.UTF-8', LC_ALL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const served = await startServer({ root: path.join(dir, 'public'), basePath: '/stages/' });
  return [dir, served];
}

before(async () => {
  [site, server] = await buildWithWideLogo(LONG_TITLE);
  // On a desktop screen the example's own title: the logo alone is tested.
  [desktopSite, desktopServer] = await buildWithWideLogo(null);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await desktopServer?.close();
  for (const dir of [site, desktopSite]) {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
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
    nav: box('.main-nav'),
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

// Review of #16: at 1280 px the wide logo was shown at its full 48 px height
// and up to its natural width, pushing the menu onto a second line.
for (const page of ['index.html', 'programmes/back-stages/index.html']) {
  test(`1280 px, ${page}: a wide logo keeps its height capped and the header on one line`, { timeout: 60_000 }, async () => {
    const { page: tab, problems, close } = await openPage(browser, desktopServer.origin, { width: 1280, height: 800 });
    try {
      await tab.goto(desktopServer.url(page));
      await settle(tab);
      const b = await tab.evaluate(headerBoxes);
      assert.ok(b.logo && b.nav, `the header lacks its logo or menu: ${JSON.stringify(b)}`);
      assert.ok(b.logo.height <= MAX_LOGO, `the logo is ${b.logo.height} px tall, more than ${MAX_LOGO}`);
      assert.ok(b.header.height <= MAX_DESKTOP_HEADER, `the header is ${b.header.height} px tall, more than ${MAX_DESKTOP_HEADER}`);
      assert.ok(!overlap(b.logo, b.nav), `the logo ${JSON.stringify(b.logo)} runs under the menu ${JSON.stringify(b.nav)}`);
      assert.ok(b.nav.top < b.logo.bottom, `the menu ${JSON.stringify(b.nav)} is below the logo ${JSON.stringify(b.logo)}, not on its line`);
      assert.ok(b.scrollWidth <= b.clientWidth, `the page scrolls sideways: ${b.scrollWidth} px wide in ${b.clientWidth}`);
      reportProblems(`header at 1280 px on ${page}`, problems);
    } finally {
      await close();
    }
  });
}
