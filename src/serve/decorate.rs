//! The HTML the preview adds to pages as they are sent, never to the files
//! on disk: the live-reload script in every page, the draft banner on a
//! draft page and a badge on every link to a draft; and the waiting page
//! shown until the first good build.

use std::collections::HashSet;

use super::route::{PREVIEW_CSS, SCRIPT};
use super::urlpath::normalize_base;
use crate::i18n::{self, Lang};
use crate::urls;

/// A page of the site as the preview sends it: drafts marked, then the
/// live-reload script. `rest` is its path under `base` (`temoignages/lea/`
/// or `temoignages/lea/index.html`).
pub(crate) fn preview_page(
    html: Vec<u8>,
    base: &str,
    rest: &str,
    drafts: &HashSet<String>,
    lang: Lang,
) -> Vec<u8> {
    let mut html = if drafts.is_empty() {
        html
    } else {
        match String::from_utf8(html) {
            Ok(mut text) => {
                let page = rest.strip_suffix(urls::INDEX_FILE).unwrap_or(rest);
                mark_drafts(&mut text, base, page, drafts, lang);
                text.into_bytes()
            }
            // Marks are found in text: a page in another encoding is sent
            // as it is.
            Err(not_utf8) => not_utf8.into_bytes(),
        }
    };
    inject_script(&mut html, base, lang);
    html
}

/// The page shown while no build has succeeded: the live-reload script
/// shows the build error as an overlay and reloads the page once the site
/// builds.
pub(crate) fn waiting_page(base: &str, lang: Lang) -> Vec<u8> {
    let title = crate::escape::escape(i18n::serve_waiting_title().get(lang));
    let text = crate::escape::escape(i18n::serve_waiting_text().get(lang));
    let code = lang_code(lang);
    let mut html = format!(
        "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} — vitrine</title>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n\
         <p>{text}</p>\n</main>\n</body>\n</html>\n"
    )
    .into_bytes();
    inject_script(&mut html, base, lang);
    html
}

/// The `lang` attribute of what the preview adds (the writer's language).
fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    }
}

/// The tag added to every HTML response.
/// It carries the writer's language: its overlay and panels speak it.
fn script_tag(base: &str, lang: Lang) -> String {
    format!(
        "<script src=\"{}{SCRIPT}\" data-lang=\"{}\" defer></script>",
        urls::percent_encode_path(&normalize_base(base)),
        lang_code(lang)
    )
}

/// Inserts the live-reload script before the last `</body>` (any case), or
/// at the end when there is none.
pub(crate) fn inject_script(html: &mut Vec<u8>, base: &str, lang: Lang) {
    let tag = script_tag(base, lang);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.bytes());
}

/// Marks drafts in a preview page: a banner at the top of a draft page
/// (`page`, its URL path under `base`), a badge in every link to a draft,
/// and the stylesheet for both.
fn mark_drafts(html: &mut String, base: &str, page: &str, drafts: &HashSet<String>, lang: Lang) {
    let mut marked = drafts.contains(page) && insert_banner(html, lang);
    marked |= mark_draft_links(html, base, page, drafts, lang);
    if marked {
        let link = format!(
            "<link rel=\"stylesheet\" href=\"{}{PREVIEW_CSS}\">",
            urls::percent_encode_path(&normalize_base(base))
        );
        // Without `</head>`, at the end (a stylesheet in the body still
        // applies): anything before the doctype would put the page in
        // quirks mode.
        let at = html
            .to_ascii_lowercase()
            .rfind("</head>")
            .unwrap_or(html.len());
        html.insert_str(at, &link);
    }
}

/// Puts the draft banner right after `<body …>`. `false` without a body tag.
fn insert_banner(html: &mut String, lang: Lang) -> bool {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    let start = loop {
        let Some(at) = lower[from..].find("<body").map(|i| from + i) else {
            return false;
        };
        let next = lower[at + 5..].chars().next();
        if next.is_some_and(|c| c == '>' || c.is_ascii_whitespace()) {
            break at;
        }
        from = at + 5;
    };
    let Some(end) = lower[start..].find('>').map(|i| start + i + 1) else {
        return false;
    };
    let banner = format!(
        "<div class=\"vitrine-draft\" role=\"note\" lang=\"{}\">{}</div>",
        lang_code(lang),
        banner_text(lang)
    );
    html.insert_str(end, &banner);
    true
}

/// The banner's message as HTML: its first words bold, `draft: true` as code.
fn banner_text(lang: Lang) -> String {
    let text = crate::escape::escape(i18n::serve_draft_banner().get(lang));
    let text = text.replace("`draft: true`", "<code>draft: true</code>");
    match text.split_once(" — ") {
        Some((word, rest)) => format!("<strong>{word}</strong> — {rest}"),
        None => text,
    }
}

/// Adds a « Brouillon » badge inside every `<a>` whose `href` leads to a
/// draft. Whether any was marked.
fn mark_draft_links(
    html: &mut String,
    base: &str,
    page: &str,
    drafts: &HashSet<String>,
    lang: Lang,
) -> bool {
    let lower = html.to_ascii_lowercase();
    let mut inserts = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<a").map(|i| from + i) {
        let after = start + 2;
        let Some(end) = lower[after..].find('>').map(|i| after + i) else {
            break;
        };
        from = end;
        if !lower[after..].starts_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let Some(href) = attribute(&html[start..end], "href") else {
            continue;
        };
        let target = link_target(&href, base, page);
        if target.is_some_and(|t| drafts.contains(&t)) {
            if let Some(close) = lower[end..].find("</a>") {
                inserts.push(end + close);
            }
        }
    }
    let badge = format!(
        " <span class=\"vitrine-draft-badge\" lang=\"{}\">{}</span>",
        lang_code(lang),
        crate::escape::escape(i18n::serve_draft_badge().get(lang))
    );
    for at in inserts.iter().rev() {
        html.insert_str(*at, &badge);
    }
    !inserts.is_empty()
}

/// The value of attribute `name` in a start tag (quoted values only).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name).map(|i| from + i) {
        from = at + name.len();
        let before = lower[..at].chars().next_back();
        if !before.is_some_and(|c| c.is_ascii_whitespace()) {
            continue;
        }
        let rest = lower[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let value_at = tag.len() - rest.len() + 1;
        let len = tag[value_at..].find(quote)?;
        return Some(tag[value_at..value_at + len].replace("&amp;", "&"));
    }
    None
}

/// The URL path under `base` that `href`, found on the page at `page`,
/// leads to (`temoignages/lea/`); `None` for other schemes and for
/// protocol-relative links (another site). Resolved as the browser does,
/// by the `url` crate; of an absolute URL only the path counts, whatever
/// the host the preview was opened with.
fn link_target(href: &str, base: &str, page: &str) -> Option<String> {
    let href = href.split(['#', '?']).next().unwrap_or("");
    if href.is_empty() || href.starts_with("//") {
        return None;
    }
    let here = url::Url::parse("http://preview.invalid/")
        .and_then(|root| root.join(&format!("{base}{page}")))
        .ok()?;
    let target = here.join(href).ok()?;
    if !matches!(target.scheme(), "http" | "https") {
        return None;
    }
    let path = urls::percent_decode_strict(target.path())?;
    let rest = path.strip_prefix(base)?;
    Some(
        rest.strip_suffix(urls::INDEX_FILE)
            .unwrap_or(rest)
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAG: &str = "<script src=\"/__vitrine/livereload.js\" data-lang=\"fr\" defer></script>";

    fn drafts(pages: &[&str]) -> HashSet<String> {
        pages.iter().map(|p| p.to_string()).collect()
    }

    fn preview(html: &str, rest: &str, marked: &[&str]) -> String {
        let out = preview_page(
            html.as_bytes().to_vec(),
            "/",
            rest,
            &drafts(marked),
            Lang::Fr,
        );
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        assert_eq!(
            preview("<html><body><p>x</p></body></html>", "", &[]),
            format!("<html><body><p>x</p>{TAG}</body></html>")
        );
        assert_eq!(
            preview("<BODY>x</BODY>", "", &[]),
            format!("<BODY>x{TAG}</BODY>")
        );
        assert_eq!(
            preview("<h1>À propos</h1>", "", &[]),
            format!("<h1>À propos</h1>{TAG}")
        );
        let mut v = b"<body></body><pre>&lt;/body&gt;</pre></body>".to_vec();
        inject_script(&mut v, "/x/", Lang::Fr);
        assert!(String::from_utf8(v)
            .unwrap()
            .ends_with("</pre><script src=\"/x/__vitrine/livereload.js\" data-lang=\"fr\" defer></script></body>"));
        assert_eq!(
            script_tag("/a\"b<c>/", Lang::Fr),
            "<script src=\"/a%22b%3Cc%3E/__vitrine/livereload.js\" data-lang=\"fr\" defer></script>"
        );
        assert_eq!(
            script_tag("/mon site/", Lang::Fr),
            "<script src=\"/mon%20site/__vitrine/livereload.js\" data-lang=\"fr\" defer></script>"
        );
    }

    #[test]
    fn a_draft_page_gets_the_banner_and_the_stylesheet() {
        let draft = "<html><head><title>b</title></head><body class=\"x\"><main>Pas fini</main></body></html>";
        let page = preview(draft, "brouillon/index.html", &["brouillon/"]);
        assert!(
            page.contains("<body class=\"x\"><div class=\"vitrine-draft\" role=\"note\""),
            "{page}"
        );
        assert!(page.contains("<code>draft: true</code>"), "{page}");
        assert!(
            page.contains("href=\"/__vitrine/preview.css\"></head>"),
            "{page}"
        );
        assert!(page.contains(TAG));
        // Not a draft: nothing but the script.
        assert_eq!(
            preview(draft, "autre/", &["brouillon/"]),
            draft.replace("</body>", &format!("{TAG}</body>"))
        );
        // `<bodyx>` is not a body tag.
        let mut html = "<bodyx><body>".to_string();
        assert!(insert_banner(&mut html, Lang::Fr));
        assert!(html.starts_with("<bodyx><body><div class=\"vitrine-draft\""));
        assert!(!insert_banner(&mut "<p>no body</p>".to_string(), Lang::Fr));
    }

    #[test]
    fn links_to_drafts_get_a_badge() {
        let list = "<html><head></head><body><a href=\"/brouillon/\">B</a> <a href=\"/about/\">A</a> <abbr>x</abbr></body></html>";
        let listed = preview(list, "sub/", &["brouillon/"]);
        assert!(
            listed.contains(">B <span class=\"vitrine-draft-badge\" lang=\"fr\">"),
            "{listed}"
        );
        assert_eq!(listed.matches("vitrine-draft-badge").count(), 1, "{listed}");
        assert!(listed.contains("preview.css\"></head>"), "{listed}");
    }

    #[test]
    fn a_page_that_is_not_utf8_is_sent_as_it_is_with_the_script() {
        let html = b"<html><body>caf\xe9</body></html>".to_vec();
        let out = preview_page(html, "/", "", &drafts(&[""]), Lang::Fr);
        assert_eq!(
            out,
            [
                b"<html><body>caf\xe9".as_slice(),
                TAG.as_bytes(),
                b"</body></html>"
            ]
            .concat()
        );
    }

    #[test]
    fn the_draft_stylesheet_never_goes_before_the_doctype() {
        let mut html = "<!doctype html><body><a href=\"/b/\">b</a></body>".to_string();
        mark_drafts(&mut html, "/", "", &drafts(&["b/"]), Lang::Fr);
        assert!(html.starts_with("<!doctype html><body>"), "{html}");
        assert!(
            html.ends_with("</body><link rel=\"stylesheet\" href=\"/__vitrine/preview.css\">"),
            "{html}"
        );
        assert!(html.contains("vitrine-draft-badge"));
    }

    #[test]
    fn links_to_drafts_are_found_however_written() {
        let page = "temoignages/";
        let base = "/stages/";
        for href in [
            "/stages/temoignages/lea/",
            "/stages/temoignages/lea/index.html",
            "lea/",
            "./lea/#haut",
            "../temoignages/lea/?x",
            "http://127.0.0.1:1111/stages/temoignages/lea/",
            "/stages/temoignages/l%65a/",
            "../../stages/./temoignages/lea/",
            "../../../../stages/temoignages/x/../lea/",
        ] {
            assert_eq!(
                link_target(href, base, page).as_deref(),
                Some("temoignages/lea/"),
                "{href}"
            );
        }
        for href in [
            "",
            "#x",
            "mailto:a@b.c",
            "javascript:void(0)",
            "//evil.example/x",
            "/ailleurs/",
            "/stages/%zz/",
        ] {
            assert_eq!(link_target(href, base, page), None, "{href}");
        }
        assert_eq!(
            attribute("<a class=\"c\" href='/x?a=1&amp;b=2'", "href").as_deref(),
            Some("/x?a=1&b=2")
        );
        assert_eq!(attribute("<a data-href=\"/no\">", "href"), None);
        assert_eq!(attribute("<a href=/unquoted>", "href"), None);
    }

    #[test]
    fn the_waiting_page_carries_the_script() {
        let page = String::from_utf8(waiting_page("/ecole/", Lang::Fr)).unwrap();
        assert!(page.starts_with("<!doctype html>"), "{page}");
        assert!(
            page.contains("<script src=\"/ecole/__vitrine/livereload.js\" data-lang=\"fr\" defer></script></body>")
        );
        assert_eq!(
            crate::escape::escape("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn the_preview_speaks_the_language_it_is_given() {
        let english = String::from_utf8(waiting_page("/", Lang::En)).unwrap();
        assert!(english.contains("<html lang=\"en\">"), "{english}");
        assert!(english.contains("<h1>Preview waiting</h1>"), "{english}");
        // The overlay's script is told the writer's language, not the page's.
        assert!(english.contains("data-lang=\"en\" defer"), "{english}");
        let french = String::from_utf8(waiting_page("/", Lang::Fr)).unwrap();
        assert!(french.contains("<h1>Aperçu en attente</h1>"), "{french}");
        let mut page = "<html><body><a href=\"/b/\">b</a></body></html>".to_string();
        mark_drafts(&mut page, "/", "b/", &drafts(&["b/"]), Lang::En);
        assert!(page.contains("lang=\"en\""), "{page}");
        assert!(
            page.contains(i18n::serve_draft_badge().get(Lang::En)),
            "{page}"
        );
    }
}
