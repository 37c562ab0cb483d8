//! Machine-readable outputs: Atom feed, sitemap, robots.txt and schema.org
//! JSON-LD. Feeds and sitemap always use absolute URLs. `atom.xml` and
//! `sitemap.xml` are templates of the theme, which a site can replace like
//! any other.

use std::path::Path;

use serde::Serialize;

use crate::content::{Details, Format, Page};
use crate::diagnostics::Diagnostic;
use crate::escape::script_safe;
use crate::output::OutputFile;
use crate::render::Model;
use crate::templates::Engine;
use crate::urls::{
    pager_path, search_path, taxonomy_path, Urls, SITEMAP_FILE, SITEMAP_INDEX_TEMPLATE,
};
use crate::views::{CardView, FeedEntry, FeedView, SitemapEntry};

/// `atom.xml` (when enabled and `atom`), `sitemap.xml` and `robots.txt`
/// (with `sitemap`): a `serve` rebuild leaves out what cannot have changed.
pub fn outputs(
    model: &Model,
    engine: &Engine,
    atom: bool,
    sitemap: bool,
) -> Vec<Result<OutputFile, Diagnostic>> {
    let mut files = Vec::new();
    if sitemap {
        files.extend(sitemaps(model, engine, SITEMAP_LIMIT));
        let robots = OutputFile::text(crate::urls::ROBOTS_FILE, robots(model.urls()));
        files.push(Ok(robots));
    }
    if atom && model.config().feed {
        let mut atom = model.base_context(crate::urls::FEED_FILE);
        atom.insert("feed", &feed(model));
        let feed_file = crate::urls::FEED_FILE;
        files.push(from_template(model, engine, feed_file, feed_file, &atom));
    }
    files
}

/// URLs a sitemap may list (sitemaps.org: 50 000 at most, and 50 MB).
const SITEMAP_LIMIT: usize = 50_000;

/// `sitemap.xml` listing every page; past `limit` pages, `sitemap.xml` is
/// an index (template `sitemap_index.xml`) of `sitemap-1.xml`,
/// `sitemap-2.xml`… each listing `limit` of them (template `sitemap.xml`).
/// Rendered a part at a time, so a large site's sitemap never becomes one
/// template value of every page.
fn sitemaps(model: &Model, engine: &Engine, limit: usize) -> Vec<Result<OutputFile, Diagnostic>> {
    let entries = sitemap_entries(model);
    let parts = sitemap_parts(entries.len(), limit);
    let mut files: Vec<_> = parts
        .iter()
        .map(|(name, range)| {
            let mut context = model.base_context(name);
            context.insert("entries", entries.get(range.clone()).unwrap_or_default());
            from_template(model, engine, SITEMAP_FILE, name, &context)
        })
        .collect();
    if parts.len() > 1 {
        let mut index = model.base_context(SITEMAP_FILE);
        let urls = parts.iter().map(|(name, _)| model.urls().permalink(name));
        index.insert("sitemaps", &urls.collect::<Vec<String>>());
        let template = SITEMAP_INDEX_TEMPLATE;
        files.push(from_template(model, engine, template, SITEMAP_FILE, &index));
    }
    files
}

/// The files of a sitemap of `len` entries, and the entries each lists:
/// `sitemap.xml` alone up to `limit`, else parts of `limit` entries.
fn sitemap_parts(len: usize, limit: usize) -> Vec<(String, std::ops::Range<usize>)> {
    if len <= limit {
        return vec![(SITEMAP_FILE.to_string(), 0..len)];
    }
    let limit = limit.max(1);
    (0..len.div_ceil(limit))
        .map(|k| {
            let range = k * limit..((k + 1) * limit).min(len);
            (crate::urls::sitemap_part_file(k + 1), range)
        })
        .collect()
}

/// The file `name` at the site root, made by `template`.
fn from_template(
    model: &Model,
    engine: &Engine,
    template: &str,
    name: &str,
    context: &tera::Context,
) -> Result<OutputFile, Diagnostic> {
    let text = engine.render(template, context, Path::new(crate::config::CONFIG_FILE))?;
    Ok(OutputFile::text(name, model.urls().finish_page(text, "")))
}

/// Last significant change of a page: `updated`, else `date`.
fn last_change(page: &Page) -> Option<crate::dates::Date> {
    page.meta.common.updated.or(page.meta.common.date)
}

/// Feed readers only look at recent entries; a bounded feed stays small on
/// large sites.
pub const FEED_ENTRIES: usize = 50;

/// The latest testimonials, as `atom.xml` shows them.
fn feed<'m>(model: &'m Model) -> FeedView<'m> {
    let (content, urls) = (model.content(), model.urls());
    let latest: Vec<(usize, &Page)> = model
        .lists()
        .testimonials
        .iter()
        .take(FEED_ENTRIES)
        .map(|i| (*i, &content.pages[*i]))
        .collect();
    let updated = latest
        .iter()
        .filter_map(|(_, page)| last_change(page))
        .max()
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let entries = latest
        .into_iter()
        .map(|(i, page)| {
            let card = model.card_view(i);
            let published = page
                .meta
                .common
                .date
                .map(|d| d.rfc3339())
                .unwrap_or_else(|| updated.clone());
            let author = card.and_then(CardView::author_name).unwrap_or("");
            FeedEntry {
                title: page.title(),
                permalink: urls.permalink(&page.path),
                updated: last_change(page)
                    .map(|d| d.rfc3339())
                    .unwrap_or_else(|| published.clone()),
                published,
                author: if author.is_empty() {
                    &model.config().title
                } else {
                    author
                },
                summary: card.map_or("", |c| c.summary.as_str()),
            }
        })
        .collect();
    FeedView {
        permalink: urls.permalink(crate::urls::FEED_FILE),
        home_permalink: urls.permalink(""),
        updated,
        entries,
    }
}

/// Every page of the site, sorted by address.
fn sitemap_entries(model: &Model) -> Vec<SitemapEntry> {
    let (content, urls) = (model.content(), model.urls());
    let entry = |path: &str, updated: Option<String>| SitemapEntry {
        permalink: urls.permalink(path),
        updated,
    };
    let mut entries: Vec<SitemapEntry> = Vec::new();
    for (_, page) in content.published() {
        entries.push(entry(&page.path, last_change(page).map(|d| d.iso_day())));
    }
    for section in &content.sections {
        entries.push(entry(&section.path, None));
    }
    for (taxonomy, terms) in &model.lists().taxonomies {
        let base = taxonomy_path(*taxonomy, model.lang());
        entries.push(entry(base, None));
        for term in terms {
            entries.push(entry(
                &pager_path(
                    &crate::urls::term_path(*taxonomy, model.lang(), &term.slug),
                    1,
                ),
                None,
            ));
        }
    }
    if model.config().search {
        entries.push(entry(search_path(model.lang()), None));
    }
    entries.sort();
    entries.dedup_by(|a, b| a.permalink == b.permalink);
    entries
}

fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.permalink(crate::urls::SITEMAP_FILE)
    )
}

/// `{"@type": "Organization", name, url}`.
#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

/// A `Person`, `EducationalAudience`… with one text property.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(rename = "audienceType", skip_serializing_if = "Option::is_none")]
    audience_type: Option<&'a str>,
}

/// The schema.org description of a page. Empty texts and, on a
/// relocatable site, every URL are left out.
#[derive(Serialize)]
struct JsonLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    headline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(rename = "mainEntityOfPage", skip_serializing_if = "Option::is_none")]
    main_entity_of_page: Option<String>,
    #[serde(rename = "inLanguage", skip_serializing_if = "Option::is_none")]
    in_language: Option<&'a str>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Organization<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    about: Option<Organization<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(rename = "sourceOrganization", skip_serializing_if = "Option::is_none")]
    source_organization: Option<Organization<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<Organization<'a>>,
    #[serde(rename = "timeToComplete", skip_serializing_if = "Option::is_none")]
    time_to_complete: Option<String>,
    #[serde(
        rename = "educationalProgramMode",
        skip_serializing_if = "Option::is_none"
    )]
    educational_program_mode: Option<&'static str>,
    #[serde(rename = "startDate", skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(rename = "endDate", skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audience: Option<Named<'a>>,
}

impl<'a> JsonLd<'a> {
    fn new(kind: &'static str) -> JsonLd<'a> {
        JsonLd {
            context: "https://schema.org",
            kind,
            headline: None,
            name: None,
            description: None,
            url: None,
            main_entity_of_page: None,
            in_language: None,
            date_published: None,
            date_modified: None,
            author: None,
            publisher: None,
            keywords: None,
            about: None,
            image: None,
            source_organization: None,
            provider: None,
            time_to_complete: None,
            educational_program_mode: None,
            start_date: None,
            end_date: None,
            audience: None,
        }
    }
}

/// `None` for an empty text: JSON-LD leaves out what is not known.
fn text(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

fn organization<'a>(name: &'a str, url: Option<String>) -> Organization<'a> {
    Organization {
        kind: "Organization",
        name: text(name),
        url,
    }
}

fn named<'a>(kind: &'static str, name: Option<&'a str>) -> Named<'a> {
    Named {
        kind,
        name: name.and_then(text),
        audience_type: None,
    }
}

/// schema.org JSON-LD for a page, safe to put inside `<script>`.
pub fn json_ld(
    config: &crate::config::Config,
    urls: &Urls,
    page: &Page,
    card: &CardView,
) -> String {
    // A relocatable site (relative URLs) has no fixed address to announce.
    let absolute = |path: &str| (!urls.is_relative()).then(|| urls.permalink(path));
    let common = &page.meta.common;
    let mut data = JsonLd::new(match &page.meta.details {
        Details::Testimonial(_) => "Article",
        Details::Programme(_) => "EducationalOccupationalProgram",
        Details::Page => "WebPage",
    });
    data.description = text(&card.summary);
    data.url = absolute(&page.path);
    data.in_language = text(&config.language);
    match &page.meta.details {
        Details::Testimonial(t) => {
            let testimonial = card.testimonial();
            data.headline = text(&common.title);
            data.main_entity_of_page = absolute(&page.path);
            data.date_published = common.date.map(|d| d.iso_day());
            data.date_modified = last_change(page).map(|d| d.iso_day());
            data.author = Some(named("Person", card.author_name()));
            data.publisher = Some(organization(&config.title, absolute("")));
            data.keywords = Some(common.tags.join(", ")).filter(|k| !k.is_empty());
            data.about = testimonial
                .and_then(|t| t.programme.as_ref())
                .map(|p| Organization {
                    kind: "EducationalOccupationalProgram",
                    name: text(&p.title),
                    url: p.permalink.clone().filter(|_| !urls.is_relative()),
                });
            data.image = testimonial
                .and_then(|t| t.author.photo.as_ref())
                .and_then(|photo| photo.permalink.as_deref())
                .filter(|_| !urls.is_relative())
                .and_then(text);
            data.source_organization = t.organisation.as_deref().map(|o| organization(o, None));
        }
        Details::Programme(p) => {
            data.name = text(&common.title);
            data.provider = Some(organization(&p.organiser, None));
            data.time_to_complete = p.duration.as_deref().and_then(iso_duration);
            data.educational_program_mode = p.format.map(|f| match f {
                Format::OnSite => "onsite",
                Format::Remote => "online",
                Format::Hybrid => "blended",
            });
            data.start_date = p.start.map(|d| d.iso_day());
            data.end_date = p.end.map(|d| d.iso_day());
            data.image = card
                .programme()
                .and_then(|p| p.cover.as_ref())
                .and_then(|cover| cover.permalink.as_deref())
                .and_then(text);
            data.audience = p.audience.as_deref().map(|a| Named {
                kind: "EducationalAudience",
                name: None,
                audience_type: text(a),
            });
        }
        Details::Page => data.name = text(&common.title),
    }
    // Through a JSON value, whose keys are sorted: the output stays the same
    // whatever the order of the fields above.
    let json = serde_json::to_value(&data)
        .map(|v| v.to_string())
        .unwrap_or_default();
    script_safe(&json)
}

/// "2 semaines" → `P2W`, "1 journée" → `P1D`, "3 mois" → `P3M`, "10 heures" → `PT10H`.
pub fn iso_duration(text: &str) -> Option<String> {
    let mut words = text.split_whitespace();
    let first = words.next()?;
    let (n, unit) = match first.parse::<u32>() {
        Ok(n) => (n, words.next()?),
        Err(_) => (1, first),
    };
    let unit = deunicode::deunicode(unit).to_lowercase();
    let code = match unit.trim_end_matches('s') {
        "jour" | "journee" | "day" => "D",
        "semaine" | "week" => "W",
        "moi" | "mois" | "month" => "M",
        "an" | "annee" | "year" => "Y",
        "heure" | "hour" | "h" => return Some(format!("PT{n}H")),
        _ => return None,
    };
    Some(format!("P{n}{code}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitemap_past_the_limit_is_split_in_parts_of_the_limit() {
        let file = |name: &str, range| (name.to_string(), range);
        assert_eq!(sitemap_parts(3, 3), [file("sitemap.xml", 0..3)]);
        assert_eq!(sitemap_parts(0, 3), [file("sitemap.xml", 0..0)]);
        assert_eq!(
            sitemap_parts(7, 3),
            [
                file("sitemap-1.xml", 0..3),
                file("sitemap-2.xml", 3..6),
                file("sitemap-3.xml", 6..7),
            ]
        );
        assert_eq!(SITEMAP_LIMIT, 50_000, "sitemaps.org's limit");
    }

    #[test]
    fn durations() {
        assert_eq!(iso_duration("2 semaines").as_deref(), Some("P2W"));
        assert_eq!(iso_duration("1 journée").as_deref(), Some("P1D"));
        assert_eq!(iso_duration("une journée"), None);
        assert_eq!(iso_duration("3 mois").as_deref(), Some("P3M"));
    }
}
