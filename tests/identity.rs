//! Issue #16, identity: `identity:` in `site.yaml` names the organisation,
//! gives a logo (with its text) and picks the palette, in French or in
//! English. An unknown palette, a logo without text or a logo missing from
//! `static/` are errors at their line; the old `extra.theme.palette` still works.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const SITE_YAML: &str =
    "title: \"Stages\"\nbase_url: \"https://lycee.example/stages/\"\nlanguage: fr\n";

fn site(extra_yaml: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(&root, &format!("{SITE_YAML}{extra_yaml}"));
    (dir, root)
}

fn home(root: &Path) -> String {
    let path = root.join("public/index.html");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn an_unknown_palette_is_an_error_at_its_line_with_a_did_you_mean() {
    // Line 5: `palette: vertt`.
    let (_dir, root) = site("identity:\n  palette: vertt\n");
    let stderr = build_fails(&root);
    // Column 12: the caret is on the misspelt name, not on the key.
    assert!(stderr.contains("site.yaml:5:12"), "{stderr}");
    assert!(
        stderr.contains("5 |   palette: vertt\n  |            ^^^^^\n"),
        "{stderr}"
    );
    assert!(stderr.contains("palette"), "{stderr}");
    assert!(stderr.contains("`vert`"), "no did-you-mean: {stderr}");
}

#[test]
fn a_logo_without_its_text_is_an_error_at_its_line() {
    let (_dir, root) = site("identity:\n  name: \"Lycée Jean Moulin\"\n  logo: logo.svg\n");
    write(
        &root.join("static/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let stderr = build_fails(&root);
    assert!(stderr.contains("site.yaml:6"), "{stderr}");
    assert!(stderr.contains("logo_alt"), "{stderr}");
}

#[test]
fn a_logo_missing_from_static_is_an_error_at_its_line() {
    let (_dir, root) = site("identity:\n  logo: logo.svg\n  logo_alt: \"Lycée Jean Moulin\"\n");
    let stderr = build_fails(&root);
    assert!(stderr.contains("site.yaml:5"), "{stderr}");
    assert!(stderr.contains("logo.svg"), "{stderr}");
}

#[test]
fn name_logo_and_palette_reach_every_page() {
    let (_dir, root) = site(
        "identity:\n  name: \"Lycée des métiers Jean Moulin\"\n  logo: img/logo.svg\n  logo_alt: \"Lycée Jean Moulin\"\n  palette: green\n",
    );
    write(
        &root.join("static/img/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    build_ok(&root);
    let html = home(&root);
    assert!(html.contains("class=\"palette-vert\""), "{html}");
    assert!(
        html.contains("class=\"brand-logo\" src=\"/stages/img/logo.svg")
            && html.contains("alt=\"Lycée Jean Moulin\""),
        "{html}"
    );
    assert!(root.join("public/img/logo.svg").is_file());
    let named = html.matches("Lycée des métiers Jean Moulin").count();
    assert_eq!(named, 2, "the name in the header and the footer:\n{html}");
}

#[test]
fn french_and_english_palette_names_are_the_same_palette() {
    for (name, class) in [("violet", "violet"), ("purple", "violet"), ("Bleu", "bleu")] {
        let (_dir, root) = site(&format!("identity:\n  palette: {name}\n"));
        build_ok(&root);
        let html = home(&root);
        assert!(
            html.contains(&format!("class=\"palette-{class}\"")),
            "{name}: {html}"
        );
    }
}

#[test]
fn the_old_extra_theme_palette_still_applies() {
    let (_dir, root) = site("extra:\n  theme:\n    palette: terracotta\n");
    build_ok(&root);
    assert!(home(&root).contains("class=\"palette-terracotta\""));
    // identity: wins over the old place.
    let (_dir, root) = site("identity:\n  palette: vert\nextra:\n  theme:\n    palette: violet\n");
    build_ok(&root);
    assert!(home(&root).contains("class=\"palette-vert\""));
}

#[test]
fn an_unknown_palette_in_the_old_place_is_an_error_at_its_value() {
    // Line 6: `    palette: rouuge`, the name from column 14.
    let (_dir, root) = site("extra:\n  theme:\n    palette: rouuge\n");
    let stderr = build_fails(&root);
    assert!(stderr.contains("site.yaml:6:14"), "{stderr}");
    assert!(stderr.contains("extra.theme.palette"), "{stderr}");
    assert!(stderr.contains("[wrong-type]"), "{stderr}");
    // A near name gets its did-you-mean, as under `identity:`.
    let (_dir, root) = site("extra:\n  theme:\n    palette: terracota\n");
    let stderr = build_fails(&root);
    assert!(stderr.contains("`terracotta`"), "no did-you-mean: {stderr}");
}

#[test]
fn a_landscape_author_photo_is_not_framed_as_a_portrait() {
    let (_dir, root) = site("");
    let testimonial = "---\ntitle: Mon stage\ndate: 2026-01-10\nauthor:\n  name: Zoé\n  photo: photo.png\n  photo_alt: Zoé devant un écran\nconsent:\n  obtained: 2026-01-02\n---\n\nUn récit.\n";
    for (name, width, height) in [("large", 60, 30), ("haute", 30, 60)] {
        let bundle = root.join("content/temoignages").join(name);
        write(&bundle.join("index.md"), testimonial);
        write_png(&bundle.join("photo.png"), width, height);
    }
    build_ok(&root);
    let page = |name: &str| {
        let path = root
            .join("public/temoignages")
            .join(name)
            .join("index.html");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    assert!(page("large").contains("class=\"portrait is-landscape\""));
    let tall = page("haute");
    assert!(
        tall.contains("class=\"portrait\"") && !tall.contains("is-landscape"),
        "{tall}"
    );
}

/// Review: an SVG logo with a script would run on the school's domain; a
/// logo linked from outside the site is missing, in French, at its line.
#[test]
fn a_logo_with_a_script_or_from_outside_the_site_is_an_error() {
    let (dir, root) = site("identity:\n  logo: logo.svg\n  logo_alt: \"Lycée\"\n");
    write(
        &root.join("static/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>",
    );
    let stderr = build_fails(&root);
    assert!(stderr.contains("[unsafe-svg]"), "{stderr}");
    assert!(!root.join("public/logo.svg").exists());
    std::fs::remove_file(root.join("static/logo.svg")).unwrap();
    let outside = dir.path().join("dehors.svg");
    write(&outside, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    std::os::unix::fs::symlink(&outside, root.join("static/logo.svg")).unwrap();
    let stderr = build_fails(&root);
    assert!(stderr.contains("[logo-missing]"), "{stderr}");
    assert!(stderr.contains("site.yaml:5"), "{stderr}");
    assert!(!stderr.contains("no static file"), "{stderr}");
}

/// A logo is copied as it is: a text file (or a text named `.png`) would be
/// published in the header as a broken picture.
#[test]
fn a_logo_that_is_no_picture_is_an_error_at_its_value() {
    for (file, text) in [("logo.txt", "Lycée"), ("logo.png", "pas une image")] {
        let (_dir, root) = site(&format!(
            "identity:\n  logo: {file}\n  logo_alt: \"Lycée Jean Moulin\"\n"
        ));
        write(&root.join("static").join(file), text);
        let stderr = build_fails(&root);
        assert!(stderr.contains("site.yaml:5:9"), "{file}: {stderr}");
        assert!(stderr.contains("[logo-not-picture]"), "{file}: {stderr}");
        assert!(
            stderr.contains(&format!("`{file}` n'est pas une image")),
            "{file}: {stderr}"
        );
    }
}

/// The menu's links, in order, of the home page of `root`'s output.
fn menu_titles(root: &Path) -> Vec<String> {
    let html = home(root);
    let start = html.find("id=\"site-menu\"").expect("a menu");
    let end = start + html[start..].find("</nav>").expect("the menu ends");
    html[start..end]
        .split("</a>")
        .filter_map(|a| a.rsplit('>').next())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Sections and top pages come by title; a `weight:` (smaller first) puts
/// them in the order the school wants.
#[test]
fn weight_orders_the_menu_of_sections_and_pages() {
    let (_dir, root) = site("");
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\nQui sommes-nous.\n",
    );
    build_ok(&root);
    assert_eq!(
        menu_titles(&root)[..3],
        ["Programmes", "Témoignages", "À propos"]
    );
    replace_in(
        &root.join("content/temoignages/_index.md"),
        "kind: testimonial\n",
        "kind: testimonial\nweight: 1\n",
    );
    replace_in(
        &root.join("content/programmes/_index.md"),
        "kind: programme\n",
        "kind: programme\nweight: 2\n",
    );
    replace_in(
        &root.join("content/a-propos.md"),
        "title: \"À propos\"\n",
        "title: \"À propos\"\nweight: -1\n",
    );
    build_ok(&root);
    assert_eq!(
        menu_titles(&root)[..3],
        ["À propos", "Témoignages", "Programmes"]
    );
}

/// Review of #16: the old `extra.logo`, still accepted, skipped every
/// check of `identity.logo`: a logo with no text, a text file or a missing
/// file went into every page's header. The same checks, at its line.
#[test]
fn the_old_extra_logo_is_checked_like_identity_logo() {
    let (_dir, root) = site("extra:\n  logo: logo.svg\n");
    let stderr = build_fails(&root);
    assert!(stderr.contains("[logo-without-alt]"), "{stderr}");
    assert!(stderr.contains("site.yaml:5"), "{stderr}");
    assert!(stderr.contains("sous `extra:`"), "{stderr}");

    let (_dir, root) = site("extra:\n  logo: logo.svg\n  logo_alt: \"Lycée Jean Moulin\"\n");
    let stderr = build_fails(&root);
    assert!(stderr.contains("[logo-missing]"), "{stderr}");
    assert!(stderr.contains("site.yaml:5"), "{stderr}");

    let (_dir, root) = site("extra:\n  logo: logo.png\n  logo_alt: \"Lycée Jean Moulin\"\n");
    write(&root.join("static/logo.png"), "pas une image");
    let stderr = build_fails(&root);
    assert!(stderr.contains("[logo-not-picture]"), "{stderr}");
    assert!(stderr.contains("site.yaml:5:9"), "{stderr}");

    // Right, it is shown as before, with its text.
    let (_dir, root) = site("extra:\n  logo: logo.svg\n  logo_alt: \"Lycée Jean Moulin\"\n");
    write(
        &root.join("static/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    build_ok(&root);
    assert!(
        home(&root).contains("alt=\"Lycée Jean Moulin\">"),
        "{}",
        home(&root)
    );
}
