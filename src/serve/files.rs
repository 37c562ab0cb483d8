//! Files of the site on disk: what a [`FileRequest`] finds, the site's
//! `404.html`, reading a file, and its content type.
//!
//! The last safety rule is here: the file found is canonicalised and must
//! lie inside the canonical site folder, so a symlink out of the output is
//! refused. Folders are never listed (`index.html` or nothing), and only
//! regular files are opened (never a FIFO, which would block).
//!
//! [`FileRequest`]: super::route::FileRequest

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::urls;

pub(crate) const HTML: &str = "text/html; charset=utf-8";
pub(crate) const CSS: &str = "text/css; charset=utf-8";
pub(crate) const JS: &str = "application/javascript; charset=utf-8";
pub(crate) const PLAIN: &str = "text/plain; charset=utf-8";

/// The folder of the last good build, canonical.
#[derive(Debug)]
pub(crate) struct SiteRoot(PathBuf);

/// What a request found in the site.
#[derive(Debug, PartialEq)]
pub(crate) enum Found {
    File(SiteFile),
    /// A folder asked without its final slash.
    Folder,
    Missing,
}

/// A regular file inside the site.
#[derive(Debug, PartialEq)]
pub(crate) struct SiteFile {
    /// Where to read it: canonical, inside the site.
    path: PathBuf,
    /// The name asked for, which gives the type (they differ for a
    /// symlink inside the site).
    name: PathBuf,
}

/// The bytes of a file: HTML whole (the preview adds to it), anything else
/// as a stream of known length.
pub(crate) enum Content {
    Html(Vec<u8>),
    Stream(Box<dyn Read + Send>, usize),
}

impl SiteRoot {
    /// `None` when the folder does not exist (yet).
    pub(crate) fn open(dir: &Path) -> Option<SiteRoot> {
        fs::canonicalize(dir).ok().map(SiteRoot)
    }

    /// Looks for `rest` (a path under the base whose segments the router
    /// checked): a file, a folder's `index.html`, or nothing.
    pub(crate) fn find(&self, rest: &str) -> Found {
        let slash = rest.is_empty() || rest.ends_with('/');
        let inner = rest.strip_suffix('/').unwrap_or(rest);
        let mut requested = self.0.clone();
        requested.extend(inner.split('/').filter(|s| !s.is_empty()));
        let Some(target) = self.inside(&requested) else {
            return Found::Missing;
        };
        let Ok(meta) = fs::metadata(&target) else {
            return Found::Missing;
        };
        if meta.is_dir() && slash {
            self.file(requested.join(urls::INDEX_FILE))
        } else if meta.is_dir() {
            Found::Folder
        } else if meta.is_file() && !slash {
            Found::File(SiteFile {
                path: target,
                name: requested,
            })
        } else {
            Found::Missing
        }
    }

    /// The site's `404.html`, if it has one.
    pub(crate) fn not_found_page(&self) -> Option<SiteFile> {
        match self.file(self.0.join(urls::NOT_FOUND_FILE)) {
            Found::File(page) => Some(page),
            _ => None,
        }
    }

    /// `name` if it is a regular file inside the site.
    fn file(&self, name: PathBuf) -> Found {
        match self.inside(&name).filter(|path| path.is_file()) {
            Some(path) => Found::File(SiteFile { path, name }),
            None => Found::Missing,
        }
    }

    /// The canonical form of `path` if it lies inside the site.
    fn inside(&self, path: &Path) -> Option<PathBuf> {
        fs::canonicalize(path)
            .ok()
            .filter(|canonical| canonical.starts_with(&self.0))
    }
}

impl SiteFile {
    pub(crate) fn content_type(&self) -> &'static str {
        content_type(&self.name)
    }

    /// The file's bytes; `None` if it cannot be read.
    pub(crate) fn read(&self) -> Option<Content> {
        if self.content_type() == HTML {
            return fs::read(&self.path).ok().map(Content::Html);
        }
        let file = File::open(&self.path).ok()?;
        let len = file.metadata().ok()?.len();
        let size = usize::try_from(len).ok()?;
        Some(Content::Stream(Box::new(file.take(len)), size))
    }
}

/// Content type by name; text types carry `charset=utf-8`. A table rather
/// than `mime_guess`, which gives other types than these for `.js`
/// (`text/javascript`), `.map`, `.xml`, `.woff` and `.otf`, and no charset.
pub(crate) fn content_type(path: &Path) -> &'static str {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if name == urls::FEED_FILE {
        return "application/atom+xml; charset=utf-8";
    }
    let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    match ext {
        "html" | "htm" => HTML,
        "css" => CSS,
        "js" | "mjs" => JS,
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "txt" => PLAIN,
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// tmp/secret.txt, and the site in tmp/site.
    fn site() -> (tempfile::TempDir, SiteRoot) {
        let dir = tempfile::tempdir().unwrap();
        let tmp = dir.path();
        fs::write(tmp.join("secret.txt"), "secret").unwrap();
        let site = tmp.join("site");
        for d in ["about", "empty", "css"] {
            fs::create_dir_all(site.join(d)).unwrap();
        }
        fs::write(site.join("index.html"), "<p>home</p>").unwrap();
        fs::write(site.join("about/index.html"), "<p>about</p>").unwrap();
        fs::write(site.join("css/site.css"), "body{}").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(tmp.join("secret.txt"), site.join("link-out")).unwrap();
            symlink(tmp, site.join("dirlink")).unwrap();
            symlink(site.join("css/site.css"), site.join("link-in.css")).unwrap();
        }
        let root = SiteRoot::open(&site).unwrap();
        (dir, root)
    }

    fn found_name(found: Found) -> Option<String> {
        match found {
            Found::File(file) => file.name.file_name().map(|n| n.to_string_lossy().into()),
            _ => None,
        }
    }

    #[test]
    fn files_folders_and_index_pages() {
        let (_dir, root) = site();
        assert_eq!(found_name(root.find("")).as_deref(), Some("index.html"));
        assert_eq!(
            found_name(root.find("about/")).as_deref(),
            Some("index.html")
        );
        assert_eq!(root.find("about"), Found::Folder);
        assert_eq!(
            found_name(root.find("css/site.css")).as_deref(),
            Some("site.css")
        );
        // No listing, and a file is not a folder.
        assert_eq!(root.find("empty/"), Found::Missing);
        assert_eq!(root.find("css/site.css/"), Found::Missing);
        assert_eq!(root.find("nope.html"), Found::Missing);
        assert_eq!(root.not_found_page(), None);
        fs::write(root.0.join("404.html"), "x").unwrap();
        assert!(root.not_found_page().is_some());
    }

    #[cfg(unix)]
    #[test]
    fn nothing_outside_the_site_is_found() {
        let (_dir, root) = site();
        for rest in [
            "link-out",
            "dirlink/secret.txt",
            "dirlink/",
            "../secret.txt",
        ] {
            assert_eq!(root.find(rest), Found::Missing, "{rest}");
        }
        // A symlink inside the site is served with the type of its name.
        let Found::File(file) = root.find("link-in.css") else {
            panic!("link-in.css not found");
        };
        assert!(file.path.ends_with("css/site.css"));
        assert_eq!(file.content_type(), CSS);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_never_opened() {
        let (_dir, root) = site();
        let made = std::process::Command::new("mkfifo")
            .arg(root.0.join("fifo"))
            .status()
            .is_ok_and(|st| st.success());
        assert!(made, "mkfifo failed");
        assert_eq!(root.find("fifo"), Found::Missing);
    }

    #[test]
    fn html_is_read_whole_and_the_rest_streamed() {
        let (_dir, root) = site();
        let Found::File(page) = root.find("") else {
            panic!("no index.html");
        };
        assert!(matches!(page.read(), Some(Content::Html(html)) if html == b"<p>home</p>"));
        let Found::File(css) = root.find("css/site.css") else {
            panic!("no css");
        };
        let Some(Content::Stream(mut body, len)) = css.read() else {
            panic!("css not streamed");
        };
        let mut text = String::new();
        body.read_to_string(&mut text).unwrap();
        assert_eq!((text.as_str(), len), ("body{}", 6));
        assert!(SiteRoot::open(&root.0.join("nope")).is_none());
    }

    #[test]
    fn content_types() {
        for (name, ct) in [
            ("index.html", HTML),
            ("a.htm", HTML),
            ("A.HTML", HTML),
            ("site.css", CSS),
            ("app.js", JS),
            ("mod.mjs", JS),
            ("atom.xml", "application/atom+xml; charset=utf-8"),
            ("feed.atom", "application/atom+xml; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("search.json", "application/json; charset=utf-8"),
            ("a.css.map", "application/json; charset=utf-8"),
            (
                "site.webmanifest",
                "application/manifest+json; charset=utf-8",
            ),
            ("logo.svg", "image/svg+xml; charset=utf-8"),
            ("robots.txt", PLAIN),
            ("a.png", "image/png"),
            ("b.JPG", "image/jpeg"),
            ("a.jpeg", "image/jpeg"),
            ("c.webp", "image/webp"),
            ("a.gif", "image/gif"),
            ("a.avif", "image/avif"),
            ("a.ico", "image/x-icon"),
            ("a.woff", "font/woff"),
            ("font.woff2", "font/woff2"),
            ("a.ttf", "font/ttf"),
            ("a.otf", "font/otf"),
            ("a.pdf", "application/pdf"),
            ("a.mp4", "video/mp4"),
            ("a.webm", "video/webm"),
            ("a.wasm", "application/wasm"),
            ("data.bin", "application/octet-stream"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), ct, "{name}");
        }
    }
}
