//! What is sent for each [`Reply`], and how: every response is a tiny_http
//! [`Response`] written with its public `raw_print` (no tiny_http internals
//! are relied on), with the same safety headers and an explicit length.

use std::collections::HashSet;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::Path;

use tiny_http::{HTTPVersion, Header, Response, ResponseBox, StatusCode};

use super::decorate::{inject_script, preview_page, waiting_page};
use super::files::{Content, Found, SiteFile, SiteRoot, CSS, HTML, JS, PLAIN};
use super::route::{FileRequest, Reply};
use crate::i18n::{self, Lang};

const LIVERELOAD_JS: &str = include_str!("livereload.js");
const PREVIEW_CSS_TEXT: &str = include_str!("preview.css");

/// The response to every reply but [`Reply::Events`], which the server
/// streams itself. `site_dir` is the last good build; `drafts` the pages
/// to mark.
pub(crate) fn answer(
    reply: Reply,
    site_dir: &Path,
    drafts: &HashSet<String>,
    lang: Lang,
) -> ResponseBox {
    match reply {
        Reply::UriTooLong => plain(414),
        Reply::Plain(status) => plain(status),
        Reply::Foreign { status, address } => foreign(status, &address, lang),
        Reply::Redirect { status, location } => redirect(status, &location),
        Reply::MethodNotAllowed { allow } => method_not_allowed(allow),
        Reply::Script => bytes(200, JS, LIVERELOAD_JS.as_bytes().to_vec()),
        Reply::PreviewCss => bytes(200, CSS, PREVIEW_CSS_TEXT.as_bytes().to_vec()),
        Reply::Waiting { base } => bytes(503, HTML, waiting_page(&base, lang)),
        Reply::NotFound { base } => match SiteRoot::open(site_dir) {
            Some(root) => not_found(&root, &base, lang),
            None => plain(404),
        },
        Reply::File(request) => file(&request, site_dir, drafts, lang),
        // Never asked here (see above); if it were, the fault is ours.
        Reply::Events | Reply::Cms(_) => plain(500),
    }
}

/// A file of the site, the redirect of a folder asked without its slash,
/// or the 404 page.
fn file(
    request: &FileRequest,
    site_dir: &Path,
    drafts: &HashSet<String>,
    lang: Lang,
) -> ResponseBox {
    let Some(root) = SiteRoot::open(site_dir) else {
        return plain(404);
    };
    let found = match root.find(&request.rest) {
        Found::File(file) => page(&file, request, drafts, lang),
        Found::Folder => request
            .folder_location
            .as_deref()
            .map(|location| redirect(301, location)),
        Found::Missing => None,
    };
    found.unwrap_or_else(|| not_found(&root, &request.base, lang))
}

/// A file found: HTML as the preview shows it, anything else streamed.
/// `None` if it cannot be read.
fn page(
    file: &SiteFile,
    request: &FileRequest,
    drafts: &HashSet<String>,
    lang: Lang,
) -> Option<ResponseBox> {
    Some(match file.read()? {
        Content::Html(html) => {
            let html = preview_page(html, &request.base, &request.rest, drafts, lang);
            bytes(200, HTML, html)
        }
        Content::Stream(body, len) => response(200, file.content_type(), body, len, &[]),
    })
}

/// The site's `404.html` with status 404 and the live-reload script, or a
/// plain 404.
fn not_found(root: &SiteRoot, base: &str, lang: Lang) -> ResponseBox {
    let content = root.not_found_page().and_then(|page| page.read());
    match content {
        Some(Content::Html(mut html)) => {
            inject_script(&mut html, base, lang);
            bytes(404, HTML, html)
        }
        Some(Content::Stream(body, len)) => response(404, HTML, body, len, &[]),
        None => plain(404),
    }
}

/// The answer to a client that named another host: where the preview is.
fn foreign(status: u16, address: &str, lang: Lang) -> ResponseBox {
    let text = format!(
        "{status} — {}\n",
        i18n::serve_foreign_host(address).get(lang)
    );
    bytes(status, PLAIN, text.into_bytes())
}

/// The short text of the plain answers.
fn status_text(status: u16) -> &'static str {
    match status {
        400 => "400 Bad Request\n",
        404 => "404 Not Found\n",
        408 => "408 Request Timeout\n",
        413 => "413 Payload Too Large\n",
        414 => "414 URI Too Long\n",
        431 => "431 Request Header Fields Too Large\n",
        503 => "503 Service Unavailable\n",
        505 => "505 HTTP Version Not Supported\n",
        _ => "500 Internal Server Error\n",
    }
}

/// Every response goes through here: common headers, explicit length (so
/// HEAD gets a Content-Length and nothing is chunked).
fn response(
    status: u16,
    content_type: &str,
    body: Box<dyn Read + Send>,
    len: usize,
    extra: &[(&str, &str)],
) -> ResponseBox {
    let common = [
        ("Content-Type", content_type),
        ("X-Content-Type-Options", "nosniff"),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
        ("Server", "vitrine"),
    ];
    let headers = common
        .iter()
        .chain(extra)
        .filter_map(|(name, value)| Header::from_bytes(name.as_bytes(), value.as_bytes()).ok())
        .collect();
    Response::new(StatusCode(status), headers, body, Some(len), None)
        .with_chunked_threshold(usize::MAX)
}

fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> ResponseBox {
    with_headers(status, content_type, body, &[])
}

pub(crate) fn with_headers(
    status: u16,
    content_type: &str,
    body: Vec<u8>,
    extra: &[(&str, &str)],
) -> ResponseBox {
    let len = body.len();
    response(
        status,
        content_type,
        Box::new(io::Cursor::new(body)),
        len,
        extra,
    )
}

/// A short plain-text answer (`404 Not Found\n`).
pub(crate) fn plain(status: u16) -> ResponseBox {
    bytes(status, PLAIN, status_text(status).as_bytes().to_vec())
}

fn redirect(status: u16, location: &str) -> ResponseBox {
    let body = format!("{location}\n").into_bytes();
    with_headers(status, PLAIN, body, &[("Location", location)])
}

fn method_not_allowed(allow: &str) -> ResponseBox {
    let body = b"405 Method Not Allowed\n".to_vec();
    with_headers(405, PLAIN, body, &[("Allow", allow)])
}

/// Writes `response` for a request of `version`. `keep: false` adds
/// `Connection: close` (the caller then closes); an HTTP/1.0 connection
/// kept is told so with `Connection: keep-alive`, without which such a
/// client waits for the close. Whether it was all written.
pub(crate) fn write_response(
    stream: &TcpStream,
    response: ResponseBox,
    version: HTTPVersion,
    request_headers: &[Header],
    is_head: bool,
    keep: bool,
) -> bool {
    let connection: Option<&'static [u8]> = if !keep {
        Some(b"Connection: close\r\n")
    } else if version <= (1, 0) {
        Some(b"Connection: keep-alive\r\n")
    } else {
        None
    };
    let mut out = ConnectionHeader {
        inner: io::BufWriter::with_capacity(16 * 1024, stream),
        head: Vec::new(),
        pending: connection,
    };
    response
        .raw_print(&mut out, version, request_headers, is_head, None)
        .is_ok()
        && out.finish().is_ok()
}

/// Adds a `Connection` header to the head tiny_http writes (its `Response`
/// drops that header, since its own server decides on its own).
struct ConnectionHeader<W: Write> {
    inner: W,
    /// The head so far, while a header is `pending`.
    head: Vec<u8>,
    /// The header line still to add.
    pending: Option<&'static [u8]>,
}

impl<W: Write> ConnectionHeader<W> {
    fn finish(&mut self) -> io::Result<()> {
        if self.pending.take().is_some() {
            // No complete head came: pass on what did.
            let head = std::mem::take(&mut self.head);
            self.inner.write_all(&head)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Write for ConnectionHeader<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let Some(line) = self.pending else {
            return self.inner.write(data);
        };
        self.head.extend_from_slice(data);
        if let Some(end) = self.head.windows(4).position(|w| w == b"\r\n\r\n") {
            self.pending = None;
            let head = std::mem::take(&mut self.head);
            self.inner.write_all(&head[..end + 2])?;
            self.inner.write_all(line)?;
            self.inner.write_all(&head[end + 2..])?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.pending.is_some() {
            return Ok(());
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `response` as written for an HTTP/1.1 GET.
    fn written(response: ResponseBox, line: Option<&'static [u8]>) -> String {
        let mut out = ConnectionHeader {
            inner: Vec::new(),
            head: Vec::new(),
            pending: line,
        };
        response
            .raw_print(&mut out, HTTPVersion(1, 1), &[], false, None)
            .unwrap();
        out.finish().unwrap();
        String::from_utf8(out.inner).unwrap()
    }

    #[test]
    fn the_connection_header_ends_the_head() {
        let text = written(plain(404), Some(b"Connection: close\r\n"));
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 404 Not Found\r\n"), "{head}");
        assert!(head.ends_with("\r\nConnection: close"), "{head}");
        assert_eq!(body, "404 Not Found\n");
        let text = written(plain(400), None);
        assert!(!text.contains("Connection"), "{text}");
    }

    #[test]
    fn every_response_has_the_safety_headers_and_a_length() {
        for response in [
            plain(503),
            redirect(301, "/a/"),
            method_not_allowed("GET"),
            foreign(421, "http://127.0.0.1:1/", Lang::Fr),
            bytes(200, JS, b"x".to_vec()),
        ] {
            let text = written(response, None);
            let (head, body) = text.split_once("\r\n\r\n").unwrap();
            for header in [
                "X-Content-Type-Options: nosniff",
                "Cache-Control: no-store",
                "Referrer-Policy: no-referrer",
                "Server: vitrine",
            ] {
                assert!(head.contains(header), "{header} missing in {head}");
            }
            let length = format!("Content-Length: {}", body.len());
            assert!(head.contains(&length), "{length} missing in {head}");
            assert!(!head.contains("Transfer-Encoding"), "{head}");
        }
        let text = written(redirect(301, "/a/?b"), None);
        assert!(text.contains("Location: /a/?b\r\n") && text.ends_with("/a/?b\n"));
        let text = written(method_not_allowed("GET, HEAD"), None);
        assert!(
            text.contains("Allow: GET, HEAD\r\n") && text.ends_with("405 Method Not Allowed\n")
        );
        let text = written(foreign(421, "http://127.0.0.1:1/e/", Lang::Fr), None);
        assert!(text.starts_with("HTTP/1.1 421"), "{text}");
        assert!(text.contains("http://127.0.0.1:1/e/"), "{text}");
    }

    #[test]
    fn plain_answers_say_their_status() {
        for status in [400, 404, 408, 413, 414, 431, 503, 505] {
            assert!(
                status_text(status).starts_with(&status.to_string()),
                "{status}"
            );
        }
        assert_eq!(status_text(500), "500 Internal Server Error\n");
    }
}
