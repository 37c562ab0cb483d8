//! `site.yaml`: the typed site configuration.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::choice_field;
use crate::diagnostics::{Diagnostic, Location};
use crate::fields::{Choice, Fields, Positive, YamlSource};
use crate::i18n;
use crate::schema::{self, Scope};
use crate::yaml;

pub const CONFIG_FILE: &str = "site.yaml";

/// Taxonomies that can get pages, each tied to one front matter field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Taxonomy {
    Tags,
    Organisations,
    Levels,
    Programmes,
}

impl Choice for Taxonomy {
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("tags", Taxonomy::Tags),
        ("organisations", Taxonomy::Organisations),
        ("levels", Taxonomy::Levels),
        ("programmes", Taxonomy::Programmes),
    ];
}
choice_field!(Taxonomy);

impl Taxonomy {
    /// URL segment and template name of the taxonomy (`tags`, `organisations`…).
    pub fn name(self) -> &'static str {
        Choice::name(self)
    }
}

/// Where the editor of the published site saves: a Git forge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GitBackend {
    Gitlab,
    Github,
}

impl Choice for GitBackend {
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("gitlab", GitBackend::Gitlab),
        ("github", GitBackend::Github),
    ];
}
choice_field!(GitBackend);

impl GitBackend {
    /// The forge as its users name it.
    pub fn name(self) -> &'static str {
        match self {
            GitBackend::Gitlab => "GitLab",
            GitBackend::Github => "GitHub",
        }
    }
}

/// The default theme's colours. Writers may name them in French or in
/// English; the French name, listed first, names the CSS class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Palette {
    #[default]
    Blue,
    Green,
    Purple,
    Terracotta,
}

impl Choice for Palette {
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("bleu", Palette::Blue),
        ("blue", Palette::Blue),
        ("vert", Palette::Green),
        ("green", Palette::Green),
        ("violet", Palette::Purple),
        ("purple", Palette::Purple),
        ("terracotta", Palette::Terracotta),
    ];
}
choice_field!(Palette);

impl Palette {
    /// The class suffix on `<html>` (`palette-vert`).
    pub fn class(self) -> &'static str {
        Choice::name(self)
    }
}

/// `identity:` of `site.yaml`: who the site belongs to, and how it looks.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub name: Option<String>,
    pub logo: Option<Logo>,
    /// `None`: `extra.theme.palette`, as before `identity:`, else blue.
    pub palette: Option<Palette>,
}

/// A logo in the site's `static/`, with the text it stands for.
#[derive(Debug, Clone)]
pub struct Logo {
    /// Relative to `static/`.
    pub path: String,
    pub alt: String,
    /// The `logo:` line, for a logo missing from `static/`.
    pub at: Location,
}

/// `editing:` of `site.yaml`: the editor of the published site (`admin/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Editing {
    pub backend: GitBackend,
    /// `group/project`.
    pub repo: String,
    pub branch: String,
    /// A self-hosted forge (`https://gitlab.example`).
    pub base_url: Option<String>,
    /// GitLab's OAuth application, for PKCE.
    pub app_id: Option<String>,
}

/// The validated configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// BCP 47 tag (`fr`, `fr-FR`, `en`).
    pub language: String,
    pub theme: String,
    pub relative_urls: bool,
    pub paginate_by: usize,
    pub taxonomies: Vec<Taxonomy>,
    pub feed: bool,
    pub search: bool,
    /// The editor of the published site, when `site.yaml` names a forge.
    pub editing: Option<Editing>,
    pub extra: Map<String, Value>,
    /// `publisher:`, for the legal notice.
    #[serde(skip)]
    pub publisher: Option<crate::institution::Publisher>,
    /// `accessibility:`, for the accessibility statement.
    #[serde(skip)]
    pub accessibility: Option<crate::institution::Accessibility>,
    /// `identity:`: name, logo, palette.
    #[serde(skip)]
    pub identity: Identity,
}

impl Config {
    /// True when the site is in French (typography, dates, labels).
    pub fn is_french(&self) -> bool {
        self.language.to_ascii_lowercase().starts_with("fr")
    }

    pub fn lang(&self) -> i18n::Lang {
        if self.is_french() {
            i18n::Lang::Fr
        } else {
            i18n::Lang::En
        }
    }

    /// Replaces `base_url` (from `--base-url` or `serve`), validated like the file's.
    pub fn override_base_url(&mut self, url: &str) -> Result<(), Diagnostic> {
        self.base_url = normalise_base_url(url).ok_or_else(|| {
            Diagnostic::error("bad-base-url", i18n::bad_base_url(url)).help(i18n::hint_base_url())
        })?;
        Ok(())
    }
}

/// `https://x.example/ecole` → `https://x.example/ecole/`; `None` unless http(s).
pub fn normalise_base_url(url: &str) -> Option<String> {
    crate::urls::parse_base_url(url).map(String::from)
}

/// Loads and validates `root/site.yaml`.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let shown = PathBuf::from(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t.trim_start_matches('\u{feff}').replace("\r\n", "\n"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(vec![Diagnostic::error(
                "missing-config",
                i18n::config_missing(path.display().to_string()),
            )
            .help(i18n::hint_config_missing())]);
        }
        Err(e) => return Err(vec![Diagnostic::unreadable(&shown, &e)]),
    };
    let config = parse(&shown, &text)?;
    check_logo(root, &config).map_err(|d| vec![d])?;
    Ok(config)
}

/// Parses the text of a `site.yaml` shown as `file` in messages.
pub fn parse(file: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
    let value = yaml::parse(text).map_err(|e| {
        vec![Diagnostic::yaml(
            &e,
            Location::in_text(file, text, e.line, e.column, 1),
        )]
    })?;
    let source = YamlSource::new(file, text, text, 1);
    let controls = escaped_controls(&value, &source);
    let mut f = Fields::new(&source, value)
        .map_err(|d| vec![d])?
        .in_scope(Scope::Site);
    for diagnostic in controls {
        f.report(diagnostic);
    }
    let title = f.read::<String>(&schema::SITE_TITLE);
    let description = f.read_or_default(&schema::SITE_DESCRIPTION);
    let raw_base_url = f.read::<String>(&schema::BASE_URL);
    let language = f.read_or_default(&schema::LANGUAGE);
    let theme = f.read_or_default(&schema::THEME);
    let relative_urls = f.read_or_default(&schema::RELATIVE_URLS);
    let paginate_by = f.read_or_default::<Positive>(&schema::SITE_PAGINATE_BY).0;
    let taxonomies = f.read_or_default::<Vec<String>>(&schema::TAXONOMIES);
    let feed = f.read_or_default(&schema::FEED);
    let search = f.read_or_default(&schema::SEARCH);
    let editing = f
        .read_mapping(&schema::EDITING, |e| {
            // Every key read before any is missing: none is "unknown".
            let backend = e.read(&schema::EDITING_BACKEND);
            let repo = e.read(&schema::EDITING_REPO);
            let branch = e.read_or_default(&schema::EDITING_BRANCH);
            let base_url = e.read(&schema::EDITING_BASE_URL);
            let app_id = e.read(&schema::EDITING_APP_ID);
            Some(Editing {
                backend: backend?,
                repo: repo?,
                branch,
                base_url,
                app_id,
            })
        })
        .flatten();
    let extra = f.read_or_default(&schema::EXTRA);
    check_old_palette(&mut f, &extra);
    let publisher = f.read_mapping(&schema::PUBLISHER, |p| crate::institution::Publisher {
        name: p.read(&schema::PUBLISHER_NAME).unwrap_or_default(),
        address: p.read(&schema::PUBLISHER_ADDRESS),
        director: p.read(&schema::PUBLISHER_DIRECTOR),
        contact: p.read(&schema::PUBLISHER_CONTACT),
        host_name: p.read(&schema::PUBLISHER_HOST_NAME),
        host_address: p.read(&schema::PUBLISHER_HOST_ADDRESS),
        phone: p.read(&schema::PUBLISHER_PHONE),
        host_phone: p.read(&schema::PUBLISHER_HOST_PHONE),
        dpo: p.read(&schema::PUBLISHER_DPO),
    });
    let accessibility = f.read_mapping(&schema::ACCESSIBILITY, read_accessibility);
    let mut identity = f
        .read_mapping(&schema::IDENTITY, read_identity)
        .unwrap_or_default();
    if identity.logo.is_none() {
        identity.logo = old_logo(&mut f, &extra);
    }

    let base_url = raw_base_url.and_then(|url| {
        let normalised = normalise_base_url(&url);
        if normalised.is_none() {
            f.report(
                Diagnostic::error("bad-base-url", i18n::bad_base_url(&url))
                    .at(f.locate("base_url"))
                    .help(i18n::hint_base_url()),
            );
        }
        normalised
    });
    let taxonomies = read_taxonomies(&mut f, taxonomies);
    let diagnostics = f.finish();
    match (title, base_url) {
        (Some(title), Some(base_url)) if diagnostics.is_empty() => Ok(Config {
            title: title.clone(),
            description,
            base_url,
            language,
            theme,
            relative_urls,
            paginate_by,
            taxonomies,
            feed,
            search,
            editing,
            extra,
            publisher: publisher.map(|mut p| {
                if p.name.trim().is_empty() {
                    p.name.clone_from(&title);
                }
                p
            }),
            accessibility,
            identity,
        }),
        _ => Err(diagnostics),
    }
}

/// `extra.theme.palette`, the palette's place before `identity:`, is still
/// read: a name there that no palette has is the same error as under
/// `identity:`, not blue without a word.
fn check_old_palette(f: &mut Fields, extra: &Map<String, Value>) {
    use crate::fields::FieldValue;
    let Some(value) = extra.get("theme").and_then(|theme| theme.get("palette")) else {
        return;
    };
    if value.is_null() || Palette::read(value).is_some() {
        return;
    }
    let path = "extra.theme.palette";
    let at = crate::fields::at_value(f.locate(path), "palette", value);
    f.report(
        Diagnostic::error(
            Palette::code(),
            i18n::wrong_type(path, Palette::expected(), crate::fields::show(value)),
        )
        .at(at)
        .maybe_help(Palette::hint(value)),
    );
}

/// The `identity:` block. A logo without its text is reported by the
/// schema's rule; it is then left out here.
fn read_identity(i: &mut Fields) -> Identity {
    let name = i.read::<String>(&schema::IDENTITY_NAME);
    let path = i.read::<String>(&schema::IDENTITY_LOGO);
    let alt = i.read::<String>(&schema::IDENTITY_LOGO_ALT);
    let at = i.locate("logo");
    Identity {
        name,
        logo: path.zip(alt).map(|(path, alt)| Logo { path, alt, at }),
        palette: i.read(&schema::IDENTITY_PALETTE),
    }
}

/// `extra.logo`, the logo's place before `identity:`, still read when
/// `identity:` gives none: with the same checks (its text, its file), at
/// its own line.
fn old_logo(f: &mut Fields, extra: &Map<String, Value>) -> Option<Logo> {
    let path = extra.get("logo")?.as_str()?.trim().to_string();
    let at = f.locate("extra.logo");
    let alt = extra
        .get("logo_alt")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|alt| !alt.is_empty());
    let Some(alt) = alt else {
        f.report(
            Diagnostic::error("logo-without-alt", i18n::logo_without_alt())
                .at(at)
                .help(i18n::hint_old_logo_alt()),
        );
        return None;
    };
    let alt = alt.to_string();
    Some(Logo { path, alt, at })
}

/// A logo must be a file under `static/`: its line otherwise.
fn check_logo(root: &Path, config: &Config) -> Result<(), Diagnostic> {
    let Some(logo) = &config.identity.logo else {
        return Ok(());
    };
    let relative = Path::new(&logo.path);
    let inside = relative
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    let file = root.join("static").join(relative);
    // Followed symlinks must stay in the site, as for every input.
    let in_site = file
        .canonicalize()
        .ok()
        .zip(root.canonicalize().ok())
        .is_some_and(|(f, r)| f.starts_with(r));
    if inside && in_site && file.is_file() {
        use crate::images::Picture;
        match crate::images::picture(relative) {
            // A logo is shown on every page and served at its own address: a
            // script in an SVG one would run on the school's domain.
            Some(Picture::Svg) => crate::images::check_drawing(root, &file)?,
            Some(Picture::Photo) if is_raster(&file) => {}
            _ => return Err(logo_not_picture(logo)),
        }
        return Ok(());
    }
    // There, but through a symlink out of the site: « missing » would mislead.
    let (message, help) = if inside && !in_site && file.exists() {
        (
            i18n::logo_outside_site(&logo.path),
            i18n::hint_symlink_outside(),
        )
    } else {
        (i18n::logo_missing(&logo.path), i18n::hint_logo_missing())
    };
    Err(Diagnostic::error("logo-missing", message)
        .at(logo.at.clone())
        .help(help))
}

/// Whether the bytes of `file` are a JPEG, PNG or WebP picture, whatever
/// its name says (a text saved as `logo.png` would be published as it is).
fn is_raster(file: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(file)
        .and_then(|mut f| f.read(&mut head))
        .is_ok_and(|n| {
            matches!(
                crate::images::sniff(&head[..n]),
                Some("JPEG" | "PNG" | "WebP")
            )
        })
}

fn logo_not_picture(logo: &Logo) -> Diagnostic {
    let value = Value::String(logo.path.clone());
    Diagnostic::error("logo-not-picture", i18n::logo_not_picture(&logo.path))
        .at(crate::fields::at_value(logo.at.clone(), "logo", &value))
        .help(i18n::hint_logo_not_picture())
}

/// A list of `site.yaml` as the pages show it: its blank lines (`- ""`)
/// left out, not published as empty bullets.
fn lines(f: &mut Fields, field: &'static crate::schema::Field) -> Vec<String> {
    let mut lines: Vec<String> = f.read_or_default(field);
    lines.retain(|line| !line.trim().is_empty());
    lines
}

/// The `accessibility:` block. An audit is its date, who made it and its
/// rate together: any of the three without the others is a mistake.
fn read_accessibility(a: &mut Fields) -> crate::institution::Accessibility {
    let date = a.read::<crate::dates::Date>(&schema::ACCESSIBILITY_AUDIT_DATE);
    let by = a.read::<String>(&schema::ACCESSIBILITY_AUDITED_BY);
    let rgaa = a.read_or_default::<String>(&schema::ACCESSIBILITY_RGAA);
    let rate_text = a.read::<String>(&schema::ACCESSIBILITY_RATE);
    let rate = rate_text.as_deref().and_then(|text| {
        let at = a.locate("rate");
        // As written: YAML reads `rate: 1e2` as the number 100.
        let text = written_value(&at.line_text, "rate").unwrap_or(text);
        match crate::institution::parse_rate(text) {
            Ok(rate) => Some(rate),
            Err(bad) => {
                a.report(bad_rate(text, &bad, at.clone()));
                None
            }
        }
    });
    let audit = match (date, by, rate) {
        (Some(date), Some(by), Some(rate)) => Some(crate::institution::Audit {
            date,
            by,
            rgaa: rgaa.clone(),
            rate,
            date_at: Some(crate::fields::at_value(
                a.locate("audit_date"),
                "audit_date",
                &Value::String(date.iso_day()),
            )),
        }),
        (None, None, None) if rate_text.is_none() => None,
        (date, by, _) => {
            let present = if date.is_some() {
                "audit_date"
            } else if by.is_some() {
                "audited_by"
            } else {
                "rate"
            };
            let at = a.locate(present);
            for (missing, key) in [
                (date.is_none(), "audit_date"),
                (by.is_none(), "audited_by"),
                (rate_text.is_none(), "rate"),
            ] {
                if missing {
                    a.report(
                        Diagnostic::error("audit-incomplete", i18n::audit_incomplete(key))
                            .at(at.clone())
                            .help(i18n::hint_audit_incomplete()),
                    );
                }
            }
            None
        }
    };
    let plan_url: Option<String> = a.read(&schema::ACCESSIBILITY_PLAN_URL);
    if let Some(plan) = plan_url.as_deref() {
        if !crate::institution::web_address(plan) {
            // Left out of the statement: say so rather than drop it.
            a.report(
                Diagnostic::error("bad-plan-url", i18n::bad_plan_url(plan))
                    .at(a.locate("plan_url"))
                    .help(i18n::hint_bad_plan_url()),
            );
        }
    }
    crate::institution::Accessibility {
        entity: a.read(&schema::ACCESSIBILITY_ENTITY),
        audit,
        non_conformities: lines(a, &schema::ACCESSIBILITY_NON_CONFORMITIES),
        derogations: lines(a, &schema::ACCESSIBILITY_DEROGATIONS),
        exemptions: lines(a, &schema::ACCESSIBILITY_EXEMPTIONS),
        contact: a.read(&schema::ACCESSIBILITY_CONTACT),
        plan_url,
        pages: lines(a, &schema::ACCESSIBILITY_PAGES),
        recourse: lines(a, &schema::ACCESSIBILITY_RECOURSE),
        test_environment: lines(a, &schema::ACCESSIBILITY_TEST_ENVIRONMENT),
        tools: lines(a, &schema::ACCESSIBILITY_TOOLS),
    }
}

/// Control characters written as escapes in quoted values (`"Lyc\u0007ée"`;
/// written as they are, the YAML reader refuses them): each at its value
/// here, not at the generated page that would show it.
fn escaped_controls(value: &Value, source: &YamlSource) -> Vec<Diagnostic> {
    fn walk(value: &Value, path: &str, found: &mut Vec<(String, char)>) {
        match value {
            Value::String(text) => {
                if let Some(c) = text.chars().find(|c| yaml::is_control(*c)) {
                    found.push((path.to_string(), c));
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, path, found)),
            Value::Object(map) => {
                for (key, v) in map {
                    let inner = match path {
                        "" => key.clone(),
                        _ => format!("{path}.{key}"),
                    };
                    walk(v, &inner, found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(value, "", &mut found);
    found
        .into_iter()
        .map(|(path, c)| {
            let at = source.locate(&path);
            let diagnostic = Diagnostic::error(
                "control-character",
                i18n::escaped_control_character(i18n::char_name(c)),
            );
            let Some((start, len)) = control_escape(&at.line_text) else {
                return diagnostic
                    .at(at)
                    .help(i18n::hint_escaped_control_character());
            };
            let line = &at.line_text;
            let escape = &line[start..start + len];
            let fix = format!("{}{}", &line[..start], &line[start + len..]);
            let help = i18n::hint_remove_control_escape(escape, fix.trim());
            let column = line[..start].chars().count() + 1;
            diagnostic.at(Location { column, len, ..at }).help(help)
        })
        .collect()
}

/// Where on `line` an escape stands for a control character (`\u0007`,
/// `\x1b`, `\a`): its byte offset and length.
fn control_escape(line: &str) -> Option<(usize, usize)> {
    let mut rest = line.char_indices();
    while let Some((i, c)) = rest.next() {
        if c != '\\' {
            continue;
        }
        let after = &line[i + 1..];
        let hex = |digits: usize| {
            let code = u32::from_str_radix(after.get(1..=digits)?, 16).ok()?;
            char::from_u32(code)
                .filter(|c| yaml::is_control(*c))
                .map(|_| digits + 2)
        };
        let len = match after.chars().next() {
            Some('0' | 'a' | 'b' | 'e' | 'v' | 'f') => Some(2),
            Some('x') => hex(2),
            Some('u') => hex(4),
            Some('U') => hex(8),
            _ => None,
        };
        if let Some(len) = len {
            return Some((i, len));
        }
        // `\\` is a backslash: its second half escapes nothing.
        rest.next();
    }
    None
}

/// The value of `name:` on its own `line`, without quotes or comment.
fn written_value<'l>(line: &'l str, name: &str) -> Option<&'l str> {
    let rest = line.trim_start().strip_prefix(name)?.strip_prefix(':')?;
    let value = rest.split(" #").next().unwrap_or(rest).trim();
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)));
    Some(unquoted.unwrap_or(value)).filter(|v| !v.is_empty())
}

/// A rate refused, at its value, with the line to write instead.
fn bad_rate(text: &str, bad: &crate::institution::BadRate, at: Location) -> Diagnostic {
    use crate::institution::BadRate;
    let fix = |rate: f64| {
        let line = |number: String| {
            let written = crate::fields::Written {
                name: "rate",
                line: &at.line_text,
            };
            written.with_value(&format!("\"{number} %\""))
        };
        let number = format!("{:.2}", rate);
        let number = number.trim_end_matches('0').trim_end_matches('.');
        i18n::Text::new(line(number.replace('.', ",")), line(number.to_string()))
    };
    let value = Value::String(text.to_string());
    let located = crate::fields::at_value(at.clone(), "rate", &value);
    let diagnostic = match bad {
        BadRate::Fraction(percent) => {
            let exact = text.replace(',', ".").parse::<f64>().unwrap_or(0.0);
            Diagnostic::error("bad-rate", i18n::rate_fraction(text))
                .help(i18n::hint_rate_fraction(fix(*percent), fix(exact)))
        }
        BadRate::Spelling(read) => Diagnostic::error("bad-rate", i18n::rate_spelling(text))
            .help(read.map_or_else(i18n::hint_rate, |r| i18n::hint_rate_written(fix(r)))),
        BadRate::OutOfRange => {
            Diagnostic::error("bad-rate", i18n::bad_rate(text)).help(i18n::hint_rate())
        }
    };
    diagnostic.at(located)
}

fn read_taxonomies(f: &mut Fields, names: Vec<String>) -> Vec<Taxonomy> {
    let mut taxonomies = Vec::new();
    for name in names {
        let value = Value::String(name.clone());
        match <Taxonomy as crate::fields::FieldValue>::read(&value) {
            Some(t) if !taxonomies.contains(&t) => taxonomies.push(t),
            Some(_) => {}
            None => f.report(
                Diagnostic::error(
                    "wrong-type",
                    i18n::wrong_type(
                        "taxonomies",
                        <Taxonomy as crate::fields::FieldValue>::expected(),
                        format!("\"{name}\""),
                    ),
                )
                .at(f.locate("taxonomies"))
                .maybe_help(<Taxonomy as crate::fields::FieldValue>::hint(&value)),
            ),
        }
    }
    taxonomies
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_full_config() {
        let text = "title: Stages\nbase_url: https://lycee.example/stages\nlanguage: fr\nrelative_urls: true\npaginate_by: 4\ntaxonomies: [tags, levels]\nextra:\n  anything: 1\n";
        let c = parse(Path::new("site.yaml"), text).unwrap();
        assert_eq!(c.base_url, "https://lycee.example/stages/");
        assert_eq!(c.taxonomies, vec![Taxonomy::Tags, Taxonomy::Levels]);
        assert!(c.relative_urls && c.is_french());
        assert_eq!(c.paginate_by, 4);
    }

    #[test]
    fn unknown_keys_suggest() {
        let text = "title: Stages\nbase_url: https://x.example/\ntitel: oops\ntaxonomies: [tag]\n";
        let e = parse(Path::new("site.yaml"), text).unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e.iter().any(
            |d| d.code == "unknown-field" && d.help.as_deref().unwrap_or("").contains("title")
        ));
        assert!(e
            .iter()
            .any(|d| d.help.as_deref().unwrap_or("").contains("tags")));
    }

    #[test]
    fn base_url_must_be_absolute() {
        assert_eq!(normalise_base_url("/stages/"), None);
        assert_eq!(normalise_base_url("https://"), None);
        assert_eq!(
            normalise_base_url("http://a.b").as_deref(),
            Some("http://a.b/")
        );
        let e = parse(Path::new("site.yaml"), "title: x\nbase_url: lycee.fr\n").unwrap_err();
        assert_eq!(e[0].location.as_ref().map(|l| l.line), Some(2));
    }

    #[test]
    fn yaml_limits_get_the_codes_of_front_matter() {
        let deep = format!(
            "title: x\nbase_url: https://x.example/\nextra: {}\n",
            "[".repeat(100)
        );
        let e = parse(Path::new("site.yaml"), &deep).unwrap_err();
        assert_eq!(e[0].code, "yaml-too-deep", "{e:?}");
        assert_eq!(e[0].location.as_ref().map(|l| l.line), Some(3));
        let large = format!("title: \"{}\"\n", "x".repeat(yaml::MAX_BYTES));
        let e = parse(Path::new("site.yaml"), &large).unwrap_err();
        assert_eq!(e[0].code, "yaml-too-large", "{e:?}");
    }

    #[test]
    fn control_escapes_are_found_and_backslashes_left() {
        assert_eq!(control_escape(r#"  name: "Lyc\u0007ée""#), Some((12, 6)));
        assert_eq!(control_escape(r#"  a: "x\\u0007 \x1b""#), Some((15, 4)));
        assert_eq!(control_escape(r#"  a: "ligne\npuis\té""#), None);
        assert_eq!(control_escape(r#"  a: "\u00e9\a""#), Some((12, 2)));
    }

    #[test]
    fn missing_file_suggests_init() {
        let dir = std::env::temp_dir().join("vitrine-no-such-site-dir");
        let e = load(&dir).unwrap_err();
        assert!(e[0].help.as_deref().unwrap_or("").contains("vitrine init"));
    }
}
