//! `vitrine serve` against a real server on a free loopback port.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `vitrine serve`, killed on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `vitrine serve` without waiting for it.
fn spawn(root: &Path, stderr: Stdio) -> Server {
    let port = free_port();
    let child = Command::new(assert_cmd::cargo::cargo_bin("vitrine"))
        .args(["serve", "--root"])
        .arg(root)
        .args(["--port", &port.to_string()])
        .env("LANG", "fr_FR.UTF-8")
        .env("VITRINE_TODAY", common::TODAY)
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap();
    Server { child, port }
}

/// Waits until `path` answers with `status`; returns that response.
fn wait_status(port: u16, path: &str, status: u16, within: Duration) -> Option<Response> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Ok(r) = get(port, path) {
            if r.status == status {
                return Some(r);
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

fn start(root: &Path) -> Server {
    let server = spawn(root, Stdio::null());
    if wait_status(server.port, "/", 200, Duration::from_secs(30)).is_none() {
        panic!("server did not start");
    }
    server
}

/// Waits until `path` is served with a body containing `text`.
fn wait_body(port: u16, path: &str, text: &str, within: Duration) -> Option<Response> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Ok(r) = get(port, path) {
            if r.status == 200 && r.body.contains(text) {
                return Some(r);
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// The preview folder of a running server.
fn preview_dir(server: &Server) -> PathBuf {
    std::env::temp_dir().join(format!("vitrine-serve-{}", server.child.id()))
}

struct Response {
    status: u16,
    body: String,
}

/// A raw GET, so the path reaches the server exactly as written.
fn get(port: u16, path: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok(Response { status, body })
}

/// An SSE client: every `event:` line with the `data:` line after it.
fn subscribe(port: u16) -> mpsc::Receiver<(String, String)> {
    let (tx, rx) = mpsc::channel();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET /__vitrine/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ") {
                if tx.send((event.clone(), data.to_string())).is_err() {
                    break;
                }
            }
        }
    });
    // Let the subscription register before anything changes.
    std::thread::sleep(Duration::from_millis(300));
    rx
}

fn wait_for(
    rx: &mpsc::Receiver<(String, String)>,
    name: &str,
    within: Duration,
) -> Option<(String, Duration)> {
    let started = Instant::now();
    while let Some(left) = within.checked_sub(started.elapsed()) {
        match rx.recv_timeout(left) {
            Ok((event, data)) if event == name => return Some((data, started.elapsed())),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

fn site() -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = copy_fixture("minimal");
    write(
        &root.join("static/css/site.css"),
        "body { color: black; }\n",
    );
    (dir, root)
}

#[test]
fn a_content_edit_reloads_the_page_within_a_second() {
    let (_dir, root) = site();
    let server = start(&root);
    let events = subscribe(server.port);
    let page = root.join("content/a-propos.md");
    let text = std::fs::read_to_string(&page)
        .unwrap()
        .replace("Qui sommes-nous", "Texte tout neuf");
    let written = Instant::now();
    std::fs::write(&page, text).unwrap();
    let (_, latency) = wait_for(&events, "reload", Duration::from_secs(10)).expect("reload event");
    let served = get(server.port, "/a-propos/").unwrap();
    let total = written.elapsed();
    assert!(served.body.contains("Texte tout neuf"), "{}", served.body);
    eprintln!("reload event after {latency:?}, new text served after {total:?}");
    // The < 1 s target is measured on a release build by bench/serve-latency;
    // a debug build on a loaded CI machine only has to stay interactive.
    assert!(total < Duration::from_secs(10), "took {total:?}");
}

#[test]
fn a_css_edit_swaps_styles_without_reload() {
    let (_dir, root) = site();
    let server = start(&root);
    let events = subscribe(server.port);
    std::fs::write(root.join("static/css/site.css"), "body { color: navy; }\n").unwrap();
    let (data, _) = wait_for(&events, "css", Duration::from_secs(10)).expect("css event");
    assert!(data.contains("/css/site.css"), "{data}");
    assert!(get(server.port, "/css/site.css")
        .unwrap()
        .body
        .contains("navy"));
    // No full reload for a stylesheet.
    assert!(wait_for(&events, "reload", Duration::from_millis(500)).is_none());
}

/// Adds a misspelt field (`auteur`) to `content/a-propos.md`; returns the
/// page and its good text.
fn misspell_a_field(root: &Path) -> (PathBuf, String) {
    let page = root.join("content/a-propos.md");
    let good = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        good.replace("title: \"À propos\"", "title: \"À propos\"\nauteur: moi"),
    )
    .unwrap();
    (page, good)
}

#[test]
fn errors_keep_the_last_good_site_and_reach_the_browser() {
    let (_dir, root) = site();
    let server = start(&root);
    let events = subscribe(server.port);
    let (page, good) = misspell_a_field(&root);
    let (data, _) = wait_for(&events, "error", Duration::from_secs(10)).expect("error event");
    assert!(
        data.contains("auteur") && data.contains("content/a-propos.md"),
        "{data}"
    );
    let served = get(server.port, "/a-propos/").unwrap();
    assert_eq!(served.status, 200);
    assert!(served.body.contains("Qui sommes-nous"));
    // The overlay script is on every page.
    assert!(served.body.contains("__vitrine/livereload.js"));
    let script = get(server.port, "/__vitrine/livereload.js").unwrap();
    assert!(script.body.contains("alertdialog"));
    // A browser that connects now still learns about the error.
    let late = subscribe(server.port);
    assert!(wait_for(&late, "error", Duration::from_secs(5)).is_some());
    std::fs::write(&page, good).unwrap();
    assert!(wait_for(&events, "clear", Duration::from_secs(10)).is_some());
}

#[test]
fn traversal_attempts_never_leak_files() {
    let (dir, root) = site();
    write(&dir.path().join("secret.txt"), "SECRET-7f3a");
    #[cfg(unix)]
    {
        let server = start(&root);
        // A symlink planted in the served folder after the build.
        let preview = preview_dir(&server).join("site");
        let _ = std::os::unix::fs::symlink(dir.path().join("secret.txt"), preview.join("lien.txt"));
        let payloads = [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
            "/%5c..%5csecret.txt",
            "/../../secret.txt",
            "/%2e%2e%2f%2e%2e%2fsecret.txt",
            "/..%5c..%5csecret.txt",
            "/.%2e/secret.txt",
            "/%252e%252e/secret.txt",
            "//secret.txt",
            "/lien.txt",
            &format!("/{}", dir.path().join("secret.txt").display()),
        ];
        for payload in payloads {
            let r = get(server.port, payload).unwrap();
            assert!(!r.body.contains("SECRET-7f3a"), "{payload} leaked");
            assert!(
                matches!(r.status, 400 | 403 | 404),
                "{payload}: {}",
                r.status
            );
        }
    }
}

#[test]
fn many_requests_while_browsers_listen() {
    let (_dir, root) = site();
    let server = start(&root);
    let listeners: Vec<_> = (0..10).map(|_| subscribe(server.port)).collect();
    let port = server.port;
    let handles: Vec<_> = (0..100)
        .map(|i| {
            std::thread::spawn(move || {
                let path = if i % 2 == 0 {
                    "/"
                } else {
                    "/temoignages/stage-1/"
                };
                get(port, path).map(|r| r.status).unwrap_or(0)
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(listeners.len(), 10);
}

#[test]
fn build_after_serve_has_no_live_reload() {
    let (_dir, root) = site();
    {
        let _server = start(&root);
    }
    build_ok(&root);
    for file in html_files(&root.join("public")) {
        let html = std::fs::read_to_string(&file).unwrap();
        assert!(!html.contains("__vitrine"), "{}", file.display());
    }
}

#[test]
fn a_site_broken_at_start_waits_with_the_overlay_then_reloads() {
    let (dir, root) = site();
    let (page, good) = misspell_a_field(&root);
    let log = dir.path().join("stderr.txt");
    let server = spawn(&root, Stdio::from(std::fs::File::create(&log).unwrap()));
    // Every page is a small HTML page with the live-reload script.
    let waiting = wait_status(server.port, "/", 503, Duration::from_secs(30))
        .expect("waiting page while the site is broken");
    for path in ["/", "/a-propos/"] {
        let r = get(server.port, path).unwrap();
        assert_eq!(r.status, 503, "{path}");
        assert!(r.body.starts_with("<!doctype html>"), "{}", r.body);
        assert!(r.body.contains("<html lang=\"fr\">"), "{}", r.body);
        assert!(r.body.contains("__vitrine/livereload.js"), "{}", r.body);
        assert!(!r.body.contains("Qui sommes-nous"));
    }
    // A valid document: no parse errors, a title, the script in the body.
    let doc = scraper::Html::parse_document(&waiting.body);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let one = |css: &str| doc.select(&scraper::Selector::parse(css).unwrap()).count();
    assert_eq!(one("head > title"), 1);
    assert_eq!(one("body script[src='/__vitrine/livereload.js']"), 1);
    // The browser learns the error on connecting (overlay).
    let events = subscribe(server.port);
    let (data, _) = wait_for(&events, "error", Duration::from_secs(10)).expect("error event");
    assert!(
        data.contains("auteur") && data.contains("content/a-propos.md"),
        "{data}"
    );
    // The terminal does not claim a last good version.
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(!said.contains("dernière version correcte"), "{said}");
    assert!(said.contains("pas encore pu être construit"), "{said}");
    // Fixed: the page reloads and the site is served.
    std::fs::write(&page, good).unwrap();
    wait_for(&events, "reload", Duration::from_secs(10)).expect("reload event");
    let served = get(server.port, "/a-propos/").unwrap();
    assert_eq!(served.status, 200);
    assert!(served.body.contains("Qui sommes-nous"), "{}", served.body);
    assert!(served.body.contains("__vitrine/livereload.js"));
}

#[test]
fn a_templates_folder_created_after_start_is_watched() {
    let (_dir, root) = site();
    assert!(!root.join("templates").exists());
    let server = start(&root);
    let template = root.join("templates/page.html");
    std::fs::create_dir(root.join("templates")).unwrap();
    // Give the watcher time to see the new folder before writing in it.
    std::thread::sleep(Duration::from_millis(500));
    std::fs::write(
        &template,
        "<!doctype html><html><body><h1>GABARIT-UN {{ page.title }}</h1></body></html>",
    )
    .unwrap();
    wait_body(
        server.port,
        "/a-propos/",
        "GABARIT-UN",
        Duration::from_secs(10),
    )
    .expect("new template used");
    // Editing the template inside the new folder rebuilds.
    let events = subscribe(server.port);
    std::fs::write(
        &template,
        "<!doctype html><html><body><h1>GABARIT-DEUX {{ page.title }}</h1></body></html>",
    )
    .unwrap();
    wait_for(&events, "reload", Duration::from_secs(10)).expect("reload after template edit");
    let served = wait_body(
        server.port,
        "/a-propos/",
        "GABARIT-DEUX",
        Duration::from_secs(10),
    )
    .expect("edited template used");
    assert!(served.body.contains("__vitrine/livereload.js"));
}

#[cfg(unix)]
#[test]
fn sigterm_and_sighup_remove_the_preview_folder() {
    let (_dir, root) = site();
    for signal in ["TERM", "HUP"] {
        let mut server = start(&root);
        let preview = preview_dir(&server);
        assert!(
            preview.join("site/index.html").is_file(),
            "{}",
            preview.display()
        );
        // The shell's own `kill`: no dependency on a `kill` binary.
        let sent = Command::new("sh")
            .arg("-c")
            .arg(format!("kill -{signal} {}", server.child.id()))
            .status()
            .unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "SIG{signal}: still running");
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "SIG{signal}: {status:?}");
        assert!(!preview.exists(), "SIG{signal} left {}", preview.display());
    }
}
