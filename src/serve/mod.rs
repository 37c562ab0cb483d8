//! `vitrine serve`: build, serve the result on loopback, rebuild on every
//! change and tell the browsers (live reload, CSS swap, error overlay).
//!
//! The site is built into a private folder (never `public/`), and the
//! live-reload script is added to pages as they are sent, so nothing of the
//! preview ever reaches a published site.

mod cms;
mod connections;
mod decorate;
mod deferred;
mod events;
mod files;
mod head;
mod hosts;
mod memo;
mod response;
mod route;
mod server;
mod sse;
mod urlpath;
mod watch;

pub use memo::Session;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::config;
use crate::diagnostics::{escape_line, escape_text, Diagnostic};
use crate::i18n::{self, Lang};
use crate::site::{BuildOptions, Outcome};

use crate::urls::Urls;
use events::{Event, Hub};
use server::{DevServer, ServerConfig};
use watch::{Change, ChangeKind};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
    pub quiet: bool,
    pub verbose: bool,
    /// The writer's language: the terminal's, the preview's pages and the
    /// editor's.
    pub lang: Lang,
}

/// Serves until Ctrl-C, SIGTERM or SIGHUP. Errors only for what prevents
/// serving at all (no `site.yaml`, no free port, the server unable to accept
/// connections any more); content errors never stop the server. Until the
/// first build succeeds, pages are a waiting page that shows the errors and
/// reloads once the site builds.
pub fn run(options: &ServeOptions) -> Result<(), Diagnostic> {
    let config = config::load(&options.root).map_err(first)?;
    let base_path = Urls::new(&config).base_path().to_string();
    if !is_loopback(&options.bind) {
        say!(
            "{}",
            i18n::serve_public_bind(&options.bind).get(options.lang)
        );
    }

    let tmp = std::env::temp_dir();
    remove_stale_previews(&tmp);
    let work = tmp.join(format!("{PREVIEW_PREFIX}{}", std::process::id()));
    let output = work.join("site");
    let _ = std::fs::create_dir_all(&work);
    let _ = std::fs::write(work.join(PREVIEW_MARKER), PREVIEW_MARKER_TEXT);
    let cleanup = Cleanup(work.clone());
    // Ctrl-C, and (ctrlc's `termination` feature) SIGTERM and SIGHUP: a
    // closed terminal or an editor stopping the task also removes the
    // preview folder — from here on, the first build included (a large
    // site's takes seconds).
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // Unless the caller ignored them (`nohup`): then the preview goes on.
    if crate::terminal::stop_signals_left_to_us() {
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    }

    let hub = Hub::new();
    let site_dir = Arc::new(RwLock::new(output.clone()));
    let built = Arc::new(AtomicBool::new(false));
    let (server, port) = start_server(options, &base_path, site_dir, hub.clone(), &built)?;
    let origin = format!("http://{}:{port}", hosts::display_host(&options.bind));
    let address = format!("{origin}{base_path}");

    let mut build = BuildOptions::new(&options.root);
    build.output = Some(output);
    build.drafts = options.drafts;
    build.base_url = Some(address.clone());
    let mut state = State {
        hub,
        built,
        showing_error: false,
        quiet: options.quiet,
        lang: options.lang,
        session: Session::new(build.clone()).deferring(server.deferred()),
        verbose: options.verbose,
        server,
        build,
        origin,
        base_path,
        last_warnings: None,
    };
    // Watching starts before the first build: a file saved while it runs is
    // rebuilt right after, not missed.
    let (tx, rx) = mpsc::channel::<Vec<Change>>();
    let watcher = watch::watch(&options.root, tx);
    if let Err(e) = &watcher {
        let why = escape_text(&e.to_string()).into_owned();
        say!("{}", i18n::serve_watch_failed(why).get(options.lang));
    }
    let editing = cms::Editing::new(&options.root, options.lang);
    let editable = editing.is_some();
    if let Some(editing) = editing {
        state.server.enable_editing(editing);
    }
    state.rebuild(&[]);
    let lang = options.lang;
    if !stop.load(Ordering::SeqCst) {
        say!("{}", i18n::serve_ready(&address).get(lang));
        if editable {
            let admin = cms::admin_address(&address);
            say!("{}", i18n::serve_admin_ready(admin).get(lang));
        } else {
            say!("{}", i18n::serve_admin_off().get(lang));
        }
        if options.open {
            open_browser(&address);
        }
    }

    let mut failure = None;
    while !stop.load(Ordering::SeqCst) {
        // A server that can no longer accept connections answers nobody:
        // say so and stop rather than live on deaf.
        if let Some(why) = state.server.failure() {
            failure = Some(why);
            break;
        }
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(mut changes) => {
                // Merge bursts that arrived while we were building.
                while let Ok(more) = rx.try_recv() {
                    changes.extend(more);
                }
                state.rebuild(&changes);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    drop(watcher);
    state.server.shutdown();
    drop(cleanup);
    if let Some(why) = failure {
        return Err(Diagnostic::error(
            "serve-stopped",
            i18n::serve_accept_died(&why),
        ));
    }
    // The terminal may be gone (SIGHUP): a failed write must not panic.
    say!("{}", i18n::serve_stopped().get(lang));
    Ok(())
}

/// Preview folders are `$TMPDIR/vitrine-serve-PID`.
const PREVIEW_PREFIX: &str = "vitrine-serve-";
/// Marks a preview folder as made by `serve` (see [`remove_stale_previews`]).
const PREVIEW_MARKER: &str = ".vitrine-serve";
const PREVIEW_MARKER_TEXT: &str =
    "Preview folder of `vitrine serve`; removed when it stops, or by the next one.\n";

/// Removes the preview folders that `serve` processes killed without a
/// chance to clean up (SIGKILL, a crash) left in `tmp`: only a folder (not
/// a symlink) of ours (same user), named exactly `vitrine-serve-PID`,
/// holding our marker, whose process is gone. Returns how many.
#[cfg(unix)]
pub(crate) fn remove_stale_previews(tmp: &Path) -> usize {
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return 0;
    };
    let me = std::process::id();
    let uid = rustix::process::getuid().as_raw();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(PREVIEW_PREFIX)) else {
            continue;
        };
        // Digits only, as `format!` writes a process id.
        let canonical = pid.parse::<u32>().ok().filter(|p| p.to_string() == pid);
        let Some(pid) = canonical else {
            continue;
        };
        if pid == me || crate::output::process_lives(pid) {
            continue;
        }
        let path = entry.path();
        let ours = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir() && m.uid() == uid)
            && (path.join(PREVIEW_MARKER).is_file()
                // Folders left by versions before the marker.
                || path.join("site").join(crate::output::MARKER).is_file());
        if ours && std::fs::remove_dir_all(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(not(unix))]
pub(crate) fn remove_stale_previews(_tmp: &Path) -> usize {
    0
}

fn first(mut diagnostics: Vec<Diagnostic>) -> Diagnostic {
    diagnostics.remove(0)
}

fn is_loopback(bind: &str) -> bool {
    bind == "localhost" || bind.starts_with("127.") || bind == "::1"
}

/// Starts the server, moving to the next free port when the one asked is taken.
fn start_server(
    options: &ServeOptions,
    base_path: &str,
    site_dir: Arc<RwLock<PathBuf>>,
    hub: Hub,
    built: &Arc<AtomicBool>,
) -> Result<(DevServer, u16), Diagnostic> {
    let config = |port| ServerConfig {
        bind: options.bind.clone(),
        port,
        base_path: base_path.to_string(),
        built: built.clone(),
        lang: options.lang,
    };
    match DevServer::start(config(options.port), site_dir.clone(), hub.clone()) {
        Ok(server) => {
            let port = server.local_addr().port();
            Ok((server, port))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            let next = server::find_free_port(&options.bind, options.port.saturating_add(1))
                .ok_or_else(|| {
                    Diagnostic::error("port-in-use", i18n::port_in_use(options.port))
                        .help(i18n::hint_port_in_use())
                })?;
            say!("{}", i18n::port_moved(options.port, next).get(options.lang));
            let server = DevServer::start(config(next), site_dir, hub).map_err(|e| {
                Diagnostic::error("serve-failed", i18n::serve_failed(i18n::io_reason(&e)))
            })?;
            let port = server.local_addr().port();
            Ok((server, port))
        }
        Err(e) => Err(Diagnostic::error(
            "serve-failed",
            i18n::serve_failed(i18n::io_reason(&e)),
        )),
    }
}

/// What the rebuild loop remembers between builds.
struct State {
    hub: Hub,
    /// Set after the first good build (shared with the server, which shows
    /// a waiting page until then).
    built: Arc<AtomicBool>,
    showing_error: bool,
    quiet: bool,
    lang: Lang,
    /// Keeps the last build so that a content edit re-renders only what shows it.
    session: Session,
    verbose: bool,
    server: DevServer,
    build: BuildOptions,
    /// `http://127.0.0.1:1111`: the address without the base path.
    origin: String,
    /// The base path served now (from `base_url`).
    base_path: String,
    /// The warnings last sent to the browsers (`None`: none sent since the
    /// last error).
    last_warnings: Option<String>,
}

impl State {
    /// Rebuilds the site and tells the browsers, then writes what they do
    /// not wait for. `changes` empty = first build.
    fn rebuild(&mut self, changes: &[Change]) {
        self.rebuild_and_tell(changes);
        if let Some(problem) = self.session.write_deferred() {
            say_raw!("{}", problem.render(false, self.lang));
        }
    }

    fn rebuild_and_tell(&mut self, changes: &[Change]) {
        let started = Instant::now();
        let moved = self.follow_base_url(changes);
        // Content edits can be rebuilt incrementally; anything else
        // (templates, static files, config, new or removed files) rebuilds all.
        let pages: Vec<PathBuf> = if !moved
            && changes.iter().all(|c| {
                c.kind == ChangeKind::Content
                    && c.path.extension().is_some_and(|e| e == "md")
                    && c.path.is_file()
            }) {
            changes.iter().map(|c| c.path.clone()).collect()
        } else {
            Vec::new()
        };
        let outcome = self.session.rebuild_deferring(&pages);
        let elapsed = started.elapsed();
        if self.verbose {
            for (step, time) in &outcome.timings {
                let step = i18n::timing_label(step);
                say!(
                    "  {:<14} {:>6.1} ms",
                    step.get(self.lang),
                    time.as_secs_f64() * 1000.0
                );
            }
        }
        if !changes.is_empty() && !self.quiet {
            let what = describe(changes, &self.build.root);
            say!(
                "{}",
                i18n::serve_changed(what, elapsed.as_millis()).get(self.lang)
            );
        }
        if moved {
            self.server.set_base(&self.base_path);
            let address = format!("{}{}", self.origin, self.base_path);
            say!("{}", i18n::serve_moved(address).get(self.lang));
        }
        if outcome.report.has_errors() {
            self.report_failure(&outcome);
            if moved {
                self.hub.publish(Event::Reload);
            }
            return;
        }
        if !self.quiet && outcome.report.warning_count() > 0 {
            say_raw!("{}", outcome.report.render(false, self.lang));
        }
        self.server.set_drafts(self.session.draft_paths());
        self.publish_warnings(&outcome);
        // Pages are served from now on (the output is written).
        let first_good = !self.built.swap(true, Ordering::SeqCst);
        if self.showing_error {
            self.hub.publish(Event::Clear);
            self.showing_error = false;
        }
        if first_good || moved {
            // Browsers on the waiting page load the site, whatever changed;
            // after a move, they follow the redirect to the new address.
            self.hub.publish(Event::Reload);
            return;
        }
        if changes.is_empty() {
            return;
        }
        match css_only(changes, &self.build.root) {
            Some(paths) => {
                for path in paths {
                    self.hub.publish(Event::Css { path });
                }
            }
            None => self.hub.publish(Event::Reload),
        }
    }

    /// After a change of `site.yaml` whose `base_url` has another path:
    /// builds for the new address from scratch. Whether the preview moves.
    fn follow_base_url(&mut self, changes: &[Change]) -> bool {
        if !changes.iter().any(|c| c.kind == ChangeKind::Config) {
            return false;
        }
        // A broken site.yaml is reported by the build itself.
        let Ok(config) = config::load(&self.build.root) else {
            return false;
        };
        let base_path = Urls::new(&config).base_path().to_string();
        if base_path == self.base_path {
            return false;
        }
        self.base_path = base_path;
        self.build.base_url = Some(format!("{}{}", self.origin, self.base_path));
        self.session = Session::new(self.build.clone()).deferring(self.server.deferred());
        true
    }

    /// Tells the browsers the build's warnings (an empty text withdraws
    /// them), when they changed.
    fn publish_warnings(&mut self, outcome: &Outcome) {
        let count = outcome.report.warning_count();
        let text = if count > 0 {
            outcome.report.render(false, self.lang)
        } else {
            String::new()
        };
        if self.last_warnings.as_ref() != Some(&text) {
            self.hub.publish(Event::Warnings {
                text: text.clone(),
                count,
            });
            self.last_warnings = Some(text);
        }
    }

    fn report_failure(&mut self, outcome: &Outcome) {
        let text = outcome.report.render(false, self.lang);
        say_raw!("{text}");
        if self.built.load(Ordering::SeqCst) {
            say!("{}", i18n::serve_kept_last_good().get(self.lang));
        } else {
            say!("{}", i18n::serve_no_good_build_yet().get(self.lang));
        }
        // The error overlay shows the warnings too.
        self.last_warnings = None;
        self.hub.publish(Event::Error {
            text,
            html: String::new(),
        });
        self.showing_error = true;
    }
}

/// When every change is a stylesheet, the URL paths of those stylesheets
/// (relative to the site, as the live-reload script matches them).
fn css_only(changes: &[Change], root: &Path) -> Option<Vec<String>> {
    if !changes.iter().all(|c| c.kind == ChangeKind::Css) {
        return None;
    }
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut paths: Vec<String> = changes
        .iter()
        .filter_map(|c| {
            let rel = c.path.strip_prefix(&root).ok()?;
            // static/css/x.css or themes/NAME/static/css/x.css → css/x.css
            let rel = crate::urls::slash_path(rel);
            let parts: Vec<&str> = rel.split('/').collect();
            let at = parts.iter().position(|p| *p == "static")?;
            Some(format!("/{}", parts[at + 1..].join("/")))
        })
        .collect();
    paths.sort();
    paths.dedup();
    Some(paths)
}

/// "content/temoignages/lea.md, site.yaml" for the terminal.
fn describe(changes: &[Change], root: &Path) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut names: Vec<String> = changes
        .iter()
        .map(|c| {
            let name = c.path.strip_prefix(&root).unwrap_or(&c.path).display();
            // A file name can hold terminal escape sequences.
            escape_line(&name.to_string()).into_owned()
        })
        .collect();
    names.sort();
    names.dedup();
    if names.len() > 3 {
        let more = names.len() - 3;
        names.truncate(3);
        names.push(format!("+{more}"));
    }
    names.join(", ")
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Removes the preview folder when serving stops.
struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_changes_map_to_site_paths() {
        let root = std::env::temp_dir();
        let root = root.canonicalize().unwrap_or(root);
        let change = |kind, rel: &str| Change {
            kind,
            path: root.join(rel),
        };
        let css = [change(
            ChangeKind::Css,
            "themes/default/static/css/site.css",
        )];
        assert_eq!(
            css_only(&css, &root),
            Some(vec!["/css/site.css".to_string()])
        );
        let mixed = [
            change(ChangeKind::Css, "static/a.css"),
            change(ChangeKind::Content, "content/a.md"),
        ];
        assert_eq!(css_only(&mixed, &root), None);
    }

    #[test]
    fn changed_file_names_are_printed_escaped() {
        let root = std::env::temp_dir();
        let root = root.canonicalize().unwrap_or(root);
        let changes = [Change {
            kind: ChangeKind::Content,
            path: root.join("content/\x1b]0;x\x07.md"),
        }];
        assert_eq!(describe(&changes, &root), r"content/\x1b]0;x\x07.md");
    }

    #[test]
    fn loopback_detection() {
        assert!(is_loopback("127.0.0.1") && is_loopback("::1") && is_loopback("localhost"));
        assert!(!is_loopback("0.0.0.0"));
    }
}
