//! Walking `content/` and turning files into [`Content`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::front_matter::{self, FileText, Kind, SectionMeta, Split};
use super::{Asset, Content, Page, Section, Status};
use crate::diagnostics::{shown_path, Diagnostic, Location};
use crate::fields::KeyPlaces;
use crate::i18n;
use crate::inputs::DeadLink;
use crate::slug::{is_slug, slugify};

pub const CONTENT_DIR: &str = "content";

/// What a file under `content/` is.
enum Entry {
    Section(PathBuf),
    Page(PathBuf),
    Asset(PathBuf),
}

/// Loads `root/content`. Every problem is returned; pages with errors are left out.
pub fn load(root: &Path) -> (Content, Vec<Diagnostic>) {
    let content_dir = root.join(CONTENT_DIR);
    let mut diagnostics = Vec::new();
    let entries = walk(root, &content_dir, &mut diagnostics);

    let section_dirs: BTreeSet<PathBuf> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Section(p) => p.parent().map(Path::to_path_buf),
            _ => None,
        })
        .collect();
    let bundle_dirs: BTreeSet<PathBuf> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Page(p) if is_bundle_index(p) => p.parent().map(Path::to_path_buf),
            _ => None,
        })
        .collect();

    let mut content = Content {
        root: root.to_path_buf(),
        ..Content::default()
    };
    let (sections, index_of, kind_unknown) =
        load_sections(root, &content_dir, &section_dirs, &mut diagnostics);
    content.sections = sections;
    let dir_to_section: HashMap<PathBuf, usize> = index_of.into_iter().collect();

    let page_files: Vec<&PathBuf> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Page(p) => Some(p),
            _ => None,
        })
        .collect();
    let loaded: Vec<Result<Page, Failed>> = page_files
        .par_iter()
        .map(|path| {
            let section = owning_section(path, &content_dir, &dir_to_section);
            if kind_unknown[section] {
                // Checked against a guessed kind, every page would get errors
                // that are not its own; the section's error fails the build.
                return Err(Failed::default());
            }
            let kind = content.sections[section].kind;
            load_page(root, &content_dir, path, section, kind)
        })
        .collect();
    for (result, path) in loaded.into_iter().zip(&page_files) {
        match result {
            Ok(page) => content.pages.push(page),
            Err(failed) => {
                diagnostics.extend(failed.diagnostics);
                content.invalid.push(rel_path(&content_dir, path));
                content.partial.extend(failed.partial.map(|page| *page));
            }
        }
    }

    for entry in &entries {
        if let Entry::Asset(path) = entry {
            if let Some(asset) = asset_for(path, &content_dir, &bundle_dirs, &content.pages) {
                content.assets.push(asset);
            }
        }
    }

    link_tree(&mut content);
    content.index();
    check_unique_urls(&content, &mut diagnostics);
    (content, diagnostics)
}

/// Lists the files of `content/`, skipping `_`/`.` names except `_index.md`,
/// symlinks that lead out of the site, and backup copies (each reported).
fn walk(root: &Path, content_dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut inputs = crate::inputs::Inputs::new(root);
    let walked = inputs.walk(content_dir, |e| {
        !is_ignored(e.file_name().to_string_lossy().as_ref())
    });
    diagnostics.extend(inputs.into_diagnostics());
    for item in walked {
        match item {
            Ok(e) if e.file_type().is_file() => {
                let path = e.into_path();
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                if is_backup(&name) {
                    // A copy of a page holds its front matter (a minor's
                    // surname, consent dates): never published, even in a bundle.
                    diagnostics.push(
                        Diagnostic::warning("backup-file", i18n::backup_file())
                            .at_file(&shown_path(root, &path))
                            .help(i18n::hint_backup_file()),
                    );
                    continue;
                }
                match markdown_role(&name) {
                    Some(Role::Section) => entries.push(Entry::Section(path)),
                    Some(Role::Page | Role::BundleIndex) => entries.push(Entry::Page(path)),
                    None => entries.push(Entry::Asset(path)),
                }
            }
            Ok(_) => {}
            Err(e) => {
                let shown = e
                    .path()
                    .map(|p| shown_path(root, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                // walkdir's own text is English and names absolute paths.
                let dead = e
                    .path()
                    .filter(|p| !p.exists())
                    .and_then(|p| crate::inputs::dead_link(root, p));
                let (message, help) = match (e.loop_ancestor(), dead) {
                    (Some(ancestor), _) => (
                        i18n::symlink_loop(shown_path(root, ancestor).display().to_string()),
                        i18n::hint_symlink_loop(),
                    ),
                    (None, Some(DeadLink::Broken(target))) => (
                        i18n::symlink_broken(target.display().to_string()),
                        i18n::hint_symlink_broken(),
                    ),
                    (None, Some(DeadLink::Cycle(links))) => {
                        let chain: Vec<String> =
                            links.iter().map(|l| format!("`{}`", l.display())).collect();
                        (
                            i18n::symlink_cycle(chain.join(" → ")),
                            i18n::hint_symlink_cycle(),
                        )
                    }
                    (None, None) => (i18n::walk_error(e.to_string()), i18n::hint_walk_error()),
                };
                diagnostics.push(
                    Diagnostic::error("walk-error", message)
                        .at_file(&shown)
                        .help(help),
                );
            }
        }
    }
    entries
}

fn is_ignored(name: &str) -> bool {
    (name.starts_with('_') && name != "_index.md") || name.starts_with('.')
}

/// Endings of backup, temporary and editor files.
const BACKUP_ENDINGS: [&str; 14] = [
    ".bak", ".bck", ".bkp", ".backup", ".orig", ".rej", ".old", ".save", ".sav", ".swp", ".swo",
    ".tmp", ".temp", "~",
];

/// Whether `name` is an editor or backup copy (`x.md.bak`, `x.md~`,
/// `#x.md#`, `x.md.1`, `~$x.docx`…), whatever its case. Anything whose name
/// holds a Markdown extension followed by more is one: a copy of a page.
pub fn is_backup(name: &str) -> bool {
    let lower = name.to_lowercase();
    let copy_of_page = [".md.", ".markdown.", ".md~", ".markdown~"]
        .iter()
        .any(|ext| lower.contains(ext));
    copy_of_page
        || (lower.len() > 1 && lower.starts_with('#') && lower.ends_with('#'))
        || lower.starts_with("~$")
        || BACKUP_ENDINGS.iter().any(|end| lower.ends_with(end))
        || is_copy_of_page(&lower)
}

/// Suffixes of a page's name (before `.md`) that file managers, editors
/// and merge tools give its copies: `nora - Copie.md`, `x.bak.md`, `x_old.md`.
const COPY_SUFFIXES: [&str; 16] = [
    " - copie",
    " - copy",
    " copie",
    " copy",
    "_old",
    "_bak",
    "_backup",
    "_orig",
    "_copie",
    "_copy",
    "-old",
    "_ancien",
    "-ancien",
    " (copie)",
    " (copy)",
    " (conflit)",
];
/// What synchronisation tools put in a conflicting copy's name: Dropbox,
/// OneDrive (« copie en conflit »), Syncthing, Nextcloud. Such a copy holds
/// an older text: a withdrawn testimonial would come back.
const CONFLICT_MARKS: [&str; 6] = [
    "(conflicted copy",
    "(copie en conflit",
    ".sync-conflict-",
    " (conflict",
    "(conflit",
    "_conflict-",
];
/// Prefixes Windows gives a copy: `Copie de nora.md`, `Copy of nora.md`.
const COPY_PREFIXES: [&str; 2] = ["copie de ", "copy of "];

/// Whether `lower`, a lower-case file name, is a Markdown page saved under
/// a copy's name (its front matter would be published as a second page).
/// Real names that merely hold such a word (`copie-conforme.md`,
/// `old-school.md`) are not: only the shapes tools write count.
fn is_copy_of_page(lower: &str) -> bool {
    let Some(stem) = lower
        .strip_suffix(".md")
        .or_else(|| lower.strip_suffix(".markdown"))
    else {
        return false;
    };
    // A number the tool added: `nora - Copie (2)`, `nora copy 2`, `nora (1)`.
    let unnumbered = strip_copy_number(stem);
    if unnumbered != stem && stem.ends_with(')') {
        // `nora (1)`: a number in brackets alone marks a downloaded or
        // pasted copy.
        return true;
    }
    let base = unnumbered.trim_end();
    COPY_SUFFIXES.iter().any(|s| base.ends_with(s))
        || COPY_PREFIXES.iter().any(|p| stem.starts_with(p))
        || (stem.starts_with("copie (") || stem.starts_with("copy ("))
            && (stem.contains(") de ") || stem.contains(") of "))
        || BACKUP_ENDINGS.iter().any(|end| stem.ends_with(end))
        || is_merge_copy(stem)
        || CONFLICT_MARKS.iter().any(|mark| stem.contains(mark))
        || bracketed_copy(stem)
        || is_machine_copy(stem)
}

/// `nora (copie 2)`, `nora (copy)`, `nora (conflit)`: a last bracket that
/// names a copy.
fn bracketed_copy(stem: &str) -> bool {
    let Some(inner) = stem
        .strip_suffix(')')
        .and_then(|s| s.rfind(" (").map(|i| &s[i + 2..]))
    else {
        return false;
    };
    ["copie", "copy", "conflit", "conflict"]
        .iter()
        .any(|w| inner.starts_with(w))
}

/// OneDrive's copy of a file edited on two computers: `nora-DESKTOP-AB12CD`
/// (the other computer's name, upper case in the real name, so a test on
/// `lower` alone would catch `nora-desktop-ideas`: only the shape counts).
fn is_machine_copy(stem: &str) -> bool {
    let Some((_, machine)) = stem
        .rsplit_once("-desktop-")
        .or_else(|| stem.rsplit_once("-laptop-"))
    else {
        return false;
    };
    (4..=10).contains(&machine.len())
        && machine.bytes().all(|b| b.is_ascii_alphanumeric())
        && machine.bytes().any(|b| b.is_ascii_digit())
}

/// `stem` without a trailing copy number: ` (2)`, `(2)` or ` 2`.
fn strip_copy_number(stem: &str) -> &str {
    if let Some((inner, i)) = stem
        .strip_suffix(')')
        .and_then(|s| s.rfind('(').map(|i| (s, i)))
    {
        let digits = &inner[i + 1..];
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return &stem[..i];
        }
    }
    let trimmed = stem.trim_end_matches(|c: char| c.is_ascii_digit());
    if trimmed.len() < stem.len() && trimmed.ends_with(' ') {
        return trimmed;
    }
    stem
}

/// git mergetool's copies during a conflict: `x_BACKUP_1234`, `x_BASE_1234`,
/// `x_LOCAL_1234`, `x_REMOTE_1234`.
fn is_merge_copy(stem: &str) -> bool {
    let Some((before, number)) = stem.rsplit_once('_') else {
        return false;
    };
    !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && ["_backup", "_base", "_local", "_remote"]
            .iter()
            .any(|tag| before.ends_with(tag) && before.len() > tag.len())
}

/// What a Markdown file is for, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `_index.md`: a section's own page.
    Section,
    /// `index.md`: the page of a bundle (its folder's other files go with it).
    BundleIndex,
    Page,
}

/// The role of a file named `name`, or `None` when it is not Markdown.
/// Sections are `_index.md` exactly (other `_` names are ignored); page
/// extensions are matched whatever their case, and `.markdown` counts too:
/// a page saved as `Stage.MD` must be built, never copied out as raw text
/// with its front matter (a minor's surname, consent dates).
fn markdown_role(name: &str) -> Option<Role> {
    if name == "_index.md" {
        return Some(Role::Section);
    }
    let lower = name.to_lowercase();
    let stem = lower
        .strip_suffix(".md")
        .or_else(|| lower.strip_suffix(".markdown"))?;
    Some(if stem == "index" {
        Role::BundleIndex
    } else {
        Role::Page
    })
}

/// Whether `path` is the page of a bundle (`index.md`).
fn is_bundle_index(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| markdown_role(&n.to_string_lossy()) == Some(Role::BundleIndex))
}

/// `path` relative to `content_dir`, `/`-separated: a page's `rel` key.
pub fn rel_path(content_dir: &Path, path: &Path) -> String {
    crate::urls::slash_path(path.strip_prefix(content_dir).unwrap_or(path))
}

/// The text of a content file: UTF-8, without BOM, with `\n` line ends.
pub fn read_text(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    let shown = shown_path(root, path);
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::unreadable(&shown, &e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..valid].iter().filter(|b| **b == b'\n').count() + 1;
        // Show the line, the bad byte as "�", so the writer sees where it is
        // (a Windows-1252 "é" typically).
        let line_start = bytes[..valid]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let line_end = bytes[valid..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |i| valid + i);
        let column = String::from_utf8_lossy(&bytes[line_start..valid])
            .chars()
            .count()
            + 1;
        let line_text = String::from_utf8_lossy(&bytes[line_start..line_end])
            .trim_end_matches('\r')
            .to_string();
        Diagnostic::error("not-utf8", i18n::not_utf8(line))
            .at(Location {
                line,
                column,
                len: 1,
                line_text,
                file: shown.clone(),
            })
            .help(i18n::hint_not_utf8())
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

fn split_or_report<'a>(shown: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    front_matter::split(text).map_err(|_| {
        Diagnostic::error("unclosed-front-matter", i18n::front_matter_unclosed())
            .at(Location::in_text(shown, text, 1, 1, 3))
            .help(i18n::hint_front_matter_unclosed())
    })
}

/// Reads every `_index.md`; index 0 is the home page (content root). The
/// third list tells, per section, whether its kind is unknown because its
/// `_index.md` (or a parent's) is broken.
fn load_sections(
    root: &Path,
    content_dir: &Path,
    section_dirs: &BTreeSet<PathBuf>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Section>, BTreeMap<PathBuf, usize>, Vec<bool>) {
    let mut sections = vec![Section {
        file: shown_path(root, &content_dir.join("_index.md")),
        rel: "_index.md".into(),
        kind: Kind::Page,
        meta: SectionMeta::default(),
        path: String::new(),
        parent: None,
        pages: Vec::new(),
        subsections: Vec::new(),
        text: String::new(),
        body_start: 0,
        keys: KeyPlaces::default(),
    }];
    let mut kind_unknown = vec![false];
    // BTreeSet order puts parents before children, so kinds can be inherited.
    let mut index_of: BTreeMap<PathBuf, usize> = BTreeMap::new();
    index_of.insert(content_dir.to_path_buf(), 0);
    for dir in section_dirs {
        let file = dir.join("_index.md");
        let shown = shown_path(root, &file);
        let (read, text, body_start) = match read_section(root, &file, &shown) {
            Ok(v) => v,
            Err(d) => {
                let read = front_matter::SectionRead {
                    diagnostics: vec![d],
                    kind_unknown: true,
                    ..Default::default()
                };
                (read, String::new(), 0)
            }
        };
        diagnostics.extend(read.diagnostics);
        let meta = read.meta;
        let keys = read.keys;
        let parent = if dir == content_dir {
            None
        } else {
            Some(nearest_section(dir, content_dir, &index_of))
        };
        let inherited = parent.map_or(Kind::Page, |p| sections[p].kind);
        let unknown =
            meta.kind.is_none() && (read.kind_unknown || parent.is_some_and(|p| kind_unknown[p]));
        let section = Section {
            file: shown,
            rel: rel_path(content_dir, &file),
            kind: meta.kind.unwrap_or(inherited),
            meta,
            path: dir_path(content_dir, dir),
            parent,
            pages: Vec::new(),
            subsections: Vec::new(),
            text,
            body_start,
            keys,
        };
        if dir == content_dir {
            sections[0] = section;
            kind_unknown[0] = unknown;
        } else {
            index_of.insert(dir.clone(), sections.len());
            sections.push(section);
            kind_unknown.push(unknown);
        }
    }
    (sections, index_of, kind_unknown)
}

fn read_section(
    root: &Path,
    file: &Path,
    shown: &Path,
) -> Result<(front_matter::SectionRead, String, usize), Diagnostic> {
    let text = read_text(root, file)?;
    let split = split_or_report(shown, &text)?;
    let read = front_matter::read_section_parts(&FileText {
        shown,
        text: &text,
        split: &split,
    });
    let body_start = text.len() - split.body.len();
    Ok((read, text, body_start))
}

/// The section owning a directory: itself or its nearest ancestor with `_index.md`.
fn nearest_section(dir: &Path, content_dir: &Path, index_of: &BTreeMap<PathBuf, usize>) -> usize {
    dir.ancestors()
        .skip(1)
        .take_while(|a| a.starts_with(content_dir))
        .find_map(|a| index_of.get(a).copied())
        .unwrap_or(0)
}

fn owning_section(
    page: &Path,
    content_dir: &Path,
    dir_to_section: &HashMap<PathBuf, usize>,
) -> usize {
    let mut dir = page.parent();
    // A bundle's own folder is the page, not a section.
    if is_bundle_index(page) {
        dir = dir.and_then(Path::parent);
    }
    while let Some(d) = dir {
        if let Some(i) = dir_to_section.get(d) {
            return *i;
        }
        if d == content_dir {
            break;
        }
        dir = d.parent();
    }
    0
}

/// Site path of the page that the Markdown file `file` (not a bundle's
/// `index.md`) becomes when it has no `slug:` (`temoignages/mon-stage/`),
/// as [`load`] works it out: for `vitrine new`, before the page is loaded.
pub fn plain_page_path(content_dir: &Path, file: &Path) -> String {
    let dir = dir_path(content_dir, file.parent().unwrap_or(content_dir));
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    format!("{dir}{}/", slugify(&stem))
}

/// Site path of a content folder: each folder name slugified (`temoignages/`).
fn dir_path(content_dir: &Path, dir: &Path) -> String {
    let rel = dir.strip_prefix(content_dir).unwrap_or(Path::new(""));
    let mut path = String::new();
    for c in rel.components() {
        path.push_str(&slugify(&c.as_os_str().to_string_lossy()));
        path.push('/');
    }
    path
}

/// A page that could not be loaded: its problems, and what could be read
/// of it, so that its relations and links are checked in the same run.
#[derive(Debug, Default)]
struct Failed {
    diagnostics: Vec<Diagnostic>,
    partial: Option<Box<Page>>,
}

impl From<Diagnostic> for Failed {
    fn from(d: Diagnostic) -> Failed {
        Failed {
            diagnostics: vec![d],
            partial: None,
        }
    }
}

fn load_page(
    root: &Path,
    content_dir: &Path,
    path: &Path,
    section: usize,
    kind: Kind,
) -> Result<Page, Failed> {
    let shown = shown_path(root, path);
    let text = read_text(root, path)?;
    let split = split_or_report(&shown, &text)?;
    let file = FileText {
        shown: &shown,
        text: &text,
        split: &split,
    };
    let read = front_matter::read_page_parts(&file, kind);
    let mut diagnostics = read.diagnostics;
    let meta = read.meta;
    let keys = read.keys;
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;

    let is_bundle = is_bundle_index(path);
    let bundle_dir = if is_bundle {
        path.parent().map(Path::to_path_buf)
    } else {
        None
    };
    let name_source = if is_bundle {
        bundle_dir.as_deref().and_then(Path::file_name)
    } else {
        path.file_stem()
    };
    let natural_slug = slugify(
        &name_source
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
    );
    let slug = match &meta.common.slug {
        Some(s) if is_slug(s) => s.clone(),
        Some(s) => {
            // `slug: ""` has nothing to name, nor to slugify: offer the file's own.
            let message = if s.trim().is_empty() {
                i18n::empty_slug()
            } else {
                i18n::bad_slug(s)
            };
            diagnostics.push(
                Diagnostic::error("bad-slug", message)
                    .at(keys.locate(&shown, &text, "slug"))
                    .help(i18n::hint_bad_slug(crate::slug::slugify_or(
                        s,
                        &natural_slug,
                    ))),
            );
            natural_slug
        }
        None => natural_slug,
    };
    if slug.len() > crate::output::NAME_MAX {
        // The page's folder in the output could not be created.
        let location = match &meta.common.slug {
            Some(_) => keys.locate(&shown, &text, "slug"),
            None => Location::in_text(&shown, &text, 1, 1, 0),
        };
        diagnostics.push(
            Diagnostic::error(
                "name-too-long",
                i18n::slug_too_long(slug.len(), crate::output::NAME_MAX),
            )
            .at(location)
            .help(i18n::hint_slug_too_long(shorter_slug(&slug))),
        );
    }
    let parent_dir = if is_bundle {
        bundle_dir.as_deref().and_then(Path::parent)
    } else {
        path.parent()
    };
    let dir = dir_path(content_dir, parent_dir.unwrap_or(content_dir));
    let status = if meta.common.draft {
        Status::Draft
    } else {
        Status::Published
    };
    let page = Page {
        file: shown,
        rel: rel_path(content_dir, path),
        kind,
        slug: slug.clone(),
        path: format!("{dir}{slug}/"),
        sort_title: super::collation_key(&meta.common.title),
        meta,
        section,
        body_start,
        body_line,
        keys,
        text,
        bundle_dir,
        status,
    };
    if diagnostics.is_empty() {
        Ok(page)
    } else {
        Err(Failed {
            diagnostics,
            // Never published: only checked.
            partial: Some(Box::new(Page {
                status: Status::Draft,
                ..page
            })),
        })
    }
}

/// The first words of `slug` (ASCII), up to 60 bytes: a slug to suggest
/// in place of one too long for the file system.
fn shorter_slug(slug: &str) -> String {
    const LEN: usize = 60;
    let mut out = String::new();
    for word in slug.split('-').filter(|w| !w.is_empty()) {
        if !out.is_empty() && out.len() + 1 + word.len() > LEN {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    // One word longer than that: cut it (slugs are ASCII).
    out.chars().take(LEN).collect()
}

/// Where a non-Markdown file goes: beside its bundle's page, or as-is.
fn asset_for(
    path: &Path,
    content_dir: &Path,
    bundle_dirs: &BTreeSet<PathBuf>,
    pages: &[Page],
) -> Option<Asset> {
    let bundle = path.ancestors().skip(1).find(|a| bundle_dirs.contains(*a));
    let (dest, bundle) = match bundle {
        Some(dir) => {
            // The bundle's page may have been dropped for errors; its files then wait too.
            let index = pages
                .iter()
                .position(|p| p.bundle_dir.as_deref() == Some(dir))?;
            let page = &pages[index];
            let inner = path.strip_prefix(dir).ok()?;
            let inner = crate::urls::slash_path(inner);
            (format!("{}{inner}", page.path), Some(index))
        }
        None => {
            let parent = path.parent().unwrap_or(content_dir);
            let name = path.file_name()?.to_string_lossy().to_string();
            (format!("{}{name}", dir_path(content_dir, parent)), None)
        }
    };
    Some(Asset {
        source: path.to_path_buf(),
        dest,
        bundle,
    })
}

/// Fills `pages` and `subsections` of every section, in file order.
fn link_tree(content: &mut Content) {
    for (i, page) in content.pages.iter().enumerate() {
        content.sections[page.section].pages.push(i);
    }
    for i in 1..content.sections.len() {
        if let Some(parent) = content.sections[i].parent {
            content.sections[parent].subsections.push(i);
        }
    }
}

/// Two files writing the same URL is an error naming both.
fn check_unique_urls(content: &Content, diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for s in &content.sections {
        // Folders that slug alike (`Économie/`, `economie/`).
        if let Some(other) = seen.insert(s.path.as_str(), s.file.as_path()) {
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-url",
                    i18n::duplicate_url(format!("/{}", s.path), other.display().to_string()),
                )
                .at(Location::in_text(&s.file, &s.text, 1, 1, 0))
                .help(i18n::hint_duplicate_section_url()),
            );
        }
    }
    for p in &content.pages {
        if let Some(other) = seen.insert(p.path.as_str(), p.file.as_path()) {
            // A `slug:` is what the writer chose: point at it.
            let location = match &p.meta.common.slug {
                Some(_) => p.locate("slug"),
                None => Location::in_text(&p.file, &p.text, 1, 1, 0),
            };
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-url",
                    i18n::duplicate_url(format!("/{}", p.path), other.display().to_string()),
                )
                .at(location)
                .help(i18n::hint_duplicate_url()),
            );
        }
    }
}

/// The folder a generated page's file is shown in: no file of the site.
pub const GENERATED: &str = "(vitrine)";

/// Adds a page that vitrine writes itself (the institution pages) at
/// `rel` in `content/`, in the home section, unless a writer's page is
/// already there or at its address: theirs wins. Its file is shown as
/// `(vitrine) rel`, which nobody can open, so its text must be right.
pub fn add_generated_page(
    content: &mut Content,
    rel: &str,
    title: &str,
    markdown: &str,
    drafts: bool,
    lang: i18n::Lang,
) {
    let slug = slugify(rel.trim_end_matches(".md"));
    let path = format!("{slug}/");
    // A writer's page in its place replaces it; a draft does only where
    // drafts are shown (the preview): a published site keeps this one.
    let replaced = content
        .pages
        .iter()
        .any(|p| (p.rel == rel || p.path == path) && (drafts || !p.meta.common.draft));
    if replaced {
        return;
    }
    // The theme shows a page's summary as its lead: the opening paragraph
    // goes there, as plain text, and not a second time in the body.
    let (lead, body) = split_lead(markdown);
    let title_yaml = serde_json::to_string(title).unwrap_or_default();
    let summary = match plain_text(lead, lang) {
        lead if lead.is_empty() => String::new(),
        lead => format!(
            "summary: {}\n",
            serde_json::to_string(&lead).unwrap_or_default()
        ),
    };
    let text = format!("---\ntitle: {title_yaml}\n{summary}---\n{body}");
    let shown = Path::new(GENERATED).join(rel);
    let Ok(split) = front_matter::split(&text) else {
        return;
    };
    let read = front_matter::read_page_parts(
        &FileText {
            shown: &shown,
            text: &text,
            split: &split,
        },
        Kind::Page,
    );
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;
    content.pages.push(Page {
        file: shown,
        rel: rel.to_string(),
        kind: Kind::Page,
        slug,
        path,
        sort_title: super::collation_key(title),
        meta: read.meta,
        section: 0,
        body_start,
        body_line,
        keys: read.keys,
        text,
        bundle_dir: None,
        status: Status::Published,
    });
    // Not in the home section's list: the menu shows those; these pages
    // are linked from every page's footer instead.
    content.index();
}

/// A generated page's opening paragraph and the rest of its Markdown.
fn split_lead(markdown: &str) -> (&str, &str) {
    let markdown = markdown.trim_start_matches('\n');
    match markdown.split_once("\n\n") {
        Some((lead, rest)) if !lead.starts_with('#') => (lead, rest),
        _ => ("", markdown),
    }
}

/// The text a reader sees of a Markdown paragraph, without its marks, with
/// the typography the page's body would have had.
fn plain_text(markdown: &str, lang: i18n::Lang) -> String {
    use pulldown_cmark::{Event, Parser};
    let events = Parser::new_ext(markdown, crate::markdown::options());
    let events: Vec<Event> = match lang {
        i18n::Lang::Fr => crate::typography::french_events(events).collect(),
        i18n::Lang::En => events.collect(),
    };
    let mut out = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Reads one page again after its file changed (`serve`), keeping its place
/// in the content tree. The caller decides whether the change is local.
pub fn reload_page(content: &Content, index: usize) -> Result<Page, Vec<Diagnostic>> {
    let old = &content.pages[index];
    let path = content.root.join(&old.file);
    let content_dir = content.root.join(CONTENT_DIR);
    let kind = content.sections[old.section].kind;
    load_page(&content.root, &content_dir, &path, old.section, kind).map_err(|f| f.diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Details;

    fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (rel, bytes) in files {
            let path = dir.path().join(CONTENT_DIR).join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        dir
    }

    const PAGE: &[u8] = b"---\ntitle: S\ndate: 2021-01-01\nauthor:\n  name: L\n---\n";

    #[test]
    fn a_generated_pages_lead_is_its_opening_paragraph_as_written() {
        let (lead, body) = split_lead("Lyc\\*e &amp; \\[A\\]\nsuite.\n\n## T\n\nTexte.\n");
        assert_eq!(plain_text(lead, i18n::Lang::En), "Lyc*e & [A] suite.");
        assert_eq!(plain_text("l'article", i18n::Lang::Fr), "l\u{2019}article");
        assert_eq!(body, "## T\n\nTexte.\n");
        assert_eq!(split_lead("## T\n\nTexte.\n"), ("", "## T\n\nTexte.\n"));
    }

    #[test]
    fn a_broken_section_does_not_blame_its_pages() {
        let dir = site(&[
            ("t/_index.md", b"---\nkind: temoignage\n---\n"),
            ("t/a.md", PAGE),
            ("t/sous/b.md", PAGE),
        ]);
        let (content, found) = load(dir.path());
        let codes: Vec<_> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["wrong-type"], "{found:?}");
        assert_eq!(content.invalid, ["t/a.md", "t/sous/b.md"]);
    }

    #[test]
    fn a_page_with_errors_is_kept_aside_for_its_relations_and_links() {
        let dir = site(&[
            ("t/_index.md", b"---\nkind: testimonial\n---\n"),
            (
                "t/a.md",
                "---\ntitle: a : b\ndate: 2021-01-01\nauthor:\n  name: L\nprogramme: x\nslug: \"\"\n---\nVoir [b](@/t/b.md).\n".as_bytes(),
            ),
        ]);
        let (content, found) = load(dir.path());
        let codes: Vec<_> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["yaml-syntax", "bad-slug"], "{found:?}");
        assert!(content.pages.is_empty());
        assert_eq!(content.invalid, ["t/a.md"]);
        let partial = &content.partial[0];
        assert_eq!(partial.status, Status::Draft);
        assert_eq!(partial.body(), "Voir [b](@/t/b.md).\n");
        let Details::Testimonial(t) = &partial.meta.details else {
            panic!("kind")
        };
        assert_eq!(t.programme.as_deref(), Some("x"));
    }

    #[test]
    fn an_unreadable_page_is_explained_in_french() {
        // A folder named like a page cannot be read as one, even as root.
        let dir = site(&[("a.md/x.txt", b"x")]);
        let path = dir.path().join("content/a.md");
        let found = read_text(dir.path(), &path).unwrap_err();
        assert_eq!(found.code, "unreadable");
        assert!(
            found.message.contains("c'est un dossier, pas un fichier"),
            "{}",
            found.message
        );
        assert!(!found.message.contains("directory"), "{}", found.message);
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(&*i18n::io_reason(&denied), "accès refusé");
    }

    #[test]
    fn a_non_utf8_file_shows_its_bad_line() {
        let dir = site(&[("a.md", b"---\ntitle: Caf\xe9\n---\n")]);
        let (_, found) = load(dir.path());
        let loc = found[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (2, 11));
        assert_eq!(loc.line_text, "title: Caf\u{fffd}");
    }

    #[test]
    fn an_empty_slug_suggests_the_file_name() {
        let dir = site(&[("Mon stage.md", b"---\ntitle: S\nslug: \"\"\n---\n")]);
        let (_, found) = load(dir.path());
        assert_eq!(found[0].code, "bad-slug");
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap_or("")
                .contains("`mon-stage`"),
            "{found:?}"
        );
    }

    #[test]
    fn a_slug_too_long_for_the_file_system_is_named_at_its_line() {
        let slug = "un-tres-long-stage".repeat(20);
        let text = format!("---\ntitle: S\nslug: {slug}\n---\n");
        let dir = site(&[("a.md", text.as_bytes())]);
        let (content, found) = load(dir.path());
        assert!(content.pages.is_empty());
        assert_eq!(found[0].code, "name-too-long");
        assert_eq!(found[0].location.as_ref().map(|l| l.line), Some(3));
        let help = found[0].help.as_deref().unwrap_or("");
        assert!(
            help.contains("`slug: un-tres-long-stageun-tres-long-stageun-tres-long-stageun`"),
            "{help}"
        );
        assert_eq!(shorter_slug("a-b"), "a-b");
        assert_eq!(shorter_slug(&"x".repeat(300)).len(), 60);
    }

    #[test]
    fn backup_copies_are_recognised_by_name() {
        for name in [
            "x.md.bak",
            "x.md.orig",
            "#x.md#",
            "x.md.save",
            "x.md.swp",
            "x.md.tmp",
            "x.md.1",
            "x.md~",
            ".x.md.swp",
            "x.md.rej",
            "x.markdown.bak",
            "X.MD.BAK",
            "Stage.Markdown.Orig",
            "photo.jpg.bak",
            "~$rapport.docx",
            "fiche.pdf~",
            "nora - Copie.md",
            "nora - Copie (2).md",
            "nora - Copy.md",
            "Copie de nora.md",
            "Copy of nora.md",
            "Copie (2) de nora.md",
            "nora (1).md",
            "nora(3).MD",
            "nora copy.md",
            "nora copy 2.md",
            "nora copie.md",
            "x.bak.md",
            "x.old.md",
            "X_OLD.md",
            "x.orig.md",
            "x_BACKUP_1234.md",
            "x_BASE_1234.md",
            "x_LOCAL_1234.md",
            "x_REMOTE_1234.md",
            "~$x.md",
            "NORA - COPIE.MARKDOWN",
            // Review of #13: synchronisation tools' conflict copies.
            "ana (conflicted copy 2025-06-02).md",
            "ana.sync-conflict-20250602-101010-ABCDEFG.md",
            "ana (Copie 2).md",
            "ana (copie).md",
            "ana (copie en conflit de PC-Claire 2025-06-02).md",
            "ana (Conflit).md",
            "ana-DESKTOP-AB12CD.md",
            "ana-old.md",
            "ana_ancien.md",
        ] {
            assert!(is_backup(name), "{name}");
        }
        for name in [
            "x.md",
            "X.MD",
            "_index.md",
            "photo.jpg",
            "#1.png",
            "bold.txt",
            "md.txt",
            "copie-conforme.md",
            "old-school.md",
            "backup-strategy.md",
            "copy-editing.md",
            "la-copie.md",
            "stage-2024.md",
            "base_2.md",
            "remote_work.md",
            "mode (d'emploi).md",
            "top 10.md",
            "conflits-au-travail.md",
            "old.md",
            "nora-desktop-publishing.md",
        ] {
            assert!(!is_backup(name), "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_broken_symlink_says_where_it_leads() {
        let dir = site(&[("a.md", b"---\ntitle: A\n---\n")]);
        std::os::unix::fs::symlink("/nulle/part", dir.path().join("content/photos")).unwrap();
        let (_, found) = load(dir.path());
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("`/nulle/part`"), "{found:?}");
    }

    #[cfg(unix)]
    #[test]
    fn links_that_lead_to_each_other_are_named_as_a_cycle() {
        let dir = site(&[("a.md", b"---\ntitle: A\n---\n")]);
        let content = dir.path().join("content");
        std::os::unix::fs::symlink("loop2", content.join("loop1")).unwrap();
        std::os::unix::fs::symlink("loop1", content.join("loop2")).unwrap();
        let (_, found) = load(dir.path());
        assert_eq!(found.len(), 2, "{found:?}");
        for d in &found {
            assert!(!d.message.contains("n'existe pas"), "{}", d.message);
        }
        assert!(
            found[0]
                .message
                .contains("`content/loop1` → `content/loop2` → `content/loop1`"),
            "{}",
            found[0].message
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_named_not_followed() {
        let dir = site(&[("a/b.md", b"---\ntitle: B\n---\n")]);
        std::os::unix::fs::symlink("..", dir.path().join("content/a/loop")).unwrap();
        let (content, found) = load(dir.path());
        assert_eq!(content.pages.len(), 1);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, "walk-error");
        assert_eq!(
            found[0].location.as_ref().unwrap().file,
            PathBuf::from("content/a/loop")
        );
        assert!(
            found[0].message.contains("`content`"),
            "{}",
            found[0].message
        );
    }
}
