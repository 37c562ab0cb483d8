//! Files `serve` writes after telling the browsers to reload: `search.json`,
//! the whole search index for other tools (26 MB at 10 000 pages), which no
//! page of the preview loads. Hashing and writing it came before the reload
//! event and made every title edit wait for it. A request for such a file
//! while it is being written waits until it is there, so it is never the
//! last build's.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a request waits at most for a deferred file: far more than
/// writing it takes, short enough that a fault of ours does not hold a
/// connection for ever.
const WAIT_AT_MOST: Duration = Duration::from_secs(30);

/// The output paths (`search.json`) being written after the reload event.
/// Shared by the rebuild loop and the server.
#[derive(Clone, Default)]
pub struct Deferred(Arc<(Mutex<Vec<String>>, Condvar)>);

impl std::fmt::Debug for Deferred {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Deferred").field(&*self.paths()).finish()
    }
}

impl Deferred {
    fn paths(&self) -> MutexGuard<'_, Vec<String>> {
        // A poisoned lock only means a thread panicked; the list is fine.
        self.0 .0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// From now on, requests for `paths` wait for [`Deferred::end`]. Called
    /// before the rest of a build is written.
    pub(crate) fn begin(&self, paths: Vec<String>) {
        *self.paths() = paths;
    }

    /// The deferred files are written (or will not be): requests go on.
    pub(crate) fn end(&self) {
        self.paths().clear();
        self.0 .1.notify_all();
    }

    /// Waits while `path` (under the base: `search.json`) is being written.
    pub(crate) fn wait_for(&self, path: &str) {
        let deadline = Instant::now() + WAIT_AT_MOST;
        let mut paths = self.paths();
        while paths.iter().any(|p| p == path) {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return;
            };
            paths = match self.0 .1.wait_timeout(paths, left) {
                Ok((paths, _)) => paths,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_waits_until_the_file_is_written() {
        let deferred = Deferred::default();
        deferred.begin(vec!["search.json".to_string()]);
        // Other files are served at once.
        deferred.wait_for("index.html");
        let waiting = deferred.clone();
        let started = Instant::now();
        let request = std::thread::spawn(move || {
            waiting.wait_for("search.json");
            started.elapsed()
        });
        std::thread::sleep(Duration::from_millis(150));
        deferred.end();
        let waited = request.join().unwrap();
        assert!(waited >= Duration::from_millis(150), "{waited:?}");
        // Once written, no wait.
        let started = Instant::now();
        deferred.wait_for("search.json");
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
