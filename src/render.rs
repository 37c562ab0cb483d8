//! Filling the templates: builds the values templates see (pages, sections,
//! paginators, taxonomies) and renders every output page in parallel.
//!
//! Pure: content and rendered bodies in, output files and diagnostics out.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, Taxonomy};
use crate::content::rules::public_name;
use crate::content::{Content, Details, Format, Kind, Page, Section};
use crate::diagnostics::Diagnostic;
use crate::i18n::Lang;
use crate::lists::{collate, Lists, Term};
use crate::markdown::Rendered;
use crate::output::OutputFile;
use crate::slug::term_slug;
use crate::templates::{Engine, Globals};
use crate::theme::Theme;
use crate::urls::{self, pager_path, search_path, taxonomy_path, Urls};
use crate::views::{
    AuthorView, CardDetails, CardView, Cards, CoverView, FormatView, LinkView, Listed, PageView,
    PagerView, PaginatorView, PhotoView, ProgrammeCard, ProgrammeLink, SectionView, SectionsByKind,
    SiteView, TaxonomyLink, TaxonomyView, TermLink, TermView, TestimonialCard, TestimonialTerms,
};

/// Everything rendering needs, already loaded and checked.
pub struct Input<'a> {
    pub config: &'a Config,
    pub content: &'a Content,
    /// Rendered body of each page (same index as `content.pages`); `None` when unpublished.
    pub page_bodies: &'a Arc<Vec<Option<Rendered>>>,
    /// Rendered body of each section.
    pub section_bodies: &'a [Rendered],
    pub theme: &'a Theme,
    pub urls: &'a Urls,
    /// Pictures of page bundles and their resized variants.
    pub images: &'a crate::images::Images,
}

/// How many entries the search page lists for readers without JavaScript
/// (the script searches the whole index). Listing 10 000 would make an
/// 11 MB page that every reader downloads before the search works.
pub const SEARCH_PAGE_LIMIT: usize = 200;

/// The site as templates see it, computed once.
pub struct Model<'a> {
    input: &'a Input<'a>,
    lang: Lang,
    /// Cards (no body) by page index.
    cards: Arc<Cards>,
    /// How pages are ordered and grouped.
    lists: Arc<Lists>,
    /// Sections without their page list (list pages use the paginator).
    sections: Vec<SectionView>,
    site: SiteView<'a>,
    menu: Vec<LinkView>,
    /// `site`, `labels` and `menu`, serialised once for every page's context.
    shared: tera::Context,
    /// The day of the build (`VITRINE_TODAY`), for a programme's `state`.
    today: crate::dates::Date,
    /// Output path of the search page's manifest, named by its contents.
    search_manifest: Option<String>,
}

/// What a rebuild after `changed` pages takes from the last build.
pub struct Reuse<'c> {
    pub cards: Cards,
    /// The last lists, when the changed pages kept their place in them.
    pub lists: Option<Arc<Lists>>,
    /// The last search index entries.
    pub search: crate::search::Entries,
    pub changed: &'c [usize],
}

impl<'a> Model<'a> {
    /// With `reuse`, only the cards of the changed pages are built again —
    /// unless a programme changed, since testimonial cards show its title.
    pub fn new(input: &'a Input<'a>, mut reuse: Option<Reuse>) -> Model<'a> {
        let lang = input.config.lang();
        let lists = reuse
            .as_mut()
            .and_then(|r| r.lists.take())
            .unwrap_or_else(|| Arc::new(Lists::new(input.content, input.config)));
        let mut model = Model {
            input,
            lang,
            cards: Arc::new(HashMap::new()),
            lists,
            sections: Vec::new(),
            site: site_view(input),
            menu: Vec::new(),
            shared: tera::Context::new(),
            today: crate::dates::Date::today().day_only(),
            search_manifest: None,
        };
        let pages = &input.content.pages;
        let reuse = reuse.filter(|r| r.changed.iter().all(|i| pages[*i].kind != Kind::Programme));
        model.cards = Arc::new(match reuse {
            Some(Reuse {
                mut cards, changed, ..
            }) => {
                for &i in changed {
                    if pages[i].is_published() {
                        cards.insert(i, model.card(i, &pages[i]));
                    }
                }
                cards
            }
            None => {
                // Cards are independent of each other: built in parallel.
                let published: Vec<(usize, &Page)> = input.content.published().collect();
                let cards: Vec<(usize, CardView)> = published
                    .par_iter()
                    .map(|(i, page)| (*i, model.card(*i, page)))
                    .collect();
                cards.into_iter().collect()
            }
        });
        model.sections = (0..input.content.sections.len())
            .map(|i| model.section_view(i))
            .collect();

        model.menu = model.menu_view();
        model.shared.insert("site", &model.site);
        model.shared.insert("labels", &input.theme.labels);
        model.shared.insert("menu", &model.menu);
        model
    }

    pub fn content(&self) -> &Content {
        self.input.content
    }

    pub fn body(&self, index: usize) -> Option<&Rendered> {
        self.input.page_bodies.get(index).and_then(Option::as_ref)
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn published_pages(&self) -> impl Iterator<Item = (usize, &Page)> {
        self.input.content.published()
    }

    pub fn section_pages(&self, section: usize) -> &[usize] {
        self.lists.section_pages(section)
    }

    pub fn lists(&self) -> &Lists {
        &self.lists
    }

    pub fn urls(&self) -> &Urls {
        self.input.urls
    }

    pub fn config(&self) -> &Config {
        self.input.config
    }

    /// The absolute URL of a site path for templates; `None` for a
    /// relocatable site (relative URLs), which has no fixed address.
    fn permalink(&self, path: &str) -> Option<String> {
        permalink(self.urls(), path)
    }

    /// Top-level sections and pages, by weight then title.
    fn menu_view(&self) -> Vec<LinkView> {
        let content = self.input.content;
        let mut items: Vec<(i64, LinkView)> = Vec::new();
        for &s in &content.sections[0].subsections {
            let section = &content.sections[s];
            // A section in place of a legal page is footer-only, like the page.
            if is_institution_path(&section.path, self.lang) {
                continue;
            }
            items.push((
                section.meta.weight.unwrap_or(0),
                section_link(self.urls(), section),
            ));
        }
        for &p in self.section_pages(0) {
            let page = &content.pages[p];
            // The institution pages are linked from every footer instead.
            if crate::institution::is_institution_page(page, self.lang) {
                continue;
            }
            items.push((
                page.meta.common.weight.unwrap_or(100),
                LinkView {
                    title: page.title().to_string(),
                    url: self.urls().link(&page.path),
                    path: page.path.clone(),
                },
            ));
        }
        items.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| collate(&a.1.title, &b.1.title)));
        items.into_iter().map(|(_, link)| link).collect()
    }

    /// What lists show of a page.
    fn card(&self, index: usize, page: &Page) -> CardView {
        let c = &page.meta.common;
        let body = self.input.page_bodies.get(index).and_then(Option::as_ref);
        let summary = c
            .summary
            .clone()
            .unwrap_or_else(|| body.map(|b| b.summary_text.clone()).unwrap_or_default());
        let details = match &page.meta.details {
            Details::Testimonial(t) => CardDetails::Testimonial(self.testimonial_card(page, t)),
            Details::Programme(p) => CardDetails::Programme(self.programme_card(page, p)),
            Details::Page => CardDetails::Page,
        };
        CardView {
            kind: page.kind,
            title: c.title.clone(),
            slug: page.slug.clone(),
            path: page.path.clone(),
            file: page.rel.clone(),
            url: self.urls().link(&page.path),
            permalink: self.permalink(&page.path),
            date: c.date.map(|d| d.iso_day()),
            updated: c.updated.map(|d| d.iso_day()),
            summary,
            summary_html: body.map(|b| b.summary_html.clone()).unwrap_or_default(),
            draft: c.draft,
            weight: c.weight,
            extra: c.extra.clone(),
            tags: self.terms_of(Taxonomy::Tags, &c.tags),
            details,
            declared: c.declared.clone(),
        }
    }

    fn testimonial_card(
        &self,
        page: &Page,
        t: &crate::content::front_matter::Testimonial,
    ) -> TestimonialCard {
        let photo = t
            .author
            .photo
            .as_ref()
            .map(|photo| self.photo(page, photo, t.author.photo_alt.clone()));
        TestimonialCard {
            author: AuthorView {
                name: public_name(page),
                role: t.author.role.clone(),
                school: t.author.school.clone(),
                photo,
            },
            programme: t
                .programme
                .as_ref()
                .and_then(|slug| self.programme_link(slug)),
            organisation: t.organisation.clone(),
            level: t.level.clone(),
            format: self.format_view(t.format),
            duration: t.duration.clone(),
            quote: t.quote.clone(),
            taxonomies: TestimonialTerms {
                organisations: self.terms_of(Taxonomy::Organisations, t.organisation.as_slice()),
                levels: self.terms_of(Taxonomy::Levels, t.level.as_slice()),
            },
        }
    }

    /// The photo `photo` of the bundle of `page`, with its variants.
    fn photo(&self, page: &Page, photo: &str, alt: Option<String>) -> PhotoView {
        let source = page.bundle_dir.as_ref().map(|d| d.join(photo));
        let info = source
            .as_ref()
            .and_then(|s| self.input.images.by_source.get(s));
        let dest = info.map_or_else(|| format!("{}{photo}", page.path), |i| i.path.clone());
        // The card size: smallest variant that is still sharp at 2×.
        let small = info.and_then(|i| {
            i.variants
                .iter()
                .find(|(_, w)| *w >= 640)
                .or(i.variants.last())
        });
        PhotoView {
            url: self.urls().link(&dest),
            small_url: self
                .urls()
                .link(small.map_or(dest.as_str(), |(p, _)| p.as_str())),
            permalink: self.permalink(&dest),
            alt,
            width: info.map(|i| i.width),
            height: info.map(|i| i.height),
            srcset: info.map(|i| i.srcset(|p| self.urls().link(p))),
        }
    }

    /// The cover `source` (published as `dest` when it could not be read),
    /// with its variants.
    fn cover(&self, source: Option<PathBuf>, dest: String, alt: Option<&String>) -> CoverView {
        let info = source
            .as_ref()
            .and_then(|s| self.input.images.by_source.get(s));
        let dest = info.map_or(dest, |i| i.path.clone());
        CoverView {
            url: self.urls().link(&dest),
            permalink: info.and_then(|i| self.permalink(&i.path)),
            srcset: info.map(|i| i.srcset(|p| self.urls().link(p))),
            sizes: crate::images::PROSE_SIZES,
            width: info.map(|i| i.width),
            height: info.map(|i| i.height),
            alt: alt.cloned().unwrap_or_default(),
        }
    }

    fn programme_card(
        &self,
        page: &Page,
        p: &crate::content::front_matter::Programme,
    ) -> ProgrammeCard {
        let state = programme_state(p.start, p.end, self.today);
        // A finished programme takes no more applications.
        let apply_url = p
            .apply_url
            .as_deref()
            .filter(|_| state != Some(ProgrammeState::Finished))
            .and_then(|u| self.field_link(u, false));
        ProgrammeCard {
            organiser: p.organiser.clone(),
            partners: p.partners.clone(),
            audience: p.audience.clone(),
            format: self.format_view(p.format),
            duration: p.duration.clone(),
            location: p.location.clone(),
            edition: p.edition,
            start: p.start.map(|d| d.iso_day()),
            end: p.end.map(|d| d.iso_day()),
            state,
            apply_url,
            contact: p.contact.clone(),
            contact_url: p.contact.as_deref().and_then(|c| self.field_link(c, true)),
            testimonial_count: self
                .lists
                .testimonials_by_programme
                .get(&page.slug)
                .map_or(0, Vec::len),
            cover: p.cover.as_ref().map(|c| {
                let dest = format!("{}{c}", page.path);
                self.cover(page.cover_source(), dest, p.cover_alt.as_ref())
            }),
        }
    }

    /// The `href` of a link field, checked by the rules: web and mail
    /// addresses as written, pages of the site and root paths under the
    /// base path. `contact`: `None` for plain text.
    fn field_link(&self, text: &str, contact: bool) -> Option<String> {
        use crate::content::rules::{contact_link, parse_link, FieldLink};
        let link = if contact {
            contact_link(text)?
        } else {
            parse_link(text)
        };
        let content = self.input.content;
        match link.ok()? {
            FieldLink::External(url) => Some(url),
            FieldLink::Page { rel, anchor } => {
                let path = match content.item(&rel)? {
                    crate::content::Item::Page(i) => {
                        let page = &content.pages[i];
                        page.is_published().then_some(page.path.as_str())?
                    }
                    crate::content::Item::Section(i) => content.sections[i].path.as_str(),
                };
                let url = self.urls().link(path);
                Some(match anchor.filter(|a| !a.is_empty()) {
                    Some(anchor) => format!("{url}#{anchor}"),
                    None => url,
                })
            }
            FieldLink::Root(path) => {
                let cut = path.find(['#', '?']).unwrap_or(path.len());
                let (path, suffix) = path.split_at(cut);
                // Copied from the preview, with the base path: same place.
                let base = self.urls().base_path().trim_end_matches('/');
                let path = match path.strip_prefix(base) {
                    Some(rest)
                        if !base.is_empty() && (rest.is_empty() || rest.starts_with('/')) =>
                    {
                        rest
                    }
                    _ => path,
                };
                Some(format!(
                    "{}{suffix}",
                    self.urls().link_written(path.trim_start_matches('/'))
                ))
            }
        }
    }

    fn format_view(&self, format: Option<Format>) -> Option<FormatView> {
        format.map(|f| FormatView {
            key: f,
            label: crate::i18n::format_label(f, self.lang),
        })
    }

    /// `{title, slug, url, permalink}` of a published programme.
    fn programme_link(&self, slug: &str) -> Option<ProgrammeLink> {
        let page = &self.input.content.pages[*self.lists.programmes.get(slug)?];
        Some(ProgrammeLink {
            title: page.title().to_string(),
            slug: page.slug.clone(),
            url: self.urls().link(&page.path),
            permalink: self.permalink(&page.path),
        })
    }

    /// `[{name, slug, url}]` for the names, linking to term pages when the
    /// taxonomy has pages.
    fn terms_of(&self, taxonomy: Taxonomy, names: &[String]) -> Vec<TermLink> {
        let has_pages = self.input.config.taxonomies.contains(&taxonomy);
        names
            .iter()
            .map(|name| {
                let slug = term_slug(name).unwrap_or_default();
                let url = has_pages.then(|| {
                    self.urls()
                        .link(&urls::term_path(taxonomy, self.lang, &slug))
                });
                TermLink {
                    name: name.clone(),
                    slug,
                    url,
                }
            })
            .collect()
    }

    /// The full page (body, relations, JSON-LD): built only where the page
    /// is rendered, in parallel. `None` for a page without a card. Its
    /// lists of cards hold `whole` cards or their `file` only.
    fn full_page(
        &self,
        index: usize,
        page: &Page,
        whole: bool,
    ) -> Result<Option<PageView<'_>>, Diagnostic> {
        let Some(card) = self.cards.get(&index) else {
            return Ok(None);
        };
        let body = self.input.page_bodies.get(index).and_then(Option::as_ref);
        // Not on cards: a body edit then changes no list.
        let words = body.map_or(0, |b| b.word_count);
        let (testimonials, related) = match &page.meta.details {
            Details::Programme(_) => (
                Some(self.testimonials_of(&page.slug, None, usize::MAX, whole)),
                None,
            ),
            Details::Testimonial(t) => {
                let related = t
                    .programme
                    .as_ref()
                    .map(|slug| self.testimonials_of(slug, Some(index), 3, whole))
                    .unwrap_or_default();
                (None, Some(related))
            }
            Details::Page => (None, None),
        };
        let content = body.map(|b| b.html_text()).transpose();
        let content = content.map_err(|e| Diagnostic::body_unreadable(&page.file, &e))?;
        Ok(Some(PageView {
            card,
            content: content.unwrap_or_default(),
            toc: body.map_or(&[][..], |b| b.headings.as_slice()),
            word_count: words,
            reading_time: words.div_ceil(200).max(1),
            testimonials,
            related,
            json_ld: crate::feeds::json_ld(self.input.config, self.urls(), page, card),
        }))
    }

    /// The sections above (home first), for breadcrumbs.
    fn ancestors(&self, section: Option<usize>) -> Vec<LinkView> {
        let sections = &self.input.content.sections;
        let mut chain = Vec::new();
        let mut current = section;
        while let Some(i) = current {
            let s = &sections[i];
            chain.push(section_link(self.urls(), s));
            current = s.parent;
        }
        chain.reverse();
        chain
    }

    /// Cards of the published testimonials of a programme, newest first.
    fn testimonials_of(
        &self,
        programme: &str,
        except: Option<usize>,
        limit: usize,
        whole: bool,
    ) -> Vec<Listed<'_>> {
        self.lists
            .testimonials_by_programme
            .get(programme)
            .into_iter()
            .flatten()
            .filter(|i| Some(**i) != except)
            .take(limit)
            .filter_map(|i| self.cards.get(i))
            .map(|card| Listed::of(card, whole))
            .collect()
    }

    pub fn card_view(&self, index: usize) -> Option<&CardView> {
        self.cards.get(&index)
    }

    /// A section for templates, without its pages (list pages show them
    /// through their paginator; `get_section` adds them).
    fn section_view(&self, index: usize) -> SectionView {
        let content = self.input.content;
        let section = &content.sections[index];
        let body = self.input.section_bodies.get(index);
        SectionView {
            title: section_title(section),
            description: section.meta.description.clone(),
            kind: section.kind,
            path: section.path.clone(),
            file: section.rel.clone(),
            url: self.urls().link(&section.path),
            permalink: self.permalink(&section.path),
            content: body.map(|b| b.html.clone()).unwrap_or_default(),
            extra: section.meta.extra.clone(),
            ancestors: self.ancestors(section.parent),
            subsections: section
                .subsections
                .iter()
                .map(|s| section_link(self.urls(), &content.sections[*s]))
                .collect(),
            cover: section.meta.cover.as_ref().map(|c| {
                let dest = format!("{}{c}", section.path);
                let source = section.cover_source(&content.root);
                self.cover(source, dest, section.meta.cover_alt.as_ref())
            }),
        }
    }

    /// What template functions (`get_page`, `get_section`, `asset`) can see.
    pub fn globals(&self, asset_hashes: BTreeMap<String, String>) -> Globals {
        let content = self.input.content;
        let sections = (0..content.sections.len())
            .map(|i| {
                let pages = self.section_pages(i).to_vec();
                (
                    content.sections[i].rel.clone(),
                    (self.sections[i].clone(), pages),
                )
            })
            .collect();
        Globals {
            urls: Some(self.urls().clone()),
            items: Arc::clone(&content.by_rel),
            cards: Arc::clone(&self.cards),
            bodies: Arc::clone(self.input.page_bodies),
            sections,
            asset_hashes,
            lang: Some(self.lang),
            card_context: {
                let mut context = tera::Context::new();
                context.insert("labels", &self.input.theme.labels);
                context
            },
            card_html: Default::default(),
            shared: self.shared.clone(),
            menu_paths: self.menu.iter().map(|item| item.path.clone()).collect(),
            menu_html: Default::default(),
        }
    }

    /// The context every template gets.
    pub(crate) fn base_context(&self, current_path: &str) -> tera::Context {
        let mut ctx = self.shared.clone();
        ctx.insert("current_path", current_path);
        ctx.insert("current_url", &self.urls().link(current_path));
        // A relocatable site (relative URLs) has no fixed address to declare:
        // pages then carry no absolute URL at all.
        let canonical = (!self.urls().is_relative()).then(|| self.urls().permalink(current_path));
        ctx.insert("canonical", &canonical);
        ctx
    }
}

/// Where a programme stands on the day of the build (`page.state` in
/// templates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProgrammeState {
    /// It starts later.
    Upcoming,
    Ongoing,
    /// Its end is past: it takes no more applications.
    Finished,
}

/// The state of a programme running from `start` to `end` on `today`;
/// `None` without dates.
pub fn programme_state(
    start: Option<crate::dates::Date>,
    end: Option<crate::dates::Date>,
    today: crate::dates::Date,
) -> Option<ProgrammeState> {
    let today = today.day_only();
    let (start, end) = (start.map(|d| d.day_only()), end.map(|d| d.day_only()));
    if start.is_none() && end.is_none() {
        return None;
    }
    Some(if start.is_some_and(|s| s > today) {
        ProgrammeState::Upcoming
    } else if end.is_some_and(|e| e < today) {
        ProgrammeState::Finished
    } else {
        ProgrammeState::Ongoing
    })
}

/// The first day after `today` on which [`programme_state`] gives another
/// state: the start of an upcoming programme, the day after an open one's end.
pub fn next_state_change(
    start: Option<crate::dates::Date>,
    end: Option<crate::dates::Date>,
    today: crate::dates::Date,
) -> Option<crate::dates::Date> {
    let today = today.day_only();
    let (start, end) = (start.map(|d| d.day_only()), end.map(|d| d.day_only()));
    match (start, end) {
        (Some(start), _) if start > today => Some(start),
        (_, Some(end)) if end >= today => Some(end.plus_days(1)),
        _ => None,
    }
}

/// The absolute URL of a site path for templates; `None` for a relocatable
/// site (relative URLs), which has no fixed address.
fn permalink(urls: &Urls, path: &str) -> Option<String> {
    (!urls.is_relative()).then(|| urls.permalink(path))
}

/// `site`: what every template knows of the site.
fn site_view<'a>(input: &Input<'a>) -> SiteView<'a> {
    let c = input.config;
    let (urls, lang) = (input.urls, c.lang());
    SiteView {
        title: &c.title,
        description: &c.description,
        base_url: &c.base_url,
        language: &c.language,
        lang: if lang == Lang::Fr { "fr" } else { "en" },
        relative_urls: c.relative_urls,
        paginate_by: c.paginate_by,
        taxonomies: c
            .taxonomies
            .iter()
            .map(|t| TaxonomyLink {
                name: t.name(),
                url: urls.link(taxonomy_path(*t, lang)),
            })
            .collect(),
        feed: c.feed,
        search: c.search,
        extra: &c.extra,
        home_url: urls.link(""),
        root_url: urls.root_dir(),
        sections: sections_by_kind(input.content, urls),
        feed_url: c.feed.then(|| urls.link(crate::urls::FEED_FILE)),
        feed_permalink: urls.permalink(crate::urls::FEED_FILE),
        search_url: c.search.then(|| urls.link(search_path(lang))),
        compliance: institution_link(input, crate::institution::accessibility_rel(lang)).map(
            |link| LinkView {
                title: crate::institution::compliance_label(c, crate::dates::Date::today()),
                ..link
            },
        ),
        legal: [
            crate::institution::legal_rel(lang),
            crate::institution::data_rel(lang),
        ]
        .into_iter()
        .filter_map(|rel| institution_link(input, rel))
        .collect(),
        identity: identity_view(c),
    }
}

/// `site.identity`. The palette of `extra.theme.palette`, from before
/// `identity:`, still applies (an unknown name there is refused by
/// `config::parse`).
fn identity_view(c: &crate::config::Config) -> crate::views::IdentityView<'_> {
    use crate::fields::FieldValue;
    let legacy = c
        .extra
        .get("theme")
        .and_then(|theme| theme.get("palette"))
        .and_then(crate::config::Palette::read);
    let publisher = c
        .publisher
        .as_ref()
        .map(|p| p.name.as_str())
        .filter(|name| *name != c.title);
    crate::views::IdentityView {
        name: c.identity.name.as_deref().or(publisher),
        logo: c.identity.logo.as_ref().map(|l| crate::views::LogoView {
            path: &l.path,
            alt: &l.alt,
        }),
        palette: c.identity.palette.or(legacy).unwrap_or_default().class(),
    }
}

/// The published page at `rel` (generated, or a writer's in its place).
fn institution_link(input: &Input, rel: &str) -> Option<LinkView> {
    let content = input.content;
    let path = format!("{}/", crate::slug::slugify(rel.trim_end_matches(".md")));
    let page = content
        .pages
        .iter()
        .find(|p| p.is_published() && (p.rel == rel || p.path == path))?;
    Some(LinkView {
        title: page.title().to_string(),
        url: input.urls.link(&page.path),
        path: page.path.clone(),
    })
}

/// The first section of each kind (`site.sections.testimonial.url`…),
/// shallowest first, for "all testimonials" links.
fn sections_by_kind(content: &Content, urls: &Urls) -> SectionsByKind {
    let mut found = SectionsByKind::default();
    let mut sections: Vec<&Section> = content.sections.iter().filter(|s| !s.is_home()).collect();
    sections.sort_by_key(|s| (s.path.matches('/').count(), s.path.clone()));
    for section in sections {
        found
            .slot(section.kind)
            .get_or_insert_with(|| section_link(urls, section));
    }
    found
}

/// `{title, url, path}` of a section.
/// Whether `path` is where one of the legal pages is published.
fn is_institution_path(path: &str, lang: Lang) -> bool {
    use crate::institution::{accessibility_rel, data_rel, legal_rel};
    [accessibility_rel(lang), legal_rel(lang), data_rel(lang)]
        .into_iter()
        .any(|rel| format!("{}/", crate::slug::slugify(rel.trim_end_matches(".md"))) == path)
}

fn section_link(urls: &Urls, section: &Section) -> LinkView {
    LinkView {
        title: section_title(section),
        url: urls.link(&section.path),
        path: section.path.clone(),
    }
}

/// Section title, or its folder name when it has none.
fn section_title(section: &Section) -> String {
    section.meta.title.clone().unwrap_or_else(|| {
        section
            .path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string()
    })
}

/// One page of output to render.
pub(crate) enum Job {
    Page(usize),
    /// A section's list, page `n` (1-based) of its pagination.
    Section(usize, usize),
    TaxonomyList(Taxonomy),
    TaxonomyTerm(Taxonomy, usize, usize),
    Search,
    NotFound,
}

/// Where a build puts pages as they are rendered, a batch at a time, so
/// that a large site's HTML is never all in memory at once.
pub(crate) type Sink<'s> = &'s mut dyn FnMut(Vec<OutputFile>) -> Result<(), Diagnostic>;

/// Pages rendered (in parallel) between two calls of the sink: enough to
/// keep both cores busy, few enough to bound memory.
const BATCH: usize = 256;

/// What [`render_all`] made: the files kept in memory, the paths of those
/// handed to the sink, and the template errors.
struct PagesMade {
    files: Vec<OutputFile>,
    streamed: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

/// Renders every HTML page of the site, or those `keep` selects; with a
/// sink, hands them over in batches instead of keeping them.
fn render_all(
    model: &Model,
    engine: &Engine,
    keep: Option<&(dyn Fn(&Job) -> bool + Sync)>,
    mut sink: Option<Sink>,
) -> PagesMade {
    let mut jobs = jobs(model);
    if let Some(keep) = keep {
        jobs.retain(|job| keep(job));
    }
    let mut made = PagesMade {
        files: Vec::new(),
        streamed: Vec::new(),
        diagnostics: Vec::new(),
    };
    let batch = if sink.is_some() { BATCH } else { jobs.len() };
    for chunk in jobs.chunks(batch.max(1)) {
        let results: Vec<Result<OutputFile, Diagnostic>> = chunk
            .par_iter()
            .map(|job| render_job(model, engine, job))
            .collect();
        let mut files = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(f) => files.push(f),
                Err(d) => made.diagnostics.push(d),
            }
        }
        match sink.as_mut() {
            Some(sink) => {
                made.streamed.extend(files.iter().map(|f| f.path.clone()));
                if let Err(d) = sink(files) {
                    made.diagnostics.push(d);
                    // Nothing more is written: the build fails.
                    return PagesMade {
                        diagnostics: merge_repeated(made.diagnostics),
                        ..made
                    };
                }
            }
            None => made.files.extend(files),
        }
    }
    made.diagnostics = merge_repeated(made.diagnostics);
    made
}

/// One template mistake breaks every page using the template: report it
/// once, with the number of pages, instead of a thousand times.
fn merge_repeated(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut merged: Vec<(Diagnostic, usize)> = Vec::new();
    for d in diagnostics {
        let key = |x: &Diagnostic| {
            (
                x.code,
                x.location
                    .as_ref()
                    .map(|l| (l.file.clone(), l.line, l.column)),
            )
        };
        let same = merged
            .iter_mut()
            .find(|(m, _)| m.location.is_some() && key(m) == key(&d));
        match same {
            Some((_, count)) => *count += 1,
            None => merged.push((d, 0)),
        }
    }
    merged
        .into_iter()
        .map(|(d, others)| {
            if others == 0 {
                return d;
            }
            let help = match &d.help {
                Some(h) => crate::i18n::Text::join(
                    &[h.clone(), crate::i18n::same_error_elsewhere(others)],
                    "\n",
                ),
                None => crate::i18n::same_error_elsewhere(others),
            };
            d.help(help)
        })
        .collect()
}

pub(crate) fn page_size(model: &Model, section: &Section) -> usize {
    section
        .meta
        .paginate_by
        .unwrap_or(model.input.config.paginate_by)
        .max(1)
}

pub(crate) fn page_count(items: usize, size: usize) -> usize {
    items.div_ceil(size).max(1)
}

fn jobs(model: &Model) -> Vec<Job> {
    let content = model.input.content;
    // The search page lists every page: start it first so it does not run
    // alone at the end.
    let mut jobs: Vec<Job> = if model.input.config.search {
        vec![Job::Search]
    } else {
        Vec::new()
    };
    jobs.extend(content.published().map(|(i, _)| Job::Page(i)));
    for (i, section) in content.sections.iter().enumerate() {
        let count = if section.is_home() {
            1
        } else {
            page_count(model.section_pages(i).len(), page_size(model, section))
        };
        jobs.extend((1..=count).map(|n| Job::Section(i, n)));
    }
    for (taxonomy, terms) in &model.lists.taxonomies {
        jobs.push(Job::TaxonomyList(*taxonomy));
        for (t, term) in terms.iter().enumerate() {
            let count = page_count(term.pages.len(), model.input.config.paginate_by);
            jobs.extend((1..=count).map(|n| Job::TaxonomyTerm(*taxonomy, t, n)));
        }
    }
    jobs.push(Job::NotFound);
    jobs
}

/// The page numbers a pager shows around page `n` of `total`: the first,
/// the last, and two on each side of `n`; `None` marks a gap. A list of 500
/// pages then gets 7 links, not 500 (which keyboard users would have to
/// tab through, and which would make the site grow with the square of its
/// size).
fn pager_window(n: usize, total: usize) -> Vec<Option<usize>> {
    let mut shown = Vec::new();
    for k in 1..=total {
        let near = k + 2 >= n && k <= n + 2;
        if k == 1 || k == total || near {
            if let Some(Some(last)) = shown.last() {
                if k > last + 1 {
                    shown.push(None);
                }
            }
            shown.push(Some(k));
        }
    }
    shown
}

/// The `paginator` of page `n` of `items` under `base`. Cards are
/// borrowed: they are copied once, into the template context.
fn paginator<'m>(
    model: &'m Model,
    base: &str,
    items: &[usize],
    size: usize,
    n: usize,
    whole: bool,
) -> PaginatorView<'m> {
    let total = page_count(items.len(), size);
    let start = (n - 1) * size;
    let pages: Vec<Listed> = items
        .iter()
        .skip(start)
        .take(size)
        .filter_map(|i| model.cards.get(i))
        .map(|card| Listed::of(card, whole))
        .collect();
    let link = |k: usize| model.urls().link(&pager_path(base, k));
    let pagers: Vec<PagerView> = pager_window(n, total)
        .into_iter()
        .map(|k| PagerView {
            index: k,
            url: k.map(link),
            current: k == Some(n),
            gap: k.is_none(),
        })
        .collect();
    PaginatorView {
        pages,
        current_index: n,
        number_pagers: total,
        total_pages: items.len(),
        total_items: items.len(),
        paginate_by: size,
        first: link(1),
        last: link(total),
        previous: (n > 1).then(|| link(n - 1)),
        next: (n < total).then(|| link(n + 1)),
        pagers,
    }
}

fn render_job(model: &Model, engine: &Engine, job: &Job) -> Result<OutputFile, Diagnostic> {
    let content = model.input.content;
    let whole = !engine.lists_by_file();
    let (path, template, ctx, file): (String, String, tera::Context, &Path) = match job {
        Job::Page(i) => {
            let page = &content.pages[*i];
            let mut ctx = model.base_context(&page.path);
            ctx.insert("page", &model.full_page(*i, page, whole)?);
            let template = page
                .meta
                .common
                .template
                .clone()
                .unwrap_or_else(|| kind_template(page.kind).to_string());
            (page.path.clone(), template, ctx, page.file.as_path())
        }
        Job::Section(i, n) => {
            let section = &content.sections[*i];
            let path = pager_path(&section.path, *n);
            let mut ctx = model.base_context(&path);
            ctx.insert("section", &model.sections[*i]);
            let size = page_size(model, section);
            ctx.insert(
                "paginator",
                &paginator(
                    model,
                    &section.path,
                    model.section_pages(*i),
                    size,
                    *n,
                    whole,
                ),
            );
            if section.is_home() {
                insert_home_lists(model, &mut ctx);
            }
            let template = section.meta.template.clone().unwrap_or_else(|| {
                if section.is_home() {
                    "index.html"
                } else {
                    "section.html"
                }
                .to_string()
            });
            (path, template, ctx, section.file.as_path())
        }
        Job::TaxonomyList(t) => {
            let base = taxonomy_path(*t, model.lang);
            let mut ctx = model.base_context(base);
            ctx.insert("taxonomy", &taxonomy_view(model, *t));
            let terms: Vec<TermView> = model.lists.taxonomies[t]
                .iter()
                .map(|term| term_view(model, *t, term))
                .collect();
            ctx.insert("terms", &terms);
            (
                base.to_string(),
                "taxonomy_list.html".to_string(),
                ctx,
                Path::new(crate::config::CONFIG_FILE),
            )
        }
        Job::TaxonomyTerm(t, index, n) => {
            let term = &model.lists.taxonomies[t][*index];
            let base = urls::term_path(*t, model.lang, &term.slug);
            let path = pager_path(&base, *n);
            let mut ctx = model.base_context(&path);
            ctx.insert("taxonomy", &taxonomy_view(model, *t));
            ctx.insert("term", &term_view(model, *t, term));
            ctx.insert(
                "paginator",
                &paginator(
                    model,
                    &base,
                    &term.pages,
                    model.input.config.paginate_by,
                    *n,
                    whole,
                ),
            );
            (
                path,
                "taxonomy_term.html".to_string(),
                ctx,
                Path::new(crate::config::CONFIG_FILE),
            )
        }
        Job::Search => {
            let path = search_path(model.lang);
            let mut ctx = model.base_context(path);
            ctx.insert(
                "search_index_url",
                &model.urls().link(urls::SEARCH_INDEX_FILE),
            );
            let manifest = model.search_manifest.as_deref().unwrap_or_default();
            ctx.insert("search_manifest_url", &model.urls().link(manifest));
            // Testimonials newest first, then programmes by title: sorted
            // here once rather than by the template.
            let lists = model.lists();
            let all = lists.testimonials.iter().chain(&lists.programme_pages);
            let shown: Vec<&CardView> = all
                .take(SEARCH_PAGE_LIMIT)
                .filter_map(|i| model.cards.get(i))
                .collect();
            ctx.insert("pages", &shown);
            ctx.insert(
                "pages_total",
                &(lists.testimonials.len() + lists.programme_pages.len()),
            );
            (
                path.to_string(),
                "search.html".to_string(),
                ctx,
                Path::new(crate::config::CONFIG_FILE),
            )
        }
        Job::NotFound => {
            let ctx = model.base_context(urls::NOT_FOUND_FILE);
            let html = engine.render("404.html", &ctx, Path::new(crate::config::CONFIG_FILE))?;
            return Ok(OutputFile::text(
                urls::NOT_FOUND_FILE,
                model.urls().finish_anywhere(html),
            ));
        }
    };
    let html = engine
        .render(&template, &ctx, file)
        .map_err(|d| point_at_template_field(d, model, job))?;
    let html = model.urls().finish_page(html, &path);
    Ok(OutputFile::text(urls::page_file(&path), html))
}

/// A missing template named by a page's `template:` is that line's fault.
fn point_at_template_field(diagnostic: Diagnostic, model: &Model, job: &Job) -> Diagnostic {
    match job {
        Job::Page(i) if diagnostic.code == "missing-template" => {
            let page = &model.content().pages[*i];
            if page.meta.common.template.is_some() {
                return diagnostic.at(page.locate("template"));
            }
            diagnostic
        }
        _ => diagnostic,
    }
}

fn kind_template(kind: Kind) -> &'static str {
    match kind {
        Kind::Testimonial => "testimonial.html",
        Kind::Programme => "programme.html",
        Kind::Page => "page.html",
    }
}

/// How many of the latest testimonials and programmes the home page gets
/// (with their total counts): the page shows a few, and copying 10 000
/// cards into its context made it the slowest page of a large site.
pub const HOME_LIST_LIMIT: usize = 12;

fn insert_home_lists(model: &Model, ctx: &mut tera::Context) {
    let lists = model.lists();
    let cards = |list: &[usize]| {
        list.iter()
            .take(HOME_LIST_LIMIT)
            .filter_map(|i| model.cards.get(i))
            .collect::<Vec<_>>()
    };
    ctx.insert("testimonials", &cards(&lists.testimonials));
    ctx.insert("programmes", &cards(&lists.programme_pages));
    ctx.insert("testimonial_count", &lists.testimonials.len());
    ctx.insert("programme_count", &lists.programme_pages.len());
}

fn taxonomy_view(model: &Model, taxonomy: Taxonomy) -> TaxonomyView {
    TaxonomyView {
        name: taxonomy.name(),
        url: model.urls().link(taxonomy_path(taxonomy, model.lang)),
        count: model.lists.taxonomies.get(&taxonomy).map_or(0, Vec::len),
    }
}

fn term_view<'m>(model: &Model, taxonomy: Taxonomy, term: &'m Term) -> TermView<'m> {
    let path = urls::term_path(taxonomy, model.lang, &term.slug);
    TermView {
        name: &term.name,
        slug: &term.slug,
        url: model.urls().link(&path),
        count: term.pages.len(),
    }
}

/// Short content hashes of the theme's static files, for `asset()`.
pub fn asset_hashes(theme: &Theme) -> BTreeMap<String, String> {
    theme
        .statics
        .iter()
        .filter_map(|(path, file)| {
            let bytes = file.bytes().ok()?;
            let hash = blake3::hash(&bytes).to_hex();
            Some((path.clone(), hash[..10].to_string()))
        })
        .collect()
}

/// The result of [`render`]: the files and diagnostics, plus the cards and
/// lists a later rebuild starts from.
pub struct Rendering {
    pub files: Vec<OutputFile>,
    /// Paths of the pages already handed to the sink (a build), in order.
    pub streamed: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub cards: Arc<Cards>,
    pub lists: Arc<Lists>,
    pub search: crate::search::Entries,
}

/// Renders the site, or, with `only`, what a change affects.
///
/// `engine` is the compiled theme of the last build, kept by `serve`: it is
/// reused when the templates are the same, and replaced otherwise.
pub(crate) fn render(
    input: &Input,
    reuse: Option<Reuse>,
    select: Option<&dyn Fn(&Model) -> Selection>,
    engine: &mut Option<Engine>,
) -> Rendering {
    render_into(input, reuse, select, engine, None)
}

/// [`render`], handing the HTML pages to `sink` as they are made (a full
/// build) instead of returning them.
pub(crate) fn render_into(
    input: &Input,
    mut reuse: Option<Reuse>,
    select: Option<&dyn Fn(&Model) -> Selection>,
    engine: &mut Option<Engine>,
    mut sink: Option<Sink>,
) -> Rendering {
    let old_search = reuse.as_mut().map(|r| std::mem::take(&mut r.search));
    let mut model = Model::new(input, reuse);
    let selection = select.map(|select| select(&model));
    let mut search = crate::search::Entries::default();
    let mut files = Vec::new();
    let mut streamed = Vec::new();
    let mut diagnostics = Vec::new();
    let globals = Arc::new(model.globals(asset_hashes(input.theme)));
    match engine {
        Some(e) if e.compiled_from(input.theme, model.lang) => e.set_globals(globals),
        _ => match Engine::new(input.theme, globals) {
            Ok(e) => *engine = Some(e),
            Err(d) => {
                *engine = None;
                diagnostics = d;
            }
        },
    }
    if let Some(compiled) = engine.as_ref() {
        let mut search_files = Vec::new();
        let mut manifest_changed = false;
        let mut early = Vec::new();
        if input.config.search {
            // Before the pages: the search page names the manifest.
            let plan = selection
                .as_ref()
                .map_or(SearchPlan::All, |s| s.search.clone());
            let old_manifest = old_search
                .as_ref()
                .and_then(|e| e.manifest().map(str::to_string));
            let whole = matches!(plan, SearchPlan::All) || old_search.is_none();
            match sink.as_mut().filter(|_| whole) {
                // A build writes the index as it is made and keeps no entries.
                Some(sink) => match crate::search::write_all(&model, &mut **sink) {
                    Ok(written) => {
                        (model.search_manifest, early) = (written.manifest, written.paths)
                    }
                    Err(d) => diagnostics.push(d),
                },
                None => {
                    search = search_index(&model, plan, old_search, &mut search_files);
                    model.search_manifest = search.manifest().map(str::to_string);
                }
            }
            manifest_changed = model.search_manifest != old_manifest;
        }
        // A build writes the search index at once instead of holding it
        // (40 MB at 10 000 pages) while the pages render, and keeps no
        // entries: only `serve` starts again from them.
        if let Some(sink) = sink.as_mut().filter(|_| !search_files.is_empty()) {
            early = search_files.iter().map(|f| f.path.clone()).collect();
            search = crate::search::Entries::default();
            if let Err(d) = sink(std::mem::take(&mut search_files)) {
                diagnostics.push(d);
            }
        }
        let jobs = selection.as_ref().map(|s| s.jobs.as_ref());
        let keep = |job: &Job| {
            jobs.is_none_or(|keep| keep(job)) || (manifest_changed && matches!(job, Job::Search))
        };
        let keep: Option<&(dyn Fn(&Job) -> bool + Sync)> = jobs.map(|_| &keep as _);
        let rendered = match diagnostics.is_empty() {
            true => render_all(&model, compiled, keep, sink),
            // The search index could not be written: the build fails.
            false => PagesMade {
                files: Vec::new(),
                streamed: Vec::new(),
                diagnostics: std::mem::take(&mut diagnostics),
            },
        };
        (files, streamed, diagnostics) = (rendered.files, rendered.streamed, rendered.diagnostics);
        streamed.splice(0..0, early);
        files.append(&mut search_files);
        let (feed, sitemap) = selection
            .as_ref()
            .map_or((true, true), |s| (s.feeds, s.sitemap));
        if feed || sitemap {
            for made in crate::feeds::outputs(&model, compiled, feed, sitemap) {
                match made {
                    Ok(file) => files.push(file),
                    Err(d) => diagnostics.push(d),
                }
            }
        }
        // The engine outlives this build: it must not hold its cards and
        // bodies, which the next rebuild updates in place.
        compiled.set_globals(Arc::new(Globals::default()));
    }
    Rendering {
        files,
        streamed,
        diagnostics,
        cards: Arc::clone(&model.cards),
        lists: Arc::clone(&model.lists),
        search,
    }
}

/// The search index entries, and its files when they changed.
fn search_index(
    model: &Model,
    plan: SearchPlan,
    old: Option<crate::search::Entries>,
    files: &mut Vec<OutputFile>,
) -> crate::search::Entries {
    match (plan, old) {
        (SearchPlan::Unchanged, Some(entries)) => entries,
        (SearchPlan::Pages(pages), Some(mut entries)) => {
            crate::search::update_entries(model, &mut entries, &pages);
            files.extend(crate::search::outputs(model, &mut entries));
            entries
        }
        _ => {
            let mut entries = crate::search::all_entries(model);
            files.extend(crate::search::outputs(model, &mut entries));
            entries
        }
    }
}

/// What a `serve` rebuild renders again, decided from the new model by
/// `serve`'s memo (a build renders everything).
pub(crate) struct Selection {
    /// The pages to render again.
    pub(crate) jobs: Box<dyn Fn(&Job) -> bool + Sync>,
    /// Whether the feed may differ (no card among its entries changed: it cannot).
    pub(crate) feeds: bool,
    /// Whether the sitemap may differ (no page's last change changed: it cannot).
    pub(crate) sitemap: bool,
    pub(crate) search: SearchPlan,
}

/// What becomes of the search index.
#[derive(Clone)]
pub(crate) enum SearchPlan {
    /// Made again from every page.
    All,
    /// As the last build made it.
    Unchanged,
    /// The last one with the entries of these pages made again.
    Pages(Vec<usize>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programme_states() {
        let d = |s: &str| crate::dates::Date::parse(s);
        let today = d("2026-01-15").unwrap();
        let state = |start: &str, end: &str| {
            programme_state(d(start), d(end), today).map(|s| serde_json::to_string(&s).unwrap())
        };
        assert_eq!(
            state("2025-06-01", "2025-06-30").as_deref(),
            Some("\"finished\"")
        );
        assert_eq!(
            state("2026-03-02", "2026-03-06").as_deref(),
            Some("\"upcoming\"")
        );
        assert_eq!(
            state("2026-01-15", "2026-01-15").as_deref(),
            Some("\"ongoing\"")
        );
        assert_eq!(state("2025-01-01", "").as_deref(), Some("\"ongoing\""));
        assert_eq!(state("", "2026-01-14").as_deref(), Some("\"finished\""));
        assert_eq!(state("", ""), None);
    }

    #[test]
    fn the_next_state_change_is_the_first_day_the_state_differs() {
        let d = |s: &str| crate::dates::Date::parse(s);
        let today = d("2026-01-15").unwrap();
        for (start, end) in [
            ("2026-03-02", "2026-03-06"),
            ("2026-01-15", "2026-01-15"),
            ("2025-01-01", ""),
            ("", "2026-01-20"),
            ("2025-06-01", "2025-06-30"),
            ("", ""),
        ] {
            let change = next_state_change(d(start), d(end), today);
            let state = |day| programme_state(d(start), d(end), day);
            match change {
                Some(day) => {
                    assert_ne!(state(day), state(today), "{start}–{end}");
                    assert_eq!(state(day.plus_days(-1)), state(today), "{start}–{end}");
                }
                // Never changes again: not even in ten years.
                None => assert_eq!(state(today.plus_days(3650)), state(today)),
            }
        }
    }

    #[test]
    fn page_counts() {
        assert_eq!(page_count(9, 4), 3);
        assert_eq!(page_count(0, 4), 1);
    }

    #[test]
    fn pager_window_keeps_ends_and_neighbours() {
        let window = |n, total| -> Vec<String> {
            pager_window(n, total)
                .into_iter()
                .map(|k| k.map_or("…".to_string(), |k| k.to_string()))
                .collect()
        };
        assert_eq!(window(1, 1), ["1"]);
        assert_eq!(window(2, 5), ["1", "2", "3", "4", "5"]);
        assert_eq!(window(1, 500), ["1", "2", "3", "…", "500"]);
        assert_eq!(
            window(250, 500),
            ["1", "…", "248", "249", "250", "251", "252", "…", "500"]
        );
        assert_eq!(window(4, 500), ["1", "2", "3", "4", "5", "6", "…", "500"]);
        assert_eq!(window(500, 500), ["1", "…", "498", "499", "500"]);
    }
}
