//! Reading requests off a connection: the head, parsed by `httparse` and
//! bounded in size and time, and what to do with a body (`serve` wants
//! none: a small one is read and thrown away, a large one never read).

use std::io::{self, Read};
use std::net::{IpAddr, TcpStream};
use std::time::{Duration, Instant};

use tiny_http::{HTTPVersion, Header};

use super::route::{Method, RequestInfo};

/// Longest request head, request line and headers (414 or 431 beyond).
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// Most header lines in a request (431 beyond).
const MAX_HEADERS: usize = 64;
/// Largest request body read (and thrown away); larger ones get 413
/// without being read.
pub(crate) const MAX_BODY: usize = 64 * 1024;
/// Headers a request may hold once only (400 otherwise); two different
/// `Content-Length`s are refused by [`body_of`].
const SINGLE_HEADERS: [&str; 2] = ["Host", "Origin"];
/// A request head, and its small body, must arrive within this.
pub(crate) const HEAD_TIME: Duration = Duration::from_secs(10);

/// A request head, owned.
#[derive(Debug)]
pub(crate) struct Head {
    pub(crate) method: Method,
    pub(crate) target: String,
    /// (1, 0) or (1, 1).
    pub(crate) version: (u8, u8),
    /// As tiny_http takes them to write a response.
    pub(crate) headers: Vec<Header>,
    /// Its length in bytes, body excluded.
    pub(crate) len: usize,
}

impl Head {
    pub(crate) fn header(&self, name: &'static str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str())
    }

    pub(crate) fn http_version(&self) -> HTTPVersion {
        HTTPVersion(self.version.0, self.version.1)
    }

    /// What the router looks at, for a client at `peer`.
    pub(crate) fn info(&self, peer: Option<IpAddr>) -> RequestInfo<'_> {
        RequestInfo {
            method: self.method,
            target: &self.target,
            version: self.version,
            host: self.header("Host"),
            origin: self.header("Origin"),
            peer,
        }
    }

    /// Whether the client wants the connection kept after this request.
    pub(crate) fn keep_alive(&self) -> bool {
        let connection = self.header("Connection").unwrap_or("").to_ascii_lowercase();
        let has = |token: &str| connection.split(',').any(|t| t.trim() == token);
        if has("close") {
            return false;
        }
        self.version >= (1, 1) || has("keep-alive")
    }
}

/// Parses a request head from the start of `buf`. `Ok(None)`: incomplete;
/// `Err(status)`: malformed.
pub(crate) fn parse_head(buf: &[u8]) -> Result<Option<Head>, u16> {
    let mut raw = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut raw);
    let len = match request.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(431),
        Err(httparse::Error::Version) => return Err(505),
        Err(_) => return Err(400),
    };
    let mut headers = Vec::with_capacity(request.headers.len());
    for h in request.headers.iter() {
        headers.push(Header::from_bytes(h.name.as_bytes(), h.value).map_err(|()| 400u16)?);
    }
    // Two `Host` lines (`localhost`, then `evil.example`): the check would
    // read one, a proxy or the page asking the other. RFC 9112 §3.2: 400.
    for name in SINGLE_HEADERS {
        if headers.iter().filter(|h| h.field.equiv(name)).count() > 1 {
            return Err(400);
        }
    }
    Ok(Some(Head {
        method: Method::parse(request.method.unwrap_or("")),
        target: request.path.unwrap_or("").to_owned(),
        version: (1, request.version.unwrap_or(1)),
        headers,
        len,
    }))
}

/// Reads from `stream` into `buf` until it holds a whole request head.
/// `Ok(None)` when the client left, or sent nothing for `idle`;
/// `Err(status)` for a head that is malformed, too large or too slow.
pub(crate) fn read_head(
    stream: &TcpStream,
    buf: &mut Vec<u8>,
    idle: Duration,
) -> Result<Option<Head>, u16> {
    let waiting = Instant::now();
    let mut started: Option<Instant> = None;
    let mut chunk = [0u8; 4096];
    loop {
        if !buf.is_empty() {
            if let Some(head) = parse_head(buf)? {
                return Ok(Some(head));
            }
            if buf.len() > MAX_HEAD {
                let line_ended = buf.windows(2).any(|w| w == b"\r\n");
                return Err(if line_ended { 431 } else { 414 });
            }
            started.get_or_insert_with(Instant::now);
        }
        // Idle until the first byte, then the whole head in HEAD_TIME.
        let deadline = match started {
            Some(at) => at + HEAD_TIME,
            None => waiting + idle,
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return match started {
                Some(_) => Err(408),
                None => Ok(None),
            };
        }
        if stream.set_read_timeout(Some(left)).is_err() {
            return Ok(None);
        }
        let mut input = stream;
        match input.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) => match e.kind() {
                io::ErrorKind::WouldBlock
                | io::ErrorKind::TimedOut
                | io::ErrorKind::Interrupted => {}
                _ => return Ok(None),
            },
        }
    }
}

/// What to do with a request body.
#[derive(Debug, PartialEq)]
pub(crate) enum Body {
    /// No body.
    None,
    /// A small body, read and thrown away.
    Small(usize),
    /// Not read (chunked, or the client waits for `100 Continue`): answer,
    /// then close the connection.
    Unread,
    /// Larger than [`MAX_BODY`]: 413 without reading it.
    TooLarge,
    /// Conflicting or unreadable `Content-Length`: 400.
    Bad,
}

pub(crate) fn body_of(head: &Head) -> Body {
    if head.header("Transfer-Encoding").is_some() {
        return Body::Unread;
    }
    match declared_length(head) {
        Err(()) => Body::Bad,
        Ok(None | Some(0)) => Body::None,
        Ok(Some(n)) if n > MAX_BODY as u64 => Body::TooLarge,
        Ok(Some(_)) if head.header("Expect").is_some() => Body::Unread,
        Ok(Some(n)) => Body::Small(usize::try_from(n).unwrap_or(MAX_BODY)),
    }
}

/// The one `Content-Length` of a request (repeated only with the same
/// value), `None` without one; `Err` when unreadable or conflicting, which
/// smuggling relies on.
pub(crate) fn declared_length(head: &Head) -> Result<Option<u64>, ()> {
    let mut length: Option<u64> = None;
    for h in head
        .headers
        .iter()
        .filter(|h| h.field.equiv("Content-Length"))
    {
        let value = h.value.as_str().trim();
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(());
        }
        // All digits: only too many of them can fail to parse.
        let n = value.parse::<u64>().unwrap_or(u64::MAX);
        if length.is_some_and(|l| l != n) {
            return Err(());
        }
        length = Some(n);
    }
    Ok(length)
}

/// Reads and drops `len` bytes of body (some may be in `buf` already).
/// `false` if the client did not send them in time.
pub(crate) fn discard(stream: &TcpStream, buf: &mut Vec<u8>, len: usize) -> bool {
    let from_buf = len.min(buf.len());
    buf.drain(..from_buf);
    let mut left = len - from_buf;
    let deadline = Instant::now() + HEAD_TIME;
    let mut chunk = [0u8; 4096];
    while left > 0 {
        let time = deadline.saturating_duration_since(Instant::now());
        if time.is_zero() || stream.set_read_timeout(Some(time)).is_err() {
            return false;
        }
        let mut input = stream;
        match input.read(&mut chunk[..left.min(4096)]) {
            Ok(0) => return false,
            Ok(n) => left -= n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(extra: &str) -> Head {
        let text = format!("POST / HTTP/1.1\r\nHost: localhost\r\n{extra}\r\n");
        parse_head(text.as_bytes()).unwrap().unwrap()
    }

    #[test]
    fn body_rules() {
        assert_eq!(body_of(&head("")), Body::None);
        assert_eq!(body_of(&head("Content-Length: 0\r\n")), Body::None);
        assert_eq!(body_of(&head("Content-Length: 5\r\n")), Body::Small(5));
        assert_eq!(
            body_of(&head("Content-Length: 99999999999\r\n")),
            Body::TooLarge
        );
        assert_eq!(
            body_of(&head("Content-Length: 99999999999999999999999\r\n")),
            Body::TooLarge
        );
        assert_eq!(body_of(&head("Content-Length: -1\r\n")), Body::Bad);
        assert_eq!(body_of(&head("Content-Length: 1e3\r\n")), Body::Bad);
        assert_eq!(
            body_of(&head("Content-Length: 5\r\nContent-Length: 6\r\n")),
            Body::Bad
        );
        assert_eq!(
            body_of(&head("Transfer-Encoding: chunked\r\n")),
            Body::Unread
        );
        assert_eq!(
            body_of(&head("Content-Length: 5\r\nExpect: 100-continue\r\n")),
            Body::Unread
        );
    }

    #[test]
    fn heads_incomplete_malformed_or_too_many_headers() {
        assert!(parse_head(b"GET / HTTP/1.1\r\nHost: a\r\n")
            .unwrap()
            .is_none());
        assert_eq!(parse_head(b"GARBAGE\r\n\r\n").err(), Some(400));
        assert_eq!(parse_head(b"GET / HTTP/9.9\r\n\r\n").err(), Some(505));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X-A: b\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(parse_head(many.as_bytes()).err(), Some(431));
        let h = parse_head(b"HEAD /a?b HTTP/1.0\r\nHost: h\r\nOrigin: o\r\n\r\nrest")
            .unwrap()
            .unwrap();
        let info = h.info(None);
        assert_eq!(info.method, Method::Head);
        assert_eq!((info.target, info.version), ("/a?b", (1, 0)));
        assert_eq!((info.host, info.origin), (Some("h"), Some("o")));
        assert_eq!(
            h.len,
            b"HEAD /a?b HTTP/1.0\r\nHost: h\r\nOrigin: o\r\n\r\n".len()
        );
    }

    #[test]
    fn a_header_that_decides_who_may_ask_is_refused_twice() {
        for twice in [
            "Host: localhost\r\nHost: evil.example\r\n",
            "Host: localhost\r\nhost: localhost\r\n",
            "Host: localhost\r\nOrigin: http://localhost\r\nORIGIN: http://evil.example\r\n",
        ] {
            let text = format!("GET / HTTP/1.1\r\n{twice}\r\n");
            assert_eq!(parse_head(text.as_bytes()).err(), Some(400), "{twice}");
        }
        let once = "GET / HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\n\r\n";
        assert!(parse_head(once.as_bytes()).unwrap().is_some());
    }

    #[test]
    fn keep_alive() {
        assert!(head("").keep_alive());
        assert!(!head("Connection: keep-alive, Close\r\n").keep_alive());
        let old = parse_head(b"GET / HTTP/1.0\r\n\r\n").unwrap().unwrap();
        assert!(!old.keep_alive());
        let asks = parse_head(b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(asks.keep_alive());
    }
}
