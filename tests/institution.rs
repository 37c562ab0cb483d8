//! Issue #16, institution pages: the accessibility statement, the legal
//! notice and the personal data page are made from `site.yaml`; every
//! page's footer says how accessible the site is, computed from the audit,
//! and links to the statement; `check` warns when the audit must be redone.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const SITE_YAML: &str =
    "title: \"Stages\"\nbase_url: \"https://lycee.example/stages/\"\nlanguage: fr\n";

fn audit(date: &str, rate: &str) -> String {
    format!(
        "accessibility:\n  audit_date: {date}\n  audited_by: \"Access42\"\n  rate: \"{rate}\"\n"
    )
}

const PUBLISHER_BLOCK: &str = "publisher:\n  name: \"Lycée Jean Moulin\"\n  director: \"Claire Martin\"\n  contact: \"communication@lycee.example\"\n  host_name: \"Académie de Lyon\"\n";

fn site(extra_yaml: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(&root, &format!("{SITE_YAML}{extra_yaml}"));
    write(
        &root.join("content/a-propos.md"),
        "---\ntitle: \"À propos\"\n---\nQui sommes-nous.\n",
    );
    (dir, root)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What `vitrine check` says of the site at `root` (which must pass).
fn check(root: &Path) -> String {
    let out = vitrine()
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// The footer mention of the page at `path` of the output.
fn mention(root: &Path, path: &str) -> String {
    let html = read(&root.join("public").join(path));
    let start = html
        .find("<ul class=\"legal-links\">")
        .expect("legal links");
    html[start..]
        .lines()
        .nth(1)
        .unwrap_or("")
        .trim()
        .to_string()
}

#[test]
fn the_three_pages_are_made_from_site_yaml_and_every_page_links_them() {
    let (_dir, root) = site(&format!(
        "{PUBLISHER_BLOCK}{}",
        audit("2025-06-01", "87,5 %")
    ));
    build_ok(&root);
    let out = root.join("public");
    let statement = read(&out.join("accessibilite/index.html"));
    assert!(statement.contains("partiellement conforme"), "{statement}");
    assert!(
        statement.contains("87,5\u{202f}% des critères"),
        "{statement}"
    );
    assert!(statement.contains("Défenseur des droits"));
    let legal = read(&out.join("mentions-legales/index.html"));
    assert!(legal.contains("Lycée Jean Moulin") && legal.contains("Claire Martin"));
    assert!(legal.contains("Académie de Lyon"));
    let data = read(&out.join("donnees-personnelles/index.html"));
    assert!(
        data.contains("mailto:communication@lycee.example"),
        "{data}"
    );
    assert!(data.contains("aucun cookie"));
    for page in html_files(&out) {
        let rel = page
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let html = read(&page);
        assert!(
            html.contains(
                "<a href=\"/stages/accessibilite/\">Accessibilité : partiellement conforme</a>"
            ),
            "{rel} has no compliance mention"
        );
        assert!(html.contains("href=\"/stages/mentions-legales/\""), "{rel}");
    }
    // The menu is for the writers' pages.
    let home = read(&out.join("index.html"));
    let nav = &home[home.find("<nav").unwrap()..home.find("</nav>").unwrap()];
    assert!(!nav.contains("Mentions légales"), "{nav}");
}

#[test]
fn the_mention_follows_the_audit() {
    for (yaml, words) in [
        (audit("2025-06-01", "100 %"), "totalement conforme"),
        (audit("2025-06-01", "50"), "partiellement conforme"),
        (audit("2025-06-01", "49,9 %"), "non conforme"),
        // Three years to the day before 2026-01-15: no longer valid.
        (audit("2023-01-15", "100 %"), "non conforme"),
        (String::new(), "non conforme"),
    ] {
        let (_dir, root) = site(&yaml);
        build_ok(&root);
        let shown = mention(&root, "index.html");
        assert!(
            shown.contains(&format!("Accessibilité : {words}<")),
            "{yaml}: {shown}"
        );
        let statement = read(&root.join("public/accessibilite/index.html"));
        assert!(
            statement.contains(&format!("<strong>{words}</strong>")),
            "{yaml}"
        );
    }
}

#[test]
fn check_warns_when_the_audit_must_be_redone() {
    let (_dir, root) = site(&audit("2022-05-01", "100 %"));
    let said = check(&root);
    assert!(said.contains("[audit-outdated]"), "{said}");
    assert!(
        said.contains("l'audit d'accessibilité du 1er\u{a0}mai\u{a0}2022 a plus de trois ans (il valait jusqu'au 30\u{a0}avril\u{a0}2025)"),
        "{said}"
    );
    // Ending within 60 days: the day in words, the days counted.
    let (_dir, root) = site(&audit("2023-02-10", "100 %"));
    let said = check(&root);
    assert!(
        said.contains("vaut jusqu'au 9\u{a0}février\u{a0}2026 : il faut le refaire d'ici 26 jours"),
        "{said}"
    );
    // Review of #16: « 1 jour(s) ».
    let (_dir, root) = site(&audit("2023-01-16", "100 %"));
    let said = check(&root);
    assert!(said.contains("d'ici 1 jour [audit-outdated]"), "{said}");
    let out = vitrine()
        .args(["--lang", "en", "check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(
            "valid until 15 January 2026: it must be redone within 1 day [audit-outdated]"
        ),
        "{said}"
    );
    let (_dir, root) = site("");
    assert!(check(&root).contains("[no-audit]"));
    let (_dir, root) = site(&audit("2025-06-01", "100 %"));
    let said = check(&root);
    assert!(!said.contains("[audit"), "{said}");
}

/// Review of #16: when the audit ended, the nightly `build` turned every
/// footer to « non conforme » without a word; and nothing said which day
/// that would happen.
#[test]
fn build_says_when_the_audit_ended_and_the_day_it_will() {
    let (_dir, root) = site(&audit("2022-05-01", "100 %"));
    let (ok, said) = build_site(&root);
    assert!(ok, "{said}");
    assert!(said.contains("[audit-outdated]"), "{said}");
    assert!(!said.contains("cesse de compter"), "{said}");
    let (_dir, root) = site(&audit("2025-06-01", "100 %"));
    let (ok, said) = build_site(&root);
    assert!(ok, "{said}");
    assert!(
        !said.contains("[audit"),
        "a valid audit is no warning: {said}"
    );
    assert!(
        said.contains("L'audit d'accessibilité cesse de compter le 1er\u{a0}juin\u{a0}2028"),
        "{said}"
    );
    // A consent ending sooner: both days are said.
    write(
        &root.join("content/temoignages/lea.md"),
        "---\ntitle: \"Stage\"\ndate: 2026-01-10\nauthor:\n  name: \"Léa\"\nconsent:\n  obtained: 2026-01-05\n  expires: 2026-06-30\n---\nTexte.\n",
    );
    let (ok, said) = build_site(&root);
    assert!(ok, "{said}");
    assert!(said.contains("Prochaine date de consentement"), "{said}");
    assert!(
        said.contains("cesse de compter le 1er\u{a0}juin\u{a0}2028"),
        "{said}"
    );
}

/// Review of #16: an audit dated after today (« 2062 » typed for « 2026 »)
/// was only a warning, and the site went out declared not compliant.
#[test]
fn an_audit_dated_in_the_future_is_an_error_at_its_date() {
    let (_dir, root) = site(&audit("2062-01-02", "100 %"));
    let stderr = build_fails(&root);
    assert!(stderr.contains("[audit-in-future]"), "{stderr}");
    assert!(stderr.contains("site.yaml:5:15"), "{stderr}");
    assert!(
        stderr.contains("daté du 2\u{a0}janvier\u{a0}2062, un jour à venir (nous sommes le 15\u{a0}janvier\u{a0}2026)"),
        "{stderr}"
    );
    assert!(stderr.contains("`audit_date: 2026-01-02`"), "{stderr}");
    assert!(!root.join("public").exists());
    // No year to swap back into the past: the help says what to write.
    let (_dir, root) = site(&audit("2027-01-01", "100 %"));
    let stderr = build_fails(&root);
    assert!(
        stderr.contains("le jour où le rapport d'audit a été remis"),
        "{stderr}"
    );
}

/// Second review of #13/#16: no placeholders published; a rate shown
/// rounded down; a writer's draft does not take the page off the site.
#[test]
fn no_legal_notice_without_publisher_and_no_rounding_up() {
    let (_dir, root) = site(&audit("2025-06-01", "49,96 %"));
    build_ok(&root);
    let out = root.join("public");
    assert!(!out.join("mentions-legales").exists());
    assert!(!read(&out.join("index.html")).contains("mentions-legales"));
    let statement = read(&out.join("accessibilite/index.html"));
    assert!(statement.contains("49,9\u{202f}%"), "{statement}");
    assert!(statement.contains("<strong>non conforme</strong>"));
    let out_check = vitrine()
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out_check.stderr).contains("[no-publisher]"));
}

#[test]
fn a_writers_draft_in_place_of_a_generated_page_leaves_it_published() {
    let (_dir, root) = site(PUBLISHER_BLOCK);
    write(
        &root.join("content/mentions-legales.md"),
        "---\ntitle: \"Mentions légales\"\ndraft: true\n---\nBrouillon.\n",
    );
    build_ok(&root);
    let legal = read(&root.join("public/mentions-legales/index.html"));
    assert!(legal.contains("Éditeur du site") && !legal.contains("Brouillon."));
}

#[test]
fn a_writers_page_at_the_same_place_replaces_the_generated_one() {
    let (_dir, root) = site(PUBLISHER_BLOCK);
    write(
        &root.join("content/mentions-legales.md"),
        "---\ntitle: \"Mentions légales\"\n---\nNos mentions, rédigées par le service juridique.\n",
    );
    build_ok(&root);
    let legal = read(&root.join("public/mentions-legales/index.html"));
    assert!(legal.contains("rédigées par le service juridique"));
    assert!(!legal.contains("Éditeur du site"));
    // Review of #16: linked from the footer like the page it replaces,
    // not added to the menu.
    let home = read(&root.join("public/index.html"));
    let menu = &home[home.find("<nav").unwrap()..];
    let menu = &menu[..menu.find("</nav>").unwrap()];
    assert!(!menu.contains("mentions-legales"), "{menu}");
    assert!(home.contains("mentions-legales/"), "footer link");
}

#[test]
fn a_mistaken_audit_is_an_error_at_its_line() {
    let (_dir, root) = site("accessibility:\n  audit_date: 2025-06-01\n  rate: \"beaucoup\"\n");
    let stderr = build_fails(&root);
    assert!(stderr.contains("[bad-rate]"), "{stderr}");
    assert!(stderr.contains("site.yaml:6"), "{stderr}");
    assert!(stderr.contains("[audit-incomplete]"), "{stderr}");
    assert!(stderr.contains("`audited_by`"), "{stderr}");
}

/// Review of #16: `0.75` (meant 75 %) was read as 0.75 %, and `1e2` or
/// `+80` as numbers; each is an error at its value, with the line to write.
#[test]
fn a_rate_written_as_a_share_or_oddly_is_an_error_with_the_line_to_write() {
    let yaml = |rate: &str| {
        format!("accessibility:\n  audit_date: 2025-06-01\n  audited_by: \"Access42\"\n  rate: {rate}\n")
    };
    let (_dir, root) = site(&yaml("0.75"));
    let stderr = build_fails(&root);
    assert!(stderr.contains("[bad-rate]"), "{stderr}");
    assert!(stderr.contains("`0.75` se lit 0.75 %"), "{stderr}");
    assert!(stderr.contains("site.yaml:7:9"), "{stderr}");
    assert!(stderr.contains("`  rate: \"75 %\"`"), "{stderr}");
    assert!(stderr.contains("`  rate: \"0,75 %\"`"), "{stderr}");
    for (written, fix) in [("1e2", "100 %"), ("\"+80\"", "80 %")] {
        let (_dir, root) = site(&yaml(written));
        let stderr = build_fails(&root);
        let shown = written.trim_matches('"');
        assert!(
            stderr.contains(&format!("`{shown}` n'est pas écrit comme un taux")),
            "{stderr}"
        );
        assert!(stderr.contains(&format!("`  rate: \"{fix}\"`")), "{stderr}");
    }
    // What the writer meant, written plainly, passes.
    let (_dir, root) = site(&yaml("\"0,75 %\""));
    build_ok(&root);
}

/// Review of #16: a plan address the statement cannot link to vanished
/// from it without a word.
#[test]
fn a_plan_url_that_is_no_web_address_is_an_error_at_its_line() {
    for plan in [
        "www.lycee.example/plan.pdf",
        "/plan.pdf",
        "javascript:alert(8)",
    ] {
        let yaml = format!("{}  plan_url: \"{plan}\"\n", audit("2025-06-01", "100 %"));
        let (_dir, root) = site(&yaml);
        let stderr = build_fails(&root);
        assert!(stderr.contains("[bad-plan-url]"), "{plan}: {stderr}");
        assert!(stderr.contains("site.yaml:8"), "{plan}: {stderr}");
    }
    let yaml = format!(
        "{}  plan_url: \"https://lycee.example/plan.pdf\"\n",
        audit("2025-06-01", "100 %")
    );
    let (_dir, root) = site(&yaml);
    build_ok(&root);
}

/// Review of #16: a page of `static/` where the legal notice goes was
/// reported at `(vitrine)/mentions-legales.md`, a file the writer cannot
/// open. It is reported at the static file, with how to replace the page.
#[test]
fn a_static_file_in_place_of_a_generated_page_is_reported_at_that_file() {
    let (_dir, root) = site(PUBLISHER_BLOCK);
    write(
        &root.join("static/mentions-legales/index.html"),
        "<h1>Mentions</h1>\n",
    );
    let stderr = build_fails(&root);
    assert!(stderr.contains("[output-conflict]"), "{stderr}");
    assert!(!stderr.contains("(vitrine)"), "{stderr}");
    assert!(
        stderr.contains("erreur : static/mentions-legales/index.html :"),
        "{stderr}"
    );
    assert!(
        stderr.contains("la place de la page « Mentions légales » (`/mentions-legales/`)"),
        "{stderr}"
    );
    assert!(stderr.contains("`content/mentions-legales.md`"), "{stderr}");
}

/// Review of #16: a control character escaped in a `site.yaml` value was
/// reported at the generated pages' lines, `(vitrine)/…`, never at the
/// line the writer typed.
#[test]
fn a_control_character_in_a_site_yaml_value_is_reported_at_its_line() {
    let (_dir, root) =
        site("publisher:\n  name: \"Lycée\\u0007 Jean Moulin\"\n  director: \"Claire Martin\"\n");
    let stderr = build_fails(&root);
    assert!(stderr.contains("[control-character]"), "{stderr}");
    assert!(stderr.contains("U+0007"), "{stderr}");
    assert!(stderr.contains("--> site.yaml:5:15"), "{stderr}");
    assert!(
        stderr.contains("retirez `\\u0007` de la valeur : `name: \"Lycée Jean Moulin\"`"),
        "{stderr}"
    );
    assert!(!stderr.contains("(vitrine)"), "{stderr}");
}

/// Each of the three pages, as a file or as a folder's `index.md`: the
/// writer's page is published in its place, and the footer still links it.
#[test]
fn each_generated_page_is_replaced_by_a_writers_file_of_its_path() {
    for (file, generated) in [
        ("accessibilite.md", "Voies de recours"),
        ("mentions-legales/index.md", "Éditeur du site"),
        ("donnees-personnelles.md", "Cookies et services tiers"),
        ("donnees-personnelles/index.md", "Cookies et services tiers"),
    ] {
        let (_dir, root) = site(&format!(
            "{PUBLISHER_BLOCK}{}",
            audit("2025-06-01", "100 %")
        ));
        write(
            &root.join("content").join(file),
            "---\ntitle: \"Notre page\"\n---\nRédigée par le service juridique.\n",
        );
        build_ok(&root);
        let path = file.trim_end_matches(".md").trim_end_matches("/index");
        let html = read(&root.join("public").join(path).join("index.html"));
        assert!(html.contains("Rédigée par le service juridique"), "{file}");
        assert!(!html.contains(generated), "{file}: still generated");
        let home = read(&root.join("public/index.html"));
        assert!(
            home.contains(&format!("href=\"/stages/{path}/\"")),
            "{file}: the footer no longer links it"
        );
    }
}

/// Review of #16: a `publisher:` block giving only a name published a
/// legal notice saying « à compléter » five times, without a word from
/// `check`.
#[test]
fn check_names_what_the_legal_notice_still_lacks() {
    let (_dir, root) = site("publisher:\n  name: \"Lycée X\"\n");
    let said = check(&root);
    assert!(said.contains("[publisher-incomplete]"), "{said}");
    assert!(
        said.contains(
            "ne donne pas `address`, `director`, `phone`, `contact`, `host_name`, `host_address`, `host_phone`"
        ),
        "{said}"
    );
    let complete = "publisher:\n  name: \"Lycée X\"\n  address: \"1 rue A, Lyon\"\n  director: \"C. Martin\"\n  phone: \"04 00 00 00 00\"\n  contact: \"c@lycee.example\"\n  host_name: \"Académie\"\n  host_address: \"2 rue B, Lyon\"\n  host_phone: \"04 00 00 00 01\"\n";
    let (_dir, root) = site(complete);
    let said = check(&root);
    assert!(!said.contains("publisher-incomplete"), "{said}");
}

/// Review of #16: a site's own `base.html` loading an analytics script
/// left the data page saying that no third party was called.
#[test]
fn the_data_page_vouches_for_no_third_party_only_with_the_theme_as_shipped() {
    let data_page = |root: &Path| read(&root.join("public/donnees-personnelles/index.html"));
    let (_dir, root) = site(PUBLISHER_BLOCK);
    build_ok(&root);
    assert!(data_page(&root).contains("aucun cookie"));
    let shipped = read(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/templates/base.html"
    )));
    let tracked = shipped.replace(
        "</head>",
        "<script src=\"https://www.googletagmanager.com/gtag/js\"></script></head>",
    );
    assert_ne!(tracked, shipped, "the theme's base.html has a </head>");
    write(&root.join("templates/base.html"), &tracked);
    build_ok(&root);
    assert!(
        !data_page(&root).contains("aucun cookie"),
        "{}",
        data_page(&root)
    );
    // The same template as shipped changes nothing.
    write(&root.join("templates/base.html"), &shipped);
    build_ok(&root);
    assert!(data_page(&root).contains("aucun cookie"));
}

const CONSENTED: &str = "---\ntitle: \"Mon stage\"\ndate: 2026-01-10\nauthor:\n  name: \"Léa\"\nconsent:\n  obtained: 2026-01-05\n---\n";

/// Review of #16: a picture or a video of another site written into a page
/// was published without a word; the theme's Content-Security-Policy blocks
/// it, so the reader sees a hole. Said at its line, in pages and sections;
/// the data page's « no third party » stays true (the policy enforces it).
#[test]
fn a_page_asking_another_site_for_a_picture_or_video_is_told_at_its_line() {
    let data_page = |root: &Path| read(&root.join("public/donnees-personnelles/index.html"));
    let (_dir, root) = site(PUBLISHER_BLOCK);
    let page = root.join("content/temoignages/lea.md");
    let commented = "<!-- <iframe src=\"https://www.youtube.com/embed/x\"></iframe> -->\n";
    write(&page, &format!("{CONSENTED}Mon stage.\n\n[La vidéo](https://www.youtube.com/watch?v=abc)\n\n{commented}"));
    let (ok, said) = build_site(&root);
    assert!(
        ok && !said.contains("third-party-resource"),
        "a link, a comment: {said}"
    );
    for (embed, line) in [
        (
            "<iframe src=\"https://www.youtube.com/embed/abc\" title=\"Vidéo\"></iframe>\n",
            13,
        ),
        (
            "Avant.\n\n![Logo](https://upload.wikimedia.org/logo.png)\n",
            15,
        ),
    ] {
        write(&page, &format!("{CONSENTED}Mon stage.\n\n[La vidéo](https://www.youtube.com/watch?v=abc)\n\n{embed}"));
        let (ok, said) = build_site(&root);
        assert!(ok, "{said}");
        assert!(said.contains("[third-party-resource]"), "{said}");
        assert!(
            said.contains("le navigateur du lecteur le bloque"),
            "{said}"
        );
        assert!(
            said.contains(&format!("content/temoignages/lea.md:{line}")),
            "{said}"
        );
        assert!(data_page(&root).contains("aucun service tiers"));
    }
    // The site's own address is not another site.
    write(
        &page,
        &format!("{CONSENTED}![Atelier](https://lycee.example/stages/atelier.png)\n"),
    );
    let (ok, said) = build_site(&root);
    assert!(ok && !said.contains("third-party-resource"), "{said}");
    // The home page's text too.
    write(
        &root.join("content/_index.md"),
        "---\ntitle: Accueil\n---\nBienvenue.\n\n<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"V\"></iframe>\n",
    );
    let (ok, said) = build_site(&root);
    assert!(ok, "{said}");
    assert!(said.contains("content/_index.md:6"), "{said}");
}

/// Review of #16: with a testimonial published without consent (a warning,
/// as the spec asks), the pages still said none is published without one.
#[test]
fn a_testimonial_without_consent_keeps_the_pages_from_saying_each_has_one() {
    let pages = |root: &Path| {
        read(&root.join("public/donnees-personnelles/index.html"))
            + &read(&root.join("public/mentions-legales/index.html"))
    };
    let (_dir, root) = site(PUBLISHER_BLOCK);
    write(
        &root.join("content/temoignages/lea.md"),
        &format!("{CONSENTED}Texte.\n"),
    );
    build_ok(&root);
    let said = pages(&root);
    assert!(
        said.contains("n’est publié qu’avec l’accord écrit"),
        "{said}"
    );
    assert!(
        said.contains("avec l’accord écrit de leurs auteurs"),
        "{said}"
    );
    write(
        &root.join("content/temoignages/paul.md"),
        "---\ntitle: \"Stage\"\ndate: 2026-01-10\nauthor:\n  name: \"Paul\"\n---\nTexte.\n",
    );
    build_ok(&root);
    let said = pages(&root);
    assert!(!said.contains("n’est publié qu’avec"), "{said}");
    assert!(!said.contains("accord écrit"), "{said}");
    assert!(
        said.contains("repose sur le consentement de son auteur"),
        "{said}"
    );
    assert!(
        said.contains("sur la base du consentement de leurs auteurs"),
        "{said}"
    );
}

/// Review of #16: `director: ""` printed « Directeur… : » with nothing
/// after it, and `audited_by: ""` passed for a complete audit.
#[test]
fn an_empty_value_is_a_missing_value() {
    let (_dir, root) = site(
        "publisher:\n  name: \"Lycée X\"\n  address: \"\"\n  director: \" \"\n  contact: \"\"\n  phone: \"\"\n  host_name: \"\"\n  host_address: \"\"\n  host_phone: \"\"\n  dpo: \"\"\naccessibility:\n  entity: \"\"\n  contact: \"\"\n",
    );
    let said = check(&root);
    assert!(
        said.contains("ne donne pas `address`, `director`, `phone`, `contact`, `host_name`, `host_address`, `host_phone`"),
        "{said}"
    );
    assert!(said.contains("[accessibility-no-contact]"), "{said}");
    build_ok(&root);
    let legal = read(&root.join("public/mentions-legales/index.html"));
    assert!(
        !legal.contains("Téléphone :<") && !legal.contains("Téléphone :\n"),
        "{legal}"
    );
    assert_eq!(legal.matches("à compléter").count(), 7, "{legal}");
    let statement = read(&root.join("public/accessibilite/index.html"));
    assert!(statement.contains("Lycée X s’engage"), "{statement}");
    let data = read(&root.join("public/donnees-personnelles/index.html"));
    assert!(!data.contains("délégué à la protection"), "{data}");

    let (_dir, root) = site(&audit("2025-06-01", "80 %").replace("\"Access42\"", "\"\""));
    let said = build_fails(&root);
    assert!(
        said.contains("[audit-incomplete]") && said.contains("`audited_by`"),
        "{said}"
    );
}

/// Review of #16: `phone: +33478000000` (no quotes) was published as
/// « 33478000000 », `0478000000` as « 478000000 »: YAML read them as numbers.
#[test]
fn a_phone_number_is_published_as_written() {
    let (_dir, root) = site(
        "publisher:\n  name: \"Lycée X\"\n  phone: +33478000000\n  host_phone: 0472000000 # standard\n",
    );
    build_ok(&root);
    let legal = read(&root.join("public/mentions-legales/index.html"));
    assert!(legal.contains("+33478000000"), "{legal}");
    assert!(legal.contains("0472000000"), "{legal}");
}

/// Review of #16: a site's own `base.html` without the theme's footer
/// dropped the accessibility mention and the legal links from every page,
/// and `check` passed. The footer is now the theme's `partials/footer.html`:
/// a site's copy of it without the legal block, or a `base.html` that no
/// longer includes it, is warned about.
#[test]
fn a_base_template_without_the_legal_footer_is_warned_about() {
    let theme = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/templates"
    ));
    let shipped_base = read(&theme.join("base.html"));
    let shipped_footer = read(&theme.join("partials/footer.html"));

    let (_dir, root) = site(PUBLISHER_BLOCK);
    let start = shipped_footer
        .find("<div class=\"wrap footer-legal\">")
        .expect("footer block");
    let end = start
        + shipped_footer[start..]
            .find("</div>")
            .expect("end of the block")
        + "</div>".len();
    let footer = root.join("templates/partials/footer.html");
    write(
        &footer,
        &format!("{}{}", &shipped_footer[..start], &shipped_footer[end..]),
    );
    let said = check(&root);
    assert!(said.contains("[legal-footer-missing]"), "{said}");
    assert!(said.contains("templates/partials/footer.html"), "{said}");
    // The theme's own, copied whole, is fine.
    write(&footer, &shipped_footer);
    let said = check(&root);
    assert!(!said.contains("legal-footer-missing"), "{said}");

    // A `base.html` that has its own footer without the legal block.
    let include = "{% include \"partials/footer.html\" %}";
    assert!(shipped_base.contains(include), "{shipped_base}");
    let base = root.join("templates/base.html");
    write(
        &base,
        &shipped_base.replace(include, "<footer><p>Mon pied de page</p></footer>"),
    );
    let said = check(&root);
    assert!(said.contains("[legal-footer-missing]"), "{said}");
    assert!(said.contains("templates/base.html"), "{said}");
    // Copied whole, it still includes the footer: fine.
    write(&base, &shipped_base);
    let said = check(&root);
    assert!(!said.contains("legal-footer-missing"), "{said}");
}

/// Review of #16: `rate: "80 %"` without `non_conformities` gave
/// « partiellement conforme » and « Aucune non-conformité n'est connue ».
#[test]
fn a_partial_audit_without_its_non_conformities_is_warned_about() {
    let (_dir, root) = site(&audit("2025-06-01", "80 %"));
    let said = check(&root);
    assert!(said.contains("[non-conformities-missing]"), "{said}");
    assert!(
        said.contains("l'audit respecte 80 % des critères"),
        "{said}"
    );
    build_ok(&root);
    let statement = read(&root.join("public/accessibilite/index.html"));
    assert!(!statement.contains("Aucune non-conformité"), "{statement}");
    assert!(statement.contains("pas encore détaillés"), "{statement}");
    let listed = format!(
        "{}  non_conformities:\n    - \"Les vidéos n'ont pas de sous-titres\"\n",
        audit("2025-06-01", "80 %")
    );
    let (_dir, root) = site(&listed);
    assert!(!check(&root).contains("non-conformities-missing"));
}

/// Review of #16: an SVG logo or a stylesheet of the site's own in
/// `static/` removed the « Cookies et services tiers » section, although
/// the theme's pages load them under its Content-Security-Policy; a web
/// page of `static/` (no policy) or a replaced theme script does remove it.
#[test]
fn only_what_can_call_another_site_removes_the_no_third_party_section() {
    let data_page = |root: &Path| read(&root.join("public/donnees-personnelles/index.html"));
    let (_dir, root) = site(&format!(
        "{PUBLISHER_BLOCK}identity:\n  logo: img/logo.svg\n  logo_alt: \"Lycée\"\n"
    ));
    write(
        &root.join("static/img/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>\n",
    );
    write(&root.join("static/css/extra.css"), "body { color: red }\n");
    build_ok(&root);
    assert!(data_page(&root).contains("aucun service tiers"));
    write(
        &root.join("static/merci.html"),
        "<!doctype html><script src=\"https://stats.example/t.js\"></script>\n",
    );
    build_ok(&root);
    assert!(!data_page(&root).contains("aucun service tiers"));
    std::fs::remove_file(root.join("static/merci.html")).unwrap();
    write(
        &root.join("static/js/menu.js"),
        "fetch('https://stats.example/');\n",
    );
    build_ok(&root);
    assert!(!data_page(&root).contains("aucun service tiers"));
}

/// Review of #16: `non_conformities: [""]` published an empty bullet and,
/// with `rate: 100`, turned every footer to « partiellement conforme ».
#[test]
fn blank_lines_of_the_accessibility_lists_are_left_out() {
    let (_dir, root) = site(&format!(
        "{}  non_conformities: [\"\", \"   \"]\n  derogations: [\"\"]\n  recourse: [\"\"]\n",
        audit("2025-06-01", "100 %")
    ));
    build_ok(&root);
    let statement = read(&root.join("public/accessibilite/index.html"));
    assert!(!statement.contains("<li></li>"), "{statement}");
    assert!(statement.contains("totalement conforme"), "{statement}");
}
