//! The configuration of the editing interface (Decap CMS's `config.yml`),
//! generated, never written by hand: one collection per section of
//! `content/`, with the fields of its kind in the schema's order, the
//! schema's French labels and help (English with `--lang en`).
//!
//! [`from_schema`] reads the form off the schema's table
//! ([`crate::schema::FIELDS`]): a field added there is in the form, with
//! nothing to write here. [`generate`] turns those descriptions into the
//! CMS's configuration; [`form_rules`] gives the admin page the schema's
//! rules between fields, which Decap cannot express.
//!
//! The text is JSON, which is YAML too: `serde_yaml` stays inside
//! `src/yaml.rs`, and Decap reads it all the same.

use std::path::Path;

use std::borrow::Cow;

use serde::Serialize;

use crate::config::{Config, Editing, GitBackend};
use crate::content::front_matter::{self, FileText, Kind};
use crate::content::CONTENT_DIR;
use crate::i18n::{self, Lang};
use crate::output::{Contents, OutputFile};
use crate::schema::{self, Field, Scope, Ty};

/// A text in the two languages of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub fr: &'static str,
    pub en: &'static str,
}

impl Label {
    fn text(self, lang: Lang) -> String {
        match lang {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Text,
    /// The page's Markdown body.
    Markdown,
    /// A day, written `YYYY-MM-DD`.
    Date,
    Boolean,
    Integer,
    /// One value out of a list.
    Choice(Vec<&'static str>),
    /// Some values out of a list.
    Choices(Vec<&'static str>),
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
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// Where the interface reads and saves: `serve` itself (`proxy`), or the
/// Git forge named in `site.yaml` for the published site.
#[derive(Debug, Serialize)]
pub struct Backend {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    proxy_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repo: Option<String>,
    branch: String,
    /// The forge (self-hosted GitLab) or GitHub's OAuth server.
    #[serde(skip_serializing_if = "Option::is_none")]
    base_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_root: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_endpoint: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    app_id: Option<String>,
}

impl Backend {
    /// `serve`'s backend at the URL path `api_url`.
    pub fn proxy(api_url: &str) -> Backend {
        Backend {
            name: "proxy",
            proxy_url: Some(api_url.to_owned()),
            repo: None,
            branch: "main".to_owned(),
            base_url: None,
            api_root: None,
            auth_type: None,
            auth_endpoint: None,
            app_id: None,
        }
    }

    /// The forge of `editing:`. GitLab signs in with PKCE (an OAuth
    /// application, no server of ours); GitHub needs an OAuth server,
    /// `base_url` when it is not Netlify's.
    pub fn git(editing: &Editing) -> Backend {
        let base_url = editing
            .base_url
            .as_deref()
            .map(|url| url.trim_end_matches('/').to_owned());
        let gitlab = editing.backend == GitBackend::Gitlab;
        Backend {
            name: if gitlab { "gitlab" } else { "github" },
            proxy_url: None,
            repo: Some(editing.repo.clone()),
            branch: editing.branch.clone(),
            api_root: base_url
                .as_ref()
                .filter(|_| gitlab)
                .map(|url| format!("{url}/api/v4")),
            base_url,
            auth_type: (gitlab && editing.app_id.is_some()).then_some("pkce"),
            auth_endpoint: (gitlab && editing.app_id.is_some()).then_some("oauth/authorize"),
            app_id: editing.app_id.clone().filter(|_| gitlab),
        }
    }
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
    fields: Vec<CmsField>,
}

#[derive(Debug, Serialize)]
struct CmsField {
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
    multiple: Option<bool>,
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
    fields: Option<Vec<CmsField>>,
}

#[derive(Debug, Serialize)]
struct SelectOption {
    label: String,
    value: &'static str,
}

/// The `config.yml` that `serve` gives the interface: the site's sections,
/// the known fields, the backend at `api_url` (a URL path), in the
/// writer's language `lang`.
pub fn config_yml(root: &Path, base_path: &str, api_url: &str, lang: Lang) -> String {
    let config = generate(
        &sections(root),
        &schema_fields(),
        base_path,
        Backend::proxy(api_url),
        lang,
    );
    config_text(&config)
}

fn config_text(config: &CmsConfig) -> String {
    let json = serde_json::to_string_pretty(config).unwrap_or_default();
    format!("# Generated by vitrine from the site's content model: do not edit.\n{json}\n")
}

/// The Decap CMS bundle, vendored with its version and licence.
pub const DECAP_JS: &[u8] = include_bytes!("../vendor/decap-cms/decap-cms.js");

/// The editor of the published site, when `site.yaml` names a Git forge
/// (`editing:`): `admin/index.html`, the Decap bundle beside it and
/// `admin/config.yml` for the sections of `root`, media under the base
/// path of `config`, in the site's language (its writers' on the published
/// site). Nothing without `editing:`.
pub fn admin_files(config: &Config, root: &Path) -> Vec<OutputFile> {
    let Some(editing) = &config.editing else {
        return Vec::new();
    };
    let base_path = crate::urls::Urls::new(config).base_path().to_owned();
    let cms = generate(
        &sections(root),
        &schema_fields(),
        &base_path,
        Backend::git(editing),
        config.lang(),
    );
    vec![
        OutputFile::text(
            "admin/index.html",
            admin_page(
                i18n::cms_admin_title().get(config.lang()),
                None,
                config.lang(),
            ),
        ),
        OutputFile {
            path: "admin/decap-cms.js".to_owned(),
            contents: Contents::Bytes(Cow::Borrowed(DECAP_JS)),
        },
        OutputFile::text("admin/config.yml", config_text(&cms)),
    ]
}

/// The page of the interface: the bundle reads `config.yml` beside it.
/// `checks`: the settings of vitrine's own script (`vitrine-admin.js`,
/// beside it too), as JSON; a JSON block is not run, so a CSP without
/// inline scripts holds.
/// What the editor's page adds to Decap's own styles: the page's heading,
/// for screen readers only (Decap shows none), and a readable "loading"
/// text (Decap's light grey fails WCAG contrast on white).
const ADMIN_STYLE: &str = ".vitrine-sr-only{position:absolute;width:1px;height:1px;\
    padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}\
    [class*=\"LoaderText\"]{color:#1f2937!important}";

pub fn admin_page(title: &str, checks: Option<&str>, lang: Lang) -> String {
    let lang = match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    };
    let checks = checks.map_or(String::new(), |json| {
        // `</` cannot end the block early: `<\/` is the same JSON.
        format!(
            "<script type=\"application/json\" id=\"vitrine-editing\">{}</script>\n",
            json.replace("</", "<\\/")
        )
    });
    let script = if checks.is_empty() {
        ""
    } else {
        "<script src=\"vitrine-admin.js\"></script>\n"
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <title>{title} — vitrine</title>\n\
         <style>{ADMIN_STYLE}</style>\n</head>\n<body>\n\
         <h1 class=\"vitrine-sr-only\">{title}</h1>\n{checks}\
         <script src=\"decap-cms.js\"></script>\n{script}</body>\n</html>\n",
        title = crate::escape::escape(title)
    )
}

/// The configuration for `sections`, each with the `fields` of its kind
/// (in their order), saving through `backend`; media under `base_path`.
pub fn generate(
    sections: &[SectionInfo],
    fields: &[FieldDescriptor],
    base_path: &str,
    backend: Backend,
    lang: Lang,
) -> CmsConfig {
    let programmes = sections
        .iter()
        .find(|s| s.kind == Kind::Programme)
        .map(|s| collection_name(&s.folder));
    let collections = sections
        .iter()
        .map(|section| {
            let kind_fields = fields.iter().filter(|f| f.kind == section.kind);
            collection(section, form(kind_fields, programmes.as_deref(), lang))
        })
        .collect();
    CmsConfig {
        backend,
        locale: match lang {
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
pub fn collection_name(folder: &str) -> String {
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

fn collection(section: &SectionInfo, fields: Vec<CmsField>) -> Collection {
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
    lang: Lang,
) -> Vec<CmsField> {
    let mut form: Vec<CmsField> = Vec::new();
    for descriptor in fields {
        let field = field(descriptor, programmes, lang);
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

fn field(descriptor: &FieldDescriptor, programmes: Option<&str>, lang: Lang) -> CmsField {
    let name = descriptor
        .path
        .rsplit('.')
        .next()
        .unwrap_or(descriptor.path);
    let (widget, options) = widget(&descriptor.input, programmes, lang);
    CmsField {
        name: name.to_owned(),
        label: descriptor.label.text(lang),
        widget,
        required: descriptor.required,
        hint: descriptor.help.map(|h| h.text(lang)),
        options,
    }
}

fn widget(input: &Input, programmes: Option<&str>, lang: Lang) -> (&'static str, WidgetOptions) {
    let none = WidgetOptions::default();
    match input {
        Input::Text => ("string", none),
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
                date_format: Some(match lang {
                    Lang::Fr => "DD/MM/YYYY",
                    Lang::En => "YYYY-MM-DD",
                }),
                time_format: Some(false),
                picker_utc: Some(true),
                ..none
            },
        ),
        Input::Choice(values) => ("select", select(values, false)),
        Input::Choices(values) => ("select", select(values, true)),
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

/// The words of a select, written as they are in the file (the help of
/// the field says what each means).
fn select(values: &[&'static str], multiple: bool) -> WidgetOptions {
    WidgetOptions {
        options: Some(
            values
                .iter()
                .map(|value| SelectOption {
                    label: (*value).to_owned(),
                    value,
                })
                .collect(),
        ),
        multiple: multiple.then_some(true),
        ..WidgetOptions::default()
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

/// The form fields of each kind of page, from the schema's table.
pub fn schema_fields() -> Vec<FieldDescriptor> {
    from_schema(schema::FIELDS)
}

/// The form fields of each kind of page among `fields` (a schema table), in
/// the table's order, each kind's Markdown body last.
pub fn from_schema(fields: &[&'static Field]) -> Vec<FieldDescriptor> {
    let mut form = Vec::new();
    for kind in [Kind::Testimonial, Kind::Programme, Kind::Page] {
        let scope = Scope::of(kind);
        form.extend(
            fields
                .iter()
                .filter(|f| f.is_in(scope))
                .filter_map(|f| descriptor(kind, scope, f)),
        );
        form.push(FieldDescriptor {
            kind,
            path: "body",
            label: label("Texte", "Text"),
            help: None,
            input: Input::Markdown,
            required: false,
        });
    }
    form
}

/// How the form shows one schema field; `None` for free fields (`extra`),
/// which have no widget and stay in the file as written.
fn descriptor(kind: Kind, scope: Scope, field: &'static Field) -> Option<FieldDescriptor> {
    let input = match field.ty {
        _ if std::ptr::eq(field, &schema::PROGRAMME) => Input::Relation(Kind::Programme),
        Ty::Text | Ty::Link => Input::Text,
        Ty::Date => Input::Date,
        Ty::Bool => Input::Boolean,
        Ty::Integer | Ty::Positive => Input::Integer,
        Ty::Choice(names) => Input::Choice(names()),
        Ty::ChoiceList(names) => Input::Choices(names()),
        Ty::List => Input::Terms,
        Ty::Mapping => Input::Group,
        Ty::BundlePath => Input::Picture,
        Ty::Map => return None,
    };
    // What the reader only recommends (a testimonial written before the
    // consent rules still builds, with a warning), the form asks of every
    // page it writes: the consent to publish and its date.
    let required = field.is_required_in(scope) || field.recommended;
    Some(FieldDescriptor {
        kind,
        path: field.key,
        label: label(field.label[0], field.label[1]),
        help: Some(label(field.help[0], field.help[1])).filter(|h| !h.fr.is_empty()),
        input,
        required,
    })
}

/// A field that needs another one in the same group (a photo its
/// description, a minor a guardian's consent), for the form's check
/// before a save: Decap's own `required` cannot depend on another field.
#[derive(Debug, Serialize)]
pub struct FormRule {
    /// The collections of the kind the rule belongs to.
    collections: Vec<String>,
    /// Dotted path of the field carrying the rule (`consent.minor`).
    field: &'static str,
    /// Dotted path of the field it needs (`consent.guardian`).
    needs: String,
    /// The build's own diagnostic and its fix.
    message: String,
}

/// The schema's rules, for the collections of `sections`.
pub fn form_rules(sections: &[SectionInfo], lang: Lang) -> Vec<FormRule> {
    let mut rules = Vec::new();
    for kind in [Kind::Testimonial, Kind::Programme, Kind::Page] {
        let collections: Vec<String> = sections
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| collection_name(&s.folder))
            .collect();
        if collections.is_empty() {
            continue;
        }
        for field in schema::all_of(Scope::of(kind)) {
            let Some(rule) = field.rule else { continue };
            let needs = match field.parent() {
                "" => rule.needs.to_owned(),
                parent => format!("{parent}.{}", rule.needs),
            };
            rules.push(FormRule {
                collections: collections.clone(),
                field: field.key,
                needs,
                message: i18n::with_reason(&(rule.message)(), &(rule.hint)())
                    .get(lang)
                    .to_owned(),
            });
        }
    }
    rules
}

#[cfg(test)]
mod tests {
    /// check-site on a build with `editing:`: the editor's page has one
    /// heading and its loading text is readable.
    #[test]
    fn the_admin_page_has_one_heading_and_readable_loading_text() {
        let page = admin_page("Stages & co", None, Lang::Fr);
        assert_eq!(page.matches("<h1").count(), 1, "{page}");
        assert!(page.contains("<h1 class=\"vitrine-sr-only\">Stages &amp; co</h1>"));
        assert!(page.contains("LoaderText"));
    }

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
            &schema_fields(),
            "/ecole/",
            Backend::proxy("/ecole/__vitrine/api/t/v1"),
            Lang::Fr,
        );
        let names: Vec<&str> = config.collections.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["pages", "temoignages", "programmes"]);
        assert_eq!(
            config.backend.proxy_url.as_deref(),
            Some("/ecole/__vitrine/api/t/v1")
        );
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

    static SIGNED_BY: Field = Field::new("consent.signed_by", Ty::Text, "Signé par", "Signed by")
        .kinds(&[Scope::Testimonial])
        .required();
    static BUDGET: Field =
        Field::new("budget", Ty::Integer, "Budget", "Budget").kinds(&[Scope::Programme]);

    #[test]
    fn a_field_added_to_the_schema_appears_in_the_form() {
        let mut table: Vec<&'static Field> = schema::FIELDS.to_vec();
        table.push(&SIGNED_BY);
        table.push(&BUDGET);
        let sections = [
            section("content/t", Kind::Testimonial),
            section("content/p", Kind::Programme),
        ];
        let text = serde_json::to_string(&generate(
            &sections,
            &from_schema(&table),
            "/",
            Backend::proxy("/a"),
            Lang::Fr,
        ))
        .unwrap();
        assert!(
            text.contains(
                r#""name":"signed_by","label":"Signé par","widget":"string","required":true"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#""name":"budget","label":"Budget","widget":"number""#),
            "{text}"
        );
        let without = serde_json::to_string(&generate(
            &sections,
            &schema_fields(),
            "/",
            Backend::proxy("/a"),
            Lang::Fr,
        ))
        .unwrap();
        assert!(!without.contains("signed_by") && !without.contains("budget"));
        // Nothing but the table: the same table gives the same form.
        assert_eq!(from_schema(schema::FIELDS), schema_fields());
    }

    /// `(path, widget, required)` of every field of a collection, groups' fields dotted.
    fn flat(fields: &[CmsField], parent: &str, out: &mut Vec<(String, &'static str, bool)>) {
        for f in fields {
            let path = if parent.is_empty() {
                f.name.clone()
            } else {
                format!("{parent}.{}", f.name)
            };
            out.push((path.clone(), f.widget, f.required));
            if let Some(children) = &f.options.fields {
                flat(children, &path, out);
            }
        }
    }

    #[test]
    fn every_schema_field_of_a_kind_is_in_its_collection_in_schema_order() {
        let sections = [
            section("content/t", Kind::Testimonial),
            section("content/p", Kind::Programme),
            section("content", Kind::Page),
        ];
        let config = generate(
            &sections,
            &schema_fields(),
            "/",
            Backend::proxy("/a"),
            Lang::Fr,
        );
        for (collection, section) in config.collections.iter().zip(&sections) {
            let mut got = Vec::new();
            flat(&collection.fields, "", &mut got);
            let paths: Vec<&str> = got.iter().map(|(p, _, _)| p.as_str()).collect();
            let scope = Scope::of(section.kind);
            // Free fields (`extra`) have no widget; Decap keeps them as written.
            let mut wanted: Vec<&str> = schema::all_of(scope)
                .filter(|f| !matches!(f.ty, Ty::Map))
                .map(|f| f.key)
                .collect();
            // A group's fields follow it, as they are nested in the form.
            wanted.sort_by_key(|key| {
                let top = key.split('.').next().unwrap_or(key);
                schema::fields_of(scope, "").position(|f| f.key == top)
            });
            wanted.push("body");
            assert_eq!(paths, wanted, "{:?}", section.kind);
            for field in schema::all_of(scope).filter(|f| f.is_required_in(scope)) {
                assert!(
                    got.iter().any(|(p, _, r)| p == field.key && *r),
                    "{} required",
                    field.key
                );
            }
        }
        let testimonials = &config.collections[0];
        let mut got = Vec::new();
        flat(&testimonials.fields, "", &mut got);
        let widget = |path: &str| {
            got.iter()
                .find(|(p, _, _)| p == path)
                .map(|(_, w, r)| (*w, *r))
        };
        assert_eq!(widget("consent"), Some(("object", true)));
        assert_eq!(widget("consent.obtained"), Some(("datetime", true)));
        assert_eq!(widget("consent.minor"), Some(("boolean", false)));
        assert_eq!(widget("author.photo"), Some(("image", false)));
        assert_eq!(widget("format"), Some(("select", false)));
        assert_eq!(widget("tags"), Some(("list", false)));
        let format = testimonials
            .fields
            .iter()
            .find(|f| f.name == "format")
            .unwrap();
        let values: Vec<&str> = format
            .options
            .options
            .as_ref()
            .unwrap()
            .iter()
            .map(|o| o.value)
            .collect();
        assert_eq!(values, ["on-site", "remote", "hybrid"]);
    }

    #[test]
    fn the_schema_rules_go_to_the_form_with_the_build_message() {
        let sections = [
            section("content/t", Kind::Testimonial),
            section("content/u", Kind::Testimonial),
            section("content", Kind::Page),
        ];
        let rules = form_rules(&sections, Lang::Fr);
        let got: Vec<(&str, &str)> = rules.iter().map(|r| (r.field, r.needs.as_str())).collect();
        assert_eq!(
            got,
            [
                ("author.photo", "author.photo_alt"),
                ("consent.minor", "consent.guardian")
            ]
        );
        assert_eq!(rules[1].collections, ["t", "u"]);
        assert!(rules[1]
            .message
            .starts_with(&*i18n::minor_without_guardian()));
        assert!(rules[1].message.ends_with(&*i18n::hint_guardian()));
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
        let text = config_yml(dir.path(), "/", "/__vitrine/api/x/v1", Lang::Fr);
        assert!(text.starts_with("# Generated by vitrine"));
        assert!(text.contains("\"proxy_url\": \"/__vitrine/api/x/v1\""));
    }
}
