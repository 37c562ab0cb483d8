//! Covers of programmes and of the home page: published re-encoded without
//! metadata, with their variants, their size and their alternative text; a
//! cover without its text or without its file is an error at its line.

mod common;

use std::path::Path;

use common::pictures::*;
use common::*;

const SITE_YAML: &str = "title: \"Site\"\nbase_url: \"https://test.example/\"\nlanguage: fr\n";

/// A programme bundle and the home page, each with a 2000×1000 JPEG cover
/// carrying EXIF (artist, serial, GPS).
fn site_with_covers(root: &Path) {
    write_skeleton(root, SITE_YAML);
    write(
        &root.join("content/_index.md"),
        "---\ntitle: Accueil\ncover: accueil.jpg\ncover_alt: \"La cour du lycée\"\n---\nBienvenue.\n",
    );
    jpeg_with_metadata(&root.join("content/accueil.jpg"), 2000, 1000);
    let bundle = root.join("content/programmes/vis-mon-job");
    write(
        &bundle.join("index.md"),
        "---\ntitle: Vis mon job\norganiser: Collège\ncover: atelier.jpg\n\
         cover_alt: \"Un atelier de menuiserie\"\n---\nUne journée.\n",
    );
    jpeg_with_metadata(&bundle.join("atelier.jpg"), 2000, 1000);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The `<img class="cover" …>` tag of a page.
fn cover_tag(html: &str) -> &str {
    let start = html.find("<img class=\"cover\"").expect("a cover");
    let end = html[start..]
        .find('>')
        .map_or(html.len(), |e| start + e + 1);
    &html[start..end]
}

#[test]
fn covers_are_published_clean_with_variants_size_and_alt() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    site_with_covers(root);
    for source in [
        "content/accueil.jpg",
        "content/programmes/vis-mon-job/atelier.jpg",
    ] {
        let bytes = std::fs::read(root.join(source)).unwrap();
        assert!(contains(&bytes, b"Exif\0\0") && contains(&bytes, ARTIST.as_bytes()));
    }
    build_ok(root);
    let out = root.join("public");
    for (dir, name, alt) in [
        ("", "accueil", "La cour du lycée"),
        (
            "programmes/vis-mon-job/",
            "atelier",
            "Un atelier de menuiserie",
        ),
    ] {
        let published = std::fs::read(out.join(format!("{dir}{name}.jpg"))).unwrap();
        for marker in [
            b"Exif\0\0".as_slice(),
            ARTIST.as_bytes(),
            SERIAL.as_bytes(),
            GPS_MARKER.as_bytes(),
        ] {
            assert!(
                !contains(&published, marker),
                "{dir}{name}.jpg keeps metadata"
            );
        }
        assert!(
            out.join(format!("{dir}{name}-640w.jpg")).is_file(),
            "{dir}: no variant"
        );
        let html = std::fs::read_to_string(out.join(dir).join("index.html")).unwrap();
        let tag = cover_tag(&html);
        assert!(tag.contains(&format!("alt=\"{alt}\"")), "{tag}");
        assert!(tag.contains(&format!("{name}-640w.jpg 640w")), "{tag}");
        assert!(tag.contains("sizes=\""), "{tag}");
        // Stored 2000×1000 with orientation 6: upright, it is 1000×2000.
        assert!(tag.contains(" width=\"1000\" height=\"2000\""), "{tag}");
    }
}

#[test]
fn a_page_without_cover_shows_none() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_skeleton(root, SITE_YAML);
    write(
        &root.join("content/programmes/stage.md"),
        "---\ntitle: Stage\norganiser: Collège\n---\nTexte.\n",
    );
    build_ok(root);
    for page in ["index.html", "programmes/stage/index.html"] {
        let html = std::fs::read_to_string(root.join("public").join(page)).unwrap();
        assert!(!html.contains("class=\"cover\""), "{page}");
    }
}

#[test]
fn a_cover_without_alt_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    site_with_covers(root);
    replace_in(
        &root.join("content/_index.md"),
        "cover_alt: \"La cour du lycée\"\n",
        "",
    );
    let page = root.join("content/programmes/vis-mon-job/index.md");
    replace_in(&page, "cover_alt: \"Un atelier de menuiserie\"\n", "");
    let stderr = build_fails(root);
    for at in [
        "content/_index.md:3:",
        "content/programmes/vis-mon-job/index.md:4:",
    ] {
        assert!(
            stderr.lines().any(|l| l.contains(at)) && stderr.contains("[cover-without-alt]"),
            "{at}\n{stderr}"
        );
    }
    assert_eq!(stderr.matches("[cover-without-alt]").count(), 2, "{stderr}");
}

#[test]
fn a_missing_cover_file_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    site_with_covers(root);
    std::fs::remove_file(root.join("content/accueil.jpg")).unwrap();
    std::fs::remove_file(root.join("content/programmes/vis-mon-job/atelier.jpg")).unwrap();
    let stderr = build_fails(root);
    assert_eq!(stderr.matches("[cover-missing]").count(), 2, "{stderr}");
    for at in [
        "content/_index.md:3:",
        "content/programmes/vis-mon-job/index.md:4:",
    ] {
        assert!(stderr.contains(at), "{at}\n{stderr}");
    }
    assert!(
        stderr.contains("accueil.jpg") && stderr.contains("atelier.jpg"),
        "{stderr}"
    );
}

/// A cover must be a picture: a PDF named as the cover would be copied as
/// it is.
#[test]
fn a_cover_that_is_no_picture_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    site_with_covers(root);
    let index = root.join("content/programmes/vis-mon-job/index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, text.replace("atelier.jpg", "plaquette.pdf")).unwrap();
    std::fs::write(
        root.join("content/programmes/vis-mon-job/plaquette.pdf"),
        "%PDF-1.4",
    )
    .unwrap();
    let stderr = build_fails(root);
    assert_eq!(stderr.matches("[cover-not-picture]").count(), 1, "{stderr}");
    assert!(
        stderr.contains("content/programmes/vis-mon-job/index.md:4:"),
        "{stderr}"
    );
}

/// `vitrine check` in English: what it printed.
fn check_in_english(root: &Path) -> String {
    let out = vitrine()
        .env("LANG", "en_GB.UTF-8")
        .arg("check")
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// `../` out of the page's folder is not "missing": the file may well be
/// there, and the writer must be told why it is not taken.
#[test]
fn a_cover_outside_the_pages_folder_says_so_at_its_value() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    site_with_covers(root);
    let index = root.join("content/programmes/vis-mon-job/index.md");
    replace_in(&index, "cover: atelier.jpg", "cover: ../../accueil.jpg");
    let stderr = build_fails(root);
    assert!(stderr.contains("[cover-outside]"), "{stderr}");
    assert!(!stderr.contains("[cover-missing]"), "{stderr}");
    assert!(stderr.contains("hors du dossier de la page"), "{stderr}");
    // Column 8: the caret on the path, not on `cover`.
    assert!(
        stderr.contains("content/programmes/vis-mon-job/index.md:4:8"),
        "{stderr}"
    );
    let english = check_in_english(root);
    assert!(
        english.contains("is outside the page's folder"),
        "{english}"
    );
}

/// Review of #16: a cover linked to a picture outside the site was only a
/// warning, and the page showed a picture that was never published.
#[cfg(unix)]
#[test]
fn a_cover_linked_from_outside_is_outside() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    site_with_covers(&root);
    let outside = dir.path().join("ailleurs.jpg");
    jpeg_with_metadata(&outside, 800, 400);
    let bundle = root.join("content/programmes/vis-mon-job");
    std::os::unix::fs::symlink(&outside, bundle.join("lien.jpg")).unwrap();
    replace_in(
        &bundle.join("index.md"),
        "cover: atelier.jpg",
        "cover: lien.jpg",
    );
    let stderr = build_fails(&root);
    assert!(stderr.contains("[cover-outside]"), "{stderr}");
}

#[test]
fn a_cover_on_a_testimonial_says_testimonials_use_photo() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_skeleton(root, SITE_YAML);
    write(
        &root.join("content/temoignages/a.md"),
        "---\ntitle: Mon stage\ndate: 2026-01-10\ncover: atelier.jpg\nauthor:\n  name: Zoé\nconsent:\n  obtained: 2026-01-02\n---\nUn récit.\n",
    );
    let stderr = build_fails(root);
    assert!(stderr.contains("content/temoignages/a.md:4:"), "{stderr}");
    assert!(
        stderr.contains("sa photo se donne sous `author:`, avec `photo:`"),
        "{stderr}"
    );
    let english = check_in_english(root);
    assert!(
        english.contains("with `photo:` and `photo_alt:`"),
        "{english}"
    );
}

/// A text saved as `.jpg` cannot be decoded: the error names the field that
/// uses it, at its line, so the writer knows which page to fix.
#[test]
fn a_text_named_jpg_as_cover_or_photo_is_an_error_at_the_fields_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    site_with_covers(root);
    write(
        &root.join("content/programmes/vis-mon-job/atelier.jpg"),
        "pas une image",
    );
    let bundle = root.join("content/temoignages/zoe");
    write(
        &bundle.join("index.md"),
        "---\ntitle: Mon stage\ndate: 2026-01-10\nauthor:\n  name: Zoé\n  photo: portrait.jpg\n  photo_alt: Zoé\nconsent:\n  obtained: 2026-01-02\n---\nUn récit.\n",
    );
    write(&bundle.join("portrait.jpg"), "pas une image non plus");
    let stderr = build_fails(root);
    assert_eq!(stderr.matches("[bad-image]").count(), 2, "{stderr}");
    for at in [
        "content/programmes/vis-mon-job/index.md:4:8",
        "content/temoignages/zoe/index.md:6:10",
    ] {
        assert!(stderr.contains(at), "{at}\n{stderr}");
    }
    assert!(
        stderr.contains("`content/programmes/vis-mon-job/atelier.jpg` : image illisible")
            && stderr.contains("`content/temoignages/zoe/portrait.jpg` : image illisible"),
        "{stderr}"
    );
}

/// The `content` of `<meta property="{property}" …>` in `html`.
fn meta(html: &str, property: &str) -> Option<String> {
    let start = html.find(&format!("<meta property=\"{property}\" content=\""))?;
    let rest = &html[start..];
    let value = &rest[rest.find("content=\"")? + 9..];
    Some(value[..value.find('"')?].to_string())
}

/// A shared link shows the cover: `og:image` (and the programme's JSON-LD
/// `image`) is the absolute address, under `base_url`, of a published file.
#[test]
fn a_cover_is_the_pages_og_image_and_json_ld_image() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    site_with_covers(root);
    build_ok(root);
    let out = root.join("public");
    for (dir, name, alt) in [
        ("", "accueil", "La cour du lycée"),
        (
            "programmes/vis-mon-job/",
            "atelier",
            "Un atelier de menuiserie",
        ),
    ] {
        let html = std::fs::read_to_string(out.join(dir).join("index.html")).unwrap();
        let image = meta(&html, "og:image").unwrap_or_else(|| panic!("{dir}: no og:image"));
        let file = image
            .strip_prefix("https://test.example/")
            .unwrap_or_else(|| panic!("{image} is not under base_url"));
        assert_eq!(file, format!("{dir}{name}.jpg"));
        assert!(out.join(file).is_file(), "{image} is not published");
        assert_eq!(meta(&html, "og:image:alt").as_deref(), Some(alt));
        if !dir.is_empty() {
            assert!(
                html.contains(&format!("\"image\":\"{image}\"")),
                "no JSON-LD image: {html}"
            );
        }
    }
    // Relative URLs: no address to announce.
    replace_in(
        &root.join("site.yaml"),
        "language: fr\n",
        "language: fr\nrelative_urls: true\n",
    );
    build_ok(root);
    let html = std::fs::read_to_string(out.join("programmes/vis-mon-job/index.html")).unwrap();
    assert!(!html.contains("og:image"), "{html}");
}
