//! The `serve` HTTP server: accepts connections, reads requests, and
//! answers each with [`route`] then [`answer`] (or an event stream).
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
//!   head must arrive whole within [`HEAD_TIME`](super::head::HEAD_TIME) and hold at most
//!   [`MAX_HEAD`](super::head::MAX_HEAD) bytes; a client that reads nothing
//!   for [`WRITE_TIME`] is dropped; a closed client frees its thread and
//!   descriptor at once;
//! - a body larger than [`MAX_BODY`](super::head::MAX_BODY) is never read:
//!   413, then the connection is closed;
//! - if accepting fails for good, [`DevServer::failure`] says why (and
//!   `serve` stops rather than stay deaf).

use std::collections::HashSet;
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockWriteGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use tiny_http::HTTPVersion;

use super::cms::{self, CmsRequest, Editing};
use super::connections::{connection_cap, Connections};
use super::deferred::Deferred;
use super::events::Hub;
use super::head::{body_of, discard, read_head, Body, Head};
use super::hosts::{display_host, Hosts};
use super::response::{answer, plain, write_response};
use super::route::{route, Bases, Method, Reply, RouteState};
use super::sse::{self, Streams};
use crate::i18n::Lang;

/// A connection waiting for a request is closed after this.
const IDLE: Duration = Duration::from_secs(10);
/// A client that accepts no byte of a response for this long is dropped.
const WRITE_TIME: Duration = Duration::from_secs(30);
/// Stack of a connection thread (they read files into the heap).
const STACK: usize = 256 * 1024;

/// Where and how to listen.
#[derive(Clone, Debug)]
pub(crate) struct ServerConfig {
    /// Address to bind, e.g. `127.0.0.1`.
    pub(crate) bind: String,
    /// Port; 0 lets the system pick a free one (see [`DevServer::local_addr`]).
    pub(crate) port: u16,
    /// URL path the site lives under, e.g. `/` or `/ecole/stages/` (decoded
    /// form; missing slashes are added).
    pub(crate) base_path: String,
    /// Whether a build has succeeded yet. Until one has, pages under the
    /// base path are a waiting page (503) that carries the live-reload
    /// script, so the error overlay shows and the page reloads once the site
    /// builds. The caller sets it after the first good build.
    pub(crate) built: Arc<AtomicBool>,
    /// The writer's language, for the pages and errors the server writes.
    pub(crate) lang: Lang,
}

/// A running server; stops on [`DevServer::shutdown`] or when dropped.
pub(crate) struct DevServer {
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

/// What every connection thread shares.
struct Shared {
    site_dir: Arc<RwLock<PathBuf>>,
    hub: Hub,
    bases: RwLock<Bases>,
    built: Arc<AtomicBool>,
    stop: AtomicBool,
    streams: Streams,
    hosts: Hosts,
    /// What the preview marks: URL paths (under the base) of draft pages.
    drafts: RwLock<Arc<HashSet<String>>>,
    conns: Connections,
    /// Why accepting stopped for good, if it did.
    failure: Mutex<Option<String>>,
    /// `http://127.0.0.1:1111`: the address shown to a refused client.
    origin: String,
    /// The port listened on.
    port: u16,
    /// The editing backend, once `serve` turns it on.
    cms: RwLock<Option<Arc<Editing>>>,
    /// Files written after the reload event, waited for when asked.
    deferred: Deferred,
    lang: Lang,
    /// [`IDLE`], in milliseconds (shorter in tests).
    idle_ms: AtomicU64,
    #[cfg(test)]
    break_accept: AtomicBool,
}

/// The value behind `lock`. A poisoned lock only means a thread panicked
/// mid-way; the value is still usable.
fn read<T: Clone>(lock: &RwLock<T>) -> T {
    match lock.read() {
        Ok(value) => value.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    fn idle(&self) -> Duration {
        Duration::from_millis(self.idle_ms.load(Ordering::Relaxed))
    }

    fn fail(&self, why: String) {
        let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
        failure.get_or_insert(why);
    }
}

/// First port in `start..=start+20` that `bind` can listen on.
pub(crate) fn find_free_port(bind: &str, start: u16) -> Option<u16> {
    (0..=20u16)
        .filter_map(|i| start.checked_add(i))
        .find(|&port| TcpListener::bind((bind, port)).is_ok())
}

impl DevServer {
    /// Binds `config.bind:config.port` and starts accepting. A port that
    /// is taken gives an error of kind [`io::ErrorKind::AddrInUse`] (try
    /// [`find_free_port`]). `site_dir` is read on every request, so the
    /// caller swaps in each new good build.
    pub(crate) fn start(
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
            bases: RwLock::new(Bases::new(&config.base_path)),
            built: config.built,
            stop: AtomicBool::new(false),
            // Half the connections at most: pages still get through.
            streams: Streams::new((cap / 2).min(128)),
            hosts: Hosts::new(&config.bind),
            drafts: RwLock::new(Arc::new(HashSet::new())),
            conns: Connections::new(cap),
            failure: Mutex::new(None),
            origin: format!("http://{}:{}", display_host(&config.bind), addr.port()),
            port: addr.port(),
            idle_ms: AtomicU64::new(u64::try_from(IDLE.as_millis()).unwrap_or(u64::MAX)),
            cms: RwLock::new(None),
            deferred: Deferred::default(),
            lang: config.lang,
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
    pub(crate) fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Why the server stopped accepting connections, once it has (it then
    /// answers nobody: the caller should stop).
    pub(crate) fn failure(&self) -> Option<String> {
        let failure = self
            .shared
            .failure
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        failure.clone()
    }

    /// Marks these pages (URL paths under the base, `temoignages/lea/`) as
    /// drafts: a banner on the page, a badge on links to it.
    pub(crate) fn set_drafts(&self, drafts: HashSet<String>) {
        *write(&self.shared.drafts) = Arc::new(drafts);
    }

    /// Serves the editing interface and its backend from now on.
    pub(crate) fn enable_editing(&self, editing: Editing) {
        *write(&self.shared.cms) = Some(Arc::new(editing));
    }

    /// The files a rebuild writes after the reload event: their requests
    /// wait until they are written.
    pub(crate) fn deferred(&self) -> Deferred {
        self.shared.deferred.clone()
    }

    /// Serves the site under `base` from now on; the previous base paths
    /// redirect there.
    pub(crate) fn set_base(&self, base: &str) {
        write(&self.shared.bases).move_to(base);
    }

    /// Connections open now.
    #[cfg(test)]
    fn connections(&self) -> usize {
        self.shared.conns.len()
    }

    /// Stops accepting, ends the SSE streams, closes every connection.
    /// Returns within about a tenth of a second plus the time to finish the
    /// responses being written.
    pub(crate) fn shutdown(self) {
        drop(self);
    }

    fn stop_and_join(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        // Event streams look at the flag often and end properly.
        self.shared
            .streams
            .wait_closed(Instant::now() + Duration::from_secs(2));
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
    // How often the stop flag is looked at.
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

/// The answer when every connection is busy (written by hand: no thread
/// nor buffer is spent on it).
fn busy(stream: &TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let mut out = stream;
    let _ = out.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
          Content-Length: 24\r\nConnection: close\r\n\r\n503 Service Unavailable\n",
    );
}

/// Serves the requests of one connection until it closes, idles out, or
/// asks to close.
fn connection(shared: &Shared, id: u64, stream: &TcpStream) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIME));
    let mut buf: Vec<u8> = Vec::new();
    // Who is at the other end decides whether the editor answers.
    let peer = stream.peer_addr().ok().map(|addr| addr.ip());
    loop {
        if shared.stop.load(Ordering::SeqCst) || !shared.conns.set_idle(id, true) {
            return;
        }
        let head = match read_head(stream, &mut buf, shared.idle()) {
            Ok(Some(head)) => head,
            Ok(None) => return,
            Err(status) => {
                let _ = write_response(stream, plain(status), HTTPVersion(1, 1), &[], false, false);
                return;
            }
        };
        if !shared.conns.set_idle(id, false) || !handle(shared, stream, head, peer, &mut buf) {
            return;
        }
    }
}

/// Answers one request. Whether the connection can serve another.
fn handle(
    shared: &Shared,
    stream: &TcpStream,
    head: Head,
    peer: Option<IpAddr>,
    buf: &mut Vec<u8>,
) -> bool {
    buf.drain(..head.len.min(buf.len()));
    let is_head = head.method == Method::Head;
    let mut keep = head.keep_alive();
    let send = |response, keep| {
        write_response(
            stream,
            response,
            head.http_version(),
            &head.headers,
            is_head,
            keep,
        )
    };
    // Answered without reading the body: the connection cannot go on.
    let refuse_with = |response| {
        send(response, false);
        false
    };
    let refuse = |status| refuse_with(plain(status));
    let bases = read(&shared.bases);
    let state = RouteState {
        hosts: &shared.hosts,
        bases: &bases,
        built: shared.built.load(Ordering::SeqCst),
        origin: &shared.origin,
        port: shared.port,
    };
    let reply = route(&head.info(peer), &state);
    match &reply {
        // The editing backend reads its (larger) body itself.
        Reply::Cms(CmsRequest::Api { token }) => {
            let editing = read(&shared.cms);
            return cms::api(editing.as_deref(), stream, &head, buf, token, shared.lang);
        }
        // Refused before its body, if any, is read.
        Reply::Cms(CmsRequest::Refused { why, address }) => {
            return refuse_with(cms::refusal(*why, address, shared.lang));
        }
        _ => {}
    }
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
    match reply {
        Reply::Events => {
            events(shared, stream, &head);
            false
        }
        Reply::UriTooLong => refuse(414),
        Reply::Cms(request) => {
            let editing = read(&shared.cms);
            let response = cms::page(&request, editing.as_deref(), bases.current());
            send(response, keep) && keep
        }
        reply => {
            if let Reply::File(request) = &reply {
                shared.deferred.wait_for(&request.rest);
            }
            let drafts: Arc<HashSet<String>> = read(&shared.drafts);
            let response = answer(reply, &read(&shared.site_dir), &drafts, shared.lang);
            send(response, keep) && keep
        }
    }
}

/// Streams live-reload events on this connection until the client leaves
/// or the server stops; 503 when too many streams are open.
fn events(shared: &Shared, stream: &TcpStream, head: &Head) {
    let Some(_slot) = shared.streams.open() else {
        let version = head.http_version();
        let _ = write_response(stream, plain(503), version, &head.headers, false, false);
        return;
    };
    let chunked = head.version >= (1, 1);
    // Errors only mean that the client is gone.
    let _ = sse::stream(stream, shared.hub.subscribe(), chunked, &shared.stop);
}

#[cfg(test)]
mod tests;
