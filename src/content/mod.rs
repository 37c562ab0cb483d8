//! The site's content: sections, pages and the files beside them.
//!
//! [`load`] walks `content/`, reads every Markdown file, checks its front
//! matter against its kind and works out its URL. [`rules`] then applies the
//! publication rules (drafts, consent) and checks relations between pages.

pub mod front_matter;
mod loader;
pub mod rules;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostics::Location;
use crate::fields::KeyPlaces;

pub use front_matter::{Details, Format, Kind, PageMeta, SectionMeta, SortBy};
pub use loader::{
    add_generated_page, is_backup, load, plain_page_path, rel_path, reload_page, CONTENT_DIR,
};

/// Why a page is or is not in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Published,
    Draft,
    /// Consent expired or withdrawn: the page must appear nowhere.
    ConsentEnded,
}

/// One Markdown page.
#[derive(Debug, Clone)]
pub struct Page {
    /// File as shown to writers, relative to the site root (`content/a.md`).
    pub file: PathBuf,
    /// Path inside `content/` with `/` separators (`temoignages/lea.md`): the
    /// key of `@/` links and `get_page`.
    pub rel: String,
    pub kind: Kind,
    pub meta: PageMeta,
    pub slug: String,
    /// Site path of the page, relative to the site root (`temoignages/lea/`).
    pub path: String,
    /// Index of the owning section in [`Content::sections`].
    pub section: usize,
    /// The whole file text (for snippets) and where the body starts in it.
    pub text: String,
    pub body_start: usize,
    pub body_line: usize,
    /// Where each key of its front matter is, found when it was read.
    pub keys: KeyPlaces,
    /// Folder of a page bundle (`julien/index.md`), whose other files are copied beside the page.
    pub bundle_dir: Option<PathBuf>,
    pub status: Status,
    /// The title as lists sort it ([`collation_key`]), computed once at load:
    /// a large site sorts its pages several times per build.
    pub sort_title: String,
}

impl Page {
    /// Where the front matter key `key` (`author.name`) is, else its
    /// nearest parent, for a message.
    pub fn locate(&self, key: &str) -> Location {
        self.keys.locate(&self.file, &self.text, key)
    }

    /// Location of `value` as written under the front matter key `key` (a tag
    /// of `tags: [a, b]`, or of a list below the key), else of the key.
    pub fn locate_value(&self, key: &str, value: &str) -> Location {
        let at_key = self.locate(key);
        let key_indent = at_key.column.saturating_sub(1);
        let lines = self.text[..self.body_start.min(self.text.len())].lines();
        for (i, line) in lines.enumerate().skip(at_key.line.saturating_sub(1)) {
            let indent = line.len() - line.trim_start().len();
            let below = i + 1 == at_key.line
                || line.trim().is_empty()
                || indent > key_indent
                || (indent == key_indent && line.trim_start().starts_with('-'));
            if !below || line.trim_end() == "---" {
                break;
            }
            if let Some(found) = line.find(value) {
                return Location {
                    file: self.file.clone(),
                    line: i + 1,
                    column: line[..found].chars().count() + 1,
                    len: value.len(),
                    line_text: line.to_string(),
                };
            }
        }
        at_key
    }

    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or("")
    }

    pub fn is_published(&self) -> bool {
        self.status == Status::Published
    }

    pub fn title(&self) -> &str {
        &self.meta.common.title
    }

    /// The file of a programme's `cover:`, in its bundle.
    pub fn cover_source(&self) -> Option<PathBuf> {
        let Details::Programme(p) = &self.meta.details else {
            return None;
        };
        in_folder(self.bundle_dir.as_deref()?, p.cover.as_deref()?)
    }

    /// Written by vitrine ([`loader::add_generated_page`]), not by a writer.
    pub fn is_generated(&self) -> bool {
        self.file.starts_with(loader::GENERATED)
    }
}

/// French-friendly sort key: accents and case folded, so that « École »
/// sorts with E.
pub fn collation_key(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// A folder with an `_index.md` (or the content root).
#[derive(Debug, Clone)]
pub struct Section {
    pub file: PathBuf,
    /// `temoignages/_index.md`; `_index.md` for the home page.
    pub rel: String,
    pub kind: Kind,
    pub meta: SectionMeta,
    /// Site path (`temoignages/`; empty for the home page).
    pub path: String,
    pub parent: Option<usize>,
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
    pub text: String,
    pub body_start: usize,
    /// Where each key of its front matter is.
    pub keys: KeyPlaces,
}

impl Section {
    pub fn is_home(&self) -> bool {
        self.parent.is_none()
    }

    /// Where the front matter key `key` (`cover`) is, for a message.
    pub fn locate(&self, key: &str) -> Location {
        self.keys.locate(&self.file, &self.text, key)
    }

    /// The file of the section's `cover:`, beside its `_index.md` (`root`
    /// is the site's: [`Section::file`] is shown relative to it).
    pub fn cover_source(&self, root: &std::path::Path) -> Option<PathBuf> {
        in_folder(root.join(&self.file).parent()?, self.meta.cover.as_deref()?)
    }
}

/// `name` in `dir`, never a way out of it (`../`, an absolute path).
fn in_folder(dir: &std::path::Path, name: &str) -> Option<PathBuf> {
    (!name.contains("..") && !name.starts_with('/')).then(|| dir.join(name))
}

/// A file of `content/` that is not Markdown: a bundle's file, or a file a
/// page may link to.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Path in the output, `/`-separated (`temoignages/julien/photo.jpg`).
    pub dest: String,
    /// The page whose bundle holds the file (index in [`Content::pages`]):
    /// the file is published with it. Other files are published only when
    /// a published page uses them.
    pub bundle: Option<usize>,
}

/// Everything found under `content/`.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// The site root the content was loaded from.
    pub root: PathBuf,
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Paths in `content/` of Markdown files that could not be loaded (their
    /// errors are reported); links to them are not reported again.
    pub invalid: Vec<String>,
    /// What could be read of those files (never published): their
    /// relations and links are checked with the rest, so that one run
    /// reports every mistake.
    pub partial: Vec<Page>,
    /// Every page and section by its path in `content/` (`rel`), the key of
    /// `@/` links and `get_page`. Built once at load (a `serve` rebuild of
    /// existing pages keeps it) and shared with the template functions.
    pub by_rel: Arc<HashMap<String, Item>>,
}

/// A page or a section, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Page(usize),
    Section(usize),
}

impl Content {
    /// Fills [`Content::by_rel`] from the pages and sections.
    pub(crate) fn index(&mut self) {
        let pages = self
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.rel.clone(), Item::Page(i)));
        let sections = self
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.rel.clone(), Item::Section(i)));
        self.by_rel = Arc::new(pages.chain(sections).collect());
    }

    /// The page or section at a path in `content/`.
    pub fn item(&self, rel: &str) -> Option<Item> {
        self.by_rel.get(rel).copied()
    }

    pub fn published(&self) -> impl Iterator<Item = (usize, &Page)> {
        self.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_published())
    }
}
