//! `vitrine new` and `vitrine init`: files that writers start from, every
//! field explained in French in comments. The fields, their placeholders and
//! their comments come from [`crate::schema`].

use std::path::{Path, PathBuf};

use crate::content::front_matter::{self, FileText, Kind};
use crate::content::CONTENT_DIR;
use crate::dates::Date;
use crate::diagnostics::{escape_line, Diagnostic};
use crate::i18n;
use crate::schema::{self, Field, Scope, Ty};
use crate::slug::{slugify_or, without_control_sequences};

/// Where `vitrine new` puts a page of `kind` when `--section` is not given:
/// the first section declaring that kind, else the usual folder.
pub fn default_section(root: &Path, kind: Kind) -> PathBuf {
    let content = root.join(CONTENT_DIR);
    let declared = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "_index.md")
        .find(|e| section_kind(e.path()) == Some(kind))
        .and_then(|e| e.path().parent().map(Path::to_path_buf));
    declared.unwrap_or_else(|| match kind {
        Kind::Testimonial => content.join("temoignages"),
        Kind::Programme => content.join("programmes"),
        Kind::Page => content,
    })
}

fn section_kind(index: &Path) -> Option<Kind> {
    let text = std::fs::read_to_string(index).ok()?;
    let split = front_matter::split(&text).ok()?;
    let file = FileText {
        shown: index,
        text: &text,
        split: &split,
    };
    front_matter::read_section(&file).ok()?.kind
}

/// What `vitrine new` wrote.
#[derive(Debug)]
pub struct NewPage {
    pub path: PathBuf,
    /// The `_index.md` written for a new section of the page's kind.
    pub section: Option<PathBuf>,
}

/// Writes a new page. Never overwrites, never writes outside `content/`, and
/// makes sure the page lands in a section of its kind: a testimonial read as
/// a plain page would fail the build on every testimonial field.
pub fn new_page(
    root: &Path,
    kind: Kind,
    title: &str,
    section: Option<&Path>,
) -> Result<NewPage, Diagnostic> {
    // A title pasted from a terminal: its codes are no part of it.
    let title = without_control_sequences(title);
    let title = title.trim();
    let slug = slugify_or(title, "");
    if slug.is_empty() {
        // Nothing to name the file with: `page.md` for every such title.
        return Err(
            Diagnostic::error("bad-title", i18n::new_title_letterless(title))
                .help(i18n::hint_new_title(kind_words(kind))),
        );
    }
    // Elsewhere than in a site, the page would be written where no build
    // would ever find it (and folders made for it).
    let config = root.join(crate::config::CONFIG_FILE);
    if !config.is_file() {
        return Err(Diagnostic::error(
            "missing-config",
            i18n::config_missing(escape_line(&config.display().to_string())),
        )
        .help(i18n::hint_config_missing()));
    }
    let content = root.join(CONTENT_DIR);
    let dir = match section {
        Some(s) => inside_content(&content, s)?,
        None => default_section(root, kind),
    };
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(Diagnostic::error(
            "file-exists",
            i18n::file_exists(path.display().to_string()),
        )
        .help(i18n::hint_file_exists()));
    }
    let index = dir.join("_index.md");
    let shown_dir = dir.strip_prefix(root).unwrap_or(&dir).display().to_string();
    let created = match declared_kind(&content, &dir) {
        Some(found) if found != kind => {
            return Err(Diagnostic::error(
                "section-kind",
                i18n::section_other_kind(&shown_dir, kind_key(found), kind_key(kind)),
            )
            .help(i18n::hint_section_other_kind(kind_key(kind))));
        }
        Some(_) => None,
        None if kind == Kind::Page => None,
        None if index.exists() => {
            // The section exists but holds plain pages.
            return Err(Diagnostic::error(
                "section-kind",
                i18n::section_other_kind(&shown_dir, kind_key(Kind::Page), kind_key(kind)),
            )
            .at_file(index.strip_prefix(root).unwrap_or(&index))
            .help(i18n::hint_section_add_kind(kind_key(kind))));
        }
        None => {
            write_new(&index, &section_template(kind, &dir))?;
            Some(index)
        }
    };
    let text = template(kind, title, Date::today());
    write_new(&path, &text)?;
    Ok(NewPage {
        path,
        section: created,
    })
}

/// `content/section` for `--section section` (with or without `content/`);
/// an absolute path or `..` is refused: `new` writes inside `content/` only.
fn inside_content(content: &Path, section: &Path) -> Result<PathBuf, Diagnostic> {
    let rel = section.strip_prefix(CONTENT_DIR).unwrap_or(section);
    let plain = rel.components().all(|c| {
        matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    });
    if !plain {
        return Err(Diagnostic::error(
            "bad-section",
            i18n::bad_section(section.display().to_string()),
        )
        .help(i18n::hint_bad_section()));
    }
    Ok(content.join(rel))
}

/// The kind declared by the nearest `_index.md` from `dir` up to `content`
/// (sections inherit their parent's kind).
fn declared_kind(content: &Path, dir: &Path) -> Option<Kind> {
    dir.ancestors()
        .take_while(|d| d.starts_with(content))
        .find_map(|d| section_kind(&d.join("_index.md")))
}

/// How a kind is written on the command line (`vitrine new temoignage`),
/// in French and in English.
fn kind_words(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Testimonial => ("temoignage", "testimonial"),
        Kind::Programme => ("programme", "programme"),
        Kind::Page => ("page", "page"),
    }
}

/// The key of a kind, as written in `kind:`.
fn kind_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Testimonial => "testimonial",
        Kind::Programme => "programme",
        Kind::Page => "page",
    }
}

/// The `_index.md` of a new section holding pages of `kind`.
fn section_template(kind: Kind, dir: &Path) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_default();
    let mut title: String = name.chars().take(1).flat_map(char::to_uppercase).collect();
    title.extend(name.chars().skip(1));
    let values = Values {
        title: quoted(&title),
        today: String::new(),
        kind: kind_key(kind),
    };
    format!("---\n{}---\n", fields_text(Scope::Section, false, &values))
}

fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| Diagnostic::write_failed(path, &e);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    // `create_new` makes the no-overwrite rule hold even against a race.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(fail)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(fail)
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

/// The text of a new page: required fields filled, the others commented.
pub fn template(kind: Kind, title: &str, today: Date) -> String {
    let values = Values {
        title: quoted(title),
        today: today.iso_day(),
        kind: kind_key(kind),
    };
    let body = match kind {
        Kind::Testimonial => {
            "Racontez ici le stage : le contexte, les missions, ce qui a marqué.\n\n## Ce que j'ai découvert\n\n…\n"
        }
        Kind::Programme => {
            "Présentez le programme : ce qu'il propose, à qui, comment il se déroule.\n\n## Comment participer\n\n…\n"
        }
        Kind::Page => "Écrivez le texte de la page ici.\n",
    };
    format!(
        "---\n{}---\n\n{body}",
        fields_text(Scope::of(kind), false, &values)
    )
}

/// What replaces the placeholders of [`Field::example`].
struct Values {
    /// Already quoted for YAML.
    title: String,
    today: String,
    kind: &'static str,
}

/// Comments start in this column, when the line leaves room.
const COMMENT_COLUMN: usize = 30;

/// The YAML lines of every field of `scope`, each with its help as a
/// comment: required ones (or all, with `fill_all`) written with their
/// placeholder, the others commented out.
fn fields_text(scope: Scope, fill_all: bool, values: &Values) -> String {
    let mut text = String::new();
    for field in schema::fields_of(scope, "") {
        // A block (`publisher:`, `accessibility:`) is the writer's to fill:
        // an example audit would claim an accessibility the site may not have.
        let block = matches!(field.ty, Ty::Mapping);
        let written = (fill_all && !block) || field.filled || field.is_required_in(scope);
        let line = if written { "" } else { "# " };
        push_field(&mut text, field, line, values);
        if matches!(field.ty, Ty::Mapping) {
            for child in schema::fields_of(scope, field.key) {
                // Under a written mapping, the `#` sits at the field's own
                // indentation, as an editor comments a line out.
                let line = match (
                    written,
                    fill_all || child.filled || child.is_required_in(scope),
                ) {
                    (false, _) => "#   ",
                    (true, true) => "  ",
                    (true, false) => "  # ",
                };
                push_field(&mut text, child, line, values);
            }
        }
    }
    text
}

/// One field's line, after `start` (its indentation and `#`, if any).
fn push_field(text: &mut String, field: &Field, start: &str, values: &Values) {
    let value = match field.ty {
        Ty::Mapping => String::new(),
        _ => format!(
            " {}",
            field
                .example_value()
                .replace("{title}", &values.title)
                .replace("{today}", &values.today)
                .replace("{kind}", values.kind)
        ),
    };
    let line = format!("{start}{}:{value}", field.name());
    // Backticks mark code in the docs; a comment is read as plain text.
    let help = field.help[0].replace('`', "");
    text.push_str(&format!("{line:<COMMENT_COLUMN$} # {help}\n"));
}

/// The folder of every cache of the build (see [`crate::images::CACHE_DIR`]).
const CACHE_FOLDER: &str = ".vitrine-cache";

/// Creates a new site in `dir` that builds as-is.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::error(
            "init-not-folder",
            i18n::init_not_folder(escape_line(&dir.display().to_string())),
        )
        .help(i18n::hint_init_not_empty()));
    }
    let not_empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if not_empty {
        return Err(Diagnostic::error(
            "init-not-empty",
            i18n::init_not_empty(dir.display().to_string()),
        )
        .help(i18n::hint_init_not_empty()));
    }
    let today = Date::today();
    let site_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "Stages".to_string());
    let files: Vec<(&str, String)> = vec![
        ("site.yaml", site_yaml(&site_name)),
        // What the build makes is no source: a school's Git repository keeps
        // neither the site (`public/`) nor the resized pictures.
        (".gitignore", format!("/public/\n/{}/\n", CACHE_FOLDER)),
        ("content/_index.md", "---\ntitle: \"Stages et témoignages\"\n---\n\nBienvenue ! Ce site rassemble les récits de nos stagiaires et présente les programmes qui les accueillent.\n".into()),
        ("content/temoignages/_index.md", "---\ntitle: \"Témoignages\"\nkind: testimonial\nsort_by: date\n---\n\nCe que nos stagiaires racontent.\n".into()),
        ("content/programmes/_index.md", "---\ntitle: \"Programmes\"\nkind: programme\nsort_by: title\n---\n\nLes dispositifs de stage et d'immersion.\n".into()),
        ("content/programmes/decouverte.md",
            "---\ntitle: \"Semaine de découverte\"\norganiser: \"Votre établissement\"\naudience: \"Élèves de 3e\"\nformat: on-site\nduration: \"1 semaine\"\nsummary: \"Une semaine pour découvrir un métier.\"\n---\n\nDécrivez ici le programme.\n\n## Comment participer\n\nIndiquez les démarches.\n".into()
        ),
        ("content/temoignages/premier-temoignage.md", format!(
            "---\ntitle: \"Mon premier témoignage\"\ndate: {}\nauthor:\n  name: \"Camille\"\n  role: \"Élève de 3e\"\nprogramme: decouverte\nformat: on-site\nlevel: \"3e\"\nquote: \"Une semaine qui m'a donné envie d'en savoir plus.\"\ntags: [\"Découverte\"]\nconsent:                 # accord écrit de publication (voir le guide)\n  obtained: {}\n  minor: true            # seul le prénom d'un ou d'une mineure est publié\n  guardian: true         # accord du représentant légal, obligatoire pour un mineur\n---\n\nRemplacez ce texte par le récit d'un ou d'une stagiaire.\n",
            today.iso_day(),
            today.iso_day()
        )),
        ("content/a-propos.md", "---\ntitle: \"À propos\"\n---\n\nQui publie ce site, et comment joindre l'équipe.\n".into()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        write_new(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

fn site_yaml(name: &str) -> String {
    let values = Values {
        title: quoted(name),
        today: Date::today().iso_day(),
        kind: "",
    };
    format!(
        "# Configuration du site (voir le README de vitrine).\n{}",
        fields_text(Scope::Site, true, &values)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` with its commented-out fields written: `# role: …` and
    /// `  # role: …` become `role: …` at their indentation.
    fn uncommented(text: &str) -> String {
        text.lines()
            .map(|line| {
                let field = line.replacen("# ", "", 1);
                let is_field = field.trim_start().split_once(':').is_some_and(|(key, _)| {
                    key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                });
                if line.trim_start().starts_with("# ") && is_field {
                    field
                } else {
                    line.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    }

    /// The value at `key` (`consent.minor`) in `yaml`.
    fn lookup<'v>(yaml: &'v serde_json::Value, key: &str) -> Option<&'v serde_json::Value> {
        key.split('.').try_fold(yaml, |v, k| v.get(k))
    }

    /// Every field of the schema is in the scaffold of its kind, and the
    /// scaffold with every field uncommented reads without a mistake.
    #[test]
    fn every_field_is_in_the_scaffold_of_its_kind() {
        let today = Date::parse("2026-01-15").unwrap();
        let cases = [
            (Scope::Testimonial, template(Kind::Testimonial, "T", today)),
            (Scope::Programme, template(Kind::Programme, "T", today)),
            (Scope::Page, template(Kind::Page, "T", today)),
            (
                Scope::Section,
                section_template(Kind::Testimonial, Path::new("a")),
            ),
            (Scope::Site, site_yaml("S")),
        ];
        for (scope, text) in cases {
            let full = uncommented(&text);
            let yaml_text = match front_matter::split(&full) {
                Ok(split) if split.has_front_matter => split.yaml.to_string(),
                _ => full.clone(),
            };
            let yaml = crate::yaml::parse(&yaml_text).unwrap();
            for field in schema::all_of(scope) {
                assert!(
                    lookup(&yaml, field.key).is_some(),
                    "{scope:?}: `{}` missing from\n{text}",
                    field.key
                );
            }
            let split = front_matter::split(&full).unwrap();
            let file = FileText {
                shown: Path::new("x.md"),
                text: &full,
                split: &split,
            };
            let problems = match scope {
                Scope::Site => crate::config::parse(Path::new("site.yaml"), &full)
                    .err()
                    .unwrap_or_default(),
                Scope::Section => front_matter::read_section_parts(&file).diagnostics,
                _ => {
                    let kind = [Kind::Testimonial, Kind::Programme, Kind::Page]
                        .into_iter()
                        .find(|k| Scope::of(*k) == scope)
                        .unwrap();
                    let read = front_matter::read_page_parts(&file, kind);
                    read.diagnostics
                        .into_iter()
                        .chain(read.meta.warnings)
                        .collect()
                }
            };
            assert!(problems.is_empty(), "{scope:?}:\n{full}\n{problems:#?}");
        }
    }

    #[test]
    fn required_fields_are_filled_and_optional_ones_commented() {
        let text = template(
            Kind::Testimonial,
            "Mon stage",
            Date::parse("2026-01-15").unwrap(),
        );
        for line in [
            "title: \"Mon stage\"",
            "date: 2026-01-15",
            "draft: true",
            "author:",
            "  name: \"Prénom Nom\"",
            "  # role: \"Élève de 3e\"",
            "# organisation: \"…\"",
            "# consent:",
            "#   minor: true",
        ] {
            assert!(
                text.lines().any(|l| l.starts_with(&format!("{line} "))),
                "{line}\n{text}"
            );
        }
        // The help, in French, as the comment.
        assert!(
            text.contains("# level: \"3e\"                  # Le niveau d'études : 3e, Bac+2"),
            "{text}"
        );
    }

    #[test]
    fn the_cache_folder_is_the_images_one() {
        assert!(crate::images::CACHE_DIR.starts_with(&format!("{CACHE_FOLDER}/")));
    }

    #[test]
    fn init_keeps_what_the_build_makes_out_of_git() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        init(&site).unwrap();
        let ignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
        let lines: Vec<&str> = ignore.lines().collect();
        assert_eq!(lines, ["/public/", "/.vitrine-cache/"]);
    }

    #[test]
    fn a_page_is_written_only_in_a_site() {
        let dir = tempfile::tempdir().unwrap();
        let Err(d) = new_page(dir.path(), Kind::Page, "Titre", None) else {
            panic!("written outside a site");
        };
        assert_eq!(d.code, "missing-config");
        assert!(!dir.path().join("content").exists());
    }

    #[test]
    fn init_refuses_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("site.yaml");
        std::fs::write(&file, "x").unwrap();
        let Err(d) = init(&file) else {
            panic!("init over a file");
        };
        assert_eq!(d.code, "init-not-folder");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    }

    #[test]
    fn a_title_without_letters_is_refused_and_terminal_codes_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.yaml"), "title: T\n").unwrap();
        for title in ["", "   ", "!!!", "\u{1b}[31m"] {
            let Err(d) = new_page(root, Kind::Page, title, None) else {
                panic!("{title:?} accepted");
            };
            assert_eq!(d.code, "bad-title", "{title:?}");
        }
        assert!(!root.join("content/page.md").exists());
        let made = new_page(root, Kind::Page, "Titre \u{1b}[31mrouge\u{1b}[0m", None).unwrap();
        assert_eq!(made.path, root.join("content/titre-rouge.md"));
        let text = std::fs::read_to_string(&made.path).unwrap();
        assert!(text.contains("title: \"Titre rouge\""), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
    }

    #[test]
    fn templates_parse_as_their_kind() {
        let today = Date::parse("2026-01-15").unwrap();
        for kind in [Kind::Testimonial, Kind::Programme, Kind::Page] {
            let text = template(kind, "Mon stage à la DINUM", today);
            let split = front_matter::split(&text).unwrap();
            let file = FileText {
                shown: Path::new("x.md"),
                text: &text,
                split: &split,
            };
            let meta = front_matter::read_page(&file, kind);
            assert!(meta.is_ok(), "{kind:?}: {:?}", meta.err());
            assert!(meta.unwrap().common.draft);
        }
    }
}
