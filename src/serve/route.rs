//! Where a request goes. [`route`] is a pure function of the request line,
//! its `Host` and `Origin`, and what the server knows (its names, its base
//! paths, whether a build succeeded): no socket, no file. [`files`] then
//! looks on disk for a [`Reply::File`], and [`response`] writes the answer.
//!
//! Path safety, in the order applied: target length ≤ [`MAX_URL_LEN`]
//! (414), percent-decoding to valid UTF-8 without NUL (400), base-path
//! prefix, segment checks (no `.`/`..`/dots-only, `\`, `:`, control
//! characters, empty inner segments: 404). [`files`] adds the last check:
//! the canonical file must lie inside the canonical site folder.
//!
//! [`files`]: super::files
//! [`response`]: super::response

use std::net::IpAddr;

use super::hosts::{target_authority, Hosts};
use super::urlpath::{normalize_base, query_suffix, split_target};
use crate::urls;

/// Longest request target accepted (414 beyond).
pub(crate) const MAX_URL_LEN: usize = 8 * 1024;
/// The live-reload event stream, under the base path.
pub(crate) const EVENTS: &str = "__vitrine/events";
/// The live-reload script, under the base path.
pub(crate) const SCRIPT: &str = "__vitrine/livereload.js";
/// The stylesheet of the draft banner and badges, under the base path.
pub(crate) const PREVIEW_CSS: &str = "__vitrine/preview.css";

/// The request methods that matter here; any other is refused (405).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Head,
    /// Only the editing backend takes it (see [`super::cms`]).
    Post,
    Other,
}

impl Method {
    /// Methods are case-sensitive (`get` is not `GET`).
    pub(crate) fn parse(name: &str) -> Method {
        match name {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            _ => Method::Other,
        }
    }

    fn reads(self) -> bool {
        matches!(self, Method::Get | Method::Head)
    }
}

/// What [`route`] looks at in a request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RequestInfo<'a> {
    pub(crate) method: Method,
    /// As sent: `/a%20b?q`, `http://host/a`, `*`…
    pub(crate) target: &'a str,
    /// `(1, 0)` or `(1, 1)`.
    pub(crate) version: (u8, u8),
    pub(crate) host: Option<&'a str>,
    pub(crate) origin: Option<&'a str>,
    /// The client's address, from the connection (`None`: unknown). Only
    /// the editing paths look at it.
    pub(crate) peer: Option<IpAddr>,
}

/// The base path the site is served under, and the ones it was served
/// under before a `base_url` change (redirected to the current one).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Bases {
    current: String,
    /// Longest first: the most specific old base wins.
    old: Vec<String>,
}

impl Bases {
    pub(crate) fn new(base: &str) -> Bases {
        Bases {
            current: normalize_base(base),
            old: Vec::new(),
        }
    }

    pub(crate) fn current(&self) -> &str {
        &self.current
    }

    /// Serves under `base` from now on; the previous base paths redirect there.
    pub(crate) fn move_to(&mut self, base: &str) {
        let base = normalize_base(base);
        if self.current == base {
            return;
        }
        let previous = std::mem::replace(&mut self.current, base.clone());
        self.old.retain(|b| *b != base && *b != previous);
        self.old.push(previous);
        self.old.sort_by_key(|b| std::cmp::Reverse(b.len()));
    }
}

/// What the server knows when it routes a request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RouteState<'a> {
    pub(crate) hosts: &'a Hosts,
    pub(crate) bases: &'a Bases,
    /// Whether a build has succeeded yet (until then: the waiting page).
    pub(crate) built: bool,
    /// `http://127.0.0.1:1111`: what a client that named another host is
    /// told to use instead.
    pub(crate) origin: &'a str,
    /// The port this server listens on.
    pub(crate) port: u16,
}

/// The answer to a request, as plain data.
#[derive(Debug, PartialEq)]
pub(crate) enum Reply {
    /// Target longer than [`MAX_URL_LEN`]: 414, then close the connection.
    UriTooLong,
    /// A short plain-text answer: 400 (malformed target), 503 (an asset
    /// asked before the first good build).
    Plain(u16),
    /// The client named another host (421) or came from another origin
    /// (403); `address` is the preview's.
    Foreign {
        status: u16,
        address: String,
    },
    Redirect {
        status: u16,
        location: String,
    },
    MethodNotAllowed {
        allow: &'static str,
    },
    /// The live-reload Server-Sent Events stream.
    Events,
    /// The live-reload script.
    Script,
    /// The stylesheet of the draft marks.
    PreviewCss,
    /// No build has succeeded yet: the waiting page (503) for a page.
    Waiting {
        base: String,
    },
    /// The site's `404.html` (or a plain 404).
    NotFound {
        base: String,
    },
    /// A file of the site, if it exists.
    File(FileRequest),
    /// The editing interface or its backend (see [`super::cms`]).
    Cms(super::cms::CmsRequest),
}

/// A request for a file of the site, its path checked segment by segment.
#[derive(Debug, PartialEq)]
pub(crate) struct FileRequest {
    /// The base path, decoded (`/`, `/ecole/`).
    pub(crate) base: String,
    /// The decoded path under the base: `temoignages/lea/`, `css/site.css`,
    /// empty for the home page.
    pub(crate) rest: String,
    /// Where to send the browser if `rest` turns out to be a folder asked
    /// without its final slash (`/about` → `/about/`, query kept); `None`
    /// when the request ends with a slash.
    pub(crate) folder_location: Option<String>,
}

/// Routes one request (see the module documentation for the order).
pub(crate) fn route(request: &RequestInfo, state: &RouteState) -> Reply {
    if request.target.len() > MAX_URL_LEN {
        return Reply::UriTooLong;
    }
    if !host_ok(request, state.hosts) {
        return foreign(state, 421);
    }
    let Some((raw_path, query)) = split_target(request.target) else {
        return Reply::Plain(400);
    };
    let Some(path) = urls::percent_decode_strict(raw_path) else {
        return Reply::Plain(400);
    };
    if request.method.reads() {
        if let Some(location) = moved(&path, query, state.bases) {
            return Reply::Redirect {
                status: 301,
                location,
            };
        }
    }
    let base = state.bases.current();
    let Some(rest) = path.strip_prefix(base) else {
        return outside_base(request.method, base, &path, query);
    };
    if rest == EVENTS {
        return events(request, state);
    }
    if let Some(reply) = super::cms::route(rest, request, state) {
        return reply;
    }
    if !request.method.reads() {
        return Reply::MethodNotAllowed { allow: "GET, HEAD" };
    }
    match rest {
        SCRIPT => Reply::Script,
        PREVIEW_CSS => Reply::PreviewCss,
        _ if !state.built => waiting(base, rest),
        _ => file(base, &path, rest, query),
    }
}

/// Whether the request names this server. HTTP/1.1 requires a `Host`;
/// HTTP/1.0 clients may omit it. An absolute target's host wins.
fn host_ok(request: &RequestInfo, hosts: &Hosts) -> bool {
    match (target_authority(request.target), request.host) {
        (Some(authority), _) => hosts.allows(authority),
        (None, Some(host)) => hosts.allows(host),
        (None, None) => request.version < (1, 1),
    }
}

pub(super) fn foreign(state: &RouteState, status: u16) -> Reply {
    Reply::Foreign {
        status,
        address: format!(
            "{}{}",
            state.origin,
            urls::percent_encode_path(state.bases.current())
        ),
    }
}

/// Where a page served under an old base before a `base_url` change is
/// now. An old base inside the current one (`/` after `/stages/`) only
/// takes what the current one does not.
fn moved(path: &str, query: Option<&str>, bases: &Bases) -> Option<String> {
    let base = bases.current();
    bases.old.iter().find_map(|old| {
        if path.starts_with(base) && old.len() <= base.len() {
            return None;
        }
        let rest = path
            .strip_prefix(old.as_str())
            .or_else(|| (old.strip_suffix('/') == Some(path)).then_some(""))?;
        let location = urls::percent_encode_path(&format!("{base}{rest}"));
        Some(format!("{location}{}", query_suffix(query)))
    })
}

/// A path outside the base: `/` and the base without its slash lead to
/// the site, anything else is not found.
fn outside_base(method: Method, base: &str, path: &str, query: Option<&str>) -> Reply {
    if !method.reads() {
        return Reply::MethodNotAllowed { allow: "GET, HEAD" };
    }
    let location = format!("{}{}", urls::percent_encode_path(base), query_suffix(query));
    if path == "/" {
        return Reply::Redirect {
            status: 302,
            location,
        };
    }
    if base.strip_suffix('/') == Some(path) {
        return Reply::Redirect {
            status: 301,
            location,
        };
    }
    Reply::NotFound {
        base: base.to_owned(),
    }
}

/// The event stream: GET only, and from one of our origins when the
/// browser says where it comes from.
fn events(request: &RequestInfo, state: &RouteState) -> Reply {
    if request.method != Method::Get {
        return Reply::MethodNotAllowed { allow: "GET" };
    }
    match request.origin {
        Some(origin) if !state.hosts.allows_origin(origin) => foreign(state, 403),
        _ => Reply::Events,
    }
}

/// Before the first good build: a page waits (and reloads once the site
/// builds), anything else is unavailable.
fn waiting(base: &str, rest: &str) -> Reply {
    if wants_page(rest) {
        Reply::Waiting {
            base: base.to_owned(),
        }
    } else {
        Reply::Plain(503)
    }
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

/// `path` is the decoded request path, `rest` the part after the base.
fn file(base: &str, path: &str, rest: &str, query: Option<&str>) -> Reply {
    let inner = rest.strip_suffix('/').unwrap_or(rest);
    if !inner.is_empty() && !inner.split('/').all(segment_ok) {
        return Reply::NotFound {
            base: base.to_owned(),
        };
    }
    let slash = rest.is_empty() || rest.ends_with('/');
    Reply::File(FileRequest {
        base: base.to_owned(),
        rest: rest.to_owned(),
        folder_location: (!slash).then(|| {
            format!(
                "{}/{}",
                urls::percent_encode_path(path),
                query_suffix(query)
            )
        }),
    })
}

/// A path segment that can be joined to a folder without leaving it, on
/// any system.
fn segment_ok(segment: &str) -> bool {
    !segment.is_empty()
        && !segment.chars().all(|c| c == '.')
        && !segment
            .chars()
            .any(|c| c == '\\' || c == ':' || c == '/' || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "http://127.0.0.1:1111";

    /// Routes `method target` with `Host: localhost`, HTTP/1.1.
    fn at(bases: &Bases, built: bool, method: &str, target: &str) -> Reply {
        with(bases, built, method, target, Some("localhost"), None)
    }

    fn with(
        bases: &Bases,
        built: bool,
        method: &str,
        target: &str,
        host: Option<&str>,
        origin: Option<&str>,
    ) -> Reply {
        let hosts = Hosts::new("127.0.0.1");
        let request = RequestInfo {
            method: Method::parse(method),
            target,
            version: (1, 1),
            host,
            origin,
            peer: Some(IpAddr::from([127, 0, 0, 1])),
        };
        let state = RouteState {
            hosts: &hosts,
            bases,
            built,
            origin: ORIGIN,
            port: 1111,
        };
        route(&request, &state)
    }

    fn get(base: &str, target: &str) -> Reply {
        at(&Bases::new(base), true, "GET", target)
    }

    fn file_at(base: &str, rest: &str, folder_location: Option<&str>) -> Reply {
        Reply::File(FileRequest {
            base: base.into(),
            rest: rest.into(),
            folder_location: folder_location.map(str::to_owned),
        })
    }

    fn redirect(status: u16, location: &str) -> Reply {
        Reply::Redirect {
            status,
            location: location.into(),
        }
    }

    fn not_found(base: &str) -> Reply {
        Reply::NotFound { base: base.into() }
    }

    #[test]
    fn files_under_the_base() {
        assert_eq!(get("/", "/"), file_at("/", "", None));
        assert_eq!(get("/", "/about"), file_at("/", "about", Some("/about/")));
        assert_eq!(get("/", "/about/"), file_at("/", "about/", None));
        assert_eq!(
            get("/", "/about?lang=fr&x=1"),
            file_at("/", "about", Some("/about/?lang=fr&x=1"))
        );
        assert_eq!(
            get("/", "/espace%20%C3%A9.txt"),
            file_at("/", "espace é.txt", Some("/espace%20%C3%A9.txt/"))
        );
        assert_eq!(
            get("/ecole/", "/ecole/css/site.css"),
            file_at("/ecole/", "css/site.css", Some("/ecole/css/site.css/"))
        );
        assert_eq!(get("/ecole/", "/ecole/"), file_at("/ecole/", "", None));
        // Dots inside a name, and names starting with one, are files.
        assert_eq!(
            get("/", "/.well-known/a..b"),
            file_at("/", ".well-known/a..b", Some("/.well-known/a..b/"))
        );
        // A query that is not plain ASCII is not copied into redirects.
        assert_eq!(get("/", "/a?é"), file_at("/", "a", Some("/a/")));
        // Absolute-form targets: the path is what counts.
        assert_eq!(
            get("/", "http://localhost/a?b"),
            file_at("/", "a", Some("/a/?b"))
        );
    }

    #[test]
    fn traversal_attempts_never_become_file_requests() {
        let bad_request = [
            "/%00",
            "/index.html%00.txt",
            "/..%00/secret.txt",
            "/%c0%ae%c0%ae/secret.txt",
            "/%ZZ/secret.txt",
            "/%",
            "/%ff",
            "../secret.txt",
            "*",
            "secret.txt",
        ];
        for target in bad_request {
            assert_eq!(get("/", target), Reply::Plain(400), "{target}");
        }
        let not_found_here = [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/secret.txt",
            "/..%2fCargo.toml",
            "/..%2Fsecret.txt",
            "/%5c..%5cCargo.toml",
            "/..%5csecret.txt",
            "/..\\secret.txt",
            "/%2e%2e%2f%2e%2e%2fetc/passwd",
            "/%2e%2e%5c%2e%2e%5csecret.txt",
            "/....//",
            "/.../secret.txt",
            "//etc/passwd",
            "///secret.txt",
            "/%2F%2E%2E%2Fsecret.txt",
            "/a/../../x",
            "/css/../../secret.txt",
            "/./../secret.txt",
            "/.%2e/secret.txt",
            "/%2e./secret.txt",
            "/C:/x",
            "/C:%5csecret.txt",
            "/a%09b",
            "/a%0d%0aSet-Cookie:x",
            "http://localhost/../secret.txt",
            "http://localhost/%2e%2e/Cargo.toml",
        ];
        for target in not_found_here {
            assert_eq!(get("/", target), not_found("/"), "{target}");
        }
        // Decoded once only: `%25` stays a literal `%` in a name.
        assert_eq!(
            get("/", "/%252e%252e/secret.txt"),
            file_at("/", "%2e%2e/secret.txt", Some("/%252e%252e/secret.txt/"))
        );
        // Outside the base, nothing is looked at.
        assert_eq!(get("/ecole/", "/../ecole/x"), not_found("/ecole/"));
    }

    #[test]
    fn overlong_targets_are_refused_first() {
        let long = format!("/{}", "a".repeat(MAX_URL_LEN));
        assert_eq!(get("/", &long), Reply::UriTooLong);
        let long_elsewhere = format!("http://evil.example/{}", "a".repeat(MAX_URL_LEN));
        assert_eq!(get("/", &long_elsewhere), Reply::UriTooLong);
        let just_fits = format!("/{}", "a".repeat(MAX_URL_LEN - 1));
        assert!(matches!(get("/", &just_fits), Reply::File(_)));
    }

    #[test]
    fn only_requests_naming_this_computer_are_answered() {
        let bases = Bases::new("/ecole/");
        let foreign = |status| Reply::Foreign {
            status,
            address: "http://127.0.0.1:1111/ecole/".into(),
        };
        let host = |host| with(&bases, true, "GET", "/ecole/", host, None);
        assert_eq!(host(Some("evil.example")), foreign(421));
        assert_eq!(host(Some("localhost.evil.example:1111")), foreign(421));
        assert_eq!(host(None), foreign(421), "HTTP/1.1 without Host");
        assert!(matches!(host(Some("127.0.0.1:1111")), Reply::File(_)));
        assert!(matches!(host(Some("[::1]:1111")), Reply::File(_)));
        // The host of an absolute target wins over the Host header.
        let target = |t| with(&bases, true, "GET", t, Some("localhost"), None);
        assert_eq!(target("http://evil.example/ecole/"), foreign(421));
        assert!(matches!(
            target("http://localhost:1/ecole/"),
            Reply::File(_)
        ));
        // An HTTP/1.0 client may omit Host.
        let hosts = Hosts::new("127.0.0.1");
        let old = RequestInfo {
            method: Method::Get,
            target: "/ecole/",
            version: (1, 0),
            host: None,
            origin: None,
            peer: None,
        };
        let state = RouteState {
            hosts: &hosts,
            bases: &bases,
            built: true,
            origin: ORIGIN,
            port: 1111,
        };
        assert!(matches!(route(&old, &state), Reply::File(_)));
    }

    #[test]
    fn the_event_stream_checks_method_and_origin() {
        let bases = Bases::new("/");
        let events = |method, origin| {
            with(
                &bases,
                true,
                method,
                "/__vitrine/events",
                Some("localhost"),
                origin,
            )
        };
        assert_eq!(events("GET", None), Reply::Events);
        assert_eq!(events("GET", Some("http://localhost:1111")), Reply::Events);
        assert_eq!(
            events("GET", Some("http://evil.example")),
            Reply::Foreign {
                status: 403,
                address: "http://127.0.0.1:1111/".into()
            }
        );
        assert_eq!(
            events("GET", Some("null")),
            events("GET", Some("http://x.example"))
        );
        for method in ["HEAD", "POST", "get"] {
            assert_eq!(
                events(method, None),
                Reply::MethodNotAllowed { allow: "GET" },
                "{method}"
            );
        }
        // Also before the first good build, with a query.
        assert_eq!(
            at(&bases, false, "GET", "/__vitrine/events?x=1"),
            Reply::Events
        );
        // Under the base only.
        assert_eq!(get("/ecole/", "/__vitrine/events"), not_found("/ecole/"));
        assert_eq!(get("/ecole/", "/ecole/__vitrine/events"), Reply::Events);
    }

    #[test]
    fn the_embedded_files_and_other_vitrine_paths() {
        assert_eq!(get("/", "/__vitrine/livereload.js"), Reply::Script);
        assert_eq!(get("/", "/__vitrine/livereload.js?v=2"), Reply::Script);
        assert_eq!(get("/", "/__vitrine/preview.css"), Reply::PreviewCss);
        assert_eq!(get("/e/", "/e/__vitrine/livereload.js"), Reply::Script);
        assert_eq!(get("/e/", "/__vitrine/livereload.js"), not_found("/e/"));
        assert_eq!(
            at(&Bases::new("/"), false, "HEAD", "/__vitrine/preview.css"),
            Reply::PreviewCss
        );
        // Other names there are files like any other (and not found).
        assert!(matches!(get("/", "/__vitrine/other"), Reply::File(_)));
        assert_eq!(
            at(&Bases::new("/"), true, "POST", "/__vitrine/livereload.js"),
            Reply::MethodNotAllowed { allow: "GET, HEAD" }
        );
    }

    #[test]
    fn methods() {
        let bases = Bases::new("/ecole/");
        for method in ["GET", "HEAD"] {
            assert!(matches!(
                at(&bases, true, method, "/ecole/"),
                Reply::File(_)
            ));
            assert!(matches!(
                at(&bases, true, method, "/"),
                Reply::Redirect { .. }
            ));
        }
        for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "get", "BREW"] {
            for target in ["/ecole/", "/", "/ailleurs", "/ecole/%2e%2e/x"] {
                assert_eq!(
                    at(&bases, true, method, target),
                    Reply::MethodNotAllowed { allow: "GET, HEAD" },
                    "{method} {target}"
                );
            }
        }
        // A malformed target is a bad request whatever the method.
        assert_eq!(at(&bases, true, "POST", "/%zz"), Reply::Plain(400));
    }

    #[test]
    fn the_base_path_and_its_neighbours() {
        assert_eq!(get("/ecole/stages/", "/"), redirect(302, "/ecole/stages/"));
        assert_eq!(
            get("/ecole/stages/", "/?a=1"),
            redirect(302, "/ecole/stages/?a=1")
        );
        assert_eq!(
            get("/ecole/stages/", "/ecole/stages"),
            redirect(301, "/ecole/stages/")
        );
        assert_eq!(
            get("/ecole/stages/", "/ecole/"),
            not_found("/ecole/stages/")
        );
        assert_eq!(
            get("/ecole/stages/", "/ecole/stagesx/"),
            not_found("/ecole/stages/")
        );
        assert_eq!(
            get("/ecole/stages/", "/css/site.css"),
            not_found("/ecole/stages/")
        );
        assert_eq!(
            get("/ecole/stages/", "/ecole/stages/about"),
            file_at("/ecole/stages/", "about", Some("/ecole/stages/about/"))
        );
        // A base with characters to escape: matched decoded, written encoded.
        assert_eq!(get("/mon site/", "/"), redirect(302, "/mon%20site/"));
        assert_eq!(
            get("/mon%20site/", "/mon%20site/a"),
            file_at("/mon site/", "a", Some("/mon%20site/a/"))
        );
    }

    #[test]
    fn old_base_paths_lead_to_the_new_one() {
        let mut bases = Bases::new("/");
        bases.move_to("/stages/");
        let get = |target| at(&bases, true, "GET", target);
        assert_eq!(get("/about/?q=1"), redirect(301, "/stages/about/?q=1"));
        assert_eq!(get("/"), redirect(301, "/stages/"));
        assert!(matches!(get("/stages/about/"), Reply::File(_)));
        assert_eq!(at(&bases, true, "HEAD", "/a"), redirect(301, "/stages/a"));
        assert_eq!(
            at(&bases, true, "POST", "/a"),
            Reply::MethodNotAllowed { allow: "GET, HEAD" }
        );
        // Moving back: the new base is served, the old one redirects.
        bases.move_to("/");
        let get = |target| at(&bases, true, "GET", target);
        assert!(matches!(get("/about/"), Reply::File(_)));
        assert_eq!(get("/stages/about/"), redirect(301, "/about/"));
        assert_eq!(get("/stages"), redirect(301, "/"));
        // Three moves: each old base leads to the current one, the most
        // specific first.
        let mut bases = Bases::new("/a/");
        bases.move_to("/a/b/");
        bases.move_to("/c/");
        let get = |target| at(&bases, true, "GET", target);
        assert_eq!(get("/a/b/x"), redirect(301, "/c/x"));
        assert_eq!(get("/a/x"), redirect(301, "/c/x"));
    }

    #[test]
    fn bases_remember_where_the_site_was() {
        let mut bases = Bases::new("ecole");
        assert_eq!(bases.current(), "/ecole/");
        bases.move_to("/ecole/");
        assert!(bases.old.is_empty(), "same base: nothing moves");
        bases.move_to("/");
        bases.move_to("/a/b/");
        assert_eq!(bases.old, ["/ecole/", "/"]);
        bases.move_to("/ecole/");
        assert_eq!(bases.current(), "/ecole/");
        assert_eq!(bases.old, ["/a/b/", "/"]);
    }

    #[test]
    fn before_the_first_good_build_pages_wait() {
        let bases = Bases::new("/ecole/");
        let waiting = Reply::Waiting {
            base: "/ecole/".into(),
        };
        for page in [
            "/ecole/",
            "/ecole/about/",
            "/ecole/about",
            "/ecole/x/index.html",
            "/ecole/b.HTM",
        ] {
            assert_eq!(at(&bases, false, "GET", page), waiting, "{page}");
        }
        for asset in ["/ecole/css/site.css", "/ecole/img/a.png"] {
            assert_eq!(
                at(&bases, false, "GET", asset),
                Reply::Plain(503),
                "{asset}"
            );
        }
        // Nothing is looked up on disk before then, whatever the path.
        assert_eq!(at(&bases, false, "GET", "/ecole/%2e%2e/x"), waiting);
        assert_eq!(at(&bases, false, "GET", "/"), redirect(302, "/ecole/"));
    }

    #[test]
    fn segments() {
        for bad in ["", ".", "..", "...", "a\\b", "c:", "a\tb", "a\u{7f}", "a/b"] {
            assert!(!segment_ok(bad), "{bad:?}");
        }
        for good in [".well-known", "a..b", "é", "a b", "index.html"] {
            assert!(segment_ok(good), "{good:?}");
        }
        assert!(wants_page("") && wants_page("a/") && wants_page("a-propos"));
        assert!(wants_page("a/index.html") && wants_page("b.HTM"));
        assert!(!wants_page("css/site.css") && !wants_page("img/a.png"));
    }
}
