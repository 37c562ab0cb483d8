//! What templates see, as typed values: pages, cards, sections, paginators,
//! taxonomies, the site, the feed and the sitemap. The search index, the
//! feed and JSON-LD read the same fields, so a renamed field is a compile
//! error rather than an empty search facet. `docs/templates.md` documents
//! them for theme authors; their field names are that contract.
//!
//! Tera gets them as JSON objects with sorted keys (serde_json without
//! `preserve_order`): the order of the fields here never reaches a page.
//!
//! Cards and sections are owned, since `serve` keeps them from one build to
//! the next; the views of one page borrow them.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::content::{Format, Kind};
use crate::markdown::Heading;
use crate::render::ProgrammeState;

/// The cards of the published pages, by page index.
pub type Cards = HashMap<usize, CardView>;

/// `{title, url, path}`: menu entries, breadcrumbs, subsections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
    pub path: String,
}

/// `{name, slug, url}`: a term a page is filed under; `url` is `None` when
/// its taxonomy has no pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermLink {
    pub name: String,
    pub slug: String,
    pub url: Option<String>,
}

/// `{key, label}` of a format: `on-site` and « sur site ».
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormatView {
    pub key: Format,
    pub label: &'static str,
}

/// A photo of a page bundle, with its size and variants when it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhotoView {
    pub url: String,
    /// The variant cards show.
    pub small_url: String,
    pub permalink: Option<String>,
    pub alt: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub srcset: Option<String>,
}

/// `cover` of a programme or a section: a picture shown at the top of the
/// page, with what `<img>` needs to take its place before it loads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverView {
    pub url: String,
    /// The largest published picture's address under `base_url`, for
    /// `og:image` and JSON-LD; `None` with relative URLs or when the
    /// picture could not be read.
    pub permalink: Option<String>,
    pub srcset: Option<String>,
    pub sizes: &'static str,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub alt: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuthorView {
    /// The first name only for minors.
    pub name: Option<String>,
    pub role: Option<String>,
    pub school: Option<String>,
    pub photo: Option<PhotoView>,
}

/// `{title, slug, url, permalink}` of the programme a testimonial names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeLink {
    pub title: String,
    pub slug: String,
    pub url: String,
    pub permalink: Option<String>,
}

/// What lists show of a page: everything but its body and relations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardView {
    pub kind: Kind,
    pub title: String,
    pub slug: String,
    pub path: String,
    /// The content file, `temoignages/julien/index.md`.
    pub file: String,
    pub url: String,
    pub permalink: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    /// Plain text: `summary:` or the first paragraph.
    pub summary: String,
    pub summary_html: String,
    pub draft: bool,
    pub weight: Option<i64>,
    pub extra: Map<String, Value>,
    pub tags: Vec<TermLink>,
    #[serde(flatten)]
    pub details: CardDetails,
    /// The schema's plain fields (declared once in [`crate::schema`], no
    /// Rust field of their own), each under its own name.
    #[serde(flatten)]
    pub declared: Map<String, Value>,
}

/// The fields of each kind of page, at the card's top level.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum CardDetails {
    Testimonial(TestimonialCard),
    Programme(ProgrammeCard),
    Page,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestimonialCard {
    pub author: AuthorView,
    pub programme: Option<ProgrammeLink>,
    pub organisation: Option<String>,
    pub level: Option<String>,
    pub format: Option<FormatView>,
    pub duration: Option<String>,
    pub quote: Option<String>,
    pub taxonomies: TestimonialTerms,
}

/// `taxonomies.organisations` and `taxonomies.levels` of a testimonial.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestimonialTerms {
    pub organisations: Vec<TermLink>,
    pub levels: Vec<TermLink>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeCard {
    pub organiser: String,
    pub partners: Vec<String>,
    pub audience: Option<String>,
    pub format: Option<FormatView>,
    pub duration: Option<String>,
    pub location: Option<String>,
    pub edition: Option<i64>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub state: Option<ProgrammeState>,
    /// `None` once the programme is finished.
    pub apply_url: Option<String>,
    pub contact: Option<String>,
    pub contact_url: Option<String>,
    pub testimonial_count: usize,
    pub cover: Option<CoverView>,
}

impl CardView {
    pub fn testimonial(&self) -> Option<&TestimonialCard> {
        match &self.details {
            CardDetails::Testimonial(t) => Some(t),
            _ => None,
        }
    }

    pub fn programme(&self) -> Option<&ProgrammeCard> {
        match &self.details {
            CardDetails::Programme(p) => Some(p),
            _ => None,
        }
    }

    /// The author's public name, for testimonials.
    pub fn author_name(&self) -> Option<&str> {
        self.testimonial()?.author.name.as_deref()
    }

    pub fn format(&self) -> Option<&FormatView> {
        match &self.details {
            CardDetails::Testimonial(t) => t.format.as_ref(),
            CardDetails::Programme(p) => p.format.as_ref(),
            CardDetails::Page => None,
        }
    }
}

/// A card in a list of a page's context (`paginator.pages`, `page.related`,
/// `page.testimonials`). With the default templates, whose card partials
/// are made once per build by `card_html`, a list reads nothing of its
/// cards but `file`: copying whole cards into every list page's context
/// was a tenth of a large build's time.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Listed<'a> {
    Card(&'a CardView),
    File { file: &'a str },
}

impl<'a> Listed<'a> {
    /// `card` as a list shows it: whole, or its `file` only.
    pub fn of(card: &'a CardView, whole: bool) -> Listed<'a> {
        match whole {
            true => Listed::Card(card),
            false => Listed::File { file: &card.file },
        }
    }
}

/// `page` in a page's own template: its card, body, relations and JSON-LD.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    #[serde(flatten)]
    pub card: &'a CardView,
    pub content: std::borrow::Cow<'a, str>,
    pub toc: &'a [Heading],
    pub word_count: usize,
    /// In minutes.
    pub reading_time: usize,
    /// Programmes: the testimonials that name it, newest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub testimonials: Option<Vec<Listed<'a>>>,
    /// Testimonials: others of the same programme.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<Vec<Listed<'a>>>,
    pub json_ld: String,
}

/// What `get_page` gives: a card and its body.
#[derive(Debug, Serialize)]
pub struct CardWithBody<'a> {
    #[serde(flatten)]
    pub card: &'a CardView,
    pub content: &'a str,
    pub toc: &'a [Heading],
}

/// `section`: a section without its pages (list pages show them through
/// their paginator).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionView {
    pub title: String,
    pub description: Option<String>,
    pub kind: Kind,
    pub path: String,
    pub file: String,
    pub url: String,
    pub permalink: Option<String>,
    pub content: String,
    pub extra: Map<String, Value>,
    pub ancestors: Vec<LinkView>,
    pub subsections: Vec<LinkView>,
    pub cover: Option<CoverView>,
}

/// What `get_section` gives: a section and the cards of its pages.
#[derive(Debug, Serialize)]
pub struct SectionWithPages<'a> {
    #[serde(flatten)]
    pub section: &'a SectionView,
    pub pages: Vec<&'a CardView>,
}

/// `paginator`: one page of a list.
#[derive(Debug, Serialize)]
pub struct PaginatorView<'a> {
    pub pages: Vec<Listed<'a>>,
    pub current_index: usize,
    pub number_pagers: usize,
    /// The number of cards in the whole list (Zola's name).
    pub total_pages: usize,
    pub total_items: usize,
    pub paginate_by: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pagers: Vec<PagerView>,
}

/// A link of a pager; a gap stands for the pages left out.
#[derive(Debug, Serialize)]
pub struct PagerView {
    pub index: Option<usize>,
    pub url: Option<String>,
    pub current: bool,
    pub gap: bool,
}

/// `taxonomy`: `{name, url, count}`, `count` being its number of terms.
#[derive(Debug, Serialize)]
pub struct TaxonomyView {
    pub name: &'static str,
    pub url: String,
    pub count: usize,
}

/// `term` and the items of `terms`: `count` is the number of its pages.
#[derive(Debug, Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub count: usize,
}

/// `site`, the same for every template.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub language: &'a str,
    /// `fr` or `en`: the language of `labels`.
    pub lang: &'static str,
    pub relative_urls: bool,
    pub paginate_by: usize,
    pub taxonomies: Vec<TaxonomyLink>,
    pub feed: bool,
    pub search: bool,
    pub extra: &'a Map<String, Value>,
    pub home_url: String,
    pub root_url: String,
    pub sections: SectionsByKind,
    pub feed_url: Option<String>,
    pub feed_permalink: String,
    pub search_url: Option<String>,
    /// « Accessibilité : partiellement conforme », linked to the statement.
    pub compliance: Option<LinkView>,
    /// The legal notice and the personal data page.
    pub legal: Vec<LinkView>,
    /// `identity:` of `site.yaml`, resolved for the theme.
    pub identity: IdentityView<'a>,
}

/// `site.identity`: the organisation's name, its logo, the palette's class.
#[derive(Debug, Serialize)]
pub struct IdentityView<'a> {
    /// `identity.name`, else the publisher's when it is not the site's title.
    pub name: Option<&'a str>,
    pub logo: Option<LogoView<'a>>,
    /// The class suffix on `<html>`: `bleu`, `vert`, `violet`, `terracotta`.
    pub palette: &'static str,
}

/// `site.identity.logo`: `path` under `static/` (for `asset()`) and its text.
#[derive(Debug, Serialize)]
pub struct LogoView<'a> {
    pub path: &'a str,
    pub alt: &'a str,
}

/// `{name, url}` of a taxonomy that has pages.
#[derive(Debug, Serialize)]
pub struct TaxonomyLink {
    pub name: &'static str,
    pub url: String,
}

/// `site.sections`: the first section of each kind, for "see all" links.
#[derive(Debug, Default, Serialize)]
pub struct SectionsByKind {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub testimonial: Option<LinkView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programme: Option<LinkView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<LinkView>,
}

impl SectionsByKind {
    pub fn slot(&mut self, kind: Kind) -> &mut Option<LinkView> {
        match kind {
            Kind::Testimonial => &mut self.testimonial,
            Kind::Programme => &mut self.programme,
            Kind::Page => &mut self.page,
        }
    }
}

/// `feed` in `atom.xml`. Feeds are read away from the site: every URL is
/// absolute.
#[derive(Debug, Serialize)]
pub struct FeedView<'a> {
    /// The feed's own address.
    pub permalink: String,
    /// The address of the home page, also the feed's id.
    pub home_permalink: String,
    /// RFC 3339: the last change of its entries.
    pub updated: String,
    pub entries: Vec<FeedEntry<'a>>,
}

#[derive(Debug, Serialize)]
pub struct FeedEntry<'a> {
    pub title: &'a str,
    pub permalink: String,
    /// RFC 3339.
    pub published: String,
    pub updated: String,
    /// The author's public name, or the site's title.
    pub author: &'a str,
    pub summary: &'a str,
}

/// An item of `entries` in `sitemap.xml`.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SitemapEntry {
    pub permalink: String,
    /// `YYYY-MM-DD` of the last change, for pages that have dates.
    pub updated: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(details: CardDetails) -> CardView {
        CardView {
            kind: Kind::Page,
            title: "T".into(),
            slug: "t".into(),
            path: "t/".into(),
            file: "t.md".into(),
            url: "/t/".into(),
            permalink: None,
            date: None,
            updated: None,
            summary: String::new(),
            summary_html: String::new(),
            draft: false,
            weight: None,
            extra: Map::new(),
            tags: Vec::new(),
            details,
            declared: Map::new(),
        }
    }

    #[test]
    fn a_plain_schema_field_reaches_templates_under_its_name() {
        let mut plain = card(CardDetails::Page);
        plain.declared.insert(
            "linkedin".into(),
            Value::String("https://www.linkedin.com/in/x".into()),
        );
        let value = serde_json::to_value(plain).unwrap();
        assert_eq!(value["linkedin"], "https://www.linkedin.com/in/x");
    }

    #[test]
    fn details_sit_at_the_top_level_of_a_card() {
        let plain = serde_json::to_value(card(CardDetails::Page)).unwrap();
        let keys: Vec<&String> = plain.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 15, "{keys:?}");
        let programme = ProgrammeCard {
            organiser: "DINUM".into(),
            partners: Vec::new(),
            audience: None,
            format: Some(FormatView {
                key: Format::Remote,
                label: "à distance",
            }),
            duration: None,
            location: None,
            edition: None,
            start: None,
            end: None,
            state: Some(ProgrammeState::Finished),
            apply_url: None,
            contact: None,
            contact_url: None,
            testimonial_count: 3,
            cover: None,
        };
        let value = serde_json::to_value(card(CardDetails::Programme(programme))).unwrap();
        assert_eq!(value["organiser"], "DINUM");
        assert_eq!(value["format"]["key"], "remote");
        assert_eq!(value["state"], "finished");
        assert_eq!(value["testimonial_count"], 3);
        assert_eq!(value["title"], "T");
    }

    #[test]
    fn optional_relations_are_absent_not_null() {
        let c = card(CardDetails::Page);
        let page = PageView {
            card: &c,
            content: "<p>x</p>".into(),
            toc: &[],
            word_count: 1,
            reading_time: 1,
            testimonials: None,
            related: Some(Vec::new()),
            json_ld: String::new(),
        };
        let value = serde_json::to_value(&page).unwrap();
        assert!(value.get("testimonials").is_none());
        assert_eq!(value["related"], serde_json::json!([]));
        assert_eq!(value["content"], "<p>x</p>");
    }
}
