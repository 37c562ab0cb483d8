//! Where templates and static files come from.
//!
//! The default theme is embedded in the binary, so any folder with a
//! `site.yaml` builds. Files on disk take precedence, file by file, in this
//! order: the site's `templates/` and `static/`, then `themes/NAME/`, then
//! the embedded default theme.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use serde_json::{Map, Value};

use crate::config::Config;
use crate::diagnostics::{shown_path, Diagnostic};
use crate::i18n;
use crate::yaml;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub const DEFAULT_THEME_NAME: &str = "default";

/// A template's source and the file it came from (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSource {
    pub text: String,
    pub file: PathBuf,
}

/// A static file, read only when written.
#[derive(Debug, Clone)]
pub enum StaticFile {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

impl StaticFile {
    pub fn bytes(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            StaticFile::Embedded(b) => Ok(std::borrow::Cow::Borrowed(b)),
            StaticFile::Disk(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// By template name (`base.html`, `partials/card.html`).
    pub templates: BTreeMap<String, TemplateSource>,
    /// By output path (`css/site.css`).
    pub statics: BTreeMap<String, StaticFile>,
    /// The theme's words for the site's language (`theme.yaml`, `labels:`).
    pub labels: Map<String, Value>,
    /// Symlinks skipped because they lead out of the site.
    pub warnings: Vec<Diagnostic>,
}

/// Assembles the theme of `config` for the site at `root`. Files are read
/// only from inside the site: symlinks leading out are skipped (warnings).
pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
    let mut theme = Theme::default();
    let mut theme_yaml: Option<(String, PathBuf)> = None;
    add_embedded(&DEFAULT_THEME, &mut theme, &mut theme_yaml);
    let mut inputs = crate::inputs::Inputs::new(root);

    let theme_dir = root.join("themes").join(&config.theme);
    if theme_dir.is_dir() {
        add_disk(
            &mut inputs,
            &theme_dir.join("templates"),
            &theme_dir.join("static"),
            &mut theme,
        );
        let file = theme_dir.join("theme.yaml");
        if file.is_file() && inputs.is_inside(&file) {
            if let Ok(text) = std::fs::read_to_string(&file) {
                theme_yaml = Some((text, shown_path(root, &file)));
            }
        }
    } else if config.theme != DEFAULT_THEME_NAME {
        return Err(vec![unknown_theme(root, &config.theme)]);
    }
    add_disk(
        &mut inputs,
        &root.join("templates"),
        &root.join("static"),
        &mut theme,
    );
    theme.warnings = inputs.into_diagnostics();
    theme.warnings.extend(legal_footer_dropped(&theme));
    if let Some((text, file)) = theme_yaml {
        theme.labels = labels(&text, &file, config)?;
    }
    Ok(theme)
}

/// Whether the site is dressed by vitrine's default theme exactly as it
/// ships: no template, script, stylesheet or page of its own in its place.
/// Only then can the personal data page say that no third party is called
/// (a site's own `base.html` may load an analytics script).
pub fn is_unchanged_default(root: &Path, config: &Config) -> bool {
    if config.theme != DEFAULT_THEME_NAME {
        return false;
    }
    let Ok(theme) = load(root, config) else {
        return false;
    };
    let shipped = |path: String| DEFAULT_THEME.get_file(path).map(|f| f.contents());
    let templates = theme.templates.iter().all(|(name, source)| {
        let text = source.text.as_bytes();
        shipped(format!("templates/{name}")).is_some_and(|t| t == text)
    });
    let statics = theme.statics.iter().all(|(name, file)| match file {
        StaticFile::Embedded(_) => true,
        StaticFile::Disk(path) => match shipped(format!("static/{name}")) {
            // In place of the theme's own script or stylesheet, which every
            // page loads: it may call anyone.
            Some(theirs) => {
                !may_load_others(name) || std::fs::read(path).is_ok_and(|bytes| bytes == theirs)
            }
            // A file of the site's own is loaded only where a page names
            // it, under the theme's Content-Security-Policy — except a
            // page of its own, which has none.
            None => !is_page(name),
        },
    });
    templates && statics
}

/// A web page of `static/`, opened as it is, outside the theme.
fn is_page(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".html", ".htm", ".xhtml"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// The footer every page must carry — the accessibility mention and the
/// legal pages' links — lives in the default theme's `partials/footer.html`,
/// which `base.html` includes: a template of the site in the place of
/// either that no longer shows them, itself or through its includes, is
/// warned about.
fn legal_footer_dropped(theme: &Theme) -> Vec<Diagnostic> {
    theme
        .templates
        .iter()
        .filter(|(name, source)| {
            let shipped = DEFAULT_THEME
                .get_file(format!("templates/{name}"))
                .and_then(|f| f.contents_utf8())
                .unwrap_or("");
            LEGAL_MARKS.iter().any(|mark| {
                shows(mark, shipped, theme, DEFAULT_INCLUDES)
                    && !shows(mark, &source.text, theme, MAX_INCLUDES)
            })
        })
        .map(|(_, source)| {
            Diagnostic::warning("legal-footer-missing", i18n::legal_footer_missing())
                .at_file(&source.file)
                .help(i18n::hint_legal_footer_missing())
        })
        .collect()
}

/// What the legal footer reads: the accessibility mention, the legal links.
const LEGAL_MARKS: [&str; 2] = ["site.compliance", "site.legal"];
/// How deep the default theme's includes go to its footer.
const DEFAULT_INCLUDES: usize = 1;
/// How deep a site's includes are followed (a loop stops there too).
const MAX_INCLUDES: usize = 4;

/// Whether `text`, or a template it includes (the site's or the theme's,
/// `depth` levels down), reads `mark`.
fn shows(mark: &str, text: &str, theme: &Theme, depth: usize) -> bool {
    text.contains(mark)
        || (depth > 0
            && included(text).any(|name| {
                theme
                    .templates
                    .get(name)
                    .is_some_and(|t| shows(mark, &t.text, theme, depth - 1))
            }))
}

/// The names of the templates `text` includes (`{% include "x.html" %}`).
fn included(text: &str) -> impl Iterator<Item = &str> {
    text.split("include").skip(1).filter_map(|after| {
        let after = after.trim_start();
        let quote = after.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        let rest = &after[1..];
        Some(&rest[..rest.find(quote)?])
    })
}

/// Files a browser runs or renders, which may call another site.
fn may_load_others(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".js", ".mjs", ".css", ".html", ".htm", ".svg"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// Points at the `theme:` line of `site.yaml` and lists the themes there are.
fn unknown_theme(root: &Path, name: &str) -> Diagnostic {
    let file = Path::new(crate::config::CONFIG_FILE);
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    let location = crate::fields::YamlSource::new(file, &text, &text, 1).locate("theme");
    let mut themes = vec![DEFAULT_THEME_NAME.to_string()];
    if let Ok(entries) = std::fs::read_dir(root.join("themes")) {
        themes.extend(
            entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().to_string()),
        );
    }
    themes.sort();
    themes.dedup();
    let help = match crate::fields::did_you_mean(name, &themes) {
        Some(s) => i18n::did_you_mean(&s),
        None => i18n::hint_themes(themes.join(", ")),
    };
    Diagnostic::error("unknown-theme", i18n::unknown_theme(name))
        .at(location)
        .help(help)
}

fn add_embedded(
    dir: &'static Dir<'static>,
    theme: &mut Theme,
    theme_yaml: &mut Option<(String, PathBuf)>,
) {
    for entry in dir.entries() {
        if let Some(sub) = entry.as_dir() {
            add_embedded(sub, theme, theme_yaml);
        } else if let Some(file) = entry.as_file() {
            let path = crate::urls::slash_path(file.path());
            let shown = PathBuf::from(format!("(vitrine) themes/default/{path}"));
            if let Some(name) = path.strip_prefix("templates/") {
                if let Some(text) = file.contents_utf8() {
                    theme.templates.insert(
                        name.to_string(),
                        TemplateSource {
                            text: text.to_string(),
                            file: shown,
                        },
                    );
                }
            } else if let Some(name) = path.strip_prefix("static/") {
                theme
                    .statics
                    .insert(name.to_string(), StaticFile::Embedded(file.contents()));
            } else if path == "theme.yaml" {
                if let Some(text) = file.contents_utf8() {
                    *theme_yaml = Some((text.to_string(), shown));
                }
            }
        }
    }
}

fn add_disk(
    inputs: &mut crate::inputs::Inputs,
    templates: &Path,
    statics: &Path,
    theme: &mut Theme,
) {
    for (path, name) in files_under(inputs, templates) {
        if let Ok(text) = std::fs::read_to_string(&path) {
            let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
            theme.templates.insert(
                name,
                TemplateSource {
                    text,
                    file: inputs.shown(&path),
                },
            );
        }
    }
    for (path, name) in files_under(inputs, statics) {
        theme.statics.insert(name, StaticFile::Disk(path));
    }
}

/// Files below `dir` with their `/`-separated path relative to it, skipping
/// hidden files, editor leftovers and symlinks that lead out of the site.
fn files_under(inputs: &mut crate::inputs::Inputs, dir: &Path) -> Vec<(PathBuf, String)> {
    inputs
        .walk(dir, |e| !e.file_name().to_string_lossy().starts_with('.'))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().ends_with('~'))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            let name = crate::urls::slash_path(rel);
            Some((e.path().to_path_buf(), name))
        })
        .collect()
}

/// `labels.fr`, overlaid with `labels.<lang>` when the site is not French.
fn labels(text: &str, file: &Path, config: &Config) -> Result<Map<String, Value>, Vec<Diagnostic>> {
    let value = yaml::parse(text).map_err(|e| {
        let location = crate::diagnostics::Location::in_text(file, text, e.line, e.column, 1);
        vec![Diagnostic::yaml(&e, location)]
    })?;
    let all = value.get("labels").cloned().unwrap_or(Value::Null);
    let mut labels = all
        .get("fr")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let lang = config.language.to_ascii_lowercase();
    let short = lang.split(['-', '_']).next().unwrap_or("fr");
    if let Some(own) = all.get(short).and_then(Value::as_object) {
        for (k, v) in own {
            labels.insert(k.clone(), v.clone());
        }
    }
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_deep_theme_yaml_gets_the_code_of_front_matter() {
        let config = crate::config::parse(
            Path::new("site.yaml"),
            "title: x\nbase_url: https://x.example/\n",
        )
        .unwrap();
        let text = format!("labels:\n  fr: {}\n", "{a: ".repeat(100));
        let e = labels(&text, Path::new("theme.yaml"), &config).unwrap_err();
        assert_eq!(e[0].code, "yaml-too-deep", "{e:?}");
    }

    #[test]
    fn unknown_theme_points_at_its_line_and_suggests() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.yaml"), "title: x\ntheme: sobre\n").unwrap();
        std::fs::create_dir_all(root.join("themes/sobres")).unwrap();
        let d = unknown_theme(root, "sobre");
        assert_eq!(d.location.as_ref().map(|l| l.line), Some(2));
        assert!(
            d.help.as_deref().unwrap_or("").contains("`sobres`"),
            "{d:?}"
        );
        let d = unknown_theme(root, "zzz");
        assert!(
            d.help.as_deref().unwrap_or("").contains("default, sobres"),
            "{d:?}"
        );
    }
}
