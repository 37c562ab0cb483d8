//! No input makes the build panic: arbitrary bytes as a content file, as its
//! front matter, as its body, as a section's front matter and as `site.yaml`
//! go through the whole pipeline (library call, nothing written), and a
//! failed build always explains itself with located diagnostics that render.
//!
//! Pages and sections are fuzzed apart: a broken section leaves its pages
//! unchecked, so the testimonial rules (consent, minors, photos, programme)
//! are fuzzed with fuzzed testimonials in a valid `kind: testimonial`
//! section, and that test asserts it reached them.
//!
//! Every test is seeded (the same cases on every run) and bounded by a count
//! of cases, not by a timer. Dates in the fuzzed consents are far in the past
//! or the future, so which are expired does not depend on the real date.

mod common;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{RngSeed, TestRunner};
use vitrine::diagnostics::Lang;
use vitrine::site::{build, BuildOptions};

use common::{write, write_png, write_skeleton};

/// Seeded, without saved failures, and counted: the same `cases` on every
/// run and machine.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x5eed_f022_0014),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

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

/// What a checked build gave.
struct Checked {
    built: bool,
    /// Codes of every diagnostic, warnings included.
    codes: Vec<&'static str>,
    /// Files named by the errors, relative to the site.
    error_files: Vec<PathBuf>,
}

/// Builds without writing; fails the property if the build panicked, or
/// failed without a located, renderable explanation.
fn check(root: &Path) -> Result<Checked, TestCaseError> {
    let options = BuildOptions {
        write: false,
        ..BuildOptions::new(root)
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| build(&options)));
    let outcome = outcome.map_err(|_| TestCaseError::fail("the build panicked"))?;
    let rendered = catch_unwind(AssertUnwindSafe(|| {
        // Both languages are rendered: either may hold a bad value.
        let english = outcome.report.render(false, Lang::En);
        assert_eq!(english.is_empty(), outcome.report.items().is_empty());
        outcome.report.render(false, Lang::Fr)
    }))
    .map_err(|_| TestCaseError::fail("rendering the diagnostics panicked"))?;
    if outcome.report.has_errors() {
        prop_assert!(rendered.contains("erreur"), "{rendered}");
        for d in outcome.report.items().iter().filter(|d| d.is_error()) {
            for lang in [Lang::Fr, Lang::En] {
                prop_assert!(!d.message.get(lang).trim().is_empty(), "{d:?}");
            }
            let location = d.location.as_ref();
            prop_assert!(location.is_some(), "no file named: {d:?}");
            let file = &location.unwrap().file;
            prop_assert!(file.is_relative(), "absolute path shown: {d:?}");
        }
    } else {
        prop_assert!(outcome.pages > 0);
    }
    let items = outcome.report.items();
    Ok(Checked {
        built: !outcome.report.has_errors(),
        codes: items.iter().map(|d| d.code).collect(),
        error_files: items
            .iter()
            .filter(|d| d.is_error())
            .filter_map(|d| d.location.as_ref().map(|l| l.file.clone()))
            .collect(),
    })
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
    #![proptest_config(config(40))]

    #[test]
    fn any_bytes_as_a_content_file(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        let (_dir, root) = site();
        std::fs::write(root.join("content/temoignages/fuzz.md"), &bytes).unwrap();
        check(&root)?;
    }

    /// A page's front matter; its section stays valid.
    #[test]
    fn any_page_front_matter(
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

/// Runs `test` on `cases` seeded values of `strategy`; fails with the
/// smallest failing value proptest finds.
fn run<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(config(cases));
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
}

/// What a series of checked builds met.
#[derive(Default)]
struct Tally {
    cases: usize,
    built: usize,
    codes: BTreeSet<&'static str>,
}

impl Tally {
    fn add(&mut self, checked: &Checked) {
        self.cases += 1;
        self.built += usize::from(checked.built);
        self.codes.extend(checked.codes.iter().copied());
    }
}

/// Front-matter text of one field, if present: after `key: `, a scalar or
/// an indented block (`\n  sub: value`).
type Field = Option<String>;

/// One of `items`, as a `String`.
fn one_of(items: &'static [&'static str]) -> BoxedStrategy<String> {
    prop::sample::select(items).prop_map(str::to_string).boxed()
}

/// One of `valid`; with `mistakes`, sometimes one of `wrong` or a value of
/// any type instead.
fn pick(
    mistakes: bool,
    valid: &'static [&'static str],
    wrong: &'static [&'static str],
) -> BoxedStrategy<String> {
    if mistakes {
        prop_oneof![3 => one_of(valid), 1 => one_of(wrong), 1 => value()].boxed()
    } else {
        one_of(valid)
    }
}

/// `value` present with probability `p`, always when a required field is
/// written without mistakes.
fn field(
    p: f64,
    required: bool,
    mistakes: bool,
    value: BoxedStrategy<String>,
) -> BoxedStrategy<Field> {
    if required && !mistakes {
        value.prop_map(Some).boxed()
    } else if p <= 0.0 {
        Just(None).boxed()
    } else {
        prop::option::weighted(if required { 0.9 } else { p }, value).boxed()
    }
}

/// `key: value` lines of a block, in order, for the fields present.
fn block(indent: &str, fields: &[(&str, &Field)]) -> String {
    let text: String = fields
        .iter()
        .filter_map(|(key, value)| value.as_ref().map(|v| format!("\n{indent}{key}: {v}")))
        .collect();
    if indent.is_empty() {
        text.trim_start_matches('\n').to_string()
    } else {
        text
    }
}

fn date(mistakes: bool) -> BoxedStrategy<String> {
    pick(
        mistakes,
        &["2021-03-01", "2021-03-01T10:30:00", "2019-09-12"],
        &["2020-02-30", "12/09/2021", "\"\""],
    )
}

/// A consent date: long past or far ahead (or wrong).
fn consent_date(mistakes: bool) -> BoxedStrategy<String> {
    pick(
        mistakes,
        &["2001-01-01", "2011-06-30", "2199-12-31"],
        &["2020-02-30", "demain"],
    )
}

fn boolish(mistakes: bool) -> BoxedStrategy<String> {
    pick(mistakes, &["true", "false"], &["oui", "1", "null"])
}

fn text(mistakes: bool) -> BoxedStrategy<String> {
    pick(
        mistakes,
        &["\"Stage : « super » !\"", "Mon stage", "'l''été'"],
        &["\"\"", "\"  \""],
    )
}

/// `author:`; a photo is always a file of the bundle with its text
/// alternative when written without mistakes.
fn author(mistakes: bool, bundle: bool) -> BoxedStrategy<String> {
    let name = pick(
        mistakes,
        &["Léa Martin", "Zoé", "\"Jean-Pierre de La Fontaine\""],
        &["\"  \"", "\"\""],
    );
    let photo: BoxedStrategy<(Field, Field)> = if mistakes {
        (
            prop::option::weighted(
                0.5,
                pick(
                    true,
                    &["photo.png"],
                    &[
                        "broken.png",
                        "absente.png",
                        "../../site.yaml",
                        "/etc/hostname",
                        "\"\"",
                    ],
                ),
            ),
            prop::option::weighted(
                0.6,
                pick(true, &["\"Portrait de Léa\""], &["\"\"", "\"  \""]),
            ),
        )
            .boxed()
    } else if bundle {
        prop_oneof![
            Just((None, None)),
            Just((
                Some("photo.png".to_string()),
                Some("\"Portrait de Léa\"".to_string())
            )),
        ]
        .boxed()
    } else {
        Just((None, None)).boxed()
    };
    let map = (
        field(0.9, true, mistakes, name),
        field(0.3, false, mistakes, text(mistakes)),
        field(0.3, false, mistakes, text(mistakes)),
        photo,
    )
        .prop_map(|(name, role, school, (photo, alt))| {
            block(
                "  ",
                &[
                    ("name", &name),
                    ("role", &role),
                    ("school", &school),
                    ("photo", &photo),
                    ("photo_alt", &alt),
                ],
            )
        });
    if mistakes {
        prop_oneof![8 => map, 1 => value()].boxed()
    } else {
        map.boxed()
    }
}

/// `consent:`; without mistakes, a minor always has a guardian's consent.
fn consent(mistakes: bool) -> BoxedStrategy<String> {
    let minor: BoxedStrategy<(Field, Field)> = if mistakes {
        (
            prop::option::weighted(0.5, boolish(true)),
            prop::option::weighted(0.4, boolish(true)),
        )
            .boxed()
    } else {
        prop_oneof![
            Just((None, None)),
            Just((Some("false".to_string()), None)),
            Just((Some("true".to_string()), Some("true".to_string()))),
        ]
        .boxed()
    };
    let map = (
        field(0.6, false, mistakes, consent_date(mistakes)),
        field(0.5, false, mistakes, consent_date(mistakes)),
        field(0.25, false, mistakes, consent_date(mistakes)),
        minor,
    )
        .prop_map(|(obtained, expires, withdrawn, (minor, guardian))| {
            block(
                "  ",
                &[
                    ("obtained", &obtained),
                    ("expires", &expires),
                    ("withdrawn", &withdrawn),
                    ("minor", &minor),
                    ("guardian", &guardian),
                ],
            )
        });
    if mistakes {
        prop_oneof![6 => map, 1 => value()].boxed()
    } else {
        map.boxed()
    }
}

fn tags(mistakes: bool) -> BoxedStrategy<String> {
    pick(
        mistakes,
        &[
            "[Numérique, École]",
            "[numerique, Numérique, NUMÉRIQUE]",
            "[]",
            "\n  - Santé\n  - école",
        ],
        &["\n  - [x, y]", "Numérique", "[\"\", \" \"]"],
    )
}

/// The front matter of a testimonial: with `mistakes`, each field is
/// sometimes missing, wrong or of a wrong type; without, it is valid.
fn testimonial_front_matter(mistakes: bool, bundle: bool) -> BoxedStrategy<String> {
    let m = mistakes;
    let head = (
        field(0.95, true, m, text(m)),
        field(0.9, true, m, date(m)),
        field(0.2, false, m, date(m)),
        field(0.95, true, m, author(m, bundle)),
        field(
            0.5,
            false,
            m,
            pick(
                m,
                &["vis-mon-job"],
                &["vis-mon-jobb", "Vis mon job", "inconnu"],
            ),
        ),
        field(0.6, false, m, consent(m)),
    );
    let tail = (
        field(0.5, false, m, tags(m)),
        field(
            0.3,
            false,
            m,
            pick(m, &["on-site", "remote", "hybrid"], &["sur site"]),
        ),
        field(0.3, false, m, text(m)),
        field(0.3, false, m, text(m)),
        field(0.15, false, m, boolish(m)),
        // Two pages of one slug clash: slugs only with mistakes.
        field(
            if m { 0.15 } else { 0.0 },
            false,
            m,
            pick(m, &["mon-stage"], &["t0", "Été 2021", "../x"]),
        ),
        field(0.1, false, m, pick(m, &["1", "-3"], &["deux"])),
        field(
            if m { 0.05 } else { 0.0 },
            false,
            m,
            one_of(&["Léa", "\n  x: 1"]),
        ),
    );
    (head, tail)
        .prop_map(
            |(
                (title, date, updated, author, programme, consent),
                (tags, format, quote, summary, draft, slug, weight, auteur),
            )| {
                block(
                    "",
                    &[
                        ("title", &title),
                        ("date", &date),
                        ("updated", &updated),
                        ("author", &author),
                        ("programme", &programme),
                        ("consent", &consent),
                        ("tags", &tags),
                        ("format", &format),
                        ("quote", &quote),
                        ("summary", &summary),
                        ("draft", &draft),
                        ("slug", &slug),
                        ("weight", &weight),
                        ("auteur", &auteur),
                    ],
                )
            },
        )
        .boxed()
}

/// A body with links and images: bundle files, pages, anchors, external,
/// root-relative; with `mistakes`, missing ones and Markdown of any kind.
fn testimonial_body(mistakes: bool, bundle: bool) -> BoxedStrategy<String> {
    let anywhere: &'static [&'static str] = &[
        "[programme](@/programmes/vis-mon-job.md#comment-participer)",
        "[section](@/temoignages/_index.md)",
        "[ext](https://ex.fr/a?b=c)",
        "[racine](/programmes/vis-mon-job/)",
        "## Titre\n\n",
        "\n\n",
        "Il a dit \"oui\" : c'est l'été !",
    ];
    let in_bundle: &'static [&'static str] = &[
        "![Portrait](photo.png)",
        "<img src=\"photo.png\" alt=\"\">",
        "[fiche](fiche.pdf)",
        "[programme](@/programmes/vis-mon-job.md)",
        "## Titre\n\n",
    ];
    let wrong = one_of(&[
        "![](broken.png)",
        "![x](absente.png)",
        "[ancre](@/programmes/vis-mon-job.md#nulle-part)",
        "[t0](@/temoignages/t0.md)",
        "[t1](@/temoignages/t1/index.md#titre)",
        "[absent](@/temoignages/absent.md)",
        "![Portrait](photo.png)",
        "[fiche](fiche.pdf)",
    ]);
    let valid = if bundle {
        prop_oneof![one_of(anywhere), one_of(in_bundle)].boxed()
    } else {
        one_of(anywhere)
    };
    let part = if mistakes {
        prop_oneof![2 => valid, 1 => wrong, 1 => markdownish()].boxed()
    } else {
        valid
    };
    prop::collection::vec(part, 0..8)
        .prop_map(|parts| parts.join(" "))
        .boxed()
}

/// A fuzzed testimonial: its front matter and body, and whether it is a
/// bundle (`tN/index.md` with `photo.png`, `broken.png` and `fiche.pdf`
/// beside it) or a lone file (`tN.md`).
#[derive(Debug, Clone)]
struct Testimonial {
    front_matter: String,
    body: String,
    bundle: bool,
}

/// One to three testimonials, each written with mistakes or without.
fn testimonials() -> impl Strategy<Value = Vec<Testimonial>> {
    let one = (any::<bool>(), any::<bool>()).prop_flat_map(|(mistakes, bundle)| {
        (
            testimonial_front_matter(mistakes, bundle),
            testimonial_body(mistakes, bundle),
        )
            .prop_map(move |(front_matter, body)| Testimonial {
                front_matter,
                body,
                bundle,
            })
    });
    prop::collection::vec(one, 1..4)
}

/// A site with a valid testimonial section and programme, and `pages` as
/// its testimonials `t0`, `t1`…
fn testimonial_site(pages: &[Testimonial]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(&root, SITE);
    write(
        &root.join("content/programmes/vis-mon-job.md"),
        "---\ntitle: Vis mon job\norganiser: DINUM\n---\n## Comment participer\n",
    );
    for (i, page) in pages.iter().enumerate() {
        let text = format!("---\n{}\n---\n{}\n", page.front_matter, page.body);
        if page.bundle {
            let bundle = root.join(format!("content/temoignages/t{i}"));
            write(&bundle.join("index.md"), &text);
            write_png(&bundle.join("photo.png"), 4, 3);
            write(&bundle.join("broken.png"), "pas une image");
            write(&bundle.join("fiche.pdf"), "%PDF-1.4\n");
        } else {
            write(&root.join(format!("content/temoignages/t{i}.md")), &text);
        }
    }
    (dir, root)
}

/// The testimonial rules a fuzzed testimonial must reach (the codes of their
/// diagnostics), when its section is valid.
const TESTIMONIAL_RULES: &[&str] = &[
    "minor-without-guardian",
    "photo-without-alt",
    "photo-missing",
    "unknown-programme",
    "consent-expired",
    "consent-withdrawn",
    "missing-field",
    "wrong-type",
    "bad-date",
    "broken-link",
    "broken-anchor",
];

/// Cases of the fuzzed testimonials; at least this share must build.
const TESTIMONIAL_CASES: u32 = 120;
const TESTIMONIALS_BUILT_PERCENT: usize = 15;

/// Fuzzed testimonials in a valid `kind: testimonial` section: no panic,
/// every failure explained, and the fuzzing met both sites that build and
/// every testimonial rule broken.
#[test]
fn fuzzed_testimonials_in_a_valid_section() {
    let tally = RefCell::new(Tally::default());
    run(TESTIMONIAL_CASES, testimonials(), |pages| {
        let (_dir, root) = testimonial_site(&pages);
        let checked = check(&root)?;
        tally.borrow_mut().add(&checked);
        Ok(())
    });
    let tally = tally.into_inner();
    eprintln!(
        "{} cases, {} built; codes met: {:?}",
        tally.cases, tally.built, tally.codes
    );
    assert!(
        tally.built * 100 >= tally.cases * TESTIMONIALS_BUILT_PERCENT,
        "only {} of {} cases built: what follows a successful read is barely fuzzed",
        tally.built,
        tally.cases
    );
    let missed: Vec<&&str> = TESTIMONIAL_RULES
        .iter()
        .filter(|code| !tally.codes.contains(**code))
        .collect();
    assert!(
        missed.is_empty(),
        "never reached: {missed:?} (met: {:?})",
        tally.codes
    );
}

const SECTION_KEYS: &[&str] = &[
    "title",
    "kind",
    "sort_by",
    "paginate_by",
    "description",
    "template",
    "weight",
    "extra",
    "date",
    "author",
    "type",
];

/// A section's front matter: with `mistakes`, each field sometimes wrong;
/// without, a valid `kind: testimonial` section.
fn section_front_matter(mistakes: bool) -> BoxedStrategy<String> {
    let m = mistakes;
    (
        field(
            0.9,
            false,
            m,
            pick(m, &["Témoignages", "'Été : 2021'"], &["\"\""]),
        ),
        field(
            0.9,
            true,
            m,
            pick(
                m,
                &["testimonial"],
                &["programme", "page", "témoignage", "blog", "\"\""],
            ),
        ),
        field(
            0.4,
            false,
            m,
            pick(m, &["date", "title", "weight"], &["datte", "random"]),
        ),
        field(
            0.3,
            false,
            m,
            pick(m, &["1", "12"], &["0", "-1", "100000000000000000000"]),
        ),
        field(0.3, false, m, text(m)),
        field(
            0.2,
            false,
            m,
            pick(m, &["section.html"], &["absent.html", "../x.html"]),
        ),
        field(
            if m { 0.1 } else { 0.0 },
            false,
            m,
            one_of(&["Léa", "\n  x: 1"]),
        ),
    )
        .prop_map(
            |(title, kind, sort_by, paginate_by, description, template, unknown)| {
                block(
                    "",
                    &[
                        ("title", &title),
                        ("kind", &kind),
                        ("sort_by", &sort_by),
                        ("paginate_by", &paginate_by),
                        ("description", &description),
                        ("template", &template),
                        ("auteur", &unknown),
                    ],
                )
            },
        )
        .boxed()
}

/// A section's front matter fuzzed, its page valid: any text, known keys with
/// values of any type, plausible ones with or without mistakes. No panic,
/// every failure explained, and the fuzzing met both sections that build and
/// sections refused with an error located in them.
#[test]
fn any_section_front_matter() {
    const CASES: u32 = 80;
    let strategy = prop_oneof![
        yamlish(),
        any::<String>(),
        mapping(SECTION_KEYS),
        section_front_matter(true),
        section_front_matter(false),
    ];
    let section = Path::new("content/temoignages/_index.md");
    let (built, refused) = (RefCell::new(0), RefCell::new(0));
    run(CASES, strategy, |yaml| {
        let (_dir, root) = site();
        write(&root.join(section), &format!("---\n{yaml}\n---\n"));
        let checked = check(&root)?;
        if checked.built {
            *built.borrow_mut() += 1;
        } else if checked.error_files.iter().any(|f| f == section) {
            *refused.borrow_mut() += 1;
        }
        Ok(())
    });
    let (built, refused) = (built.into_inner(), refused.into_inner());
    eprintln!("{CASES} sections: {built} built, {refused} refused with an error in the section");
    assert!(built >= 8, "only {built} fuzzed sections built");
    assert!(
        refused >= 8,
        "only {refused} fuzzed sections were refused in their own file"
    );
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
        outcome.report.render(false, Lang::Fr)
    );
}
