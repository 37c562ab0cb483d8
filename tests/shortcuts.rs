//! The default theme's rendering shortcuts make the very pages its
//! templates make when rendered plainly. With every template the default
//! theme's own, vitrine renders each card once per build (`card_html`),
//! gives lists only their cards' `file`, and renders the header and footer
//! once per place in the menu (`menu_html`); a copy of the same templates in
//! the site's `templates/` counts as the site's own and is rendered without
//! these shortcuts. Both builds must write the same bytes.

mod common;

use std::path::Path;

use common::*;

/// The example site (`site.yaml`, `content/`) copied to `root`.
fn copy_example(root: &Path) {
    let repo = repo_root();
    std::fs::create_dir_all(root).expect("mkdir");
    std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).expect("copy site.yaml");
    copy_dir(&repo.join("content"), &root.join("content"));
    if repo.join("static").is_dir() {
        copy_dir(&repo.join("static"), &root.join("static"));
    }
}

fn build_into(root: &Path, out: &Path) {
    vitrine()
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn default_templates_copied_into_the_site_make_the_same_pages() {
    same_pages_both_ways(&[]);
}

/// Relative links are finished per page after rendering: the header and
/// footer made once must still point right from every depth; English
/// labels go through the same partials.
#[test]
fn the_same_pages_with_relative_urls_in_english() {
    same_pages_both_ways(&[
        ("relative_urls: false", "relative_urls: true"),
        ("language: fr", "language: en"),
    ]);
}

/// Builds the example site with `site.yaml` edited by `edits`, with the
/// default templates and with their copy, and compares the outputs.
fn same_pages_both_ways(edits: &[(&str, &str)]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = dir.path().join("plain");
    copy_example(&plain);
    let shortcut = dir.path().join("shortcut");
    copy_example(&shortcut);
    for (from, to) in edits {
        replace_in(&plain.join("site.yaml"), from, to);
        replace_in(&shortcut.join("site.yaml"), from, to);
    }
    copy_dir(
        &repo_root().join("themes/default/templates"),
        &plain.join("templates"),
    );
    let (out_plain, out_shortcut) = (dir.path().join("out-plain"), dir.path().join("out-short"));
    build_into(&plain, &out_plain);
    build_into(&shortcut, &out_shortcut);

    let (a, b) = (snapshot(&out_plain), snapshot(&out_shortcut));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "same files"
    );
    let differing: Vec<_> = a
        .iter()
        .filter(|(path, bytes)| b.get(*path) != Some(bytes))
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(differing.is_empty(), "{differing:?}");
    // The lists the shortcut builds differently are there, with their cards.
    let list = String::from_utf8_lossy(&b[Path::new("temoignages/index.html")]).to_string();
    assert!(
        list.matches("class=\"card testimonial-card\"").count() >= 3,
        "{list}"
    );
}
