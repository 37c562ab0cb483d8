// Chromium helpers: launch, open a page that records problems, settle, axe.
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Without these flags Chromium tries to reach the network, which is closed here.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const launchBrowser = () =>
  chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ARGS });

/**
 * A fresh context + page that records, in `problems`, console errors, page
 * errors, failed requests, HTTP responses >= 400 and requests to any other
 * origin than `origin` (those are aborted). `expect404` is a URL whose own
 * 404 status is expected; `emptyScript(url)` names scripts served empty (one
 * route for the context: a page route beside it raced the context's own).
 */
export async function openPage(browser, origin, viewport, { expect404, emptyScript } = {}) {
  const context = await browser.newContext({ viewport, bypassCSP: true, serviceWorkers: 'block' });
  const problems = [];
  const local = (url) => { try { return new URL(url).origin === origin; } catch { return false; } };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (emptyScript?.(new URL(url))) {
      return route.fulfill({ status: 200, contentType: 'text/javascript', body: '' });
    }
    if (local(url)) return route.continue();
    problems.push(`request to another host (blocked): ${url}`);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // "Failed to load resource" lines repeat what the network listeners report.
    if (msg.text().startsWith('Failed to load resource')) return;
    const { url, lineNumber } = msg.location();
    problems.push(`console error: ${msg.text()}${url ? ` (${url}:${lineNumber + 1})` : ''}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  const httpErrors = new Set();
  page.on('response', (res) => {
    if (res.status() >= 400 && !(res.status() === 404 && res.url() === expect404)) {
      httpErrors.add(res.url());
      problems.push(`HTTP ${res.status()}: ${res.url()}`);
    }
  });
  page.on('requestfailed', (req) => {
    if (local(req.url()) && !httpErrors.has(req.url())) {
      problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
    }
  });
  return { page, problems, close: () => context.close() };
}

/** Load lazy images now and wait for images and fonts, so every request is made. */
export async function settle(page) {
  await page.evaluate(async () => {
    for (const el of document.querySelectorAll('[loading="lazy"]')) el.loading = 'eager';
    await Promise.all([...document.images].map((img) => img.complete || new Promise((done) => {
      img.addEventListener('load', done, { once: true });
      img.addEventListener('error', done, { once: true });
    })));
    await document.fonts.ready;
  });
}

/** axe-core WCAG 2.1 A/AA violations, as "id: help — target, target" lines. */
export async function axeViolations(page) {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async (tags) => {
    const { violations } = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, AXE_TAGS);
}

/** Fail with one line per problem, naming what was checked. */
export function reportProblems(what, problems) {
  if (problems.length) throw new Error(`${what}: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
}
