//! Nothing is lost, and nothing from outside the site or unused leaves
//! `content/`: the output path is resolved once, checked and written
//! exactly; symlinks leading out of the site, editor and backup copies and
//! files that no page uses are never published; every URL clash names both
//! of its sources; a name too long for the file system is named at its page.
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use common::*;

const SITE_YAML: &str =
    "title: \"Site de test\"\nbase_url: \"https://test.example/\"\nlanguage: fr\ntaxonomies: [tags]\n";

/// A small valid site in `TMP/site` (canonical path); returns (guard, root).
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical").join("site");
    write_skeleton(&root, SITE_YAML);
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\nQui sommes-nous.\n",
    );
    (dir, root)
}

/// Every entry under `dir` (folders too), with the bytes of files and the
/// target of symlinks, so that a test sees anything created or deleted.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside").to_path_buf();
            let what = if e.path_is_symlink() {
                format!(
                    "-> {}",
                    std::fs::read_link(e.path()).expect("link").display()
                )
            } else if e.file_type().is_dir() {
                "dir".to_string()
            } else {
                String::from_utf8_lossy(&std::fs::read(e.path()).expect("read")).to_string()
            };
            (rel, what)
        })
        .collect()
}

/// `vitrine build ARGS` run from `cwd`: (exit code, stderr).
fn build_in(cwd: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = vitrine()
        .current_dir(cwd)
        .arg("build")
        .args(args)
        .output()
        .expect("vitrine runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn build_root(root: &Path) -> String {
    let (code, stderr) = build_in(root, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    stderr
}

/// The headers of the warnings with `code` (`avertissement : … [code]`).
fn warnings<'a>(stderr: &'a str, code: &str) -> Vec<&'a str> {
    let tag = format!("[{code}]");
    stderr
        .lines()
        .filter(|l| l.starts_with("avertissement") && l.ends_with(&tag))
        .collect()
}

/// Output paths (relative, `/`-separated) of every file under `out`.
fn output_paths(out: &Path) -> Vec<String> {
    snapshot(out)
        .keys()
        .map(|p| p.to_string_lossy().to_string())
        .collect()
}

/// Fails when any output file holds one of `words`.
fn assert_nowhere(out: &Path, words: &[&str]) {
    for (path, bytes) in snapshot(out) {
        let text = String::from_utf8_lossy(&bytes);
        for word in words {
            assert!(
                !text.contains(word),
                "`{word}` published in {}",
                path.display()
            );
        }
    }
}

/// `vitrine build ARGS` in `root`, started and left running.
fn spawn_build(root: &Path, args: &[&str]) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("vitrine"))
        .current_dir(root)
        .arg("build")
        .args(args)
        .env("VITRINE_TODAY", TODAY)
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("vitrine starts")
}

#[test]
fn concurrent_builds_of_one_site_all_succeed_and_leave_one_whole_site() {
    let (_dir, root) = site();
    for i in 0..60 {
        write(
            &root.join(format!("content/temoignages/stage-{i}.md")),
            &format!(
                "---\ntitle: \"Stage {i}\"\ndate: 2024-03-01\nauthor:\n  name: \"Nora\"\n\
                 consent:\n  obtained: 2024-01-10\ntags: [t{i}]\n---\nTexte {i}.\n"
            ),
        );
    }
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\n![Le plan](plan.png)\n",
    );
    write_png(&root.join("content/plan.png"), 700, 500);
    // Cold image cache at first: the builds also make the same pictures at
    // once. Several rounds, since a race shows only now and then.
    for _round in 0..3 {
        let builds: Vec<_> = (0..8).map(|_| spawn_build(&root, &[])).collect();
        for build in builds {
            let out = build.wait_with_output().expect("vitrine ends");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{stderr}");
        }
    }
    let (code, stderr) = build_in(&root, &["--output", "single"]);
    assert_eq!(code, Some(0), "{stderr}");
    let concurrent = snapshot(&root.join("public"));
    assert!(concurrent.len() > 60, "{}", concurrent.len());
    assert!(concurrent == snapshot(&root.join("single")));
    let leftovers: Vec<String> = std::fs::read_dir(&root)
        .expect("site")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("vitrine-staging") || n.contains("vitrine-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// --- The output path ---------------------------------------------------------

#[test]
fn an_output_spelt_through_a_missing_folder_never_replaces_a_foreign_one() {
    let (_dir, root) = site();
    let base = root.parent().unwrap().to_path_buf();
    write(&base.join("precious/these.odt"), "ma thèse");
    std::fs::create_dir_all(base.join("work")).unwrap();
    let before = tree(&base);
    // `nope` does not exist: `nope/..` is `work`, and `work/..` is `base`.
    let root_arg = root.to_string_lossy().to_string();
    let (code, stderr) = build_in(
        &base.join("work"),
        &["--root", &root_arg, "--output", "nope/../../precious"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("[output-refused]"), "{stderr}");
    assert!(stderr.contains("precious"), "{stderr}");
    assert_eq!(tree(&base), before, "nothing may be created or deleted");
}

#[test]
fn an_output_spelt_onto_site_yaml_is_refused() {
    let (_dir, root) = site();
    let before = tree(&root);
    // `public` does not exist yet.
    let (code, stderr) = build_in(&root, &["--output", "public/../site.yaml"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("[output-refused]"), "{stderr}");
    assert_eq!(tree(&root), before, "site.yaml must stay a file, untouched");
    // The site still builds afterwards.
    build_root(&root);
}

#[test]
fn an_output_spelt_through_a_symlink_to_content_is_refused() {
    let (_dir, root) = site();
    symlink("content", root.join("contentlink")).unwrap();
    let before = tree(&root);
    let (code, stderr) = build_in(&root, &["--output", "contentlink/out"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("[output-refused]"), "{stderr}");
    assert_eq!(tree(&root), before, "nothing may be written into content/");
}

#[test]
fn an_output_reached_through_a_symlink_is_written_at_its_target() {
    let (dir, root) = site();
    let target = dir.path().join("www/stages");
    std::fs::create_dir_all(&target).unwrap();
    symlink(&target, root.join("public")).unwrap();
    for _ in 0..2 {
        build_root(&root);
    }
    assert!(
        std::fs::symlink_metadata(root.join("public"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert!(target.join("index.html").is_file());
    assert!(target.join(".vitrine-output").is_file());
    // Staging and old copies were made beside the target and removed.
    let beside: Vec<_> = std::fs::read_dir(target.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(beside, ["stages"], "{beside:?}");
}

// --- Files from outside the site ---------------------------------------------

#[test]
fn symlinks_leading_out_of_the_site_publish_nothing_and_warn_once_each() {
    let (dir, root) = site();
    let outside = dir.path().join("outside");
    write(&outside.join("secret.txt"), "SECRET-DEHORS");
    write(
        &outside.join("sub/page.md"),
        "---\ntitle: Dehors\n---\nSECRET-DEHORS [s](../secret.txt)\n",
    );
    write(&outside.join("sub/notes.txt"), "SECRET-DEHORS");
    write(
        &outside.join("page.html"),
        "<!doctype html><title>SECRET-DEHORS</title>",
    );
    // A folder in content/ and in static/, a template file, a theme folder.
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::create_dir_all(root.join("themes/default")).unwrap();
    symlink(&outside, root.join("content/cfg")).unwrap();
    symlink(&outside, root.join("static/cfg")).unwrap();
    symlink(outside.join("page.html"), root.join("templates/page.html")).unwrap();
    symlink(&outside, root.join("themes/default/templates")).unwrap();
    // Inside the site, a shared folder linked from content/ still works.
    write(
        &root.join("partage/commun.md"),
        "---\ntitle: Commun\n---\nTexte partagé.\n",
    );
    symlink("../partage", root.join("content/partage")).unwrap();

    let stderr = build_root(&root);
    let out = root.join("public");
    assert_nowhere(&out, &["SECRET-DEHORS"]);
    let paths = output_paths(&out);
    assert!(!paths.iter().any(|p| p.starts_with("cfg/")), "{paths:?}");
    let warned = warnings(&stderr, "symlink-outside");
    assert_eq!(warned.len(), 4, "one warning per link:\n{stderr}");
    for link in [
        "content/cfg",
        "static/cfg",
        "templates/page.html",
        "themes/default/templates",
    ] {
        assert!(
            warned.iter().any(|w| w.contains(&format!("{link} :"))),
            "no warning names {link}:\n{stderr}"
        );
    }
    assert!(out.join("partage/commun/index.html").is_file(), "{paths:?}");
}

// --- Backup copies -------------------------------------------------------------

const WITHDRAWN_MINOR: &str = "---\ntitle: \"Le stage de Léa\"\ndate: 2024-03-01\n\
author:\n  name: \"Léa Benali\"\nconsent:\n  obtained: 2024-01-10\n  withdrawn: 2025-06-01\n  \
minor: true\n  guardian: true\n---\nLéa Benali raconte.\n";

const BACKUPS: [&str; 14] = [
    "lea.md.bak",
    "lea.md.orig",
    "#lea.md#",
    "lea.md.save",
    "lea.md.swp",
    "lea.md.tmp",
    "lea.md.1",
    "lea.md~",
    "lea.md.rej",
    "lea.markdown.bak",
    "LEA.MD.BAK",
    "Lea.Md.Orig",
    "notes.txt.bak",
    "~$rapport.docx",
];

#[test]
fn backup_copies_are_never_published_and_each_is_named() {
    let (_dir, root) = site();
    let section = root.join("content/temoignages");
    write(&section.join("lea.md"), WITHDRAWN_MINOR);
    for name in BACKUPS {
        write(&section.join(name), WITHDRAWN_MINOR);
    }
    // Hidden files are ignored as always (a swap file while editing).
    write(&section.join(".lea.md.swp"), WITHDRAWN_MINOR);
    // A published bundle keeps its own files, but not copies of its page.
    let bundle = root.join("content/temoignages/julien");
    write(
        &bundle.join("index.md"),
        "---\ntitle: Julien\ndate: 2024-03-02\nauthor:\n  name: Julien\n---\n[La fiche](fiche.txt).\n",
    );
    write(&bundle.join("index.md.bak"), WITHDRAWN_MINOR);
    write(&bundle.join("fiche.txt"), "Une fiche.");

    let stderr = build_root(&root);
    let out = root.join("public");
    assert_nowhere(&out, &["Benali", "consent:", "withdrawn", "2024-01-10"]);
    let paths = output_paths(&out);
    assert!(!stderr.contains("[unused-file]"), "{stderr}");
    assert!(
        paths.iter().all(|p| !p.to_lowercase().contains("lea.m")
            && !p.contains('#')
            && !p.contains('~')
            && !p.ends_with(".bak")),
        "{paths:?}"
    );
    assert!(
        out.join("temoignages/julien/fiche.txt").is_file(),
        "{paths:?}"
    );
    let warned = warnings(&stderr, "backup-file");
    assert_eq!(warned.len(), BACKUPS.len() + 1, "one per copy:\n{stderr}");
    for name in BACKUPS {
        let shown = format!("content/temoignages/{name} :");
        assert!(
            warned.iter().any(|w| w.contains(&shown)),
            "no warning names {name}:\n{stderr}"
        );
    }
}

/// Copies saved with a Markdown extension, as file managers, editors and
/// merge tools name them: each would be a second page.
const PAGE_COPIES: [&str; 17] = [
    "nora - Copie.md",
    "nora - Copie (2).md",
    "nora - Copy.md",
    "Copie de nora.md",
    "Copy of nora.md",
    "nora (1).md",
    "nora copy.md",
    "NORA COPY 2.MD",
    "nora.bak.md",
    "nora.old.md",
    "nora_old.md",
    "nora.orig.md",
    "nora_BACKUP_1234.md",
    "nora_BASE_1234.md",
    "nora_LOCAL_1234.md",
    "nora_REMOTE_1234.md",
    "~$nora.md",
];

#[test]
fn copies_of_a_page_saved_as_markdown_are_backups_not_pages() {
    let (_dir, root) = site();
    let section = root.join("content/temoignages");
    let page = "---\ntitle: \"Nora en stage\"\ndate: 2024-03-01\nauthor:\n  name: \"Nora\"\n\
                consent:\n  obtained: 2024-01-10\n---\nTexte-copie-de-nora.\n";
    write(&section.join("nora.md"), page);
    for name in PAGE_COPIES {
        write(&section.join(name), page);
    }
    // LibreOffice's lock file is hidden: ignored like any dot file.
    write(&section.join(".~lock.nora.md#"), page);
    // Real pages whose names hold such words.
    for name in ["copie-conforme.md", "old-school.md", "backup-strategy.md"] {
        write(
            &section.join(name),
            &page
                .replace("Nora en stage", name)
                .replace("Texte-copie-de-nora", "Autre"),
        );
    }

    let stderr = build_root(&root);
    let out = root.join("public");
    let pages: Vec<String> = output_paths(&out)
        .into_iter()
        .filter(|p| p.starts_with("temoignages/") && p.matches('/').count() == 2)
        .collect();
    let expected = [
        "temoignages/backup-strategy/index.html",
        "temoignages/copie-conforme/index.html",
        "temoignages/nora/index.html",
        "temoignages/old-school/index.html",
    ];
    assert_eq!(pages, expected, "{stderr}");
    let warned = warnings(&stderr, "backup-file");
    assert_eq!(warned.len(), PAGE_COPIES.len(), "one per copy:\n{stderr}");
    for name in PAGE_COPIES {
        let shown = format!("content/temoignages/{name} :");
        assert!(
            warned.iter().any(|w| w.contains(&shown)),
            "no warning names {name}:\n{stderr}"
        );
    }
}

/// The header of the first diagnostic that holds `word`, and its
/// ` --> file:line:col` line.
fn diagnostic_and_place<'a>(stderr: &'a str, word: &str) -> (&'a str, &'a str) {
    let lines: Vec<&str> = stderr.lines().collect();
    let i = lines
        .iter()
        .position(|l| !l.starts_with(' ') && l.contains(word))
        .unwrap_or_else(|| panic!("nothing about {word}:\n{stderr}"));
    (lines[i], lines.get(i + 1).copied().unwrap_or(""))
}

#[test]
fn broken_relative_links_and_pictures_are_named_at_their_line() {
    let (_dir, root) = site();
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\nQui sommes-nous.\n\n[La fiche](fiche.pdf)\n\n[Le blog](../blog/)\n",
    );
    write(&root.join("content/Fiche-Stage.PDF"), "pdf");
    let stderr = build_root(&root);
    let (warning, place) = diagnostic_and_place(&stderr, "`fiche.pdf`");
    assert!(
        warning.starts_with("avertissement") && warning.ends_with("[broken-link]"),
        "{warning}"
    );
    assert!(place.contains("content/a-propos.md:6:"), "{place}");
    // A link without extension is a web address: nothing to say.
    assert!(!stderr.contains("../blog/"), "{stderr}");

    // A missing picture is an error, with the name that differs by case.
    write(
        &root.join("content/temoignages/julien/index.md"),
        "---\ntitle: Julien\ndate: 2024-03-02\nauthor:\n  name: Julien\n---\n\
         Son bureau :\n\n![Un bureau](IMG_2041.JPG)\n",
    );
    write_png(
        &root.join("content/temoignages/julien/IMG_2041.jpg"),
        20,
        20,
    );
    let stderr = build_fails(&root);
    let (error, place) = diagnostic_and_place(&stderr, "`IMG_2041.JPG`");
    assert!(
        error.starts_with("erreur") && error.ends_with("[broken-image]"),
        "{error}"
    );
    assert!(
        place.contains("content/temoignages/julien/index.md:9:"),
        "{place}"
    );
    assert!(
        stderr.contains("vouliez-vous dire `IMG_2041.jpg` ?"),
        "{stderr}"
    );
}

#[test]
fn a_relative_link_out_of_content_is_an_error_and_publishes_nothing() {
    let (dir, root) = site();
    write(&dir.path().join("outside/x.jpg"), "secret-du-dehors");
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\nQui.\n\n[x](../site.yaml)\n\n![i](../../outside/x.jpg)\n",
    );
    let stderr = build_fails(&root);
    for (target, line) in [("`../site.yaml`", 6), ("`../../outside/x.jpg`", 8)] {
        let (error, place) = diagnostic_and_place(&stderr, target);
        assert!(
            error.starts_with("erreur") && error.ends_with("[link-outside-content]"),
            "{error}"
        );
        assert!(
            place.contains(&format!("content/a-propos.md:{line}:")),
            "{place}"
        );
    }
    assert!(!root.join("public").exists());
}

#[test]
fn nothing_of_a_withdrawn_minor_leaves_the_site() {
    let (dir, root) = site();
    let section = root.join("content/temoignages");
    write(&section.join("lea.md"), WITHDRAWN_MINOR);
    for name in BACKUPS {
        write(&section.join(name), WITHDRAWN_MINOR);
    }
    // Her photo, left behind when the page lost its `photo:` line.
    write(&section.join("Photo Léa Benali.jpg"), "JFIF Léa Benali");
    // Her file in a shared folder outside the site, linked in.
    write(&dir.path().join("partage/lea.txt"), WITHDRAWN_MINOR);
    symlink(dir.path().join("partage"), section.join("partage")).unwrap();
    build_root(&root);
    let out = root.join("public");
    assert_nowhere(&out, &["Benali", "consent:", "withdrawn", "2024-01-10"]);
    let paths = output_paths(&out);
    assert!(
        paths.iter().all(|p| !p.contains("Benali")
            && !p.to_lowercase().contains("lea.m")
            && !p.contains("partage")
            && !p.contains("Photo")),
        "{paths:?}"
    );
}

// --- Files no page uses ----------------------------------------------------------

#[test]
fn content_files_are_published_only_when_a_published_page_uses_them() {
    let (_dir, root) = site();
    let content = root.join("content");
    // Left beside a page after its link was removed.
    write(&content.join("temoignages/Photo Léa.jpg"), "PHOTO-BRUTE");
    write(
        &content.join("temoignages/lea.md"),
        "---\ntitle: Léa\ndate: 2024-03-01\nauthor:\n  name: Léa\n---\nSans photo.\n",
    );
    // Used by a page (relative link), from the server root, by a section's
    // own text, and only by a draft.
    write(&content.join("docs/fiche.pdf"), "FICHE");
    write(&content.join("docs/plan.pdf"), "PLAN");
    write_png(&content.join("temoignages/bandeau.png"), 8, 4);
    write(&content.join("docs/brouillon.pdf"), "BROUILLON");
    write(
        &content.join("a-propos.md"),
        "---\ntitle: \"À propos\"\n---\n[La fiche](docs/fiche.pdf) et [le plan](/docs/plan.pdf).\n",
    );
    write(
        &content.join("temoignages/_index.md"),
        "---\ntitle: Témoignages\nkind: testimonial\n---\n![Bandeau](bandeau.png)\n",
    );
    write(
        &content.join("ebauche.md"),
        "---\ntitle: Ébauche\ndraft: true\n---\n[Brouillon](docs/brouillon.pdf)\n",
    );
    // A draft bundle's files stay unpublished, without a warning.
    write(
        &content.join("temoignages/cache/index.md"),
        "---\ntitle: Caché\ndate: 2024-03-01\nauthor:\n  name: Zoé\ndraft: true\n---\n[La pièce](piece.txt).\n",
    );
    write(&content.join("temoignages/cache/piece.txt"), "PIECE");

    let stderr = build_root(&root);
    let out = root.join("public");
    assert_eq!(
        std::fs::read_to_string(out.join("docs/fiche.pdf")).unwrap(),
        "FICHE"
    );
    assert!(out.join("docs/plan.pdf").is_file());
    assert!(out.join("temoignages/bandeau.png").is_file());
    assert_nowhere(&out, &["PHOTO-BRUTE", "BROUILLON", "PIECE"]);
    let warned = warnings(&stderr, "unused-file");
    assert_eq!(warned.len(), 2, "{stderr}");
    for name in [
        "content/temoignages/Photo Léa.jpg :",
        "content/docs/brouillon.pdf :",
    ] {
        assert!(
            warned.iter().any(|w| w.contains(name)),
            "no warning names {name}:\n{stderr}"
        );
    }
    // The fix, written with the writer's own file name.
    assert!(stderr.contains("](<Photo Léa.jpg>)"), "{stderr}");

    // `check` says the same, and `--drafts` publishes what drafts use.
    let checked = vitrine()
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let checked = String::from_utf8_lossy(&checked.stderr).to_string();
    assert_eq!(warnings(&checked, "unused-file").len(), 2, "{checked}");
    let (code, stderr) = build_in(&root, &["--drafts"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(out.join("docs/brouillon.pdf").is_file());
    assert!(out.join("temoignages/cache/piece.txt").is_file());
    assert!(!out.join("temoignages/Photo Léa.jpg").exists());
}

/// Review of #13: a published bundle's files leave with it only when the
/// page uses them (its photo, a link, a picture of its text): a scanned
/// parental consent form left beside `index.md` stays home.
#[test]
fn a_bundles_file_that_its_page_does_not_use_is_not_published() {
    let (_dir, root) = site();
    let bundle = root.join("content/temoignages/julien");
    write(
        &bundle.join("index.md"),
        "---\ntitle: Julien\ndate: 2024-03-02\nauthor:\n  name: Julien\n  photo: photo.png\n  \
         photo_alt: \"Un aplat\"\n---\n[Le rapport](rapport.pdf) et ![Un schéma](schema.png).\n",
    );
    write_png(&bundle.join("photo.png"), 8, 4);
    write_png(&bundle.join("schema.png"), 8, 4);
    write(&bundle.join("rapport.pdf"), "RAPPORT");
    write(
        &bundle.join("autorisation-parentale.pdf"),
        "AUTORISATION SIGNEE",
    );
    let stderr = build_root(&root);
    let out = root.join("public/temoignages/julien");
    for used in ["photo.png", "schema.png", "rapport.pdf"] {
        assert!(out.join(used).is_file(), "{used}: {stderr}");
    }
    assert!(!out.join("autorisation-parentale.pdf").exists());
    assert_nowhere(&root.join("public"), &["AUTORISATION"]);
    let warned = warnings(&stderr, "unused-file");
    assert_eq!(warned.len(), 1, "{stderr}");
    assert!(
        warned[0].contains("julien/autorisation-parentale.pdf"),
        "{stderr}"
    );
}

/// Review of #13: `content/` moved to a synchronised drive (and linked
/// back) or gone is an error, and the site already built stays as it was.
#[test]
fn a_content_folder_gone_or_linked_from_outside_leaves_the_site_untouched() {
    let (dir, root) = site();
    build_root(&root);
    let built = snapshot(&root.join("public"));
    let elsewhere = dir.path().join("OneDrive/content");
    std::fs::create_dir_all(elsewhere.parent().unwrap()).unwrap();
    std::fs::rename(root.join("content"), &elsewhere).unwrap();
    let (code, stderr) = build_in(&root, &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("[content-missing]"), "{stderr}");
    assert!(snapshot(&root.join("public")) == built, "the site changed");
    std::os::unix::fs::symlink(&elsewhere, root.join("content")).unwrap();
    let (code, stderr) = build_in(&root, &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("[content-outside]"), "{stderr}");
    assert!(snapshot(&root.join("public")) == built, "the site changed");
    // Second review: an empty folder (an unmounted share) is no site either.
    std::fs::remove_file(root.join("content")).unwrap();
    std::fs::create_dir(root.join("content")).unwrap();
    let (code, stderr) = build_in(&root, &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("[content-empty]"), "{stderr}");
    assert!(snapshot(&root.join("public")) == built, "the site changed");
}

// --- URL clashes -----------------------------------------------------------------

#[test]
fn a_content_file_and_a_static_file_at_one_url_name_each_other() {
    let (_dir, root) = site();
    write(&root.join("static/docs/fiche.txt"), "statique");
    write(&root.join("content/docs/fiche.txt"), "contenu");
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\n[La fiche](docs/fiche.txt)\n",
    );
    let stderr = build_fails(&root);
    let line = stderr
        .lines()
        .find(|l| l.ends_with("[output-conflict]"))
        .unwrap_or_else(|| panic!("no conflict:\n{stderr}"));
    assert!(line.contains("content/docs/fiche.txt"), "{stderr}");
    assert!(line.contains("`static/docs/fiche.txt`"), "{stderr}");
}

#[test]
fn a_picture_variant_and_a_file_at_one_url_name_each_other() {
    let (_dir, root) = site();
    let bundle = root.join("content/temoignages/julien");
    write(
        &bundle.join("index.md"),
        "---\ntitle: Julien\ndate: 2024-03-02\nauthor:\n  name: Julien\n  photo: photo.jpg\n  \
         photo_alt: \"Un dégradé\"\n---\n![Un aplat bleu](photo-320w.jpg)\n",
    );
    image::RgbImage::from_fn(700, 20, |x, _| image::Rgb([(x % 256) as u8, 90, 40]))
        .save(bundle.join("photo.jpg"))
        .unwrap();
    // A picture of its own that happens to have a variant's name.
    image::RgbImage::from_fn(100, 20, |_, y| image::Rgb([20, (y * 10) as u8, 200]))
        .save(bundle.join("photo-320w.jpg"))
        .unwrap();
    let stderr = build_fails(&root);
    let line = stderr
        .lines()
        .find(|l| l.ends_with("[output-conflict]"))
        .unwrap_or_else(|| panic!("no conflict:\n{stderr}"));
    assert!(
        line.contains("content/temoignages/julien/photo-320w.jpg")
            && line.contains("`content/temoignages/julien/photo.jpg`"),
        "{stderr}"
    );
}

// --- Names too long ----------------------------------------------------------------

#[test]
fn a_tag_too_long_for_the_file_system_is_named() {
    let (_dir, root) = site();
    let tag = "mot-".repeat(70);
    write(
        &root.join("content/temoignages/lea.md"),
        &format!(
            "---\ntitle: Léa\ndate: 2024-03-01\nauthor:\n  name: Léa\ntags: [\"{tag}\"]\n---\nTexte.\n"
        ),
    );
    let stderr = build_fails(&root);
    assert!(stderr.contains("[name-too-long]"), "{stderr}");
    assert!(!stderr.contains("[write-failed]"), "{stderr}");
    assert!(stderr.contains("255"), "{stderr}");
    assert!(!root.join("public").exists());
}

/// Second review of #13: a picture under a name that does not say so
/// (`portrait`, `m.jif`) would be copied as it is, metadata and all.
#[test]
fn a_picture_under_another_name_is_refused_not_copied() {
    let (_dir, root) = site();
    let bundle = root.join("content/temoignages/zoe");
    write(
        &bundle.join("index.md"),
        "---\ntitle: Zoé\ndate: 2024-03-02\nauthor:\n  name: Zoé\n  photo: portrait\n  photo_alt: \"Zoé\"\n---\n![Le bureau](m.jif) et [la fiche](fiche.txt).\n",
    );
    write_png(&bundle.join("portrait"), 8, 4);
    write_png(&bundle.join("m.jif"), 8, 4);
    write(&bundle.join("fiche.txt"), "Une fiche.");
    let (code, stderr) = build_in(&root, &[]);
    assert_eq!(code, Some(1), "{stderr}");
    let refused: Vec<&str> = stderr
        .lines()
        .filter(|l| l.ends_with("[unsupported-picture]"))
        .collect();
    assert_eq!(refused.len(), 2, "{stderr}");
    assert!(
        refused.iter().any(|l| l.contains("zoe/portrait")),
        "{stderr}"
    );
    assert!(refused.iter().any(|l| l.contains("zoe/m.jif")), "{stderr}");
    assert!(stderr.contains("image PNG"), "{stderr}");
}
