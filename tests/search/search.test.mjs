// The search of the default theme, on the REAL index of the example site:
// builds it with the vitrine binary, then checks the pure functions of
// themes/default/static/js/search.js against expectations computed here,
// independently, from search.json. No npm dependency: `node --test tests/search/`.
//
// Env: VITRINE_BIN (default <repo>/target/release/vitrine, else target/debug/vitrine),
//      VITRINE_ROOT (site to build, default <repo>).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const siteRoot = path.resolve(process.env.VITRINE_ROOT || repo);
const bin = process.env.VITRINE_BIN
  || [path.join(repo, 'target', 'release', 'vitrine'), path.join(repo, 'target', 'debug', 'vitrine')].find((p) => fs.existsSync(p));
const skip = bin ? false : 'no vitrine binary: set VITRINE_BIN or run `cargo build` (looked in target/release and target/debug)';

const require = createRequire(import.meta.url);
const { normalise, search, facetValues } = require(path.join(repo, 'themes', 'default', 'static', 'js', 'search.js'));

let tmp;
let out;
let index;

function build(root, output) {
  try {
    execFileSync(bin, ['build', '--root', root, '--output', output], { encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    throw new Error(`vitrine build --root ${root} failed (exit ${err.status}):\n${err.stderr || err.message}`);
  }
}

before(() => {
  if (skip) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-search-'));
  out = path.join(tmp, 'site');
  build(siteRoot, out);
  const json = path.join(out, 'search.json');
  assert.ok(fs.existsSync(json), `${bin} build --root ${siteRoot} wrote no search.json: stale binary (rebuild it or set VITRINE_BIN) or \`search: false\` in site.yaml?`);
  index = JSON.parse(fs.readFileSync(json, 'utf8'));
});
after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// ---- An independent, deliberately simple folding: a table of French letters.
const PLAIN = {
  à: 'a', â: 'a', ä: 'a', á: 'a', ç: 'c', é: 'e', è: 'e', ê: 'e', ë: 'e', î: 'i', ï: 'i', í: 'i',
  ô: 'o', ö: 'o', ó: 'o', ù: 'u', û: 'u', ü: 'u', ú: 'u', ÿ: 'y', ñ: 'n', œ: 'oe', æ: 'ae',
};
const fold = (s) => [...String(s ?? '').toLowerCase()].map((c) => PLAIN[c] ?? c).join('');
// Words of a folded text: runs of letters and digits.
const words = (s) => fold(s).split(/[^a-z0-9]+/).filter(Boolean);
// Does an item have a word starting with each word of the (accented) query?
const hasWords = (item, query) => words(query).every((q) => words(item.text).some((w) => w.startsWith(q)));

const urls = (items) => items.map((i) => i.url).sort();
const titles = (items) => items.map((i) => i.title);
const values = (item, facet) => [].concat(item[facet] ?? []);

test('normalise folds accents, case, ligatures and spaces like the index', { skip }, () => {
  assert.equal(normalise('  École   NUMÉRIQUE\u202f! '), 'ecole numerique !');
  assert.equal(normalise('Cœur d’Œuvre, façade'), "coeur d'oeuvre, facade");
  assert.equal(normalise(''), '');
  assert.equal(normalise(null), '');
  // Idempotent on the index text, which the generator already folded.
  for (const item of index.items) assert.equal(normalise(item.text), item.text.replace(/\s+/g, ' ').trim());
});

for (const [query, accented, knownTitle] of [
  ['ecole', 'école', 'Mettre le numérique au service des écoles nantaises'],
  ['numerique', 'numérique', 'Stages du Master IES cultures numériques'],
]) {
  test(`accent-insensitive: "${query}" finds what contains « ${accented} »`, { skip }, () => {
    const expected = index.items.filter((item) => hasWords(item, accented));
    assert.ok(expected.length > 0, `the example index has no item with « ${accented} »: pick another word`);
    const found = search(index, query, {});
    assert.deepEqual(urls(found), urls(expected));
    assert.ok(titles(found).includes(knownTitle), `"${query}" must find « ${knownTitle} »; found ${JSON.stringify(titles(found))}`);
    // Every item whose title has the accented word is found.
    for (const item of index.items.filter((i) => i.title.toLowerCase().includes(accented))) {
      assert.ok(found.includes(item), `"${query}" misses « ${item.title} »`);
    }
    // The accented query finds the same items.
    assert.deepEqual(urls(search(index, accented, {})), urls(found));
    assert.ok(found.length < index.items.length, `"${query}" matches everything: the test proves nothing`);
  });
}

test('case-insensitive', { skip }, () => {
  const base = urls(search(index, 'ecole', {}));
  for (const q of ['ECOLE', 'École', 'éCoLe', '  ecole  ']) assert.deepEqual(urls(search(index, q, {})), base, q);
});

test('several words: every word must match (AND)', { skip }, () => {
  const stage = search(index, 'stage', {});
  const distance = search(index, 'distance', {});
  const both = search(index, 'stage distance', {});
  assert.ok(both.length > 0, '"stage distance" finds nothing');
  assert.deepEqual(urls(both), urls(stage.filter((i) => distance.includes(i))));
  assert.deepEqual(urls(both), urls(index.items.filter((i) => hasWords(i, 'stage') && hasWords(i, 'distance'))));
  assert.ok(both.length < stage.length || both.length < distance.length, 'AND must narrow the results here');
  // Order of words and surrounding punctuation do not matter.
  assert.deepEqual(urls(search(index, '« distance, stage »', {})), urls(both));
});

test('facet alone: programme « Vis mon job » gives exactly its testimonials', { skip }, () => {
  const found = search(index, '', { programme: 'Vis mon job' });
  const expected = index.items.filter((i) => i.programme === 'Vis mon job');
  assert.ok(expected.length >= 2, 'the example should have several « Vis mon job » testimonials');
  assert.deepEqual(urls(found), urls(expected));
  assert.ok(found.every((i) => i.kind === 'testimonial'));
  // The same with the value in an array, and with empty filters ignored.
  assert.deepEqual(urls(search(index, '', { programme: ['Vis mon job'], level: '', tags: [] })), urls(expected));
});

test('facets combine with AND across facets, OR within one', { skip }, () => {
  const cases = [
    { programme: 'Vis mon job', level: 'Bac+2' },
    { format: 'à distance', tags: 'Stage de 3e' },
    { organisation: 'Agirc-Arrco', tags: 'Orientation' },
  ];
  for (const filters of cases) {
    const expected = index.items.filter((i) => Object.entries(filters).every(([f, v]) => values(i, f).includes(v)));
    assert.ok(expected.length > 0, `no example item has ${JSON.stringify(filters)}`);
    const found = search(index, '', filters);
    assert.deepEqual(urls(found), urls(expected), JSON.stringify(filters));
    // The intersection of each filter alone.
    const alone = Object.entries(filters).map(([f, v]) => search(index, '', { [f]: v }));
    assert.deepEqual(urls(found), urls(alone.reduce((acc, r) => acc.filter((i) => r.includes(i)))));
    assert.ok(alone.every((r) => found.length <= r.length));
  }
  // OR within a facet.
  const either = search(index, '', { level: ['Bac+2', 'Bac+5'] });
  assert.deepEqual(urls(either), urls(index.items.filter((i) => ['Bac+2', 'Bac+5'].includes(i.level))));
  assert.ok(either.length > search(index, '', { level: 'Bac+2' }).length);
  // Query and facet together.
  assert.deepEqual(urls(search(index, 'ecole', { format: 'sur site' })),
    urls(search(index, 'ecole', {}).filter((i) => i.format === 'sur site')));
});

test('empty query and no filter give everything, in index order', { skip }, () => {
  assert.deepEqual(search(index, '', {}), index.items);
  assert.deepEqual(search(index, '   ', undefined), index.items);
  assert.deepEqual(search(index, '« »', { level: '' }), index.items);
});

test('a query matching nothing gives []', { skip }, () => {
  assert.deepEqual(search(index, 'zzxqwy', {}), []);
  assert.deepEqual(search(index, 'ecole zzxqwy', {}), []);
  assert.deepEqual(search(index, '', { programme: 'Programme inexistant' }), []);
  assert.deepEqual(search({ items: [] }, 'ecole', {}), []);
});

test('facetValues: distinct values in French order', { skip }, () => {
  assert.deepEqual(index.facets, ['programme', 'organisation', 'level', 'format', 'tags']);
  for (const facet of index.facets) {
    const got = facetValues(index, facet);
    const expected = [...new Set(index.items.flatMap((i) => values(i, facet)))].sort((a, b) => a.localeCompare(b, 'fr'));
    assert.deepEqual(got, expected, facet);
    assert.ok(got.length > 0, `no value for ${facet}`);
    assert.ok(!got.includes(null) && !got.includes(''), `${facet} lists an empty value`);
  }
  assert.ok(facetValues(index, 'programme').includes('Vis mon job'));
  // « Économie sociale » sorts with the E, not after Z as code points would.
  const tags = facetValues(index, 'tags');
  const eco = tags.indexOf('Économie sociale');
  assert.ok(eco > 0 && tags[eco + 1] && tags[eco + 1].localeCompare('F', 'fr') < 0, `tags order: ${tags.join(', ')}`);
});

test('search-index.js defines VITRINE_SEARCH_INDEX equal to search.json', { skip }, () => {
  const source = fs.readFileSync(path.join(out, 'search-index.js'), 'utf8');
  const context = vm.createContext({ window: {} });
  vm.runInContext(source, context);
  assert.deepEqual(JSON.parse(JSON.stringify(context.window.VITRINE_SEARCH_INDEX)), index);
});

test('every result URL leads to a built page', { skip }, () => {
  for (const item of index.items) {
    assert.ok(!item.url.startsWith('/') && !/^[a-z]+:/.test(item.url), `url must be relative to the root: ${item.url}`);
    assert.ok(fs.existsSync(path.join(out, item.url, 'index.html')), `no page for ${item.url}`);
  }
});

test('recherche/ works without JavaScript and has the accessible hooks', { skip }, () => {
  const html = fs.readFileSync(path.join(out, 'recherche', 'index.html'), 'utf8');
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
  assert.match(main, /<form[^>]*role="search"[^>]*\shidden[\s>]/, 'the form is hidden until the script runs');
  assert.match(main, /<label for="search-input">/);
  assert.match(main, /<input id="search-input"[^>]*type="search"/);
  assert.match(main, /<p id="search-status"[^>]*role="status"[^>]*aria-live="polite"/);
  assert.match(main, /data-root="[^"]+"/);
  assert.match(main, /data-index="[^"]*search\.json"/);
  for (const facet of index.facets) {
    // One fieldset per facet; its legend names the select.
    assert.match(main, new RegExp(`<fieldset[^>]*>\\s*<legend id="search-facet-${facet}-legend">[^<]+</legend>\\s*<select id="search-facet-${facet}"[^>]*aria-labelledby="search-facet-${facet}-legend"`));
  }
  // The no-JS list: one link per testimonial and programme.
  const list = main.slice(main.indexOf('<ul id="search-results"'), main.indexOf('</ul>', main.indexOf('<ul id="search-results"')));
  const links = [...list.matchAll(/<a class="search-result-link" href="([^"]+)"/g)].map((m) => m[1]);
  const shown = index.items.filter((i) => i.kind === 'testimonial' || i.kind === 'programme');
  assert.equal(links.length, shown.length);
  for (const item of shown) assert.ok(links.some((href) => href.endsWith(`/${item.url}`) || href === item.url), `no link to ${item.url}`);
  // Scripts: the data first, then the search, deferred; nothing inline.
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  const data = scripts.findIndex((m) => /src="[^"]*search-index\.js"/.test(m[1]));
  const code = scripts.findIndex((m) => /src="[^"]*js\/search\.js(\?[^"]*)?"/.test(m[1]));
  assert.ok(data >= 0 && code > data, 'search-index.js must come before search.js');
  for (const i of [data, code]) assert.match(scripts[i][1], /\bdefer\b/);
  assert.ok(scripts.every((m) => /\bsrc=/.test(m[1]) || /application\/(ld\+)?json/.test(m[1])), 'no inline script');
  assert.doesNotMatch(main, /\sstyle=/, 'no inline style');
});

test('relative URLs: data-root is relative and leads to the site root', { skip, timeout: 60_000 }, () => {
  const copy = path.join(tmp, 'relative-src');
  const topLevel = new Set(['target', 'public', '.git']);
  fs.cpSync(siteRoot, copy, {
    recursive: true,
    filter: (src) => path.basename(src) !== 'node_modules' && !(topLevel.has(path.basename(src)) && path.dirname(src) === siteRoot),
  });
  const yaml = path.join(copy, 'site.yaml');
  const config = fs.readFileSync(yaml, 'utf8');
  fs.writeFileSync(yaml, /^relative_urls:.*$/m.test(config)
    ? config.replace(/^relative_urls:.*$/m, 'relative_urls: true')
    : `${config.trimEnd()}\nrelative_urls: true\n`);
  const rel = path.join(tmp, 'relative-out');
  build(copy, rel);
  const html = fs.readFileSync(path.join(rel, 'recherche', 'index.html'), 'utf8');
  const root = html.match(/data-root="([^"]*)"/)[1];
  assert.equal(root, '../');
  const relIndex = JSON.parse(fs.readFileSync(path.join(rel, 'search.json'), 'utf8'));
  for (const item of relIndex.items) {
    assert.ok(fs.existsSync(path.join(rel, 'recherche', root, item.url, 'index.html')), `${root}${item.url} leads nowhere`);
  }
  const src = html.match(/<script src="([^"]*search-index\.js)"/)[1];
  assert.ok(fs.existsSync(path.join(rel, 'recherche', src)), `${src} is not a file next to the page`);
});
