//! The whole server over real sockets: what a browser (or an attacker)
//! gets back. The pieces have unit tests of their own beside them.

use super::super::events::Event;
use super::super::files::{HTML, JS, PLAIN};
use super::super::route::MAX_URL_LEN;
use super::*;
use std::fs;
use std::io::{BufRead, BufReader, Read};

const LIVERELOAD_JS: &str = include_str!("../livereload.js");

const SECRET: &str = "VITRINE-SECRET-5b1f0c";
const PAGE: &str =
    "<!doctype html><html><head><title>t</title></head><body><p>Bonjour</p></body></html>";

struct Site {
    _dir: tempfile::TempDir,
    site: PathBuf,
    server: DevServer,
    hub: Hub,
}

impl Site {
    fn addr(&self) -> SocketAddr {
        self.server.local_addr()
    }
}

/// tmp/{Cargo.toml, secret.txt, etc/passwd} hold the secret; the site
/// is tmp/site.
fn site(base: &str, with_404: bool) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path();
    fs::write(tmp.join("Cargo.toml"), SECRET).unwrap();
    fs::write(tmp.join("secret.txt"), SECRET).unwrap();
    fs::create_dir_all(tmp.join("etc")).unwrap();
    fs::write(tmp.join("etc/passwd"), SECRET).unwrap();
    let site = tmp.join("site");
    for d in [
        "css",
        "js",
        "about",
        "empty",
        "img",
        "sub/deeper",
        "__vitrine",
    ] {
        fs::create_dir_all(site.join(d)).unwrap();
    }
    fs::write(site.join("index.html"), PAGE).unwrap();
    fs::write(site.join("about/index.html"), "<h1>À propos</h1>").unwrap();
    fs::write(site.join("sub/deeper/index.html"), "<BODY>x</BODY>").unwrap();
    fs::write(site.join("css/site.css"), "body{color:red}").unwrap();
    fs::write(site.join("js/app.js"), "console.log(1)").unwrap();
    fs::write(site.join("js/mod.mjs"), "export {}").unwrap();
    fs::write(site.join("atom.xml"), "<feed/>").unwrap();
    fs::write(site.join("sitemap.xml"), "<urlset/>").unwrap();
    fs::write(site.join("search.json"), "{}").unwrap();
    fs::write(site.join("img/logo.svg"), "<svg/>").unwrap();
    fs::write(site.join("img/a.png"), [0x89, b'P', b'N', b'G']).unwrap();
    fs::write(site.join("img/b.JPG"), [0xff, 0xd8]).unwrap();
    fs::write(site.join("img/c.webp"), b"RIFF").unwrap();
    fs::write(site.join("robots.txt"), "User-agent: *\n").unwrap();
    fs::write(site.join("font.woff2"), b"wOF2").unwrap();
    fs::write(site.join("data.bin"), vec![7u8; 100_000]).unwrap();
    fs::write(site.join("espace é.txt"), "ok").unwrap();
    if with_404 {
        fs::write(
            site.join("404.html"),
            "<html><body>Introuvable</body></html>",
        )
        .unwrap();
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(tmp.join("secret.txt"), site.join("link-out")).unwrap();
        std::os::unix::fs::symlink(tmp, site.join("dirlink")).unwrap();
        std::os::unix::fs::symlink(site.join("css/site.css"), site.join("link-in.css")).unwrap();
    }
    let hub = Hub::new();
    let server = DevServer::start(
        ServerConfig {
            lang: crate::i18n::Lang::Fr,
            bind: "127.0.0.1".into(),
            port: 0,
            base_path: base.into(),
            built: Arc::new(AtomicBool::new(true)),
        },
        Arc::new(RwLock::new(site.clone())),
        hub.clone(),
    )
    .unwrap();
    Site {
        _dir: dir,
        site,
        server,
        hub,
    }
}

#[derive(Debug)]
struct Resp {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request` verbatim on a fresh connection and reads to EOF.
fn raw(addr: SocketAddr, request: &str) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(all.len());
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let body = all.get(split + 4..).unwrap_or_default().to_vec();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Resp { status, head, body }
}

fn req(addr: SocketAddr, method: &str, target: &str) -> Resp {
    raw(
        addr,
        &format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

fn get(addr: SocketAddr, target: &str) -> Resp {
    req(addr, "GET", target)
}

/// Review of #13: with `Host: localhost` then `Host: evil.example`, the
/// first was checked and the page served.
#[test]
fn a_second_host_or_origin_is_refused() {
    let s = site("/", false);
    for twice in [
        "Host: localhost\r\nHost: evil.example\r\n",
        "Host: 127.0.0.1\r\nOrigin: http://127.0.0.1\r\nOrigin: http://evil.example\r\n",
    ] {
        let r = raw(
            s.addr(),
            &format!("GET / HTTP/1.1\r\n{twice}Connection: close\r\n\r\n"),
        );
        assert_eq!(r.status, 400, "{twice}");
        assert!(!r.text().contains("Bonjour"), "{twice}");
    }
    assert_eq!(get(s.addr(), "/").status, 200);
}

#[test]
fn content_types_and_common_headers() {
    let s = site("/", true);
    let cases = [
        ("/", "text/html; charset=utf-8"),
        ("/css/site.css", "text/css; charset=utf-8"),
        ("/js/app.js", "application/javascript; charset=utf-8"),
        ("/js/mod.mjs", "application/javascript; charset=utf-8"),
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/search.json", "application/json; charset=utf-8"),
        ("/img/logo.svg", "image/svg+xml; charset=utf-8"),
        ("/img/a.png", "image/png"),
        ("/img/b.JPG", "image/jpeg"),
        ("/img/c.webp", "image/webp"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/font.woff2", "font/woff2"),
        ("/data.bin", "application/octet-stream"),
        ("/espace%20%C3%A9.txt", "text/plain; charset=utf-8"),
        ("/link-in.css", "text/css; charset=utf-8"),
    ];
    for (path, ct) in cases {
        let r = get(s.addr(), path);
        assert_eq!(r.status, 200, "{path}: {}", r.head);
        assert_eq!(r.header("content-type").as_deref(), Some(ct), "{path}");
        assert_eq!(
            r.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
        assert_eq!(r.header("referrer-policy").as_deref(), Some("no-referrer"));
        assert_eq!(
            r.header("content-length").and_then(|l| l.parse().ok()),
            Some(r.body.len()),
            "{path}"
        );
    }
    assert_eq!(get(s.addr(), "/data.bin").body, vec![7u8; 100_000]);
    assert_eq!(get(s.addr(), "/robots.txt?x=1").text(), "User-agent: *\n");
}

#[test]
fn directories_redirects_404_head_405() {
    let s = site("/", true);
    let a = s.addr();
    let r = get(a, "/about/");
    assert_eq!(r.status, 200);
    assert!(r.text().starts_with("<h1>À propos</h1>"));
    let r = get(a, "/about");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location").as_deref(), Some("/about/"));
    let r = get(a, "/about?lang=fr&x=1");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location").as_deref(), Some("/about/?lang=fr&x=1"));
    assert_eq!(
        r.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    // No listing for a directory without index.html.
    let r = get(a, "/empty/");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("Introuvable"));
    // A file with a trailing slash is not a directory.
    assert_eq!(get(a, "/robots.txt/").status, 404);
    let r = get(a, "/nope.html");
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type").as_deref(), Some(HTML));
    assert!(r.text().contains("Introuvable"));
    assert!(r.text().contains("__vitrine/livereload.js"));
    // HEAD: headers with the real length, no body.
    let r = req(a, "HEAD", "/data.bin");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-length").as_deref(), Some("100000"));
    assert!(r.body.is_empty());
    let r = req(a, "HEAD", "/");
    assert_eq!(r.status, 200);
    let full = get(a, "/");
    assert_eq!(
        r.header("content-length").and_then(|l| l.parse().ok()),
        Some(full.body.len())
    );
    assert!(r.body.is_empty());
    for m in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let r = req(a, m, "/");
        assert_eq!(r.status, 405, "{m}");
        assert_eq!(r.header("allow").as_deref(), Some("GET, HEAD"));
    }
    assert_eq!(req(a, "POST", "/__vitrine/events").status, 405);
    assert_eq!(get(a, "/__vitrine/other").status, 404);
    // Without 404.html: small plain 404.
    fs::remove_file(s.site.join("404.html")).unwrap();
    let r = get(a, "/nope.html");
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type").as_deref(), Some(PLAIN));
    assert_eq!(r.text(), "404 Not Found\n");
}

#[test]
fn base_path() {
    let s = site("/ecole/stages/", true);
    let a = s.addr();
    let r = get(a, "/");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location").as_deref(), Some("/ecole/stages/"));
    let r = get(a, "/ecole/stages");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location").as_deref(), Some("/ecole/stages/"));
    assert_eq!(get(a, "/css/site.css").status, 404);
    assert_eq!(get(a, "/ecole/").status, 404);
    assert_eq!(get(a, "/ecole/stagesx/").status, 404);
    let r = get(a, "/ecole/stages/");
    assert_eq!(r.status, 200);
    assert!(r
        .text()
        .contains("<script src=\"/ecole/stages/__vitrine/livereload.js\" data-lang=\"fr\" defer></script></body>"));
    assert_eq!(
        get(a, "/ecole/stages/css/site.css").text(),
        "body{color:red}"
    );
    let r = get(a, "/ecole/stages/about");
    assert_eq!(
        r.header("location").as_deref(),
        Some("/ecole/stages/about/")
    );
    let r = get(a, "/ecole/stages/__vitrine/livereload.js");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type").as_deref(), Some(JS));
    assert_eq!(r.text(), LIVERELOAD_JS);
    assert_eq!(get(a, "/__vitrine/livereload.js").status, 404);
}

#[test]
fn site_dir_swap_is_seen() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    fs::create_dir_all(&one).unwrap();
    fs::create_dir_all(&two).unwrap();
    fs::write(one.join("a.txt"), "one").unwrap();
    fs::write(two.join("a.txt"), "two").unwrap();
    let site_dir = Arc::new(RwLock::new(one));
    let server = DevServer::start(
        ServerConfig {
            lang: crate::i18n::Lang::Fr,
            bind: "127.0.0.1".into(),
            port: 0,
            base_path: "/".into(),
            built: Arc::new(AtomicBool::new(true)),
        },
        site_dir.clone(),
        Hub::new(),
    )
    .unwrap();
    assert_eq!(get(server.local_addr(), "/a.txt").text(), "one");
    *site_dir.write().unwrap() = two;
    assert_eq!(get(server.local_addr(), "/a.txt").text(), "two");
    server.shutdown();
}

#[test]
fn traversal_never_leaks() {
    let s = site("/", false);
    let a = s.addr();
    let payloads = [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/secret.txt",
        "/..%2fCargo.toml",
        "/..%2Fsecret.txt",
        "/%5c..%5cCargo.toml",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/%2e%2e%2fetc/passwd",
        "/%2e%2e%5c%2e%2e%5csecret.txt",
        "/....//",
        "/....//secret.txt",
        "/.../secret.txt",
        "/..;/",
        "/..;/secret.txt",
        "//etc/passwd",
        "///secret.txt",
        "/%2F%2E%2E%2Fsecret.txt",
        "/%00",
        "/index.html%00.txt",
        "/..%00/secret.txt",
        "/a/../../x",
        "/css/../../secret.txt",
        "/./../secret.txt",
        "/%252e%252e/secret.txt",
        "/..%252f..%252fsecret.txt",
        "/C:/x",
        "/C:%5csecret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%ZZ/secret.txt",
        "/%",
        "/etc/passwd",
        "/link-out",
        "/dirlink/secret.txt",
        "/dirlink/",
        "/dirlink/etc/passwd",
        "http://localhost/../secret.txt",
        "http://localhost/%2e%2e/Cargo.toml",
        "../secret.txt",
        "*",
        "secret.txt",
    ];
    assert!(payloads.len() >= 20);
    // A FIFO would block whoever opens it: never opened.
    let fifo = std::process::Command::new("mkfifo")
        .arg(s.site.join("fifo"))
        .status()
        .is_ok_and(|st| st.success());
    if fifo {
        assert_eq!(get(a, "/fifo").status, 404);
    }
    for p in payloads {
        for method in ["GET", "HEAD"] {
            let r = req(a, method, p);
            assert!(
                !r.text().contains(SECRET) && !r.head.contains(SECRET),
                "{method} {p} leaked: {r:?}"
            );
            assert!(
                matches!(r.status, 400 | 404),
                "{method} {p} gave {}",
                r.head
            );
        }
    }
    // The server is still fine.
    assert_eq!(get(a, "/css/site.css").status, 200);
}

#[test]
fn large_bodies_are_refused_unread_and_the_connection_closed() {
    let s = site("/", true);
    let a = s.addr();
    let start = Instant::now();
    let r = raw(
        a,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999\r\n\r\n",
    );
    assert_eq!(r.status, 413);
    assert_eq!(r.header("connection").as_deref(), Some("close"));
    assert!(start.elapsed() < Duration::from_secs(5));
    // A small body is read and the connection goes on.
    let mut c = TcpStream::connect(a).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(b"POST /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabcGET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut all = String::new();
    c.read_to_string(&mut all).unwrap();
    assert!(all.starts_with("HTTP/1.1 405"), "{all}");
    assert_eq!(all.matches("HTTP/1.1 200").count(), 1, "{all}");
    assert!(all.contains("Connection: close\r\n"), "{all}");
}

#[test]
fn idle_connections_time_out_and_free_their_slot() {
    let s = site("/", true);
    s.server
        .shared
        .idle_ms
        .store(200, std::sync::atomic::Ordering::Relaxed);
    let mut c = TcpStream::connect(s.addr()).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 16];
    // Closed by the server: end of stream, not our read timeout.
    assert_eq!(c.read(&mut buf).unwrap_or(0), 0);
    assert!(started.elapsed() < Duration::from_secs(4));
    let deadline = Instant::now() + Duration::from_secs(2);
    while s.server.connections() > 0 && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(s.server.connections(), 0);
}

#[test]
fn a_dead_accept_loop_is_reported() {
    let s = site("/", true);
    assert_eq!(s.server.failure(), None);
    s.server
        .shared
        .break_accept
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(5);
    while s.server.failure().is_none() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(s.server.failure().as_deref(), Some("test"));
}

#[test]
fn drafts_are_marked_in_the_response_only() {
    let s = site("/", true);
    fs::create_dir_all(s.site.join("brouillon")).unwrap();
    let draft =
        "<html><head><title>b</title></head><body class=\"x\"><main>Pas fini</main></body></html>";
    fs::write(s.site.join("brouillon/index.html"), draft).unwrap();
    let list = "<html><head></head><body><a href=\"/brouillon/\">B</a> <a href=\"/about/\">A</a></body></html>";
    fs::write(s.site.join("sub/index.html"), list).unwrap();
    s.server
        .set_drafts(HashSet::from(["brouillon/".to_string()]));
    let page = get(s.addr(), "/brouillon/").text();
    assert!(
        page.contains("<body class=\"x\"><div class=\"vitrine-draft\" role=\"note\""),
        "{page}"
    );
    assert!(page.contains("<code>draft: true</code>"), "{page}");
    assert!(
        page.contains("href=\"/__vitrine/preview.css\"></head>"),
        "{page}"
    );
    assert!(page.contains("livereload.js"));
    let listed = get(s.addr(), "/sub/").text();
    assert!(
        listed.contains(">B <span class=\"vitrine-draft-badge\" lang=\"fr\">"),
        "{listed}"
    );
    assert_eq!(listed.matches("vitrine-draft-badge").count(), 1, "{listed}");
    // The files on disk are untouched.
    assert_eq!(
        fs::read_to_string(s.site.join("brouillon/index.html")).unwrap(),
        draft
    );
    assert_eq!(get(s.addr(), "/__vitrine/preview.css").status, 200);
}

#[test]
fn an_old_base_path_leads_to_the_new_one() {
    let s = site("/", true);
    s.server.set_base("/stages/");
    let r = get(s.addr(), "/about/?q=1");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location").as_deref(), Some("/stages/about/?q=1"));
    assert_eq!(get(s.addr(), "/stages/about/").status, 200);
    // Moving back: the new base is served, not redirected.
    s.server.set_base("/");
    assert_eq!(get(s.addr(), "/about/").status, 200);
    let r = get(s.addr(), "/stages/about/");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location").as_deref(), Some("/about/"));
}

#[test]
fn odd_requests_do_not_hurt() {
    let s = site("/", true);
    let a = s.addr();
    let long = format!("/{}", "a".repeat(MAX_URL_LEN + 10));
    assert_eq!(get(a, &long).status, 414);
    // A small body on GET is ignored.
    let r = raw(
        a,
        "GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
    );
    assert_eq!(r.status, 200);
    // A large announced body that never comes does not block a worker:
    // more such requests than workers, then a normal request.
    let mut idle = Vec::new();
    for _ in 0..6 {
        let mut c = TcpStream::connect(a).unwrap();
        c.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n")
            .unwrap();
        idle.push(c);
    }
    // Absurd announced lengths must neither panic nor abort.
    for len in [
        "1099511627776",
        "18446744073709551615",
        "9223372036854775808",
    ] {
        let mut c = TcpStream::connect(a).unwrap();
        c.write_all(
            format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len}\r\n\r\n")
                .as_bytes(),
        )
        .unwrap();
        idle.push(c);
    }
    // Idle connections that never finish their request line.
    for _ in 0..6 {
        let mut c = TcpStream::connect(a).unwrap();
        c.write_all(b"GET /ro").unwrap();
        idle.push(c);
    }
    thread::sleep(Duration::from_millis(200));
    let start = Instant::now();
    assert_eq!(get(a, "/robots.txt").status, 200);
    assert!(start.elapsed() < Duration::from_secs(2));
    // Malformed request line / HTTP version.
    assert_eq!(raw(a, "GARBAGE\r\n\r\n").status, 400);
    assert_ne!(raw(a, "GET / HTTP/9.9\r\n\r\n").status, 200);
    // Keep-alive: two requests on one connection.
    let mut c = TcpStream::connect(a).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut all = String::new();
    c.read_to_string(&mut all).unwrap();
    assert_eq!(all.matches("HTTP/1.1 200").count(), 2);
    drop(idle);
}

#[test]
fn injection_is_in_the_response_only() {
    let s = site("/", true);
    let a = s.addr();
    let r = get(a, "/");
    let body = r.text();
    let tag = "<script src=\"/__vitrine/livereload.js\" data-lang=\"fr\" defer></script>";
    assert_eq!(body, PAGE.replace("</body>", &format!("{tag}</body>")));
    assert_eq!(r.header("content-length"), Some(body.len().to_string()));
    assert_eq!(fs::read_to_string(s.site.join("index.html")).unwrap(), PAGE);
    // Upper-case </BODY>, and no </body> at all.
    assert_eq!(
        get(a, "/sub/deeper/").text(),
        format!("<BODY>x{tag}</BODY>")
    );
    assert_eq!(get(a, "/about/").text(), format!("<h1>À propos</h1>{tag}"));
    // CSS is untouched.
    assert_eq!(get(a, "/css/site.css").text(), "body{color:red}");
}

/// Decodes a chunked body (the SSE stream) from a raw connection.
struct Chunked {
    inner: BufReader<TcpStream>,
    left: usize,
    done: bool,
}

impl Read for Chunked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done {
            return Ok(0);
        }
        if self.left == 0 {
            let mut line = String::new();
            self.inner.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim(), 16)
                .map_err(|_| io::Error::other(format!("bad chunk size {line:?}")))?;
            if size == 0 {
                self.done = true;
                return Ok(0);
            }
            self.left = size;
        }
        let n = buf.len().min(self.left);
        let n = self.inner.read(&mut buf[..n])?;
        self.left -= n;
        if self.left == 0 {
            let mut crlf = [0u8; 2];
            self.inner.read_exact(&mut crlf)?;
            assert_eq!(&crlf, b"\r\n");
        }
        Ok(n)
    }
}

/// Opens an SSE connection and reads the response head and the retry line.
fn sse_client(addr: SocketAddr, base: &str) -> BufReader<Chunked> {
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.write_all(format!("GET {base}__vitrine/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").as_bytes())
        .unwrap();
    let mut r = BufReader::new(c);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        head.push_str(&line);
    }
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("Content-Type: text/event-stream\r\n"));
    assert!(head.contains("Cache-Control: no-cache\r\n"));
    assert!(head.contains("Transfer-Encoding: chunked\r\n"));
    let mut r = BufReader::new(Chunked {
        inner: r,
        left: 0,
        done: false,
    });
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    assert_eq!(line, "retry: 500\n");
    line.clear();
    r.read_line(&mut line).unwrap();
    assert_eq!(line, "\n");
    r
}

fn read_event(r: &mut BufReader<Chunked>) -> String {
    let mut event = String::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap() == 0 {
            return event;
        }
        if line == "\n" {
            if event.starts_with(": ping") {
                event.clear();
                continue;
            }
            return event;
        }
        event.push_str(&line);
    }
}

fn wait_clients(hub: &Hub, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while hub.clients() != n && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(hub.clients(), n);
}

#[test]
fn sse_clients_do_not_starve_pages() {
    let s = site("/ecole/", true);
    let a = s.addr();
    let mut clients: Vec<_> = (0..10).map(|_| sse_client(a, "/ecole/")).collect();
    wait_clients(&s.hub, 10);
    let pages: Vec<_> = (0..100)
        .map(|i| {
            thread::spawn(move || {
                let path = if i % 2 == 0 {
                    "/ecole/"
                } else {
                    "/ecole/css/site.css"
                };
                get(a, path).status
            })
        })
        .collect();
    for p in pages {
        assert_eq!(p.join().unwrap(), 200);
    }
    s.hub.publish(Event::Reload);
    for c in clients.iter_mut() {
        assert_eq!(read_event(c), "event: reload\ndata: {}\n");
    }
    s.hub.publish(Event::Css {
        path: "/ecole/css/site.css".into(),
    });
    for c in clients.iter_mut() {
        assert_eq!(
            read_event(c),
            "event: css\ndata: {\"path\":\"/ecole/css/site.css\"}\n"
        );
    }
    // A client that leaves is forgotten.
    // (The first write after the client closed succeeds, the next one
    // fails: that is what the 15 s ping is for.)
    drop(clients.pop());
    s.hub.publish(Event::Clear);
    thread::sleep(Duration::from_millis(100));
    s.hub.publish(Event::Clear);
    wait_clients(&s.hub, 9);
    // A browser opened during an error gets it straight away.
    s.hub.publish(Event::Error {
        text: "content/a.md:3: champ inconnu".into(),
        html: String::new(),
    });
    let mut late = sse_client(a, "/ecole/");
    let e = read_event(&mut late);
    assert!(e.starts_with("event: error\ndata: {"), "{e}");
    assert!(e.contains("champ inconnu"));
}

#[test]
fn shutdown_is_prompt_and_frees_the_port() {
    let s = site("/", true);
    let a = s.addr();
    let mut c = sse_client(a, "/");
    wait_clients(&s.hub, 1);
    let mut idle = TcpStream::connect(a).unwrap();
    idle.write_all(b"GET /").unwrap();
    let start = Instant::now();
    s.server.shutdown();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    // The SSE stream ends.
    assert_eq!(read_event(&mut c), "");
    wait_clients(&s.hub, 0);
    // The port is released (the listener goes with the accept thread).
    let deadline = Instant::now() + Duration::from_secs(2);
    while TcpListener::bind(a).is_err() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
    assert!(TcpListener::bind(a).is_ok());
}

#[test]
fn port_in_use() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let err = DevServer::start(
        ServerConfig {
            lang: crate::i18n::Lang::Fr,
            bind: "127.0.0.1".into(),
            port,
            base_path: "/".into(),
            built: Arc::new(AtomicBool::new(true)),
        },
        Arc::new(RwLock::new(PathBuf::from("/nonexistent"))),
        Hub::new(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    let free = find_free_port("127.0.0.1", port).unwrap();
    assert_ne!(free, port);
    assert!(free > port && free <= port.saturating_add(20));
    // No overflow past 65535.
    assert!(matches!(
        find_free_port("127.0.0.1", u16::MAX),
        None | Some(u16::MAX)
    ));
}

#[test]
fn missing_site_dir_is_a_plain_404() {
    let server = DevServer::start(
        ServerConfig {
            lang: crate::i18n::Lang::Fr,
            bind: "127.0.0.1".into(),
            port: 0,
            base_path: "/".into(),
            built: Arc::new(AtomicBool::new(true)),
        },
        Arc::new(RwLock::new(PathBuf::from("/nonexistent/vitrine"))),
        Hub::new(),
    )
    .unwrap();
    let r = get(server.local_addr(), "/");
    assert_eq!(r.status, 404);
    assert_eq!(
        get(server.local_addr(), "/__vitrine/livereload.js").status,
        200
    );
}

#[test]
fn before_the_first_good_build_pages_wait_with_the_script() {
    let s = site("/ecole/", true);
    let built = Arc::new(AtomicBool::new(false));
    let server = DevServer::start(
        ServerConfig {
            lang: crate::i18n::Lang::Fr,
            bind: "127.0.0.1".into(),
            port: 0,
            base_path: "/ecole/".into(),
            built: built.clone(),
        },
        Arc::new(RwLock::new(s.site.clone())),
        s.hub.clone(),
    )
    .unwrap();
    let a = server.local_addr();
    for page in [
        "/ecole/",
        "/ecole/about/",
        "/ecole/about",
        "/ecole/x/index.html",
    ] {
        let r = get(a, page);
        assert_eq!(r.status, 503, "{page}");
        assert_eq!(r.header("content-type").as_deref(), Some(HTML));
        let body = r.text();
        assert!(body.starts_with("<!doctype html>"), "{body}");
        assert!(
            body.contains("<script src=\"/ecole/__vitrine/livereload.js\" data-lang=\"fr\" defer></script></body>"),
            "{body}"
        );
        assert!(!body.contains("Bonjour"));
    }
    let css = get(a, "/ecole/css/site.css");
    assert_eq!(css.status, 503);
    assert!(!css.text().contains("color"));
    assert_eq!(get(a, "/ecole/__vitrine/livereload.js").status, 200);
    // The events stream works, and replays the current error.
    s.hub.publish(Event::Error {
        text: "content/a.md: champ inconnu".into(),
        html: String::new(),
    });
    let mut c = sse_client(a, "/ecole/");
    assert!(read_event(&mut c).contains("champ inconnu"));
    // Once a build succeeded, the site is served.
    built.store(true, Ordering::SeqCst);
    let r = get(a, "/ecole/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Bonjour"));
    assert_eq!(get(a, "/ecole/css/site.css").status, 200);
}

#[test]
fn a_page_that_is_not_utf8_is_served_while_drafts_are_marked() {
    let s = site("/", true);
    fs::write(
        s.site.join("latin1.html"),
        b"<html><body>caf\xe9</body></html>",
    )
    .unwrap();
    s.server
        .set_drafts(HashSet::from(["brouillon/".to_string()]));
    let r = get(s.addr(), "/latin1.html");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.body.starts_with(b"<html><body>caf\xe9<script"));
}

#[test]
fn an_http_1_0_client_is_told_its_connection_is_kept() {
    let s = site("/", true);
    let mut c = TcpStream::connect(s.addr()).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(b"GET /robots.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        .unwrap();
    let mut r = BufReader::new(c);
    let mut head = String::new();
    while !head.ends_with("\r\n\r\n") {
        assert_ne!(r.read_line(&mut head).unwrap(), 0, "{head}");
    }
    assert!(head.starts_with("HTTP/1.0 200"), "{head}");
    assert!(head.contains("\r\nConnection: keep-alive\r\n"), "{head}");
    // And it is: a second request on it is answered, then closed.
    let mut body = [0u8; 14];
    r.read_exact(&mut body).unwrap();
    assert_eq!(&body, b"User-agent: *\n");
    r.get_mut()
        .write_all(b"GET /robots.txt HTTP/1.0\r\n\r\n")
        .unwrap();
    let mut rest = String::new();
    r.read_to_string(&mut rest).unwrap();
    assert!(rest.starts_with("HTTP/1.0 200"), "{rest}");
    assert!(rest.contains("\r\nConnection: close\r\n"), "{rest}");
}
