//! How the published pages are ordered and grouped: each section's list,
//! programmes and their testimonials, taxonomy terms.
//!
//! Computed from the content alone, before any template runs. A `serve`
//! rebuild keeps the last [`Lists`] when the edited pages kept their place
//! (same title, date, weight, terms), which on a large site saves re-sorting
//! every list for a change of one body.

use std::collections::{BTreeMap, HashMap};

use crate::config::{Config, Taxonomy};
use crate::content::{collation_key, Content, Details, Kind, Page, SortBy};
use crate::diagnostics::Diagnostic;
use crate::i18n;
use crate::slug::term_slug;

/// Most values a page may give `tags:`. Each value gets a list page that
/// shows the page's card with all its tags: 10 000 tags on one page made
/// 10 000 pages of 10 000 links each (25 MB for 2 000 tags).
pub const MAX_TERMS_PER_PAGE: usize = 100;

/// Most different values of one taxonomy field on the whole site (each one
/// is a list page).
pub const MAX_TERMS: usize = 20_000;

/// One term of a taxonomy, with the published pages carrying it.
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// Newest first.
    pub pages: Vec<usize>,
}

/// The site's lists, by page index into [`Content::pages`].
#[derive(Debug, Default, Clone)]
pub struct Lists {
    /// Published pages of each section, sorted as the section asks.
    pub section_pages: Vec<Vec<usize>>,
    /// Published programme pages by slug.
    pub programmes: HashMap<String, usize>,
    /// Published testimonials of each programme (by slug), newest first.
    pub testimonials_by_programme: HashMap<String, Vec<usize>>,
    /// Terms of each enabled taxonomy, by slug.
    pub taxonomies: BTreeMap<Taxonomy, Vec<Term>>,
    /// Every published testimonial, newest first (home and search pages).
    pub testimonials: Vec<usize>,
    /// Every published programme, by title.
    pub programme_pages: Vec<usize>,
    /// Every published page, newest first (the search index).
    pub published_by_date: Vec<usize>,
}

impl Lists {
    pub fn new(content: &Content, config: &Config) -> Lists {
        let pages = &content.pages;
        // One sort by date: a sorted list filtered stays sorted, so the
        // newest-first lists below are taken from it, not sorted again.
        let mut by_date: Vec<usize> = content.published().map(|(i, _)| i).collect();
        sort_pages(&mut by_date, pages, SortBy::Date);
        let mut lists = Lists::default();
        let mut sections: Vec<Vec<usize>> = vec![Vec::new(); content.sections.len()];
        for &i in &by_date {
            let page = &pages[i];
            if let Some(list) = sections.get_mut(page.section) {
                list.push(i);
            }
            match page.kind {
                Kind::Programme => {
                    lists.programmes.insert(page.slug.clone(), i);
                    lists.programme_pages.push(i);
                }
                Kind::Testimonial => lists.testimonials.push(i),
                Kind::Page => {}
            }
        }
        for &i in &by_date {
            if let Details::Testimonial(t) = &pages[i].meta.details {
                let programme = t.programme.as_ref();
                if let Some(slug) = programme.filter(|s| lists.programmes.contains_key(*s)) {
                    lists
                        .testimonials_by_programme
                        .entry(slug.clone())
                        .or_default()
                        .push(i);
                }
            }
        }
        sort_pages(&mut lists.programme_pages, pages, SortBy::Title);
        for (list, section) in sections.iter_mut().zip(&content.sections) {
            let sort_by = section_sort(section);
            if sort_by != SortBy::Date {
                sort_pages(list, pages, sort_by);
            }
        }
        lists.section_pages = sections;
        lists.taxonomies = collect_taxonomies(content, config, &lists.programmes, &by_date);
        lists.published_by_date = by_date;
        lists
    }

    /// The lists once the `changed` pages took their new place (new title,
    /// date or weight; same publication status and terms): each is put back
    /// where its list's order says, the other pages keep their order, no
    /// list is sorted again. `None` when a page ties with another.
    pub fn moved(&self, content: &Content, changed: &[usize]) -> Option<Lists> {
        let pages = &content.pages;
        let mut lists = self.clone();
        let date = SortBy::Date;
        place(&mut lists.published_by_date, changed, pages, date)?;
        place(&mut lists.testimonials, changed, pages, date)?;
        place(&mut lists.programme_pages, changed, pages, SortBy::Title)?;
        for list in lists.testimonials_by_programme.values_mut() {
            place(list, changed, pages, date)?;
        }
        for term in lists.taxonomies.values_mut().flatten() {
            place(&mut term.pages, changed, pages, date)?;
        }
        for (list, section) in lists.section_pages.iter_mut().zip(&content.sections) {
            place(list, changed, pages, section_sort(section))?;
        }
        Some(lists)
    }

    pub fn section_pages(&self, section: usize) -> &[usize] {
        self.section_pages
            .get(section)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// A front matter field whose values are taxonomy terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TermField {
    Tags,
    /// A testimonial's `organisation` and a programme's `organiser`: both
    /// are terms of the `organisations` taxonomy.
    Organisations,
    Levels,
}

impl TermField {
    const ALL: [TermField; 3] = [TermField::Tags, TermField::Organisations, TermField::Levels];

    /// The field's key in `page`, for messages.
    fn key(self, page: &Page) -> &'static str {
        match (self, page.kind) {
            (TermField::Tags, _) => "tags",
            (TermField::Organisations, Kind::Programme) => "organiser",
            (TermField::Organisations, _) => "organisation",
            (TermField::Levels, _) => "level",
        }
    }

    fn code(self) -> &'static str {
        match self {
            TermField::Tags => "tag-variant",
            TermField::Organisations | TermField::Levels => "term-variant",
        }
    }

    fn values(self, page: &Page) -> Vec<&str> {
        let values: Vec<&str> = match (self, &page.meta.details) {
            (TermField::Tags, _) => page.meta.common.tags.iter().map(String::as_str).collect(),
            (TermField::Organisations, Details::Testimonial(t)) => {
                t.organisation.iter().map(String::as_str).collect()
            }
            (TermField::Organisations, Details::Programme(p)) => vec![p.organiser.as_str()],
            (TermField::Levels, Details::Testimonial(t)) => {
                t.level.iter().map(String::as_str).collect()
            }
            _ => Vec::new(),
        };
        values
            .into_iter()
            .filter(|v| !v.trim().is_empty())
            .collect()
    }

    fn values_mut(self, page: &mut Page) -> Vec<&mut String> {
        match (self, &mut page.meta.details) {
            (TermField::Tags, _) => page.meta.common.tags.iter_mut().collect(),
            (TermField::Organisations, Details::Testimonial(t)) => {
                t.organisation.iter_mut().collect()
            }
            (TermField::Organisations, Details::Programme(p)) => vec![&mut p.organiser],
            (TermField::Levels, Details::Testimonial(t)) => t.level.iter_mut().collect(),
            _ => Vec::new(),
        }
    }
}

/// Gives each term of the published pages one spelling: values that differ
/// only by accents or case (« Éducation », « Education ») are one term, shown
/// everywhere (cards, term pages, JSON-LD, search) with its most used
/// spelling, ties going to the first in French order. Each page using
/// another spelling gets a warning at its line (kept with the page, so every
/// rebuild reports it). Also refuses a page with more than
/// [`MAX_TERMS_PER_PAGE`] tags (cut to that many, so the rest of the build
/// stays quick) and a site with more than [`MAX_TERMS`] values of one field.
/// Linear in the number of values.
pub fn unify_terms(content: &mut Content) -> Vec<Diagnostic> {
    let mut errors = letterless_terms(content);
    for page in content.pages.iter_mut().filter(|p| p.is_published()) {
        let count = page.meta.common.tags.len();
        if count > MAX_TERMS_PER_PAGE {
            errors.push(
                Diagnostic::error(
                    "too-many-terms",
                    i18n::too_many_terms("tags", count, MAX_TERMS_PER_PAGE),
                )
                .at(page.locate("tags"))
                .help(i18n::hint_too_many_terms()),
            );
            page.meta.common.tags.truncate(MAX_TERMS_PER_PAGE);
        }
    }
    for field in TermField::ALL {
        // slug → spelling → pages using it; slugs made once per spelling.
        let mut spellings: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
        let mut slugs: HashMap<String, String> = HashMap::new();
        let mut too_many = false;
        for page in content.pages.iter().filter(|p| p.is_published()) {
            let mut seen: Vec<&str> = Vec::new();
            for value in field.values(page) {
                if seen.contains(&value) {
                    continue;
                }
                seen.push(value);
                // Letterless values were taken off (reported).
                let Some(slug) = term_slug(value) else {
                    continue;
                };
                let slug = slugs.entry(value.to_string()).or_insert(slug);
                if !spellings.contains_key(slug.as_str())
                    && spellings.len() == MAX_TERMS
                    && !too_many
                {
                    too_many = true;
                    errors.push(
                        Diagnostic::error(
                            "too-many-terms",
                            i18n::too_many_terms_site(field.key(page), MAX_TERMS),
                        )
                        .at(page.locate(field.key(page)))
                        .help(i18n::hint_too_many_terms_site()),
                    );
                }
                *spellings
                    .entry(slug.clone())
                    .or_default()
                    .entry(value.to_string())
                    .or_default() += 1;
            }
        }
        // The spelling of each term written several ways, and its count.
        let labels: HashMap<String, (String, usize)> = spellings
            .into_iter()
            .filter(|(_, names)| names.len() > 1)
            .filter_map(|(slug, names)| {
                let label = most_used(&names)?;
                let count = names.get(&label).copied().unwrap_or(0);
                Some((slug, (label, count)))
            })
            .collect();
        if labels.is_empty() {
            continue;
        }
        for page in content.pages.iter_mut().filter(|p| p.is_published()) {
            let key = field.key(page);
            let written: Vec<String> = field.values(page).into_iter().map(String::from).collect();
            let mut warnings = Vec::new();
            for value in field.values_mut(page) {
                let Some((label, count)) = slugs.get(value.as_str()).and_then(|s| labels.get(s))
                else {
                    continue;
                };
                if value != label {
                    // The label may be written on this very page too.
                    let here = written.contains(label);
                    let elsewhere = count - usize::from(here);
                    warnings.push((value.clone(), label.clone(), here, elsewhere));
                    value.clone_from(label);
                }
            }
            for (written, label, here, elsewhere) in warnings {
                let message = i18n::term_variant(&written, &label, here, elsewhere);
                let warning = Diagnostic::warning(field.code(), message)
                    .at(page.locate_value(key, &written))
                    .help(i18n::hint_term_variant(&label));
                page.meta.warnings.push(warning);
            }
            // « Éducation » and « Education » on one page are one tag now.
            if field == TermField::Tags {
                let mut kept: Vec<String> = Vec::new();
                page.meta.common.tags.retain(|t| {
                    let slug = slugs
                        .get(t)
                        .cloned()
                        .or_else(|| term_slug(t))
                        .unwrap_or_default();
                    let new = !kept.contains(&slug);
                    kept.push(slug);
                    new
                });
            }
        }
    }
    errors
}

/// Refuses the terms without a letter or a digit (« !!! »), which would
/// have no address, at their line: on published pages, taken off so that
/// no list is made of them, and on pages read with errors of their own
/// (never published), so that one run reports every mistake.
fn letterless_terms(content: &mut Content) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let published = content.pages.iter_mut().filter(|p| p.is_published());
    for page in published.chain(content.partial.iter_mut()) {
        for field in TermField::ALL {
            let key = field.key(page);
            let mut letterless: Vec<String> = Vec::new();
            for value in field.values(page) {
                if term_slug(value).is_none() && !letterless.iter().any(|v| v == value) {
                    letterless.push(value.to_string());
                }
            }
            for value in &letterless {
                let message = match field {
                    TermField::Tags => i18n::letterless_tag(value),
                    _ => i18n::letterless_term(key, value),
                };
                errors.push(
                    Diagnostic::error("letterless-term", message)
                        .at(page.locate_value(key, value))
                        .help(i18n::hint_letterless_term()),
                );
            }
            if !letterless.is_empty() {
                for value in field.values_mut(page) {
                    if letterless.contains(value) {
                        value.clear();
                    }
                }
                page.meta.common.tags.retain(|t| !t.is_empty());
            }
        }
    }
    errors
}

/// The most used spelling, ties going to the first in French order.
fn most_used(names: &BTreeMap<String, usize>) -> Option<String> {
    names
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| collate(b.0, a.0)))
        .map(|(n, _)| n.clone())
}

/// What places a page in the lists, besides its publication status and
/// terms: two versions of a page with the same place leave every list as it
/// was.
pub fn same_place(a: &Page, b: &Page) -> bool {
    let (a, b) = (&a.meta.common, &b.meta.common);
    a.title == b.title && a.date == b.date && a.weight == b.weight
}

/// French-friendly ordering: accents and case folded first (« École » sorts
/// with E), the exact text breaking ties.
pub fn collate(a: &str, b: &str) -> std::cmp::Ordering {
    collation_key(a)
        .cmp(&collation_key(b))
        .then_with(|| a.cmp(b))
}

/// How a section's pages are ordered.
fn section_sort(section: &crate::content::Section) -> SortBy {
    section.meta.sort_by.unwrap_or(match section.kind {
        Kind::Testimonial => SortBy::Date,
        Kind::Programme | Kind::Page => SortBy::Title,
    })
}

/// Sorts page indices: newest first, by title, or by weight (then title).
/// Titles compare by their folded key, computed at load.
pub fn sort_pages(list: &mut [usize], pages: &[Page], sort_by: SortBy) {
    list.sort_by_cached_key(|&i| sort_key(&pages[i], sort_by));
}

/// What `sort_pages` orders by: two published pages never tie (their paths
/// differ).
fn sort_key(page: &Page, sort_by: SortBy) -> (Primary, &str, &str, &str) {
    let c = &page.meta.common;
    let primary = match sort_by {
        // Newest first: reverse the date.
        SortBy::Date => Primary::Date(std::cmp::Reverse(c.date)),
        SortBy::Title => Primary::None,
        SortBy::Weight => Primary::Weight(c.weight.unwrap_or(i64::MAX)),
    };
    (
        primary,
        page.sort_title.as_str(),
        c.title.as_str(),
        page.path.as_str(),
    )
}

/// Takes the `changed` pages `list` holds out of it and puts each back at
/// its place in the order of `sort_by`; `None` on a tie.
fn place(list: &mut Vec<usize>, changed: &[usize], pages: &[Page], sort_by: SortBy) -> Option<()> {
    let held: Vec<usize> = changed
        .iter()
        .copied()
        .filter(|i| list.contains(i))
        .collect();
    if held.is_empty() {
        return Some(());
    }
    list.retain(|i| !held.contains(i));
    for i in held {
        let key = sort_key(&pages[i], sort_by);
        let at = list.binary_search_by(|&j| sort_key(&pages[j], sort_by).cmp(&key));
        list.insert(at.err()?, i);
    }
    Some(())
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Primary {
    None,
    Date(std::cmp::Reverse<Option<crate::dates::Date>>),
    Weight(i64),
}

/// Terms of each enabled taxonomy; names folding to the same slug merge.
/// Pages are taken newest first (`by_date`), so each term's list is too.
fn collect_taxonomies(
    content: &Content,
    config: &Config,
    programmes: &HashMap<String, usize>,
    by_date: &[usize],
) -> BTreeMap<Taxonomy, Vec<Term>> {
    let mut result = BTreeMap::new();
    for &taxonomy in &config.taxonomies {
        // slug → (name → count of pages using that spelling, pages)
        let mut terms: BTreeMap<String, (BTreeMap<String, usize>, Vec<usize>)> = BTreeMap::new();
        // A site has few distinct terms on many pages: slug each spelling once.
        let mut slugs: HashMap<String, String> = HashMap::new();
        for &i in by_date {
            let page = &content.pages[i];
            for name in term_names(taxonomy, page, content, programmes) {
                let slug = match slugs.get(&name) {
                    Some(slug) => slug.clone(),
                    None => {
                        // Letterless: refused by the rules, and no page.
                        let Some(slug) = term_slug(&name) else {
                            continue;
                        };
                        slugs.insert(name.clone(), slug.clone());
                        slug
                    }
                };
                let entry = terms.entry(slug).or_default();
                *entry.0.entry(name).or_default() += 1;
                // A page's terms come together: one naming a term twice is last.
                if entry.1.last() != Some(&i) {
                    entry.1.push(i);
                }
            }
        }
        let list = terms
            .into_iter()
            .map(|(slug, (names, pages))| {
                // The most used spelling names the merged term (the rules
                // already gave published pages one spelling per term).
                let name = most_used(&names).unwrap_or_default();
                Term { name, slug, pages }
            })
            .collect();
        result.insert(taxonomy, list);
    }
    result
}

fn term_names(
    taxonomy: Taxonomy,
    page: &Page,
    content: &Content,
    programmes: &HashMap<String, usize>,
) -> Vec<String> {
    let c = &page.meta.common;
    match (&page.meta.details, taxonomy) {
        (_, Taxonomy::Tags) => c
            .tags
            .iter()
            .filter(|t| !t.trim().is_empty())
            .cloned()
            .collect(),
        (Details::Testimonial(t), Taxonomy::Organisations) => {
            t.organisation.iter().cloned().collect()
        }
        (Details::Programme(p), Taxonomy::Organisations) => vec![p.organiser.clone()],
        (Details::Testimonial(t), Taxonomy::Levels) => t.level.iter().cloned().collect(),
        (Details::Testimonial(t), Taxonomy::Programmes) => t
            .programme
            .as_ref()
            .and_then(|slug| programmes.get(slug))
            .map(|i| vec![content.pages[*i].title().to_string()])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_collation_sorts_accents_with_their_letter() {
        let mut words = vec!["Fromage", "École", "Dauphin", "eau"];
        words.sort_by(|a, b| collate(a, b));
        assert_eq!(words, ["Dauphin", "eau", "École", "Fromage"]);
    }
}
