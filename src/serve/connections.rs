//! The live connections, so that the oldest idle one can be closed for a
//! new one, and all of them at shutdown; and how many to keep at once.

use std::collections::HashMap;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

/// Descriptors left for everything but connections: the build, the file
/// watcher, files being sent.
const RESERVED_FDS: u64 = 256;
/// Bounds of [`connection_cap`].
const MIN_CONNECTIONS: usize = 32;
const MAX_CONNECTIONS: usize = 512;

/// How many connections the server keeps at once: half of the descriptors
/// left under the soft `RLIMIT_NOFILE` once [`RESERVED_FDS`] are set aside,
/// within 32..=512, so that accepting never runs out of descriptors.
pub(crate) fn connection_cap() -> usize {
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

pub(crate) struct Connections {
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
    pub(crate) fn new(cap: usize) -> Connections {
        Connections {
            cap,
            next: AtomicU64::new(0),
            slots: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Slot>> {
        // A poisoned lock only means a thread panicked mid-way; the map
        // is still usable.
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Connections open now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    /// Registers a new connection, closing the one idle the longest when
    /// full. `None` when full of busy connections.
    pub(crate) fn admit(&self, stream: Arc<TcpStream>) -> Option<u64> {
        let mut slots = self.lock();
        if slots.len() >= self.cap {
            let oldest = oldest_idle(&slots)?;
            close(slots.remove(&oldest));
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
    pub(crate) fn set_idle(&self, id: u64, idle: bool) -> bool {
        match self.lock().get_mut(&id) {
            Some(slot) => {
                slot.idle_since = idle.then(Instant::now);
                true
            }
            None => false,
        }
    }

    pub(crate) fn remove(&self, id: u64) {
        self.lock().remove(&id);
    }

    /// Closes the connection idle the longest; `false` if none is idle.
    pub(crate) fn evict_idle(&self) -> bool {
        let mut slots = self.lock();
        let Some(oldest) = oldest_idle(&slots) else {
            return false;
        };
        close(slots.remove(&oldest));
        true
    }

    pub(crate) fn close_all(&self) {
        for (_, slot) in self.lock().drain() {
            close(Some(slot));
        }
    }
}

/// The connection that has waited longest for a request.
fn oldest_idle(slots: &HashMap<u64, Slot>) -> Option<u64> {
    let (_, id) = slots
        .iter()
        .filter_map(|(id, slot)| slot.idle_since.map(|since| (since, *id)))
        .min()?;
    Some(id)
}

/// Shuts a connection down: its thread sees the end at once, whatever it
/// is blocked on.
fn close(slot: Option<Slot>) {
    if let Some(slot) = slot {
        let _ = slot.stream.shutdown(Shutdown::Both);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;
    use std::thread;
    use std::time::Duration;

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
    fn the_oldest_idle_connection_makes_room() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let pair = || {
            let client = std::net::TcpStream::connect(addr).unwrap();
            let (server, _) = listener.accept().unwrap();
            client
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            (client, Arc::new(server))
        };
        let conns = Connections::new(2);
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
        assert_eq!(conns.len(), 2);
        conns.close_all();
        assert_eq!(conns.len(), 0);
    }
}
