//! Files that appear whole or not at all: written under a temporary name
//! beside their destination, flushed to disk, then renamed into place. A
//! crash, a cancel or a pulled USB stick leaves at most a `.part` file,
//! never a half file under the real name. A `.part` file outside the
//! register's folder (a PDF, an export, a backup on a stick) is named in a
//! note in the register's folder while it is written, so the next start
//! removes what a crash left there too (`scratch::sweep`).

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::error::Error;

/// The registers this process has opened: no output may be written over
/// them or the files that belong to them.
static REGISTERS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// `path` with its folder resolved (links, `..`), for comparing; as given
/// when the folder does not exist.
fn resolved(path: &Path) -> PathBuf {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (fs::canonicalize(dir), path.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => path.to_path_buf(),
    }
}

/// The bytes of the file at `path` when it holds at most `max` of them:
/// its size is checked before it is read, and no more than `max + 1` bytes
/// are read however it grows meanwhile. `None` for a larger file.
pub(crate) fn read_at_most(path: &Path, max: usize) -> io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    if fs::metadata(path)?.len() > max as u64 {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    File::open(path)?
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() <= max).then_some(bytes))
}

/// Remembers the register at `db` (opened by this process) as a file that
/// outputs must not replace.
pub(crate) fn protect(db: &Path) {
    let db = resolved(db);
    let mut all = REGISTERS.lock().unwrap_or_else(|p| p.into_inner());
    if !all.contains(&db) {
        all.push(db);
    }
}

/// Refuses an output path that is one of Medlem's own files: an open
/// register, its write-ahead log, shared memory, journal or in-use note, a
/// safety copy beside it, a backup, or a backup key file.
pub(crate) fn check_output(out: &Path) -> Result<(), Error> {
    let refuse = || Err(Error::ProtectedFile(out.to_path_buf()));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name.ends_with(".medlem-backup")
        || name.ends_with(".medlem-backup.failed")
        || (name.starts_with("medlem-backup-key") && name.ends_with(".age"))
    {
        return refuse();
    }
    let out = resolved(out);
    let all = REGISTERS.lock().unwrap_or_else(|p| p.into_inner());
    for db in all.iter() {
        let mut own = db.as_os_str().to_owned();
        let base = own.clone();
        for suffix in ["", "-wal", "-shm", "-journal", ".in-use"] {
            own.clone_from(&base);
            own.push(suffix);
            if out.as_os_str() == own {
                return refuse();
            }
        }
        if let Some(dir) = db.parent() {
            if out.starts_with(dir.join("safety")) {
                return refuse();
            }
        }
    }
    Ok(())
}

/// A file being written beside its destination, removed unless persisted.
pub(crate) struct TempFile {
    dir: PathBuf,
    path: PathBuf,
    file: File,
    kept: bool,
    /// The note naming this file in the register's folder, if any.
    note: Option<PathBuf>,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// The start of a note naming an unfinished file outside the register's
/// folder: `.medlem-pending-<pid>-<n>`.
pub(crate) const PENDING: &str = ".medlem-pending-";

/// Notes in the register's folder, `.medlem-pending-<pid>-<n>`, that name
/// an unfinished file elsewhere: written before the file is created and
/// removed after it is renamed into place or removed, so a process killed
/// in between leaves a note that the next start ([`crate::scratch::sweep`])
/// follows to the file.
fn pending_note(part: &Path, n: u64) -> Option<PathBuf> {
    // Only a process with one register (the app, the CLI) knows where the
    // next start looks; one with none or several (tests) writes no note.
    let home = match REGISTERS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_slice()
    {
        [db] => db.parent()?.to_path_buf(),
        _ => return None,
    };
    let part = resolved(part);
    let dir = part.parent()?;
    // The register's folder and its safety folder are swept themselves.
    if dir == home || dir == home.join("safety") {
        return None;
    }
    let note = home.join(format!("{}{}-{n}", PENDING, std::process::id()));
    fs::write(&note, part.to_str()?).ok()?;
    Some(note)
}

impl TempFile {
    /// Creates a new, empty file in `out`'s folder, named after `out`.
    pub(crate) fn beside(out: &Path) -> io::Result<TempFile> {
        let name = out
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
        let dir = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut attempts = 0;
        loop {
            let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(
                ".{}.{}-{n}.part",
                name.to_string_lossy(),
                std::process::id()
            ));
            let note = pending_note(&path, n);
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    return Ok(TempFile {
                        dir: dir.to_path_buf(),
                        path,
                        file,
                        kept: false,
                        note,
                    })
                }
                Err(e) => {
                    if let Some(note) = note {
                        let _ = fs::remove_file(note);
                    }
                    if e.kind() != io::ErrorKind::AlreadyExists || attempts >= 100 {
                        return Err(e);
                    }
                    attempts += 1;
                }
            }
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn file(&self) -> &File {
        &self.file
    }

    /// The folder the file is in.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Flushes the file to disk and renames it to `out`, replacing any file
    /// there.
    pub(crate) fn persist(mut self, out: &Path) -> io::Result<()> {
        self.file.sync_all()?;
        fs::rename(&self.path, out)?;
        self.kept = true;
        // A directory fsync makes the rename itself durable on Unix.
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.kept {
            let _ = fs::remove_file(&self.path);
        }
        // Only now: the file is in place or gone.
        if let Some(note) = &self.note {
            let _ = fs::remove_file(note);
        }
    }
}

/// Writes a small settings file of this computer's (what it trusts, where
/// its register is) whole: under a temporary name in its folder (made if
/// need be), flushed, then renamed into place.
pub(crate) fn write_small(path: &Path, text: &str) -> io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
