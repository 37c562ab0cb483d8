//! Live-reload event hub: the rebuild loop publishes [`Event`]s, every
//! browser connected to the Server-Sent Events endpoint receives them.
//!
//! A [`Subscription`] is a blocking [`Read`] that yields the SSE wire bytes,
//! so it can be used directly as a response body. It starts with
//! `retry: 500` (and the current build error, if any, so a browser opened
//! during an error shows the overlay) and emits a `: ping` comment after
//! [`PING_INTERVAL`] of silence so that dead clients are detected by the
//! failing write.

use std::io::{self, Read};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

/// Silence after which a subscription emits a keep-alive comment.
pub const PING_INTERVAL: Duration = Duration::from_secs(15);

/// Sent first to every new subscriber: the browser reconnects 500 ms after
/// losing the connection.
const RETRY: &[u8] = b"retry: 500\n\n";
const PING: &[u8] = b": ping\n\n";

/// Something connected browsers must react to.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// Reload the page (content, template or static file changed).
    Reload,
    /// A stylesheet changed: swap it without reloading. `path` is its URL
    /// path, e.g. `/css/site.css`.
    Css { path: String },
    /// The build failed: show the overlay. `text` is what the overlay shows.
    Error { text: String, html: String },
    /// The error is fixed: hide the overlay.
    Clear,
    /// The warnings of the last good build (`count` of them, as the
    /// terminal shows them): the browser shows them in a panel the writer
    /// can dismiss. An empty `text` withdraws them.
    Warnings { text: String, count: usize },
}

impl Event {
    /// The event as SSE wire bytes (`event: …\ndata: {json}\n\n`).
    pub fn to_sse(&self) -> Vec<u8> {
        let (name, data) = match self {
            Event::Reload => ("reload", Data::Empty {}),
            Event::Css { path } => ("css", Data::Css { path }),
            Event::Error { text, html } => ("error", Data::Error { html, text }),
            Event::Clear => ("clear", Data::Empty {}),
            Event::Warnings { text, count } => (
                "warnings",
                Data::Warnings {
                    count: *count,
                    text,
                },
            ),
        };
        // serde_json escapes newlines inside strings, so `data` is one line.
        let data = serde_json::to_string(&data).unwrap_or_else(|_| "{}".to_string());
        format!("event: {name}\ndata: {data}\n\n").into_bytes()
    }
}

/// The `data` of an event, read by `livereload.js`. Fields in alphabetical
/// order, as the browser script has always received them.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Data<'a> {
    Empty {},
    Css { path: &'a str },
    Error { html: &'a str, text: &'a str },
    Warnings { count: usize, text: &'a str },
}

/// Handle on the hub; cheap to clone, all clones share the same clients.
#[derive(Clone, Default)]
pub struct Hub {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    next_id: u64,
    clients: Vec<(u64, Sender<Arc<[u8]>>)>,
    /// SSE bytes of the last `Error`, until a `Clear` or `Reload`.
    last_error: Option<Arc<[u8]>>,
    /// SSE bytes of the current warnings, until withdrawn or an `Error`.
    last_warnings: Option<Arc<[u8]>>,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a publisher panicked mid-way; the
        // state (a list of senders) is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("clients", &self.clients())
            .finish()
    }
}

impl Hub {
    pub fn new() -> Hub {
        Hub::default()
    }

    /// Sends `event` to every connected client and forgets the clients that
    /// are gone. An `Error` is remembered for later subscribers until a
    /// `Clear` or a `Reload` (a successful build) is published; warnings
    /// until others (or none) are published, or an `Error` (whose text
    /// holds them).
    pub fn publish(&self, event: Event) {
        let bytes: Arc<[u8]> = event.to_sse().into();
        let mut state = self.inner.lock();
        match &event {
            Event::Error { .. } => {
                state.last_error = Some(bytes.clone());
                state.last_warnings = None;
            }
            Event::Clear | Event::Reload => state.last_error = None,
            Event::Warnings { text, .. } => {
                state.last_warnings = (!text.is_empty()).then(|| bytes.clone());
            }
            Event::Css { .. } => {}
        }
        state
            .clients
            .retain(|(_, tx)| tx.send(bytes.clone()).is_ok());
    }

    /// A new client: a blocking reader of SSE bytes. Dropping it
    /// unsubscribes.
    pub fn subscribe(&self) -> Subscription {
        self.subscribe_with_ping(PING_INTERVAL)
    }

    /// Same as [`Hub::subscribe`] with another keep-alive interval.
    pub fn subscribe_with_ping(&self, ping_every: Duration) -> Subscription {
        let (tx, rx) = mpsc::channel();
        let mut state = self.inner.lock();
        let id = state.next_id;
        state.next_id = state.next_id.wrapping_add(1);
        let mut pending = RETRY.to_vec();
        if let Some(error) = &state.last_error {
            pending.extend_from_slice(error);
        }
        if let Some(warnings) = &state.last_warnings {
            pending.extend_from_slice(warnings);
        }
        state.clients.push((id, tx));
        drop(state);
        Subscription {
            rx,
            pending,
            pos: 0,
            last_sent: Instant::now(),
            ping_every: ping_every.max(Duration::from_millis(1)),
            hub: Arc::downgrade(&self.inner),
            id,
        }
    }

    /// Number of connected clients (subscriptions not yet dropped).
    pub fn clients(&self) -> usize {
        self.inner.lock().clients.len()
    }
}

/// What [`Subscription::poll`] found.
#[derive(Debug, PartialEq)]
pub enum Poll {
    /// Bytes to send to the client (events or a keep-alive comment).
    Data(Vec<u8>),
    /// Nothing happened within the timeout.
    Idle,
    /// The hub is gone: end the stream.
    Closed,
}

/// One connected client. Implements [`Read`]: each read blocks until there
/// is something to send (an event, or a ping after [`PING_INTERVAL`]) and
/// returns `Ok(0)` (end of stream) once every [`Hub`] handle is dropped.
pub struct Subscription {
    rx: Receiver<Arc<[u8]>>,
    pending: Vec<u8>,
    pos: usize,
    last_sent: Instant,
    ping_every: Duration,
    hub: Weak<Inner>,
    id: u64,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .finish()
    }
}

impl Subscription {
    /// Waits at most `timeout` for something to send. Returns everything
    /// queued at once (unread bytes of a previous partial `read` first), a
    /// ping if the stream has been silent for the keep-alive interval,
    /// `Idle` if neither happened in time, `Closed` if the hub is gone.
    pub fn poll(&mut self, timeout: Duration) -> Poll {
        if self.pos < self.pending.len() {
            let out = self.pending.split_off(self.pos);
            self.pending.clear();
            self.pos = 0;
            self.last_sent = Instant::now();
            return Poll::Data(self.drain_queued(out));
        }
        let start = Instant::now();
        let ping_at = self.last_sent + self.ping_every;
        let wait = timeout.min(ping_at.saturating_duration_since(start));
        match self.rx.recv_timeout(wait) {
            Ok(bytes) => {
                self.last_sent = Instant::now();
                Poll::Data(self.drain_queued(bytes.to_vec()))
            }
            Err(RecvTimeoutError::Timeout) => {
                if Instant::now() >= ping_at {
                    self.last_sent = Instant::now();
                    Poll::Data(PING.to_vec())
                } else {
                    Poll::Idle
                }
            }
            Err(RecvTimeoutError::Disconnected) => Poll::Closed,
        }
    }

    /// Appends the events already waiting in the channel to `out`.
    fn drain_queued(&mut self, mut out: Vec<u8>) -> Vec<u8> {
        while let Ok(more) = self.rx.try_recv() {
            out.extend_from_slice(&more);
        }
        out
    }
}

impl Read for Subscription {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.pos >= self.pending.len() {
            match self.poll(self.ping_every) {
                Poll::Data(bytes) => {
                    self.pending = bytes;
                    self.pos = 0;
                }
                Poll::Idle => {}
                Poll::Closed => return Ok(0),
            }
        }
        let n = buf.len().min(self.pending.len() - self.pos);
        buf[..n].copy_from_slice(&self.pending[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(inner) = self.hub.upgrade() {
            inner.lock().clients.retain(|(id, _)| *id != self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;

    fn read_some(sub: &mut Subscription) -> String {
        let mut buf = [0u8; 4096];
        let n = sub.read(&mut buf).unwrap();
        String::from_utf8(buf[..n].to_vec()).unwrap()
    }

    #[test]
    fn wire_format() {
        assert_eq!(Event::Reload.to_sse(), b"event: reload\ndata: {}\n\n");
        assert_eq!(Event::Clear.to_sse(), b"event: clear\ndata: {}\n\n");
        assert_eq!(
            Event::Css {
                path: "/css/site.css".into()
            }
            .to_sse(),
            b"event: css\ndata: {\"path\":\"/css/site.css\"}\n\n"
        );
        let e = Event::Error {
            text: "ligne 1\nligne 2 « é » </script>".into(),
            html: "<p>x</p>".into(),
        }
        .to_sse();
        let s = String::from_utf8(e).unwrap();
        assert!(s.starts_with("event: error\ndata: {"));
        assert!(s.ends_with("}\n\n"));
        // One data line: the newline inside the text is escaped.
        assert_eq!(s.matches('\n').count(), 3);
        let json = s
            .strip_prefix("event: error\ndata: ")
            .unwrap()
            .trim_end_matches('\n');
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["text"], "ligne 1\nligne 2 « é » </script>");
        assert_eq!(v["html"], "<p>x</p>");
        let warnings = Event::Warnings {
            text: "a".into(),
            count: 2,
        };
        assert_eq!(
            warnings.to_sse(),
            b"event: warnings\ndata: {\"count\":2,\"text\":\"a\"}\n\n"
        );
    }

    #[test]
    fn subscribe_publish_and_drop() {
        let hub = Hub::new();
        assert_eq!(hub.clients(), 0);
        let mut a = hub.subscribe();
        let mut b = hub.clone().subscribe();
        assert_eq!(hub.clients(), 2);
        assert_eq!(read_some(&mut a), "retry: 500\n\n");
        assert_eq!(read_some(&mut b), "retry: 500\n\n");
        hub.publish(Event::Reload);
        assert_eq!(read_some(&mut a), "event: reload\ndata: {}\n\n");
        assert_eq!(read_some(&mut b), "event: reload\ndata: {}\n\n");
        drop(b);
        assert_eq!(hub.clients(), 1);
        hub.publish(Event::Clear);
        assert_eq!(read_some(&mut a), "event: clear\ndata: {}\n\n");
    }

    #[test]
    fn blocking_read_wakes_on_publish() {
        let hub = Hub::new();
        let mut sub = hub.subscribe();
        assert_eq!(read_some(&mut sub), "retry: 500\n\n");
        let h = hub.clone();
        let t = thread::spawn(move || {
            thread::sleep(Duration::from_millis(50));
            h.publish(Event::Css {
                path: "/a.css".into(),
            });
        });
        assert_eq!(
            read_some(&mut sub),
            "event: css\ndata: {\"path\":\"/a.css\"}\n\n"
        );
        t.join().unwrap();
    }

    #[test]
    fn small_reads_get_everything() {
        let hub = Hub::new();
        let mut sub = hub.subscribe();
        hub.publish(Event::Reload);
        let mut out = Vec::new();
        let mut buf = [0u8; 3];
        while out.len() < "retry: 500\n\nevent: reload\ndata: {}\n\n".len() {
            let n = sub.read(&mut buf).unwrap();
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(out, b"retry: 500\n\nevent: reload\ndata: {}\n\n");
    }

    #[test]
    fn late_subscriber_sees_current_error_until_cleared() {
        let hub = Hub::new();
        hub.publish(Event::Error {
            text: "boom".into(),
            html: String::new(),
        });
        let mut sub = hub.subscribe();
        let got = read_some(&mut sub);
        assert!(got.starts_with("retry: 500\n\nevent: error\ndata: "));
        assert!(got.contains("\"text\":\"boom\""));
        // A stylesheet change does not fix a build error.
        hub.publish(Event::Css { path: "/x".into() });
        let mut sub = hub.subscribe();
        assert!(read_some(&mut sub).contains("boom"));
        hub.publish(Event::Clear);
        let mut sub = hub.subscribe();
        assert_eq!(read_some(&mut sub), "retry: 500\n\n");
        hub.publish(Event::Error {
            text: "again".into(),
            html: String::new(),
        });
        hub.publish(Event::Reload);
        let mut sub = hub.subscribe();
        assert_eq!(read_some(&mut sub), "retry: 500\n\n");
    }

    #[test]
    fn late_subscriber_sees_current_warnings_until_withdrawn() {
        let hub = Hub::new();
        hub.publish(Event::Warnings {
            text: "content/a.md:3: lien vers /nulle-part/".into(),
            count: 1,
        });
        // A reload (the page after a good build) keeps them.
        hub.publish(Event::Reload);
        let mut sub = hub.subscribe();
        let got = read_some(&mut sub);
        assert!(
            got.starts_with("retry: 500\n\nevent: warnings\ndata: {"),
            "{got}"
        );
        assert!(
            got.contains("\"count\":1") && got.contains("nulle-part"),
            "{got}"
        );
        // Withdrawn: new browsers get nothing.
        hub.publish(Event::Warnings {
            text: String::new(),
            count: 0,
        });
        assert_eq!(
            read_some(&mut sub),
            "event: warnings\ndata: {\"count\":0,\"text\":\"\"}\n\n"
        );
        let mut sub = hub.subscribe();
        assert_eq!(read_some(&mut sub), "retry: 500\n\n");
        // An error replaces them (its text holds every diagnostic).
        hub.publish(Event::Warnings {
            text: "w".into(),
            count: 1,
        });
        hub.publish(Event::Error {
            text: "e".into(),
            html: String::new(),
        });
        let mut sub = hub.subscribe();
        let got = read_some(&mut sub);
        assert!(
            got.contains("event: error") && !got.contains("warnings"),
            "{got}"
        );
    }

    #[test]
    fn ping_after_silence() {
        let hub = Hub::new();
        let mut sub = hub.subscribe_with_ping(Duration::from_millis(50));
        assert_eq!(read_some(&mut sub), "retry: 500\n\n");
        let start = Instant::now();
        assert_eq!(read_some(&mut sub), ": ping\n\n");
        assert!(start.elapsed() >= Duration::from_millis(40));
        assert_eq!(sub.poll(Duration::from_millis(1)), Poll::Idle);
    }

    #[test]
    fn end_of_stream_when_hub_dropped() {
        let hub = Hub::new();
        let mut sub = hub.subscribe();
        assert_eq!(read_some(&mut sub), "retry: 500\n\n");
        drop(hub);
        let mut buf = [0u8; 16];
        assert_eq!(sub.read(&mut buf).unwrap(), 0);
        assert_eq!(sub.poll(Duration::from_millis(1)), Poll::Closed);
    }

    #[test]
    fn publish_drops_dead_clients() {
        let hub = Hub::new();
        let _alive = hub.subscribe();
        // A client whose receiver vanished without the Drop bookkeeping:
        // the failed send removes it.
        let (tx, rx) = mpsc::channel();
        drop(rx);
        hub.inner.lock().clients.push((u64::MAX, tx));
        assert_eq!(hub.clients(), 2);
        hub.publish(Event::Reload);
        assert_eq!(hub.clients(), 1);
    }
}
