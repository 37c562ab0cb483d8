//! Feeds, sitemap, JSON-LD, relative URLs, responsive images and escaping.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// The example site copied to a temporary folder (content, config, theme).
fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    for part in ["content", "themes"] {
        copy_dir(&repo_root().join(part), &root.join(part));
    }
    std::fs::copy(repo_root().join("site.yaml"), root.join("site.yaml")).unwrap();
    (dir, root)
}

#[test]
fn feed_and_sitemap_are_xml_and_list_only_published_pages() {
    let (_dir, root) = copy_fixture("minimal");
    let yesterday = today().previous_day().unwrap();
    let page = root.join("content/temoignages/stage-1.md");
    replace_in(
        &page,
        "consent:\n",
        &format!("consent:\n  expires: {yesterday}\n"),
    );
    let page = root.join("content/temoignages/stage-2.md");
    replace_in(&page, "tags:", "draft: true\ntags:");
    build_ok(&root);
    let out = root.join("public");

    let atom = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&atom).expect("atom.xml is XML");
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 2, "stage-3 and ines only");
    for entry in &entries {
        for child in ["id", "title", "updated", "link"] {
            assert!(
                entry.children().any(|c| c.has_tag_name(child)),
                "entry without {child}"
            );
        }
        let link = entry
            .children()
            .find(|c| c.has_tag_name("link"))
            .and_then(|l| l.attribute("href"))
            .unwrap();
        assert!(link.starts_with("https://test.example/"), "{link}");
    }

    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.len() > 10);
    for loc in &locs {
        let path = loc
            .strip_prefix("https://test.example/")
            .expect("absolute URL");
        assert!(file_for(&out, path).is_file(), "{loc}");
    }
    for gone in ["stage-1", "stage-2"] {
        assert!(
            !atom.contains(gone) && !sitemap.contains(gone),
            "{gone} listed"
        );
    }
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://test.example/sitemap.xml"));
}

#[test]
fn json_ld_parses_with_the_right_types() {
    let (_dir, out) = build_example(&[]);
    let selector = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    let mut seen = 0;
    for file in html_files(&out) {
        let rel = file
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let expected = if rel.starts_with("temoignages/")
            && !rel.starts_with("temoignages/index")
            && !rel.contains("page/")
        {
            Some("Article")
        } else if rel.starts_with("programmes/") && rel != "programmes/index.html" {
            Some("EducationalOccupationalProgram")
        } else {
            None
        };
        let html = std::fs::read_to_string(&file).unwrap();
        let doc = scraper::Html::parse_document(&html);
        for script in doc.select(&selector) {
            let json: serde_json::Value =
                serde_json::from_str(&script.text().collect::<String>()).expect(&rel);
            if let Some(t) = expected {
                assert_eq!(json["@type"], t, "{rel}");
                seen += 1;
            }
            if t_is(&json, "Article") {
                assert!(json["author"]["name"].is_string(), "{rel}");
            }
            if t_is(&json, "EducationalOccupationalProgram") {
                assert!(json["provider"]["name"].is_string(), "{rel}");
            }
        }
    }
    assert!(seen >= 13, "only {seen} pages with JSON-LD");
}

fn t_is(json: &serde_json::Value, t: &str) -> bool {
    json["@type"] == t
}

/// Resolves `href` against the page at `page` (a path under `prefix`) like
/// a browser does; `None` when it leaves the site's prefix.
fn resolve(prefix: &str, page: &str, href: &str) -> Option<String> {
    let href = href.split(['#', '?']).next().unwrap_or("");
    if href.is_empty() {
        return Some(page.to_string());
    }
    let mut segments: Vec<&str> = format!("{prefix}{page}")
        .split('/')
        .map(|s| s.to_owned())
        .collect::<Vec<_>>()
        .iter()
        .map(|_| "")
        .collect();
    segments.clear();
    let base = format!("{prefix}{page}");
    let mut parts: Vec<String> = base.split('/').map(str::to_string).collect();
    parts.pop(); // the document itself
    for seg in href.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s.to_string()),
        }
    }
    let path = parts.join("/");
    path.strip_prefix(prefix.trim_end_matches('/'))
        .map(|p| p.trim_start_matches('/').to_string())
}

#[test]
fn relative_urls_work_under_any_prefix() {
    let (_dir, root) = example_copy();
    let config = std::fs::read_to_string(root.join("site.yaml"))
        .unwrap()
        .replace("relative_urls: false", "relative_urls: true");
    std::fs::write(root.join("site.yaml"), config).unwrap();
    build_ok(&root);
    let out = root.join("public");
    let mut checked = 0;
    for file in html_files(&out) {
        let page = file
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if page == "404.html" {
            continue; // served at any depth: uses the base path (see README)
        }
        let html = std::fs::read_to_string(&file).unwrap();
        assert!(
            !html.contains("https://lycee.example"),
            "{page} names the host"
        );
        for url in urls_in(&html) {
            if url.starts_with("http") || url.starts_with("mailto:") {
                continue;
            }
            assert!(!url.starts_with('/'), "{page}: {url}");
            for prefix in ["/", "/a/", "/a/b/c/"] {
                let target = resolve(prefix, &page, &url)
                    .unwrap_or_else(|| panic!("{page}: {url} leaves {prefix}"));
                assert!(
                    file_for(&out, &target).is_file(),
                    "{page}: {url} under {prefix} → {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} URLs");
}

/// A noisy 3000×2000 JPEG (noise keeps the encoder honest about sizes).
fn big_jpeg(path: &Path) {
    let mut seed: u32 = 7;
    let img = image::RgbImage::from_fn(3000, 2000, |x, y| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        image::Rgb([(x % 256) as u8, (y % 256) as u8, (seed >> 24) as u8])
    });
    img.save(path).unwrap();
}

#[test]
fn bundle_photos_get_responsive_variants_and_bad_images_are_named() {
    let (_dir, root) = copy_fixture("minimal");
    let bundle = root.join("content/temoignages/ines");
    big_jpeg(&bundle.join("grande.jpg"));
    let page = bundle.join("index.md");
    let text = std::fs::read_to_string(&page)
        .unwrap()
        .replace("portrait.png", "grande.jpg")
        + "\n![Une grande image de test](grande.jpg)\n";
    std::fs::write(&page, text).unwrap();
    build_ok(&root);
    let out = root.join("public/temoignages/ines");
    for w in [320, 640, 1280] {
        let variant = out.join(format!("grande-{w}w.jpg"));
        let (vw, _) = image::image_dimensions(&variant).unwrap();
        assert_eq!(vw, w);
    }
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let imgs: Vec<_> = doc
        .select(&scraper::Selector::parse("img[src*='grande']").unwrap())
        .collect();
    assert!(!imgs.is_empty());
    for img in imgs {
        let v = img.value();
        assert!(
            v.attr("srcset")
                .is_some_and(|s| s.contains("grande-640w.jpg 640w")),
            "{}",
            img.html()
        );
        // The published picture: 3000×2000 reduced to 1600 px wide.
        assert_eq!(v.attr("width"), Some("1600"), "{}", img.html());
        assert_eq!(v.attr("height"), Some("1067"), "{}", img.html());
        assert!(v.attr("alt").is_some(), "{}", img.html());
    }

    std::fs::write(bundle.join("grande.jpg"), b"not a jpeg at all").unwrap();
    let stderr = build_fails(&root);
    assert!(
        stderr.contains("content/temoignages/ines/grande.jpg") && stderr.contains("[bad-image]"),
        "{stderr}"
    );
}

#[test]
fn hostile_titles_are_escaped_everywhere() {
    let (_dir, root) = copy_fixture("minimal");
    let page = root.join("content/temoignages/stage-1.md");
    replace_in(
        &page,
        "title: \"Stage numéro 1\"",
        "title: \"<script>alert(1)</script>\"",
    );
    build_ok(&root);
    let out = root.join("public");
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        let ext = entry
            .path()
            .extension()
            .map(|e| e.to_string_lossy().to_string())
            .unwrap_or_default();
        if !["html", "xml", "json", "js"].contains(&ext.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        assert!(
            !text.contains("<script>alert(1)"),
            "{} has the raw title",
            entry.path().display()
        );
        if text.contains("alert(1)") {
            files += 1;
        }
    }
    // The page, lists, taxonomy pages, feed, search index…: escaped but present.
    assert!(files >= 5, "title found escaped in only {files} files");
    let page = std::fs::read_to_string(out.join("temoignages/stage-1/index.html")).unwrap();
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let search: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("search.json")).unwrap()).unwrap();
    assert!(search["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["title"] == "<script>alert(1)</script>"));
}

#[test]
fn pages_declare_a_csp_that_the_theme_satisfies() {
    let (_dir, out) = build_example(&[]);
    let csp = scraper::Selector::parse("meta[http-equiv='Content-Security-Policy']").unwrap();
    let scripts = scraper::Selector::parse("script").unwrap();
    let all = scraper::Selector::parse("*").unwrap();
    for file in html_files(&out) {
        let html = std::fs::read_to_string(&file).unwrap();
        let doc = scraper::Html::parse_document(&html);
        let policy: Vec<_> = doc
            .select(&csp)
            .filter_map(|m| m.value().attr("content"))
            .collect();
        assert_eq!(policy.len(), 1, "{}", file.display());
        assert!(policy[0].contains("script-src 'self'") && !policy[0].contains("unsafe-inline"));
        for script in doc.select(&scripts) {
            let v = script.value();
            assert!(
                v.attr("src").is_some() || v.attr("type") == Some("application/ld+json"),
                "inline script in {}",
                file.display()
            );
        }
        for el in doc.select(&all) {
            for (name, _) in el.value().attrs() {
                assert!(
                    !name.starts_with("on") && name != "style",
                    "{name}= in {}",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn a_site_template_replaces_the_feed_and_the_sitemap() {
    let (_dir, root) = copy_fixture("minimal");
    replace_in(
        &root.join("content/temoignages/stage-3.md"),
        "title: \"Stage numéro 3\"",
        "title: \"Stage & numéro 3\"",
    );
    write(
        &root.join("templates/atom.xml"),
        "<feed title=\"{{ site.title }}\">{% for entry in feed.entries %}\n<e>{{ entry.title }}</e>{% endfor %}\n</feed>\n",
    );
    write(
        &root.join("templates/sitemap.xml"),
        "<urlset>{{ entries | length }}</urlset>\n",
    );
    build_ok(&root);
    let out = root.join("public");

    let atom = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(
        atom.starts_with("<feed title=\"Site de test\">\n<e>"),
        "{atom}"
    );
    assert!(atom.ends_with("</e>\n</feed>\n"), "{atom}");
    // The site's template is escaped like the theme's.
    assert!(atom.contains("<e>Stage &amp; numéro 3</e>"), "{atom}");
    assert!(!atom.contains("<entry>"), "the theme's feed: {atom}");

    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let count: usize = sitemap
        .strip_prefix("<urlset>")
        .and_then(|s| s.strip_suffix("</urlset>\n"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{sitemap}"));
    assert!(count > 10, "{sitemap}");
}

#[test]
fn a_mistake_in_the_site_feed_template_names_its_line() {
    let (_dir, root) = copy_fixture("minimal");
    write(
        &root.join("templates/atom.xml"),
        "<feed>\n{{ feed.entrees | length }}\n</feed>\n",
    );
    let stderr = build_fails(&root);
    assert!(stderr.contains("templates/atom.xml:2"), "{stderr}");
    assert!(stderr.contains("feed.entrees"), "{stderr}");
}
