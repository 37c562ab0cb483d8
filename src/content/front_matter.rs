//! Front matter: splitting it from the body and reading it into typed values.
//!
//! Every field is declared in [`crate::schema`] and read here through its
//! entry, into the typed values of each kind of page.

use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::choice_field;
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Location};
use crate::fields::{Choice, Fields, KeyPlaces, Positive, YamlSource};
use crate::i18n;
use crate::schema::{self, Scope};
use crate::yaml;

/// What a section holds; decides which fields its pages have and which
/// template renders them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Testimonial,
    Programme,
    Page,
}

impl Choice for Kind {
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("testimonial", Kind::Testimonial),
        ("programme", Kind::Programme),
        ("page", Kind::Page),
    ];
}
choice_field!(Kind);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Format {
    #[serde(rename = "on-site")]
    OnSite,
    #[serde(rename = "remote")]
    Remote,
    #[serde(rename = "hybrid")]
    Hybrid,
}

impl Choice for Format {
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("on-site", Format::OnSite),
        ("remote", Format::Remote),
        ("hybrid", Format::Hybrid),
    ];
}
choice_field!(Format);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    Date,
    Title,
    Weight,
}

impl Choice for SortBy {
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("date", SortBy::Date),
        ("title", SortBy::Title),
        ("weight", SortBy::Weight),
    ];
}
choice_field!(SortBy);

/// Fields every page has.
#[derive(Debug, Clone, Default)]
pub struct Common {
    pub title: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub summary: Option<String>,
    pub draft: bool,
    pub slug: Option<String>,
    pub weight: Option<i64>,
    pub template: Option<String>,
    pub tags: Vec<String>,
    pub extra: Map<String, Value>,
    /// Fields declared in the schema without a typed field here, by name
    /// (`null` when absent): a new field reaches templates through this
    /// without a Rust change ([`Fields::read_untyped`]).
    pub declared: Map<String, Value>,
}

#[derive(Debug, Clone, Default)]
pub struct Author {
    pub name: String,
    pub role: Option<String>,
    pub school: Option<String>,
    /// File name inside the page bundle.
    pub photo: Option<String>,
    pub photo_alt: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Consent {
    pub obtained: Option<Date>,
    pub expires: Option<Date>,
    pub withdrawn: Option<Date>,
    pub minor: bool,
    pub guardian: bool,
    /// Phrases where a minor's surname is an ordinary word and not her or
    /// his name (`surname_ok: ["petit déjeuner"]`), accepted as written.
    pub surname_ok: Vec<String>,
    /// Fields written but unreadable (`minor: oui`), reported as errors:
    /// the register shows them as unknown, and an unknown `minor` counts
    /// as a minor for the name.
    pub unread: Vec<&'static str>,
}

#[derive(Debug, Clone, Default)]
pub struct Testimonial {
    pub author: Author,
    /// Slug of a programme page (checked once every page is loaded).
    pub programme: Option<String>,
    pub organisation: Option<String>,
    pub level: Option<String>,
    pub format: Option<Format>,
    pub duration: Option<String>,
    pub quote: Option<String>,
    pub consent: Option<Consent>,
}

#[derive(Debug, Clone, Default)]
pub struct Programme {
    pub organiser: String,
    pub partners: Vec<String>,
    pub audience: Option<String>,
    pub format: Option<Format>,
    pub duration: Option<String>,
    pub location: Option<String>,
    pub edition: Option<i64>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub apply_url: Option<String>,
    pub contact: Option<String>,
    /// File name inside the page bundle.
    pub cover: Option<String>,
    pub cover_alt: Option<String>,
}

/// The kind-specific part of a page.
#[derive(Debug, Clone)]
pub enum Details {
    Testimonial(Testimonial),
    Programme(Programme),
    Page,
}

#[derive(Debug, Clone)]
pub struct PageMeta {
    pub common: Common,
    pub details: Details,
    /// Problems that do not stop the page (curly quotes taken off a value),
    /// reported with the publication rules at every build.
    pub warnings: Vec<Diagnostic>,
}

/// Front matter of a section's `_index.md` (and of the home page).
#[derive(Debug, Clone, Default)]
pub struct SectionMeta {
    pub title: Option<String>,
    pub kind: Option<Kind>,
    pub sort_by: Option<SortBy>,
    pub paginate_by: Option<usize>,
    pub description: Option<String>,
    pub template: Option<String>,
    pub weight: Option<i64>,
    pub extra: Map<String, Value>,
    /// File name in the section's folder (`content/` for the home page).
    pub cover: Option<String>,
    pub cover_alt: Option<String>,
}

/// A Markdown file cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text (empty when there is no front matter).
    pub yaml: &'a str,
    /// 1-based line of the YAML's first line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line where the body starts.
    pub body_line: usize,
    pub has_front_matter: bool,
}

/// The front matter opens with `---` and never closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unclosed;

/// Cuts `---`-fenced front matter from `text` (already without BOM, with `\n`
/// line ends). A file without a first `---` line is all body; an opening
/// fence without a closing one is an error.
pub fn split(text: &str) -> Result<Split<'_>, Unclosed> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Ok(Split {
            yaml: "",
            yaml_line: 1,
            body: text,
            body_line: 1,
            has_front_matter: false,
        });
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let current = text[offset..end].trim_end();
        if current == "---" || current == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
                has_front_matter: true,
            });
        }
        offset = end + 1;
        line += 1;
    }
    Err(Unclosed)
}

/// Lines of a body warned about their control characters, at most: a text
/// pasted from a word processor may hold one on every line.
const MAX_CONTROL_LINES: usize = 10;

/// The lines of `body` with control characters ([`yaml::is_control`]):
/// (0-based line, 1-based column of the first, each character once).
fn body_controls(body: &str) -> impl Iterator<Item = (usize, usize, Vec<char>)> + '_ {
    body.split('\n')
        .enumerate()
        .filter_map(|(n, line)| {
            let column = line.chars().position(yaml::is_control)?;
            let mut found: Vec<char> = Vec::new();
            for c in line.chars().filter(|c| yaml::is_control(*c)) {
                if !found.contains(&c) {
                    found.push(c);
                }
            }
            Some((n, column + 1, found))
        })
        .take(MAX_CONTROL_LINES)
}

/// `body` with each control character replaced by as many spaces as it has
/// bytes: the HTML stays valid, and every byte offset (for the lines of
/// messages) stays where it was. Called on a body before rendering it.
pub fn without_controls(body: &str) -> std::borrow::Cow<'_, str> {
    if !body.contains(yaml::is_control) {
        return body.into();
    }
    body.chars()
        .map(|c| {
            if yaml::is_control(c) {
                " ".repeat(c.len_utf8())
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Where a file's text and front matter sit, for messages.
pub struct FileText<'a> {
    pub shown: &'a Path,
    pub text: &'a str,
    pub split: &'a Split<'a>,
}

impl FileText<'_> {
    /// The YAML read as far as it goes: every syntax mistake as a
    /// diagnostic, and the value of the other lines (`None` when nothing
    /// could be read).
    fn parse_yaml(&self) -> (Option<Value>, Vec<Diagnostic>, YamlSource<'_>) {
        let read = yaml::parse_recovering(self.split.yaml, self.split.yaml_line);
        let diagnostics = read
            .errors
            .iter()
            .map(|e| {
                let line = self.split.yaml_line + e.line - 1;
                Diagnostic::yaml(
                    e,
                    Location::in_text(self.shown, self.text, line, e.column, 1),
                )
            })
            .collect();
        let source = self
            .source()
            .with_blanked(read.blanked_keys, read.blanked_unknown);
        (read.value, diagnostics, source)
    }

    /// Warnings about what the reading took care of: keys written with an
    /// invisible character (`title\u{a0}:`), control characters in the body.
    fn invisible_characters(&self) -> Vec<Diagnostic> {
        let keys = yaml::invisible_in_keys(self.split.yaml)
            .into_iter()
            .map(|k| {
                let line = self.split.yaml_line + k.line - 1;
                Diagnostic::warning(
                    "invisible-character",
                    i18n::invisible_in_key(&k.key, i18n::char_name(k.character)),
                )
                .at(Location::in_text(self.shown, self.text, line, k.column, 1))
                .help(i18n::hint_invisible_in_key(&k.fix))
            });
        let body = body_controls(self.split.body).map(|(n, column, found)| {
            let line = self.split.body_line + n;
            let names: Vec<_> = found.into_iter().map(i18n::char_name).collect();
            Diagnostic::warning("control-character", i18n::body_control_characters(&names))
                .at(Location::in_text(self.shown, self.text, line, column, 1))
                .help(i18n::hint_body_control_character())
        });
        keys.chain(body).collect()
    }

    fn source(&self) -> YamlSource<'_> {
        YamlSource::new(self.shown, self.text, self.split.yaml, self.split.yaml_line)
    }
}

/// A page's front matter read as far as it goes.
#[derive(Debug)]
pub struct PageRead {
    /// What could be read; defaults where a field was wrong or unreadable.
    /// Enough to check the page's relations (`programme:`, photo) and its
    /// links in the same run, never to publish it.
    pub meta: PageMeta,
    /// Every problem found; the page is valid when there is none.
    pub diagnostics: Vec<Diagnostic>,
    /// Where its keys are, for checks made later.
    pub keys: KeyPlaces,
}

/// Reads a page's front matter as a page of `kind` (tests: the loader
/// keeps what could be read of a page with errors, [`read_page_parts`]).
#[cfg(test)]
pub fn read_page(file: &FileText, kind: Kind) -> Result<PageMeta, Vec<Diagnostic>> {
    let read = read_page_parts(file, kind);
    if read.diagnostics.is_empty() {
        Ok(read.meta)
    } else {
        Err(read.diagnostics)
    }
}

/// Like [`read_page`], keeping what could be read: a YAML mistake on one
/// line does not hide the mistakes of the other fields.
pub fn read_page_parts(file: &FileText, kind: Kind) -> PageRead {
    let empty = || PageMeta {
        common: Common::default(),
        details: match kind {
            Kind::Testimonial => Details::Testimonial(Testimonial::default()),
            Kind::Programme => Details::Programme(Programme::default()),
            Kind::Page => Details::Page,
        },
        warnings: Vec::new(),
    };
    if !file.split.has_front_matter {
        return PageRead {
            meta: empty(),
            diagnostics: vec![
                Diagnostic::error("no-front-matter", i18n::front_matter_missing())
                    .at(Location::in_text(file.shown, file.text, 1, 1, 0))
                    .help(i18n::hint_front_matter_missing()),
            ],
            keys: KeyPlaces::default(),
        };
    }
    let (value, mut diagnostics, source) = file.parse_yaml();
    let noticed = file.invisible_characters();
    let Some(value) = value else {
        return PageRead {
            meta: PageMeta {
                warnings: noticed,
                ..empty()
            },
            diagnostics,
            keys: source.places().clone(),
        };
    };
    let mut f = match Fields::new(&source, value) {
        Ok(f) => f.unquoting().in_scope(Scope::of(kind)),
        Err(d) => {
            diagnostics.push(d);
            return PageRead {
                meta: PageMeta {
                    warnings: noticed,
                    ..empty()
                },
                diagnostics,
                keys: source.places().clone(),
            };
        }
    };
    let mut common = read_common(&mut f);
    let details = match kind {
        Kind::Testimonial => Details::Testimonial(read_testimonial(&mut f)),
        Kind::Programme => Details::Programme(read_programme(&mut f)),
        Kind::Page => Details::Page,
    };
    if schema::TAGS.is_in(Scope::of(kind)) {
        common.tags = f.read_or_default(&schema::TAGS);
    }
    common.declared = f.read_untyped();
    // Warnings (curly quotes taken off a value) do not stop the page.
    let (mut warnings, errors): (Vec<Diagnostic>, Vec<Diagnostic>) =
        f.finish().into_iter().partition(|d| !d.is_error());
    diagnostics.extend(errors);
    warnings.extend(noticed);
    PageRead {
        meta: PageMeta {
            common,
            details,
            warnings,
        },
        diagnostics,
        keys: source.places().clone(),
    }
}

fn read_common(f: &mut Fields) -> Common {
    Common {
        title: f.read(&schema::TITLE).unwrap_or_default(),
        date: f.read(&schema::DATE),
        updated: f.read(&schema::UPDATED),
        summary: f.read(&schema::SUMMARY),
        draft: f.read_or_default(&schema::DRAFT),
        slug: f.read(&schema::SLUG),
        weight: f.read(&schema::WEIGHT),
        template: f.read(&schema::TEMPLATE),
        tags: Vec::new(),
        extra: f.read_or_default(&schema::EXTRA),
        declared: Map::new(),
    }
}

fn read_testimonial(f: &mut Fields) -> Testimonial {
    let author = f.read_mapping(&schema::AUTHOR, |a| Author {
        name: a.read(&schema::AUTHOR_NAME).unwrap_or_default(),
        role: a.read(&schema::AUTHOR_ROLE),
        school: a.read(&schema::AUTHOR_SCHOOL),
        photo: a.read(&schema::AUTHOR_PHOTO),
        photo_alt: a.read(&schema::AUTHOR_PHOTO_ALT),
    });
    let consent = f.read_mapping(&schema::CONSENT, |c| {
        let mut unread = Vec::new();
        Consent {
            obtained: read_noting(c, &schema::CONSENT_OBTAINED, &mut unread),
            expires: read_noting(c, &schema::CONSENT_EXPIRES, &mut unread),
            withdrawn: read_noting(c, &schema::CONSENT_WITHDRAWN, &mut unread),
            minor: read_noting(c, &schema::CONSENT_MINOR, &mut unread).unwrap_or_default(),
            guardian: read_noting(c, &schema::CONSENT_GUARDIAN, &mut unread).unwrap_or_default(),
            surname_ok: c.read_or_default(&schema::CONSENT_SURNAME_OK),
            unread,
        }
    });
    Testimonial {
        author: author.unwrap_or_default(),
        programme: f.read(&schema::PROGRAMME),
        organisation: f.read(&schema::ORGANISATION),
        level: f.read(&schema::LEVEL),
        format: f.read(&schema::FORMAT),
        duration: f.read(&schema::DURATION),
        quote: f.read(&schema::QUOTE),
        consent,
    }
}

/// [`Fields::read`], noting in `unread` a field written but unreadable.
fn read_noting<T: crate::fields::FieldValue>(
    c: &mut Fields,
    field: &'static crate::schema::Field,
    unread: &mut Vec<&'static str>,
) -> Option<T> {
    let written = c.holds(field.name());
    let value = c.read(field);
    if written && value.is_none() {
        unread.push(field.name());
    }
    value
}

fn read_programme(f: &mut Fields) -> Programme {
    Programme {
        organiser: f.read(&schema::ORGANISER).unwrap_or_default(),
        partners: f.read_or_default(&schema::PARTNERS),
        audience: f.read(&schema::AUDIENCE),
        format: f.read(&schema::FORMAT),
        duration: f.read(&schema::DURATION),
        location: f.read(&schema::LOCATION),
        edition: f
            .read::<Positive>(&schema::EDITION)
            .and_then(|p| i64::try_from(p.0).ok()),
        start: f.read(&schema::START),
        end: f.read(&schema::END),
        apply_url: f.read(&schema::APPLY_URL),
        contact: f.read(&schema::CONTACT),
        cover: f.read(&schema::COVER),
        cover_alt: f.read(&schema::COVER_ALT),
    }
}

/// Reads a section's `_index.md` front matter (may be absent).
pub fn read_section(file: &FileText) -> Result<SectionMeta, Vec<Diagnostic>> {
    let read = read_section_parts(file);
    if !read.diagnostics.iter().any(Diagnostic::is_error) {
        Ok(read.meta)
    } else {
        Err(read.diagnostics)
    }
}

/// A section's front matter read as far as it goes.
#[derive(Debug, Default)]
pub struct SectionRead {
    /// The fields that were right: one wrong field (`sort_by: datte`) must
    /// not also drop `kind:`, which would turn every testimonial of the
    /// section into a plain page full of "unknown field" errors.
    pub meta: SectionMeta,
    pub diagnostics: Vec<Diagnostic>,
    /// The section may name a kind that could not be read (bad YAML, bad
    /// `kind:`): its pages cannot be checked. Only set with an error in
    /// `diagnostics`, so the build fails and nothing is dropped silently.
    pub kind_unknown: bool,
    /// Where its keys are, for checks made later.
    pub keys: KeyPlaces,
}

/// Like [`read_section`], keeping what could be read.
pub fn read_section_parts(file: &FileText) -> SectionRead {
    if !file.split.has_front_matter {
        return SectionRead::default();
    }
    let (value, mut diagnostics, source) = file.parse_yaml();
    diagnostics.extend(file.invisible_characters());
    let failed = |diagnostics: Vec<Diagnostic>, keys| SectionRead {
        meta: SectionMeta::default(),
        diagnostics,
        kind_unknown: true,
        keys,
    };
    let Some(value) = value else {
        return failed(diagnostics, source.places().clone());
    };
    let kind_given = value.get("kind").is_some_and(|k| !k.is_null());
    let mut f = match Fields::new(&source, value) {
        Ok(f) => f.unquoting().in_scope(Scope::Section),
        Err(d) => {
            diagnostics.push(d);
            return failed(diagnostics, source.places().clone());
        }
    };
    let meta = SectionMeta {
        title: f.read(&schema::TITLE),
        kind: f.read(&schema::KIND),
        sort_by: f.read(&schema::SORT_BY),
        paginate_by: f
            .read::<Positive>(&schema::SECTION_PAGINATE_BY)
            .map(|p| p.0),
        description: f.read(&schema::DESCRIPTION),
        template: f.read(&schema::TEMPLATE),
        weight: f.read(&schema::WEIGHT),
        extra: f.read_or_default(&schema::EXTRA),
        cover: f.read(&schema::COVER),
        cover_alt: f.read(&schema::COVER_ALT),
    };
    // A `kind:` on a line left out for its YAML is as unknown as a wrong one.
    let kind_unknown = (kind_given || source.may_hold("kind")) && meta.kind.is_none();
    diagnostics.extend(f.finish());
    SectionRead {
        meta,
        diagnostics,
        kind_unknown,
        keys: source.places().clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn page(text: &str, kind: Kind) -> Result<PageMeta, Vec<Diagnostic>> {
        let split = split(text).map_err(|_| Vec::new())?;
        read_page(
            &FileText {
                shown: Path::new("content/t.md"),
                text,
                split: &split,
            },
            kind,
        )
    }

    #[test]
    fn splits_front_matter() {
        let s = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!((s.yaml, s.body, s.body_line), ("title: a\n", "body\n", 4));
        let none = split("# Titre\n").unwrap();
        assert!(!none.has_front_matter);
        assert!(split("---\ntitle: a\n").is_err());
        let empty = split("---\n---\n").unwrap();
        assert_eq!((empty.yaml, empty.body), ("", ""));
    }

    #[test]
    fn reads_a_testimonial() {
        let text = "---\ntitle: Stage\ndate: 2020-04-16\nauthor:\n  name: Julien Martin\nformat: remote\ntags: [Numérique]\nconsent:\n  minor: false\n---\nCorps\n";
        let meta = page(text, Kind::Testimonial).unwrap();
        let Details::Testimonial(t) = meta.details else {
            panic!("kind")
        };
        assert_eq!(t.author.name, "Julien Martin");
        assert_eq!(t.format, Some(Format::Remote));
        assert_eq!(meta.common.tags, vec!["Numérique".to_string()]);
    }

    #[test]
    fn testimonial_rules_point_at_lines() {
        let text = "---\ntitle: Stage\ndate: 2020-04-16\nauthor:\n  name: Léa\n  photo: p.jpg\nconsent:\n  minor: true\nformat: sur site\n---\n";
        let errors = page(text, Kind::Testimonial).unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|d| (d.code, d.location.as_ref().map(|l| l.line)))
            .collect();
        assert!(found.contains(&("photo-without-alt", Some(6))), "{found:?}");
        assert!(
            found.contains(&("minor-without-guardian", Some(8))),
            "{found:?}"
        );
        assert!(found.contains(&("wrong-type", Some(9))), "{found:?}");
    }

    fn parts(text: &str, kind: Kind) -> PageRead {
        let split = split(text).unwrap();
        read_page_parts(
            &FileText {
                shown: Path::new("content/t.md"),
                text,
                split: &split,
            },
            kind,
        )
    }

    #[test]
    fn a_yaml_mistake_does_not_hide_the_other_fields_mistakes() {
        let text = "---\ntitle: Mon stage : super\ndate: 2021-03-01\nauteur: Sami\nprogramme: vis-ton-job\nconsent:\n  minor: true\n---\n";
        let read = parts(text, Kind::Testimonial);
        let found: Vec<_> = read
            .diagnostics
            .iter()
            .map(|d| (d.code, d.location.as_ref().map(|l| l.line)))
            .collect();
        assert_eq!(
            found,
            [
                ("yaml-syntax", Some(2)),
                ("minor-without-guardian", Some(7)),
                ("unknown-field", Some(4)),
            ],
            "{:?}",
            read.diagnostics
        );
        // What could be read is kept, for the relations.
        let Details::Testimonial(t) = read.meta.details else {
            panic!("kind")
        };
        assert_eq!(t.programme.as_deref(), Some("vis-ton-job"));
    }

    #[test]
    fn a_field_on_an_unreadable_line_is_not_also_reported() {
        // `guardian:` is there, but its line is not YAML.
        let text = "---\ntitle: Stage\ndate: 2021-03-01\nauthor:\n  name: Léa\n  photo: p.jpg\n  photo_alt: \"Léa\nconsent:\n  minor: true\n  guardian: oui : signé\n---\n";
        let read = parts(text, Kind::Testimonial);
        let codes: Vec<_> = read.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            ["yaml-syntax", "yaml-syntax"],
            "{:?}",
            read.diagnostics
        );
    }

    #[test]
    fn empty_relations_name_nothing() {
        let text = "---\ntitle: Stage\ndate: 2021-03-01\nauthor:\n  name: Léa\n  photo: \"\"\nprogramme: \"\"\ntemplate: \"\"\n---\n";
        let meta = page(text, Kind::Testimonial).unwrap();
        let Details::Testimonial(t) = meta.details else {
            panic!("kind")
        };
        assert_eq!((t.programme, t.author.photo), (None, None));
        assert_eq!(meta.common.template, None);
    }

    #[test]
    fn programme_edition_must_be_a_number() {
        let text = "---\ntitle: Vis mon job\norganiser: DINUM\nedition: troisième\n---\n";
        let errors = page(text, Kind::Programme).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("`edition`"));
        assert!(errors[0].message.contains("\"troisième\""));
    }

    fn section(text: &str) -> SectionRead {
        let split = split(text).unwrap();
        read_section_parts(&FileText {
            shown: Path::new("content/s/_index.md"),
            text,
            split: &split,
        })
    }

    #[test]
    fn a_wrong_section_field_keeps_the_kind() {
        let read = section("---\nkind: testimonial\nsort_by: datte\n---\n");
        assert_eq!(read.meta.kind, Some(Kind::Testimonial));
        assert!(!read.kind_unknown);
        assert_eq!(read.diagnostics.len(), 1);
        for broken in [
            "---\nkind: temoignage\n---\n",
            // The `kind:` line itself unreadable.
            "---\nkind: \"testimonial\nsort_by: date\n---\n",
            "---\ntitle: a : b\n\tkind: testimonial\n---\n",
            "---\n- kind\n---\n",
        ] {
            let read = section(broken);
            assert!(read.kind_unknown, "{broken}");
            assert!(
                read.diagnostics.iter().any(Diagnostic::is_error),
                "{broken}"
            );
        }
        // A YAML mistake on another line leaves the kind known: the
        // section's pages are checked in the same run.
        let tab = section("---\nkind: testimonial\n\tsort_by: date\n---\n");
        assert_eq!(tab.meta.kind, Some(Kind::Testimonial));
        assert!(!tab.kind_unknown);
        assert_eq!(tab.diagnostics.len(), 1);
        let empty = section("---\nkind:\n---\n");
        assert!(!empty.kind_unknown && empty.diagnostics.is_empty());
    }

    #[test]
    fn missing_front_matter_is_explained() {
        let errors = page("Juste du texte\n", Kind::Page).unwrap_err();
        assert_eq!(errors[0].code, "no-front-matter");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn splitter_never_panics_and_keeps_text(s in "(---\n)?[a-z:\n -]{0,80}(---\n)?[a-z\n]{0,20}") {
            if let Ok(parts) = split(&s) {
                prop_assert!(s.ends_with(parts.body));
                if parts.has_front_matter {
                    prop_assert!(s.contains(parts.yaml));
                } else {
                    prop_assert_eq!(parts.body, s.as_str());
                }
            }
        }
        #[test]
        fn splitter_total_on_any_text(s in any::<String>()) {
            let _ = split(&s);
        }
    }
}
