//! The temporary file where a large site's build keeps its bodies between
//! the Markdown step and the templates (see `markdown::Packed`).
//!
//! At 100 000 pages the bodies are ~600 MB that each page reads once, long
//! after they were made: held in memory, even compressed, they were a
//! third of the build's peak. In a file, the system keeps them in its cache while
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
    /// A new empty file in the system's temporary folder (`TMPDIR`),
    /// readable by its owner only whatever the umask.
    pub(crate) fn new() -> io::Result<Spill> {
        let file = tempfile::tempfile()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(Spill {
            file,
            position: Mutex::new(()),
        })
    }

    /// Writes `parts` one after the other at the end; where they start.
    /// Refused, with nothing written, when they would take more than half
    /// the temporary folder's free space (it is shared) or pass the
    /// process's file size limit (which kills the process instead of
    /// failing the write); a write that fails half-way is taken back.
    pub(crate) fn append(&self, parts: &[&[u8]]) -> io::Result<u64> {
        let _position = self.lock();
        let mut file = &self.file;
        let at = file.seek(SeekFrom::End(0))?;
        let len: u64 = parts.iter().map(|p| p.len() as u64).sum();
        room_for(file, at, len)?;
        let written = (|| {
            // Through a buffer, not gathered first: a chunk of bodies is
            // ~30 MB, and gathering it cost five times the writing.
            let mut out = BufWriter::with_capacity(1 << 20, file);
            for part in parts {
                out.write_all(part)?;
            }
            out.flush()
        })();
        if let Err(e) = written {
            // Gives the room back to the folder's other users.
            let _ = file.set_len(at);
            return Err(e);
        }
        Ok(at)
    }

    /// The `len` bytes from `at`.
    pub(crate) fn read(&self, at: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut bytes = vec![0; len];
        self.read_into(at, &mut bytes).map_err(|e| match e.kind() {
            // Said in words, not as std's "failed to fill whole buffer".
            io::ErrorKind::UnexpectedEof => io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file is shorter than expected (cut or damaged)",
            ),
            _ => e,
        })?;
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

/// Whether `len` more bytes after `at` fit (see [`Spill::append`]).
#[cfg(unix)]
fn room_for(file: &File, at: u64, len: u64) -> io::Result<()> {
    use rustix::process::{getrlimit, Resource};
    let full = |why: &str| Err(io::Error::new(io::ErrorKind::StorageFull, why.to_string()));
    let limit = getrlimit(Resource::Fsize).current;
    if limit.is_some_and(|limit| at.saturating_add(len) > limit) {
        return full("the file size limit (ulimit -f) would be passed");
    }
    let fs = rustix::fs::fstatvfs(file)?;
    let free = fs.f_bavail.saturating_mul(fs.f_frsize);
    if len > free / 2 {
        return full("the temporary folder's free space would be more than halved");
    }
    Ok(())
}

#[cfg(not(unix))]
fn room_for(_file: &File, _at: u64, _len: u64) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_appended_reads_back_by_range() {
        let spill = Spill::new().unwrap();
        let a = spill.append(&[b"hel", b"lo "]).unwrap();
        let b = spill.append(&[b"world"]).unwrap();
        assert_eq!((a, b), (0, 6));
        assert_eq!(spill.read(b, 5).unwrap(), b"world");
        assert_eq!(spill.read(a, 6).unwrap(), b"hello ");
        assert_eq!(spill.read(2, 6).unwrap(), b"llo wo");
    }

    #[test]
    fn reading_past_the_end_is_an_error_not_short_bytes() {
        let spill = Spill::new().unwrap();
        spill.append(&[b"abc"]).unwrap();
        let error = spill.read(1, 5).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
        assert!(
            error.to_string().contains("shorter than expected"),
            "{error}"
        );
    }
}

#[cfg(all(test, unix))]
mod unix_tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn more_than_half_the_folders_free_space_is_refused() {
        let spill = Spill::new().unwrap();
        let fs = rustix::fs::fstatvfs(&spill.file).unwrap();
        let free = fs.f_bavail * fs.f_frsize;
        assert!(room_for(&spill.file, 0, free / 2 + 1).is_err());
        assert!(room_for(&spill.file, 0, 1).is_ok());
    }

    #[test]
    fn the_file_is_its_owners_only() {
        let spill = Spill::new().unwrap();
        let mode = spill.file.metadata().unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
