//! The configuration of the editing interface (Decap CMS's `config.yml`),
//! generated, never written by hand: one collection per section of
//! `content/`, with the fields of its kind in front-matter order, French
//! labels and help (English with `--lang en`).
//!
//! [`generate`] is the one place that turns field descriptions into the
//! CMS's form; it takes them as a list ([`FieldDescriptor`]) so that the
//! list can come from the site's schema once there is one. Until then
//! [`known_fields`] describes the fields the scaffold documents.
//!
//! The text is JSON, which is YAML too: `serde_yaml` stays inside
//! `src/yaml.rs`, and Decap reads it all the same.

use std::path::Path;

use serde::Serialize;

use crate::content::front_matter::{self, FileText, Kind};
use crate::content::CONTENT_DIR;
use crate::i18n::{self, Lang};

/// A text in the two languages of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub fr: &'static str,
    pub en: &'static str,
}

impl Label {
    fn text(self) -> String {
        match i18n::lang() {
            Lang::Fr => self.fr,
            Lang::En => self.en,
        }
        .to_owned()
    }
}

const fn label(fr: &'static str, en: &'static str) -> Label {
    Label { fr, en }
}

/// How a field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Text,
    /// A few lines of plain text.
    LongText,
    /// The page's Markdown body.
    Markdown,
    /// A day, written `YYYY-MM-DD`.
    Date,
    Boolean,
    Integer,
    /// One value out of a list: `(value, label)`.
    Choice(&'static [(&'static str, Label)]),
    /// A list of words (tags, partners).
    Terms,
    /// The slug of a page of another kind.
    Relation(Kind),
    /// A picture stored beside the page.
    Picture,
    /// The fields whose path starts with this one's (`author.name`).
    Group,
}

/// One front-matter field as the form shows it. `path` is dotted for a
/// field inside a group (`consent.minor`); a group comes before its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDescriptor {
    pub kind: Kind,
    pub path: &'static str,
    pub label: Label,
    pub help: Option<Label>,
    pub input: Input,
    pub required: bool,
}

/// A section of `content/`: one collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionInfo {
    /// Relative to the site root: `content/temoignages`, `content`.
    pub folder: String,
    pub title: String,
    pub kind: Kind,
}

/// Decap CMS's configuration (the parts vitrine sets).
#[derive(Debug, Serialize)]
pub struct CmsConfig {
    backend: Backend,
    locale: &'static str,
    media_folder: String,
    public_folder: String,
    slug: SlugOptions,
    collections: Vec<Collection>,
}

#[derive(Debug, Serialize)]
struct Backend {
    name: &'static str,
    proxy_url: String,
    branch: &'static str,
}

/// Slugs as vitrine makes them: ASCII, accents dropped.
#[derive(Debug, Serialize)]
struct SlugOptions {
    encoding: &'static str,
    clean_accents: bool,
    sanitize_replacement: &'static str,
}

#[derive(Debug, Serialize)]
struct Collection {
    name: String,
    label: String,
    folder: String,
    create: bool,
    extension: &'static str,
    format: &'static str,
    /// `{{slug}}/index`: a new page is a bundle, its photo beside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'static str>,
    /// Empty: media in the page's own folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    media_folder: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_folder: Option<&'static str>,
    summary: &'static str,
    fields: Vec<Field>,
}

#[derive(Debug, Serialize)]
struct Field {
    name: String,
    label: String,
    widget: &'static str,
    required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
    #[serde(flatten)]
    options: WidgetOptions,
}

/// What some widgets need; absent for the others.
#[derive(Debug, Default, Serialize)]
struct WidgetOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_format: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    picker_utc: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Vec<SelectOption>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    collection: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_field: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    search_fields: Option<[&'static str; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_fields: Option<[&'static str; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    choose_url: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    collapsed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<Vec<Field>>,
}

#[derive(Debug, Serialize)]
struct SelectOption {
    label: String,
    value: &'static str,
}

/// The `config.yml` that `serve` gives the interface: the site's sections,
/// the known fields, the backend at `api_url` (a URL path).
pub fn config_yml(root: &Path, base_path: &str, api_url: &str) -> String {
    let config = generate(&sections(root), &known_fields(), base_path, api_url);
    let json = serde_json::to_string_pretty(&config).unwrap_or_default();
    format!("# Generated by vitrine from the site's content model: do not edit.\n{json}\n")
}

/// The configuration for `sections`, each with the `fields` of its kind
/// (in their order), the backend at `api_url`.
pub fn generate(
    sections: &[SectionInfo],
    fields: &[FieldDescriptor],
    base_path: &str,
    api_url: &str,
) -> CmsConfig {
    let programmes = sections
        .iter()
        .find(|s| s.kind == Kind::Programme)
        .map(|s| collection_name(&s.folder));
    let collections = sections
        .iter()
        .map(|section| {
            let kind_fields = fields.iter().filter(|f| f.kind == section.kind);
            collection(section, form(kind_fields, programmes.as_deref()))
        })
        .collect();
    CmsConfig {
        backend: Backend {
            name: "proxy",
            proxy_url: api_url.to_owned(),
            branch: "main",
        },
        locale: match i18n::lang() {
            Lang::Fr => "fr",
            Lang::En => "en",
        },
        // Pictures of pages that are not bundles: published when a page uses them.
        media_folder: format!("{CONTENT_DIR}/medias"),
        public_folder: format!("{}medias", base_path),
        slug: SlugOptions {
            encoding: "ascii",
            clean_accents: true,
            sanitize_replacement: "-",
        },
        collections,
    }
}

/// `content/temoignages` → `temoignages`; `content` → `pages`.
fn collection_name(folder: &str) -> String {
    let rel = folder
        .strip_prefix(CONTENT_DIR)
        .unwrap_or(folder)
        .trim_matches('/');
    if rel.is_empty() {
        "pages".to_owned()
    } else {
        rel.replace('/', "-")
    }
}

fn collection(section: &SectionInfo, fields: Vec<Field>) -> Collection {
    // Testimonials carry a photo: each new one is a bundle that keeps it.
    let bundle = section.kind == Kind::Testimonial;
    Collection {
        name: collection_name(&section.folder),
        label: section.title.clone(),
        folder: section.folder.clone(),
        create: true,
        extension: "md",
        format: "frontmatter",
        path: bundle.then_some("{{slug}}/index"),
        media_folder: bundle.then_some(""),
        public_folder: bundle.then_some(""),
        summary: "{{title}}",
        fields,
    }
}

/// The form of one kind: fields in order, each group holding its own.
fn form<'a>(
    fields: impl Iterator<Item = &'a FieldDescriptor>,
    programmes: Option<&str>,
) -> Vec<Field> {
    let mut form: Vec<Field> = Vec::new();
    for descriptor in fields {
        let field = field(descriptor, programmes);
        match descriptor.path.split_once('.') {
            None => form.push(field),
            Some((group, _)) => {
                let parent = form.iter_mut().find(|f| f.name == group);
                if let Some(children) = parent.and_then(|p| p.options.fields.as_mut()) {
                    children.push(field);
                }
            }
        }
    }
    form
}

fn field(descriptor: &FieldDescriptor, programmes: Option<&str>) -> Field {
    let name = descriptor
        .path
        .rsplit('.')
        .next()
        .unwrap_or(descriptor.path);
    let (widget, options) = widget(descriptor.input, programmes);
    Field {
        name: name.to_owned(),
        label: descriptor.label.text(),
        widget,
        required: descriptor.required,
        hint: descriptor.help.map(Label::text),
        options,
    }
}

fn widget(input: Input, programmes: Option<&str>) -> (&'static str, WidgetOptions) {
    let none = WidgetOptions::default();
    match input {
        Input::Text => ("string", none),
        Input::LongText => ("text", none),
        Input::Markdown => ("markdown", none),
        Input::Boolean => ("boolean", none),
        Input::Terms => ("list", none),
        Input::Integer => (
            "number",
            WidgetOptions {
                value_type: Some("int"),
                ..none
            },
        ),
        Input::Date => (
            "datetime",
            WidgetOptions {
                format: Some("YYYY-MM-DD"),
                date_format: Some(match i18n::lang() {
                    Lang::Fr => "DD/MM/YYYY",
                    Lang::En => "YYYY-MM-DD",
                }),
                time_format: Some(false),
                picker_utc: Some(true),
                ..none
            },
        ),
        Input::Choice(choices) => (
            "select",
            WidgetOptions {
                options: Some(
                    choices
                        .iter()
                        .map(|(value, label)| SelectOption {
                            label: label.text(),
                            value,
                        })
                        .collect(),
                ),
                ..none
            },
        ),
        Input::Relation(_) => match programmes {
            Some(collection) => (
                "relation",
                WidgetOptions {
                    collection: Some(collection.to_owned()),
                    value_field: Some("{{slug}}"),
                    search_fields: Some(["title"]),
                    display_fields: Some(["title"]),
                    ..none
                },
            ),
            // No section of programmes: the slug is typed.
            None => ("string", none),
        },
        Input::Picture => (
            "image",
            WidgetOptions {
                choose_url: Some(false),
                ..none
            },
        ),
        Input::Group => (
            "object",
            WidgetOptions {
                collapsed: Some(false),
                fields: Some(Vec::new()),
                ..none
            },
        ),
    }
}

/// The sections of `content/` (folders with an `_index.md`, the content
/// root first), each with its kind, declared or inherited.
pub fn sections(root: &Path) -> Vec<SectionInfo> {
    let content = root.join(CONTENT_DIR);
    let mut found: Vec<(std::path::PathBuf, Option<Kind>, String)> =
        walkdir::WalkDir::new(&content)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.file_name() == "_index.md")
            .filter_map(|e| {
                let dir = e.path().parent()?.to_path_buf();
                let (kind, title) = read_section(e.path());
                Some((dir, kind, title))
            })
            .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let mut sections = Vec::new();
    for (dir, kind, title) in &found {
        let Ok(rel) = dir.strip_prefix(root) else {
            continue;
        };
        let Some(folder) = rel.to_str().map(|r| r.replace('\\', "/")) else {
            continue;
        };
        // Sections inherit the kind of the nearest one above that declares it.
        let kind = kind.or_else(|| {
            found
                .iter()
                .filter(|(d, k, _)| k.is_some() && dir.starts_with(d) && d != dir)
                .max_by_key(|(d, _, _)| d.components().count())
                .and_then(|(_, k, _)| *k)
        });
        let title = if title.is_empty() {
            collection_name(&folder)
        } else {
            title.clone()
        };
        sections.push(SectionInfo {
            folder,
            title,
            kind: kind.unwrap_or(Kind::Page),
        });
    }
    sections
}

/// The declared kind and the title of a section's `_index.md`.
fn read_section(index: &Path) -> (Option<Kind>, String) {
    let Ok(text) = std::fs::read_to_string(index) else {
        return (None, String::new());
    };
    let Ok(split) = front_matter::split(&text) else {
        return (None, String::new());
    };
    let file = FileText {
        shown: index,
        text: &text,
        split: &split,
    };
    let read = front_matter::read_section_parts(&file);
    (read.meta.kind, read.meta.title.unwrap_or_default())
}

const FORMATS: &[(&str, Label)] = &[
    ("on-site", label("Sur site", "On site")),
    ("remote", label("À distance", "Remote")),
    ("hybrid", label("Hybride", "Hybrid")),
];

const fn d(
    kind: Kind,
    path: &'static str,
    label: Label,
    input: Input,
    required: bool,
    help: Option<Label>,
) -> FieldDescriptor {
    FieldDescriptor {
        kind,
        path,
        label,
        help,
        input,
        required,
    }
}

/// The fields of each kind, as `vitrine new` documents them, in its order.
pub fn known_fields() -> Vec<FieldDescriptor> {
    use Input::*;
    use Kind::{Page, Programme, Testimonial as T};
    let title = label("Titre", "Title");
    let draft = label("Brouillon (non publié)", "Draft (not published)");
    let draft_help = Some(label(
        "Cochez tant que la page n'est pas prête à publier.",
        "Tick while the page is not ready to publish.",
    ));
    let date = label("Date de publication", "Publication date");
    let updated = label("Dernière mise à jour importante", "Last important update");
    let summary = label("Résumé", "Summary");
    let summary_help = Some(label(
        "Affiché dans les listes ; sinon le premier paragraphe.",
        "Shown in lists; otherwise the first paragraph.",
    ));
    let tags = label("Mots-clés", "Tags");
    let terms_help = Some(label("Séparés par des virgules.", "Separated by commas."));
    let format = label("Format", "Format");
    let duration = label("Durée", "Duration");
    let weight = label("Ordre manuel", "Manual order");
    let weight_help = Some(label(
        "Nombre entier ; les plus petits d'abord dans les listes triées par poids.",
        "Whole number; smallest first in lists sorted by weight.",
    ));
    let body = label("Texte", "Text");
    vec![
        d(T, "title", title, Text, true, None),
        d(T, "date", date, Date, true, None),
        d(T, "updated", updated, Date, false, None),
        d(T, "draft", draft, Boolean, false, draft_help),
        d(
            T,
            "author",
            label("Auteur ou autrice", "Author"),
            Group,
            true,
            None,
        ),
        d(
            T,
            "author.name",
            label("Prénom et nom", "First name and surname"),
            Text,
            true,
            Some(label(
                "Pour un ou une mineure, seul le prénom sera publié.",
                "For a minor, only the first name is published.",
            )),
        ),
        d(
            T,
            "author.role",
            label("Rôle ou classe", "Role or class"),
            Text,
            false,
            None,
        ),
        d(
            T,
            "author.school",
            label("Établissement", "School"),
            Text,
            false,
            None,
        ),
        d(
            T,
            "author.photo",
            label("Photo", "Photo"),
            Picture,
            false,
            Some(label(
                "Enregistrée dans le dossier du témoignage.",
                "Saved in the testimonial's folder.",
            )),
        ),
        d(
            T,
            "author.photo_alt",
            label("Description de la photo", "Photo description"),
            Text,
            false,
            Some(label(
                "Obligatoire avec une photo : ce que montre la photo, pour qui ne la voit pas.",
                "Required with a photo: what it shows, for those who cannot see it.",
            )),
        ),
        d(
            T,
            "programme",
            label("Programme", "Programme"),
            Relation(Programme),
            false,
            None,
        ),
        d(
            T,
            "organisation",
            label("Structure d'accueil", "Host organisation"),
            Text,
            false,
            None,
        ),
        d(
            T,
            "level",
            label("Niveau", "Level"),
            Text,
            false,
            Some(label("3e, Bac+2, Master 2…", "3e, Bac+2, Master 2…")),
        ),
        d(T, "format", format, Choice(FORMATS), false, None),
        d(T, "duration", duration, Text, false, None),
        d(
            T,
            "quote",
            label("Citation mise en avant", "Highlighted quote"),
            LongText,
            false,
            Some(label(
                "Phrase mise en avant dans les listes.",
                "Sentence shown in lists.",
            )),
        ),
        d(T, "summary", summary, LongText, false, summary_help),
        d(T, "tags", tags, Terms, false, terms_help),
        d(
            T,
            "consent",
            label("Accord de publication", "Publication consent"),
            Group,
            true,
            Some(label(
                "À remplir avant de publier.",
                "Fill in before publishing.",
            )),
        ),
        d(
            T,
            "consent.obtained",
            label("Date de l'accord écrit", "Date of the written consent"),
            Date,
            true,
            None,
        ),
        d(
            T,
            "consent.expires",
            label("Fin de l'accord", "Consent expires"),
            Date,
            false,
            Some(label(
                "Après cette date, le témoignage est retiré du site.",
                "After this date, the testimonial is removed from the site.",
            )),
        ),
        d(
            T,
            "consent.withdrawn",
            label("Retrait de l'accord", "Consent withdrawn"),
            Date,
            false,
            Some(label(
                "Date du retrait : le témoignage est retiré du site.",
                "Date of withdrawal: the testimonial is removed from the site.",
            )),
        ),
        d(
            T,
            "consent.minor",
            label("Auteur ou autrice mineur(e)", "The author is a minor"),
            Boolean,
            false,
            Some(label(
                "Seul le prénom sera publié.",
                "Only the first name is published.",
            )),
        ),
        d(
            T,
            "consent.guardian",
            label(
                "Accord d'un représentant légal",
                "A legal guardian consented",
            ),
            Boolean,
            false,
            Some(label(
                "Obligatoire pour un ou une mineure.",
                "Required for a minor.",
            )),
        ),
        d(
            T,
            "consent.surname_ok",
            label(
                "Mots courants égaux au nom de famille",
                "Common words equal to the surname",
            ),
            Terms,
            false,
            Some(label(
                "Acceptés tels quels dans le texte d'un ou d'une mineure.",
                "Accepted as they are in a minor's text.",
            )),
        ),
        d(T, "weight", weight, Integer, false, weight_help),
        d(T, "body", body, Markdown, false, None),
        d(Programme, "title", title, Text, true, None),
        d(
            Programme,
            "organiser",
            label("Organisateur", "Organiser"),
            Text,
            true,
            Some(label(
                "Qui organise le programme.",
                "Who runs the programme.",
            )),
        ),
        d(Programme, "draft", draft, Boolean, false, draft_help),
        d(
            Programme,
            "partners",
            label("Partenaires", "Partners"),
            Terms,
            false,
            terms_help,
        ),
        d(
            Programme,
            "audience",
            label("Public visé", "Audience"),
            Text,
            false,
            None,
        ),
        d(Programme, "format", format, Choice(FORMATS), false, None),
        d(Programme, "duration", duration, Text, false, None),
        d(
            Programme,
            "location",
            label("Lieu", "Location"),
            Text,
            false,
            None,
        ),
        d(
            Programme,
            "edition",
            label("Numéro de l'édition", "Edition number"),
            Integer,
            false,
            None,
        ),
        d(
            Programme,
            "start",
            label("Date de début", "Start date"),
            Date,
            false,
            None,
        ),
        d(
            Programme,
            "end",
            label("Date de fin", "End date"),
            Date,
            false,
            None,
        ),
        d(
            Programme,
            "apply_url",
            label("Lien pour candidater", "Application link"),
            Text,
            false,
            None,
        ),
        d(
            Programme,
            "contact",
            label("Contact", "Contact"),
            Text,
            false,
            None,
        ),
        d(Programme, "summary", summary, LongText, false, summary_help),
        d(Programme, "tags", tags, Terms, false, terms_help),
        d(Programme, "updated", updated, Date, false, None),
        d(Programme, "weight", weight, Integer, false, weight_help),
        d(Programme, "body", body, Markdown, false, None),
        d(Page, "title", title, Text, true, None),
        d(Page, "draft", draft, Boolean, false, draft_help),
        d(Page, "date", date, Date, false, None),
        d(Page, "updated", updated, Date, false, None),
        d(Page, "summary", summary, LongText, false, summary_help),
        d(
            Page,
            "weight",
            label("Ordre dans le menu", "Order in the menu"),
            Integer,
            false,
            None,
        ),
        d(Page, "body", body, Markdown, false, None),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(folder: &str, kind: Kind) -> SectionInfo {
        SectionInfo {
            folder: folder.into(),
            title: folder.into(),
            kind,
        }
    }

    #[test]
    fn one_collection_per_section_with_the_fields_of_its_kind() {
        let sections = [
            section("content", Kind::Page),
            section("content/temoignages", Kind::Testimonial),
            section("content/programmes", Kind::Programme),
        ];
        let config = generate(
            &sections,
            &known_fields(),
            "/ecole/",
            "/ecole/__vitrine/api/t/v1",
        );
        let names: Vec<&str> = config.collections.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["pages", "temoignages", "programmes"]);
        assert_eq!(config.backend.proxy_url, "/ecole/__vitrine/api/t/v1");
        assert_eq!(config.public_folder, "/ecole/medias");
        let testimonials = &config.collections[1];
        assert_eq!(testimonials.path, Some("{{slug}}/index"));
        assert_eq!(testimonials.media_folder, Some(""));
        let programme = testimonials
            .fields
            .iter()
            .find(|f| f.name == "programme")
            .unwrap();
        assert_eq!(programme.widget, "relation");
        assert_eq!(programme.options.collection.as_deref(), Some("programmes"));
        let consent = testimonials
            .fields
            .iter()
            .find(|f| f.name == "consent")
            .unwrap();
        let inner: Vec<&str> = consent
            .options
            .fields
            .as_ref()
            .unwrap()
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(
            inner,
            [
                "obtained",
                "expires",
                "withdrawn",
                "minor",
                "guardian",
                "surname_ok"
            ]
        );
        let date = testimonials
            .fields
            .iter()
            .find(|f| f.name == "date")
            .unwrap();
        assert_eq!(
            (date.widget, date.options.format),
            ("datetime", Some("YYYY-MM-DD"))
        );
        assert!(
            config.collections[2].path.is_none(),
            "programmes stay flat files"
        );
    }

    #[test]
    fn a_field_added_to_the_list_appears_in_the_form() {
        let mut fields = known_fields();
        fields.push(d(
            Kind::Testimonial,
            "consent.signed_by",
            label("Signé par", "Signed by"),
            Input::Text,
            true,
            None,
        ));
        fields.push(d(
            Kind::Programme,
            "budget",
            label("Budget", "Budget"),
            Input::Integer,
            false,
            None,
        ));
        let sections = [
            section("content/t", Kind::Testimonial),
            section("content/p", Kind::Programme),
        ];
        let text = serde_json::to_string(&generate(&sections, &fields, "/", "/a")).unwrap();
        assert!(
            text.contains(
                r#""name":"signed_by","label":"Signé par","widget":"string","required":true"#
            ),
            "{text}"
        );
        assert!(text.contains(r#""name":"budget""#), "{text}");
        let without =
            serde_json::to_string(&generate(&sections, &known_fields(), "/", "/a")).unwrap();
        assert!(!without.contains("signed_by") && !without.contains("budget"));
    }

    #[test]
    fn sections_are_found_with_their_declared_or_inherited_kind() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("content");
        for (file, text) in [
            ("_index.md", "---\ntitle: Accueil\n---\n"),
            (
                "temoignages/_index.md",
                "---\ntitle: Témoignages\nkind: testimonial\n---\n",
            ),
            ("temoignages/2024/_index.md", "---\ntitle: \"2024\"\n---\n"),
            ("programmes/_index.md", "---\nkind: programme\n---\n"),
            ("loose/a.md", "---\ntitle: A\n---\n"),
        ] {
            std::fs::create_dir_all(c.join(file).parent().unwrap()).unwrap();
            std::fs::write(c.join(file), text).unwrap();
        }
        let found = sections(dir.path());
        let got: Vec<(&str, &str, Kind)> = found
            .iter()
            .map(|s| (s.folder.as_str(), s.title.as_str(), s.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("content", "Accueil", Kind::Page),
                ("content/programmes", "programmes", Kind::Programme),
                ("content/temoignages", "Témoignages", Kind::Testimonial),
                ("content/temoignages/2024", "2024", Kind::Testimonial),
            ]
        );
        let text = config_yml(dir.path(), "/", "/__vitrine/api/x/v1");
        assert!(text.starts_with("# Generated by vitrine"));
        assert!(text.contains("\"proxy_url\": \"/__vitrine/api/x/v1\""));
    }
}
