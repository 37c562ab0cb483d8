//! Issue #13, "every mistake at once, in French": what the writer reads
//! when the front matter or a link is wrong. The one-file-five-mistakes case
//! and the writer's-own-line hints are bad-input fixtures (90–95); these
//! tests cover what a fixture cannot say: pathological nesting generated at
//! run time, and the absence of the parser's English or of empty values
//! anywhere in the French messages of the corpus.
#![cfg(unix)]

mod common;

use std::path::Path;

use common::*;

/// `vitrine check` on `root`: exit code and stderr.
fn check(root: &Path) -> (Option<i32>, String) {
    let out = vitrine()
        .arg("check")
        .arg("--root")
        .arg(root)
        .output()
        .expect("vitrine runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// A site whose one testimonial has `front_matter` (without fences).
fn site_with_testimonial(front_matter: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_skeleton(
        dir.path(),
        "title: \"Cas\"\nbase_url: \"https://test.example/\"\n",
    );
    write(
        &dir.path().join("content/temoignages/a.md"),
        &format!("---\n{front_matter}---\nTexte.\n"),
    );
    dir
}

#[test]
fn deep_yaml_nesting_is_refused_in_french_at_the_line_where_the_limit_is_passed() {
    let depth = 100_000;
    let cases = [
        ("[".repeat(depth), 6),
        ("{a: ".repeat(depth), 6),
        (format!("\n  {}x", "- ".repeat(depth)), 7),
    ];
    for (nested, line) in cases {
        let dir = site_with_testimonial(&format!(
            "title: \"Stage\"\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\nextra: {nested}\n"
        ));
        let (code, stderr) = check(dir.path());
        assert_eq!(code, Some(1), "{stderr}");
        let at = format!("content/temoignages/a.md:{line}:");
        assert!(stderr.contains("[yaml-too-deep]"), "{stderr}");
        assert!(stderr.contains(&at), "no error at {at}:\n{stderr}");
        assert!(stderr.contains("niveaux"), "{stderr}");
        assert!(!stderr.contains("recursion limit"), "{stderr}");
    }
}

#[test]
fn deep_indentation_is_refused_before_parsing() {
    // 60 maps inside each other, one space deeper each line.
    let mut yaml =
        String::from("title: \"Stage\"\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\nextra:\n");
    for i in 0..60 {
        yaml.push_str(&format!("{}k{i}:\n", " ".repeat(i + 1)));
    }
    let dir = site_with_testimonial(&yaml);
    let (code, stderr) = check(dir.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("[yaml-too-deep]"), "{stderr}");
}

/// Words of the YAML parser (libyaml, serde_yaml) and English type names
/// that once reached French messages.
const PARSER_ENGLISH: &[&str] = &[
    "did not find",
    "could not find",
    "not allowed",
    "while parsing",
    "while scanning",
    "found character",
    "found unexpected",
    "found unknown",
    "limit exceeded",
    "unknown anchor",
    "more than one document",
    "EOF while",
    "(list)",
    "(string)",
    "(number)",
    "(bool)",
    "(map)",
];

/// The YAML mistakes a writer makes, beyond those of the fixtures, each
/// a whole front matter (all in French output).
const MISTAKES: &[&str] = &[
    // Over-indented key under a key that has a value.
    "title: \"Stage\"\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\n    role: x\n",
    // Key indented after a top-level value.
    "title: \"Stage\"\n date: 2021-03-01\nauthor:\n  name: \"Léa\"\n",
    // A list on its key's line.
    "title: \"Stage\"\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\ntags: - a\n",
    // A list item among fields.
    "title: \"Stage\"\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\n  - a\n",
    // A field aligned on a list's items.
    "title: \"Stage\"\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\ntags:\n  - a\n  b\n",
    // A value continued on a line of its own.
    "title: Une longue phrase\nqui continue ici\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\n",
    // The first line indented.
    "  title: \"Stage\"\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\n",
    // Values starting with a YAML sign.
    "title: @Léa en stage\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\n",
    "title: `Stage`\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\n",
    "title: \"Stage\"\nquote: *Génial* dit-elle\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\n",
    "title: [Brouillon] Mon stage\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\n",
    // A backslash in double quotes.
    "title: \"Stage\"\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\n  school: \"C:\\dossier\"\n",
    // An alias to nothing.
    "title: \"Stage\"\ndate: 2021-03-01\nauthor:\n  name: *nom\n",
    // A mapping in a flow list left open.
    "title: \"Stage\"\ndate: 2021-03-01\nauthor: {name: \"Léa\"\n",
];

#[test]
fn yaml_mistakes_are_explained_in_french_without_the_parsers_english() {
    for front_matter in MISTAKES {
        let dir = site_with_testimonial(front_matter);
        let (code, stderr) = check(dir.path());
        assert_eq!(code, Some(1), "{front_matter}\n{stderr}");
        assert!(stderr.contains("[yaml-syntax]"), "{front_matter}\n{stderr}");
        for english in PARSER_ENGLISH {
            assert!(
                !stderr.contains(english),
                "`{english}` in the French message for:\n{front_matter}\n{stderr}"
            );
        }
        assert!(
            stderr.contains("aide"),
            "no help for:\n{front_matter}\n{stderr}"
        );
    }
}

#[test]
fn no_message_of_the_bad_corpus_leaks_the_parsers_english_or_shows_an_empty_value() {
    let cases = std::fs::read_dir(fixture("bad")).unwrap();
    let mut checked = 0;
    for case in cases.flatten() {
        let path = case.path();
        let expected = std::fs::read_to_string(path.join("expected.txt")).unwrap_or_default();
        if expected.contains("setup ") {
            // Made at run time by tests/bad_inputs.rs.
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&path, dir.path());
        let (_, stderr) = check(dir.path());
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for english in PARSER_ENGLISH {
            assert!(
                !stderr.contains(english),
                "{name}: `{english}` in\n{stderr}"
            );
        }
        // An empty value shown to the writer: « », ``, "" in a sentence.
        for empty in ["« »", "«  »", "``", "(« » "] {
            assert!(!stderr.contains(empty), "{name}: `{empty}` in\n{stderr}");
        }
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} cases");
}

/// Review of #13: a control character in the front matter (a form feed
/// pasted from a word processor, a bell, an escape) was reported at line 2
/// with the parser's generic words.
#[test]
fn a_control_character_in_the_front_matter_is_named_at_its_line_with_the_line_fixed() {
    for (c, named) in [
        ('\u{c}', "U+000C (saut de page)"),
        ('\u{7}', "U+0007 (sonnerie)"),
        ('\u{1b}', "U+001B (échappement"),
    ] {
        let dir = site_with_testimonial(&format!(
            "title: \"ok\"\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\n  role: \"x{c}y\"\n"
        ));
        let (code, stderr) = check(dir.path());
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.contains("content/temoignages/a.md:6:11"),
            "{named}: {stderr}"
        );
        assert!(
            stderr.contains(&format!("caractère de contrôle {named}")),
            "{stderr}"
        );
        assert!(stderr.contains("`  role: \"xy\"`"), "{stderr}");
        assert!(!stderr.contains(":2:1"), "{stderr}");
    }
}

/// Review of #13: Word's manual line break (U+000B), a NUL and an escape
/// in the body went raw into the HTML.
#[test]
fn control_characters_in_the_body_are_replaced_with_a_warning_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    write_skeleton(
        dir.path(),
        "title: \"Cas\"\nbase_url: \"https://test.example/\"\n",
    );
    write(
        &dir.path().join("content/temoignages/a.md"),
        "---\ntitle: \"Stage\"\ndate: 2021-03-01\nauthor:\n  name: \"Léa\"\nconsent:\n  obtained: 2021-01-01\n  minor: false\n---\nPremière ligne.\nA\u{b}B\u{0}C\u{1b}[31mD\n",
    );
    let out = vitrine()
        .arg("build")
        .arg("--root")
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("[control-character]"), "{stderr}");
    assert!(stderr.contains("content/temoignages/a.md:11:2"), "{stderr}");
    assert!(stderr.contains("U+000B"), "{stderr}");
    let public = dir.path().join("public");
    for entry in walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let bytes = std::fs::read(entry.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(|c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
            "{}",
            entry.path().display()
        );
    }
    let html = std::fs::read_to_string(public.join("temoignages/a/index.html")).unwrap();
    assert!(html.contains("A B C [31mD"), "{html}");
}

/// Review of #13: a no-break space before the colon (French keyboards) or a
/// zero-width space before a key made an unknown field whose "did you
/// mean" named the same word.
#[test]
fn a_key_written_with_an_invisible_character_is_read_with_a_warning() {
    let dir = site_with_testimonial(
        "title\u{a0}: \"Stage\"\n\u{200b}date: 2021-03-01\nauthor:\n  name\u{202f}: \"Léa\"\nconsent:\n  obtained: 2021-01-01\n  minor: false\n",
    );
    let (code, stderr) = check(dir.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("unknown-field"), "{stderr}");
    assert!(!stderr.contains("missing-field"), "{stderr}");
    for (at, named, fixed) in [
        (":2:6", "U+00A0 (espace insécable)", "`title: \"Stage\"`"),
        (
            ":3:1",
            "U+200B (espace de largeur nulle)",
            "`date: 2021-03-01`",
        ),
        (
            ":5:7",
            "U+202F (espace fine insécable)",
            "`  name: \"Léa\"`",
        ),
    ] {
        assert!(
            stderr.contains(&format!("content/temoignages/a.md{at}")),
            "{at}: {stderr}"
        );
        assert!(stderr.contains(named), "{named}: {stderr}");
        assert!(stderr.contains(fixed), "{fixed}: {stderr}");
    }
    assert_eq!(
        stderr.matches("[invisible-character]").count(),
        3,
        "{stderr}"
    );
}

/// Review of #13: `vitrine new temoignage ""` wrote `page.md`, then `"!!!"`
/// said "page.md existe déjà"; a title holding a terminal code gave the
/// slug `titre-31mrouge`.
#[test]
fn new_refuses_a_title_without_letters_and_drops_terminal_codes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    vitrine().arg("init").arg(root.join("s")).assert().success();
    let site = root.join("s");
    let new = |title: &str| {
        vitrine()
            .args(["new", "temoignage", title, "--root"])
            .arg(&site)
            .output()
            .unwrap()
    };
    for title in ["", "!!!"] {
        let out = new(title);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{title:?}: {stderr}");
        assert!(stderr.contains("[bad-title]"), "{stderr}");
        assert!(stderr.contains("ni lettre ni chiffre"), "{stderr}");
        assert!(!stderr.contains("existe déjà"), "{stderr}");
    }
    assert!(!site.join("content/temoignages/page.md").exists());
    let out = new("Titre \u{1b}[31mrouge");
    assert!(out.status.success(), "{out:?}");
    let page = site.join("content/temoignages/titre-rouge.md");
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(!text.contains('\u{1b}'), "{text}");
}
