//! Findings of the review of issue #16: the legal pages' opening sentence
//! shown once, legal sections out of the menu, pictures leading outside the
//! site, `static/` files cleaned by what they are, programmes' next change.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const SITE_YAML: &str = "title: \"Stages\"\nbase_url: \"https://lycee.example/stages/\"\nlanguage: fr\npublisher:\n  name: \"Lycée Jean *Moulin*\"\n  director: \"Claire Martin\"\n  contact: \"communication@lycee.example\"\n  host_name: \"Académie de Lyon\"\n";

fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(&root, SITE_YAML);
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\nQui sommes-nous.\n",
    );
    (dir, root)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn each_generated_page_says_its_opening_sentence_once() {
    let (_dir, root) = site();
    build_ok(&root);
    for (path, opening) in [
        ("accessibilite/index.html", "à rendre son site accessible"),
        (
            "mentions-legales/index.html",
            "Cette page dit qui en répond",
        ),
        (
            "donnees-personnelles/index.html",
            "Cette page dit quelles données",
        ),
    ] {
        let html = read(&root.join("public").join(path));
        let article = &html[html.find("<article").expect(path)..];
        assert_eq!(article.matches(opening).count(), 1, "{path}: {article}");
        let lead = article.find("<p class=\"lead\">").expect(path);
        assert!(article[lead..].contains(opening), "{path}: not in the lead");
        // The publisher's name is shown as written, not as Markdown.
        if path != "accessibilite/index.html" {
            assert!(html.contains("Lycée Jean *Moulin*"), "{path}: {html}");
            assert!(!html.contains("\\*"), "{path}: {html}");
        }
    }
}

#[test]
fn contents_list_hidden_on_phones_leaves_no_band() {
    let css = read(&repo_root().join("themes/default/static/css/site.css"));
    assert!(
        css.contains(".article-aside:not(:has(> :not(.toc))) { display: none; }"),
        "an aside holding only the hidden contents list keeps its grid gap"
    );
}

#[test]
fn a_section_in_place_of_a_legal_page_stays_out_of_the_menu() {
    let (_dir, root) = site();
    write(
        &root.join("content/mentions-legales/_index.md"),
        "---\ntitle: \"Mentions légales\"\n---\nÉdité par le lycée.\n",
    );
    build_ok(&root);
    let home = read(&root.join("public/index.html"));
    let nav = &home[home.find("<nav").unwrap()..home.find("</nav>").unwrap()];
    assert!(nav.contains("À propos"), "{nav}");
    assert!(!nav.contains("Mentions légales"), "{nav}");
    assert!(
        home.contains("href=\"/stages/mentions-legales/\""),
        "footer"
    );
}

#[test]
fn a_picture_linked_from_outside_the_site_is_an_error_at_its_line() {
    let (dir, root) = site();
    let outside = dir.path().join("dehors/x.png");
    write_png(&outside, 4, 4);
    std::fs::create_dir_all(root.join("content/img")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("content/img/ln.png")).unwrap();
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\nQui sommes-nous.\n\n![a](img/ln.png)\n",
    );
    let stderr = build_fails(&root);
    assert!(stderr.contains("[broken-image]"), "{stderr}");
    assert!(stderr.contains("a-propos.md:6"), "{stderr}");
    assert!(stderr.contains("mène hors du dossier du site"), "{stderr}");
}

#[test]
fn a_logo_linked_from_outside_the_site_says_so() {
    let (dir, root) = site();
    let yaml = format!("{SITE_YAML}identity:\n  logo: logo.png\n  logo_alt: \"Lycée\"\n");
    write(&root.join("site.yaml"), &yaml);
    let outside = dir.path().join("dehors.png");
    write_png(&outside, 4, 4);
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("static/logo.png")).unwrap();
    let stderr = build_fails(&root);
    assert!(stderr.contains("[logo-missing]"), "{stderr}");
    assert!(stderr.contains("mène hors du dossier du site"), "{stderr}");
    assert!(!stderr.contains("introuvable"), "{stderr}");
}
