/* vitrine — search page (recherche/). No dependency, no build step.
 *
 * The page lists the latest testimonials and programmes without JavaScript.
 * This script shows the form; on the first focus of the form (or a search in
 * the URL) it loads the index's manifest, fills the facet lists with their
 * counts, and rebuilds the list as the reader types (debounced) or picks a
 * filter. The index is cut into small scripts named by their contents (see
 * src/search/parts.rs): shards of words by prefix, facet lists and packs of
 * result cards, each loaded by a <script> tag when a query needs it, so it
 * works from file:// too, and each calling window.vitrineSearch(key, data).
 * Accents, case and extra spaces are ignored; every word must start a word
 * of the item's text; filters combine with AND across facets, OR within one;
 * items with query words in their title come first. The query and filters
 * are kept in the URL fragment (#q=ecole&level=3e) so a search can be shared.
 */
(function () {
  'use strict';

  const FACETS = ['programme', 'organisation', 'level', 'format', 'tags'];
  // Letters that NFD does not split, spelled like the index does (deunicode).
  const LETTERS = { 'œ': 'oe', 'æ': 'ae', 'ß': 'ss', 'ø': 'o', 'đ': 'd', 'ł': 'l', 'ı': 'i', '’': "'", '‘': "'", 'ʼ': "'" };
  // Punctuation around a query word that is not part of it: « école », (école), école…
  const EDGES = /^[\s"'`«»“”„‹›()[\]{}<>.,;:!?…*_~\-–—/\\]+|[\s"'`«»“”„‹›()[\]{}<>.,;:!?…*_~\-–—/\\]+$/g;

  /** Fold text like the index: no accents, lowercase, single spaces. */
  function normalise(text) {
    return String(text == null ? '' : text)
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[œæßøđłı’‘ʼ]/g, (c) => LETTERS[c])
      .replace(/\s+/g, ' ')
      .trim();
  }

  /** The words of a query, folded, without surrounding punctuation. */
  function queryWords(query) {
    return normalise(query).split(' ').map((w) => w.replace(EDGES, '')).filter(Boolean);
  }

  /** Selected values per facet: { level: '3e' } or { tags: ['A', 'B'] }; empty means no filter. */
  function activeFilters(filters) {
    const out = [];
    for (const facet of Object.keys(filters || {})) {
      const wanted = [].concat(filters[facet]).filter((v) => v != null && v !== '');
      if (wanted.length) out.push([facet, wanted]);
    }
    return out;
  }

  /* ---- The index, loaded in parts ------------------------------------ */

  // Digits of the posting lists (src/search/parts.rs): the first 32 end a
  // number, the others continue it; after '!' a bitset, six items a digit.
  const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
  const VALUE = {};
  for (let d = 0; d < DIGITS.length; d++) VALUE[DIGITS[d]] = d;

  /** Marks in `into` (one byte per item) the items of an encoded list. */
  function decode(code, into) {
    if (!code) return into;
    if (code[0] === '!') {
      for (let c = 1; c < code.length; c++) {
        const bits = VALUE[code[c]];
        for (let b = 0; b < 6; b++) if (bits & (1 << b)) into[(c - 1) * 6 + b] = 1;
      }
      return into;
    }
    let next = 0;
    let n = 0;
    for (let c = 0; c < code.length; c++) {
      const d = VALUE[code[c]];
      if (d >= 32) { n = n * 32 + d - 32; continue; }
      next += n * 32 + d;
      into[next] = 1;
      next += 1;
      n = 0;
    }
    return into;
  }

  /**
   * The index of the manifest at `manifestUrl`. `loadScript(url)` runs a
   * script and resolves once it ran; the parts call `register`, which the
   * page makes window.vitrineSearch.
   */
  function createIndex(manifestUrl, loadScript) {
    const dir = manifestUrl.slice(0, manifestUrl.lastIndexOf('/') + 1);
    const registered = new Map();
    const parts = new Map();
    let manifest = null;

    function register(key, data) { registered.set(key, data); }

    /** The data of part `key`, from `url`, loaded once. */
    function part(key, url) {
      if (!parts.has(key)) {
        const loading = loadScript(url).then(() => {
          if (!registered.has(key)) throw new Error('search: ' + url + ' is not part ' + key);
          const data = registered.get(key);
          registered.delete(key);
          return data;
        });
        loading.catch(() => parts.delete(key));
        parts.set(key, loading);
      }
      return parts.get(key);
    }
    const named = (key, hash) => part(key, dir + hash + '.js');

    function open() {
      return part('m', manifestUrl).then((data) => {
        if (!data || !Array.isArray(data.packs)) throw new Error('search: no manifest');
        manifest = data;
        manifest.nodeOf = new Map(data.nodes);
        return manifest;
      });
    }

    /** Items with a key starting with `word`, and those with it in their title. */
    async function wordSets(word) {
      const n = manifest.items;
      const text = new Uint8Array(n);
      const title = new Uint8Array(n);
      // A word whose keys span shards has a node; otherwise they are in the
      // shard where the word would sort, or all in the next one.
      if (manifest.nodeOf.has(word)) {
        const [nodeText, nodeTitle] = await named('n:' + word, manifest.nodeOf.get(word));
        decode(nodeText, text);
        decode(nodeTitle, title);
        return { text, title };
      }
      const shards = manifest.shards;
      let lo = 0;
      let hi = shards.length;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (shards[mid][0] <= word) lo = mid; else hi = mid;
      }
      if (lo + 1 < shards.length && shards[lo + 1][0].startsWith(word)) lo += 1;
      if (!shards.length) return { text, title };
      for (const [key, keyText, keyTitle] of await named('s:' + shards[lo][0], shards[lo][1])) {
        if (key.startsWith(word)) { decode(keyText, text); decode(keyTitle, title); }
      }
      return { text, title };
    }

    /** Items having one of the `wanted` values of `facet`. */
    async function facetSet(facet, wanted) {
      const set = new Uint8Array(manifest.items);
      const entry = manifest.facets[facet];
      if (!entry) return set;
      for (const [value, code] of await named('f:' + facet, entry.file)) {
        if (wanted.indexOf(value) !== -1) decode(code, set);
      }
      return set;
    }

    /**
     * Numbers of the items matching `query` and `filters`: those with query
     * words in their title first (the more the earlier), else index order.
     */
    async function find(query, filters) {
      const words = queryWords(query);
      const facets = activeFilters(filters);
      const [wordsSets, facetSets] = await Promise.all([
        Promise.all(words.map(wordSets)),
        Promise.all(facets.map(([facet, wanted]) => facetSet(facet, wanted))),
      ]);
      const n = manifest.items;
      const found = [];
      for (let i = 0; i < n; i++) {
        if (!wordsSets.every((s) => s.text[i]) || !facetSets.every((s) => s[i])) continue;
        let score = 0;
        for (const s of wordsSets) score += s.title[i];
        found.push({ i, score });
      }
      found.sort((a, b) => b.score - a.score || a.i - b.i);
      return found.map((f) => f.i);
    }

    /** The result cards of items `ids`, in that order. */
    async function cards(ids) {
      const size = manifest.pack;
      const packs = Array.from(new Set(ids.map((i) => Math.floor(i / size))));
      const loaded = new Map();
      await Promise.all(packs.map((p) => named('p:' + p, manifest.packs[p]).then((d) => loaded.set(p, d))));
      return ids.map((i) => loaded.get(Math.floor(i / size))[i % size]);
    }

    /** Values of `facet` with their counts, in French alphabetical order. */
    function facetValues(facet) {
      const entry = manifest && manifest.facets[facet];
      return entry ? entry.values.slice().sort((a, b) => a[0].localeCompare(b[0], 'fr')) : [];
    }

    return { register, open, find, cards, facetValues, get manifest() { return manifest; } };
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = { normalise, queryWords, createIndex };
    return;
  }

  /* ---- Page ---------------------------------------------------------- */

  const box = document.querySelector('[data-index][data-root]');
  if (!box) return;
  const $ = (id) => document.getElementById(id);
  const form = $('search-form');
  const input = $('search-input');
  const list = $('search-results');
  const status = $('search-status');
  const empty = $('search-empty');
  const details = $('search-filters');
  const count = $('search-filters-count');
  const selects = Array.from(box.querySelectorAll('select[data-facet]'));
  const label = (name) => box.getAttribute('data-label-' + name) || '';
  let root = box.getAttribute('data-root') || '';
  if (root && !root.endsWith('/')) root += '/';
  // From file:// there is no server to turn a folder into its index.html.
  const href = (url) => root + url + (location.protocol === 'file:' && /(^|\/)$/.test(url) ? 'index.html' : '');

  // Display text with the French typography of the pages (the index keeps the
  // author's spelling): l’école, no-break spaces around ; : ! ? « ».
  const lang = document.documentElement.lang || undefined;
  const french = /^fr\b/i.test(lang || '');
  const typo = (s) => (french ? String(s)
    .replace(/(\w|[\u00c0-\u024f])'/g, '$1’')
    .replace(/[ \u00a0]([;!?»])/g, '\u202f$1')
    .replace(/«[ \u00a0]/g, '«\u202f')
    .replace(/(\d)[ \u00a0]([%€°])/g, '$1\u202f$2')
    .replace(/ :/g, '\u00a0:') : String(s));
  const capitalise = (s) => s.charAt(0).toLocaleUpperCase(lang) + s.slice(1);

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text != null) el.textContent = text;
    return el;
  }

  function resultItem(item) {
    const li = element('li', 'search-result');
    li.setAttribute('data-kind', item.kind || 'page');
    const link = element('a', 'search-result-link', typo(item.title));
    link.href = href(item.url);
    const meta = element('p', 'search-result-meta');
    meta.appendChild(element('span', 'search-result-kind', label(item.kind) || label('page')));
    for (const part of [item.author, item.programme, item.organisation, item.level, item.format]) {
      if (!part) continue;
      const sep = element('span', 'search-result-sep', ' · ');
      sep.setAttribute('aria-hidden', 'true');
      meta.appendChild(sep);
      meta.appendChild(document.createTextNode(typo(part)));
    }
    li.appendChild(link);
    li.appendChild(meta);
    if (item.summary) li.appendChild(element('p', 'search-result-summary', typo(item.summary)));
    return li;
  }

  function statusText(n) {
    if (n === 0) return label('zero');
    if (n === 1) return label('one');
    return n.toLocaleString(lang) + ' ' + label('results');
  }

  function currentFilters() {
    const filters = {};
    for (const select of selects) if (select.value) filters[select.dataset.facet] = select.value;
    return filters;
  }

  /** Keep the search in the URL fragment (works on file:// too). */
  function remember(query, filters) {
    const params = new URLSearchParams();
    if (query.trim()) params.set('q', query.trim());
    for (const facet of Object.keys(filters)) params.set(facet, filters[facet]);
    const hash = params.toString() ? '#' + params.toString() : '';
    // Leave alone a fragment that is not a search (#main from the skip link).
    const ours = /^#(.*&)?(q|programme|organisation|level|format|tags)=/.test(location.hash);
    if (hash === location.hash || (!hash && location.hash && !ours)) return;
    try {
      history.replaceState(history.state, '', location.pathname + location.search + hash);
    } catch (e) { /* some file:// setups refuse: sharing is a nicety */ }
  }

  /** The search asked for in the URL: its fragment, else its query. */
  function wanted() {
    const hash = new URLSearchParams(location.hash.slice(1));
    const fromHash = hash.has('q') || FACETS.some((f) => hash.has(f));
    return fromHash ? hash : new URLSearchParams(location.search);
  }

  function recall() {
    const params = wanted();
    if (params.has('q')) input.value = params.get('q');
    for (const select of selects) {
      const wanted = params.get(select.dataset.facet);
      if (wanted && Array.from(select.options).some((o) => o.value === wanted)) select.value = wanted;
    }
  }

  // Results shown at once; the "more" button adds as many.
  const PAGE = 10;
  const more = $('search-more');
  // The list the page came with: what an empty search shows.
  const initial = Array.from(list.children);
  const manifestUrl = new URL(box.getAttribute('data-search'), document.baseURI).href;

  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url;
      script.onload = () => { script.remove(); resolve(); };
      script.onerror = () => { script.remove(); reject(new Error('cannot load ' + url)); };
      document.head.appendChild(script);
    });
  }

  const index = createIndex(manifestUrl, loadScript);
  window.vitrineSearch = index.register;

  let opening = null;
  /** Loads the manifest and fills the facet lists, once. */
  function open() {
    if (!opening) {
      opening = index.open().then(() => {
        for (const select of selects) {
          const values = index.facetValues(select.dataset.facet);
          if (!values.length) { select.parentNode.remove(); continue; }
          for (const [value, n] of values) {
            select.appendChild(new Option(capitalise(typo(value)) + ' (' + n.toLocaleString(lang) + ')', value));
          }
        }
        selects.splice(0, selects.length, ...selects.filter((s) => s.isConnected));
        if (!selects.length) details.remove();
      });
      opening.catch(unavailable);
    }
    return opening;
  }

  let timer = 0;
  let asked = 0; // the latest search: older answers are dropped
  let found = [];
  let shown = 0;

  function update() {
    clearTimeout(timer);
    const filters = currentFilters();
    const query = input.value;
    const active = Object.keys(filters).length;
    count.hidden = active === 0;
    count.textContent = active ? ' (' + active + ')' : '';
    remember(query, filters);
    const mine = ++asked;
    if (!queryWords(query).length && !active) {
      list.replaceChildren(...initial);
      empty.hidden = true;
      more.hidden = true;
      status.textContent = '';
      return Promise.resolve();
    }
    return open()
      .then(() => index.find(query, filters))
      .then((ids) => {
        if (mine !== asked) return null;
        found = ids;
        return index.cards(ids.slice(0, PAGE));
      })
      .then((cards) => {
        if (!cards || mine !== asked) return;
        // The old list stays until the new one is ready: nothing blinks.
        list.replaceChildren(...cards.map(resultItem));
        shown = cards.length;
        more.hidden = shown >= found.length;
        empty.hidden = found.length > 0;
        status.textContent = statusText(found.length);
      })
      .catch(unavailable);
  }

  function showMore() {
    const mine = asked;
    index.cards(found.slice(shown, shown + PAGE)).then((cards) => {
      if (mine !== asked) return;
      list.append(...cards.map(resultItem));
      shown += cards.length;
      more.hidden = shown >= found.length;
    }).catch(unavailable);
  }

  function unavailable(error) {
    status.textContent = label('unavailable');
    if (window.console) console.warn('vitrine search:', error);
  }

  try {
    if (!window.matchMedia('(min-width: 48em)').matches) details.open = false;
    form.addEventListener('focusin', open, { once: true });
    form.addEventListener('pointerdown', open, { once: true });
    input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(update, 100); });
    for (const select of selects) select.addEventListener('change', update);
    form.addEventListener('submit', (event) => { event.preventDefault(); update(); });
    form.addEventListener('reset', () => setTimeout(update, 0));
    more.addEventListener('click', showMore);
    $('search-nojs').hidden = true;
    form.hidden = false;
    // A shared search (#q=…&level=…) is run at once.
    const params = wanted();
    if (params.has('q') || FACETS.some((f) => params.has(f))) {
      open().then(() => { recall(); if (selects.some((s) => s.value)) details.open = true; update(); });
    }
  } catch (error) {
    unavailable(error);
  }
})();
