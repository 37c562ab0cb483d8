//! Every URL vitrine writes is percent-encoded: pictures, pages and static
//! files whose names hold spaces, accents, `#`, `%` or `?` are reached by
//! their `src`, `srcset`, `href`, OpenGraph, JSON-LD, sitemap, feed and
//! search entries, under a sub-path and with relative URLs.

mod common;

use std::path::{Path, PathBuf};

use common::pictures::jpeg_with_metadata;
use common::*;

const BASE_PATH: &str = "/ecole/stages/";

/// A programme whose cover, a testimonial whose photo and pictures, a page
/// and a logo have names a writer's computer allows and a URL does not.
fn site_with_odd_names(root: &Path, relative: bool) {
    write_skeleton(
        root,
        &format!(
            "title: \"Site\"\nbase_url: \"https://lycee.example{BASE_PATH}\"\nlanguage: fr\n\
             relative_urls: {relative}\nidentity:\n  logo: 'mes images/logo école #1.png'\n  \
             logo_alt: \"Lycée\"\n"
        ),
    );
    write_png(&root.join("static/mes images/logo école #1.png"), 120, 60);
    let programme = root.join("content/programmes/atelier");
    write(
        &programme.join("index.md"),
        "---\ntitle: Atelier\norganiser: Collège\ncover: \"Photo Atelier été.JPG\"\n\
         cover_alt: \"L'atelier\"\n---\nUne journée.\n",
    );
    jpeg_with_metadata(&programme.join("Photo Atelier été.JPG"), 2000, 1000);
    let bundle = root.join("content/temoignages/lea");
    write(
        &bundle.join("index.md"),
        "---\ntitle: Léa\ndate: 2025-03-01\nprogramme: atelier\nauthor:\n  name: Léa\n  \
         photo: \"100% #2?.jpg\"\n  photo_alt: \"Léa\"\nconsent:\n  obtained: 2025-01-01\n---\n\
         Ma semaine.\n\n![Le tableau](<tableau à 50%.png>)\n\n[La fiche](<fiche n°1 #2?.pdf>)\n",
    );
    jpeg_with_metadata(&bundle.join("100% #2?.jpg"), 1600, 1200);
    write_png(&bundle.join("tableau à 50%.png"), 1400, 700);
    write(&bundle.join("fiche n°1 #2?.pdf"), "%PDF-1.4\n");
    write(
        &root.join("content/Été #1?.md"),
        "---\ntitle: Été\n---\nVoir [Léa](@/temoignages/lea/index.md).\n",
    );
}

fn built(relative: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    site_with_odd_names(&root, relative);
    build_ok(&root);
    (dir, root.join("public"))
}

/// What an HTML checker refuses in a URL attribute: spaces, controls and
/// characters outside ASCII.
fn raw_characters(url: &str) -> bool {
    url.chars()
        .any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii())
}

/// Each `srcset` must be a list of `URL Nw` candidates.
fn check_srcsets(html: &str, file: &Path) {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("[srcset]").unwrap();
    for el in doc.select(&selector) {
        let srcset = el.value().attr("srcset").unwrap();
        for candidate in srcset.split(", ") {
            let words: Vec<&str> = candidate.split(' ').collect();
            assert!(
                words.len() == 2
                    && words[1].ends_with('w')
                    && words[1].trim_end_matches('w').parse::<u32>().is_ok(),
                "{}: bad srcset candidate {candidate:?} in {srcset:?}",
                file.display()
            );
        }
    }
}

/// The output file a URL of the page at `page` leads to, `None` for a URL
/// outside the site.
fn target(out: &Path, page: &Path, url: &str, relative: bool) -> Option<PathBuf> {
    let external = ["http:", "https:", "mailto:", "tel:", "data:", "#"];
    if external.iter().any(|p| url.starts_with(p)) {
        return None;
    }
    // The 404 page is served at any depth: root-relative even then.
    if relative && !url.starts_with('/') {
        let dir = page.parent().unwrap().strip_prefix(out).unwrap();
        let joined = dir.join(url.split(['#', '?']).next().unwrap());
        let mut parts: Vec<String> = Vec::new();
        for part in joined.components() {
            match part.as_os_str().to_str().unwrap() {
                "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p.to_string()),
            }
        }
        Some(file_for(out, &parts.join("/")))
    } else {
        let rest = url
            .strip_prefix(BASE_PATH)
            .unwrap_or_else(|| panic!("{url:?} is not under the base path"));
        Some(file_for(out, rest))
    }
}

fn check_pages(out: &Path, relative: bool) {
    let pages = html_files(out);
    assert!(pages.len() > 5);
    for page in pages {
        let html = std::fs::read_to_string(&page).unwrap();
        check_srcsets(&html, &page);
        for url in urls_in(&html) {
            if url.starts_with("http") && !url.starts_with("https://lycee.example") {
                continue;
            }
            assert!(
                !raw_characters(&url),
                "{}: raw characters in {url:?}",
                page.display()
            );
            let local = url
                .strip_prefix("https://lycee.example")
                .map_or(url.clone(), str::to_string);
            if let Some(file) = target(out, &page, &local, relative && local == url) {
                assert!(
                    file.exists(),
                    "{}: {url:?} leads nowhere ({})",
                    page.display(),
                    file.display()
                );
            }
        }
    }
}

/// The `src` of the first `<img>` whose `src` contains `part`.
fn img_src(html: &str, part: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("img[src]").unwrap();
    doc.select(&selector)
        .filter_map(|el| el.value().attr("src"))
        .find(|src| src.contains(part))
        .unwrap_or_else(|| panic!("no <img> with {part:?}"))
        .to_string()
}

#[test]
fn odd_file_names_are_encoded_under_a_sub_path() {
    let (_dir, out) = built(false);
    check_pages(&out, false);
    let programme = std::fs::read_to_string(out.join("programmes/atelier/index.html")).unwrap();
    assert!(programme.contains(
        "/ecole/stages/programmes/atelier/Photo%20Atelier%20%C3%A9t%C3%A9-640w.JPG 640w"
    ));
    let lea = std::fs::read_to_string(out.join("temoignages/lea/index.html")).unwrap();
    assert!(
        lea.contains("/ecole/stages/temoignages/lea/fiche%20n%C2%B01%20%232%3F.pdf"),
        "{lea}"
    );
    assert!(img_src(&lea, "tableau").contains("tableau%20%C3%A0%2050%25"));
    assert!(img_src(&lea, "logo")
        .starts_with("/ecole/stages/mes%20images/logo%20%C3%A9cole%20%231.png?v="));
    assert!(
        lea.contains("\"https://lycee.example/ecole/stages/temoignages/lea/100%25%20%232%3F.jpg\"")
    );
    for file in ["sitemap.xml", "atom.xml", "search.json"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        for odd in ["Photo Atelier", "100% ", "été.", "#2?"] {
            assert!(!text.contains(odd), "{file} holds {odd:?}");
        }
    }
}

#[test]
fn odd_file_names_are_encoded_with_relative_urls() {
    let (_dir, out) = built(true);
    check_pages(&out, true);
    let lea = std::fs::read_to_string(out.join("temoignages/lea/index.html")).unwrap();
    assert!(img_src(&lea, "logo").starts_with("../../mes%20images/logo%20%C3%A9cole%20%231.png?v="));
    assert!(
        lea.contains("../../temoignages/lea/100%25%20%232%3F-640w.jpg"),
        "{lea}"
    );
}
