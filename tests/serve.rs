//! `vitrine serve` against a real server on a free loopback port.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
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

/// Starts `vitrine serve` without waiting for it.
fn spawn(root: &Path, stderr: Stdio) -> Server {
    spawn_with(root, stderr, &[], &[])
}

/// Starts `vitrine serve` with more arguments and environment variables.
fn spawn_with(root: &Path, stderr: Stdio, args: &[&str], envs: &[(&str, &Path)]) -> Server {
    let port = free_port();
    // SIGHUP, SIGINT and SIGTERM as the system has them by default (GNU
    // `env`, which execs vitrine): the tests may run where they are ignored,
    // and `serve` leaves an ignored signal ignored.
    let mut command = Command::new("env");
    command
        .arg("--default-signal=HUP,INT,TERM")
        .arg(assert_cmd::cargo::cargo_bin("vitrine"))
        .args(["serve", "--root"])
        .arg(root)
        .args(["--port", &port.to_string()])
        .args(args)
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env("VITRINE_TODAY", common::TODAY)
        .stdout(Stdio::null())
        .stderr(stderr);
    for (name, value) in envs {
        command.env(name, value);
    }
    let child = command.spawn().unwrap();
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
    head: String,
    body: String,
}

/// A raw GET, so the path reaches the server exactly as written.
fn get(port: u16, path: &str) -> std::io::Result<Response> {
    raw(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `request` as written and reads the response until the server
/// closes the connection.
fn raw(port: u16, request: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .map(|(h, b)| (h.to_string(), b.to_string()))
        .unwrap_or_default();
    Ok(Response { status, head, body })
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
fn a_content_edit_reloads_the_page_with_the_new_text() {
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
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), preview.join("lien.txt"))
            .expect("symlink planted in the preview");
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
    // Every browser still listens: an edit reaches all ten.
    replace_in(
        &root.join("content/a-propos.md"),
        "Qui sommes-nous",
        "Qui sommes-nous donc",
    );
    for (i, listener) in listeners.iter().enumerate() {
        assert!(
            wait_for(listener, "reload", Duration::from_secs(10)).is_some(),
            "listener {i} got no reload"
        );
    }
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

/// Sends `signal` (`TERM`, `INT`…) to the server, with the shell's own
/// `kill`: no dependency on a `kill` binary.
#[cfg(unix)]
fn send(server: &Server, signal: &str) {
    let sent = Command::new("sh")
        .arg("-c")
        .arg(format!("kill -{signal} {}", server.child.id()))
        .status()
        .unwrap();
    assert!(sent.success(), "kill -{signal}");
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
        send(&server, signal);
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

#[cfg(unix)]
#[test]
fn ctrl_c_during_the_first_build_removes_the_preview_folder() {
    // A first build long enough to be interrupted: the server answers (its
    // waiting page) while it runs. Ctrl-C there used to kill `serve`
    // outright and leave the preview folder until the next `serve`.
    let (dir, root) = site();
    let body = "Une semaine au service numérique de la mairie. ".repeat(200);
    for n in 0..600 {
        let page = format!("---\ntitle: \"Page {n}\"\n---\n\n{body}\n");
        write(&root.join(format!("content/lot/page-{n}.md")), &page);
    }
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut server = spawn_with(&root, Stdio::null(), &[], &[("TMPDIR", &tmp)]);
    let preview = tmp.join(format!("vitrine-serve-{}", server.child.id()));
    let deadline = Instant::now() + Duration::from_secs(30);
    while get(server.port, "/").is_err() {
        assert!(Instant::now() < deadline, "the server never answered");
        std::thread::sleep(Duration::from_millis(5));
    }
    let first_build_done = preview.join("site/index.html").is_file();
    send(&server, "INT");
    let status = server.child.wait().unwrap();
    assert!(!first_build_done, "the first build ended before Ctrl-C");
    assert!(status.success(), "{status:?}");
    assert!(!preview.exists(), "left {}", preview.display());
}

/// A GET with the given `Host` header (and `Origin`, if any).
fn get_as(port: u16, path: &str, host: &str, origin: Option<&str>) -> Response {
    let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
    raw(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{origin}Connection: close\r\n\r\n"),
    )
    .unwrap()
}

#[test]
fn a_foreign_host_is_refused_and_loopback_names_are_served() {
    let (_dir, root) = site();
    let server = start(&root);
    let port = server.port;
    // What a DNS-rebinding page sends: its own name, resolved to 127.0.0.1.
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "localhost.evil.example".to_string(),
        format!("10.0.0.1:{port}"),
    ] {
        let r = get_as(port, "/a-propos/", &host, None);
        assert!(matches!(r.status, 421 | 403), "{host}: {}", r.status);
        assert!(!r.body.contains("Qui sommes-nous"), "{host} read the page");
        assert!(r.body.contains("127.0.0.1"), "{host}: {}", r.body);
        // The live-reload stream and script too.
        let events = get_as(port, "/__vitrine/events", &host, None);
        assert!(matches!(events.status, 421 | 403), "{host}: events");
    }
    // Absolute-form targets name their host too.
    let r = raw(
        port,
        "GET http://evil.example/a-propos/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    assert!(matches!(r.status, 421 | 403), "absolute form: {}", r.status);
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}"),
        format!("127.0.0.2:{port}"),
        "[::1]".to_string(),
        format!("[::1]:{port}"),
    ] {
        let r = get_as(port, "/a-propos/", &host, None);
        assert_eq!(r.status, 200, "{host}");
        assert!(r.body.contains("Qui sommes-nous"), "{host}");
    }
    // The events stream checks `Origin` when there is one.
    let foreign = get_as(
        port,
        "/__vitrine/events",
        "127.0.0.1",
        Some("http://evil.example"),
    );
    assert_eq!(foreign.status, 403);
    let mut own = TcpStream::connect(("127.0.0.1", port)).unwrap();
    own.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        own,
        "GET /__vitrine/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let mut line = String::new();
    BufReader::new(own).read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
}

/// How many file descriptors process `pid` has open.
#[cfg(target_os = "linux")]
fn descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

/// Waits until `pid` has at most `most` descriptors open; returns the count.
#[cfg(target_os = "linux")]
fn wait_descriptors(pid: u32, most: usize, within: Duration) -> usize {
    let deadline = Instant::now() + within;
    loop {
        let now = descriptors(pid);
        if now <= most || Instant::now() > deadline {
            return now;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn abusive_clients_leave_the_server_answering_and_free_their_descriptors() {
    let (dir, root) = site();
    // A common default limit, so that leaks show within the test.
    let port = free_port();
    let log = dir.path().join("stderr.txt");
    let child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 1024 2>/dev/null; exec \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin("vitrine"))
        .args(["serve", "--root"])
        .arg(&root)
        .args(["--port", &port.to_string()])
        .env("LANG", "fr_FR.UTF-8")
        .env("VITRINE_TODAY", common::TODAY)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let server = Server { child, port };
    let pid = server.child.id();
    assert!(
        wait_status(port, "/", 200, Duration::from_secs(30)).is_some(),
        "server did not start"
    );
    let start = descriptors(pid);

    // One huge announced body is refused at once, without reading it.
    let big = raw(
        port,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999\r\n\r\n",
    )
    .unwrap();
    assert_eq!(big.status, 413, "{}", big.head);
    // 1 000 of them, with no body, the clients leaving at once.
    for _ in 0..1000 {
        let Ok(mut c) = TcpStream::connect(("127.0.0.1", port)) else {
            continue;
        };
        let _ = c
            .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999\r\n\r\n");
    }
    let ok = wait_status(port, "/a-propos/", 200, Duration::from_secs(10));
    assert!(ok.is_some(), "no answer after the huge bodies");

    // 600 idle connections held open: normal requests are still answered.
    let mut idle = Vec::new();
    for _ in 0..600 {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(c) => idle.push(c),
            Err(e) => panic!("connection {} refused: {e}", idle.len()),
        }
    }
    let during = wait_status(port, "/a-propos/", 200, Duration::from_secs(10));
    assert!(during.is_some(), "no answer while 600 clients are idle");
    let peak = descriptors(pid);
    assert!(peak < 1024, "{peak} descriptors");
    drop(idle);

    // Everything is given back once the clients are gone.
    let end = wait_descriptors(pid, start + 10, Duration::from_secs(20));
    assert!(
        end <= start + 10,
        "{start} descriptors at start, {end} after the clients left"
    );
    assert_eq!(get(port, "/a-propos/").unwrap().status, 200);
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(!said.contains("panicked"), "{said}");
}

/// The distinct `VERSION-n-` markers in `text`.
fn markers(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .match_indices("VERSION-")
        .filter_map(|(at, _)| {
            let rest = &text[at + "VERSION-".len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            rest[digits.len()..]
                .starts_with('-')
                .then(|| format!("VERSION-{digits}-"))
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

/// A version of `content/a-propos.md` of its own length.
fn version(n: usize) -> String {
    format!(
        "---\ntitle: \"À propos\"\n---\nQui sommes-nous ? VERSION-{n}-\n\n{}\n",
        "Du texte pour changer la longueur. ".repeat(n * 7 % 300)
    )
}

/// Saves like an editor does: a temporary file renamed over the page.
fn save(page: &Path, text: &str) {
    let tmp = page.with_file_name(".a-propos.md.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, page).unwrap();
}

#[test]
fn no_torn_page_is_served_during_a_save_storm() {
    let (_dir, root) = site();
    let page = root.join("content/a-propos.md");
    save(&page, &version(0));
    let server = start(&root);
    let port = server.port;
    assert!(wait_body(port, "/a-propos/", "VERSION-0-", Duration::from_secs(10)).is_some());
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let done = done.clone();
        let page = page.clone();
        std::thread::spawn(move || {
            // 200 saves in about 2 s.
            for n in 1..=200 {
                save(&page, &version(n));
                std::thread::sleep(Duration::from_millis(10));
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        })
    };
    let mut torn = Vec::new();
    let mut count = 0;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done.load(std::sync::atomic::Ordering::SeqCst) && Instant::now() < deadline {
        let r = get(port, "/a-propos/").unwrap();
        count += 1;
        let found = markers(&r.body);
        if r.status != 200 || !r.body.trim_end().ends_with("</html>") || found.len() != 1 {
            torn.push(format!("{} {:?} {} bytes", r.status, found, r.body.len()));
        }
    }
    writer.join().unwrap();
    assert!(count > 0);
    assert!(
        torn.is_empty(),
        "{} torn responses of {count}: {:?}",
        torn.len(),
        &torn[..torn.len().min(5)]
    );
    // And the last version is what ends up served.
    assert!(wait_body(port, "/a-propos/", "VERSION-200-", Duration::from_secs(10)).is_some());
}

/// A process id that no process has any more.
#[cfg(unix)]
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[cfg(unix)]
#[test]
fn preview_folders_of_killed_servers_are_removed_at_start() {
    let (dir, root) = site();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // A server killed with SIGKILL leaves its folder behind.
    let mut killed = spawn_with(&root, Stdio::null(), &[], &[("TMPDIR", &tmp)]);
    assert!(wait_status(killed.port, "/", 200, Duration::from_secs(30)).is_some());
    let left = tmp.join(format!("vitrine-serve-{}", killed.child.id()));
    assert!(left.join("site/index.html").is_file(), "{}", left.display());
    killed.child.kill().unwrap();
    killed.child.wait().unwrap();
    assert!(left.exists());
    // Folders that are not ours, or whose owner lives, stay.
    let dead = dead_pid();
    let unmarked = tmp.join(format!("vitrine-serve-{dead}"));
    write(&unmarked.join("notes.txt"), "pas à nous");
    let other_name = tmp.join(format!("vitrine-serve-{dead}-copie"));
    write(&other_name.join("site/.vitrine-output"), "");
    let alive = tmp.join(format!("vitrine-serve-{}", std::process::id()));
    write(&alive.join("site/.vitrine-output"), "");

    let server = spawn_with(&root, Stdio::null(), &[], &[("TMPDIR", &tmp)]);
    assert!(wait_status(server.port, "/", 200, Duration::from_secs(30)).is_some());
    assert!(!left.exists(), "{} is still there", left.display());
    assert!(unmarked.join("notes.txt").is_file());
    assert!(other_name.exists());
    assert!(alive.exists());
    assert!(tmp
        .join(format!("vitrine-serve-{}", server.child.id()))
        .is_dir());
}

/// Every (event, data) received within `within`.
fn events_within(rx: &mpsc::Receiver<(String, String)>, within: Duration) -> Vec<(String, String)> {
    let deadline = Instant::now() + within;
    let mut all = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(e) => all.push(e),
            Err(_) => break,
        }
    }
    all
}

#[test]
fn warnings_reach_the_browser_and_leave_when_fixed() {
    let (_dir, root) = site();
    // A complete legal notice: its gaps would be warnings too.
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    write(
        &root.join("site.yaml"),
        &format!("{yaml}publisher:\n  name: \"Lycée\"\n  address: \"1 rue A\"\n  director: \"C. M.\"\n  phone: \"04 00 00 00 00\"\n  contact: \"c@lycee.example\"\n  host_name: \"H\"\n  host_address: \"2 rue B\"\n  host_phone: \"04 00 00 00 01\"\n"),
    );
    let page = root.join("content/a-propos.md");
    // A link from the server root to nothing of the site: a warning.
    replace_in(
        &page,
        "Qui sommes-nous ?",
        "Qui sommes-nous ? [Ailleurs](/nulle-part/).",
    );
    let server = start(&root);
    // A browser that connects learns the current warnings.
    let events = subscribe(server.port);
    let (data, _) = wait_for(&events, "warnings", Duration::from_secs(10)).expect("warnings event");
    let v: serde_json::Value = serde_json::from_str(&data).unwrap();
    let text = v["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("/nulle-part/") && text.contains("content/a-propos.md"),
        "{data}"
    );
    assert_eq!(v["count"], 1, "{data}");
    // Fixed: the warnings are withdrawn, and the page reloads.
    replace_in(&page, " [Ailleurs](/nulle-part/).", "");
    let (data, _) =
        wait_for(&events, "warnings", Duration::from_secs(10)).expect("warnings cleared");
    let v: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(v["text"], "", "{data}");
    assert_eq!(v["count"], 0, "{data}");
    // A browser connecting now gets no warnings.
    let late = subscribe(server.port);
    let got = events_within(&late, Duration::from_millis(500));
    assert!(got.iter().all(|(e, _)| e != "warnings"), "{got:?}");
}

/// Adds a draft testimonial to the site.
fn add_draft(root: &Path) -> PathBuf {
    let page = root.join("content/temoignages/brouillon.md");
    write(
        &page,
        "---\ntitle: \"Stage en cours d'écriture\"\ndate: 2025-12-01\ndraft: true\nauthor:\n  name: \"Zoé\"\n---\nPas fini.\n",
    );
    page
}

#[test]
fn drafts_are_shown_in_the_preview_and_marked() {
    let (_dir, root) = site();
    add_draft(&root);
    let server = start(&root);
    let port = server.port;
    let r = get(port, "/temoignages/brouillon/").unwrap();
    assert_eq!(r.status, 200, "drafts are shown by default");
    let doc = scraper::Html::parse_document(&r.body);
    let banner: Vec<String> = doc
        .select(&scraper::Selector::parse("body > .vitrine-draft").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(banner.len(), 1, "{}", r.body);
    assert!(banner[0].contains("Brouillon"), "{banner:?}");
    assert!(banner[0].contains("draft: true"), "{banner:?}");
    // A published page has no banner.
    let published = get(port, "/a-propos/").unwrap();
    assert!(
        !published.body.contains("vitrine-draft"),
        "{}",
        published.body
    );
    // In a list, the draft's card says so; the others do not.
    let list = get(port, "/temoignages/").unwrap();
    let doc = scraper::Html::parse_document(&list.body);
    let marked: Vec<String> = doc
        .select(&scraper::Selector::parse("a .vitrine-draft-badge").unwrap())
        .map(|e| {
            e.ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .find(|a| a.value().name() == "a")
                .and_then(|a| a.value().attr("href").map(str::to_string))
                .unwrap_or_default()
        })
        .collect();
    assert!(!marked.is_empty(), "{}", list.body);
    assert!(
        marked.iter().all(|href| href.ends_with("/brouillon/")),
        "{marked:?}"
    );
    // `build` never writes any of it, even with --drafts.
    vitrine()
        .args(["build", "--drafts", "--root"])
        .arg(&root)
        .assert()
        .success();
    for file in html_files(&root.join("public")) {
        let html = std::fs::read_to_string(&file).unwrap();
        assert!(!html.contains("vitrine-draft"), "{}", file.display());
    }
}

#[test]
fn no_drafts_hides_them_and_drafts_is_still_accepted() {
    let (_dir, root) = site();
    add_draft(&root);
    let hidden = spawn_with(&root, Stdio::null(), &["--no-drafts"], &[]);
    assert!(wait_status(hidden.port, "/", 200, Duration::from_secs(30)).is_some());
    assert_eq!(
        get(hidden.port, "/temoignages/brouillon/").unwrap().status,
        404
    );
    let shown = spawn_with(&root, Stdio::null(), &["--drafts"], &[]);
    assert!(wait_status(shown.port, "/", 200, Duration::from_secs(30)).is_some());
    assert_eq!(
        get(shown.port, "/temoignages/brouillon/").unwrap().status,
        200
    );
}

#[test]
fn a_base_url_change_moves_the_preview() {
    let (dir, root) = site();
    let log = dir.path().join("stderr.txt");
    let server = spawn(&root, Stdio::from(std::fs::File::create(&log).unwrap()));
    let port = server.port;
    assert!(wait_status(port, "/a-propos/", 200, Duration::from_secs(30)).is_some());
    let events = subscribe(port);
    replace_in(
        &root.join("site.yaml"),
        "https://test.example/",
        "https://test.example/stages/",
    );
    wait_for(&events, "reload", Duration::from_secs(10)).expect("reload after the move");
    let moved = wait_body(
        port,
        "/stages/a-propos/",
        "Qui sommes-nous",
        Duration::from_secs(10),
    )
    .expect("served under the new base path");
    assert!(moved.body.contains("/stages/__vitrine/livereload.js"));
    // The old address leads to the new one.
    let old = get(port, "/a-propos/?x=1").unwrap();
    assert_eq!(old.status, 301, "{}", old.head);
    assert!(
        old.head.contains("Location: /stages/a-propos/?x=1"),
        "{}",
        old.head
    );
    // The terminal gives the new address.
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(
        said.contains(&format!("http://127.0.0.1:{port}/stages/")),
        "{said}"
    );
}
