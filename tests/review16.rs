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

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn pictures_of_static_are_cleaned_whatever_their_name() {
    use common::pictures::*;
    let (_dir, root) = site();
    for (name, make) in [
        ("photo.txt", jpeg_with_metadata as fn(&Path, u32, u32)),
        ("noext", png_with_metadata),
        ("img/atelier", webp_with_metadata),
    ] {
        make(&root.join("static").join(name), 40, 30);
    }
    build_ok(&root);
    for name in ["photo.txt", "noext", "img/atelier"] {
        let published = std::fs::read(root.join("public").join(name)).unwrap();
        for secret in [ARTIST, SERIAL, GPS_MARKER, XMP_WORD] {
            assert!(!contains(&published, secret.as_bytes()), "{name}: {secret}");
        }
    }
}

#[test]
fn backup_copies_in_static_are_not_published() {
    let (_dir, root) = site();
    let names = [
        "photo.jpg.bak",
        "notes.txt~",
        ".style.css.swp",
        "#notes.txt#",
        "site.css.orig",
    ];
    for name in names {
        write(&root.join("static").join(name), "copie");
    }
    write(&root.join("static/notes.txt"), "gardé");
    build_ok(&root);
    for name in names {
        assert!(!root.join("public").join(name).exists(), "{name}");
    }
    assert!(root.join("public/notes.txt").is_file());
}

#[test]
fn a_tiff_or_heic_in_static_is_warned_about_at_its_file() {
    let (_dir, root) = site();
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&[0; 32]);
    std::fs::create_dir_all(root.join("static/img")).unwrap();
    std::fs::write(root.join("static/img/scan.tif"), &tiff).unwrap();
    let mut heic = b"\0\0\0\x18ftypheic".to_vec();
    heic.extend_from_slice(&[0; 32]);
    std::fs::write(root.join("static/img/iphone"), &heic).unwrap();
    let (ok, stderr) = build_site(&root);
    assert!(ok, "{stderr}");
    for file in ["static/img/scan.tif", "static/img/iphone"] {
        let line = stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file}: {stderr}"));
        assert!(line.starts_with("avertissement : "), "{line}");
        assert!(line.contains("[unsupported-picture]"), "{line}");
        assert!(line.contains("avec ses métadonnées"), "{line}");
    }
    assert!(
        stderr.contains("convertissez-la en JPEG ou en PNG"),
        "{stderr}"
    );
}

#[test]
fn build_names_the_next_day_a_programme_changes_state() {
    let (_dir, root) = site();
    // Today is 2026-01-15: open through the 20th, finished from the 21st;
    // the other opens on 2026-03-01, later.
    write(
        &root.join("content/programmes/ouvert.md"),
        "---\ntitle: Ouvert\norganiser: Collège\nstart: 2026-01-01\nend: 2026-01-20\napply_url: \"https://x.example/\"\n---\nTexte.\n",
    );
    write(
        &root.join("content/programmes/bientot.md"),
        "---\ntitle: Bientôt\norganiser: Collège\nstart: 2026-03-01\n---\nTexte.\n",
    );
    for (lang, said) in [
        (
            "fr",
            "Prochain changement d'état d'un programme : 2026-01-21 (content/programmes/ouvert.md)",
        ),
        (
            "en",
            "Next change of a programme's state: 2026-01-21 (content/programmes/ouvert.md)",
        ),
    ] {
        for command in ["build", "check"] {
            let out = vitrine()
                .args(["--lang", lang, command, "--root"])
                .arg(&root)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{stderr}");
            assert!(stderr.contains(said), "{lang} {command}: {stderr}");
        }
    }
}
