//! `vitrine serve`: build, serve the result on loopback, rebuild on every
//! change and tell the browsers (live reload, CSS swap, error overlay).
//!
//! The site is built into a private folder (never `public/`), and the
//! live-reload script is added to pages as they are sent, so nothing of the
//! preview ever reaches a published site.

pub mod events;
pub mod http;
pub mod watch;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::config;
use crate::diagnostics::{escape_line, escape_text, Diagnostic};
use crate::i18n;
use crate::site::{self, BuildOptions, Outcome};

use crate::urls::Urls;
use events::{Event, Hub};
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
}

/// Serves until Ctrl-C, SIGTERM or SIGHUP. Errors only for what prevents
/// serving at all (no `site.yaml`, no free port); content errors never stop
/// the server. Until the first build succeeds, pages are a waiting page
/// that shows the errors and reloads once the site builds.
pub fn run(options: &ServeOptions) -> Result<(), Diagnostic> {
    let config = config::load(&options.root).map_err(first)?;
    let base_path = Urls::new(&config).base_path().to_string();
    if !is_loopback(&options.bind) {
        eprintln!("{}", i18n::serve_public_bind(&options.bind));
    }

    let work = std::env::temp_dir().join(format!("vitrine-serve-{}", std::process::id()));
    let output = work.join("site");
    let _ = std::fs::create_dir_all(&work);
    let cleanup = Cleanup(work.clone());

    let hub = Hub::new();
    let site_dir = Arc::new(RwLock::new(output.clone()));
    let built = Arc::new(AtomicBool::new(false));
    let (server, port) = start_server(options, &base_path, site_dir, hub.clone(), &built)?;
    let address = format!("http://{}:{port}{base_path}", display_host(&options.bind));

    let mut build = BuildOptions::new(&options.root);
    build.output = Some(output);
    build.drafts = options.drafts;
    build.base_url = Some(address.clone());
    build.in_place = true;
    let mut state = State {
        hub,
        built,
        showing_error: false,
        quiet: options.quiet,
        session: site::Session::new(build.clone()),
        verbose: options.verbose,
    };
    // Watching starts before the first build: a file saved while it runs is
    // rebuilt right after, not missed.
    let (tx, rx) = mpsc::channel::<Vec<Change>>();
    let watcher = watch::watch(&options.root, tx);
    if let Err(e) = &watcher {
        eprintln!("{}", i18n::serve_watch_failed(&escape_text(&e.to_string())));
    }
    state.rebuild(&build, &[]);
    eprintln!("{}", i18n::serve_ready(&address));
    if options.open {
        open_browser(&address);
    }

    // Ctrl-C, and (ctrlc's `termination` feature) SIGTERM and SIGHUP: a
    // closed terminal or an editor stopping the task also removes the
    // preview folder.
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    while !stop.load(Ordering::SeqCst) {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(mut changes) => {
                // Merge bursts that arrived while we were building.
                while let Ok(more) = rx.try_recv() {
                    changes.extend(more);
                }
                state.rebuild(&build, &changes);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    drop(watcher);
    server.shutdown();
    drop(cleanup);
    // The terminal may be gone (SIGHUP): a failed write must not panic.
    let _ = writeln!(std::io::stderr(), "{}", i18n::serve_stopped());
    Ok(())
}

fn first(mut diagnostics: Vec<Diagnostic>) -> Diagnostic {
    diagnostics.remove(0)
}

fn is_loopback(bind: &str) -> bool {
    bind == "localhost" || bind.starts_with("127.") || bind == "::1"
}

fn display_host(bind: &str) -> String {
    if bind.contains(':') {
        format!("[{bind}]")
    } else if bind == "0.0.0.0" {
        "127.0.0.1".to_string()
    } else {
        bind.to_string()
    }
}

/// Starts the server, moving to the next free port when the one asked is taken.
fn start_server(
    options: &ServeOptions,
    base_path: &str,
    site_dir: Arc<RwLock<PathBuf>>,
    hub: Hub,
    built: &Arc<AtomicBool>,
) -> Result<(http::DevServer, u16), Diagnostic> {
    let config = |port| http::ServerConfig {
        bind: options.bind.clone(),
        port,
        base_path: base_path.to_string(),
        threads: 8,
        built: built.clone(),
    };
    match http::DevServer::start(config(options.port), site_dir.clone(), hub.clone()) {
        Ok(server) => {
            let port = server.local_addr().port();
            Ok((server, port))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            let next = http::find_free_port(&options.bind, options.port.saturating_add(1))
                .ok_or_else(|| {
                    Diagnostic::error("port-in-use", i18n::port_in_use(options.port))
                        .help(i18n::hint_port_in_use())
                })?;
            eprintln!("{}", i18n::port_moved(options.port, next));
            let server = http::DevServer::start(config(next), site_dir, hub).map_err(|e| {
                Diagnostic::error("serve-failed", i18n::serve_failed(&e.to_string()))
            })?;
            let port = server.local_addr().port();
            Ok((server, port))
        }
        Err(e) => Err(Diagnostic::error(
            "serve-failed",
            i18n::serve_failed(&e.to_string()),
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
    /// Keeps the last build so that a content edit re-renders only what shows it.
    session: site::Session,
    verbose: bool,
}

impl State {
    /// Rebuilds the site and tells the browsers. `changes` empty = first build.
    fn rebuild(&mut self, build: &BuildOptions, changes: &[Change]) {
        let started = Instant::now();
        // Content edits can be rebuilt incrementally; anything else
        // (templates, static files, config, new or removed files) rebuilds all.
        let pages: Vec<PathBuf> = if changes.iter().all(|c| {
            c.kind == ChangeKind::Content
                && c.path.extension().is_some_and(|e| e == "md")
                && c.path.is_file()
        }) {
            changes.iter().map(|c| c.path.clone()).collect()
        } else {
            Vec::new()
        };
        let outcome = self.session.rebuild(&pages);
        let elapsed = started.elapsed();
        if self.verbose {
            for (step, time) in &outcome.timings {
                eprintln!("  {step:<14} {:>6.1} ms", time.as_secs_f64() * 1000.0);
            }
        }
        if !changes.is_empty() && !self.quiet {
            eprintln!(
                "{}",
                i18n::serve_changed(&describe(changes, &build.root), elapsed.as_millis())
            );
        }
        if outcome.report.has_errors() {
            self.report_failure(&outcome);
            return;
        }
        if !self.quiet && outcome.report.warning_count() > 0 {
            eprint!("{}", outcome.report.render(false));
        }
        // Pages are served from now on (the output is written).
        let first_good = !self.built.swap(true, Ordering::SeqCst);
        if self.showing_error {
            self.hub.publish(Event::Clear);
            self.showing_error = false;
        }
        if first_good {
            // Browsers on the waiting page load the site, whatever changed.
            self.hub.publish(Event::Reload);
            return;
        }
        if changes.is_empty() {
            return;
        }
        match css_only(changes, &build.root) {
            Some(paths) => {
                for path in paths {
                    self.hub.publish(Event::Css { path });
                }
            }
            None => self.hub.publish(Event::Reload),
        }
    }

    fn report_failure(&mut self, outcome: &Outcome) {
        let text = outcome.report.render(false);
        eprint!("{text}");
        if self.built.load(Ordering::SeqCst) {
            eprintln!("{}", i18n::serve_kept_last_good());
        } else {
            eprintln!("{}", i18n::serve_no_good_build_yet());
        }
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
            let parts: Vec<String> = rel
                .components()
                .map(|p| p.as_os_str().to_string_lossy().to_string())
                .collect();
            let at = parts.iter().position(|p| p == "static")?;
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
        assert_eq!(display_host("0.0.0.0"), "127.0.0.1");
    }
}
