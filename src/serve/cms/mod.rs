//! Editing in the browser: `serve` hands writers Decap CMS (vendored,
//! embedded in the binary) at `<base>/__vitrine/admin/`, with a
//! configuration generated from the content model ([`crate::cms_config`]),
//! and is itself its backend ([`api`]) at `<base>/__vitrine/api/<token>/v1`.
//!
//! Who may write: a request must come from this computer (its peer
//! address is loopback, whatever the bound address: `--bind 0.0.0.0` shows
//! the preview to the network, not the editor), name it (`Host`, checked by
//! the router for every request), come from this server's page on loopback
//! (`Origin`, required: browsers send it with every POST; another port is
//! another site), carry this run's random token in its path, and send JSON.
//! The token is only in the generated configuration, which only this
//! computer gets and a page of another origin cannot read (no CORS headers;
//! DNS rebinding fails the `Host` check). What it may write: see [`paths`].

mod api;
mod paths;

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;
use tiny_http::ResponseBox;

use super::head::Head;
use super::hosts::{is_local_origin, is_local_peer};
use super::response::{plain, with_headers, write_response};
use super::route::{Method, Reply, RequestInfo, RouteState};
use crate::i18n::{self, Lang, Text};

/// The editing interface, under the base path.
pub(crate) const ADMIN: &str = "__vitrine/admin";
/// The backend, under the base path: `__vitrine/api/<token>/v1`.
const API: &str = "__vitrine/api/";
/// Largest request the backend reads (a photo arrives base64-encoded,
/// a third larger than the file); larger ones get 413 unread. One cap for
/// every call: they all go to one URL, the action inside the JSON, and a
/// page's save carries its new photos too. A page's own text has a smaller
/// one ([`api::MAX_PAGE`]), checked once the body is read.
pub(crate) const MAX_BODY: usize = 32 * 1024 * 1024;
/// A request body must arrive within this.
const BODY_TIME: Duration = Duration::from_secs(60);

use crate::cms_config::DECAP_JS;
/// vitrine's checks in the interface (rules before a save, diagnostics after).
const ADMIN_JS: &str = include_str!("admin.js");
const JSON: &str = "application/json; charset=utf-8";
const YAML: &str = "text/yaml; charset=utf-8";
/// Scripts, styles, pictures and requests from this server only: whatever
/// a version of the bundle tried, nothing leaves the machine. Decap needs
/// `unsafe-eval` (its configuration validator compiles schemas) and inline
/// styles (CSS-in-JS); it reads an uploaded picture back from its `blob:`
/// URL before sending it.
const CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; \
    font-src 'self' data:; connect-src 'self' blob:; frame-src 'self' blob:; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// What a request to the editing paths asks for.
#[derive(Debug, PartialEq)]
pub(crate) enum CmsRequest {
    /// `index.html` of the interface.
    Page,
    /// The generated `config.yml`.
    Config,
    /// The Decap CMS bundle.
    Script,
    /// vitrine's script of the interface (`admin.js`).
    Checks,
    /// A backend call, with the token of its path (checked by [`api`]).
    Api { token: String },
    /// Refused before anything is read (403); `address` is the editor's.
    Refused { why: Refusal, address: String },
}

/// Why an editing path is refused before its token is looked at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Refusal {
    /// The client is another machine.
    Remote,
    /// A backend call without `Origin`, or from another page than the
    /// editor's on this server.
    Origin,
}

/// This run's editing backend.
#[derive(Debug)]
pub(crate) struct Editing {
    root: PathBuf,
    token: String,
    /// The writer's language: the interface's, its panel's and its errors'.
    lang: Lang,
}

impl Editing {
    /// `None` when the system gives no random token (editing then stays
    /// off) or the site has no usable `content/`.
    pub(crate) fn new(root: &Path, lang: Lang) -> Option<Editing> {
        paths::Tree::open(root)?;
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).ok()?;
        let token = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Some(Editing {
            root: root.to_path_buf(),
            token,
            lang,
        })
    }

    /// The backend's URL path under `base` (decoded form).
    fn api_path(&self, base: &str) -> String {
        format!("{base}{API}{}/v1", self.token)
    }
}

/// The address of the editing interface for a site served at `address`.
pub(crate) fn admin_address(address: &str) -> String {
    format!("{address}{ADMIN}/")
}

/// Routes `rest` (the decoded path under the base) when it is one of the
/// editing paths. The caller has checked `Host`.
pub(crate) fn route(rest: &str, request: &RequestInfo, state: &RouteState) -> Option<Reply> {
    let admin = rest
        .strip_prefix(ADMIN)
        .is_some_and(|r| r.is_empty() || r.starts_with('/'));
    if !admin && !rest.starts_with(API) {
        return None;
    }
    if !is_local_peer(request.peer) {
        return Some(refused(Refusal::Remote, state));
    }
    let reads = matches!(request.method, Method::Get | Method::Head);
    let base = state.bases.current();
    if rest == ADMIN {
        return Some(if reads {
            Reply::Redirect {
                status: 301,
                location: crate::urls::percent_encode_path(&format!("{base}{ADMIN}/")),
            }
        } else {
            Reply::MethodNotAllowed { allow: "GET, HEAD" }
        });
    }
    if let Some(name) = rest.strip_prefix(ADMIN).and_then(|r| r.strip_prefix('/')) {
        if !reads {
            return Some(Reply::MethodNotAllowed { allow: "GET, HEAD" });
        }
        return Some(match name {
            "" | "index.html" => Reply::Cms(CmsRequest::Page),
            "config.yml" => Reply::Cms(CmsRequest::Config),
            "decap-cms.js" => Reply::Cms(CmsRequest::Script),
            "vitrine-admin.js" => Reply::Cms(CmsRequest::Checks),
            _ => Reply::NotFound {
                base: base.to_owned(),
            },
        });
    }
    let tail = rest.strip_prefix(API)?;
    if request.method != Method::Post {
        return Some(Reply::MethodNotAllowed { allow: "POST" });
    }
    if !request
        .origin
        .is_some_and(|origin| is_local_origin(origin, state.port))
    {
        return Some(refused(Refusal::Origin, state));
    }
    Some(match tail.strip_suffix("/v1") {
        Some(token) if !token.contains('/') => Reply::Cms(CmsRequest::Api {
            token: token.to_owned(),
        }),
        _ => Reply::NotFound {
            base: base.to_owned(),
        },
    })
}

fn refused(why: Refusal, state: &RouteState) -> Reply {
    let base = crate::urls::percent_encode_path(state.bases.current());
    Reply::Cms(CmsRequest::Refused {
        why,
        address: admin_address(&format!("{}{base}", state.origin)),
    })
}

/// The answer to a [`CmsRequest::Refused`]: plain text for another
/// machine (a person with a browser), JSON for the editor's calls.
pub(crate) fn refusal(why: Refusal, address: &str, lang: Lang) -> ResponseBox {
    match why {
        Refusal::Remote => with_headers(
            403,
            super::files::PLAIN,
            format!("403 — {}\n", i18n::cms_remote(address).get(lang)).into_bytes(),
            &[],
        ),
        Refusal::Origin => {
            let answer = api::failure(403, i18n::cms_wrong_origin(address));
            with_headers(answer.status, JSON, answer.into_body(lang), &[])
        }
    }
}

/// The interface's files (every [`CmsRequest`] but `Api` and `Refused`).
pub(crate) fn page(request: &CmsRequest, editing: Option<&Editing>, base: &str) -> ResponseBox {
    let Some(editing) = editing else {
        return plain(404);
    };
    match request {
        CmsRequest::Page => with_headers(
            200,
            super::files::HTML,
            admin_page(&settings(editing, base), editing.lang).into_bytes(),
            &[("Content-Security-Policy", CSP)],
        ),
        CmsRequest::Checks => {
            with_headers(200, super::files::JS, ADMIN_JS.as_bytes().to_vec(), &[])
        }
        CmsRequest::Config => {
            let api = crate::urls::percent_encode_path(&editing.api_path(base));
            let text = crate::cms_config::config_yml(&editing.root, base, &api, editing.lang);
            with_headers(200, YAML, text.into_bytes(), &[])
        }
        CmsRequest::Script => with_headers(200, super::files::JS, DECAP_JS.to_vec(), &[]),
        CmsRequest::Api { .. } => plain(404),
        CmsRequest::Refused { why, address } => refusal(*why, address, editing.lang),
    }
}

/// What `admin.js` needs: the schema's rules, the events stream, the words
/// of the diagnostics and of its panel.
#[derive(Debug, Serialize)]
struct Settings {
    rules: Vec<crate::cms_config::FormRule>,
    /// The folder of each collection, to name a new entry's file.
    folders: std::collections::BTreeMap<String, String>,
    events: String,
    /// How a diagnostic starts: « erreur », « avertissement ».
    levels: [&'static str; 2],
    labels: Labels,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Labels {
    dismiss: String,
    checking: String,
    clean: String,
    warnings: String,
    errors: String,
    not_published: String,
    refused: String,
}

fn settings(editing: &Editing, base: &str) -> Settings {
    let lang = editing.lang;
    let (error, warning, _) = i18n::level_words(lang);
    let sections = crate::cms_config::sections(&editing.root);
    let say = |text: Text| text.get(lang).to_owned();
    Settings {
        rules: crate::cms_config::form_rules(&sections, lang),
        folders: sections
            .iter()
            .map(|s| {
                (
                    crate::cms_config::collection_name(&s.folder),
                    s.folder.clone(),
                )
            })
            .collect(),
        events: crate::urls::percent_encode_path(&format!("{base}{}", super::route::EVENTS)),
        levels: [error, warning],
        labels: Labels {
            dismiss: say(i18n::cms_panel_close()),
            checking: say(i18n::cms_panel_checking()),
            clean: say(i18n::cms_panel_clean()),
            warnings: say(i18n::cms_panel_warnings()),
            errors: say(i18n::cms_panel_errors()),
            not_published: say(i18n::cms_panel_not_published()),
            refused: say(i18n::cms_panel_refused()),
        },
    }
}

/// The interface's page, with the settings of vitrine's script.
fn admin_page(settings: &Settings, lang: Lang) -> String {
    let json = serde_json::to_string(settings).unwrap_or_else(|_| "{}".to_owned());
    crate::cms_config::admin_page(i18n::cms_admin_title().get(lang), Some(&json), lang)
}

/// Answers a backend call, reading its body. Whether the connection can
/// serve another request.
pub(crate) fn api(
    editing: Option<&Editing>,
    stream: &TcpStream,
    head: &Head,
    buf: &mut Vec<u8>,
    token: &str,
    lang: Lang,
) -> bool {
    let send = |answer: api::Answer, keep: bool| {
        let response = with_headers(answer.status, JSON, answer.into_body(lang), &[]);
        write_response(
            stream,
            response,
            head.http_version(),
            &head.headers,
            false,
            keep,
        )
    };
    let refuse = |status: u16, error: Text| {
        send(api::failure(status, error), false);
        false
    };
    let Some(editing) = editing else {
        return refuse(404, i18n::cms_forbidden());
    };
    // Checked before the body is read: a stranger's upload costs nothing.
    if !same_token(token, &editing.token) {
        return refuse(403, i18n::cms_forbidden());
    }
    if !is_json(head) {
        return refuse(415, i18n::cms_bad_request("Content-Type"));
    }
    let body = match read_body(stream, head, buf) {
        Ok(body) => body,
        Err(status) => return refuse(status, body_error(status)),
    };
    let answer = match paths::Tree::open(&editing.root) {
        Some(tree) => api::handle(&tree, &repo_name(&editing.root), &body),
        None => api::failure(404, i18n::cms_path_missing("content")),
    };
    let keep = head.keep_alive();
    send(answer, keep) && keep
}

/// Why a body could not be read, for the writer.
fn body_error(status: u16) -> Text {
    match status {
        413 => i18n::cms_too_large(MAX_BODY / (1024 * 1024)),
        408 => i18n::cms_too_slow(),
        _ => i18n::cms_bad_request("Content-Length"),
    }
}

/// Compares every byte, so that timing tells nothing of the token.
fn same_token(given: &str, token: &str) -> bool {
    given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// A form of another site can post only form types and plain text.
fn is_json(head: &Head) -> bool {
    head.header("Content-Type").is_some_and(|value| {
        value
            .split(';')
            .next()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
    })
}

fn repo_name(root: &Path) -> String {
    root.canonicalize()
        .ok()
        .and_then(|r| r.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// Reads the body announced by `Content-Length` (at most [`MAX_BODY`]),
/// part of which may already be in `buf`; what follows it stays there.
/// `Err(status)`: 411 without a length (or chunked), 400 for a bad one,
/// 413 too large, 408 too slow.
fn read_body(stream: &TcpStream, head: &Head, buf: &mut Vec<u8>) -> Result<Vec<u8>, u16> {
    if head.header("Transfer-Encoding").is_some() {
        return Err(411);
    }
    let len = content_length(head)?;
    if len > MAX_BODY {
        return Err(413);
    }
    if head
        .header("Expect")
        .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
    {
        let mut out = stream;
        out.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .map_err(|_| 400u16)?;
    }
    let from_buf = len.min(buf.len());
    let mut body: Vec<u8> = buf.drain(..from_buf).collect();
    let deadline = Instant::now() + BODY_TIME;
    let mut chunk = vec![0u8; 64 * 1024];
    while body.len() < len {
        let time = deadline.saturating_duration_since(Instant::now());
        if time.is_zero() || stream.set_read_timeout(Some(time)).is_err() {
            return Err(408);
        }
        let want = (len - body.len()).min(chunk.len());
        let mut input = stream;
        match input.read(&mut chunk[..want]) {
            Ok(0) => return Err(400),
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(408)
            }
            Err(_) => return Err(400),
        }
    }
    Ok(body)
}

/// The one `Content-Length` (repeated only with the same value); the API
/// needs one.
fn content_length(head: &Head) -> Result<usize, u16> {
    match super::head::declared_length(head) {
        Err(()) => Err(400),
        Ok(None) => Err(411),
        // Beyond `usize`, and so beyond any cap.
        Ok(Some(n)) => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::head::parse_head;
    use super::super::hosts::Hosts;
    use super::super::route::{route as route_all, Bases};
    use super::*;

    fn at(method: &str, target: &str, origin: Option<&str>) -> Reply {
        from(Some("127.0.0.1"), "127.0.0.1", method, target, origin)
    }

    /// Routes a request from `peer` to a server bound to `bind`, port 1111.
    fn from(
        peer: Option<&str>,
        bind: &str,
        method: &str,
        target: &str,
        origin: Option<&str>,
    ) -> Reply {
        let hosts = Hosts::new(bind);
        let bases = Bases::new("/ecole/");
        let request = RequestInfo {
            method: Method::parse(method),
            target,
            version: (1, 1),
            host: Some("localhost:1111"),
            origin,
            peer: peer.map(|p| p.parse().unwrap()),
        };
        let state = RouteState {
            hosts: &hosts,
            bases: &bases,
            built: false,
            origin: "http://127.0.0.1:1111",
            port: 1111,
        };
        route_all(&request, &state)
    }

    fn refused(why: Refusal) -> Reply {
        Reply::Cms(CmsRequest::Refused {
            why,
            address: "http://127.0.0.1:1111/ecole/__vitrine/admin/".into(),
        })
    }

    #[test]
    fn the_interface_is_read_only_and_under_the_base() {
        assert_eq!(
            at("GET", "/ecole/__vitrine/admin/", None),
            Reply::Cms(CmsRequest::Page)
        );
        assert_eq!(
            at("HEAD", "/ecole/__vitrine/admin/config.yml", None),
            Reply::Cms(CmsRequest::Config)
        );
        assert_eq!(
            at("GET", "/ecole/__vitrine/admin/decap-cms.js", None),
            Reply::Cms(CmsRequest::Script)
        );
        assert_eq!(
            at("GET", "/ecole/__vitrine/admin/vitrine-admin.js", None),
            Reply::Cms(CmsRequest::Checks)
        );
        assert_eq!(
            at("GET", "/ecole/__vitrine/admin", None),
            Reply::Redirect {
                status: 301,
                location: "/ecole/__vitrine/admin/".into()
            }
        );
        assert_eq!(
            at("GET", "/ecole/__vitrine/admin/103.decap-cms.js", None),
            Reply::NotFound {
                base: "/ecole/".into()
            }
        );
        assert_eq!(
            at(
                "POST",
                "/ecole/__vitrine/admin/",
                Some("http://localhost:1111")
            ),
            Reply::MethodNotAllowed { allow: "GET, HEAD" }
        );
        assert!(!matches!(
            at("GET", "/__vitrine/admin/", None),
            Reply::Cms(_)
        ));
    }

    #[test]
    fn the_backend_takes_posts_from_our_origins_only() {
        let ours = Some("http://localhost:1111");
        assert_eq!(
            at("POST", "/ecole/__vitrine/api/abc/v1", ours),
            Reply::Cms(CmsRequest::Api {
                token: "abc".into()
            })
        );
        for origin in [
            None,
            Some("http://evil.example"),
            Some("null"),
            // A page of another local server.
            Some("http://localhost:8080"),
            Some("http://127.0.0.1:1112"),
        ] {
            assert_eq!(
                at("POST", "/ecole/__vitrine/api/abc/v1", origin),
                refused(Refusal::Origin),
                "{origin:?}"
            );
        }
        assert_eq!(
            at("GET", "/ecole/__vitrine/api/abc/v1", ours),
            Reply::MethodNotAllowed { allow: "POST" }
        );
        for target in ["/ecole/__vitrine/api/abc/v2", "/ecole/__vitrine/api/a/b/v1"] {
            assert!(
                matches!(at("POST", target, ours), Reply::NotFound { .. }),
                "{target}"
            );
        }
        // Another host is refused before anything else.
        let hosts = Hosts::new("127.0.0.1");
        let bases = Bases::new("/");
        let request = RequestInfo {
            method: Method::Post,
            target: "/__vitrine/api/abc/v1",
            version: (1, 1),
            host: Some("evil.example"),
            origin: Some("http://localhost"),
            peer: Some(std::net::Ipv4Addr::LOCALHOST.into()),
        };
        let state = RouteState {
            hosts: &hosts,
            bases: &bases,
            built: true,
            origin: "http://127.0.0.1:1",
            port: 1,
        };
        assert!(matches!(
            route_all(&request, &state),
            Reply::Foreign { status: 421, .. }
        ));
    }

    #[test]
    fn only_this_computer_gets_the_editor_whatever_the_bound_address() {
        let api = "/ecole/__vitrine/api/abc/v1";
        for bind in ["0.0.0.0", "::", "192.0.2.2", "127.0.0.1"] {
            for peer in [
                Some("192.0.2.2"),
                Some("fd00::2"),
                Some("::ffff:10.0.0.1"),
                None,
            ] {
                for target in [
                    "/ecole/__vitrine/admin/",
                    "/ecole/__vitrine/admin/config.yml",
                    "/ecole/__vitrine/admin/index.html",
                    "/ecole/__vitrine/admin/decap-cms.js",
                    "/ecole/__vitrine/admin/vitrine-admin.js",
                    "/ecole/__vitrine/admin",
                ] {
                    assert_eq!(
                        from(peer, bind, "GET", target, None),
                        refused(Refusal::Remote),
                        "{bind} {peer:?} {target}"
                    );
                }
                let origin = Some("http://192.0.2.2:1111");
                assert_eq!(
                    from(peer, bind, "POST", api, origin),
                    refused(Refusal::Remote)
                );
            }
        }
        // The rest of the preview is for the network when bound to it.
        assert!(matches!(
            from(Some("192.0.2.2"), "0.0.0.0", "GET", "/ecole/", None),
            Reply::Waiting { .. }
        ));
        // This computer, also through an IPv6 socket.
        for peer in ["127.0.0.1", "::1", "::ffff:127.0.0.1"] {
            assert_eq!(
                from(
                    Some(peer),
                    "::",
                    "GET",
                    "/ecole/__vitrine/admin/config.yml",
                    None
                ),
                Reply::Cms(CmsRequest::Config)
            );
            // Even on this computer, the editor's page is the only origin.
            let lan_origin = Some("http://192.0.2.2:1111");
            assert_eq!(
                from(Some(peer), "0.0.0.0", "POST", api, lan_origin),
                refused(Refusal::Origin)
            );
        }
    }

    #[test]
    fn refusals_say_why_in_the_writers_words() {
        let address = "http://127.0.0.1:1111/__vitrine/admin/";
        let text = |response: ResponseBox| {
            let mut body = String::new();
            response.into_reader().read_to_string(&mut body).unwrap();
            body
        };
        for lang in [Lang::Fr, Lang::En] {
            let remote = refusal(Refusal::Remote, address, lang);
            assert_eq!(remote.status_code().0, 403);
            assert!(text(remote).contains(i18n::cms_remote(address).get(lang)));
            let origin = refusal(Refusal::Origin, address, lang);
            assert_eq!(origin.status_code().0, 403);
            let body = text(origin);
            let value: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(value["error"], i18n::cms_wrong_origin(address).get(lang));
        }
        assert_eq!(body_error(413), i18n::cms_too_large(32_usize));
        assert!(!body_error(413).get(Lang::Fr).contains("Content-Length"));
        assert_eq!(body_error(408), i18n::cms_too_slow());
    }

    #[test]
    fn the_page_gives_the_script_the_schema_rules_and_the_events_stream() {
        let dir = tempfile::tempdir().unwrap();
        let section = dir.path().join("content/temoignages/_index.md");
        std::fs::create_dir_all(section.parent().unwrap()).unwrap();
        std::fs::write(&section, "---\ntitle: T\nkind: testimonial\n---\n").unwrap();
        let editing = Editing::new(dir.path(), Lang::Fr).unwrap();
        let page = admin_page(&settings(&editing, "/é cole/"), Lang::Fr);
        let json = page
            .split("id=\"vitrine-editing\">")
            .nth(1)
            .and_then(|rest| rest.split("</script>").next())
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(value["events"], "/%C3%A9%20cole/__vitrine/events");
        assert_eq!(value["folders"]["temoignages"], "content/temoignages");
        assert_eq!(value["rules"][1]["field"], "consent.minor");
        assert_eq!(value["rules"][1]["needs"], "consent.guardian");
        assert_eq!(value["rules"][1]["collections"][0], "temoignages");
        assert!(value["rules"][1]["message"]
            .as_str()
            .unwrap()
            .contains(i18n::minor_without_guardian().get(Lang::Fr)));
        let scripts: Vec<&str> = page
            .match_indices("<script src=")
            .map(|(i, _)| &page[i..i + 30])
            .collect();
        assert_eq!(scripts.len(), 2, "{page}");
        assert!(scripts[0].contains("decap-cms.js") && scripts[1].contains("vitrine-admin.js"));
    }

    #[test]
    fn tokens_lengths_and_types() {
        assert!(same_token("0a1b", "0a1b"));
        assert!(!same_token("0a1c", "0a1b") && !same_token("0a1", "0a1b") && !same_token("", "x"));
        let head = |extra: &str| {
            let text = format!("POST / HTTP/1.1\r\nHost: a\r\n{extra}\r\n");
            parse_head(text.as_bytes()).unwrap().unwrap()
        };
        assert_eq!(content_length(&head("Content-Length: 12\r\n")), Ok(12));
        assert_eq!(content_length(&head("")), Err(411));
        assert_eq!(content_length(&head("Content-Length: x\r\n")), Err(400));
        assert_eq!(
            content_length(&head("Content-Length: 1\r\nContent-Length: 2\r\n")),
            Err(400)
        );
        assert!(is_json(&head(
            "Content-Type: application/json; charset=utf-8\r\n"
        )));
        assert!(!is_json(&head("Content-Type: text/plain\r\n")) && !is_json(&head("")));
        let dir = tempfile::tempdir().unwrap();
        assert!(
            Editing::new(dir.path(), Lang::Fr).is_none(),
            "no content/ folder"
        );
        std::fs::create_dir(dir.path().join("content")).unwrap();
        let a = Editing::new(dir.path(), Lang::Fr).unwrap();
        let b = Editing::new(dir.path(), Lang::Fr).unwrap();
        assert_eq!(a.token.len(), 32);
        assert_ne!(a.token, b.token);
        assert_eq!(
            a.api_path("/e/"),
            format!("/e/__vitrine/api/{}/v1", a.token)
        );
    }
}
