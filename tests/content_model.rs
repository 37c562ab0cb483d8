//! The content model: relations, consent, taxonomies, pagination, sorting,
//! `new` and `init`.

mod common;

use common::*;
use std::path::Path;

fn all_output_text(out: &Path) -> String {
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            text.push_str(&entry.path().display().to_string());
            text.push('\n');
            text.push_str(&String::from_utf8_lossy(
                &std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
    text
}

#[test]
fn a_missing_programme_is_named_with_the_closest_slug() {
    let (_dir, root) = copy_fixture("minimal");
    let page = root.join("content/temoignages/stage-2.md");
    replace_in(&page, "programme: vis-mon-job", "programme: vis-mon-jbo");
    let (ok, stderr) = build_site(&root);
    assert!(!ok);
    assert!(
        stderr.contains("content/temoignages/stage-2.md:6:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("le programme `vis-mon-jbo` n'existe pas"),
        "{stderr}"
    );
    assert!(
        stderr.contains("vouliez-vous dire `vis-mon-job` ?"),
        "{stderr}"
    );
}

#[test]
fn an_expired_consent_removes_the_testimonial_everywhere() {
    let (_dir, root) = copy_fixture("minimal");
    let yesterday = today().previous_day().unwrap();
    let page = root.join("content/temoignages/ines/index.md");
    replace_in(
        &page,
        "  guardian: true\n",
        &format!("  guardian: true\n  expires: {yesterday}\n"),
    );
    let (ok, stderr) = build_site(&root);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("content/temoignages/ines/index.md"),
        "{stderr}"
    );
    assert!(stderr.contains("consentement expiré"), "{stderr}");
    let everything = all_output_text(&root.join("public"));
    assert!(
        !everything.contains("Inès au collège"),
        "title still published"
    );
    assert!(
        !everything.contains("temoignages/ines"),
        "slug still published"
    );
    assert!(!everything.contains("Inès raconte"), "body still published");
    // Its taxonomy term (only it had level 3e) is gone too.
    assert!(!root.join("public/niveaux/3e").exists());
}

#[test]
fn withdrawn_consent_unpublishes_too() {
    let (_dir, root) = copy_fixture("minimal");
    let page = root.join("content/temoignages/stage-3.md");
    replace_in(&page, "consent:\n", "consent:\n  withdrawn: 2024-01-01\n");
    let (ok, stderr) = build_site(&root);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("consentement retiré"), "{stderr}");
    assert!(!all_output_text(&root.join("public")).contains("Stage numéro 3"));
}

#[test]
fn minor_without_guardian_and_photo_without_alt_point_at_their_lines() {
    let (_dir, root) = copy_fixture("minimal");
    let page = root.join("content/temoignages/ines/index.md");
    replace_in(&page, "  photo_alt: \"Carré bleu uni\"\n", "");
    replace_in(&page, "  guardian: true\n", "");
    let (ok, stderr) = build_site(&root);
    assert!(!ok);
    // photo: is on line 6, minor: on line 9 once the two lines are gone.
    assert!(
        stderr.contains("content/temoignages/ines/index.md:6:")
            && stderr.contains("[photo-without-alt]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/temoignages/ines/index.md:9:")
            && stderr.contains("[minor-without-guardian]"),
        "{stderr}"
    );
}

#[test]
fn taxonomy_pages_counts_folded_slugs_and_pagination() {
    let (_dir, root) = copy_fixture("minimal");
    // A spelling variant that folds to the same slug merges with « Économie sociale ».
    let page = root.join("content/temoignages/stage-3.md");
    replace_in(&page, "\"Économie sociale\"", "\"economie sociale\"");
    let (ok, stderr) = build_site(&root);
    assert!(ok, "{stderr}");
    let out = root.join("public");
    let list = std::fs::read_to_string(out.join("etiquettes/index.html")).unwrap();
    // The term's entry (its link, or the list item around it) shows the count.
    let doc = scraper::Html::parse_document(&list);
    let items = scraper::Selector::parse("li").unwrap();
    let entry = doc
        .select(&items)
        .find(|li| li.html().contains("etiquettes/economie-sociale/"))
        .map(|li| li.text().collect::<String>())
        .unwrap_or_default();
    assert!(
        entry.contains("Économie sociale") && entry.contains('3'),
        "{entry}"
    );
    let term = std::fs::read_to_string(out.join("etiquettes/economie-sociale/index.html")).unwrap();
    for n in 1..=3 {
        assert!(term.contains(&format!("Stage numéro {n}")), "{term}");
    }
    assert!(out.join("organisations/dinum/index.html").is_file());
    assert!(out.join("niveaux/bac-3/index.html").is_file());
    // 4 testimonials at 2 per page: 2 list pages, and every pager link resolves.
    assert!(out.join("temoignages/page/2/index.html").is_file());
    assert!(!out.join("temoignages/page/3").exists());
    for file in ["temoignages/index.html", "temoignages/page/2/index.html"] {
        let html = std::fs::read_to_string(out.join(file)).unwrap();
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("nav[aria-label] a[href]").unwrap();
        let links: Vec<String> = doc
            .select(&sel)
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        assert!(
            links.iter().any(|l| l.ends_with("/page/2/")),
            "{file}: {links:?}"
        );
        for link in links.iter().filter(|l| l.contains("temoignages")) {
            assert!(file_for(&out, link).is_file(), "{link}");
        }
    }
}

#[test]
fn sorting_by_title_follows_french_order() {
    let (_dir, root) = copy_fixture("minimal");
    write(
        &root.join("content/mots/_index.md"),
        "---\ntitle: Mots\nsort_by: title\n---\n",
    );
    for title in ["Fromage", "École", "Dauphin"] {
        write(
            &root.join(format!("content/mots/{}.md", title.to_lowercase())),
            &format!("---\ntitle: \"{title}\"\n---\nTexte.\n"),
        );
    }
    let (ok, stderr) = build_site(&root);
    assert!(ok, "{stderr}");
    let html = std::fs::read_to_string(root.join("public/mots/index.html")).unwrap();
    let pos = |w: &str| {
        html.find(&format!(">{w}<"))
            .unwrap_or_else(|| panic!("{w} missing"))
    };
    assert!(
        pos("Dauphin") < pos("École") && pos("École") < pos("Fromage"),
        "{html}"
    );
}

#[test]
fn new_testimonial_builds_once_filled() {
    let (_dir, root) = copy_fixture("minimal");
    vitrine()
        .args(["new", "testimonial", "Mon stage à la DINUM", "--root"])
        .arg(&root)
        .assert()
        .success();
    let file = root.join("content/temoignages/mon-stage-a-la-dinum.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("title: \"Mon stage à la DINUM\""));
    assert!(text.contains("# organisation:"), "every field is listed");
    // As created: a draft, valid, not published.
    let (ok, stderr) = build_site(&root);
    assert!(ok, "{stderr}");
    assert!(!root
        .join("public/temoignages/mon-stage-a-la-dinum")
        .exists());
    // Filled in and undrafted: published.
    let filled = text
        .replace("Prénom Nom", "Yanis Martin")
        .replace("draft: true", "draft: false");
    std::fs::write(&file, filled).unwrap();
    let (ok, stderr) = build_site(&root);
    assert!(ok, "{stderr}");
    assert!(root
        .join("public/temoignages/mon-stage-a-la-dinum/index.html")
        .is_file());
    // Never overwrites.
    vitrine()
        .args(["new", "testimonial", "Mon stage à la DINUM", "--root"])
        .arg(&root)
        .assert()
        .code(1);
}

#[test]
fn new_stays_in_content_and_in_a_section_of_its_kind() {
    let (_dir, root) = copy_fixture("minimal");
    let new = |args: &[&str]| {
        let out = vitrine()
            .args(args)
            .arg("--root")
            .arg(&root)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    // Outside content/: refused, nothing written.
    for section in ["../../ailleurs", "/tmp/ailleurs"] {
        let (code, stderr) = new(&["new", "testimonial", "Évasion", "--section", section]);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains("[bad-section]"), "{stderr}");
    }
    assert!(!root.parent().unwrap().join("ailleurs").exists());
    // A programme in the testimonials' section would be read as one.
    let (code, stderr) = new(&["new", "programme", "Erreur", "--section", "temoignages"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("[section-kind]"), "{stderr}");
    // A new folder becomes a section of the page's kind, and the site builds.
    let (code, stderr) = new(&[
        "new",
        "testimonial",
        "Ailleurs",
        "--section",
        "autres-stages",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let index = std::fs::read_to_string(root.join("content/autres-stages/_index.md")).unwrap();
    assert!(index.contains("kind: testimonial"), "{index}");
    let out = vitrine()
        .args(["build", "--drafts", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(root
        .join("public/autres-stages/ailleurs/index.html")
        .is_file());
}

#[test]
fn init_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("x");
    vitrine().arg("init").arg(&site).assert().success();
    vitrine()
        .arg("build")
        .arg("--root")
        .arg(&site)
        .assert()
        .success();
    assert!(site
        .join("public/temoignages/premier-temoignage/index.html")
        .is_file());
    assert!(site
        .join("public/programmes/decouverte/index.html")
        .is_file());
    vitrine().arg("init").arg(&site).assert().code(1);
}

#[test]
fn drafts_only_with_the_flag() {
    let (_dir, root) = copy_fixture("minimal");
    let page = root.join("content/a-propos.md");
    replace_in(&page, "title:", "draft: true\ntitle:");
    assert!(build_site(&root).0);
    assert!(!root.join("public/a-propos").exists());
    vitrine()
        .arg("build")
        .arg("--drafts")
        .arg("--root")
        .arg(&root)
        .assert()
        .success();
    assert!(root.join("public/a-propos/index.html").is_file());
}

#[test]
fn check_lists_consents_expiring_soon() {
    let (_dir, root) = copy_fixture("minimal");
    let soon = today() + time::Duration::days(30);
    let page = root.join("content/temoignages/ines/index.md");
    replace_in(
        &page,
        "  guardian: true\n",
        &format!("  guardian: true\n  expires: {soon}\n"),
    );
    let out = vitrine()
        .arg("check")
        .arg("--root")
        .arg(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("[consent-expires-soon]") && stderr.contains("dans 30 jours"),
        "{stderr}"
    );
}

/// Review of #16: a programme ending before it starts was shown « Du 20
/// décembre au 1er novembre » with an open call, and `edition: -3` read
/// « -3e édition ».
#[test]
fn programme_dates_and_edition_must_make_sense() {
    let (_dir, root) = copy_fixture("minimal");
    let page = root.join("content/programmes/vis-mon-job.md");
    replace_in(&page, "end: 2022-11-24", "end: 2022-11-01");
    let (ok, stderr) = build_site(&root);
    assert!(!ok, "{stderr}");
    assert!(stderr.contains("[programme-ends-before-start]"), "{stderr}");
    assert!(
        stderr.contains("content/programmes/vis-mon-job.md:6:"),
        "{stderr}"
    );
    replace_in(&page, "end: 2022-11-01", "end: 2022-11-24");
    for edition in ["-3", "0"] {
        replace_in(&page, "edition: 3", &format!("edition: {edition}"));
        let (ok, stderr) = build_site(&root);
        assert!(!ok, "edition {edition}: {stderr}");
        assert!(
            stderr.contains("content/programmes/vis-mon-job.md:4:"),
            "{stderr}"
        );
        replace_in(&page, &format!("edition: {edition}"), "edition: 3");
    }
    build_ok(&root);
}
