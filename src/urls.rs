//! Every internal URL is made here.
//!
//! Pages are addressed by *site paths*: `/`-separated, relative to the site
//! root, directories ending in `/` (`temoignages/lea/`, `""` for home).
//! [`Urls::link`] turns a site path into what goes in an `href`:
//! - with `relative_urls: false`, a root-relative URL under `base_url`'s path
//!   (`/ecole/stages/temoignages/lea/`);
//! - with `relative_urls: true`, [`ROOT_MARKER`] + the path. The marker is
//!   replaced per page by [`Urls::finish_page`] with the way back to the root
//!   (`../../`), so templates never need to know where the page is.
//!
//! Every site path and output file name is made here too (pages, pagers,
//! taxonomy and search pages, feeds, image variants).

use std::borrow::Cow;
use std::path::Path;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::config::{Config, Taxonomy};
use crate::i18n::Lang;

/// Stands for "the site root, seen from this page" until the page is written.
/// Plain ASCII that URL and HTML escaping leave as-is, and no writer types.
pub const ROOT_MARKER: &str = "@@vitrine-root@@";

#[derive(Debug, Clone)]
pub struct Urls {
    /// `https://lycee.example/stages/`: parsed by [`parse_base_url`], so
    /// its path always starts and ends with `/`.
    base: Option<url::Url>,
    relative: bool,
}

/// The site's public address, parsed once for everything that needs its
/// parts: http(s) with a host, no query or fragment, a path ending in `/`
/// (`https://x.example/ecole` → `https://x.example/ecole/`). `None` for
/// anything else, and for characters that are never meant in an address
/// typed into `site.yaml` (quotes, angle brackets, spaces, backslashes).
pub fn parse_base_url(text: &str) -> Option<url::Url> {
    let text = text.trim();
    if text.contains(['"', '<', '>', ' ', '\\']) {
        return None;
    }
    let mut url = url::Url::parse(text).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    url.set_query(None);
    url.set_fragment(None);
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Some(url)
}

impl Urls {
    pub fn new(config: &Config) -> Urls {
        Urls::from_parts(&config.base_url, config.relative_urls)
    }

    /// With a `base_url` that [`parse_base_url`] refuses (never one of a
    /// loaded `site.yaml`), links are made under `/`.
    pub fn from_parts(base_url: &str, relative: bool) -> Urls {
        Urls {
            base: parse_base_url(base_url),
            relative,
        }
    }

    pub fn base_url(&self) -> &str {
        self.base.as_ref().map_or("/", url::Url::as_str)
    }

    /// `/stages/` (always starts and ends with `/`).
    pub fn base_path(&self) -> &str {
        self.base.as_ref().map_or("/", url::Url::path)
    }

    pub fn is_relative(&self) -> bool {
        self.relative
    }

    /// The site's own host (`lycee.example`): a full address to it is not
    /// another site's.
    pub fn own_host(&self) -> Option<&str> {
        self.base.as_ref().and_then(url::Url::host_str)
    }

    /// The `href` for a site path vitrine made (`temoignages/lea/`,
    /// `css/site.css`, `a/Photo été #2.jpg`): every character of the path is
    /// the file's own, so all but unreserved ones and `/` are escaped
    /// (`a/Photo%20%C3%A9t%C3%A9%20%232.jpg`). External URLs pass through.
    pub fn link(&self, path: &str) -> String {
        if is_external(path) {
            return path.to_string();
        }
        let path = percent_encode_path(&normalise_path(path));
        if self.relative {
            // Opened from a folder (`file://`), a link to `a/` would show a
            // directory listing: name the index file. The path is escaped,
            // so a `?` or `#` left in it starts the query or the fragment.
            format!("{ROOT_MARKER}{}", with_index_file(&path))
        } else {
            format!("{}{path}", self.base_path())
        }
    }

    /// The `href` for a path as a person wrote it (a template's
    /// `url(path=…)`, a link field): it may end with a `?query` or a
    /// `#fragment`, and its escapes (`mon%20stage/`) are read as such, so
    /// they are not escaped twice. External URLs and pure fragments pass
    /// through.
    pub fn link_written(&self, text: &str) -> String {
        if is_external(text) || text.starts_with('#') {
            return text.to_string();
        }
        let (path, suffix) = split_suffix(text);
        format!(
            "{}{}",
            self.link(&percent_decode(path)),
            utf8_percent_encode(suffix, SUFFIX_ESCAPED)
        )
    }

    /// The site's root folder as a prefix for site paths (`/stages/`, or
    /// `../` seen from a page one folder deep with relative URLs). Unlike
    /// `link("")`, never names `index.html`: scripts append paths to it.
    pub fn root_dir(&self) -> String {
        if self.relative {
            ROOT_MARKER.to_string()
        } else {
            self.base_path().to_string()
        }
    }

    /// The absolute URL of a site path (feeds, sitemap, canonical, OpenGraph).
    pub fn permalink(&self, path: &str) -> String {
        if is_external(path) {
            return path.to_string();
        }
        format!(
            "{}{}",
            self.base_url(),
            percent_encode_path(&normalise_path(path))
        )
    }

    /// Resolves the root marker in a rendered page at `page_path`. With
    /// root-relative URLs this is the identity.
    pub fn finish_page(&self, html: String, page_path: &str) -> String {
        if !html.contains(ROOT_MARKER) {
            return html;
        }
        html.replace(ROOT_MARKER, &root_from(page_path))
    }

    /// Like [`Urls::finish_page`] for pages served at any depth (the 404
    /// page): the marker becomes the base path.
    pub fn finish_anywhere(&self, html: String) -> String {
        html.replace(ROOT_MARKER, self.base_path())
    }
}

/// The file a folder's page is written to.
pub const INDEX_FILE: &str = "index.html";
/// The page shown for any missing path; written once at the root.
pub const NOT_FOUND_FILE: &str = "404.html";
pub const FEED_FILE: &str = "atom.xml";
pub const SITEMAP_FILE: &str = "sitemap.xml";
/// The theme's template of `sitemap.xml` when a large site's sitemap is
/// split in parts ([`sitemap_part_file`]).
pub const SITEMAP_INDEX_TEMPLATE: &str = "sitemap_index.xml";

/// The `n`th part (from 1) of a sitemap split in parts.
pub fn sitemap_part_file(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// Whether `path` is named like a part of a split sitemap.
pub fn is_sitemap_part(path: &str) -> bool {
    let number = path
        .strip_prefix("sitemap-")
        .and_then(|p| p.strip_suffix(".xml"));
    number.is_some_and(|n| {
        n.parse::<usize>()
            .is_ok_and(|n| sitemap_part_file(n) == path)
    })
}
pub const ROBOTS_FILE: &str = "robots.txt";
/// The whole search index, for other tools (no page loads it).
pub const SEARCH_INDEX_FILE: &str = "search.json";
/// The folder of the search page's data: a manifest, term shards, facet
/// lists and result packs, each a script named by its content.
pub const SEARCH_PARTS_DIR: &str = "search-data/";

/// A file of the search page's data, named by the hash of its contents: a
/// browser may keep it forever, and a rebuild that leaves it alike leaves
/// its name alike. The script finds the other files next to the manifest,
/// by the hash the manifest gives (`<hash>.js`).
pub fn search_part_file(hash: &str) -> String {
    format!("{SEARCH_PARTS_DIR}{hash}.js")
}

/// `a/` → `a/index.html`: the output file of the page at a site path.
pub fn page_file(path: &str) -> String {
    format!("{path}{INDEX_FILE}")
}

/// `base/` for page 1, `base/page/N/` after.
pub fn pager_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Site path of a taxonomy's list of terms.
pub fn taxonomy_path(taxonomy: Taxonomy, lang: Lang) -> &'static str {
    match (taxonomy, lang) {
        (Taxonomy::Tags, Lang::Fr) => "etiquettes/",
        (Taxonomy::Tags, Lang::En) => "tags/",
        (Taxonomy::Organisations, _) => "organisations/",
        (Taxonomy::Levels, Lang::Fr) => "niveaux/",
        (Taxonomy::Levels, Lang::En) => "levels/",
        (Taxonomy::Programmes, Lang::Fr) => "par-programme/",
        (Taxonomy::Programmes, Lang::En) => "by-programme/",
    }
}

/// Site path of a term's first page (`etiquettes/cuisine/`).
pub fn term_path(taxonomy: Taxonomy, lang: Lang, slug: &str) -> String {
    format!("{}{slug}/", taxonomy_path(taxonomy, lang))
}

/// Site path of the search page.
pub fn search_path(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "recherche/",
        Lang::En => "search/",
    }
}

/// `a/photo.jpg` → `a/photo-640w.jpg`: a picture's variant `width` pixels wide.
pub fn variant_path(dest: &str, width: u32) -> String {
    match dest.rfind('.') {
        Some(dot) if !dest[dot..].contains('/') => {
            format!("{}-{width}w{}", &dest[..dot], &dest[dot..])
        }
        _ => format!("{dest}-{width}w"),
    }
}

/// A relative file path as a `/`-separated string (`a\\b` → `a/b` on
/// Windows), the form of site paths, output file names and theme keys.
pub fn slash_path(path: &Path) -> String {
    let parts: Vec<_> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

/// `a/` → `a/index.html`, `a/#x` → `a/index.html#x`, `` → `index.html`.
fn with_index_file(path: &str) -> String {
    let split_at = path.find(['?', '#']).unwrap_or(path.len());
    let (path_part, suffix) = path.split_at(split_at);
    if path_part.is_empty() || path_part.ends_with('/') {
        format!("{path_part}{INDEX_FILE}{suffix}")
    } else {
        path.to_string()
    }
}

/// `../` repeated once per directory of `page_path` (`./` at the root).
pub fn root_from(page_path: &str) -> String {
    let depth = page_path
        .trim_end_matches(INDEX_FILE)
        .split('/')
        .filter(|s| !s.is_empty())
        .count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

pub fn is_external(url: &str) -> bool {
    let lower = url.get(..12).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || lower.starts_with("data:")
}

/// `a/?q#x` → (`a/`, `?q#x`).
fn split_suffix(text: &str) -> (&str, &str) {
    text.split_at(text.find(['?', '#']).unwrap_or(text.len()))
}

/// Resolves `.` and `..` so a path can never climb above the site root, and
/// drops the leading `/`. Keeps a trailing `/`, a query and a fragment.
pub fn normalise(path: &str) -> String {
    let (path_part, suffix) = split_suffix(path);
    let mut out = normalise_path(path_part);
    out.push_str(suffix);
    out
}

/// [`normalise`] for a file's path, where `?` and `#` are part of a name.
fn normalise_path(path_part: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path_part.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = segments.join("/");
    let is_dir =
        path_part.ends_with('/') || path_part.ends_with("/.") || path_part.ends_with("/..");
    if is_dir && !out.is_empty() {
        out.push('/');
    }
    out
}

/// Escaped in paths we write: everything but unreserved characters and `/`,
/// so the result is safe in a `Location` header and in an HTML attribute.
const PATH_ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Escaped in a query or fragment a person wrote: what an HTML attribute or
/// an address cannot hold as-is (spaces, quotes, angle brackets, controls,
/// non-ASCII), never `%`, so their own escapes stay as written.
const SUFFIX_ESCAPED: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'\\')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'^');

/// `%20` and friends as a writer types them, so `@/mon%20stage.md` finds
/// `mon stage.md`: lenient, a malformed escape (`100%`, `%zz`) stays as
/// typed, and a text whose escapes make no UTF-8 is kept whole.
pub fn percent_decode(text: &str) -> String {
    percent_decode_str(text)
        .decode_utf8()
        .map_or_else(|_| text.to_string(), Cow::into_owned)
}

/// Percent-decodes a request path once, strictly. `None` for a malformed
/// escape (`%2`, `%zz`), invalid UTF-8 (`%ff`, overlong `%c0%ae`) or NUL:
/// such a path names no file, and refusing it is safer than guessing. `%2F`
/// decodes to a `/` like any other escape.
pub fn percent_decode_strict(path: &str) -> Option<String> {
    if !escapes_well_formed(path) {
        return None;
    }
    let text = percent_decode_str(path).decode_utf8().ok()?;
    (!text.contains('\0')).then(|| text.into_owned())
}

/// Whether every `%` starts an escape of two hex digits (the crate's
/// decoder passes malformed ones through as text).
fn escapes_well_formed(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    })
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn percent_encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH_ESCAPED).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sitemap_parts_are_told_by_name() {
        for part in ["sitemap-1.xml", "sitemap-12.xml"] {
            assert!(super::is_sitemap_part(part), "{part}");
        }
        for other in [
            "sitemap.xml",
            "sitemap-.xml",
            "sitemap-01.xml",
            "sitemap-1.xml.bak",
            "a/sitemap-1.xml",
            "sitemap-+1.xml",
        ] {
            assert!(!super::is_sitemap_part(other), "{other}");
        }
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn root_relative_links_keep_the_sub_path() {
        let u = Urls::from_parts("https://x.example/ecole/stages/", false);
        assert_eq!(u.base_path(), "/ecole/stages/");
        assert_eq!(u.link("temoignages/lea/"), "/ecole/stages/temoignages/lea/");
        assert_eq!(u.link("/css/site.css"), "/ecole/stages/css/site.css");
        assert_eq!(u.link(""), "/ecole/stages/");
        assert_eq!(u.link("https://ext.example/"), "https://ext.example/");
        assert_eq!(
            u.permalink("a-propos/"),
            "https://x.example/ecole/stages/a-propos/"
        );
        assert_eq!(
            Urls::from_parts("https://x.example", false).base_path(),
            "/"
        );
    }

    #[test]
    fn relative_links_are_resolved_per_page() {
        let u = Urls::from_parts("https://x.example/ecole/", true);
        let html = format!("<a href=\"{}\">", u.link("temoignages/lea/"));
        assert_eq!(
            u.finish_page(html.clone(), "a-propos/"),
            "<a href=\"../temoignages/lea/index.html\">"
        );
        assert_eq!(
            u.finish_page(html.clone(), ""),
            "<a href=\"./temoignages/lea/index.html\">"
        );
        assert_eq!(
            u.finish_page(html, "temoignages/page/2/"),
            "<a href=\"../../../temoignages/lea/index.html\">"
        );
    }

    #[test]
    fn root_dir_never_names_a_file() {
        let rel = Urls::from_parts("https://x.example/a/", true);
        assert_eq!(rel.finish_page(rel.root_dir(), "recherche/"), "../");
        let abs = Urls::from_parts("https://x.example/a/", false);
        assert_eq!(abs.root_dir(), "/a/");
    }

    #[test]
    fn relative_links_name_index_files() {
        let u = Urls::from_parts("https://x.example/", true);
        assert_eq!(
            u.link_written("a/#x"),
            format!("{ROOT_MARKER}a/index.html#x")
        );
        assert_eq!(u.link(""), format!("{ROOT_MARKER}index.html"));
        assert_eq!(u.link("css/site.css"), format!("{ROOT_MARKER}css/site.css"));
    }

    #[test]
    fn base_urls_are_parsed_once_into_their_parts() {
        let parse = |text: &str| parse_base_url(text).map(String::from);
        assert_eq!(
            parse(" https://x.example/ecole?a=1#b ").as_deref(),
            Some("https://x.example/ecole/")
        );
        assert_eq!(
            parse("http://x.example:8080").as_deref(),
            Some("http://x.example:8080/")
        );
        for bad in [
            "/stages/",
            "https://",
            "ftp://x.example/",
            "lycee.fr",
            "https://x.example/a b",
            "https://x.example\\a",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        let u = Urls::from_parts("https://x.example/mon%20site", false);
        assert_eq!(u.base_path(), "/mon%20site/");
        assert_eq!(u.base_url(), "https://x.example/mon%20site/");
    }

    #[test]
    fn writers_escapes_are_decoded_leniently() {
        assert_eq!(percent_decode("mon%20stage.md"), "mon stage.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%C3%A9t%C3%A9"), "été");
        assert_eq!(percent_decode("a%ffb"), "a%ffb", "no UTF-8: kept whole");
    }

    #[test]
    fn request_paths_are_decoded_strictly() {
        assert_eq!(percent_decode_strict("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(percent_decode_strict("/%C3%A9").as_deref(), Some("/é"));
        assert_eq!(percent_decode_strict("/%c3%a9").as_deref(), Some("/é"));
        assert_eq!(percent_decode_strict("/%2e%2E/").as_deref(), Some("/../"));
        assert_eq!(percent_decode_strict("/a%2fb").as_deref(), Some("/a/b"));
        assert_eq!(
            percent_decode_strict("/%252e").as_deref(),
            Some("/%2e"),
            "decoded once"
        );
        for bad in [
            "/%2", "/%", "/%g0", "/%ZZ/x", "%%41", "/a%4", "/%00", "/a\0b", "/%ff", "/%c0%ae",
        ] {
            assert_eq!(percent_decode_strict(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn encoding_keeps_only_unreserved_characters_and_slashes() {
        assert_eq!(percent_encode_path("/é a/"), "/%C3%A9%20a/");
        assert_eq!(percent_encode_path("/a-b.c_d~e/"), "/a-b.c_d~e/");
        assert_eq!(
            percent_encode_path("/a\"b<c>?#%/"),
            "/a%22b%3Cc%3E%3F%23%25/"
        );
        for path in ["/é a/", "/a%b/", "/x?y#z/"] {
            assert_eq!(
                percent_decode_strict(&percent_encode_path(path)).as_deref(),
                Some(path)
            );
        }
    }

    #[test]
    fn links_escape_what_file_names_hold() {
        let u = Urls::from_parts("https://x.example/mon%20site/", false);
        assert_eq!(
            u.link("t/Photo Atelier été.JPG"),
            "/mon%20site/t/Photo%20Atelier%20%C3%A9t%C3%A9.JPG"
        );
        assert_eq!(
            u.link("t/a#1?b%c.jpg"),
            "/mon%20site/t/a%231%3Fb%25c.jpg",
            "`#`, `?` and `%` of a name are the name's"
        );
        assert_eq!(
            u.permalink("mes images/logo école.png"),
            "https://x.example/mon%20site/mes%20images/logo%20%C3%A9cole.png"
        );
        let rel = Urls::from_parts("https://x.example/", true);
        assert_eq!(
            rel.finish_page(rel.link("t/a b#1/"), "t/x/"),
            "../../t/a%20b%231/index.html"
        );
    }

    #[test]
    fn written_links_keep_their_suffix_and_escapes() {
        let u = Urls::from_parts("https://x.example/s/", false);
        assert_eq!(
            u.link_written("a propos/#contact"),
            "/s/a%20propos/#contact"
        );
        assert_eq!(
            u.link_written("mon%20stage/?q=été x"),
            "/s/mon%20stage/?q=%C3%A9t%C3%A9%20x"
        );
        assert_eq!(u.link_written("100%/"), "/s/100%25/");
        assert_eq!(u.link_written("#haut"), "#haut");
        assert_eq!(
            u.link_written("https://e.example/a b"),
            "https://e.example/a b"
        );
    }

    #[test]
    fn file_paths_become_slash_separated() {
        assert_eq!(slash_path(Path::new("a/b/c.jpg")), "a/b/c.jpg");
        assert_eq!(slash_path(Path::new("a//./b/")), "a/b");
        assert_eq!(slash_path(Path::new("")), "");
    }

    #[test]
    fn pager_paths() {
        assert_eq!(pager_path("temoignages/", 1), "temoignages/");
        assert_eq!(pager_path("temoignages/", 3), "temoignages/page/3/");
    }

    #[test]
    fn output_file_names() {
        assert_eq!(page_file("a/"), "a/index.html");
        assert_eq!(page_file(""), "index.html");
        assert_eq!(
            term_path(Taxonomy::Tags, Lang::Fr, "cuisine"),
            "etiquettes/cuisine/"
        );
        assert_eq!(
            variant_path("t/julien/photo.jpg", 640),
            "t/julien/photo-640w.jpg"
        );
        assert_eq!(variant_path("t/x", 320), "t/x-320w");
        assert_eq!(variant_path("t.d/x", 320), "t.d/x-320w");
    }

    #[test]
    fn normalises_dot_segments() {
        assert_eq!(normalise("/a/./b/../c/"), "a/c/");
        assert_eq!(normalise("../../etc/passwd"), "etc/passwd");
        assert_eq!(normalise("a/b#x"), "a/b#x");
        assert_eq!(normalise("a/?q=1"), "a/?q=1");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn links_never_escape_the_base_path(path in "[a-z./\\\\]{0,30}") {
            let u = Urls::from_parts("https://x.example/ecole/stages/", false);
            let link = u.link(&path);
            prop_assert!(link.starts_with("/ecole/stages/"));
            prop_assert!(!link.split('/').any(|s| s == ".."));
            let rel = Urls::from_parts("https://x.example/", true);
            let page = rel.finish_page(rel.link(&path), "a/b/");
            let rest = page.trim_start_matches("../");
            prop_assert!(!rest.split('/').any(|s| s == ".."));
        }
    }
}
