//! Scratch space for plaintext copies of the register (a snapshot being
//! backed up, a backup being checked or restored) and what a crash leaves
//! behind. Scratch folders live beside the register, never in the system's
//! temporary folder (Windows never cleans `%TEMP%`); they are removed when
//! the work ends, and [`sweep`] removes those of processes that are gone
//! when the register is next opened.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tempfile::TempDir;

use crate::atomic_file::PENDING;

/// The start of a scratch folder's name: `.medlem-scratch-<pid>-<random>`.
pub(crate) const PREFIX: &str = ".medlem-scratch-";

/// A scratch folder inside `folder` (created if needed), readable by this
/// user only, removed when dropped.
pub(crate) fn dir_in(folder: &Path) -> io::Result<TempDir> {
    if !folder.exists() {
        fs::create_dir_all(folder)?;
        private(folder)?;
    }
    tempfile::Builder::new()
        .prefix(&format!("{PREFIX}{}-", std::process::id()))
        .tempdir_in(folder)
}

/// A scratch folder beside the register at `db` (an in-memory register, as
/// in tests, has no folder: the system's then).
pub(crate) fn dir_beside(db: Option<&Path>) -> io::Result<TempDir> {
    match db.and_then(Path::parent) {
        Some(p) if !p.as_os_str().is_empty() => dir_in(p),
        Some(_) => dir_in(Path::new(".")),
        None => tempfile::tempdir(),
    }
}

/// How old a leftover must be before it is removed where the system cannot
/// say whether its process still runs.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// The process id in a leftover's name: `.medlem-scratch-<pid>-…`,
/// `.medlem-pending-<pid>-<n>` or an unfinished file `.<name>.<pid>-<n>.part`
/// (and, for an unfinished copy of the register, SQLite's files beside it:
/// `.part-journal`, `.part-wal`, `.part-shm`).
fn owner(name: &str) -> Option<u32> {
    if let Some(rest) = name
        .strip_prefix(PREFIX)
        .or_else(|| name.strip_prefix(PENDING))
    {
        return rest.split('-').next()?.parse().ok();
    }
    let name = ["-journal", "-wal", "-shm"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    let rest = name.strip_suffix(".part")?;
    let (_, tail) = rest.rsplit_once('.')?;
    tail.split('-').next()?.parse().ok()
}

/// Removes from `folder` the scratch folders and unfinished (`.part`) files
/// that processes which no longer run left behind (on systems that cannot
/// tell, those older than an hour), and the unfinished files elsewhere that
/// their notes name. Returns what was removed; what cannot be removed stays
/// (the next start tries again).
pub fn sweep(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let me = std::process::id();
    let mut gone = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            continue;
        }
        let Some(pid) = owner(&name) else {
            continue;
        };
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > STALE_AFTER);
        let stale = pid != me && (!crate::lock::process_alive(pid) || old);
        if !stale {
            continue;
        }
        let path = e.path();
        if name.starts_with(PENDING) {
            if follow_note(&path, pid, &mut gone) && fs::remove_file(&path).is_ok() {
                gone.push(path);
            }
            continue;
        }
        let removed = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        if removed.is_ok() {
            gone.push(path);
        }
    }
    gone
}

/// Removes the unfinished file that the note at `note` (of process `pid`)
/// names, when it is one of that process's `.part` files; false when it is
/// there but cannot be removed now, or its folder is missing (a stick that
/// is not plugged in): the note stays and the next start tries again.
fn follow_note(note: &Path, pid: u32, gone: &mut Vec<PathBuf>) -> bool {
    let Ok(text) = fs::read_to_string(note) else {
        return true;
    };
    let part = PathBuf::from(text);
    let ours = part
        .file_name()
        .map(|n| n.to_string_lossy())
        .is_some_and(|n| n.ends_with(".part") && owner(&n) == Some(pid));
    if !ours {
        return true;
    }
    match fs::remove_file(&part) {
        Ok(()) => {
            gone.push(part);
            true
        }
        Err(e) => e.kind() == io::ErrorKind::NotFound && part.parent().is_some_and(Path::is_dir),
    }
}

/// Makes `path` readable and writable by this user only (0600 for a file,
/// 0700 for a folder) where the system has modes.
pub(crate) fn private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if path.is_dir() { 0o700 } else { 0o600 };
        fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_are_read_from_both_kinds_of_names() {
        assert_eq!(owner(".medlem-scratch-4242-AbC123"), Some(4242));
        assert_eq!(owner(".medlem.sqlite.4242-7.part"), Some(4242));
        assert_eq!(owner(".x.medlem-backup.17-0.part"), Some(17));
        assert_eq!(owner(".medlem-pending-4242-3"), Some(4242));
        assert_eq!(owner(".x.sqlite.4242-1.part-journal"), Some(4242));
        assert_eq!(owner(".x.sqlite.4242-1.part-wal"), Some(4242));
        assert_eq!(owner(".x.sqlite-journal"), None);
        assert_eq!(owner(".hidden"), None);
        assert_eq!(owner(".a.b.part"), None);
    }
}
