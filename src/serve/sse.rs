//! The live-reload Server-Sent Events stream on one connection: the
//! [`Hub`](super::events::Hub)'s bytes, written raw, until the client
//! leaves or the server stops. One chunk per event (HTTP/1.1) or
//! close-delimited (HTTP/1.0); `Connection: close` and the last chunk tell
//! the browser that the stream is over.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use super::events::{Poll, Subscription};

/// How often a stream looks at the stop flag.
const TICK: Duration = Duration::from_millis(100);

/// The streams open now, and how many may be (each holds a connection and
/// its thread for as long as the browser stays).
#[derive(Debug)]
pub(crate) struct Streams {
    live: AtomicUsize,
    max: usize,
}

/// One open stream; counted until dropped.
pub(crate) struct StreamSlot<'a>(&'a AtomicUsize);

impl Drop for StreamSlot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Streams {
    pub(crate) fn new(max: usize) -> Streams {
        Streams {
            live: AtomicUsize::new(0),
            max,
        }
    }

    /// A slot for a new stream; `None` when `max` are open.
    pub(crate) fn open(&self) -> Option<StreamSlot<'_>> {
        if self.live.fetch_add(1, Ordering::SeqCst) >= self.max {
            self.live.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(StreamSlot(&self.live))
    }

    /// Waits until every stream has ended, at most until `deadline` (a
    /// client whose socket buffer is full is not waited for forever).
    pub(crate) fn wait_closed(&self, deadline: Instant) {
        while self.live.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Writes the stream's head, then `subscription`'s bytes as they come,
/// until the hub is gone or `stop` is set. An error means the client left.
pub(crate) fn stream(
    mut out: impl Write,
    mut subscription: Subscription,
    chunked: bool,
    stop: &AtomicBool,
) -> io::Result<()> {
    out.write_all(head(chunked).as_bytes())?;
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

/// The response head of a stream (always HTTP/1.1 and closed at the end).
fn head(chunked: bool) -> String {
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
    head
}

#[cfg(test)]
mod tests {
    use super::super::events::{Event, Hub};
    use super::*;

    /// What a stream writes for a subscriber that joined during an error,
    /// once the hub is gone.
    fn written(chunked: bool) -> String {
        let hub = Hub::new();
        hub.publish(Event::Error {
            text: "x".into(),
            html: String::new(),
        });
        let subscription = hub.subscribe();
        drop(hub);
        let mut out = Vec::new();
        stream(&mut out, subscription, chunked, &AtomicBool::new(false)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn events_are_chunked_and_the_stream_ends_with_the_last_chunk() {
        let out = written(true);
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"));
        assert!(head.contains("\r\nConnection: close\r\n"));
        assert!(head.ends_with("Transfer-Encoding: chunked"));
        let data = "retry: 500\n\nevent: error\ndata: {\"html\":\"\",\"text\":\"x\"}\n\n";
        assert_eq!(body, format!("{:x}\r\n{data}\r\n0\r\n\r\n", data.len()));
    }

    #[test]
    fn http_1_0_streams_are_close_delimited() {
        let out = written(false);
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        assert!(!head.contains("Transfer-Encoding"));
        assert_eq!(
            body,
            "retry: 500\n\nevent: error\ndata: {\"html\":\"\",\"text\":\"x\"}\n\n"
        );
    }

    #[test]
    fn a_stopped_server_ends_the_stream_at_once() {
        let hub = Hub::new();
        let mut out = Vec::new();
        stream(&mut out, hub.subscribe(), true, &AtomicBool::new(true)).unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .ends_with("\r\n\r\n0\r\n\r\n"));
    }

    #[test]
    fn streams_are_capped() {
        let streams = Streams::new(2);
        let one = streams.open();
        let two = streams.open();
        assert!(one.is_some() && two.is_some());
        assert!(streams.open().is_none());
        drop(one);
        assert!(streams.open().is_some(), "a closed stream frees its slot");
        drop(two);
        let started = Instant::now();
        streams.wait_closed(started + Duration::from_secs(5));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
