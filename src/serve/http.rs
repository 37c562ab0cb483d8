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
//! Only this computer's names are answered: `Host` (and the host of an
//! absolute request target) must be `localhost`, a loopback address or the
//! bound address, and the event stream also checks `Origin` when there is
//! one, so that a DNS-rebinding page cannot read the preview (421 / 403).
//!
//! Connections are handled here, not by tiny_http's `Server`: that one
//! gives each connection a thread and two descriptors that it never closes
//! while the client stays silent, its accept thread panics once
//! descriptors run out (the server then stays deaf), and dropping a request
//! whose body was not read allocates the announced length. Here:
//! - at most [`connection_cap`] connections live at once, well below the
//!   descriptor limit; a new one beyond that closes the connection that has
//!   waited longest for a request (or gets 503 when all are busy);
//! - a connection waiting for a request is closed after [`IDLE`]; a request
//!   head must arrive whole within [`HEAD_TIME`] and hold at most
//!   [`MAX_HEAD`] bytes; a client that reads nothing for [`WRITE_TIME`] is
//!   dropped; a closed client frees its thread and descriptor at once;
//! - a body larger than [`MAX_BODY`] is never read: 413, then the
//!   connection is closed;
//! - if accepting fails for good, [`DevServer::failure`] says why (and
//!   `serve` stops rather than stay deaf).
//!
//! Request heads are parsed by `httparse`; every response is a tiny_http
//! [`Response`] written with its public `raw_print` (no tiny_http internals
//! are relied on).

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use tiny_http::{HTTPVersion, Header, Method, Response, ResponseBox, StatusCode};

use super::events::{Hub, Poll};

/// Longest request target accepted (414 beyond).
pub const MAX_URL_LEN: usize = 8 * 1024;
/// Longest request head, request line and headers (414 or 431 beyond).
pub const MAX_HEAD: usize = 16 * 1024;
/// Most header lines in a request (431 beyond).
const MAX_HEADERS: usize = 64;
/// Largest request body read (and thrown away); larger ones get 413
/// without being read.
pub const MAX_BODY: usize = 64 * 1024;
/// A connection waiting for a request is closed after this.
pub const IDLE: Duration = Duration::from_secs(10);
/// A request head, and its small body, must arrive within this.
pub const HEAD_TIME: Duration = Duration::from_secs(10);
/// A client that accepts no byte of a response for this long is dropped.
pub const WRITE_TIME: Duration = Duration::from_secs(30);
/// Descriptors left for everything but connections: the build, the file
/// watcher, files being sent.
const RESERVED_FDS: u64 = 256;
/// Bounds of [`connection_cap`].
const MIN_CONNECTIONS: usize = 32;
const MAX_CONNECTIONS: usize = 512;
/// Stack of a connection thread (they read files into the heap).
const STACK: usize = 256 * 1024;
/// How often blocked threads look at the stop flag.
const TICK: Duration = Duration::from_millis(100);

const EVENTS: &str = "__vitrine/events";
const SCRIPT: &str = "__vitrine/livereload.js";
const PREVIEW_CSS: &str = "__vitrine/preview.css";
const LIVERELOAD_JS: &str = include_str!("livereload.js");
const PREVIEW_CSS_TEXT: &str = include_str!("preview.css");
const JS: &str = "application/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
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
    /// Whether a build has succeeded yet. Until one has, pages under the
    /// base path are a waiting page (503) that carries the live-reload
    /// script, so the error overlay shows and the page reloads once the site
    /// builds. The caller sets it after the first good build.
    pub built: Arc<AtomicBool>,
}

/// How many connections the server keeps at once: half of the descriptors
/// left under the soft `RLIMIT_NOFILE` once [`RESERVED_FDS`] are set aside,
/// within 32..=512.
pub fn connection_cap() -> usize {
    let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
    cap_for(limit.current)
}

/// [`connection_cap`] for a descriptor limit (`None`: unlimited).
fn cap_for(limit: Option<u64>) -> usize {
    let room = limit.map_or(u64::MAX, |l| l.saturating_sub(RESERVED_FDS) / 2);
    usize::try_from(room)
        .unwrap_or(usize::MAX)
        .clamp(MIN_CONNECTIONS, MAX_CONNECTIONS)
}

/// A running server; stops on [`DevServer::shutdown`] or when dropped.
pub struct DevServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    acceptor: Option<JoinHandle<()>>,
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
    bases: RwLock<Bases>,
    built: Arc<AtomicBool>,
    stop: AtomicBool,
    streams: AtomicUsize,
    max_streams: usize,
    hosts: Hosts,
    /// What the preview marks: URL paths (under the base) of draft pages.
    drafts: RwLock<Arc<HashSet<String>>>,
    conns: Connections,
    /// Why accepting stopped for good, if it did.
    failure: Mutex<Option<String>>,
    /// Address shown to a refused client.
    address_host: String,
    port: u16,
    /// [`IDLE`], in milliseconds (shorter in tests).
    idle_ms: AtomicU64,
    #[cfg(test)]
    break_accept: AtomicBool,
}

impl Shared {
    fn idle(&self) -> Duration {
        Duration::from_millis(self.idle_ms.load(Ordering::Relaxed))
    }

    fn bases(&self) -> Bases {
        match self.bases.read() {
            Ok(b) => b.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn drafts(&self) -> Arc<HashSet<String>> {
        match self.drafts.read() {
            Ok(d) => d.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn fail(&self, why: String) {
        let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
        failure.get_or_insert(why);
    }
}

/// The base path the site is served under, and the ones it was served
/// under before a `base_url` change (redirected to the current one).
#[derive(Clone, Debug)]
struct Bases {
    current: String,
    old: Vec<String>,
}

/// First port in `start..=start+20` that `bind` can listen on.
pub fn find_free_port(bind: &str, start: u16) -> Option<u16> {
    (0..=20u16)
        .filter_map(|i| start.checked_add(i))
        .find(|&port| TcpListener::bind((bind, port)).is_ok())
}

/// The host to show in addresses for a bind address: `[::1]` for IPv6,
/// `127.0.0.1` for "every address".
pub fn display_host(bind: &str) -> String {
    match bind.parse::<IpAddr>() {
        Ok(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        Ok(IpAddr::V6(ip)) => format!("[{ip}]"),
        _ => bind.to_string(),
    }
}

impl DevServer {
    /// Binds `config.bind:config.port` and starts accepting. A port that
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
        listener.set_nonblocking(true)?;
        let cap = connection_cap();
        let shared = Arc::new(Shared {
            site_dir,
            hub,
            bases: RwLock::new(Bases {
                current: normalize_base(&config.base_path),
                old: Vec::new(),
            }),
            built: config.built,
            stop: AtomicBool::new(false),
            streams: AtomicUsize::new(0),
            max_streams: (cap / 2).min(128),
            hosts: Hosts::new(&config.bind),
            drafts: RwLock::new(Arc::new(HashSet::new())),
            conns: Connections {
                cap,
                next: AtomicU64::new(0),
                slots: Mutex::new(HashMap::new()),
            },
            failure: Mutex::new(None),
            address_host: display_host(&config.bind),
            port: addr.port(),
            idle_ms: AtomicU64::new(u64::try_from(IDLE.as_millis()).unwrap_or(u64::MAX)),
            #[cfg(test)]
            break_accept: AtomicBool::new(false),
        });
        let inside = shared.clone();
        let acceptor = thread::Builder::new()
            .name("vitrine-http-accept".into())
            .spawn(move || {
                let outcome = catch_unwind(AssertUnwindSafe(|| accept_loop(&listener, &inside)));
                match outcome {
                    Ok(Ok(())) => {}
                    Ok(Err(why)) => inside.fail(why),
                    Err(_) => inside.fail("panic".into()),
                }
            })?;
        Ok(DevServer {
            shared,
            addr,
            acceptor: Some(acceptor),
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Why the server stopped accepting connections, once it has (it then
    /// answers nobody: the caller should stop).
    pub fn failure(&self) -> Option<String> {
        let failure = self
            .shared
            .failure
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        failure.clone()
    }

    /// Marks these pages (URL paths under the base, `temoignages/lea/`) as
    /// drafts: a banner on the page, a badge on links to it.
    pub fn set_drafts(&self, drafts: HashSet<String>) {
        let mut current = match self.shared.drafts.write() {
            Ok(d) => d,
            Err(poisoned) => poisoned.into_inner(),
        };
        *current = Arc::new(drafts);
    }

    /// Serves the site under `base` from now on; the previous base paths
    /// redirect there.
    pub fn set_base(&self, base: &str) {
        let base = normalize_base(base);
        let mut bases = match self.shared.bases.write() {
            Ok(b) => b,
            Err(poisoned) => poisoned.into_inner(),
        };
        if bases.current == base {
            return;
        }
        let previous = std::mem::replace(&mut bases.current, base.clone());
        bases.old.retain(|b| *b != base && *b != previous);
        bases.old.push(previous);
        // Longest first: the most specific old base wins.
        bases.old.sort_by_key(|b| std::cmp::Reverse(b.len()));
    }

    /// Connections open now (for tests and diagnostics).
    pub fn connections(&self) -> usize {
        self.shared.conns.lock().len()
    }

    /// Stops accepting, ends the SSE streams, closes every connection.
    /// Returns within about a tenth of a second plus the time to finish the
    /// responses being written.
    pub fn shutdown(self) {
        drop(self);
    }

    fn stop_and_join(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        // SSE threads look at the flag every TICK and end their stream
        // properly; do not wait forever on a client whose socket buffer is
        // full.
        let deadline = Instant::now() + Duration::from_secs(2);
        while self.shared.streams.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        // Then every other connection (waiting for a request) is closed.
        self.shared.conns.close_all();
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        self.stop_and_join();
        // The listener went with the accept thread: the port is free.
    }
}

/// Loopback names, and the bound address, are this server's names.
#[derive(Debug)]
struct Hosts {
    /// The bound address, lower case, without brackets.
    bind: String,
    /// Bound to every address (`0.0.0.0`, `::`): any IP address names us
    /// (a DNS-rebinding page always uses a host name).
    any_ip: bool,
}

impl Hosts {
    fn new(bind: &str) -> Hosts {
        let bind = bind
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let any_ip = bind.parse::<IpAddr>().is_ok_and(|ip| ip.is_unspecified());
        Hosts { bind, any_ip }
    }

    /// Whether a `Host` value (`name`, `name:port`, `[::1]:port`) names
    /// this server.
    fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host.trim()) else {
            return false;
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || name == self.bind {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || self.any_ip,
            Err(_) => false,
        }
    }

    /// Whether an `Origin` value (`http://host:port`) is one of ours.
    fn allows_origin(&self, origin: &str) -> bool {
        let origin = origin.trim();
        let rest = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        rest.is_some_and(|rest| self.allows(rest.split('/').next().unwrap_or(rest)))
    }
}

/// The name in a `Host` value; `None` when it is malformed (empty name,
/// port not a number, unbracketed IPv6).
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (inside, after) = rest.split_once(']')?;
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':')?),
            };
            (inside, port)
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    if let Some(port) = port {
        port.parse::<u16>().ok()?;
    }
    (!name.is_empty()).then_some(name)
}

/// The `host[:port]` of an absolute-form request target.
fn target_authority(target: &str) -> Option<&str> {
    let rest = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))?;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// The live connections, so that the oldest idle one can be closed for a
/// new one, and all of them at shutdown.
struct Connections {
    cap: usize,
    next: AtomicU64,
    slots: Mutex<HashMap<u64, Slot>>,
}

struct Slot {
    stream: Arc<TcpStream>,
    /// Since when the connection waits for a request (`None`: busy).
    idle_since: Option<Instant>,
}

impl Connections {
    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Slot>> {
        // A poisoned lock only means a thread panicked mid-way; the map
        // is still usable.
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a new connection, closing the one idle the longest when
    /// full. `None` when full of busy connections.
    fn admit(&self, stream: Arc<TcpStream>) -> Option<u64> {
        let mut slots = self.lock();
        if slots.len() >= self.cap {
            let (_, oldest) = slots
                .iter()
                .filter_map(|(id, slot)| slot.idle_since.map(|since| (since, *id)))
                .min()?;
            if let Some(slot) = slots.remove(&oldest) {
                let _ = slot.stream.shutdown(Shutdown::Both);
            }
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        slots.insert(
            id,
            Slot {
                stream,
                idle_since: Some(Instant::now()),
            },
        );
        Some(id)
    }

    /// Marks a connection idle (waiting for a request) or busy. `false`
    /// when it was closed meanwhile.
    fn set_idle(&self, id: u64, idle: bool) -> bool {
        match self.lock().get_mut(&id) {
            Some(slot) => {
                slot.idle_since = if idle { Some(Instant::now()) } else { None };
                true
            }
            None => false,
        }
    }

    fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// Closes the connection idle the longest; `false` if none is idle.
    fn evict_idle(&self) -> bool {
        let mut slots = self.lock();
        let oldest = slots
            .iter()
            .filter_map(|(id, slot)| slot.idle_since.map(|since| (since, *id)))
            .min();
        match oldest.and_then(|(_, id)| slots.remove(&id)) {
            Some(slot) => {
                let _ = slot.stream.shutdown(Shutdown::Both);
                true
            }
            None => false,
        }
    }

    fn close_all(&self) {
        for (_, slot) in self.lock().drain() {
            let _ = slot.stream.shutdown(Shutdown::Both);
        }
    }
}

/// Unregisters a connection when its thread ends, however.
struct Registered {
    shared: Arc<Shared>,
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.shared.conns.remove(self.id);
    }
}

/// Accepts until stopped. `Err` when accepting fails for good.
fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) -> Result<(), String> {
    use rustix::event::{PollFd, PollFlags, Timespec};
    let tick = Timespec {
        tv_sec: 0,
        tv_nsec: 100_000_000,
    };
    let mut failures = 0u32;
    while !shared.stop.load(Ordering::SeqCst) {
        #[cfg(test)]
        if shared.break_accept.load(Ordering::SeqCst) {
            return Err("test".into());
        }
        let mut fds = [PollFd::new(listener, PollFlags::IN)];
        match rustix::event::poll(&mut fds, Some(&tick)) {
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.to_string()),
        }
        match listener.accept() {
            Ok((stream, _)) => {
                failures = 0;
                admit(shared, stream);
            }
            Err(e) => match e.kind() {
                io::ErrorKind::WouldBlock
                | io::ErrorKind::Interrupted
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::ConnectionReset => {}
                _ if out_of_resources(&e) => {
                    // Make room rather than give up: the oldest idle
                    // connection goes, or we wait for one to end.
                    if !shared.conns.evict_idle() {
                        thread::sleep(Duration::from_millis(20));
                    }
                }
                _ => {
                    // Network errors of a pending connection are passed on
                    // by accept(); only a lasting failure is fatal.
                    failures += 1;
                    if failures >= 100 {
                        return Err(e.to_string());
                    }
                    thread::sleep(Duration::from_millis(10));
                }
            },
        }
    }
    Ok(())
}

/// Out of descriptors or memory: passes once connections close.
fn out_of_resources(e: &io::Error) -> bool {
    use rustix::io::Errno;
    let code = e.raw_os_error();
    [Errno::MFILE, Errno::NFILE, Errno::NOBUFS, Errno::NOMEM]
        .iter()
        .any(|errno| Some(errno.raw_os_error()) == code)
}

/// Gives an accepted connection a thread of its own, or a 503 when every
/// connection is busy.
fn admit(shared: &Arc<Shared>, stream: TcpStream) {
    if stream.set_nonblocking(false).is_err() {
        return;
    }
    let stream = Arc::new(stream);
    let Some(id) = shared.conns.admit(stream.clone()) else {
        busy(&stream);
        return;
    };
    let registered = Registered {
        shared: shared.clone(),
        id,
    };
    // If the thread cannot be spawned, the closure is dropped here: the
    // connection is unregistered and closed.
    let _ = thread::Builder::new()
        .name("vitrine-http".into())
        .stack_size(STACK)
        .spawn(move || {
            let registered = registered;
            // Nothing below should panic; if it ever does, only this
            // connection ends.
            let _ = catch_unwind(AssertUnwindSafe(|| {
                connection(&registered.shared, id, &stream);
            }));
        });
}

/// The answer when every connection is busy.
fn busy(stream: &TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let mut out = stream;
    let _ = out.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
          Content-Length: 24\r\nConnection: close\r\n\r\n503 Service Unavailable\n",
    );
}

/// A request head, owned.
struct Head {
    method: Method,
    target: String,
    /// (1, 0) or (1, 1).
    version: (u8, u8),
    headers: Vec<Header>,
    /// Its length in bytes, body excluded.
    len: usize,
}

impl Head {
    fn header(&self, name: &'static str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str())
    }

    fn http_version(&self) -> HTTPVersion {
        HTTPVersion(self.version.0, self.version.1)
    }

    /// Whether the client wants the connection kept after this request.
    fn keep_alive(&self) -> bool {
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
fn parse_head(buf: &[u8]) -> Result<Option<Head>, u16> {
    let mut raw = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut raw);
    let len = match request.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(431),
        Err(httparse::Error::Version) => return Err(505),
        Err(_) => return Err(400),
    };
    let method = request
        .method
        .unwrap_or("")
        .parse::<Method>()
        .map_err(|()| 400u16)?;
    let mut headers = Vec::with_capacity(request.headers.len());
    for h in request.headers.iter() {
        headers.push(Header::from_bytes(h.name.as_bytes(), h.value).map_err(|()| 400u16)?);
    }
    Ok(Some(Head {
        method,
        target: request.path.unwrap_or("").to_owned(),
        version: (1, request.version.unwrap_or(1)),
        headers,
        len,
    }))
}

/// Reads from `stream` into `buf` until it holds a whole request head.
/// `Ok(None)` when the client left, or sent nothing for `idle`;
/// `Err(status)` for a head that is malformed, too large or too slow.
fn read_head(stream: &TcpStream, buf: &mut Vec<u8>, idle: Duration) -> Result<Option<Head>, u16> {
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
enum Body {
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

fn body_of(head: &Head) -> Body {
    if head.header("Transfer-Encoding").is_some() {
        return Body::Unread;
    }
    let mut length: Option<u64> = None;
    for h in head
        .headers
        .iter()
        .filter(|h| h.field.equiv("Content-Length"))
    {
        let value = h.value.as_str().trim();
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Body::Bad;
        }
        // All digits: only too many of them can fail to parse.
        let n = value.parse::<u64>().unwrap_or(u64::MAX);
        if length.is_some_and(|l| l != n) {
            return Body::Bad;
        }
        length = Some(n);
    }
    match length {
        None | Some(0) => Body::None,
        Some(n) if n > MAX_BODY as u64 => Body::TooLarge,
        Some(_) if head.header("Expect").is_some() => Body::Unread,
        Some(n) => Body::Small(usize::try_from(n).unwrap_or(MAX_BODY)),
    }
}

/// Reads and drops `len` bytes of body (some may be in `buf` already).
/// `false` if the client did not send them in time.
fn discard(stream: &TcpStream, buf: &mut Vec<u8>, len: usize) -> bool {
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

/// Serves the requests of one connection until it closes, idles out, or
/// asks to close.
fn connection(shared: &Shared, id: u64, stream: &TcpStream) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIME));
    let mut buf: Vec<u8> = Vec::new();
    loop {
        if shared.stop.load(Ordering::SeqCst) || !shared.conns.set_idle(id, true) {
            return;
        }
        let head = match read_head(stream, &mut buf, shared.idle()) {
            Ok(Some(head)) => head,
            Ok(None) => return,
            Err(status) => {
                let version = HTTPVersion(1, 1);
                let _ = write_response(
                    stream,
                    plain(status, status_text(status)),
                    version,
                    &[],
                    false,
                    false,
                );
                return;
            }
        };
        if !shared.conns.set_idle(id, false) {
            return;
        }
        if !handle(shared, stream, head, &mut buf) {
            return;
        }
    }
}

/// Answers one request. Whether the connection can serve another.
fn handle(shared: &Shared, stream: &TcpStream, head: Head, buf: &mut Vec<u8>) -> bool {
    buf.drain(..head.len.min(buf.len()));
    let is_head = head.method == Method::Head;
    let version = head.http_version();
    let mut keep = head.keep_alive();
    let refuse = |status: u16| {
        // The body is not read: the connection cannot go on.
        let _ = write_response(
            stream,
            plain(status, status_text(status)),
            version.clone(),
            &head.headers,
            is_head,
            false,
        );
        false
    };
    match body_of(&head) {
        Body::None => {}
        Body::Small(len) => {
            if !discard(stream, buf, len) {
                return false;
            }
        }
        Body::Unread => keep = false,
        Body::TooLarge => return refuse(413),
        Body::Bad => return refuse(400),
    }
    if head.target.len() > MAX_URL_LEN {
        return refuse(414);
    }
    match route(shared, &head) {
        Reply::Events => {
            events(shared, stream, &head);
            false
        }
        Reply::Response(response) => {
            write_response(stream, response, version, &head.headers, is_head, keep) && keep
        }
    }
}

/// The short text of the plain answers.
fn status_text(status: u16) -> &'static str {
    match status {
        400 => "400 Bad Request\n",
        408 => "408 Request Timeout\n",
        413 => "413 Payload Too Large\n",
        414 => "414 URI Too Long\n",
        431 => "431 Request Header Fields Too Large\n",
        505 => "505 HTTP Version Not Supported\n",
        _ => "500 Internal Server Error\n",
    }
}

/// Writes `response`; `keep: false` adds `Connection: close` (the caller
/// then closes). Whether it was all written.
fn write_response(
    stream: &TcpStream,
    response: ResponseBox,
    version: HTTPVersion,
    request_headers: &[Header],
    is_head: bool,
    keep: bool,
) -> bool {
    let mut out = CloseHeader {
        inner: io::BufWriter::with_capacity(16 * 1024, stream),
        head: Vec::new(),
        pending: !keep,
    };
    response
        .raw_print(&mut out, version, request_headers, is_head, None)
        .is_ok()
        && out.finish().is_ok()
}

/// Adds `Connection: close` to the head tiny_http writes (its `Response`
/// drops that header, since its own server closes on its own).
struct CloseHeader<W: Write> {
    inner: W,
    /// The head so far, while `pending`.
    head: Vec<u8>,
    pending: bool,
}

impl<W: Write> CloseHeader<W> {
    fn finish(&mut self) -> io::Result<()> {
        if self.pending {
            // No complete head came: pass on what did.
            self.pending = false;
            let head = std::mem::take(&mut self.head);
            self.inner.write_all(&head)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Write for CloseHeader<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if !self.pending {
            return self.inner.write(data);
        }
        self.head.extend_from_slice(data);
        if let Some(end) = self.head.windows(4).position(|w| w == b"\r\n\r\n") {
            self.pending = false;
            let head = std::mem::take(&mut self.head);
            self.inner.write_all(&head[..end + 2])?;
            self.inner.write_all(b"Connection: close\r\n")?;
            self.inner.write_all(&head[end + 2..])?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.pending {
            return Ok(());
        }
        self.inner.flush()
    }
}

enum Reply {
    Events,
    Response(ResponseBox),
}

/// The answer to a client that named another host.
fn foreign(shared: &Shared, status: u16) -> ResponseBox {
    let base = shared.bases().current;
    let url = format!(
        "http://{}:{}{}",
        shared.address_host,
        shared.port,
        encode_path(&base)
    );
    let text = format!("{status} — {}\n", crate::i18n::serve_foreign_host(&url));
    bytes(status, PLAIN, text.into_bytes())
}

fn route(shared: &Shared, head: &Head) -> Reply {
    let method = &head.method;
    let url = head.target.as_str();
    let host_ok = match (target_authority(url), head.header("Host")) {
        (Some(authority), _) => shared.hosts.allows(authority),
        (None, Some(host)) => shared.hosts.allows(host),
        // HTTP/1.1 requires a Host; HTTP/1.0 clients may omit it.
        (None, None) => head.version < (1, 1),
    };
    if !host_ok {
        return Reply::Response(foreign(shared, 421));
    }
    let is_get = *method == Method::Get;
    let is_head = *method == Method::Head;
    let Some((raw_path, query)) = split_target(url) else {
        return Reply::Response(plain(400, "400 Bad Request\n"));
    };
    let Some(path) = percent_decode(raw_path) else {
        return Reply::Response(plain(400, "400 Bad Request\n"));
    };
    let bases = shared.bases();
    let base = bases.current.as_str();
    // Served under an old base before a `base_url` change: the same page
    // under the new one. An old base inside the new one (`/` after
    // `/stages/`) only takes what the new one does not.
    for old in &bases.old {
        if path.starts_with(base) && old.len() <= base.len() {
            continue;
        }
        let moved = path
            .strip_prefix(old.as_str())
            .or_else(|| (old.strip_suffix('/') == Some(path.as_str())).then_some(""));
        if let (Some(moved), true) = (moved, is_get || is_head) {
            let location = format!(
                "{}{}",
                encode_path(&format!("{base}{moved}")),
                query_suffix(query)
            );
            return Reply::Response(redirect(301, &location));
        }
    }
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
        if !is_get {
            return Reply::Response(method_not_allowed("GET"));
        }
        if let Some(origin) = head.header("Origin") {
            if !shared.hosts.allows_origin(origin) {
                return Reply::Response(foreign(shared, 403));
            }
        }
        return Reply::Events;
    }
    if !(is_get || is_head) {
        return Reply::Response(method_not_allowed("GET, HEAD"));
    }
    if rest == SCRIPT {
        return Reply::Response(bytes(200, JS, LIVERELOAD_JS.as_bytes().to_vec()));
    }
    if rest == PREVIEW_CSS {
        return Reply::Response(bytes(200, CSS, PREVIEW_CSS_TEXT.as_bytes().to_vec()));
    }
    if !shared.built.load(Ordering::SeqCst) {
        return Reply::Response(if wants_page(rest) {
            bytes(503, HTML, waiting_page(base))
        } else {
            plain(503, "503 Service Unavailable\n")
        });
    }
    Reply::Response(serve_path(shared, base, &path, rest, query))
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
fn serve_path(
    shared: &Shared,
    base: &str,
    path: &str,
    rest: &str,
    query: Option<&str>,
) -> ResponseBox {
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
            .and_then(|index| page_file(shared, base, rest, &index, &requested))
    } else if meta.is_file() && !trailing_slash {
        page_file(shared, base, rest, &target, &requested)
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
        Ok(root) => not_found_in(&shared.bases().current, &root),
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

/// A file of the site at `rest` (under the base): [`file`], and for HTML
/// the draft banner and badges ([`decorate`]).
fn page_file(
    shared: &Shared,
    base: &str,
    rest: &str,
    path: &Path,
    requested: &Path,
) -> Option<ResponseBox> {
    let response = file(base, path, requested, 200)?;
    if !content_type(requested).starts_with("text/html") {
        return Some(response);
    }
    let drafts = shared.drafts();
    if drafts.is_empty() {
        return Some(response);
    }
    // Read again rather than unpack the response: HTML pages are small.
    let mut html = String::from_utf8(fs::read(path).ok()?).ok()?;
    let page = rest.strip_suffix("index.html").unwrap_or(rest);
    decorate(&mut html, base, page, &drafts);
    let mut html = html.into_bytes();
    inject_script(&mut html, base);
    Some(bytes(200, HTML, html))
}

/// Marks drafts in a preview page: a banner at the top of a draft page
/// (`page`, its URL path under `base`), a badge in every link to a draft,
/// and the stylesheet for both. Never written to the output.
pub fn decorate(html: &mut String, base: &str, page: &str, drafts: &HashSet<String>) {
    let mut marked = drafts.contains(page) && insert_banner(html);
    marked |= mark_draft_links(html, base, page, drafts);
    if marked {
        let link = format!(
            "<link rel=\"stylesheet\" href=\"{}{PREVIEW_CSS}\">",
            encode_path(&normalize_base(base))
        );
        let at = html.to_ascii_lowercase().rfind("</head>").unwrap_or(0);
        html.insert_str(at, &link);
    }
}

/// Puts the draft banner right after `<body …>`. `false` without a body tag.
fn insert_banner(html: &mut String) -> bool {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    let start = loop {
        let Some(at) = lower[from..].find("<body").map(|i| from + i) else {
            return false;
        };
        let next = lower[at + 5..].chars().next();
        if next.is_some_and(|c| c == '>' || c.is_ascii_whitespace()) {
            break at;
        }
        from = at + 5;
    };
    let Some(end) = lower[start..].find('>').map(|i| start + i + 1) else {
        return false;
    };
    let text = escape_html(&crate::i18n::serve_draft_banner());
    let text = text.replace("`draft: true`", "<code>draft: true</code>");
    let text = match text.split_once(" — ") {
        Some((word, rest)) => format!("<strong>{word}</strong> — {rest}"),
        None => text,
    };
    let lang = match crate::i18n::lang() {
        crate::i18n::Lang::Fr => "fr",
        crate::i18n::Lang::En => "en",
    };
    let banner = format!("<div class=\"vitrine-draft\" role=\"note\" lang=\"{lang}\">{text}</div>");
    html.insert_str(end, &banner);
    true
}

/// Adds a « Brouillon » badge inside every `<a>` whose `href` leads to a
/// draft. Whether any was marked.
fn mark_draft_links(html: &mut String, base: &str, page: &str, drafts: &HashSet<String>) -> bool {
    let lower = html.to_ascii_lowercase();
    let mut inserts = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<a").map(|i| from + i) {
        let after = start + 2;
        let Some(end) = lower[after..].find('>').map(|i| after + i) else {
            break;
        };
        from = end;
        if !lower[after..].starts_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let Some(href) = attribute(&html[start..end], "href") else {
            continue;
        };
        let target = link_target(&href, base, page);
        if target.is_some_and(|t| drafts.contains(&t)) {
            if let Some(close) = lower[end..].find("</a>") {
                inserts.push(end + close);
            }
        }
    }
    let badge = format!(
        " <span class=\"vitrine-draft-badge\">{}</span>",
        escape_html(&crate::i18n::serve_draft_badge())
    );
    for at in inserts.iter().rev() {
        html.insert_str(*at, &badge);
    }
    !inserts.is_empty()
}

/// The value of attribute `name` in a start tag (quoted values only).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name).map(|i| from + i) {
        from = at + name.len();
        let before = lower[..at].chars().next_back();
        if !before.is_some_and(|c| c.is_ascii_whitespace()) {
            continue;
        }
        let rest = lower[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let value_at = tag.len() - rest.len() + 1;
        let len = tag[value_at..].find(quote)?;
        return Some(tag[value_at..value_at + len].replace("&amp;", "&"));
    }
    None
}

/// The URL path under `base` that `href`, found on the page at `page`,
/// leads to (`temoignages/lea/`); `None` for other sites and schemes.
fn link_target(href: &str, base: &str, page: &str) -> Option<String> {
    let href = href.split(['#', '?']).next().unwrap_or("");
    if href.is_empty() || href.starts_with("//") {
        return None;
    }
    let path = if let Some(rest) = href
        .strip_prefix("http://")
        .or_else(|| href.strip_prefix("https://"))
    {
        rest.find('/').map(|i| rest[i..].to_string())?
    } else if href.starts_with('/') {
        href.to_string()
    } else if href.contains(':') {
        return None;
    } else {
        let here = format!("{base}{page}");
        let dir = &here[..here.rfind('/').map_or(0, |i| i + 1)];
        join_url(dir, href)
    };
    let path = percent_decode(&path)?;
    let rest = path.strip_prefix(base)?;
    Some(rest.strip_suffix("index.html").unwrap_or(rest).to_string())
}

/// `dir` (ending with `/`) joined with the relative URL `rel`, `.` and `..`
/// resolved.
fn join_url(dir: &str, rel: &str) -> String {
    let mut segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match *part {
            "." | "" => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
        if last && matches!(*part, "." | ".." | "") {
            segments.push("");
        }
    }
    format!("/{}", segments.join("/"))
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

/// Decrements the live-stream count when the stream ends, however.
struct StreamGuard<'a>(&'a AtomicUsize);

impl Drop for StreamGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Streams live-reload events on this connection until the client leaves
/// or the server stops. Written raw: one chunk per event (HTTP/1.1) or
/// close-delimited (HTTP/1.0); `Connection: close` and the last chunk tell
/// the browser that the stream is over (on shutdown).
fn events(shared: &Shared, stream: &TcpStream, head: &Head) {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= shared.max_streams {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        let response = plain(503, "503 Service Unavailable\n");
        let _ = write_response(
            stream,
            response,
            head.http_version(),
            &head.headers,
            false,
            false,
        );
        return;
    }
    let _guard = StreamGuard(&shared.streams);
    let subscription = shared.hub.subscribe();
    let chunked = head.version >= (1, 1);
    // Errors only mean that the client is gone.
    let _ = stream_events(stream, subscription, chunked, &shared.stop);
}

fn stream_events(
    mut out: impl Write,
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
    fn only_this_computers_names_are_answered() {
        let local = Hosts::new("127.0.0.1");
        for host in [
            "localhost",
            "LOCALHOST:1111",
            "localhost.",
            "127.0.0.1",
            "127.0.0.1:1",
            "127.1.2.3:8080",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(local.allows(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "10.0.0.1",
            "::1",
            "localhost:abc",
            "localhost:99999",
            "",
            ":1111",
            "[::1",
            "[::1]x",
        ] {
            assert!(!local.allows(host), "{host}");
        }
        // The bound address is a name of ours; "every address" accepts any
        // IP address, never a host name.
        assert!(Hosts::new("mybox.local").allows("MyBox.local:1111"));
        assert!(Hosts::new("[::1]").allows("[::1]:80"));
        let every = Hosts::new("0.0.0.0");
        assert!(every.allows("192.168.1.5:1111") && every.allows("[fe80::1]"));
        assert!(!every.allows("evil.example"));
        assert!(local.allows_origin("http://localhost:1111"));
        assert!(local.allows_origin("http://127.0.0.1:1111/"));
        for origin in ["null", "http://evil.example", "file://", "localhost:1111"] {
            assert!(!local.allows_origin(origin), "{origin}");
        }
        assert_eq!(target_authority("http://h:1/a?b"), Some("h:1"));
        assert_eq!(target_authority("/a"), None);
    }

    #[test]
    fn the_connection_cap_stays_below_the_descriptor_limit() {
        assert_eq!(cap_for(Some(1024)), 384);
        assert_eq!(cap_for(Some(256)), MIN_CONNECTIONS);
        assert_eq!(cap_for(Some(0)), MIN_CONNECTIONS);
        assert_eq!(cap_for(Some(1_000_000)), MAX_CONNECTIONS);
        assert_eq!(cap_for(None), MAX_CONNECTIONS);
        for limit in [512u64, 1024, 4096, 65536] {
            let cap = cap_for(Some(limit)) as u64;
            assert!(2 * cap + RESERVED_FDS <= limit, "{limit}: {cap}");
        }
        assert!(connection_cap() >= MIN_CONNECTIONS);
    }

    #[test]
    fn body_rules() {
        let head = |extra: &str| {
            let text = format!("POST / HTTP/1.1\r\nHost: localhost\r\n{extra}\r\n");
            parse_head(text.as_bytes()).unwrap().unwrap()
        };
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
        // Heads: incomplete, malformed, too many headers.
        assert!(parse_head(b"GET / HTTP/1.1\r\nHost: a\r\n")
            .unwrap()
            .is_none());
        assert_eq!(parse_head(b"GARBAGE\r\n\r\n").err(), Some(400));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X-A: b\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(parse_head(many.as_bytes()).err(), Some(431));
        let h = head("Connection: keep-alive, Close\r\n");
        assert!(!h.keep_alive());
        let old = parse_head(b"GET / HTTP/1.0\r\n\r\n").unwrap().unwrap();
        assert!(!old.keep_alive());
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
    fn the_oldest_idle_connection_makes_room() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let pair = || {
            let client = TcpStream::connect(addr).unwrap();
            let (server, _) = listener.accept().unwrap();
            client
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            (client, Arc::new(server))
        };
        let conns = Connections {
            cap: 2,
            next: AtomicU64::new(0),
            slots: Mutex::new(HashMap::new()),
        };
        let (mut old_client, old) = pair();
        let old_id = conns.admit(old).unwrap();
        thread::sleep(Duration::from_millis(5));
        let (_busy_client, busy) = pair();
        let busy_id = conns.admit(busy).unwrap();
        assert!(conns.set_idle(busy_id, false));
        // Full: the idle one is closed for the newcomer.
        let (_new_client, new) = pair();
        let new_id = conns.admit(new).unwrap();
        let mut buf = [0u8; 1];
        assert_eq!(old_client.read(&mut buf).unwrap_or(0), 0);
        assert!(!conns.set_idle(old_id, true), "forgotten");
        // Full of busy connections: no room.
        assert!(conns.set_idle(new_id, false));
        let (_late_client, late) = pair();
        assert!(conns.admit(late).is_none());
        assert!(!conns.evict_idle());
        conns.close_all();
        assert_eq!(conns.lock().len(), 0);
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
        let draft = "<html><head><title>b</title></head><body class=\"x\"><main>Pas fini</main></body></html>";
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
            listed.contains(">B <span class=\"vitrine-draft-badge\">"),
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
    fn links_to_drafts_are_found_however_written() {
        let page = "temoignages/";
        let base = "/stages/";
        for href in [
            "/stages/temoignages/lea/",
            "/stages/temoignages/lea/index.html",
            "lea/",
            "./lea/#haut",
            "../temoignages/lea/?x",
            "http://127.0.0.1:1111/stages/temoignages/lea/",
            "/stages/temoignages/l%65a/",
        ] {
            assert_eq!(
                link_target(href, base, page).as_deref(),
                Some("temoignages/lea/"),
                "{href}"
            );
        }
        for href in ["", "#x", "mailto:a@b.c", "//evil.example/x", "/ailleurs/"] {
            assert_eq!(link_target(href, base, page), None, "{href}");
        }
        assert_eq!(join_url("/a/b/", "../c"), "/a/c");
        assert_eq!(join_url("/a/", "."), "/a/");
        assert_eq!(join_url("/", "../../x/"), "/x/");
        assert_eq!(
            attribute("<a class=\"c\" href='/x?a=1&amp;b=2'", "href").as_deref(),
            Some("/x?a=1&b=2")
        );
        assert_eq!(attribute("<a data-href=\"/no\">", "href"), None);
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
