//! Where the editing backend may read and write: the files of `content/`,
//! named by paths relative to the site root as Decap CMS sends them
//! (`content/temoignages/lea.md`).
//!
//! A path is checked as text first ([`parse`]: `/`-separated plain names
//! under `content/`, no `..`, no hidden name, no `%`, `\`, `:` or control
//! character, so that neither traversal nor an encoded form of it gets
//! through), then walked from the canonical `content/` folder one name at a
//! time, refusing any symbolic link on the way ([`Tree`]). Nothing is ever
//! joined to a path that has not passed both.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::content::CONTENT_DIR;

/// Longest path accepted, in bytes.
const MAX_PATH: usize = 1024;
/// Extensions of the pictures the build can read (and so the only media).
pub(crate) const MEDIA_EXTENSIONS: [&str; 4] = ["jpg", "jpeg", "png", "webp"];

/// Why a path is not served.
#[derive(Debug)]
pub(crate) enum PathError {
    /// Outside `content/`, through a link, or not a name we write.
    Refused,
    /// Does not exist (or is not a file).
    Missing,
    Io(io::Error),
}

impl From<io::Error> for PathError {
    fn from(e: io::Error) -> Self {
        PathError::Io(e)
    }
}

/// The names under `content/` of a path relative to the site root: empty
/// for `content` itself. `None` when the path is refused.
pub(crate) fn parse(path: &str) -> Option<Vec<&str>> {
    if path.len() > MAX_PATH
        || path
            .chars()
            .any(|c| c.is_control() || matches!(c, '\\' | ':' | '%'))
    {
        return None;
    }
    let path = path.strip_suffix('/').unwrap_or(path);
    let mut names = path.split('/');
    if names.next() != Some(CONTENT_DIR) {
        return None;
    }
    let names: Vec<&str> = names.collect();
    // Empty, `.`, `..`, `.git`, our temporary files: all start with a dot
    // or are empty.
    let plain = names
        .iter()
        .all(|name| !name.is_empty() && !name.starts_with('.') && name.trim() == *name);
    plain.then_some(names)
}

/// Whether a file name is a picture the build reads.
pub(crate) fn is_media(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && MEDIA_EXTENSIONS.iter().any(|m| m.eq_ignore_ascii_case(ext))
    })
}

/// Whether a file name is a page the form may write (a section's
/// `_index.md` is not: its kind decides how its pages are read).
pub(crate) fn is_entry(name: &str) -> bool {
    name != "_index.md" && name.len() > 3 && name.ends_with(".md")
}

/// The content tree of one site.
#[derive(Debug)]
pub(crate) struct Tree {
    /// Canonical `content/`.
    content: PathBuf,
}

/// Makes temporary names unique between threads of this process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Tree {
    /// `None` when the site has no `content/` folder (or it is a link).
    pub(crate) fn open(root: &Path) -> Option<Tree> {
        let content = root.join(CONTENT_DIR);
        if fs::symlink_metadata(&content)
            .ok()?
            .file_type()
            .is_symlink()
        {
            return None;
        }
        let content = content.canonicalize().ok()?;
        Some(Tree { content })
    }

    /// The existing regular file at `path`.
    pub(crate) fn file(&self, path: &str) -> Result<PathBuf, PathError> {
        let names = parse(path).ok_or(PathError::Refused)?;
        let (last, parents) = names.split_last().ok_or(PathError::Refused)?;
        let dir = self.walk(parents, false)?;
        let file = dir.join(last);
        match fs::symlink_metadata(&file) {
            Ok(m) if m.file_type().is_symlink() => Err(PathError::Refused),
            Ok(m) if m.is_file() => Ok(file),
            Ok(_) => Err(PathError::Missing),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(PathError::Missing),
            Err(e) => Err(e.into()),
        }
    }

    /// The existing folder at `path` (`content` itself included).
    pub(crate) fn folder(&self, path: &str) -> Result<PathBuf, PathError> {
        let names = parse(path).ok_or(PathError::Refused)?;
        self.walk(&names, false)
    }

    /// Where a file of `path` may be written: its folders exist (created
    /// when missing, never through a link), and it is not a link nor a
    /// folder.
    pub(crate) fn writable(&self, path: &str) -> Result<PathBuf, PathError> {
        let names = parse(path).ok_or(PathError::Refused)?;
        let (last, parents) = names.split_last().ok_or(PathError::Refused)?;
        let dir = self.walk(parents, true)?;
        let file = dir.join(last);
        match fs::symlink_metadata(&file) {
            Ok(m) if !m.is_file() => Err(PathError::Refused),
            Ok(_) => Ok(file),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(file),
            Err(e) => Err(e.into()),
        }
    }

    /// Follows `names` from `content/`, one folder at a time, refusing
    /// links; missing folders are created when `create`.
    fn walk(&self, names: &[&str], create: bool) -> Result<PathBuf, PathError> {
        let mut dir = self.content.clone();
        for name in names {
            dir.push(name);
            match fs::symlink_metadata(&dir) {
                Ok(m) if m.file_type().is_symlink() => return Err(PathError::Refused),
                Ok(m) if m.is_dir() => {}
                Ok(_) => return Err(PathError::Refused),
                Err(e) if e.kind() == io::ErrorKind::NotFound && create => {
                    // Not `create_dir_all`: it would follow a link made
                    // meanwhile by someone else.
                    match fs::create_dir(&dir) {
                        Ok(()) => {}
                        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                            if !fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
                                return Err(PathError::Refused);
                            }
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(PathError::Missing),
                Err(e) => return Err(e.into()),
            }
        }
        // Belt and braces: what was walked is still inside `content/`.
        if !dir.canonicalize()?.starts_with(&self.content) {
            return Err(PathError::Refused);
        }
        Ok(dir)
    }

    /// The path relative to the site root, as Decap names it.
    pub(crate) fn shown(&self, file: &Path) -> Option<String> {
        let rel = file.strip_prefix(&self.content).ok()?;
        let mut shown = String::from(CONTENT_DIR);
        for part in rel.components() {
            shown.push('/');
            shown.push_str(part.as_os_str().to_str()?);
        }
        Some(shown)
    }
}

/// Replaces `file` with `bytes` atomically: a reader (the rebuild) sees the
/// old file or the new one, never a part. The temporary file is hidden, so
/// the watcher and the build ignore it.
pub(crate) fn write_atomic(file: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = file
        .parent()
        .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".vitrine-edit-{}-{n}.tmp", std::process::id()));
    let written = (|| {
        let mut out = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        out.write_all(bytes)?;
        out.sync_all()?;
        fs::rename(&temp, file)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_under_content_pass_as_text() {
        assert_eq!(parse("content"), Some(vec![]));
        assert_eq!(parse("content/"), Some(vec![]));
        assert_eq!(
            parse("content/temoignages/lea.md"),
            Some(vec!["temoignages", "lea.md"])
        );
        assert_eq!(parse("content/é t/a..b.md"), Some(vec!["é t", "a..b.md"]));
        for bad in [
            "",
            "/",
            "/content/a.md",
            "contents/a.md",
            "static/a.png",
            "site.yaml",
            "content/../site.yaml",
            "content/a/../../x",
            "content/./a.md",
            "content//a.md",
            "content/.git/config",
            "content/.vitrine-edit-1-1.tmp",
            "content/%2e%2e/site.yaml",
            "content/%2E%2E/x",
            "content/a%2fb.md",
            "content/..%5c..%5cx",
            "content/..\\x",
            "content\\a.md",
            "content/c:/x",
            "C:/content/a.md",
            "content/a\0.md",
            "content/a\n.md",
            "content/ a.md",
            "content/a.md ",
            "./content/a.md",
            "../content/a.md",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        assert_eq!(parse(&format!("content/{}", "a".repeat(MAX_PATH))), None);
    }

    #[test]
    fn names_of_entries_and_media() {
        assert!(is_entry("lea.md") && is_entry("index.md"));
        assert!(!is_entry("_index.md") && !is_entry(".md") && !is_entry("a.html"));
        assert!(is_media("photo.JPG") && is_media("a.webp") && is_media("b.jpeg"));
        assert!(!is_media(".png") && !is_media("x.svg") && !is_media("png"));
    }

    fn tree() -> (tempfile::TempDir, Tree) {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/temoignages")).unwrap();
        fs::write(dir.path().join("content/temoignages/lea.md"), "x").unwrap();
        fs::write(dir.path().join("site.yaml"), "secret").unwrap();
        let tree = Tree::open(dir.path()).unwrap();
        (dir, tree)
    }

    #[test]
    fn files_and_folders_inside_content() {
        let (dir, tree) = tree();
        let file = tree.file("content/temoignages/lea.md").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "x");
        assert_eq!(
            tree.shown(&file).as_deref(),
            Some("content/temoignages/lea.md")
        );
        assert!(matches!(
            tree.file("content/temoignages/nope.md"),
            Err(PathError::Missing)
        ));
        assert!(matches!(
            tree.file("content/temoignages"),
            Err(PathError::Missing)
        ));
        assert!(tree.folder("content").is_ok() && tree.folder("content/temoignages/").is_ok());
        let new = tree.writable("content/temoignages/zoe/index.md").unwrap();
        assert!(dir.path().join("content/temoignages/zoe").is_dir());
        write_atomic(&new, b"bonjour").unwrap();
        assert_eq!(fs::read_to_string(&new).unwrap(), "bonjour");
        write_atomic(&new, b"encore").unwrap();
        assert_eq!(fs::read_to_string(&new).unwrap(), "encore");
        let left: Vec<_> = fs::read_dir(new.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left");
        assert!(matches!(
            tree.writable("content/temoignages"),
            Err(PathError::Refused)
        ));
        assert!(matches!(
            tree.writable("content/temoignages/lea.md/x.md"),
            Err(PathError::Refused)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_followed() {
        let (dir, tree) = tree();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.md"), "secret").unwrap();
        let content = dir.path().join("content");
        std::os::unix::fs::symlink(outside.path(), content.join("ailleurs")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("site.yaml"), content.join("site.md")).unwrap();
        for path in ["content/ailleurs/secret.md", "content/site.md"] {
            assert!(matches!(tree.file(path), Err(PathError::Refused)), "{path}");
            assert!(
                matches!(tree.writable(path), Err(PathError::Refused)),
                "{path}"
            );
        }
        assert!(matches!(
            tree.writable("content/ailleurs/new/x.md"),
            Err(PathError::Refused)
        ));
        assert!(matches!(
            tree.folder("content/ailleurs"),
            Err(PathError::Refused)
        ));
        assert!(!outside.path().join("new").exists());
        assert_eq!(
            fs::read_to_string(outside.path().join("secret.md")).unwrap(),
            "secret"
        );
        // A content folder that is itself a link: no tree at all.
        let other = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), other.path().join("content")).unwrap();
        assert!(Tree::open(other.path()).is_none());
    }
}
