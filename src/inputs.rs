//! Reading the site's own folders (`content/`, `static/`, `templates/`,
//! `themes/`). Symlinks are followed (a shared photo folder is fine), but
//! nothing outside the site root is ever read: a symlink, to a file or to a
//! folder, that leads out of the site is skipped with one warning, however
//! many files lie behind it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use crate::diagnostics::{shown_path, Diagnostic};
use crate::i18n;

/// Reads the folders of one site, collecting a warning per symlink skipped.
pub struct Inputs<'a> {
    root: &'a Path,
    /// The site root, canonical: every input must lie under it.
    site: PathBuf,
    /// Symlinks already reported (a theme folder linked from outside is
    /// met by several walks).
    reported: BTreeSet<PathBuf>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Inputs<'a> {
    pub fn new(root: &'a Path) -> Inputs<'a> {
        Inputs {
            root,
            site: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            reported: BTreeSet::new(),
            diagnostics: Vec::new(),
        }
    }

    /// The entries below `dir` (itself first), in file-name order, symlinks
    /// followed; `keep` prunes entries (and folders) by what they are. A
    /// symlink leading out of the site is left out with its folder's whole
    /// content, and reported.
    pub fn walk(
        &mut self,
        dir: &Path,
        mut keep: impl FnMut(&DirEntry) -> bool,
    ) -> Vec<walkdir::Result<DirEntry>> {
        if !dir.is_dir() || !self.is_inside(dir) {
            return Vec::new();
        }
        let site = &self.site;
        let mut escaping: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        let entries: Vec<_> = WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 {
                    return true;
                }
                if !keep(e) {
                    return false;
                }
                if !e.path_is_symlink() {
                    // Below a folder that lies inside, itself inside.
                    return true;
                }
                match e.path().canonicalize() {
                    Ok(target) if target.starts_with(site) => true,
                    target => {
                        escaping.push((e.path().to_path_buf(), target.ok()));
                        false
                    }
                }
            })
            .collect();
        for (link, target) in escaping {
            self.report(&link, target.as_deref());
        }
        // A link to a folder above the site (`content/up → ../..`) also
        // contains itself, so walkdir calls it a loop: it leads out of the
        // site, and that is what the writer is told.
        entries
            .into_iter()
            .filter(|entry| {
                let Err(e) = entry else { return true };
                match (e.path(), e.loop_ancestor()) {
                    (Some(link), Some(ancestor)) if !ancestor.starts_with(&self.site) => {
                        let target = link.canonicalize().ok();
                        self.report(link, target.as_deref().or(Some(ancestor)));
                        false
                    }
                    _ => true,
                }
            })
            .collect()
    }

    /// Whether `path` lies inside the site once every symlink on the way is
    /// followed; when not, the symlink that leads out is reported.
    pub fn is_inside(&mut self, path: &Path) -> bool {
        let Ok(target) = path.canonicalize() else {
            // Missing: nothing is read from it.
            return true;
        };
        if target.starts_with(&self.site) {
            return true;
        }
        // The first symlink on the way that leads out: that is the one to
        // name (`themes/sobre`, not `themes/sobre/static`).
        let rel = path.strip_prefix(self.root).unwrap_or(path);
        let mut prefix = self.root.to_path_buf();
        for component in rel.components() {
            prefix.push(component);
            let is_link =
                std::fs::symlink_metadata(&prefix).is_ok_and(|m| m.file_type().is_symlink());
            if is_link {
                let leads = prefix.canonicalize().ok();
                if !leads.as_ref().is_some_and(|t| t.starts_with(&self.site)) {
                    self.report(&prefix, leads.as_deref());
                    return false;
                }
            }
        }
        self.report(path, Some(&target));
        false
    }

    fn report(&mut self, link: &Path, target: Option<&Path>) {
        if !self.reported.insert(link.to_path_buf()) {
            return;
        }
        let target = match target {
            Some(t) => t.display().to_string(),
            // A link that leads nowhere: what it says.
            None => std::fs::read_link(link)
                .map(|t| t.display().to_string())
                .unwrap_or_default(),
        };
        self.diagnostics.push(
            Diagnostic::warning("symlink-outside", i18n::symlink_outside(&target))
                .at_file(&shown_path(self.root, link))
                .help(i18n::hint_symlink_outside()),
        );
    }

    /// `path` as messages show it (relative to the site root).
    pub fn shown(&self, path: &Path) -> PathBuf {
        shown_path(self.root, path)
    }

    /// The warnings collected.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

/// Why a symlink cannot be followed.
#[derive(Debug, PartialEq, Eq)]
pub enum DeadLink {
    /// It leads to a path that does not exist (as the link spells it).
    Broken(PathBuf),
    /// It leads, through other links, back to itself: every link of the
    /// cycle as messages show them, the first one again at the end.
    Cycle(Vec<PathBuf>),
}

/// Most links followed before giving up (the system's own limit is 40).
const MAX_HOPS: usize = 40;

/// Why the symlink `path` cannot be followed, if it is one that cannot.
pub fn dead_link(root: &Path, path: &Path) -> Option<DeadLink> {
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut current = normalised(path);
    for _ in 0..MAX_HOPS {
        let target = std::fs::read_link(&current).ok()?;
        let next = normalised(&current.parent().unwrap_or(root).join(&target));
        seen.push(current);
        if let Some(start) = seen.iter().position(|p| *p == next) {
            let mut cycle: Vec<PathBuf> =
                seen[start..].iter().map(|p| shown_path(root, p)).collect();
            cycle.push(shown_path(root, &next));
            return Some(DeadLink::Cycle(cycle));
        }
        match std::fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => current = next,
            Ok(_) => return None,
            Err(_) => return Some(DeadLink::Broken(target)),
        }
    }
    None
}

/// `path` with its folder made canonical (when it exists) and its own name
/// kept: two spellings of one link compare equal, the link itself is not
/// followed.
fn normalised(path: &Path) -> PathBuf {
    match (path.parent().map(Path::canonicalize), path.file_name()) {
        (Some(Ok(dir)), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn write(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x").unwrap();
    }

    #[test]
    fn links_out_of_the_site_are_skipped_once_each() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        let root = base.join("site");
        write(&base.join("outside/a.txt"));
        write(&base.join("outside/sub/b.txt"));
        write(&root.join("content/page.md"));
        write(&root.join("shared/c.txt"));
        symlink(base.join("outside"), root.join("content/cfg")).unwrap();
        symlink(base.join("outside/a.txt"), root.join("content/a.txt")).unwrap();
        symlink("../shared", root.join("content/shared")).unwrap();
        let mut inputs = Inputs::new(&root);
        let files: Vec<String> = inputs
            .walk(&root.join("content"), |_| true)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| shown_path(&root, e.path()).display().to_string())
            .collect();
        assert_eq!(files, ["content/page.md", "content/shared/c.txt"]);
        // A folder reached through a link that leads out is named by its link.
        assert!(!inputs.is_inside(&root.join("content/cfg/sub")));
        let warned: Vec<String> = inputs
            .into_diagnostics()
            .iter()
            .map(|d| d.location.as_ref().unwrap().file.display().to_string())
            .collect();
        assert_eq!(warned, ["content/a.txt", "content/cfg"]);
    }

    #[test]
    fn a_dead_link_says_whether_it_is_broken_or_a_cycle() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(&root.join("content/page.md"));
        let content = root.join("content");
        symlink("loop2", content.join("loop1")).unwrap();
        symlink("loop1", content.join("loop2")).unwrap();
        symlink("nulle-part", content.join("broken")).unwrap();
        symlink("page.md", content.join("fine")).unwrap();
        let cycle = ["content/loop1", "content/loop2", "content/loop1"].map(PathBuf::from);
        assert_eq!(
            dead_link(&root, &content.join("loop1")),
            Some(DeadLink::Cycle(cycle.to_vec()))
        );
        assert_eq!(
            dead_link(&root, &content.join("broken")),
            Some(DeadLink::Broken(PathBuf::from("nulle-part")))
        );
        assert_eq!(dead_link(&root, &content.join("fine")), None);
        assert_eq!(dead_link(&root, &content.join("page.md")), None);
    }

    #[test]
    fn a_link_to_a_folder_above_the_site_leads_out_and_is_no_loop() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        let root = base.join("site");
        write(&root.join("content/page.md"));
        symlink("../..", root.join("content/up2")).unwrap();
        let mut inputs = Inputs::new(&root);
        let walked = inputs.walk(&root.join("content"), |_| true);
        assert!(walked.iter().all(Result::is_ok));
        let found = inputs.into_diagnostics();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, "symlink-outside");
        assert_eq!(
            found[0].location.as_ref().unwrap().file,
            PathBuf::from("content/up2")
        );
    }
}
