//! Helpers shared by the integration tests: run the real binary on fixture
//! sites copied to temporary folders, and read back what it wrote.
#![allow(dead_code)]

pub mod pictures;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The day every test runs on (`VITRINE_TODAY`): expectations about
/// consents that expire must not drift with the real date.
pub const TODAY: &str = "2026-01-15";

/// [`TODAY`] as a date, to write dates relative to it.
pub fn today() -> time::Date {
    time::Date::from_calendar_date(2026, time::Month::January, 15).expect("valid date")
}

/// The `vitrine` binary, in French, with a fixed "today" ([`TODAY`]).
pub fn vitrine() -> Command {
    with_test_env(Command::cargo_bin("vitrine").expect("binary built by cargo"))
}

/// `cmd` with the environment of [`vitrine`]: French, a fixed "today", no colour.
pub fn with_test_env(mut cmd: Command) -> Command {
    cmd.env("VITRINE_TODAY", TODAY)
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env("NO_COLOR", "1");
    cmd
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `vitrine build --root ROOT`: its exit code, and what it printed.
fn run_build(root: &Path) -> (Option<i32>, String) {
    let out = vitrine()
        .arg("build")
        .arg("--root")
        .arg(root)
        .output()
        .expect("vitrine runs");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    (out.status.code(), stderr)
}

/// `vitrine build --root ROOT`: whether it succeeded, and what it printed.
pub fn build_site(root: &Path) -> (bool, String) {
    let (code, stderr) = run_build(root);
    (code == Some(0), stderr)
}

/// `vitrine build --root ROOT`, which must fail with exit code 1; returns
/// what it printed.
pub fn build_fails(root: &Path) -> String {
    let (code, stderr) = run_build(root);
    assert_eq!(code, Some(1), "{stderr}");
    stderr
}

/// Writes the skeleton most generated test sites share: `site.yaml`, a home
/// page, and the testimonial and programme sections (no pages).
pub fn write_skeleton(root: &Path, site_yaml: &str) {
    write(&root.join("site.yaml"), site_yaml);
    write(
        &root.join("content/_index.md"),
        "---\ntitle: Accueil\n---\nBienvenue.\n",
    );
    write(
        &root.join("content/temoignages/_index.md"),
        "---\ntitle: Témoignages\nkind: testimonial\n---\n",
    );
    write(
        &root.join("content/programmes/_index.md"),
        "---\ntitle: Programmes\nkind: programme\n---\n",
    );
}

/// Builds the site at `root` into `root/public`, which must succeed.
pub fn build_ok(root: &Path) {
    let (ok, stderr) = build_site(root);
    assert!(ok, "{stderr}");
}

/// Replaces `from` by `to` in a file of a test site; `from` must be there,
/// so a changed fixture cannot silently turn a test into a no-op.
pub fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("readable");
    assert!(text.contains(from), "`{from}` not in {}", path.display());
    std::fs::write(path, text.replace(from, to)).expect("write");
}

/// Builds the example site (the repository root) into a new temporary
/// folder with `args` added; returns (guard, output folder).
pub fn build_example(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    vitrine()
        .args(["build", "--root"])
        .arg(repo_root())
        .arg("--output")
        .arg(&out)
        .args(args)
        .assert()
        .success();
    (dir, out)
}

/// Copies a fixture site into a new temporary folder; returns (guard, site root).
pub fn copy_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    copy_dir(&fixture(name), &root);
    (dir, root)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let rel = entry.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Every file under `dir` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside").to_path_buf();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

pub fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

/// All `.html` files under `dir`.
pub fn html_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

/// Every URL in href/src/srcset/content attributes of an HTML document.
pub fn urls_in(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let mut urls = Vec::new();
    let selector = scraper::Selector::parse(
        "[href], [src], [srcset], meta[property='og:image'], meta[property='og:url']",
    )
    .expect("selector");
    for el in doc.select(&selector) {
        for attr in ["href", "src", "content"] {
            if let Some(v) = el.value().attr(attr) {
                urls.push(v.to_string());
            }
        }
        if let Some(srcset) = el.value().attr("srcset") {
            urls.extend(
                srcset
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .map(str::to_string),
            );
        }
    }
    urls
}

/// Maps a site URL path (without the base path) to the file that serves it.
pub fn file_for(out: &Path, path: &str) -> PathBuf {
    let path = path.split(['#', '?']).next().unwrap_or("");
    let decoded = percent_decode(path);
    let p = out.join(decoded.trim_start_matches('/'));
    if path.is_empty() || path.ends_with('/') {
        p.join("index.html")
    } else {
        p
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// Writes a real `width`×`height` PNG at `path` (pictures are decoded and
/// re-encoded by every build, so a stand-in text file would not do).
pub fn write_png(path: &Path, width: u32, height: u32) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    image::RgbImage::from_pixel(width, height, image::Rgb([30, 90, 160]))
        .save_with_format(path, image::ImageFormat::Png)
        .expect("write png");
}

/// A port free on loopback now, for a `vitrine serve` a test starts.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a loopback port")
        .local_addr()
        .expect("its address")
        .port()
}
