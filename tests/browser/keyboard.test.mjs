// Keyboard use of the home page: skip link first, it reaches <main id="main">,
// Tab follows DOM order with a visible focus indicator, and focus is never trapped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openPage, reportProblems } from './lib/browser.mjs';
import { siteDir, basePath } from './lib/site.mjs';

const VIEWPORT = { width: 1280, height: 900 };
const TABS = 30;
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

// Runs in the page: facts about the focused element (null when focus is on the body).
function focused() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const text = (el.textContent || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  const main = document.getElementById('main');
  return {
    index: Array.prototype.indexOf.call(document.getElementsByTagName('*'), el),
    desc: `<${el.tagName.toLowerCase()}${el.id ? ` id="${el.id}"` : ''}${el.getAttribute('href') ? ` href="${el.getAttribute('href')}"` : ''}> "${text}"`,
    tag: el.tagName,
    hash: el.tagName === 'A' && el.href ? new URL(el.href).hash : '',
    samePage: el.tagName === 'A' && el.href ? new URL(el.href).pathname === location.pathname : false,
    indicator: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none',
    box: { x: r.x, y: r.y, w: r.width, h: r.height },
    inViewport: r.width > 1 && r.height > 1 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight,
    onTop: el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)),
    inOrAfterMain: !!main && (main.contains(el) || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)),
  };
}

// Runs in the page: document index of the last focusable, rendered element.
function lastFocusableIndex() {
  const sel = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, iframe, [contenteditable=""], [contenteditable="true"], [tabindex]';
  const all = document.getElementsByTagName('*');
  const candidates = [...document.querySelectorAll(sel)].filter((el) =>
    !el.disabled && el.getAttribute('tabindex') !== '-1' && !el.closest('[inert]') &&
    el.checkVisibility({ visibilityProperty: true }));
  return candidates.length ? Array.prototype.indexOf.call(all, candidates.at(-1)) : -1;
}

test('home page: first Tab focuses a visible skip link to #main, Enter moves to <main id="main">', { timeout: 60_000 }, async () => {
  const { page, problems, close } = await openPage(browser, server.origin, VIEWPORT);
  try {
    await page.goto(server.url('index.html'));
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(focused);
    assert.ok(skip, 'the first Tab focused nothing: the skip link must be the first focusable element');
    assert.ok(skip.tag === 'A' && skip.hash === '#main' && skip.samePage,
      `the first Tab must focus the skip link <a href="#main">, it focused ${skip.desc}`);
    assert.ok(skip.inViewport && skip.onTop,
      `the focused skip link must be visible inside the viewport (box ${JSON.stringify(skip.box)}, on top: ${skip.onTop})`);
    assert.ok(skip.indicator, `the focused skip link has no focus indicator (outline or box-shadow): ${skip.desc}`);

    const mainTag = await page.evaluate(() => document.getElementById('main')?.tagName);
    assert.equal(mainTag, 'MAIN', 'the page must have <main id="main"> for the skip link to reach');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#main', null, { timeout: 3000 })
      .catch(() => assert.fail('Enter on the skip link did not go to #main'));
    // Scrolled to main (allowing scroll-margin), unless the page cannot scroll further.
    await page.waitForFunction(() => {
      const main = document.getElementById('main');
      const top = main.getBoundingClientRect().top;
      const atBottom = scrollY + innerHeight >= document.documentElement.scrollHeight - 1;
      const margin = parseFloat(getComputedStyle(main).scrollMarginTop) || 0;
      return top >= -2 && (Math.abs(top - margin) <= 2 || atBottom);
    }, null, { timeout: 3000 }).catch(() => assert.fail('after Enter on the skip link, <main id="main"> was not scrolled into view'));
    await page.keyboard.press('Tab');
    const next = await page.evaluate(focused);
    assert.ok(next?.inOrAfterMain,
      `after the skip link, the next Tab must land inside <main> (or after it); it focused ${next ? next.desc : 'nothing'}`);
    reportProblems('home page', problems);
  } finally {
    await close();
  }
});

test(`home page: ${TABS} Tabs follow DOM order with a visible focus indicator, never trapped`, { timeout: 60_000 }, async () => {
  const { page, problems, close } = await openPage(browser, server.origin, VIEWPORT);
  try {
    await page.goto(server.url('index.html'));
    const last = await page.evaluate(lastFocusableIndex);
    let prev = null;
    let first = null;
    const seen = new Set();
    for (let i = 1; i <= TABS; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(focused);
      if (!f) { // focus left the document: fine only after the last focusable element
        if (prev && prev.index < last) problems.push(`Tab ${i}: focus was lost after ${prev.desc}`);
        prev = null;
        continue;
      }
      first ??= f;
      seen.add(f.index);
      if (!f.indicator) problems.push(`Tab ${i}: no visible focus indicator (outline or box-shadow) on ${f.desc}`);
      if (f.box.w < 1 || f.box.h < 1) problems.push(`Tab ${i}: focused element is invisible (zero size): ${f.desc}`);
      if (prev && f.index <= prev.index) {
        const wrapped = f.index === first.index && prev.index >= last;
        if (!wrapped) problems.push(`Tab ${i}: focus went from ${prev.desc} back to ${f.desc} (not DOM order, or trapped)`);
      }
      prev = f;
    }
    if (seen.size === 0) problems.push(`${TABS} Tabs focused nothing`);
    reportProblems(`keyboard on ${server.url('index.html')}`, problems);
  } finally {
    await close();
  }
});
