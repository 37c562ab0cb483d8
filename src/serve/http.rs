//! The `serve` HTTP server: serves the last good build, the live-reload
//! script and the Server-Sent Events stream.
//!
//! Safety rules, in the order they are applied to a request path:
//! URL length ≤ 8 KiB (414), percent-decoding to valid UTF-8 without NUL
//! (400), base-path prefix, segment checks (no `.`/`..`/dots-only, `\`, `:`,
//! control characters, empty inner segments: 404), then the joined path is
//! canonicalised and must stay inside the canonical site directory, so a
//! symlink out of the output is refused (404). Directories are never
//! listed, and nothing outside `site_dir` is ever opened (nor FIFOs and
//! other non-regular files inside it).
//!
//! tiny_http reads requests on its own per-connection threads, so the pool
//! workers here only ever see complete request heads: an idle or slow client
//! occupies none of them. Each SSE client gets a thread of its own.
//!
//! Limits of tiny_http 0.12 that this module works around or cannot fix:
//! its chunked encoder buffers 8 KiB (so SSE is written raw, see
//! `start_events`); dropping a request with an unread body reads (and
//! allocates) the announced length (see `Body`); it puts no cap on the
//! length of a request line or header (the 414 is decided after reading);
//! and it does not close idle keep-alive connections when the server is
//! dropped, so exit the process after [`DevServer::shutdown`] rather than
//! starting a new server on the same port in the same process.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use tiny_http::{Header, Method, Request, Response, ResponseBox, StatusCode};

use super::events::{Hub, Poll};

/// Longest request target accepted (414 beyond).
pub const MAX_URL_LEN: usize = 8 * 1024;
/// Most SSE clients served at once (503 beyond).
const MAX_STREAMS: usize = 128;
/// A request announcing a larger body than this is never answered: tiny_http
/// allocates the announced size when it discards an unread body, which would
/// abort the process. Bodies up to this size are discarded off the pool.
const MAX_DISCARDED_BODY: usize = 64 * 1024 * 1024;
/// How often blocked threads look at the stop flag.
const TICK: Duration = Duration::from_millis(100);

const EVENTS: &str = "__vitrine/events";
const SCRIPT: &str = "__vitrine/livereload.js";
const LIVERELOAD_JS: &str = include_str!("livereload.js");
const JS: &str = "application/javascript; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";
const PLAIN: &str = "text/plain; charset=utf-8";

/// Where and how to listen.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Address to bind, e.g. `127.0.0.1`.
    pub bind: String,
    /// Port; 0 lets the system pick a free one (see [`DevServer::local_addr`]).
    pub port: u16,
    /// URL path the site lives under, e.g. `/` or `/ecole/stages/` (decoded
    /// form; missing slashes are added).
    pub base_path: String,
    /// Number of pool workers answering page requests (at least 1).
    pub threads: usize,
    /// Whether a build has succeeded yet. Until one has, pages under the
    /// base path are a waiting page (503) that carries the live-reload
    /// script, so the error overlay shows and the page reloads once the site
    /// builds. The caller sets it after the first good build.
    pub built: Arc<AtomicBool>,
}

/// A running server; stops on [`DevServer::shutdown`] or when dropped.
pub struct DevServer {
    server: Arc<tiny_http::Server>,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    streams: Arc<AtomicUsize>,
    workers: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for DevServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevServer")
            .field("addr", &self.addr)
            .finish()
    }
}

struct Shared {
    site_dir: Arc<RwLock<PathBuf>>,
    hub: Hub,
    base: String,
    built: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    streams: Arc<AtomicUsize>,
}

/// First port in `start..=start+20` that `bind` can listen on.
pub fn find_free_port(bind: &str, start: u16) -> Option<u16> {
    (0..=20u16)
        .filter_map(|i| start.checked_add(i))
        .find(|&port| TcpListener::bind((bind, port)).is_ok())
}

impl DevServer {
    /// Binds `config.bind:config.port` and starts the workers. A port that
    /// is taken gives an error of kind [`io::ErrorKind::AddrInUse`] (try
    /// [`find_free_port`]). `site_dir` is read on every request, so the
    /// caller swaps in each new good build.
    pub fn start(
        config: ServerConfig,
        site_dir: Arc<RwLock<PathBuf>>,
        hub: Hub,
    ) -> io::Result<DevServer> {
        let listener = TcpListener::bind((config.bind.as_str(), config.port))?;
        let addr = listener.local_addr()?;
        let server = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| io::Error::other(e.to_string()))?;
        let server = Arc::new(server);
        let stop = Arc::new(AtomicBool::new(false));
        let streams = Arc::new(AtomicUsize::new(0));
        let shared = Arc::new(Shared {
            site_dir,
            hub,
            base: normalize_base(&config.base_path),
            built: config.built,
            stop: stop.clone(),
            streams: streams.clone(),
        });
        let mut dev = DevServer {
            server,
            addr,
            stop,
            streams,
            workers: Vec::new(),
        };
        for i in 0..config.threads.max(1) {
            let server = dev.server.clone();
            let shared = shared.clone();
            let worker = thread::Builder::new()
                .name(format!("vitrine-http-{i}"))
                .spawn(move || work(&server, &shared));
            match worker {
                Ok(handle) => dev.workers.push(handle),
                // Dropping `dev` stops the workers already started.
                Err(e) => return Err(e),
            }
        }
        Ok(dev)
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, ends the SSE streams, joins the workers. Returns
    /// within about a tenth of a second plus the time to finish the
    /// responses being written.
    pub fn shutdown(self) {
        drop(self);
    }

    fn stop_and_join(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for _ in 0..self.workers.len() {
            self.server.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
        // SSE threads look at the flag every TICK; do not wait forever on a
        // client whose socket buffer is full.
        let deadline = Instant::now() + Duration::from_secs(2);
        while self.streams.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        self.stop_and_join();
        // The last Arc<Server> goes with `self`: tiny_http then closes the
        // listening socket.
    }
}

fn work(server: &tiny_http::Server, shared: &Shared) {
    let mut reported = false;
    while !shared.stop.load(Ordering::SeqCst) {
        match server.recv_timeout(TICK) {
            Ok(Some(request)) => {
                // Nothing below should panic; if it ever does, the request
                // is dropped during unwinding (tiny_http answers 500) and
                // the worker keeps serving.
                let _ = catch_unwind(AssertUnwindSafe(|| handle(shared, request)));
            }
            Ok(None) => {}
            Err(e) => {
                // tiny_http's accept loop failed (e.g. out of file
                // descriptors) and has stopped.
                if !reported {
                    eprintln!("vitrine serve: {e}");
                    reported = true;
                }
                thread::sleep(TICK);
            }
        }
    }
}

/// What tiny_http will do with the request body when the request is dropped.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Body {
    /// Nothing left to read.
    Done,
    /// Dropping the request reads the rest of the body from the client
    /// (blocking until it arrives).
    Pending,
    /// Dropping the request would allocate an absurd announced length.
    Absurd,
}

/// Mirrors tiny_http 0.12 `new_request`: bodies ≤ 1 KiB are read before
/// the request is handed over, larger ones are drained on drop.
fn body_state(request: &Request) -> Body {
    let headers = request.headers();
    let find = |name: &'static str| headers.iter().find(|h| h.field.equiv(name));
    if find("Transfer-Encoding").is_some() {
        return Body::Done;
    }
    let upgrade = find("Connection")
        .is_some_and(|h| h.value.as_str().to_ascii_lowercase().contains("upgrade"));
    if upgrade {
        return Body::Done;
    }
    let length = find("Content-Length").and_then(|h| h.value.as_str().parse::<usize>().ok());
    let expects_continue = find("Expect").is_some();
    match length {
        None | Some(0) => Body::Done,
        Some(n) if n <= 1024 && !expects_continue => Body::Done,
        Some(n) if n <= MAX_DISCARDED_BODY => Body::Pending,
        Some(_) => Body::Absurd,
    }
}

fn handle(shared: &Shared, request: Request) {
    let body = body_state(&request);
    if body == Body::Absurd {
        // Never answered: see MAX_DISCARDED_BODY. Only a hand-made request
        // gets here; its connection stays open until the process exits.
        std::mem::forget(request);
        return;
    }
    let url = request.url().to_owned();
    if url.len() > MAX_URL_LEN {
        send(request, plain(414, "414 URI Too Long\n"), body);
        return;
    }
    match route(shared, request.method(), &url) {
        Reply::Events => start_events(shared, request),
        Reply::Response(response) => send(request, response, body),
    }
}

fn send(request: Request, response: ResponseBox, body: Body) {
    if body == Body::Pending {
        // tiny_http discards the unread body when the request is dropped,
        // blocking until the client sends it: not on a pool worker.
        let _ = thread::Builder::new()
            .name("vitrine-http-drain".into())
            .spawn(move || {
                let _ = request.respond(response);
            });
    } else {
        let _ = request.respond(response);
    }
}

enum Reply {
    Events,
    Response(ResponseBox),
}

fn route(shared: &Shared, method: &Method, url: &str) -> Reply {
    let is_get = *method == Method::Get;
    let is_head = *method == Method::Head;
    let Some((raw_path, query)) = split_target(url) else {
        return Reply::Response(plain(400, "400 Bad Request\n"));
    };
    let Some(path) = percent_decode(raw_path) else {
        return Reply::Response(plain(400, "400 Bad Request\n"));
    };
    let base = shared.base.as_str();
    let Some(rest) = path.strip_prefix(base) else {
        if !(is_get || is_head) {
            return Reply::Response(method_not_allowed("GET, HEAD"));
        }
        let location = format!("{}{}", encode_path(base), query_suffix(query));
        if path == "/" {
            return Reply::Response(redirect(302, &location));
        }
        if base.strip_suffix('/') == Some(path.as_str()) {
            return Reply::Response(redirect(301, &location));
        }
        return Reply::Response(not_found(shared));
    };
    if rest == EVENTS {
        return if is_get {
            Reply::Events
        } else {
            Reply::Response(method_not_allowed("GET"))
        };
    }
    if !(is_get || is_head) {
        return Reply::Response(method_not_allowed("GET, HEAD"));
    }
    if rest == SCRIPT {
        return Reply::Response(bytes(200, JS, LIVERELOAD_JS.as_bytes().to_vec()));
    }
    if !shared.built.load(Ordering::SeqCst) {
        return Reply::Response(if wants_page(rest) {
            bytes(503, HTML, waiting_page(base))
        } else {
            plain(503, "503 Service Unavailable\n")
        });
    }
    Reply::Response(serve_path(shared, &path, rest, query))
}

/// Splits a request target into its path and query. Accepts origin-form
/// (`/a?b`) and absolute-form (`http://host/a?b`); `None` for anything else.
fn split_target(url: &str) -> Option<(&str, Option<&str>)> {
    let url = url.split('#').next().unwrap_or(url);
    let path_and_query = if url.starts_with('/') {
        url
    } else {
        let after_scheme = url
            .strip_prefix("http://")
            .or_else(|| url.strip_prefix("https://"))?;
        match after_scheme.find(['/', '?']) {
            Some(i) if after_scheme[i..].starts_with('/') => &after_scheme[i..],
            _ => "/",
        }
    };
    Some(match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    })
}

/// Percent-decodes once. `None` for a malformed escape, invalid UTF-8 or NUL.
fn percent_decode(s: &str) -> Option<String> {
    fn hex(b: u8) -> Option<u8> {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = hex(*bytes.get(i + 1)?)?;
            let lo = hex(*bytes.get(i + 2)?)?;
            out.push(hi * 16 + lo);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    if out.contains(&0) {
        return None;
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes everything but unreserved characters and `/`: the result
/// is safe in a `Location` header and in an HTML attribute.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `?query` when the query is plain visible ASCII, else nothing.
fn query_suffix(query: Option<&str>) -> String {
    match query {
        Some(q) if !q.is_empty() && q.bytes().all(|b| b.is_ascii_graphic()) => format!("?{q}"),
        _ => String::new(),
    }
}

/// `/`, or the path with one leading and one trailing slash. A full URL
/// (`https://host/path/`) is reduced to its path; escapes are decoded.
fn normalize_base(base: &str) -> String {
    let base = base.trim();
    let path = match base.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => base,
    };
    let path = percent_decode(path).unwrap_or_else(|| path.to_owned());
    let inner = path.trim_matches('/');
    if inner.is_empty() {
        "/".to_owned()
    } else {
        format!("/{inner}/")
    }
}

/// A path segment that can be joined to a directory without leaving it.
fn segment_ok(segment: &str) -> bool {
    !segment.is_empty()
        && !segment.chars().all(|c| c == '.')
        && !segment
            .chars()
            .any(|c| c == '\\' || c == ':' || c == '/' || c.is_control())
}

fn read_site_dir(shared: &Shared) -> PathBuf {
    shared
        .site_dir
        .read()
        .map(|dir| dir.clone())
        .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
}

/// The canonical form of `path` if it lies inside `root` (canonical).
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let canonical = fs::canonicalize(path).ok()?;
    if !canonical.starts_with(root) {
        return None;
    }
    Some(canonical)
}

/// `path` is the decoded request path, `rest` the part after the base path.
fn serve_path(shared: &Shared, path: &str, rest: &str, query: Option<&str>) -> ResponseBox {
    let base = shared.base.as_str();
    let trailing_slash = rest.is_empty() || rest.ends_with('/');
    let inner = rest.strip_suffix('/').unwrap_or(rest);
    let Ok(root) = fs::canonicalize(read_site_dir(shared)) else {
        return plain(404, "404 Not Found\n");
    };
    let mut requested = root.clone();
    if !inner.is_empty() {
        for segment in inner.split('/') {
            if !segment_ok(segment) {
                return not_found_in(base, &root);
            }
            requested.push(segment);
        }
    }
    let Some(target) = inside(&root, &requested) else {
        return not_found_in(base, &root);
    };
    let Ok(meta) = fs::metadata(&target) else {
        return not_found_in(base, &root);
    };
    let found = if meta.is_dir() {
        if !trailing_slash {
            let location = format!("{}/{}", encode_path(path), query_suffix(query));
            return redirect(301, &location);
        }
        // Never a listing: index.html or nothing.
        let requested = requested.join("index.html");
        inside(&root, &requested)
            .filter(|index| index.is_file())
            .and_then(|index| file(base, &index, &requested, 200))
    } else if meta.is_file() && !trailing_slash {
        file(base, &target, &requested, 200)
    } else {
        None
    };
    found.unwrap_or_else(|| not_found_in(base, &root))
}

/// A request for a page rather than an asset: a folder, an `.html` file or
/// a name without extension (`/a-propos`).
fn wants_page(rest: &str) -> bool {
    let name = rest.rsplit('/').next().unwrap_or("");
    match name.rsplit_once('.') {
        None => true,
        Some((_, ext)) => ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("htm"),
    }
}

/// The page shown while no build has succeeded: the live-reload script
/// shows the build error as an overlay and reloads the page once the site
/// builds.
pub fn waiting_page(base: &str) -> Vec<u8> {
    let lang = match crate::i18n::lang() {
        crate::i18n::Lang::Fr => "fr",
        crate::i18n::Lang::En => "en",
    };
    let title = escape_html(&crate::i18n::serve_waiting_title());
    let text = escape_html(&crate::i18n::serve_waiting_text());
    let mut html = format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} — vitrine</title>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n\
         <p>{text}</p>\n</main>\n</body>\n</html>\n"
    )
    .into_bytes();
    inject_script(&mut html, base);
    html
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn not_found(shared: &Shared) -> ResponseBox {
    match fs::canonicalize(read_site_dir(shared)) {
        Ok(root) => not_found_in(&shared.base, &root),
        Err(_) => plain(404, "404 Not Found\n"),
    }
}

/// The site's `404.html` with status 404, or a plain 404.
fn not_found_in(base: &str, root: &Path) -> ResponseBox {
    let requested = root.join("404.html");
    inside(root, &requested)
        .filter(|page| page.is_file())
        .and_then(|page| file(base, &page, &requested, 404))
        .unwrap_or_else(|| plain(404, "404 Not Found\n"))
}

/// A file response; HTML gets the live-reload script. The type comes from
/// the name asked for (`requested`), the bytes from `path`, its canonical
/// form (they differ for symlinks inside the site). `None` if the file
/// cannot be read.
fn file(base: &str, path: &Path, requested: &Path, status: u16) -> Option<ResponseBox> {
    let content_type = content_type(requested);
    if content_type.starts_with("text/html") {
        let mut html = fs::read(path).ok()?;
        inject_script(&mut html, base);
        return Some(bytes(status, content_type, html));
    }
    let file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let len_usize = usize::try_from(len).ok()?;
    Some(response(
        status,
        content_type,
        Box::new(file.take(len)),
        len_usize,
        &[],
    ))
}

/// The tag added to every HTML response.
pub fn script_tag(base: &str) -> String {
    format!(
        "<script src=\"{}{SCRIPT}\" defer></script>",
        encode_path(&normalize_base(base))
    )
}

/// Inserts the live-reload script before the last `</body>` (any case), or
/// at the end when there is none.
pub fn inject_script(html: &mut Vec<u8>, base: &str) {
    let tag = script_tag(base);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.bytes());
}

/// Content type by extension; text types carry `charset=utf-8`.
pub fn content_type(path: &Path) -> &'static str {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if name == "atom.xml" {
        return "application/atom+xml; charset=utf-8";
    }
    let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    match ext {
        "html" | "htm" => HTML,
        "css" => "text/css; charset=utf-8",
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

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
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
        .filter_map(|(name, value)| header(name, value))
        .collect();
    Response::new(StatusCode(status), headers, body, Some(len), None)
        .with_chunked_threshold(usize::MAX)
}

fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> ResponseBox {
    let len = body.len();
    response(
        status,
        content_type,
        Box::new(io::Cursor::new(body)),
        len,
        &[],
    )
}

fn plain(status: u16, text: &'static str) -> ResponseBox {
    bytes(status, PLAIN, text.as_bytes().to_vec())
}

fn redirect(status: u16, location: &str) -> ResponseBox {
    let body = format!("{location}\n").into_bytes();
    let len = body.len();
    response(
        status,
        PLAIN,
        Box::new(io::Cursor::new(body)),
        len,
        &[("Location", location)],
    )
}

fn method_not_allowed(allow: &str) -> ResponseBox {
    let body = b"405 Method Not Allowed\n".to_vec();
    let len = body.len();
    response(
        405,
        PLAIN,
        Box::new(io::Cursor::new(body)),
        len,
        &[("Allow", allow)],
    )
}

/// Decrements the live-stream count when the SSE thread ends, however.
struct StreamGuard(Arc<AtomicUsize>);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Hands the SSE request to a thread of its own. tiny_http's own chunked
/// encoder buffers 8 KiB before writing anything, so the stream is written
/// raw, one chunk per flush (HTTP/1.1) or close-delimited (HTTP/1.0).
///
/// The chunked framing matters: tiny_http keeps the socket open after the
/// response (waiting for a next request), so ending the body with the last
/// chunk plus `Connection: close` is how the browser learns that the stream
/// is over (on shutdown) and closes the connection.
fn start_events(shared: &Shared, request: Request) {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        send(request, plain(503, "503 Service Unavailable\n"), Body::Done);
        return;
    }
    let guard = StreamGuard(shared.streams.clone());
    let subscription = shared.hub.subscribe();
    let stop = shared.stop.clone();
    let spawned = thread::Builder::new()
        .name("vitrine-sse".into())
        .spawn(move || {
            let _guard = guard;
            let chunked = *request.http_version() >= (1, 1);
            let out = request.into_writer();
            // Errors only mean that the client is gone.
            let _ = stream_events(out, subscription, chunked, &stop);
        });
    // If the thread could not be spawned, the closure (request, guard,
    // subscription) is dropped here: tiny_http answers 500.
    drop(spawned);
}

fn stream_events(
    mut out: Box<dyn Write + Send>,
    mut subscription: super::events::Subscription,
    chunked: bool,
    stop: &AtomicBool,
) -> io::Result<()> {
    let mut head = String::from(
        "HTTP/1.1 200 OK\r\n\
         Content-Type: text/event-stream\r\n\
         Cache-Control: no-cache\r\n\
         Connection: close\r\n\
         X-Content-Type-Options: nosniff\r\n\
         Referrer-Policy: no-referrer\r\n\
         Server: vitrine\r\n",
    );
    if chunked {
        head.push_str("Transfer-Encoding: chunked\r\n");
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    out.flush()?;
    while !stop.load(Ordering::SeqCst) {
        match subscription.poll(TICK) {
            Poll::Data(data) if !data.is_empty() => {
                if chunked {
                    write!(out, "{:x}\r\n", data.len())?;
                    out.write_all(&data)?;
                    out.write_all(b"\r\n")?;
                } else {
                    out.write_all(&data)?;
                }
                out.flush()?;
            }
            Poll::Data(_) | Poll::Idle => {}
            Poll::Closed => break,
        }
    }
    if chunked {
        out.write_all(b"0\r\n\r\n")?;
        out.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::events::Event;
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::net::TcpStream;

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
            std::os::unix::fs::symlink(site.join("css/site.css"), site.join("link-in.css"))
                .unwrap();
        }
        let hub = Hub::new();
        let server = DevServer::start(
            ServerConfig {
                bind: "127.0.0.1".into(),
                port: 0,
                base_path: base.into(),
                threads: 4,
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
        for (name, ct) in [
            ("a.avif", "image/avif"),
            ("a.gif", "image/gif"),
            ("a.ico", "image/x-icon"),
            ("a.woff", "font/woff"),
            ("a.ttf", "font/ttf"),
            ("a.pdf", "application/pdf"),
            ("a.mp4", "video/mp4"),
            ("a.webm", "video/webm"),
            ("a.css.map", "application/json; charset=utf-8"),
            ("a.wasm", "application/wasm"),
            ("a.jpeg", "image/jpeg"),
            ("a.htm", "text/html; charset=utf-8"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), ct, "{name}");
        }
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
        assert!(r.text().contains(
            "<script src=\"/ecole/stages/__vitrine/livereload.js\" defer></script></body>"
        ));
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
        assert_eq!(normalize_base("ecole/stages"), "/ecole/stages/");
        assert_eq!(normalize_base(""), "/");
        assert_eq!(normalize_base("https://ex.org/ecole/"), "/ecole/");
        assert_eq!(normalize_base("https://ex.org"), "/");
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
                bind: "127.0.0.1".into(),
                port: 0,
                base_path: "/".into(),
                threads: 2,
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
    fn odd_requests_do_not_hurt() {
        let s = site("/", true);
        let a = s.addr();
        let long = format!("/{}", "a".repeat(MAX_URL_LEN + 10));
        assert_eq!(get(a, &long).status, 414);
        // A small body on GET is ignored.
        let r = raw(
            a,
            "GET /robots.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
        );
        assert_eq!(r.status, 200);
        // A large announced body that never comes does not block a worker:
        // more such requests than workers, then a normal request.
        let mut idle = Vec::new();
        for _ in 0..6 {
            let mut c = TcpStream::connect(a).unwrap();
            c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
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
                format!("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: {len}\r\n\r\n").as_bytes(),
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
        c.write_all(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
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
        let tag = "<script src=\"/__vitrine/livereload.js\" defer></script>";
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
        let mut v = b"<body></body><pre>&lt;/body&gt;</pre></body>".to_vec();
        inject_script(&mut v, "/x/");
        assert!(String::from_utf8(v)
            .unwrap()
            .ends_with("</pre><script src=\"/x/__vitrine/livereload.js\" defer></script></body>"));
        assert_eq!(
            script_tag("/a\"b<c>/"),
            "<script src=\"/a%22b%3Cc%3E/__vitrine/livereload.js\" defer></script>"
        );
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
        c.write_all(format!("GET {base}__vitrine/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n").as_bytes())
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
        // The port is released (tiny_http closes the listener right after).
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
                bind: "127.0.0.1".into(),
                port,
                base_path: "/".into(),
                threads: 1,
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
                bind: "127.0.0.1".into(),
                port: 0,
                base_path: "/".into(),
                threads: 1,
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
                bind: "127.0.0.1".into(),
                port: 0,
                base_path: "/ecole/".into(),
                threads: 1,
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
                body.contains(
                    "<script src=\"/ecole/__vitrine/livereload.js\" defer></script></body>"
                ),
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
    fn page_requests() {
        assert!(wants_page("") && wants_page("a/") && wants_page("a-propos"));
        assert!(wants_page("a/index.html") && wants_page("b.HTM"));
        assert!(!wants_page("css/site.css") && !wants_page("img/a.png"));
    }

    #[test]
    fn decoding_helpers() {
        assert_eq!(percent_decode("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(percent_decode("/%C3%A9").as_deref(), Some("/é"));
        assert_eq!(percent_decode("/%2"), None);
        assert_eq!(percent_decode("/%g0"), None);
        assert_eq!(percent_decode("/%00"), None);
        assert_eq!(percent_decode("/%ff"), None);
        assert_eq!(percent_decode("/%252e").as_deref(), Some("/%2e"));
        assert_eq!(split_target("/a?b=c"), Some(("/a", Some("b=c"))));
        assert_eq!(split_target("http://h:1/a/b?q"), Some(("/a/b", Some("q"))));
        assert_eq!(split_target("http://h"), Some(("/", None)));
        assert_eq!(split_target("*"), None);
        assert_eq!(encode_path("/é a/"), "/%C3%A9%20a/");
        assert!(!segment_ok(".."));
        assert!(!segment_ok("..."));
        assert!(!segment_ok("a\\b"));
        assert!(!segment_ok("c:"));
        assert!(!segment_ok(""));
        assert!(!segment_ok("a\tb"));
        assert!(segment_ok(".well-known"));
        assert!(segment_ok("a..b"));
        assert_eq!(query_suffix(Some("a=1&b=2")), "?a=1&b=2");
        assert_eq!(query_suffix(Some("a b")), "");
        assert_eq!(query_suffix(None), "");
    }
}
