// The main menu on a phone (375 px): a disclosure button that opens and closes
// by keyboard, aria-expanded following, Escape giving focus back, links in DOM
// order after it, axe clean open and closed, a header at most 64 px tall, no
// layout shift when the script swaps the no-script link for the button, and the
// no-script link opening the menu. At 1280 px: no button, the menu shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openPage, settle, axeViolations, reportProblems } from './lib/browser.mjs';
import { siteDir, basePath } from './lib/site.mjs';

const PHONE = { width: 375, height: 800 };
const DESKTOP = { width: 1280, height: 900 };
const MAX_HEADER = 64;
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

// Runs in the page: the toggle, the menu and the header as plain facts.
function menuState() {
  const toggle = document.querySelector('.menu-toggle');
  const nav = document.getElementById('site-menu');
  const active = document.activeElement;
  const visible = (el) => !!el && el.checkVisibility({ visibilityProperty: true });
  return {
    tag: toggle?.tagName ?? null,
    expanded: toggle?.getAttribute('aria-expanded') ?? null,
    controls: toggle?.getAttribute('aria-controls') ?? null,
    toggleVisible: visible(toggle),
    navVisible: visible(nav),
    headerHeight: document.querySelector('.site-header').getBoundingClientRect().height,
    focusOnToggle: !!toggle && active === toggle,
    focusInNav: !!nav && nav.contains(active),
    focusHref: active?.getAttribute('href') ?? null,
    navLinks: nav ? [...nav.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')) : [],
  };
}

// Tab from the top of the page until the toggle has focus (skip link, brand, toggle).
async function tabToToggle(page) {
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(menuState)).focusOnToggle) return;
  }
  assert.fail('five Tabs from the top never reached the menu button');
}

test('375 px: the menu button opens and closes by keyboard, aria-expanded follows, focus order, axe clean', { timeout: 60_000 }, async () => {
  const { page, problems, close } = await openPage(browser, server.origin, PHONE);
  try {
    await page.goto(server.url('index.html'));
    await settle(page);
    let s = await page.evaluate(menuState);
    assert.equal(s.tag, 'BUTTON', 'with JavaScript the menu toggle must be a <button>');
    assert.equal(s.controls, 'site-menu', 'the button must name the menu it controls (aria-controls)');
    assert.equal(s.expanded, 'false', 'the menu starts closed (aria-expanded="false")');
    assert.ok(s.toggleVisible && !s.navVisible, 'at 375 px the button shows and the menu is hidden');
    assert.ok(s.headerHeight <= MAX_HEADER, `the header is ${s.headerHeight} px tall at 375 px, more than ${MAX_HEADER}`);
    for (const v of await axeViolations(page)) problems.push(`axe (closed) ${v}`);

    await tabToToggle(page);
    await page.keyboard.press('Enter');
    s = await page.evaluate(menuState);
    assert.equal(s.expanded, 'true', 'Enter on the button must set aria-expanded="true"');
    assert.ok(s.navVisible, 'Enter on the button must show the menu');
    for (const v of await axeViolations(page)) problems.push(`axe (open) ${v}`);

    // Focus order: the menu's links come right after the button, in order.
    for (const href of s.navLinks) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(menuState);
      assert.ok(f.focusInNav && f.focusHref === href,
        `after the button, Tab should reach the menu link ${href}; focus is on ${f.focusHref}`);
    }

    await page.keyboard.press('Escape');
    s = await page.evaluate(menuState);
    assert.equal(s.expanded, 'false', 'Escape must close the menu (aria-expanded="false")');
    assert.ok(!s.navVisible, 'Escape must hide the menu');
    assert.ok(s.focusOnToggle, 'Escape must give focus back to the button');

    await page.keyboard.press('Space');
    assert.equal((await page.evaluate(menuState)).expanded, 'true', 'Space on the button must open the menu');
    await page.keyboard.press('Space');
    s = await page.evaluate(menuState);
    assert.ok(s.expanded === 'false' && !s.navVisible, 'Space again must close the menu');
    reportProblems('phone menu on index.html', problems);
  } finally {
    await close();
  }
});

test('375 px: swapping the no-script link for the button moves nothing', { timeout: 60_000 }, async () => {
  // Runs in the page: the toggle's tag and box, and where the main content starts.
  const boxes = () => {
    const toggle = document.querySelector('.menu-toggle');
    const r = toggle.getBoundingClientRect();
    return { tag: toggle.tagName, box: { toggle: [r.x, r.y, r.width, r.height], main: document.getElementById('main').getBoundingClientRect().top } };
  };
  const at = async (options) => {
    const { page, close } = await openPage(browser, server.origin, PHONE, options);
    try {
      await page.goto(server.url('index.html'));
      return await page.evaluate(boxes);
    } finally {
      await close();
    }
  };
  const without = await at({ emptyScript: (url) => url.pathname.endsWith('/js/menu.js') });
  const withScript = await at({});
  assert.equal(without.tag, 'A', 'without menu.js the toggle must be the no-script link');
  assert.equal(withScript.tag, 'BUTTON', 'with menu.js the toggle must be a button');
  assert.deepEqual(withScript.box, without.box, 'the button must have the box of the no-script link (no layout shift)');
});

test('375 px without JavaScript: the menu link opens the menu', { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(server.url('index.html'));
    let s = await page.evaluate(menuState).catch(() => null);
    // evaluate runs even with page scripts off; the page's own script did not.
    assert.ok(s, 'could not read the page');
    assert.equal(s.tag, 'A', 'without JavaScript the toggle is a link');
    assert.ok(s.toggleVisible && !s.navVisible, 'without JavaScript the menu starts hidden behind the link');
    assert.ok(s.headerHeight <= MAX_HEADER, `the header is ${s.headerHeight} px tall without JavaScript`);
    await page.click('.menu-toggle');
    s = await page.evaluate(menuState);
    assert.ok(s.navVisible, 'following the « Menu » link must show the menu');
  } finally {
    await context.close();
  }
});

test('1280 px: no menu button, the menu is shown', { timeout: 60_000 }, async () => {
  const { page, problems, close } = await openPage(browser, server.origin, DESKTOP);
  try {
    await page.goto(server.url('index.html'));
    const s = await page.evaluate(menuState);
    assert.ok(!s.toggleVisible, 'at 1280 px the menu button must not show');
    assert.ok(s.navVisible, 'at 1280 px the menu must show');
    reportProblems('desktop menu on index.html', problems);
  } finally {
    await close();
  }
});
