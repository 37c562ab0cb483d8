//! Markdown bodies to HTML: pulldown-cmark with the GFM extensions, unique
//! heading ids, `@/` internal links, French typography and a summary.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Lines, Location};
use crate::i18n::{self, Lang};
use crate::slug::slugify_or;
use crate::spill::Spill;
use crate::typography;

/// A heading of a page, for its table of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// An `@/page.md#anchor` link whose anchor is checked once every page is rendered.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    /// Target, relative to `content/` (`programmes/vis-mon-job.md`).
    pub target: String,
    pub anchor: String,
    pub location: Location,
}

/// What an `@/` link points to.
pub enum LinkTarget {
    /// URL of a published page or section.
    Published(String),
    /// An existing page that is not in the output (draft, consent ended).
    Unpublished,
    /// A file that exists but has errors of its own (reported there).
    Invalid,
    /// No such page; the path (in `content/`) of the one most likely meant.
    Missing(Option<String>),
}

/// What a body needs from the rest of the site.
pub struct Context<'a> {
    /// File as shown in messages, and its whole text (for line numbers and snippets).
    pub file: &'a Path,
    pub file_text: &'a str,
    /// Byte offset of the body in `file_text`.
    pub body_start: usize,
    /// The site's root folder (`file` is shown relative to it): where a
    /// relative link that leads to no published file is looked up.
    pub root: &'a Path,
    pub french: bool,
    /// Resolves `temoignages/lea.md` to its URL (`None`: no such page).
    pub resolve: &'a (dyn Fn(&str) -> Option<LinkTarget> + Sync),
    /// Resolves a relative link or image (`photo.jpg`, `../fiche.pdf`),
    /// relative to the Markdown file, to the URL of that file in the output.
    pub resolve_file: &'a (dyn Fn(&str) -> Option<FileRef> + Sync),
    /// Resolves a root-relative path (`/a-propos/`, or `/stages/a-propos/`
    /// with the base path) to the URL of that page or file under the site's
    /// base path; `None` when the site has nothing there.
    pub resolve_site: &'a (dyn Fn(&str) -> Option<FileRef> + Sync),
}

/// What a relative or root-relative link or image points to.
pub struct FileRef {
    pub url: String,
    /// Set for pictures that have responsive variants.
    pub image: Option<ImageAttrs>,
    /// Output path of the file of `content/` it is, if it is one: the page
    /// uses that file, so the file is published ([`Rendered::files_used`]).
    pub dest: Option<String>,
}

pub struct ImageAttrs {
    pub srcset: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// HTML of the first paragraph.
    pub summary_html: String,
    /// Text of the first paragraph (for descriptions and cards).
    pub summary_text: String,
    /// All text, for the search index and the surname check (a build
    /// keeps only its start once these are done).
    pub plain_text: String,
    /// Words of `plain_text`, counted before it may be cut.
    pub word_count: usize,
    pub headings: Vec<Heading>,
    pub anchor_refs: Vec<AnchorRef>,
    pub diagnostics: Vec<Diagnostic>,
    /// Output paths of the files of `content/` that the body links to or
    /// shows: the only loose files of `content/` that get published.
    pub files_used: Vec<String>,
    /// `html` and `plain_text` put away (and both then empty), once a
    /// large site's build has checked the body: every page's body waits for
    /// the templates, in the build's temporary file ([`Rendered::spill`]),
    /// else compressed in memory ([`Rendered::pack`]).
    pub packed: Option<Packed>,
}

/// A body's HTML and text put away.
#[derive(Debug, Clone)]
pub enum Packed {
    /// Compressed (LZ4 blocks, their size first), in memory.
    Held { html: Box<[u8]>, text: Box<[u8]> },
    /// As they were, in `spill` from `at`: the HTML's `html` bytes, then
    /// the text's `text`. Not compressed: compressing took more time than
    /// writing twice the bytes to the system's cache.
    Spilled {
        spill: Arc<Spill>,
        at: u64,
        html: usize,
        text: usize,
    },
}

impl Packed {
    fn html(&self) -> io::Result<String> {
        match self {
            Packed::Held { html, .. } => unpack(html),
            Packed::Spilled {
                spill, at, html, ..
            } => as_text(spill.read(*at, *html)?),
        }
    }

    fn text(&self) -> io::Result<String> {
        match self {
            Packed::Held { text, .. } => unpack(text),
            Packed::Spilled {
                spill,
                at,
                html,
                text,
            } => as_text(spill.read(*at + *html as u64, *text)?),
        }
    }
}

impl Rendered {
    /// The body's HTML, read back if it was put away ([`Rendered::packed`]).
    pub fn html_text(&self) -> io::Result<Cow<'_, str>> {
        match &self.packed {
            None => Ok(Cow::Borrowed(&self.html)),
            Some(packed) => packed.html().map(Cow::Owned),
        }
    }

    /// [`Rendered::plain_text`], read back if it was put away.
    pub fn text(&self) -> io::Result<Cow<'_, str>> {
        match &self.packed {
            None => Ok(Cow::Borrowed(&self.plain_text)),
            Some(packed) => packed.text().map(Cow::Owned),
        }
    }

    /// Compresses the HTML and the text (see [`Rendered::packed`]).
    pub fn pack(&mut self) {
        let pack = |text: String| lz4_flex::block::compress_prepend_size(text.as_bytes()).into();
        self.packed = Some(Packed::Held {
            html: pack(std::mem::take(&mut self.html)),
            text: pack(std::mem::take(&mut self.plain_text)),
        });
    }

    /// Moves the HTML and text of `bodies` not yet put away to `spill`, in
    /// one write. When it fails they stay as they were.
    pub fn spill(bodies: &mut [Option<Rendered>], spill: &Arc<Spill>) -> io::Result<()> {
        let at_hand = |b: &&mut Rendered| b.packed.is_none();
        let mut bodies: Vec<&mut Rendered> = bodies.iter_mut().flatten().filter(at_hand).collect();
        let parts: Vec<&[u8]> = bodies
            .iter()
            .flat_map(|b| [b.html.as_bytes(), b.plain_text.as_bytes()])
            .collect();
        let mut at = spill.append(&parts)?;
        for body in &mut bodies {
            let (html, text) = (body.html.len(), body.plain_text.len());
            body.packed = Some(Packed::Spilled {
                spill: Arc::clone(spill),
                at,
                html,
                text,
            });
            at += (html + text) as u64;
            body.html = String::new();
            body.plain_text = String::new();
        }
        Ok(())
    }
}

/// Bytes written from a string, read back.
fn as_text(bytes: Vec<u8>) -> io::Result<String> {
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// What `pack` compressed. Made from a string, it reads back whole unless
/// the bytes were damaged on the way (an error then, never a wrong page).
fn unpack(bytes: &[u8]) -> io::Result<String> {
    let bytes = lz4_flex::block::decompress_size_prepended(bytes)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    as_text(bytes)
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders the body of a page.
pub fn render(ctx: &Context) -> Rendered {
    let body = ctx.file_text.get(ctx.body_start..).unwrap_or("");
    // Warned about at load; kept out of the HTML.
    let body = crate::content::front_matter::without_controls(body);
    let body = body.as_ref();
    let mut out = Rendered::default();
    let lines = Lines::new(ctx.file_text);
    let events = collect_events(body, ctx, &lines, &mut out);
    let events: Vec<Event> = if ctx.french {
        typography::french_events(events.into_iter()).collect()
    } else {
        events
    };
    summarise(&events, &mut out);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out.word_count = out.plain_text.split_whitespace().count();
    out
}

/// Parses `body`, giving headings ids and resolving `@/` links.
fn collect_events<'a>(
    body: &'a str,
    ctx: &Context,
    lines: &Lines,
    out: &mut Rendered,
) -> Vec<Event<'a>> {
    let mut events: Vec<Event<'a>> = Vec::new();
    let mut used_ids = HeadingIds::default();
    // Footnotes take their label as id (`[^1]` → `id="1"`): headings must
    // not take the same.
    for label in footnote_labels(body) {
        used_ids.used.insert(label.to_string());
    }
    // Index in `events` of the open heading, if any.
    let mut open_heading: Option<usize> = None;
    // Depth of links dropped because their target is unpublished.
    let mut dropped_links: Vec<bool> = Vec::new();
    // The image being read: its alt text is what comes before its end.
    let mut image: Option<OpenImage> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Some(open) = image.as_mut() {
            if !(matches!(event, Event::End(TagEnd::Image)) && open.depth == 0) {
                match &event {
                    Event::Start(Tag::Image { .. }) => open.depth += 1,
                    Event::End(TagEnd::Image) => open.depth -= 1,
                    Event::Text(t) | Event::Code(t) => open.alt.push_str(t),
                    _ => {}
                }
                if open.picture.is_none() {
                    events.push(event);
                }
                continue;
            }
        }
        if let (Event::End(TagEnd::Image), Some(open)) = (&event, image.take()) {
            close_image(open, ctx, lines, &mut events, out);
            continue;
        }
        match event {
            Event::Start(Tag::Heading { .. }) => {
                open_heading = Some(events.len());
                events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = open_heading.take() {
                    let heading = name_heading(&mut events, start, level, &mut used_ids);
                    out.headings.push(heading);
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let location = location_of(ctx, lines, range.start);
                match rewrite_link(&dest_url, ctx, location, out) {
                    LinkRewrite::Keep => {
                        dropped_links.push(false);
                        events.push(Event::Start(Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id,
                        }));
                    }
                    LinkRewrite::To(url) => {
                        dropped_links.push(false);
                        events.push(Event::Start(Tag::Link {
                            link_type,
                            dest_url: CowStr::from(url),
                            title,
                            id,
                        }));
                    }
                    LinkRewrite::Drop => dropped_links.push(true),
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let found = if is_relative(&dest_url) {
                    let found = (ctx.resolve_file)(&dest_url);
                    if found.is_none() {
                        let location = location_of(ctx, lines, range.start);
                        out.diagnostics
                            .extend(unresolved_file(&dest_url, true, ctx, location));
                    }
                    found
                } else if root_relative(&dest_url) {
                    let found = site_url(&dest_url, ctx);
                    if found.is_none() {
                        let location = location_of(ctx, lines, range.start);
                        out.diagnostics.push(outside_site(&dest_url, location));
                    }
                    found
                } else {
                    None
                };
                if let Some(f) = &found {
                    let location = location_of(ctx, lines, range.start);
                    check_format(f, &dest_url, &location, out);
                }
                let found = found.map(|f| used(f, out));
                let mut open = OpenImage {
                    picture: None,
                    start: events.len(),
                    alt: String::new(),
                    dest: dest_url.to_string(),
                    offset: range.start,
                    depth: 0,
                };
                match found {
                    Some(FileRef {
                        url,
                        image: Some(attrs),
                        ..
                    }) => open.picture = Some((url, attrs)),
                    Some(FileRef {
                        url, image: None, ..
                    }) => {
                        events.push(Event::Start(Tag::Image {
                            link_type,
                            dest_url: CowStr::from(url),
                            title,
                            id,
                        }));
                    }
                    None => events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })),
                }
                image = Some(open);
            }
            // pulldown-cmark's checkbox has no accessible name.
            Event::TaskListMarker(done) => {
                let lang = if ctx.french { Lang::Fr } else { Lang::En };
                let label = crate::i18n::task_label(done, lang);
                let checked = if done { " checked" } else { "" };
                events.push(Event::InlineHtml(CowStr::from(format!(
                    "<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> "
                ))));
            }
            Event::End(TagEnd::Link) => {
                if !dropped_links.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            other => events.push(other),
        }
    }
    events
}

/// Gives the heading that starts at `events[start]` an id (its own
/// `{#id}` or its slugified text), unique in the page.
fn name_heading(
    events: &mut [Event],
    start: usize,
    level: HeadingLevel,
    used: &mut HeadingIds,
) -> Heading {
    let title: String = events[start + 1..]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let Event::Start(Tag::Heading {
        id, classes, attrs, ..
    }) = &events[start]
    else {
        return Heading {
            level: level as u8,
            id: String::new(),
            title,
        };
    };
    let base = match id {
        Some(custom) => custom.to_string(),
        None => slugify_or(&title, "section"),
    };
    let unique = used.claim(base);
    events[start] = Event::Start(Tag::Heading {
        level,
        id: Some(CowStr::from(unique.clone())),
        classes: classes.clone(),
        attrs: attrs.clone(),
    });
    Heading {
        level: level as u8,
        id: unique,
        title,
    }
}

/// Heading ids given so far in a page.
#[derive(Default)]
struct HeadingIds {
    used: HashSet<String>,
    /// Next suffix to try per base id: counting from 1 for every repeat
    /// made 20 000 headings "Réponse" take minutes.
    next: std::collections::HashMap<String, usize>,
}

/// Labels of the footnote definitions of `body` (`[^1]: …` lines).
fn footnote_labels(body: &str) -> impl Iterator<Item = &str> {
    body.lines().filter_map(|line| {
        let text = line.trim_start();
        if line.len() - text.len() > 3 {
            return None;
        }
        let rest = text.strip_prefix("[^")?;
        rest.find("]:").map(|end| &rest[..end])
    })
}

impl HeadingIds {
    /// `base`, or `base-1`, `base-2`… the first not yet used.
    fn claim(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        // Suffixes below `n` were used already, and the set only grows.
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

enum LinkRewrite {
    Keep,
    To(String),
    /// Render the link text without a link.
    Drop,
}

fn rewrite_link(dest: &str, ctx: &Context, location: Location, out: &mut Rendered) -> LinkRewrite {
    if root_relative(dest) {
        return match site_url(dest, ctx) {
            Some(found) => {
                check_format(&found, dest, &location, out);
                LinkRewrite::To(used(found, out).url)
            }
            None => {
                out.diagnostics.push(outside_site(dest, location));
                LinkRewrite::Keep
            }
        };
    }
    let Some(internal) = dest.strip_prefix("@/") else {
        if is_relative(dest) {
            if let Some(file) = (ctx.resolve_file)(dest) {
                check_format(&file, dest, &location, out);
                return LinkRewrite::To(used(file, out).url);
            }
            out.diagnostics
                .extend(unresolved_file(dest, false, ctx, location));
        }
        return LinkRewrite::Keep;
    };
    let (target, anchor) = match internal.split_once('#') {
        Some((t, a)) => (t, Some(a)),
        None => (internal, None),
    };
    let target = crate::urls::percent_decode(target);
    match (ctx.resolve)(&target) {
        Some(LinkTarget::Published(url)) => {
            if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                out.anchor_refs.push(AnchorRef {
                    target: target.clone(),
                    anchor: anchor.to_string(),
                    location,
                });
                LinkRewrite::To(format!("{url}#{anchor}"))
            } else {
                LinkRewrite::To(url)
            }
        }
        Some(LinkTarget::Invalid) => LinkRewrite::Keep,
        Some(LinkTarget::Unpublished) => {
            out.diagnostics.push(
                Diagnostic::warning("link-to-unpublished", i18n::link_to_unpublished(&target))
                    .at(location),
            );
            LinkRewrite::Drop
        }
        missing @ (None | Some(LinkTarget::Missing(_))) => {
            let help = match missing {
                Some(LinkTarget::Missing(Some(meant))) => {
                    let anchor = anchor.map(|a| format!("#{a}")).unwrap_or_default();
                    i18n::did_you_mean(format!("@/{meant}{anchor}"))
                }
                _ => i18n::hint_link_path(),
            };
            out.diagnostics.push(
                Diagnostic::error("broken-link", i18n::broken_link(&target))
                    .at(location)
                    .help(help),
            );
            LinkRewrite::Keep
        }
    }
}

/// The pages and sections a broken `@/` link may have meant, indexed once.
#[derive(Debug, Default)]
pub struct LinkCandidates {
    /// By folder: each candidate's name and path in `content/`.
    by_folder: std::collections::HashMap<String, Vec<(String, String)>>,
    /// By name: the paths of the candidates of that name, in any folder.
    by_name: std::collections::HashMap<String, Vec<String>>,
}

impl LinkCandidates {
    /// From the paths in `content/` of every page and section
    /// (`temoignages/lea.md`, `temoignages/julien/index.md`,
    /// `temoignages/_index.md`).
    pub fn new<'a>(rels: impl IntoIterator<Item = &'a str>) -> LinkCandidates {
        let mut candidates = LinkCandidates::default();
        for rel in rels {
            let (folder, name) = link_key(rel);
            if name.is_empty() {
                continue;
            }
            candidates
                .by_folder
                .entry(folder.clone())
                .or_default()
                .push((name.clone(), rel.to_string()));
            candidates
                .by_name
                .entry(name)
                .or_default()
                .push(rel.to_string());
        }
        for list in candidates.by_folder.values_mut() {
            list.sort();
        }
        for list in candidates.by_name.values_mut() {
            list.sort();
        }
        candidates
    }

    /// The path the writer most likely meant by the broken `target`: the
    /// same name written another way (case, accents, without `.md`), a
    /// close name in the same folder, or the same name in another folder.
    pub fn closest(&self, target: &str) -> Option<&str> {
        let (folder, name) = link_key(target);
        let same_folder = self.by_folder.get(&folder).map_or(&[][..], Vec::as_slice);
        if let Some((_, rel)) = same_folder.iter().find(|(n, _)| *n == name) {
            return Some(rel);
        }
        let names: Vec<&str> = same_folder.iter().map(|(n, _)| n.as_str()).collect();
        if let Some(close) = crate::fields::did_you_mean(&name, &names) {
            return same_folder
                .iter()
                .find(|(n, _)| *n == close)
                .map(|(_, rel)| rel.as_str());
        }
        match self.by_name.get(&name).map(Vec::as_slice) {
            Some([only]) => Some(only),
            _ => None,
        }
    }
}

/// An image whose alt text is being read.
struct OpenImage {
    /// URL and variants when it becomes a responsive `<img>` (its events
    /// are then not kept).
    picture: Option<(String, ImageAttrs)>,
    /// Index of its start in the events (plain images).
    start: usize,
    alt: String,
    /// The file as the writer wrote it, and where (body offset).
    dest: String,
    offset: usize,
    /// Images inside its alt text.
    depth: usize,
}

/// Alt texts by which writers mark an image as decorative (read without
/// accents or case): `![décoration](frise.png)` gets `alt=""`.
const DECORATIVE: &[&str] = &["decoration", "decoratif", "decorative"];

/// Ends an image: an empty alt text is an error (the README promises it),
/// unless the writer marked the image as decorative.
fn close_image(
    open: OpenImage,
    ctx: &Context,
    lines: &Lines,
    events: &mut Vec<Event>,
    out: &mut Rendered,
) {
    let alt = open.alt.trim();
    if alt.is_empty() {
        out.diagnostics.push(
            Diagnostic::error("image-without-alt", i18n::image_without_alt(&open.dest))
                .at(location_of(ctx, lines, open.offset))
                .help(i18n::hint_image_alt(&open.dest)),
        );
    }
    let decorative = DECORATIVE.contains(&crate::content::collation_key(alt).as_str());
    match open.picture {
        Some((url, attrs)) => {
            let alt = if decorative { "" } else { open.alt.as_str() };
            events.push(Event::InlineHtml(CowStr::from(picture_html(
                &url, &attrs, alt,
            ))));
        }
        None => {
            if decorative {
                events.truncate(open.start + 1);
            }
            events.push(Event::End(TagEnd::Image));
        }
    }
}

/// A link target or a candidate as (folder, name), both slugified, without
/// `.md`, `index.md` or `_index.md`: `temoignages/Léa.md`,
/// `temoignages/lea/index.md` and `temoignages/lea` are one.
fn link_key(rel: &str) -> (String, String) {
    let rel = rel.trim_matches('/');
    let lower = rel.to_lowercase();
    let mut path = rel;
    for suffix in ["/_index.md", "/index.md", "_index.md", ".markdown", ".md"] {
        if lower.ends_with(suffix) {
            path = &rel[..rel.len() - suffix.len()];
            break;
        }
    }
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    let folder: Vec<String> = folder
        .split('/')
        .filter(|s| !s.is_empty())
        .map(crate::slug::slugify)
        .collect();
    (folder.join("/"), crate::slug::slugify(name))
}

/// `<img>` with `srcset`, intrinsic size (no layout shift) and lazy loading.
fn picture_html(url: &str, attrs: &ImageAttrs, alt: &str) -> String {
    let esc = crate::escape::escape;
    format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
        esc(url),
        esc(&attrs.srcset),
        crate::images::PROSE_SIZES,
        attrs.width,
        attrs.height,
        esc(alt)
    )
}

/// A link to a file next to the Markdown (`photo.jpg`, `docs/a.pdf`), not a
/// URL with a scheme, an absolute path or a fragment.
/// `/a-propos/`: a link from the host's root. Under a sub-path
/// (`/stages/`) it would leave the site, so it is resolved against the site.
fn root_relative(dest: &str) -> bool {
    dest.starts_with('/') && !dest.starts_with("//")
}

/// What a root-relative `dest` leads to, its URL under the base path
/// keeping its `?query` and `#fragment`.
fn site_url(dest: &str, ctx: &Context) -> Option<FileRef> {
    let cut = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, suffix) = dest.split_at(cut);
    (ctx.resolve_site)(&crate::urls::percent_decode(path)).map(|found| FileRef {
        url: format!("{}{suffix}", found.url),
        ..found
    })
}

/// Notes that the body uses the file `found` leads to, if it is one.
fn used(mut found: FileRef, out: &mut Rendered) -> FileRef {
    if let Some(dest) = found.dest.take() {
        out.files_used.push(dest);
    }
    found
}

/// A file of `content/` in a picture format vitrine cannot clean is never
/// published: an error at the line that uses it.
fn check_format(found: &FileRef, dest: &str, location: &Location, out: &mut Rendered) {
    let Some(file) = found.dest.as_deref().map(Path::new) else {
        return;
    };
    if crate::images::picture(file) == Some(crate::images::Picture::Unsupported) {
        let format = crate::images::format_name(file);
        out.diagnostics.push(
            Diagnostic::error(
                "unsupported-picture",
                i18n::with_reason(
                    &i18n::Text::verbatim(format!("`{dest}`")),
                    &i18n::unsupported_picture(&format),
                ),
            )
            .at(location.clone())
            .help(i18n::hint_unsupported_picture()),
        );
    }
}

/// What is wrong with a relative link or picture `dest` that leads to no
/// published file: it leaves `content/` (an error: never published), it
/// names a missing file (a picture: an error, the page would show a hole; a
/// link: a warning), or a page's Markdown file (a warning: `@/` is meant).
/// `None` when nothing is to be said: an existing file that is not
/// published for reasons reported elsewhere (a backup copy, a hidden name),
/// or a link without extension, read as a web address (`../autre/`).
fn unresolved_file(
    dest: &str,
    picture: bool,
    ctx: &Context,
    location: Location,
) -> Option<Diagnostic> {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let decoded = crate::urls::percent_decode(path);
    if decoded.is_empty() {
        return None;
    }
    if !picture && Path::new(&decoded).extension().is_none() {
        return None;
    }
    let page = ctx.root.join(ctx.file);
    let target = lexical_join(page.parent()?, &decoded);
    let content_dir = ctx.root.join(crate::content::CONTENT_DIR);
    if !target.starts_with(&content_dir) {
        return Some(
            Diagnostic::error("link-outside-content", i18n::link_outside_content(dest))
                .at(location)
                .help(i18n::hint_link_outside_content()),
        );
    }
    if let Ok(meta) = std::fs::metadata(&target) {
        // A symlink out of the site is never published: its picture would
        // be a hole, as if it were missing.
        if leads_outside(ctx.root, &target) {
            let diagnostic = if picture {
                Diagnostic::error("broken-image", i18n::picture_outside_site(dest))
            } else {
                Diagnostic::warning("broken-link", i18n::file_outside_site(dest))
            };
            return Some(diagnostic.at(location).help(i18n::hint_symlink_outside()));
        }
        let rel = crate::content::rel_path(&content_dir, &target);
        let lower = rel.to_lowercase();
        let page = meta.is_file() && (lower.ends_with(".md") || lower.ends_with(".markdown"));
        return page.then(|| {
            Diagnostic::warning("broken-link", i18n::relative_page_link(dest))
                .at(location)
                .help(i18n::did_you_mean(format!("@/{rel}")))
        });
    }
    let help = match near_name(&target) {
        Some(name) => {
            let spelt = match path.rfind('/') {
                Some(i) => format!("{}{name}", &path[..=i]),
                None => name,
            };
            i18n::did_you_mean(&spelt)
        }
        None => i18n::hint_missing_file(),
    };
    let diagnostic = if picture {
        Diagnostic::error("broken-image", i18n::missing_picture(dest))
    } else {
        Diagnostic::warning("broken-link", i18n::missing_file(dest))
    };
    Some(diagnostic.at(location).help(help))
}

/// Whether the existing `target`, once its symlinks are followed, lies
/// outside the site at `root`.
fn leads_outside(root: &Path, target: &Path) -> bool {
    match (root.canonicalize(), target.canonicalize()) {
        (Ok(root), Ok(target)) => !target.starts_with(root),
        _ => false,
    }
}

/// The name of a file beside the missing `target` that the writer most
/// likely meant: the same name in another case (`IMG_2041.jpg` for
/// `IMG_2041.JPG`), else a close one.
fn near_name(target: &Path) -> Option<String> {
    let wanted = target.file_name()?.to_string_lossy().to_string();
    let names: Vec<String> = std::fs::read_dir(target.parent()?)
        .ok()?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| !n.starts_with('.'))
        .collect();
    let lower = wanted.to_lowercase();
    if let Some(same) = names.iter().find(|n| n.to_lowercase() == lower) {
        return Some(same.clone());
    }
    crate::fields::did_you_mean(&wanted, &names)
}

/// `dir/rel` with `.` and `..` resolved without touching the disk.
pub(crate) fn lexical_join(dir: &Path, rel: &str) -> std::path::PathBuf {
    let mut out = dir.to_path_buf();
    for segment in rel.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out
}

fn outside_site(dest: &str, location: Location) -> Diagnostic {
    Diagnostic::warning("root-relative-link", i18n::root_relative_link(dest))
        .at(location)
        .help(i18n::hint_root_relative_link())
}

fn is_relative(dest: &str) -> bool {
    !dest.is_empty()
        && !dest.starts_with(['/', '#', '?', '@'])
        && !dest.contains("://")
        && !dest.starts_with("mailto:")
        && !dest.starts_with("tel:")
        && !dest.starts_with("data:")
}

/// The location of byte `offset` of the body, underlining up to the `)`
/// that closes the link. Through `lines`: scanning the file from the top for
/// every link made a 10 MB page take minutes.
fn location_of(ctx: &Context, lines: &Lines, offset: usize) -> Location {
    let absolute = (ctx.body_start + offset).min(ctx.file_text.len());
    let rest = ctx.file_text.get(absolute..).unwrap_or("");
    // In bytes from the link's start, as `Location::len` wants.
    let len = rest.find([')', '\n']).map_or(1, |i| i + 1);
    Location::at_offset(ctx.file, lines, absolute, len)
}

/// Fills the summary (first paragraph) and the plain text.
fn summarise(events: &[Event], out: &mut Rendered) {
    let mut in_first = false;
    let mut first_done = false;
    let mut summary_events: Vec<Event> = Vec::new();
    let mut depth = 0usize;
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => {
                out.plain_text.push_str(t);
                if in_first {
                    out.summary_text.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                out.plain_text.push(' ');
                if in_first {
                    out.summary_text.push(' ');
                }
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => {
                out.plain_text.push('\n');
            }
            _ => {}
        }
        match event {
            Event::Start(Tag::Paragraph) if !first_done && depth == 0 => in_first = true,
            Event::End(TagEnd::Paragraph) if in_first => {
                summary_events.push(event.clone());
                in_first = false;
                first_done = true;
                continue;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if in_first {
            summary_events.push(event.clone());
        }
    }
    pulldown_cmark::html::push_html(&mut out.summary_html, summary_events.into_iter());
    out.summary_text = out.summary_text.trim().to_string();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_body_gives_back_its_html_and_text() {
        let mut body = body_of(1);
        let (html, text) = (body.html.clone(), body.plain_text.clone());
        body.pack();
        assert!(body.html.is_empty() && body.plain_text.is_empty());
        let held = match &body.packed {
            Some(Packed::Held { html, .. }) => html.len(),
            other => panic!("{other:?}"),
        };
        assert!(held < html.len() / 4, "{held}");
        assert_eq!(body.html_text().unwrap(), html);
        assert_eq!(body.text().unwrap(), text);
    }

    #[test]
    fn spilled_bodies_read_back_each_its_own_html_and_text() {
        let spill = Arc::new(Spill::new().unwrap());
        // A first chunk, then one with a gap and a body packed in memory.
        let mut first = vec![Some(body_of(1)), Some(body_of(2))];
        let mut second = vec![Some(body_of(3)), None, Some(body_of(4))];
        let wanted: Vec<(String, String)> = first
            .iter()
            .chain(&second)
            .flatten()
            .map(|b| (b.html.clone(), b.plain_text.clone()))
            .collect();
        // The last one was packed in memory already: it stays there.
        second.iter_mut().skip(2).flatten().for_each(Rendered::pack);
        Rendered::spill(&mut first, &spill).unwrap();
        Rendered::spill(&mut second, &spill).unwrap();
        let spilled = |b: &Rendered| matches!(b.packed, Some(Packed::Spilled { .. }));
        let bodies: Vec<&Rendered> = first.iter().chain(&second).flatten().collect();
        assert_eq!(
            bodies.iter().map(|b| spilled(b)).collect::<Vec<_>>(),
            [true, true, true, false]
        );
        assert!(bodies
            .iter()
            .all(|b| b.html.is_empty() && b.plain_text.is_empty()));
        for (body, (html, text)) in bodies.into_iter().zip(wanted) {
            assert_eq!(body.html_text().unwrap(), html);
            assert_eq!(body.text().unwrap(), text);
        }
    }

    #[test]
    fn damaged_packed_bytes_are_an_error_not_an_empty_page() {
        let body = Rendered {
            packed: Some(Packed::Held {
                html: Box::new([200, 0, 0, 0, 1, 2]),
                text: Box::new([]),
            }),
            ..Rendered::default()
        };
        assert!(body.html_text().is_err());
        assert!(body.text().is_err());
    }

    /// A body whose HTML and text name `n`.
    fn body_of(n: usize) -> Rendered {
        Rendered {
            html: format!("<p>Élodie n°{n} a « aimé » son stage.</p>\n").repeat(40),
            plain_text: format!("Élodie n°{n} a « aimé » son stage. ").repeat(40),
            ..Rendered::default()
        }
    }

    fn render_md(md: &str, french: bool) -> Rendered {
        let resolve = |target: &str| match target {
            "temoignages/lea.md" => Some(LinkTarget::Published("/temoignages/lea/".into())),
            "brouillon.md" => Some(LinkTarget::Unpublished),
            "temoignages/lae.md" => Some(LinkTarget::Missing(Some("temoignages/lea.md".into()))),
            _ => None,
        };
        let resolve_file = |dest: &str| match dest {
            "photo.jpg" => Some(FileRef {
                url: "/t/photo.jpg".into(),
                image: None,
                dest: Some("t/photo.jpg".into()),
            }),
            "grand.jpg" => Some(FileRef {
                url: "/t/grand.jpg".into(),
                image: Some(ImageAttrs {
                    srcset: "/t/grand-320w.jpg 320w, /t/grand.jpg 900w".into(),
                    width: 900,
                    height: 600,
                }),
                dest: Some("t/grand.jpg".into()),
            }),
            _ => None,
        };
        // The site lives under `/stages/`.
        let resolve_site = |path: &str| {
            let (url, dest) = match path.trim_start_matches("/stages") {
                "/a-propos/" | "/a-propos" => ("/stages/a-propos/", None),
                "/t/photo.jpg" => ("/stages/t/photo.jpg", Some("t/photo.jpg".to_string())),
                "/t/fiche.pdf" => ("/stages/t/fiche.pdf", Some("t/fiche.pdf".to_string())),
                _ => return None,
            };
            Some(FileRef {
                url: url.to_string(),
                image: None,
                dest,
            })
        };
        render(&Context {
            file: Path::new("content/x.md"),
            file_text: md,
            body_start: 0,
            root: Path::new("/nulle/part"),
            french,
            resolve: &resolve,
            resolve_file: &resolve_file,
            resolve_site: &resolve_site,
        })
    }

    #[test]
    fn root_relative_links_go_under_the_base_path() {
        let r = render_md(
            "[a](/a-propos/#equipe) [b](/stages/a-propos) [c](/ailleurs/) [d](//cdn.example/x) ![p](/t/photo.jpg)\n",
            true,
        );
        assert!(
            r.html.contains("href=\"/stages/a-propos/#equipe\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"/stages/a-propos/\""), "{}", r.html);
        assert!(r.html.contains("src=\"/stages/t/photo.jpg\""), "{}", r.html);
        // Not in the site: kept, with a warning naming it.
        assert!(r.html.contains("href=\"/ailleurs/\""), "{}", r.html);
        assert!(r.html.contains("href=\"//cdn.example/x\""), "{}", r.html);
        let warned: Vec<_> = r.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(warned, ["root-relative-link"], "{:?}", r.diagnostics);
        // Files of `content/` reached from the root are used, pages are not.
        assert_eq!(r.files_used, ["t/photo.jpg"]);
        let r = render_md("[fiche](/stages/t/fiche.pdf#p2)\n", true);
        assert!(
            r.html.contains("href=\"/stages/t/fiche.pdf#p2\""),
            "{}",
            r.html
        );
        assert_eq!(r.files_used, ["t/fiche.pdf"]);
    }

    #[test]
    fn gfm_extensions() {
        let r = render_md(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~non~~ et [^1]\n\n- [x] fait\n\n[^1]: note\n",
            false,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>non</del>"));
        assert!(r.html.contains("checkbox"));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn headings_do_not_take_footnote_ids() {
        let r = render_md("## 1\n\nTexte[^1].\n\n[^1]: une note\n", false);
        assert_eq!(r.headings[0].id, "1-1");
        assert_eq!(r.html.matches("id=\"1\"").count(), 1, "{}", r.html);
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render_md("## Été 2020\n\n## Été 2020\n\n## Perso {#mon-id}\n", false);
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["ete-2020", "ete-2020-1", "mon-id"]);
        assert!(r.html.contains("<h2 id=\"ete-2020-1\">"));
    }

    #[test]
    fn internal_links_resolve_or_report_with_line() {
        let r = render_md(
            "Voir [Léa](@/temoignages/lea.md#debut).\n\nEt [rien](@/nulle-part.md).\n",
            false,
        );
        assert!(r.html.contains("href=\"/temoignages/lea/#debut\""));
        assert_eq!(r.anchor_refs.len(), 1);
        assert_eq!(r.diagnostics.len(), 1);
        let d = &r.diagnostics[0];
        assert_eq!(d.code, "broken-link");
        assert_eq!(
            d.location.as_ref().map(|l| (l.line, l.column)),
            Some((3, 4))
        );
    }

    #[test]
    fn a_broken_link_suggests_the_page_meant() {
        let r = render_md(
            "[Léa](@/temoignages/lae.md#debut) [x](@/nulle-part.md)\n",
            false,
        );
        let helps: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| d.help.as_deref().map(str::to_owned))
            .collect();
        assert_eq!(
            helps,
            [
                Some("vouliez-vous dire `@/temoignages/lea.md#debut` ?".to_string()),
                Some(crate::i18n::hint_link_path().to_string()),
            ]
        );
    }

    #[test]
    fn link_candidates_find_the_page_meant() {
        let c = LinkCandidates::new([
            "_index.md",
            "a-propos.md",
            "temoignages/_index.md",
            "temoignages/lea-dupont.md",
            "temoignages/marc-durand.md",
            "temoignages/julien/index.md",
            "programmes/_index.md",
            "programmes/vis-mon-job.md",
        ]);
        let lea = Some("temoignages/lea-dupont.md");
        // A typo, another spelling, no `.md`.
        assert_eq!(c.closest("temoignages/lea-dupond.md"), lea);
        assert_eq!(c.closest("temoignages/Léa-Dupont.md"), lea);
        assert_eq!(c.closest("temoignages/lea-dupont"), lea);
        assert_eq!(c.closest("/temoignages/lea-dupont/"), lea);
        // A bundle by its folder's name, a section by its folder.
        assert_eq!(
            c.closest("temoignages/julien.md"),
            Some("temoignages/julien/index.md")
        );
        assert_eq!(c.closest("temoignage/"), Some("temoignages/_index.md"));
        // The right name in another folder.
        assert_eq!(
            c.closest("temoignages/vis-mon-job.md"),
            Some("programmes/vis-mon-job.md")
        );
        assert_eq!(
            c.closest("vis-mon-job.md"),
            Some("programmes/vis-mon-job.md")
        );
        // Nothing close: no guess (the shared folder name is not enough).
        assert_eq!(c.closest("temoignages/sophie-martin.md"), None);
        assert_eq!(c.closest("ailleurs/inconnu.md"), None);
    }

    #[test]
    fn thousands_of_same_headings_get_ids_quickly() {
        let md = "## Réponse {#reponse-2}\n\n".to_string() + &"## Réponse\n\n".repeat(20_000);
        let started = std::time::Instant::now();
        let r = render_md(&md, false);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids[..4], ["reponse-2", "reponse", "reponse-1", "reponse-3"]);
        let unique: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len());
    }

    #[test]
    fn link_columns_count_accented_letters_once() {
        let r = render_md("Été € [rien](@/nulle-part.md) ici\n", false);
        let loc = r.diagnostics[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (1, 7));
        assert_eq!(loc.len, "[rien](@/nulle-part.md)".len());
    }

    #[test]
    fn many_links_in_a_long_page_stay_linear() {
        // 20 000 links over 2 MB: rescanning the file per link took minutes.
        let line = "Voir [Léa](@/temoignages/lea.md#debut) et du texte pour remplir la ligne.\n";
        let md = line.repeat(20_000) + "[fin](@/nulle-part.md)\n";
        let started = std::time::Instant::now();
        let r = render_md(&md, false);
        assert_eq!(r.anchor_refs.len(), 20_000);
        assert_eq!(r.diagnostics[0].location.as_ref().unwrap().line, 20_001);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn links_to_unpublished_pages_become_text() {
        let r = render_md("Un [brouillon](@/brouillon.md) ici.\n", false);
        assert!(!r.html.contains("<a"), "{}", r.html);
        assert!(r.html.contains("brouillon"));
        assert_eq!(r.diagnostics[0].code, "link-to-unpublished");
    }

    #[test]
    fn summary_is_the_first_paragraph() {
        let r = render_md("# Titre\n\nPremier *paragraphe*.\n\nSecond.\n", false);
        assert_eq!(r.summary_text, "Premier paragraphe.");
        assert_eq!(r.summary_html.trim(), "<p>Premier <em>paragraphe</em>.</p>");
    }

    #[test]
    fn raw_html_passes_through() {
        let r = render_md("<div class=\"x\">brut</div>\n", true);
        assert!(r.html.contains("<div class=\"x\">brut</div>"));
    }

    #[test]
    fn relative_files_get_site_urls() {
        let r = render_md(
            "![Portrait](photo.jpg) [ext](https://a.fr/) [autre](inconnu.pdf)\n",
            false,
        );
        assert!(r.html.contains("src=\"/t/photo.jpg\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://a.fr/\""));
        assert!(r.html.contains("href=\"inconnu.pdf\""));
        assert_eq!(r.files_used, ["t/photo.jpg"]);
        let r = render_md("![Un *grand* schéma](grand.jpg)\n", false);
        assert_eq!(r.files_used, ["t/grand.jpg"]);
        assert!(
            r.html
                .contains("srcset=\"/t/grand-320w.jpg 320w, /t/grand.jpg 900w\""),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("width=\"900\" height=\"600\" alt=\"Un grand schéma\" loading=\"lazy\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn images_need_a_text_alternative_unless_decorative() {
        let r = render_md(
            "![](IMG_2041.JPG)\n\n![ ](photo.jpg)\n\n![Décoration](photo.jpg) ![décoratif](grand.jpg)\n",
            true,
        );
        let found: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.code, d.location.as_ref().map(|l| l.line)))
            .collect();
        assert_eq!(
            found,
            [
                // No such file in the test's (missing) site either.
                ("broken-image", Some(1)),
                ("image-without-alt", Some(1)),
                ("image-without-alt", Some(3))
            ],
            "{:?}",
            r.diagnostics
        );
        assert!(
            r.html.contains("<img src=\"/t/photo.jpg\" alt=\"\" />"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("height=\"600\" alt=\"\" loading"),
            "{}",
            r.html
        );
        assert!(
            !r.html.contains("coration") && !r.html.contains("coratif"),
            "{}",
            r.html
        );
    }
}
#[cfg(test)]
mod plain_text_tests {
    use super::*;

    #[test]
    fn plain_text_separates_blocks() {
        let resolve = |_: &str| None;
        let resolve_file = |_: &str| None;
        let resolve_site = |_: &str| None;
        for french in [false, true] {
            let r = render(&Context {
                file: Path::new("x.md"),
                file_text: "## Un temps record\n\nLe délai.\n\n- un\n- deux\n",
                body_start: 0,
                root: Path::new("/nulle/part"),
                french,
                resolve: &resolve,
                resolve_file: &resolve_file,
                resolve_site: &resolve_site,
            });
            let words: Vec<&str> = r.plain_text.split_whitespace().collect();
            assert_eq!(
                words,
                ["Un", "temps", "record", "Le", "délai.", "un", "deux"],
                "french={french}"
            );
        }
    }
}
