//! Editing in the browser: the backend `vitrine serve` gives Decap CMS,
//! exercised over HTTP as the interface calls it, and everything it must
//! refuse.

mod common;

use base64::Engine;
use common::*;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::net::{IpAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `vitrine serve`, killed on drop.
struct Server {
    child: Child,
    port: u16,
    /// `/__vitrine/api/<token>/v1`, read from the generated configuration.
    api: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `vitrine serve` on `root`, its messages in `log`, and waits for
/// the site and the editing configuration.
fn start(root: &Path, log: &Path) -> Server {
    start_on(root, log, "127.0.0.1")
}

/// [`start`], listening on `bind`.
fn start_on(root: &Path, log: &Path, bind: &str) -> Server {
    let port = free_port();
    let child = Command::new(assert_cmd::cargo::cargo_bin("vitrine"))
        .args(["serve", "--root"])
        .arg(root)
        .args(["--port", &port.to_string(), "--bind", bind])
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env("VITRINE_TODAY", TODAY)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let mut server = Server {
        child,
        port,
        api: String::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let config = get(port, "/__vitrine/admin/config.yml");
        if let Some(api) = config.ok().and_then(|r| api_path(&r.body)) {
            if get(port, "/").is_ok_and(|r| r.status == 200) {
                server.api = api;
                return server;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("server did not start");
}

/// The backend's path in the configuration's `proxy_url`.
fn api_path(config: &str) -> Option<String> {
    let at = config.find("/__vitrine/api/")?;
    let end = config[at..].find('"')?;
    Some(config[at..at + end].to_string())
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

fn get(port: u16, path: &str) -> std::io::Result<Response> {
    raw(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

fn raw(port: u16, request: &[u8]) -> std::io::Result<Response> {
    raw_at(IpAddr::from([127, 0, 0, 1]), port, request)
}

/// [`raw`], to this computer's address `ip` (the client is then seen
/// coming from `ip` too).
fn raw_at(ip: IpAddr, port: u16, request: &[u8]) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect((ip, port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.write_all(request)?;
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

/// What a POST to the backend carries.
struct Post<'a> {
    path: &'a str,
    host: &'a str,
    origin: Option<&'a str>,
    content_type: &'a str,
    body: &'a [u8],
}

impl Post<'_> {
    fn send(&self, port: u16) -> Response {
        let mut request = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.path,
            self.host,
            self.content_type,
            self.body.len()
        );
        if let Some(origin) = self.origin {
            request.push_str(&format!("Origin: {origin}\r\n"));
        }
        request.push_str("\r\n");
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(self.body);
        raw(port, &bytes).unwrap()
    }
}

impl Server {
    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A backend call as the interface makes it.
    fn call<T: Serialize>(&self, request: &T) -> Response {
        let body = serde_json::to_vec(request).unwrap();
        let origin = self.origin();
        Post {
            path: &self.api,
            host: "127.0.0.1",
            origin: Some(&origin),
            content_type: "application/json; charset=utf-8",
            body: &body,
        }
        .send(self.port)
    }
}

#[derive(Serialize)]
struct Call<P> {
    action: &'static str,
    params: P,
}

#[derive(Serialize)]
struct Folder<'a> {
    folder: &'a str,
    extension: &'a str,
    depth: u32,
}

#[derive(Serialize)]
struct PathParam<'a> {
    path: &'a str,
}

#[derive(Serialize)]
struct MediaFolder<'a> {
    #[serde(rename = "mediaFolder")]
    media_folder: &'a str,
}

#[derive(Serialize, Clone)]
struct DataFile {
    slug: String,
    path: String,
    raw: String,
}

#[derive(Serialize, Clone)]
struct Asset {
    path: String,
    content: String,
    encoding: &'static str,
}

#[derive(Serialize)]
struct Persist {
    #[serde(rename = "dataFiles")]
    data_files: Vec<DataFile>,
    assets: Vec<Asset>,
}

#[derive(Serialize)]
struct PersistMedia {
    asset: Asset,
}

#[derive(Deserialize, Debug)]
struct Entry {
    data: Option<String>,
    file: EntryFile,
}

#[derive(Deserialize, Debug)]
struct EntryFile {
    path: String,
}

#[derive(Deserialize, Debug)]
struct MediaFile {
    path: String,
    name: String,
    content: String,
}

fn entry_call(path: &str, raw: &str) -> Call<Persist> {
    Call {
        action: "persistEntry",
        params: Persist {
            data_files: vec![DataFile {
                slug: "x".into(),
                path: path.into(),
                raw: raw.into(),
            }],
            assets: vec![],
        },
    }
}

fn png_base64(dir: &Path) -> String {
    let file = dir.join("photo.png");
    write_png(&file, 40, 30);
    base64::engine::general_purpose::STANDARD.encode(std::fs::read(file).unwrap())
}

/// Waits until `path` is served with a body containing `text`.
fn wait_body(port: u16, path: &str, text: &str) -> Option<Response> {
    let deadline = Instant::now() + Duration::from_secs(20);
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

fn site() -> (tempfile::TempDir, PathBuf, Server) {
    let (dir, root) = copy_fixture("minimal");
    let server = start(&root, &dir.path().join("serve.log"));
    (dir, root, server)
}

const NEW_TESTIMONIAL: &str = "---\ntitle: Mon stage chez Zoé\ndate: 2026-01-10\nauthor:\n  name: Zoé\n  photo: photo.png\n  photo_alt: Zoé devant un écran\nprogramme: vis-mon-job\nconsent:\n  obtained: 2026-01-02\n---\n\nUn récit tout neuf.\n";

#[test]
fn the_interface_is_served_and_announced() {
    let (dir, _root, server) = site();
    let page = get(server.port, "/__vitrine/admin/").unwrap();
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<script src=\"decap-cms.js\">"),
        "{}",
        page.body
    );
    assert!(page
        .head
        .contains("Content-Security-Policy: default-src 'self'"));
    let script = get(server.port, "/__vitrine/admin/decap-cms.js").unwrap();
    assert_eq!(script.status, 200);
    assert!(script.body.len() > 1_000_000);
    let config = get(server.port, "/__vitrine/admin/config.yml")
        .unwrap()
        .body;
    for expected in [
        "\"name\": \"proxy\"",
        "\"locale\": \"fr\"",
        "\"folder\": \"content/temoignages\"",
        "\"collection\": \"programmes\"",
        "\"path\": \"{{slug}}/index\"",
    ] {
        assert!(config.contains(expected), "{expected} in {config}");
    }
    let log = std::fs::read_to_string(dir.path().join("serve.log")).unwrap();
    let address = format!(
        "Édition dans le navigateur : http://127.0.0.1:{}/__vitrine/admin/",
        server.port
    );
    assert!(log.contains(&address), "{log}");
}

#[test]
fn entries_are_listed_read_created_and_updated() {
    let (dir, root, server) = site();
    let listed = server.call(&Call {
        action: "entriesByFolder",
        params: Folder {
            folder: "content/temoignages",
            extension: "md",
            depth: 2,
        },
    });
    assert_eq!(listed.status, 200, "{}", listed.body);
    let entries: Vec<Entry> = serde_json::from_str(&listed.body).unwrap();
    let paths: Vec<&str> = entries.iter().map(|e| e.file.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "content/temoignages/ines/index.md",
            "content/temoignages/stage-1.md",
            "content/temoignages/stage-2.md",
            "content/temoignages/stage-3.md",
        ]
    );
    let read = server.call(&Call {
        action: "getEntry",
        params: PathParam {
            path: "content/temoignages/stage-1.md",
        },
    });
    let entry: Entry = serde_json::from_str(&read.body).unwrap();
    let original = std::fs::read_to_string(root.join("content/temoignages/stage-1.md")).unwrap();
    assert_eq!(entry.data.as_deref(), Some(original.as_str()));

    // A new testimonial, as a bundle with its photo.
    let photo = png_base64(dir.path());
    let mut create = entry_call("content/temoignages/zoe/index.md", NEW_TESTIMONIAL);
    create.params.assets.push(Asset {
        path: "content/temoignages/zoe/photo.png".into(),
        content: photo.clone(),
        encoding: "base64",
    });
    let created = server.call(&create);
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(
        std::fs::read_to_string(root.join("content/temoignages/zoe/index.md")).unwrap(),
        NEW_TESTIMONIAL
    );
    let page = wait_body(server.port, "/temoignages/zoe/", "Un récit tout neuf")
        .expect("the new testimonial in the preview");
    assert!(page.body.contains("Mon stage chez Zoé"));
    assert!(page.body.contains("photo"), "{}", page.body);

    // An update of an existing page reaches the preview too.
    let updated = original.replace(
        "Premier paragraphe du stage 1.",
        "Texte modifié dans le navigateur.",
    );
    let saved = server.call(&entry_call("content/temoignages/stage-1.md", &updated));
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(wait_body(
        server.port,
        "/temoignages/stage-1/",
        "Texte modifié dans le navigateur"
    )
    .is_some());
    assert_eq!(
        std::fs::read_to_string(root.join("content/temoignages/stage-1.md")).unwrap(),
        updated
    );
}

#[test]
fn media_are_uploaded_into_a_bundle_and_listed() {
    let (dir, root, server) = site();
    let photo = png_base64(dir.path());
    let uploaded = server.call(&Call {
        action: "persistMedia",
        params: PersistMedia {
            asset: Asset {
                path: "content/temoignages/ines/atelier.png".into(),
                content: photo.clone(),
                encoding: "base64",
            },
        },
    });
    assert_eq!(uploaded.status, 200, "{}", uploaded.body);
    let file: MediaFile = serde_json::from_str(&uploaded.body).unwrap();
    assert_eq!(
        (file.path.as_str(), file.name.as_str()),
        ("content/temoignages/ines/atelier.png", "atelier.png")
    );
    assert_eq!(
        std::fs::read(root.join("content/temoignages/ines/atelier.png")).unwrap(),
        base64::engine::general_purpose::STANDARD
            .decode(&photo)
            .unwrap()
    );
    let listed = server.call(&Call {
        action: "getMedia",
        params: MediaFolder {
            media_folder: "content/temoignages/ines",
        },
    });
    let media: Vec<MediaFile> = serde_json::from_str(&listed.body).unwrap();
    let names: Vec<&str> = media.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["atelier.png", "portrait.png", "schema.png"]);
    assert_eq!(media[0].content, photo);
}

/// Every file under `dir` but the server's log, which it may still be
/// writing to when a test starts (it says it is ready after serving).
fn files_but_log(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = snapshot(dir);
    files.remove(Path::new("serve.log"));
    files
}

#[test]
fn writes_outside_content_or_from_strangers_are_refused_and_write_nothing() {
    let (dir, root, server) = site();
    let outside = dir.path().join("ailleurs");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.md"), "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, root.join("content/lien")).unwrap();
    let before = files_but_log(dir.path());
    let unchanged = |what: &str| {
        assert_eq!(files_but_log(dir.path()), before, "{what} changed a file");
    };

    for path in [
        "site.yaml",
        "static/x.md",
        "content/../site.md",
        "content/temoignages/../../x.md",
        "content/%2e%2e/x.md",
        "content/%2E%2E%2Fx.md",
        "content/..%2fx.md",
        "content/..\\x.md",
        "/tmp/x.md",
        "content//x.md",
        "content/lien/secret.md",
        "content/lien/nouveau.md",
        "content/temoignages/_index.md",
        "content/x.html",
    ] {
        let answer = server.call(&entry_call(path, "---\ntitle: x\n---\n"));
        assert_eq!(answer.status, 403, "{path}: {}", answer.body);
        unchanged(path);
    }
    let photo = Asset {
        path: "content/lien/photo.png".into(),
        content: "iVBORw==".into(),
        encoding: "base64",
    };
    for path in [
        "content/lien/photo.png",
        "static/photo.png",
        "content/x.svg",
    ] {
        let answer = server.call(&Call {
            action: "persistMedia",
            params: PersistMedia {
                asset: Asset {
                    path: path.into(),
                    ..photo.clone()
                },
            },
        });
        assert_eq!(answer.status, 403, "{path}: {}", answer.body);
        unchanged(path);
    }
    for path in ["site.yaml", "content/lien/secret.md", "content/_index.md"] {
        let answer = server.call(&Call {
            action: "deleteFile",
            params: PathParam { path },
        });
        assert_eq!(answer.status, 403, "{path}: {}", answer.body);
        unchanged(path);
    }
    // Reads are confined too.
    let read = server.call(&Call {
        action: "getMediaFile",
        params: PathParam {
            path: "content/../site.yaml",
        },
    });
    assert_eq!(read.status, 403);
    assert!(!read.body.contains("Site de test"));

    // A good request, but not from the interface.
    let body =
        serde_json::to_vec(&entry_call("content/intrus.md", "---\ntitle: x\n---\n")).unwrap();
    let origin = server.origin();
    let good = Post {
        path: &server.api,
        host: "127.0.0.1",
        origin: Some(&origin),
        content_type: "application/json",
        body: &body,
    };
    let wrong_token = server.api.replace("/v1", "0/v1");
    let other_port = format!("http://127.0.0.1:{}", server.port + 1);
    let cases: [(&str, Post, u16); 9] = [
        (
            "foreign Host",
            Post {
                host: "evil.example",
                ..good
            },
            421,
        ),
        (
            "foreign Origin",
            Post {
                origin: Some("http://evil.example"),
                ..good
            },
            403,
        ),
        (
            "no Origin",
            Post {
                origin: None,
                ..good
            },
            403,
        ),
        (
            "a page of another local server",
            Post {
                origin: Some(&other_port),
                ..good
            },
            403,
        ),
        (
            "wrong token",
            Post {
                path: &wrong_token,
                ..good
            },
            403,
        ),
        (
            "no token",
            Post {
                path: "/__vitrine/api//v1",
                ..good
            },
            403,
        ),
        (
            "no token at all",
            Post {
                path: "/__vitrine/api/v1",
                ..good
            },
            404,
        ),
        (
            "form post",
            Post {
                content_type: "text/plain",
                ..good
            },
            415,
        ),
        (
            "GET",
            Post {
                content_type: "application/json",
                ..good
            },
            0,
        ),
    ];
    for (what, post, status) in cases {
        if status == 0 {
            let answer = get(server.port, &server.api).unwrap();
            assert_eq!(answer.status, 405, "{what}");
            continue;
        }
        let answer = post.send(server.port);
        assert_eq!(answer.status, status, "{what}: {}", answer.body);
        unchanged(what);
    }
    // Without Origin, a wrong token too: told why, not sent elsewhere.
    let answer = Post {
        path: &wrong_token,
        origin: None,
        ..good
    }
    .send(server.port);
    assert_eq!(answer.status, 403);
    let error: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    let error = error["error"].as_str().unwrap();
    assert!(
        error.contains("Origin") && !error.contains("adresses de cet ordinateur"),
        "{error}"
    );
    // An oversized body is refused unread.
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {origin}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{{",
        server.api,
        64 * 1024 * 1024
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.contains("trop volumineuse") && !answer.contains("Content-Length)"),
        "{answer}"
    );
    unchanged("an oversized body");
    // And the same request from the interface is written.
    assert_eq!(good.send(server.port).status, 200);
    assert!(root.join("content/intrus.md").is_file());
}

/// An IPv4 address of this computer other than loopback, if it has one.
fn lan_address() -> Option<IpAddr> {
    let out = Command::new("hostname").arg("-I").output().ok()?;
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|a| a.parse::<IpAddr>().ok())
        .find(|ip| ip.is_ipv4() && !ip.is_loopback())
}

#[test]
fn on_the_network_the_preview_is_shown_but_the_editor_answers_this_computer_only() {
    let Some(lan) = lan_address() else {
        println!("skipped: `hostname -I` gives no IPv4 address besides loopback");
        return;
    };
    let (dir, root) = copy_fixture("minimal");
    let server = start_on(&root, &dir.path().join("serve.log"), "0.0.0.0");
    let before = files_but_log(dir.path());
    let token = server.api.split('/').nth(3).unwrap().to_owned();
    let lan_host = format!("{lan}:{}", server.port);
    let from_lan = |request: String| raw_at(lan, server.port, request.as_bytes()).unwrap();
    let home = from_lan(format!(
        "GET / HTTP/1.1\r\nHost: {lan_host}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(home.status, 200, "the preview is for the network");
    for path in [
        "/__vitrine/admin/",
        "/__vitrine/admin/index.html",
        "/__vitrine/admin/config.yml",
        "/__vitrine/admin/decap-cms.js",
        "/__vitrine/admin/vitrine-admin.js",
    ] {
        let answer = from_lan(format!(
            "GET {path} HTTP/1.1\r\nHost: {lan_host}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(answer.status, 403, "{path}: {}", answer.body);
        assert!(
            answer.body.contains("l'ordinateur qui lance vitrine serve"),
            "{path}: {}",
            answer.body
        );
        assert!(!answer.body.contains(&token), "{path}");
    }
    // Even with the token, from its own origin.
    let body =
        serde_json::to_vec(&entry_call("content/intrus.md", "---\ntitle: x\n---\n")).unwrap();
    let mut post = format!(
        "POST {} HTTP/1.1\r\nHost: {lan_host}\r\nOrigin: http://{lan_host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        server.api,
        body.len()
    )
    .into_bytes();
    post.extend_from_slice(&body);
    let answer = raw_at(lan, server.port, &post).unwrap();
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(
        files_but_log(dir.path()),
        before,
        "a write from the network"
    );
    // On this computer, the page must be the editor's, on this port.
    let other_port = format!("http://localhost:{}", server.port + 1);
    let answer = Post {
        path: &server.api,
        host: "127.0.0.1",
        origin: Some(&other_port),
        content_type: "application/json",
        body: &body,
    }
    .send(server.port);
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert!(answer.body.contains("Origin"), "{}", answer.body);
    assert_eq!(
        files_but_log(dir.path()),
        before,
        "a write from another port"
    );
    assert_eq!(
        server
            .call(&entry_call("content/intrus.md", "---\ntitle: x\n---\n"))
            .status,
        200
    );
    assert!(root.join("content/intrus.md").is_file());
}

#[test]
fn a_burst_of_50_saves_leaves_every_file_complete() {
    let (_dir, root, server) = site();
    let server = std::sync::Arc::new(server);
    // Five pages, ten versions each, large enough to take several writes.
    let version = |page: usize, v: usize| {
        format!(
            "---\ntitle: \"Page {page}\"\n---\n\n{}\nfin {page}-{v}\n",
            format!("Version {v} de la page {page}. ").repeat(4000)
        )
    };
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (root, stop) = (root.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut torn = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                for page in 0..5 {
                    let file = root.join(format!("content/rafale-{page}.md"));
                    if let Ok(text) = std::fs::read_to_string(&file) {
                        if !(0..10).any(|v| text == version(page, v)) {
                            torn.push(text.len());
                        }
                    }
                }
            }
            torn
        })
    };
    let writers: Vec<_> = (0..50)
        .map(|i| {
            let server = server.clone();
            let text = version(i % 5, i / 5);
            std::thread::spawn(move || {
                server
                    .call(&entry_call(&format!("content/rafale-{}.md", i % 5), &text))
                    .status
            })
        })
        .collect();
    for writer in writers {
        assert_eq!(writer.join().unwrap(), 200);
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(reader.join().unwrap(), Vec::<usize>::new(), "torn reads");
    for page in 0..5 {
        let text = std::fs::read_to_string(root.join(format!("content/rafale-{page}.md"))).unwrap();
        assert!(
            (0..10).any(|v| text == version(page, v)),
            "page {page} incomplete"
        );
    }
    let left: Vec<_> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    assert!(wait_body(server.port, "/rafale-0/", "Page 0").is_some());
}

/// A sub-path site with its sections, `editing:` as given, built into `public`.
fn build_with_editing(editing: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(
        &root,
        &format!("title: Stages\nbase_url: https://college.example/stages/\n{editing}"),
    );
    write(
        &root.join("content/programmes/vis-mon-job.md"),
        "---\ntitle: Vis mon job\norganiser: Collège\n---\nTexte.\n",
    );
    build_ok(&root);
    (dir, root.join("public"))
}

#[test]
fn a_site_with_a_git_backend_gets_its_editor_in_admin() {
    let (_dir, out) = build_with_editing(
        "editing:\n  backend: gitlab\n  repo: college/site-stages\n  base_url: https://gitlab.academie.example/\n  app_id: abc123\n",
    );
    let page = std::fs::read_to_string(out.join("admin/index.html")).unwrap();
    assert!(
        page.contains("<script src=\"decap-cms.js\"></script>"),
        "{page}"
    );
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
    let bundle = std::fs::read(out.join("admin/decap-cms.js")).unwrap();
    let vendored = std::fs::read(repo_root().join("vendor/decap-cms/decap-cms.js")).unwrap();
    assert!(bundle == vendored, "the vendored bundle, as it is");
    let text = std::fs::read_to_string(out.join("admin/config.yml")).unwrap();
    let json = text.split_once('\n').unwrap().1;
    let config: serde_json::Value = serde_json::from_str(json).unwrap();
    let backend = &config["backend"];
    assert_eq!(backend["name"], "gitlab");
    assert_eq!(backend["repo"], "college/site-stages");
    assert_eq!(backend["branch"], "main");
    assert_eq!(backend["base_url"], "https://gitlab.academie.example");
    assert_eq!(
        backend["api_root"],
        "https://gitlab.academie.example/api/v4"
    );
    assert_eq!(backend["auth_type"], "pkce");
    assert_eq!(backend["app_id"], "abc123");
    assert!(backend.get("proxy_url").is_none());
    // Media under the site's sub-path.
    assert_eq!(config["media_folder"], "content/medias");
    assert_eq!(config["public_folder"], "/stages/medias");
    let names: Vec<&str> = config["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["pages", "programmes", "temoignages"]);
}

#[test]
fn github_and_no_editing() {
    let (_dir, out) = build_with_editing(
        "editing:\n  backend: github\n  repo: lycee/stages\n  branch: publication\n",
    );
    let text = std::fs::read_to_string(out.join("admin/config.yml")).unwrap();
    let config: serde_json::Value = serde_json::from_str(text.split_once('\n').unwrap().1).unwrap();
    assert_eq!(config["backend"]["name"], "github");
    assert_eq!(config["backend"]["branch"], "publication");
    assert!(config["backend"].get("auth_type").is_none());

    let (_dir, out) = build_with_editing("");
    assert!(out.join("index.html").is_file());
    assert!(!out.join("admin").exists(), "no editor without `editing:`");
}

#[test]
fn a_wrong_editing_block_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(
        &root,
        "title: Stages\nbase_url: https://x.example/\nediting:\n  backend: gitea\n",
    );
    let stderr = build_fails(&root);
    assert!(
        stderr.contains("editing.repo") || stderr.contains("`repo`"),
        "{stderr}"
    );
    assert!(stderr.contains("gitea"), "{stderr}");
    assert!(!root.join("public/admin").exists());
}

#[test]
fn a_page_at_admin_clashes_with_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_skeleton(
        &root,
        "title: Stages\nbase_url: https://x.example/\nediting:\n  backend: github\n  repo: a/b\n",
    );
    write(
        &root.join("content/admin.md"),
        "---\ntitle: Admin\n---\nx\n",
    );
    let stderr = build_fails(&root);
    assert!(stderr.contains("admin/index.html"), "{stderr}");
}
