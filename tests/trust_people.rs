//! Issue #13, "the people in the stories are protected, and output that
//! passes every check is right": a minor's surname, consent blocks, text
//! alternatives, link fields, unpublished programmes, tag variants, curly
//! quotes from word processors, finished programmes.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const SITE_YAML: &str = "title: \"Test\"\nbase_url: \"https://test.example/stages/\"\nlanguage: fr\ntaxonomies: [tags, organisations, levels]\n";

/// A new site: skeleton and a programme `vis-mon-job`.
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(&root, SITE_YAML);
    write(
        &root.join("content/programmes/vis-mon-job.md"),
        "---\ntitle: \"Vis mon job\"\norganiser: \"DINUM\"\n---\nUne journée.\n",
    );
    (dir, root)
}

/// Runs `vitrine ARGS --root ROOT`: exit code and stderr.
fn run(root: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = vitrine()
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// The diagnostics of `stderr` as (level, code, `file:line`).
fn diagnostics(stderr: &str) -> Vec<(String, String, String)> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let level = if line.starts_with("erreur") {
            "erreur"
        } else if line.starts_with("avertissement") {
            "avertissement"
        } else {
            continue;
        };
        let code = line
            .rsplit_once('[')
            .map(|(_, c)| c.trim_end_matches(']').to_string())
            .unwrap_or_default();
        let at = lines
            .get(i + 1)
            .and_then(|l| l.trim_start().strip_prefix("--> "))
            .map(|a| {
                // `file:line:col` → `file:line`; a file alone stays.
                let parts: Vec<&str> = a.rsplitn(3, ':').collect();
                if parts.len() == 3 && parts[0].parse::<usize>().is_ok() {
                    format!("{}:{}", parts[2], parts[1])
                } else {
                    a.to_string()
                }
            })
            // Without a line, the title names the file: `erreur : FILE : …`.
            .or_else(|| {
                let (_, rest) = line.split_once(" : ")?;
                Some(rest.split_once(" : ")?.0.to_string())
            })
            .unwrap_or_default();
        found.push((level.to_string(), code, at));
    }
    found
}

fn has(stderr: &str, level: &str, code: &str, at: &str) -> bool {
    diagnostics(stderr)
        .iter()
        .any(|(l, c, a)| l == level && c == code && a == at)
}

fn count(stderr: &str, code: &str) -> usize {
    diagnostics(stderr)
        .iter()
        .filter(|(_, c, _)| c == code)
        .count()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file name and text under `dir`.
fn everything(dir: &Path) -> String {
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        text.push_str(&entry.path().display().to_string());
        text.push('\n');
        if entry.file_type().is_file() {
            text.push_str(&String::from_utf8_lossy(
                &std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
    text
}

fn png(path: &Path) {
    let bytes = std::fs::read(fixture("minimal/content/temoignages/ines/schema.png")).unwrap();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

// --- 1. A minor's surname ----------------------------------------------------

const MINOR: &str = "---
title: \"Inès Benali au collège\"
date: 2022-05-02
author:
  name: \"Inès Benali\"
  role: \"Élève de 3e, famille BENALI\"
  school: \"Collège Bénali\"
  photo: ines-benali.png
  photo_alt: \"Inès Benali devant un écran\"
organisation: \"Benali et fils\"
summary: \"Le stage d'Inès Benali.\"
quote: \"Benali, c'est moi.\"
tags: [\"Numérique\", \"Benali\"]
consent:
  obtained: 2022-04-01
  minor: true
  guardian: true
---
Inès raconte sa semaine ; les Benalistes et le benalisme ne sont pas son nom.

Un [lien vers Mme Benali](https://exemple.fr/) et ![Photo de Benali](ines-benali.png).
";

#[test]
fn a_minors_surname_is_an_error_wherever_it_is_published() {
    let (_dir, root) = site();
    let bundle = root.join("content/temoignages/ines-benali");
    write(&bundle.join("index.md"), MINOR);
    png(&bundle.join("ines-benali.png"));
    png(&bundle.join("IMG_benali_2.png"));
    // Another page naming her in full.
    write(
        &root.join("content/temoignages/prof.md"),
        "---\ntitle: \"Accueillir des élèves\"\ndate: 2022-06-01\nauthor:\n  name: \"Paul Durand\"\nconsent:\n  obtained: 2022-05-01\n---\nCette année, j'ai accueilli Inès\nBenali en stage.\n",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    let file = "content/temoignages/ines-benali/index.md";
    // title, role, school, photo, photo_alt, organisation, summary, quote, tags,
    // link text and image alt (line 21: two), not the name nor the consent.
    for line in [2, 6, 7, 8, 9, 10, 11, 12, 13, 21] {
        assert!(
            has(
                &stderr,
                "erreur",
                "minor-surname",
                &format!("{file}:{line}")
            ),
            "line {line}: {stderr}"
        );
    }
    assert!(
        !has(&stderr, "erreur", "minor-surname", &format!("{file}:5")),
        "{stderr}"
    );
    assert!(
        !has(&stderr, "erreur", "minor-surname", &format!("{file}:19")),
        "inside other words: {stderr}"
    );
    // The bundle folder (the URL) and the names of the bundle's files.
    assert!(
        has(
            &stderr,
            "erreur",
            "minor-surname",
            "content/temoignages/ines-benali"
        ),
        "{stderr}"
    );
    assert!(
        has(
            &stderr,
            "erreur",
            "minor-surname",
            "content/temoignages/ines-benali/IMG_benali_2.png"
        ),
        "{stderr}"
    );
    // Her full name on another page.
    assert!(
        has(
            &stderr,
            "erreur",
            "minor-surname",
            "content/temoignages/prof.md:10"
        ),
        "{stderr}"
    );
    // Why, and what to do.
    assert!(
        stderr.contains("seul le prénom d'une personne mineure peut être publié"),
        "{stderr}"
    );
    assert!(stderr.contains("surname_ok"), "{stderr}");
}

#[test]
fn a_surname_that_is_a_common_word_can_be_accepted_phrase_by_phrase() {
    let (_dir, root) = site();
    let page = root.join("content/temoignages/lea.md");
    let text = "---\ntitle: \"Un stage en cuisine\"\ndate: 2022-05-02\nauthor:\n  name: \"Léa Petit\"\nconsent:\n  minor: true\n  guardian: true\n---\nLe matin, je préparais le petit déjeuner.\n";
    write(&page, text);
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        has(
            &stderr,
            "erreur",
            "minor-surname",
            "content/temoignages/lea.md:10"
        ),
        "{stderr}"
    );
    // The help offers the writer's own phrase.
    assert!(
        stderr.contains("surname_ok: [\"petit déjeuner\"]"),
        "{stderr}"
    );
    // Accepting that phrase accepts it, and only it.
    replace_in(
        &page,
        "  guardian: true\n",
        "  guardian: true\n  surname_ok: [\"petit déjeuner\"]\n",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    replace_in(&page, "déjeuner.\n", "déjeuner. Signé : Léa PETIT.\n");
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(count(&stderr, "minor-surname"), 1, "{stderr}");
    // The surname alone is no phrase: it would switch the protection off.
    replace_in(&page, "[\"petit déjeuner\"]", "[\"Petit\"]");
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        has(
            &stderr,
            "erreur",
            "surname-ok-invalid",
            "content/temoignages/lea.md:9"
        ),
        "{stderr}"
    );
}

#[test]
fn an_adults_name_and_other_surnames_are_left_alone() {
    let (_dir, root) = site();
    write(
        &root.join("content/temoignages/lea.md"),
        "---\ntitle: \"Stage\"\ndate: 2022-05-02\nauthor:\n  name: \"Léa Martin\"\nconsent:\n  minor: true\n  guardian: true\n---\nLéa raconte.\n",
    );
    // Another Martin, an adult: his own name is his to publish.
    write(
        &root.join("content/temoignages/paul.md"),
        "---\ntitle: \"Stage de Paul Martin\"\ndate: 2022-05-02\nauthor:\n  name: \"Paul Martin\"\nconsent:\n  minor: false\n---\nPaul Martin raconte.\n",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    let out = everything(&root.join("public"));
    assert!(out.contains("Paul Martin"));
    assert!(!out.contains("Léa Martin"));
}

// --- 2. A testimonial without consent ------------------------------------------

#[test]
fn a_testimonial_without_consent_is_a_warning_with_the_block_to_add() {
    let (_dir, root) = site();
    write(
        &root.join("content/temoignages/a.md"),
        "---\ntitle: \"Stage\"\ndate: 2022-05-02\nauthor:\n  name: \"Léa\"\n---\nTexte.\n",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        has(
            &stderr,
            "avertissement",
            "consent-missing",
            "content/temoignages/a.md:4"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("consent:\n"), "{stderr}");
    assert!(stderr.contains("minor: false"), "{stderr}");
}

#[test]
fn the_sample_site_of_init_has_consent() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("x");
    vitrine().arg("init").arg(&site).assert().success();
    let sample = read(&site.join("content/temoignages/premier-temoignage.md"));
    assert!(sample.contains("consent:"), "{sample}");
    let (code, stderr) = run(&site, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    // The sample lacks only what the school must write itself (`publisher:`).
    assert!(!stderr.contains("[consent"), "{stderr}");
    assert!(!stderr.contains("[missing"), "{stderr}");
}

// --- 3. Text alternatives of images in the body -----------------------------------

#[test]
fn an_image_without_text_alternative_is_an_error_unless_decorative() {
    let (_dir, root) = site();
    let bundle = root.join("content/temoignages/julien");
    write(
        &bundle.join("index.md"),
        "---\ntitle: \"Stage\"\ndate: 2022-05-02\nauthor:\n  name: \"Julien\"\nconsent:\n  minor: false\n---\nTexte.\n\n![](IMG_2041.JPG)\n\n![ ](frise.png)\n\n![décoration](frise.png) et ![Décoratif](frise-2.png)\n",
    );
    png(&bundle.join("frise.png"));
    png(&bundle.join("frise-2.png"));
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    let file = "content/temoignages/julien/index.md";
    assert!(
        has(
            &stderr,
            "erreur",
            "image-without-alt",
            &format!("{file}:11")
        ),
        "{stderr}"
    );
    assert!(
        has(
            &stderr,
            "erreur",
            "image-without-alt",
            &format!("{file}:13")
        ),
        "{stderr}"
    );
    assert_eq!(count(&stderr, "image-without-alt"), 2, "{stderr}");
    assert!(stderr.contains("![décoration]("), "{stderr}");
    // Once described, it builds; decorative images get an empty alt.
    replace_in(
        &bundle.join("index.md"),
        "![](IMG_2041.JPG)\n\n![ ](frise.png)",
        "![Julien à son bureau](frise.png)",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    let html = read(&root.join("public/temoignages/julien/index.html"));
    let doc = scraper::Html::parse_document(&html);
    let imgs = scraper::Selector::parse(".prose img").unwrap();
    let alts: Vec<&str> = doc
        .select(&imgs)
        .map(|i| i.value().attr("alt").unwrap_or("(none)"))
        .collect();
    assert_eq!(alts, ["Julien à son bureau", "", ""], "{html}");
}

// --- 4. Link fields ----------------------------------------------------------------

fn programme(root: &Path, front: &str) -> PathBuf {
    let path = root.join("content/programmes/stage.md");
    write(
        &path,
        &format!("---\ntitle: \"Stage\"\norganiser: \"DINUM\"\n{front}---\nTexte.\n\n## Comment participer\n\nÉcrire.\n"),
    );
    path
}

#[test]
fn link_fields_accept_only_web_mail_and_internal_links() {
    let (_dir, root) = site();
    programme(
        &root,
        "apply_url: \"javascript:alert(4)\"\ncontact: \"data:text/html,x\"\n",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        has(
            &stderr,
            "erreur",
            "bad-link",
            "content/programmes/stage.md:4"
        ),
        "{stderr}"
    );
    assert!(
        has(
            &stderr,
            "erreur",
            "bad-link",
            "content/programmes/stage.md:5"
        ),
        "{stderr}"
    );
    // `www.…` without a scheme: the fix is offered.
    programme(&root, "apply_url: www.numerique.gouv.fr/vis-mon-job\n");
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        has(
            &stderr,
            "erreur",
            "bad-link",
            "content/programmes/stage.md:4"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("apply_url: \"https://www.numerique.gouv.fr/vis-mon-job\""),
        "{stderr}"
    );
    // A broken internal link names the closest page.
    programme(&root, "apply_url: \"@/programmes/vis-mon-jbo.md\"\n");
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        has(
            &stderr,
            "erreur",
            "bad-link",
            "content/programmes/stage.md:4"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("programmes/vis-mon-job.md"), "{stderr}");
}

#[test]
fn internal_and_mail_links_are_resolved_under_the_base_path() {
    let (_dir, root) = site();
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\nNous.\n",
    );
    programme(
        &root,
        "apply_url: \"@/programmes/vis-mon-job.md#inscription\"\ncontact: \"equipe@exemple.fr\"\n",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    let html = read(&root.join("public/programmes/stage/index.html"));
    assert!(
        html.contains("href=\"/stages/programmes/vis-mon-job/#inscription\""),
        "{html}"
    );
    assert!(html.contains("href=\"mailto:equipe@exemple.fr\""), "{html}");
    programme(
        &root,
        "apply_url: \"/a-propos/\"\ncontact: \"https://exemple.fr/contact\"\n",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    let html = read(&root.join("public/programmes/stage/index.html"));
    assert!(html.contains("href=\"/stages/a-propos/\""), "{html}");
    assert!(
        html.contains("href=\"https://exemple.fr/contact\""),
        "{html}"
    );
    assert!(!html.contains("href=\"/a-propos/\""), "{html}");
}

// --- 5. A testimonial of an unpublished programme -----------------------------------------

#[test]
fn a_testimonial_of_a_draft_programme_is_warned_at_its_programme_line() {
    let (_dir, root) = site();
    replace_in(
        &root.join("content/programmes/vis-mon-job.md"),
        "organiser:",
        "draft: true\norganiser:",
    );
    write(
        &root.join("content/temoignages/a.md"),
        "---\ntitle: \"Stage\"\ndate: 2022-05-02\nauthor:\n  name: \"Léa\"\nprogramme: vis-mon-job\nconsent:\n  minor: false\n---\nTexte.\n",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        has(
            &stderr,
            "avertissement",
            "programme-unpublished",
            "content/temoignages/a.md:6"
        ),
        "{stderr}"
    );
    // With the drafts, it is published: no warning.
    let (code, stderr) = run(&root, &["build", "--drafts"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(count(&stderr, "programme-unpublished"), 0, "{stderr}");
}

// --- 6. Tag variants, and pages with thousands of tags ------------------------------------

fn tagged(root: &Path, name: &str, date: &str, tags: &str) {
    write(
        &root.join(format!("content/temoignages/{name}.md")),
        &format!("---\ntitle: \"Stage {name}\"\ndate: {date}\nauthor:\n  name: \"Léa\"\ntags: [{tags}]\nconsent:\n  minor: false\n---\nTexte.\n"),
    );
}

#[test]
fn tag_variants_get_the_most_used_label_everywhere_and_a_warning() {
    let (_dir, root) = site();
    // The minority spelling is on the newest page, read first.
    tagged(&root, "a", "2023-01-01", "\"Numérique\", \"Éducation\"");
    tagged(&root, "b", "2022-01-01", "\"Education\"");
    tagged(&root, "c", "2021-01-01", "\"Education\"");
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        has(
            &stderr,
            "avertissement",
            "tag-variant",
            "content/temoignages/a.md:6"
        ),
        "{stderr}"
    );
    assert_eq!(count(&stderr, "tag-variant"), 1, "{stderr}");
    let out = root.join("public");
    for file in [
        "etiquettes/education/index.html",
        "etiquettes/index.html",
        "temoignages/a/index.html",
    ] {
        let html = read(&out.join(file));
        assert!(!html.contains("Éducation"), "{file}: {html}");
        assert!(html.contains("Education"), "{file}");
    }
    let everything = everything(&out);
    assert!(!everything.contains("Éducation"), "{everything}");
}

#[test]
fn tag_variant_ties_go_to_the_first_in_sort_order() {
    for (first, second) in [("Éducation", "Education"), ("Education", "Éducation")] {
        let (_dir, root) = site();
        tagged(&root, "a", "2023-01-01", &format!("\"{first}\""));
        tagged(&root, "b", "2022-01-01", &format!("\"{second}\""));
        let (code, stderr) = run(&root, &["build"]);
        assert_eq!(code, Some(0), "{stderr}");
        let html = read(&root.join("public/etiquettes/education/index.html"));
        assert!(!html.contains("Éducation"), "{html}");
        let file = if first == "Éducation" { "a" } else { "b" };
        assert!(
            has(
                &stderr,
                "avertissement",
                "tag-variant",
                &format!("content/temoignages/{file}.md:6")
            ),
            "{stderr}"
        );
    }
}

#[test]
fn a_page_with_thousands_of_tags_is_refused_at_its_tags_line() {
    let (_dir, root) = site();
    let tags: Vec<String> = (0..10_000).map(|i| format!("\"Tag {i}\"")).collect();
    tagged(&root, "a", "2023-01-01", &tags.join(", "));
    let (code, stderr) = run(&root, &["check"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        has(
            &stderr,
            "erreur",
            "too-many-terms",
            "content/temoignages/a.md:6"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("10000"), "{stderr}");
}

// --- 7. Curly quotes pasted from a word processor -------------------------------------------

#[test]
fn curly_quotes_around_a_value_are_removed_with_a_warning() {
    let (_dir, root) = site();
    write(
        &root.join("content/temoignages/a.md"),
        "---\ntitle: « Mon stage »\ndate: 2022-05-02\nauthor:\n  name: “Lauretta Henry”\n  role: ‘Stagiaire’\ntags: [“Numérique”, Santé]\nconsent:\n  minor: false\n---\nL’équipe m’a accueillie.\n",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    for line in [2, 5, 6, 7] {
        assert!(
            has(
                &stderr,
                "avertissement",
                "curly-quotes",
                &format!("content/temoignages/a.md:{line}")
            ),
            "line {line}: {stderr}"
        );
    }
    assert!(stderr.contains("name: \"Lauretta Henry\""), "{stderr}");
    let html = read(&root.join("public/temoignages/a/index.html"));
    for curly in ["“", "”", "‘Stagiaire", "Stagiaire’", "« Mon"] {
        assert!(!html.contains(curly), "{curly}: {html}");
    }
    assert!(html.contains("Lauretta Henry"));
    assert!(root
        .join("public/etiquettes/numerique/index.html")
        .is_file());
}

// --- 8. Finished and upcoming programmes --------------------------------------------------------

#[test]
fn a_finished_programme_shows_no_apply_button() {
    let (_dir, root) = site();
    // Today is 2026-01-15 (tests/common).
    let finished = programme(
        &root,
        "start: 2025-06-01\nend: 2025-06-30\napply_url: \"https://exemple.fr/candidater\"\n",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    let html = read(&root.join("public/programmes/stage/index.html"));
    assert!(!html.contains("Candidater"), "{html}");
    assert!(!html.contains("https://exemple.fr/candidater"), "{html}");
    assert!(html.contains("Programme terminé"), "{html}");
    // Upcoming: the button stays and the start is announced.
    replace_in(
        &finished,
        "start: 2025-06-01\nend: 2025-06-30",
        "start: 2026-03-02\nend: 2026-03-06",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    let html = read(&root.join("public/programmes/stage/index.html"));
    assert!(html.contains("Candidater"), "{html}");
    assert!(!html.contains("Programme terminé"), "{html}");
    assert!(html.contains("Commence le"), "{html}");
}

/// `edition: 3` reads « 3e édition » (« 1re » for the first), not a bare 3.
#[test]
fn a_programmes_edition_reads_as_an_ordinal() {
    let (_dir, root) = site();
    let page = programme(&root, "edition: 3\n");
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    let html = read(&root.join("public/programmes/stage/index.html"));
    assert!(html.contains("DINUM · 3e édition</p>"), "{html}");
    assert!(!html.contains("<dd>3</dd>"), "{html}");
    replace_in(&page, "edition: 3", "edition: 1");
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    let html = read(&root.join("public/programmes/stage/index.html"));
    assert!(html.contains("DINUM · 1re édition</p>"), "{html}");
}

// --- serve: a rebuild after an edit checks as much as a full build ---------------------------

#[test]
fn serve_rebuilds_find_a_surname_that_an_edit_publishes() {
    use vitrine::serve::Session;
    use vitrine::site::BuildOptions;
    let (_dir, root) = site();
    let root = root.canonicalize().unwrap();
    write(
        &root.join("content/temoignages/lea.md"),
        "---\ntitle: \"Stage\"\ndate: 2022-05-02\nauthor:\n  name: \"Léa Petit\"\nconsent:\n  minor: true\n  guardian: true\n---\nLéa raconte.\n",
    );
    let prof = root.join("content/temoignages/prof.md");
    write(
        &prof,
        "---\ntitle: \"Accueillir\"\ndate: 2022-05-02\nauthor:\n  name: \"Paul Durand\"\nconsent:\n  minor: false\n---\nJ'ai accueilli une élève.\n",
    );
    let out = tempfile::tempdir().unwrap();
    let mut options = BuildOptions::new(&root);
    options.output = Some(out.path().join("preview"));
    let mut session = Session::new(options);
    let report = |session: &mut Session, changed: &Path| {
        let outcome = session.rebuild(&[changed.to_path_buf()]);
        (
            outcome.report.has_errors(),
            outcome.report.render(false, vitrine::diagnostics::Lang::Fr),
        )
    };
    let first = session.rebuild(&[]);
    assert!(
        !first.report.has_errors(),
        "{}",
        first.report.render(false, vitrine::diagnostics::Lang::Fr)
    );
    // Another page now names her in full: a body edit, still an error.
    replace_in(&prof, "une élève.", "Léa Petit.");
    let (failed, text) = report(&mut session, &prof);
    assert!(failed && text.contains("[minor-surname]"), "{text}");
    replace_in(&prof, "Léa Petit.", "une élève.");
    let (failed, text) = report(&mut session, &prof);
    assert!(!failed, "{text}");
    // The page already names « Léa Dupont »; the minor's name becomes that.
    replace_in(&prof, "une élève.", "Léa Dupont.");
    let (failed, text) = report(&mut session, &prof);
    assert!(!failed, "{text}");
    let lea = root.join("content/temoignages/lea.md");
    replace_in(&lea, "Léa Petit", "Léa Dupont");
    let (failed, text) = report(&mut session, &lea);
    assert!(
        failed && text.contains("content/temoignages/prof.md"),
        "{text}"
    );
}

#[test]
fn a_minors_surname_in_a_file_outside_bundles_counts_only_when_published() {
    let (_dir, root) = site();
    write(
        &root.join("content/temoignages/ines.md"),
        "---\ntitle: \"Le stage d'Inès\"\ndate: 2022-05-02\nauthor:\n  name: \"Inès Benali\"\nconsent:\n  obtained: 2022-04-01\n  minor: true\n  guardian: true\n---\nSa semaine.\n",
    );
    // Left in `content/`, linked by no page: not published, nothing to say
    // but that it is unused.
    png(&root.join("content/img/ines-benali.png"));
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(count(&stderr, "minor-surname"), 0, "{stderr}");
    // Linked from a page: published under that name, an error.
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\n![Le collège](img/ines-benali.png)\n",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        has(
            &stderr,
            "erreur",
            "minor-surname",
            "content/img/ines-benali.png"
        ),
        "{stderr}"
    );
}

/// A minor's testimonial, `name` as given, the body as given.
fn minor_page(root: &Path, slug: &str, name: &str, front: &str, body: &str) {
    write(
        &root.join(format!("content/temoignages/{slug}.md")),
        &format!(
            "---\ntitle: \"Mon stage\"\ndate: 2022-06-01\nauthor:\n  name: \"{name}\"\nconsent:\n  obtained: 2022-05-01\n  minor: true\n  guardian: true\n{front}---\n{body}\n"
        ),
    );
}

/// Review of #13: characters no reader sees (Word's optional hyphen,
/// zero-width spaces) split a surname for the check, not for the reader.
#[test]
fn a_surname_split_by_invisible_characters_is_still_found() {
    let (_dir, root) = site();
    minor_page(
        &root,
        "hugo",
        "Hugo Lefèvre",
        "tags: [\"Famille Lef\u{200b}èvre\"]\n",
        "Je suis Le\u{ad}fèvre, en seconde.",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    let file = "content/temoignages/hugo.md";
    for line in [10, 12] {
        assert!(
            has(
                &stderr,
                "erreur",
                "minor-surname",
                &format!("{file}:{line}")
            ),
            "line {line}: {stderr}"
        );
    }
}

/// Review of #13: a surname with an apostrophe or a particle is also
/// written joined, and slugs join it so.
#[test]
fn a_surname_with_a_particle_or_apostrophe_is_found_joined() {
    let (_dir, root) = site();
    minor_page(&root, "lina-dangelo", "Lina D'Angelo", "", "Un stage.");
    minor_page(
        &root,
        "leo",
        "Léo Le Goff",
        "summary: \"Chez LeGoff\"\n",
        "DANGELO m'a aidé.",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        has(
            &stderr,
            "erreur",
            "minor-surname",
            "content/temoignages/lina-dangelo.md"
        ),
        "the address: {stderr}"
    );
    assert!(
        has(
            &stderr,
            "erreur",
            "minor-surname",
            "content/temoignages/leo.md:10"
        ),
        "{stderr}"
    );
    // Lina's full surname on Léo's page, without her first name, is
    // someone else's: only joined to « Lina » would it name her.
    assert!(
        !has(
            &stderr,
            "erreur",
            "minor-surname",
            "content/temoignages/leo.md:12"
        ),
        "{stderr}"
    );
}

/// Review of #13: HTML codes, tags and Markdown marks inside a surname hide
/// it from the file's text, not from the reader.
#[test]
fn a_surname_hidden_by_formatting_or_html_codes_is_found_as_rendered() {
    for (body, line) in [
        ("Bonjour.\nJe suis Bena&#108;i.", 12),
        ("Je suis **Ben**ali.", 11),
        ("Je suis <span>Ben</span>ali.", 11),
        ("Bonjour.\n\nJe suis Ben*ali*.", 13),
    ] {
        let (_dir, root) = site();
        minor_page(&root, "ines", "Inès Benali", "", body);
        let (code, stderr) = run(&root, &["build"]);
        assert_eq!(code, Some(1), "{body}: {stderr}");
        let at = format!("content/temoignages/ines.md:{line}");
        assert!(
            has(&stderr, "erreur", "minor-surname", &at),
            "{body}: {stderr}"
        );
        assert_eq!(count(&stderr, "minor-surname"), 1, "{body}: {stderr}");
        assert!(stderr.contains("mise en forme"), "{stderr}");
    }
}

/// Review of #13: `site.yaml`, the site's templates and text files of
/// `static/` are published too.
#[test]
fn a_minors_full_name_in_site_yaml_templates_or_static_files_is_an_error() {
    let (_dir, root) = site();
    minor_page(&root, "hugo", "Hugo Lefèvre", "", "Un stage.");
    let yaml = read(&root.join("site.yaml"));
    write(
        &root.join("site.yaml"),
        &format!("{yaml}# Hugo Lefèvre relit le site (commentaire, jamais publié)\ndescription: \"Avec Hugo Lefèvre\"\n"),
    );
    write(&root.join("static/eleves.txt"), "Liste :\nHugo LEFEVRE\n");
    write(&root.join("static/photo-hugo-lefevre.bin"), "pas du texte");
    write(
        &root.join("templates/partials/extra.html"),
        "<p>Merci à Hugo Lefèvre</p>\n",
    );
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    let yaml_line = yaml.lines().count() + 2;
    for at in [
        format!("site.yaml:{yaml_line}"),
        "static/eleves.txt:2".to_string(),
        "templates/partials/extra.html:1".to_string(),
    ] {
        assert!(
            has(&stderr, "erreur", "minor-surname", &at),
            "{at}: {stderr}"
        );
    }
    assert!(
        !has(
            &stderr,
            "erreur",
            "minor-surname",
            &format!("site.yaml:{}", yaml_line - 1)
        ),
        "a comment is not published: {stderr}"
    );
}

/// Review of #13: a YAML mistake on one line (`"C:\dossier"`) left the page
/// out, and with it the surname check and the warnings of its other lines:
/// the surname error came only once the YAML was fixed.
#[test]
fn a_yaml_mistake_does_not_hide_a_minors_surname_nor_the_pages_warnings() {
    let (_dir, root) = site();
    let file = "content/temoignages/ines.md";
    write(
        &root.join(file),
        "---\ntitle: “Mon stage”\ndate: 2022-06-01\nauthor:\n  name: \"Inès Benali\"\n  school: \"C:\\dossier\"\nconsent:\n  obtained: 2022-05-01\n  minor: true\n  guardian: true\n---\nInès Benali raconte.\n",
    );
    let (code, stderr) = run(&root, &["check"]);
    assert_eq!(code, Some(1), "{stderr}");
    for (level, code, line) in [
        ("erreur", "yaml-syntax", 6),
        ("erreur", "minor-surname", 12),
        ("avertissement", "curly-quotes", 2),
    ] {
        assert!(
            has(&stderr, level, code, &format!("{file}:{line}")),
            "{code} at line {line}: {stderr}"
        );
    }
    // The fix, from the writer's own line, both ways.
    assert!(stderr.contains("`  school: 'C:\\dossier'`"), "{stderr}");
    assert!(stderr.contains("`  school: \"C:\\\\dossier\"`"), "{stderr}");
}

/// Review of #13: both spellings on one page were said to be "on another
/// page"; « C++ », « C# » and « C » were merged as spellings of one tag; a
/// tag « !!! » became `/etiquettes/page/`.
#[test]
fn tags_told_apart_by_signs_stay_apart_and_a_letterless_tag_is_refused() {
    let (_dir, root) = site();
    tagged(&root, "a", "2023-01-01", "\"Éducation\", \"Education\"");
    tagged(&root, "b", "2022-01-01", "\"C++\", \"C#\", \"C\"");
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("sur cette page"), "{stderr}");
    assert!(!stderr.contains("sur une autre page"), "{stderr}");
    assert_eq!(count(&stderr, "tag-variant"), 1, "{stderr}");
    let tags = root.join("public/etiquettes");
    for (slug, name) in [("c", "C"), ("c-plus-plus", "C++"), ("c-sharp", "C#")] {
        let html = read(&tags.join(slug).join("index.html"));
        assert!(html.contains(name), "{slug}: {html}");
    }

    tagged(&root, "c", "2021-01-01", "\"!!!\", \"Numérique\", \"..\"");
    let (code, stderr) = run(&root, &["check"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(count(&stderr, "letterless-term"), 2, "{stderr}");
    assert!(
        has(
            &stderr,
            "erreur",
            "letterless-term",
            "content/temoignages/c.md:6"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("n'a ni lettre ni chiffre"), "{stderr}");
}

/// Second review of #13: « é » typed as « e » + a combining accent (macOS),
/// and a minor's name in the name of a file of `static/`.
#[test]
fn a_surname_with_combining_accents_or_in_a_static_file_name_is_found() {
    let (_dir, root) = site();
    minor_page(
        &root,
        "ines",
        "Inès Bénali",
        "tags: [\"Be\u{301}nali\"]\n",
        "Je suis Ine\u{300}s Be\u{301}nali.",
    );
    write(&root.join("static/ines-benali.txt"), "x");
    let (code, stderr) = run(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    for at in [
        "content/temoignages/ines.md:10",
        "content/temoignages/ines.md:12",
    ] {
        assert!(
            has(&stderr, "erreur", "minor-surname", at),
            "{at}: {stderr}"
        );
    }
    assert!(
        stderr.lines().any(|l| l.contains("minor-surname"))
            && stderr.contains("static/ines-benali.txt"),
        "{stderr}"
    );
}
