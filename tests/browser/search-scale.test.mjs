// Search at 10 000 pages: the search page loads its index in parts, as a
// query needs them. On a site generated here with `bench/gen` and built with
// the vitrine binary, loading recherche/ transfers at most 50 kB of search
// data (the index's files: search-data/, search.json); typing a two-word
// query shows its results having transferred at most 300 kB of it in all,
// the same results as the whole index gives; the page does not shift while
// it loads; and the same works from file:// with `relative_urls: true`.
//
// Env: VITRINE_BIN (default target/release/vitrine, else target/debug/vitrine:
// a debug build of 10 000 pages takes minutes), SEARCH_SCALE_PAGES (default
// 10000; the bounds are for 10 000).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openPage, reportProblems } from './lib/browser.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.VITRINE_BIN
  || [path.join(REPO, 'target/release/vitrine'), path.join(REPO, 'target/debug/vitrine')].find((p) => fs.existsSync(p));
const PAGES = Number(process.env.SEARCH_SCALE_PAGES || 10000);
const QUERY = 'stage distance';
const PAGE_LOAD_MAX = 50_000;
const QUERY_MAX = 300_000;

let tmp;
let browser;
const sites = {}; // { absolute, relative }: output folders

// The index's files (not the page's script, js/search.js).
const isSearchData = (url) => /\/search-data\/[^/]+\.js$|\/search\.json$|\/search-index\.js$/.test(new URL(url).pathname);

function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, VITRINE_TODAY: '2026-01-15' } });
  } catch (err) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${err.status}):\n${err.stderr || err.message}`);
  }
}

before(async () => {
  assert.ok(BIN, 'no vitrine binary: set VITRINE_BIN or run `cargo build --release`');
  // /dev/shm when there is one: 10 000 folders on a virtual disk take seconds.
  const parent = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  tmp = fs.mkdtempSync(path.join(parent, 'vitrine-search-scale-'));
  run('python3', [path.join(REPO, 'bench/gen'), String(PAGES), path.join(tmp, 'corpus')]);
  const source = path.join(tmp, 'corpus', 'vitrine');
  sites.absolute = path.join(tmp, 'absolute');
  run(BIN, ['build', '--root', source, '--output', sites.absolute]);
  const yaml = path.join(source, 'site.yaml');
  fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace(/^relative_urls:.*$/m, 'relative_urls: true'));
  sites.relative = path.join(tmp, 'relative');
  run(BIN, ['build', '--root', source, '--output', sites.relative]);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The results the whole index gives (search.json), as the page counts them. */
function expectedCount(site) {
  const index = JSON.parse(fs.readFileSync(path.join(site, 'search.json'), 'utf8'));
  const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const words = fold(QUERY).split(' ');
  const starts = (text, w) => new RegExp(`(?:^|[^a-z0-9])${w}`).test(text);
  return index.items.filter((item) => words.every((w) => starts(item.text, w))).length;
}

// Runs in the page: the layout shifts not caused by the reader, summed.
const SHIFTS = () => new Promise((resolve) => {
  new PerformanceObserver((list) => {
    resolve(list.getEntries().filter((e) => !e.hadRecentInput).reduce((sum, e) => sum + e.value, 0));
  }).observe({ type: 'layout-shift', buffered: true });
  setTimeout(() => resolve(0), 500);
});

const statusText = () => document.getElementById('search-status')?.textContent.trim() ?? '';
const shownResults = () => document.querySelectorAll('#search-results > li').length;

/**
 * Opens the search page at `url`, checks what it loaded, types the query and
 * checks the results and what they cost. `sizeOf(url)` is the bytes a
 * search data URL transferred.
 */
async function searchAt(page, url, loadedData, sizeOf, expected) {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(500);
  const atLoad = (await loadedData()).reduce((sum, u) => sum + sizeOf(u), 0);
  assert.ok(atLoad <= PAGE_LOAD_MAX, `loading the page transferred ${atLoad} bytes of search data (at most ${PAGE_LOAD_MAX})`);
  const shift = await page.evaluate(SHIFTS);
  assert.ok(shift < 0.1, `the page shifted by ${shift.toFixed(3)} while loading (layout shift, at most 0.1)`);
  const before = await page.evaluate(statusText);

  await page.locator('#search-input').pressSequentially(QUERY, { delay: 60 });
  const announced = `${expected.toLocaleString('fr')} `;
  await page.waitForFunction((want) => document.getElementById('search-status')?.textContent.includes(want),
    announced, { timeout: 20_000 }).catch(() => {});
  const now = await page.evaluate(statusText);
  assert.ok(now !== before && now.includes(announced),
    `after typing "${QUERY}" the status must announce ${expected} results; it says "${now}"`);
  assert.ok(await page.evaluate(shownResults) > 0, 'no result is shown');
  await page.waitForTimeout(300);
  const files = await loadedData();
  const total = files.reduce((sum, u) => sum + sizeOf(u), 0);
  assert.ok(total <= QUERY_MAX, `the query transferred ${total} bytes of search data in ${files.length} files (at most ${QUERY_MAX})`);
  assert.ok(!files.some((u) => /search\.json$/.test(u)), 'the page loaded the whole index');
  return { atLoad, total, files: files.length };
}

test(`search at ${PAGES} pages over HTTP: light page, light query, no shift`, { timeout: 600_000 }, async () => {
  const config = fs.readFileSync(path.join(tmp, 'corpus', 'vitrine', 'site.yaml'), 'utf8');
  const base = new URL(config.match(/^base_url:\s*"?([^"\s]+)/m)[1]).pathname;
  const server = await startServer({ root: sites.absolute, basePath: base });
  const { page, problems, close } = await openPage(browser, server.origin, { width: 1280, height: 900 });
  try {
    const sizes = new Map();
    page.on('response', async (res) => {
      if (!isSearchData(res.url())) return;
      sizes.set(res.url(), (await res.body().catch(() => Buffer.alloc(0))).length);
    });
    const result = await searchAt(page, server.url('recherche/index.html'), async () => [...sizes.keys()],
      (u) => sizes.get(u) ?? 0, expectedCount(sites.absolute));
    console.log(`# ${PAGES} pages over HTTP: page load ${result.atLoad} B, after "${QUERY}" ${result.total} B in ${result.files} files`);
    reportProblems('recherche/ (large site)', problems);
  } finally {
    await close();
    await server.close();
  }
});

test(`search at ${PAGES} pages from file:// with relative_urls: the same`, { timeout: 600_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  // Scripts the page adds: their files' sizes are what it read.
  await page.addInitScript(() => {
    window.__scripts = [];
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n.tagName === 'SCRIPT' && n.src) window.__scripts.push(n.src);
    }).observe(document, { childList: true, subtree: true });
  });
  try {
    const loadedData = async () => (await page.evaluate(() => window.__scripts || [])).filter(isSearchData);
    const sizeOf = (u) => fs.statSync(fileURLToPath(u)).size;
    const url = pathToFileURL(path.join(sites.relative, 'recherche', 'index.html')).href;
    const result = await searchAt(page, url, loadedData, sizeOf, expectedCount(sites.relative));
    assert.ok(result.files > 0, 'no script of search data was added: the page did not load the index');
    console.log(`# ${PAGES} pages from file://: page load ${result.atLoad} B, after "${QUERY}" ${result.total} B in ${result.files} files`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
