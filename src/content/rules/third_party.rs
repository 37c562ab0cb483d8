//! What a page asks the browser to fetch from another site: an image, a
//! video player, a script written into the Markdown. The default theme's
//! Content-Security-Policy blocks all of them (that is what lets the
//! personal data page say no third party is called), so the reader sees a
//! hole in their place, as on a school's intranet without internet: the
//! writer is told at the line, rather than finding it published broken.

use pulldown_cmark::{Event, Parser, Tag};

use crate::content::{Content, Page};
use crate::diagnostics::{Diagnostic, Location};
use crate::i18n;

/// One address of another site that a page loads, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub at: Location,
    pub url: String,
}

/// Attributes whose address the browser loads without a click. `href` is
/// left out: a link is followed only when the reader chooses to.
const LOADING_ATTRIBUTES: &[&str] = &["src", "srcset", "poster", "data", "background"];

/// The addresses of other sites that `page`'s body loads. `own_host` is the
/// site's own (`lycee.example`): a full address to it is not a third party.
pub fn fetched(page: &Page, own_host: Option<&str>) -> Vec<Fetched> {
    fetched_in(&page.file, &page.text, page.body_start, own_host)
}

/// [`fetched`] for the body of any content file: `text` is the whole file,
/// its body starting at `body_start`.
fn fetched_in(
    file: &std::path::Path,
    text: &str,
    body_start: usize,
    own_host: Option<&str>,
) -> Vec<Fetched> {
    let body = text.get(body_start..).unwrap_or("");
    // Most bodies name no address at all, or only in links: no parse for
    // them. Only `![` makes a picture, only `<` some HTML.
    if !body.contains("//") || !(body.contains("![") || body.contains('<')) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        let urls = match &event {
            Event::Start(Tag::Image { dest_url, .. }) => vec![dest_url.to_string()],
            Event::Html(html) | Event::InlineHtml(html) => loaded_by_html(html),
            _ => continue,
        };
        for url in urls.into_iter().filter(|u| is_other_site(u, own_host)) {
            let offset = body_start + range.start;
            let line = text[..offset].matches('\n').count() + 1;
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let column = text[line_start..offset].chars().count() + 1;
            let at = Location::in_text(file, text, line, column, range.len().max(1));
            found.push(Fetched { at, url });
        }
    }
    found
}

/// Warnings for the published pages and the sections of `content` that
/// load other sites.
pub fn check(content: &Content, own_host: Option<&str>) -> Vec<Diagnostic> {
    let pages = content
        .pages
        .iter()
        .filter(|p| p.is_published())
        .flat_map(|p| fetched(p, own_host));
    let sections = content
        .sections
        .iter()
        .flat_map(|s| fetched_in(&s.file, &s.text, s.body_start, own_host));
    pages.chain(sections).map(warning).collect()
}

/// What [`check`] says of the page at `i` alone (nothing when unpublished).
pub fn check_page(content: &Content, i: usize, own_host: Option<&str>) -> Vec<Diagnostic> {
    let page = content.pages.get(i).filter(|p| p.is_published());
    let found = page.map(|p| fetched(p, own_host)).unwrap_or_default();
    found.into_iter().map(warning).collect()
}

fn warning(f: Fetched) -> Diagnostic {
    Diagnostic::warning("third-party-resource", i18n::third_party_resource(&f.url))
        .at(f.at)
        .help(i18n::hint_third_party_resource())
}

/// Addresses an HTML fragment loads: values of [`LOADING_ATTRIBUTES`] and
/// of CSS `url(…)`.
fn loaded_by_html(html: &str) -> Vec<String> {
    let html = &without_comments(html);
    let lower = html.to_ascii_lowercase();
    let mut urls = Vec::new();
    for name in LOADING_ATTRIBUTES {
        let mut from = 0;
        while let Some(i) = lower[from..].find(name).map(|i| i + from) {
            from = i + name.len();
            // A whole attribute name: `src=`, not `data-src=` nor `xsrc=`.
            let before = lower[..i].chars().next_back();
            if !before.is_some_and(|c| c.is_whitespace() || c == '"' || c == '\'') {
                continue;
            }
            let rest = lower[from..].trim_start();
            let Some(value) = rest.strip_prefix('=') else {
                continue;
            };
            let start = html.len() - value.trim_start().len();
            urls.extend(attribute_value(&html[start..]).split(',').map(|candidate| {
                // `srcset` lists `url 2x` pairs.
                candidate
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string()
            }));
        }
    }
    let mut from = 0;
    while let Some(i) = lower[from..].find("url(").map(|i| i + from) {
        from = i + 4;
        let value = html[from..].split(')').next().unwrap_or("");
        urls.push(value.trim().trim_matches(['"', '\'']).to_string());
    }
    urls
}

/// `html` without its `<!-- … -->` comments: an embed commented out is
/// not loaded.
fn without_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// The value at the start of `text`: quoted, or up to a space or `>`.
fn attribute_value(text: &str) -> &str {
    match text.chars().next() {
        Some(q @ ('"' | '\'')) => text[1..].split(q).next().unwrap_or(""),
        _ => text
            .split(|c: char| c.is_whitespace() || c == '>')
            .next()
            .unwrap_or(""),
    }
}

/// `https://…`, `http://…` or `//…` on a host other than `own_host`.
fn is_other_site(url: &str, own_host: Option<&str>) -> bool {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let full = if lower.starts_with("//") {
        format!("https:{url}")
    } else if lower.starts_with("https://") || lower.starts_with("http://") {
        url.to_string()
    } else {
        return false;
    };
    match url::Url::parse(&full) {
        Ok(parsed) => parsed.host_str() != own_host,
        // Not an address a browser could load either way.
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Page {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join(crate::content::CONTENT_DIR);
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(content.join("a.md"), format!("---\ntitle: T\n---\n{body}")).unwrap();
        let (mut loaded, _) = crate::content::load(dir.path());
        loaded.pages.remove(0)
    }

    fn urls(body: &str, own: Option<&str>) -> Vec<String> {
        fetched(&page(body), own)
            .into_iter()
            .map(|f| f.url)
            .collect()
    }

    #[test]
    fn pictures_frames_and_styles_of_other_sites_are_found_at_their_line() {
        let body = "Intro.\n\n![Logo](https://upload.example.org/logo.png)\n\n<iframe src=\"https://www.youtube.com/embed/abc\" title=\"v\"></iframe>\n\n<p style=\"background: url('//cdn.example.net/b.jpg')\">x</p>\n\n<img srcset=\"https://img.example.com/a.jpg 1x, /local.jpg 2x\" alt=\"a\">\n";
        let found = fetched(&page(body), Some("lycee.example"));
        let shown: Vec<(usize, &str)> = found.iter().map(|f| (f.at.line, f.url.as_str())).collect();
        assert_eq!(
            shown,
            [
                (6, "https://upload.example.org/logo.png"),
                (8, "https://www.youtube.com/embed/abc"),
                (10, "//cdn.example.net/b.jpg"),
                (12, "https://img.example.com/a.jpg"),
            ]
        );
    }

    #[test]
    fn links_local_files_code_and_the_sites_own_address_are_not_third_parties() {
        let body = "<!-- <iframe src=\"https://www.youtube.com/embed/x\"></iframe> -->\n\n[Vidéo](https://www.youtube.com/watch?v=abc) and <a href=\"https://a.example/\">a</a>.\n\n![Ici](photo.jpg) ![Chez nous](https://lycee.example/img/x.png)\n\n```\n<iframe src=\"https://evil.example/\"></iframe>\n```\n\n`<img src=\"https://x.example/y.png\">`\n\n<img data-src=\"https://lazy.example/z.png\" alt=\"\">\n";
        assert_eq!(urls(body, Some("lycee.example")), Vec::<String>::new());
    }

    #[test]
    fn a_body_without_any_address_is_not_parsed_and_finds_nothing() {
        assert!(urls("Un stage formidable.\n", None).is_empty());
        // Addresses in links only (no picture, no HTML): nothing loaded.
        let links = "Voir [le site](https://a.example/) et <https://b.example/>.\n";
        assert!(urls(links, None).is_empty());
        assert!(!urls("<img src=\"//c.example/x.png\">", None).is_empty());
        assert!(!urls("![x][r]\n\n[r]: https://c.example/x.png\n", None).is_empty());
    }
}
