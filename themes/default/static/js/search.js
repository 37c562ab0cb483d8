/* vitrine — search page (recherche/). No dependency, no build step.
 *
 * The page lists every testimonial and programme without JavaScript. This
 * script loads the index (window.VITRINE_SEARCH_INDEX from search-index.js,
 * which also works from file://, else fetch(data-index)), shows the form,
 * fills the facet lists and rebuilds the list as the reader types (debounced)
 * or picks a filter. Accents, case and extra spaces are ignored; every word
 * must start a word of the item's text; filters combine with AND across
 * facets, OR within one. The query and filters are kept in the URL fragment
 * (#q=ecole&level=3e) so a search can be shared.
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

  const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  // Folded text of each item, computed once.
  const haystacks = new WeakMap();
  function haystack(item) {
    let text = haystacks.get(item);
    if (text === undefined) {
      text = normalise(item.text || [item.title, item.summary, item.quote, item.author, item.programme,
        item.organisation, item.level, item.format].concat(item.tags || []).filter(Boolean).join(' '));
      haystacks.set(item, text);
    }
    return text;
  }

  /** Values of `facet` on an item, as an array (tags already are one). */
  function valuesOf(item, facet) {
    const v = item[facet];
    if (v == null || v === '') return [];
    return Array.isArray(v) ? v : [v];
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

  /**
   * Items of `index` whose text has every query word at the start of one of
   * its words, and that have one of the selected values of each filtered
   * facet. Items with a title match come first; otherwise index order.
   */
  function search(index, query, filters) {
    const items = (index && index.items) || [];
    const patterns = queryWords(query).map((w) => new RegExp('(?:^|[^a-z0-9])' + escapeRegExp(w)));
    const facets = activeFilters(filters);
    const found = [];
    items.forEach((item, position) => {
      if (!facets.every(([facet, wanted]) => valuesOf(item, facet).some((v) => wanted.indexOf(v) !== -1))) return;
      const text = haystack(item);
      if (!patterns.every((re) => re.test(text))) return;
      const title = normalise(item.title);
      const score = patterns.filter((re) => re.test(title)).length;
      found.push({ item, score, position });
    });
    found.sort((a, b) => b.score - a.score || a.position - b.position);
    return found.map((f) => f.item);
  }

  /** Distinct values of `facet` in the index, in French alphabetical order. */
  function facetValues(index, facet) {
    const seen = new Set();
    for (const item of (index && index.items) || []) {
      for (const v of valuesOf(item, facet)) seen.add(v);
    }
    return Array.from(seen).sort((a, b) => a.localeCompare(b, 'fr'));
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = { normalise, search, facetValues };
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

  function recall() {
    const hash = new URLSearchParams(location.hash.slice(1));
    const fromHash = hash.has('q') || FACETS.some((f) => hash.has(f));
    const params = fromHash ? hash : new URLSearchParams(location.search);
    if (params.has('q')) input.value = params.get('q');
    for (const select of selects) {
      const wanted = params.get(select.dataset.facet);
      if (wanted && Array.from(select.options).some((o) => o.value === wanted)) select.value = wanted;
    }
  }

  let index = null;
  let timer = 0;

  function update() {
    clearTimeout(timer);
    const filters = currentFilters();
    const found = search(index, input.value, filters);
    const fragment = document.createDocumentFragment();
    for (const item of found) fragment.appendChild(resultItem(item));
    list.textContent = '';
    list.appendChild(fragment);
    empty.hidden = found.length > 0;
    status.textContent = statusText(found.length);
    const active = Object.keys(filters).length;
    count.hidden = active === 0;
    count.textContent = active ? ' (' + active + ')' : '';
    remember(input.value, filters);
  }

  function start(data) {
    if (!data || !Array.isArray(data.items)) throw new Error('search index without items');
    index = data;
    for (const select of selects) {
      const values = facetValues(index, select.dataset.facet);
      if (!values.length) { select.parentNode.remove(); continue; }
      for (const value of values) select.appendChild(new Option(capitalise(typo(value)), value));
    }
    selects.splice(0, selects.length, ...selects.filter((s) => s.isConnected));
    recall();
    if (selects.some((s) => s.value) || window.matchMedia('(min-width: 48em)').matches) details.open = true;
    if (!selects.length) details.remove();

    input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(update, 100); });
    for (const select of selects) select.addEventListener('change', update);
    form.addEventListener('submit', (event) => { event.preventDefault(); update(); });
    form.addEventListener('reset', () => setTimeout(update, 0));

    $('search-nojs').hidden = true;
    form.hidden = false;
    update();
  }

  function unavailable(error) {
    status.textContent = label('unavailable');
    $('search-nojs').hidden = true;
    if (window.console) console.warn('vitrine search:', error);
  }

  try {
    if (window.VITRINE_SEARCH_INDEX) {
      start(window.VITRINE_SEARCH_INDEX);
    } else {
      fetch(box.getAttribute('data-index'))
        .then((response) => {
          if (!response.ok) throw new Error('HTTP ' + response.status);
          return response.json();
        })
        .then(start)
        .catch(unavailable);
    }
  } catch (error) {
    unavailable(error);
  }
})();
