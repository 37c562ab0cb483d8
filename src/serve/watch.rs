//! File watching for `serve`: notify + the full debouncer, which merges the
//! event bursts of an editor save (including temp file + rename saves) into
//! one batch. Each batch becomes one `Vec<Change>` on the channel, editor
//! noise removed and paths deduplicated.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind, RenameMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

/// How long each event is held before it is sent, so that the events of
/// one save (a temp file renamed over the page, vim's backup dance, a
/// truncate then a write) go out as one burst. The debouncer sends an event
/// once it is this old, at its next tick, whatever came after it: the time
/// is added to every rebuild. An editor saves a page in well under a
/// millisecond; a save split in two anyway gives two rebuilds, the last
/// one right.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// How often the debouncer looks for events old enough: as often as it did
/// with 20 ms (a quarter of it), not more.
const TICK: Duration = Duration::from_millis(5);

/// Directories watched recursively, from the start or as soon as they
/// appear (created, or moved back in place).
const DIRS: [&str; 4] = ["content", "templates", "themes", "static"];
const CONFIG: &str = "site.yaml";

/// What a changed file means for the rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Under `content/`.
    Content,
    /// Under `templates/` or anywhere in a theme but its `static/`.
    Template,
    /// Under `static/` or `themes/*/static/`, not a stylesheet.
    Static,
    /// A `.css` file under `static/` or `themes/*/static/`.
    Css,
    /// `site.yaml`; also sent when events were lost (rebuild everything).
    Config,
}

/// One changed (created, modified, removed or renamed) path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// Absolute path, under the canonical form of the watched root.
    pub path: PathBuf,
}

type Inner = Debouncer<RecommendedWatcher, RecommendedCache>;

/// The debouncer, shared with its own event handler, which adds watches for
/// the directories that appear. `None` once stopping.
type Shared = Arc<Mutex<Option<Inner>>>;

fn lock(shared: &Shared) -> MutexGuard<'_, Option<Inner>> {
    // A poisoned lock only means a handler panicked; the debouncer is fine.
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// Stops watching when dropped.
pub struct Watcher {
    debouncer: Shared,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher").finish_non_exhaustive()
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // Taken out before stopping: the event thread may be waiting for
        // the lock, and `stop` joins it.
        let debouncer = lock(&self.debouncer).take();
        if let Some(debouncer) = debouncer {
            // Waits at most one tick (TICK) for the event thread.
            debouncer.stop();
        }
    }
}

/// Watches `root/content`, `root/templates`, `root/themes`, `root/static`
/// and `root/site.yaml`, and sends one `Vec<Change>` per debounced burst that
/// contains at least one relevant change.
///
/// The root itself is watched (not recursively), so those directories are
/// picked up when they appear later: created, or moved away and back (a
/// directory that leaves loses its watches). The new watch is in place
/// before the burst that created the directory is sent, and that burst
/// rebuilds everything, so files written in between are not missed.
pub fn watch(root: &Path, tx: Sender<Vec<Change>>) -> notify::Result<Watcher> {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let shared: Shared = Arc::new(Mutex::new(None));
    let handler_shared = shared.clone();
    let handler_root = root.clone();
    let debouncer = new_debouncer(DEBOUNCE, Some(TICK), move |result: DebounceEventResult| {
        // Errors (e.g. a watch that vanished with its directory) are not
        // actionable here; lost events show up as a rescan event instead.
        if let Ok(events) = result {
            let appeared = appeared(
                &handler_root,
                events.iter().map(|e| (&e.event.kind, &e.event.paths[..])),
            );
            if !appeared.is_empty() {
                if let Some(debouncer) = lock(&handler_shared).as_mut() {
                    for dir in appeared {
                        // Gone again already: its removal is in a later burst.
                        let _ = debouncer.watch(&dir, RecursiveMode::Recursive);
                    }
                }
            }
            let changes = changes(
                &handler_root,
                events
                    .iter()
                    .map(|e| (&e.event.kind, &e.event.paths[..], e.need_rescan())),
            );
            if !changes.is_empty() {
                // The receiver is gone when serve is stopping: nothing to do.
                let _ = tx.send(changes);
            }
        }
    })?;
    let watcher = Watcher { debouncer: shared };
    {
        let mut guard = lock(&watcher.debouncer);
        let debouncer = guard.insert(debouncer);
        // The root first: a directory created from now on is reported (and
        // watched by the handler). site.yaml is also watched through it:
        // editors that save by renaming a temp file over it would leave a
        // watch on the file itself pointing at the old inode. Other entries
        // of the root are ignored by `classify`.
        debouncer.watch(&root, RecursiveMode::NonRecursive)?;
        for dir in DIRS {
            let path = root.join(dir);
            if path.is_dir() {
                debouncer.watch(&path, RecursiveMode::Recursive)?;
            }
        }
    }
    Ok(watcher)
}

/// The watched directories (`root/content`…) that a burst shows appearing:
/// created or renamed into place, and there now.
fn appeared<'a>(
    root: &Path,
    events: impl Iterator<Item = (&'a EventKind, &'a [PathBuf])>,
) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (kind, paths) in events {
        let arrives = matches!(
            kind,
            EventKind::Create(_)
                | EventKind::Any
                | EventKind::Modify(ModifyKind::Name(
                    RenameMode::To | RenameMode::Both | RenameMode::Any | RenameMode::Other
                ))
        );
        if !arrives {
            continue;
        }
        for path in paths {
            let watched = path.parent() == Some(root)
                && path
                    .file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| DIRS.contains(&name));
            if watched && path.is_dir() && !dirs.contains(path) {
                dirs.push(path.clone());
            }
        }
    }
    dirs
}

/// Events that can change the output: not opens and reads (the build itself
/// reads every source file), nor access-time updates.
fn relevant(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
    }
}

/// One burst of raw events → deduplicated, classified changes, sorted by
/// path. A rescan (events were lost) becomes a `Config` change.
fn changes<'a>(
    root: &Path,
    events: impl Iterator<Item = (&'a EventKind, &'a [PathBuf], bool)>,
) -> Vec<Change> {
    let mut seen = BTreeMap::new();
    for (kind, paths, rescan) in events {
        if rescan {
            seen.insert(root.join(CONFIG), ChangeKind::Config);
            continue;
        }
        if !relevant(kind) {
            continue;
        }
        for path in paths {
            if let Some(kind) = classify(root, path) {
                seen.insert(path.clone(), kind);
            }
        }
    }
    seen.into_iter()
        .map(|(path, kind)| Change { kind, path })
        .collect()
}

/// What a change of `path` means, `None` for paths to ignore: editor
/// noise, hidden files and directories (`.git/` included), anything outside
/// the watched places.
pub fn classify(root: &Path, path: &Path) -> Option<ChangeKind> {
    let relative = match path.strip_prefix(root) {
        Ok(relative) => relative.to_path_buf(),
        Err(_) => {
            let root = std::fs::canonicalize(root).ok()?;
            path.strip_prefix(root).ok()?.to_path_buf()
        }
    };
    let mut parts = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::CurDir => {}
            _ => return None,
        }
    }
    let name = *parts.last()?;
    if parts.iter().any(|part| part.starts_with('.')) || is_editor_noise(name) {
        return None;
    }
    match parts.as_slice() {
        [CONFIG] => Some(ChangeKind::Config),
        ["content", ..] => Some(ChangeKind::Content),
        ["templates", ..] => Some(ChangeKind::Template),
        ["static", ..] | ["themes", _, "static", ..] => Some(static_kind(name)),
        ["themes", ..] => Some(ChangeKind::Template),
        _ => None,
    }
}

fn static_kind(name: &str) -> ChangeKind {
    if name.to_ascii_lowercase().ends_with(".css") {
        ChangeKind::Css
    } else {
        ChangeKind::Static
    }
}

/// Swap, backup and temp files of vim, emacs, gedit, Kate, JetBrains…
fn is_editor_noise(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    const SUFFIXES: [&str; 9] = [
        ".swp",
        ".swx",
        ".swo",
        ".tmp",
        ".bak",
        "~",
        ".kate-swp",
        "___jb_tmp___",
        "___jb_old___",
    ];
    SUFFIXES.iter().any(|suffix| lower.ends_with(suffix))
        || name.starts_with('.')
        || (name.len() >= 2 && name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::sync::mpsc::{self, Receiver};
    use std::time::Instant;

    #[test]
    fn classify_kinds() {
        let root = Path::new("/site");
        let c = |p: &str| classify(root, &root.join(p));
        assert_eq!(c("content/a.md"), Some(ChangeKind::Content));
        assert_eq!(c("content/stages/2024/b.md"), Some(ChangeKind::Content));
        assert_eq!(c("content/img/photo.jpg"), Some(ChangeKind::Content));
        assert_eq!(c("content"), Some(ChangeKind::Content));
        assert_eq!(c("templates/page.html"), Some(ChangeKind::Template));
        assert_eq!(
            c("themes/default/templates/base.html"),
            Some(ChangeKind::Template)
        );
        assert_eq!(c("themes/default/theme.yaml"), Some(ChangeKind::Template));
        assert_eq!(c("static/css/site.css"), Some(ChangeKind::Css));
        assert_eq!(c("static/css/SITE.CSS"), Some(ChangeKind::Css));
        assert_eq!(c("static/img/logo.svg"), Some(ChangeKind::Static));
        assert_eq!(c("static/site.css.map"), Some(ChangeKind::Static));
        assert_eq!(
            c("themes/default/static/css/site.css"),
            Some(ChangeKind::Css)
        );
        assert_eq!(
            c("themes/default/static/js/app.js"),
            Some(ChangeKind::Static)
        );
        assert_eq!(c("site.yaml"), Some(ChangeKind::Config));
        // Outside the watched places.
        assert_eq!(c("public/index.html"), None);
        assert_eq!(c("README.md"), None);
        assert_eq!(c("sub/site.yaml"), None);
        assert_eq!(classify(root, Path::new("/elsewhere/content/a.md")), None);
        assert_eq!(classify(root, Path::new("/site/../content/a.md")), None);
        assert_eq!(classify(root, root), None);
    }

    #[test]
    fn classify_ignores_editor_noise() {
        let root = Path::new("/site");
        for noise in [
            "content/.a.md.swp",
            "content/a.md.swp",
            "content/a.md.swx",
            "content/a.md~",
            "content/.#a.md",
            "content/#a.md#",
            "content/4913",
            "content/a.md.tmp",
            "content/.hidden.md",
            "content/a.md.bak",
            "content/.git/HEAD",
            ".git/index",
            "templates/.git/config",
            "content/.obsidian/workspace.json",
            "site.yaml~",
            ".site.yaml.swp",
            "static/css/site.css___jb_tmp___",
            "content/a.md.kate-swp",
            "content/.goutputstream-ABC123",
        ] {
            assert_eq!(classify(root, &root.join(noise)), None, "{noise}");
        }
        // Not noise: names merely containing those patterns.
        assert_eq!(
            classify(root, &root.join("content/4913-notes.md")),
            Some(ChangeKind::Content)
        );
        assert_eq!(
            classify(root, &root.join("content/c#.md")),
            Some(ChangeKind::Content)
        );
    }

    #[test]
    fn classify_relative_and_canonical_roots() {
        let dir = tempfile::tempdir().unwrap();
        let canonical = fs::canonicalize(dir.path()).unwrap();
        assert_eq!(
            classify(dir.path(), &canonical.join("content/a.md")),
            Some(ChangeKind::Content)
        );
        assert_eq!(
            classify(Path::new("."), Path::new("./content/a.md")),
            Some(ChangeKind::Content)
        );
    }

    #[test]
    fn bursts_are_deduplicated_and_filtered() {
        use notify::event::{CreateKind, DataChange, RemoveKind};
        let root = Path::new("/site");
        let a = [root.join("content/a.md")];
        let b = [root.join("static/x.css")];
        let swp = [root.join("content/.a.md.swp")];
        let create = EventKind::Create(CreateKind::File);
        let modify = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        let open = EventKind::Access(AccessKind::Open(AccessMode::Any));
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        let remove = EventKind::Remove(RemoveKind::File);
        let events = [
            (&create, &a[..], false),
            (&modify, &a[..], false),
            (&modify, &swp[..], false),
            (&open, &b[..], false),
            (&read, &b[..], false),
            (&remove, &a[..], false),
        ];
        let out = changes(root, events.into_iter());
        assert_eq!(
            out,
            vec![Change {
                kind: ChangeKind::Content,
                path: root.join("content/a.md")
            }]
        );
        // Opening and reading files (what the build does) is not a change.
        let out = changes(
            root,
            [(&open, &a[..], false), (&read, &a[..], false)].into_iter(),
        );
        assert!(out.is_empty());
        let out = changes(root, [(&EventKind::Other, &[][..], true)].into_iter());
        assert_eq!(out[0].kind, ChangeKind::Config);
    }

    /// Collects bursts until one contains a change for a path ending with
    /// `suffix`, or the deadline passes.
    fn wait_for(rx: &Receiver<Vec<Change>>, suffix: &str, within: Duration) -> Option<Change> {
        let deadline = Instant::now() + within;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(burst) => {
                    if let Some(c) = burst.into_iter().find(|c| c.path.ends_with(suffix)) {
                        return Some(c);
                    }
                }
                Err(_) => return None,
            }
        }
        None
    }

    /// Waits until no burst arrives for a while; returns what came.
    fn settle(rx: &Receiver<Vec<Change>>) -> Vec<Change> {
        let mut all = Vec::new();
        while let Ok(burst) = rx.recv_timeout(Duration::from_millis(400)) {
            all.extend(burst);
        }
        all
    }

    #[test]
    fn real_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("content/stages")).unwrap();
        fs::create_dir_all(root.join("static/css")).unwrap();
        fs::write(root.join("site.yaml"), "title: x\n").unwrap();
        let (tx, rx) = mpsc::channel();
        let watcher = watch(root, tx).unwrap();
        let two_s = Duration::from_secs(2);

        // Plain write.
        fs::write(root.join("content/stages/a.md"), "# A\n").unwrap();
        let c = wait_for(&rx, "content/stages/a.md", two_s).expect("change for a.md");
        assert_eq!(c.kind, ChangeKind::Content);
        assert!(c.path.is_absolute());
        settle(&rx);

        // Temp file + rename (gedit, VS Code, many others).
        fs::write(root.join("content/.goutputstream-XYZ"), "# A2\n").unwrap();
        fs::rename(
            root.join("content/.goutputstream-XYZ"),
            root.join("content/stages/a.md"),
        )
        .unwrap();
        let c = wait_for(&rx, "content/stages/a.md", two_s).expect("rename save");
        assert_eq!(c.kind, ChangeKind::Content);
        let rest = settle(&rx);
        assert!(rest.iter().all(|c| !c.path.ends_with(".goutputstream-XYZ")));

        // vim (backupcopy=no): rename to backup, write new file, delete backup.
        fs::write(root.join("content/4913"), "").unwrap();
        fs::remove_file(root.join("content/4913")).unwrap();
        fs::rename(
            root.join("content/stages/a.md"),
            root.join("content/stages/a.md~"),
        )
        .unwrap();
        fs::write(root.join("content/stages/a.md"), "# A3\n").unwrap();
        fs::remove_file(root.join("content/stages/a.md~")).unwrap();
        let c = wait_for(&rx, "content/stages/a.md", two_s).expect("vim save");
        assert_eq!(c.kind, ChangeKind::Content);
        let rest = settle(&rx);
        assert!(rest.iter().all(|c| c.path.ends_with("content/stages/a.md")));

        // Swap files alone: nothing.
        fs::write(root.join("content/stages/.a.md.swp"), "x").unwrap();
        fs::write(root.join("content/stages/a.md.swp"), "x").unwrap();
        assert!(
            rx.recv_timeout(Duration::from_millis(500)).is_err(),
            "swap files must not produce changes"
        );

        // Config saved by rename, stylesheet.
        fs::write(root.join("site.yaml.tmp"), "title: y\n").unwrap();
        fs::rename(root.join("site.yaml.tmp"), root.join("site.yaml")).unwrap();
        let c = wait_for(&rx, "site.yaml", two_s).expect("site.yaml");
        assert_eq!(c.kind, ChangeKind::Config);
        settle(&rx);
        fs::write(root.join("static/css/site.css"), "body{}").unwrap();
        let c = wait_for(&rx, "static/css/site.css", two_s).expect("css");
        assert_eq!(c.kind, ChangeKind::Css);
        settle(&rx);

        // Reading files (as the build does) is silent.
        let _ = fs::read(root.join("content/stages/a.md")).unwrap();
        let _ = fs::read_dir(root.join("content")).unwrap().count();
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());

        // Dropping the watcher stops it.
        drop(watcher);
        fs::write(root.join("content/b.md"), "# B\n").unwrap();
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
    }

    #[test]
    fn directories_that_appear_later_are_watched() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let away = tempfile::tempdir().unwrap();
        fs::write(root.join("site.yaml"), "title: x\n").unwrap();
        let (tx, rx) = mpsc::channel();
        let _watcher = watch(root, tx).unwrap();
        let wait = Duration::from_secs(10);

        // Created after start (a site made by `init` has no templates/).
        fs::create_dir(root.join("templates")).unwrap();
        let c = wait_for(&rx, "templates", wait).expect("new folder");
        assert_eq!(c.kind, ChangeKind::Template);
        settle(&rx);
        fs::write(root.join("templates/page.html"), "a").unwrap();
        let c = wait_for(&rx, "templates/page.html", wait).expect("file in new folder");
        assert_eq!(c.kind, ChangeKind::Template);
        settle(&rx);
        fs::write(root.join("templates/page.html"), "b").unwrap();
        wait_for(&rx, "templates/page.html", wait).expect("edit in new folder");
        settle(&rx);

        // Created with a subfolder and a file at once.
        fs::create_dir_all(root.join("static/css")).unwrap();
        fs::write(root.join("static/css/site.css"), "x").unwrap();
        settle(&rx);
        fs::write(root.join("static/css/site.css"), "y").unwrap();
        let c = wait_for(&rx, "static/css/site.css", wait).expect("nested new folder");
        assert_eq!(c.kind, ChangeKind::Css);
        settle(&rx);

        // Moved away and back.
        fs::create_dir_all(root.join("content/stages")).unwrap();
        settle(&rx);
        fs::rename(root.join("content"), away.path().join("content")).unwrap();
        wait_for(&rx, "content", wait).expect("moved away");
        settle(&rx);
        fs::rename(away.path().join("content"), root.join("content")).unwrap();
        wait_for(&rx, "content", wait).expect("moved back");
        settle(&rx);
        fs::write(root.join("content/stages/a.md"), "# A\n").unwrap();
        let c = wait_for(&rx, "content/stages/a.md", wait).expect("edit after move back");
        assert_eq!(c.kind, ChangeKind::Content);
        settle(&rx);

        // Removed and created again.
        fs::remove_dir_all(root.join("templates")).unwrap();
        settle(&rx);
        fs::create_dir(root.join("templates")).unwrap();
        settle(&rx);
        fs::write(root.join("templates/page.html"), "c").unwrap();
        wait_for(&rx, "templates/page.html", wait).expect("re-created folder");
        settle(&rx);

        // Other new folders of the root stay unwatched.
        fs::create_dir(root.join("public")).unwrap();
        fs::write(root.join("public/index.html"), "x").unwrap();
        assert!(settle(&rx).is_empty());
    }

    #[test]
    fn appearing_directories() {
        use notify::event::CreateKind;
        let root = Path::new("/nonexistent-vitrine-root");
        let create = EventKind::Create(CreateKind::Folder);
        let paths = [root.join("templates"), root.join("content/x")];
        // Not there (any more): nothing to watch.
        assert!(appeared(root, [(&create, &paths[..])].into_iter()).is_empty());
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in ["templates", "public", "content/sub"] {
            fs::create_dir_all(root.join(d)).unwrap();
        }
        let paths = [
            root.join("templates"),
            root.join("public"),
            root.join("content/sub"),
        ];
        let to = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        let from = EventKind::Modify(ModifyKind::Name(RenameMode::From));
        assert_eq!(
            appeared(root, [(&create, &paths[..]), (&to, &paths[..])].into_iter()),
            vec![root.join("templates")]
        );
        assert!(appeared(root, [(&from, &paths[..])].into_iter()).is_empty());
    }

    #[test]
    fn missing_directories_are_fine() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, _rx) = mpsc::channel();
        assert!(watch(dir.path(), tx).is_ok());
    }
}
