// Client-side search on recherche/: accent-insensitive filtering, a polite
// live status with a count, and clearing the field restores the full list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openPage, reportProblems } from './lib/browser.mjs';
import { siteDir, basePath, hasPage } from './lib/site.mjs';

const PAGE = 'recherche/index.html';
const QUERY = 'ecole'; // no accent: must match « école »
let server;
let browser;

before(async () => {
  server = await startServer({ root: siteDir, basePath });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// Runs in the page: number of results shown, i.e. visible items of the list
// #search-results is (or contains), else its visible children.
function shownResults() {
  const box = document.getElementById('search-results');
  if (!box) return -1;
  const list = box.matches('ul, ol') ? box : (box.querySelector('ul, ol') ?? box);
  return [...list.children].filter((el) => el.checkVisibility({ visibilityProperty: true })).length;
}

const statusText = () => document.getElementById('search-status')?.textContent.trim() ?? null;

/** Poll `check` until it returns true, for at most `ms`; returns the last answer. */
async function until(check, ms = 5000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    if (await check()) return true;
  }
  return check();
}

test(`search: "${QUERY}" finds results, announces a count, clearing restores the list`, { timeout: 60_000 }, async () => {
  // A site without its search page is a broken build, not a reason to skip.
  assert.ok(hasPage(PAGE), `no ${PAGE} in ${siteDir}: the search page was not built (is \`search: true\` in site.yaml?)`);
  const { page, problems, close } = await openPage(browser, server.origin, { width: 1280, height: 900 });
  try {
    await page.goto(server.url(PAGE));
    for (const id of ['search-input', 'search-results', 'search-status']) {
      assert.equal(await page.locator(`#${id}`).count(), 1, `${PAGE} must have exactly one #${id}`);
    }
    assert.equal(await page.getAttribute('#search-status', 'aria-live'), 'polite', '#search-status must have aria-live="polite"');
    const shown = () => page.evaluate(shownResults);
    const status = () => page.evaluate(statusText);

    // The full list shows once the page (and its index) has loaded.
    assert.ok(await until(async () => (await shown()) > 0),
      '#search-results shows no result before any search: it should list everything');
    const full = await shown();
    const initialStatus = await status();

    await page.locator('#search-input').pressSequentially(QUERY, { delay: 20 });
    const announced = await until(async () => { const now = await status(); return now !== initialStatus && /\d/.test(now); });
    assert.ok(announced, `#search-status must change to a text with a number after typing "${QUERY}"; it says "${await status()}"`);
    const found = await shown();
    assert.ok(found >= 1, `"${QUERY}" must find at least one result (accent-insensitive match of « école »); ${found} shown, status "${await status()}"`);
    assert.ok(found <= full, `"${QUERY}" shows ${found} results, more than the full list (${full})`);

    await page.locator('#search-input').fill('');
    assert.ok(await until(async () => (await shown()) === full),
      `clearing the field must restore the full list of ${full}; ${await shown()} shown`);
    reportProblems(PAGE, problems);
  } finally {
    await close();
  }
});

test('search: the index loads on the first focus; filters show their counts; results come 10 at a time', { timeout: 60_000 }, async () => {
  const { page, problems, close } = await openPage(browser, server.origin, { width: 1280, height: 900 });
  try {
    const data = [];
    page.on('request', (req) => { if (/\/search-data\/|search\.json|search-index\.js/.test(req.url())) data.push(req.url()); });
    await page.goto(server.url(PAGE));
    await page.waitForTimeout(300);
    assert.deepEqual(data, [], 'the page loaded index data before the search box was used');
    await page.locator('#search-input').focus();
    const select = page.locator('#search-facet-programme');
    assert.ok(await until(async () => (await select.locator('option').count()) > 1), 'the programme filter has no value after the first focus');
    assert.equal(data.length, 1, `the first focus loads the manifest alone: ${data.join(', ')}`);
    assert.ok(!data.some((u) => /search\.json/.test(u)), 'the page loaded search.json');
    // "Vis mon job (3)": picking it announces as many results.
    const option = (await select.locator('option').allTextContents()).find((t) => /\(\d+\)$/.test(t));
    assert.ok(option, 'filter values show their counts');
    const n = Number(option.match(/\((\d+)\)$/)[1]);
    await select.selectOption({ label: option });
    assert.ok(await until(async () => (await page.evaluate(shownResults)) === Math.min(n, 10)),
      `« ${option} » must show ${Math.min(n, 10)} results; ${await page.evaluate(shownResults)} shown`);
    assert.match(await page.evaluate(statusText), new RegExp(`^${n}\\b`));
    await select.selectOption('');
    // A query with more than 10 results: 10, then the rest with the button.
    await page.locator('#search-input').fill('e');
    const more = page.locator('#search-more');
    assert.ok(await until(() => more.isVisible()), '"e" must find more than 10 results and offer more');
    assert.equal(await page.evaluate(shownResults), 10);
    const total = Number((await page.evaluate(statusText)).replace(/\D/g, ''));
    await more.click();
    assert.ok(await until(async () => (await page.evaluate(shownResults)) === Math.min(total, 20)), 'the button shows 10 more');
    reportProblems(PAGE, problems);
  } finally {
    await close();
  }
});
