//! Issue #16, the consent register: `vitrine consents` lists every
//! testimonial's consent with its status, most urgent first, writes it as
//! CSV outside the site when asked, and nothing of it is ever published;
//! `build` and `check` name the day the site must be built again.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const SITE_YAML: &str =
    "title: \"Test\"\nbase_url: \"https://test.example/stages/\"\nlanguage: fr\n";

fn testimonial(root: &Path, slug: &str, name: &str, consent: &str, extra: &str) {
    write(
        &root.join(format!("content/temoignages/{slug}.md")),
        &format!(
            "---\ntitle: \"Stage de {slug}\"\ndate: 2025-10-01\nauthor:\n  name: \"{name}\"\n{consent}{extra}---\nUn stage.\n"
        ),
    );
}

/// One testimonial of each status (today is 2026-01-15).
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(&root, SITE_YAML);
    let consent = |fields: &str| format!("consent:\n  obtained: 2025-09-01\n{fields}");
    testimonial(
        &root,
        "far",
        "Ana Durand",
        &consent("  expires: 2027-06-30\n"),
        "",
    );
    testimonial(
        &root,
        "soon",
        "Bruno Martin",
        &consent("  expires: 2026-02-04\n"),
        "",
    );
    testimonial(
        &root,
        "sooner",
        "Chloé Roux",
        &consent("  expires: 2026-01-20\n"),
        "",
    );
    testimonial(
        &root,
        "ended",
        "Driss Amrani",
        &consent("  expires: 2026-01-01\n"),
        "",
    );
    testimonial(
        &root,
        "gone",
        "Emma Leroy",
        &consent("  withdrawn: 2025-12-01\n"),
        "",
    );
    testimonial(&root, "none", "Farid Benali", "", "");
    testimonial(
        &root,
        "mineur",
        "Gaëlle Lefebvre",
        &consent("  minor: true\n  guardian: true\n"),
        "",
    );
    testimonial(
        &root,
        "brouillon",
        "Hugo Petit",
        &consent(""),
        "draft: true\n",
    );
    (dir, root)
}

fn consents(root: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = vitrine()
        .arg("consents")
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn the_register_lists_every_status_most_urgent_first() {
    let (dir, root) = site();
    let csv = dir.path().join("registre.csv");
    let (code, stdout, stderr) = consents(&root, &["--csv", csv.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM for Excel");
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<Vec<&str>> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(';').collect())
        .collect();
    assert_eq!(
        lines[0],
        [
            "fichier",
            "nom publié",
            "mineur",
            "représentant légal",
            "obtenu le",
            "expire le",
            "retiré le",
            "statut"
        ]
    );
    let rows: Vec<(&str, &str, &str)> = lines[1..].iter().map(|r| (r[0], r[1], r[7])).collect();
    assert_eq!(
        rows,
        [
            (
                "content/temoignages/none.md",
                "Farid Benali",
                "publié sans consentement"
            ),
            (
                "content/temoignages/sooner.md",
                "Chloé Roux",
                "expire dans 5 jours"
            ),
            (
                "content/temoignages/soon.md",
                "Bruno Martin",
                "expire dans 20 jours"
            ),
            ("content/temoignages/far.md", "Ana Durand", "publié"),
            ("content/temoignages/mineur.md", "Gaëlle", "publié"),
            (
                "content/temoignages/brouillon.md",
                "Hugo Petit",
                "brouillon"
            ),
            ("content/temoignages/ended.md", "Driss Amrani", "expiré"),
            ("content/temoignages/gone.md", "Emma Leroy", "retiré"),
        ]
    );
    let minor = &lines[5];
    assert_eq!((minor[2], minor[3]), ("oui", "oui"), "{minor:?}");
    assert_eq!(lines[7][5], "2026-01-01", "expiry date column");
    assert_eq!(lines[8][6], "2025-12-01", "withdrawal date column");
    // The terminal shows the same lines, in the same order.
    let shown: Vec<&str> = stdout
        .lines()
        .skip(1)
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    let files: Vec<&str> = rows.iter().map(|r| r.0).collect();
    assert_eq!(shown, files, "{stdout}");
    assert!(stderr.contains("8 témoignages"), "{stderr}");
}

#[test]
fn the_register_is_never_written_in_the_site_nor_published() {
    let (_dir, root) = site();
    // Anywhere in the site's folder (it goes to Git and to the server),
    // site.yaml itself included.
    let yaml = std::fs::read(root.join("site.yaml")).unwrap();
    for inside in [
        "content/registre.csv",
        "public/registre.csv",
        "static/r.csv",
        "registre.csv",
        "site.yaml",
    ] {
        let (code, _, stderr) = consents(&root, &["--csv", root.join(inside).to_str().unwrap()]);
        assert_eq!(code, Some(1), "{inside}: {stderr}");
        assert!(stderr.contains("[csv-refused]"), "{stderr}");
        assert!(stderr.contains("dans le dossier du site"), "{stderr}");
    }
    assert_eq!(std::fs::read(root.join("site.yaml")).unwrap(), yaml);
    assert!(!root.join("registre.csv").exists());
    // A spelling that climbs back into content/ is refused too.
    std::fs::create_dir_all(root.join("notes")).unwrap();
    let sneaky = root.join("notes/../content/r.csv");
    let (code, _, stderr) = consents(&root, &["--csv", sneaky.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stderr}");
    // Inside a site built elsewhere, over a file of another kind, onto a
    // folder: refused, each with its reason.
    let outside = root.parent().unwrap();
    let built = outside.join("www");
    let out = vitrine()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&built)
        .output()
        .unwrap();
    assert!(out.status.success());
    let (code, _, stderr) = consents(&root, &["--csv", built.join("r.csv").to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("site construit par vitrine"), "{stderr}");
    std::fs::write(outside.join("notes.txt"), "mes notes").unwrap();
    let (code, _, stderr) = consents(
        &root,
        &["--csv", outside.join("notes.txt").to_str().unwrap()],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("n'est pas un fichier CSV"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(outside.join("notes.txt")).unwrap(),
        "mes notes"
    );
    let (code, _, stderr) = consents(&root, &["--csv", outside.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("est un dossier"), "{stderr}");
    // Beside the site is fine, and the build publishes nothing of it.
    let (code, _, stderr) = consents(
        &root,
        &["--csv", outside.join("registre.csv").to_str().unwrap()],
    );
    assert_eq!(code, Some(0), "{stderr}");
    build_ok(&root);
    for file in walkdir::WalkDir::new(root.join("public"))
        .into_iter()
        .flatten()
    {
        if !file.file_type().is_file() {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(file.path()).unwrap()).to_string();
        for secret in [
            // The register's own header (the personal data page speaks of
            // legal guardians: not a leak).
            "nom publié;mineur",
            "Driss",
            "Emma Leroy",
            "Lefebvre",
            "2025-09-01",
        ] {
            assert!(
                !text.contains(secret),
                "{secret} in {}",
                file.path().display()
            );
        }
    }
}

/// Review of #16: `--csv eleves.csv` replaced a school's class list with
/// the register. Only an earlier register (either language) is replaced,
/// or any file with `--force`.
#[test]
fn the_register_replaces_only_an_earlier_register_unless_forced() {
    let (dir, root) = site();
    let list = dir.path().join("eleves.csv");
    std::fs::write(&list, "nom;classe\nInès;2nde B\n").unwrap();
    let (code, _, stderr) = consents(&root, &["--csv", list.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("[csv-refused]"), "{stderr}");
    assert!(
        stderr.contains("eleves.csv` existe et n'est pas un registre des consentements"),
        "{stderr}"
    );
    assert!(stderr.contains("`--force`"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&list).unwrap(),
        "nom;classe\nInès;2nde B\n"
    );
    // A register written before, in French or English, is replaced.
    let register = dir.path().join("registre.csv");
    for lang in ["en", "fr"] {
        let (code, _, stderr) = consents(
            &root,
            &["--lang", lang, "--csv", register.to_str().unwrap()],
        );
        assert_eq!(code, Some(0), "{lang}: {stderr}");
    }
    // Forced, the list is replaced.
    let (code, _, stderr) = consents(&root, &["--csv", list.to_str().unwrap(), "--force"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(std::fs::read_to_string(&list)
        .unwrap()
        .contains("représentant légal"));
    // `--force` alone means nothing: a usage error.
    let (code, _, _) = consents(&root, &["--force"]);
    assert_eq!(code, Some(2));
}

#[test]
fn a_formula_typed_as_a_name_stays_text_in_the_spreadsheet() {
    let (dir, root) = site();
    testimonial(
        &root,
        "formule",
        "=HYPERLINK(\\\"http://x.example\\\") Dupont",
        "consent:\n  obtained: 2025-09-01\n",
        "",
    );
    let csv = dir.path().join("r.csv");
    let (code, _, stderr) = consents(&root, &["--csv", csv.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains(";\"'=HYPERLINK("), "{text}");
}

#[test]
fn build_and_check_name_the_day_to_build_again() {
    let (_dir, root) = site();
    for command in ["build", "check"] {
        let out = vitrine()
            .arg(command)
            .arg("--root")
            .arg(&root)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains(
                // Published through its expiry day (2026-01-20): off the next day.
                "Prochaine date de consentement : 2026-01-21 (content/temoignages/sooner.md)"
            ),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn the_french_name_and_english_work() {
    let (_dir, root) = site();
    let out = vitrine()
        .args(["--lang", "en", "consentements", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(stdout.starts_with("file "), "{stdout}");
    assert!(stdout.contains("expires in 5 days"), "{stdout}");
    assert!(stdout.contains("published without consent"), "{stdout}");
}

/// Found by the review of #16: a consent dated later, a withdrawal written
/// for a later day and a `consent:` block without its date.
#[test]
fn consent_to_come_a_planned_withdrawal_and_an_undated_consent() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(&root, SITE_YAML);
    // Today is 2026-01-15.
    testimonial(
        &root,
        "plus-tard",
        "Inès Morel",
        "consent:\n  obtained: 2026-03-01\n",
        "",
    );
    testimonial(
        &root,
        "retrait",
        "Jules Blanc",
        "consent:\n  obtained: 2025-09-01\n  withdrawn: 2026-02-10\n  expires: 2029-01-01\n",
        "",
    );
    testimonial(
        &root,
        "sans-date",
        "Karim Saadi",
        "consent:\n  minor: false\n",
        "",
    );
    let out = dir.path().join("out");
    let run = vitrine()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    // Not published before its consent's day, and nowhere named.
    assert!(!out.join("temoignages/plus-tard").exists(), "{stderr}");
    assert!(!grep_dir(&out, "Inès"), "{stderr}");
    assert!(stderr.contains("[consent-not-yet]"), "{stderr}");
    // Published until the withdrawal, which is the day to build again.
    assert!(out.join("temoignages/retrait/index.html").exists());
    assert!(
        stderr.contains(
            "Prochaine date de consentement : 2026-02-10 (content/temoignages/retrait.md)"
        ),
        "{stderr}"
    );
    // An undated consent proves nothing: said, and listed as missing.
    assert!(stderr.contains("[consent-undated]"), "{stderr}");
    let (_, register, _) = consents(&root, &[]);
    let line = |name: &str| {
        register
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or("")
            .to_string()
    };
    assert!(
        line("Karim").contains("publié sans consentement"),
        "{register}"
    );
    assert!(
        line("Inès").contains("pas encore publié : publié à partir du 2026-03-01"),
        "{register}"
    );
    assert!(line("Jules").contains("expire dans 26 jours"), "{register}");
}

fn grep_dir(dir: &Path, needle: &str) -> bool {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .any(|e| {
            String::from_utf8_lossy(&std::fs::read(e.path()).unwrap_or_default()).contains(needle)
        })
}

fn register_line(register: &str, name: &str) -> String {
    register
        .lines()
        .find(|l| l.contains(name))
        .unwrap_or_else(|| panic!("no {name} in {register}"))
        .to_string()
}

/// Found by the review of #16: what a file does not say clearly is shown
/// as unknown, never as « non », and a name whose author may be a minor
/// loses its surname; a file whose front matter was never closed is listed.
#[test]
fn unreadable_consents_are_unknown_and_never_show_a_surname() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(&root, SITE_YAML);
    testimonial(
        &root,
        "mina",
        "Mina Moulin",
        "consent:\n  obtained: 2025-03-01\n  minor: oui\n  guardian: oui\n",
        "",
    );
    testimonial(
        &root,
        "date",
        "Noé Caron",
        "consent:\n  obtained: 2025-02-30\n  minor: false\n",
        "",
    );
    write(
        &root.join("content/temoignages/ouvert.md"),
        "---\ntitle: Ouvert\ndate: 2025-10-01\nauthor:\n  name: Olga Petrova\nUn stage.\n",
    );
    let csv = dir.path().join("r.csv");
    let (code, stdout, stderr) = consents(&root, &["--csv", csv.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        !stdout.contains("Moulin") && !stdout.contains("Petrova"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    let row = |file: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.starts_with(&format!("content/temoignages/{file}")))
            .unwrap_or_else(|| panic!("no {file} in {text}"))
            .split(';')
            .map(str::to_string)
            .collect()
    };
    let to_fix = "non publié : fichier à corriger (vitrine check)";
    assert_eq!(
        row("mina.md"),
        [
            "content/temoignages/mina.md",
            "Mina",
            "?",
            "?",
            "2025-03-01",
            "",
            "",
            to_fix
        ]
    );
    assert_eq!(
        row("date.md"),
        [
            "content/temoignages/date.md",
            "Noé Caron",
            "non",
            "",
            "?",
            "",
            "",
            to_fix
        ]
    );
    assert_eq!(
        row("ouvert.md"),
        [
            "content/temoignages/ouvert.md",
            "?",
            "?",
            "?",
            "?",
            "?",
            "?",
            to_fix
        ]
    );
    let english = vitrine()
        .args(["--lang", "en", "consents", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let english = String::from_utf8_lossy(&english.stdout).to_string();
    let mina = register_line(&english, "mina.md");
    assert!(
        mina.contains("Mina  ") && mina.contains("unknown"),
        "{english}"
    );
}

/// Found by the review of #16: a consent cannot end before it was given;
/// a withdrawal written for a later day is said with its day; a consent
/// covers its expiry day.
#[test]
fn consent_dates_out_of_order_planned_withdrawals_and_the_expiry_day() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(&root, SITE_YAML);
    // Today is 2026-01-15.
    testimonial(
        &root,
        "dernier-jour",
        "Paul Simon",
        "consent:\n  obtained: 2025-09-01\n  expires: 2026-01-15\n",
        "",
    );
    testimonial(
        &root,
        "lointain",
        "Rose Marin",
        "consent:\n  obtained: 2025-09-01\n  withdrawn: 2062-12-01\n",
        "",
    );
    let out = dir.path().join("out");
    let run = vitrine()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        out.join("temoignages/dernier-jour/index.html").is_file(),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "Prochaine date de consentement : 2026-01-16 (content/temoignages/dernier-jour.md)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("retrait de l'accord prévu le 2062-12-01")
            && stderr.contains("[consent-withdrawal-planned]")
            && stderr.contains("lointain.md:8:3"),
        "{stderr}"
    );
    let (_, register, _) = consents(&root, &[]);
    assert!(
        register_line(&register, "Paul").contains("expire aujourd'hui (dernier jour publié)"),
        "{register}"
    );
    // The day after, it is off.
    let next = vitrine()
        .env("VITRINE_TODAY", "2026-01-16")
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(next.status.success());
    assert!(!out.join("temoignages/dernier-jour").exists());

    testimonial(
        &root,
        "a-l-envers",
        "Sami Roy",
        "consent:\n  obtained: 2025-09-01\n  expires: 2025-08-01\n  withdrawn: 2024-01-01\n",
        "",
    );
    let stderr = build_fails(&root);
    for (field, line) in [("consent.expires", 8), ("consent.withdrawn", 9)] {
        assert!(
            stderr.contains(&format!("`{field}`"))
                && stderr.contains(&format!("a-l-envers.md:{line}:3")),
            "{field}: {stderr}"
        );
    }
    assert!(stderr.contains("avant la date de l'accord"), "{stderr}");
    assert!(stderr.contains("`expires: 2025-08-01`"), "{stderr}");
}

#[test]
fn a_consent_to_come_is_not_yet_published_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(&root, SITE_YAML);
    testimonial(
        &root,
        "plus-tard",
        "Inès Morel",
        "consent:\n  obtained: 2026-03-01\n",
        "",
    );
    let (_, french, _) = consents(&root, &[]);
    assert!(
        french.contains("pas encore publié : publié à partir du 2026-03-01"),
        "{french}"
    );
    let english = vitrine()
        .args(["--lang", "en", "consents", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let english = String::from_utf8_lossy(&english.stdout);
    assert!(
        english.contains("not yet published: published from 2026-03-01"),
        "{english}"
    );
}
