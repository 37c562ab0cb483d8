//! The temporary file where a large site's build keeps its bodies between
//! the Markdown step and the templates (see `markdown::Packed`).
//!
//! At 100 000 pages the compressed bodies are ~450 MB that each page reads
//! once, long after they were made: held in memory they were a third of
//! the build's peak. In a file, the system keeps them in its cache while
//! there is room and drops them to disk otherwise.
//!
//! The file has no name (`tempfile`: unlinked at once, or `O_TMPFILE`,
//! readable by its owner only) and disappears when the build ends, even
//! when it is killed: the pages' texts stay nowhere.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// An append-only scratch file, read back by byte ranges.
pub(crate) struct Spill {
    file: File,
    /// Held while the file's position matters: appending (and reading,
    /// where reads move it).
    position: Mutex<()>,
}

impl std::fmt::Debug for Spill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Spill")
    }
}

impl Spill {
    /// A new empty file in the system's temporary folder (`TMPDIR`).
    pub(crate) fn new() -> io::Result<Spill> {
        Ok(Spill {
            file: tempfile::tempfile()?,
            position: Mutex::new(()),
        })
    }

    /// Writes `parts` one after the other at the end; where they start.
    pub(crate) fn append<'a>(&self, parts: impl IntoIterator<Item = &'a [u8]>) -> io::Result<u64> {
        let _position = self.lock();
        let mut file = &self.file;
        // From the real end: a failed append may have left a part behind.
        let at = file.seek(SeekFrom::End(0))?;
        // Through a buffer, not gathered first: a chunk of bodies is
        // ~30 MB, and gathering it cost five times the writing.
        let mut out = BufWriter::with_capacity(1 << 20, file);
        for part in parts {
            out.write_all(part)?;
        }
        out.flush()?;
        Ok(at)
    }

    /// The `len` bytes from `at`.
    pub(crate) fn read(&self, at: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut bytes = vec![0; len];
        self.read_into(at, &mut bytes)?;
        Ok(bytes)
    }

    // Pages are rendered on every core at once: on Unix each reads at its
    // offset without moving the file's position (`pread`), so without
    // waiting for the others.
    #[cfg(unix)]
    fn read_into(&self, at: u64, bytes: &mut [u8]) -> io::Result<()> {
        use std::os::unix::fs::FileExt;
        self.file.read_exact_at(bytes, at)
    }

    #[cfg(not(unix))]
    fn read_into(&self, at: u64, bytes: &mut [u8]) -> io::Result<()> {
        use std::io::Read;
        let _position = self.lock();
        let mut file = &self.file;
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(bytes)
    }

    // A thread that panicked while holding the lock left no invariant to
    // break: every use seeks first.
    fn lock(&self) -> MutexGuard<'_, ()> {
        self.position.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_appended_reads_back_by_range() {
        let spill = Spill::new().unwrap();
        let a = spill.append([&b"hel"[..], b"lo "]).unwrap();
        let b = spill.append([&b"world"[..]]).unwrap();
        assert_eq!((a, b), (0, 6));
        assert_eq!(spill.read(b, 5).unwrap(), b"world");
        assert_eq!(spill.read(a, 6).unwrap(), b"hello ");
        assert_eq!(spill.read(2, 6).unwrap(), b"llo wo");
    }

    #[test]
    fn reading_past_the_end_is_an_error_not_short_bytes() {
        let spill = Spill::new().unwrap();
        spill.append([&b"abc"[..]]).unwrap();
        assert!(spill.read(1, 5).is_err());
    }
}
