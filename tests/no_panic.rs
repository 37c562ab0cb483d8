//! No input makes the build panic: arbitrary bytes as a content file, as its
//! front matter, as its body and as `site.yaml` go through the whole
//! pipeline (library call, nothing written), and a failed build always
//! explains itself with located diagnostics that render.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use vitrine::site::{build, BuildOptions};

use common::{write, write_skeleton};

const SITE: &str = "title: \"Fuzz\"\nbase_url: \"https://test.example/\"\n";

/// A small valid site whose `content/temoignages/fuzz.md` the tests replace.
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(&root, SITE);
    write(
        &root.join("content/programmes/vis-mon-job.md"),
        "---\ntitle: Vis mon job\norganiser: DINUM\n---\n## Comment participer\n",
    );
    // Links to the fuzzed page, so its failures meet link checking too.
    write(
        &root.join("content/temoignages/autre.md"),
        "---\ntitle: Autre\ndate: 2021-01-01\nauthor:\n  name: Zoé\n---\nVoir [f](@/temoignages/fuzz.md) et [g](@/temoignages/fuzz.md#titre).\n",
    );
    write(&root.join("content/temoignages/fuzz.md"), GOOD);
    (dir, root)
}

const GOOD: &str =
    "---\ntitle: Stage\ndate: 2021-03-01\nauthor:\n  name: Léa\n---\n## Titre\n\nTexte.\n";

/// Builds without writing; panics (failing the property) if the build
/// panicked, or failed without a located, renderable explanation.
fn check(root: &Path) -> Result<(), TestCaseError> {
    let options = BuildOptions {
        write: false,
        ..BuildOptions::new(root)
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| build(&options)));
    let outcome = outcome.map_err(|_| TestCaseError::fail("the build panicked"))?;
    let rendered = catch_unwind(AssertUnwindSafe(|| outcome.report.render(false)))
        .map_err(|_| TestCaseError::fail("rendering the diagnostics panicked"))?;
    if outcome.report.has_errors() {
        prop_assert!(rendered.contains("erreur"), "{rendered}");
        for d in outcome.report.items().iter().filter(|d| d.is_error()) {
            prop_assert!(!d.message.trim().is_empty(), "{d:?}");
            let location = d.location.as_ref();
            prop_assert!(location.is_some(), "no file named: {d:?}");
            let file = &location.unwrap().file;
            prop_assert!(file.is_relative(), "absolute path shown: {d:?}");
        }
    } else {
        prop_assert!(outcome.pages > 0);
    }
    Ok(())
}

/// Text made of what breaks YAML and Markdown most: quotes, brackets,
/// indentation, tabs, colons, anchors, fences and accents.
fn yamlish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("title: ".to_string()),
            Just("date: 2020-02-30".to_string()),
            Just("author:\n  name: ".to_string()),
            Just("  photo: p.png".to_string()),
            Just("consent:\n  minor: true".to_string()),
            Just("slug: ".to_string()),
            Just("kind: ".to_string()),
            Just("tags: [".to_string()),
            Just("extra:\n".to_string()),
            Just("- ".to_string()),
            Just("&a ".to_string()),
            Just("*a".to_string()),
            Just("---".to_string()),
            Just("\t".to_string()),
            Just("\r\n".to_string()),
            Just("\u{feff}".to_string()),
            "[\"':\\[\\]{}#|>!%@`,&*?\\- \n]{1,4}",
            "[a-zé0-9_ ]{0,12}",
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

/// A YAML scalar of any type a field might wrongly get.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "\"[a-zé ]{0,8}\"",
        "[a-z]{1,8}",
        "-?[0-9]{1,4}",
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]",
        Just("true".to_string()),
        Just("null".to_string()),
        Just("[]".to_string()),
        Just("[a, \"b\"]".to_string()),
        Just("{x: 1}".to_string()),
        Just("on-site".to_string()),
        Just("testimonial".to_string()),
        Just("programme".to_string()),
        Just("vis-mon-job".to_string()),
        Just("../../site.yaml".to_string()),
        Just("p.png".to_string()),
        Just("\"\"".to_string()),
    ]
}

/// Block-style YAML of known and unknown keys with values of any type,
/// one level of nesting: valid YAML, so the typed reading is what is tested.
fn mapping(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let key = prop::sample::select(keys);
    let entry = (
        key.clone(),
        prop_oneof![
            value().prop_map(|v| format!(" {v}")),
            prop::collection::vec((key, value()), 0..4).prop_map(|inner| {
                inner
                    .iter()
                    .map(|(k, v)| format!("\n  {k}: {v}"))
                    .collect::<String>()
            }),
        ],
    );
    prop::collection::vec(entry, 0..10).prop_map(|entries| {
        entries
            .iter()
            .map(|(k, v)| format!("{k}:{v}\n"))
            .collect::<String>()
    })
}

const PAGE_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "author",
    "name",
    "photo",
    "photo_alt",
    "programme",
    "organisation",
    "level",
    "format",
    "duration",
    "quote",
    "summary",
    "tags",
    "consent",
    "obtained",
    "expires",
    "withdrawn",
    "minor",
    "guardian",
    "draft",
    "slug",
    "weight",
    "template",
    "extra",
    "kind",
    "sort_by",
    "paginate_by",
    "organiser",
    "edition",
    "auteur",
];

const SITE_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "theme",
    "relative_urls",
    "paginate_by",
    "taxonomies",
    "feed",
    "search",
    "extra",
    "titel",
];

fn markdownish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("[lien](@/temoignages/fuzz.md#titre)".to_string()),
            Just("[x](@/".to_string()),
            Just("](@/../site.yaml)".to_string()),
            Just("![img](../../site.yaml)".to_string()),
            Just("## Titre {#".to_string()),
            Just("```\n".to_string()),
            Just("<div>".to_string()),
            Just("| a | b |\n|---|---|\n".to_string()),
            Just("[^1]\n\n[^1]: note\n".to_string()),
            Just("- [ ] ".to_string()),
            Just(" : ; ! ? « » ... ".to_string()),
            "[\\[\\]()#@/*_`<>!|\\-\n ]{1,6}",
            "[a-zA-Zéà€ ]{0,16}",
        ],
        0..32,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_as_a_content_file(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        let (_dir, root) = site();
        std::fs::write(root.join("content/temoignages/fuzz.md"), &bytes).unwrap();
        check(&root)?;
    }

    #[test]
    fn any_front_matter(
        yaml in yamlish(),
        raw in any::<String>(),
        fields in mapping(PAGE_KEYS),
        pick in 0..3u8,
    ) {
        let (_dir, root) = site();
        let yaml = match pick {
            0 => yaml,
            1 => raw,
            _ => fields,
        };
        write(&root.join("content/temoignages/fuzz.md"), &format!("---\n{yaml}\n---\nTexte.\n"));
        // The same text as a section's front matter.
        write(&root.join("content/temoignages/_index.md"), &format!("---\n{yaml}\n---\n"));
        check(&root)?;
    }

    #[test]
    fn any_markdown_body(body in markdownish()) {
        let (_dir, root) = site();
        write(&root.join("content/temoignages/fuzz.md"), &format!("{GOOD}{body}\n"));
        check(&root)?;
    }

    #[test]
    fn any_site_yaml(
        yaml in yamlish(),
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        fields in mapping(SITE_KEYS),
        pick in 0..3u8,
    ) {
        let (_dir, root) = site();
        match pick {
            0 => write(&root.join("site.yaml"), &format!("{SITE}{yaml}\n")),
            1 => std::fs::write(root.join("site.yaml"), &bytes).unwrap(),
            _ => write(&root.join("site.yaml"), &fields),
        }
        check(&root)?;
    }
}

#[test]
fn the_base_site_builds() {
    let (_dir, root) = site();
    let outcome = build(&BuildOptions {
        write: false,
        ..BuildOptions::new(&root)
    });
    assert!(
        !outcome.report.has_errors(),
        "{}",
        outcome.report.render(false)
    );
}
