// Editing in the browser (issue 15, acceptance 1–2): `vitrine serve` on a
// copy of the example site, its Decap CMS driven like a writer would.
// Needs the vitrine binary (VITRINE_BIN, default target/release/vitrine).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './lib/browser.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.VITRINE_BIN || path.join(REPO, 'target/release/vitrine');
const TODAY = '2026-01-15';
const SHOTS = process.env.SCREENSHOTS_DIR;

let site;
let serve;
let origin;
let admin;
let browser;
let output = '';

const freePort = () => new Promise((resolve, reject) => {
  const server = net.createServer();
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
  server.on('error', reject);
});

/** A small PNG (one colour), written without a dependency. */
function png(width, height) {
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x7a)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function waitFor(what, check, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const got = await check().catch(() => null);
    if (got) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${output}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

before(async () => {
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-editing-'));
  for (const part of ['content', 'themes', 'site.yaml']) {
    fs.cpSync(path.join(REPO, part), path.join(site, part), { recursive: true });
  }
  const port = await freePort();
  // GNU `env` puts SIGINT back to its default first: the suite may run
  // where it is ignored (a CI job in the background), and `serve` leaves an
  // ignored signal ignored — it would then never stop below.
  const args = ['--default-signal=HUP,INT,TERM', BIN, 'serve', '--root', site, '--port', String(port)];
  serve = spawn('env', args, {
    env: { ...process.env, VITRINE_TODAY: TODAY, LANG: 'fr_FR.UTF-8', LC_ALL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  serve.stdout.on('data', (d) => { output += d; });
  serve.stderr.on('data', (d) => { output += d; });
  origin = `http://127.0.0.1:${port}`;
  const printed = await waitFor('the editing address', async () => output.match(/(http:\/\/\S+__vitrine\/admin\/)/)?.[1]);
  admin = printed;
  await waitFor('the site', async () => (await fetch(admin.replace('__vitrine/admin/', ''))).ok);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (serve && serve.exitCode === null) {
    serve.kill('SIGINT');
    await new Promise((r) => serve.once('exit', r));
  }
  if (site) fs.rmSync(site, { recursive: true, force: true });
});

/**
 * A page whose every request is recorded (`requests`) and whose console
 * errors and page errors are kept (`problems`). Requests that would leave
 * loopback are aborted.
 */
async function recordedPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const requests = [];
  const problems = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    const { protocol, hostname } = new URL(url);
    const local = ['data:', 'blob:'].includes(protocol) || ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
    return local ? route.continue() : route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /config/i.test(msg.text()) && msg.type() === 'warning') {
      problems.push(`console ${msg.type()}: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return { context, page, requests, problems };
}

const field = (page, name) => page.locator(`[id^="${name}-field-"]`).first();

async function login(page) {
  await page.goto(admin);
  await page.getByRole('button', { name: /Se connecter/ }).click();
  await page.getByRole('link', { name: /Témoignages/ }).first().waitFor();
}

async function publish(page) {
  await page.getByRole('button', { name: 'Publier' }).first().click();
  await page.getByText('Publier maintenant').click();
}

async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, name) });
}

const onlyLoopback = (requests) => requests.filter((url) => {
  const { protocol, hostname } = new URL(url);
  return !['data:', 'blob:'].includes(protocol) && !['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
});

test('a testimonial created in the form is published with its photo, builds and reopens with every value', async () => {
  const recorded = await recordedPage();
  const { context, requests, problems } = recorded;
  let { page } = recorded;
  try {
    await login(page);
    await shot(page, 'editing-collections.png');
    await page.goto(`${admin}#/collections/temoignages/new`);
    await field(page, 'title').fill('Une semaine au musée des Beaux-Arts');
    await field(page, 'date').fill('2026-01-10');
    await field(page, 'name').fill('Inès Martin');
    await field(page, 'role').fill('Élève de 3e');
    await field(page, 'programme').click();
    await page.keyboard.type('Vis');
    await page.getByRole('option', { name: 'Vis mon job' }).click();
    await field(page, 'obtained').fill('2026-01-05');
    await field(page, 'expires').fill('2030-01-05');
    // The photo, uploaded through the media library.
    const photo = path.join(site, 'upload-photo.png');
    fs.writeFileSync(photo, png(480, 360));
    await page.getByRole('button', { name: 'Choisir une image' }).click();
    await page.locator('input[type=file]').setInputFiles(photo);
    await page.getByRole('button', { name: 'Choisir les éléments sélectionnés' }).click();
    await field(page, 'photo_alt').fill('Inès devant un tableau de la grande galerie');
    await page.locator('[data-slate-editor="true"]').first().click();
    await page.keyboard.type('J\'ai découvert les réserves du musée.');
    await shot(page, 'editing-form.png');
    await publish(page);

    const file = path.join(site, 'content/temoignages/une-semaine-au-musee-des-beaux-arts/index.md');
    await waitFor('the Markdown file', async () => fs.existsSync(file));
    const text = fs.readFileSync(file, 'utf8');
    for (const expected of [
      /title: Une semaine au musée des Beaux-Arts/,
      /date: 2026-01-10/,
      /name: Inès Martin/,
      /photo: upload-photo\.png/,
      /photo_alt: Inès devant un tableau de la grande galerie/,
      /programme: vis-mon-job/,
      /obtained: 2026-01-05/,
      /expires: 2030-01-05/,
      /J'ai découvert les réserves du musée\./,
    ]) {
      assert.match(text, expected, text);
    }
    assert.ok(fs.existsSync(path.join(path.dirname(file), 'upload-photo.png')), 'the photo beside index.md');

    // vitrine's own verdict, in the editor.
    const panel = page.locator('#vitrine-diagnostics');
    await panel.getByText(/vitrine ne signale rien|avertissements de vitrine/).waitFor({ timeout: 30000 });
    await shot(page, 'editing-saved.png');

    // The new page in the preview, with its photo.
    const preview = await context.newPage();
    const url = admin.replace('__vitrine/admin/', 'temoignages/une-semaine-au-musee-des-beaux-arts/');
    await waitFor('the new page', async () => (await fetch(url)).ok);
    await preview.goto(url);
    await preview.getByRole('heading', { name: 'Une semaine au musée des Beaux-Arts' }).waitFor();
    const img = preview.locator('img[alt="Inès devant un tableau de la grande galerie"]');
    await img.waitFor();
    assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the photo loads');
    await shot(preview, 'editing-preview.png');

    // The file builds with `vitrine build`.
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-editing-out-'));
    try {
      execFileSync(BIN, ['build', '--root', site, '--output', path.join(out, 'public')], {
        env: { ...process.env, VITRINE_TODAY: TODAY, LANG: 'fr_FR.UTF-8', LC_ALL: '' },
        stdio: 'pipe',
      });
      assert.ok(fs.existsSync(path.join(out, 'public/temoignages/une-semaine-au-musee-des-beaux-arts/index.html')));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }

    // Reopened in a new tab, read from the file: every value is there.
    await page.close();
    const reopened = await context.newPage();
    await reopened.goto(`${admin}#/collections/temoignages/entries/une-semaine-au-musee-des-beaux-arts/index`);
    page = reopened;
    await field(page, 'title').waitFor();
    assert.equal(await field(page, 'title').inputValue(), 'Une semaine au musée des Beaux-Arts');
    assert.equal(await field(page, 'date').inputValue(), '2026-01-10');
    assert.equal(await field(page, 'name').inputValue(), 'Inès Martin');
    assert.equal(await field(page, 'role').inputValue(), 'Élève de 3e');
    assert.equal(await field(page, 'photo_alt').inputValue(), 'Inès devant un tableau de la grande galerie');
    assert.equal(await field(page, 'obtained').inputValue(), '2026-01-05');
    assert.equal(await field(page, 'expires').inputValue(), '2030-01-05');
    await page.getByText('Vis mon job').first().waitFor();
    // The photo, read back through the backend (480 px wide, as uploaded).
    await waitFor('the photo in the form', () => page.evaluate(() =>
      [...document.images].some((img) => img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0)));
    await page.getByText('J\'ai découvert les réserves du musée.').waitFor();

    assert.deepEqual(onlyLoopback(requests), [], 'no request leaves the machine');
    assert.deepEqual(problems, [], 'no console error');
  } finally {
    await context.close();
  }
});

test('a body edited in the form reloads the preview with the change', async () => {
  const { context, page, requests, problems } = await recordedPage();
  try {
    const preview = await context.newPage();
    const url = admin.replace('__vitrine/admin/', 'temoignages/clara-vis-mon-job/');
    await preview.goto(url);
    // The preview links to the editor, with the keyboard too.
    const edit = preview.getByRole('link', { name: "Modifier dans l'éditeur" });
    await edit.waitFor();
    await edit.focus();
    assert.equal(await edit.evaluate((el) => document.activeElement === el), true);
    await preview.evaluate(() => { window.__notReloaded = true; });

    await login(page);
    await page.goto(`${admin}#/collections/temoignages/entries/clara-vis-mon-job`);
    const body = page.locator('[data-slate-editor="true"]').first();
    await body.waitFor();
    await body.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Ajouté depuis le navigateur.');
    await publish(page);

    await waitFor('the preview reload', async () => (await preview.evaluate(() => !window.__notReloaded)));
    await preview.getByText('Ajouté depuis le navigateur.').waitFor();
    assert.deepEqual(onlyLoopback(requests), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('what the form cannot prevent is shown with vitrine\'s French diagnostic', async () => {
  const { context, page, problems } = await recordedPage();
  try {
    await login(page);
    // A minor without a guardian: the schema's rule refuses the save.
    await page.goto(`${admin}#/collections/temoignages/new`);
    // The surname of a minor in the title: only the build can tell.
    await field(page, 'title').fill('Le stage de Léo Moreau au garage');
    await field(page, 'date').fill('2026-01-10');
    await field(page, 'name').fill('Léo Moreau');
    await field(page, 'obtained').fill('2026-01-05');
    await field(page, 'minor').click();
    await publish(page);
    const panel = page.locator('#vitrine-diagnostics');
    await panel.locator('[role=alert]').getByText(/représentant légal|guardian/i).waitFor();
    assert.ok(!fs.existsSync(path.join(site, 'content/temoignages/le-stage-de-leo-moreau-au-garage')), 'nothing written');
    await shot(page, 'editing-refused.png');

    // With the guardian's consent: saved, and the build's error on the
    // surname is shown in the editor.
    await panel.getByRole('button', { name: 'Fermer' }).click();
    await field(page, 'guardian').click();
    await publish(page);

    await panel.locator('[role=alert]').getByText(/Moreau/).waitFor({ timeout: 30000 });
    const shown = await panel.innerText();
    assert.match(shown, /le site ne se construit plus/, shown);
    assert.match(shown, /content\/temoignages\/le-stage-de-leo-moreau-au-garage\/index\.md/, shown);
    await shot(page, 'editing-diagnostic.png');
    // Dismissable with Escape.
    await panel.getByRole('button', { name: 'Fermer' }).focus();
    await page.keyboard.press('Escape');
    assert.equal(await panel.isHidden(), true);
    fs.rmSync(path.join(site, 'content/temoignages/le-stage-de-leo-moreau-au-garage'), { recursive: true, force: true });
    // The refused save is Decap's failed save: it logs the rule's error and
    // rejects its promise (a page error "Object"); nothing else.
    const refusal = (p) => p.includes('exige l\'accord d\'un représentant légal') || p === 'page error: Object';
    assert.deepEqual(problems.filter((p) => !refusal(p)), []);
  } finally {
    await context.close();
  }
});
