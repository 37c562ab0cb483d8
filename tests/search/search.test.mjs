// The search of the default theme, on the REAL index of the example site:
// builds it with the vitrine binary, then runs the queries with
// themes/default/static/js/search.js as the page does, loading the index's
// parts (search-data/) as the page would, and checks them against
// expectations computed here, independently, from search.json, and against
// the search as it was before the index was cut (one 24 MB file at 10 000
// pages), kept below as `wholeSearch`. No npm dependency: `node --test tests/search/`.
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
const { normalise, createIndex } = require(path.join(repo, 'themes', 'default', 'static', 'js', 'search.js'));

let tmp;
let out;
let index;
let engine;
// Files the engine loaded, in order.
let loaded = [];

function build(root, output) {
  try {
    execFileSync(bin, ['build', '--root', root, '--output', output], { encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    throw new Error(`vitrine build --root ${root} failed (exit ${err.status}):\n${err.stderr || err.message}`);
  }
}

/** The search page's index, its parts read from disk like <script> tags would. */
function openIndex(manifestFile) {
  const context = vm.createContext({});
  const made = createIndex(manifestFile, async (file) => {
    loaded.push(file);
    vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
  });
  context.vitrineSearch = made.register;
  return made;
}

/** The manifest a built search page names (data-search), as a file. */
function manifestOf(site) {
  const html = fs.readFileSync(path.join(site, 'recherche', 'index.html'), 'utf8');
  const url = html.match(/data-search="([^"]*)"/)[1];
  return path.join(site, 'search-data', path.basename(url));
}

/** The items of search.json the page's search finds, in its order. */
async function search(whole, query, filters) {
  if (!whole.items.length) {
    const empty = path.join(tmp, 'empty-manifest.js');
    fs.writeFileSync(empty, 'vitrineSearch("m",{"version":2,"items":0,"shards":[],"nodes":[],"facets":{},"pack":16,"packs":[]});');
    const none = openIndex(empty);
    await none.open();
    return (await none.find(query, filters)).map((i) => whole.items[i]);
  }
  await engine.open();
  return (await engine.find(query, filters)).map((i) => whole.items[i]);
}
// Arrays made in the parts' context: copied into this one to compare.
const facetValues = (_, facet) => Array.from(engine.facetValues(facet), ([value]) => value);

before(async () => {
  if (skip) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vitrine-search-'));
  out = path.join(tmp, 'site');
  build(siteRoot, out);
  const json = path.join(out, 'search.json');
  assert.ok(fs.existsSync(json), `${bin} build --root ${siteRoot} wrote no search.json: stale binary (rebuild it or set VITRINE_BIN) or \`search: false\` in site.yaml?`);
  index = JSON.parse(fs.readFileSync(json, 'utf8'));
  engine = openIndex(manifestOf(out));
  await engine.open();
});
after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// ---- The search before the index was cut: every item's text in memory.
const EDGES = /^[\s"'`«»“”„‹›()[\]{}<>.,;:!?…*_~\-–—/\\]+|[\s"'`«»“”„‹›()[\]{}<>.,;:!?…*_~\-–—/\\]+$/g;
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
function wholeSearch(whole, query, filters) {
  const patterns = normalise(query).split(' ').map((w) => w.replace(EDGES, '')).filter(Boolean)
    .map((w) => new RegExp('(?:^|[^a-z0-9])' + escapeRegExp(w)));
  const facets = Object.entries(filters || {}).map(([f, v]) => [f, [].concat(v).filter((x) => x != null && x !== '')])
    .filter(([, v]) => v.length);
  const found = [];
  whole.items.forEach((item, position) => {
    if (!facets.every(([f, wanted]) => [].concat(item[f] ?? []).some((v) => wanted.includes(v)))) return;
    const text = normalise(item.text);
    if (!patterns.every((re) => re.test(text))) return;
    const title = normalise(item.title);
    found.push({ item, score: patterns.filter((re) => re.test(title)).length, position });
  });
  found.sort((a, b) => b.score - a.score || a.position - b.position);
  return found.map((f) => f.item);
}

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

test('normalise folds accents, case, ligatures and spaces like the index', { skip }, async () => {
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
  test(`accent-insensitive: "${query}" finds what contains « ${accented} »`, { skip }, async () => {
    const expected = index.items.filter((item) => hasWords(item, accented));
    assert.ok(expected.length > 0, `the example index has no item with « ${accented} »: pick another word`);
    const found = await search(index, query, {});
    assert.deepEqual(urls(found), urls(expected));
    assert.ok(titles(found).includes(knownTitle), `"${query}" must find « ${knownTitle} »; found ${JSON.stringify(titles(found))}`);
    // Every item whose title has the accented word is found.
    for (const item of index.items.filter((i) => i.title.toLowerCase().includes(accented))) {
      assert.ok(found.includes(item), `"${query}" misses « ${item.title} »`);
    }
    // The accented query finds the same items.
    assert.deepEqual(urls(await search(index, accented, {})), urls(found));
    assert.ok(found.length < index.items.length, `"${query}" matches everything: the test proves nothing`);
  });
}

test('case-insensitive', { skip }, async () => {
  const base = urls(await search(index, 'ecole', {}));
  for (const q of ['ECOLE', 'École', 'éCoLe', '  ecole  ']) assert.deepEqual(urls(await search(index, q, {})), base, q);
});

test('several words: every word must match (AND)', { skip }, async () => {
  const stage = await search(index, 'stage', {});
  const distance = await search(index, 'distance', {});
  const both = await search(index, 'stage distance', {});
  assert.ok(both.length > 0, '"stage distance" finds nothing');
  assert.deepEqual(urls(both), urls(stage.filter((i) => distance.includes(i))));
  assert.deepEqual(urls(both), urls(index.items.filter((i) => hasWords(i, 'stage') && hasWords(i, 'distance'))));
  assert.ok(both.length < stage.length || both.length < distance.length, 'AND must narrow the results here');
  // Order of words and surrounding punctuation do not matter.
  assert.deepEqual(urls(await search(index, '« distance, stage »', {})), urls(both));
});

test('facet alone: programme « Vis mon job » gives exactly its testimonials', { skip }, async () => {
  const found = await search(index, '', { programme: 'Vis mon job' });
  const expected = index.items.filter((i) => i.programme === 'Vis mon job');
  assert.ok(expected.length >= 2, 'the example should have several « Vis mon job » testimonials');
  assert.deepEqual(urls(found), urls(expected));
  assert.ok(found.every((i) => i.kind === 'testimonial'));
  // The same with the value in an array, and with empty filters ignored.
  assert.deepEqual(urls(await search(index, '', { programme: ['Vis mon job'], level: '', tags: [] })), urls(expected));
});

test('facets combine with AND across facets, OR within one', { skip }, async () => {
  const cases = [
    { programme: 'Vis mon job', level: 'Bac+2' },
    { format: 'à distance', tags: 'Stage de 3e' },
    { organisation: 'Agirc-Arrco', tags: 'Orientation' },
  ];
  for (const filters of cases) {
    const expected = index.items.filter((i) => Object.entries(filters).every(([f, v]) => values(i, f).includes(v)));
    assert.ok(expected.length > 0, `no example item has ${JSON.stringify(filters)}`);
    const found = await search(index, '', filters);
    assert.deepEqual(urls(found), urls(expected), JSON.stringify(filters));
    // The intersection of each filter alone.
    const alone = await Promise.all(Object.entries(filters).map(([f, v]) => search(index, '', { [f]: v })));
    assert.deepEqual(urls(found), urls(alone.reduce((acc, r) => acc.filter((i) => r.includes(i)))));
    assert.ok(alone.every((r) => found.length <= r.length));
  }
  // OR within a facet.
  const either = await search(index, '', { level: ['Bac+2', 'Bac+5'] });
  assert.deepEqual(urls(either), urls(index.items.filter((i) => ['Bac+2', 'Bac+5'].includes(i.level))));
  assert.ok(either.length > (await search(index, '', { level: 'Bac+2' })).length);
  // Query and facet together.
  assert.deepEqual(urls(await search(index, 'ecole', { format: 'sur site' })),
    urls((await search(index, 'ecole', {})).filter((i) => i.format === 'sur site')));
});

test('empty query and no filter give everything, in index order', { skip }, async () => {
  assert.deepEqual(await search(index, '', {}), index.items);
  assert.deepEqual(await search(index, '   ', undefined), index.items);
  assert.deepEqual(await search(index, '« »', { level: '' }), index.items);
});

test('a query matching nothing gives []', { skip }, async () => {
  assert.deepEqual(await search(index, 'zzxqwy', {}), []);
  assert.deepEqual(await search(index, 'ecole zzxqwy', {}), []);
  assert.deepEqual(await search(index, '', { programme: 'Programme inexistant' }), []);
  assert.deepEqual(await search({ items: [] }, 'ecole', {}), []);
});

test('facetValues: distinct values in French order', { skip }, async () => {
  assert.deepEqual(index.facets, ['programme', 'organisation', 'level', 'format', 'tags']);
  for (const facet of index.facets) {
    const got = facetValues(index, facet);
    const expected = [...new Set(index.items.flatMap((i) => values(i, facet)))].sort((a, b) => a.localeCompare(b, 'fr'));
    assert.deepEqual(got, expected, facet);
    // The manifest counts each value's items, for the filters.
    for (const [value, n] of engine.facetValues(facet)) {
      assert.equal(n, index.items.filter((i) => values(i, facet).includes(value)).length, `${facet} ${value}`);
    }
    assert.ok(got.length > 0, `no value for ${facet}`);
    assert.ok(!got.includes(null) && !got.includes(''), `${facet} lists an empty value`);
  }
  assert.ok(facetValues(index, 'programme').includes('Vis mon job'));
  // « Économie sociale » sorts with the E, not after Z as code points would.
  const tags = facetValues(index, 'tags');
  const eco = tags.indexOf('Économie sociale');
  assert.ok(eco > 0 && tags[eco + 1] && tags[eco + 1].localeCompare('F', 'fr') < 0, `tags order: ${tags.join(', ')}`);
});

test('the cut index finds what the whole index found, in the same order', { skip }, async () => {
  // Every word of every title and of the start of every text, some of their
  // prefixes, and pairs of them: thousands of queries.
  const words = new Set();
  for (const item of index.items) {
    for (const w of normalise(`${item.title} ${item.text.slice(0, 300)}`).split(' ')) {
      words.add(w);
      for (const n of [1, 2, 3]) if (w.length > n) words.add(w.slice(0, n));
    }
  }
  const list = [...words].sort();
  const queries = [...list, ...list.map((w, k) => `${w} ${list[(k * 7 + 3) % list.length]}`)];
  assert.ok(queries.length > 500, `only ${queries.length} queries: the test proves little`);
  let found = 0;
  for (const q of queries) {
    const want = wholeSearch(index, q, {}).map((i) => i.url);
    assert.deepEqual((await search(index, q, {})).map((i) => i.url), want, q);
    found += want.length > 0 && want.length < index.items.length;
  }
  assert.ok(found > 100, 'too few queries narrow the results');
  for (const filters of [{ programme: 'Vis mon job' }, { tags: ['Orientation', 'Stage de 3e'], level: 'Bac+2' }]) {
    for (const q of ['', 'stage', 'e', 'ecole numerique']) {
      assert.deepEqual(urls(await search(index, q, filters)), urls(wholeSearch(index, q, filters)), `${q} ${JSON.stringify(filters)}`);
    }
  }
});

test('the parts of the index are loaded as a query needs them', { skip }, async () => {
  assert.ok(!fs.existsSync(path.join(out, 'search-index.js')), 'search-index.js is no longer written');
  const fresh = openIndex(manifestOf(out));
  loaded = [];
  await fresh.open();
  assert.equal(loaded.length, 1, 'opening loads the manifest alone');
  const ids = await fresh.find('stage distance', {});
  const cards = await fresh.cards(ids.slice(0, 20));
  assert.ok(cards.length > 0);
  const all = fs.readdirSync(path.join(out, 'search-data'));
  assert.ok(loaded.length < all.length, `a query loaded ${loaded.length} of ${all.length} parts`);
  for (const [card, id] of cards.map((c, k) => [c, ids[k]])) {
    const item = index.items[id];
    for (const field of ['title', 'url', 'kind', 'summary', 'author', 'programme', 'organisation', 'level', 'format']) {
      assert.equal(card[field] ?? null, item[field] || null, `${field} of ${item.url}`);
    }
  }
  // Each part is named by its contents.
  const { createHash } = await import('node:crypto');
  for (const file of all) assert.match(file, /^[0-9a-f]{12}\.js$/);
  assert.equal(new Set(all.map((f) => createHash('sha1').update(fs.readFileSync(path.join(out, 'search-data', f))).digest('hex'))).size, all.length);
});

test('every result URL leads to a built page', { skip }, async () => {
  for (const item of index.items) {
    assert.ok(!item.url.startsWith('/') && !/^[a-z]+:/.test(item.url), `url must be relative to the root: ${item.url}`);
    assert.ok(fs.existsSync(path.join(out, item.url, 'index.html')), `no page for ${item.url}`);
  }
});

test('recherche/ works without JavaScript and has the accessible hooks', { skip }, async () => {
  const html = fs.readFileSync(path.join(out, 'recherche', 'index.html'), 'utf8');
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
  assert.match(main, /<form[^>]*role="search"[^>]*\shidden[\s>]/, 'the form is hidden until the script runs');
  assert.match(main, /<label for="search-input">/);
  assert.match(main, /<input id="search-input"[^>]*type="search"/);
  assert.match(main, /<p id="search-status"[^>]*role="status"[^>]*aria-live="polite"/);
  assert.match(main, /data-root="[^"]+"/);
  assert.match(main, /data-index="[^"]*search\.json"/);
  assert.match(main, /data-search="[^"]*search-data\/[0-9a-f]{12}\.js"/);
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
  // Scripts: the search, deferred, and no index: it loads on the first focus.
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  const code = scripts.findIndex((m) => /src="[^"]*js\/search\.js(\?[^"]*)?"/.test(m[1]));
  assert.ok(code >= 0, 'search.js is not on the page');
  assert.match(scripts[code][1], /\bdefer\b/);
  assert.ok(!scripts.some((m) => /search-index\.js|search-data\//.test(m[1])), 'the page loads index data');
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
  const src = html.match(/data-search="([^"]*)"/)[1];
  assert.ok(src.startsWith('../'), `${src} is not relative`);
  assert.ok(fs.existsSync(path.join(rel, 'recherche', src)), `${src} is not a file next to the page`);
});
