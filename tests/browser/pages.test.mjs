// Every page, at desktop and phone widths: axe WCAG 2.1 AA, no console or
// page errors, no failed or third-party requests, no sideways scroll on phones.
import { test, before, after } from 'node:test';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openPage, settle, axeViolations, reportProblems } from './lib/browser.mjs';
import { siteDir, basePath, pages, htmlFiles, hasPage } from './lib/site.mjs';

const VIEWPORTS = [{ width: 1280, height: 900 }, { width: 375, height: 800 }];
let server;
let browser;

before(async () => {
  server = await startServer({ root: siteDir, basePath });
  browser = await launchBrowser();
  console.log(`# checking ${pages.length} of ${htmlFiles.length} pages from ${siteDir} at ${server.url()}`);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// Elements sticking out to the right, to say what causes a horizontal scroll.
function overflowReport() {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width + 1) return null;
  const wide = [...document.body.querySelectorAll('*')]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`);
  return `page is ${document.documentElement.scrollWidth}px wide in a ${width}px viewport: ${wide.join(', ')}`;
}

async function checkPage(url, viewport, options = {}) {
  const { page, problems, close } = await openPage(browser, server.origin, viewport, options);
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    if (options.expect404 && response.status() !== 404) problems.push(`expected status 404, got ${response.status()}`);
    await settle(page);
    for (const v of await axeViolations(page)) problems.push(`axe ${v}`);
    if (viewport.width <= 375) {
      const overflow = await page.evaluate(overflowReport);
      if (overflow) problems.push(`horizontal overflow: ${overflow}`);
    }
    return problems;
  } finally {
    await close();
  }
}

for (const file of pages) {
  for (const viewport of VIEWPORTS) {
    test(`${file} @${viewport.width}px`, { timeout: 60_000 }, async () => {
      reportProblems(`${file} @${viewport.width}px`, await checkPage(server.url(file), viewport));
    });
  }
}

// The deliberate 404 visit: a missing URL serves 404.html, with status 404,
// and everything that page loads must still load from one level down.
for (const viewport of VIEWPORTS) {
  test(`missing URL serves 404.html with status 404 @${viewport.width}px`, { timeout: 60_000 }, async () => {
    const url = server.url('vitrine-page-introuvable/');
    const problems = hasPage('404.html') ? [] : ['the site has no 404.html'];
    problems.push(...await checkPage(url, viewport, { expect404: url }));
    reportProblems(`404 visit ${url}`, problems);
  });
}
