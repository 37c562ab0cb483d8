//! The command line itself: help, version and usage errors in the writer's
//! language, French kinds for `new`, French typography in diagnostics,
//! control characters from files never reaching the terminal raw, and what
//! `new` tells about the page it created.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;

/// `vitrine ARGS` with `LANG` set to `lang` (`fr_FR.UTF-8`, `en_US.UTF-8`).
fn run(lang: &str, args: &[&str]) -> Output {
    vitrine()
        .env("LANG", lang)
        .args(args)
        .output()
        .expect("vitrine runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

const FR: &str = "fr_FR.UTF-8";
const EN: &str = "en_US.UTF-8";

/// Words of clap's English help and errors that must not show in French.
const ENGLISH: &[&str] = &[
    "Usage",
    "Commands:",
    "Arguments:",
    "Options:",
    "Print help",
    "Print version",
    "possible values",
    "[default",
    "error:",
    "tip:",
    "For more information",
    "a similar",
    "unexpected argument",
    "invalid value",
];

fn assert_no_english(text: &str) {
    for word in ENGLISH {
        assert!(!text.contains(word), "English `{word}` in:\n{text}");
    }
}

#[test]
fn help_is_french_under_a_french_locale_and_english_under_an_english_one() {
    let out = run(FR, &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for heading in ["Utilisation : vitrine", "Commandes :", "Options :"] {
        assert!(text.contains(heading), "no `{heading}` in:\n{text}");
    }
    assert!(text.contains("Construit le site"), "{text}");
    assert_no_english(&text);

    let out = run(FR, &["build", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("Utilisation : vitrine build"), "{text}");
    assert!(text.contains("Dossier du site"), "{text}");
    assert!(text.contains("par défaut : ."), "{text}");
    assert_no_english(&text);

    let out = run(FR, &["new", "--help"]);
    let text = stdout(&out);
    assert!(text.contains("Arguments :"), "{text}");
    assert!(text.contains("temoignage, programme, page"), "{text}");
    assert_no_english(&text);

    // `--lang fr` wins over an English environment, before or after the command.
    for args in [
        &["--lang", "fr", "check", "--help"][..],
        &["check", "--help", "--lang=fr"],
    ] {
        let text = stdout(&run(EN, args));
        assert!(text.contains("Utilisation : vitrine check"), "{text}");
        assert_no_english(&text);
    }

    // English under an English locale.
    let out = run(EN, &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("Usage: vitrine"), "{text}");
    assert!(text.contains("Commands:"), "{text}");
    assert!(!text.contains("Utilisation"), "{text}");

    let text = stdout(&run(EN, &["build", "--help"]));
    assert!(text.contains("Usage: vitrine build"), "{text}");
    assert!(text.contains("[default: .]"), "{text}");
    assert!(!text.contains("Utilisation"), "{text}");

    // `--lang en` wins over a French environment.
    let text = stdout(&run(FR, &["build", "--lang", "en", "--help"]));
    assert!(text.contains("Usage: vitrine build"), "{text}");
    assert!(!text.contains("Utilisation"), "{text}");
}

#[test]
fn version_is_printed_with_exit_zero_and_its_help_line_is_french() {
    let out = run(FR, &["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out).trim(),
        format!("vitrine {}", env!("CARGO_PKG_VERSION"))
    );
    let help = stdout(&run(FR, &["--help"]));
    assert!(help.contains("Affiche la version"), "{help}");
}

#[test]
fn misspelt_kind_is_a_french_usage_error_with_a_suggestion() {
    let out = run(FR, &["new", "temoinage", "X"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        text.starts_with("erreur : valeur invalide `temoinage` pour <TYPE>"),
        "{text}"
    );
    assert!(
        text.contains("aide : une valeur proche existe : `temoignage`"),
        "{text}"
    );
    assert!(
        text.contains("Utilisation : vitrine new [OPTIONS] <TYPE> <TITRE>"),
        "{text}"
    );
    assert_no_english(&text);

    let out = run(EN, &["new", "temoinage", "X"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        text.starts_with("error: invalid value `temoinage` for <KIND>"),
        "{text}"
    );
    assert!(text.contains("Usage: vitrine new"), "{text}");
    assert!(!text.contains("erreur"), "{text}");
}

#[test]
fn unknown_option_is_a_french_usage_error() {
    let out = run(FR, &["build", "--nope"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        text.starts_with("erreur : argument inattendu `--nope`"),
        "{text}"
    );
    assert!(text.contains("Utilisation : vitrine build"), "{text}");
    assert_no_english(&text);

    // A near miss gets a did-you-mean.
    let text = stderr(&run(FR, &["build", "--draft"]));
    assert!(
        text.contains("aide : un argument proche existe : `--drafts`"),
        "{text}"
    );
    let text = stderr(&run(FR, &["buidl"]));
    assert!(
        text.starts_with("erreur : commande inconnue `buidl`"),
        "{text}"
    );
    assert!(
        text.contains("aide : une commande proche existe : `build`"),
        "{text}"
    );
    assert_no_english(&text);

    let out = run(FR, &["new"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        text.contains("<TYPE>") && text.contains("<TITRE>"),
        "{text}"
    );
    assert_no_english(&text);

    let out = run(FR, &["serve", "--port", "abc"]);
    assert_eq!(out.status.code(), Some(2));
    assert_no_english(&stderr(&out));
}

#[test]
fn new_accepts_french_kinds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write_skeleton(root, "title: T\nbase_url: \"https://test.example/\"\n");
    for (kind, title, file) in [
        (
            "témoignage",
            "Mon stage",
            "content/temoignages/mon-stage.md",
        ),
        ("temoignage", "Un autre", "content/temoignages/un-autre.md"),
        (
            "testimonial",
            "Le troisième",
            "content/temoignages/le-troisieme.md",
        ),
        (
            "programme",
            "Vis mon job",
            "content/programmes/vis-mon-job.md",
        ),
        ("page", "À propos", "content/a-propos.md"),
    ] {
        let out = vitrine()
            .args(["new", kind, title, "--root"])
            .arg(root)
            .output()
            .expect("vitrine runs");
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", stderr(&out));
        assert!(root.join(file).is_file(), "{kind}: no {file}");
    }
    let text =
        std::fs::read_to_string(root.join("content/temoignages/mon-stage.md")).expect("written");
    assert!(text.contains("consent:"), "not a testimonial:\n{text}");
}

/// A site whose one testimonial has an unknown field (`auteur`) in a file
/// named `name`, with `line` just before that field.
fn site_with_error(name: &str, line: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write_skeleton(
        dir.path(),
        "title: T\nbase_url: \"https://test.example/\"\n",
    );
    write(
        &dir.path().join("content/temoignages").join(name),
        &format!("---\ntitle: \"Stage\"\ndate: 2021-03-12\n{line}\nauteur: \"Léa\"\n---\nTexte.\n"),
    );
    dir
}

fn build_in(lang: &str, root: &Path) -> Output {
    vitrine()
        .env("LANG", lang)
        .args(["build", "--root"])
        .arg(root)
        .output()
        .expect("vitrine runs")
}

#[test]
fn diagnostics_use_french_typography() {
    let dir = site_with_error("a.md", "level: \"3e\"");
    let out = build_in(FR, dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(
        text.contains("erreur : champ inconnu `auteur` [unknown-field]\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  = aide : vouliez-vous dire `author` ?\n"),
        "{text}"
    );
    assert!(
        !text.contains("erreur:") && !text.contains("aide:"),
        "{text}"
    );
    // The snippet under the header is unchanged.
    assert!(
        text.contains(" --> content/temoignages/a.md:5:1\n  |\n5 | auteur: \"Léa\"\n  | ^^^^^^\n"),
        "{text}"
    );

    let text = stderr(&build_in(EN, dir.path()));
    assert!(
        text.contains("error: unknown field `auteur` [unknown-field]\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  = help: did you mean `author`?\n"),
        "{text}"
    );
}

/// Neither ESC (0x1b), BEL (0x07) nor any other C0/C1 control but newline.
fn assert_no_controls(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for c in text.chars() {
        assert!(
            c == '\n' || !c.is_control(),
            "raw control {:?} in:\n{}",
            c,
            text.escape_debug()
        );
    }
}

#[cfg(unix)]
#[test]
fn a_file_name_with_an_escape_sequence_is_printed_escaped() {
    let dir = site_with_error("\x1b]0;pwned\x07.md", "level: \"3e\"");
    let out = build_in(FR, dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_no_controls(&out.stderr);
    let text = stderr(&out);
    assert!(
        text.contains(r"content/temoignages/\x1b]0;pwned\x07.md:5:1"),
        "{text}"
    );
}

#[test]
fn control_characters_in_a_source_line_are_printed_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_skeleton(
        dir.path(),
        "title: T\nbase_url: \"https://test.example/\"\n",
    );
    let page = dir.path().join("content/a.md");
    // In the front matter.
    write(
        &page,
        "---\ntitle: \"\x1b]0;x\x07\"\ndate: 2021-03-12\n---\nTexte.\n",
    );
    let out = build_in(FR, dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_no_controls(&out.stderr);
    let text = stderr(&out);
    assert!(text.contains(r#"2 | title: "\x1b]0;x\x07""#), "{text}");

    // In the body, before the underlined link (C1 CSI, ESC, BEL): the
    // underline stays under the link once they are escaped, and the column
    // is the one in the file (the link is its 12th character).
    write(
        &page,
        "---\ntitle: \"Stage\"\ndate: 2021-03-12\n---\n\u{9b}31m\x1b]0;x\x07 [lien](@/nope.md)\n",
    );
    let out = build_in(FR, dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_no_controls(&out.stderr);
    let text = stderr(&out);
    assert!(
        text.contains(concat!(
            " --> content/a.md:5:12\n",
            "  |\n",
            "5 | \\u{9b}31m\\x1b]0;x\\x07 [lien](@/nope.md)\n",
            "  |                       ^^^^^^^^^^^^^^^^^\n",
        )),
        "{text}"
    );
}

#[test]
fn new_prints_the_preview_address_and_that_the_page_is_a_draft() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write_skeleton(
        root,
        "title: T\nbase_url: \"https://lycee.example/stages/\"\n",
    );
    let out = vitrine()
        .args(["new", "temoignage", "Mon stage", "--root"])
        .arg(root)
        .output()
        .expect("vitrine runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains(
            "Aperçu : http://127.0.0.1:1111/stages/temoignages/mon-stage/ — lancez `vitrine serve`"
        ),
        "{text}"
    );
    assert!(
        text.contains("retirez `draft: true` pour publier"),
        "{text}"
    );

    // A new section folder gets its slug in the address.
    let out = vitrine()
        .args([
            "new",
            "page",
            "Été 2024",
            "--section",
            "Autres Pages",
            "--root",
        ])
        .arg(root)
        .env("LANG", EN)
        .output()
        .expect("vitrine runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains("Preview: http://127.0.0.1:1111/stages/autres-pages/ete-2024/"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn paths_printed_by_build_and_new_are_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    write_skeleton(&root, "title: T\nbase_url: \"https://test.example/\"\n");
    let out = vitrine()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(dir.path().join("out\x1b]0;x\x07"))
        .output()
        .expect("vitrine runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_no_controls(&out.stderr);
    assert!(
        stderr(&out).contains(r"out\x1b]0;x\x07"),
        "{}",
        stderr(&out)
    );

    let out = vitrine()
        .args([
            "new",
            "page",
            "Titre",
            "--section",
            "a\x1b]0;x\x07",
            "--root",
        ])
        .arg(&root)
        .output()
        .expect("vitrine runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_no_controls(&out.stderr);
    assert!(
        stderr(&out).contains(r"content/a\x1b]0;x\x07/titre.md"),
        "{}",
        stderr(&out)
    );
}

/// Review of #13: a terminal that cannot be written (stderr full, a pipe
/// closed by `| head`) is no crash: the exit status still tells what
/// happened (101 was Rust's panic).
#[test]
fn an_unwritable_terminal_changes_nothing_but_the_words() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let init = vitrine().arg("init").arg(&root).output().unwrap();
    assert!(init.status.success());
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let mut build = std::process::Command::new(assert_cmd::cargo::cargo_bin("vitrine"));
    build
        .env("VITRINE_TODAY", TODAY)
        .args(["build", "--root"])
        .arg(&root)
        .stderr(full());
    assert_eq!(build.status().unwrap().code(), Some(0));
    assert!(root.join("public/index.html").is_file());
    let mut broken = std::process::Command::new(assert_cmd::cargo::cargo_bin("vitrine"));
    broken
        .env("VITRINE_TODAY", TODAY)
        .args(["build", "--output"])
        .arg(root.join("site.yaml/x"))
        .arg("--root")
        .arg(&root)
        .stderr(full());
    assert_eq!(broken.status().unwrap().code(), Some(1));
    let mut register = std::process::Command::new(assert_cmd::cargo::cargo_bin("vitrine"));
    register
        .env("VITRINE_TODAY", TODAY)
        .args(["consents", "--root"])
        .arg(&root)
        .stdout(full())
        .stderr(std::process::Stdio::piped());
    // The register sent to a full disk is an error (an empty file must not
    // pass for a register), told in French.
    let out = register.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("le disque est plein"));
}

/// Review of #13: the system's English never reaches the writer.
#[test]
fn a_bad_listening_address_is_told_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    assert!(vitrine()
        .arg("init")
        .arg(&root)
        .output()
        .unwrap()
        .status
        .success());
    let out = vitrine()
        .args(["serve", "--bind", "notanip", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("adresse IP de cet ordinateur"),
        "{}",
        stderr(&out)
    );
    let out = vitrine()
        .args(["serve", "--bind", "192.0.2.1", "--root"])
        .arg(&root)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(text.contains("n'appartient pas à cet ordinateur"), "{text}");
    assert_no_english(&text);
}

/// Review of #16: a mistyped `VITRINE_TODAY` was ignored without a word,
/// and the build ran on the real date (consents, audit, programme states).
#[test]
fn a_today_that_is_no_date_is_an_error_that_says_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    assert!(vitrine()
        .arg("init")
        .arg(&root)
        .output()
        .unwrap()
        .status
        .success());
    for value in ["2026-13-01", "15/01/2026", "demain"] {
        let out = vitrine()
            .env("VITRINE_TODAY", value)
            .args(["check", "--root"])
            .arg(&root)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{value}: {stderr}");
        assert!(stderr.contains("[bad-today]"), "{value}: {stderr}");
        assert!(
            stderr.contains(&format!("`VITRINE_TODAY` vaut « {value} »")),
            "{stderr}"
        );
        assert!(stderr.contains("AAAA-MM-JJ"), "{stderr}");
    }
    // Empty is unset: today's date.
    let out = vitrine()
        .env("VITRINE_TODAY", "")
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Review of #16: `--lang de` with another mistake reported only the other
/// one, in a language the writer did not ask for: the language comes first,
/// wherever it is written.
#[test]
fn an_unknown_language_is_reported_before_another_usage_error() {
    for args in [
        &["--lang", "de", "build", "--nope"][..],
        &["build", "--nope", "--lang=de"],
        &["--lang", "de", "consents", "--force"],
    ] {
        let out = run(FR, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let text = String::from_utf8_lossy(&out.stderr);
        assert!(
            text.contains("valeur invalide `de` pour --lang"),
            "{args:?}: {text}"
        );
        assert!(text.contains("fr, en"), "{text}");
    }
    // A known language: the other mistake, in that language.
    let out = run(FR, &["--lang", "en", "build", "--nope"]);
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("unexpected argument `--nope`"), "{text}");
    // Help asked is help given, whatever the language.
    let out = run(FR, &["--lang", "de", "build", "--help"]);
    assert_eq!(out.status.code(), Some(0));
}

/// `help` names a command by any name the command answers to: its French
/// alias too, in both languages.
#[test]
fn help_accepts_every_alias_of_a_command() {
    for (alias, name) in [("consentements", "consents"), ("aide", "help")] {
        for lang in [FR, EN] {
            let out = run(lang, &["help", alias]);
            assert!(out.status.success(), "help {alias}: {}", stderr(&out));
            let text = stdout(&out);
            let own = stdout(&run(lang, &["help", name]));
            assert!(own.contains(&format!("vitrine {name}")), "{own}");
            assert_eq!(text, own, "help {alias} must show the help of {name}");
        }
    }
}
