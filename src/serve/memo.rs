//! What `serve` keeps between rebuilds, and what a change affects.
//!
//! A build runs `site`'s stages once: settle → prepare → finish → write.
//! After a save, [`Session::rebuild`] runs the same stages on what changed:
//! the saved pages are read again and their bodies rendered, the last
//! build's content, cards, lists and search entries are reused, and only
//! the pages that show something of the saved ones are filled again
//! ([`Affected`]); only files whose bytes changed are rewritten. A change
//! that is not local (a new page, a new term, a consent that ends) is a
//! full build. `tests/incremental.rs` checks that every rebuild gives
//! exactly the files of a full build.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::config::Taxonomy;
use crate::content::rules;
use crate::content::{self, Content, Details, Item, Kind};
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Report};
use crate::images::Images;
use crate::lists::{self, Lists};
use crate::markdown::{AnchorRef, Rendered};
use crate::output::{self, OutputFile};
use crate::render::{self, page_count, page_size, Job, Model, SearchPlan, Selection};
use crate::site::{self, BuildOptions, Outcome, Prepared, Settled, Stopwatch};
use crate::templates::Engine;
use crate::views::Cards;

use super::deferred::Deferred;

/// The state `serve` keeps between builds, so that saving one page
/// re-renders only the pages that show it, and rewrites only the files whose
/// bytes changed.
pub struct Session {
    options: BuildOptions,
    /// The last successful build; `None` forces a full one.
    last: Option<Kept>,
    /// Hash of every file written, by output path.
    written: HashMap<String, blake3::Hash>,
    /// The compiled templates, kept while they do not change.
    engine: Option<crate::templates::Engine>,
    /// What [`Session::rebuild_deferring`] leaves to write after the reload
    /// event: the output folder and the files.
    pending: Option<(PathBuf, Vec<OutputFile>)>,
    /// Holds requests for the pending files until they are written.
    deferred: Deferred,
}

/// Files a rebuild writes after the reload event: no page loads them.
const DEFERRED_FILES: [&str; 1] = [crate::urls::SEARCH_INDEX_FILE];

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            last: None,
            written: HashMap::new(),
            engine: None,
            pending: None,
            deferred: Deferred::default(),
        }
    }

    /// Lets requests for the files written after the reload event wait for
    /// them (the server's side of `deferred`).
    pub(crate) fn deferring(mut self, deferred: Deferred) -> Session {
        self.deferred = deferred;
        self
    }

    /// URL paths (under the base, `temoignages/lea/`) of the drafts the
    /// last good build published (with `drafts`), for the preview to mark.
    pub fn draft_paths(&self) -> HashSet<String> {
        let Some(last) = &self.last else {
            return HashSet::new();
        };
        last.content
            .pages
            .iter()
            .filter(|p| p.meta.common.draft && p.is_published())
            .map(|p| p.path.clone())
            .collect()
    }

    /// Rebuilds after `changed` files (absolute paths; empty: everything),
    /// and writes every file.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Outcome {
        let mut outcome = self.rebuild_deferring(changed);
        if let Some(problem) = self.write_deferred() {
            outcome.report.push(problem);
        }
        outcome
    }

    /// [`Session::rebuild`], but the files no page loads (`search.json`)
    /// are left for [`Session::write_deferred`], after the reload event;
    /// until then, requests for them wait.
    pub(crate) fn rebuild_deferring(&mut self, changed: &[PathBuf]) -> Outcome {
        // Left by a caller that did not write them: before anything else.
        let late = self.write_deferred();
        let started = Instant::now();
        let mut outcome = Outcome::default();
        let incremental = self.incremental(changed);
        let result = if outcome.report.has_errors() {
            Ok(())
        } else {
            self.build_and_write(incremental, &mut outcome)
        };
        if let Err(diagnostics) = result {
            outcome.report.extend(diagnostics);
        }
        if outcome.report.has_errors() {
            // The last good build lacks what is wrong now: rebuilt from it,
            // the next save of another page would no longer say the error.
            self.last = None;
        }
        outcome.report.extend(late);
        outcome.report = std::mem::take(&mut outcome.report).sorted();
        outcome.elapsed = started.elapsed();
        outcome
    }

    /// Writes the files [`Session::rebuild_deferring`] left, if any, and
    /// lets their requests go on. The problem, if writing failed.
    pub(crate) fn write_deferred(&mut self) -> Option<Diagnostic> {
        let result = match self.pending.take() {
            Some((out, files)) => output::write_changed(&out, files, &mut self.written).err(),
            None => None,
        };
        self.deferred.end();
        result
    }

    /// The last build with the changed pages read again, when the change is
    /// local: only existing pages, same URL and kind, same publication status
    /// and taxonomy terms. `None` means a full build.
    fn incremental(&mut self, changed: &[PathBuf]) -> Option<Incremental> {
        if changed.is_empty() {
            return None;
        }
        let last = self.last.as_ref()?;
        if last.day != Date::today().day_only() {
            // A consent may have ended since: what is published may change.
            return None;
        }
        let content_dir = last
            .content
            .root
            .canonicalize()
            .ok()?
            .join(content::CONTENT_DIR);
        let mut indices = Vec::new();
        for path in changed {
            // A removed page leaves lists and may bring back the page vitrine
            // makes in its place (a legal page): a full build.
            if !path.is_file() {
                return None;
            }
            let in_content = path.strip_prefix(&content_dir).ok()?;
            let rel = content::rel_path(Path::new(""), in_content);
            let Some(Item::Page(i)) = last.content.item(&rel) else {
                return None;
            };
            // A writer's file in place of a page vitrine made (a legal page
            // overridden): a new page, which only a full build reads.
            if last.content.pages[i].is_generated() {
                return None;
            }
            indices.push(i);
        }
        let mut reloaded = Vec::new();
        for &i in &indices {
            // A page that no longer reads: a full build says it with every
            // other word of the site, as `build` would.
            reloaded.push((i, content::reload_page(&last.content, i).ok()?));
        }
        let mut same_place = true;
        let mut dated = false;
        for (i, page) in &reloaded {
            let old = &last.content.pages[*i];
            let same_url = page.path == old.path && page.kind == old.kind;
            let same_status = page.meta.common.draft == old.meta.common.draft
                && consent_dates(page) == consent_dates(old)
                && rules::same_people(page, old);
            // A programme's title also names its taxonomy term (a new page).
            let renamed = page.kind == content::Kind::Programme && page.title() != old.title();
            // A page of the site's root is in every page's menu.
            let in_menu = page.section == 0 && !lists::same_place(page, old);
            if !same_url || !same_status || renamed || in_menu || terms(page) != terms(old) {
                return None;
            }
            same_place &= lists::same_place(page, old);
            dated |= last_change(page) != last_change(old);
        }
        let last = self.last.take()?;
        Some(Incremental {
            last,
            changed: indices,
            reloaded,
            same_place,
            dated,
        })
    }

    fn build_and_write(
        &mut self,
        incremental: Option<Incremental>,
        outcome: &mut Outcome,
    ) -> Result<(), Vec<Diagnostic>> {
        let options = &self.options;
        let settled = site::settle(options)?;
        let mut watch = Stopwatch::new(options);
        let again = incremental.and_then(|inc| prepare_again(inc, &settled, outcome));
        let (finished, said) = match again {
            Some((prepared, since, said)) => {
                let finished = site::finish(
                    options,
                    settled,
                    prepared,
                    false,
                    outcome,
                    &mut self.engine,
                    |input, engine| render_again(input, since, engine),
                );
                (finished, said)
            }
            // A full build, also when the changed pages now use other files
            // of `content/`: it publishes exactly those.
            None => {
                let before = outcome.report.items().len();
                let prepared = site::prepare(options, &settled, outcome, &mut watch);
                // What the content said, kept for the next rebuilds.
                let said = Said {
                    diagnostics: outcome.report.items()[before..].to_vec(),
                    expiring: outcome.expiring.clone(),
                };
                let finished = site::finish(
                    options,
                    settled,
                    prepared,
                    true,
                    outcome,
                    &mut self.engine,
                    |input, engine| render::render(input, None, None, engine),
                );
                (finished, said)
            }
        };
        let built = match finished {
            Ok(Some(built)) => built,
            // A failed incremental build consumed the last one: the next
            // change rebuilds everything.
            other => return other.map(|_| ()),
        };
        let written = &mut self.written;
        let out = built.destination.path().to_path_buf();
        let paths: HashSet<String> = built.files.iter().map(|f| f.path.clone()).collect();
        let full = built.full;
        let (kept, files) = Kept::from_built(built, said);
        let (later, files): (Vec<OutputFile>, Vec<OutputFile>) = files
            .into_iter()
            .partition(|f| DEFERRED_FILES.contains(&f.path.as_str()));
        // Before any file of this build is there: never the last index
        // with the new pages.
        self.deferred
            .begin(later.iter().map(|f| f.path.clone()).collect());
        self.pending = Some((out.clone(), later));
        output::write_changed(&out, files, written).map_err(|d| vec![d])?;
        if full {
            // A full build may have fewer files than the last one.
            written.retain(|path, _| paths.contains(path));
            output::remove_others(&out, &paths).map_err(|d| vec![d])?;
        } else {
            let parts: HashSet<String> = kept.search.part_paths().collect();
            remove_stale_search_parts(&out, written, &parts);
        }
        watch.lap(outcome, "write");
        outcome.output = Some(out);
        self.last = Some(kept);
        Ok(())
    }
}

/// The search index's parts are named by their contents: those the index
/// no longer names (`parts`, all of them, made again or kept) are removed.
fn remove_stale_search_parts(
    out: &Path,
    written: &mut HashMap<String, blake3::Hash>,
    parts: &HashSet<String>,
) {
    let dir = crate::urls::SEARCH_PARTS_DIR;
    if parts.is_empty() {
        return;
    }
    written.retain(|path, _| {
        let stale = path.starts_with(dir) && !parts.contains(path);
        if let Some(file) = stale.then(|| output::safe_join(out, path)).flatten() {
            let _ = std::fs::remove_file(file);
        }
        !stale
    });
}

/// What a build made that the next `serve` rebuild can start from.
struct Kept {
    content: Content,
    cards: Arc<crate::views::Cards>,
    lists: Arc<Lists>,
    search: crate::search::Entries,
    page_bodies: Arc<Vec<Option<Rendered>>>,
    section_bodies: Vec<Rendered>,
    images: Images,
    /// The files of `content/` published ([`published_files`]).
    published: HashSet<PathBuf>,
    /// The day publication rules were applied for: consents end at midnight.
    day: Date,
    /// What reading the content said of the site.
    said: Said,
}

/// What reading the content (rules, bodies, links…) says of a site, or of
/// some pages: a rebuild takes the changed pages' part out of the last
/// build's and puts their new part in, so that every page's warnings stay
/// in view without checking every page again.
#[derive(Default)]
struct Said {
    diagnostics: Vec<Diagnostic>,
    /// Consents ending soon (for `check`).
    expiring: Vec<Diagnostic>,
}

impl Said {
    /// What the content stage says of the pages at `pages`: `rules` (what
    /// the publication rules say of them) with the pictures and videos of
    /// other sites they load, their bodies' problems, their `#anchor` links
    /// and `linking` (those of other pages to them), and with `surnames`, a
    /// minor's surname shown by their rendered text.
    fn of_pages(
        content: &Content,
        bodies: (&[Option<Rendered>], &[Rendered]),
        (pages, linking): (&[usize], &[AnchorRef]),
        rules: (Vec<Diagnostic>, Vec<Diagnostic>),
        own_host: Option<&str>,
        surnames: bool,
    ) -> Said {
        let (page_bodies, section_bodies) = bodies;
        let mut report = Report::new();
        report.extend(rules.0);
        for &i in pages {
            report.extend(rules::third_party::check_page(content, i, own_host));
        }
        let anchors = site::anchors_of(content, page_bodies, section_bodies, pages, linking);
        report.extend(anchors);
        if surnames {
            let hidden = site::surnames_as_rendered(content, page_bodies, Some(pages), &report);
            report.extend(hidden);
        }
        Said {
            diagnostics: report.items().to_vec(),
            expiring: rules.1,
        }
    }

    /// `self` without one of each diagnostic of `part`.
    fn without(mut self, part: Said) -> Said {
        take_out(&mut self.diagnostics, part.diagnostics);
        take_out(&mut self.expiring, part.expiring);
        self
    }

    fn with(mut self, part: Said) -> Said {
        self.diagnostics.extend(part.diagnostics);
        self.expiring.extend(part.expiring);
        self
    }

    /// Whether a diagnostic is about one of `files`: then it was said of
    /// those pages by a check that [`Said::of_pages`] does not redo (the
    /// spelling of terms, made one by a full build only).
    fn names_any(&self, files: &[&Path]) -> bool {
        let located = self.diagnostics.iter().filter_map(|d| d.location.as_ref());
        located
            .map(|l| l.file.as_path())
            .any(|f| files.contains(&f))
    }
}

/// Removes from `all` one occurrence of each of `part`.
fn take_out(all: &mut Vec<Diagnostic>, part: Vec<Diagnostic>) {
    for d in part {
        if let Some(at) = all.iter().position(|a| *a == d) {
            all.remove(at);
        }
    }
}

impl Kept {
    /// What to keep of a build, and the files it made.
    fn from_built(built: site::Built, said: Said) -> (Kept, Vec<OutputFile>) {
        let kept = Kept {
            content: built.content,
            cards: built.cards,
            lists: built.lists,
            search: built.search,
            page_bodies: built.page_bodies,
            section_bodies: built.section_bodies,
            images: built.images,
            published: built.published,
            day: built.day,
            said,
        };
        (kept, built.files)
    }
}

/// A `serve` rebuild: the last build with the pages at `changed` read again.
struct Incremental {
    last: Kept,
    changed: Vec<usize>,
    /// The changed pages as read again, by index.
    reloaded: Vec<(usize, content::Page)>,
    /// Whether the changed pages kept their place in every list (same
    /// title, date and weight): the last lists then still hold.
    same_place: bool,
    /// Whether a changed page's last change (`updated`, else `date`)
    /// changed: the sitemap shows it.
    dated: bool,
}

/// What a rebuild compares with or reuses from the last build.
struct Since {
    changed: Vec<usize>,
    cards: Arc<crate::views::Cards>,
    lists: Arc<Lists>,
    /// Whether `lists` still hold (the changed pages kept their place).
    same_place: bool,
    dated: bool,
    search: crate::search::Entries,
    /// What the search index held of each changed page.
    old_search_text: HashMap<usize, String>,
}

/// A rebuild's first steps: the last build's content with the changed pages
/// (already read again), their bodies rendered again, what the last build
/// said of them replaced by what is said of them now. `None` (and nothing
/// reported) when the pages now use other files of `content/` than the last
/// build published (only a full build writes and removes files), or when
/// the last build said something of them that only a full build says again.
fn prepare_again(
    incremental: Incremental,
    settled: &Settled,
    outcome: &mut Outcome,
) -> Option<(Prepared, Since, Said)> {
    let Settled {
        config,
        urls,
        publication,
        ..
    } = settled;
    let publication = *publication;
    let Incremental {
        last,
        changed,
        reloaded,
        same_place,
        dated,
    } = incremental;
    let Kept {
        mut content,
        cards,
        lists,
        search,
        page_bodies,
        section_bodies,
        images,
        published: last_published,
        day: _,
        said,
    } = last;
    let page_bodies = Arc::try_unwrap(page_bodies).unwrap_or_else(|shared| (*shared).clone());
    let own_host = urls.own_host();
    let bodies = (&page_bodies[..], &section_bodies[..]);
    // A minor's surname is an error: the last build, which had none, said
    // nothing of it to take out.
    let rules_before = rules::page_checks(&content, publication, &changed);
    // The other bodies are not rendered again: the same links before and after.
    let linking = site::anchors_to(&content, bodies.0, bodies.1, &changed);
    let pages = (&changed[..], &linking[..]);
    let before = Said::of_pages(&content, bodies, pages, rules_before, own_host, false);
    let said = said.without(before);
    let files: Vec<&Path> = changed
        .iter()
        .filter_map(|&i| Some(content.pages.get(i)?.file.as_path()))
        .collect();
    if said.names_any(&files) {
        return None;
    }
    for (i, page) in reloaded {
        content.pages[i] = page;
    }
    let rules_now = rules::apply_again(&mut content, publication, &changed);
    let old_search_text = changed
        .iter()
        .filter_map(|&i| {
            let body = page_bodies.get(i)?.as_ref()?;
            Some((i, crate::search::indexed_text(body).ok()?))
        })
        .collect();
    let previous = site::Previous {
        page_bodies,
        section_bodies,
        changed: &changed,
    };
    // Their diagnostics are in `now` below.
    let mut unused_report = Report::new();
    let (page_bodies, section_bodies) = site::render_bodies(
        &content,
        config,
        urls,
        &images,
        &mut unused_report,
        Some(previous),
    );
    // Files left unpublished are said by the last build (the same files).
    let (published, _) = site::published_files(&content, &page_bodies, &section_bodies);
    if published != last_published {
        return None;
    }
    let bodies = (&page_bodies[..], &section_bodies[..]);
    let pages = (&changed[..], &linking[..]);
    let now = Said::of_pages(&content, bodies, pages, rules_now, own_host, true);
    let said = said.with(now);
    outcome.report.extend(said.diagnostics.iter().cloned());
    outcome.expiring = said.expiring.clone();
    outcome.next_expiry = site::next_expiry(&content, publication);
    let prepared = Prepared {
        content,
        images,
        variant_files: Vec::new(),
        published,
        page_bodies,
        section_bodies,
    };
    let since = Since {
        changed,
        cards,
        lists,
        same_place,
        dated,
        search,
        old_search_text,
    };
    Some((prepared, since, said))
}

/// The templates filled again for a rebuild: the changed pages' cards and
/// the last lists reused where they still hold, and only the pages, feeds
/// and search index the change affects.
fn render_again(
    input: &render::Input,
    since: Since,
    engine: &mut Option<Engine>,
) -> render::Rendering {
    // The changed pages' cards before the change, to compare.
    let before: Cards = since
        .changed
        .iter()
        .filter_map(|i| since.cards.get(i).map(|c| (*i, c.clone())))
        .collect();
    let changed = Changed {
        pages: &since.changed,
        old_cards: &before,
        old_lists: &since.lists,
        old_search_text: &since.old_search_text,
        dated: since.dated,
    };
    // The other cards are reused when nothing else holds them.
    // Pages that moved are put back in place, not every list sorted again.
    let lists = match since.same_place {
        true => Some(Arc::clone(&since.lists)),
        false => since
            .lists
            .moved(input.content, &since.changed)
            .map(Arc::new),
    };
    let reuse = Arc::try_unwrap(since.cards)
        .ok()
        .map(|cards| render::Reuse {
            cards,
            lists,
            search: since.search,
            changed: &since.changed,
        });
    let select = |model: &Model| selection(model, &changed);
    render::render(input, reuse, Some(&select), engine)
}

/// What a change affects, once the new model is built.
fn selection(model: &Model, changed: &Changed) -> Selection {
    let affected = Affected::new(model, changed);
    let programme_changed = changed
        .pages
        .iter()
        .any(|i| model.content().pages[*i].kind == Kind::Programme);
    // After an edit of a body alone, feeds, sitemap and often the search
    // index are as they were: on a large site they are most of a rebuild.
    let search = if programme_changed {
        // Testimonial entries show their programme's title.
        SearchPlan::All
    } else if changed.search_unchanged(model) {
        SearchPlan::Unchanged
    } else {
        SearchPlan::Pages(changed.pages.to_vec())
    };
    Selection {
        jobs: Box::new(move |job| affected.contains(job)),
        feeds: changed.in_feed(model),
        sitemap: changed.dated,
        search,
    }
}

/// Pages changed since the last build, and what the last build had.
struct Changed<'a> {
    pages: &'a [usize],
    old_cards: &'a Cards,
    /// The lists of the last build, to find the list pages where something moved.
    old_lists: &'a Lists,
    /// The start of each changed page's text before the change (what the
    /// search index keeps of a body).
    old_search_text: &'a HashMap<usize, String>,
    /// Whether a changed page's last change changed.
    dated: bool,
}

impl Changed<'_> {
    /// Whether the feed can differ: a changed page among its entries (before
    /// or after) changed its card or its dates.
    fn in_feed(&self, model: &Model) -> bool {
        let latest = |list: &[usize], i: &usize| {
            list.iter().take(crate::feeds::FEED_ENTRIES).any(|j| j == i)
        };
        let (old, new) = (&self.old_lists.testimonials, &model.lists().testimonials);
        let shown = self.pages.iter().any(|i| latest(old, i) || latest(new, i));
        shown && (self.dated || !self.cards_unchanged(model))
    }

    /// The changed pages whose card (what lists show: title, summary,
    /// dates…) changed too.
    fn listed(&self, model: &Model) -> Vec<usize> {
        self.pages
            .iter()
            .copied()
            .filter(|i| model.card_view(*i) != self.old_cards.get(i))
            .collect()
    }

    /// True when no list, feed or sitemap can differ: every changed page kept
    /// its card.
    fn cards_unchanged(&self, model: &Model) -> bool {
        self.listed(model).is_empty()
    }

    /// True when the search index cannot differ either.
    fn search_unchanged(&self, model: &Model) -> bool {
        self.cards_unchanged(model)
            && self.pages.iter().all(|i| {
                model
                    .body(*i)
                    .and_then(|b| crate::search::indexed_text(b).ok())
                    == self.old_search_text.get(i).cloned()
            })
    }
}

/// What shows a set of changed pages: the pages themselves and, when their
/// card changed (title, summary, quote…), their programme and its other
/// testimonials, the list pages where they appear or where others moved
/// because of them, the home page, the search page. An edit of the body
/// alone touches one page.
struct Affected {
    pages: HashSet<usize>,
    /// Section and pager page (1-based).
    sections: HashSet<(usize, usize)>,
    /// Taxonomy, term and pager page.
    terms: HashSet<(Taxonomy, usize, usize)>,
    /// Whether lists that show every page (search, taxonomy lists) change.
    lists: bool,
}

impl Affected {
    fn new(model: &Model, changed: &Changed) -> Affected {
        let content = model.content();
        let mut affected = Affected {
            pages: changed.pages.iter().copied().collect(),
            sections: HashSet::new(),
            terms: HashSet::new(),
            lists: false,
        };
        let listed = changed.listed(model);
        if listed.is_empty() {
            return affected;
        }
        affected.lists = true;
        affected.sections.insert((0, 1));
        for &i in &listed {
            let page = &content.pages[i];
            let programme = match &page.meta.details {
                Details::Testimonial(t) => t.programme.clone(),
                Details::Programme(_) => Some(page.slug.clone()),
                Details::Page => None,
            };
            if let Some(slug) = programme {
                let lists = model.lists();
                affected.pages.extend(lists.programmes.get(&slug));
                let related = lists.testimonials_by_programme.get(&slug);
                affected.pages.extend(related.into_iter().flatten());
            }
        }
        let (old, new) = (changed.old_lists, model.lists());
        for (s, section) in content.sections.iter().enumerate() {
            let size = page_size(model, section);
            for n in pagers_to_redo(old.section_pages(s), new.section_pages(s), &listed, size) {
                affected.sections.insert((s, n));
            }
        }
        let size = model.config().paginate_by.max(1);
        for (taxonomy, terms) in &new.taxonomies {
            let old_terms = old.taxonomies.get(taxonomy);
            for (k, term) in terms.iter().enumerate() {
                let before = old_terms
                    .and_then(|t| t.get(k))
                    .filter(|t| t.slug == term.slug)
                    .map_or(&[][..], |t| t.pages.as_slice());
                for n in pagers_to_redo(before, &term.pages, &listed, size) {
                    affected.terms.insert((*taxonomy, k, n));
                }
            }
        }
        affected
    }

    fn contains(&self, job: &Job) -> bool {
        match job {
            Job::Page(i) => self.pages.contains(i),
            Job::Section(s, n) => self.sections.contains(&(*s, *n)),
            Job::TaxonomyTerm(t, k, n) => self.terms.contains(&(*t, *k, *n)),
            Job::TaxonomyList(_) | Job::Search => self.lists,
            Job::NotFound => false,
        }
    }
}

/// The pager pages (1-based) of a list that must be rendered again: those
/// showing a changed card, and those whose pages moved.
fn pagers_to_redo(old: &[usize], new: &[usize], changed: &[usize], size: usize) -> Vec<usize> {
    let size = size.max(1);
    let count = page_count(new.len(), size);
    (1..=count)
        .filter(|&n| {
            let shown = chunk(new, n, size);
            shown != chunk(old, n, size) || shown.iter().any(|i| changed.contains(i))
        })
        .collect()
}

/// Page `n` (1-based) of `list` cut in pages of `size`.
fn chunk(list: &[usize], n: usize, size: usize) -> &[usize] {
    let start = ((n - 1) * size).min(list.len());
    let end = (n * size).min(list.len());
    &list[start..end]
}

/// What the sitemap and the feed show of a page's dates.
fn last_change(page: &content::Page) -> Option<Date> {
    page.meta.common.updated.or(page.meta.common.date)
}

/// What decides whether a testimonial is published.
fn consent_dates(page: &content::Page) -> Option<(Option<Date>, Option<Date>)> {
    match &page.meta.details {
        content::Details::Testimonial(t) => t.consent.as_ref().map(|c| (c.expires, c.withdrawn)),
        _ => None,
    }
}

/// Everything that places a page in taxonomy and relation pages.
fn terms(page: &content::Page) -> (Vec<String>, Option<String>, Option<String>, Option<String>) {
    let tags = page.meta.common.tags.clone();
    match &page.meta.details {
        content::Details::Testimonial(t) => (
            tags,
            t.organisation.clone(),
            t.level.clone(),
            t.programme.clone(),
        ),
        content::Details::Programme(p) => (tags, Some(p.organiser.clone()), None, None),
        content::Details::Page => (tags, None, None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn search_json_is_written_after_the_reload_and_waited_for_until_then() {
        use crate::diagnostics::Lang;
        let site = tempfile::tempdir().unwrap();
        let root = site.path().canonicalize().unwrap();
        let yaml = "title: Test\nbase_url: \"https://test.example/\"\nlanguage: fr\n";
        write(&root.join("site.yaml"), yaml);
        write(
            &root.join("content/_index.md"),
            "---\ntitle: Accueil\n---\n",
        );
        write(
            &root.join("content/temoignages/_index.md"),
            "---\ntitle: Témoignages\nkind: testimonial\n---\n",
        );
        let page = root.join("content/temoignages/lea.md");
        let text = |title: &str| {
            format!(
                "---\ntitle: \"{title}\"\ndate: 2024-03-01\nauthor:\n  name: Léa\n---\nCorps.\n"
            )
        };
        write(&page, &text("Ancien titre"));
        let out = tempfile::tempdir().unwrap();
        let mut options = BuildOptions::new(&root);
        options.output = Some(out.path().join("site"));
        let gate = Deferred::default();
        let mut session = Session::new(options).deferring(gate.clone());
        let first = session.rebuild(&[]).report;
        assert!(!first.has_errors(), "{}", first.render(false, Lang::Fr));
        let index = out.path().join("site").join(crate::urls::SEARCH_INDEX_FILE);
        let read = || std::fs::read_to_string(&index).unwrap();
        assert!(read().contains("Ancien titre"));

        write(&page, &text("Nouveau titre"));
        let outcome = session.rebuild_deferring(std::slice::from_ref(&page));
        assert!(!outcome.report.has_errors());
        // The page is there, the index not yet: a request for it waits.
        assert!(read().contains("Ancien titre"));
        let waiting = gate.clone();
        let request = std::thread::spawn(move || waiting.wait_for("search.json"));
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(!request.is_finished(), "served before it was written");
        assert!(session.write_deferred().is_none());
        request.join().unwrap();
        assert!(read().contains("Nouveau titre"));
    }

    #[test]
    fn only_pagers_that_show_a_change_are_redone() {
        // 10 pages in pages of 3: 4 pagers. Page 4 (pager 2) changed its card
        // without moving: only pager 2.
        let list: Vec<usize> = (0..10).collect();
        assert_eq!(pagers_to_redo(&list, &list, &[4], 3), [2]);
        // Page 1 moved to the end: pagers 1 to 4 all shift.
        let moved: Vec<usize> = (0..10).filter(|i| *i != 1).chain([1]).collect();
        assert_eq!(pagers_to_redo(&list, &moved, &[1], 3), [1, 2, 3, 4]);
        // Pages 6 and 7 swapped: only pager 3.
        let swapped = [0, 1, 2, 3, 4, 5, 7, 6, 8, 9];
        assert_eq!(pagers_to_redo(&list, &swapped, &[7], 3), [3]);
    }
}
